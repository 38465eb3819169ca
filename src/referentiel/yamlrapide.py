"""A fast reader for the plain block YAML that fiches are written in.

PyYAML spends most of a fiche's validation building one Python object per
YAML node and event, for data we then turn into dicts of text anyway. This
reader handles only a strict, common subset of YAML, line by line:

* block mappings whose keys are simple words (``nom:``), and block sequences
  (``- ``), including compact ``- cle: valeur`` items and sequences written
  at the same indentation as their key;
* single-line plain scalars, plain and single-quoted scalars continued on
  more-indented lines (folded with a space), single-line double-quoted
  scalars without backslash, and ``|``, ``|-``, ``>``, ``>-`` block scalars;
* full-line comments and blank lines between entries.

On anything else (flow collections, tags, anchors, tabs, carriage returns,
inline comments, blank lines inside a folded plain or quoted scalar, more-
indented lines in a folded block, any syntax error...) it gives up and
returns ``None``: the caller then reads the text with PyYAML, which gives the
same data, or the French error message with its line. Giving up is always
safe; returning data is only allowed when it is exactly what PyYAML would
give (``tests/test_yaml_rapide.py`` checks that on the shipped fiches and on
hypothesis-generated and mutated documents).
"""

from __future__ import annotations

import re
from typing import Any

# Characters outside the subset, in a line that ``str.isprintable`` did not
# accept (it refuses all of these, and also no-break spaces, which are fine):
# tabs, carriage returns, control characters, the other YAML line breaks
# (U+0085, U+2028, U+2029), a byte order mark, U+FFFE and U+FFFF.
_INTERDITS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
# « cle: » at the start of the line's content: a simple word, then « : »
# followed by a space or the end of the line.
_CLE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?: +|$)")
# First characters a plain scalar may not start with, in this subset.
_INDICATEURS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_NULS = frozenset(("~", "null", "Null", "NULL"))
_ENTETES = {"|": (False, False), "|-": (False, True), ">": (True, False), ">-": (True, True)}
_PROFONDEUR_MAX = 20


class _Abandon(Exception):
    """Outside the subset: let PyYAML read the text."""


def lire(texte: str) -> tuple[Any, dict, dict, bool] | None:
    """``(data, lignes, lignes_cles, liens_possibles)`` or ``None``.

    ``lignes`` and ``lignes_cles`` hold, as PyYAML's reading does on its
    fast path, only the 1-based lines of the top-level keys and values.
    """
    if "\n---" in texte or "\n..." in texte or "\n%" in texte or texte.startswith(("---", "...", "%")):
        return None  # document markers and directives
    lignes = texte.split("\n")
    if not all(map(str.isprintable, lignes)) and any(
            _INTERDITS.search(ligne) for ligne in lignes if not ligne.isprintable()):
        return None
    try:
        return _Lecteur(lignes).document()
    except _Abandon:
        return None


def _fin_de_ligne(reste: str) -> None:
    """What follows a value on its line: nothing, or spaces and a comment."""
    if reste and not (reste[0] == " " and reste.lstrip(" ")[:1] in ("", "#")):
        raise _Abandon


