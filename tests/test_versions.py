"""Versions of the référentiel: a published id never disappears nor changes
meaning, every change is in the changelog, and the validator says so.

The CLI as a maintainer uses it (``referentiel valider``, ``referentiel
version nouvelle``): its messages (file, line, id) and exit codes. The
fixture 1.1 (``conftest.creer_version_suivante``) adds VE2.4, rewords
EP1.1 and retires VE2.3 (replaced by VE2.4), which the shipped fiche
« intergeneration » still reports.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml
from conftest import DATE_SUIVANTE, ROOT, cli, creer_donnees, creer_version_suivante

from referentiel.modele.versions import elements


def ligne_de(chemin: Path, motif: str, apres: str | None = None) -> int:
    """The 1-based line of the first line matching ``motif`` (after the one matching ``apres``)."""
    lignes = chemin.read_text(encoding="utf-8").splitlines()
    debut = 0
    if apres is not None:
        debut = next(n for n, l in enumerate(lignes) if re.search(apres, l)) + 1
    return next(n + 1 for n, l in enumerate(lignes[debut:], debut) if re.search(motif, l))


def donnees_1_1(tmp_path: Path) -> Path:
    data = creer_donnees(tmp_path, avec_fiches_livrees=True)
    return creer_version_suivante(data)


def valider(tmp_path: Path, *args: str):
    return cli("valider", "data", *args, cwd=tmp_path)


def test_les_donnees_livrees_ont_leur_version_publiee():
    """The shipped data is version 1.0, released: its snapshot is the same
    référentiel, and the changelog has its entry."""
    criteres = yaml.safe_load((ROOT / "data" / "criteres.yaml").read_text(encoding="utf-8"))
    instantane = yaml.safe_load((ROOT / "data" / "versions" / "1.0.yaml").read_text(encoding="utf-8"))
    journal = yaml.safe_load((ROOT / "data" / "versions" / "changements.yaml").read_text(encoding="utf-8"))
    assert criteres["referentiel"]["version"] == "1.0"
    # The same items with the same wording (the collection tools may improve between versions).
    assert elements(instantane) == elements(criteres)
    assert [v["version"] for v in journal["versions"]] == ["1.0"]
    assert criteres["referentiel"]["date_version"] == journal["versions"][0]["date"]
    sortie = cli("valider", cwd=ROOT)
    assert sortie.code == 0 and "Avertissement" not in sortie.stdout, sortie.stdout


def test_une_version_1_1_valide_avertit_la_fiche_qui_garde_l_indicateur_retire(tmp_path):
    donnees_1_1(tmp_path)
    sortie = valider(tmp_path)
    assert sortie.code == 0, sortie.stdout
    fiche = tmp_path / "data" / "fiches" / "intergeneration.yaml"
    ligne = ligne_de(fiche, r"- id: VE2\.3")
    assert (f"Avertissement : data/fiches/intergeneration.yaml:{ligne}: contributions[2].indicateurs[1].id : "
            "l'indicateur VE2.3 est retiré du référentiel depuis la version 1.1 ; remplacé par VE2.4 "
            "(la fiche reste valide ; à sa prochaine mise à jour, renseignez plutôt son remplaçant)") in sortie.stdout
    assert sortie.lignes[-1] == "Données valides : 4 dimensions, 14 critères, 43 indicateurs (dont 1 retiré), 7 fiches."


def test_version_nouvelle_prepare_la_version_et_valider_attend_le_journal(tmp_path):
    """The tool writes the snapshot, the version and a changelog entry with
    « À compléter »; the validator refuses it until it is written."""
    data = creer_donnees(tmp_path, avec_fiches_livrees=True)
    shutil.copytree(ROOT / "data" / "versions", data / "versions")
    criteres = data / "criteres.yaml"
    texte = criteres.read_text(encoding="utf-8")
    texte = texte.replace("libelle: Nombre de séances tenues et nombre de participants différents sur la période.",
                          "libelle: Nombre de séances tenues et de participants différents sur la période évaluée.")
    criteres.write_text(texte, encoding="utf-8")
    sortie = cli("version", "nouvelle", "1.1", "--date", DATE_SUIVANTE, cwd=tmp_path)
    assert sortie.code == 0, sortie.stdout + sortie.stderr
    assert sortie.lignes == [
        "Version 1.1 préparée (1 modification) : data/criteres.yaml, data/versions/1.1.yaml, "
        "data/versions/changements.yaml.",
        "Écrivez le résumé et chaque raison marqués « À compléter » dans data/versions/changements.yaml, "
        "puis lancez « referentiel valider ».",
    ]
    apres = yaml.safe_load(criteres.read_text(encoding="utf-8"))["referentiel"]
    assert (apres["version"], apres["date_version"]) == ("1.1", DATE_SUIVANTE)
    # Only the version, its date and the last update changed in criteres.yaml; its comments stay.
    assert criteres.read_text(encoding="utf-8").replace('version: "1.1"', 'version: "1.0"').replace(
        f'date_version: "{DATE_SUIVANTE}"', 'date_version: "2026-11-26"').replace(
        f'mise_a_jour: "{DATE_SUIVANTE}"', 'mise_a_jour: "2026-11-26"') == texte
    assert (data / "versions" / "1.1.yaml").exists()
    journal = data / "versions" / "changements.yaml"
    entree = yaml.safe_load(journal.read_text(encoding="utf-8"))["versions"][-1]
    assert entree["version"] == "1.1" and entree["changements"] == [
        {"id": "EP1.1", "nature": "modification", "champs": ["libelle"],
         "raison": "À compléter : pourquoi ce texte change."}]

    sortie = valider(tmp_path)
    assert sortie.code == 1
    ligne = ligne_de(journal, "resume: >-", apres='version: "1.1"')
    assert (f"data/versions/changements.yaml:{ligne}: "
            "resume : le résumé de la version 1.1 est à compléter") in sortie.stdout
    assert "raison : la raison du changement de « EP1.1 » est à compléter" in sortie.stdout


def test_un_identifiant_publie_ne_disparait_pas(tmp_path):
    data = creer_donnees(tmp_path, avec_fiches_livrees=False)
    criteres = data / "criteres.yaml"
    doc = yaml.safe_load(criteres.read_text(encoding="utf-8"))
    ep4 = next(c for d in doc["dimensions"] for c in d["criteres"] if c["id"] == "EP4")
    ep4["indicateurs"] = [i for i in ep4["indicateurs"] if i["id"] != "EP4.3"]
    criteres.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    shutil.copytree(ROOT / "data" / "versions", data / "versions")
    attendu = (f"data/criteres.yaml:{ligne_de(criteres, r'id: EP4$')}: id : « EP4.3 », publié en version 1.0 "
               "sous EP4, a disparu : un identifiant "
               "publié ne se supprime ni ne se renumérote ; gardez-le avec son texte et retirez-le "
               "(champ « retire »)")
    sortie = valider(tmp_path)
    assert sortie.code == 1 and attendu in sortie.stdout, sortie.stdout
    # The tool refuses to release it, and writes nothing.
    sortie = cli("version", "nouvelle", "1.1", cwd=tmp_path)
    assert sortie.code == 1 and attendu in sortie.stdout
    assert "Version 1.1 non publiée : 1 problème à corriger d'abord." in sortie.stderr
    assert not (data / "versions" / "1.1.yaml").exists()


def test_un_identifiant_publie_garde_son_sens(tmp_path):
    donnees_1_1(tmp_path)
    criteres = tmp_path / "data" / "criteres.yaml"
    texte = criteres.read_text(encoding="utf-8")
    # VE2.4 becomes an indicator of another type: same id, another meaning.
    debut = texte.index("id: VE2.4")
    fin = texte.index("type: impact", debut)
    criteres.write_text(texte[:fin] + "type: resultat" + texte[fin + len("type: impact"):], encoding="utf-8")
    sortie = valider(tmp_path)
    assert sortie.code == 1
    ligne = ligne_de(criteres, r"id: VE2\.4")
    assert (f"data/criteres.yaml:{ligne}: id : « VE2.4 » réutilisé avec un autre sens (l'indicateur était de "
            "type « impact », il est maintenant de type « resultat ») : un identifiant publié garde son sens ; "
            "donnez au nouvel élément un numéro libre") in sortie.stdout


def test_un_texte_modifie_sans_nouvelle_version_est_refuse(tmp_path):
    data = creer_donnees(tmp_path)
    shutil.copytree(ROOT / "data" / "versions", data / "versions")
    criteres = data / "criteres.yaml"
    texte = criteres.read_text(encoding="utf-8")
    criteres.write_text(texte.replace("Comptage dans un cahier de suivi tenu par l'animateur",
                                      "Comptage dans un carnet de suivi tenu par l'animateur", 1), encoding="utf-8")
    sortie = valider(tmp_path)
    assert sortie.code == 1
    assert (f"data/criteres.yaml:{ligne_de(criteres, r'id: EP2.1')}: id : « EP2.1 » : texte modifié (collecte) depuis "
            "la publication de la version 1.0 : publiez ce changement dans une nouvelle version (referentiel "
            "version nouvelle X.Y), ou rétablissez le texte publié") in sortie.stdout


def test_une_modification_absente_du_journal_est_refusee(tmp_path):
    donnees_1_1(tmp_path)
    journal = tmp_path / "data" / "versions" / "changements.yaml"
    texte = journal.read_text(encoding="utf-8")
    debut = texte.index("      - id: EP1.1")
    fin = texte.index("      - id: VE2.3")
    journal.write_text(texte[:debut] + texte[fin:], encoding="utf-8")
    sortie = valider(tmp_path)
    assert sortie.code == 1
    instantane = tmp_path / "data" / "versions" / "1.1.yaml"
    assert (f"data/versions/1.1.yaml:{ligne_de(instantane, r'id: EP1.1')}: id : « EP1.1 » : texte modifié "
            "(libellé) en version 1.1 sans entrée « modification » dans data/versions/changements.yaml") in sortie.stdout


def test_un_retrait_sans_raison_ni_entree_est_refuse(tmp_path):
    donnees_1_1(tmp_path)
    journal = tmp_path / "data" / "versions" / "changements.yaml"
    texte = journal.read_text(encoding="utf-8")
    debut = texte.index("      - id: VE2.3")
    fin = texte.index("      - id: VE2.4")
    journal.write_text(texte[:debut] + texte[fin:], encoding="utf-8")
    sortie = valider(tmp_path)
    assert sortie.code == 1
    instantane = tmp_path / "data" / "versions" / "1.1.yaml"
    assert (f"data/versions/1.1.yaml:{ligne_de(instantane, r'id: VE2.3')}: id : « VE2.3 » retiré en version 1.1 "
            "sans entrée « retrait » (avec sa raison) dans data/versions/changements.yaml") in sortie.stdout


def test_une_nouvelle_version_sans_instantane_est_refusee(tmp_path):
    data = creer_donnees(tmp_path)
    shutil.copytree(ROOT / "data" / "versions", data / "versions")
    criteres = data / "criteres.yaml"
    criteres.write_text(criteres.read_text(encoding="utf-8").replace('version: "1.0"', 'version: "1.1"', 1),
                        encoding="utf-8")
    sortie = valider(tmp_path)
    assert sortie.code == 1
    assert (f"data/criteres.yaml:{ligne_de(criteres, r'^  version:')}: referentiel.version : la version 1.1 n'a "
            "pas d'instantané (versions/1.1.yaml) : lancez « referentiel version nouvelle 1.1 » pour publier ce "
            "qui a changé depuis la version 1.0") in sortie.stdout


def test_un_retrait_doit_nommer_sa_version(tmp_path):
    data = creer_donnees(tmp_path)
    shutil.copytree(ROOT / "data" / "versions", data / "versions")
    criteres = data / "criteres.yaml"
    doc = yaml.safe_load(criteres.read_text(encoding="utf-8"))
    ve23 = next(i for d in doc["dimensions"] for c in d["criteres"] for i in c["indicateurs"] if i["id"] == "VE2.3")
    ve23["retire"] = {"version": "2.0", "remplace_par": ["VE2.9"]}
    criteres.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    sortie = cli("version", "nouvelle", "1.1", cwd=tmp_path)
    assert sortie.code == 1
    assert "retire.remplace_par : « VE2.3 » est remplacé par « VE2.9 », qui n'existe pas" in sortie.stdout
    assert "retire.version : « VE2.3 » est retiré dans la version 1.1 : écrivez « version: \"1.1\" »" in sortie.stdout
    sortie = cli("version", "nouvelle", "1.0", cwd=tmp_path)
    assert sortie.code == 1
    assert "la version 1.0 doit suivre la dernière version publiée, 1.0" in sortie.stdout


def test_la_version_d_une_fiche_est_une_version_publiee(tmp_path):
    donnees_1_1(tmp_path)
    fiche = tmp_path / "data" / "fiches" / "kerederm.yaml"
    texte = fiche.read_text(encoding="utf-8")
    fiche.write_text(texte.replace("\nhistorique:", '\nversion_referentiel: "2.0"\n\nhistorique:', 1), encoding="utf-8")
    sortie = valider(tmp_path)
    assert sortie.code == 1
    assert (f"data/fiches/kerederm.yaml:{ligne_de(fiche, 'version_referentiel')}: version_referentiel : « 2.0 » "
            "n'est pas une version publiée du référentiel (versions publiées : 1.0, 1.1)") in sortie.stdout


def test_une_entree_en_double_dans_le_journal_est_refusee(tmp_path):
    donnees_1_1(tmp_path)
    journal = tmp_path / "data" / "versions" / "changements.yaml"
    texte = journal.read_text(encoding="utf-8")
    debut = texte.index("      - id: VE2.4")
    journal.write_text(texte + texte[debut:], encoding="utf-8")
    sortie = valider(tmp_path)
    assert sortie.code == 1
    assert "id : « VE2.4 » a déjà une entrée « ajout » dans la version 1.1 (ligne" in sortie.stdout


def test_le_rapport_garde_l_element_retire_et_le_marque(tmp_path):
    """The report's framework chapter keeps a retired indicator, marked, and
    counts the items in force; its cover gives the version."""
    from pypdf import PdfReader

    from referentiel.lecture import charger
    from referentiel.sorties.pdf import ecrire_pdf, html_rapport

    ref = charger(donnees_1_1(tmp_path)).referentiel
    ecrire_pdf(html_rapport(ref, [], DATE_SUIVANTE), tmp_path / "rapport.pdf")
    lecteur = PdfReader(tmp_path / "rapport.pdf")
    texte = re.sub(r"\s+", " ", re.sub("\u2010\\s+", "", " ".join(p.extract_text() for p in lecteur.pages)))
    assert "Édition numérique · données version 1.1" in texte
    assert ("Le référentiel compte 4 dimensions, 14 critères et 42 indicateurs en vigueur ; 1 élément retiré y "
            "reste, marqué comme tel.") in texte
    assert "Retiré dans la version 1.1, remplacé par VE2.4." in texte
    assert "données version 1.1" in lecteur.metadata.subject
