"""A fast yes/no JSON Schema check for the happy path.

``jsonschema`` walks the schema anew for every instance; on a 6 KB fiche that
takes about 4 ms, two thirds of ``referentiel valider``. Most files are
valid, so :func:`compiler` turns a schema into Python source (one small
function per sub-schema, like ``fastjsonschema`` does) that can
only answer "valid or not" (about 30 times faster). When the answer is "not
valid", the loader asks ``jsonschema`` for the errors and writes them in
French, as before: messages never come from here.

Only the keywords our schemas use are supported; any other keyword raises
:class:`NonSupporte` at compile time, and the loader then uses ``jsonschema``
alone. A test checks that both always agree.
"""

from __future__ import annotations

import re
from typing import Any, Callable

Verif = Callable[[Any], bool]

# Keywords with no effect on validity (annotations; ``markdownDescription`` and
# ``enumDescriptions``, the labels of an enum's values, are VS Code's).
_ANNOTATIONS = {"$schema", "$id", "$comment", "title", "description", "examples", "default",
                "deprecated", "readOnly", "writeOnly", "$defs", "definitions", "markdownDescription",
                "enumDescriptions", "contentMediaType"}


class NonSupporte(Exception):
    """The schema uses a keyword this module does not implement."""

_TESTS_TYPE = {
    "string": "isinstance(x, str)",
    "object": "isinstance(x, dict)",
    "array": "isinstance(x, list)",
    "null": "x is None",
    "boolean": "isinstance(x, bool)",
    "integer": "((isinstance(x, int) and not isinstance(x, bool)) or (isinstance(x, float) and x.is_integer()))",
    "number": "(isinstance(x, (int, float)) and not isinstance(x, bool))",
}

_CONNUS = {
    "type", "properties", "required", "additionalProperties", "patternProperties", "pattern",
    "minLength", "maxLength", "items", "minItems", "maxItems", "uniqueItems", "enum", "const", "$ref",
    "if", "then", "else", "allOf", "anyOf", "oneOf", "not",
}


