"""Nav entries for the dimensions and criteria (fiches stay out of the nav)."""

from __future__ import annotations

from ..modele import Referentiel
from .liens import SRC_VERSIONS, Urls, src_critere, src_dimension
from .versions import suffixe_retrait


def nav_dimensions(ref: Referentiel) -> list[dict]:
    """Nav entries for the dimensions and criteria (fiches stay out of the nav);
    a retired one keeps its entry, marked « (retiré) »."""
    out = []
    for d in ref.dimensions:
        enfants: list = [{"Présentation de la dimension": src_dimension(d)}]
        enfants += [{f"{c.id} · {c.titre}{suffixe_retrait(c)}": src_critere(c)} for c in d.criteres]
        out.append({f"{d.titre}{suffixe_retrait(d)}": enfants})
    return out


def nav_versions(ref: Referentiel) -> list[dict]:
    """« Versions et changements », when the référentiel has versions."""
    return [{"Versions et changements": SRC_VERSIONS}] if ref.versions else []


def plan_du_referentiel(ref: Referentiel, urls: Urls) -> list[dict]:
    """The dimensions and their criteria with their site-root URLs, for the
    pages that the theme renders itself (the 404, served at any depth)."""
    return [{"titre": d.titre + suffixe_retrait(d), "url": urls.url(src_dimension(d)),
             "criteres": [{"id": c.id, "titre": c.titre + suffixe_retrait(c), "url": urls.url(src_critere(c))}
                          for c in d.criteres]}
            for d in ref.dimensions]
