"""Untrusted fiches, second pass: each class of hostile input, several variants.

Every test runs ``referentiel valider`` (or ``nouvelle-fiche``) as a
contributor or CI would, and asserts the French line (file, line, field,
what to do), the exit code, and that nothing else gets through.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FICHE_VALIDE, ROOT, cli, creer_donnees, env_sans_ci

from referentiel.lecture import regles
from referentiel.render import liens, md


def remplacer(ancien: str, nouveau: str, texte: str = FICHE_VALIDE) -> str:
    assert ancien in texte, ancien
    return texte.replace(ancien, nouveau, 1)


def valider(tmp_path: Path, fiches: dict[str, str | bytes], *args: str):
    creer_donnees(tmp_path, fiches)
    return cli("valider", *args, cwd=tmp_path)


def une_ligne(sortie, debut: str, *fragments: str) -> str:
    """The one output line that starts with ``debut`` and holds every fragment."""
    trouvees = [x for x in sortie.lignes if x.startswith(debut) and all(f in x for f in fragments)]
    assert trouvees, f"aucune ligne « {debut} … {fragments} » dans :\n{sortie.stdout}{sortie.stderr}"
    return trouvees[0]


# ---------------------------------------------------------------------------
# 1. Only regular files are read


def test_lien_symbolique_vers_un_fichier_du_depot_refuse(tmp_path):
    data = creer_donnees(tmp_path, {"essai.yaml": FICHE_VALIDE})
    os.symlink(data / "fiches" / "essai.yaml", data / "fiches" / "copie.yaml")
    sortie = cli("valider", cwd=tmp_path)
    assert sortie.code == 1
    une_ligne(sortie, "data/fiches/copie.yaml:1: lien symbolique refusé : seuls les fichiers ordinaires")


def test_lien_symbolique_hors_du_depot_jamais_lu(tmp_path):
    secret = tmp_path.parent / f"{tmp_path.name}-secret.yaml"
    secret.write_text(FICHE_VALIDE.replace("Atelier d'essai", "SECRET-HORS-DEPOT"), encoding="utf-8")
    data = creer_donnees(tmp_path)
    os.symlink(secret, data / "fiches" / "essai.yaml")
    os.symlink("/etc/passwd", data / "fiches" / "passwd.yaml")
    sortie = cli("valider", cwd=tmp_path)
    assert sortie.code == 1
    une_ligne(sortie, "data/fiches/essai.yaml:1: lien symbolique refusé")
    une_ligne(sortie, "data/fiches/passwd.yaml:1: lien symbolique refusé")
    assert "SECRET-HORS-DEPOT" not in sortie.stdout + sortie.stderr
    assert "root:" not in sortie.stdout + sortie.stderr


def test_lien_casse_dossier_et_tube_refuses_par_leur_nom(tmp_path):
    data = creer_donnees(tmp_path, {"essai.yaml": FICHE_VALIDE})
    fiches = data / "fiches"
    os.symlink(tmp_path / "nulle-part.yaml", fiches / "casse.yaml")
    (fiches / "dossier.yaml").mkdir()
    (fiches / "archives").mkdir()
    os.mkfifo(fiches / "tube.yaml")
    sortie = cli("valider", cwd=tmp_path)
    assert sortie.code == 1
    une_ligne(sortie, "data/fiches/casse.yaml:1: lien symbolique refusé")
    une_ligne(sortie, "data/fiches/dossier.yaml:1: c'est un dossier, pas un fichier")
    une_ligne(sortie, "data/fiches/archives:1: c'est un dossier, pas un fichier")
    une_ligne(sortie, "data/fiches/tube.yaml:1: ce n'est pas un fichier ordinaire")
    assert "1 problème" not in sortie.stderr and "4 problèmes dans 4 fichiers" in sortie.stderr


def test_peripherique_refuse(tmp_path):
    data = creer_donnees(tmp_path)
    try:
        os.mknod(data / "fiches" / "nul.yaml", stat.S_IFCHR | 0o600, os.makedev(1, 3))
    except (PermissionError, OSError) as exc:
        pytest.skip(f"mknod impossible ici ({exc})")
    sortie = cli("valider", cwd=tmp_path)
    assert sortie.code == 1
    une_ligne(sortie, "data/fiches/nul.yaml:1: ce n'est pas un fichier ordinaire (périphérique")


def test_dossier_des_fiches_ou_referentiel_en_lien_refuses(tmp_path):
    ailleurs = creer_donnees(tmp_path / "ailleurs", {"essai.yaml": FICHE_VALIDE})
    data = tmp_path / "data"
    data.mkdir()
    os.symlink(ailleurs / "fiches", data / "fiches")
    os.symlink(ailleurs / "criteres.yaml", data / "criteres.yaml")
    sortie = cli("valider", cwd=tmp_path)
    assert sortie.code == 1
    une_ligne(sortie, "data/fiches:1: dossier refusé : c'est un lien symbolique")
    une_ligne(sortie, "data/criteres.yaml:1: lien symbolique refusé")


def test_lien_donne_en_argument_refuse(tmp_path):
    data = creer_donnees(tmp_path, {"essai.yaml": FICHE_VALIDE})
    os.symlink(data / "fiches" / "essai.yaml", tmp_path / "raccourci.yaml")
    sortie = cli("valider", "raccourci.yaml", cwd=tmp_path)
    assert sortie.code == 1
    une_ligne(sortie, "raccourci.yaml:1: lien symbolique refusé")


def test_la_construction_s_arrete_sur_un_lien(tmp_path):
    """The build reads data/ with the same loader: a link stops it, naming the file."""
    from referentiel.lecture import charger

    data = creer_donnees(tmp_path, {"essai.yaml": FICHE_VALIDE})
    os.symlink("/etc/hostname", data / "fiches" / "hote.yaml")
    resultat = charger(data)
    assert not resultat.ok
    assert [p.message.split(" :")[0] for p in resultat.problemes if p.fichier.endswith("hote.yaml")] \
        == ["lien symbolique refusé"]


# ---------------------------------------------------------------------------
# 2. Text that is not text

UNE_LIGNE = [
    # (field as printed, line, text to replace, replacement)
    ("titre", 2, "titre: Atelier d'essai", 'titre: "Atelier\\0 d\'essai"'),
    ("titre", 2, "titre: Atelier d'essai", 'titre: "Atelier \\e[31mrouge"'),
    ("titre", 2, "titre: Atelier d'essai", 'titre: "Atelier \\x7f"'),
    ("titre", 2, "titre: Atelier d'essai", 'titre: "Atelier \\x9b2J"'),
    ("titre", 2, "titre: Atelier d'essai", 'titre: "Atelier \\N"'),
    ("titre", 2, "titre: Atelier d'essai", 'titre: "Atelier\\u2028suite"'),
    ("acteur.nom", 5, "nom: Association d'essai", 'nom: "Association \\u202Eessai"'),
    ("acteur.nom", 5, "nom: Association d'essai", 'nom: "Association \\u2066essai\\u2069"'),
    ("acteur.nom", 5, "nom: Association d'essai", "nom: \"Association \\u200Fd'essai\""),
    ("acteur.nom", 5, "nom: Association d'essai", "nom: \"Association\\u200Bd'essai\""),
    ("acteur.nom", 5, "nom: Association d'essai", "nom: \"Association\\uFEFFd'essai\""),
    ("contributions[0].indicateurs[0].valeur", 14, "valeur: 12 séances", 'valeur: "12\\u200Dséances"'),
    ("contributions[0].indicateurs[0].valeur", 14, "valeur: 12 séances", 'valeur: "12\\tséances"'),
    ("contributions[0].indicateurs[0].valeur", 14, "valeur: 12 séances", "valeur: |\n              12\n              séances"),
    ("contributions[0].indicateurs[0].source", 15, "source: feuilles d'émargement",
     "source: \"feuilles\\u2060d'émargement\""),
]


@pytest.mark.parametrize("champ,ligne,ancien,nouveau", UNE_LIGNE, ids=[c[3] for c in UNE_LIGNE])
def test_caracteres_refuses_dans_un_champ_d_une_ligne(tmp_path, champ, ligne, ancien, nouveau):
    sortie = valider(tmp_path, {"essai.yaml": remplacer(ancien, nouveau)})
    assert sortie.code == 1, sortie.stdout
    attendu = re.search(r"\\(?:u([0-9A-F]{4})|x([0-9a-f]{2})|([0e\\tN]))", nouveau)
    code = None
    if attendu and attendu.group(1):
        code = f"U+{attendu.group(1)}"
    elif attendu and attendu.group(2):
        code = f"U+00{attendu.group(2).upper()}"
    elif attendu:
        code = {"0": "U+0000", "e": "U+001B", "t": "U+0009", "N": "U+0085"}[attendu.group(3)]
    else:
        code = "U+000A"
    une_ligne(sortie, f"data/fiches/essai.yaml:{ligne}: {champ} : ", code, "interdit")
    assert "\x1b" not in sortie.stdout and "\u202e" not in sortie.stdout


def test_lieux_publics_et_partenaires_sont_des_champs_d_une_ligne(tmp_path):
    fiche = remplacer("  resume: Une action imaginaire pour tester le validateur.\n",
                      "  resume: Une action imaginaire pour tester le validateur.\n"
                      "  lieux:\n    - \"Salle\\u202E 1\"\n  publics:\n    - \"Seniors\\u200B\"\n")
    sortie = valider(tmp_path, {"essai.yaml": fiche})
    assert sortie.code == 1
    une_ligne(sortie, "data/fiches/essai.yaml:10: action.lieux[0] : caractère de direction du texte U+202E")
    une_ligne(sortie, "data/fiches/essai.yaml:12: action.publics[0] : caractère invisible U+200B")


def test_texte_long_refuse_controles_et_bidi_garde_retours_et_largeur_nulle(tmp_path):
    ok = remplacer("    constats: Les participants osent davantage poser des questions.\n",
                   "    constats: |\n      Première ligne.\n\n      Un emoji 👩\u200d💻 et la suite.\n")
    assert valider(tmp_path / "ok", {"essai.yaml": ok}).code == 0
    mauvais = remplacer("    constats: Les participants osent davantage poser des questions.\n",
                        "    constats: |\n      Première ligne.\n      Deuxième \u202e ligne.\n")
    sortie = valider(tmp_path / "bidi", {"essai.yaml": mauvais})
    assert sortie.code == 1
    # The line of the character itself, inside the block.
    une_ligne(sortie, "data/fiches/essai.yaml:13: contributions[0].constats : caractère de direction du texte U+202E")
    echappe = remplacer("    constats: Les participants osent davantage poser des questions.\n",
                        '    constats: "Ligne un.\\n\\nLigne \\a deux."\n')
    sortie = valider(tmp_path / "controle", {"essai.yaml": echappe})
    une_ligne(sortie, "data/fiches/essai.yaml:11: contributions[0].constats : caractère de contrôle U+0007 interdit")


def test_referentiel_aussi(tmp_path):
    data = creer_donnees(tmp_path)
    texte = (data / "criteres.yaml").read_text(encoding="utf-8")
    titre = re.search(r"^(\s+titre: )(.+)$", texte, re.M)
    ligne = texte.count("\n", 0, titre.start(2)) + 1
    texte = texte[:titre.start(2)] + '"Titre \\u202Einversé"' + texte[titre.end(2):]
    (data / "criteres.yaml").write_text(texte, encoding="utf-8")
    sortie = cli("valider", cwd=tmp_path)
    assert sortie.code == 1
    une_ligne(sortie, f"data/criteres.yaml:{ligne}: ", "titre : caractère de direction du texte U+202E")


# ---------------------------------------------------------------------------
# 3. Output that can't be hijacked

HOSTILE_SORTIE = remplacer("statut: exemple", 'statut: "exemple\\n::error::faux\\n::stop-commands::fin\\r\\e[2J"') + \
    '"cle\\n::warning file=x::inject\\e]0;titre\\a": oui\n' + \
    '"##[set-output name=a;]b": oui\n'


def test_valeurs_avec_retours_a_la_ligne_et_sequences_inertes(tmp_path):
    for ci, args in (("non", ()), ("oui", ("--github",))):
        sortie = valider(tmp_path / ci, {"essai.yaml": HOSTILE_SORTIE}, *args)
        assert sortie.code == 1
        tout = sortie.stdout + sortie.stderr
        assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]", tout), repr(tout)
        assert "##[" not in tout
        lignes = tout.splitlines()
        commandes = [x for x in lignes if x.lstrip().startswith("::")]
        problemes = [x for x in lignes if x.startswith("data/fiches/essai.yaml:")]
        assert len(problemes) == 4, tout
        if ci == "oui":
            # Our own annotations, one per problem, and nothing else that starts like a command.
            assert len(commandes) == 4
            assert all(re.match(r"^::error file=data/fiches/essai\.yaml,line=\d+,title=Fiche invalide::", x)
                       for x in commandes), commandes
            assert all("%0A::" in x or "::" not in x.split("::", 2)[2] for x in commandes)
        else:
            assert commandes == []
        une_ligne(sortie, "data/fiches/essai.yaml:3: statut : « exemple<U+000A>::error::faux<U+000A>"
                          "::stop-commands::fin<U+000D><U+001B>[2J » n'est pas une valeur permise")


def test_nom_de_fichier_qui_ressemble_a_une_commande(tmp_path):
    data = creer_donnees(tmp_path)
    (data / "fiches" / "::warning::x.yaml").write_text("titre: [", encoding="utf-8")
    sortie = cli("valider", "::warning::x.yaml", cwd=data / "fiches")
    assert sortie.code == 1
    assert not any(x.startswith("::") for x in sortie.stdout.splitlines())
    une_ligne(sortie, "./::warning::x.yaml:2: syntaxe YAML invalide")


def test_arguments_inconnus_affiches_inertes(tmp_path):
    sortie = cli("valider", "--x\x1b[31m", cwd=tmp_path)
    assert sortie.code == 2
    assert "\x1b" not in sortie.stderr and "--x<U+001B>[31m" in sortie.stderr


# ---------------------------------------------------------------------------
# 4. Links do exactly what they show

LIENS_ACCEPTES = [
    "[le site](https://www.brest.fr/)",
    "[écrire](mailto:contact@exemple.fr)",
    "<https://exemple.org/page?a=1&b=2#ancre>",
    "<contact@exemple.fr>",
    "<mailto:contact@exemple.fr>",
    "[wiki](https://fr.wikipedia.org/wiki/Brest_(Finistère))",
    "Voir [la page][p].\n\n[p]: https://exemple.org",
    "Un crochet [seul] et un <signe> ne sont pas des liens.",
]
LIENS_REFUSES = [
    "[x](javascript:alert(1))",
    "[a [b] c](javascript:alert(1))",
    "[a [b [c]] d](data:text/html,x)",
    "[x](mailto:a@b.fr?cc=c@d.fr)",
    "[x](mailto:a@b.fr?bcc=c@d.fr&body=coucou)",
    "[x](mailto:a@b.fr,c@d.fr)",
    "[x](mailto:a@b.fr%0ACc:c@d.fr)",
    "<a@b.fr?subject=x>",
    "<mailto:a@b.fr?cc=c@d.fr>",
    "[x](https://www.brest.fr@mal.example)",
    "[x](//mal.example)",
    "[x](www.exemple.fr)",
    "<ftp://exemple.org/fichier>",
    "[ref][r]\n\n[r]: javascript:alert(1)",
    "Rien ne l'utilise.\n\n[r]: vbscript:x",
    "[x](<javascript:alert(1)>)",
    "[x](\n javascript:alert(1))",
    "> [r]: javascript:x\n\n[y][r]",
    "![image](https://exemple.org/a.png)",
    "[![image](https://exemple.org/a.png)](https://exemple.org)",
]


def _liens_vivants(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]*)"', html)


@pytest.mark.parametrize("texte", LIENS_ACCEPTES)
def test_lien_accepte_est_un_lien_vivant(tmp_path, texte):
    fiche = remplacer("    constats: Les participants osent davantage poser des questions.\n",
                      "    constats: " + _bloc(texte))
    sortie = valider(tmp_path, {"essai.yaml": fiche})
    assert sortie.code == 0, sortie.stdout
    vivants = _liens_vivants(md(texte))
    assert len(vivants) == len(liens(texte)) == (0 if "<signe>" in texte else 1)
    assert all(regles.lien_autorise(h.replace("&amp;", "&")) for h in vivants)
    assert "<span>" not in md(texte)


@pytest.mark.parametrize("texte", LIENS_REFUSES)
def test_lien_refuse_n_est_jamais_vivant(tmp_path, texte):
    fiche = remplacer("    constats: Les participants osent davantage poser des questions.\n",
                      "    constats: " + _bloc(texte))
    sortie = valider(tmp_path, {"essai.yaml": fiche})
    assert sortie.code == 1, f"{texte!r} accepté"
    ligne = une_ligne(sortie, "data/fiches/essai.yaml:11: contributions[0].constats : ")
    # Refused as a link, as an image, or (nested brackets, a target that does
    # not close on its line) as too costly to render: never accepted.
    assert any(m in ligne for m in ("refusé : seuls les liens https://, http:// et mailto:",
                                    "images ne sont pas", "trop de temps à mettre en page")), ligne
    # Whatever the validator refuses, the renderer never makes live.
    assert all(regles.lien_autorise(h.replace("&amp;", "&")) for h in _liens_vivants(md(texte)))


def _bloc(texte: str) -> str:
    """A YAML literal block holding ``texte`` under ``constats:``."""
    return "|\n" + "".join(f"      {x}\n" if x else "\n" for x in texte.split("\n"))


def test_lien_dans_un_champ_simple_refuse(tmp_path):
    fiche = remplacer("titre: Atelier d'essai", 'titre: "Atelier [inscription](https://exemple.org)"')
    sortie = valider(tmp_path, {"essai.yaml": fiche})
    assert sortie.code == 1
    une_ligne(sortie, "data/fiches/essai.yaml:2: titre : ce champ est du texte simple : un lien n'y serait pas cliquable")


@pytest.mark.parametrize("adresse,ok", [
    ("https://www.exemple.fr", True), ("mailto:contact@exemple.fr", True),
    ("mailto:contact@exemple.fr?subject=x", False), ("https://moi@exemple.fr", False),
    ("javascript:alert(1)", False), ("https://exemple.fr/\u202e", False),
])
def test_adresse_du_site_meme_regle(tmp_path, adresse, ok):
    fiche = remplacer("  type: association\n", f'  type: association\n  site: "{adresse}"\n')
    sortie = valider(tmp_path, {"essai.yaml": fiche})
    assert sortie.code == (0 if ok else 1), sortie.stdout


def test_schema_et_regle_un_seul_motif():
    """The fiche schema's « lien » pattern (read by editors) is the rule of regles.py."""
    import json

    schema = json.loads((ROOT / "schemas" / "fiche.schema.json").read_text(encoding="utf-8"))
    assert schema["$defs"]["lien"]["pattern"] == regles.MOTIF_LIEN
    assert schema["$defs"]["date"]["pattern"] == regles.MOTIF_DATE
    assert schema["properties"]["id"]["pattern"] == regles.SLUG
    criteres = json.loads((ROOT / "schemas" / "criteres.schema.json").read_text(encoding="utf-8"))
    assert criteres["properties"]["referentiel"]["properties"]["mise_a_jour"]["pattern"] == regles.MOTIF_JOUR


