"""Accessibility (RGAA, i.e. WCAG 2.1 AA): every page type, checked by axe-core in Chromium.

The site is built once (``site_livre``), served on 127.0.0.1, and each page type
is opened at a desktop and a phone width. axe-core (npm devDependency, pinned in
package.json) runs the WCAG 2.0/2.1 A and AA rules; no violation is allowed.
Each page must also declare ``<html lang="fr">``, offer a skip link, and ask
nothing of another host.

Nothing is excluded: no axe rule is disabled and no element is left out of
the run. axe-core finds only part of the RGAA criteria: see
docs/accessibilite.md for what was checked by hand and what is known not to
conform (Material's nav toggles without a name, glossary tooltips shown on
hover only), which axe does not report.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
import conftest
from conftest import ROOT, servir

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
TAGS_WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# One page of each type, with the name of its test id.
PAGES = {
    "accueil": "",
    "referentiel": "referentiel/",
    "dimension": "dimensions/ep/",
    "critere": "criteres/ve2/",
    "indicateur": "indicateurs/ve2-1/",
    "fiche": "fiches/intergeneration/",
    "fiches": "fiches/",
    "matrice": "matrice/",
    "donnees": "donnees/",
    "formulaire": "contribuer/proposer-une-fiche/",
    "evaluation": "contribuer/preparer-son-evaluation/",
    "chapitre": "demarche/",
    "glossaire": "glossaire/",
    "chiffres": "chiffres/",
    "declaration": "accessibilite/",
}
LARGEURS = {
    "ordinateur": {"width": 1280, "height": 900},
    "telephone": {"width": 375, "height": 800},
}

# What a page's own scripts build, waited for before axe runs (the form; the
# tables' filters). Material's scripts and the others have run by the « load »
# event: axe finds the same (violations, passes, incomplete) there as once the
# network is idle, which used to be waited for (0.8 s more per page).
PRETES = {
    "fiches/": ".ref-filtres",
    "referentiel/": ".ref-filtres",
    "contribuer/proposer-une-fiche/": "#ff-titre",
}

# Pages whose remaining violation needs a larger change than this test: id -> reason.
# Each is an xfail(strict=True), so that fixing it makes the test fail until removed here.
CONNUES: dict[str, str] = {}


# ---------------------------------------------------------------------------
# Fixtures: the built site, served on 127.0.0.1, and one browser


@pytest.fixture(scope="module")
def serveur(site_livre: Path):
    if not AXE.exists():
        pytest.fail(f"axe-core introuvable ({AXE.relative_to(ROOT)}) : lancez « npm ci »")
    with servir(site_livre) as url:
        yield url


def _rapport(violations: list[dict]) -> str:
    lignes = []
    for v in violations:
        cibles = ", ".join(" ".join(map(str, n["target"])) for n in v["nodes"][:3])
        plus = f" (+{len(v['nodes']) - 3})" if len(v["nodes"]) > 3 else ""
        lignes.append(f"- {v['id']} [{v['impact']}] {v['help']} : {cibles}{plus}")
    return "\n".join(lignes)


class Visite(conftest.Visite):
    """A page (tab) at one screen width, checked with axe-core, in the browser
    context of that width, which the module's tests share."""

    def __init__(self, navigateur, serveur: str, largeur: str, contexte):
        super().__init__(navigateur, serveur, viewport=LARGEURS[largeur], contexte=contexte)
        self.largeur = largeur

    def ouvrir(self, chemin: str):
        reponse = self.page.goto(f"{self.origine}/{chemin}", wait_until="load")
        assert reponse is not None and reponse.status == 200, chemin
        if chemin in PRETES:
            self.page.wait_for_selector(PRETES[chemin], state="attached")
        return self.page

    def axe(self) -> list[dict]:
        """The WCAG 2.0/2.1 A and AA violations axe-core finds in the page as it is now.

        Every rule runs on every element; ``resultTypes`` only spares axe the
        details (CSS selectors of every node) of the passes, which nobody reads."""
        if self.page.evaluate("() => typeof window.axe === 'undefined'"):
            self.page.add_script_tag(path=str(AXE))
        resultat = self.page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            TAGS_WCAG)
        return resultat["violations"]


@pytest.fixture(scope="module", params=list(LARGEURS))
def largeur(request, navigateur, serveur):
    """A screen width: the browser context at that width, and the tab that the
    tests open their pages in (one of each per width for the module)."""
    contexte = conftest.Visite.nouveau_contexte(navigateur, viewport=LARGEURS[request.param])
    onglet = Visite(navigateur, serveur, request.param, contexte)
    yield request.param, contexte, onglet
    onglet.fermer()
    contexte.close()


@pytest.fixture
def visite(largeur):
    """The width's tab: each page opened is a new document (as fresh as in a
    new tab: axe finds the same), without the cost of a new tab (a new renderer
    process, axe compiled again)."""
    onglet = largeur[2]
    onglet.externes.clear()
    onglet.erreurs_js.clear()
    return onglet


