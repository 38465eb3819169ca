"""The site's French search (a Pagefind index, src/referentiel/sorties/recherche.py), used as a reader would.

The site built from the shipped data (``site_livre``) is served on 127.0.0.1 and
opened in Chromium, at a desktop and a phone width. Each test types its query
into the header's search box (on a phone: the magnifier first), as a reader
does, and reads the results the box shows: one per page, the page's path (no
``#section``), the kind shown above its title, its excerpt. Each width has one
tab, opened once on a fiche page, as a reader who searches several times.

The expected pages come from the data (``referentiel.lecture.charger``) and
their addresses from ``Urls``, as the site writes them. Every test also checks
that no request left 127.0.0.1 (the site works without a network) and that no
script failed.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import conftest
from conftest import ROOT, servir

import referentiel.lecture
from referentiel.pages import Urls, src_critere, src_dimension, src_fiche, src_indicateur
from referentiel.sorties import recherche

URLS = Urls(use_directory_urls=True)
LARGEURS = {
    "ordinateur": {"width": 1280, "height": 900},
    "telephone": {"width": 375, "height": 800},
}
# What a fiche page is opened on (the page a reader most often arrives at).
DEPART = "fiches/kerederm/"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
TAGS_WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="module")
def ref():
    resultat = referentiel.lecture.charger(ROOT / "data")
    assert not resultat.problemes
    return resultat.referentiel


@pytest.fixture(scope="module")
def serveur(site_livre: Path):
    with servir(site_livre) as url:
        yield url


@dataclass
class Resultat:
    chemin: str   # /criteres/ve2/
    genre: str    # « Critère »
    titre: str
    extrait: str


class Visite(conftest.Visite):
    """A tab at one width; every request is recorded in ``requetes``."""

    def __init__(self, navigateur, serveur: str, largeur: str, contexte=None):
        super().__init__(navigateur, serveur, viewport=LARGEURS[largeur], contexte=contexte)
        self.largeur = largeur
        self.requetes: list[str] = []
        self.page.on("request", lambda r: self.requetes.append(r.url))

    @property
    def ouverte(self) -> bool:
        return self.page.evaluate("() => document.getElementById('__search').checked")

    def ouvrir_la_recherche(self) -> None:
        """As a reader: a click in the box, or on the magnifier of a phone."""
        if self.ouverte:
            self.page.locator("input.md-search__input").click()
        elif self.largeur == "telephone":
            self.page.locator("label.md-header__button[for=__search]").click()
        else:
            self.page.locator("input.md-search__input").click()
        self.page.wait_for_function("() => document.getElementById('__search').checked")

    def attendre_resultats(self, requete: str) -> None:
        """Until the box shows the results of ``requete`` (recherche.js marks them)."""
        self.page.wait_for_function(
            "q => document.querySelector('[data-ref-recherche]').getAttribute('data-ref-resultats') === q",
            arg=requete, timeout=20_000)

    def chercher(self, requete: str) -> list[Resultat]:
        """Type ``requete`` in the header's box; the results shown, in order."""
        self.ouvrir_la_recherche()
        champ = self.page.locator("input.md-search__input")
        champ.fill("")
        champ.press_sequentially(requete, delay=15)
        self.attendre_resultats(requete)
        return self.resultats()

    def resultats(self) -> list[Resultat]:
        return [Resultat(**r) for r in self.page.evaluate("""() =>
            [...document.querySelectorAll('.md-search-result__item')].flatMap(li => {
                const lien = li.querySelector(':scope > a.md-search-result__link');
                if (!lien) return [];
                const h1 = lien.querySelector('h1');
                const genre = h1.querySelector('.ref-recherche__genre');
                return [{chemin: new URL(lien.href).pathname,
                         genre: genre ? genre.textContent.trim() : '',
                         titre: [...h1.childNodes].filter(n => n !== genre).map(n => n.textContent).join('').trim(),
                         extrait: lien.querySelector('p').textContent}];
            })""")]

    def plus(self) -> None:
        """All the results: « Afficher … de plus » until there is no more."""
        while self.page.locator(".ref-recherche__plus").count():
            n = self.page.locator(".md-search-result__item > a").count()
            self.page.locator(".ref-recherche__plus").click()
            self.page.wait_for_function("n => document.querySelectorAll('.md-search-result__item > a').length > n", arg=n)


