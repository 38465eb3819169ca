"""Two builds of the same data give the same bytes; a failed build publishes nothing."""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ENV_LIVRE, FICHE_VALIDE, ROOT, construire, creer_projet, creer_scenario, env_sans_ci
from pypdf import PdfReader


def _arbre(dossier: Path) -> set[str]:
    return {p.relative_to(dossier).as_posix() for p in dossier.rglob("*") if p.is_file()}


def test_deux_constructions_donnent_les_memes_octets(request, tmp_path):
    """site_livre is the first build (its date fixed: conftest.EPOCH), this test
    makes the second one, with the same data and environment. It asks for
    site_livre once its own build is done: meanwhile, site_livre gets built."""
    projet = creer_projet(tmp_path)
    shutil.copytree(ROOT / "data", projet / "data")
    sortie = construire(projet, pdf=True, env=ENV_LIVRE)
    assert sortie.code == 0, sortie.stderr
    a, b = request.getfixturevalue("site_livre"), projet / "site"
    fichiers = _arbre(a)
    assert fichiers == _arbre(b)
    assert any(f.endswith(".pdf") for f in fichiers) and "donnees/fiches.csv" in fichiers
    _, differents, erreurs = filecmp.cmpfiles(a, b, sorted(fichiers), shallow=False)
    assert differents == [] and erreurs == []
    # The date printed in the report is the one given, not the day of the build.
    rapport = PdfReader(a / "telechargements" / "rapport-referentiel-utilite-sociale-mediation-numerique.pdf")
    assert "26 novembre 2025" in rapport.pages[0].extract_text()


def test_une_construction_ratee_laisse_le_site_precedent(tmp_path):
    """`make build` swaps the new site in only on success (on the tiny site tests/sites/minimal)."""
    projet = creer_scenario("minimal", tmp_path)
    for nom in ("Makefile", "pyproject.toml", "constraints.txt"):
        shutil.copy2(ROOT / nom, projet / nom)
    shutil.copytree(ROOT / "outils", projet / "outils")
    # The installed environment of the tests stands in for .venv (newer stamp: no reinstall).
    stamp = projet / "installe"
    stamp.touch()
    env = env_sans_ci()
    env["REFERENTIEL_PDF"] = "0"
    make = ["make", "--no-print-directory", "build", f"VENV={sys.prefix}", f"STAMP={stamp}"]

    p = subprocess.run(make, cwd=projet, capture_output=True, text=True, env=env, timeout=600)
    assert p.returncode == 0, p.stdout + p.stderr
    avant = (projet / "site" / "index.html").read_bytes()
    assert "Site construit dans site/" in p.stdout

    (projet / "data" / "fiches" / "cassee.yaml").write_text(
        FICHE_VALIDE.replace("id: essai", "id: cassee").replace("statut: exemple", "statut: brouillon"),
        encoding="utf-8")
    p = subprocess.run(make, cwd=projet, capture_output=True, text=True, env=env, timeout=600)
    assert p.returncode != 0
    sortie = p.stdout + p.stderr
    assert "data/fiches/cassee.yaml:3: statut : « brouillon » n'est pas une valeur permise" in sortie
    assert "Site construit dans site/" not in sortie
    # The previous site is still there, whole.
    assert (projet / "site" / "index.html").read_bytes() == avant
    assert not (projet / "site" / "fiches" / "cassee").exists()
    assert os.path.isdir(projet / "site" / "fiches" / "essai")
