"""The public site's journey as a reader meets it: the home page's first
screen, the site's identity, the 404, the keyboard order, the glossary terms,
and the links that last (with and without SITE_URL)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import Visite, construire, creer_donnees, creer_projet, servir
from test_site import analyser, lire

TELEPHONE = {"width": 375, "height": 667}
BUREAU = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def serveur(site_livre):
    with servir(site_livre) as url:
        yield url


def visiter(navigateur, serveur, chemin, viewport):
    v = Visite(navigateur, serveur, viewport=viewport)
    v.ouvrir(chemin)
    return v


# -- home page -----------------------------------------------------------------

def test_accueil_premier_ecran_sur_telephone(navigateur, serveur):
    """At 375 × 667 the first screen says what the site is and shows the four
    dimensions (each with its criteria count), the report and « Proposer une fiche »."""
    v = visiter(navigateur, serveur, "", TELEPHONE)
    try:
        p = v.page
        assert p.locator("h1").count() == 1
        assert p.locator(".ref-accroche").inner_text().startswith("Des critères et des indicateurs")
        cartes = p.locator(".ref-accueil__carte")
        assert cartes.count() == 4
        for i in range(4):
            texte = cartes.nth(i).inner_text()
            assert re.search(r"\d+ critères?", texte), texte
            boite = cartes.nth(i).bounding_box()
            assert boite["y"] + boite["height"] <= TELEPHONE["height"], texte
        for nom in ("Télécharger le rapport", "Proposer une fiche"):
            lien = p.get_by_role("link", name=re.compile(nom))
            boite = lien.bounding_box()
            assert 0 <= boite["x"] and boite["x"] + boite["width"] <= 375, nom
            assert boite["y"] + boite["height"] <= TELEPHONE["height"], nom
        # The title is not repeated by the banner on the home page (its button is there).
        assert p.locator(".ref-bandeau").count() == 0
        href = p.get_by_role("link", name="Proposer une fiche").get_attribute("href")
        assert href == "contribuer/proposer-une-fiche/"
        assert v.erreurs_js == [] and v.externes == []
    finally:
        v.fermer()


def test_cartes_de_l_accueil_menent_aux_dimensions(site_livre):
    html = lire(site_livre, "")
    for d in ("ep", "ve", "is", "ts"):
        assert f'class="ref-accueil__carte" href="dimensions/{d}/"' in html, d
    # The entry points are for the web only: the report's first chapter,
    # printed from this page, keeps its prose without them.
    from pypdf import PdfReader
    rapport = next((site_livre / "telechargements").glob("rapport-*.pdf"))
    texte = " ".join(page.extract_text() for page in PdfReader(rapport).pages[:6])
    assert "Le référentiel en bref" in texte
    assert "Explorer le référentiel par dimension" not in texte and "Proposer une fiche" not in texte


# -- identity -------------------------------------------------------------------

def test_titre_de_page_plus_fort_que_les_intertitres(navigateur, serveur):
    v = visiter(navigateur, serveur, "fiches/kerederm/", BUREAU)
    try:
        style = v.page.evaluate("""() => {
            const s = e => { const c = getComputedStyle(document.querySelector(e));
                             return {poids: parseInt(c.fontWeight), taille: parseFloat(c.fontSize), couleur: c.color}; };
            return {h1: s('.md-content h1'), h2: s('.md-content h2')};
        }""")
        assert style["h1"]["poids"] >= 700 and style["h1"]["poids"] > style["h2"]["poids"] - 1
        assert style["h1"]["taille"] > style["h2"]["taille"]
        # Dark text, not Material's light grey.
        r, g, b = map(int, re.findall(r"\d+", style["h1"]["couleur"])[:3])
        assert max(r, g, b) < 80, style["h1"]["couleur"]
        couleur = v.page.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor")
        assert couleur == "rgb(13, 92, 99)"  # the site's own petrol blue, not Material's indigo
        # The site's mark (four squares: the four dimensions), inline in the header.
        assert v.page.locator(".md-header__button.md-logo svg rect").count() == 4
    finally:
        v.fermer()


def test_pied_de_page_en_francais(site_livre):
    for url in ("", "fiches/kerederm/", "criteres/ep1/"):
        html = lire(site_livre, url)
        pied = html[html.index('<footer class="md-footer">'):]
        assert "Made with" not in pied
        assert re.search(r"Construit avec\s+<a href=\"https://www.mkdocs.org/\">MkDocs</a> et\s+<a[^>]*>Material for MkDocs</a>",
                         pied), url
        assert "Creative Commons BY-SA 4.0" in pied
        assert re.search(r'<a href="[^"]*accessibilite/">Accessibilité : partiellement conforme</a>', pied), url


# -- 404 ------------------------------------------------------------------------

def test_404_en_francais(site_livre):
    html = lire(site_livre, "404.html")
    assert "<h1>Page introuvable</h1>" in html and "Not found" not in html
    assert "<title>Page introuvable" in html
    hrefs = analyser(html).hrefs
    # Served at any depth: every internal link is absolute from the root.
    internes = [h for h in hrefs if not h.startswith(("http:", "https:", "#"))]
    assert internes and all(h.startswith("/") and not h.startswith("//") for h in internes), internes
    assert "/fiches/" in hrefs and "/matrice/" in hrefs and "/referentiel/" in hrefs
    assert sum(h.startswith("/criteres/") for h in hrefs) == 14
    # The banner's report link (http://telechargements/… before: "/" + "/telechargements").
    assert re.search(r'class="ref-bandeau" href="/telechargements/[^"]+\.pdf"', html)


@pytest.mark.parametrize("viewport", [TELEPHONE, BUREAU], ids=["375", "1280"])
def test_404_liens_et_recherche_dans_le_navigateur(navigateur, serveur, site_livre, viewport):
    v = visiter(navigateur, serveur, "404.html", viewport)
    try:
        p = v.page
        for h in analyser(lire(site_livre, "404.html")).hrefs:
            if h.startswith("/") and not h.startswith("//"):
                chemin = urlsplit(h).path.lstrip("/")
                cible = site_livre / chemin
                assert (cible / "index.html").is_file() or cible.is_file() or chemin in ("", "."), h
        bouton = p.get_by_role("button", name="Chercher dans le site")
        bouton.click()
        assert p.evaluate("document.activeElement.classList.contains('md-search__input')")
        # The search works from the 404 (served at any depth: absolute paths).
        p.keyboard.type("lien social")
        p.wait_for_selector(".md-search-result__item", timeout=10_000)
        assert "VE2 · Lien social" in p.locator(".md-search-result__item").first.inner_text()
        # Every link is inside the screen's width.
        assert p.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        assert v.erreurs_js == []
    finally:
        v.fermer()


# -- keyboard -------------------------------------------------------------------

def _tabs_jusqu_au_contenu(page, maximum=60) -> int:
    for n in range(1, maximum + 1):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('.md-content')"):
            return n
    return maximum + 1


@pytest.mark.parametrize("viewport", [TELEPHONE, BUREAU], ids=["375", "1280"])
def test_le_contenu_vient_d_abord_au_clavier(navigateur, serveur, viewport):
    """On a fiche page the content comes right after the header (skip link, logo,
    search), before the site's navigation and the table of contents."""
    v = visiter(navigateur, serveur, "fiches/kerederm/", viewport)
    try:
        # Skip link, report banner, logo, search box: then the content (it was the 34th Tab).
        assert _tabs_jusqu_au_contenu(v.page) <= 5
        # The sidebars are still on screen where they were, at 1280 px.
        if viewport is BUREAU:
            nav = v.page.locator(".md-sidebar--primary").bounding_box()
            toc = v.page.locator(".md-sidebar--secondary").bounding_box()
            contenu = v.page.locator(".md-content").bounding_box()
            assert nav["x"] < contenu["x"] < toc["x"]
    finally:
        v.fermer()