@pytest.fixture(scope="module", params=list(LARGEURS))
def onglet(request, navigateur, serveur):
    """A width's tab, opened on a fiche page, shared by the module's searches."""
    v = Visite(navigateur, serveur, request.param)
    v.ouvrir(DEPART)
    yield v
    v.fermer()


@pytest.fixture
def visite(onglet):
    onglet.externes.clear()
    onglet.erreurs_js.clear()
    if urlsplit(onglet.page.url).path != f"/{DEPART}":
        onglet.ouvrir(DEPART)
    # The search closed, as the previous test may have left it open.
    onglet.page.evaluate("() => { document.getElementById('__search').checked = false; document.activeElement.blur(); }")
    yield onglet
    assert onglet.externes == [], f"requêtes hors de 127.0.0.1 : {onglet.externes}"
    assert onglet.erreurs_js == []


def chemin(src_uri: str) -> str:
    """The path of a page, as the browser shows it (``/criteres/ve2/``)."""
    return "/" + URLS.url(src_uri)


def chemins(resultats: list[Resultat]) -> list[str]:
    return [r.chemin for r in resultats]


# ---------------------------------------------------------------------------
# French that forgives: accents, case, elisions, stems


@pytest.mark.parametrize("requete", ["kerederm", "KEREDERM", "Kéréderm"])
def test_sans_accent_ni_majuscule(visite, ref, requete):
    fiche = next(f for f in ref.fiches if f.id == "kerederm")
    assert "Kéréderm" in fiche.titre
    resultats = visite.chercher(requete)
    assert resultats[0].chemin == chemin(src_fiche(fiche)), chemins(resultats)[:3]
    assert resultats[0].genre == "Fiche" and resultats[0].titre == fiche.titre


def test_elisions_isolement(visite, ref):
    """« isolement » finds « l'isolement » (the criterion VE2) and « d'isolement » (the indicator VE2.3)."""
    critere, indicateur = ref.criteres["VE2"], ref.indicateurs["VE2.3"]
    assert "l'isolement" in critere.description and "d'isolement" in indicateur.libelle
    trouves = chemins(visite.chercher("isolement"))
    assert chemin(src_critere(critere)) in trouves and chemin(src_indicateur(indicateur)) in trouves, trouves
    # And the other way round, with the typographic apostrophe a phone's keyboard types.
    trouves = chemins(visite.chercher("l’isolement"))
    assert chemin(src_critere(critere)) in trouves and chemin(src_indicateur(indicateur)) in trouves, trouves


def test_elisions_autoevaluation(visite, ref):
    """« autoevaluation » (no accents, no « d' ») finds the fiche « … la méthode d'autoévaluation … » first."""
    fiche = next(f for f in ref.fiches if f.id == "kerederm")
    assert "d'autoévaluation" in fiche.titre
    resultats = visite.chercher("autoevaluation")
    assert resultats[0].chemin == chemin(src_fiche(fiche)), chemins(resultats)[:3]
    # « d'autoévaluation » also finds the glossary entry « Autoévaluation », without elision.
    assert "/glossaire/" in chemins(visite.chercher("d'autoévaluation"))


def test_mots_de_la_meme_famille(visite, ref, site_livre):
    """French stemming: « isolement » finds « isolées », « accompagnement » finds « accompagné »."""
    fiche = next(f for f in ref.fiches if f.id == "fictif-espace-public-numerique")
    page = (site_livre / "fiches" / fiche.id / "index.html").read_text(encoding="utf-8")
    assert "personnes isolées" in page and "accompagné" in fiche.titre
    assert chemin(src_fiche(fiche)) in chemins(visite.chercher("isolement"))
    assert chemin(src_fiche(fiche)) in chemins(visite.chercher("accompagnement"))


# ---------------------------------------------------------------------------
# Ranking


