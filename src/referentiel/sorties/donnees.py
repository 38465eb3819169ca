"""Open-data exports: the référentiel and the fiches as JSON, CSV and a data package.

Pure Python, independent of MkDocs: ``ecrire_donnees`` writes the folder
published as ``site/donnees/``. Data keys and column names are French (they
are what reusers read); identifiers here are English.

Every file is byte-for-byte reproducible for the same data: no timestamps,
keys sorted, rows in the order of the data (dimensions, criteria and
indicators as in ``criteres.yaml``, fiches by id, then contributions and
indicators as each fiche lists them). Values are written as they are in the
data, never reformatted, with one exception in the CSV files (below).

- JSON: UTF-8 without escapes, keys sorted, 2-space indent (``fiches.json``:
  one fiche per line, compact). The objects
  mirror the YAML (same keys, absent optional fields left out), so that
  ``referentiel.json`` follows ``criteres.schema.json`` and each item of
  ``fiches.json``'s ``fiches`` follows ``fiche.schema.json``.
- CSV: UTF-8 with a BOM (Excel needs it to read accents), comma separator,
  CRLF line ends and quoting as in RFC 4180, one header row. A cell that
  begins like a formula (``FORMULA_STARTS``) gets a leading apostrophe, so
  that a spreadsheet shows it as text instead of running it (OWASP's rule
  against CSV injection, ``spreadsheet_safe``); the JSON files keep the
  exact values.
- ``datapackage.json``: a Frictionless tabular data package describing the
  two CSV files (fields, keys, licence, size and SHA-256 of each file).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..modele.conversion import vers_yaml
from ..modele import (
    CATEGORIES_PUBLICS,
    LICENCES,
    PROVENANCES,
    STATUTS,
    TYPES_ACTEUR,
    TYPES_INDICATEUR,
    Contribution,
    Fiche,
    Indicateur,
    IndicateurObserve,
    Referentiel,
)

REFERENTIEL_JSON = "referentiel.json"
FICHES_JSON = "fiches.json"
REFERENTIEL_CSV = "referentiel.csv"
FICHES_CSV = "fiches.csv"
DATAPACKAGE_JSON = "datapackage.json"

PACKAGE_NAME = "referentiel-utilite-sociale-mediation-numerique"

# The CSV dialect written by ``csv_bytes`` (Python's default, RFC 4180), as
# a Data Package dialect descriptor.
CSV_DIALECT = {
    "delimiter": ",",
    "doubleQuote": True,
    "header": True,
    "lineTerminator": "\r\n",
    "quoteChar": '"',
}


# --------------------------------------------------------------------------
# JSON


def metadata_dict(ref: Referentiel) -> dict[str, Any]:
    """The ``referentiel:`` block of criteres.yaml."""
    return vers_yaml(ref)["referentiel"]


def referentiel_dict(ref: Referentiel) -> dict[str, Any]:
    """The framework, shaped like criteres.yaml (and valid against its schema)."""
    return vers_yaml(ref)


def fiches_dict(ref: Referentiel) -> dict[str, Any]:
    """Every fiche (by id), each shaped like its YAML file (and valid against
    fiche.schema.json), with the référentiel's metadata (version, licence)."""
    return {
        "referentiel": metadata_dict(ref),
        "fiches": [vers_yaml(f) for f in sorted(ref.fiches, key=lambda f: f.id)],
    }


def json_bytes(data: Any) -> bytes:
    """Stable JSON: UTF-8, no ASCII escapes, sorted keys, 2-space indent, final newline."""
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode("utf-8")