@pytest.mark.parametrize("viewport", [TELEPHONE, BUREAU], ids=["375", "1280"])
def test_termes_du_glossaire_atteints_au_clavier(navigateur, serveur, site_livre, viewport):
    v = visiter(navigateur, serveur, "", viewport)
    try:
        p = v.page
        for _ in range(40):
            p.keyboard.press("Tab")
            if p.evaluate("document.activeElement.classList.contains('ref-terme')"):
                break
        else:
            pytest.fail("aucun terme du glossaire atteint au clavier")
        terme = p.evaluate("document.activeElement.textContent.trim()")
        definition = p.evaluate("document.activeElement.querySelector('abbr').title")
        assert terme == "médiation numérique" and definition.startswith("Actions qui accompagnent")
        href = p.evaluate("document.activeElement.getAttribute('href')")
        assert href == "glossaire/#mediation-numerique"
        p.keyboard.press("Enter")
        p.wait_for_url(re.compile(r"/glossaire/#mediation-numerique$"))
        assert p.locator("#mediation-numerique").count() == 1
    finally:
        v.fermer()


def test_chaque_terme_mene_a_son_entree(site_livre):
    ids = analyser(lire(site_livre, "glossaire/")).ids
    vus = set()
    for page in site_livre.rglob("index.html"):
        html = page.read_text(encoding="utf-8")
        for m in re.finditer(r'<a class="ref-terme" href="([^"]+)"><abbr title="[^"]+">', html):
            ancre = m.group(1).split("#")[1]
            assert ancre in ids, (page, ancre)
            vus.add(ancre)
        # No glossary tooltip is left out of reach (outside a link, a heading or the glossary).
        if "glossaire" not in page.parts:
            sans_lien = re.sub(r'<a class="ref-terme"[^>]*><abbr.*?</abbr></a>|<h[1-6].*?</h[1-6]>|<a\b.*?</a>', "",
                               html, flags=re.S)
            assert "<abbr" not in sans_lien, page
    assert len(vus) >= 8


