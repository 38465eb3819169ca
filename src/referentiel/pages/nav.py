"""Nav entries for the dimensions and criteria (fiches stay out of the nav)."""

from __future__ import annotations

from ..modele import Referentiel
from .liens import src_critere, src_dimension


def nav_dimensions(ref: Referentiel) -> list[dict]:
    """Nav entries for the dimensions and criteria (fiches stay out of the nav)."""
    out = []
    for d in ref.dimensions:
        enfants: list = [{"Présentation de la dimension": src_dimension(d)}]
        enfants += [{f"{c.id} · {c.titre}": src_critere(c)} for c in d.criteres]
        out.append({d.titre: enfants})
    return out
