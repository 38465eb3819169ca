"""Open-data exports (site/donnees/): each file read back and compared with the data.

The shipped data is exported into a temporary folder with ``ecrire_donnees``
and every file is read as a reuser would (csv with ``utf-8-sig``, json,
frictionless), then compared with the model built by the project's loader.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import textwrap
from dataclasses import fields, is_dataclass
from pathlib import Path

import frictionless
import jsonschema
import pytest
from conftest import ROOT

from referentiel.lecture.schemas import SCHEMAS_DIR
from referentiel.sorties.donnees import FICHES_COLUMNS, REFERENTIEL_COLUMNS, ecrire_donnees
from referentiel.modele.conversion import fiche_depuis_yaml, referentiel_depuis_yaml
from referentiel.lecture import charger
from referentiel.modele import CATEGORIES_PUBLICS, Fiche, Referentiel

FICHIERS = {
    "referentiel.json", "fiches.json", "referentiel.csv", "fiches.csv", "datapackage.json", "versions.json",
    "criteres.schema.json", "fiche.schema.json", "changements.schema.json",
}
# The shipped data has one released version: its files, in a folder of its own.
FICHIERS_VERSION = {"v1.0/referentiel.json", "v1.0/referentiel.csv"}

ENTETE_REFERENTIEL = [
    "dimension", "dimension_titre", "critere", "critere_titre", "id", "libelle", "type",
    "definition", "collecte", "exemple", "provenance", "reference", "retire_en", "remplace_par",
    "methodes", "aupres_de",
]
ENTETE_FICHES = [
    "fiche", "titre", "statut", "acteur_nom", "acteur_type", "acteur_ville", "categories_publics",
    "critere", "indicateur", "indicateur_libelle", "valeur", "source", "commentaire", "licence",
    "version_referentiel",
]

# A fiche that fills every field, with what trips up CSV readers: quotes,
# commas, semicolons, line breaks, a leading "=" and accents.
FICHE_COMPLETE = textwrap.dedent("""\
    id: essai-complet
    titre: "Atelier « complet », pour l'essai ; été"
    statut: publiee
    acteur:
      nom: Association "Les Essais", Brest
      type: etablissement-sante
      ville: Brest
      site: https://www.exemple.org/essai
      presentation: |-
        Premier paragraphe, avec une virgule.

        Second paragraphe ; point-virgule.
    action:
      resume: Une action imaginaire qui remplit chaque champ de la fiche.
      description: Description de l'action.
      moyens: Deux animateurs.
      enjeux: Tester l'export.
      debut: "2014-09"
      fin: "2015-06-30"
      lieux:
        - Maison de quartier
        - Médiathèque
      publics:
        - Habitants
      categories_publics:
        - seniors
        - familles-enfants
      partenaires:
        - Ville de Brest
    evaluation:
      periode: année 2014
      methode: Questionnaire.
    contributions:
      - critere: EP1
        constats: Les participants osent davantage.
        indicateurs:
          - id: EP1.1
            valeur: =12 séances, "réelles"
            source: feuilles d'émargement ; registre
            commentaire: |-
              Ligne un,
              ligne deux.
          - id: EP1.2
            valeur: "9 sur 12"
      - critere: VE2
        constats: Des liens se créent.
        indicateurs:
          - id: VE2.1
            valeur: 14 participants réguliers
    temoignages:
      - texte: Maintenant je fais mes papiers toute seule.
        auteur: une participante
      - texte: Sans auteur.
    sources:
      - titre: Bilan d'activité
        url: https://www.exemple.org/bilan
        date: "2015-03"
      - titre: Sans adresse
    licence: CC-BY-4.0
    mise_a_jour: "2015-07-01"
    historique:
      - date: "2015-07-01"
        auteur: Association "Les Essais"
        modification: Création de la fiche
    """)


# Values that a spreadsheet would run as a formula, and what a reuser reads in
# the CSV cell: the same text after an apostrophe (OWASP's rule against CSV
# injection). The same signs later in the text change nothing.
CAS_FORMULE = [
    ("=1+1", "'=1+1"),
    ("+33 6 12 34 56 78", "'+33 6 12 34 56 78"),
    ("-2 %", "'-2 %"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"),
    ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
    ("1+1=2", "1+1=2"),
    ("a-b", "a-b"),
    ("x@y.fr", "x@y.fr"),
]

# One fiche per value of CAS_FORMULE ({valeur} is a JSON string, which YAML
# reads as a double-quoted scalar). A value with a tab or a carriage return
# can't come from a fiche (the validator refuses control characters): the
# test puts it in the model after loading, to show the export does not rely
# on the validator.
FICHE_FORMULE = textwrap.dedent("""\
    id: formule-{n}
    titre: Essai de formule {n}
    statut: publiee
    acteur:
      nom: Association des essais
      type: association
    action:
      resume: Une action imaginaire dont la valeur commence comme une formule.
    evaluation:
      periode: année 2014
      methode: Questionnaire.
    contributions:
      - critere: EP1
        constats: Une valeur difficile pour un tableur.
        indicateurs:
          - id: EP1.1
            valeur: {valeur}
    licence: CC-BY-4.0
    mise_a_jour: "2015-07-01"
    historique:
      - date: "2015-07-01"
        auteur: Association des essais
        modification: Création de la fiche
    """)


def charger_livre() -> Referentiel:
    resultat = charger(ROOT / "data")
    assert resultat.ok, [str(p) for p in resultat.problemes]
    assert resultat.referentiel is not None
    return resultat.referentiel


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> tuple[Referentiel, Path, list[Path]]:
    """The shipped data, loaded and exported as the plugin does."""
    ref = charger_livre()
    dossier = tmp_path_factory.mktemp("export") / "donnees"
    chemins = ecrire_donnees(ref, dossier, SCHEMAS_DIR)
    return ref, dossier, chemins


@pytest.fixture(scope="module")
def export_complet(tmp_path_factory) -> tuple[Referentiel, Path]:
    """The shipped data plus a fiche that fills every field, every optional field of the framework set."""
    base = tmp_path_factory.mktemp("complet")
    fiche = base / "essai-complet.yaml"
    fiche.write_text(FICHE_COMPLETE, encoding="utf-8")
    fiches = sorted((ROOT / "data" / "fiches").glob("[!_]*.yaml")) + [fiche]
    resultat = charger(ROOT / "data", fiches=fiches)
    assert resultat.ok, [str(p) for p in resultat.problemes]
    ref = resultat.referentiel
    assert ref is not None
    dim = ref.dimensions[0]
    dim.reference = "Référence de la dimension, « citée »"
    dim.criteres[0].reference = dim.criteres[0].reference or "Référence du critère"
    dim.criteres[0].indicateurs[0].reference = "Référence, de l'indicateur"
    dossier = base / "donnees"
    ecrire_donnees(ref, dossier, SCHEMAS_DIR)
    return ref, dossier


@pytest.fixture(scope="module")
def export_formules(tmp_path_factory) -> tuple[Referentiel, Path]:
    """The shipped data plus one fiche per value of CAS_FORMULE (fiche formule-<n>), and the
    same value as the reference of the n-th indicator of the framework."""
    base = tmp_path_factory.mktemp("formules")
    fiches = sorted((ROOT / "data" / "fiches").glob("[!_]*.yaml"))
    controles = {"\t", "\r"}
    for n, (valeur, _) in enumerate(CAS_FORMULE):
        fiche = base / f"formule-{n}.yaml"
        ecrite = "à remplacer" if controles & set(valeur) else valeur
        fiche.write_text(FICHE_FORMULE.format(n=n, valeur=json.dumps(ecrite, ensure_ascii=False)),
                         encoding="utf-8")
        fiches.append(fiche)
    resultat = charger(ROOT / "data", fiches=fiches)
    assert resultat.ok, [str(p) for p in resultat.problemes]
    ref = resultat.referentiel
    assert ref is not None
    par_id = {f.id: f for f in ref.fiches}
    indicateurs = [i for d in ref.dimensions for c in d.criteres for i in c.indicateurs]
    for n, (ind, (valeur, _)) in enumerate(zip(indicateurs, CAS_FORMULE)):
        ind.reference = valeur
        par_id[f"formule-{n}"].contributions[0].indicateurs[0].valeur = valeur
    dossier = base / "donnees"
    ecrire_donnees(ref, dossier, SCHEMAS_DIR)
    return ref, dossier


def lire_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """Read a CSV as a reuser would: utf-8-sig, csv module defaults."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        lecteur = csv.DictReader(fh)
        lignes = list(lecteur)
        return list(lecteur.fieldnames or []), lignes


