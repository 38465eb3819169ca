"""The site's search index: Pagefind, run once the site is built (plain Python).

Pagefind (https://pagefind.app, the binary from the ``pagefind-bin`` wheel)
reads the built pages and writes a chunked index into ``site/pagefind/``: a
search downloads the few chunks its words need and one fragment per result
shown, never the whole index. The reader's browser loads nothing of it
before the search box is used (``overrides/partials/search-pagefind.html``,
``docs/javascripts/recherche.js``).

What Pagefind reads is a copy of each page, made here, never the published
page itself:

* only the page's content (Material's ``<article>``): header, banner,
  navigation, table of contents and footer are not indexed, nor what
  :data:`EXCLUS` names inside the content (the lists of fiches marked
  ``data-search-exclude``, the column headers repeated by every table, the
  « ¶ » of the permanent links, tooltips);
* each page's kind (:data:`GENRES`) as metadata (a result shows it), and, for
  the pages of the framework, the criteria they belong to (metadata
  ``criteres``, weighted by :data:`POIDS_META`): a criterion's name finds the
  criterion first (its title), then its indicators and its dimension (their
  ``criteres``), then the fiches (their text). Not as a Pagefind filter: the
  order of a filter's values in its file changes from one run to the next,
  and two builds must give the same bytes;
* on a fiche, its links to the framework's criteria and indicators (their
  names, indexed on their own pages);
* block-level labels that Pagefind would glue to the next word (``<dt>``,
  ``<dd>``, ``<th>``, ``<caption>``) become blocks, so that excerpts read
  « Type. Impact. Critère. VE2 · Lien social », not « TypeImpactCritère »;
* the typographic apostrophe becomes the straight one, which Pagefind splits:
  « l’isolement » is found by « isolement », as « l'isolement » is.

Pagefind itself ignores accents and case, and stems French words. The browser
strips the elisions (:data:`ELISIONS`) from the query: « l'isolement » then
also finds « isolement ». The rules the browser applies are written, as data,
to ``pagefind/recherche.json`` (:func:`regles`).
"""

from __future__ import annotations

import gzip
import html
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..modele import Referentiel
from ..pages.liens import Urls, src_critere, src_dimension, src_fiche, src_indicateur
from ..pages.versions import texte_retrait

# The folder of the index in the built site.
DOSSIER = "pagefind"

# Page kinds, with the label a result shows.
GENRES = {
    "critere": "Critère",
    "indicateur": "Indicateur",
    "dimension": "Dimension",
    "fiche": "Fiche",
    "autre": "Page",
}

# Inside a page's content, what is not indexed (CSS selectors).
EXCLUS = [
    # Lists of fiches on criterion, indicator and dimension pages, a fiche's
    # history, licence and citation, the tables of all fiches: a search
    # leads to the fiche itself (pages.blocs: ``recherche=False``).
    "[data-search-exclude]",
    # Column headers, repeated by every table: noise in excerpts.
    "thead",
    # The « ¶ » of each heading's permanent link, Material's page buttons.
    ".headerlink",
    ".md-content__button",
    ".md-source-file",
    # Glossary tooltips (their text belongs to the glossary page).
    "[role=tooltip]",
    ".md-tooltip",
    ".md-tooltip2",
]

# Metadata weights for Pagefind's ranking (``ranking.metaWeights``): a
# query's words found in the title, or in the criteria a page belongs to.
POIDS_META = {"title": 8.0, "criteres": 16.0}

# French elisions, stripped from the query by the browser (with ' or ’).
ELISIONS = ["l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"]

# Size of the index's chunks, in word places (Pagefind's default: 20,000).
# Half the default: a query downloads chunks of 17 KB (median) rather than 32
# at 2,000 fiches, for a page list (pf_meta) 1 KB larger (benchmarks/NOTES.md).
# Pagefind calls this setting unstable: to check when its version changes.
TAILLE_MORCEAUX = 10_000

# Words left out of a query of several words: found on every page, they
# would only make the search download their long lists of places (the index
# has them, for a query made of them alone).
MOTS_VIDES = ["a", "à", "au", "aux", "ce", "ces", "cet", "cette", "dans", "de", "des", "du", "elle", "en",
              "est", "et", "il", "la", "le", "les", "leur", "leurs", "ne", "ou", "par", "pas", "pour", "qui",
              "que", "sa", "se", "ses", "son", "sont", "sur", "un", "une", "y"]

# Words of an excerpt (Pagefind's ``excerptLength``).
LONGUEUR_EXTRAIT = 24

