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
- ``datapackage.json``: a Frictionless data package describing every file
  but the JSON Schemas: the CSV files as tabular resources (fields, keys),
  the JSON files by their size and SHA-256 (so is each CSV), the licence.

Versions (``data/versions/``): each released version also gets its own
``v<version>/referentiel.json`` and ``referentiel.csv``, built from its
snapshot (same shapes as the current files, which ``ecrire_donnees`` writes
from the current data), and ``versions.json`` is the changelog, shaped like
``data/versions/changements.yaml``. A data folder without ``versions/`` (no
version released yet) has neither. Retired items keep their row, with
``retire_en`` and ``remplace_par``. A fiche's ``version_referentiel``:
``fiches.json`` keeps it as written (absent if the fiche has none: the file
is what « Mettre à jour cette fiche » reloads, and must come back as it
was), ``fiches.csv`` gives the effective one (``Referentiel.version_de``).
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

from ..modele.conversion import referentiel_depuis_yaml, vers_yaml
from ..modele.versions import Changement, VersionPubliee
from ..render import date_fr
from ..modele import (
    CATEGORIES_PUBLICS,
    LICENCES,
    METHODES_COLLECTE,
    PROVENANCES,
    PUBLICS_RECUEIL,
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
VERSIONS_JSON = "versions.json"

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


def dossier_version(version: str) -> str:
    """``"1.0"`` -> ``"v1.0"``: the folder of a released version's files, in ``donnees/``."""
    return f"v{version}"


def referentiel_de_version(version: VersionPubliee) -> Referentiel:
    """The framework as a released version has it (its snapshot), indexed, without fiches."""
    ref = referentiel_depuis_yaml(version.data)
    ref.indexer()
    return ref


def changement_dict(c: Changement) -> dict[str, Any]:
    """One change, shaped like an entry of changements.yaml (absent fields left out)."""
    out: dict[str, Any] = {"id": c.id, "nature": c.nature}
    if c.champs:
        out["champs"] = list(c.champs)
    if c.raison:
        out["raison"] = c.raison
    if c.remplace_par:
        out["remplace_par"] = list(c.remplace_par)
    return out


def versions_dict(ref: Referentiel) -> dict[str, Any]:
    """The changelog, oldest version first, shaped like data/versions/changements.yaml
    (and valid against changements.schema.json); ``changements`` is always there."""
    return {"versions": [
        {"version": v.version, "date": v.date, "resume": v.resume,
         "changements": [changement_dict(c) for c in v.changements]}
        for v in ref.versions
    ]}


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


# A version number (« 1.1 ») and an id (« EP », « EP1 », « EP1.1 »), as the schemas write them
# (Table Schema patterns match the whole cell).
MOTIF_VERSION = r"[0-9]+(\.[0-9]+){1,2}"
MOTIF_ID = r"[A-Z]{2}([0-9]{1,2}(\.[0-9]{1,2})?)?"


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
    Column("retire_en", "Retiré en", "Pour un indicateur retiré du référentiel : la version qui l'a retiré, "
           "par exemple « 1.1 » ; vide s'il est en vigueur. Un indicateur retiré n'est jamais supprimé : il "
           "garde son identifiant, son texte et sa ligne.",
           lambda i: i.retire.version if i.retire is not None else None, pattern=MOTIF_VERSION),
    Column("remplace_par", "Remplacé par", "Pour un indicateur retiré : les identifiants de ce qui le "
           "remplace, séparés par « | », par exemple « VE2.4 » ; vide s'il n'est pas retiré ou n'a pas de "
           "remplaçant.",
           lambda i: SEPARATEUR_LISTE.join(i.retire.remplace_par) if i.retire is not None else None,
           pattern=f"{MOTIF_ID}({re.escape(SEPARATEUR_LISTE)}{MOTIF_ID})*"),
    # How to collect it (a proposal of the site's team); its questions, what to
    # observe and ask are in referentiel.json.
    Column("methodes", "Méthodes de recueil", "Les façons de recueillir l'indicateur, séparées par « | » : "
           + _codes(METHODES_COLLECTE) + " (proposition de l'équipe du site ; les questions, ce qu'il faut "
           "observer et demander sont dans referentiel.json).",
           lambda i: SEPARATEUR_LISTE.join(i.methodes) or None, pattern=_liste_de(METHODES_COLLECTE)),
    Column("aupres_de", "Auprès de qui", "Qui répond au questionnaire ou à l'entretien, ou est observé, "
           "séparés par « | » : " + _codes(PUBLICS_RECUEIL) + ".",
           lambda i: SEPARATEUR_LISTE.join(i.aupres_de) or None, pattern=_liste_de(PUBLICS_RECUEIL)),
)