@pytest.fixture
def visite_neuve(largeur, navigateur, serveur):
    """A new tab, for a test that fills the form: its « leave the page? »
    guard would hold the next page of the width's tab."""
    nom, contexte, _ = largeur
    v = Visite(navigateur, serveur, nom, contexte)
    yield v
    v.fermer()


def _params():
    for nom, chemin in PAGES.items():
        marks = [pytest.mark.xfail(strict=True, reason=CONNUES[nom])] if nom in CONNUES else []
        yield pytest.param(chemin, id=nom, marks=marks)


# ---------------------------------------------------------------------------
# Tests


@pytest.mark.parametrize("chemin", list(_params()))
def test_page_accessible(visite, chemin):
    page = visite.ouvrir(chemin)

    assert page.evaluate("() => document.documentElement.lang") == "fr"
    lien = page.locator("a.md-skip")
    assert lien.count() == 1, "pas de lien d'évitement « Aller au contenu »"
    cible = lien.get_attribute("href")
    assert cible and cible.startswith("#") and page.locator(f"[id='{cible[1:]}']").count() == 1, cible

    violations = visite.axe()
    assert not violations, f"{len(violations)} règle(s) axe-core en échec sur /{chemin} :\n{_rapport(violations)}"
    assert not visite.externes, f"requêtes hors de 127.0.0.1 : {visite.externes}"

    # Readable at phone width: wide tables scroll inside their box, never the page.
    largeur_page = page.evaluate("() => document.documentElement.scrollWidth")
    assert largeur_page <= LARGEURS[visite.largeur]["width"], (
        f"/{chemin} déborde : {largeur_page} px de large pour un écran de {LARGEURS[visite.largeur]['width']} px")


def test_page_404_accessible(visite):
    """The 404 (no table of contents, hence no skip link: the content comes
    first after the header anyway, see test_parcours_public)."""
    page = visite.ouvrir("404.html")
    assert page.evaluate("() => document.documentElement.lang") == "fr"
    violations = visite.axe()
    assert not violations, f"{len(violations)} règle(s) axe-core en échec sur /404.html :\n{_rapport(violations)}"
    assert not visite.externes
    assert page.evaluate("() => document.documentElement.scrollWidth") <= LARGEURS[visite.largeur]["width"]


TOUCHES = 40


def test_focus_visible_au_clavier(visite):
    """Tab through a fiche page: every stop is on screen and visibly marked
    (an outline or a box shadow that differs from the element at rest)."""
    page = visite.ouvrir(PAGES["fiche"])
    vus = []
    for _ in range(TOUCHES):
        page.keyboard.press("Tab")
        etat = page.evaluate("""() => {
            const el = document.activeElement;
            if (!el || el === document.body) return null;
            const r = el.getBoundingClientRect();
            const s = getComputedStyle(el);
            const marque = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
                || (s.boxShadow && s.boxShadow !== 'none');
            return {nom: el.tagName + (el.className ? '.' + String(el.className).split(' ')[0] : '')
                         + ' ' + (el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 30),
                    visible: r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight
                             && s.visibility !== 'hidden',
                    marque};
        }""")
        if etat is None:
            continue
        vus.append(etat)
    assert len(vus) >= TOUCHES // 2, "trop peu d'éléments atteints au clavier"
    caches = [e["nom"] for e in vus if not e["visible"]]
    sans_marque = [e["nom"] for e in vus if not e["marque"]]
    assert not caches, f"éléments atteints au clavier mais hors de l'écran ou invisibles : {caches}"
    assert not sans_marque, f"focus sans marque visible : {sans_marque}"


def test_le_lien_d_evitement_est_le_premier_arret_clavier_et_se_voit(visite):
    page = visite.ouvrir(PAGES["critere"])
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.classList.contains('md-skip')")
    assert page.locator("a.md-skip").is_visible(), "le lien d'évitement reste invisible quand il a le focus"
    page.keyboard.press("Enter")
    assert urlsplit(page.url).fragment == page.locator("a.md-skip").get_attribute("href")[1:]


def test_formulaire_avec_erreurs_accessible(visite_neuve):
    """The form once « Vérifier la fiche » has shown its errors: the summary, the messages."""
    page = visite_neuve.ouvrir(PAGES["formulaire"])
    page.wait_for_selector("#ff-titre")
    page.check("#ff-c-ep1")
    page.click("#ff-verifier")
    assert page.locator("#ff-resume-erreurs a").count() > 0
    violations = visite_neuve.axe()
    assert not violations, f"{len(violations)} règle(s) axe-core en échec (formulaire en erreur) :\n{_rapport(violations)}"
    assert not visite_neuve.externes, f"requêtes hors de 127.0.0.1 : {visite_neuve.externes}"
