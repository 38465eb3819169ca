"""The `referentiel` command: messages and exit codes."""

from __future__ import annotations

import re

from conftest import FICHE_VALIDE, ROOT, cli, creer_donnees, env_sans_ci


def test_donnees_livrees_valides():
    sortie = cli("valider", cwd=ROOT)
    assert sortie.code == 0, sortie.stdout
    assert sortie.stdout.startswith("Données valides : 4 dimensions, ")
    assert sortie.stderr == ""


def test_aide_en_francais():
    sortie = cli("--help", cwd=ROOT)
    assert sortie.code == 0
    assert sortie.stdout.startswith("Utilisation : referentiel")
    assert "vérifier les données" in sortie.stdout
    sortie = cli("valider", "--help", cwd=ROOT)
    assert sortie.code == 0
    assert "dossier de données (par défaut : data/)" in sortie.stdout


def test_commande_manquante_ou_inconnue():
    sortie = cli(cwd=ROOT)
    assert sortie.code == 2
    assert "referentiel : erreur : arguments obligatoires manquants" in sortie.stderr
    sortie = cli("publier", cwd=ROOT)
    assert sortie.code == 2
    assert "choix invalide" in sortie.stderr


def test_chemin_introuvable(tmp_path):
    creer_donnees(tmp_path)
    sortie = cli("valider", "data/fiches/absente.yaml", cwd=tmp_path)
    assert sortie.code == 1
    assert sortie.lignes == ["data/fiches/absente.yaml:1: fichier ou dossier introuvable"]


def test_un_seul_fichier(tmp_path):
    """A contributor can check just their own file; the framework is found beside it."""
    creer_donnees(tmp_path, {
        "essai.yaml": FICHE_VALIDE,
        "autre.yaml": FICHE_VALIDE.replace("statut: exemple", "statut: faux"),
    })
    assert cli("valider", "data/fiches/essai.yaml", cwd=tmp_path).code == 0
    sortie = cli("valider", "data/fiches/autre.yaml", cwd=tmp_path)
    assert sortie.code == 1
    assert any(x.startswith("data/fiches/autre.yaml:1: id : « essai » ne correspond pas") for x in sortie.lignes)
    assert any(x.startswith("data/fiches/autre.yaml:3: statut :") for x in sortie.lignes)


def test_annotations_github(tmp_path):
    creer_donnees(tmp_path, {"essai.yaml": FICHE_VALIDE.replace("statut: exemple", "statut: no")})
    env = env_sans_ci()
    env["CI"] = "true"
    sortie = cli("valider", cwd=tmp_path, env=env)
    assert sortie.code == 1
    assert "data/fiches/essai.yaml:3: statut : « no » n'est pas une valeur permise ; écrivez l'une de : exemple, proposee, publiee" in sortie.lignes
    assert ("::error file=data/fiches/essai.yaml,line=3,title=Fiche invalide::statut : « no » n'est pas "
            "une valeur permise ; écrivez l'une de : exemple, proposee, publiee") in sortie.lignes
    # Without CI, only with the flag.
    sortie = cli("valider", cwd=tmp_path)
    assert not any(x.startswith("::error") for x in sortie.lignes)
    sortie = cli("valider", "--github", cwd=tmp_path)
    assert any(x.startswith("::error file=data/fiches/essai.yaml,line=3,") for x in sortie.lignes)


def test_referentiel_introuvable(tmp_path):
    sortie = cli("valider", cwd=tmp_path)
    assert sortie.code == 1
    assert sortie.lignes == ["data/criteres.yaml:1: fichier du référentiel introuvable"]