@dataclass(frozen=True)
class _Reported:
    """One row of fiches.csv: one fiche reporting one indicator."""

    fiche: Fiche
    contribution: Contribution
    observe: IndicateurObserve
    indicateur: Indicateur | None
    version: str | None     # the version of the référentiel the fiche was written with


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
    Column("version_referentiel", "Version du référentiel", "La version du référentiel avec laquelle la "
           "fiche a été écrite : celle que la fiche indique (champ « version_referentiel » de fiches.json), "
           "sinon la version en cours quand la fiche a été ajoutée (à la date de la première ligne de son "
           "historique). Le texte des indicateurs dans une version publiée est dans v<version>/referentiel.csv.",
           lambda r: r.version, required=True, pattern=MOTIF_VERSION),
)


def referentiel_rows(ref: Referentiel) -> list[Indicateur]:
    """One row per indicator, in the order of the framework."""
    return [i for d in ref.dimensions for c in d.criteres for i in c.indicateurs]


def fiches_rows(ref: Referentiel) -> list[_Reported]:
    """One row per indicator reported by a fiche: fiches by id, then as each fiche lists them."""
    rows: list[_Reported] = []
    for f in sorted(ref.fiches, key=lambda f: f.id):
        version = ref.version_de(f)
        rows += [_Reported(f, c, o, ref.indicateurs.get(o.id), version)
                 for c in f.contributions for o in c.indicateurs]
    return rows


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


def _fichier(name: str, path: str, title: str, description: str, content: bytes) -> dict[str, Any]:
    """What every resource says: its name, path, title, description, size and SHA-256."""
    return {
        "name": name,
        "path": path,
        "title": title,
        "description": description,
        "encoding": "utf-8",
        "bytes": len(content),
        "hash": "sha256:" + hashlib.sha256(content).hexdigest(),
    }