def json_une_ligne_par_element(data: dict[str, Any]) -> bytes:
    """Stable JSON for a file that grows with the fiches: the same data, but each
    element of a top-level list compact on a line of its own (a third smaller
    than indented, and a change to one fiche changes one line)."""
    def compact(v: Any) -> str:
        return json.dumps(v, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    parties = []
    for cle in sorted(data):
        valeur = data[cle]
        if isinstance(valeur, list) and valeur:
            texte = "[\n" + ",\n".join(compact(x) for x in valeur) + "\n]"
        else:
            texte = compact(valeur)
        parties.append(f"{compact(cle)}:{texte}")
    return ("{\n" + ",\n".join(parties) + "\n}\n").encode("utf-8")


# --------------------------------------------------------------------------
# CSV


@dataclass(frozen=True)
class Column:
    """One CSV column: its header, how to get its value, and how to describe it."""

    name: str
    title: str
    description: str
    value: Callable[[Any], str | None]
    required: bool = False
    enum: tuple[str, ...] | None = None
    pattern: str | None = None

    def field(self) -> dict[str, Any]:
        """The Table Schema field of this column."""
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.enum is not None:
            constraints["enum"] = list(self.enum)
        if self.pattern is not None:
            constraints["pattern"] = self.pattern
        out: dict[str, Any] = {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "type": "string",
        }
        if constraints:
            out["constraints"] = constraints
        return out


def _codes(libelles: dict[str, str]) -> str:
    """``« realisation » (Réalisation), « resultat » (Résultat)…`` for a field description."""
    return ", ".join(f"« {k} » ({v})" for k, v in libelles.items())


# A fiche's categories of publics in one cell: their codes separated by « | »,
# as the national schema of digital-mediation places writes its lists.
SEPARATEUR_LISTE = "|"


def _liste_de(codes: dict[str, str]) -> str:
    """The Table Schema pattern of a cell that lists some of ``codes``, separated by
    SEPARATEUR_LISTE (plain groups: Table Schema's XML Schema regular expressions have no ``(?:``)."""
    un = "(" + "|".join(codes) + ")"  # codes: lowercase letters, digits and hyphens
    return f"{un}({re.escape(SEPARATEUR_LISTE)}{un})*"


REFERENTIEL_COLUMNS: tuple[Column, ...] = (
    Column("dimension", "Dimension", "Identifiant de la dimension du critère, par exemple « EP ».",
           lambda i: i.critere.dimension.id, required=True),
    Column("dimension_titre", "Titre de la dimension", "Nom de la dimension, par exemple « Émancipation personnelle ».",
           lambda i: i.critere.dimension.titre, required=True),
    Column("critere", "Critère", "Identifiant du critère de l'indicateur, par exemple « EP1 ».",
           lambda i: i.critere.id, required=True),
    Column("critere_titre", "Titre du critère", "Nom du critère, par exemple « Estime de soi ».",
           lambda i: i.critere.titre, required=True),
    Column("id", "Indicateur", "Identifiant stable de l'indicateur, par exemple « EP1.1 » : "
           "l'identifiant du critère, un point et un numéro.",
           lambda i: i.id, required=True),
    Column("libelle", "Libellé", "Ce que mesure l'indicateur, en une phrase.",
           lambda i: i.libelle, required=True),
    Column("type", "Type d'indicateur", "Nature de l'indicateur : " + _codes(TYPES_INDICATEUR) + ".",
           lambda i: i.type, required=True, enum=tuple(TYPES_INDICATEUR)),
    Column("definition", "Définition", "Définition précise de l'indicateur (texte, Markdown permis).",
           lambda i: i.definition),
    Column("collecte", "Collecte", "Comment on mesure l'indicateur : comptage, questionnaire, "
           "observation, entretien… (texte, Markdown permis).",
           lambda i: i.collecte, required=True),
    Column("exemple", "Exemple", "Un exemple de question ou de mesure (texte, Markdown permis).",
           lambda i: i.exemple),
    Column("provenance", "Provenance", "D'où vient la rédaction de l'indicateur : "
           + "; ".join(f"« {k} » ({v})" for k, v in PROVENANCES.items()) + ".",
           lambda i: i.provenance, required=True, enum=tuple(PROVENANCES)),
    Column("reference", "Référence", "La source précise quand la provenance est « source-citee » ; vide sinon.",
           lambda i: i.reference),
)


@dataclass(frozen=True)
class _Reported:
    """One row of fiches.csv: one fiche reporting one indicator."""

    fiche: Fiche
    contribution: Contribution
    observe: IndicateurObserve
    indicateur: Indicateur | None


FICHES_COLUMNS: tuple[Column, ...] = (
    Column("fiche", "Fiche", "Identifiant de la fiche (nom de son fichier sans « .yaml »), "
           "par exemple « intergeneration ».",
           lambda r: r.fiche.id, required=True),
    Column("titre", "Titre de la fiche", "Titre de la fiche : le nom de l'action évaluée.",
           lambda r: r.fiche.titre, required=True),
    Column("statut", "Statut", "Statut de la fiche : « exemple » (fiche d'illustration reconstituée par "
           "l'équipe du site, valeurs non mesurées), « proposee » (fiche envoyée par un acteur, en "
           "relecture) ou « publiee » (fiche d'un acteur, relue et publiée).",
           lambda r: r.fiche.statut, required=True, enum=tuple(STATUTS)),
    Column("acteur_nom", "Acteur", "Nom de la structure qui mène l'action.",
           lambda r: r.fiche.acteur.nom, required=True),
    Column("acteur_type", "Type d'acteur", "Type de structure : " + _codes(TYPES_ACTEUR) + ".",
           lambda r: r.fiche.acteur.type, required=True, enum=tuple(TYPES_ACTEUR)),
    Column("acteur_ville", "Commune", "Commune de la structure ; vide si la fiche ne la donne pas.",
           lambda r: r.fiche.acteur.ville),
    Column("categories_publics", "Catégories de publics",
           "Les publics auxquels l'action s'adresse spécifiquement, séparés par « | » : "
           + _codes(CATEGORIES_PUBLICS) + " (valeurs du champ « publics_specifiquement_adresses » du "
           "schéma national des lieux de médiation numérique, version 1.0.1) ; vide si la fiche n'en "
           "indique pas.",
           lambda r: SEPARATEUR_LISTE.join(r.fiche.action.categories_publics) or None,
           pattern=_liste_de(CATEGORIES_PUBLICS)),
    Column("critere", "Critère", "Identifiant du critère auquel la fiche rattache l'indicateur, "
           "par exemple « VE2 » (colonne « critere » de referentiel.csv).",
           lambda r: r.contribution.critere_id, required=True),
    Column("indicateur", "Indicateur", "Identifiant de l'indicateur renseigné, par exemple « VE2.1 » "
           "(colonne « id » de referentiel.csv).",
           lambda r: r.observe.id, required=True),
    Column("indicateur_libelle", "Libellé de l'indicateur", "Ce que mesure l'indicateur, repris de referentiel.csv.",
           lambda r: r.indicateur.libelle if r.indicateur is not None else None, required=True),
    Column("valeur", "Valeur", "Ce que l'acteur a observé ou mesuré, tel qu'il l'a écrit (texte : "
           "nombre, part, constat). Pour une fiche « exemple », ce qui serait mesuré, sans valeur réelle.",
           lambda r: r.observe.valeur, required=True),
    Column("source", "Source", "D'où vient la valeur : feuille d'émargement, questionnaire, "
           "entretien… ; vide si la fiche ne le précise pas.",
           lambda r: r.observe.source),
    Column("commentaire", "Commentaire", "Précision éventuelle sur la valeur (texte, Markdown permis).",
           lambda r: r.observe.commentaire),
    Column("licence", "Licence de la fiche", "Licence propre à la fiche, si elle en indique une ; "
           "vide : la licence du référentiel s'applique.",
           lambda r: r.fiche.licence, enum=tuple(LICENCES)),
)


def referentiel_rows(ref: Referentiel) -> list[Indicateur]:
    """One row per indicator, in the order of the framework."""
    return [i for d in ref.dimensions for c in d.criteres for i in c.indicateurs]


def fiches_rows(ref: Referentiel) -> list[_Reported]:
    """One row per indicator reported by a fiche: fiches by id, then as each fiche lists them."""
    return [
        _Reported(f, c, o, ref.indicateurs.get(o.id))
        for f in sorted(ref.fiches, key=lambda f: f.id)
        for c in f.contributions
        for o in c.indicateurs
    ]


# CSV injection (OWASP): a spreadsheet runs a cell that begins with one of
# these characters as a formula (=HYPERLINK(...), +cmd|..., @SUM(...)), and a
# leading tab or carriage return can hide such a start. Contributed text is
# untrusted, so in the CSV files such a cell is written after an apostrophe,
# which spreadsheets read as "this cell is text".
FORMULA_STARTS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")

# The rule as reusers read it, in datapackage.json (the page docs/donnees.md
# says the same): « = », « + », « - », « @ », une tabulation ou un retour chariot.
_STARTS_IN_FRENCH = [{"\t": "une tabulation", "\r": "un retour chariot"}.get(c, f"« {c} »")
                     for c in FORMULA_STARTS]
FORMULA_RULE = (
    "une cellule dont le texte commence par " + ", ".join(_STARTS_IN_FRENCH[:-1])
    + " ou " + _STARTS_IN_FRENCH[-1] + " est écrite précédée d'une apostrophe (') pour "
    "qu'un tableur ne l'exécute pas comme une formule"
)


def spreadsheet_safe(text: str) -> str:
    """``text`` as a CSV cell: with a leading apostrophe if it begins with one of FORMULA_STARTS."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_bytes(columns: tuple[Column, ...], rows: list[Any]) -> bytes:
    """RFC 4180 CSV (comma, CRLF, quotes when needed), UTF-8 with BOM; None is an empty cell,
    and a cell that begins like a formula gets a leading apostrophe (``spreadsheet_safe``)."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf)  # defaults: comma, '"', doubled quotes, "\r\n"
    writer.writerow([c.name for c in columns])
    for row in rows:
        values = (c.value(row) for c in columns)
        writer.writerow(["" if v is None else spreadsheet_safe(v) for v in values])
    return buf.getvalue().encode("utf-8-sig")


def referentiel_csv(ref: Referentiel) -> bytes:
    return csv_bytes(REFERENTIEL_COLUMNS, referentiel_rows(ref))


def fiches_csv(ref: Referentiel) -> bytes:
    return csv_bytes(FICHES_COLUMNS, fiches_rows(ref))


# --------------------------------------------------------------------------
# Frictionless data package


def licence_descriptor(code: str) -> dict[str, str]:
    """``CC-BY-SA-4.0`` -> name, path of the licence (not the French deed), title."""
    titre, url = LICENCES[code]
    return {"name": code, "path": url.removesuffix("deed.fr"), "title": titre}


def _resource(name: str, path: str, title: str, description: str, content: bytes,
              columns: tuple[Column, ...], primary_key: list[str],
              foreign_keys: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "fields": [c.field() for c in columns],
        "missingValues": [""],
        "primaryKey": primary_key,
    }
    if foreign_keys:
        schema["foreignKeys"] = foreign_keys
    return {
        "name": name,
        "path": path,
        "profile": "tabular-data-resource",
        "title": title,
        "description": description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": len(content),
        "hash": "sha256:" + hashlib.sha256(content).hexdigest(),
        "dialect": dict(CSV_DIALECT),
        "schema": schema,
    }


def _formula_sentence(json_name: str) -> str:
    """The formula rule for one CSV resource, naming the JSON file that keeps the exact values."""
    rule = FORMULA_RULE[0].upper() + FORMULA_RULE[1:]
    return f"{rule} ; {json_name} donne les valeurs exactes."


def datapackage_dict(ref: Referentiel, referentiel_content: bytes, fiches_content: bytes) -> dict[str, Any]:
    """The ``datapackage.json`` describing referentiel.csv and fiches.csv."""
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": ref.titre,
        "description": (
            "Le référentiel de l'utilité sociale de la médiation numérique (dimensions, critères "
            "et indicateurs) et les fiches d'évaluation qui le mettent en œuvre. "
            "referentiel.csv : un indicateur par ligne, avec son critère et sa dimension. "
            "fiches.csv : un indicateur renseigné par une fiche par ligne, avec sa valeur et sa source. "
            "Les fiches de statut « exemple » sont des illustrations : leurs valeurs n'ont pas été mesurées. "
            "Toutes les valeurs sont du texte, telles qu'écrites dans les données, à une exception "
            "près dans les fichiers CSV : " + FORMULA_RULE + ". Les fichiers JSON (referentiel.json, "
            "fiches.json) gardent les valeurs exactes, sans apostrophe ajoutée."
        ),
        "version": ref.version,
        "licenses": [licence_descriptor(ref.licence)],
        "keywords": ["médiation numérique", "utilité sociale", "évaluation", "indicateurs", "Brest"],
        "resources": [
            _resource(
                "referentiel", REFERENTIEL_CSV, "Dimensions, critères et indicateurs du référentiel",
                "Un indicateur par ligne, avec son critère et sa dimension, dans l'ordre du référentiel. "
                + _formula_sentence(REFERENTIEL_JSON),
                referentiel_content, REFERENTIEL_COLUMNS, ["id"],
            ),
            _resource(
                "fiches", FICHES_CSV, "Indicateurs renseignés par les fiches d'évaluation",
                "Un indicateur renseigné par une fiche par ligne : la fiche, son statut, l'acteur, "
                "le critère, l'indicateur, la valeur observée et sa source. Fiches par identifiant, "
                "puis dans l'ordre de chaque fiche. " + _formula_sentence(FICHES_JSON),
                fiches_content, FICHES_COLUMNS, ["fiche", "indicateur"],
                foreign_keys=[{"fields": ["indicateur"],
                               "reference": {"resource": "referentiel", "fields": ["id"]}}],
            ),
        ],
    }
    if ref.editeur:
        package["contributors"] = [{"title": ref.editeur, "role": "publisher"}]
    return package


