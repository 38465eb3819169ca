"""The YAML text of a fiche: one layout (lecture/disposition.py), written by
Python (sorties/fiche_yaml.py) and by the form's JavaScript (ecrire-fiche.js).

What a contributor gets reads back as exactly what was typed, with any YAML
reader; every line fits in 72 columns without a trailing space (a mail client
sends it as it is); and the browser writes the same bytes as Python, for the
same fiches (Chromium runs the JavaScript).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

from referentiel.lecture.chargement import charger
from referentiel.lecture.disposition import LARGEUR, disposition
from referentiel.lecture.fichiers import lire_fichier
from referentiel.lecture.yamlio import lire_yaml
from referentiel.nouvelle_fiche import libelles
from referentiel.sorties.donnees import fiches_dict
from referentiel.sorties.fiche_yaml import ecrire_fiche

SCRIPT = ROOT / "docs" / "javascripts" / "ecrire-fiche.js"
FICHES = sorted(p for p in (ROOT / "data" / "fiches").glob("*.yaml") if not p.name.startswith("_"))


def donnees(path: Path) -> dict:
    doc, problemes = lire_fichier(path, 10**6)
    assert doc is not None, problemes
    return doc.data


@pytest.fixture(scope="module")
def ref():
    return charger(ROOT / "data").referentiel


# Texts a YAML writer gets wrong: what YAML reads as something else, what a
# folded block cannot hold, what is too long for a line.
DIFFICILES = [
    "yes", "No", "null", "~", "2015", "2015-04-09", "0x1F", "1e3", ".inf", "+33 2 98", "-", "- tiret",
    "@asso", "`code`", "'apostrophes'", '"guillemets"', "*gras*", "&ancre", "!etiquette", "%directive",
    "[crochets]", "{accolades}", "a: b", "a:b", "fin:", "a #b", "a#b", "# commentaire", "| barre", "> chevron",
    "espace finale ", " espace initiale", "deux  espaces", "Cœur de quartier 🙂", "Intergénér@tion",
    "« guillemets » : deux-points ; point-virgule ! exclamation ? question",
    "https://www.exemple.org/une/adresse/tres/longue/qui/ne/tient/pas/sur/une/seule/ligne/de/soixante-douze",
    "antislash \\ et \\n littéral", "tab\tulation", "ligne\u2028séparateur", "bom\ufeffau milieu", "nul\x00",
    "é" * 200, "mot " * 90,
    "Un paragraphe assez long pour être plié sur plusieurs lignes, avec des mots et des virgules, "
    "qui continue encore un peu.\n\nUn second paragraphe.\n- une liste\n- de deux lignes",
    "\n\nlignes vides au début", "à la fin\n", "a\n\n\n\nb", "ligne\n  en retrait", "fin \nespace",
]


def fiches_difficiles() -> list[dict]:
    """A fiche per difficult text, in every kind of field (one-line, long,
    list item, value, title at the top), on a shipped fiche."""
    base = donnees(ROOT / "data" / "fiches" / "intergeneration.yaml")
    out = []
    for k, texte in enumerate(DIFFICILES):
        f = copy.deepcopy(base)
        f["titre"] = texte
        f["acteur"]["nom"] = texte
        f["acteur"]["presentation"] = texte
        f["action"]["lieux"] = [texte, "Brest"]
        f["contributions"][0]["constats"] = texte
        f["contributions"][0]["indicateurs"][0]["valeur"] = texte
        f["contributions"][0]["indicateurs"][0]["source"] = texte
        f["temoignages"] = [{"texte": texte, "auteur": texte}]
        f["historique"][0]["modification"] = texte
        f["id"] = f"difficile-{k}"
        out.append(f)
    return out


def verifier_lignes(texte: str) -> None:
    for n, ligne in enumerate(texte.split("\n"), 1):
        assert len(ligne) <= LARGEUR, (n, ligne)
        assert ligne == ligne.rstrip(" \t"), (n, ligne)
    assert texte.endswith("\n") and not texte.endswith("\n\n")


@pytest.mark.parametrize("path", FICHES, ids=lambda p: p.stem)
def test_chaque_fiche_livree_se_relit_a_l_identique(path, ref):
    data = donnees(path)
    texte = ecrire_fiche(data, libelles(ref))
    assert lire_yaml(texte, "x").data == data
    assert yaml.safe_load(texte) == data  # any YAML reader: nothing turned into a boolean or a date
    verifier_lignes(texte)
    # Written again from what it reads, the same bytes.
    assert ecrire_fiche(lire_yaml(texte, "x").data, libelles(ref)) == texte


def test_les_textes_difficiles_se_relisent_tels_quels(ref):
    for f in fiches_difficiles():
        texte = ecrire_fiche(f, libelles(ref))
        assert lire_yaml(texte, "x").data == f, f["titre"]
        assert yaml.safe_load(texte) == f, f["titre"]
        verifier_lignes(texte)


def test_ordre_et_blocs_viennent_du_schema():
    d = disposition()
    schema = json.loads((ROOT / "schemas" / "fiche.schema.json").read_text(encoding="utf-8"))
    assert d["ordre"][""] == list(schema["properties"])
    assert d["ordre"]["action"] == list(schema["properties"]["action"]["properties"])
    assert d["ordre"]["contributions[].indicateurs[]"] == ["id", "valeur", "source", "commentaire"]
    # Long texts (texte-long): blocks; one-line texts are not.
    assert "action.resume" in d["blocs"] and "contributions[].constats" in d["blocs"]
    assert "titre" not in d["blocs"] and "contributions[].indicateurs[].valeur" not in d["blocs"]


def test_sans_ligne_pour_l_editeur_sauf_dans_le_depot(ref):
    data = donnees(FICHES[0])
    assert "yaml-language-server" not in ecrire_fiche(data, libelles(ref))
    assert ecrire_fiche(data, libelles(ref), editeur=True).startswith(
        "# yaml-language-server: $schema=../../schemas/fiche.schema.json\n")


# ---------------------------------------------------------------------------
# The same bytes from the browser


@pytest.fixture(scope="module")
def page_js(navigateur):
    contexte = navigateur.new_context()
    page = contexte.new_page()
    page.set_content("<!doctype html><html lang='fr'><head><meta charset='utf-8'></head><body></body></html>")
    page.add_script_tag(path=str(SCRIPT))
    yield page
    contexte.close()


def ecrire_js(page, fiches: list[dict], libelles_: dict, en_tete: list[str]) -> list[str]:
    return page.evaluate("([D, fiches, libelles, en_tete]) => fiches.map(f => "
                         "window.referentielEcrireFiche(D, f, {libelles, en_tete}))",
                         [disposition(), fiches, libelles_, en_tete])


def test_le_navigateur_ecrit_les_memes_octets(page_js, ref):
    """Every shipped fiche, and a fiche per difficult text: byte for byte."""
    fiches = [donnees(p) for p in FICHES] + fiches_difficiles()
    en_tete = ["Fiche écrite avec le formulaire « Proposer une fiche » du site."]
    lib = libelles(ref)
    attendus = [ecrire_fiche(f, lib, en_tete=en_tete) for f in fiches]
    obtenus = ecrire_js(page_js, fiches, lib, en_tete)
    for f, attendu, obtenu in zip(fiches, attendus, obtenus):
        assert obtenu == attendu, f["id"]
    # Without labels or header too.
    assert ecrire_js(page_js, fiches[:3], {}, []) == [ecrire_fiche(f) for f in fiches[:3]]


def test_le_navigateur_ecrit_les_memes_octets_au_hasard(page_js, ref):
    """Random texts (hypothesis) in the fields that get quoted, folded or split."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    alphabet = st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs", "Cc", "Cf"),
                             exclude_characters="\r")
    textes = st.lists(st.text(alphabet=alphabet, max_size=160), min_size=8, max_size=8)
    base = donnees(ROOT / "data" / "fiches" / "kerederm.yaml")
    lib = libelles(ref)
    lots: list[dict] = []

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(textes)
    def collecter(t):
        f = copy.deepcopy(base)
        f["titre"], f["acteur"]["nom"] = t[0], t[1]
        f["action"]["resume"] = t[2] + "\n\n" + t[3]
        f["action"]["lieux"] = [t[4]]
        f["contributions"][0]["constats"] = t[5]
        f["contributions"][0]["indicateurs"][0]["valeur"] = t[6]
        f["sources"] = [{"titre": t[7]}]
        lots.append(f)

    collecter()
    attendus = [ecrire_fiche(f, lib) for f in lots]
    assert ecrire_js(page_js, lots, lib, []) == attendus
    for f, texte in zip(lots, attendus):
        assert lire_yaml(texte, "x").data == f
        verifier_lignes(texte)


