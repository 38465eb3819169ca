"""The site's data tables on a phone and on a desktop, and their HTML.

Every data table is built by ``pages.blocs.tableau``: a real ``<table>``
(caption, ``th scope="col"``), each cell carrying its column's header as
``data-label``. Below 720 px (docs/stylesheets/tableaux.css) each row is
stacked, every value after its column's label: in Chromium at 375 px, the
label and a value of every column are inside the viewport, and neither the
page nor the table's box scrolls sideways. The framework table is grouped
by dimension and criterion. (The matrix: tests/test_matrice.py.)
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from conftest import ROOT, Visite, servir

import referentiel.lecture
from referentiel.pages import page_critere, page_dimension, page_fiche, page_indicateur
from referentiel.pages.blocs import etiqueter, tableau
from referentiel.pages.commun import Rendu
from referentiel.pages.graphiques import graphiques
from referentiel.pages.tableaux import tableau_fiches, tableau_referentiel

TELEPHONE = {"width": 375, "height": 800}
ORDINATEUR = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def ref():
    resultat = referentiel.lecture.charger(ROOT / "data")
    assert not resultat.problemes
    return resultat.referentiel


def pages_a_tableaux(ref) -> dict[str, str]:
    """One page of each type that has a data table (shipped data)."""
    fiche = max(ref.fiches, key=lambda f: len(f.contributions))
    indicateur = next(i for i in ref.indicateurs.values() if ref.observations.get(i.id))
    critere = next(c for c in ref.criteres.values() if ref.fiches_par_critere.get(c.id))
    return {
        "fiche": f"fiches/{fiche.id}/",
        "indicateur": f"indicateurs/{indicateur.id.lower().replace('.', '-')}/",
        "critere": f"criteres/{critere.id.lower()}/",
        "dimension": f"dimensions/{ref.dimensions[0].id.lower()}/",
        "fiches": "fiches/",
        "referentiel": "referentiel/",
        "chiffres": "chiffres/",
    }


TYPES = ["fiche", "indicateur", "critere", "dimension", "fiches", "referentiel", "chiffres"]


# ---------------------------------------------------------------------------
# The HTML: real tables, every cell labelled from Python


class _Tables(HTMLParser):
    """Each <table>: its caption, its column headers (with scope) and its body
    rows as lists of (tag, attributes)."""

    def __init__(self):
        super().__init__()
        self.tables: list[dict] = []
        self._t: dict | None = None
        self._zone = ""
        self._texte: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self._t = {"caption": None, "entetes": [], "lignes": [], "attrs": a}
            self.tables.append(self._t)
        elif self._t is None:
            return
        elif tag == "caption":
            self._texte = []
        elif tag in ("thead", "tbody", "tfoot"):
            self._zone = tag
        elif tag == "tr" and self._zone == "tbody":
            self._t["lignes"].append({"attrs": a, "cellules": []})
        elif tag in ("th", "td"):
            if self._zone == "thead":
                self._t["entetes"].append(a)
                self._texte = []
            elif self._zone == "tbody":
                self._t["lignes"][-1]["cellules"].append((tag, a))

    def handle_endtag(self, tag):
        if self._t is None:
            return
        if tag == "caption":
            self._t["caption"] = "".join(self._texte).strip()
            self._texte = None
        elif tag == "th" and self._zone == "thead":
            self._t["entetes"][-1]["texte"] = "".join(self._texte).strip()
            self._texte = None
        elif tag == "table":
            self._t = None

    def handle_data(self, data):
        if self._texte is not None:
            self._texte.append(data)


def tables_de(html: str) -> list[dict]:
    p = _Tables()
    p.feed(html)
    return p.tables


def verifier_tables(html: str) -> int:
    """Every table of ``html``: caption, th scope=col, each body cell labelled
    with its column's header (a group heading, spanning every column, is not)."""
    tables = tables_de(html)
    for t in tables:
        assert t["caption"], t
        assert t["entetes"] and all(e.get("scope") == "col" for e in t["entetes"])
        noms = [e["texte"] for e in t["entetes"]]
        assert t["lignes"]
        for ligne in t["lignes"]:
            if "data-groupe" in ligne["attrs"]:
                (balise, a), = ligne["cellules"]
                assert balise == "th" and a.get("colspan") == str(len(noms)) and "data-label" not in a
                continue
            assert [a.get("data-label") for _, a in ligne["cellules"]] == noms, (t["caption"], ligne)
    return len(tables)