def texte(v: str | None) -> str:
    return "" if v is None else v


def cellule(v: str | None) -> str:
    """What a reuser reads in the CSV cell of a value: empty if absent, and an apostrophe
    before a value that begins like a formula (see CAS_FORMULE)."""
    v = texte(v)
    return "'" + v if v[:1] in ("=", "+", "-", "@", "\t", "\r") else v


# Fields compared by ``differences``: back-references (repr=False) are skipped,
# and so are the indexes of Referentiel and the path of a fiche's file.
IGNORES = {
    Referentiel: {"fiches", "criteres", "indicateurs", "fiches_par_critere", "observations", "versions"},
    Fiche: {"fichier"},
}


def differences(a, b, chemin: str = "") -> list[str]:
    """Every field where two model objects differ, as readable paths."""
    if type(a) is not type(b):
        return [f"{chemin}: {type(a).__name__} != {type(b).__name__}"]
    if is_dataclass(a):
        out = []
        for f in fields(a):
            if not f.repr or f.name in IGNORES.get(type(a), set()):
                continue
            out += differences(getattr(a, f.name), getattr(b, f.name), f"{chemin}.{f.name}")
        return out
    if isinstance(a, list):
        if len(a) != len(b):
            return [f"{chemin}: {len(a)} éléments != {len(b)}"]
        out = []
        for i, (x, y) in enumerate(zip(a, b)):
            out += differences(x, y, f"{chemin}[{i}]")
        return out
    return [] if a == b else [f"{chemin}: {a!r} != {b!r}"]


