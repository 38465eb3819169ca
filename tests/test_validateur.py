"""The validator as a contributor meets it: one fixture per kind of mistake.

Each case writes one fiche into a fresh data/ folder, runs
``referentiel valider`` and asserts the exact file, line, field and the
French explanation of what to write instead.
"""

from __future__ import annotations

import re

import pytest
from conftest import FICHE_VALIDE, ROOT, cli, creer_donnees


RESUME = "  resume: Une action imaginaire pour tester le validateur.\n"


def remplacer(ancien: str, nouveau: str) -> str:
    assert ancien in FICHE_VALIDE, ancien
    return FICHE_VALIDE.replace(ancien, nouveau, 1)


# (name, file name, content, expected line prefix, expected fragments)
CAS = [
    ("syntaxe", "essai.yaml",
     remplacer("titre: Atelier d'essai", "titre: Atelier : essai"),
     "data/fiches/essai.yaml:2: syntaxe YAML invalide",
     ["mettez-le entre guillemets", "colonne"]),
    ("tabulation", "essai.yaml",
     remplacer("  nom: Association", "\tnom: Association"),
     "data/fiches/essai.yaml:5: syntaxe YAML invalide",
     ["tabulation interdite", "espaces"]),
    ("guillemet non fermé", "essai.yaml",
     remplacer("titre: Atelier d'essai", 'titre: "Atelier d\'essai'),
     "data/fiches/essai.yaml:",
     ["guillemet ou crochet non fermé"]),
    ("champ obligatoire", "essai.yaml",
     remplacer("statut: exemple\n", ""),
     "data/fiches/essai.yaml:1: statut : champ obligatoire manquant",
     ["ajoutez « statut: »", "« exemple »"]),
    ("champ obligatoire imbriqué", "essai.yaml",
     remplacer("  type: association\n", ""),
     "data/fiches/essai.yaml:5: acteur.type : champ obligatoire manquant",
     ["ajoutez « type: »", "centre-social"]),
    ("mauvais type", "essai.yaml",
     remplacer("titre: Atelier d'essai", "titre:\n  - Atelier\n  - essai"),
     "data/fiches/essai.yaml:3: titre : doit être un texte, pas une liste",
     ["titre de la fiche"]),
    ("valeur manquante", "essai.yaml",
     remplacer("titre: Atelier d'essai", "titre:"),
     "data/fiches/essai.yaml:2: titre : valeur manquante : écrivez un texte après « : »",
     ["titre de la fiche"]),
    ("valeur nulle", "essai.yaml",
     remplacer("titre: Atelier d'essai", "titre: ~"),
     "data/fiches/essai.yaml:2: titre : valeur manquante : écrivez un texte", []),
    ("texte vide", "essai.yaml",
     remplacer("titre: Atelier d'essai", 'titre: ""'),
     "data/fiches/essai.yaml:2: titre : valeur vide : écrivez un texte", []),
    ("champ inconnu", "essai.yaml",
     remplacer("titre: Atelier d'essai", "titr: Atelier d'essai"),
     "data/fiches/essai.yaml:2: titr : champ inconnu « titr »",
     ["vouliez-vous dire « titre » ?"]),
    ("champ inconnu imbriqué", "essai.yaml",
     remplacer("    source: feuilles", "    sourse: feuilles"),
     "data/fiches/essai.yaml:15: contributions[0].indicateurs[0].sourse : champ inconnu",
     ["vouliez-vous dire « source » ?"]),
    ("valeur hors liste", "essai.yaml",
     remplacer("statut: exemple", "statut: proposée"),
     "data/fiches/essai.yaml:3: statut : « proposée » n'est pas une valeur permise",
     ["vouliez-vous dire « proposee » ?", "exemple, proposee, publiee"]),
    ("YAML 1.1 : no reste no", "essai.yaml",
     remplacer("statut: exemple", "statut: no"),
     "data/fiches/essai.yaml:3: statut : « no » n'est pas une valeur permise",
     ["exemple, proposee, publiee"]),
    ("critère inexistant", "essai.yaml",
     remplacer("critere: EP1", "critere: EP9"),
     "data/fiches/essai.yaml:10: contributions[0].critere : « EP9 » n'existe pas",
     ["(critères proches : EP1, EP2, EP3"]),
    ("indicateur d'un autre critère", "essai.yaml",
     remplacer("id: EP1.1", "id: VE2.1"),
     "data/fiches/essai.yaml:13: contributions[0].indicateurs[0].id : l'indicateur « VE2.1 » appartient au critère VE2, pas à EP1",
     ["EP1.1, EP1.2, EP1.3"]),
    ("indicateur inexistant", "essai.yaml",
     remplacer("id: EP1.1", "id: EP1.9"),
     "data/fiches/essai.yaml:13: contributions[0].indicateurs[0].id : l'indicateur « EP1.9 » n'existe pas",
     ["indicateurs du critère EP1 : EP1.1, EP1.2, EP1.3"]),
    ("critère traité deux fois", "essai.yaml",
     FICHE_VALIDE + FICHE_VALIDE[FICHE_VALIDE.index("  - critere"):],
     "data/fiches/essai.yaml:16: contributions[1].critere : le critère EP1 est déjà traité à la ligne 10",
     ["regroupez"]),
    ("id différent du nom de fichier", "autre-nom.yaml",
     FICHE_VALIDE,
     "data/fiches/autre-nom.yaml:1: id : « essai » ne correspond pas au nom du fichier",
     ["écrivez id: autre-nom"]),
    ("identifiant non permis", "essai.yaml",
     remplacer("id: essai", "id: Essai_1"),
     "data/fiches/essai.yaml:1: id : « Essai_1 » n'a pas la forme attendue",
     ["lettres minuscules sans accent"]),
    ("nom de fichier non permis", "Mon Atelier.yaml",
     remplacer("id: essai", "id: mon-atelier"),
     "data/fiches/Mon Atelier.yaml:1: id : le nom du fichier « Mon Atelier.yaml » n'est pas un identifiant permis",
     ["renommez le fichier en « mon-atelier.yaml »"]),
    ("lien javascript dans le texte", "essai.yaml",
     remplacer("poser des questions.", "poser des [questions](javascript:alert(1))."),
     "data/fiches/essai.yaml:11: contributions[0].constats : lien « javascript:alert(1",
     ["seuls les liens https://, http:// et mailto: sont acceptés"]),
    ("lien de site non http", "essai.yaml",
     remplacer("  type: association", "  type: association\n  site: ftp://exemple.org"),
     "data/fiches/essai.yaml:7: acteur.site : « ftp://exemple.org » n'a pas la forme attendue",
     ["commençant par https://"]),
    ("image dans le texte", "essai.yaml",
     remplacer("poser des questions.", "poser des questions. ![photo](https://exemple.org/a.png)"),
     "data/fiches/essai.yaml:11: contributions[0].constats : les images ne sont pas acceptées",
     []),
    ("date mal écrite", "essai.yaml",
     remplacer("statut: exemple", "statut: exemple\nmise_a_jour: 09/04/2015"),
     "data/fiches/essai.yaml:4: mise_a_jour : « 09/04/2015 » n'a pas la forme attendue",
     ["AAAA-MM-JJ"]),
    ("fichier vide", "essai.yaml", "",
     "data/fiches/essai.yaml:1: fichier vide", ["_modele.yaml"]),
    ("fichier de commentaires seulement", "essai.yaml", "# rien\n\n",
     "data/fiches/essai.yaml:1: le fichier ne contient aucune donnée", []),
    ("pas en UTF-8", "essai.yaml",
     remplacer("Association d'essai", "Association caf\u00e9").encode("latin-1"),
     "data/fiches/essai.yaml:5: le fichier n'est pas encodé en UTF-8",
     ["enregistrez-le en UTF-8"]),
    ("ancre YAML", "essai.yaml",
     remplacer("titre: Atelier d'essai", "titre: &t Atelier d'essai"),
     "data/fiches/essai.yaml:2: les ancres et alias YAML", []),
    ("alias YAML", "essai.yaml",
     FICHE_VALIDE.replace("  nom: Association d'essai", "  nom: &n Association d'essai") + "autre: *n\n",
     "data/fiches/essai.yaml:5: les ancres et alias YAML", []),
    ("étiquette YAML", "essai.yaml",
     remplacer("titre: Atelier d'essai", "titre: !!python/object:os.system echo"),
     "data/fiches/essai.yaml:2: titre : étiquette YAML", ["refusée"]),
    ("champ en double", "essai.yaml",
     remplacer("statut: exemple", "statut: exemple\nstatut: publiee"),
     "data/fiches/essai.yaml:4: statut : champ « statut » écrit deux fois (déjà à la ligne 3)", []),
    ("trop gros", "essai.yaml",
     remplacer("Une action imaginaire", "Une action " + "très " * 60000),
     "data/fiches/essai.yaml:1: fichier trop gros", ["200 Ko au plus"]),
    ("texte trop long", "essai.yaml",
     remplacer("titre: Atelier d'essai", "titre: " + "a" * 400),
     "data/fiches/essai.yaml:2: titre : texte trop long : 400 caractères pour 300 au plus", []),
    ("liste au lieu de champs", "essai.yaml", "- id: essai\n- titre: x\n",
     "data/fiches/essai.yaml:1: une fiche est une suite de champs", []),
    ("extension .yml", "essai.yml", FICHE_VALIDE,
     "data/fiches/essai.yml:1: extension non reconnue", ["« essai.yaml »"]),
    ("document en double", "essai.yaml", FICHE_VALIDE + "---\nid: autre\n",
     "data/fiches/essai.yaml:16: syntaxe YAML invalide", ["un seul document"]),
    ("caractère de contrôle", "essai.yaml",
     remplacer("Atelier d'essai", "Atelier\x07d'essai"),
     "data/fiches/essai.yaml:2: caractère de contrôle interdit", []),
    # Categories of publics: a fixed list (schemas/fiche.schema.json), each value
    # shown with its label; a label written instead of its value is recognised.
    ("catégorie de public : le libellé au lieu du code", "essai.yaml",
     remplacer(RESUME, RESUME + "  categories_publics:\n    - jeunes\n    - Familles et/ou enfants\n"),
     "data/fiches/essai.yaml:11: action.categories_publics[1] : « Familles et/ou enfants » n'est pas une "
     "valeur permise (vouliez-vous dire « familles-enfants » ?) ; écrivez l'une de : jeunes (Jeunes), "
     "etudiants (Étudiants), familles-enfants (Familles et/ou enfants), seniors (Seniors), femmes (Femmes)", []),
    ("catégorie de public mal écrite", "essai.yaml",
     remplacer(RESUME, RESUME + "  categories_publics:\n    - Séniors\n"),
     "data/fiches/essai.yaml:10: action.categories_publics[0] : « Séniors » n'est pas une valeur permise",
     ["vouliez-vous dire « seniors » ?", "seniors (Seniors)"]),
    ("catégorie de public inconnue", "essai.yaml",
     remplacer(RESUME, RESUME + "  categories_publics:\n    - demandeurs d'emploi\n"),
     "data/fiches/essai.yaml:10: action.categories_publics[0] : « demandeurs d'emploi » n'est pas une "
     "valeur permise ; écrivez l'une de : jeunes (Jeunes), etudiants", []),
    ("catégorie de public en double", "essai.yaml",
     remplacer(RESUME, RESUME + "  categories_publics:\n    - seniors\n    - jeunes\n    - seniors\n"),
     "data/fiches/essai.yaml:12: action.categories_publics[2] : « seniors » est déjà dans la liste ; "
     "supprimez cette ligne", []),
    ("catégories de publics sur une ligne", "essai.yaml",
     remplacer(RESUME, RESUME + "  categories_publics: jeunes, seniors\n"),
     "data/fiches/essai.yaml:9: action.categories_publics : doit être une liste",
     ["une ligne par élément, commençant par « - »"]),
]