@pytest.mark.parametrize("requete, critere_id", [
    ("lien social", "VE2"),
    ("accès aux droits", "IS2"),
    ("acces aux droits", "IS2"),  # typed without the accent
    ("Estime de soi", "EP1"),
    ("coopération entre acteurs", "TS4"),
], ids=["lien-social", "acces-aux-droits", "sans-accent", "estime-de-soi", "cooperation"])
def test_un_critere_puis_ses_indicateurs_et_sa_dimension_puis_les_fiches(visite, ref, requete, critere_id):
    critere = ref.criteres[critere_id]
    fiches = {chemin(src_fiche(f)) for f in ref.fiches_par_critere.get(critere_id, [])}
    assert fiches, f"aucune fiche n'utilise {critere_id} : le test ne vérifierait rien"
    proches = {chemin(src_indicateur(i)) for i in critere.indicateurs} | {chemin(src_dimension(critere.dimension))}

    resultats = visite.chercher(requete)
    visite.plus()
    resultats = visite.resultats()
    pages = chemins(resultats)

    assert pages[0] == chemin(src_critere(critere)), f"premier résultat : {pages[:3]}"
    assert resultats[0].genre == "Critère" and critere.titre in resultats[0].titre
    suivantes = pages[1:1 + len(proches)]
    assert set(suivantes) == proches, (
        f"après le critère, ses indicateurs et sa dimension ({sorted(proches)}) avant toute autre page ; "
        f"résultats : {pages[:1 + len(proches) + 2]}")
    # Then the fiches that use it, all of them found.
    assert fiches <= set(pages), sorted(fiches - set(pages))
    premiere_fiche = min(pages.index(f) for f in fiches)
    assert premiere_fiche > len(proches)


def _cas_page(ref):
    """(query, expected page) for each kind of page, from the data."""
    dimension = next(d for d in ref.dimensions if d.id == "IS")
    ind_id, ind_titre = ref.indicateurs["VE2.1"], ref.indicateurs["IS2.2"]
    fiches = {f.id: f for f in ref.fiches}
    parlons, demarches = fiches["parlons-en"], fiches["fictif-demarches-en-ligne"]
    return {
        "dimension": (dimension.titre, src_dimension(dimension), "Dimension"),
        "indicateur-id": (ind_id.id, src_indicateur(ind_id), "Indicateur"),
        # the title up to its first parenthesis or comma, as a reader would type it
        "indicateur-titre": (ind_titre.libelle.split(" (")[0].split(",")[0].rstrip("."),
                             src_indicateur(ind_titre), "Indicateur"),
        "fiche-titre-court": (parlons.titre, src_fiche(parlons), "Fiche"),
        "fiche-titre-long": (demarches.titre, src_fiche(demarches), "Fiche"),
    }


@pytest.mark.parametrize("cas", ["dimension", "indicateur-id", "indicateur-titre",
                                 "fiche-titre-court", "fiche-titre-long"])
def test_un_identifiant_ou_un_titre_trouve_sa_page(visite, ref, cas):
    requete, src_uri, genre = _cas_page(ref)[cas]
    resultats = visite.chercher(requete)
    assert resultats[0].chemin == chemin(src_uri), f"« {requete} » : {chemins(resultats)[:3]}"
    assert resultats[0].genre == genre


# ---------------------------------------------------------------------------
# What a result shows


# A lowercase letter glued to a capital: two cells or two labels read as one word
# (« IndicateurTypeValeur observée », « TypeImpact »). Names written so are not.
COLLES = re.compile(r"\w*[a-zà-öø-ÿ][A-ZÀ-ÖØ-Þ]\w*")
NOMS = {"JavaScript", "MkDocs", "GitHub", "LibreOffice", "OpenStreetMap", "PowerPoint", "WordPress", "YouTube"}