def test_chaque_tableau_est_une_vraie_table_etiquetee(ref):
    r = Rendu(ref)
    fiche = max(ref.fiches, key=lambda f: len(f.contributions))
    assert verifier_tables(page_fiche(r, fiche)) == len(fiche.contributions) + bool(fiche.historique)
    for i in ref.indicateurs.values():
        assert verifier_tables(page_indicateur(r, i)) == (1 if ref.observations.get(i.id) else 0)
    for c in ref.criteres.values():
        assert verifier_tables(page_critere(r, c)) == 1
    for d in ref.dimensions:
        assert verifier_tables(page_dimension(r, d)) == 1
    assert verifier_tables(tableau_fiches(r, "fiches/")) == 1
    assert verifier_tables(tableau_referentiel(r, "referentiel/")) == 1
    assert verifier_tables(graphiques(ref, "chiffres/", r.urls)) == 4


def test_les_etiquettes_suivent_les_colonnes():
    assert etiqueter('<tr><th scope="row">a</th><td class="x">b</td></tr>', ["Fiche", "Total"]) == (
        '<tr><th data-label="Fiche" scope="row">a</th><td data-label="Total" class="x">b</td></tr>')
    # a heading spanning the columns has no label; the text of a cell is not a cell
    assert etiqueter('<tr><th colspan="2">&lt;td&gt; rowspan</th></tr>', ["A", "B"]) == (
        '<tr><th colspan="2">&lt;td&gt; rowspan</th></tr>')
    # the label is escaped
    assert 'data-label="L&#x27;&quot;a&quot;"' in etiqueter("<tr><td>x</td></tr>", ["L'\"a\""])
    with pytest.raises(ValueError):
        etiqueter("<tr><td>1</td><td>2</td></tr>", ["Seule"])
    with pytest.raises(ValueError):
        etiqueter('<tr><td rowspan="2">1</td></tr>', ["A"])
    html = tableau("Légende <b>", ["A"], ["<tr><td>1</td></tr>"])
    assert html.startswith('<div class="ref-tableau">\n<table>\n<caption>Légende &lt;b&gt;</caption>')
    assert "\n\n" not in html  # a raw HTML block: no blank line inside


def test_referentiel_groupe_par_dimension_et_critere(ref):
    """One <tbody> per dimension, opened by its heading; each criterion named
    once, in its heading row, with its number of fiches; then its indicators,
    each with its type and number of fiches. Every link is there, once."""
    html = tableau_referentiel(Rendu(ref), "referentiel/")
    (t,) = tables_de(html)
    assert html.count("<tbody>") == len(ref.dimensions)
    assert [e["texte"] for e in t["entetes"]] == ["Indicateur", "Type", "Fiches qui le renseignent"]
    attendu = []
    for d in ref.dimensions:
        attendu.append(("1", "rowgroup"))
        for c in d.criteres:
            attendu.append(("2", None))
            attendu += [(None, None)] * len(c.indicateurs)
    vu = [(ligne["attrs"].get("data-groupe"), ligne["cellules"][0][1].get("scope")) for ligne in t["lignes"]]
    assert vu == attendu
    for d in ref.dimensions:
        assert html.count(f'href="../dimensions/{d.id.lower()}/"') == 1
        for c in d.criteres:
            n = len(ref.fiches_par_critere.get(c.id, []))
            lien = f'<a href="../criteres/{c.id.lower()}/">{c.id} · '
            assert html.count(f'href="../criteres/{c.id.lower()}/"') == 1
            assert f'{lien}{c.titre}</a> <span class="ref-meta">utilisé par {n} fiche' in html.replace("&#x27;", "'")
            for i in c.indicateurs:
                assert html.count(f'href="../indicateurs/{i.id.lower().replace(".", "-")}/"') == 1
                ni = len(ref.observations.get(i.id, []))
                assert (f'data-dimensions="{d.id}" data-criteres="{c.id}" data-type="{i.type}">{ni}</td>'
                        in html)


# ---------------------------------------------------------------------------
# In Chromium


@pytest.fixture(scope="module")
def serveur(site_livre):
    with servir(site_livre) as url:
        yield url


@pytest.fixture
def telephone(navigateur, serveur):
    v = Visite(navigateur, serveur, viewport=TELEPHONE)
    yield v
    assert v.externes == [] and v.erreurs_js == []
    v.fermer()


