"""The YAML text of a fiche, from its data (the shape of its file, as
``modele.conversion.vers_yaml`` and the open data give it).

One algorithm, the decisions read from ``lecture.disposition`` (key order,
block texts, width, quoting, comments). The form « Proposer une fiche » runs
the same algorithm in JavaScript (``docs/javascripts/ecrire-fiche.js``) on the
same decisions, received as data: a test feeds the same fiches to both and
compares the bytes. A change here is a change there.

Every line is at most ``largeur`` characters (code points) and ends without
a space, whatever the text: what a folded block cannot hold is double-quoted
and split with escaped line breaks (``\\`` at the end of a line).
"""

from __future__ import annotations

import re
from typing import Any

from ..lecture.disposition import LIGNE_EDITEUR, disposition

_D = disposition()
_L = _D["largeur"]
_PLAIN = re.compile(_D["plain"])
_A_ECHAPPER = re.compile(_D["a_echapper"])
_BLOCS = frozenset(_D["blocs"])
_COUPURE = re.compile(_D["coupure"])


def ecrire_fiche(data: dict[str, Any], libelles: dict[str, str] | None = None,
                 en_tete: list[str] | tuple[str, ...] = (), editeur: bool = False) -> str:
    """The YAML text of a fiche.

    ``libelles``: the label of each criterion and indicator id, written as a
    comment before it. ``en_tete``: comment lines at the top. ``editeur``:
    the first line that tells editors which schema the file follows (files
    of the repository; not the file a contributor gets).
    """
    lignes: list[str] = []
    if editeur:
        lignes += [LIGNE_EDITEUR, "#"] if en_tete else [LIGNE_EDITEUR, ""]
    for texte in en_tete:
        lignes.append(commentaire("", texte))
    if en_tete:
        lignes.append("")
    _mapping(data, "", 0, lignes, libelles or {}, tiret=False)
    return "\n".join(lignes) + "\n"


def commentaire(retrait: str, texte: str) -> str:
    """One comment line, cut to the width (« … »), whatever the text holds."""
    ligne = retrait + "# " + re.sub(r"[\r\n\u0085\u2028\u2029]+", " ", texte)
    return ligne if len(ligne) <= _L else ligne[: _L - 1] + "…"


def _vide(v: Any) -> bool:
    return v is None or v == [] or v == {}


def _cles(obj: dict[str, Any], chemin: str) -> list[str]:
    ordre = _D["ordre"].get(chemin, [])
    return [k for k in ordre if k in obj] + [k for k in obj if k not in ordre]


def _mapping(obj: dict[str, Any], chemin: str, retrait: int, lignes: list[str],
             libelles: dict[str, str], tiret: bool) -> None:
    premier = True
    for cle in _cles(obj, chemin):
        v = obj[cle]
        if _vide(v):
            continue
        if chemin == "":
            if cle in _D["vide_avant"] and lignes and lignes[-1] != "":
                lignes.append("")
            if cle in _D["commentaires"]:
                lignes.append(commentaire("", _D["commentaires"][cle]))
        prefixe = (" " * (retrait - 2) + "- ") if (tiret and premier) else " " * retrait
        premier = False
        sous = f"{chemin}.{cle}" if chemin else cle
        if isinstance(v, dict):
            lignes.append(f"{prefixe}{cle}:")
            _mapping(v, sous, retrait + 2, lignes, libelles, tiret=False)
        elif isinstance(v, list):
            lignes.append(f"{prefixe}{cle}:")
            _liste(v, sous, retrait + 2, lignes, libelles)
        else:
            lignes += scalaire(f"{prefixe}{cle}: ", str(v), retrait + 2, sous in _BLOCS)