@pytest.mark.parametrize("requete", ["réalisation", "feuilles d'émargement", "Non mesuré"])
def test_extraits_lisibles(visite, requete):
    """Excerpts of table cells, definition lists and headings read as text."""
    resultats = visite.chercher(requete)
    visite.plus()
    resultats = visite.resultats()
    assert len(resultats) > 3
    for r in resultats:
        assert set(COLLES.findall(r.extrait)) <= NOMS, f"{r.chemin} : « {r.extrait} »"
        assert "¶" not in r.extrait and "¶" not in r.titre, r
        assert r.extrait.strip() and r.titre.strip(), r


def test_le_nombre_de_resultats_est_annonce(visite):
    """Screen readers hear the number of results: the line above them is a live region (role=status)."""
    resultats = visite.chercher("médiation")
    etat = visite.page.locator(".md-search-result__meta")
    assert etat.get_attribute("role") == "status"
    assert re.fullmatch(r"\d+ pages trouvées", etat.text_content().strip())
    assert visite.page.locator(".md-search-result__list").get_attribute("role") == "list"
    visite.chercher("xyzzyq")
    assert etat.text_content().strip() == "Aucune page ne correspond à « xyzzyq »"
    assert resultats


# ---------------------------------------------------------------------------
# Keyboard, as Material's search


@pytest.mark.parametrize("touche", ["/", "s", "f"])
def test_raccourci_clavier_ouvre_la_recherche(visite, touche):
    page = visite.page
    avant = page.locator("input.md-search__input").input_value()
    page.locator(".md-content h1").click()  # the focus in the page, not in a field
    page.keyboard.press(touche)
    page.wait_for_function("() => document.getElementById('__search').checked")
    assert page.evaluate("() => document.activeElement.classList.contains('md-search__input')")
    assert page.locator("input.md-search__input").input_value() == avant, "la touche a été tapée dans le champ"
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.getElementById('__search').checked")
    assert not page.evaluate("() => document.activeElement.classList.contains('md-search__input')")


def test_fleches_entree_echap(visite, ref):
    page = visite.page
    page.locator(".md-content h1").click()
    page.keyboard.press("/")
    page.keyboard.type("lien social", delay=15)
    visite.attendre_resultats("lien social")
    liens = page.evaluate("() => [...document.querySelectorAll('.md-search-result__list a[href]')].map(a => a.href)")
    assert len(liens) > 2

    def actif():
        return page.evaluate("() => document.activeElement.href || document.activeElement.className")

    page.keyboard.press("ArrowDown")
    assert actif() == liens[0]
    page.keyboard.press("ArrowDown")
    assert actif() == liens[1]
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert "md-search__input" in actif()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.getElementById('__search').checked")
    # Enter opens the first (best) result.
    page.keyboard.press("/")
    page.wait_for_function("() => document.getElementById('__search').checked")
    assert page.locator("input.md-search__input").input_value() == "lien social"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlsplit(page.url).path == chemin(src_critere(ref.criteres["VE2"]))


def test_accessible_avec_les_resultats(visite):
    """axe-core on a page whose search shows its results: no WCAG 2.1 A/AA violation."""
    if not AXE.exists():
        pytest.fail(f"axe-core introuvable ({AXE.relative_to(ROOT)}) : lancez « npm ci »")
    visite.chercher("lien social")
    visite.page.add_script_tag(path=str(AXE))
    violations = visite.page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"
        ".then(r => r.violations.map(v => v.id + ' : ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ')))",
        TAGS_WCAG)
    assert violations == []


# ---------------------------------------------------------------------------
# Weight: nothing before use, only the site


def _de_la_recherche(url: str) -> bool:
    chemin_ = urlsplit(url).path
    return chemin_.startswith(f"/{recherche.DOSSIER}/") or "recherche" in chemin_.rsplit("/", 1)[-1]


