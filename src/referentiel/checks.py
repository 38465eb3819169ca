"""Checks on the data: JSON Schema errors in French, and cross-references.

Each ``check_*`` function is small and returns a list of problems; the loader
runs them all and collects everything before stopping.
"""

from __future__ import annotations

import difflib
import json
from functools import lru_cache
from pathlib import Path
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterable

from . import schemarapide
from .problems import Probleme
from . import regles
from .yamlio import Document, Filtre, format_chemin

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

SCHEMAS_DIR = Path(__file__).resolve().parents[2] / "schemas"



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


# --------------------------------------------------------------------------
# JSON Schema errors -> French problems


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


def _resoudre(root: dict, node: Any) -> Any:
    if isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/"):
        target: Any = root
        for part in node["$ref"][2:].split("/"):
            target = target[part]
        return target
    return node


def _description(root: dict, schema_path: Iterable[Any]) -> str | None:
    """The closest ``description`` along a schema path (following local $refs)."""
    node: Any = root
    found = root.get("description")
    for key in schema_path:
        if isinstance(node, dict) and key == "$ref":
            node = _resoudre(root, node)
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


def _proches(mot: str, candidats: Iterable[str], n: int = 3) -> list[str]:
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
                props = _resoudre(root, error.schema).get("properties", {})
                desc = (props.get(nom, {}).get("description") or _resoudre(root, props.get(nom, {})).get("description")
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
                proches = _proches(str(nom), connus)
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
            proches = _proches(str(instance), permis, n=1)
            aide = f" (vouliez-vous dire « {proches[0]} » ?)" if proches else ""
            out.append(Probleme(
                fichier, doc.ligne(chemin), format_chemin(chemin),
                f"« {instance} » n'est pas une valeur permise{aide} ; écrivez l'une de : {', '.join(permis)}",
            ))
        elif kind == "pattern":
            out.append(Probleme(
                fichier, doc.ligne(chemin), format_chemin(chemin),
                f"« {_extrait(instance)} » n'a pas la forme attendue{_a_ecrire(root, error)}",
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


def _extrait(valeur: Any, n: int = 60) -> str:
    texte = str(valeur).replace("\n", " ")
    return texte if len(texte) <= n else texte[: n - 1] + "…"


# --------------------------------------------------------------------------
# Every text: its characters, its links, its cost, its dates


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
        node = _resoudre(root, node)
        if not isinstance(node, dict):
            return Genre()
        node = node.get("items") if part == -1 else (node.get("properties") or {}).get(part)
        if not isinstance(node, dict):
            return Genre()
    fusion = dict(node)
    while isinstance(fusion.get("$ref"), str):
        ref = fusion.pop("$ref")
        refs.add(ref)
        fusion = {**_resoudre(root, {"$ref": ref}), **fusion}
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
        node = _resoudre(root, brut)
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
        node = _resoudre(root, node)
    return node.get("type") if isinstance(node, dict) else None


def _ligne_caractere(doc: Document, chemin: tuple, valeur: str, position: int) -> int:
    """The line of a refused character: where it is typed in the file, when
    it is (not written as an escape such as « \\e »), else the value's line."""
    ligne = doc.ligne(chemin)
    texte = doc.texte
    if texte:
        debut = 0
        for _ in range(ligne - 1):
            debut = texte.find("\n", debut) + 1
            if debut == 0:
                return ligne
        trouve = texte.find(valeur[position], debut)
        if trouve >= 0:
            return texte.count("\n", 0, trouve) + 1
    return ligne


def _problemes_liens(texte: str, markdown: bool) -> list[str]:
    """What is wrong with the links of a text, read from the renderer's own
    Markdown parse: each link it would not keep, each image, and any link
    at all in a field that is not Markdown (it would not be live)."""
    from .render import liens

    out: list[str] = []
    for lien in liens(texte):
        if lien.genre == "image":
            msg = ("les images ne sont pas acceptées dans le texte ; mettez un lien "
                   "[texte](https://…) vers l'image à la place")
        elif not markdown:
            msg = ("ce champ est du texte simple : un lien n'y serait pas cliquable ; "
                   "mettez l'adresse dans les sources de la fiche (champ url) ou dans un texte long")
        elif not lien.garde:
            msg = f"lien « {_extrait(lien.cible, 40)} » refusé : {regles.MESSAGE_LIEN}"
        else:
            continue
        if msg not in out:
            out.append(msg)
    return out


def check_textes(doc: Document, fichier: str, nom_schema: str) -> list[Probleme]:
    """Every text of a file: refused characters (control, bidirectional,
    invisible), links (one definition: the renderer's), Markdown's costly
    constructs, and calendar dates."""
    out: list[Probleme] = []
    if not doc.a_examiner:
        return out  # the fast reading saw nothing to examine

    def walk(value: Any, chemin: tuple, forme: tuple) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, chemin + (k,), forme + (k,))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, chemin + (i,), forme + (-1,))
        elif isinstance(value, str):
            texte(value, chemin, forme)

    def texte(value: str, chemin: tuple, forme: tuple) -> None:
        g: Genre | None = None
        if regles.INTERDITS_UNE_LIGNE.search(value):
            g = genre(nom_schema, forme)
            trouve = regles.probleme_caracteres(value, g.long)
            if trouve is not None:
                position, msg = trouve
                out.append(Probleme(fichier, _ligne_caractere(doc, chemin, value, position),
                                    format_chemin(chemin), msg))
                return
        if len(value) == 10 and value[4:5] == "-":
            g = g or genre(nom_schema, forme)
            msg = regles.date_inexistante(value) if g.date else None
            if msg:
                out.append(Probleme(fichier, doc.ligne(chemin), format_chemin(chemin), msg))
                return
        if regles.peut_couter(value):
            g = g or genre(nom_schema, forme)
            # Markdown renders only Markdown fields; a one-line text is short
            # enough for the link check's parse below.
            msg = regles.probleme_cout(value) if g.markdown else None
            if msg:
                out.append(Probleme(fichier, doc.ligne(chemin), format_chemin(chemin), msg))
                return
        if regles.peut_contenir_lien(value) and len(value) <= regles.LONGUEUR_MAX_TEXTE:
            g = g or genre(nom_schema, forme)
            for msg in _problemes_liens(value, g.markdown):
                out.append(Probleme(fichier, doc.ligne(chemin), format_chemin(chemin), msg))

    walk(doc.data, (), ())
    return out


# --------------------------------------------------------------------------
# Cross-reference checks on data/criteres.yaml


def check_ids_criteres(doc: Document, fichier: str) -> list[Probleme]:
    """Ids are unique, and each id starts with its parent's id."""
    out: list[Probleme] = []
    vus: dict[str, int] = {}

    def unique(ident: str, chemin: tuple) -> None:
        ligne = doc.ligne(chemin)
        if ident in vus:
            out.append(Probleme(fichier, ligne, format_chemin(chemin),
                                f"identifiant « {ident} » déjà utilisé à la ligne {vus[ident]} ; "
                                "choisissez un numéro libre (ne renumérotez pas les autres)"))
        else:
            vus[ident] = ligne

    def liste(d: Any, cle: str) -> list:
        v = d.get(cle) if isinstance(d, dict) else None
        return v if isinstance(v, list) else []

    def ident(d: Any) -> str | None:
        v = d.get("id") if isinstance(d, dict) else None
        return v if isinstance(v, str) else None

    for i, dim in enumerate(liste(doc.data, "dimensions")):
        did = ident(dim)
        if did is None:
            continue
        unique(did, ("dimensions", i, "id"))
        for j, crit in enumerate(liste(dim, "criteres")):
            cid = ident(crit)
            if cid is None:
                continue
            chemin = ("dimensions", i, "criteres", j, "id")
            unique(cid, chemin)
            if not cid.startswith(did):
                out.append(Probleme(fichier, doc.ligne(chemin), format_chemin(chemin),
                                    f"le critère « {cid} » est dans la dimension {did} : "
                                    f"son identifiant doit commencer par « {did} »"))
            for k, ind in enumerate(liste(crit, "indicateurs")):
                iid = ident(ind)
                if iid is None:
                    continue
                chemin = ("dimensions", i, "criteres", j, "indicateurs", k, "id")
                unique(iid, chemin)
                if not iid.startswith(cid + "."):
                    out.append(Probleme(fichier, doc.ligne(chemin), format_chemin(chemin),
                                        f"l'indicateur « {iid} » est dans le critère {cid} : "
                                        f"son identifiant doit commencer par « {cid}. »"))
    return out


# --------------------------------------------------------------------------
# Cross-reference checks on one fiche


DOCS_FICHES = Path(__file__).resolve().parents[2] / "docs" / "fiches"


@lru_cache(maxsize=None)
def noms_site_fiches() -> frozenset[str]:
    """Names the site uses under fiches/: its own, and the pages written in docs/fiches/."""
    noms = set(regles.NOMS_SITE_FICHES)
    if DOCS_FICHES.is_dir():
        noms |= {p.name.split(".", 1)[0].lower() for p in DOCS_FICHES.iterdir()}
    return frozenset(noms)


def slugifier(texte: str) -> str:
    return regles.slugifier(texte, noms_site_fiches())


def check_nom_fichier(doc: Document, fichier: str, nom: str) -> list[Probleme]:
    """The id is the file name (without .yaml), and a name every system and the site can use."""
    ident = doc.data.get("id")
    if not isinstance(ident, str):
        return []  # reported by the schema
    ligne = doc.ligne(("id",))
    if not regles.MOTIF_SLUG.match(nom):
        suggestion = slugifier(nom)
        return [Probleme(fichier, ligne, "id",
                         f"le nom du fichier « {nom}.yaml » n'est pas un identifiant permis ; "
                         f"renommez le fichier en « {suggestion}.yaml » et écrivez id: {suggestion}")]
    reserve = regles.nom_reserve(nom, noms_site_fiches())
    if reserve:
        suggestion = slugifier(nom)
        return [Probleme(fichier, ligne, "id",
                         f"{reserve} ; renommez le fichier en « {suggestion}.yaml » et écrivez id: {suggestion}")]
    if ident != nom:
        return [Probleme(fichier, ligne, "id",
                         f"« {ident} » ne correspond pas au nom du fichier ; écrivez id: {nom}")]
    return []


def check_contributions(doc: Document, fichier: str, criteres: dict[str, list[str]],
                        indicateur_critere: dict[str, str]) -> list[Probleme]:
    """Criteria exist, indicators belong to their criterion, nothing twice."""
    out: list[Probleme] = []
    contributions = doc.data.get("contributions")
    if not isinstance(contributions, list):
        return out  # reported by the schema
    # Lines are looked up only for a problem: most fiches have none.
    ligne = doc.ligne
    crit_vus: dict[str, tuple] = {}
    for i, contrib in enumerate(contributions):
        if not isinstance(contrib, dict) or not isinstance(contrib.get("critere"), str):
            continue
        cid = contrib["critere"]
        chemin = ("contributions", i, "critere")
        if cid not in criteres:
            out.append(Probleme(fichier, ligne(chemin), format_chemin(chemin),
                                f"« {cid} » n'existe pas{_suggestion_critere(cid, criteres)}"))
            continue
        if cid in crit_vus:
            out.append(Probleme(fichier, ligne(chemin), format_chemin(chemin),
                                f"le critère {cid} est déjà traité à la ligne {ligne(crit_vus[cid])} ; "
                                "regroupez ces constats dans une seule contribution"))
        else:
            crit_vus[cid] = chemin
        ind_vus: dict[str, tuple] = {}
        observes = contrib.get("indicateurs")
        for j, obs in enumerate(observes if isinstance(observes, list) else []):
            if not isinstance(obs, dict) or not isinstance(obs.get("id"), str):
                continue
            iid = obs["id"]
            chemin_i = ("contributions", i, "indicateurs", j, "id")
            if iid in ind_vus:
                out.append(Probleme(fichier, ligne(chemin_i), format_chemin(chemin_i),
                                    f"l'indicateur {iid} est déjà renseigné à la ligne {ligne(ind_vus[iid])}"))
                continue
            ind_vus[iid] = chemin_i
            if iid in criteres[cid]:
                continue
            possibles = ", ".join(criteres[cid])
            if iid in indicateur_critere:
                autre = indicateur_critere[iid]
                msg = (f"l'indicateur « {iid} » appartient au critère {autre}, pas à {cid} ; "
                       f"placez-le dans une contribution au critère {autre}, "
                       f"ou choisissez parmi les indicateurs de {cid} : {possibles}")
            else:
                msg = f"l'indicateur « {iid} » n'existe pas ; indicateurs du critère {cid} : {possibles}"
            out.append(Probleme(fichier, ligne(chemin_i), format_chemin(chemin_i), msg))
    return out


def _suggestion_critere(cid: str, criteres: dict[str, list[str]]) -> str:
    meme_dimension = [c for c in criteres if c[:2] == str(cid)[:2].upper()]
    proches = meme_dimension or _proches(str(cid), criteres)
    if proches:
        return f" (critères proches : {', '.join(proches[:6])})"
    return f" ; critères existants : {', '.join(criteres)}"