@pytest.mark.parametrize("nom,fichier,contenu,debut,fragments", CAS, ids=[c[0] for c in CAS])
def test_erreur(tmp_path, nom, fichier, contenu, debut, fragments):
    creer_donnees(tmp_path, {fichier: contenu})
    sortie = cli("valider", cwd=tmp_path)
    assert sortie.code == 1, sortie.stdout + sortie.stderr
    assert "Traceback" not in sortie.stdout + sortie.stderr
    lignes = [x for x in sortie.lignes if x.startswith(debut)]
    assert lignes, f"aucune ligne ne commence par {debut!r} :\n{sortie.stdout}"
    for fragment in fragments:
        assert any(fragment in x for x in lignes), f"{fragment!r} absent de :\n{sortie.stdout}"
    assert "problème" in sortie.stderr and "relancez « referentiel valider »" in sortie.stderr


def test_fiche_valide(tmp_path):
    creer_donnees(tmp_path, {"essai.yaml": FICHE_VALIDE})
    sortie = cli("valider", cwd=tmp_path)
    assert sortie.code == 0, sortie.stdout
    assert sortie.stdout.startswith("Données valides : 4 dimensions,")
    assert sortie.stdout.rstrip().endswith("1 fiche.")


def test_categories_de_publics_valides(tmp_path):
    """Every value of the vocabulary is accepted, in any order; the field is optional."""
    from referentiel.modele import CATEGORIES_PUBLICS

    valeurs = "".join(f"    - {c}\n" for c in reversed(CATEGORIES_PUBLICS))
    creer_donnees(tmp_path, {"essai.yaml": remplacer(RESUME, RESUME + "  categories_publics:\n" + valeurs)})
    sortie = cli("valider", cwd=tmp_path)
    assert sortie.code == 0, sortie.stdout


