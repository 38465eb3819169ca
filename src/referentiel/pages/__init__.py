"""The site's generated pages, as Markdown sources: one module per page kind.

Each page is a function of the model and of a :class:`Rendu` (where links
point, and how raw HTML is kept out of Markdown). The structure (headings,
our own sentences) is Markdown so that MkDocs builds the table of contents;
every contributed value is either escaped with ``md_inline`` or rendered to
safe HTML by ``render.md`` and placed in raw HTML blocks, which Markdown
leaves untouched. Nothing here depends on MkDocs.

:func:`pages` lists every generated page with the fiches it shows: the
preview (``apercu.py``) renders again the pages an edit touches from these
declarations alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..modele import Referentiel
from .blocs import Blocs, bloc, tableau
from .commun import NOTICE_EXEMPLE, NOTICE_PROPOSITION, Rendu, Titres, front_matter
from .critere import fiches_du_critere, page_critere
from .dimension import fiches_de_la_dimension, page_dimension
from .evaluation import page_evaluation
from .fiche import page_fiche
from .indicateur import page_indicateur
from .liens import (
    SRC_FICHES,
    SRC_MATRICE,
    SRC_PDF_RAPPORT,
    SRC_EVALUATION,
    SRC_REFERENTIEL,
    SRC_VERSIONS,
    Urls,
    hors_du_menu,
    src_critere,
    src_dimension,
    src_fiche,
    src_indicateur,
    src_pdf_fiche,
    src_pdf_kit,
)
from .matrice import matrice
from .nav import nav_dimensions, nav_versions
from .tableaux import ce_que_montrent_les_tableaux, tableau_fiches, tableau_referentiel
from .versions import page_comparaison, page_versions, pages_des_versions


@dataclass(frozen=True)
class Page:
    """A generated page: where it lives, how to render it, which fiches it shows."""

    src: str
    rendre: Callable[[Rendu], str]
    # The ids of the fiches whose content the page shows: an edit of one of
    # them (or its removal) renders the page again in the preview.
    fiches: frozenset[str]
    # It shows what the tables show of every fiche (``ce_que_montrent_les_tableaux``:
    # titles, statuses, criteria): rendered again when that changes.
    tableaux: bool = False


def pages(ref: Referentiel) -> list[Page]:
    """Every generated page, in a stable order. Linear in the data."""
    out: list[Page] = []
    for d in ref.dimensions:
        out.append(Page(src_dimension(d), lambda r, d=d: page_dimension(r, d),
                        frozenset(f.id for f in fiches_de_la_dimension(ref, d))))
        for c in d.criteres:
            out.append(Page(src_critere(c), lambda r, c=c: page_critere(r, c),
                            frozenset(f.id for f in ref.fiches_par_critere.get(c.id, []))))
            for i in c.indicateurs:
                out.append(Page(src_indicateur(i), lambda r, i=i: page_indicateur(r, i),
                                frozenset(o.fiche.id for o in ref.observations.get(i.id, []))))
    for f in ref.fiches:
        out.append(Page(src_fiche(f), lambda r, f=f: page_fiche(r, f), frozenset((f.id,))))
    # « Préparer son évaluation »: the titles of the first fiches of each criterion.
    out.append(Page(SRC_EVALUATION, page_evaluation, frozenset(), tableaux=True))
    # « Versions et changements » and the comparisons: no fiche shown.
    for src, rendre_page in pages_des_versions(ref):
        out.append(Page(src, rendre_page, frozenset()))
    return out


def rendre(r: Rendu, seulement: set[str] | None = None) -> dict[str, str | None]:
    """Every generated page: ``{src_uri: markdown}``.

    With ``seulement``, pages not in it are listed with ``None`` instead of
    their Markdown (the preview renders only what an edit touched).
    """
    return {p.src: p.rendre(r) if seulement is None or p.src in seulement else None
            for p in pages(r.ref)}


__all__ = [
    "Blocs", "NOTICE_EXEMPLE", "NOTICE_PROPOSITION", "Page", "Rendu", "SRC_FICHES", "SRC_MATRICE",
    "SRC_EVALUATION", "SRC_PDF_RAPPORT", "SRC_REFERENTIEL", "SRC_VERSIONS", "Titres", "Urls", "bloc", "ce_que_montrent_les_tableaux",
    "fiches_de_la_dimension", "fiches_du_critere", "front_matter", "hors_du_menu", "matrice", "nav_dimensions",
    "nav_versions", "page_comparaison", "page_critere", "page_dimension", "page_fiche", "page_indicateur",
    "page_versions", "pages", "rendre", "src_critere",
    "src_dimension", "src_fiche", "src_indicateur", "src_pdf_fiche", "src_pdf_kit", "tableau", "tableau_fiches",
    "tableau_referentiel",
]
