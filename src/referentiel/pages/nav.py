"""Nav entries for the dimensions and criteria (fiches stay out of the nav)."""

from __future__ import annotations

from ..modele import Referentiel
from .liens import Urls, src_critere, src_dimension


def nav_dimensions(ref: Referentiel) -> list[dict]:
    """Nav entries for the dimensions and criteria (fiches stay out of the nav)."""
    out = []
    for d in ref.dimensions:
        enfants: list = [{"Présentation de la dimension": src_dimension(d)}]
        enfants += [{f"{c.id} · {c.titre}": src_critere(c)} for c in d.criteres]
        out.append({d.titre: enfants})
    return out


def plan_du_referentiel(ref: Referentiel, urls: Urls) -> list[dict]:
    """The dimensions and their criteria with their site-root URLs, for the
    pages that the theme renders itself (the 404, served at any depth)."""
    return [{"titre": d.titre, "url": urls.url(src_dimension(d)),
             "criteres": [{"id": c.id, "titre": c.titre, "url": urls.url(src_critere(c))} for c in d.criteres]}
            for d in ref.dimensions]