# What Pagefind writes that the site does not use (its own search interfaces,
# the index of pages without a language).
_INUTILES = re.compile(r"pagefind-(component-ui|modular-ui|ui|highlight)\.(js|css)$|^wasm\.unknown\.pagefind$")

_ARTICLE = re.compile(r'<article\b[^>]*\bclass="[^"]*\bmd-content__inner\b[^"]*"[^>]*>')
_BALISE_ARTICLE = re.compile(r"<(/?)article\b", re.I)
_EXCLU = re.compile(r"<([a-z][a-z0-9]*)\b[^>]*\sdata-search-exclude\b[^>]*>", re.I)
_LIEN = re.compile(r'(<a)\b[^>]*\shref="([^"]*)"', re.I)
_ETIQUETTES = re.compile(r"<(/?)(?:dt|dd|th|caption|figcaption)\b", re.I)


class ErreurRecherche(Exception):
    """The index could not be written (message in French)."""


@dataclass(frozen=True)
class Resume:
    pages: int
    octets: int


@dataclass(frozen=True)
class Meta:
    """What the index knows of a page besides its text."""

    genre: str = "autre"
    criteres: str | None = None
    # For a fiche: the URLs of the framework's criteria and indicators. A
    # fiche's links to them show their names (an indicator's is a sentence),
    # indexed on their own pages: not again on each of the fiches that use them.
    cadre: frozenset[str] = frozenset()
    # A retired item: « Retiré dans la version 1.1 », which its result shows.
    retire: str | None = None


def metas(ref: Referentiel, urls: Urls) -> dict[str, Meta]:
    """The kind of each generated page and the criteria it belongs to, by URL
    (``criteres/ve2/``). Any other page is of kind ``autre``."""
    out: dict[str, Meta] = {}
    du_cadre: set[str] = set()
    for d in ref.dimensions:
        noms = [f"{c.id} · {c.titre}" for c in d.criteres]
        out[urls.url(src_dimension(d))] = Meta("dimension", " ; ".join(noms), retire=texte_retrait(d))
        for c in d.criteres:
            du_cadre.add(urls.url(src_critere(c)))
            out[urls.url(src_critere(c))] = Meta("critere", f"{c.id} · {c.titre}", retire=texte_retrait(c))
            for i in c.indicateurs:
                du_cadre.add(urls.url(src_indicateur(i)))
                out[urls.url(src_indicateur(i))] = Meta("indicateur", f"{c.id} · {c.titre}",
                                                        retire=texte_retrait(i))
    cadre = frozenset(du_cadre)
    for f in ref.fiches:
        out[urls.url(src_fiche(f))] = Meta("fiche", cadre=cadre)
    return out


def regles() -> dict:
    """The rules the browser applies (``pagefind/recherche.json``)."""
    return {
        "elisions": ELISIONS,
        "motsVides": MOTS_VIDES,
        "genres": GENRES,
        # noWorker: the search runs in the page; its worker would be 12 KB more to download.
        "options": {"excerptLength": LONGUEUR_EXTRAIT, "ranking": {"metaWeights": POIDS_META}, "noWorker": True},
    }


def _attribut(valeur: str) -> str:
    return html.escape(valeur, quote=True)


def _sans_exclus(contenu: str) -> str:
    """The content without the elements marked ``data-search-exclude`` (each
    one up to its own closing tag, nested elements of the same name counted)."""
    morceaux, debut = [], 0
    while (m := _EXCLU.search(contenu, debut)) is not None:
        morceaux.append(contenu[debut:m.start()])
        balise = re.compile(rf"<(/?){m.group(1)}\b", re.I)
        profondeur, debut = 1, len(contenu)
        for b in balise.finditer(contenu, m.end()):
            profondeur += -1 if b.group(1) else 1
            if profondeur == 0:
                debut = contenu.index(">", b.end()) + 1
                break
    morceaux.append(contenu[debut:])
    return "".join(morceaux)


def _sans_liens_du_cadre(contenu: str, url: str, cadre: frozenset[str]) -> str:
    """The links to ``cadre`` (pages' URLs) left out of the index."""
    def un(m: re.Match) -> str:
        cible = posixpath.normpath(posixpath.join(url or ".", m.group(2).split("#")[0]))
        return m.group(1) + " data-pagefind-ignore" + m.group(0)[len(m.group(1)):] \
            if cible.rstrip("/") + "/" in cadre else m.group(0)
    return _LIEN.sub(un, contenu)


