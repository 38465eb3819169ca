"""Sorting and filtering the fiches table and the framework table, in a real browser.

The site built from the shipped data (``site_livre``: mkdocs.yml lists
``docs/javascripts/tableaux.js`` in ``extra_javascript``) is served on 127.0.0.1 and
driven in Chromium. Without JavaScript, the tables stay complete and no form appears.
"""

from __future__ import annotations

import pytest
from conftest import ROOT, Visite, lire_config, servir

import referentiel.lecture

SCRIPT = ROOT / "docs" / "javascripts" / "tableaux.js"


@pytest.fixture(scope="module")
def ref():
    resultat = referentiel.lecture.charger(ROOT / "data")
    assert not resultat.problemes
    return resultat.referentiel


@pytest.fixture(scope="module")
def serveur(site_livre):
    # The script is in every page of the site, deferred.
    assert {"path": "javascripts/tableaux.js", "defer": True} in lire_config(ROOT)["extra_javascript"]
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
    assert etat(page) == f"{len(fiches)} lignes affichées sur {len(fiches)}"
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
    n = len(attendues)
    assert etat(page) == f"{n} ligne{'s' if n > 1 else ''} affichée{'s' if n > 1 else ''} sur {len(fiches)}"

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

    # by public, when the fiches declare some
    publics = [p for f in fiches for p in f.action.publics]
    if publics:
        choisir(page, "Public", publics[0])
        assert visibles(page) == [f.titre for f in fiches if publics[0] in f.action.publics]
        choisir(page, "Public", "")

    # the search box
    cible = fiches[-1]
    page.get_by_label("Rechercher dans le tableau").fill(cible.acteur.nom.upper())
    assert cible.titre in visibles(page)
    assert all(cible.acteur.nom.lower() in t.lower()
               for t in visibles(page, 1))
    page.get_by_label("Rechercher dans le tableau").fill("zzz-aucune-ligne")
    assert visibles(page) == []
    assert etat(page) == f"0 ligne affichée sur {len(fiches)}"
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


def test_referentiel_filtrer_trier_au_clavier(visite, ref):
    page = visite.ouvrir("referentiel/")
    page.wait_for_selector(".ref-filtres")
    indicateurs = [i for d in ref.dimensions for c in d.criteres for i in c.indicateurs]
    total = len(indicateurs)
    assert len(visibles(page)) == total
    assert etat(page) == f"{total} lignes affichées sur {total}"
    # this table has no actor, public or status filter
    assert page.locator(".ref-filtres select").count() == 3

    d = ref.dimensions[-1]
    choisir(page, "Dimension", d.id)
    attendus = [f"{i.id} · {i.libelle}" for c in d.criteres for i in c.indicateurs]
    assert visibles(page, 2) == attendus
    assert etat(page) == f"{len(attendus)} lignes affichées sur {total}"

    c = d.criteres[0]
    choisir(page, "Critère", c.id)
    assert visibles(page, 2) == [f"{i.id} · {i.libelle}" for i in c.indicateurs]
    choisir(page, "Critère", "")
    choisir(page, "Dimension", "")

    type_ = "impact" if any(i.type == "impact" for i in indicateurs) else indicateurs[0].type
    choisir(page, "Type d'indicateur", type_)
    assert visibles(page, 2) == [f"{i.id} · {i.libelle}" for i in indicateurs if i.type == type_]
    choisir(page, "Type d'indicateur", "")

    # sort the « Fiches qui le renseignent » column (numbers) with the keyboard
    th = page.locator(f"{TABLE} thead th").nth(4)
    th.get_by_role("button").focus()
    page.keyboard.press("Enter")
    assert th.get_attribute("aria-sort") == "ascending"
    nombres = [int(x) for x in visibles(page, 4)]
    assert nombres == sorted(nombres)
    page.keyboard.press("Space")
    assert th.get_attribute("aria-sort") == "descending"
    nombres = [int(x) for x in visibles(page, 4)]
    assert nombres == sorted(nombres, reverse=True)
    attendu = sorted((len(ref.observations.get(i.id, [])) for i in indicateurs), reverse=True)
    assert nombres == attendu

    # search, accents and case ignored
    cible = indicateurs[0]
    page.get_by_label("Rechercher dans le tableau").fill(cible.id)
    assert f"{cible.id} · {cible.libelle}" in visibles(page, 2)
    assert all(cible.id in t for t in visibles(page, 2))


@pytest.mark.parametrize("chemin", ["fiches/", "referentiel/"])
def test_sans_javascript_les_tableaux_sont_complets(navigateur, serveur, ref, chemin):
    v = Visite(navigateur, serveur, javascript=False)
    try:
        page = v.ouvrir(chemin)
        attendu = len(ref.fiches) if chemin == "fiches/" else len(ref.indicateurs)
        lignes = page.locator(f"{TABLE} tbody tr")
        assert lignes.count() == attendu
        for i in range(attendu):
            assert lignes.nth(i).is_visible()
        assert page.locator(".ref-filtres").count() == 0
        assert page.locator(f"{TABLE} th button").count() == 0
        assert v.externes == []
    finally:
        v.fermer()
