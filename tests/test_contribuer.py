"""The ways in: the contributions address (a setting), the GitHub issue form,
and the contributor guide that describes the three paths."""

from __future__ import annotations

import re
import unicodedata

import yaml
from conftest import ROOT, construire, creer_donnees, creer_projet, lire_config

from referentiel.modele import CATEGORIES_PUBLICS, TYPES_ACTEUR

TICKET = ROOT / ".github" / "ISSUE_TEMPLATE" / "proposer-une-fiche.yml"
CONTACT = "elisabeth.le-faucheur@mairie-brest.fr"


def test_l_adresse_des_contributions_est_le_contact_du_document_source():
    """mkdocs.yml ships the contact the City's document gives (docs/sources.md says so),
    overridable by CONTRIBUTIONS_COURRIEL."""
    texte = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert f"contributions: !ENV [CONTRIBUTIONS_COURRIEL, {CONTACT}]" in texte
    assert "referentiel" in lire_config(ROOT)["plugins"]
    assert "Elisabeth Le Faucheur" in (ROOT / "docs" / "sources.md").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "### L'adresse des contributions" in readme and "CONTRIBUTIONS_COURRIEL=" in readme


def test_une_adresse_invalide_arrete_la_construction(tmp_path):
    projet = creer_projet(tmp_path)
    creer_donnees(projet)
    sortie = construire(projet, env={"CONTRIBUTIONS_COURRIEL": "contact@exemple.org?cc=autre@exemple.org"})
    assert sortie.code != 0
    assert ("Réglage « contributions » du greffon referentiel (ou CONTRIBUTIONS_COURRIEL) : "
            "« contact@exemple.org?cc=autre@exemple.org » n'est pas une adresse de courriel.") in sortie.stdout + sortie.stderr


def test_le_formulaire_de_ticket_reste_valide_et_suit_le_vocabulaire():
    """GitHub's issue form schema, as far as it can be checked here, and the
    same lists as the fiches (types of structure, categories of publics)."""
    ticket = yaml.safe_load(TICKET.read_text(encoding="utf-8"))
    assert ticket["name"] == "Proposer une fiche" and ticket["description"] and ticket["labels"] == ["fiche"]
    ids = [b["id"] for b in ticket["body"] if "id" in b]
    assert len(ids) == len(set(ids)) and all(re.fullmatch(r"[a-z0-9_-]+", i) for i in ids)
    for bloc in ticket["body"]:
        assert bloc["type"] in {"markdown", "input", "textarea", "dropdown", "checkboxes"}
        if bloc["type"] != "markdown":
            assert bloc["attributes"]["label"]
    blocs = {b.get("id"): b for b in ticket["body"]}
    assert blocs["type_structure"]["attributes"]["options"] == list(TYPES_ACTEUR.values())
    assert [o["label"] for o in blocs["categories_publics"]["attributes"]["options"]] == \
        list(CATEGORIES_PUBLICS.values())
    # What a complete fiche has, asked in words.
    for champ in ("structure", "titre_action", "resume", "publics", "lieux_partenaires", "criteres",
                  "observations", "evaluation", "temoignages", "sources", "accord"):
        assert champ in blocs, champ
    assert "Pas de compte GitHub ?" in ticket["body"][0]["attributes"]["value"]


def _ancre_github(titre: str) -> str:
    """GitHub's anchor for a heading: lowercase, punctuation dropped (accents kept), spaces as hyphens."""
    t = unicodedata.normalize("NFC", titre.strip().lower())
    return re.sub(r"[^\w\- ]", "", t).replace(" ", "-")


def test_le_guide_decrit_les_trois_chemins_et_ce_que_fait_l_equipe():
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    titres = re.findall(r"^#{1,6} (.+)$", guide, re.M)
    for attendu in ("Chemin 1. Le formulaire du site, envoyé par courriel",
                    "Chemin 2. Le formulaire du site, déposé sur GitHub", "Chemin 3. À la main",
                    "Mettre à jour une fiche publiée", "Ce que fait l'équipe, chemin par chemin"):
        assert attendu in titres, attendu
    equipe = guide[guide.index("### Ce que fait l'équipe, chemin par chemin"):]
    for chemin in ("**Chemin 1", "**Chemin 2", "**Chemin 3"):
        assert chemin in equipe, chemin
    assert "referentiel importer courriel.txt" in equipe and "--remplacer" in equipe
    # Every link to a heading of the guide leads to one.
    ancres = {_ancre_github(t) for t in titres}
    liens = set(re.findall(r"\]\(#([^)]+)\)", guide))
    assert liens and liens <= ancres, liens - ancres
