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


def normaliser(t: str) -> str:
    """Text as a reader reads it: words hyphenated at a line's end joined
    (WeasyPrint's hyphen is U+2010), every space one space (no-break spaces
    of French typography included)."""
    return re.sub(r"\s+", " ", re.sub("\u2010\\s+", "", t))


def texte(reader: PdfReader, pages=None) -> str:
    numeros = range(len(reader.pages)) if pages is None else pages
    return normaliser(" ".join(texte_page(reader, i) for i in numeros))


def entrees(reader: PdfReader) -> list[tuple[int, str, int]]:
    """The outline (bookmarks) as (level, title, page index)."""
    out = []

    def walk(items, niveau):
        for item in items:
            if isinstance(item, list):
                walk(item, niveau + 1)
            else:
                out.append((niveau, normaliser(item.title), reader.get_destination_page_number(item)))

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
    """The metadata say what the document is: who built the référentiel, who
    produced this edition, from which data, and that its fiches are examples."""
    meta = rapport.metadata
    assert meta.title == "Construction d'un référentiel de l'utilité sociale de la médiation numérique"
    assert meta.author == ("Ville de Brest – Brest métropole et les acteurs de la médiation numérique "
                           "(référentiel, 2014–2015) ; Équipe du site du référentiel (édition numérique)")
    assert meta.subject.startswith("Édition numérique, produite le 2025-11-26 à partir des données version 1.0")
    assert f"Les {len(FICHES)} fiches de cette édition sont des exemples" in meta.subject
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
        < titres.index("Annexe A – Fiches d'exemple") < titres.index("Licence et crédits")
    assert titres[-1] == "Licence et crédits"
    pages = [p for _, p in chapitres]
    assert pages == sorted(pages)
    couverture = texte(rapport, [0])
    assert "Construction d'un référentiel de l'utilité sociale de la médiation numérique" in couverture
    assert "Ville de Brest – Brest métropole" in couverture
    assert "version 1.0" in couverture and "Creative Commons" in couverture


def test_la_couverture_dit_ce_qu_est_ce_document(rapport):
    """A reader must not take the examples for the city's measured results:
    the cover says who built the référentiel, who produced this edition, when,
    from which data, and that every fiche is an example."""
    couverture = texte(rapport, [0])
    assert "Rapport final" not in couverture and "Édition 2015" not in couverture
    for attendu in (
        "Édition numérique · données version 1.0 · produite le 26 novembre 2025",
        "Le référentiel a été construit en 2014–2015 par les acteurs brestois de la médiation numérique",
        "Éditeur du référentiel : Ville de Brest – Brest métropole.",
        "Cette édition numérique a été produite par l'équipe du site du référentiel",
        "Ce n'est pas le rapport final de la Ville de Brest, dont elle reprend le titre.",
        f"Les {len(FICHES)} fiches de cette édition sont des exemples",
        "aucune ne présente de résultat mesuré par un acteur",
    ):
        assert attendu in couverture, attendu


def test_les_fiches_d_exemple_ont_leur_annexe(rapport):
    """Every shipped fiche is an example: one annex, « Fiches d'exemple », says
    so in its first sentence and holds them all; no annex of actors' fiches."""
    toutes = entrees(rapport)
    titres = [t for n, t, _ in toutes if n == 1]
    assert not any(t.startswith("Annexe B") for t in titres)
    assert not any("Fiches des acteurs" in t for t in titres)
    debut = [i for i, (n, t, _) in enumerate(toutes) if t == "Annexe A – Fiches d'exemple"][0]
    page = toutes[debut][2]
    assert (f"Annexe A – Fiches d'exemple Cette annexe rassemble {len(FICHES)} fiches "
            "d'exemple, reconstituées par l'équipe du site") in texte(rapport, [page])
    assert "Aucune fiche d'acteur n'est encore publiée." in texte(rapport, [page])
    sous = [t for n, t, _ in toutes[debut + 1:debut + 1 + len(FICHES)]]
    assert sorted(sous) == sorted(f["titre"] for f in FICHES)


def test_aucun_chapitre_ni_fiche_perdu(rapport):
    """The known failure mode: chapters silently missing. Every outline entry's
    page holds its title, every fiche has its own entry, page, notice and indicators."""
    toutes = entrees(rapport)
    for _niveau, titre, page in toutes:
        assert normaliser(titre).split(" (")[0][:40] in texte(rapport, [page]), (titre, page)
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
        # Built without the site's public address (no SITE_URL): said plainly.
        assert "L'adresse de cette fiche sur le site n'est pas indiquée : ce PDF a été produit sans " \
               "l'adresse publique du site" in corps
        # One heading block: who, what, when, how to reach them (or that it is missing).
        for libelle in ("Acteur", "Type de structure", "Site web", "Période de l'action", "Mise à jour"):
            assert libelle in corps, (f["id"], libelle)
        assert "data/fiches" not in corps and ".yaml" not in corps
        assert "Creative Commons" in corps and "Licence et citation" in corps
        assert "Pour la citer" in corps and "Document produit le 26 novembre 2025" in corps
        if f["statut"] == "exemple":
            assert "Fiche d'exemple" in corps
        assert reader.metadata.title.startswith(f["titre"])
        page = (site_livre / "fiches" / f["id"] / "index.html").read_text(encoding="utf-8")
        assert f'href="../../telechargements/fiches/{f["id"]}.pdf">Télécharger la fiche (PDF)</a>' in page