@pytest.fixture
def ordinateur(navigateur, serveur):
    v = Visite(navigateur, serveur, viewport=ORDINATEUR)
    yield v
    assert v.externes == [] and v.erreurs_js == []
    v.fermer()


def ouvrir(visite, chemin: str):
    page = visite.ouvrir(chemin)
    if chemin in ("fiches/", "referentiel/"):
        page.wait_for_selector(".ref-filtres")
    # The charts' figures are in closed <details>: opened as a reader would.
    for resume in page.locator("details.ref-graphique-chiffres > summary").all():
        resume.click()
    return page


# For each data table of the page: for each column, its header, the label
# written before the value (the ::before of the first cell of that column in
# a shown row) and the boxes of that cell and of its value's text.
MESURER = """() => {
  const boite = (r) => ({gauche: r.left, droite: r.right, largeur: r.width, hauteur: r.height});
  return Array.from(document.querySelectorAll('.md-content .ref-tableau table')).map(t => {
    const enveloppe = t.closest('.md-typeset__scrollwrap');
    const lignes = Array.from(t.tBodies).flatMap(b => Array.from(b.rows))
      .filter(r => !r.hidden && !r.hasAttribute('data-groupe'));
    const colonnes = Array.from(t.tHead.rows[0].cells).map((th, i) => {
      const cellule = lignes.map(r => r.cells[i]).find(c => c && c.textContent.trim());
      if (!cellule) { return {entete: th.textContent, cellule: null}; }
      const valeur = document.createRange();
      valeur.selectNodeContents(cellule);
      const avant = getComputedStyle(cellule, '::before');
      return {entete: th.textContent.replace(/\\s+/g, ' ').trim(),
              etiquette: cellule.dataset.label, avant: avant.content, avantAffiche: avant.display,
              cellule: boite(cellule.getBoundingClientRect()), valeur: boite(valeur.getBoundingClientRect())};
    });
    return {legende: t.caption.textContent.trim(), colonnes,
            table: [t.scrollWidth, t.clientWidth],
            enveloppe: enveloppe ? [enveloppe.scrollWidth, enveloppe.clientWidth] : null};
  });
}"""


@pytest.mark.parametrize("genre", TYPES)
def test_au_telephone_chaque_colonne_se_lit_sans_defiler(telephone, ref, genre):
    chemin = pages_a_tableaux(ref)[genre]
    page = ouvrir(telephone, chemin)
    largeur = TELEPHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= largeur, chemin
    tables = page.evaluate(MESURER)
    assert tables, chemin
    for t in tables:
        ou = f"{chemin} : {t['legende']}"
        # neither the table nor Material's box around it scrolls sideways
        assert t["table"][0] <= t["table"][1] + 1, ou
        if t["enveloppe"]:
            assert t["enveloppe"][0] <= t["enveloppe"][1] + 1, ou
        for col in t["colonnes"]:
            assert col["cellule"], (ou, col)
            # the label written before the value is the column's header
            # (the header may hold a sort button: « Acteur ↕ (trier) »)
            assert col["entete"].startswith(col["etiquette"]), (ou, col)
            assert col["avantAffiche"] != "none" and col["avant"].startswith(f'"{col["etiquette"]}'), (ou, col)
            for boite in (col["cellule"], col["valeur"]):
                assert boite["largeur"] > 0 and boite["hauteur"] > 0, (ou, col)
                assert 0 <= boite["gauche"] and boite["droite"] <= largeur, (ou, col)


def test_au_telephone_les_etiquettes_ne_sont_pas_lues(telephone, ref):
    """Screen readers hear the table: a cell's name is its value, without the
    label drawn before it (generated content with an empty alternative)."""
    page = ouvrir(telephone, pages_a_tableaux(ref)["fiche"])
    table = page.locator(".md-content .ref-tableau table").first
    arbre = table.aria_snapshot()
    assert arbre.startswith("- table ")
    assert "columnheader \"Valeur observée\"" in arbre
    assert "Valeur observée :" not in arbre and "Valeur observée\xa0:" not in arbre