# ---------------------------------------------------------------------------
# 5. Dates that exist

DATES = [
    ("action.debut", "  resume: Une action imaginaire pour tester le validateur.\n",
     "  resume: Une action imaginaire pour tester le validateur.\n  debut: 2015-02-30\n", 9, "2015-02-30"),
    ("action.fin", "  resume: Une action imaginaire pour tester le validateur.\n",
     "  resume: Une action imaginaire pour tester le validateur.\n  fin: \"2015-04-31\"\n", 9, "2015-04-31"),
    ("mise_a_jour", "        source: feuilles d'émargement\n",
     "        source: feuilles d'émargement\nmise_a_jour: 2014-02-29\n", 16, "2014-02-29"),
    ("sources[0].date", "        source: feuilles d'émargement\n",
     "        source: feuilles d'émargement\nsources:\n  - titre: Un rapport\n    date: 2015-06-31\n",
     18, "2015-06-31"),
    ("historique[0].date", "        source: feuilles d'émargement\n",
     "        source: feuilles d'émargement\nhistorique:\n  - date: 2015-09-31\n    auteur: moi\n"
     "    modification: création\n", 17, "2015-09-31"),
]


@pytest.mark.parametrize("champ,ancien,nouveau,ligne,date", DATES, ids=[d[0] for d in DATES])
def test_date_qui_n_existe_pas(tmp_path, champ, ancien, nouveau, ligne, date):
    sortie = valider(tmp_path, {"essai.yaml": remplacer(ancien, nouveau)})
    assert sortie.code == 1
    une_ligne(sortie, f"data/fiches/essai.yaml:{ligne}: {champ} : le {date} n'existe pas dans le calendrier")
    assert len(sortie.lignes) == 1, sortie.stdout  # one message, not a pattern error too


