"""JSON Schema errors in French: one problem per error, with the line, the
field, what was found, and what to write instead."""

from __future__ import annotations

import difflib
import unicodedata
from typing import Any, Iterable

from .problems import Probleme
from .schemas import resoudre, schema, validateur, verif_rapide
from .yamlio import Document, format_chemin


def _decrire(valeur: Any) -> str:
    if valeur is None:
        return "vide"
    if isinstance(valeur, dict):
        return "un ensemble de champs"
    if isinstance(valeur, list):
        return "une liste"
    return "un texte"


_TYPES = {
    "string": "un texte",
    "object": "un ensemble de champs (« nom: valeur » sur des lignes indentées)",
    "array": "une liste (une ligne par élément, commençant par « - »)",
}


def _description(root: dict, schema_path: Iterable[Any]) -> str | None:
    """The closest ``description`` along a schema path (following local $refs)."""
    node: Any = root
    found = root.get("description")
    for key in schema_path:
        if isinstance(node, dict) and key == "$ref":
            node = resoudre(root, node)
            if isinstance(node, dict) and node.get("description"):
                found = node["description"]
            continue
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and node.get("description"):
            found = node["description"]
    return found


def _description_champ(root: dict, nom: str) -> str | None:
    """The description of a field named ``nom`` anywhere in the schema (for ``if/then`` rules)."""
    pile = [root]
    while pile:
        node = pile.pop()
        if isinstance(node, dict):
            prop = (node.get("properties") or {}).get(nom)
            if isinstance(prop, dict) and prop.get("description"):
                return prop["description"]
            pile.extend(node.values())
        elif isinstance(node, list):
            pile.extend(node)
    return None


def _sans_accents(texte: str) -> str:
    """``« Étudiants »`` -> ``« etudiants »``: to compare what was typed with a label."""
    sans = "".join(c for c in unicodedata.normalize("NFD", texte) if not unicodedata.combining(c))
    return " ".join(sans.lower().split())


def mots_proches(mot: str, candidats: Iterable[str], n: int = 3) -> list[str]:
    candidats = list(candidats)
    proches = difflib.get_close_matches(mot, candidats, n=n, cutoff=0.6)
    if not proches:
        lower = {c.lower(): c for c in candidats}
        proches = [lower[m] for m in difflib.get_close_matches(mot.lower(), list(lower), n=n, cutoff=0.6)]
    return proches


def _guillemets(liste: Iterable[str]) -> str:
    return ", ".join(f"« {x} »" for x in liste)


def _a_ecrire(root: dict, error) -> str:
    desc = _description(root, list(error.absolute_schema_path)[:-1])
    return f" ; {desc[0].lower()}{desc[1:]}" if desc else ""


