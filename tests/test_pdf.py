"""The report PDF and the per-fiche PDFs, read back as the city and the actors get them."""

from __future__ import annotations

import functools
import re

import pytest
import yaml
from conftest import ROOT
from pypdf import PdfReader

RAPPORT = "telechargements/rapport-referentiel-utilite-sociale-mediation-numerique.pdf"
FICHES = [yaml.safe_load(p.read_text(encoding="utf-8"))
          for p in sorted((ROOT / "data" / "fiches").glob("[!_]*.yaml"))]
CRITERES = yaml.safe_load((ROOT / "data" / "criteres.yaml").read_text(encoding="utf-8"))
INDICATEURS = [i["id"] for d in CRITERES["dimensions"] for c in d["criteres"] for i in c["indicateurs"]]



@functools.lru_cache(maxsize=None)
def texte_page(reader: PdfReader, numero: int) -> str:
    """The text of one page, extracted once: pypdf takes seconds on the report,
    and the tests read its pages again and again."""
    return reader.pages[numero].extract_text() or ""


def texte(reader: PdfReader, pages=None) -> str:
    numeros = range(len(reader.pages)) if pages is None else pages
    return re.sub(r"\s+", " ", " ".join(texte_page(reader, i) for i in numeros))


def entrees(reader: PdfReader) -> list[tuple[int, str, int]]:
    """The outline (bookmarks) as (level, title, page index)."""
    out = []

    def walk(items, niveau):
        for item in items:
            if isinstance(item, list):
                walk(item, niveau + 1)
            else:
                out.append((niveau, item.title, reader.get_destination_page_number(item)))

    walk(reader.outline, 1)
    return out


@pytest.fixture(scope="module")
def rapport(site_livre) -> PdfReader:
    return PdfReader(site_livre / RAPPORT)


def test_rapport_lie_depuis_l_accueil_et_l_en_tete(site_livre):
    taille = (site_livre / RAPPORT).stat().st_size
    attendu = f"{round(taille / 1024)} Ko" if taille < 1024 * 1024 else None
    accueil = (site_livre / "index.html").read_text(encoding="utf-8")
    assert f'href="{RAPPORT}"' in accueil
    page = (site_livre / "criteres" / "ep1" / "index.html").read_text(encoding="utf-8")
    assert f'href="../../{RAPPORT}"' in page
    m = re.search(r"Télécharger le rapport \(PDF, ([^)]+)\)", page)
    assert m, "lien du bandeau absent"
    if attendu:
        assert m.group(1) == attendu
        assert f"Télécharger le rapport (PDF, {attendu})" in accueil


def test_metadonnees(rapport):
    meta = rapport.metadata
    assert meta.title == "Construction d'un référentiel de l'utilité sociale de la médiation numérique"
    assert meta.author == "Ville de Brest – Brest métropole"
    assert "médiation numérique" in meta.subject
    assert "utilité sociale" in meta["/Keywords"]
    assert rapport.trailer["/Root"]["/Lang"] == "fr"


def test_format_a4_et_polices_incorporees(rapport):
    for page in rapport.pages:
        largeur, hauteur = sorted([float(page.mediabox.width), float(page.mediabox.height)])
        assert abs(largeur - 595.3) < 1 and abs(hauteur - 841.9) < 1
        polices = (page.get("/Resources") or {}).get("/Font") or {}
        for ref in polices.values():
            police = ref.get_object()
            descendants = police.get("/DescendantFonts")
            desc = (descendants[0].get_object() if descendants else police).get("/FontDescriptor")
            assert desc is not None and any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")), \
                police.get("/BaseFont")


