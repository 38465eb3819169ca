"""Where links point in a PDF: the report's own link strategy.

In the report every page of the site is a part of the same document, with
an anchor of its own (``fiche-x``); a stand-alone fiche links to the site
(absolute addresses, or no link when the site's address is not known).
"""

from __future__ import annotations

import re

from ...pages import Urls


def ancre_pdf(src_uri: str) -> str:
    """``fiches/x.md`` -> ``fiche-x``: the id of that page's part in the report."""
    base = src_uri[:-3] if src_uri.endswith(".md") else src_uri
    for dossier, prefixe in (("fiches/", "fiche-"), ("criteres/", "critere-"),
                             ("indicateurs/", "indicateur-"), ("dimensions/", "dimension-")):
        if base.startswith(dossier) and base != dossier + "index":
            return prefixe + base[len(dossier):]
    return "page-" + (re.sub(r"[^a-z0-9]+", "-", base.lower()).strip("-") or "accueil")


class UrlsPdf(Urls):
    """Links inside the report: every page is an anchor of the same document."""

    def __init__(self, presents: set[str] | None = None, absolues: "UrlsAbsolues | None" = None):
        super().__init__(True)
        self.presents = presents
        self.absolues = absolues

    def rel(self, from_url: str, to_src: str, ancre: str | None = None) -> str | None:
        cible = ancre_pdf(to_src)
        if self.presents is not None and cible not in self.presents:
            return self.absolues.rel(from_url, to_src, ancre) if self.absolues else None
        return "#" + cible + (f"--{ancre}" if ancre else "")


class UrlsAbsolues(Urls):
    """Links from a stand-alone PDF to the site: absolute, or none without site_url."""

    def __init__(self, site_url: str | None):
        super().__init__(True)
        self.base = (site_url or "").rstrip("/")

    def rel(self, from_url: str, to_src: str, ancre: str | None = None) -> str | None:
        if not self.base:
            return None
        return f"{self.base}/{self.url(to_src)}" + (f"#{ancre}" if ancre else "")
