"""The compiled schema check (happy path of the validator) agrees with jsonschema.

The validator trusts the compiled check's « valide » and only asks jsonschema
to explain errors; if they ever disagreed, an invalid fiche could be
published. These tests compare both verdicts on the shipped data and on many
damaged fiches (hypothesis, bounded and derandomised).
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from referentiel.lecture import schemarapide
from referentiel.lecture.messages_schema import problemes_schema
from referentiel.lecture.schemas import schema, validateur, verif_rapide
from referentiel.lecture.yamlio import lire_yaml

REGLAGES = settings(max_examples=300, derandomize=True, deadline=None)

FICHES = sorted((ROOT / "data" / "fiches").glob("*.yaml"))
FICHE = lire_yaml((ROOT / "data" / "fiches" / "intergeneration.yaml").read_text(encoding="utf-8"), "f").data
CRITERES = lire_yaml((ROOT / "data" / "criteres.yaml").read_text(encoding="utf-8"), "c").data

TEXTES = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", " ", "exemple", "proposee", "EP1", "EP1.1", "ep1", "EP9", "2015-04-09",
                     "2015-13-45", "15/04/2015", "https://exemple.org", "javascript:alert(1)",
                     "CC-BY-SA-4.0", "source-citee", "proposition", "realisation", "x" * 301,
                     "x" * 2001, "a" * 61, "centre-social"]))
VALEURS = st.recursive(st.one_of(TEXTES, st.none()), lambda enfants: st.one_of(
    st.lists(enfants, max_size=3),
    st.dictionaries(st.sampled_from(["id", "titre", "critere", "indicateurs", "valeur", "nom", "type",
                                     "url", "date", "texte", "inconnu", "reference", "provenance"]),
                    enfants, max_size=4)),
    max_leaves=12)


def chemins(valeur, chemin=()):
    yield chemin
    if isinstance(valeur, dict):
        for k, v in valeur.items():
            yield from chemins(v, chemin + (k,))
    elif isinstance(valeur, list):
        for i, v in enumerate(valeur):
            yield from chemins(v, chemin + (i,))


def abimer(data, chemin, action, valeur):
    data = copy.deepcopy(data)
    if not chemin:
        return valeur if action == "remplacer" else data
    parent = data
    for part in chemin[:-1]:
        parent = parent[part]
    cle = chemin[-1]
    if action == "remplacer":
        parent[cle] = valeur
    elif action == "supprimer":
        del parent[cle]
    elif action == "ajouter" and isinstance(parent, dict):
        parent[f"{cle}_bis"] = valeur
    elif action == "ajouter":
        parent.append(valeur)
    return data


def verdicts(nom, data):
    return verif_rapide(nom)(data), validateur(nom).is_valid(data)


@pytest.mark.parametrize("nom", ["fiche", "criteres"])
def test_les_schemas_sont_des_schemas_json_valides(nom):
    # The validator's happy path trusts the schemas without this check.
    from jsonschema import Draft202012Validator

    Draft202012Validator.check_schema(schema(nom))


def test_les_deux_schemas_sont_compiles():
    assert verif_rapide("fiche") is not None
    assert verif_rapide("criteres") is not None


@pytest.mark.parametrize("path", FICHES, ids=lambda p: p.name)
def test_fiches_livrees(path: Path):
    data = lire_yaml(path.read_text(encoding="utf-8"), path.name).data
    assert verdicts("fiche", data) == (True, True)


def test_referentiel_livre():
    assert verdicts("criteres", CRITERES) == (True, True)


@REGLAGES
@given(chemin=st.sampled_from(list(chemins(FICHE))),
       action=st.sampled_from(["remplacer", "supprimer", "ajouter"]), valeur=VALEURS)
def test_fiche_abimee_meme_verdict(chemin, action, valeur):
    data = abimer(FICHE, chemin, action, valeur)
    rapide, reference = verdicts("fiche", data)
    assert rapide == reference, (chemin, action, valeur)


@REGLAGES
@given(chemin=st.sampled_from(list(chemins(CRITERES))),
       action=st.sampled_from(["remplacer", "supprimer", "ajouter"]), valeur=VALEURS)
def test_referentiel_abime_meme_verdict(chemin, action, valeur):
    data = abimer(CRITERES, chemin, action, valeur)
    rapide, reference = verdicts("criteres", data)
    assert rapide == reference, (chemin, action, valeur)


@REGLAGES
@given(valeur=VALEURS)
def test_structures_quelconques_meme_verdict(valeur):
    assert verdicts("fiche", valeur)[0] == verdicts("fiche", valeur)[1]


def test_une_fiche_invalide_a_toujours_ses_messages_en_francais():
    """The fast check says no; jsonschema then explains, as before."""
    data = abimer(FICHE, ("statut",), "remplacer", "brouillon")
    doc = lire_yaml(yaml.safe_dump(data, allow_unicode=True), "f.yaml")
    problemes = problemes_schema(doc, "fiche", "f.yaml")
    assert [p.champ for p in problemes] == ["statut"]
    assert "n'est pas une valeur permise" in problemes[0].message


def test_mot_cle_non_pris_en_charge():
    with pytest.raises(schemarapide.NonSupporte):
        schemarapide.compiler({"type": "string", "format": "email", "contentMediaType": "text/html"})
    with pytest.raises(schemarapide.NonSupporte):
        schemarapide.compiler({"$ref": "https://exemple.org/schema.json"})


def test_combinaisons_et_recursion():
    verif = schemarapide.compiler({
        "$defs": {"arbre": {"type": "object", "properties": {"enfants": {
            "type": "array", "items": {"$ref": "#/$defs/arbre"}}}, "additionalProperties": False}},
        "$ref": "#/$defs/arbre",
    })
    assert verif({"enfants": [{"enfants": []}, {}]})
    assert not verif({"enfants": [{"enfants": [{"autre": 1}]}]})
    un_seul = schemarapide.compiler({"oneOf": [{"type": "string"}, {"minLength": 2}]})
    assert un_seul("a") and not un_seul("ab") and un_seul(None)
    assert schemarapide.compiler({"const": True})(True) and not schemarapide.compiler({"const": True})(1)
    assert schemarapide.compiler({"enum": [1, "a"]})(1) and not schemarapide.compiler({"enum": [1]})(True)
    assert schema("fiche")  # the real schemas load