def _egal(a: Any, b: Any) -> bool:
    """JSON equality: ``True`` is not ``1``."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_egal(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_egal(a[k], b[k]) for k in a)
    return a == b


def _uniques(x: list) -> bool:
    """No two items of ``x`` are equal (JSON equality); texts, the usual case, at once."""
    if all(isinstance(y, str) for y in x):
        return len(set(x)) == len(x)
    return not any(_egal(a, b) for i, a in enumerate(x) for b in x[i + 1:])


def cible_ref(racine: dict[str, Any], ref: str) -> Any:
    """What a local ``$ref`` (``#/$defs/lien``, a JSON pointer) points to in ``racine``."""
    node: Any = racine
    for part in ref[1:].split("/")[1:]:
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


class _Generateur:
    def __init__(self, racine: dict[str, Any]) -> None:
        self.racine = racine
        self.sources: list[str] = []
        self.constantes: dict[str, Any] = {"_egal": _egal, "_uniques": _uniques}
        self.par_ref: dict[str, str] = {}

    def constante(self, valeur: Any) -> str:
        nom = f"C{len(self.constantes)}"
        self.constantes[nom] = valeur
        return nom

    def ref(self, cible: str) -> str:
        if not cible.startswith("#"):
            raise NonSupporte(f"$ref distant {cible!r}")
        if cible not in self.par_ref:
            nom = self.par_ref[cible] = f"f{len(self.sources)}_ref"
            self.sources.append("")  # reserve the slot: recursive schemas work
            slot = len(self.sources) - 1
            cible_fn = self.fonction(cible_ref(self.racine, cible))
            self.sources[slot] = f"def {nom}(x):\n    return {cible_fn}(x)\n"
        return self.par_ref[cible]

    def fonction(self, s: Any) -> str:
        """Emit one function for the sub-schema ``s``; return its name."""
        nom = f"f{len(self.sources)}"
        self.sources.append("")
        slot = len(self.sources) - 1
        if s is True or s == {}:
            self.sources[slot] = f"def {nom}(x):\n    return True\n"
            return nom
        if s is False:
            self.sources[slot] = f"def {nom}(x):\n    return False\n"
            return nom
        if not isinstance(s, dict):
            raise NonSupporte(repr(s))
        inconnus = set(s) - _ANNOTATIONS - _CONNUS
        if inconnus:
            raise NonSupporte(", ".join(sorted(inconnus)))
        L: list[str] = []  # noqa: N806 - lines of the body

        def non(cond: str, indent: str = "    ") -> None:
            L.append(f"{indent}if not ({cond}): return False")

        if "$ref" in s:
            non(f"{self.ref(s['$ref'])}(x)")
        types = s.get("type")
        if types is not None:
            types = types if isinstance(types, list) else [types]
            try:
                non(" or ".join(_TESTS_TYPE[t] for t in types))
            except KeyError as exc:
                raise NonSupporte(f"type {exc}") from None
        seul = types[0] if types is not None and len(types) == 1 else None

        def garde(type_json: str, test: str) -> str:
            """Indentation under an ``if`` that applies a keyword to one JSON type only."""
            if seul == type_json:
                return "    "
            L.append(f"    if {test}:")
            return "        "

        if "enum" in s:
            permis = list(s["enum"])
            if all(isinstance(p, str) for p in permis):
                non(f"isinstance(x, str) and x in {self.constante(frozenset(permis))}")
            else:
                non(f"any(_egal(x, p) for p in {self.constante(permis)})")
        if "const" in s:
            non(f"_egal(x, {self.constante(s['const'])})")
        if any(k in s for k in ("pattern", "minLength", "maxLength")):
            ind = garde("string", "isinstance(x, str)")
            if "minLength" in s:
                non(f"len(x) >= {int(s['minLength'])}", ind)
            if "maxLength" in s:
                non(f"len(x) <= {int(s['maxLength'])}", ind)
            if "pattern" in s:
                non(f"{self.constante(re.compile(s['pattern']))}.search(x) is not None", ind)
        if any(k in s for k in ("items", "minItems", "maxItems", "uniqueItems")):
            ind = garde("array", "isinstance(x, list)")
            if "minItems" in s:
                non(f"len(x) >= {int(s['minItems'])}", ind)
            if "maxItems" in s:
                non(f"len(x) <= {int(s['maxItems'])}", ind)
            if s.get("uniqueItems") is True:
                non("_uniques(x)", ind)
            if "items" in s:
                if isinstance(s["items"], list):
                    raise NonSupporte("items en liste")
                item = self.fonction(s["items"])
                L.append(f"{ind}for y in x:")
                L.append(f"{ind}    if not {item}(y): return False")
        objet = ("required", "properties", "patternProperties", "additionalProperties")
        if any(k in s for k in objet):
            ind = garde("object", "isinstance(x, dict)")
            for cle in s.get("required") or []:
                non(f"{cle!r} in x", ind)
            props = {k: self.fonction(p) for k, p in (s.get("properties") or {}).items()}
            motifs = [(self.constante(re.compile(k)), self.fonction(p))
                      for k, p in (s.get("patternProperties") or {}).items()]
            autres = s.get("additionalProperties", True)
            autres_fn = None if autres is True else self.fonction(autres)
            if props or motifs or autres_fn:
                table = self.constante({k: None for k in props})
                L.append(f"{ind}for k, y in x.items():")
                ind2 = ind + "    "
                if props:
                    first = True
                    for k, fn in props.items():
                        L.append(f"{ind2}{'if' if first else 'elif'} k == {k!r}:")
                        L.append(f"{ind2}    if not {fn}(y): return False")
                        first = False
                if motifs:
                    L.append(f"{ind2}vu = k in {table}")
                    for motif, fn in motifs:
                        L.append(f"{ind2}if {motif}.search(k):")
                        L.append(f"{ind2}    vu = True")
                        L.append(f"{ind2}    if not {fn}(y): return False")
                    if autres_fn:
                        L.append(f"{ind2}if not vu and not {autres_fn}(y): return False")
                elif autres_fn:
                    L.append(f"{ind2}if k not in {table} and not {autres_fn}(y): return False")
        if "if" in s:
            si = self.fonction(s["if"])
            alors = self.fonction(s["then"]) if "then" in s else None
            sinon = self.fonction(s["else"]) if "else" in s else None
            if alors or sinon:
                L.append(f"    if {si}(x):")
                L.append(f"        if not {alors}(x): return False" if alors else "        pass")
                if sinon:
                    L.append("    else:")
                    L.append(f"        if not {sinon}(x): return False")
        for x in s.get("allOf") or []:
            non(f"{self.fonction(x)}(x)")
        if "anyOf" in s:
            non(" or ".join(f"{self.fonction(x)}(x)" for x in s["anyOf"]) or "False")
        if "oneOf" in s:
            non(f"sum(({', '.join(f'{self.fonction(x)}(x)' for x in s['oneOf'])},)) == 1")
        if "not" in s:
            non(f"not {self.fonction(s['not'])}(x)")
        self.sources[slot] = f"def {nom}(x):\n" + "\n".join(L + ["    return True"]) + "\n"
        return nom


def compiler(racine: dict[str, Any]) -> Verif:
    """Compile ``racine`` (a JSON Schema, local ``$ref`` only) into a yes/no check."""
    gen = _Generateur(racine)
    point_entree = gen.fonction(racine)
    espace = dict(gen.constantes)
    exec(compile("\n".join(gen.sources), "<schéma compilé>", "exec"), espace)  # noqa: S102 - our own schema
    return espace[point_entree]
