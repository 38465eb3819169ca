"""The model from its YAML shape and back, from one description: the dataclasses.

Each field of ``model`` is read from, and written to, the key of its name,
unless its metadata says otherwise (``yaml`` in ``model.cle``): another key
(``critere`` for ``Contribution.critere_id``), a key of a nested mapping
(``evaluation.periode``), or none at all (the links the indexer resolves,
the file a fiche was read from). Types come from the annotations: a nested
dataclass, a list of them, a text, a list of texts.

Reading expects data the schema accepted; writing leaves out what the YAML
leaves out (absent optional fields, empty lists), so that the open data is
shaped like the files, and valid against the same schemas.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from functools import cache
from typing import Any, TypeVar

from . import Fiche, Referentiel

T = TypeVar("T")


@cache
def _champs(cls: type) -> tuple[tuple[str, tuple[str, ...], Any], ...]:
    """(attribute, key path in the YAML, type) of each field of ``cls`` that the YAML has."""
    annotations = typing.get_type_hints(cls)
    out = []
    for f in dataclasses.fields(cls):
        cle = f.metadata.get("yaml", f.name)
        if cle is not None:
            out.append((f.name, tuple(cle.split(".")), annotations[f.name]))
    return tuple(out)


def _sans_none(t: Any) -> Any:
    """``str | None`` -> ``str``."""
    if isinstance(t, types.UnionType) or typing.get_origin(t) is typing.Union:
        (t,) = [a for a in typing.get_args(t) if a is not type(None)]
    return t


def depuis_yaml(cls: type[T], data: dict[str, Any], **autres: Any) -> T:
    """An instance of the dataclass ``cls`` from its YAML mapping; ``autres``
    gives the fields the YAML has not (``fichier=``)."""
    valeurs = dict(autres)
    for nom, chemin, t in _champs(cls):
        v: Any = data
        for cle in chemin:
            v = v.get(cle) if isinstance(v, dict) else None
        if v is not None:
            valeurs[nom] = _lire(_sans_none(t), v)
    return cls(**valeurs)


def _lire(t: Any, v: Any) -> Any:
    if typing.get_origin(t) is list:
        (element,) = typing.get_args(t)
        return [_lire(element, x) for x in v] if isinstance(v, list) else []
    if dataclasses.is_dataclass(t):
        return depuis_yaml(t, v)  # type: ignore[arg-type]
    return v if isinstance(v, str) else None


def vers_yaml(objet: Any) -> dict[str, Any]:
    """The YAML mapping of a model object: absent optional fields and empty
    lists left out, as in the files."""
    out: dict[str, Any] = {}
    for nom, chemin, _ in _champs(type(objet)):
        v = _ecrire(getattr(objet, nom))
        if v is None or v == [] or v == {}:
            continue
        cible = out
        for cle in chemin[:-1]:
            cible = cible.setdefault(cle, {})
        cible[chemin[-1]] = v
    return out


def _ecrire(v: Any) -> Any:
    if isinstance(v, list):
        return [_ecrire(x) for x in v]
    if dataclasses.is_dataclass(v):
        return vers_yaml(v)
    return v


def referentiel_depuis_yaml(data: dict[str, Any]) -> Referentiel:
    """The framework from ``criteres.yaml`` (validated), without its fiches."""
    return depuis_yaml(Referentiel, data)


def fiche_depuis_yaml(data: dict[str, Any], fichier: str) -> Fiche:
    """A fiche from its validated YAML, with the file it was read from."""
    return depuis_yaml(Fiche, data, fichier=fichier)