def test_a_l_ordinateur_les_tableaux_ne_changent_pas(ordinateur, ref):
    """At 1280 px the tables are tables: the headers are shown, no label."""
    page = ouvrir(ordinateur, pages_a_tableaux(ref)["fiche"])
    t = page.locator(".md-content .ref-tableau table").first
    assert t.locator("thead").is_visible()
    assert t.evaluate("t => getComputedStyle(t.tBodies[0].rows[0].cells[0], '::before').content") == "none"


def test_a_l_ordinateur_le_tableau_d_un_critere_occupe_la_largeur(ordinateur, ref):
    """The criterion page's indicator table spans its column; the short columns
    (indicator, type, number of fiches) stay on one line, and each text column
    (what is measured, how to collect it) is wider than any of them."""
    page = ouvrir(ordinateur, pages_a_tableaux(ref)["critere"])
    mesure = page.evaluate("""() => {
      const t = document.querySelector('.md-content .ref-tableau table');
      const ligne = t.tBodies[0].rows[0];
      const hauteurLigne = parseFloat(getComputedStyle(ligne.cells[0]).lineHeight);
      const texte = (c) => { const r = document.createRange(); r.selectNodeContents(c); return r.getClientRects().length; };
      return {table: t.getBoundingClientRect().width, boite: t.closest('.ref-tableau').getBoundingClientRect().width,
              largeurs: Array.from(ligne.cells, c => c.getBoundingClientRect().width),
              lignes: Array.from(ligne.cells, c => {
                const r = document.createRange(); r.selectNodeContents(c);
                return Math.round(r.getBoundingClientRect().height / hauteurLigne); })};
    }""")
    assert mesure["table"] >= 0.97 * mesure["boite"], mesure
    indicateur, mesure_, type_, collecte, fiches = mesure["largeurs"]
    assert min(mesure_, collecte) > max(indicateur, type_, fiches), mesure
    for i in (0, 2, 4):
        assert mesure["lignes"][i] <= 1, mesure


# The framework table as it was: one flat row per indicator, repeating its
# dimension and criterion (5 columns), built in the page from the grouped one,
# in Material's sideways-scrolling box, to compare heights at the same width.
PLAT = """() => {
  const t = document.querySelector('table[data-filtrable="referentiel"]');
  const plat = document.createElement('table');
  const tete = plat.createTHead().insertRow();
  for (const h of ['Dimension', "Critère (fiches qui l'utilisent)", 'Indicateur', 'Type', 'Fiches qui le renseignent']) {
    const th = document.createElement('th'); th.scope = 'col'; th.textContent = h; tete.appendChild(th);
  }
  const corps = plat.createTBody();
  let dim = null, crit = null;
  for (const tr of t.querySelectorAll('tbody tr')) {
    if (tr.dataset.groupe === '1') { dim = tr.querySelector('a'); continue; }
    if (tr.dataset.groupe === '2') { crit = tr.querySelector('th'); continue; }
    const ligne = corps.insertRow();
    ligne.insertCell().appendChild(dim.cloneNode(true));
    const c = ligne.insertCell();
    c.append(crit.querySelector('a').cloneNode(true), document.createElement('br'),
             crit.querySelector('.ref-meta').cloneNode(true));
    for (const td of tr.cells) { ligne.insertCell().append(...Array.from(td.childNodes, n => n.cloneNode(true))); }
  }
  const defile = document.createElement('div'); defile.className = 'md-typeset__scrollwrap';
  const boite = document.createElement('div'); boite.className = 'md-typeset__table';
  boite.appendChild(plat); defile.appendChild(boite);
  t.closest('.ref-tableau').after(defile);
  return {groupe: t.getBoundingClientRect().height, plat: plat.getBoundingClientRect().height,
          lignesPlat: plat.tBodies[0].rows.length};
}"""


@pytest.mark.parametrize("largeur", ["telephone", "ordinateur"])
def test_referentiel_groupe_bien_plus_court(navigateur, serveur, ref, largeur):
    v = Visite(navigateur, serveur, viewport=TELEPHONE if largeur == "telephone" else ORDINATEUR)
    try:
        page = ouvrir(v, "referentiel/")
        mesure = page.evaluate(PLAT)
        assert mesure["lignesPlat"] == len(ref.indicateurs)
        # Measured when written: 0.61 on a phone, 0.69 on a desktop (the flat
        # table, in the same page, also gets the width of the hidden table of
        # contents; the page itself went from 6,444 to 3,106 px at 1280 px).
        assert mesure["groupe"] / mesure["plat"] < 0.75, mesure
    finally:
        v.fermer()
