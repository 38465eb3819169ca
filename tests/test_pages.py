"""Each page kind, as a function of a one-fiche référentiel (no build).

What a reader meets on each generated page: its title, its links both ways,
its tables, the notices of an example fiche; and what each page declares it
shows, from which the preview picks the pages an edit touches.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import FICHE_VALIDE, creer_donnees

from referentiel.apercu import Apercu
from referentiel.lecture import charger
from referentiel.modele import Referentiel
from referentiel.pages import (
    Blocs,
    Rendu,
    Urls,
    ce_que_montrent_les_tableaux,
    matrice,
    nav_dimensions,
    page_critere,
    page_dimension,
    page_fiche,
    page_indicateur,
    pages,
    rendre,
    tableau_fiches,
    tableau_referentiel,
)
from referentiel.pages.macros import Macros

# The valid fiche of the validator tests, with a second criterion and a link.
FICHE = FICHE_VALIDE.replace("titre: Atelier d'essai", "titre: Atelier <témoin> & co") + (
    "  - critere: VE2\n"
    "    constats: Des habitants du quartier se rencontrent.\n"
    "    indicateurs:\n"
    "      - id: VE2.1\n"
    "        valeur: 30 personnes\n"
    "sources:\n"
    "  - titre: Compte rendu\n"
    "    url: https://exemple.org/cr\n")


def charger_ref(tmp_path: Path, fiches: dict[str, str]) -> Referentiel:
    res = charger(creer_donnees(tmp_path, fiches))
    assert res.ok, [str(p) for p in res.problemes]
    assert res.referentiel is not None
    return res.referentiel


@pytest.fixture
def ref(tmp_path) -> Referentiel:
    return charger_ref(tmp_path, {"essai.yaml": FICHE})


def test_page_de_fiche(ref):
    f = ref.fiches[0]
    md = page_fiche(Rendu(ref), f)
    # Front matter: JSON strings, escaped; the title escaped for Markdown too.
    assert md.startswith('---\ntitle: "Atelier &lt;témoin&gt; &amp; co"\n')
    assert "# Atelier &lt;témoin&gt; &amp; co\n" in md
    # An example says so, before anything else.
    assert '!!! warning "Fiche d\'exemple"' in md
    # Each criterion is a section with a stable anchor, linked to its page.
    assert "### EP1 · " in md and "{#ep1}" in md and "{#ve2}" in md
    assert '<a href="../../criteres/ep1/">EP1 · ' in md
    assert '<a href="../../indicateurs/ve2-1/">VE2.1 · ' in md
    assert '<a href="https://exemple.org/cr" rel="nofollow noopener">Compte rendu</a>' in md
    assert "Télécharger la fiche (PDF)" not in md
    assert "Télécharger la fiche (PDF)" in page_fiche(Rendu(ref, pdf_fiches=True), f)


def test_page_de_critere_mene_aux_constats(ref):
    c = ref.criteres["EP1"]
    md = page_critere(Rendu(ref), c)
    assert "## Fiches qui utilisent ce critère (1)\n" in md
    assert '<a href="../../fiches/essai/#ep1">Atelier &lt;témoin&gt; &amp; co</a>' in md
    assert "<p>Les participants osent davantage poser des questions.</p>" in md
    assert "utilisé par 1 fiche<" in md
    vide = page_critere(Rendu(ref), ref.criteres["TS1"])
    assert "Aucune fiche n'utilise encore ce critère." in vide


def test_page_d_indicateur_montre_les_valeurs(ref):
    md = page_indicateur(Rendu(ref), ref.indicateurs["EP1.1"])
    assert "## Fiches qui renseignent cet indicateur (1)\n" in md
    assert ('<td data-label="Valeur observée">12 séances</td>'
            '<td data-label="Source">feuilles d&#x27;émargement</td>') in md
    assert "Les fiches marquées « Exemple » illustrent le format" in md
    assert "renseigné par 1 fiche<" in md


def test_page_de_dimension(ref):
    d = next(d for d in ref.dimensions if d.id == "EP")
    md = page_dimension(Rendu(ref), d)
    assert f"# {d.titre}" in md
    assert "utilisée par 1 fiche<" in md
    assert '<a href="../../fiches/essai/">Atelier &lt;témoin&gt; &amp; co</a>' in md
    assert md.count('<tr><td data-label="Critère">') == len(d.criteres)


def test_tableaux_des_pages_ecrites(ref):
    r = Rendu(ref)
    ref_html = tableau_referentiel(r, "referentiel/")
    assert ref_html.count('<tr><td data-label="Indicateur">') == len(ref.indicateurs)
    filtres = json.loads(re.search(r'data-filtres="([^"]*)"', ref_html).group(1).replace("&quot;", '"'))
    assert [f["cle"] for f in filtres] == ["dimensions", "criteres", "type"]
    fiches_html = tableau_fiches(r, "fiches/")
    assert '<a href="essai/">Atelier &lt;témoin&gt; &amp; co</a>' in fiches_html
    assert "1 fiche marquée « Exemple » illustre le format" in fiches_html
    m = matrice(r, "matrice/")
    assert m.count('class="ref-oui"') == 2
    assert '<a href="../fiches/essai/#ve2">' in m


def test_sans_fiche_les_tableaux_le_disent(tmp_path):
    ref = charger_ref(tmp_path, {})
    assert tableau_fiches(Rendu(ref), "fiches/") == "<p>Aucune fiche n'est encore publiée.</p>"
    assert matrice(Rendu(ref), "matrice/") == "<p>Aucune fiche n'est encore publiée.</p>"
    assert Macros(Rendu(ref)).chiffres()["fiches"] == 0


def test_nav_des_dimensions(ref):
    nav = nav_dimensions(ref)
    assert len(nav) == len(ref.dimensions)
    premiere = next(iter(nav[0].values()))
    assert premiere[0] == {"Présentation de la dimension": f"dimensions/{ref.dimensions[0].slug}.md"}
    assert all("fiches/" not in json.dumps(n) for n in nav)


def test_chaque_page_declare_les_fiches_qu_elle_montre(ref):
    declarees = {p.src: p.fiches for p in pages(ref)}
    assert declarees["fiches/essai.md"] == {"essai"}
    assert declarees["criteres/ep1.md"] == {"essai"}
    assert declarees["indicateurs/ve2-1.md"] == {"essai"}
    assert declarees["indicateurs/ep1-2.md"] == frozenset()
    assert declarees["dimensions/ep.md"] == {"essai"}
    assert declarees["criteres/ts1.md"] == frozenset()
    # Every page of the site is declared once, and rendered from its declaration.
    rendues = rendre(Rendu(ref))
    assert set(rendues) == set(declarees)
    # + the fiche, + « Préparer son évaluation » (rendered again when the tables change).
    assert len(rendues) == len(ref.dimensions) + len(ref.criteres) + len(ref.indicateurs) + 2
    assert [p.src for p in pages(ref) if p.tableaux] == ["contribuer/preparer-son-evaluation.md"]
    seulement = rendre(Rendu(ref), seulement={"fiches/essai.md"})
    assert [s for s, md in seulement.items() if md is not None] == ["fiches/essai.md"]


def test_les_blocs_sont_remis_en_place(ref):
    blocs = Blocs()
    md = page_fiche(Rendu(ref, blocs=blocs), ref.fiches[0])
    assert "<table>" not in md and f"refbloc{blocs.nonce}n" in md
    assert "<table>" in blocs.expandre(md)
    # The same page, blank lines aside.
    assert re.sub(r"\n+", "\n", blocs.expandre(md)) == re.sub(r"\n+", "\n", page_fiche(Rendu(ref), ref.fiches[0]))


def test_liens_entre_pages_sans_url_de_dossier(ref):
    md = page_critere(Rendu(ref, Urls(use_directory_urls=False)), ref.criteres["EP1"])
    assert '<a href="../fiches/essai.html#ep1">' in md


# --------------------------------------------------------------------------
# The preview: which pages an edit of a fiche renders again


def test_apercu_choisit_les_pages_touchees(tmp_path):
    apercu = Apercu()
    autre = FICHE_VALIDE.replace("id: essai", "id: autre").replace("critere: EP1", "critere: TS1") \
        .replace("id: EP1.1", "id: TS1.1")
    ref = charger_ref(tmp_path, {"essai.yaml": FICHE, "autre.yaml": autre})
    premier = apercu.selectionner(ref, {f.fichier for f in ref.fiches}, (("mkdocs.yml", 1),))
    assert premier.pages is None and premier.message is None  # the first build renders everything
    essai = next(f.fichier for f in ref.fiches if f.id == "essai")

    # A finding of « essai » changes: its page, its criteria, their indicators and dimensions.
    modifiee = FICHE.replace("osent davantage", "osent un peu plus")
    ref = charger_ref(tmp_path, {"essai.yaml": modifiee})
    sel = apercu.selectionner(ref, {essai}, (("mkdocs.yml", 1),))
    assert sel.pages == {"fiches/essai.md", "criteres/ep1.md", "criteres/ve2.md", "indicateurs/ep1-1.md",
                         "indicateurs/ve2-1.md", "dimensions/ep.md", "dimensions/ve.md"}
    assert not sel.tableaux  # the tables show nothing of a finding
    assert sel.message == "Aperçu : 1 fiche(s) modifiée(s), 7 page(s) générée(s) reconstruite(s)"

    # Nothing read again: nothing rendered.
    assert apercu.selectionner(ref, set(), (("mkdocs.yml", 1),)).pages == set()

    # Its title changes: the tables of hand-written pages too.
    ref = charger_ref(tmp_path, {"essai.yaml": modifiee.replace("Atelier <témoin>", "Atelier")})
    sel = apercu.selectionner(ref, {essai}, (("mkdocs.yml", 1),))
    assert sel.tableaux and "fiches/essai.md" in sel.pages
    assert "contribuer/preparer-son-evaluation.md" in sel.pages

    # « autre » is removed: the pages that showed it, and its own page goes.
    (tmp_path / "data" / "fiches" / "autre.yaml").unlink()
    ref = charger_ref(tmp_path, {})
    sel = apercu.selectionner(ref, set(), (("mkdocs.yml", 1),))
    assert sel.supprimees == {"autre"}
    assert sel.pages == {"criteres/ts1.md", "indicateurs/ts1-1.md", "dimensions/ts.md",
                         "contribuer/preparer-son-evaluation.md"}
    assert sel.tableaux

    # Anything but the fiches changes: everything.
    sel = apercu.selectionner(ref, set(), (("mkdocs.yml", 2),))
    assert sel.pages is None and sel.message == "Aperçu : mkdocs.yml modifié, tout le site est reconstruit"


def test_ce_que_montrent_les_tableaux(ref):
    f = ref.fiches[0]
    avant = ce_que_montrent_les_tableaux(f)
    f.contributions[0].constats = "Autre chose."
    assert ce_que_montrent_les_tableaux(f) == avant
    f.titre = "Nouveau titre"
    assert ce_que_montrent_les_tableaux(f) != avant