def test_bom_et_crlf_acceptes(tmp_path):
    contenu = b"\xef\xbb\xbf" + FICHE_VALIDE.replace("\n", "\r\n").encode("utf-8")
    creer_donnees(tmp_path, {"essai.yaml": contenu})
    sortie = cli("valider", cwd=tmp_path)
    assert sortie.code == 0, sortie.stdout


def test_yaml_1_1_ce_qui_est_tape_reste_du_texte(tmp_path):
    """`titre: 2015-04-09`, `yes`, `1.0` mean what the contributor typed."""
    contenu = (remplacer("titre: Atelier d'essai", "titre: 2015-04-09")
               .replace("valeur: 12 séances", "valeur: yes")
               .replace("source: feuilles d'émargement", "source: 1.0"))
    creer_donnees(tmp_path, {"essai.yaml": contenu})
    sortie = cli("valider", cwd=tmp_path)
    assert sortie.code == 0, sortie.stdout


def test_toutes_les_erreurs_sont_collectees(tmp_path):
    """Every problem of every file is listed before the command stops."""
    creer_donnees(tmp_path, {
        "un.yaml": FICHE_VALIDE.replace("id: essai", "id: un").replace("statut: exemple", "statut: brouillon"),
        "deux.yaml": FICHE_VALIDE.replace("id: essai", "id: deux").replace("critere: EP1", "critere: XX1"),
        "trois.yaml": "id: [\n",
    })
    sortie = cli("valider", cwd=tmp_path)
    assert sortie.code == 1
    fichiers = {x.split(":", 1)[0] for x in sortie.lignes}
    assert fichiers == {"data/fiches/un.yaml", "data/fiches/deux.yaml", "data/fiches/trois.yaml"}
    assert "3 problèmes dans 3 fichiers" in sortie.stderr