def test_29_fevrier_bissextile_accepte(tmp_path):
    fiche = remplacer("        source: feuilles d'émargement\n",
                      "        source: feuilles d'émargement\nmise_a_jour: 2016-02-29\n")
    assert valider(tmp_path, {"essai.yaml": fiche}).code == 0


# ---------------------------------------------------------------------------
# 6. Ids that work everywhere


@pytest.mark.parametrize("nom", ["con", "aux", "nul", "prn", "com1", "com9", "lpt1", "lpt9", "com0"])
def test_noms_reserves_de_windows(tmp_path, nom):
    sortie = valider(tmp_path, {f"{nom}.yaml": remplacer("id: essai", f"id: {nom}")})
    assert sortie.code == 1
    une_ligne(sortie, f"data/fiches/{nom}.yaml:1: id : « {nom} » est un nom réservé par Windows",
              f"renommez le fichier en « {nom}-fiche.yaml »")


@pytest.mark.parametrize("nom", ["index", "readme"])
def test_noms_des_pages_du_site(tmp_path, nom):
    sortie = valider(tmp_path, {f"{nom}.yaml": remplacer("id: essai", f"id: {nom}")})
    assert sortie.code == 1
    une_ligne(sortie, f"data/fiches/{nom}.yaml:1: id : « {nom} » est le nom d'une page du site sous fiches/")


