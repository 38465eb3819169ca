"""The pages of the référentiel's versions (issue 17), in the built site.

Two sites are built once for the module: the shipped data (version 1.0) and
the same data released as 1.1 by ``conftest.creer_version_suivante`` (VE2.4
added, EP1.1 reworded, VE2.3 retired and replaced by VE2.4; the fiche
« intergeneration » still reports VE2.3). The tests read the 1.1 site's
HTML as a reader meets it: the retired indicator's page, its replacement's,
« Versions et changements », the comparison of 1.0 and 1.1, the history on
EP1.1's page, the fiche; every page of the 1.0 site is still there in 1.1.
In Chromium, at 375 and 1280 px: nothing overflows, axe-core finds nothing,
and the form « Comparer deux versions » goes to the chosen pair's page.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import (
    DATE_SUIVANTE,
    ROOT,
    Visite,
    construire,
    creer_donnees,
    creer_projet,
    creer_version_suivante,
    servir,
)
from test_tableaux_largeurs import verifier_tables

import referentiel.lecture
from referentiel.modele import Retrait
from referentiel.pages import Rendu, matrice, nav_dimensions, page_critere, page_dimension, page_fiche, pages
from referentiel.pages import page_indicateur, page_versions
from referentiel.pages.graphiques import graphiques
from referentiel.pages.macros import Macros

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
TAGS_WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LARGEURS = {"telephone": {"width": 375, "height": 800}, "ordinateur": {"width": 1280, "height": 900}}
VERSIONS, COMPARAISON, RETIRE = "versions/", "versions/1.0-1.1/", "indicateurs/ve2-3/"
ANCIEN_EP11 = "Nombre de séances tenues et nombre de participants différents sur la période."
NOUVEAU_EP11 = "Nombre de séances tenues et de participants différents sur la période évaluée."


# ---------------------------------------------------------------------------
# The two sites, and a small reader of their HTML


def _projet(dossier: Path, suivante: bool) -> Path:
    projet = creer_projet(dossier)
    data = creer_donnees(projet, avec_fiches_livrees=True)
    shutil.copytree(ROOT / "data" / "versions", data / "versions")
    if suivante:
        creer_version_suivante(data)
    return projet


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Path]:
    """The built sites of version 1.0 (the shipped data) and of version 1.1."""
    out = {}
    for nom, suivante in (("1.0", False), ("1.1", True)):
        projet = _projet(tmp_path_factory.mktemp(f"site-{nom}"), suivante)
        sortie = construire(projet)
        assert sortie.code == 0, sortie.stderr
        out[nom] = projet / "site"
    return out


@pytest.fixture(scope="module")
def site(sites) -> Path:
    return sites["1.1"]


@pytest.fixture(scope="module")
def ref11(tmp_path_factory):
    """The 1.1 référentiel as the model has it (for the pages rendered in Python)."""
    data = creer_version_suivante(_projet(tmp_path_factory.mktemp("modele"), False) / "data")
    resultat = referentiel.lecture.charger(data)
    assert not resultat.problemes
    return resultat.referentiel


VIDES = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Noeud:
    """An element of a page: its tag, attributes, children (elements and text)."""

    def __init__(self, tag: str, attrs: dict, parent: Noeud | None):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.enfants: list[Noeud | str] = []

    def texte(self) -> str:
        """The text, spaces collapsed (without the headings' « ¶ » permalinks)."""
        parties = [e if isinstance(e, str) else e.texte() for e in self.enfants
                   if isinstance(e, str) or "headerlink" not in e.attrs.get("class", "").split()]
        return " ".join("".join(parties).split())

    def tous(self, tag: str | None = None, classe: str | None = None, **attrs) -> list[Noeud]:
        out = []
        for e in self.enfants:
            if isinstance(e, str):
                continue
            if ((tag is None or e.tag == tag) and (classe is None or classe in e.attrs.get("class", "").split())
                    and all(e.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())):
                out.append(e)
            out += e.tous(tag, classe, **attrs)
        return out

    def un(self, tag: str | None = None, classe: str | None = None, **attrs) -> Noeud:
        trouves = self.tous(tag, classe, **attrs)
        assert trouves, f"aucun élément {tag or ''}.{classe or ''} {attrs}"
        return trouves[0]

    def liens(self) -> dict[str, str]:
        """The text of each link -> its href."""
        return {a.texte(): a.attrs.get("href", "") for a in self.tous("a")}


class _Arbre(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.racine = self.courant = Noeud("#document", {}, None)

    def handle_starttag(self, tag, attrs):
        n = Noeud(tag, {k: v or "" for k, v in attrs}, self.courant)
        self.courant.enfants.append(n)
        if tag == "br":
            self.courant.enfants.append("\n")
        if tag not in VIDES:
            self.courant = n

    def handle_endtag(self, tag):
        n = self.courant
        while n is not None and n.tag != tag:
            n = n.parent
        if n is not None and n.parent is not None:
            self.courant = n.parent

    def handle_data(self, data):
        self.courant.enfants.append(data)


def section(article: Noeud, titre: str) -> str:
    """The text of a page's section: what follows its heading (h2), up to the next h2."""
    enfants = [e for e in article.enfants if not isinstance(e, str)]
    debut = next(k for k, e in enumerate(enfants) if e.tag == "h2" and e.texte() == titre)
    fin = next((k for k, e in enumerate(enfants) if k > debut and e.tag == "h2"), len(enfants))
    return " ".join(e.texte() for e in enfants[debut + 1:fin])


def page(site: Path, url: str) -> Noeud:
    """The content of a built page (its <article>)."""
    arbre = _Arbre()
    arbre.feed((site / url / "index.html").read_text(encoding="utf-8"))
    return arbre.racine.un("article")


# ---------------------------------------------------------------------------
# The retired item's page, and its replacement's


def test_la_page_d_un_indicateur_retire_le_dit_en_tete(site):
    article = page(site, RETIRE)
    premiers = [e for e in article.enfants if not isinstance(e, str)]
    assert premiers[0].tag == "h1" and premiers[0].texte().startswith("VE2.3 · ")
    # The warning box, right under the title, as the « Fiche d'exemple » one.
    boite = article.un("div", "admonition")
    assert "warning" in boite.attrs["class"].split()
    assert boite.un("p", "admonition-title").texte() == "Retiré dans la version 1.1"
    assert article.tous("div", "admonition")[0] is boite
    texte = boite.texte()
    assert "Cet indicateur ne fait plus partie du référentiel depuis la version 1.1, du 1er décembre 2026." in texte
    assert "Pourquoi : Trop proche de VE2.2 ; VE2.4 mesure la durée." in texte
    liens = boite.liens()
    remplacant = next(t for t in liens if t.startswith("VE2.4 · "))
    assert liens[remplacant] == "../ve2-4/"
    assert "Remplacé par : VE2.4 · Part des participants qui gardent un contact régulier" in texte
    assert "Fiche qui l'utilise encore : Intergénér@tion" in texte
    assert liens["Intergénér@tion"] == "../../fiches/intergeneration/"
    assert liens["version 1.1"] == "../../versions/#version-1-1"
    # The page keeps its text and what the fiche observed.
    assert "Entretien individuel ou questionnaire de suivi" in article.texte()
    assert "Fiches qui renseignent cet indicateur (1)" in article.texte()
    # The browser's tab says it too.
    titre = (site / RETIRE / "index.html").read_text(encoding="utf-8").split("<title>", 1)[1].split("</title>")[0]
    assert titre.startswith("VE2.3 · ") and "(retiré)" in titre


def test_le_remplacant_dit_ce_qu_il_remplace(site):
    article = page(site, "indicateurs/ve2-4/")
    ident = article.un("dl", "ref-fiche-id")
    dts = [dt.texte() for dt in ident.tous("dt")]
    dds = ident.tous("dd")
    remplace = dds[dts.index("Remplace")]
    assert remplace.texte().startswith("VE2.3 · Évolution du sentiment d'isolement")
    assert remplace.texte().endswith("(retiré dans la version 1.1)")
    assert remplace.liens()[next(iter(remplace.liens()))] == "../ve2-3/"
    assert not article.tous("div", "admonition")
    historique = section(article, "Historique")
    assert "Dans le référentiel depuis la version 1.1, du 1er décembre 2026." in historique
    assert "Version 1.1, 1er décembre 2026 : ajouté au référentiel. Pourquoi : Mesurer la durée des liens créés." in historique


# ---------------------------------------------------------------------------
# History on each page


def test_historique_de_ep1_1(site):
    article = page(site, "indicateurs/ep1-1/")
    assert article.un("h1").texte().startswith(f"EP1.1 · {NOUVEAU_EP11}")
    historique = section(article, "Historique")
    assert historique.startswith("Dans le référentiel depuis la version 1.0, du 26 novembre 2026.")
    assert "Version 1.1, 1er décembre 2026 : texte modifié (libellé). Pourquoi : Préciser la période." in historique
    table = next(t for t in article.tous("table") if "avant et après la version 1.1" in t.un("caption").texte())
    ligne = table.un("tbody").un("tr")
    assert ligne.un("th").texte() == "Libellé"
    assert ligne.un("td", "ref-texte-avant").texte() == ANCIEN_EP11
    assert ligne.un("td", "ref-texte-apres").texte() == NOUVEAU_EP11
    # The words taken out and put in are marked.
    assert [d.texte() for d in ligne.tous("del")] == ["nombre", "période."]
    assert [i.texte() for i in ligne.tous("ins")] == ["période évaluée."]


def test_historique_d_un_critere_et_d_une_dimension_sans_changement(site):
    for url, quoi in (("criteres/ve2/", "critère"), ("dimensions/ve/", "dimension")):
        assert section(page(site, url), "Historique") == ("Dans le référentiel depuis la version 1.0, du 26 novembre 2026. "
                                   "Son texte n'a pas changé depuis."), quoi


# ---------------------------------------------------------------------------
# « Versions et changements »


def test_page_versions_et_changements(site):
    article = page(site, VERSIONS)
    assert article.un("h1").texte() == "Versions et changements"
    titres = [h.texte() for h in article.tous("h2")]
    assert titres == ["Comparer deux versions", "Version 1.1 · 1er décembre 2026", "Version 1.0 · 26 novembre 2026"]
    texte = article.texte()
    assert "Version actuelle : 1.1, du 1er décembre 2026 (4 dimensions, 14 critères et 42 indicateurs)." in texte
    v11 = texte.split("Version 1.1 · 1er décembre 2026", 1)[1].split("Version 1.0 · 26 novembre 2026")[0]
    assert "Un indicateur d'impact du lien social remplace VE2.3, et EP1.1 est reformulé." in v11
    assert "Ajouts (1) Indicateur VE2.4 · Part des participants" in v11
    assert "Pourquoi : Mesurer la durée des liens créés." in v11
    assert f"Modifications (1) Indicateur EP1.1 · {NOUVEAU_EP11} Texte modifié : libellé" in v11
    assert "Retraits (1) Indicateur VE2.3 · Évolution du sentiment d'isolement" in v11
    assert "Remplacé par : VE2.4 · Part des participants" in v11
    v10 = texte.split("Version 1.0 · 26 novembre 2026", 1)[1]
    assert "Elle compte 4 dimensions, 14 critères et 42 indicateurs." in v10
    liens = article.liens()
    for debut, href in (("VE2.4 · ", "../indicateurs/ve2-4/"), ("EP1.1 · ", "../indicateurs/ep1-1/"),
                        ("VE2.3 · ", "../indicateurs/ve2-3/")):
        assert any(t.startswith(debut) and h == href for t, h in liens.items()), debut
    assert liens["l'ancien et le nouveau texte"] == "1.0-1.1/#modifies"
    assert liens["Comparer avec la version 1.0"] == "1.0-1.1/"
    # Without JavaScript: a list of every comparison (the form is hidden until its script runs).
    assert liens["De la version 1.0 à la version 1.1"] == "1.0-1.1/"
    formulaire = article.un("form", "ref-comparer")
    assert "hidden" in formulaire.attrs
    assert [o.attrs["value"] for o in formulaire.un("select", id="ref-comparer-de").tous("option")] == ["1.1", "1.0"]
    donnees = json.loads(article.un("script", id="ref-comparaisons").texte())
    assert donnees["paires"] == [{"de": "1.0", "a": "1.1", "url": "1.0-1.1/"}]


def test_versions_dans_le_menu_et_sur_la_page_du_referentiel(site):
    html = (site / "referentiel" / "index.html").read_text(encoding="utf-8")
    arbre = _Arbre()
    arbre.feed(html)
    menu = arbre.racine.un("nav", classe="md-nav--primary")
    assert menu.liens()["Versions et changements"] == "../versions/"
    article = arbre.racine.un("article")
    version = article.un("p", "ref-version")
    assert version.texte().startswith("Version 1.1 du référentiel, du 1er décembre 2026")
    assert version.liens()["Versions et changements"] == "../versions/"
    # The section « Le référentiel » still opens on its framework table, not on the versions.
    assert menu.liens().get("Le référentiel") != "../versions/"


# ---------------------------------------------------------------------------
# The comparison of two versions


def test_page_de_comparaison(site):
    article = page(site, COMPARAISON)
    assert article.un("h1").texte() == "De la version 1.0 à la version 1.1"
    assert [h.texte() for h in article.tous("h2")] == ["Ajoutés (1)", "Modifiés (1)", "Retirés (1)"]
    tables = {t.un("caption").texte(): t for t in article.tous("table")}
    ajoutes = tables["Éléments ajoutés de la version 1.0 à la version 1.1"]
    ligne = ajoutes.un("tbody").un("tr")
    assert ligne.texte().startswith("Indicateur VE2.4 · Part des participants qui gardent un contact")
    assert ligne.liens()["VE2 · Lien social"] == "../../criteres/ve2/"
    modifies = tables["Textes modifiés : la version 1.0 et la version 1.1 côte à côte"]
    assert [th.texte() for th in modifies.un("thead").tous("th")] == ["Champ", "Version 1.0", "Version 1.1"]
    groupe, champ = modifies.un("tbody").tous("tr")
    assert groupe.texte() == f"Indicateur EP1.1 · {NOUVEAU_EP11} Pourquoi : Préciser la période."
    # Old and new wording in the same row, side by side.
    assert [c.texte() for c in champ.tous("td")] == [ANCIEN_EP11, NOUVEAU_EP11]
    retires = tables["Éléments retirés de la version 1.0 à la version 1.1"]
    ligne = retires.un("tbody").un("tr")
    cellules = ligne.tous("td")
    assert cellules[0].texte().startswith("Indicateur VE2.3 · Évolution du sentiment d'isolement")
    assert cellules[1].texte().startswith("VE2.4 · Part des participants")
    assert cellules[1].liens()[cellules[1].texte()] == "../../indicateurs/ve2-4/"
    assert cellules[2].texte() == "Trop proche de VE2.2 ; VE2.4 mesure la durée."
    # Every table readable on a phone: a caption, column headers, each cell labelled.
    assert verifier_tables((site / COMPARAISON / "index.html").read_text(encoding="utf-8")) == 3


# ---------------------------------------------------------------------------
# The fiche that still reports the retired indicator


def test_la_fiche_dit_sa_version_et_signale_l_indicateur_retire(site):
    article = page(site, "fiches/intergeneration/")
    ident = article.un("dl", "ref-fiche-id")
    dts = [dt.texte() for dt in ident.tous("dt")]
    dd = ident.tous("dd")[dts.index("Version du référentiel")]
    assert dd.texte() == ("Rédigée avec la version 1.0 du référentiel ; version actuelle : 1.1 "
                          "(ce qui a changé depuis)")
    assert dd.liens() == {"version 1.0": "../../versions/#version-1-0",
                          "ce qui a changé depuis": "../../versions/1.0-1.1/"}
    table = next(t for t in article.tous("table") if t.un("caption").texte().endswith("critère VE2"))
    lignes = {tr.un("td").texte().split(" · ")[0]: tr for tr in table.un("tbody").tous("tr")}
    retire = lignes["VE2.3"].un("td")
    assert retire.un("span", "ref-retire").texte() == "Retiré dans la version 1.1"
    assert "Remplacé par : VE2.4 · Part des participants" in retire.texte()
    assert any(h == "../../indicateurs/ve2-4/" for h in retire.liens().values())
    assert not lignes["VE2.1"].tous("span", "ref-retire")


# ---------------------------------------------------------------------------
# Lists and counts: a retired item is marked, and not counted as in force


def test_listes_et_comptes(site):
    critere = page(site, "criteres/ve2/")
    assert "3 indicateurs (et 1 retiré)" in critere.un("p", "ref-meta").texte()
    table = critere.un("table")
    lignes = {tr.un("td").texte(): tr for tr in table.un("tbody").tous("tr")}
    assert "Retiré dans la version 1.1 remplacé par VE2.4" in lignes["VE2.3"].texte()
    assert list(lignes) == ["VE2.1", "VE2.2", "VE2.3", "VE2.4"]
    assert "indicateurs renseignés : VE2.1, VE2.3 (retiré)" in critere.texte()

    tableau = page(site, "referentiel/")
    meta = tableau.tous("p", "ref-meta")[0].texte()
    assert meta.startswith("4 dimensions, 14 critères, 42 indicateurs (")
    assert meta.endswith("Retirés mais gardés dans le tableau, marqués « retiré » : 1 indicateur.")
    ligne = next(tr for tr in tableau.un("table").tous("tr") if tr.texte().startswith("VE2.3 · "))
    assert ligne.un("span", "ref-retire").texte() == "Retiré dans la version 1.1"
    assert "9 indicateurs (et 1 retiré)" in tableau.texte()  # the heading of « Vivre ensemble »

    accueil = _Arbre()
    accueil.feed((site / "index.html").read_text(encoding="utf-8"))
    assert "4 dimensions, 14 critères, 42 indicateurs et 7 fiches" in accueil.racine.un("article").texte()

    chiffres = page(site, "chiffres/")
    figure = chiffres.un("figure", id="graphique-types")
    assert figure.un("figcaption").texte() == "Nombre d'indicateurs du référentiel par type, sans l'indicateur retiré"
    assert "42 indicateurs en tout, sans l'indicateur retiré." in figure.un("desc").texte()


def test_un_critere_et_une_dimension_retires_sont_marques_partout(ref11):
    """No criterion or dimension is retired in the fixture: one of each, retired in the model."""
    ve = next(d for d in ref11.dimensions if d.id == "VE")
    ve3 = ref11.criteres["VE3"]
    ve3.retire = Retrait("1.1", ["VE2"])
    ve.retire = Retrait("1.1", [])
    try:
        r = Rendu(ref11)
        md = page_critere(r, ve3)
        assert '!!! warning' not in md and '<p class="admonition-title">Retiré dans la version 1.1</p>' in md
        assert "Ce critère ne fait plus partie du référentiel" in md
        assert 'Remplacé par :</strong> <a href="../ve2/">VE2 · Lien social</a>' in md
        md = page_dimension(r, ve)
        assert '<p class="admonition-title">Retirée dans la version 1.1</p>' in md
        assert "Cette dimension ne fait plus partie du référentiel" in md and "Aucun élément ne la remplace." in md
        assert "2 critères (et 1 retiré)" in md
        assert "Retiré dans la version 1.1</span>" in md  # VE3's row in the dimension's table
        assert "Remplace :</strong> " in page_critere(r, ref11.criteres["VE2"])
        menu = next(x for x in nav_dimensions(ref11) if "Vivre ensemble" in next(iter(x)))
        assert next(iter(menu)) == "Vivre ensemble (retirée)"
        assert {"VE3 · Participation citoyenne (retiré)": "criteres/ve3.md"} in menu["Vivre ensemble (retirée)"]
        m = matrice(r, "matrice/")
        assert ('<a href="../criteres/ve3/" title="Participation citoyenne">VE3</a><br>'
                '<span class="ref-retire">retiré</span>') in m
        # Charts: the bar stays, named as retired; the home page counts and shows what is in force.
        assert "VE3 · Participation citoyenne (retiré)" in graphiques(ref11, "chiffres/", r.urls)
        macros = Macros(r)
        assert macros.chiffres()["dimensions"] == 3 and macros.chiffres()["criteres"] == 13
        accueil = macros.entrees_accueil("")
        assert "Vivre ensemble" not in accueil and accueil.count('class="ref-accueil__carte"') == 3
    finally:
        ve3.retire = None
        ve.retire = None


# ---------------------------------------------------------------------------
# No URL of 1.0 is lost in 1.1


def test_chaque_adresse_de_la_1_0_existe_dans_la_1_1(sites):
    def pages_de(site: Path) -> set[str]:
        return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}

    avant, apres = pages_de(sites["1.0"]), pages_de(sites["1.1"])
    for dossier, nombre in (("dimensions/", 4), ("criteres/", 14), ("indicateurs/", 42)):
        assert len([p for p in avant if p.startswith(dossier)]) == nombre, dossier
    assert avant - apres == set()
    assert apres - avant == {"indicateurs/ve2-4/index.html", "versions/1.0-1.1/index.html"}
    # The retired indicator's page is still where it was.
    assert "indicateurs/ve2-3/index.html" in apres


# ---------------------------------------------------------------------------
# In Python: nothing without versions, contributed text escaped


def test_rien_sans_versions(tmp_path):
    resultat = referentiel.lecture.charger(creer_donnees(tmp_path, avec_fiches_livrees=True))
    assert not resultat.problemes
    ref = resultat.referentiel
    assert ref.versions == []
    r = Rendu(ref)
    assert not [p.src for p in pages(ref) if p.src.startswith("versions")]
    assert "Historique" not in page_indicateur(r, ref.indicateurs["EP1.1"])
    assert "Historique" not in page_critere(r, ref.criteres["EP1"])
    assert "Version du référentiel" not in page_fiche(r, ref.fiches[0])


def test_le_texte_du_journal_reste_echappe(ref11):
    v = ref11.versions[-1]
    avant = v.changements
    v.changements = tuple(dataclasses.replace(c, raison="<script>alert(1)</script> & co") for c in avant)
    try:
        r = Rendu(ref11)
        for md in (page_versions(r), page_indicateur(r, ref11.indicateurs["VE2.3"]),
                   page_indicateur(r, ref11.indicateurs["EP1.1"])):
            assert "<script>alert" not in md
            assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in md
    finally:
        v.changements = avant
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", DATE_SUIVANTE)


# ---------------------------------------------------------------------------
# In Chromium, at a phone's and a desktop's width


@pytest.fixture(scope="module")
def serveur(site):
    if not AXE.exists():
        pytest.fail(f"axe-core introuvable ({AXE.relative_to(ROOT)}) : lancez « npm ci »")
    with servir(site) as url:
        yield url


def _violations(p) -> list[dict]:
    p.add_script_tag(path=str(AXE))
    return p.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, "
                      "resultTypes: ['violations']}).then(r => r.violations)", TAGS_WCAG)


