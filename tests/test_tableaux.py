"""Sorting and filtering the fiches table and the framework table, in a real browser.

The site built from the shipped data (``site_livre``: the pages with a table
load ``docs/javascripts/tableaux.js``, front matter « ressources: [tableaux] ») is
served on 127.0.0.1 and driven in Chromium. Without JavaScript, the tables stay
complete and no form appears. On the fiches table, the filters, the search and
the sort are kept in the page's address.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import ROOT, Visite, servir

import referentiel.lecture
from referentiel.modele import CATEGORIES_PUBLICS

SCRIPT = ROOT / "docs" / "javascripts" / "tableaux.js"


@pytest.fixture(scope="module")
def ref():
    resultat = referentiel.lecture.charger(ROOT / "data")
    assert not resultat.problemes
    return resultat.referentiel


@pytest.fixture(scope="module")
def serveur(site_livre):
    # The pages with a table load the script, deferred (their front matter asks for it).
    for page in ("fiches", "referentiel"):
        assert re.search(r'<script src="[./]*javascripts/tableaux\.js" defer>',
                         (site_livre / page / "index.html").read_text(encoding="utf-8")), page
    with servir(site_livre) as url:
        yield url


@pytest.fixture
def visite(navigateur, serveur):
    v = Visite(navigateur, serveur)
    yield v
    assert v.externes == []
    assert v.erreurs_js == []
    v.fermer()


TABLE = "table[data-filtrable]"


def visibles(page, colonne: int = 0) -> list[str]:
    """The text of column ``colonne`` in the visible rows, in order."""
    return page.evaluate(
        """([sel, col]) => Array.from(document.querySelector(sel).tBodies[0].rows)
            .filter(r => !r.hidden).map(r => r.cells[col].textContent.replace(/\\s+/g, ' ').trim())""",
        [TABLE, colonne])


def etat(page) -> str:
    return page.locator(".ref-filtres [aria-live=polite]").inner_text().strip()


def choisir(page, libelle: str, valeur: str):
    page.get_by_label(libelle, exact=True).select_option(valeur)


def compte(page) -> str:
    """The count of the fiches table, in its caption."""
    return page.locator(f"{TABLE} caption [data-compte]").inner_text().strip()


def fiches_sur(n: int, total: int) -> str:
    """What the caption says: « 7 fiches », or « 3 fiches sur 7 » when filtered."""
    def nombre(k: int) -> str:
        return f"{k} fiche{'s' if k > 1 else ''}"
    return nombre(total) if n == total else f"{nombre(n)} sur {total}"


def parametres(page) -> dict[str, list[str]]:
    """The query string of the page's address (as the page has it now: Playwright's
    ``page.url`` follows ``history.replaceState`` a moment later)."""
    return parse_qs(urlsplit(page.evaluate("() => location.href")).query)


def options(page, libelle: str) -> list[str]:
    """The values of a filter's list, « Tous » (empty) left out."""
    return [v for v in page.get_by_label(libelle, exact=True).locator("option").evaluate_all(
        "os => os.map(o => o.value)") if v]


# ---------------------------------------------------------------------------


def test_le_script_ne_fait_aucune_requete():
    code = SCRIPT.read_text(encoding="utf-8")
    for interdit in ("fetch(", "XMLHttpRequest", "sendBeacon", "WebSocket", "EventSource", "import(",
                     "new Image", "innerHTML", "eval(", "document.write", "http://", "https://"):
        assert interdit not in code, interdit


