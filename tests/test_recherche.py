"""The site's French search (Material's lunr in a web worker, ``lang: fr``), used as a reader would.

The site built from the shipped data (``site_livre``) is served on 127.0.0.1 and
opened in Chromium; each test types a query into the search box of the home
page and reads the results Material shows. The home page is opened once for
the module, as a reader who searches several times: each test empties the box,
then types its query. Material groups its results per
page (the page first, then its sections): the tests compare the pages, in the
order shown, by their path (no ``#section``, no ``?h=`` highlight).

The expected pages come from the data: the fiches that use a criterion are
read from ``data/fiches/*.yaml`` (their ``contributions``), the addresses from
``Urls`` as the site writes them.
"""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
import conftest
from conftest import ROOT, servir

import referentiel.lecture
from referentiel.pages import Urls, src_critere, src_dimension, src_fiche, src_indicateur

URLS = Urls(use_directory_urls=True)


@pytest.fixture(scope="module")
def ref():
    resultat = referentiel.lecture.charger(ROOT / "data")
    assert not resultat.problemes
    return resultat.referentiel


@pytest.fixture(scope="module")
def serveur(site_livre: Path):
    with servir(site_livre) as url:
        yield url


class Visite(conftest.Visite):
    """The home page; requests off 127.0.0.1 and script errors are recorded."""

    def chercher(self, requete: str) -> list[tuple[str, str]]:
        """Type ``requete`` in the search box of the home page, as a reader does.

        Returns the pages of the results, in the order shown: ``(path, title)``.
        """
        page = self.page
        if urlsplit(page.url).path != "/":
            page.goto(f"{self.origine}/", wait_until="load")
        champ = page.locator("input.md-search__input")
        champ.click()
        # The previous query, if any, erased: no result left on the page.
        champ.fill("")
        page.wait_for_selector(".md-search-result__item", state="detached")
        champ.press_sequentially(requete, delay=20)
        page.wait_for_selector(".md-search-result__item", timeout=15_000)
        # Results follow each keystroke: wait until the list no longer changes.
        precedent, fin = None, time.monotonic() + 10
        while time.monotonic() < fin:
            page.wait_for_timeout(300)
            resultats = page.evaluate("""() => {
                const out = [];
                for (const item of document.querySelectorAll('.md-search-result__item')) {
                    const lien = item.querySelector('a.md-search-result__link');
                    if (!lien) continue;
                    const chemin = new URL(lien.href).pathname;
                    const titre = (lien.querySelector('h1, h2') || lien).textContent
                        .replace(/\\s+/g, ' ').trim();
                    if (!out.some(r => r[0] === chemin)) out.push([chemin, titre]);
                }
                return out;
            }""")
            if resultats == precedent:
                return [tuple(r) for r in resultats]
            precedent = resultats
        raise AssertionError(f"les résultats de « {requete} » ne se stabilisent pas : {precedent}")


@pytest.fixture(scope="module")
def accueil(navigateur, serveur):
    """The home page, opened once for the module's searches."""
    v = Visite(navigateur, serveur)
    yield v
    v.fermer()


@pytest.fixture
def visite(accueil):
    accueil.externes.clear()
    accueil.erreurs_js.clear()
    yield accueil
    assert accueil.externes == [], f"requêtes hors de 127.0.0.1 : {accueil.externes}"
    assert accueil.erreurs_js == []


def chemin(src_uri: str) -> str:
    """The path of a page, as the browser shows it (``/criteres/ve2/``)."""
    return "/" + URLS.url(src_uri)


def fiches_du_critere(ref, critere_id: str) -> set[str]:
    """Paths of the fiches whose YAML file has a contribution to ``critere_id``."""
    par_id = {f.id: f for f in ref.fiches}
    chemins = set()
    for fichier in sorted((ROOT / "data" / "fiches").glob("*.yaml")):
        if fichier.name.startswith("_"):
            continue  # the model, not a fiche
        donnees = yaml.safe_load(fichier.read_text(encoding="utf-8"))
        if any(c.get("critere") == critere_id for c in donnees.get("contributions") or []):
            chemins.add(chemin(src_fiche(par_id[donnees["id"]])))
    return chemins


# ---------------------------------------------------------------------------


@pytest.mark.parametrize("requete, critere_id", [
    ("lien social", "VE2"),
    ("accès aux droits", "IS2"),
    ("acces aux droits", "IS2"),  # typed without the accent
], ids=["lien-social", "acces-aux-droits", "sans-accent"])
def test_un_critere_puis_les_fiches_qui_l_utilisent(visite, ref, requete, critere_id):
    critere = ref.criteres[critere_id]
    fiches = fiches_du_critere(ref, critere_id)
    assert fiches, f"aucune fiche n'utilise {critere_id} : le test ne vérifierait rien"

    resultats = visite.chercher(requete)
    pages = [p for p, _ in resultats]

    assert pages[0] == chemin(src_critere(critere)), f"premier résultat : {resultats[:3]}"
    assert critere.titre in resultats[0][1]
    suivantes = pages[1:1 + len(fiches)]
    assert set(suivantes) == fiches, (
        f"après le critère, les fiches qui l'utilisent ({sorted(fiches)}) devraient venir avant toute "
        f"autre page ; résultats : {pages[:1 + len(fiches) + 2]}")


def _cas_page(ref):
    """(query, expected page) for each kind of page, from the data."""
    dimension = next(d for d in ref.dimensions if d.id == "IS")
    ind_id, ind_titre = ref.indicateurs["VE2.1"], ref.indicateurs["IS2.2"]
    fiches = {f.id: f for f in ref.fiches}
    parlons, demarches = fiches["parlons-en"], fiches["fictif-demarches-en-ligne"]
    return {
        "dimension": (dimension.titre, src_dimension(dimension)),
        "indicateur-id": (ind_id.id, src_indicateur(ind_id)),
        # the title up to its first parenthesis or comma, as a reader would type it
        "indicateur-titre": (ind_titre.libelle.split(" (")[0].split(",")[0].rstrip("."),
                             src_indicateur(ind_titre)),
        "fiche-titre-court": (parlons.titre, src_fiche(parlons)),
        "fiche-titre-long": (demarches.titre, src_fiche(demarches)),
    }


@pytest.mark.parametrize("cas", ["dimension", "indicateur-id", "indicateur-titre",
                                 "fiche-titre-court", "fiche-titre-long"])
def test_un_identifiant_ou_un_titre_trouve_sa_page(visite, ref, cas):
    requete, src_uri = _cas_page(ref)[cas]
    resultats = visite.chercher(requete)
    assert resultats[0][0] == chemin(src_uri), f"« {requete} » : {resultats[:3]}"
