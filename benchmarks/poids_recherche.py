"""What a reader downloads, measured in Chromium: a first visit and a search (``make bench``).

Three designs of the site's search, built from the same pages (one project,
its synthetic fiches) and measured side by side, query after query, in one run:

* ``pagefind``: the site as it is (the Pagefind index written after the build,
  ``src/referentiel/sorties/recherche.py``, loaded when the search box is used);
* ``material``: Material's search (its ``search`` plugin, ``lang: fr``), as the
  site had it, *loaded on demand*: a small script added to each page (here
  only, by this benchmark) holds back the download of ``search_index.json``
  and the creation of the search worker until the search box gets the focus;
* ``material-reduit``: the same, its index *tuned* to the smallest that still
  finds every page by its name: each fiche keeps its title and the start of its
  text, its sections are dropped (what ``data-search-exclude`` on a fiche's
  body would give); the framework and the chapters keep their sections.

Bytes are counted by the server (every request, from the page and from its
workers, in a fresh browser context: nothing cached), as they would travel
gzipped: each file's size compressed by gzip -6, or its own size if that is
smaller (Pagefind's files are gzipped already). Headers are not counted.

Used by ``bench.py`` (section « recherche »); runs alone too:

    .venv/bin/python benchmarks/poids_recherche.py SITE_PAGEFIND [SITE_MATERIAL]
"""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import re
import shutil
import statistics
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Queries of a reader: a criterion's name, a place, words of findings, an
# indicator's id, with and without accents and elisions.
REQUETES = ["lien social", "kerederm", "isolement", "accès aux droits", "atelier numérique", "confiance",
            "autoevaluation", "EP1.2", "Émancipation", "insertion professionnelle", "seniors",
            "fracture numérique"]
# The page a reader expects first, for the queries that name one.
ATTENDUS = {"lien social": "/criteres/ve2/", "kerederm": "/fiches/kerederm/", "accès aux droits": "/criteres/is2/",
            "confiance": "/criteres/ep4/", "EP1.2": "/indicateurs/ep1-2/", "Émancipation": "/dimensions/ep/",
            "insertion professionnelle": "/criteres/is1/"}
# Milliseconds between two keys: a query typed in one go; then letter by
# letter, each pause longer than the box's wait (a search per letter).
FRAPPE = 60
LETTRE_A_LETTRE = 400
# The fiche page opened (a synthetic fiche, like most of them).
PAGE = "fiches/fiche-00007/"
LARGEUR = {"width": 375, "height": 800}
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

# Material's search, loaded on demand: the index's download (Material asks
# for it with XMLHttpRequest) and the search worker wait for the first focus
# of the search box (benchmark only).
_A_LA_DEMANDE = """<script>(function(){var go,att=new Promise(function(r){go=r});
addEventListener("focusin",function(e){if(e.target.classList&&e.target.classList.contains("md-search__input"))go()});
var X=XMLHttpRequest.prototype,op=X.open,se=X.send;X.open=function(m,u){this._i=String(u).indexOf("search_index.json")>=0;return op.apply(this,arguments)};
X.send=function(){var x=this,a=arguments;if(!x._i)return se.apply(x,a);att.then(function(){se.apply(x,a)})};
var W=Worker;window.Worker=function(u,o){var w=null,l=[];function v(){if(!w){w=new W(u,o);l.forEach(function(a){w.addEventListener(a[0],a[1])})}return w}
return{postMessage:function(m){v().postMessage(m)},addEventListener:function(t,h){l.push([t,h]);if(w)w.addEventListener(t,h)},
removeEventListener:function(t,h){if(w)w.removeEventListener(t,h)},terminate:function(){if(w)w.terminate()}}};})();</script>"""


def octets(chemin: Path) -> int:
    """Bytes on the wire, gzipped as a web server would (or as the file is, if smaller)."""
    brut = chemin.read_bytes()
    return min(len(brut), len(gzip.compress(brut, 6)))


