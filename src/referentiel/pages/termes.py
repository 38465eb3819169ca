"""Glossary terms that the keyboard can reach.

The hand-written pages get their glossary tooltips from ``docs/includes/
abreviations.md`` (Python-Markdown's ``abbr``): an ``<abbr title>`` that a
mouse can hover but that Tab never reaches. Each term becomes a link to its
entry in the glossary, the tooltip kept for the mouse.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from markdown.extensions.toc import slugify

_ABREVIATION = re.compile(r"^\*\[(?P<terme>[^\]]+)\]:", re.M)
_TITRE = re.compile(r"^#{2,6}\s+(?P<texte>.+?)\s*(?:\{[^}]*\})?\s*$", re.M)
# Links and headings are left as they are: a link inside a link is invalid,
# and a heading already names what its section defines.
_A_EVITER = re.compile(r"<a\b[^>]*>.*?</a>|<h[1-6]\b[^>]*>.*?</h[1-6]>", re.S | re.I)
_ABBR = re.compile(r'<abbr title="(?P<titre>[^"]*)">(?P<terme>.*?)</abbr>', re.S)


def _variantes(terme: str) -> list[str]:
    """The term, then its singular (« indicateurs de résultat » → « indicateur de résultat »)."""
    singulier = " ".join(m[:-1] if len(m) > 3 and m.endswith("s") else m for m in terme.split())
    return [terme, singulier]


def ancres_glossaire(abreviations: Path, glossaire: Path) -> tuple[dict[str, str], list[str]]:
    """Each term of ``abreviations`` with the anchor of its glossary entry, and
    the terms that have no entry (a build error: the link would be broken)."""
    ids = {slugify(m["texte"], "-") for m in _TITRE.finditer(glossaire.read_text(encoding="utf-8"))}
    ancres: dict[str, str] = {}
    orphelins: list[str] = []
    for m in _ABREVIATION.finditer(abreviations.read_text(encoding="utf-8")):
        terme = m["terme"]
        trouve = next((s for s in (slugify(v, "-") for v in _variantes(terme)) if s in ids), None)
        if trouve is None:
            orphelins.append(terme)
        else:
            ancres[terme.casefold()] = trouve
    return ancres, orphelins


def lier_termes(contenu: str, url_glossaire: str, ancres: dict[str, str]) -> str:
    """Wrap each glossary ``<abbr>`` of a page's HTML in a link to its entry."""

    def lier(m: re.Match) -> str:
        ancre = ancres.get(html.unescape(m["terme"]).casefold())
        if ancre is None:
            return m[0]
        return f'<a class="ref-terme" href="{url_glossaire}#{ancre}">{m[0]}</a>'

    morceaux = []
    debut = 0
    for evite in _A_EVITER.finditer(contenu):
        morceaux.append(_ABBR.sub(lier, contenu[debut:evite.start()]))
        morceaux.append(evite[0])
        debut = evite.end()
    morceaux.append(_ABBR.sub(lier, contenu[debut:]))
    return "".join(morceaux)