def test_valider_beaucoup_de_fiches_sur_plusieurs_coeurs(tmp_path):
    """From 400 files on, fiches are read on every core: same messages, same order."""
    from conftest import FICHE_VALIDE, creer_donnees

    fiches = {f"f{k:03d}.yaml": FICHE_VALIDE.replace("id: essai", f"id: f{k:03d}") for k in range(420)}
    creer_donnees(tmp_path, fiches)
    sortie = cli("valider", cwd=tmp_path)
    assert sortie.code == 0, sortie.stdout + sortie.stderr
    assert "420 fiches" in sortie.stdout

    (tmp_path / "data" / "fiches" / "f100.yaml").write_text(
        FICHE_VALIDE.replace("id: essai", "id: f100").replace("statut: exemple", "statut: brouillon"),
        encoding="utf-8")
    (tmp_path / "data" / "fiches" / "f300.yaml").write_text(
        FICHE_VALIDE.replace("id: essai", "id: f200"), encoding="utf-8")
    sortie = cli("valider", cwd=tmp_path)
    assert sortie.code == 1
    lignes = sortie.stdout.splitlines()
    assert lignes[0].startswith("data/fiches/f100.yaml:3: statut : « brouillon » n'est pas une valeur permise")
    assert any(ligne.startswith("data/fiches/f300.yaml:1: id") and "déjà utilisé par data/fiches/f200.yaml" in ligne
               for ligne in lignes), lignes


# ---------------------------------------------------------------------------
# referentiel importer [FICHIER|-]

def _courriel(fiche: str, avant: str = "Bonjour,\n\nVoici notre fiche.\n\n") -> str:
    from referentiel.lecture.reception import DEBUT, FIN

    return f"{avant}{DEBUT}\n{fiche}{FIN}\n\nBien cordialement,\nL'association\n"


