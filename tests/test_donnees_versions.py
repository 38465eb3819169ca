"""Open data per version (site/donnees/v<version>/, versions.json), on a référentiel of two versions.

The fixture 1.1 (``conftest.creer_version_suivante``) adds VE2.4, rewords
EP1.1 and retires VE2.3 (replaced by VE2.4), which the shipped fiche
« intergeneration » still reports. Two fiches are added: one first written
after 1.1 was released, one that says it follows 1.0. Each file is read as a
reuser would (csv with ``utf-8-sig``, json, frictionless), and one build
shows the « Données ouvertes » page and its links.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import frictionless
import jsonschema
import pytest
import yaml
from conftest import DATE_SUIVANTE, FICHE_VALIDE, ROOT, construire, creer_donnees, creer_projet, creer_version_suivante

from referentiel.lecture import charger
from referentiel.lecture.schemas import SCHEMAS_DIR
from referentiel.sorties.donnees import ecrire_donnees

# A fiche first written after 1.1 was released, reporting the new VE2.4.
FICHE_APRES = FICHE_VALIDE.replace("id: essai", "id: apres-1-1").replace(
    "  - critere: EP1\n", "  - critere: VE2\n").replace("id: EP1.1", "id: VE2.4") + (
    'mise_a_jour: "2026-12-05"\n'
    "historique:\n"
    '  - date: "2026-12-05"\n'
    "    auteur: Association d'essai\n"
    "    modification: Création de la fiche\n")
# The same dates, but the fiche says it was written with 1.0.
FICHE_DITE_1_0 = FICHE_APRES.replace("id: apres-1-1", "id: dite-1-0").replace(
    "id: VE2.4", "id: VE2.1") + 'version_referentiel: "1.0"\n'

EP11_EN_1_0 = "Nombre de séances tenues et nombre de participants différents sur la période."
EP11_EN_1_1 = "Nombre de séances tenues et de participants différents sur la période évaluée."


def donnees_deux_versions(base: Path) -> Path:
    data = creer_donnees(base, {"apres-1-1.yaml": FICHE_APRES, "dite-1-0.yaml": FICHE_DITE_1_0},
                         avec_fiches_livrees=True)
    return creer_version_suivante(data)


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    """The two-version data, loaded and exported as the plugin does."""
    base = tmp_path_factory.mktemp("versions")
    data = donnees_deux_versions(base)
    resultat = charger(data)
    assert resultat.ok, [str(p) for p in resultat.problemes]
    ref = resultat.referentiel
    assert [v.version for v in ref.versions] == ["1.0", "1.1"] and ref.version == "1.1"
    dossier = base / "donnees"
    ecrire_donnees(ref, dossier, SCHEMAS_DIR)
    return ref, data, dossier


def lire_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def lire_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def indicateurs(referentiel: dict) -> dict[str, dict]:
    return {i["id"]: i for d in referentiel["dimensions"] for c in d["criteres"] for i in c["indicateurs"]}


def test_chaque_version_a_ses_fichiers(export):
    _, _, dossier = export
    for v in ("v1.0", "v1.1"):
        assert sorted(p.name for p in (dossier / v).iterdir()) == ["referentiel.csv", "referentiel.json"], v
    assert (dossier / "versions.json").is_file()
    # The current version's files are its snapshot, and the snapshot is the current data.
    for nom in ("referentiel.json", "referentiel.csv"):
        assert (dossier / "v1.1" / nom).read_bytes() == (dossier / nom).read_bytes(), nom


def test_la_version_1_0_garde_son_texte(export):
    _, _, dossier = export
    v10 = lire_json(dossier / "v1.0" / "referentiel.json")
    assert v10["referentiel"]["version"] == "1.0"
    ind = indicateurs(v10)
    assert ind["EP1.1"]["libelle"] == EP11_EN_1_0
    assert "VE2.4" not in ind and "retire" not in ind["VE2.3"]
    lignes = {ligne["id"]: ligne for ligne in lire_csv(dossier / "v1.0" / "referentiel.csv")}
    assert len(lignes) == 42 and "VE2.4" not in lignes
    assert lignes["EP1.1"]["libelle"] == EP11_EN_1_0
    assert (lignes["VE2.3"]["retire_en"], lignes["VE2.3"]["remplace_par"]) == ("", "")


def test_la_version_1_1_ajoute_reformule_et_retire(export):
    _, _, dossier = export
    for referentiel in (lire_json(dossier / "v1.1" / "referentiel.json"), lire_json(dossier / "referentiel.json")):
        assert referentiel["referentiel"]["version"] == "1.1"
        assert referentiel["referentiel"]["date_version"] == DATE_SUIVANTE
        ind = indicateurs(referentiel)
        assert ind["EP1.1"]["libelle"] == EP11_EN_1_1
        assert ind["VE2.4"]["type"] == "impact"
        assert ind["VE2.3"]["retire"] == {"version": "1.1", "remplace_par": ["VE2.4"]}
        assert ind["VE2.3"]["libelle"]  # retired, not deleted: its text stays
    for path in (dossier / "v1.1" / "referentiel.csv", dossier / "referentiel.csv"):
        lignes = {ligne["id"]: ligne for ligne in lire_csv(path)}
        assert len(lignes) == 43
        assert (lignes["VE2.3"]["retire_en"], lignes["VE2.3"]["remplace_par"]) == ("1.1", "VE2.4")
        retires = {i for i, ligne in lignes.items() if ligne["retire_en"] or ligne["remplace_par"]}
        assert retires == {"VE2.3"}, path


def test_chaque_referentiel_suit_son_schema(export):
    _, _, dossier = export
    schema = lire_json(dossier / "criteres.schema.json")
    for path in (dossier / "referentiel.json", dossier / "v1.0" / "referentiel.json",
                 dossier / "v1.1" / "referentiel.json"):
        jsonschema.Draft202012Validator(schema).validate(lire_json(path))


def test_versions_json_est_le_journal(export):
    """versions.json says what changements.yaml says, and follows its schema."""
    _, data, dossier = export
    journal = lire_json(dossier / "versions.json")
    assert journal == yaml.safe_load((data / "versions" / "changements.yaml").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(lire_json(dossier / "changements.schema.json")).validate(journal)
    v10, v11 = journal["versions"]
    assert (v10["version"], v10["changements"]) == ("1.0", [])
    assert (v11["version"], v11["date"]) == ("1.1", DATE_SUIVANTE)
    assert v11["resume"] == "Un indicateur d'impact du lien social remplace VE2.3, et EP1.1 est reformulé."
    assert v11["changements"] == [
        {"id": "EP1.1", "nature": "modification", "champs": ["libelle"], "raison": "Préciser la période."},
        {"id": "VE2.3", "nature": "retrait", "remplace_par": ["VE2.4"],
         "raison": "Trop proche de VE2.2 ; VE2.4 mesure la durée."},
        {"id": "VE2.4", "nature": "ajout", "raison": "Mesurer la durée des liens créés."},
    ]


def test_la_version_de_chaque_fiche(export):
    """fiches.csv gives the version each fiche was written with (as it says, or
    the one current when it was added); fiches.json keeps the fiche as written."""
    _, _, dossier = export
    versions = {(ligne["fiche"], ligne["version_referentiel"]) for ligne in lire_csv(dossier / "fiches.csv")}
    assert {v for f, v in versions if f not in {"apres-1-1", "dite-1-0"}} == {"1.0"}
    assert ("intergeneration", "1.0") in versions
    assert ("apres-1-1", "1.1") in versions and ("dite-1-0", "1.0") in versions
    assert len({f for f, _ in versions}) == len(versions)  # one version per fiche
    fiches = {f["id"]: f for f in lire_json(dossier / "fiches.json")["fiches"]}
    assert "version_referentiel" not in fiches["apres-1-1"]
    assert "version_referentiel" not in fiches["intergeneration"]
    assert fiches["dite-1-0"]["version_referentiel"] == "1.0"
    # The fiche that still reports the retired VE2.3 keeps its row.
    lignes = lire_csv(dossier / "fiches.csv")
    assert any(ligne["fiche"] == "intergeneration" and ligne["indicateur"] == "VE2.3" for ligne in lignes)


def test_datapackage_liste_chaque_version_et_le_journal(export):
    _, _, dossier = export
    paquet = lire_json(dossier / "datapackage.json")
    assert paquet["version"] == "1.1"
    ressources = {r["name"]: r for r in paquet["resources"]}
    assert list(ressources) == [
        "referentiel", "fiches", "referentiel-json", "fiches-json", "versions",
        "referentiel-v1.0", "referentiel-v1.0-json", "referentiel-v1.1", "referentiel-v1.1-json"]
    for version, date in (("1.0", "26 novembre 2026"), ("1.1", "1er décembre 2026")):
        csv_, json_ = ressources[f"referentiel-v{version}"], ressources[f"referentiel-v{version}-json"]
        assert (csv_["path"], json_["path"]) == (f"v{version}/referentiel.csv", f"v{version}/referentiel.json")
        assert csv_["title"] == f"Référentiel, version {version}"
        assert json_["title"] == f"Référentiel, version {version} (JSON)"
        for r in (csv_, json_):
            assert f"publié en version {version}, le {date}" in r["description"], r["name"]
        assert csv_["schema"] == ressources["referentiel"]["schema"]
    journal = ressources["versions"]
    assert (journal["path"], journal["title"]) == ("versions.json", "Journal des versions du référentiel")
    assert "changements.schema.json" in journal["description"]
    # The retirement and the fiche's version are declared columns, with their patterns.
    champs = {c["name"]: c for c in ressources["referentiel"]["schema"]["fields"]}
    assert champs["retire_en"]["title"] == "Retiré en" and champs["remplace_par"]["title"] == "Remplacé par"
    assert "pattern" in champs["retire_en"]["constraints"] and "pattern" in champs["remplace_par"]["constraints"]
    champ = next(c for c in ressources["fiches"]["schema"]["fields"] if c["name"] == "version_referentiel")
    assert champ["constraints"]["required"] is True
    assert "sinon la version en cours quand la fiche a été ajoutée" in champ["description"]
    assert "fiches.json garde ce champ tel qu'écrit dans la fiche" in paquet["description"]


def test_datapackage_valide_frictionless(export):
    _, _, dossier = export
    report = frictionless.validate(dossier / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert {t.name: t.stats["rows"] for t in report.tasks if t.type == "table"} == {
        "referentiel": 43, "fiches": len(lire_csv(dossier / "fiches.csv")),
        "referentiel-v1.0": 42, "referentiel-v1.1": 43}
    assert {t.name for t in report.tasks if t.type != "table"} == {
        "referentiel-json", "fiches-json", "versions", "referentiel-v1.0-json", "referentiel-v1.1-json"}


def test_datapackage_verifie_les_fichiers_d_une_version(export, tmp_path):
    """A version's JSON file edited after the fact no longer matches its size and hash."""
    _, _, dossier = export
    copie = tmp_path / "d"
    shutil.copytree(dossier, copie)
    path = copie / "v1.0" / "referentiel.json"
    path.write_text(path.read_text(encoding="utf-8").replace(EP11_EN_1_0, "Autre texte."), encoding="utf-8")
    report = frictionless.validate(copie / "datapackage.json")
    assert not report.valid
    erreurs = report.flatten(["type"])
    assert {e[0] for e in erreurs} & {"byte-count", "hash-count"}
    assert [t.name for t in report.tasks if not t.valid] == ["referentiel-v1.0-json"]