# --------------------------------------------------------------------------
# Writing the folder


def ecrire_donnees(ref: Referentiel, dossier: Path, schemas_dir: Path) -> list[Path]:
    """Write every open-data file into ``dossier`` and return their paths.

    The folder is created if needed; other files in it (the « Données
    ouvertes » page's index.html, say) are left alone.
    """
    dossier = Path(dossier)
    dossier.mkdir(parents=True, exist_ok=True)
    ref_csv = referentiel_csv(ref)
    fic_csv = fiches_csv(ref)
    contents: dict[str, bytes] = {
        REFERENTIEL_JSON: json_bytes(referentiel_dict(ref)),
        FICHES_JSON: json_une_ligne_par_element(fiches_dict(ref)),
        REFERENTIEL_CSV: ref_csv,
        FICHES_CSV: fic_csv,
        DATAPACKAGE_JSON: json_bytes(datapackage_dict(ref, ref_csv, fic_csv)),
    }
    written: list[Path] = []
    for name, content in contents.items():
        path = dossier / name
        path.write_bytes(content)
        written.append(path)
    # The JSON Schemas: they describe referentiel.json and each fiche of fiches.json.
    return written + copier_schemas(dossier, schemas_dir)


def copier_schemas(dossier: Path, schemas_dir: Path) -> list[Path]:
    """The JSON Schemas, byte for byte, into ``dossier`` (open data, and
    ``schemas/`` for editors that validate a fiche as it is typed)."""
    dossier.mkdir(parents=True, exist_ok=True)
    written = []
    for schema in sorted(Path(schemas_dir).glob("*.schema.json")):
        path = dossier / schema.name
        path.write_bytes(schema.read_bytes())
        written.append(path)
    return written