@pytest.mark.parametrize("largeur", list(LARGEURS))
# The three pages of the issue, and two that show a retired indicator in a table.
@pytest.mark.parametrize("chemin", [VERSIONS, COMPARAISON, RETIRE, "fiches/intergeneration/", "criteres/ve2/"])
def test_lisible_et_accessible(navigateur, serveur, chemin, largeur):
    v = Visite(navigateur, serveur, viewport=LARGEURS[largeur])
    try:
        p = v.ouvrir(chemin)
        largeur_page = p.evaluate("() => document.documentElement.scrollWidth")
        assert largeur_page <= LARGEURS[largeur]["width"], f"/{chemin} déborde : {largeur_page} px"
        # No box scrolls sideways either (Material's table wrapper, say).
        debordes = p.evaluate("""() => [...document.querySelectorAll('article *')]
            .filter(e => e.clientWidth > 1 && e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible')
            .map(e => e.tagName + '.' + e.className)""")
        assert debordes == [], debordes
        violations = _violations(p)
        assert violations == [], "\n".join(f"{x['id']} : {x['help']} ({x['nodes'][0]['target']})" for x in violations)
        assert v.erreurs_js == [] and v.externes == []
    finally:
        v.fermer()


def test_au_telephone_l_ancien_et_le_nouveau_texte_tiennent_dans_l_ecran(navigateur, serveur):
    v = Visite(navigateur, serveur, viewport=LARGEURS["telephone"])
    try:
        p = v.ouvrir(COMPARAISON)
        for classe, texte in (("ref-texte-avant", ANCIEN_EP11), ("ref-texte-apres", NOUVEAU_EP11)):
            cellule = p.locator(f"td.{classe}")
            assert " ".join(cellule.inner_text().split()).endswith(texte)
            boite = cellule.bounding_box()
            assert boite["x"] >= 0 and boite["x"] + boite["width"] <= 375, (classe, boite)
        # Each value follows its column's label (the table's headers are for screen readers).
        assert p.locator("td.ref-texte-avant").evaluate(
            "e => getComputedStyle(e, '::before').content").startswith('"Version 1.0')
    finally:
        v.fermer()