def test_sans_dossier_versions_ni_fichiers_de_version(tmp_path):
    """A data folder with no version released yet (no data/versions/): the current
    files only, and a package that says nothing of versions."""
    data = creer_donnees(tmp_path, avec_fiches_livrees=True)
    resultat = charger(data)
    assert resultat.ok and resultat.referentiel.versions == []
    dossier = tmp_path / "donnees"
    ecrire_donnees(resultat.referentiel, dossier, SCHEMAS_DIR)
    assert not (dossier / "versions.json").exists() and not list(dossier.glob("v*/"))
    paquet = lire_json(dossier / "datapackage.json")
    assert [r["name"] for r in paquet["resources"]] == ["referentiel", "fiches", "referentiel-json", "fiches-json"]
    assert "v<version>" not in paquet["description"]
    assert frictionless.validate(dossier / "datapackage.json").valid


def test_le_site_publie_les_versions(tmp_path):
    """One build (no PDF): site/donnees/ has each version's files, the package
    validates there, and the « Données ouvertes » page links to the current
    version's files and to the journal, each link reaching a file."""
    projet = creer_projet(tmp_path)
    donnees_deux_versions(projet)
    sortie = construire(projet)
    assert sortie.code == 0, sortie.stderr
    site = projet / "site" / "donnees"
    for nom in ("v1.0/referentiel.json", "v1.0/referentiel.csv", "v1.1/referentiel.json",
                "v1.1/referentiel.csv", "versions.json", "changements.schema.json"):
        assert (site / nom).is_file(), nom
    assert "VE2.4" not in indicateurs(lire_json(site / "v1.0" / "referentiel.json"))
    assert frictionless.validate(site / "datapackage.json").valid
    page = (site / "index.html").read_text(encoding="utf-8")
    for href in ("v1.1/referentiel.csv", "v1.1/referentiel.json", "versions.json", "changements.schema.json"):
        assert f'href="{href}"' in page, href
    assert 'href="v1.0/' not in page  # only the current version is named: the package lists the others
    assert "<code>retire_en</code>" in page and "<code>version_referentiel</code>" in page
    assert 'id="les-versions-du-referentiel"' in page and 'href="#les-versions-du-referentiel"' in page
    # The « | » of a column's description stays in its cell (the table is not broken).
    assert "séparés par une barre verticale (<code>|</code>)" in page


def test_la_page_decrit_les_fichiers_de_version():
    page = (ROOT / "docs" / "donnees.md").read_text(encoding="utf-8")
    assert '<a href="v{{ chiffres().version }}/referentiel.csv" download>' in page
    assert '<a href="v{{ chiffres().version }}/referentiel.json">' in page
    assert "`v<version>/referentiel.csv`" in page and '<a href="versions.json">' in page
    assert "### Les versions du référentiel" in page