class _Journal(http.server.SimpleHTTPRequestHandler):
    chemins: list[str]

    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass

    def do_GET(self):  # noqa: N802 - the base class's name
        self.chemins.append(urlsplit(self.path).path)
        super().do_GET()


@contextmanager
def servir(dossier: Path):
    """Serve ``dossier`` on 127.0.0.1; yields (base URL, list of the paths requested)."""
    chemins: list[str] = []
    gestionnaire = type("Journal", (_Journal,), {"chemins": chemins})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(gestionnaire, directory=str(dossier)))
    fil = threading.Thread(target=httpd.serve_forever, daemon=True)
    fil.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", chemins
    finally:
        httpd.shutdown()
        httpd.server_close()


def _fichier(site: Path, chemin: str) -> Path | None:
    f = site / unquote(chemin).lstrip("/")
    if f.is_dir():
        f = f / "index.html"
    return f if f.is_file() else None


def poids(site: Path, chemins: list[str]) -> int:
    return sum(octets(f) for c in chemins if (f := _fichier(site, c)) is not None)


# --------------------------------------------------------------------------
# The designs


def a_la_demande(site: Path) -> None:
    """Material's search on demand: the script that holds its index back, in every page."""
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        html2 = re.sub(r'(<script src="[^"]*assets/javascripts/bundle\.)', _A_LA_DEMANDE.replace("\\", "\\\\") + r"\1",
                       html, count=1)
        if html2 != html:
            page.write_text(html2, encoding="utf-8")


def reduire_index(site: Path, longueur: int = 200) -> None:
    """Material's index, tuned: a fiche keeps its title and the start of its text, no sections."""
    chemin = site / "search" / "search_index.json"
    index = json.loads(chemin.read_text(encoding="utf-8"))
    docs = []
    for d in index["docs"]:
        if d["location"].startswith("fiches/") and d["location"] != "fiches/":
            if "#" in d["location"]:
                continue
            d = {**d, "text": d["text"][:longueur]}
        docs.append(d)
    index["docs"] = docs
    chemin.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


# --------------------------------------------------------------------------
# A visit, then a search


@dataclass
class Mesure:
    visite: int            # bytes of the first visit of the fiche page
    avant_usage: int       # of which: files of the search
    recherche: int         # bytes downloaded by the search
    secondes: float        # from the last key to the first results shown
    resultats: str         # what the box says
    premier: str           # the first result's page


@dataclass
class Conception:
    nom: str
    site: Path
    attendre: str          # JS: true once the results of the query q are shown
    premiers: str          # JS: true once its first results are shown
    mesures: dict[str, list[Mesure]] = field(default_factory=dict)


ATTENTE_PAGEFIND = ("q => document.querySelector('[data-ref-recherche]')"
                    ".getAttribute('data-ref-resultats') === q")
PREMIERS_PAGEFIND = ATTENTE_PAGEFIND.replace("data-ref-resultats", "data-ref-premiers")
# Material: the count of results, after the index is loaded, for the query typed.
ATTENTE_MATERIAL = ("q => document.querySelector('.md-search__input').value === q && "
                    "/trouvé/.test(document.querySelector('.md-search-result__meta').textContent)")


def _de_la_recherche(chemin: str) -> bool:
    return (chemin.startswith(("/pagefind/", "/search/", "/assets/javascripts/workers/", "/assets/javascripts/lunr/"))
            or "recherche" in chemin.rsplit("/", 1)[-1])