def _referentiel_avec_statuts(tmp_path, statuts: dict[str, str]):
    """The shipped data, some fiches given another status."""
    from referentiel.lecture import charger

    import shutil
    shutil.copytree(ROOT / "data", tmp_path / "data")
    for ident, statut in statuts.items():
        chemin = tmp_path / "data" / "fiches" / f"{ident}.yaml"
        texte_yaml = re.sub(r"^statut: exemple$", f"statut: {statut}", chemin.read_text(encoding="utf-8"),
                            count=1, flags=re.M)
        chemin.write_text(texte_yaml, encoding="utf-8")
    return charger(tmp_path / "data").referentiel


def test_fiches_des_acteurs_et_exemples_en_annexes_separees(tmp_path):
    """Published fiches and examples in separate annexes, each with its heading
    and a sentence saying what it holds; the cover counts both."""
    from referentiel.sorties.pdf import ecrire_pdf, html_rapport

    ref = _referentiel_avec_statuts(tmp_path, {"kerederm": "publiee", "parlons-en": "proposee"})
    ecrire_pdf(html_rapport(ref, [], "2026-12-01"), tmp_path / "rapport.pdf")
    reader = PdfReader(tmp_path / "rapport.pdf")
    couverture = texte(reader, [0])
    assert ("Cette édition compte 2 fiches rédigées par les acteurs, dont 1 encore en relecture (annexe A), "
            f"et {len(FICHES) - 2} fiches d'exemple reconstituées par l'équipe du site, dont les valeurs n'ont "
            "pas été mesurées (annexe B).") in couverture
    toutes = entrees(reader)
    chapitres = {t: p for n, t, p in toutes if n == 1}
    a, b = chapitres["Annexe A – Fiches des acteurs"], chapitres["Annexe B – Fiches d'exemple"]
    assert a < b
    assert ("Cette annexe rassemble 2 fiches d'évaluation rédigées par les acteurs" in texte(reader, [a])
            and "Une fiche marquée « Proposée » est encore en relecture." in texte(reader, [a]))
    assert f"Cette annexe rassemble {len(FICHES) - 2} fiches d'exemple" in texte(reader, [b])
    par_titre = {t: p for n, t, p in toutes}
    titres = {f["id"]: f["titre"] for f in FICHES}
    assert a <= par_titre[titres["kerederm"]] < b and a <= par_titre[titres["parlons-en"]] < b
    assert par_titre[titres["intergeneration"]] >= b
    assert "Cette fiche illustre le format" not in texte(reader, [par_titre[titres["kerederm"]]])


def test_pdf_d_une_fiche_avec_l_adresse_du_site(tmp_path):
    """With the site's address (SITE_URL, set by the publish workflow), the
    fiche's PDF gives its permanent address as an absolute URL, and its
    metadata name the actor who wrote it."""
    from referentiel.sorties.pdf import CSS_FICHE_SEULE, ecrire_pdf, html_fiche

    ref = _referentiel_avec_statuts(tmp_path, {"kerederm": "publiee"})
    f = next(f for f in ref.fiches if f.id == "kerederm")
    ecrire_pdf(html_fiche(ref, f, "2026-12-01", "https://referentiel.example.org/"), tmp_path / "f.pdf",
               CSS_FICHE_SEULE)
    reader = PdfReader(tmp_path / "f.pdf")
    corps = texte(reader)
    assert "Adresse permanente de cette fiche : https://referentiel.example.org/fiches/kerederm/" in corps
    assert "n'est pas indiquée" not in corps and "Cette fiche illustre le format" not in corps
    assert reader.metadata.author == f.acteur.nom
    liens = [a.get_object()["/A"]["/URI"] for p in reader.pages for a in p.get("/Annots") or []
             if "/URI" in a.get_object().get("/A", {})]
    assert "https://referentiel.example.org/fiches/kerederm/" in liens


def test_typographie_francaise():
    """No-break spaces of French typography in the text, never in tags or code."""
    from referentiel.sorties.pdf.typographie import espaces_francaises

    assert espaces_francaises("<p>Statut : « exemple » ; valeurs ? oui !</p>") == \
        "<p>Statut\u00a0: «\u00a0exemple\u00a0»\u202f; valeurs\u202f? oui\u202f!</p>"
    # Spaces added inside « » only; none before a sign written without one.
    assert espaces_francaises("«<a href=\"a?b=c : d\">lien</a>» https://x.org/?a=1") == \
        "«\u00a0<a href=\"a?b=c : d\">lien</a>\u00a0» https://x.org/?a=1"
    assert espaces_francaises("<pre><code>a : b ?</code></pre> c : d") == "<pre><code>a : b ?</code></pre> c\u00a0: d"


def test_pdf_en_typographie_francaise(site_livre):
    """The printed fiche keeps « : » and « » with their no-break spaces, and
    is set in Charis SIL, embedded and subset."""
    chemin = site_livre / "telechargements" / "fiches" / "kerederm.pdf"
    reader = PdfReader(chemin)
    brut = "".join(p.extract_text() for p in reader.pages)
    assert "Kéréderm\u00a0: la méthode" in brut
    assert not re.search(r"\S [:;!?»]", brut), re.search(r".{30}\S [:;!?»].{10}", brut)
    polices = {str(ref.get_object()["/BaseFont"]) for p in reader.pages
               for ref in ((p.get("/Resources") or {}).get("/Font") or {}).values()}
    assert any(re.fullmatch(r"/[A-Z]{6}\+Charis-SIL", n) for n in polices), polices