def test_le_formulaire_mene_a_la_comparaison_choisie(navigateur, serveur):
    v = Visite(navigateur, serveur, viewport=LARGEURS["telephone"])
    try:
        p = v.ouvrir(VERSIONS)
        formulaire = p.locator("form.ref-comparer")
        assert formulaire.is_visible()
        p.select_option("#ref-comparer-de", "1.1")
        p.select_option("#ref-comparer-a", "1.0")
        p.get_by_role("button", name="Comparer").click()
        message = p.locator(".ref-comparer__message")
        assert "plus ancienne" in message.inner_text()
        assert p.url.endswith("/versions/")
        p.select_option("#ref-comparer-de", "1.0")
        p.select_option("#ref-comparer-a", "1.1")
        with p.expect_navigation():
            p.get_by_role("button", name="Comparer").click()
        assert p.url.endswith("/versions/1.0-1.1/")
        assert v.erreurs_js == []
    finally:
        v.fermer()


def test_sans_javascript_une_liste_de_liens(navigateur, serveur):
    v = Visite(navigateur, serveur, javascript=False)
    try:
        p = v.ouvrir(VERSIONS)
        assert not p.locator("form.ref-comparer").is_visible()
        lien = p.get_by_role("link", name="De la version 1.0 à la version 1.1")
        assert lien.is_visible()
        lien.click()
        p.wait_for_url("**/versions/1.0-1.1/")
    finally:
        v.fermer()