def test_ordre_des_chapitres(rapport):
    chapitres = [(titre, page) for niveau, titre, page in entrees(rapport) if niveau == 1]
    titres = [t for t, _ in chapitres]
    assert titres[0] == "Sommaire"
    assert titres.index("Le référentiel") < titres.index("Matrice fiches × critères") \
        < titres.index("Annexes : les fiches d'évaluation") < titres.index("Licence et crédits")
    assert titres[-1] == "Licence et crédits"
    pages = [p for _, p in chapitres]
    assert pages == sorted(pages)
    couverture = texte(rapport, [0])
    assert "Construction d'un référentiel de l'utilité sociale de la médiation numérique" in couverture
    assert "Ville de Brest – Brest métropole" in couverture
    assert "version 1.0" in couverture and "Creative Commons" in couverture


def test_aucun_chapitre_ni_fiche_perdu(rapport):
    """The known failure mode: chapters silently missing. Every outline entry's
    page holds its title, every fiche has its own entry, page, notice and indicators."""
    toutes = entrees(rapport)
    for _niveau, titre, page in toutes:
        assert titre.split(" (")[0][:40] in texte(rapport, [page]), (titre, page)
    par_titre = {t: p for n, t, p in toutes}
    pages_fiches = sorted(par_titre[f["titre"]] for f in FICHES)
    assert len(set(pages_fiches)) == len(FICHES)
    for f in FICHES:
        debut = par_titre[f["titre"]]
        suivantes = [p for p in pages_fiches + [par_titre["Licence et crédits"]] if p > debut]
        corps = texte(rapport, range(debut, min(suivantes)))
        if f["statut"] == "exemple":
            assert "Fiche d'exemple" in corps and "n'ont pas été mesurées" in corps
        for contrib in f["contributions"]:
            for obs in contrib["indicateurs"]:
                assert obs["id"] in corps, (f["id"], obs["id"])
    assert entrees(rapport)[-1][1] in ("Licence et crédits", "Crédits", "Licence")


def test_tout_le_referentiel_est_dans_le_rapport(rapport):
    tout = texte(rapport)
    for ident in INDICATEURS:
        assert ident in tout
    for f in FICHES:
        assert f["titre"] in tout
    for d in CRITERES["dimensions"]:
        for c in d["criteres"]:
            assert c["titre"] in tout


def test_sommaire_avec_numeros_de_page_et_liens(rapport):
    sommaire = rapport.pages[1]
    lignes = texte(rapport, [1])
    assert "Sommaire" in lignes
    for f in FICHES:
        assert re.search(re.escape(f["titre"]) + r".{0,20}?\.{3,}\s*\d+", lignes), f["titre"]
    liens = [a.get_object() for a in sommaire.get("/Annots") or []]
    destinations = rapport.named_destinations
    cibles = [a["/Dest"] for a in liens if "/Dest" in a]
    assert len(cibles) >= len(FICHES) + 4
    assert all(c in destinations for c in cibles)


def test_pas_de_mobilier_web(rapport):
    tout = texte(rapport)
    for mot in ("Rechercher", "Aller au contenu", "Télécharger la fiche", "Made with", "Table des matières",
                "Par où commencer"):
        assert mot not in tout, mot


def test_pdf_de_chaque_fiche(site_livre):
    for f in FICHES:
        chemin = site_livre / "telechargements" / "fiches" / f"{f['id']}.pdf"
        reader = PdfReader(chemin)
        assert 1 <= len(reader.pages) <= 3, (f["id"], len(reader.pages))
        corps = texte(reader)
        assert f["titre"] in corps and f["acteur"]["nom"] in corps
        for contrib in f["contributions"]:
            for obs in contrib["indicateurs"]:
                assert obs["id"] in corps
        for autre in FICHES:
            if autre["id"] != f["id"]:
                assert autre["titre"] not in corps, (f["id"], autre["id"])
        assert "Adresse permanente de cette fiche" in corps and f"fiches/{f['id']}/" in corps
        assert "Creative Commons" in corps
        if f["statut"] == "exemple":
            assert "Fiche d'exemple" in corps
        assert reader.metadata.title.startswith(f["titre"])
        page = (site_livre / "fiches" / f["id"] / "index.html").read_text(encoding="utf-8")
        assert f'href="../../telechargements/fiches/{f["id"]}.pdf">Télécharger la fiche (PDF)</a>' in page