class _Lecteur:
    """One reading. Line ``i`` is ``ind[i]`` spaces, then ``cont[i]``."""

    def __init__(self, lignes: list[str]):
        self.lignes = lignes
        self.cont = cont = [ligne.lstrip(" ") for ligne in lignes]
        self.ind = [len(a) - len(b) for a, b in zip(lignes, cont)]
        self.n = len(lignes)
        self.liens = False
        self.lignes_val: dict = {}
        self.lignes_cles: dict = {}

    def suivante(self, i: int) -> int:
        """Index of the next line from ``i`` that is neither blank nor a comment."""
        cont = self.cont
        n = self.n
        while i < n:
            c = cont[i]
            if c and c[0] != "#":
                return i
            i += 1
        return n

    # -- document and collections -------------------------------------------

    def document(self) -> tuple[Any, dict, dict, bool]:
        i = self.suivante(0)
        if i == self.n or self.ind[i]:
            raise _Abandon
        data, i = self.mapping(i, 0, 0, None)
        if self.suivante(i) != self.n:
            raise _Abandon
        return data, self.lignes_val, self.lignes_cles, self.liens

    def mapping(self, i: int, col: int, prof: int, premiere: tuple[str, str] | None) -> tuple[dict, int]:
        """The block mapping whose keys are at column ``col``, from line ``i``.

        ``premiere``: the key and the rest of line ``i`` when the mapping
        starts after a « - » (a compact item).
        """
        if prof > _PROFONDEUR_MAX:
            raise _Abandon
        result: dict[str, Any] = {}
        cont, ind, n = self.cont, self.ind, self.n
        cle_match = _CLE.match
        while True:
            if premiere is not None:
                cle, reste = premiere
                premiere = None
            else:
                if i < n and (not cont[i] or cont[i][0] == "#"):
                    i = self.suivante(i)
                if i == n:
                    return result, i
                c = cont[i]
                if ind[i] != col:
                    if ind[i] < col:
                        return result, i
                    raise _Abandon
                m = cle_match(c)
                if m is None:
                    raise _Abandon
                cle = m.group(1)
                reste = c[m.end():]
            if cle in result:
                raise _Abandon
            ligne_cle = i
            valeur, i, ligne_valeur = self.valeur(reste, i, col, prof, True)
            result[cle] = valeur
            if prof == 0:
                self.lignes_cles[(cle,)] = ligne_cle + 1
                self.lignes_val[(cle,)] = ligne_cle + 1 if valeur is None else ligne_valeur + 1

    def sequence(self, i: int, col: int, prof: int) -> tuple[list, int]:
        """The block sequence whose « - » are at column ``col``, from line ``i``."""
        if prof > _PROFONDEUR_MAX:
            raise _Abandon
        result: list[Any] = []
        cont, ind, n = self.cont, self.ind, self.n
        while True:
            i = self.suivante(i)
            if i == n or ind[i] < col:
                return result, i
            if ind[i] > col:
                raise _Abandon
            c = cont[i]
            if not c.startswith("- "):
                if c[0] == "-":
                    raise _Abandon  # « -x » or a bare « - »
                return result, i  # a key of the enclosing mapping (same column)
            contenu = c[2:].lstrip(" ")
            if not contenu or contenu[0] == "#":
                raise _Abandon
            m = _CLE.match(contenu)
            if m is not None:
                colonne = col + len(c) - len(contenu)
                valeur, i = self.mapping(i, colonne, prof + 1, (m.group(1), contenu[m.end():]))
            else:
                valeur, i, _ = self.valeur(contenu, i, col, prof, False)
            result.append(valeur)

    # -- values -------------------------------------------------------------

    def valeur(self, reste: str, i: int, col: int, prof: int, mapping: bool) -> tuple[Any, int, int]:
        """The value written after a key or a « - » on line ``i``.

        ``col``: the column of the enclosing collection (continuation lines
        must be further right). Returns the value, the index of the line
        after it, and the index of the line where it starts.
        """
        if not reste or reste[0] == "#":  # nothing, or only a comment
            if not mapping:
                raise _Abandon
            j = self.suivante(i + 1)
            if j == self.n:
                return None, j, i
            c = self.cont[j]
            ind = self.ind[j]
            if c[0] == "-" and ind >= col:
                if not c.startswith("- "):
                    raise _Abandon
                valeur, k = self.sequence(j, ind, prof + 1)
                return valeur, k, j
            if ind > col:
                if _CLE.match(c) is None:
                    raise _Abandon  # e.g. a scalar on the line after its key
                valeur, k = self.mapping(j, ind, prof + 1, None)
                return valeur, k, j
            return None, i + 1, i
        premier = reste[0]
        if premier in _INDICATEURS:
            if premier == "'":
                return self.simple(reste[1:], i, col) + (i,)
            if premier == '"':
                fin = reste.find('"', 1)
                if fin < 0 or "\\" in reste[:fin]:
                    raise _Abandon
                _fin_de_ligne(reste[fin + 1:])
                return self.texte(reste[1:fin]), i + 1, i
            if premier in "|>":
                entete, _, apres = reste.partition(" ")
                if entete not in _ENTETES:
                    raise _Abandon
                _fin_de_ligne(" " + apres if apres else "")
                return self.bloc(i + 1, col, *_ENTETES[entete]) + (i,)
            raise _Abandon
        # A plain scalar, on one line or continued on more-indented lines.
        j = i + 1
        k = reste.find(" #")
        if k >= 0:  # a comment ends the scalar: no continuation line
            valeur = reste[:k].rstrip(" ")
            if j < self.n and self.ind[j] > col and self.cont[j] and self.cont[j][0] != "#":
                raise _Abandon
        else:
            valeur = reste.rstrip(" ")
        if ": " in valeur or valeur[-1] == ":":
            raise _Abandon
        if k < 0 and j < self.n and self.ind[j] > col and self.cont[j] and self.cont[j][0] != "#":
            return self.suite_non_cite(valeur, j, col)
        if j < self.n and not self.cont[j]:
            self.apres_vide(j, col)
        if valeur in _NULS:
            return None, j, i
        if "](" in valeur or "]:" in valeur or "<" in valeur:
            self.liens = True
        return valeur, j, i

    def texte(self, valeur: str) -> str:
        if not self.liens and ("](" in valeur or "]:" in valeur or "<" in valeur):
            self.liens = True
        return valeur

    def apres_vide(self, j: int, col: int) -> None:
        """Blank lines end a plain scalar only if no continuation follows them."""
        k = self.suivante(j)
        if k < self.n and self.ind[k] > col:
            k = j
            while not self.cont[k]:
                k += 1
            if self.cont[k][0] != "#":
                raise _Abandon  # a blank line inside the scalar (a line break)

    def suite_non_cite(self, premier: str, j: int, col: int) -> tuple[str, int, int]:
        """A plain scalar continued from line ``j`` on."""
        debut = j - 1
        morceaux = [premier]
        cont, ind, n = self.cont, self.ind, self.n
        while j < n:
            c = cont[j]
            if not c:
                self.apres_vide(j, col)
                break
            if ind[j] <= col or c[0] == "#":
                break
            c = c.rstrip(" ")
            if ": " in c or " #" in c or c[-1] == ":":
                raise _Abandon
            morceaux.append(c)
            j += 1
        return self.texte(" ".join(morceaux)), j, debut

    def simple(self, texte: str, i: int, col: int) -> tuple[str, int]:
        """A single-quoted scalar whose opening quote has just been read."""
        morceaux = []
        while True:
            debut = 0
            while True:
                q = texte.find("'", debut)
                if q < 0:
                    break
                if texte.startswith("'", q + 1):
                    debut = q + 2  # « '' »: a quote inside the text
                    continue
                _fin_de_ligne(texte[q + 1:])
                morceaux.append(texte[:q])
                return self.texte(" ".join(morceaux).replace("''", "'")), i + 1
            morceaux.append(texte.rstrip(" "))
            i += 1
            if i == self.n:
                raise _Abandon
            texte = self.cont[i]
            if not texte or self.ind[i] <= col:
                raise _Abandon

    def bloc(self, i: int, col: int, plie: bool, sans_fin: bool) -> tuple[str, int]:
        """A ``|`` or ``>`` block scalar whose content starts on line ``i``."""
        lignes, cont, n = self.lignes, self.cont, self.n
        if i == n or not lignes[i] or not cont[i]:
            raise _Abandon  # leading blank lines, or an empty block
        indent = self.ind[i]
        if indent <= col:
            raise _Abandon  # an empty block
        corps: list[str] = []
        j = i
        ind = self.ind
        while j < n:
            if not cont[j]:
                if lignes[j]:
                    raise _Abandon  # a line of spaces
                corps.append("")
            elif ind[j] >= indent:
                corps.append(lignes[j][indent:])
            else:
                break
            j += 1
        while corps and not corps[-1]:
            corps.pop()
        if plie:
            # libyaml's folding: the line break between two lines becomes a
            # space, or disappears before blank lines; it is kept when either
            # line is more indented than the block.
            morceaux: list[str] = []
            vides = 0
            avant_plus = False
            for contenu in corps:
                if not contenu:
                    vides += 1
                    continue
                plus = contenu[0] == " "
                if morceaux:
                    if avant_plus or plus:
                        morceaux.append("\n" * (vides + 1))
                    else:
                        morceaux.append("\n" * vides if vides else " ")
                morceaux.append(contenu)
                avant_plus = plus
                vides = 0
            valeur = "".join(morceaux)
        else:
            valeur = "\n".join(corps)
        if not sans_fin:
            valeur += "\n"
        return self.texte(valeur), j