# --------------------------------------------------------------------------
# Files


def _arbre(dossier: Path) -> set[str]:
    return {p.relative_to(dossier).as_posix() for p in dossier.rglob("*") if p.is_file()}


def test_fichiers_ecrits(export):
    _, dossier, chemins = export
    assert {p.relative_to(dossier).as_posix() for p in chemins} == FICHIERS | FICHIERS_VERSION
    assert all(p.is_file() and p.stat().st_size > 0 for p in chemins)
    assert _arbre(dossier) == FICHIERS | FICHIERS_VERSION


def test_la_version_livree_a_ses_fichiers(export):
    """The shipped data is version 1.0, released: v1.0/ holds its snapshot, which is the
    current data (same bytes), and versions.json its changelog entry."""
    ref, dossier, _ = export
    assert ref.version == "1.0" and [v.version for v in ref.versions] == ["1.0"]
    for nom in ("referentiel.json", "referentiel.csv"):
        assert (dossier / "v1.0" / nom).read_bytes() == (dossier / nom).read_bytes(), nom
    journal = json.loads((dossier / "versions.json").read_text(encoding="utf-8"))
    assert [(v["version"], v["date"], v["changements"]) for v in journal["versions"]] == [
        ("1.0", ref.date_version, [])]


def test_ecrire_ne_supprime_rien(tmp_path):
    # The « Données ouvertes » page (donnees/index.html) lives in the same folder.
    page = tmp_path / "index.html"
    page.write_text("<p>page</p>", encoding="utf-8")
    ecrire_donnees(charger_livre(), tmp_path, SCHEMAS_DIR)
    assert page.read_text(encoding="utf-8") == "<p>page</p>"


def test_schemas_copies_a_l_identique(export):
    _, dossier, _ = export
    sources = sorted(SCHEMAS_DIR.glob("*.schema.json"))
    assert {p.name for p in sources} == {"criteres.schema.json", "fiche.schema.json", "changements.schema.json"}
    for schema in sources:
        assert (dossier / schema.name).read_bytes() == schema.read_bytes()


def test_deux_exports_identiques_octet_pour_octet(export, tmp_path):
    _, dossier, _ = export
    # A fresh load, and the fiches in another order: same bytes.
    ref = charger_livre()
    ref.fiches.reverse()
    autre = tmp_path / "donnees"
    ecrire_donnees(ref, autre, SCHEMAS_DIR)
    assert _arbre(autre) == _arbre(dossier)
    for nom in sorted(_arbre(dossier)):
        assert (autre / nom).read_bytes() == (dossier / nom).read_bytes(), nom


def test_aucune_date_de_construction(export):
    _, dossier, _ = export
    paquet = json.loads((dossier / "datapackage.json").read_text(encoding="utf-8"))
    assert "created" not in paquet
    assert not any("created" in r or "modified" in r for r in paquet["resources"])


# --------------------------------------------------------------------------
# CSV


