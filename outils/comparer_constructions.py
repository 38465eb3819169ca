"""Oracle for refactoring: the site built by a git revision and by the work
tree must be byte-identical.

    .venv/bin/python outils/comparer_constructions.py [--ref REV] [--fiches N]

Give ``--ref`` the commit a refactoring starts from (``HEAD`` by default),
and run it after each step.

Builds two data sets with each code base, PDFs included, with
``SOURCE_DATE_EPOCH`` fixed:

- ``livre``: the shipped data (``data/`` of the work tree);
- ``synthese``: N fiches in all (200 by default), the shipped ones (the
  chapters link to them) and synthetic ones (``benchmarks/synthese.py``, seed 1),
  as ``make bench`` makes them.

Both code bases build the same data: only the code (``src/``, ``docs/``,
``overrides/``, ``mkdocs.yml``, ``macros.py``) differs. The reference build of
a commit is kept in ``.cache/comparer/`` (a commit does not change), so a
second run builds the work tree only. Prints every file that differs or is
missing on one side; exit code 0 when everything is identical, 1 otherwise.
"""

from __future__ import annotations

import argparse
import filecmp
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import synthese  # noqa: E402

EPOCH = "1764115200"  # 2025-11-26 00:00 UTC, as in tests/test_reproductible.py
CACHE = ROOT / ".cache" / "comparer"
SOURCES = ("mkdocs.yml", "macros.py", "docs", "overrides")


def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip()


def jeux_de_donnees(dossier: Path, n: int) -> dict[str, Path]:
    """The two data folders, written once and built by both code bases."""
    livre = dossier / "livre"
    shutil.copytree(ROOT / "data", livre)
    synth = dossier / "synthese"
    shutil.copytree(ROOT / "data", synth, ignore=shutil.ignore_patterns("_*"))
    synthese.generer(synth, n - len(list((synth / "fiches").glob("*.yaml"))))
    return {"livre": livre, "synthese": synth}


def construire(code: Path, donnees: Path, sortie: Path, travail: Path) -> None:
    """``mkdocs build --strict`` of the sources in ``code`` on ``donnees``."""
    projet = travail / "projet"
    if projet.exists():
        shutil.rmtree(projet)
    projet.mkdir(parents=True)
    for nom in SOURCES:
        (shutil.copytree if (code / nom).is_dir() else shutil.copyfile)(code / nom, projet / nom)
    shutil.copytree(donnees, projet / "data")
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, REFERENTIEL_PDF="1", NO_MKDOCS_2_WARNING="1",
               PYTHONPATH=str(code / "src"), PYTHONHASHSEED="0")
    for nom in ("CI", "GITHUB_ACTIONS", "SITE_URL", "REPO_URL"):
        env.pop(nom, None)
    mkdocs = Path(sys.executable).with_name("mkdocs")
    p = subprocess.run([str(mkdocs), "build", "--strict", "--site-dir", str(sortie)], cwd=projet,
                       capture_output=True, text=True, env=env)
    if p.returncode != 0:
        sys.exit(f"La construction de {code} sur {donnees.name} a échoué :\n{p.stderr[-4000:]}")
    shutil.rmtree(projet)


def arbre(dossier: Path) -> set[str]:
    return {p.relative_to(dossier).as_posix() for p in dossier.rglob("*") if p.is_file()}


def premiere_difference(a: Path, b: Path) -> str:
    octets_a, octets_b = a.read_bytes(), b.read_bytes()
    i = next((k for k, (x, y) in enumerate(zip(octets_a, octets_b)) if x != y),
             min(len(octets_a), len(octets_b)))
    return (f"{len(octets_a)} / {len(octets_b)} octets, premier écart à l'octet {i} : "
            f"{octets_a[max(0, i - 40):i + 40]!r} / {octets_b[max(0, i - 40):i + 40]!r}")


def comparer(a: Path, b: Path) -> list[str]:
    fa, fb = arbre(a), arbre(b)
    ecarts = [f"seulement dans la référence : {f}" for f in sorted(fa - fb)]
    ecarts += [f"seulement dans l'arbre de travail : {f}" for f in sorted(fb - fa)]
    communs = sorted(fa & fb)
    _, differents, erreurs = filecmp.cmpfiles(a, b, communs, shallow=False)
    ecarts += [f"différent : {f} ({premiere_difference(a / f, b / f)})" for f in differents + erreurs]
    return ecarts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ref", default="HEAD", help="révision git de référence (HEAD par défaut)")
    parser.add_argument("--fiches", type=int, default=200, help="nombre de fiches du jeu synthétique, livrées comprises (200)")
    args = parser.parse_args()
    commit = git("rev-parse", "--verify", f"{args.ref}^{{commit}}")
    # The data sets are part of the cache key: a change to data/ or to the
    # generator makes a new reference.
    empreinte = hashlib.sha256()
    for p in sorted((ROOT / "data").rglob("*")) + [ROOT / "benchmarks" / "synthese.py"]:
        if p.is_file():
            empreinte.update(p.relative_to(ROOT).as_posix().encode() + b"\0" + p.read_bytes())
    cle = f"{commit[:12]}-{empreinte.hexdigest()[:12]}-{args.fiches}"
    with tempfile.TemporaryDirectory(prefix="comparer-") as tmp:
        tmp_path = Path(tmp)
        jeux = jeux_de_donnees(tmp_path / "donnees", args.fiches)
        reference = CACHE / cle
        if not reference.is_dir():
            code = tmp_path / "reference"
            code.mkdir()
            archive = subprocess.run(["git", "archive", commit], cwd=ROOT, check=True, capture_output=True).stdout
            subprocess.run(["tar", "-x", "-C", str(code)], input=archive, check=True)
            partiel = CACHE / f"{cle}.partiel"
            shutil.rmtree(partiel, ignore_errors=True)
            for nom, donnees in jeux.items():
                print(f"Référence {commit[:12]} : construction de « {nom} »…", flush=True)
                construire(code, donnees, partiel / nom, tmp_path / "travail")
            partiel.rename(reference)
        else:
            print(f"Référence {commit[:12]} : déjà construite ({reference.relative_to(ROOT)})")
        # A snapshot of the work tree: an edit made while it builds does not mix in.
        code = tmp_path / "arbre"
        for nom in ("src", "schemas", *SOURCES):
            (shutil.copytree if (ROOT / nom).is_dir() else shutil.copyfile)(ROOT / nom, code / nom)
        ecarts: list[str] = []
        for nom, donnees in jeux.items():
            print(f"Arbre de travail : construction de « {nom} »…", flush=True)
            sortie = tmp_path / "apres" / nom
            construire(code, donnees, sortie, tmp_path / "travail")
            n = len(arbre(sortie))
            trouves = comparer(reference / nom, sortie)
            print(f"  {nom} : {n} fichiers, {len(trouves)} écart(s)")
            ecarts += [f"  [{nom}] {e}" for e in trouves]
    for e in ecarts:
        print(e)
    if ecarts:
        print(f"{len(ecarts)} écart(s) avec {commit[:12]}.")
        return 1
    print(f"Identique à {commit[:12]} octet pour octet (données livrées, et {args.fiches} fiches dont les synthétiques).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