def copie_a_indexer(page: str, meta: Meta, url: str = "") -> str | None:
    """What Pagefind reads of a built page: its content alone, in a document
    of its own; None for a page without content to index."""
    debut = _ARTICLE.search(page)
    if debut is None:
        return None
    # The content ends at its own </article> (a criterion's list of fiches nests others).
    profondeur, fin = 1, -1
    for m in _BALISE_ARTICLE.finditer(page, debut.end()):
        profondeur += -1 if m.group(1) else 1
        if profondeur == 0:
            fin = m.start()
            break
    if fin < 0:
        return None
    contenu = _sans_exclus(page[debut.end():fin])
    if meta.cadre:
        contenu = _sans_liens_du_cadre(contenu, url, meta.cadre)
    contenu = _ETIQUETTES.sub(lambda m: f"<{m.group(1)}div", contenu).replace("\u2019", "'")
    marques = f'<div data-pagefind-meta="genre:{meta.genre}"></div>'
    if meta.criteres:
        marques += f'<div data-pagefind-meta="criteres:{_attribut(meta.criteres)}"></div>'
    if meta.retire:
        marques += f'<div data-pagefind-meta="retire:{_attribut(meta.retire)}"></div>'
    return ('<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"></head><body>'
            f"<main data-pagefind-body>{marques}{contenu}</main></body></html>")


def _doucement() -> None:
    """The preview's indexing process at the lowest CPU priority: the builds keep the machine."""
    os.nice(19)


def _url(relatif: Path) -> str:
    """``criteres/ve2/index.html`` -> ``criteres/ve2/`` (the URLs of :class:`Urls`)."""
    texte = relatif.as_posix()
    if texte == "index.html":
        return ""
    return texte[: -len("index.html")] if texte.endswith("/index.html") else texte


def executable() -> Path:
    """The Pagefind binary (``PAGEFIND_BINARY_PATH``, else the ``pagefind-bin`` wheel)."""
    chemin = os.environ.get("PAGEFIND_BINARY_PATH")
    if chemin:
        return Path(chemin)
    try:
        import pagefind_bin
    except ImportError as exc:
        raise ErreurRecherche(
            "Pagefind est introuvable (paquet pagefind-bin) : lancez « make build », qui installe "
            "les dépendances du projet.") from exc
    try:
        return pagefind_bin.get_executable()
    except FileNotFoundError as exc:
        raise ErreurRecherche(f"Pagefind est introuvable : {exc}") from exc


def indexer(site: Path, ref: Referentiel, urls: Urls) -> Resume:
    """Write the search index of the built ``site`` into ``site/pagefind/``.

    The index is written beside, then swapped in: a preview being served
    never sees half an index. Deterministic: the same pages give the same bytes.
    """
    return indexer_pages(site, metas(ref, urls))


def indexer_pages(site: Path, par_url: dict[str, Meta]) -> Resume:
    """:func:`indexer`, given each page's :class:`Meta`."""
    with tempfile.TemporaryDirectory(prefix="recherche-") as tmp:
        copie, sortie = Path(tmp) / "site", Path(tmp) / DOSSIER
        pages = 0
        for chemin in sorted(site.rglob("*.html")):
            relatif = chemin.relative_to(site)
            if relatif.parts[0] == DOSSIER or relatif.as_posix() == "404.html":
                continue
            url = _url(relatif)
            texte = copie_a_indexer(chemin.read_text(encoding="utf-8"), par_url.get(url, Meta()), url)
            if texte is None:
                continue
            cible = copie / relatif
            cible.parent.mkdir(parents=True, exist_ok=True)
            cible.write_text(texte, encoding="utf-8")
            pages += 1
        # Pagefind reads its configuration from its working folder: this one has only ours.
        (Path(tmp) / "pagefind.json").write_text(json.dumps({
            "site": str(copie), "output_path": str(sortie), "exclude_selectors": EXCLUS,
            "force_language": "fr", "quiet": True,
        }), encoding="utf-8")
        try:
            env = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}
            env["PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE"] = str(TAILLE_MORCEAUX)
            p = subprocess.run([str(executable())], cwd=tmp, capture_output=True, text=True, timeout=900, env=env)
        except OSError as exc:
            raise ErreurRecherche(f"Pagefind n'a pas pu être lancé : {exc}") from exc
        if p.returncode != 0:
            raise ErreurRecherche(f"Pagefind a échoué (code {p.returncode}) :\n{(p.stdout + p.stderr)[-3000:]}")
        for fichier in list(sortie.iterdir()):
            if _INUTILES.search(fichier.name):
                fichier.unlink()
            elif fichier.name == "playground":
                shutil.rmtree(fichier)
        (sortie / "recherche.json").write_text(json.dumps(regles(), ensure_ascii=False, sort_keys=True),
                                               encoding="utf-8")
        octets = sum(f.stat().st_size for f in sortie.rglob("*") if f.is_file())
        ancien = site / f".{DOSSIER}.ancien"
        shutil.rmtree(ancien, ignore_errors=True)
        if (site / DOSSIER).exists():
            (site / DOSSIER).rename(ancien)
        shutil.move(str(sortie), str(site / DOSSIER))
        shutil.rmtree(ancien, ignore_errors=True)
    return Resume(pages, octets)