@pytest.mark.parametrize("nom", ["referentiel.csv", "fiches.csv"])
def test_csv_bom_virgule_crlf(export, nom):
    _, dossier, _ = export
    brut = (dossier / nom).read_bytes()
    # UTF-8 with one BOM (Excel reads the accents), nothing else before the header.
    assert brut.startswith(b"\xef\xbb\xbf") and not brut.startswith(b"\xef\xbb\xbf" * 2)
    assert brut.decode("utf-8").startswith("\ufeff")
    texte_csv = brut.decode("utf-8-sig")
    entete = texte_csv.split("\r\n", 1)[0]
    assert entete == ",".join(ENTETE_REFERENTIEL if nom == "referentiel.csv" else ENTETE_FICHES)
    # Every record ends with CRLF (RFC 4180); line breaks inside a value stay in its quotes.
    _, lignes = lire_csv(dossier / nom)
    assert not any("\r" in v for ligne in lignes for v in ligne.values())
    assert brut.endswith(b"\r\n")
    assert brut.count(b"\r\n") == len(lignes) + 1
    # Accents are read back intact with utf-8-sig.
    assert "é" in texte_csv and "Ã" not in texte_csv


def test_referentiel_csv_une_ligne_par_indicateur(export):
    ref, dossier, _ = export
    entete, lignes = lire_csv(dossier / "referentiel.csv")
    assert entete == ENTETE_REFERENTIEL == [c.name for c in REFERENTIEL_COLUMNS]
    attendu = [i for d in ref.dimensions for c in d.criteres for i in c.indicateurs]
    assert [ligne["id"] for ligne in lignes] == [i.id for i in attendu]
    assert len(lignes) == len(ref.indicateurs) == 42
    for ligne, ind in zip(lignes, attendu):
        crit = ind.critere
        assert crit is not None and crit.dimension is not None
        assert ligne == {
            "dimension": crit.dimension.id,
            "dimension_titre": cellule(crit.dimension.titre),
            "critere": crit.id,
            "critere_titre": cellule(crit.titre),
            "id": ind.id,
            "libelle": cellule(ind.libelle),
            "type": ind.type,
            "definition": cellule(ind.definition),
            "collecte": cellule(ind.collecte),
            "exemple": cellule(ind.exemple),
            "provenance": ind.provenance,
            "reference": cellule(ind.reference),
            "retire_en": "",
            "remplace_par": "",
            "methodes": "|".join(ind.methodes),
            "aupres_de": "|".join(ind.aupres_de),
        }, ind.id
    ep = next(ligne for ligne in lignes if ligne["dimension"] == "EP")
    assert ep["dimension_titre"] == "Émancipation personnelle"


def test_fiches_csv_une_ligne_par_indicateur_renseigne(export):
    ref, dossier, _ = export
    entete, lignes = lire_csv(dossier / "fiches.csv")
    assert entete == ENTETE_FICHES == [c.name for c in FICHES_COLUMNS]
    attendu = [(f, c, o) for f in ref.fiches for c in f.contributions for o in c.indicateurs]
    assert len(lignes) == len(attendu) == sum(len(v) for v in ref.observations.values())
    assert [(ligne["fiche"], ligne["indicateur"]) for ligne in lignes] == [(f.id, o.id) for f, _, o in attendu]
    for ligne, (fiche, contrib, obs) in zip(lignes, attendu):
        assert ligne == {
            "fiche": fiche.id,
            "titre": cellule(fiche.titre),
            "statut": fiche.statut,
            "acteur_nom": cellule(fiche.acteur.nom),
            "acteur_type": fiche.acteur.type,
            "acteur_ville": cellule(fiche.acteur.ville),
            "categories_publics": "|".join(fiche.action.categories_publics),
            "critere": contrib.critere_id,
            "indicateur": obs.id,
            "indicateur_libelle": cellule(ref.indicateurs[obs.id].libelle),
            "valeur": cellule(obs.valeur),
            "source": cellule(obs.source),
            "commentaire": cellule(obs.commentaire),
            "licence": texte(fiche.licence),
            "version_referentiel": ref.version_de(fiche),
        }, (fiche.id, obs.id)
    # The shipped fiches are all examples, and the column says so; all were written with 1.0.
    assert {ligne["statut"] for ligne in lignes} == {"exemple"}
    assert {ligne["version_referentiel"] for ligne in lignes} == {"1.0"}
    assert any("é" in ligne["valeur"] for ligne in lignes)