def test_noms_proches_acceptes(tmp_path):
    fiches = {f"{n}.yaml": remplacer("id: essai", f"id: {n}") for n in ("con-quartier", "auxiliaires", "index-2")}
    fiches = {k: v.replace("Atelier d'essai", k) for k, v in fiches.items()}
    assert valider(tmp_path, fiches).code == 0


@pytest.mark.parametrize("titre,slug", [
    ("Cœur de quartier", "coeur-de-quartier"), ("Ægir & Œuvre", "aegir-oeuvre"),
    ("Straße der Medien", "strasse-der-medien"), ("Łódź, ça va", "lodz-ca-va"),
    ("Con", "con-fiche"), ("Index", "index-fiche"), ("L'atelier « numérique »", "l-atelier-numerique"),
])
def test_identifiant_tire_du_titre(tmp_path, titre, slug):
    assert regles.slugifier(titre) == slug
    creer_donnees(tmp_path)
    sortie = cli("nouvelle-fiche", "--titre", titre, "--acteur", "Association", "--type", "association",
                 "--resume", "Un atelier chaque mercredi.", "--critere", "VE2", "--indicateur", "VE2.1",
                 "--constats", "VE2=Des habitants se parlent.", "--valeur", "VE2.1=14", cwd=tmp_path)
    assert sortie.code == 0, sortie.stderr
    assert sortie.stdout.startswith(f"Fiche créée : data/fiches/{slug}.yaml (valide).")