def metas_en_json(par_url: dict[str, Meta]) -> str:
    """The pages' :class:`Meta`, for the preview's indexing process (the framework's
    URLs once, not once per fiche)."""
    cadres = {m.cadre for m in par_url.values() if m.cadre}
    cadre = sorted(next(iter(cadres))) if cadres else []
    return json.dumps({"cadre": cadre, "pages": {u: [m.genre, m.criteres, bool(m.cadre)]
                                                 for u, m in par_url.items()}}, ensure_ascii=False)


def metas_de_json(texte: str) -> dict[str, Meta]:
    donnees = json.loads(texte)
    cadre = frozenset(donnees["cadre"])
    return {u: Meta(g, c, cadre if avec else frozenset()) for u, (g, c, avec) in donnees["pages"].items()}


class IndexationEnFond:
    """The preview's index (``make serve``, ``make apercu``): written after
    each build by another process, at the lowest CPU priority, once the
    builds have stopped for :attr:`calme` seconds; a saved page shows at once,
    the search follows a few seconds later. A build that ends meanwhile asks
    for one more index, written after it."""

    calme = 2.0

    def __init__(self, info: Callable[..., None], alerte: Callable[..., None]):
        self._info, self._alerte = info, alerte
        self._verrou = threading.Lock()
        self._demande: tuple[Path, dict[str, Meta]] | None = None
        self._quand = 0.0
        self._fil: threading.Thread | None = None

    def demander(self, site: Path, ref: Referentiel, urls: Urls) -> None:
        with self._verrou:
            self._demande = (site, metas(ref, urls))
            self._quand = time.monotonic()
            if self._fil is None or not self._fil.is_alive():
                self._fil = threading.Thread(target=self._travailler, name="recherche", daemon=True)
                self._fil.start()

    def _travailler(self) -> None:
        while True:
            with self._verrou:
                reste = self._quand + self.calme - time.monotonic()
                demande = self._demande if reste <= 0 else None
                if demande is not None:
                    self._demande = None
                elif self._demande is None:
                    self._fil = None
                    return
            if demande is None:
                time.sleep(max(reste, 0.05))
                continue
            site, par_url = demande
            debut = time.perf_counter()
            with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8", delete=False) as f:
                f.write(metas_en_json(par_url))
            try:
                p = subprocess.run([sys.executable, "-m", __name__, str(site), f.name], capture_output=True,
                                   text=True, timeout=900, preexec_fn=_doucement if os.name == "posix" else None)
            finally:
                os.unlink(f.name)
            if p.returncode != 0:
                # The build under way may have cleaned the folder: the next one asks again.
                self._alerte("Recherche : index non écrit (%s)", (p.stderr or p.stdout).strip()[-500:])
            else:
                self._info("Recherche : %s en %.1f s", p.stdout.strip(), time.perf_counter() - debut)


def fragments(site: Path) -> list[dict]:
    """What the index holds of each page (url, content, meta), as the
    browser reads it: for tests and checks in Python."""
    out = []
    for chemin in sorted((site / DOSSIER / "fragment").glob("*.pf_fragment")):
        brut = gzip.decompress(chemin.read_bytes())
        # A fragment is « pagefind_dcd » followed by JSON.
        out.append(json.loads(brut[brut.index(b"{"):]))
    return out


def main(argv: list[str]) -> int:
    """``python -m referentiel.sorties.recherche SITE METAS.json`` (the preview's indexing)."""
    site, fichier = Path(argv[0]), Path(argv[1])
    try:
        resume = indexer_pages(site, metas_de_json(fichier.read_text(encoding="utf-8")))
    except (ErreurRecherche, OSError) as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"{resume.pages} pages indexées")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
