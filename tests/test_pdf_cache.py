"""The PDFs' cache (sorties/pdf/cache.py): a build composes again only the
documents whose inputs changed, and gives the same bytes as without it.

Three builds of the tiny site tests/sites/pdf with three fiches (each build
with PDFs costs seconds): cold, again unchanged, then after editing one fiche
with a damaged and a stale entry in the cache.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EPOCH, ROOT, creer_scenario, env_sans_ci

from referentiel.lecture import charger
from referentiel.pages import src_pdf_kit
from referentiel.pages.evaluation import criteres_proposes
from referentiel.sorties.pdf import cache as module_cache
from referentiel.sorties.pdf.cache import cle, pdf_entier

RAPPORT = "telechargements/rapport-referentiel-utilite-sociale-mediation-numerique.pdf"
FICHES = ("kerederm", "parlons-en", "intergeneration")
EDITEE, ABIMEE, INTACTE = FICHES
# Each criterion's collection kit too: it shows no fiche, so an edited fiche leaves it in the cache.
KITS = tuple(src_pdf_kit(c) for c in criteres_proposes(charger(ROOT / "data").referentiel))
DOCUMENTS = (RAPPORT, *(f"telechargements/fiches/{f}.pdf" for f in FICHES), *KITS)
N = len(DOCUMENTS)


def _construire(projet: Path) -> str:
    """``mkdocs build --strict`` with PDFs, launched from another folder than the
    project's (the cache's folder is relative to mkdocs.yml); its log."""
    env = env_sans_ci()
    env.update(REFERENTIEL_PDF="1", SOURCE_DATE_EPOCH=EPOCH)
    env.pop("REFERENTIEL_CACHE_PDF", None)
    mkdocs = Path(sys.executable).with_name("mkdocs")
    p = subprocess.run([str(mkdocs), "build", "--strict", "-f", str(projet / "mkdocs.yml"),
                        "--site-dir", str(projet / "site")], cwd=projet.parent, capture_output=True,
                       text=True, env=env, timeout=900)
    assert p.returncode == 0, p.stderr
    return p.stderr


def _pdf(site: Path) -> dict[str, bytes]:
    return {doc: (site / doc).read_bytes() for doc in DOCUMENTS}


def _entrees(cache: Path) -> set[str]:
    return {p.name for p in cache.glob("*.pdf")}


@pytest.fixture(scope="module")
def constructions(tmp_path_factory):
    """The three builds, with what each gave: its log, its PDFs, the cache's entries."""
    projet = creer_scenario("pdf", tmp_path_factory.mktemp("cache") / "projet")
    for f in FICHES:
        shutil.copyfile(ROOT / "data" / "fiches" / f"{f}.yaml", projet / "data" / "fiches" / f"{f}.yaml")
    cache = projet / ".cache" / "pdf"
    resultats = {}

    journal = _construire(projet)
    resultats["froide"] = (journal, _pdf(projet / "site"), _entrees(cache))
    # Which entry is which document: the entries are named by content hashes only.
    par_contenu = {(cache / e).read_bytes(): e for e in _entrees(cache)}
    entree_de = {doc: par_contenu.get(octets) for doc, octets in resultats["froide"][1].items()}

    journal = _construire(projet)
    resultats["chaude"] = (journal, _pdf(projet / "site"), _entrees(cache))

    # A contributor edits one fiche; one entry is cut short, a stale one lies around.
    chemin = projet / "data" / "fiches" / f"{EDITEE}.yaml"
    texte = chemin.read_text(encoding="utf-8")
    assert "Essayer dans un réseau" in texte
    chemin.write_text(texte.replace("Essayer dans un réseau", "Tenter dans un réseau", 1), encoding="utf-8")
    abimee = cache / entree_de[f"telechargements/fiches/{ABIMEE}.pdf"]
    abimee.write_bytes(abimee.read_bytes()[: abimee.stat().st_size // 2])
    perimee = "0" * 64 + ".pdf"
    (cache / perimee).write_bytes(b"%PDF-1.7\n")
    (cache / "notes.txt").write_text("pas une entrée du cache", encoding="utf-8")
    journal = _construire(projet)
    resultats["editee"] = (journal, _pdf(projet / "site"), _entrees(cache))
    return resultats, entree_de, cache, perimee


def test_premiere_construction_compose_tout(constructions):
    resultats, entree_de, cache, _ = constructions
    journal, _, entrees = resultats["froide"]
    assert f"INFO    -  PDF : {N} documents composés, aucun repris du cache" in journal
    # One entry per document, in the folder of mkdocs.yml (not the folder the build ran from).
    assert None not in entree_de.values() and len(entrees) == N
    assert cache.parent.parent.joinpath("mkdocs.yml").is_file()


def test_deuxieme_construction_reprend_tout_a_l_identique(constructions):
    resultats, _, _, _ = constructions
    journal, pdf, entrees = resultats["chaude"]
    assert f"INFO    -  PDF : {N} documents repris du cache, aucun composé" in journal
    assert "WARNING" not in journal
    # Byte for byte what the composition gave.
    assert pdf == resultats["froide"][1]
    assert entrees == resultats["froide"][2]


def test_une_fiche_modifiee_ne_recompose_qu_elle_et_le_rapport(constructions):
    resultats, entree_de, cache, perimee = constructions
    journal, pdf, entrees = resultats["editee"]
    # The edited fiche and the report (which holds it), and the damaged entry's fiche.
    assert f"INFO    -  PDF : {1 + len(KITS)} documents repris du cache, 3 composés" in journal
    avant = resultats["froide"][1]
    assert pdf[f"telechargements/fiches/{EDITEE}.pdf"] != avant[f"telechargements/fiches/{EDITEE}.pdf"]
    assert pdf[RAPPORT] != avant[RAPPORT]
    assert pdf[f"telechargements/fiches/{INTACTE}.pdf"] == avant[f"telechargements/fiches/{INTACTE}.pdf"]
    # The entries of the untouched fiches stay; the report's and the edited fiche's are new.
    gardees = {entree_de[f"telechargements/fiches/{f}.pdf"] for f in (ABIMEE, INTACTE)}
    assert gardees <= entrees and len(entrees) == N
    assert entree_de[RAPPORT] not in entrees
    assert entree_de[f"telechargements/fiches/{EDITEE}.pdf"] not in entrees
    # The cache holds the documents of this build, each whole, and nothing else of its own.
    assert {(cache / e).read_bytes() for e in entrees} == set(pdf.values())
    assert perimee not in entrees
    assert (cache / "notes.txt").is_file()


def test_une_entree_abimee_est_recomposee(constructions):
    resultats, entree_de, cache, _ = constructions
    _, pdf, _ = resultats["editee"]
    doc = f"telechargements/fiches/{ABIMEE}.pdf"
    # Composed again, the same bytes as the first time, and the entry whole again.
    assert pdf[doc] == resultats["froide"][1][doc]
    assert (cache / entree_de[doc]).read_bytes() == pdf[doc]


# ---------------------------------------------------------------------------
# The key and the entries, without a build


def test_la_cle_change_avec_le_html_et_les_feuilles_de_style(tmp_path, monkeypatch):
    html = "<h1>Fiche</h1><p>Un constat.</p>"
    base = cle(html, "@page { margin: 16mm; }")
    assert cle(html, "@page { margin: 16mm; }") == base
    assert cle(html + "<p>Un autre.</p>", "@page { margin: 16mm; }") != base
    assert cle(html, "@page { margin: 18mm; }") != base
    # The report's margins are the default, as when printing.
    assert cle(html, None) == cle(html, module_cache.CSS_RAPPORT)
    # The stylesheet pdf.css, read from its file.
    feuille = tmp_path / "pdf.css"
    feuille.write_bytes(module_cache.CSS_PDF.read_bytes() + b"\nh1 { color: red; }\n")
    module_cache.empreinte_commune.cache_clear()
    monkeypatch.setattr(module_cache, "CSS_PDF", feuille)
    try:
        assert cle(html, "@page { margin: 16mm; }") != base
    finally:
        monkeypatch.undo()
        module_cache.empreinte_commune.cache_clear()
    assert cle(html, "@page { margin: 16mm; }") == base


def test_la_cle_change_avec_les_polices(tmp_path, monkeypatch):
    html = "<p>Texte</p>"
    base = cle(html)
    polices = tmp_path / "polices"
    shutil.copytree(module_cache.POLICES, polices)
    police = sorted(polices.glob("*.ttf"))[0]
    police.write_bytes(police.read_bytes() + b"\0")
    module_cache.empreinte_commune.cache_clear()
    monkeypatch.setattr(module_cache, "POLICES", polices)
    try:
        assert cle(html) != base
    finally:
        monkeypatch.undo()
        module_cache.empreinte_commune.cache_clear()


def test_un_pdf_tronque_n_est_pas_une_entree(constructions):
    resultats, _, _, _ = constructions
    octets = resultats["froide"][1][RAPPORT]
    assert pdf_entier(octets)
    assert not pdf_entier(octets[:-200])
    assert not pdf_entier(octets[: len(octets) // 2])
    assert not pdf_entier(b"")


def test_tout_en_cache_sans_importer_weasyprint(tmp_path):
    """When every document is in the cache, the heavy WeasyPrint is not imported."""
    script = """
import sys
from pathlib import Path
from referentiel.sorties.pdf.cache import ecrire_avec_cache
taches = [("<p>Un document.</p>", Path(sys.argv[1]) / "site" / "doc.pdf", None)]
bilan = ecrire_avec_cache(taches, Path(sys.argv[1]) / "cache")
print(bilan.message(), "weasyprint" in sys.modules)
"""
    env = dict(os.environ)
    for attendu in ("PDF : 1 document composé, aucun repris du cache True",
                    "PDF : 1 document repris du cache, aucun composé False"):
        p = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True,
                           env=env, timeout=300)
        assert p.returncode == 0, p.stderr
        assert p.stdout.strip() == attendu
