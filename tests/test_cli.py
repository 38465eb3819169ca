"""The `referentiel` command: messages and exit codes."""

from __future__ import annotations

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