def test_le_formulaire_signale_l_indicateur_retire(navigateur, serveur):
    """« Proposer une fiche » still offers VE2.3 (a fiche being updated may
    report it), and says it is retired and what to report instead."""
    v = Visite(navigateur, serveur, viewport=LARGEURS["telephone"])
    try:
        p = v.ouvrir("contribuer/proposer-une-fiche/")
        p.check("#ff-c-ve2")
        etiquette = p.locator("label[for='ff-i-ve2-3']")
        assert etiquette.is_visible()
        assert "Retiré dans la version 1.1 : renseignez plutôt VE2.4" in etiquette.inner_text()
        assert "Retiré" not in p.locator("label[for='ff-i-ve2-4']").inner_text()
        assert v.erreurs_js == []
    finally:
        v.fermer()


def test_l_index_de_recherche_marque_ce_qui_est_retire(ref11):
    """The search index carries « Retiré dans la version 1.1 » for VE2.3, and nothing for VE2.4."""
    from referentiel.pages import Urls
    from referentiel.sorties import recherche

    metas = recherche.metas(ref11, Urls())
    assert metas["indicateurs/ve2-3/"].retire == "Retiré dans la version 1.1"
    assert metas["indicateurs/ve2-4/"].retire is None and metas["criteres/ve2/"].retire is None
    page = ('<html><body><article class="md-content__inner md-typeset"><h1>VE2.3</h1></article></body></html>')
    copie = recherche.copie_a_indexer(page, metas["indicateurs/ve2-3/"])
    assert 'data-pagefind-meta="retire:Retiré dans la version 1.1"' in copie