# ---------------------------------------------------------------------------
# 7. Bounded cost: what would make Markdown super-linear (or crash it) is refused

COUTEUX = [
    # (text, what the message says) ; each text fits in a long text (5000 characters)
    ("[\\]" * 1600, "crochet « [ » sans « ] » proche"),
    ("[" * 4000, "crochet « [ » sans « ] » proche"),
    ("![" * 2000, "crochet « [ » sans « ] » proche"),
    ("[`]`" * 1200, "crochet « [ » sans « ] » proche"),
    ("[a [b] c](https://exemple.org)", "crochet « [ » sans « ] » proche"),
    ("[a](http://x(" * 350, "adresse entre parenthèses ne se ferme pas"),
    ("[un lien](https://exemple.org/" + "a" * 600 + ")", "adresse entre parenthèses ne se ferme pas"),
    ("- " * 499 + "a", "plus de 6 marqueurs de liste ou de citation"),
    ("> " * 2000 + "a", "plus de 6 marqueurs de liste ou de citation"),
    ("1. " * 600 + "a", "plus de 6 marqueurs de liste ou de citation"),
    ("***\n" * 25, "plus de 20 lignes de séparation"),
    ("a\n---\n" * 25, "plus de 20 lignes de séparation"),
    ("a\n[x]: https://exemple.org\n" * 25, "plus de 20 lignes de séparation"),
    ("a\n\n" * 1000, "plus de 150 lignes dans un même texte"),
    ("- " * 6 + "a\n" * 200, "plus de 150 lignes dans un même texte"),
    (("- " * 6 + "a" * 21 + "\n") * 140, "plus de 150 marqueurs de liste ou de citation"),
    ("- a\n  - b\n" * 76, "plus de 150 marqueurs de liste ou de citation"),
    ("``a`" * 1250, "plus de 200 marques de mise en forme"),
    ("`a" * 2500, "plus de 200 marques de mise en forme"),
    ("Du **gras** partout. " * 60, "plus de 200 marques de mise en forme"),
    ("[a](https://x.fr)" * 250, "plus de 200 marques de mise en forme"),
]