def test_csv_valeurs_difficiles_relues_a_l_identique_sauf_formule(export_complet):
    ref, dossier = export_complet
    _, lignes = lire_csv(dossier / "fiches.csv")
    essai = {ligne["indicateur"]: ligne for ligne in lignes if ligne["fiche"] == "essai-complet"}
    assert list(essai) == ["EP1.1", "EP1.2", "VE2.1"]
    premiere = essai["EP1.1"]
    assert premiere["titre"] == "Atelier « complet », pour l'essai ; été"
    assert premiere["acteur_nom"] == 'Association "Les Essais", Brest'
    assert premiere["acteur_type"] == "etablissement-sante"
    assert premiere["statut"] == "publiee"
    # The one change: a value that begins like a formula is read after an apostrophe.
    assert premiere["valeur"] == '\'=12 séances, "réelles"'
    assert premiere["source"] == "feuilles d'émargement ; registre"
    assert premiere["commentaire"] == "Ligne un,\nligne deux."
    assert premiere["licence"] == "CC-BY-4.0"
    # The categories of publics: their codes, in the fiche's order, separated by « | ».
    assert premiere["categories_publics"] == "seniors|familles-enfants"
    assert essai["EP1.2"]["source"] == "" and essai["EP1.2"]["commentaire"] == ""
    _, indicateurs = lire_csv(dossier / "referentiel.csv")
    assert indicateurs[0]["reference"] == "Référence, de l'indicateur"
    # The fiches are in id order, whatever the order of the files.
    assert [ligne["fiche"] for ligne in lignes] == sorted(ligne["fiche"] for ligne in lignes)
    assert "essai-complet" in {f.id for f in ref.fiches}


@pytest.mark.parametrize(("valeur", "attendu"), CAS_FORMULE)
def test_csv_apostrophe_devant_une_formule(export_formules, valeur, attendu):
    _, dossier = export_formules
    n = CAS_FORMULE.index((valeur, attendu))
    # fiches.csv: the value after an apostrophe if it begins like a formula, as is otherwise.
    _, lignes = lire_csv(dossier / "fiches.csv")
    ligne = next(ligne for ligne in lignes if ligne["fiche"] == f"formule-{n}")
    assert ligne["valeur"] == attendu
    assert ligne["indicateur"] == "EP1.1" and ligne["titre"] == f"Essai de formule {n}"
    # referentiel.csv: the same rule for the framework's cells.
    _, indicateurs = lire_csv(dossier / "referentiel.csv")
    assert indicateurs[n]["reference"] == attendu
    # The JSON files keep the exact value.
    fiche = next(f for f in _fiches_relues(dossier)["fiches"] if f["id"] == f"formule-{n}")
    assert fiche["contributions"][0]["indicateurs"][0]["valeur"] == valeur
    premiers = [i for d in _referentiel_relu(dossier)["dimensions"]
                for c in d["criteres"] for i in c["indicateurs"]]
    assert premiers[n]["reference"] == valeur


# --------------------------------------------------------------------------
# JSON


@pytest.mark.parametrize("nom", ["referentiel.json", "datapackage.json", "versions.json", "v1.0/referentiel.json"])
def test_json_utf8_trie_indente(export, nom):
    _, dossier, _ = export
    brut = (dossier / nom).read_bytes()
    assert not brut.startswith(b"\xef\xbb\xbf")
    texte_json = brut.decode("utf-8")
    donnees = json.loads(texte_json)
    # Sorted keys, 2-space indent, accents written as such, final newline.
    assert texte_json == json.dumps(donnees, ensure_ascii=False, sort_keys=True, indent=2) + "\n"
    assert "\\u00" not in texte_json and "é" in texte_json


