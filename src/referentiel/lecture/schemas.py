"""The JSON Schemas of the data (``schemas/``): loaded once, and read for what
they say of each field (its kind, its constraints), with local ``$ref`` resolved
in one place."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Callable

from . import regles, schemarapide
from ..modele import SCHEMAS_DIR
from .yamlio import Filtre

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator


@lru_cache(maxsize=None)
def schema(nom: str) -> dict[str, Any]:
    with open(SCHEMAS_DIR / f"{nom}.schema.json", encoding="utf-8") as fh:
        return json.load(fh)


@lru_cache(maxsize=None)
def validateur(nom: str) -> Draft202012Validator:
    """jsonschema's validator, for the error messages (imported only then:
    importing it and checking the schema take a fifth of a second)."""
    from jsonschema import Draft202012Validator

    s = schema(nom)
    Draft202012Validator.check_schema(s)
    return Draft202012Validator(s)


@lru_cache(maxsize=None)
def verif_rapide(nom: str) -> Callable[[Any], bool] | None:
    """A compiled yes/no check of the schema, or None if it cannot be compiled.

    The schemas are ours; ``tests/test_schema_rapide.py`` checks them against
    the JSON Schema meta-schema, and :func:`validateur` does again whenever a
    file has a problem.
    """
    try:
        return schemarapide.compiler(schema(nom))
    except schemarapide.NonSupporte:
        return None


def resoudre(root: dict, node: Any) -> Any:
    """``node``, or what its local ``$ref`` (``#/$defs/...``) points to."""
    if isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/"):
        return schemarapide.cible_ref(root, node["$ref"])
    return node



@dataclass(frozen=True)
class Genre:
    """What the schema says a text field is."""

    long: bool = False       # a long text: line breaks allowed
    markdown: bool = False   # rendered as Markdown (its links are live)
    date: bool = False


_TEXTE_LONG = "#/$defs/texte-long"
_DATE = "#/$defs/date"


@lru_cache(maxsize=4096)
def genre(nom_schema: str, forme: tuple) -> Genre:
    """The kind of the field at a path shape (list indexes written ``-1``)."""
    root = schema(nom_schema)
    node: Any = root
    refs: set[str] = set()
    for part in forme:
        node = resoudre(root, node)
        if not isinstance(node, dict):
            return Genre()
        node = node.get("items") if part == -1 else (node.get("properties") or {}).get(part)
        if not isinstance(node, dict):
            return Genre()
    fusion = dict(node)
    while isinstance(fusion.get("$ref"), str):
        ref = fusion.pop("$ref")
        refs.add(ref)
        fusion = {**resoudre(root, {"$ref": ref}), **fusion}
    return Genre(long=_TEXTE_LONG in refs, markdown=fusion.get("contentMediaType") == "text/markdown",
                 date=_DATE in refs or fusion.get("pattern") == regles.MOTIF_JOUR)


@lru_cache(maxsize=None)
def filtre(nom_schema: str) -> Filtre:
    """The field names the fast YAML reading must watch (see ``yamlio.Filtre``):
    a name that is a one-line text, a date or a Markdown text anywhere in the schema."""
    root = schema(nom_schema)
    une_ligne: set[str] = set()
    dates: set[str] = set()
    markdown: set[str] = set()

    def parcourir(brut: Any, forme: tuple) -> None:
        node = resoudre(root, brut)
        if not isinstance(node, dict) or len(forme) > 12:
            return
        for nom, sous in (node.get("properties") or {}).items():
            parcourir(sous, forme + (nom,))
        if "items" in node:
            parcourir(node["items"], forme + (-1,))
        cle = next((p for p in reversed(forme) if isinstance(p, str)), None)
        if cle is not None and _type_final(root, brut) == "string":
            g = genre(nom_schema, forme)
            if not g.long:
                une_ligne.add(cle)
            if g.date:
                dates.add(cle)
            if g.markdown:
                markdown.add(cle)

    parcourir(root, ())
    return Filtre(frozenset(une_ligne), frozenset(dates), frozenset(markdown))


def _type_final(root: dict, node: Any) -> Any:
    while isinstance(node, dict) and "type" not in node and "$ref" in node:
        node = resoudre(root, node)
    return node.get("type") if isinstance(node, dict) else None


