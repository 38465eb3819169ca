"""The site built from the shipped data, as the public meets it."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import yaml
from conftest import ROOT

from referentiel.sorties import recherche

FICHES = sorted((ROOT / "data" / "fiches").glob("[!_]*.yaml"))
CRITERES = yaml.safe_load((ROOT / "data" / "criteres.yaml").read_text(encoding="utf-8"))


def lire(site: Path, url: str) -> str:
    path = site / url.strip("/") / "index.html" if not url.endswith(".html") else site / url
    return path.read_text(encoding="utf-8")


class Liens(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        d = dict(attrs)
        if d.get("id"):
            self.ids.add(d["id"])
        if tag == "a" and d.get("href"):
            self.hrefs.append(d["href"])


def analyser(html: str) -> Liens:
    p = Liens()
    p.feed(html)
    return p


def liens_absolus(site: Path, url: str) -> set[str]:
    """The site-relative targets of every internal link of a page."""
    base = "http://site/" + url
    out = set()
    for href in analyser(lire(site, url)).hrefs:
        cible = urljoin(base, href)
        if cible.startswith("http://site/"):
            out.add(cible[len("http://site/"):].split("#")[0])
    return out


def fiche(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_pages_aux_url_stables(site_livre):
    for url in ["", "referentiel/", "fiches/", "matrice/", "dimensions/ep/", "dimensions/ts/",
                "criteres/ep1/", "criteres/ve2/", "indicateurs/ep1-1/", "indicateurs/ts3-3/",
                "fiches/intergeneration/", "sources/", "glossaire/"]:
        html = lire(site_livre, url)
        assert '<html lang="fr"' in html, url
    for path in FICHES:
        assert (site_livre / "fiches" / path.stem / "index.html").is_file()


def test_une_page_par_dimension_critere_indicateur(site_livre):
    for d in CRITERES["dimensions"]:
        html = lire(site_livre, f"dimensions/{d['id'].lower()}/")
        assert d["titre"] in html
        for c in d["criteres"]:
            html_c = lire(site_livre, f"criteres/{c['id'].lower()}/")
            assert c["titre"] in html_c
            for i in c["indicateurs"]:
                html_i = lire(site_livre, f"indicateurs/{i['id'].lower().replace('.', '-')}/")
                assert i["id"] in html_i and "Comment le mesurer" in html_i


def test_liens_croises_dans_les_deux_sens(site_livre):
    for path in FICHES:
        f = fiche(path)
        url_fiche = f"fiches/{f['id']}/"
        depuis_fiche = liens_absolus(site_livre, url_fiche)
        for contrib in f["contributions"]:
            url_c = f"criteres/{contrib['critere'].lower()}/"
            # fiche -> criterion, criterion -> fiche
            assert url_c in depuis_fiche, (url_fiche, url_c)
            assert url_fiche in liens_absolus(site_livre, url_c), (url_c, url_fiche)
            for obs in contrib["indicateurs"]:
                url_i = f"indicateurs/{obs['id'].lower().replace('.', '-')}/"
                assert url_i in depuis_fiche, (url_fiche, url_i)
                assert url_fiche in liens_absolus(site_livre, url_i), (url_i, url_fiche)


def test_page_indicateur_donne_valeur_et_source(site_livre):
    f = fiche(ROOT / "data" / "fiches" / "intergeneration.yaml")
    obs = f["contributions"][0]["indicateurs"][0]
    html = lire(site_livre, f"indicateurs/{obs['id'].lower().replace('.', '-')}/")
    texte = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))
    premier_mot = obs["valeur"].split()[0]
    assert premier_mot in texte
    if obs.get("source"):
        assert obs["source"] in texte
    assert "Fiches qui renseignent cet indicateur (" in texte


def test_fiches_d_exemple_signalees(site_livre):
    for path in FICHES:
        f = fiche(path)
        html = lire(site_livre, f"fiches/{f['id']}/")
        if f["statut"] == "exemple":
            assert "Fiche d&#39;exemple" in html or "Fiche d'exemple" in html
            assert "ses valeurs n'ont pas été mesurées" in html
    tableau = lire(site_livre, "fiches/")
    assert tableau.count('class="ref-statut ref-statut--exemple"') == sum(
        fiche(p)["statut"] == "exemple" for p in FICHES)


def test_matrice(site_livre):
    html = lire(site_livre, "matrice/")
    nb_criteres = sum(len(d["criteres"]) for d in CRITERES["dimensions"])
    for d in CRITERES["dimensions"]:
        assert f'colspan="{len(d["criteres"])}"' in html
    for path in FICHES:
        f = fiche(path)
        for contrib in f["contributions"]:
            ancre = contrib["critere"].lower()
            assert f'href="../fiches/{f["id"]}/#{ancre}"' in html
            # the anchor exists on the fiche page
            assert ancre in analyser(lire(site_livre, f"fiches/{f['id']}/")).ids
    # marks carry text, not only colour
    nb_oui = html.count('class="ref-oui"')
    nb_non = html.count('class="ref-non"')
    assert nb_oui + nb_non == nb_criteres * len(FICHES)
    assert html.count("utilise") >= nb_oui


def test_referentiel_compte_les_fiches(site_livre):
    html = lire(site_livre, "referentiel/")
    nb_ind = sum(len(c["indicateurs"]) for d in CRITERES["dimensions"] for c in d["criteres"])
    assert html.count('<tr><td data-label="Indicateur">') == nb_ind
    utilisateurs = sum(1 for p in FICHES if any(c["critere"] == "VE2" for c in fiche(p)["contributions"]))
    ligne = re.search(r'VE2 · [^<]*</a> <span class="ref-meta">utilisé par (\d+) fiche', html)
    assert ligne and int(ligne.group(1)) == utilisateurs


def test_fiches_hors_de_la_navigation(site_livre):
    """Fiches are reached from tables, search and criterion pages, not the global nav.

    Each page carries only its open branch of the nav (``navigation.prune``):
    a closed section is a link to its first page.
    """
    def nav(url):
        html = lire(site_livre, url)
        return html[html.index('md-nav--primary'):html.index('md-sidebar--secondary')]

    accueil, critere = nav(""), nav("criteres/ep1/")
    for path in FICHES:
        assert f"fiches/{path.stem}/" not in accueil and f"fiches/{path.stem}/" not in critere
    assert re.search(r'<a href="referentiel/" class="md-nav__link">\s*<span class="md-ellipsis">\s*'
                     r"Le référentiel", accueil)
    assert "criteres/ep1/" not in accueil
    assert "dimensions/ep/" in critere and 'href="../ep2/"' in critere
    # Another dimension: a link to its presentation, its criteria left out.
    assert "dimensions/ve/" in critere and "criteres/ve3/" not in critere


def test_recherche_en_francais(site_livre):
    """The search index (Pagefind, tests/test_recherche.py) is French and holds every page."""
    entree = json.loads((site_livre / recherche.DOSSIER / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entree["languages"]) == ["fr"]
    lieux = {f["url"] for f in recherche.fragments(site_livre)}
    for path in FICHES:
        assert f"/fiches/{path.stem}/" in lieux
    assert "/criteres/ve2/" in lieux and "/indicateurs/ve2-1/" in lieux


def test_dates_en_francais(site_livre):
    html = lire(site_livre, "fiches/intergeneration/")
    assert re.search(r"\d{1,2} (janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre) \d{4}", html)


def test_aucune_ressource_externe(site_livre):
    for path in site_livre.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html, path
        for m in re.finditer(r'<(?:script|link|img)[^>]+(?:src|href)="(https?:)?//([^"/]+)', html):
            assert m.group(2) in {"creativecommons.org"} and "<link" in m.group(0), (path, m.group(0))


def test_tous_les_liens_internes_resolvent(site_livre):
    """Every internal link and anchor of the built site points to something."""
    pages = {p.relative_to(site_livre).as_posix(): p for p in site_livre.rglob("*.html")}
    ids_cache: dict[str, set[str]] = {}
    for rel, path in pages.items():
        base = "http://site/" + rel
        for href in analyser(path.read_text(encoding="utf-8")).hrefs:
            cible = urlparse(urljoin(base, href))
            if cible.netloc != "site":
                continue
            chemin = unquote(cible.path.lstrip("/"))
            if chemin == "" or chemin.endswith("/"):
                chemin += "index.html"
            assert (site_livre / chemin).exists(), f"{rel} -> {href}"
            if cible.fragment and chemin.endswith(".html"):
                if chemin not in ids_cache:
                    ids_cache[chemin] = analyser((site_livre / chemin).read_text(encoding="utf-8")).ids
                assert cible.fragment in ids_cache[chemin], f"{rel} -> {href}"


def test_schemas_servis(site_livre):
    for nom in ("fiche.schema.json", "criteres.schema.json"):
        assert json.loads((site_livre / "schemas" / nom).read_text(encoding="utf-8"))["$schema"]


def test_chaque_fiche_porte_son_historique(site_livre):
    """Who contributed a fiche, when, and its last update are on its page."""
    mois = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
    for path in FICHES:
        f = fiche(path)
        html = lire(site_livre, f"fiches/{f['id']}/")
        if f.get("mise_a_jour"):
            assert re.search(rf"<dt>Mise à jour</dt><dd><time datetime=\"{f['mise_a_jour']}\">\d{{1,2}}(er)? ({mois}) \d{{4}}",
                             html), f["id"]
        for h in f.get("historique") or []:
            assert "Historique de la fiche" in html
            assert f'<time datetime="{h["date"]}">' in html and h["auteur"] in html, f["id"]


def test_aucun_bloc_en_attente_dans_les_pages(site_livre):
    """The HTML blocks kept out of Markdown (pages.Blocs) are all put back."""
    pages = list(site_livre.rglob("*.html"))
    assert len(pages) > 60
    for page in pages:
        assert "refbloc" not in page.read_text(encoding="utf-8"), page
    # Put back where they belong: a fiche's findings and a criterion's list of fiches.
    fiche = (site_livre / "fiches" / "intergeneration" / "index.html").read_text(encoding="utf-8")
    assert '<dl class="ref-fiche-id">' in fiche and "Projet Intergénér@tion" in fiche
    critere = (site_livre / "criteres" / "ve2" / "index.html").read_text(encoding="utf-8")
    assert '<section class="ref-bloc" data-search-exclude>' in critere and 'class="ref-usage"' in critere


def test_les_listes_de_fiches_sont_hors_de_l_index_de_recherche(site_livre):
    """A fiche's findings and values are found on its own page only, not again
    on the criterion, indicator, dimension, matrix and fiches-table pages."""
    fragments = recherche.fragments(site_livre)
    fiche = yaml.safe_load((ROOT / "data" / "fiches" / "intergeneration.yaml").read_text(encoding="utf-8"))
    contribution = fiche["contributions"][0]
    extraits = [" ".join(contribution["constats"].split()[:6]),
                " ".join(contribution["indicateurs"][0]["valeur"].split()[:5])]
    for extrait in extraits:
        pages = {f["url"] for f in fragments if extrait in f["content"]}
        assert "/fiches/intergeneration/" in pages, (extrait, pages)
        generees = {p for p in pages if p.startswith(("/criteres/", "/indicateurs/", "/dimensions/",
                                                         "/matrice/", "/fiches/"))}
        assert generees == {"/fiches/intergeneration/"}, (extrait, pages)
