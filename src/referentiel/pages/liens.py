"""Where each page lives, and the relative links between pages."""

from __future__ import annotations

import posixpath

from ..modele import Critere, Dimension, Fiche, Indicateur


def src_dimension(d: Dimension) -> str:
    return f"dimensions/{d.slug}.md"


def src_critere(c: Critere) -> str:
    return f"criteres/{c.slug}.md"


def src_indicateur(i: Indicateur) -> str:
    return f"indicateurs/{i.slug}.md"


def src_fiche(f: Fiche) -> str:
    return f"fiches/{f.id}.md"


SRC_REFERENTIEL = "referentiel.md"
SRC_FICHES = "fiches/index.md"
SRC_MATRICE = "matrice.md"
# « Versions et changements » (not « versions/index.md »: Material would make it
# the index page of the menu's section), and one page per pair of released versions.
SRC_VERSIONS = "versions.md"


def src_comparaison(avant: str, apres: str) -> str:
    """The page of what changed from version ``avant`` to ``apres`` (``versions/1.0-1.1/``)."""
    return f"versions/{avant}-{apres}.md"


def ancre_version(version: str) -> str:
    """The anchor of a version on « Versions et changements » (``version-1-1``)."""
    return "version-" + version.replace(".", "-")


def hors_du_menu(src: str) -> bool:
    """Generated pages reached by links, not from the menu: fiches,
    indicators, comparisons of two versions."""
    return src.startswith(("fiches/", "indicateurs/", "versions/"))


def _parties(chemin: str) -> list[str]:
    return [p for p in chemin.split("/") if p and p != "."]


def _relpath(cible: str, depuis: str) -> str:
    """``posixpath.relpath`` for our relative, normalised URLs, without its
    calls to ``os.getcwd`` (a third of the time of the generated pages)."""
    if ".." in cible or ".." in depuis or cible.startswith("/") or depuis.startswith("/"):
        return posixpath.relpath(cible, depuis)
    c, d = _parties(cible), _parties(depuis)
    n = 0
    for a, b in zip(c, d):
        if a != b:
            break
        n += 1
    parties = [".."] * (len(d) - n) + c[n:]
    return "/".join(parties) if parties else "."


class Urls:
    """Relative links between pages, as MkDocs will write them."""

    def __init__(self, use_directory_urls: bool = True):
        self.use_directory_urls = use_directory_urls

    def url(self, src_uri: str) -> str:
        if not src_uri.endswith(".md"):
            return src_uri  # a static file (a PDF download, say)
        base = src_uri[: -len(".md")]
        if not self.use_directory_urls:
            return base + ".html"
        if base == "index":
            return ""
        if base.endswith("/index"):
            return base[: -len("index")]
        return base + "/"

    def rel(self, from_url: str, to_src: str, ancre: str | None = None) -> str | None:
        """The link from one page to another, or None where there is none to give."""
        to_url = self.url(to_src)
        from_dir = from_url if (from_url.endswith("/") or from_url == "") else posixpath.dirname(from_url)
        rel = _relpath(to_url or ".", from_dir or ".")
        if to_url.endswith("/") or to_url == "":
            rel = "./" if rel == "." else rel + "/"
        return rel + (f"#{ancre}" if ancre else "")



def src_pdf_fiche(f: Fiche) -> str:
    return f"telechargements/fiches/{f.id}.pdf"


def src_pdf_kit(c: Critere) -> str:
    """The collection kit of a criterion (plan, questionnaire, grids), made at build time."""
    return f"telechargements/kits/kit-{c.slug}.pdf"


# « Préparer son évaluation »: from the référentiel to the collection tools (pages/evaluation.py).
SRC_EVALUATION = "contribuer/preparer-son-evaluation.md"

SRC_PDF_RAPPORT = "telechargements/rapport-referentiel-utilite-sociale-mediation-numerique.pdf"