def test_fiches_filtrer_trier_rechercher(visite, ref):
    page = visite.ouvrir("fiches/")
    page.wait_for_selector(".ref-filtres")
    fiches = ref.fiches
    titres = [f.titre for f in fiches]
    assert visibles(page) == titres
    assert compte(page) == fiches_sur(len(fiches), len(fiches))
    # One count, in the caption, announced politely: no second status line.
    assert page.locator(f"{TABLE} caption [data-compte]").get_attribute("aria-live") == "polite"
    assert page.locator(".ref-filtres [aria-live]").count() == 0
    # « Tous » is the default of every list
    for libelle in ("Dimension", "Critère", "Type de structure", "Public", "Statut"):
        select = page.get_by_label(libelle, exact=True)
        assert select.input_value() == ""
        assert select.locator("option").first.inner_text() == "Tous"

    # filter by dimension
    d = ref.dimensions[0]
    choisir(page, "Dimension", d.id)
    attendues = [f.titre for f in fiches if d.id in {x.id for x in f.dimensions()}]
    assert 0 < len(attendues)
    assert visibles(page) == attendues
    assert compte(page) == fiches_sur(len(attendues), len(fiches))

    # and by status
    statut = fiches[0].statut
    choisir(page, "Statut", statut)
    attendues = [f.titre for f in fiches
                 if d.id in {x.id for x in f.dimensions()} and f.statut == statut]
    assert visibles(page) == attendues

    # by actor type (alone)
    page.get_by_role("button", name="Réinitialiser les filtres").click()
    assert visibles(page) == titres
    acteur = fiches[-1].acteur.type
    choisir(page, "Type de structure", acteur)
    assert visibles(page) == [f.titre for f in fiches if f.acteur.type == acteur]
    choisir(page, "Type de structure", "")

    # by category of public (the fixed vocabulary; a shipped fiche declares some)
    categorie = next(c for f in fiches for c in f.action.categories_publics)
    choisir(page, "Public", categorie)
    assert visibles(page) == [f.titre for f in fiches if categorie in f.action.categories_publics]
    choisir(page, "Public", "")

    # the search box
    cible = fiches[-1]
    page.get_by_label("Rechercher dans le tableau").fill(cible.acteur.nom.upper())
    assert cible.titre in visibles(page)
    assert all(cible.acteur.nom.lower() in t.lower()
               for t in visibles(page, 1))
    page.get_by_label("Rechercher dans le tableau").fill("zzz-aucune-ligne")
    assert visibles(page) == []
    assert compte(page) == f"0 fiche sur {len(fiches)}"
    page.get_by_label("Rechercher dans le tableau").fill("")
    assert len(visibles(page)) == len(fiches)

    # sort by the « Acteur » column, with a real button, both ways
    th = page.locator(f"{TABLE} thead th").nth(1)
    bouton = th.get_by_role("button")
    assert th.get_attribute("aria-sort") is None
    bouton.click()
    assert th.get_attribute("aria-sort") == "ascending"
    croissant = visibles(page, 1)
    attendu = page.evaluate("(l) => l.slice().sort((a, b) => a.localeCompare(b, 'fr', {numeric: true}))",
                            [f.acteur.nom for f in fiches])
    assert croissant == attendu
    assert "croissant" in bouton.inner_text()
    bouton.click()
    assert th.get_attribute("aria-sort") == "descending"
    attendu = page.evaluate("(l) => l.slice().sort((a, b) => b.localeCompare(a, 'fr', {numeric: true}))",
                            [f.acteur.nom for f in fiches])
    assert visibles(page, 1) == attendu
    assert "décroissant" in bouton.inner_text()
    # only one column carries aria-sort
    assert page.locator(f"{TABLE} thead th[aria-sort]").count() == 1


def test_fiches_les_filtres_sont_dans_l_adresse(visite, ref):
    """Open a filtered address: the table shows it; change a filter: the address
    follows; reload: the same state. Sorting too."""
    fiches = ref.fiches
    # A criterion used by some fiches, and its dimension.
    c = next(c for d in ref.dimensions for c in d.criteres if ref.fiches_par_critere.get(c.id))
    d = c.dimension
    page = visite.ouvrir(f"fiches/?dimension={d.id}&critere={c.id}")
    page.wait_for_selector(".ref-filtres")
    attendues = [f.titre for f in fiches if c.id in {x.critere_id for x in f.contributions}]
    assert page.get_by_label("Dimension", exact=True).input_value() == d.id
    assert page.get_by_label("Critère", exact=True).input_value() == c.id
    assert visibles(page) == attendues
    assert compte(page) == fiches_sur(len(attendues), len(fiches))

    # Another filter: the address follows (replaced, not pushed: no new step in the history).
    longueur = page.evaluate("() => history.length")
    statut = fiches[0].statut
    choisir(page, "Statut", statut)
    assert parametres(page) == {"dimension": [d.id], "critere": [c.id], "statut": [statut]}
    page.get_by_label("Rechercher dans le tableau").fill("é ta")
    assert parametres(page)["recherche"] == ["é ta"]
    page.get_by_label("Rechercher dans le tableau").fill("")
    assert "recherche" not in parametres(page)
    # Sorting by the « Acteur » column, descending.
    bouton = page.locator(f"{TABLE} thead th").nth(1).get_by_role("button")
    bouton.click()
    bouton.click()
    assert parametres(page)["tri"] == ["acteur"] and parametres(page)["ordre"] == ["decroissant"]
    assert page.evaluate("() => history.length") == longueur
    avant = visibles(page)

    page.reload()
    page.wait_for_selector(".ref-filtres")
    assert page.get_by_label("Dimension", exact=True).input_value() == d.id
    assert page.get_by_label("Critère", exact=True).input_value() == c.id
    assert page.get_by_label("Statut", exact=True).input_value() == statut
    assert page.locator(f"{TABLE} thead th").nth(1).get_attribute("aria-sort") == "descending"
    assert visibles(page) == avant
    assert compte(page) == fiches_sur(len(avant), len(fiches))

    # « Réinitialiser les filtres » empties the address of its filters (the sort stays).
    page.get_by_role("button", name="Réinitialiser les filtres").click()
    assert parametres(page) == {"tri": ["acteur"], "ordre": ["decroissant"]}
    assert compte(page) == fiches_sur(len(fiches), len(fiches))