# -- links that last --------------------------------------------------------------

SITE_URL = "https://exemple.org/referentiel/"


@pytest.fixture(scope="module")
def site_publie(tmp_path_factory) -> Path:
    """The shipped data built as the publish workflow does: SITE_URL set."""
    projet = creer_projet(tmp_path_factory.mktemp("publie"))
    creer_donnees(projet, avec_fiches_livrees=True)
    sortie = construire(projet, env={"SITE_URL": SITE_URL, "SOURCE_DATE_EPOCH": "1764115200"})
    assert sortie.code == 0, sortie.stderr
    return projet / "site"


def test_avec_site_url_liens_absolus_partout(site_publie):
    plan = (site_publie / "sitemap.xml").read_text(encoding="utf-8")
    adresses = set(re.findall(r"<loc>([^<]+)</loc>", plan))
    pages = [str(p.parent.relative_to(site_publie)) for p in site_publie.rglob("index.html")]
    for chemin in pages:
        url = "" if chemin == "." else chemin + "/"
        absolue = urljoin(SITE_URL, url)
        html = (site_publie / (url or ".") / "index.html").read_text(encoding="utf-8")
        assert f'<link rel="canonical" href="{absolue}">' in html, url
        assert absolue in adresses, url
    assert len(adresses) == len(pages)
    for url in ("fiches/kerederm/", "criteres/ep1/", "dimensions/ep/", "indicateurs/ep1-1/"):
        html = lire(site_publie, url)
        absolue = SITE_URL + url
        assert f'<a href="{absolue}" class="ref-permalien">Lien permanent</a>' in html, url
        citation = re.search(r'<p class="ref-citation" id="citation">([^<]+)</p>', html).group(1)
        assert absolue in citation, url


def test_sans_site_url_pas_de_lien_permanent_trompeur(site_livre):
    for page in site_livre.rglob("index.html"):
        html = page.read_text(encoding="utf-8")
        assert 'href="./" class="ref-permalien"' not in html, page
        assert "ref-permalien" not in html, page
        assert 'rel="canonical"' not in html, page


# -- page weight -------------------------------------------------------------------

def test_css_et_js_seulement_sur_les_pages_qui_s_en_servent(site_livre):
    """tableaux.js and formulaire.css loaded on every page before: now only where used."""
    besoins = {"tableaux.js": {"fiches/", "referentiel/"},
               "formulaire.css": {"contribuer/proposer-une-fiche/"}}
    for page in site_livre.rglob("index.html"):
        url = "" if page.parent == site_livre else str(page.parent.relative_to(site_livre)) + "/"
        html = page.read_text(encoding="utf-8")
        for fichier, pages in besoins.items():
            charge = re.search(rf'(src|href)="[^"]*/{re.escape(fichier)}"', html) is not None
            assert charge == (url in pages), (fichier, url)


def test_formulaire_sans_bouton_haut_de_page_sur_le_resume(navigateur, serveur):
    """After « Vérifier », the form scrolls up to its list of points to correct:
    Material's « Retour en haut de la page », shown on scrolling up, covered it."""
    v = visiter(navigateur, serveur, "contribuer/proposer-une-fiche/?fiche=kerederm", TELEPHONE)
    try:
        p = v.page
        p.get_by_role("button", name="Vérifier et voir l'aperçu").click()
        p.wait_for_timeout(500)
        assert not p.locator(".md-top").is_visible()
    finally:
        v.fermer()
