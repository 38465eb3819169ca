"""The fiches × criteria matrix: whole at 1280 px, lists in its place on a phone.

At 960 px and more the matrix fits its page (no table of contents beside
it): every criterion column is inside the viewport. Below, it is hidden
(display: none, screen readers too) and the same facts are shown as lists:
each fiche with the criteria it treats, grouped by dimension, each a link to
the fiche's findings, and its count; then the number of fiches of each
criterion (the matrix's footer). The lists are ``hidden`` in the HTML (the
report's PDF, a browser without the stylesheet).
"""

from __future__ import annotations

import re

import pytest
from conftest import ROOT, Visite, servir

import referentiel.lecture
from referentiel.pages.commun import Rendu
from referentiel.pages.matrice import matrice


@pytest.fixture(scope="module")
def ref():
    resultat = referentiel.lecture.charger(ROOT / "data")
    assert not resultat.problemes
    return resultat.referentiel


def _partie(html: str, debut: str, fin: str) -> str:
    i = html.index(debut)
    return html[i:html.index(fin, i)]


def test_les_listes_disent_ce_que_dit_la_matrice(ref):
    html = matrice(Rendu(ref), "matrice/")
    tableau = _partie(html, '<div class="ref-matrice">', "</table>")
    listes = _partie(html, '<div class="ref-matrice-listes" hidden>', "\n</div>")
    # the same links to each fiche's findings, criterion by criterion
    vers_constats = r'href="(\.\./fiches/[^"#]+/#[^"]+)"'
    assert sorted(re.findall(vers_constats, tableau)) == sorted(re.findall(vers_constats, listes))
    assert len(re.findall(vers_constats, listes)) == sum(
        len({c.critere_id for c in f.contributions}) for f in ref.fiches)
    for f in ref.fiches:
        fiche = _partie(listes, f'<li><h3><a href="../fiches/{f.id}/">', "</li>\n")
        ids = {c.critere_id for c in f.contributions}
        n = len(ids)
        assert f"{n} critère{'s' if n > 1 else ''} traité{'s' if n > 1 else ''}" in fiche
        # grouped by dimension, in the framework's order, each dimension a link
        dims = [d for d in ref.dimensions if any(c.id in ids for c in d.criteres)]
        assert re.findall(r'<dt><a href="\.\./dimensions/([a-z]+)/">', fiche) == [d.id.lower() for d in dims]
        assert re.findall(r'#([a-z0-9]+)">', fiche) == [
            c.slug for d in dims for c in d.criteres if c.id in ids]
    # the footer: fiches per criterion, with links to the criteria
    pied = re.findall(r"<td>(\d+)</td>", _partie(html, "<tfoot>", "</tfoot>"))
    comptes = re.findall(r'<a href="\.\./criteres/[a-z0-9]+/">([A-Z]+\d+) · [^<]*</a> : (\d+) fiches?', listes)
    criteres = [c.id for d in ref.dimensions for c in d.criteres]
    assert [x for x, _ in comptes] == criteres
    assert [n for _, n in comptes] == pied
    assert [int(n) for _, n in comptes] == [len(ref.fiches_par_critere.get(c, [])) for c in criteres]


# ---------------------------------------------------------------------------
# In Chromium


@pytest.fixture(scope="module")
def serveur(site_livre):
    with servir(site_livre) as url:
        yield url


def visite(navigateur, serveur, largeur: int) -> Visite:
    return Visite(navigateur, serveur, viewport={"width": largeur, "height": 900})


@pytest.mark.parametrize("largeur", [1280, 960])
def test_a_l_ordinateur_chaque_critere_est_visible(navigateur, serveur, ref, largeur):
    v = visite(navigateur, serveur, largeur)
    try:
        page = v.ouvrir("matrice/")
        mesure = page.evaluate("""() => {
          const t = document.querySelector('.ref-matrice table');
          const boite = t.closest('.md-typeset__scrollwrap') || t;
          const cases = Array.from(t.tHead.rows[1].cells).concat(Array.from(t.tHead.rows[0].cells));
          return {page: document.documentElement.scrollWidth,
                  boite: [boite.scrollWidth, boite.clientWidth, t.scrollWidth, t.clientWidth],
                  colonnes: cases.map(c => { const r = c.getBoundingClientRect();
                    return [c.textContent.trim(), r.left, r.right, r.width]; })};
        }""")
        assert mesure["page"] <= largeur
        assert mesure["boite"][0] <= mesure["boite"][1] and mesure["boite"][2] <= mesure["boite"][3], mesure
        criteres = [c.id for d in ref.dimensions for c in d.criteres]
        assert [c[0] for c in mesure["colonnes"][:len(criteres)]] == criteres
        for texte, gauche, droite, larg in mesure["colonnes"]:
            assert larg > 0 and 0 <= gauche and droite <= largeur, (texte, gauche, droite)
        # the lists stay hidden; the page gives its width to the matrix (no table of contents)
        assert not page.locator(".ref-matrice-listes").is_visible()
        assert page.locator(".md-sidebar--secondary").is_hidden()
        assert v.externes == [] and v.erreurs_js == []
    finally:
        v.fermer()


def test_au_telephone_les_listes_remplacent_la_matrice(navigateur, serveur, ref):
    largeur = 375
    v = visite(navigateur, serveur, largeur)
    try:
        page = v.ouvrir("matrice/")
        assert page.evaluate("document.documentElement.scrollWidth") <= largeur
        # the matrix is out of the page for everyone (display: none), the lists are in
        assert page.locator(".ref-matrice").evaluate("e => getComputedStyle(e).display") == "none"
        assert page.get_by_role("table").count() == 0
        listes = page.locator(".ref-matrice-listes")
        assert listes.is_visible()
        assert page.get_by_role("heading", name="Les critères traités par chaque fiche").is_visible()
        assert page.get_by_role("heading", name="Nombre de fiches par critère").is_visible()
        # every link and every count inside the screen
        boites = listes.evaluate("""l => Array.from(l.querySelectorAll('a, dd li')).map(e => {
            const r = e.getBoundingClientRect(); return [e.textContent.trim(), r.left, r.right, r.width]; })""")
        assert boites
        for texte, gauche, droite, larg in boites:
            assert larg > 0 and 0 <= gauche and droite <= largeur, (texte, gauche, droite)
        # the same facts as the (hidden) matrix: the links to the findings, the footer's counts
        memes = page.evaluate("""() => {
          const liens = (sel) => Array.from(document.querySelectorAll(sel))
            .map(a => a.getAttribute('href')).filter(h => h.includes('#')).sort();
          return {matrice: liens('.ref-matrice td a'), listes: liens('.ref-matrice-fiches a'),
                  pied: Array.from(document.querySelectorAll('.ref-matrice tfoot td'))
                    .map(c => c.textContent.trim()).filter(Boolean),
                  comptes: Array.from(document.querySelectorAll('.ref-matrice-comptes li'))
                    .map(li => li.textContent.match(/: (\\d+) fiches?$/)[1])};
        }""")
        assert memes["listes"] == memes["matrice"] and memes["listes"]
        assert memes["comptes"] == memes["pied"]
        for f in ref.fiches:
            assert listes.get_by_role("heading", name=f.titre).first.is_visible()
        assert v.externes == [] and v.erreurs_js == []
    finally:
        v.fermer()