@pytest.mark.parametrize("largeur", list(LARGEURS))
def test_rien_de_la_recherche_avant_usage(navigateur, serveur, largeur):
    """A page loads nothing of the search until the reader uses the box; then its index, from the site."""
    v = Visite(navigateur, serveur, largeur)
    try:
        v.page.goto(f"{serveur}/{DEPART}", wait_until="networkidle")
        v.page.mouse.wheel(0, 2000)
        v.page.wait_for_timeout(300)
        assert [u for u in v.requetes if _de_la_recherche(u)] == []
        assert all(urlsplit(u).hostname == "127.0.0.1" for u in v.requetes)
        v.chercher("confiance")
        recherche_ = [urlsplit(u).path for u in v.requetes if _de_la_recherche(u)]
        assert "/javascripts/recherche.js" in recherche_
        assert any(p.startswith(f"/{recherche.DOSSIER}/index/") for p in recherche_)
        assert any(p.startswith(f"/{recherche.DOSSIER}/fragment/") for p in recherche_)
        assert v.externes == [] and v.erreurs_js == []
    finally:
        v.fermer()


def test_un_serveur_statique_quelconque(navigateur, site_livre, tmp_path):
    """The built folder, served by « python3 -m http.server », searches (nothing else runs)."""
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                             "--directory", str(site_livre)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        v = Visite(navigateur, base, "ordinateur")
        try:
            for _ in range(100):
                try:
                    v.page.goto(f"{base}/", wait_until="load")
                    break
                except Exception:  # noqa: BLE001 - the server is starting
                    time.sleep(0.1)
            assert v.chercher("kerederm")[0].chemin == "/fiches/kerederm/"
            assert v.externes == [] and v.erreurs_js == []
        finally:
            v.fermer()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_sans_index_la_boite_le_dit(navigateur, site_livre, tmp_path):
    """A site without its index (a folder copied without pagefind/) says so in the box, in French."""
    copie = tmp_path / "site"
    shutil.copytree(site_livre, copie, ignore=shutil.ignore_patterns(recherche.DOSSIER))
    with servir(copie) as base:
        v = Visite(navigateur, base, "ordinateur")
        try:
            v.ouvrir("")
            v.chercher("kerederm")
            assert "« make build »" in v.page.locator(".md-search-result__meta").text_content()
        finally:
            v.fermer()


# ---------------------------------------------------------------------------
# The index itself (read as the browser reads it, without a browser)