def test_modele_ignore(tmp_path):
    """Files starting with « _ » (the template) are not fiches."""
    creer_donnees(tmp_path, {"essai.yaml": FICHE_VALIDE, "_modele.yaml": "id: pas-une-fiche\n"})
    assert cli("valider", cwd=tmp_path).code == 0


def test_identifiant_en_double_entre_dossiers(tmp_path):
    creer_donnees(tmp_path, {"essai.yaml": FICHE_VALIDE})
    autre = tmp_path / "autre" / "fiches"
    autre.mkdir(parents=True)
    (autre / "essai.yaml").write_text(FICHE_VALIDE, encoding="utf-8")
    sortie = cli("valider", "data", "autre/fiches", cwd=tmp_path)
    assert sortie.code == 1
    assert "autre/fiches/essai.yaml:1: id : identifiant « essai » déjà utilisé par data/fiches/essai.yaml" in sortie.stdout


def test_erreurs_du_referentiel(tmp_path):
    data = creer_donnees(tmp_path)
    texte = (data / "criteres.yaml").read_text(encoding="utf-8")
    texte = texte.replace("type: realisation", "type: réalisation", 1).replace("- id: EP2\n", "- id: VE7\n", 1)
    (data / "criteres.yaml").write_text(texte, encoding="utf-8")
    sortie = cli("valider", cwd=tmp_path)
    assert sortie.code == 1
    assert any("« réalisation » n'est pas une valeur permise (vouliez-vous dire « realisation » ?)" in x
               for x in sortie.lignes), sortie.stdout
    assert any(x.startswith("data/criteres.yaml:") and
               "le critère « VE7 » est dans la dimension EP : son identifiant doit commencer par « EP »" in x
               for x in sortie.lignes), sortie.stdout


