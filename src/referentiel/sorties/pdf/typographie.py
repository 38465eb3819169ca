"""French typography for the printed documents: the no-break spaces a
French text takes before « ; : ! ? », and inside « ».

Applied to the text of the HTML handed to WeasyPrint (never to tags,
attribute values but the running header's ``data-court``, or the content of ``code``, ``pre``, ``script`` and
``style``). Only an existing space is made unbreakable; none is added, so
that a question mark in an address or a name (« Parlons-en ! » is written
with its space) is left as it was.

- before ``;``, ``!`` and ``?``: a narrow no-break space (U+202F);
- before ``:``: a no-break space (U+00A0), as the Imprimerie nationale's
  lexicon has it;
- after « and before »: a no-break space (U+00A0), written when missing.
"""

from __future__ import annotations

import re

FINE = "\u202f"      # narrow no-break space
INSECABLE = "\u00a0"  # no-break space

_BALISE = re.compile(r"(<!--.*?-->|<[^>]*>)", re.S)
_BRUT = {"code", "pre", "script", "style", "kbd", "samp"}
_NOM = re.compile(r"</?\s*([a-zA-Z0-9]+)")
_COURT = re.compile(r'data-court="([^"]*)"')

_AVANT_PONCTUATION = re.compile(r"[ \t\n\u00a0\u202f]+([;!?])")
_AVANT_DEUX_POINTS = re.compile(r"[ \t\n\u00a0\u202f]+:")
_APRES_GUILLEMET = re.compile(r"«[ \t\n\u00a0\u202f]*")
_AVANT_GUILLEMET = re.compile(r"[ \t\n\u00a0\u202f]*»")


def _texte(t: str) -> str:
    t = _AVANT_PONCTUATION.sub(FINE + r"\1", t)
    t = _AVANT_DEUX_POINTS.sub(INSECABLE + ":", t)
    t = _APRES_GUILLEMET.sub("«" + INSECABLE, t)
    return _AVANT_GUILLEMET.sub(INSECABLE + "»", t)


def espaces_francaises(html: str) -> str:
    """``html`` with the no-break spaces of French typography in its text."""
    morceaux = _BALISE.split(html)
    brut = 0  # depth inside code, pre, script, style
    for n, morceau in enumerate(morceaux):
        if n % 2:  # a tag or a comment
            if "data-court=" in morceau:  # a running header's text (pdf.css: string-set)
                morceaux[n] = _COURT.sub(lambda m: f'data-court="{_texte(m.group(1))}"', morceau)
            m = _NOM.match(morceau)
            if m and m.group(1).lower() in _BRUT and not morceau.endswith("/>"):
                brut += -1 if morceau.startswith("</") else 1
                brut = max(brut, 0)
        elif not brut and morceau:
            morceaux[n] = _texte(morceau)
    return "".join(morceaux)