def test_l_index_donne_le_genre_de_chaque_page(site_livre, ref):
    entree = json.loads((site_livre / recherche.DOSSIER / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entree["languages"]) == ["fr"]
    genres = {f["url"]: f["meta"]["genre"] for f in recherche.fragments(site_livre)}
    for f in ref.fiches:
        assert genres[chemin(src_fiche(f))] == "fiche"
    for d in ref.dimensions:
        assert genres[chemin(src_dimension(d))] == "dimension"
        for c in d.criteres:
            assert genres[chemin(src_critere(c))] == "critere"
            for i in c.indicateurs:
                assert genres[chemin(src_indicateur(i))] == "indicateur"
    assert genres["/"] == genres["/glossaire/"] == "autre"
    assert "/404.html" not in genres
    # Only what the site uses: no Pagefind interface, no index without a language.
    noms = {p.name for p in (site_livre / recherche.DOSSIER).iterdir()}
    assert not {n for n in noms if "-ui" in n or "highlight" in n or "unknown" in n}, noms


def test_ce_qui_n_est_pas_indexe(site_livre):
    """The header, menus, banner and footer are not indexed; nor, in the content, the column
    headers of tables, the « ¶ » of headings and, on a fiche, the names of the criteria and
    indicators it uses (the lists of fiches: test_site.py)."""
    fragments = {f["url"]: f for f in recherche.fragments(site_livre)}
    for url, f in fragments.items():
        texte = f["content"]
        # « ¶ », column headers (« Valeur observée » heads the tables of fiches and
        # indicators), the footer's credits.
        assert "¶" not in texte and "Valeur observée" not in texte and "Construit avec" not in texte, url
    for url in ("/fiches/kerederm/", "/criteres/ve2/", "/indicateurs/ve2-1/"):
        texte = fragments[url]["content"]
        # The skip link, the banner, the menu.
        assert "Aller au contenu" not in texte and "Télécharger le rapport" not in texte, url
        assert "Bilan et suites" not in texte and "Sources et contact" not in texte, url
    kerederm = fragments["/fiches/kerederm/"]["content"]
    assert "TS1.1 · Nombre de pratiques" not in kerederm and "Non mesuré (fiche d'exemple)" in kerederm


def test_la_copie_indexee():
    """What Pagefind reads of a page: its content, with its kind; typographic apostrophes
    straightened; labels that would be glued become blocks; marked blocks left out."""
    page = ('<html lang="fr"><body><header>En-tête</header><div class="md-content">'
            '<article class="md-content__inner md-typeset"><h1>Titre</h1>'
            "<p>Rompre l’isolement.</p><dl><dt>Type</dt><dd>Impact</dd></dl>"
            '<section class="ref-bloc" data-search-exclude><article class="ref-usage"><p>Liste</p>'
            "</article><section><p>imbriquée</p></section></section><p>Après</p></article></div>"
            "<footer>Pied</footer></body></html>")
    copie = recherche.copie_a_indexer(page, recherche.Meta("critere", "VE2 · Lien social"))
    assert "En-tête" not in copie and "Pied" not in copie
    assert "Rompre l'isolement." in copie
    assert "<div>Type</div><div>Impact</div>" in copie
    assert "Liste" not in copie and "imbriquée" not in copie and "<p>Après</p>" in copie
    assert 'data-pagefind-meta="genre:critere"' in copie and 'data-pagefind-meta="criteres:VE2 · Lien social"' in copie
    assert recherche.copie_a_indexer("<html><body><p>Sans contenu</p></body></html>", recherche.Meta()) is None


def test_un_titre_hostile_s_affiche_comme_texte(navigateur, tmp_path):
    """Markup in a fiche's title and text is shown as text in the results, never run."""
    (tmp_path / "projet").mkdir()
    projet = conftest.creer_projet(tmp_path / "projet")
    titre = "<img src=x onerror=alert(1)> Atelier piégé <b>gras</b>"
    fiche = conftest.FICHE_VALIDE.replace("titre: Atelier d'essai", f'titre: "{titre}"').replace(
        "Les participants osent davantage", "Les participants <script>alert(2)</script> osent davantage")
    conftest.creer_donnees(projet, {"essai.yaml": fiche}, avec_fiches_livrees=True)
    sortie = conftest.construire(projet)
    assert sortie.code == 0, sortie.stderr
    with servir(projet / "site") as base:
        v = Visite(navigateur, base, "ordinateur")
        try:
            v.ouvrir("")
            dialogues = []
            v.page.on("dialog", lambda d: (dialogues.append(d.message), d.dismiss()))
            resultats = v.chercher("piégé")
            assert resultats[0].titre == titre
            resultats = v.chercher("osent davantage")
            assert "<script>alert(2)</script>" in " ".join(r.extrait for r in resultats)
            assert v.page.locator(".md-search-result img, .md-search-result script, .md-search-result b").count() == 0
            assert dialogues == [] and v.erreurs_js == []
        finally:
            v.fermer()


# ---------------------------------------------------------------------------
# The preview


def test_l_apercu_cherche_aussi(navigateur, tmp_path):
    """``make serve`` (mkdocs serve) writes the index after each build, in the background."""
    import os
    import signal
    import socket

    (tmp_path / "projet").mkdir()
    projet = conftest.creer_projet(tmp_path / "projet")
    shutil.copytree(ROOT / "data", projet / "data")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = conftest.env_sans_ci()
    env.pop("REFERENTIEL_PDF", None)
    journal = open(tmp_path / "serve.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen([str(Path(sys.executable).with_name("mkdocs")), "serve", "--dev-addr",
                             f"127.0.0.1:{port}"], cwd=projet, env=env, stdout=journal,
                            stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        limite = time.monotonic() + 300
        while "Recherche : " not in (tmp_path / "serve.log").read_text(encoding="utf-8"):
            assert time.monotonic() < limite and proc.poll() is None, (tmp_path / "serve.log").read_text()
            time.sleep(0.2)
        v = Visite(navigateur, base, "ordinateur")
        try:
            v.ouvrir(DEPART)
            assert v.chercher("lien social")[0].chemin == "/criteres/ve2/"
            assert v.externes == [] and v.erreurs_js == []
        finally:
            v.fermer()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
        journal.close()