def _resource(name: str, path: str, title: str, description: str, content: bytes,
              columns: tuple[Column, ...], primary_key: list[str],
              foreign_keys: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A CSV file: a tabular resource, with its Table Schema (every row is checked)."""
    schema: dict[str, Any] = {
        "fields": [c.field() for c in columns],
        "missingValues": [""],
        "primaryKey": primary_key,
    }
    if foreign_keys:
        schema["foreignKeys"] = foreign_keys
    return {
        **_fichier(name, path, title, description, content),
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "dialect": dict(CSV_DIALECT),
        "schema": schema,
    }


def _resource_json(name: str, path: str, title: str, description: str, content: bytes) -> dict[str, Any]:
    """A JSON file: a plain resource (its size and hash are checked; its JSON Schema is named
    in its description: a Data Package schema is a Table Schema)."""
    return {
        **_fichier(name, path, title, description, content),
        "profile": "data-resource",
        "format": "json",
        "mediatype": "application/json",
    }


def _formula_sentence(json_name: str) -> str:
    """The formula rule for one CSV resource, naming the JSON file that keeps the exact values."""
    rule = FORMULA_RULE[0].upper() + FORMULA_RULE[1:]
    return f"{rule} ; {json_name} donne les valeurs exactes."


def _publiee(v: VersionPubliee) -> str:
    """« publié en version 1.0, le 26 novembre 2026 »."""
    return f"publié en version {v.version}, le {date_fr(v.date)}"


def datapackage_dict(ref: Referentiel, contents: dict[str, bytes]) -> dict[str, Any]:
    """The ``datapackage.json`` describing the files of ``contents`` (path in
    ``donnees/`` -> bytes): the current CSV and JSON files, then the changelog
    and each released version's files, oldest first (``fichiers_version``)."""
    avec_versions = bool(ref.versions)
    json_exacts = "referentiel.json, fiches.json" + (
        f", {dossier_version('<version>')}/referentiel.json" if avec_versions else "")
    description = (
        "Le référentiel de l'utilité sociale de la médiation numérique (dimensions, critères "
        "et indicateurs) et les fiches d'évaluation qui le mettent en œuvre, dans la version "
        f"{ref.version} du référentiel. "
        "referentiel.csv : un indicateur par ligne, avec son critère et sa dimension ; un indicateur "
        "retiré garde sa ligne, avec la version qui l'a retiré (retire_en) et ce qui le remplace "
        "(remplace_par). "
        "fiches.csv : un indicateur renseigné par une fiche par ligne, avec sa valeur, sa source et la "
        "version du référentiel avec laquelle la fiche a été écrite (version_referentiel : celle que la "
        "fiche indique, sinon la version en cours quand elle a été ajoutée ; fiches.json garde ce champ "
        "tel qu'écrit dans la fiche, absent si elle n'en indique pas). "
    )
    if avec_versions:
        description += (
            "Chaque version publiée du référentiel a ses propres fichiers, de même forme : "
            f"{dossier_version('<version>')}/referentiel.csv et {dossier_version('<version>')}/referentiel.json "
            "(une version publiée ne change plus) ; versions.json est le journal des versions : la date, "
            "le résumé et les changements de chacune. "
        )
    description += (
        "Les fiches de statut « exemple » sont des illustrations : leurs valeurs n'ont pas été mesurées. "
        "Toutes les valeurs sont du texte, telles qu'écrites dans les données, à une exception "
        "près dans les fichiers CSV : " + FORMULA_RULE + f". Les fichiers JSON ({json_exacts}) "
        "gardent les valeurs exactes, sans apostrophe ajoutée."
    )
    resources = [
        _resource(
            "referentiel", REFERENTIEL_CSV, "Dimensions, critères et indicateurs du référentiel",
            f"Le référentiel dans sa version en cours ({ref.version}) : un indicateur par ligne, avec son "
            "critère et sa dimension, dans l'ordre du référentiel ; un indicateur retiré garde sa ligne "
            "(colonnes retire_en et remplace_par). " + _formula_sentence(REFERENTIEL_JSON),
            contents[REFERENTIEL_CSV], REFERENTIEL_COLUMNS, ["id"],
        ),
        _resource(
            "fiches", FICHES_CSV, "Indicateurs renseignés par les fiches d'évaluation",
            "Un indicateur renseigné par une fiche par ligne : la fiche, son statut, l'acteur, "
            "le critère, l'indicateur, la valeur observée et sa source, et la version du référentiel "
            "avec laquelle la fiche a été écrite. Fiches par identifiant, "
            "puis dans l'ordre de chaque fiche. " + _formula_sentence(FICHES_JSON),
            contents[FICHES_CSV], FICHES_COLUMNS, ["fiche", "indicateur"],
            foreign_keys=[{"fields": ["indicateur"],
                           "reference": {"resource": "referentiel", "fields": ["id"]}}],
        ),
        _resource_json(
            "referentiel-json", REFERENTIEL_JSON, "Le référentiel complet (JSON)",
            f"Le référentiel dans sa version en cours ({ref.version}) : dimensions, critères et indicateurs "
            "avec tous leurs champs, dans la forme du fichier criteres.yaml ; il suit le schéma JSON "
            "criteres.schema.json.",
            contents[REFERENTIEL_JSON],
        ),
        _resource_json(
            "fiches-json", FICHES_JSON, "Les fiches d'évaluation complètes (JSON)",
            "Chaque fiche dans la forme de son fichier (elle suit le schéma JSON fiche.schema.json), une "
            "par ligne, par identifiant, avec les métadonnées du référentiel. Le champ version_referentiel "
            "y est tel qu'écrit dans la fiche, absent si elle n'en indique pas ; la colonne "
            "version_referentiel de fiches.csv donne la version de chaque fiche.",
            contents[FICHES_JSON],
        ),
    ]
    if avec_versions:
        resources.append(_resource_json(
            "versions", VERSIONS_JSON, "Journal des versions du référentiel",
            "Chaque version publiée, de la plus ancienne à la plus récente : son numéro, sa date, son "
            "résumé et ses changements : « ajout », « modification » (avec les champs reformulés) ou "
            "« retrait » (avec ce qui remplace l'élément), et la raison de chacun. Il suit le schéma JSON "
            "changements.schema.json. Les fichiers de chaque version sont dans "
            f"{dossier_version('<version>')}/.",
            contents[VERSIONS_JSON],
        ))
    for v in ref.versions:
        dossier = dossier_version(v.version)
        resources.append(_resource(
            f"referentiel-{dossier}", f"{dossier}/{REFERENTIEL_CSV}", f"Référentiel, version {v.version}",
            f"Le référentiel tel qu'il a été {_publiee(v)} : un indicateur par ligne, avec son critère et "
            "sa dimension, dans l'ordre du référentiel, avec les colonnes de referentiel.csv. "
            "Une version publiée ne change plus. " + _formula_sentence(f"{dossier}/{REFERENTIEL_JSON}"),
            contents[f"{dossier}/{REFERENTIEL_CSV}"], REFERENTIEL_COLUMNS, ["id"],
        ))
        resources.append(_resource_json(
            f"referentiel-{dossier}-json", f"{dossier}/{REFERENTIEL_JSON}",
            f"Référentiel, version {v.version} (JSON)",
            f"Le référentiel complet tel qu'il a été {_publiee(v)}, dans la forme de referentiel.json "
            "(il suit le schéma JSON criteres.schema.json). Une version publiée ne change plus.",
            contents[f"{dossier}/{REFERENTIEL_JSON}"],
        ))
    package: dict[str, Any] = {
        # Not « tabular-data-package »: the JSON files are listed too.
        "profile": "data-package",
        "name": PACKAGE_NAME,
        "title": ref.titre,
        "description": description,
        "version": ref.version,
        "licenses": [licence_descriptor(ref.licence)],
        "keywords": ["médiation numérique", "utilité sociale", "évaluation", "indicateurs", "Brest"],
        "resources": resources,
    }
    if ref.editeur:
        package["contributors"] = [{"title": ref.editeur, "role": "publisher"}]
    return package


# --------------------------------------------------------------------------
# Writing the folder


def fichiers_version(v: VersionPubliee) -> dict[str, bytes]:
    """A released version's files, by their path in ``donnees/``: its snapshot as
    ``v<version>/referentiel.json`` and ``referentiel.csv``."""
    ref = referentiel_de_version(v)
    dossier = dossier_version(v.version)
    return {
        f"{dossier}/{REFERENTIEL_JSON}": json_bytes(referentiel_dict(ref)),
        f"{dossier}/{REFERENTIEL_CSV}": referentiel_csv(ref),
    }


def contenus(ref: Referentiel) -> dict[str, bytes]:
    """Every open-data file but the JSON Schemas, by its path in ``donnees/``."""
    out: dict[str, bytes] = {
        REFERENTIEL_JSON: json_bytes(referentiel_dict(ref)),
        FICHES_JSON: json_une_ligne_par_element(fiches_dict(ref)),
        REFERENTIEL_CSV: referentiel_csv(ref),
        FICHES_CSV: fiches_csv(ref),
    }
    if ref.versions:
        out[VERSIONS_JSON] = json_bytes(versions_dict(ref))
    for v in ref.versions:
        out.update(fichiers_version(v))
    out[DATAPACKAGE_JSON] = json_bytes(datapackage_dict(ref, out))
    return out


def ecrire_donnees(ref: Referentiel, dossier: Path, schemas_dir: Path) -> list[Path]:
    """Write every open-data file into ``dossier`` and return their paths.

    The folder (and each version's ``v<version>/``) is created if needed;
    other files in it (the « Données ouvertes » page's index.html, say) are
    left alone.
    """
    dossier = Path(dossier)
    dossier.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, content in contenus(ref).items():
        path = dossier / name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(content)
        written.append(path)
    # The JSON Schemas: they describe referentiel.json, each fiche of fiches.json and versions.json.
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