def test_fiches_json_une_fiche_par_ligne(export):
    _, dossier, _ = export
    brut = (dossier / "fiches.json").read_bytes()
    assert not brut.startswith(b"\xef\xbb\xbf")
    texte_json = brut.decode("utf-8")
    donnees = json.loads(texte_json)
    assert list(donnees) == sorted(donnees) and texte_json.endswith("}\n")
    assert "\\u00" not in texte_json and "é" in texte_json
    # Each fiche on a line of its own, compact, keys sorted.
    lignes = texte_json.splitlines()
    for fiche in donnees["fiches"]:
        attendu = json.dumps(fiche, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        assert attendu in lignes or attendu + "," in lignes, fiche["id"]


def _referentiel_relu(dossier: Path) -> dict:
    return json.loads((dossier / "referentiel.json").read_text(encoding="utf-8"))


def _fiches_relues(dossier: Path) -> dict:
    return json.loads((dossier / "fiches.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("jeu", ["export", "export_complet"])
def test_referentiel_json_aller_retour(jeu, request):
    ref, dossier = request.getfixturevalue(jeu)[:2]
    donnees = _referentiel_relu(dossier)
    assert set(donnees) == {"referentiel", "dimensions"}
    assert donnees["referentiel"]["titre"] == ref.titre
    assert donnees["referentiel"]["licence"] == ref.licence
    # Rebuilt with the loader's own builder, it is the model again, field for field.
    relu = referentiel_depuis_yaml(donnees)
    assert differences(relu, ref) == []
    # It follows the published schema of criteres.yaml.
    schema = json.loads((dossier / "criteres.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(donnees)


@pytest.mark.parametrize("jeu", ["export", "export_complet"])
def test_fiches_json_aller_retour(jeu, request):
    ref, dossier = request.getfixturevalue(jeu)[:2]
    donnees = _fiches_relues(dossier)
    assert set(donnees) == {"referentiel", "fiches"}
    assert donnees["referentiel"] == _referentiel_relu(dossier)["referentiel"]
    assert [f["id"] for f in donnees["fiches"]] == [f.id for f in ref.fiches]
    schema = json.loads((dossier / "fiche.schema.json").read_text(encoding="utf-8"))
    validateur = jsonschema.Draft202012Validator(schema)
    for brute, fiche in zip(donnees["fiches"], ref.fiches):
        validateur.validate(brute)
        relue = fiche_depuis_yaml(brute, fiche.fichier)
        assert differences(relue, fiche) == [], fiche.id


def test_fiches_json_garde_chaque_champ(export_complet):
    _, dossier = export_complet
    essai = next(f for f in _fiches_relues(dossier)["fiches"] if f["id"] == "essai-complet")
    assert set(essai) == {"id", "titre", "statut", "acteur", "action", "evaluation", "contributions",
                          "temoignages", "sources", "licence", "mise_a_jour", "historique"}
    assert essai["acteur"]["presentation"] == "Premier paragraphe, avec une virgule.\n\nSecond paragraphe ; point-virgule."
    assert essai["action"]["fin"] == "2015-06-30"
    assert essai["temoignages"][1] == {"texte": "Sans auteur."}
    assert essai["sources"][1] == {"titre": "Sans adresse"}
    assert essai["contributions"][0]["indicateurs"][1] == {"id": "EP1.2", "valeur": "9 sur 12"}
    # No apostrophe in the JSON: the value exactly as written (fiches.csv has "'=12 séances…").
    assert essai["contributions"][0]["indicateurs"][0]["valeur"] == '=12 séances, "réelles"'
    # The categories of publics, as a list of codes, beside the fiche's own words.
    assert essai["action"]["categories_publics"] == ["seniors", "familles-enfants"]
    assert essai["action"]["publics"] == ["Habitants"]


def test_les_donnees_livrees_ont_les_categories_de_publics(export):
    """A shipped fiche declares categories of publics: fiches.json and fiches.csv have
    them (the CSV: one cell per row, the codes separated by « | »)."""
    ref, dossier, _ = export
    avec = [f for f in ref.fiches if f.action.categories_publics]
    assert avec
    relues = {f["id"]: f for f in _fiches_relues(dossier)["fiches"]}
    _, lignes = lire_csv(dossier / "fiches.csv")
    for f in ref.fiches:
        assert relues[f.id]["action"].get("categories_publics", []) == f.action.categories_publics
        cellules = {ligne["categories_publics"] for ligne in lignes if ligne["fiche"] == f.id}
        assert cellules == {"|".join(f.action.categories_publics)}, f.id
    assert {c for f in avec for c in f.action.categories_publics} <= set(CATEGORIES_PUBLICS)


def test_datapackage_decrit_les_categories_de_publics(export):
    """The column lists the codes and their labels, names the national field it
    follows, and its pattern accepts the codes, alone or separated by « | », only."""
    import re

    _, dossier, _ = export
    paquet = json.loads((dossier / "datapackage.json").read_text(encoding="utf-8"))
    fiches = next(r for r in paquet["resources"] if r["name"] == "fiches")
    champ = next(c for c in fiches["schema"]["fields"] if c["name"] == "categories_publics")
    assert champ["title"] == "Catégories de publics"
    for code, libelle in CATEGORIES_PUBLICS.items():
        assert f"« {code} » ({libelle})" in champ["description"]
    assert "publics_specifiquement_adresses" in champ["description"] and "1.0.1" in champ["description"]
    motif = re.compile(champ["constraints"]["pattern"])
    assert motif.fullmatch("jeunes") and motif.fullmatch("|".join(CATEGORIES_PUBLICS))
    for faux in ("Jeunes", "jeunes;seniors", "jeunes|", "|jeunes", "jeunes|autre", "jeunes seniors"):
        assert not motif.fullmatch(faux), faux


# --------------------------------------------------------------------------
# Frictionless data package


def test_datapackage_decrit_les_csv(export):
    ref, dossier, _ = export
    paquet = json.loads((dossier / "datapackage.json").read_text(encoding="utf-8"))
    assert paquet["licenses"] == [{
        "name": "CC-BY-SA-4.0",
        "path": "https://creativecommons.org/licenses/by-sa/4.0/",
        "title": "Creative Commons Attribution – Partage dans les mêmes conditions 4.0",
    }]
    assert paquet["title"] == ref.titre and paquet["version"] == ref.version
    # Every file but the JSON Schemas, the JSON files too: not a « tabular » package.
    assert paquet["profile"] == "data-package"
    ressources = {r["name"]: r for r in paquet["resources"]}
    assert {r["path"] for r in ressources.values()} == FICHIERS_VERSION | {
        n for n in FICHIERS if not n.endswith(".schema.json") and n != "datapackage.json"}
    assert set(ressources) == {"referentiel", "fiches", "referentiel-json", "fiches-json", "versions",
                               "referentiel-v1.0", "referentiel-v1.0-json"}
    for ressource in ressources.values():
        path = dossier / ressource["path"]
        assert ressource["title"] and ressource["description"] and ressource["encoding"] == "utf-8"
        assert ressource["bytes"] == path.stat().st_size
        assert ressource["hash"] == "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
        if ressource["format"] == "json":
            assert ressource["profile"] == "data-resource" and ressource["mediatype"] == "application/json"
            assert "schema" not in ressource
            continue
        assert ressource["profile"] == "tabular-data-resource" and ressource["mediatype"] == "text/csv"
        entete, _ = lire_csv(path)
        attendu = ENTETE_FICHES if ressource["name"] == "fiches" else ENTETE_REFERENTIEL
        assert [f["name"] for f in ressource["schema"]["fields"]] == entete == attendu, ressource["name"]
        for champ in ressource["schema"]["fields"]:
            assert champ["type"] == "string" and champ["title"] and champ["description"]
        assert ressource["dialect"]["delimiter"] == ","
    assert ressources["referentiel-v1.0"]["title"] == "Référentiel, version 1.0"
    assert ressources["referentiel-v1.0-json"]["title"] == "Référentiel, version 1.0 (JSON)"
    assert ressources["versions"]["title"] == "Journal des versions du référentiel"
    assert ressources["referentiel-v1.0"]["schema"]["primaryKey"] == ["id"]
    assert ressources["referentiel"]["schema"]["primaryKey"] == ["id"]
    assert ressources["fiches"]["schema"]["primaryKey"] == ["fiche", "indicateur"]
    assert ressources["fiches"]["schema"]["foreignKeys"] == [
        {"fields": ["indicateur"], "reference": {"resource": "referentiel", "fields": ["id"]}}
    ]


def test_datapackage_dit_la_regle_des_formules(export):
    _, dossier, _ = export
    paquet = json.loads((dossier / "datapackage.json").read_text(encoding="utf-8"))
    regle = ("une cellule dont le texte commence par « = », « + », « - », « @ », une tabulation "
             "ou un retour chariot est écrite précédée d'une apostrophe (') pour qu'un tableur "
             "ne l'exécute pas comme une formule")
    assert regle in paquet["description"]
    assert ("Les fichiers JSON (referentiel.json, fiches.json, v<version>/referentiel.json) gardent les "
            "valeurs exactes") in paquet["description"]
    ressources = {r["name"]: r for r in paquet["resources"]}
    for nom, fichier_json in (("referentiel", "referentiel.json"), ("fiches", "fiches.json"),
                              ("referentiel-v1.0", "v1.0/referentiel.json")):
        description = ressources[nom]["description"]
        assert regle[0].upper() + regle[1:] in description, nom
        assert f"{fichier_json} donne les valeurs exactes" in description, nom


def _rapport(report) -> list:
    return report.flatten(["rowNumber", "fieldName", "type", "note"])


@pytest.mark.parametrize("jeu", ["export", "export_complet", "export_formules"])
def test_datapackage_valide_frictionless(jeu, request):
    dossier = request.getfixturevalue(jeu)[1]
    report = frictionless.validate(dossier / "datapackage.json")
    assert report.valid, _rapport(report)
    # Every file was checked; each table read to the end, the foreign key included.
    paquet = json.loads((dossier / "datapackage.json").read_text(encoding="utf-8"))
    assert [t.name for t in report.tasks] == [r["name"] for r in paquet["resources"]]
    assert {t.name: t.stats["rows"] for t in report.tasks if t.type == "table"} == {
        r["name"]: len(lire_csv(dossier / r["path"])[1]) for r in paquet["resources"] if r["format"] == "csv"}


def _falsifier(dossier: Path, destination: Path, nom: str, remplacer) -> Path:
    """A copy of the export where one CSV is edited (size and hash updated)."""
    shutil.copytree(dossier, destination)
    path = destination / nom
    entete, lignes = lire_csv(path)
    remplacer(lignes)
    buf = io.StringIO(newline="")
    ecrivain = csv.DictWriter(buf, fieldnames=entete)
    ecrivain.writeheader()
    ecrivain.writerows(lignes)
    contenu = buf.getvalue().encode("utf-8-sig")
    path.write_bytes(contenu)
    paquet_path = destination / "datapackage.json"
    paquet = json.loads(paquet_path.read_text(encoding="utf-8"))
    for ressource in paquet["resources"]:
        if ressource["path"] == nom:
            ressource["bytes"] = len(contenu)
            ressource["hash"] = "sha256:" + hashlib.sha256(contenu).hexdigest()
    paquet_path.write_text(json.dumps(paquet, ensure_ascii=False, indent=2), encoding="utf-8")
    return paquet_path


def test_datapackage_verifie_la_cle_etrangere(export, tmp_path):
    _, dossier, _ = export

    def indicateur_inconnu(lignes):
        lignes[0]["indicateur"] = "ZZ9.9"

    report = frictionless.validate(_falsifier(dossier, tmp_path / "d", "fiches.csv", indicateur_inconnu))
    assert not report.valid
    assert {e[2] for e in _rapport(report)} == {"foreign-key"}


def test_datapackage_verifie_la_cle_primaire(export, tmp_path):
    _, dossier, _ = export

    def doublon(lignes):
        lignes.append(dict(lignes[0]))

    report = frictionless.validate(_falsifier(dossier, tmp_path / "d", "referentiel.csv", doublon))
    assert not report.valid
    assert "primary-key" in {e[2] for e in _rapport(report)}


def test_datapackage_verifie_taille_et_empreinte(export, tmp_path):
    _, dossier, _ = export
    copie = tmp_path / "d"
    shutil.copytree(dossier, copie)
    with open(copie / "fiches.csv", "ab") as fh:
        fh.write(b"x,y,exemple,a,association,,,EP1,EP1.1,l,v,,,\r\n")
    report = frictionless.validate(copie / "datapackage.json")
    assert not report.valid
    assert {"byte-count", "hash-count"} & {e[2] for e in _rapport(report)}


# --------------------------------------------------------------------------
# The « Données ouvertes » page


def test_page_donnees_decrit_chaque_fichier_et_colonne():
    page = (ROOT / "docs" / "donnees.md").read_text(encoding="utf-8")
    assert page.startswith("---\ntitle: Données ouvertes\nrender_macros: true\n---\n")
    # The files sit next to the page (donnees/index.html): plain relative links.
    for nom in FICHIERS:
        assert f'<a href="{nom}"' in page, nom
    for colonne in ENTETE_REFERENTIEL + ENTETE_FICHES:
        assert f"`{colonne}`" in page, colonne
    assert "`exemple`" in page and "UTF-8" in page and "frictionless validate datapackage.json" in page


def test_page_donnees_explique_l_apostrophe_devant_les_formules():
    page = (ROOT / "docs" / "donnees.md").read_text(encoding="utf-8")
    assert "**Une apostrophe devant les formules.**" in page
    assert "commence par `=`, `+`, `-` ou `@`, ou par une tabulation ou un retour chariot" in page
    assert "précédée d'une apostrophe (`'`)" in page
    assert "Les fichiers JSON\n(`referentiel.json`, `fiches.json`) gardent les valeurs exactes" in page
