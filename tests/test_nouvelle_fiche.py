"""`referentiel nouvelle-fiche`: a contributor's first fiche, by questions or by options."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import cli, creer_donnees, env_sans_ci

OPTIONS = ["--titre", "Atelier numérique : Bellevue", "--acteur", "Association du quartier",
           "--type", "association", "--resume", "Un atelier chaque mercredi pour les habitants.",
           "--critere", "VE2", "--indicateur", "VE2.1", "--constats", "VE2=Les habitants se parlent.",
           "--valeur", "VE2.1=14 participants réguliers"]


def test_par_options_une_fiche_valide(tmp_path):
    creer_donnees(tmp_path)
    sortie = cli("nouvelle-fiche", *OPTIONS, cwd=tmp_path)
    assert sortie.code == 0, sortie.stderr
    assert sortie.stdout.startswith("Fiche créée : data/fiches/atelier-numerique-bellevue.yaml (valide).")
    texte = (tmp_path / "data" / "fiches" / "atelier-numerique-bellevue.yaml").read_text(encoding="utf-8")
    assert texte.startswith("# yaml-language-server: $schema=../../schemas/fiche.schema.json")
    assert 'titre: "Atelier numérique : Bellevue"' in texte and "statut: proposee" in texte
    assert "# VE2 · Lien social" in texte
    assert cli("valider", cwd=tmp_path).code == 0


def test_refuse_un_identifiant_pris(tmp_path):
    creer_donnees(tmp_path)
    assert cli("nouvelle-fiche", *OPTIONS, cwd=tmp_path).code == 0
    sortie = cli("nouvelle-fiche", *OPTIONS, cwd=tmp_path)
    assert sortie.code == 1
    assert "l'identifiant « atelier-numerique-bellevue » est déjà pris" in sortie.stderr


def test_hors_terminal_dit_ce_qui_manque(tmp_path):
    creer_donnees(tmp_path)
    sortie = cli("nouvelle-fiche", "--titre", "Atelier", cwd=tmp_path)
    assert sortie.code == 1
    assert "réponses manquantes (à donner en option hors d'un terminal) : --acteur, --type, --resume, --critere" \
        in sortie.stderr
    assert not list((tmp_path / "data" / "fiches").glob("*.yaml"))


def test_indicateur_d_un_autre_critere_refuse(tmp_path):
    creer_donnees(tmp_path)
    options = [x if x != "VE2.1" else "EP1.1" for x in OPTIONS]
    sortie = cli("nouvelle-fiche", *options, cwd=tmp_path)
    assert sortie.code == 1
    assert "EP1.1" in sortie.stderr


def test_par_questions(tmp_path):
    """The questions, answered as a person would at the keyboard."""
    creer_donnees(tmp_path)
    reponses = "\n".join([
        "Atelier du mardi",          # titre
        "",                          # identifiant proposé accepté
        "Centre social du quartier",  # structure
        "2",                         # type : centre-social
        "Un atelier chaque mardi, ouvert à tous.",
        "VE2, EP4",                  # critères
        "Les participants se parlent davantage.",
        "1,2",                       # VE2.1, VE2.2
        "14 participants",
        "9 sur 12",
        "Les participants osent essayer seuls.",
        "EP4.2",
        "8 sur 10",
    ]) + "\n"
    exe = Path(sys.executable).with_name("referentiel")
    p = subprocess.run([str(exe), "nouvelle-fiche", "--interactif"], cwd=tmp_path, input=reponses,
                       capture_output=True, text=True, env=env_sans_ci(), timeout=60)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "Critères du référentiel que votre action sert :" in p.stdout
    assert "Indicateurs du critère EP4 que vous renseignez :" in p.stdout
    assert "Fiche créée : data/fiches/atelier-du-mardi.yaml (valide)." in p.stdout
    texte = (tmp_path / "data" / "fiches" / "atelier-du-mardi.yaml").read_text(encoding="utf-8")
    assert "type: centre-social" in texte and "- id: VE2.2" in texte and "- id: EP4.2" in texte
    assert cli("valider", cwd=tmp_path).code == 0


def test_la_fiche_est_ecrite_comme_par_le_formulaire(tmp_path):
    """One way of writing a fiche (sorties/fiche_yaml.py, which the form's
    JavaScript follows byte for byte: test_ecriture_fiche): the file is that
    writer's text for the same data, with the first line for editors and the
    command's own comment; 72 columns at most, no trailing space."""
    from datetime import date

    from referentiel.lecture.chargement import charger
    from referentiel.lecture.fichiers import lire_fichier
    from referentiel.nouvelle_fiche import libelles
    from referentiel.sorties.fiche_yaml import ecrire_fiche

    creer_donnees(tmp_path)
    assert cli("nouvelle-fiche", *OPTIONS, cwd=tmp_path).code == 0
    chemin = tmp_path / "data" / "fiches" / "atelier-numerique-bellevue.yaml"
    texte = chemin.read_text(encoding="utf-8")
    doc, _ = lire_fichier(chemin, 10**6)
    jour = date.today().isoformat()
    assert doc.data == {
        "id": "atelier-numerique-bellevue", "titre": "Atelier numérique : Bellevue", "statut": "proposee",
        "acteur": {"nom": "Association du quartier", "type": "association"},
        "action": {"resume": "Un atelier chaque mercredi pour les habitants."},
        "contributions": [{"critere": "VE2", "constats": "Les habitants se parlent.",
                           "indicateurs": [{"id": "VE2.1", "valeur": "14 participants réguliers"}]}],
        "licence": "CC-BY-SA-4.0", "mise_a_jour": jour,
        "historique": [{"date": jour, "auteur": "Association du quartier", "modification": "Création de la fiche"}],
    }
    ref = charger(tmp_path / "data").referentiel
    en_tete = [ligne[2:] for ligne in texte.split("\n")[2:6]]
    assert texte == ecrire_fiche(doc.data, libelles(ref), en_tete=en_tete, editeur=True)
    assert en_tete[-1] == "  referentiel valider data/fiches/atelier-numerique-bellevue.yaml"
    assert all(len(ligne) <= 72 and ligne == ligne.rstrip() for ligne in texte.split("\n"))
