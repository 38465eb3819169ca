"""The printed page: A4, and the margins of the report and of a fiche printed alone.

One definition, used by the stylesheet (``css_page``) and by the geometry
tests, which check that nothing is printed outside the text area.
"""

from __future__ import annotations

from dataclasses import dataclass

# A4, in millimetres.
LARGEUR_A4, HAUTEUR_A4 = 210.0, 297.0


@dataclass(frozen=True)
class Marges:
    """Page margins in millimetres. The running header and footer sit in the
    top and bottom margins; the body stays inside them."""

    haut: float
    droite: float
    bas: float
    gauche: float

    def css(self) -> str:
        return f"{self.haut:g}mm {self.droite:g}mm {self.bas:g}mm {self.gauche:g}mm"


MARGES_RAPPORT = Marges(haut=22, droite=18, bas=20, gauche=18)
# A fiche printed alone: narrower margins, to stay within 1 to 3 pages,
# still well inside what office printers print (about 5 mm).
MARGES_FICHE = Marges(haut=16, droite=16, bas=16, gauche=16)


# A criterion's collection kit (plan, questionnaires, grids), as a PDF and
# printed from « Préparer son évaluation »: room to write, well inside what
# office printers print.
MARGES_KIT = Marges(haut=16, droite=15, bas=16, gauche=15)


def css_page(marges: Marges, a4: bool = False) -> str:
    """The ``@page`` rule of a document with these margins (``a4``: say the
    paper size too, for a browser; pdf.css says it for WeasyPrint)."""
    taille = "size: A4; " if a4 else ""
    return f"@page {{ {taille}margin: {marges.css()}; }}"


CSS_RAPPORT = css_page(MARGES_RAPPORT)
CSS_FICHE_SEULE = css_page(MARGES_FICHE)
CSS_KIT = css_page(MARGES_KIT)