def _importer(*args: str, cwd, entree: str | bytes | None = None):
    import subprocess
    import sys
    from pathlib import Path

    from conftest import Sortie

    exe = Path(sys.executable).with_name("referentiel")
    p = subprocess.run([str(exe), "importer", *args], cwd=cwd, input=entree.encode("utf-8") if isinstance(entree, str)
                       else entree, capture_output=True, env=env_sans_ci(), timeout=120)
    return Sortie(p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8"))


FICHE_RECUE = FICHE_VALIDE.replace("id: essai", "id: atelier-des-aines").replace("statut: exemple", "statut: proposee")


def test_importer_un_fichier_telecharge(tmp_path):
    creer_donnees(tmp_path)
    (tmp_path / "atelier-des-aines.yaml").write_text(FICHE_RECUE, encoding="utf-8")
    sortie = cli("importer", "atelier-des-aines.yaml", cwd=tmp_path)
    assert sortie.code == 0, sortie.stdout + sortie.stderr
    assert sortie.stdout == ("Fiche importée : data/fiches/atelier-des-aines.yaml (valide). Relisez-la, puis "
                             "proposez-la par une pull request.\n")
    ecrit = (tmp_path / "data" / "fiches" / "atelier-des-aines.yaml").read_text(encoding="utf-8")
    assert ecrit == "# yaml-language-server: $schema=../../schemas/fiche.schema.json\n" + FICHE_RECUE
    assert cli("valider", cwd=tmp_path).code == 0


def test_importer_un_courriel_colle_et_cite(tmp_path):
    """Pasted on the standard input, from a reply: quoted with « > », text around it."""
    creer_donnees(tmp_path)
    cite = "\n".join(("> " + l) if l else ">" for l in _courriel(FICHE_RECUE).split("\n"))
    sortie = _importer(cwd=tmp_path, entree="Le 3 mars, l'association a écrit :\n" + cite)
    assert sortie.code == 0, sortie.stdout + sortie.stderr
    assert sortie.stdout.startswith("Fiche importée : data/fiches/atelier-des-aines.yaml (valide).")
    assert cli("valider", cwd=tmp_path).code == 0
    # « - » says the same.
    (tmp_path / "data" / "fiches" / "atelier-des-aines.yaml").unlink()
    assert _importer("-", cwd=tmp_path, entree=_courriel(FICHE_RECUE)).code == 0


def test_importer_refuse_un_identifiant_pris_sauf_mise_a_jour(tmp_path):
    creer_donnees(tmp_path, {"atelier-des-aines.yaml": FICHE_RECUE})
    avant = (tmp_path / "data" / "fiches" / "atelier-des-aines.yaml").read_bytes()
    mise_a_jour = FICHE_RECUE.replace("12 séances", "14 séances")
    sortie = _importer(cwd=tmp_path, entree=_courriel(mise_a_jour))
    assert sortie.code == 1
    assert sortie.stdout.startswith("entrée standard:")
    assert ("id : l'identifiant « atelier-des-aines » est déjà pris par data/fiches/atelier-des-aines.yaml ; "
            "si c'est une mise à jour de cette fiche, relancez avec --remplacer") in sortie.stdout
    assert "Fiche non importée : 1 problème." in sortie.stderr
    assert (tmp_path / "data" / "fiches" / "atelier-des-aines.yaml").read_bytes() == avant
    sortie = _importer("--remplacer", cwd=tmp_path, entree=_courriel(mise_a_jour))
    assert sortie.code == 0, sortie.stdout
    assert sortie.stdout.startswith("Fiche mise à jour : data/fiches/atelier-des-aines.yaml (valide).")
    assert "14 séances" in (tmp_path / "data" / "fiches" / "atelier-des-aines.yaml").read_text(encoding="utf-8")


def test_importer_dit_les_problemes_comme_valider(tmp_path):
    """The validator's messages, on the lines of the mail as received."""
    creer_donnees(tmp_path)
    fiche = FICHE_RECUE.replace("critere: EP1", "critere: EP9").replace("statut: proposee", "statut: proposée")
    courriel = _courriel(fiche)
    (tmp_path / "courriel.txt").write_text(courriel, encoding="utf-8")
    sortie = cli("importer", "courriel.txt", cwd=tmp_path)
    assert sortie.code == 1
    lignes = courriel.split("\n")
    statut = next(n for n, l in enumerate(lignes, 1) if l.startswith("statut:"))
    critere = next(n for n, l in enumerate(lignes, 1) if "critere: EP9" in l)
    assert sortie.lignes[0].startswith(f"courriel.txt:{statut}: statut : « proposée » n'est pas une valeur permise "
                                       "(vouliez-vous dire « proposee » ?)")
    assert sortie.lignes[1].startswith(f"courriel.txt:{critere}: contributions[0].critere : « EP9 » n'existe pas")
    assert "Fiche non importée : 2 problèmes." in sortie.stderr
    assert list((tmp_path / "data" / "fiches").iterdir()) == []


def test_importer_messages_d_un_texte_inutilisable(tmp_path):
    from referentiel.lecture.reception import DEBUT

    creer_donnees(tmp_path)
    sortie = _importer(cwd=tmp_path, entree=f"Bonjour\n{DEBUT}\nid: atelier\n")
    assert sortie.code == 1
    assert sortie.lignes == ["entrée standard:1: le message est coupé : la ligne « ----- Fin de la fiche ----- » "
                             "manque ; la messagerie de l'expéditeur a peut-être raccourci un long message : "
                             "demandez-lui le fichier téléchargé depuis le formulaire, en pièce jointe"]
    sortie = _importer(cwd=tmp_path, entree="")
    assert sortie.code == 1 and sortie.lignes == ["entrée standard:1: texte vide"]
    sortie = _importer(cwd=tmp_path, entree="titre: \xe9t\xe9\n".encode("latin-1"))
    assert sortie.code == 1
    assert "Fiche non importée : entrée standard : ce n'est pas du texte UTF-8" in sortie.stderr
    sortie = cli("importer", "absent.txt", cwd=tmp_path)
    assert sortie.code == 1 and sortie.lignes == ["absent.txt:1: fichier introuvable"]
    sortie = _importer(cwd=tmp_path, entree="id: [pas fermé\n")
    assert sortie.code == 1 and re.match(r"entrée standard:\d: syntaxe YAML invalide : liste entre crochets mal fermée",
                                         sortie.lignes[0])
    assert list((tmp_path / "data" / "fiches").iterdir()) == []


def test_importer_aide(tmp_path):
    sortie = cli("importer", "--help", cwd=tmp_path)
    assert sortie.code == 0
    assert sortie.stdout.startswith("Utilisation : referentiel importer [-h] [--remplacer] [--dossier DOSSIER] [FICHIER|-]")
    aide = " ".join(sortie.stdout.split())
    assert "« - » ou rien : le texte collé sur l'entrée standard" in aide
    assert "--remplacer remplacer la fiche de même identifiant (une mise à jour envoyée par le formulaire)" in aide
    assert "importer" in cli("--help", cwd=tmp_path).stdout