def mesurer(navigateur, c: Conception, requete: str, delai: int) -> Mesure:
    with servir(c.site) as (base, chemins):
        contexte = navigateur.new_context(viewport=LARGEUR, locale="fr-FR")
        try:
            page = contexte.new_page()
            page.route("**/*", lambda r: r.continue_() if urlsplit(r.request.url).hostname == "127.0.0.1"
                       else r.abort())
            page.goto(f"{base}/{PAGE}", wait_until="networkidle")
            visite = list(chemins)
            chemins.clear()
            page.locator("label.md-header__button[for=__search]").click()
            page.locator(".md-search__input").press_sequentially(requete, delay=delai)
            fin_frappe = time.perf_counter()
            page.wait_for_function(c.premiers, arg=requete, timeout=300_000)
            secondes = time.perf_counter() - fin_frappe
            page.wait_for_function(c.attendre, arg=requete, timeout=300_000)
            page.wait_for_load_state("networkidle")
            etat = page.locator(".md-search-result__meta").text_content().strip()
            premier = page.evaluate("() => { const a = document.querySelector('.md-search-result__item a[href]');"
                                    " return a ? new URL(a.href).pathname : ''; }")
            return Mesure(poids(c.site, visite), poids(c.site, [v for v in visite if _de_la_recherche(v)]),
                          poids(c.site, chemins), secondes, etat, premier)
        finally:
            contexte.close()


def amorce(site: Path) -> tuple[int, int]:
    """The inline script of the search box, on the fiche page: its bytes, and what it adds gzipped."""
    html = (site / PAGE / "index.html").read_text(encoding="utf-8")
    m = re.search(r"<script>\s*\(function \(\) \{\s*var boite = document\.querySelector\(\"\[data-ref-recherche\]\"\).*?</script>",
                  html, re.S)
    if m is None:
        return 0, 0
    sans = html[:m.start()] + html[m.end():]
    return len(m.group(0).encode()), len(gzip.compress(html.encode(), 6)) - len(gzip.compress(sans.encode(), 6))


def mesurer_tout(conceptions: list[Conception], requetes: list[str] = REQUETES,
                 rythmes: tuple[int, ...] = (FRAPPE, LETTRE_A_LETTRE)) -> None:
    """Each query, each typing pace, each design in turn (the same machine load for all)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        navigateur = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            for delai in rythmes:
                for q in requetes:
                    for c in conceptions:
                        m = mesurer(navigateur, c, q, delai)
                        c.mesures.setdefault(str(delai), []).append(m)
                        print(f"    {c.nom}, « {q} » ({delai} ms/touche) : visite {m.visite / 1024:.0f} Ko, "
                              f"recherche {m.recherche / 1024:.0f} Ko, premiers résultats {m.secondes:.2f} s après "
                              f"la dernière touche ({m.resultats} ; en tête : {m.premier or '—'})",
                              flush=True)
        finally:
            navigateur.close()


def en_tete(c: Conception, requetes: list[str], delai: int = FRAPPE) -> tuple[int, int]:
    """Of the queries measured that name a page (ATTENDUS), how many have it first."""
    paires = [(q, m) for q, m in zip(requetes, c.mesures[str(delai)]) if q in ATTENDUS]
    return sum(1 for q, m in paires if m.premier == ATTENDUS[q]), len(paires)


def resume(c: Conception, delai: int = FRAPPE) -> dict[str, float]:
    ms = c.mesures[str(delai)]
    return {
        "visite": statistics.median(m.visite for m in ms),
        "avant_usage": max(m.avant_usage for m in ms),
        "recherche": statistics.median(m.recherche for m in ms),
        "recherche_max": max(m.recherche for m in ms),
        "secondes": statistics.median(m.secondes for m in ms),
        "secondes_max": max(m.secondes for m in ms),
    }


if __name__ == "__main__":
    sites = [Path(a) for a in sys.argv[1:]]
    cs = [Conception("pagefind", sites[0], ATTENTE_PAGEFIND, PREMIERS_PAGEFIND)]
    if len(sites) > 1:
        cs.append(Conception("material", sites[1], ATTENTE_MATERIAL, ATTENTE_MATERIAL))
    mesurer_tout(cs, REQUETES[:3], (FRAPPE,))
    for c in cs:
        print(c.nom, resume(c))