@pytest.mark.parametrize("contenu", [
    b"\x00\x01\x02", b"\xff\xfe\x00a", b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
    b"{" * 5000, b"- " * 2000 + b"x", b"? [a]\n: b\n", b"a: b\n  - c\n", b"!!binary aGVsbG8=",
    b"%YAML 1.1\n---\nid: x\n", b"'\n", b"id: x\n...\n...\n", b"\x1b[31mid\x1b[0m: x",
])
def test_aucune_entree_ne_donne_de_traceback(tmp_path, contenu):
    creer_donnees(tmp_path, {"essai.yaml": contenu})
    sortie = cli("valider", cwd=tmp_path)
    assert sortie.code == 1
    assert "Traceback" not in sortie.stdout + sortie.stderr
    assert sortie.lignes and all(x.startswith("data/fiches/essai.yaml:") for x in sortie.lignes), sortie.stdout


def test_reference_obligatoire_pour_une_source_citee(tmp_path):
    data = creer_donnees(tmp_path)
    texte = (data / "criteres.yaml").read_text(encoding="utf-8")
    lignes = texte.splitlines(keepends=True)
    # drop the first « reference: » line that follows « provenance: source-citee »
    for k, ligne in enumerate(lignes):
        if "provenance: source-citee" in ligne and "reference:" in lignes[k + 1]:
            del lignes[k + 1]
            break
    else:
        pytest.skip("aucun élément « source-citee » dans les données livrées")
    (data / "criteres.yaml").write_text("".join(lignes), encoding="utf-8")
    sortie = cli("valider", cwd=tmp_path)
    assert sortie.code == 1
    assert any(".reference : champ obligatoire manquant : ajoutez « reference: » ; la source précise" in x
               for x in sortie.lignes), sortie.stdout


def test_le_modele_copie_est_une_fiche_valide(tmp_path):
    """The commented template, copied under its own id, passes the validator unchanged."""
    modele = (ROOT / "data" / "fiches" / "_modele.yaml").read_text(encoding="utf-8")
    ident = re.search(r"^id: (\S+)$", modele, re.M).group(1)
    creer_donnees(tmp_path, {f"{ident}.yaml": modele})
    sortie = cli("valider", cwd=tmp_path)
    assert sortie.code == 0, sortie.stdout


def test_la_verification_rapide_voit_les_doublons_comme_jsonschema():
    """``uniqueItems`` (the categories of publics): the compiled check of the happy
    path and jsonschema give the same verdict, JSON equality included (``1`` is
    ``1.0``, not ``True``)."""
    from jsonschema import Draft202012Validator

    from referentiel.lecture import schemarapide

    schema = {"type": "array", "uniqueItems": True}
    rapide = schemarapide.compiler(schema)
    for liste in (["a", "b"], ["a", "a"], [1, True], [1, 1.0], [{"a": [1]}, {"a": [1]}], [[1], [True]], []):
        assert rapide(liste) == Draft202012Validator(schema).is_valid(liste), liste


def test_le_vocabulaire_des_publics_est_celui_du_schema_national():
    """The categories of publics are defined once, in the fiche schema: the
    labels are the values of « publics_specifiquement_adresses » in the national
    schema of digital-mediation places, version 1.0.1 (pattern of that field:
    Jeunes|Étudiants|Familles et/ou enfants|Seniors|Femmes), and the contributor
    guide and the commented model list exactly these codes."""
    from referentiel.lecture.schemas import schema
    from referentiel.modele import CATEGORIES_PUBLICS

    definition = schema("fiche")["$defs"]["categorie-public"]
    assert list(CATEGORIES_PUBLICS) == definition["enum"]
    assert list(CATEGORIES_PUBLICS.values()) == definition["enumDescriptions"] == [
        "Jeunes", "Étudiants", "Familles et/ou enfants", "Seniors", "Femmes"]
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", c) for c in CATEGORIES_PUBLICS)
    assert "publics_specifiquement_adresses" in definition["$comment"] and "1.0.1" in definition["$comment"]
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = guide[guide.index("### Les catégories de publics"):]
    section = section[:section.index("\n#", 1)]
    assert re.findall(r"^\| `([a-z-]+)` \| (.+) \|$", section, re.M) == list(CATEGORIES_PUBLICS.items())
    modele = (ROOT / "data" / "fiches" / "_modele.yaml").read_text(encoding="utf-8")
    assert "ligne : " + ", ".join(list(CATEGORIES_PUBLICS)[:-1]) + " ou " + list(CATEGORIES_PUBLICS)[-1] in modele