def test_la_recherche_dit_qu_un_indicateur_est_retire(navigateur, serveur):
    """Searching « VE2.3 » on the 1.1 site: its result says it is retired; VE2.4's does not."""
    v = Visite(navigateur, serveur, viewport=LARGEURS["ordinateur"])
    try:
        p = v.ouvrir("")
        p.locator("input.md-search__input").click()
        p.locator("input.md-search__input").press_sequentially("isolement", delay=15)
        p.wait_for_function("() => document.querySelector('[data-ref-recherche]')"
                            ".getAttribute('data-ref-resultats') === 'isolement'", timeout=20_000)
        # Each result's page link (the first of its item; the others are its sections).
        resultats = p.evaluate("""() => [...document.querySelectorAll('.md-search-result__item')]
            .map(li => li.querySelector(':scope > a')).filter(a => a).map(a =>
            [new URL(a.href).pathname, (a.querySelector('.ref-recherche__retire') || {}).textContent || ''])""")
        par_page = dict(resultats)
        assert par_page.get("/indicateurs/ve2-3/") == "Retiré dans la version 1.1", resultats
        assert all(texte == "" for chemin, texte in resultats if chemin != "/indicateurs/ve2-3/"), resultats
        assert v.erreurs_js == []
    finally:
        v.fermer()
