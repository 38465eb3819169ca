"""Writing PDFs with WeasyPrint: on every core, reproducibly, nothing fetched."""

from __future__ import annotations

from pathlib import Path

from .mise_en_page import CSS_RAPPORT

CSS_PDF = Path(__file__).with_name("pdf.css")


def _references_de_pages_en_cache() -> None:
    """Make ``pydyf.PDF.page_references`` O(1) instead of O(pages).

    WeasyPrint reads it for every link and every tagged element, and pydyf
    rebuilds the whole tuple each time: the report's cost grew with the square
    of its page count (profiled: 75 s of 270 s at 200 fiches). Pages are only
    ever appended, so the tuple is cached by the length of the page list. Same
    output, byte for byte (checked on the shipped data).
    """
    import pydyf

    if getattr(pydyf.PDF, "_referentiel_cache", False):
        return

    def page_references(self):
        kids = self.pages["Kids"]
        cache = self.__dict__.get("_referentiel_refs")
        if cache is None or cache[0] != len(kids):
            cache = (len(kids), tuple(f"{n} 0 R".encode("ascii") for n in kids[::3]))
            self.__dict__["_referentiel_refs"] = cache
        return cache[1]

    pydyf.PDF.page_references = property(page_references)
    pydyf.PDF._referentiel_cache = True


def ecrire_pdf(html: str, destination: Path, css_en_plus: str | None = None) -> int:
    """Render ``html`` to ``destination``; returns the file size in bytes."""
    import gc
    import hashlib

    from weasyprint import CSS, HTML  # heavy import, only when PDFs are made
    from weasyprint.urls import URLFetcher

    _references_de_pages_en_cache()
    # Nothing is fetched from the network while printing.
    fetcher = URLFetcher(allowed_protocols={"file", "data"})
    destination.parent.mkdir(parents=True, exist_ok=True)
    feuilles = [CSS(filename=str(CSS_PDF), url_fetcher=fetcher)]
    # The page's margins (the report's unless told otherwise), after the stylesheet.
    feuilles.append(CSS(string=css_en_plus or CSS_RAPPORT, url_fetcher=fetcher))
    # Layout builds millions of short-lived objects: collecting them less often
    # saves about a quarter of the time on a large report (see README).
    seuils = gc.get_threshold()
    gc.set_threshold(max(seuils[0], 50_000), seuils[1], seuils[2])
    try:
        HTML(string=html, base_url=str(destination.parent), url_fetcher=fetcher).write_pdf(
            destination,
            stylesheets=feuilles,
            # Tagged PDF: structure for screen readers.
            pdf_tags=True,
            # Same input, same identifier: two builds give the same bytes.
            pdf_identifier=hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii"),
        )
    finally:
        gc.set_threshold(*seuils)
    return destination.stat().st_size


def _ecrire_tache(tache: tuple[str, Path, str | None]) -> int:
    return ecrire_pdf(*tache)


def ecrire_tous(taches: list[tuple[str, Path, str | None]]) -> list[int]:
    """Render several documents, on every core; sizes in the order given."""
    import multiprocessing
    import os

    coeurs = min(len(taches), os.cpu_count() or 1, 4)
    if coeurs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [ecrire_pdf(*t) for t in taches]
    with multiprocessing.get_context("fork").Pool(coeurs) as pool:
        return pool.map(_ecrire_tache, taches, chunksize=1)