def test_fiches_retour_arriere_retrouve_les_filtres(visite, ref):
    """Back from a fiche, the filtered list is as it was left."""
    categorie = next(c for f in ref.fiches for c in f.action.categories_publics)
    attendues = [f for f in ref.fiches if categorie in f.action.categories_publics]
    page = visite.ouvrir("fiches/")
    page.wait_for_selector(".ref-filtres")
    choisir(page, "Public", categorie)
    assert visibles(page) == [f.titre for f in attendues]
    page.locator(f"{TABLE} tbody tr:not([hidden]) a").first.click()
    page.wait_for_url(f"**/fiches/{attendues[0].id}/")
    page.go_back()
    page.wait_for_selector(".ref-filtres")
    assert parametres(page) == {"public": [categorie]}
    assert page.get_by_label("Public", exact=True).input_value() == categorie
    assert visibles(page) == [f.titre for f in attendues]
    page.go_forward()
    page.wait_for_url(f"**/fiches/{attendues[0].id}/")


def test_fiches_la_dimension_restreint_les_criteres(visite, ref):
    page = visite.ouvrir("fiches/")
    page.wait_for_selector(".ref-filtres")
    utilises = [c.id for d in ref.dimensions for c in d.criteres if ref.fiches_par_critere.get(c.id)]
    assert options(page, "Critère") == utilises
    dims = [d for d in ref.dimensions if any(ref.fiches_par_critere.get(c.id) for c in d.criteres)]
    assert len(dims) >= 2
    premiere, seconde = dims[0], dims[1]
    choisir(page, "Dimension", premiere.id)
    assert options(page, "Critère") == [c.id for c in premiere.criteres if c.id in utilises]
    c = next(c for c in premiere.criteres if c.id in utilises)
    choisir(page, "Critère", c.id)
    assert parametres(page) == {"dimension": [premiere.id], "critere": [c.id]}
    # Another dimension: its criteria only; the criterion chosen, no longer listed, goes back to « Tous ».
    choisir(page, "Dimension", seconde.id)
    assert options(page, "Critère") == [x.id for x in seconde.criteres if x.id in utilises]
    assert page.get_by_label("Critère", exact=True).input_value() == ""
    assert parametres(page) == {"dimension": [seconde.id]}
    assert visibles(page) == [f.titre for f in ref.fiches if seconde.id in {x.id for x in f.dimensions()}]
    # « Tous » for the dimension: every criterion again.
    choisir(page, "Dimension", "")
    assert options(page, "Critère") == utilises


def test_fiches_filtre_par_categorie_de_public(visite, ref):
    page = visite.ouvrir("fiches/")
    page.wait_for_selector(".ref-filtres")
    presentes = {c for f in ref.fiches for c in f.action.categories_publics}
    assert presentes
    # The categories the fiches use, in the vocabulary's order, with its labels.
    liste = page.get_by_label("Public", exact=True)
    assert options(page, "Public") == [c for c in CATEGORIES_PUBLICS if c in presentes]
    assert liste.locator("option").all_inner_texts() == (
        ["Tous"] + [lib for c, lib in CATEGORIES_PUBLICS.items() if c in presentes])
    for categorie in presentes:
        choisir(page, "Public", categorie)
        attendues = [f for f in ref.fiches if categorie in f.action.categories_publics]
        assert visibles(page) == [f.titre for f in attendues]
        assert compte(page) == fiches_sur(len(attendues), len(ref.fiches))
        assert parametres(page) == {"public": [categorie]}
        # The « Publics » column shows each fiche's categories by their labels.
        entetes = page.locator(f"{TABLE} thead th").all_inner_texts()
        colonne = next(i for i, h in enumerate(entetes) if h.strip().startswith("Publics"))
        assert visibles(page, colonne) == [", ".join(f.action.categories_publics_libelles) for f in attendues]