@pytest.mark.parametrize("texte,message", COUTEUX, ids=[repr(c[0][:12]) for c in COUTEUX])
def test_texte_trop_couteux_refuse(tmp_path, texte, message):
    import json

    fiche = remplacer("    constats: Les participants osent davantage poser des questions.\n",
                      f"    constats: {json.dumps(texte)}\n")
    sortie = valider(tmp_path, {"essai.yaml": fiche})
    assert sortie.code == 1, sortie.stdout
    une_ligne(sortie, "data/fiches/essai.yaml:11: contributions[0].constats : ", message,
              "simplifiez" if "6 marqueurs" in message else "mettre en page")


def test_markdown_ordinaire_accepte(tmp_path):
    """What contributors write: bold, lists, links, separators, [sic], [1], a lone \\[."""
    texte = ("Un **atelier** chaque mercredi [sic] avec des notes [1] et [2].\n\n"
             "- le courriel ;\n- les démarches ;\n  - en ligne ;\n\n----\n\n"
             "Voir [le bilan](https://www.exemple.org/bilan_(2015)) et <contact@exemple.fr>.\n\n"
             "Un crochet seul \\[ et « *** » dans le texte !!! ???\n\n***\n\n> Une citation\n> - avec une liste")
    fiche = remplacer("    constats: Les participants osent davantage poser des questions.\n",
                      "    constats: " + _bloc(texte))
    sortie = valider(tmp_path, {"essai.yaml": fiche})
    assert sortie.code == 0, sortie.stdout