def _liste(v: list[Any], chemin: str, retrait: int, lignes: list[str], libelles: dict[str, str]) -> None:
    champ = _D["commentaire_element"].get(chemin)
    for element in v:
        if isinstance(element, dict):
            if champ and isinstance(element.get(champ), str):
                ident = element[champ]
                lignes.append(commentaire(" " * retrait, f"{ident} · {libelles[ident]}" if ident in libelles
                                          else ident))
            _mapping(element, chemin + "[]", retrait + 2, lignes, libelles, tiret=True)
        else:
            lignes += scalaire(" " * retrait + "- ", str(element), retrait + 2, False)


def scalaire(prefixe: str, valeur: str, suite: int, bloc: bool) -> list[str]:
    """The lines of one text after ``prefixe`` (``"  titre: "``); ``suite``:
    the indentation of its next lines; ``bloc``: a long text, always a block."""
    if not bloc:
        ligne = prefixe + (valeur if _PLAIN.fullmatch(valeur) else '"' + "".join(_unites(valeur)) + '"')
        if len(ligne) <= _L:
            return [ligne]
    pli = _plier(valeur, _L - suite)
    if pli is not None:
        return [prefixe + ">-"] + [(" " * suite + x) if x else "" for x in pli]
    return _guillemets(prefixe, valeur, suite)


def _plier(valeur: str, largeur: int) -> list[str] | None:
    """The lines of a folded block (``>-``) that reads back as ``valeur``, each
    at most ``largeur`` long, or None when no such block exists."""
    if not valeur or "\t" in valeur or _A_ECHAPPER.search(valeur):
        return None
    segments = valeur.split("\n")
    if not segments[0] or not segments[-1]:
        return None
    out: list[str] = []
    for n, segment in enumerate(segments):
        if n:
            out.append("")
        if not segment:
            continue
        # Two spaces in a row: a mail client cutting the line there would lose one.
        if segment[0] == " " or segment[-1] == " " or "  " in segment:
            return None
        mots = _COUPURE.split(segment)
        if any(len(m) > largeur for m in mots):
            return None
        ligne = mots[0]
        for mot in mots[1:]:
            if len(ligne) + 1 + len(mot) <= largeur:
                ligne += " " + mot
            else:
                out.append(ligne)
                ligne = mot
        out.append(ligne)
    return out


def _unites(valeur: str) -> list[str]:
    """Each character of ``valeur`` as written inside double quotes. A space
    after a space is escaped (``\\ ``): no line holds two spaces in a row, so
    that a mail client that cuts a line at a space loses nothing
    (``lecture.reception`` puts one space back)."""
    out: list[str] = []
    for c in valeur:
        if c == " " and out and out[-1] == " ":
            out.append("\\ ")
        elif c == "\\":
            out.append("\\\\")
        elif c == '"':
            out.append('\\"')
        elif c == "\n":
            out.append("\\n")
        elif c == "\t":
            out.append("\\t")
        elif _A_ECHAPPER.fullmatch(c):
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(c)
    return out


def _guillemets(prefixe: str, valeur: str, suite: int) -> list[str]:
    """A double-quoted text over as many lines as the width needs, split after
    a space where possible (``mot \\`` then the next word), anywhere else if not."""
    unites = _unites(valeur)
    lignes: list[str] = []
    ligne = prefixe + '"'
    i = 0
    while True:
        reste = sum(len(u) for u in unites[i:])
        if len(ligne) + reste + 1 <= _L:
            lignes.append(ligne + "".join(unites[i:]) + '"')
            return lignes
        place = _L - len(ligne) - 1  # room left before the final « \ »
        j, longueur = i, 0
        while j < len(unites) and longueur + len(unites[j]) <= place:
            longueur += len(unites[j])
            j += 1
        # The last space that fits, if the line holds something before it.
        k = j
        while k > i + 1 and unites[k - 1] != " ":
            k -= 1
        if k > i + 1:
            j = k
        j = max(j, i + 1)
        lignes.append(ligne + "".join(unites[i:j]) + "\\")
        i = j
        # A line's leading spaces are not read: a space that begins one is escaped.
        ligne = " " * suite + ("\\" if i < len(unites) and unites[i] == " " else "")