def test_fiches_une_adresse_inconnue_est_ignoree(visite, ref):
    """Values the table does not know are ignored, then dropped from the address;
    nothing from the address becomes HTML; other parameters are left alone."""
    fiches = ref.fiches
    c_ailleurs = next(c for d in ref.dimensions[1:] for c in d.criteres if ref.fiches_par_critere.get(c.id))
    d = ref.dimensions[0]
    page = visite.ouvrir(
        f"fiches/?dimension={d.id}&critere={c_ailleurs.id}&public=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E"
        "&statut=publiee%22%3E%3Cscript%3Ealert(2)%3C%2Fscript%3E&structure=inconnue&tri=%3Cb%3E&ordre=x"
        "&autre=garde")
    dialogues = []
    page.on("dialog", lambda dlg: (dialogues.append(dlg.message), dlg.dismiss()))
    page.wait_for_selector(".ref-filtres")
    # The known dimension applies; a criterion of another dimension does not.
    assert page.get_by_label("Dimension", exact=True).input_value() == d.id
    for libelle in ("Critère", "Type de structure", "Public", "Statut"):
        assert page.get_by_label(libelle, exact=True).input_value() == "", libelle
    assert visibles(page) == [f.titre for f in fiches if d.id in {x.id for x in f.dimensions()}]
    assert page.locator(f"{TABLE} thead th[aria-sort]").count() == 0
    assert parametres(page) == {"dimension": [d.id], "autre": ["garde"]}
    assert page.locator("article img, article script:not([src]):not([type])").count() == 0

    # A search from the address is only text, in the search box.
    page = visite.ouvrir("fiches/?recherche=%3Cb%20id%3Dinjecte%3Ex%3C%2Fb%3E")
    page.wait_for_selector(".ref-filtres")
    assert page.get_by_label("Rechercher dans le tableau").input_value() == '<b id=injecte>x</b>'
    assert page.locator("#injecte").count() == 0
    assert visibles(page) == []
    assert compte(page) == f"0 fiche sur {len(fiches)}"
    assert dialogues == []


def test_fiches_filtrees_sur_un_telephone(navigateur, serveur, ref):
    """At 375 px (rows stacked by the phone layout), a row the filters hide is not shown."""
    v = Visite(navigateur, serveur, viewport={"width": 375, "height": 800})
    try:
        categorie = next(c for f in ref.fiches for c in f.action.categories_publics)
        page = v.ouvrir(f"fiches/?public={categorie}")
        page.wait_for_selector(".ref-filtres")
        attendues = [f.titre for f in ref.fiches if categorie in f.action.categories_publics]
        lignes = page.locator(f"{TABLE} tbody tr")
        montrees = [lignes.nth(i).locator("td").first.inner_text().strip()
                    for i in range(lignes.count()) if lignes.nth(i).is_visible()]
        assert montrees == attendues
        assert compte(page) == fiches_sur(len(attendues), len(ref.fiches))
        assert v.externes == [] and v.erreurs_js == []
    finally:
        v.fermer()


def test_la_fiche_montre_ses_categories_de_publics(site_livre, ref):
    """On a fiche's page, its categories (the vocabulary's labels) before its own words."""
    for f in ref.fiches:
        html = (site_livre / "fiches" / f.id / "index.html").read_text(encoding="utf-8")
        if f.action.categories_publics:
            libelles = ", ".join(CATEGORIES_PUBLICS[c] for c in f.action.categories_publics)
            assert f"<dt>Catégories de publics</dt><dd>{libelles}</dd>" in html
            assert html.index("Catégories de publics") < html.index("<dt>Publics</dt>")
        else:
            assert "Catégories de publics" not in html


def indicateurs_visibles(page) -> list[str]:
    """The framework table's indicator rows shown (every <tbody>, heading rows left out)."""
    return page.evaluate(
        """(sel) => Array.from(document.querySelectorAll(sel + ' tbody tr:not([data-groupe])'))
            .filter(r => !r.hidden).map(r => r.cells[0].textContent.replace(/\\s+/g, ' ').trim())""",
        TABLE)


