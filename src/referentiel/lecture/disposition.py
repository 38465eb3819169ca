"""How a fiche is laid out as YAML text: every decision, once, as data.

The fiche's YAML is written in two places: in Python (``sorties.fiche_yaml``,
for ``referentiel nouvelle-fiche``) and in the browser (the form « Proposer
une fiche », ``docs/javascripts/ecrire-fiche.js``). Both follow the same
small algorithm and read every decision from :func:`disposition`, which the
form receives as data; a test feeds the same fiches to both and compares the
bytes.

The decisions:

- *key order*: the order of the ``properties`` of ``schemas/fiche.schema.json``
  (id, titre, statut, acteur, action, evaluation, contributions...), read
  from the schema, path by path (``contributions[].indicateurs[]``);
- *block texts*: the long texts of the schema (``texte-long``) are always
  written as folded blocks (``>-``); other texts on their key's line, or in
  a block when they would not fit;
- *width*: no line longer than ``LARGEUR`` characters (72: what mail clients
  send without re-wrapping), no trailing space; a text that a folded block
  cannot hold within the width (a long address, a line that begins with a
  space) is written double-quoted, split with escaped line breaks;
- *quoting*: a text is written plain only when every YAML reader reads it
  back as that same text (``PLAIN``: not ``yes``, ``null``, a number or a
  date, no ``: `` or `` #``...), else double-quoted, with the characters of
  ``A_ECHAPPER`` written as ``\\uXXXX``;
- *comments and blank lines*: a blank line before each section, a comment
  before a few keys, and before each criterion and indicator its label.

The patterns are written for both Python (``re.fullmatch``) and JavaScript
(``new RegExp(motif, "u")``): explicit ranges only, no ``\\s``, ``\\w`` nor
escapes that JavaScript's ``u`` mode refuses.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from .schemas import genre, resoudre, schema

LARGEUR = 72

# Characters YAML refuses, or would read as line breaks or a byte-order mark,
# in any scalar: always escaped (``\\uXXXX``) in a double-quoted text; a text
# holding one is never written plain nor as a block.
_HORS = r"\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff"
A_ECHAPPER = f"[{_HORS}]"

# Words a YAML 1.1 reader (PyYAML's safe_load, many editors) would read as a
# boolean or as nothing.
_RESERVES = ("y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE"
             "|on|On|ON|off|Off|OFF|null|Null|NULL")
# A plain scalar: begins with a letter (no digit, sign, quote, indicator nor
# space: no number, date, list or comment), holds no « : » followed by a
# space, no « # » after a space, no tab nor line break, and does not end
# with a space or a « : ».
PLAIN = (f"^(?!(?:{_RESERVES})$)"
         f"[^{_HORS}\\t\\n\\x20-\\x40\\x5b-\\x60\\x7b-\\x7e\\xa0]"
         f"(?:[^{_HORS}\\t\\n :]| (?=[^ #])|:(?=[^ ]))*$")

# Where a folded line may break: a single space between two other
# characters, but not inside « guillemets » nor before « : », « ; », « ! »,
# « ? » (French typography puts a space there: the line would begin with it).
COUPURE = "(?<=[^ «]) (?=[^ :;!?»])"

# A blank line before these keys of the fiche, and a comment before some.
VIDE_AVANT = ("acteur", "action", "evaluation", "contributions", "temoignages", "sources", "licence",
              "historique")
COMMENTAIRES = {
    "id": "Identifiant : le nom du fichier sans « .yaml ».",
    "contributions": "L'utilité sociale, critère par critère.",
    "historique": "L'histoire de la fiche : qui l'a rédigée ou modifiée, et quand.",
}
# Before each item of these lists: the label of the item's id (``VE2 · Lien social``).
COMMENTAIRE_ELEMENT = {"contributions": "critere", "contributions[].indicateurs": "id"}

# The first line of a fiche file in the repository: editors such as VS Code
# check the fiche against its schema while it is typed. Not in what the form
# gives a contributor.
LIGNE_EDITEUR = "# yaml-language-server: $schema=../../schemas/fiche.schema.json"


def _chemin(parent: str, cle: str) -> str:
    return f"{parent}.{cle}" if parent else cle


@lru_cache(maxsize=None)
def disposition() -> dict[str, Any]:
    """Every layout decision of a fiche's YAML, as JSON-ready data (see the module)."""
    racine = schema("fiche")
    ordre: dict[str, list[str]] = {}
    blocs: list[str] = []

    def parcourir(noeud: Any, chemin: str, forme: tuple) -> None:
        noeud = resoudre(racine, noeud)
        if not isinstance(noeud, dict):
            return
        if noeud.get("type") == "array" and isinstance(noeud.get("items"), dict):
            parcourir(noeud["items"], chemin + "[]", forme + (-1,))
            return
        proprietes = noeud.get("properties")
        if isinstance(proprietes, dict):
            ordre[chemin] = list(proprietes)
            for cle, sous in proprietes.items():
                parcourir(sous, _chemin(chemin, cle), forme + (cle,))
        elif genre("fiche", forme).long:
            blocs.append(chemin)

    parcourir(racine, "", ())
    return {
        "largeur": LARGEUR,
        "ordre": ordre,
        "blocs": sorted(blocs),
        "plain": PLAIN,
        "a_echapper": A_ECHAPPER,
        "coupure": COUPURE,
        "vide_avant": list(VIDE_AVANT),
        "commentaires": dict(COMMENTAIRES),
        "commentaire_element": dict(COMMENTAIRE_ELEMENT),
    }


def cles_racine() -> list[str]:
    """The top-level keys of a fiche, in order (the only lines of a fiche that
    begin at the first column, with its comments and blank lines)."""
    return disposition()["ordre"][""]
