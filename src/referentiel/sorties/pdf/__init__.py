"""The report as one PDF, each fiche as its own PDF, and each criterion's
collection kit (WeasyPrint).

Why our own step rather than mkdocs-to-pdf: that plugin assembles the pages
found in MkDocs' navigation, and fiches are deliberately kept out of it (see
DEVELOPERS.md on build cost), so the annexes would be missing; it makes no
per-fiche PDFs; and it stamps the build time into the PDF, which breaks
reproducible output. Here the report is assembled from the model (framework,
matrix, fiches, with the site's own page renderers) and from the hand-written
chapters MkDocs already rendered.

- ``documents``: the report and each fiche, as HTML documents;
- ``chapitres``: the hand-written chapters, made parts of the report;
- ``liens``: where links point inside a PDF;
- ``ecriture``: WeasyPrint, on every core, byte for byte reproducible;
- ``cache``: a document is composed again only when its inputs changed.

Nothing here depends on MkDocs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ...modele import Referentiel
from ...render import aujourdhui
from ...pages import SRC_PDF_RAPPORT, src_pdf_fiche, src_pdf_kit
from ...pages.evaluation import criteres_proposes
from ...pages.recueil import feuille
from .chapitres import Chapitre
from .documents import html_fiche, html_kit, html_rapport
from .cache import Bilan, ecrire_avec_cache
from .ecriture import ecrire_pdf, ecrire_tous
from .mise_en_page import CSS_FICHE_SEULE, CSS_KIT, CSS_RAPPORT, MARGES_FICHE, MARGES_KIT, MARGES_RAPPORT, Marges


def date_du_document() -> str:
    """The date printed in the documents (``render.aujourdhui``: reproducible with SOURCE_DATE_EPOCH)."""
    return aujourdhui()


def imprimer(ref: Referentiel, chapitres: list[Chapitre], site: Path, site_url: str | None,
             cache: Path | None = None, informer: Callable[[str], None] | None = None) -> int:
    """The report and every fiche's PDF, into the built site; returns the report's size.

    With ``cache`` (a folder), a document whose inputs did not change is
    copied from it instead of being composed again (``cache.py``); ``informer``
    gets one line in French saying how many were reused and composed.
    Raises ``ErreurPdf`` (in French) if WeasyPrint fails."""
    date = date_du_document()
    taches = [(html_rapport(ref, chapitres, date, site_url), site / SRC_PDF_RAPPORT, CSS_RAPPORT)]
    for f in ref.fiches:
        taches.append((html_fiche(ref, f, date, site_url), site / src_pdf_fiche(f), CSS_FICHE_SEULE))
    # Each criterion's collection kit (« Préparer son évaluation », without JavaScript).
    css_kit = feuille(CSS_KIT)
    for c in criteres_proposes(ref):
        taches.append((html_kit(ref, c, date, site_url), site / src_pdf_kit(c), css_kit))
    try:
        bilan = ecrire_avec_cache(taches, cache)
    except Exception as exc:  # noqa: BLE001 - shown in French, the build stops
        raise ErreurPdf(f"La génération des PDF a échoué : {type(exc).__name__} : {exc}") from exc
    if informer is not None:
        informer(bilan.message())
    return bilan.tailles[0]


class ErreurPdf(Exception):
    """Printing failed; the message is in French."""


def taille_lisible(octets: int) -> str:
    """``1234567`` -> ``1,2 Mo`` (French style)."""
    if octets < 1024 * 1024:
        return f"{max(1, round(octets / 1024))} Ko"
    return f"{octets / (1024 * 1024):.1f} Mo".replace(".", ",")


__all__ = ["Bilan", "CSS_FICHE_SEULE", "CSS_KIT", "CSS_RAPPORT", "MARGES_FICHE", "MARGES_KIT", "MARGES_RAPPORT", "Marges", "Chapitre", "ErreurPdf", "SRC_PDF_RAPPORT", "date_du_document", "ecrire_pdf",
           "ecrire_tous", "html_fiche", "html_kit", "html_rapport", "imprimer", "src_pdf_fiche", "taille_lisible"]
