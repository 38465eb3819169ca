"""Time validation and the site build for N generated fiches (run by hand).

    .venv/bin/python benchmarks/bench_build.py --fiches 500 --repetitions 3

Writes nothing into the repository: everything happens in a temporary copy.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]

PHRASES = [
    "Les participants viennent chaque semaine et s'entraident d'une séance à l'autre.",
    "Plusieurs personnes disent oser désormais effectuer seules leurs démarches en ligne.",
    "L'atelier est devenu un lieu de rencontre entre des habitants qui ne se connaissaient pas.",
    "Les animateurs observent que les questions posées sont de plus en plus précises.",
    "Une partie du groupe a rejoint d'autres activités du quartier après l'action.",
    "Les échanges entre générations ont changé le regard porté sur les plus jeunes.",
    "Les partenaires soulignent la régularité de la présence et la qualité de l'accueil.",
]


def texte(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(PHRASES) for _ in range(n))


def generer(dossier: Path, n: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    criteres = yaml.safe_load((ROOT / "data" / "criteres.yaml").read_text(encoding="utf-8"))
    tous = [c for d in criteres["dimensions"] for c in d["criteres"]]
    fiches = dossier / "fiches"
    fiches.mkdir(parents=True, exist_ok=True)
    for k in range(n):
        choisis = rng.sample(tous, rng.randint(4, min(8, len(tous))))
        data = {
            "id": f"fiche-{k:05d}",
            "titre": f"Atelier numérique n° {k}",
            "statut": "exemple",
            "acteur": {"nom": f"Association du quartier {k % 97}", "type": "association", "ville": "Brest"},
            "action": {"resume": texte(rng, 3), "description": texte(rng, 6), "moyens": texte(rng, 3),
                       "enjeux": texte(rng, 3), "publics": ["Habitants du quartier", "Seniors"],
                       "lieux": ["Maison de quartier"], "debut": "2014"},
            "contributions": [
                {"critere": c["id"], "constats": texte(rng, 4),
                 "indicateurs": [{"id": i["id"], "valeur": f"{rng.randint(3, 60)} personnes",
                                  "source": "feuilles d'émargement"}
                                 for i in rng.sample(c["indicateurs"], rng.randint(1, len(c["indicateurs"])))]}
                for c in choisis
            ],
            "mise_a_jour": "2026-11-26",
        }
        (fiches / f"{data['id']}.yaml").write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def projet(n: int) -> Path:
    tmp = Path(tempfile.mkdtemp(prefix=f"bench-{n}-"))
    for nom in ("mkdocs.yml", "macros.py"):
        shutil.copyfile(ROOT / nom, tmp / nom)
    for nom in ("docs", "overrides"):
        shutil.copytree(ROOT / nom, tmp / nom)
    (tmp / "data").mkdir()
    shutil.copyfile(ROOT / "data" / "criteres.yaml", tmp / "data" / "criteres.yaml")
    generer(tmp / "data", n)
    return tmp


def chrono(cmd: list[str], cwd: Path) -> float:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    t = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, capture_output=True, env=env)
    return time.perf_counter() - t


def taille(dossier: Path) -> int:
    return sum(p.stat().st_size for p in dossier.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fiches", type=int, nargs="+", default=[500])
    parser.add_argument("--repetitions", type=int, default=3)
    args = parser.parse_args()
    bin_dir = Path(sys.executable).parent
    print(f"Machine : {platform.machine()}, {os.cpu_count()} cœurs, Python {platform.python_version()}")
    for n in args.fiches:
        tmp = projet(n)
        try:
            valider = [chrono([str(bin_dir / "referentiel"), "valider"], tmp) for _ in range(args.repetitions)]
            build = [chrono([str(bin_dir / "mkdocs"), "build", "--strict", "--site-dir", "site"], tmp)
                     for _ in range(args.repetitions)]
            site = taille(tmp / "site")
            print(f"{n} fiches : valider {statistics.median(valider):.2f} s, "
                  f"mkdocs build {statistics.median(build):.2f} s (médianes de {args.repetitions}), "
                  f"site {site / 1e6:.1f} Mo ({site / 1024 / max(n, 1):.0f} Ko par fiche)")
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