# ---------------------------------------------------------------------------
# The open data carries every field of a fiche (« Mettre à jour cette fiche » reads it)


def _tout_rempli(noeud, racine, chemin=""):
    """A value for every field the schema allows, each one set."""
    while "$ref" in noeud:
        cible = noeud["$ref"].split("/")[-1]
        noeud = {**racine["$defs"][cible], **{k: v for k, v in noeud.items() if k != "$ref"}}
    if "enum" in noeud:
        return noeud["enum"][-1]
    if noeud.get("type") == "object":
        return {k: _tout_rempli(v, racine, f"{chemin}.{k}") for k, v in noeud["properties"].items()}
    if noeud.get("type") == "array":
        return [_tout_rempli(noeud["items"], racine, chemin + "[]")]
    if noeud.get("pattern", "").startswith("^[0-9]{4}"):
        return "2015-04-09"
    if noeud.get("pattern", "").startswith("^[0-9]+("):
        return "1.0"
    return f"texte de {chemin}"


def test_les_donnees_ouvertes_portent_chaque_champ(tmp_path):
    """A fiche with every field of the schema set comes out of fiches.json whole."""
    from conftest import creer_donnees

    racine = json.loads((ROOT / "schemas" / "fiche.schema.json").read_text(encoding="utf-8"))
    data = _tout_rempli(racine, racine)
    data.update(id="complete", statut="proposee", licence="CC-BY-SA-4.0", mise_a_jour="2015-04-09")
    data["contributions"][0].update(critere="EP1", indicateurs=[{**data["contributions"][0]["indicateurs"][0],
                                                                "id": "EP1.1"}])
    data["acteur"].update(type="association", site="https://www.exemple.org")
    data["sources"][0]["url"] = "https://www.exemple.org/source"
    data["action"]["categories_publics"] = ["seniors"]
    creer_donnees(tmp_path, {"complete.yaml": ecrire_fiche(data)})
    resultat = charger(tmp_path / "data")
    assert resultat.problemes == []
    (publiee,) = fiches_dict(resultat.referentiel)["fiches"]
    assert publiee == data
    # And so does every shipped fiche.
    livres = {f["id"]: f for f in fiches_dict(charger(ROOT / "data").referentiel)["fiches"]}
    for path in FICHES:
        assert livres[path.stem] == donnees(path), path.name