def test_toutes_les_donnees_livrees_passent_la_borne():
    from referentiel.lecture import charger

    assert charger(ROOT / "data").ok


def test_un_titre_reste_libre(tmp_path):
    """The bound is on Markdown texts: a one-line plain text is not rendered as Markdown."""
    assert regles.probleme_cout("[") is not None
    fiche = remplacer("titre: Atelier d'essai", 'titre: "Atelier [débutants"')
    assert valider(tmp_path, {"essai.yaml": fiche}).code == 0


# ---------------------------------------------------------------------------
# 9. The command-line tools never crash, never leave a file behind

OPTIONS = ["--acteur", "Association", "--type", "association", "--resume", "Un atelier chaque mercredi.",
           "--critere", "VE2", "--indicateur", "VE2.1", "--constats", "VE2=Des habitants se parlent.",
           "--valeur", "VE2.1=14"]


def _nouvelle(tmp_path, args: list, entree: bytes | None = None):
    exe = Path(sys.executable).with_name("referentiel")
    p = subprocess.run([str(exe), "nouvelle-fiche", *args], cwd=tmp_path, input=entree, capture_output=True,
                       env=env_sans_ci(), timeout=120)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def _rien_laisse(tmp_path):
    assert sorted(p.name for p in (tmp_path / "data" / "fiches").iterdir()) == []