def titres_visibles(page) -> list[str]:
    """The framework table's heading rows shown: the dimension's id, the criterion's id."""
    return page.evaluate(
        """(sel) => Array.from(document.querySelectorAll(sel + ' tbody tr[data-groupe]'))
            .filter(r => !r.hidden).map(r => r.querySelector('a').getAttribute('href')
            .split('/').filter(Boolean).pop().toUpperCase())""",
        TABLE)


def test_referentiel_groupe_filtrer_rechercher(visite, ref):
    """The framework table is grouped (a heading row per dimension and per
    criterion): it is filtered, not sorted (sorting would scatter the groups);
    a heading shows while one of its indicators does."""
    page = visite.ouvrir("referentiel/")
    page.wait_for_selector(".ref-filtres")
    indicateurs = [i for d in ref.dimensions for c in d.criteres for i in c.indicateurs]
    libelle = {i.id: f"{i.id} · {i.libelle}" for i in indicateurs}
    total = len(indicateurs)
    assert indicateurs_visibles(page) == [libelle[i.id] for i in indicateurs]
    # the count is of indicators, not of heading rows
    assert etat(page) == f"{total} lignes affichées sur {total}"
    tous_les_titres = [x for d in ref.dimensions for x in [d.id] + [c.id for c in d.criteres]]
    assert titres_visibles(page) == tous_les_titres
    # this table has no actor, public or status filter, and no sort button
    assert page.locator(".ref-filtres select").count() == 3
    assert page.locator(f"{TABLE} thead th button").count() == 0

    d = ref.dimensions[-1]
    choisir(page, "Dimension", d.id)
    attendus = [libelle[i.id] for c in d.criteres for i in c.indicateurs]
    assert indicateurs_visibles(page) == attendus
    assert titres_visibles(page) == [d.id] + [c.id for c in d.criteres]
    assert etat(page) == f"{len(attendus)} lignes affichées sur {total}"

    c = d.criteres[0]
    choisir(page, "Critère", c.id)
    assert indicateurs_visibles(page) == [libelle[i.id] for i in c.indicateurs]
    assert titres_visibles(page) == [d.id, c.id]
    choisir(page, "Critère", "")
    choisir(page, "Dimension", "")

    type_ = "impact" if any(i.type == "impact" for i in indicateurs) else indicateurs[0].type
    choisir(page, "Type d'indicateur", type_)
    assert indicateurs_visibles(page) == [libelle[i.id] for i in indicateurs if i.type == type_]
    choisir(page, "Type d'indicateur", "")

    # search: an indicator's id finds it (with its criterion and dimension headings)
    cible = indicateurs[-1]
    page.get_by_label("Rechercher dans le tableau").fill(cible.id)
    assert indicateurs_visibles(page) == [libelle[cible.id]]
    assert titres_visibles(page) == [cible.critere.dimension.id, cible.critere.id]
    # a criterion's title, accents and case ignored, finds its indicators: the
    # heading is searched with each of its rows
    c = ref.dimensions[0].criteres[0]
    page.get_by_label("Rechercher dans le tableau").fill(c.titre.upper().replace("É", "E"))
    assert set(libelle[i.id] for i in c.indicateurs) <= set(indicateurs_visibles(page))
    assert c.id in titres_visibles(page)
    page.get_by_label("Rechercher dans le tableau").fill("zzz-aucune-ligne")
    assert indicateurs_visibles(page) == [] and titres_visibles(page) == []
    assert etat(page) == f"0 ligne affichée sur {total}"


@pytest.mark.parametrize("chemin", ["fiches/", "referentiel/"])
def test_sans_javascript_les_tableaux_sont_complets(navigateur, serveur, ref, chemin):
    v = Visite(navigateur, serveur, javascript=False)
    try:
        page = v.ouvrir(chemin)
        attendu = len(ref.fiches) if chemin == "fiches/" else len(ref.indicateurs)
        lignes = page.locator(f"{TABLE} tbody tr:not([data-groupe])")
        assert lignes.count() == attendu
        for i in range(attendu):
            assert lignes.nth(i).is_visible()
        assert page.locator(".ref-filtres").count() == 0
        assert page.locator(f"{TABLE} th button").count() == 0
        assert v.externes == []
    finally:
        v.fermer()