def problemes_schema(doc: Document, nom_schema: str, fichier: str) -> list[Probleme]:
    """Validate ``doc.data`` against a schema; one French problem per error."""
    rapide = verif_rapide(nom_schema)
    if rapide is not None and rapide(doc.data):
        return []  # the happy path; jsonschema only runs to explain errors
    root = schema(nom_schema)
    out: list[Probleme] = []
    manquants: set[tuple] = set()
    errors = sorted(validateur(nom_schema).iter_errors(doc.data),
                    key=lambda e: (doc.ligne(tuple(e.absolute_path)), list(map(str, e.absolute_path))))
    for error in errors:
        chemin = tuple(error.absolute_path)
        kind = error.validator
        instance = error.instance
        if kind == "required":
            present = set(instance) if isinstance(instance, dict) else set()
            for nom in error.validator_value:
                if nom in present or (chemin, nom) in manquants:
                    continue
                manquants.add((chemin, nom))
                props = resoudre(root, error.schema).get("properties", {})
                desc = (props.get(nom, {}).get("description") or resoudre(root, props.get(nom, {})).get("description")
                        or _description_champ(root, nom))
                aide = f" ; {desc[0].lower()}{desc[1:]}" if desc else ""
                out.append(Probleme(
                    fichier, doc.ligne(chemin), format_chemin(chemin + (nom,)),
                    f"champ obligatoire manquant : ajoutez « {nom}: »{aide}",
                ))
        elif kind == "additionalProperties":
            connus = list(error.schema.get("properties", {}))
            for nom in instance:
                if nom in connus:
                    continue
                proches = mots_proches(str(nom), connus)
                if proches:
                    aide = f"vouliez-vous dire « {proches[0]} » ?"
                else:
                    aide = f"champs possibles ici : {', '.join(connus)}"
                out.append(Probleme(
                    fichier, doc.ligne_cle(chemin + (nom,)), format_chemin(chemin + (nom,)),
                    f"champ inconnu « {nom} » ; {aide}",
                ))
        elif kind == "type":
            attendu = _TYPES.get(error.validator_value, str(error.validator_value))
            if instance is None:
                msg = f"valeur manquante : écrivez {attendu} après « : »"
            else:
                msg = f"doit être {attendu}, pas {_decrire(instance)}"
            out.append(Probleme(fichier, doc.ligne(chemin), format_chemin(chemin),
                                msg + _a_ecrire(root, error)))
        elif kind == "enum":
            permis = [str(v) for v in error.validator_value]
            # The labels of the values, when the schema gives them (enumDescriptions):
            # shown beside each value, and a label written instead of its value is recognised.
            libelles = error.schema.get("enumDescriptions")
            if not (isinstance(libelles, list) and len(libelles) == len(permis)):
                libelles = None
            texte = str(instance)
            proches = mots_proches(texte, permis, n=1)
            if libelles:
                par_libelle = {_sans_accents(lib): v for v, lib in zip(permis, libelles)}
                exact = par_libelle.get(_sans_accents(texte))
                if exact:
                    proches = [exact]
                elif not proches:
                    proches = [par_libelle[m] for m in mots_proches(_sans_accents(texte), list(par_libelle), n=1)]
            aide = f" (vouliez-vous dire « {proches[0]} » ?)" if proches else ""
            liste = (", ".join(f"{v} ({lib})" for v, lib in zip(permis, libelles)) if libelles
                     else ", ".join(permis))
            out.append(Probleme(
                fichier, doc.ligne(chemin), format_chemin(chemin),
                f"« {instance} » n'est pas une valeur permise{aide} ; écrivez l'une de : {liste}",
            ))
        elif kind == "uniqueItems":
            vus: list[Any] = []
            for k, element in enumerate(instance):
                if element in vus:
                    out.append(Probleme(
                        fichier, doc.ligne(chemin + (k,)), format_chemin(chemin + (k,)),
                        f"« {element} » est déjà dans la liste ; supprimez cette ligne",
                    ))
                else:
                    vus.append(element)
        elif kind == "pattern":
            out.append(Probleme(
                fichier, doc.ligne(chemin), format_chemin(chemin),
                f"« {extrait(instance)} » n'a pas la forme attendue{_a_ecrire(root, error)}",
            ))
        elif kind == "minLength":
            if error.validator_value <= 1 or not instance:
                msg = "valeur vide : écrivez un texte"
            else:
                msg = f"texte trop court : {error.validator_value} caractères au moins"
            out.append(Probleme(fichier, doc.ligne(chemin), format_chemin(chemin),
                                msg + _a_ecrire(root, error)))
        elif kind == "maxLength":
            out.append(Probleme(
                fichier, doc.ligne(chemin), format_chemin(chemin),
                f"texte trop long : {len(instance)} caractères pour {error.validator_value} au plus ; raccourcissez-le",
            ))
        elif kind == "minItems":
            out.append(Probleme(
                fichier, doc.ligne(chemin), format_chemin(chemin),
                f"liste vide : ajoutez au moins {error.validator_value} élément(s), chacun sur une ligne commençant par « - »"
                if not instance else f"il faut au moins {error.validator_value} éléments",
            ))
        elif kind == "maxItems":
            out.append(Probleme(
                fichier, doc.ligne(chemin), format_chemin(chemin),
                f"trop d'éléments : {len(instance)} pour {error.validator_value} au plus",
            ))
        else:  # pragma: no cover - every keyword our schemas use is handled above
            out.append(Probleme(fichier, doc.ligne(chemin), format_chemin(chemin),
                                "valeur invalide" + _a_ecrire(root, error)))
    return out


def extrait(valeur: Any, n: int = 60) -> str:
    texte = str(valeur).replace("\n", " ")
    return texte if len(texte) <= n else texte[: n - 1] + "…"


