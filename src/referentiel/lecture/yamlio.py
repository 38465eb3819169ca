"""Read contributed YAML safely, keeping the line of every value.

Contributed files are untrusted and written by hand by non-programmers, so:

* every scalar is read as the text that was typed (``statut: no`` stays
  ``"no"``, ``2015-04-09`` stays ``"2015-04-09"``); only ``~``, ``null`` and
  an empty value mean "nothing";
* anchors, aliases, explicit tags, complex keys and duplicate keys are refused;
* problems are reported in French with their line, never as a traceback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from . import regles
from .problems import Probleme

# Path of a value inside a document: ("contributions", 0, "critere").
Chemin = tuple[Any, ...]

MAX_DEPTH = 40
NULL_VALUES = {"", "~", "null", "Null", "NULL"}


@dataclass
class Document:
    """A YAML file turned into plain Python data, with positions."""

    data: Any
    # path -> 1-based line of the value at that path
    lignes: dict[Chemin, int] = field(default_factory=dict)
    # path -> 1-based line of the key that introduces that path
    lignes_cles: dict[Chemin, int] = field(default_factory=dict)
    # False when the fast reading saw nothing that ``checks.check_textes``
    # could refuse (no refused character, no text that may hold a link, no
    # line break in a one-line field, no impossible date): it then skips its
    # walk through the document.
    a_examiner: bool = True
    # The file's text (to find where a refused character is typed).
    texte: str = ""

    def ligne(self, chemin: Chemin) -> int:
        """Line of the value at ``chemin``, or of its closest known parent."""
        chemin = tuple(chemin)
        while chemin:
            if chemin in self.lignes:
                return self.lignes[chemin]
            chemin = chemin[:-1]
        return self.lignes.get((), 1)

    def ligne_cle(self, chemin: Chemin) -> int:
        chemin = tuple(chemin)
        return self.lignes_cles.get(chemin) or self.ligne(chemin)


@dataclass(frozen=True)
class Filtre:
    """What the fast reading flags for ``checks.check_textes``, by field name
    (a list's items go by the list's name): names of one-line fields (a line
    break there is refused), of date fields, and of Markdown fields (their
    cost is bounded). Made from the schema."""

    une_ligne: frozenset[str]
    dates: frozenset[str]
    markdown: frozenset[str]


# In a file's text: a refused character (but a raw carriage return, which
# YAML reads as a line break), a backslash (which may write one in a quoted
# text, « \e »), or what every link needs (« ] » or « < »). A file with none
# of them, and nothing regles.peut_couter sees, needs examining only for a
# line break in a one-line field or a date, which the fast reading looks at
# value by value.
_CONTROLES_BRUTS = regles.CONTROLES.replace(r"\x0b-\x1f", r"\x0b\x0c\x0e-\x1f")
_A_EXAMINER = re.compile("[" + _CONTROLES_BRUTS + regles.BIDI + regles.LARGEUR_NULLE + r"\\\]<" + "]")


_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _NoResolveLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """A loader used only to parse and compose; scalars are kept as text."""


# Drop every implicit resolver: plain scalars get the plain ``str`` tag, so
# nothing typed by a contributor is turned into a boolean, a number or a date.
_NoResolveLoader.yaml_implicit_resolvers = {}
_DEFAULT_TAGS = {
    yaml.ScalarNode: "tag:yaml.org,2002:str",
    yaml.SequenceNode: "tag:yaml.org,2002:seq",
    yaml.MappingNode: "tag:yaml.org,2002:map",
}


# With no resolver left, PyYAML's generic resolution (called from C for every
# node) always ends on the default tag of the node's kind: say so directly,
# which halves the cost of composing a fiche.
def _resolve(self, kind, value, implicit):  # noqa: ARG001 - PyYAML's signature
    return _DEFAULT_TAGS[kind]


def _pass(self, *args):  # noqa: ARG001
    return None


_NoResolveLoader.resolve = _resolve
_NoResolveLoader.descend_resolver = _pass
_NoResolveLoader.ascend_resolver = _pass


class LectureErreur(Exception):
    """A file could not be turned into data; carries French problems."""

    def __init__(self, problemes: list[Probleme]):
        super().__init__("; ".join(p.message for p in problemes))
        self.problemes = problemes


_STD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}

# English PyYAML problems -> French explanation with what to do instead.
_YAML_MESSAGES: list[tuple[str, str]] = [
    (
        "mapping values are not allowed",
        "« : » inattendu ; si le texte contient « : », mettez-le entre guillemets "
        "(par exemple titre: \"Atelier : écrire en ligne\")",
    ),
    (
        "could not find expected ':'",
        "« : » manquant après le nom du champ (écrivez « champ: valeur »)",
    ),
    (
        "expected <block end>, but found '-'",
        "élément de liste « - » mal aligné ; alignez les tirets avec ceux de la même liste",
    ),
    (
        "expected <block end>, but found",
        "indentation incohérente ; alignez ce champ avec les autres champs du même niveau",
    ),
    (
        "found unexpected end of stream",
        "guillemet ou crochet non fermé ; fermez-le sur la même valeur",
    ),
    (
        "found unexpected ':'",
        "« : » inattendu ; mettez la valeur entre guillemets",
    ),
    (
        "found undefined alias",
        "les alias YAML (« *nom ») sont refusés ; recopiez la valeur",
    ),
    (
        "found undefined tag handle",
        "les étiquettes YAML (« !nom ») sont refusées ; écrivez la valeur telle quelle",
    ),
    (
        "special characters are not allowed",
        "caractère de contrôle interdit ; supprimez-le",
    ),
    (
        "unacceptable character",
        "caractère de contrôle interdit ; supprimez-le",
    ),
    (
        "but found another document",
        "un fichier ne contient qu'un seul document ; supprimez la ligne « --- » en trop",
    ),
    (
        "expected ',' or ']'",
        "liste entre crochets mal fermée ; écrivez [a, b] ou une liste avec des « - »",
    ),
    (
        "expected ',' or '}'",
        "accolade mal fermée ; écrivez {cle: valeur} ou un champ par ligne",
    ),
    (
        "did not find expected key",
        "champ mal aligné ou liste mal écrite ; vérifiez l'indentation et les tirets",
    ),
    (
        "did not find expected '-' indicator",
        "élément de liste mal aligné ; alignez les « - » de la même liste",
    ),
    (
        "did not find expected node content",
        "valeur manquante ou mal écrite",
    ),
    (
        "did not find expected comment or line break",
        "texte inattendu après une valeur ; mettez la valeur entre guillemets",
    ),
    (
        "found unknown escape character",
        "séquence « \\ » inconnue entre guillemets doubles ; utilisez des guillemets simples",
    ),
]


def _message_yaml(exc: yaml.MarkedYAMLError, texte: str) -> str:
    text = " ".join(str(x) for x in (exc.context, exc.problem) if x)
    mark = exc.problem_mark
    if "tab character" in text:
        return "syntaxe YAML invalide : tabulation interdite ; indentez avec des espaces"
    if "cannot start any token" in text and mark is not None:
        char = texte[mark.index] if 0 <= mark.index < len(texte) else ""
        if char == "\t":
            return "syntaxe YAML invalide : tabulation interdite ; indentez avec des espaces"
        if char:
            return (f"syntaxe YAML invalide : une valeur ne peut pas commencer par « {char} » ; "
                    "mettez-la entre guillemets")
    for needle, french in _YAML_MESSAGES:
        if needle in text:
            return f"syntaxe YAML invalide : {french}"
    return "syntaxe YAML invalide ; vérifiez l'indentation, les « : » et les guillemets"


def lire_yaml(texte: str, fichier: str, *, refuser_ancres: bool = True, lignes: bool = True,
              filtre: Filtre | None = None) -> Document:
    """Parse ``texte`` (already decoded) into a :class:`Document`.

    Raises :class:`LectureErreur` with French problems. ``lignes=False``: the
    happy path of a validator, which asks for lines only if it finds a
    problem (and then reads the file again with them); anything unusual in
    the structure still gets the full reading, with lines. With a
    ``filtre``, the fast reading also says whether the texts need examining
    (``Document.a_examiner``).
    """
    try:
        # An alias needs an anchor, and an anchor needs a « & »: texts without
        # one (most fiches, even with **bold** Markdown) skip this second pass.
        if refuser_ancres and "&" in texte:
            for event in yaml.parse(texte, Loader=_NoResolveLoader):
                anchor = getattr(event, "anchor", None)
                if isinstance(event, yaml.AliasEvent) or anchor is not None:
                    ligne = event.start_mark.line + 1
                    raise LectureErreur([
                        Probleme(
                            fichier,
                            ligne,
                            "",
                            "les ancres et alias YAML (« &nom », « *nom ») sont refusés ; "
                            "recopiez la valeur à chaque endroit",
                        )
                    ])
        node = yaml.compose(texte, Loader=_NoResolveLoader)
    except LectureErreur:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        ligne = mark.line + 1 if mark else 1
        colonne = mark.column + 1 if mark else 1
        raise LectureErreur([
            Probleme(fichier, ligne, "", f"{_message_yaml(exc, texte)} (colonne {colonne})")
        ]) from None
    except yaml.reader.ReaderError as exc:
        ligne = texte.count("\n", 0, max(exc.position, 0)) + 1
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
        raise LectureErreur([
            Probleme(fichier, ligne, "",
                     f"caractère de contrôle interdit (U+{code:04X}) ; supprimez-le")
        ]) from None
    except yaml.YAMLError:
        raise LectureErreur([
            Probleme(fichier, 1, "", "syntaxe YAML invalide ; le fichier n'a pas pu être lu")
        ]) from None
    except RecursionError:
        raise LectureErreur([
            Probleme(fichier, 1, "", "structure trop profonde ; simplifiez l'imbrication")
        ]) from None

    if node is None:
        raise LectureErreur([
            Probleme(fichier, 1, "", "le fichier ne contient aucune donnée ; partez du modèle de fiche")
        ])
    if not lignes:
        doc = Document(data=None, texte=texte,
                       a_examiner=filtre is None or _A_EXAMINER.search(texte) is not None)
        try:
            doc.data = _convertir_vite(node, doc, 0, filtre, None)
            return doc
        except _Lent:
            pass
    doc = Document(data=None, texte=texte)
    problemes: list[Probleme] = []
    doc.data = _convert(node, (), doc, problemes, fichier, 0)
    if problemes:
        raise LectureErreur(problemes)
    return doc


def _convert(node: yaml.Node, chemin: Chemin, doc: Document, problemes: list[Probleme],
             fichier: str, depth: int) -> Any:
    line = node.start_mark.line + 1
    doc.lignes[chemin] = line
    if depth > MAX_DEPTH:
        problemes.append(Probleme(fichier, line, format_chemin(chemin),
                                  "structure trop profonde ; simplifiez l'imbrication"))
        return None
    if node.tag not in _STD_TAGS:
        problemes.append(Probleme(
            fichier, line, format_chemin(chemin),
            f"étiquette YAML « {node.tag} » refusée ; écrivez la valeur telle quelle, sans « ! »",
        ))
        return None
    cls = type(node)
    if cls is yaml.ScalarNode:
        return _scalaire(node)
    if cls is yaml.SequenceNode:
        return [
            _convert(item, chemin + (i,), doc, problemes, fichier, depth + 1)
            for i, item in enumerate(node.value)
        ]
    # MappingNode
    result: dict[str, Any] = {}
    lignes_cles = doc.lignes_cles
    for key_node, value_node in node.value:
        key_line = key_node.start_mark.line + 1
        if type(key_node) is not yaml.ScalarNode or key_node.tag not in _STD_TAGS:
            problemes.append(Probleme(
                fichier, key_line, format_chemin(chemin),
                "nom de champ invalide ; un nom de champ est un simple mot suivi de « : »",
            ))
            continue
        key = key_node.value
        if key == "<<":
            problemes.append(Probleme(
                fichier, key_line, format_chemin(chemin),
                "la fusion YAML « << » est refusée ; recopiez les champs",
            ))
            continue
        sub = chemin + (key,)
        if key in result:
            first = lignes_cles.get(sub, key_line)
            problemes.append(Probleme(
                fichier, key_line, format_chemin(sub),
                f"champ « {key} » écrit deux fois (déjà à la ligne {first}) ; gardez-en un seul",
            ))
            continue
        lignes_cles[sub] = key_line
        value = result[key] = _convert(value_node, sub, doc, problemes, fichier, depth + 1)
        # A missing value ("titre:") is reported on the key's line.
        if value is None:
            doc.lignes[sub] = key_line
    return result


def _scalaire(node: yaml.ScalarNode) -> str | None:
    """A scalar as typed; only a plain ``~``, ``null`` or nothing means None."""
    value = node.value
    if not node.style and value in NULL_VALUES:  # plain style: None (Python) or "" (libyaml)
        return None
    return value


class _Lent(Exception):
    """Something a problem message will be needed for: take the full reading."""


def _convertir_vite(node: yaml.Node, doc: Document, depth: int, filtre: Filtre | None,
                    cle: str | None) -> Any:
    """The data of :func:`_convert`, without positions; raises :class:`_Lent`
    on anything :func:`_convert` would report. ``cle``: the name of the
    field the node is the value of (or an item of)."""
    if depth > MAX_DEPTH or node.tag not in _STD_TAGS:
        raise _Lent
    cls = type(node)
    if cls is yaml.ScalarNode:
        value = _scalaire(node)
        if value is not None and not doc.a_examiner and (
                ("\n" in value and cle in filtre.une_ligne)  # type: ignore[union-attr]
                or (len(value) == 10 and cle in filtre.dates  # type: ignore[union-attr]
                    and regles.date_inexistante(value))
                or (cle in filtre.markdown and regles.peut_couter(value))):  # type: ignore[union-attr]
            doc.a_examiner = True
        return value
    if cls is yaml.SequenceNode:
        return [_convertir_vite(item, doc, depth + 1, filtre, cle) for item in node.value]
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        if type(key_node) is not yaml.ScalarNode or key_node.tag not in _STD_TAGS:
            raise _Lent
        key = key_node.value
        if key == "<<" or key in result:
            raise _Lent
        value = result[key] = _convertir_vite(value_node, doc, depth + 1, filtre, key)
        if depth == 0:  # top-level fields keep their lines (the id's, for duplicates)
            ligne_cle = key_node.start_mark.line + 1
            doc.lignes_cles[(key,)] = ligne_cle
            doc.lignes[(key,)] = ligne_cle if value is None else value_node.start_mark.line + 1
    return result


_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def format_chemin(chemin: Chemin) -> str:
    """``("contributions", 0, "critere")`` -> ``contributions[0].critere``."""
    out = ""
    for part in chemin:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _IDENT.match(str(part)):
            out += ("." if out else "") + str(part)
        else:
            out += f"[{str(part)!r}]"
    return out