@pytest.mark.parametrize("option", ["--titre", "--acteur", "--ville", "--id"])
def test_option_qui_n_est_pas_de_l_utf8(tmp_path, option):
    creer_donnees(tmp_path)
    args = ["--titre", "Atelier", *OPTIONS]
    if option in args:
        args[args.index(option) + 1] = b"Atelier \xff\xfe"
    else:
        args += [option, b"Brest \xe9"]
    code, out, err = _nouvelle(tmp_path, args)
    assert code == 1, out + err
    assert "Traceback" not in err
    assert err.startswith(f"Fiche non créée : {option} : ce n'est pas du texte UTF-8 (octet 0x")
    _rien_laisse(tmp_path)


def test_reponse_qui_n_est_pas_de_l_utf8(tmp_path, monkeypatch):
    creer_donnees(tmp_path)
    entree = b"Atelier \xff du mardi\nAtelier du mardi\n\n"
    # A terminal that decodes strictly: a French stop, no traceback.
    monkeypatch.setenv("PYTHONIOENCODING", "utf-8:strict")
    code, out, err = _nouvelle(tmp_path, ["--interactif", *OPTIONS], entree=entree)
    assert code == 1 and "Traceback" not in err
    assert "Fiche non créée : réponse illisible : ce n'est pas du texte UTF-8" in err
    _rien_laisse(tmp_path)
    # One that keeps the bytes (Python's UTF-8 mode): the question is asked again.
    monkeypatch.setenv("PYTHONIOENCODING", "utf-8:surrogateescape")
    code, out, err = _nouvelle(tmp_path, ["--interactif", *OPTIONS], entree=entree)
    assert code == 0, err
    assert "Réponse refusée : ce n'est pas du texte UTF-8 (octet 0xFF)" in out


def test_reponse_avec_caractere_de_controle_redemandee(tmp_path):
    creer_donnees(tmp_path)
    code, out, err = _nouvelle(tmp_path, ["--interactif", *OPTIONS],
                               entree="Atelier \x1b[A du mardi\nAtelier du mardi\n\n".encode())
    assert code == 0, err
    assert "Réponse refusée : caractère de contrôle U+001B interdit" in out
    assert "\x1b" not in out
    assert (tmp_path / "data" / "fiches" / "atelier-du-mardi.yaml").is_file()


@pytest.mark.parametrize("valeur,code_point", [("Brest\u202e", "U+202E"), ("Brest\x07", "U+0007"),
                                                ("Brest\u200b", "U+200B")])
def test_option_avec_caractere_refuse(tmp_path, valeur, code_point):
    creer_donnees(tmp_path)
    code, out, err = _nouvelle(tmp_path, ["--titre", "Atelier", *OPTIONS, "--ville", valeur])
    assert code == 1
    assert err.startswith("Fiche non créée : --ville : ") and code_point in err
    _rien_laisse(tmp_path)


def test_identifiant_reserve_refuse_par_nouvelle_fiche(tmp_path):
    creer_donnees(tmp_path)
    code, out, err = _nouvelle(tmp_path, ["--titre", "Atelier", "--id", "aux", *OPTIONS])
    assert code == 1
    assert "identifiant non permis : « aux » est un nom réservé par Windows" in err
    _rien_laisse(tmp_path)


def test_ecriture_interrompue_ne_laisse_rien(tmp_path, monkeypatch):
    """Interrupted between writing and checking (Ctrl+C): no fiche, no temporary file."""
    from referentiel import nouvelle_fiche
    from referentiel.nouvelle_fiche import Reponses, creer

    creer_donnees(tmp_path)
    vrai_charger = nouvelle_fiche.charger
    appels = []

    def charger_interrompu(*args, **kwargs):
        appels.append(kwargs)
        if kwargs.get("fiches"):
            raise KeyboardInterrupt
        return vrai_charger(*args, **kwargs)

    monkeypatch.setattr(nouvelle_fiche, "charger", charger_interrompu)
    r = Reponses(titre="Atelier", acteur_nom="Association", acteur_type="association",
                 resume="Un atelier chaque mercredi.", criteres=["VE2"], indicateurs=["VE2.1"],
                 constats={"VE2": "Des habitants se parlent."}, valeurs={"VE2.1": "14"})
    with pytest.raises(KeyboardInterrupt):
        creer(r, tmp_path / "data", None)
    assert len(appels) == 2
    _rien_laisse(tmp_path)
