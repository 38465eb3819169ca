"""``referentiel version nouvelle X.Y``: release the référentiel's changes as a new version.

The maintainer edits ``data/criteres.yaml`` (adds an item with a free
number, rewords one, retires one with ``retire: {version, remplace_par}``),
then runs this. It compares the file with the last released snapshot, refuses
what the validator would refuse (an id lost or reused, a retirement that
names another version), then:

- sets ``referentiel.version``, ``referentiel.date_version`` and
  ``referentiel.mise_a_jour`` in ``criteres.yaml`` (only those lines change);
- writes the snapshot ``data/versions/X.Y.yaml``;
- appends the version's entry to ``data/versions/changements.yaml``, with
  each change found and « À compléter » where the maintainer writes the
  summary and the reasons: ``referentiel valider`` refuses the entry until
  they are written.

The first snapshot of a folder without history is made the same way.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from .lecture import checks
from .lecture.fichiers import TAILLE_MAX_CRITERES, lire_fichier, nom_affiche
from .lecture.messages_schema import problemes_schema
from .lecture.problems import Probleme
from .lecture.versions import CHANGEMENTS, DOSSIER_VERSIONS, _continuite, _lire_instantanes
from .modele.versions import A_COMPLETER, Ecart, cle_version, comparer, elements
from .render import aujourdhui

_VERSION = re.compile(r"[0-9]+(\.[0-9]+){1,2}")

ENTETE_JOURNAL = """\
# yaml-language-server: $schema=../../schemas/changements.schema.json
#
# Journal des versions du référentiel : pour chaque version publiée, sa date, son résumé
# et chacun de ses changements (ajout, modification d'un libellé, d'une définition ou de
# la collecte, retrait), avec sa raison et, pour un retrait, ce qui remplace l'élément.
# « referentiel version nouvelle X.Y » prépare l'entrée d'une nouvelle version ; la
# vérification refuse un changement absent de ce journal (voir CONTRIBUTING.md).

versions:
"""


@dataclass
class Publication:
    """What ``nouvelle_version`` did: the files written, the changes, or the problems."""

    problemes: list[Probleme]
    ecarts: list[Ecart]
    fichiers: list[Path]


def _yaml_texte(texte: str, retrait: str) -> str:
    """A YAML folded block scalar (``>-``), indented: any text, no escaping."""
    return ">-\n" + "\n".join(retrait + ligne for ligne in texte.splitlines())


def _entree(version: str, date: str, ecarts: list[Ecart]) -> str:
    lignes = [f'\n  - version: "{version}"', f'    date: "{date}"',
              "    resume: " + _yaml_texte(f"{A_COMPLETER} : ce que cette version change, en quelques phrases.",
                                          "      ")]
    if not ecarts:
        lignes.append("    changements: []")
    else:
        lignes.append("    changements:")
    for e in ecarts:
        lignes.append(f"      - id: {e.id}")
        lignes.append(f"        nature: {e.nature}")
        if e.champs:
            lignes.append("        champs: [" + ", ".join(e.champs) + "]")
        if e.nature == "retrait" and e.apres is not None and e.apres.remplace_par:
            lignes.append("        remplace_par: [" + ", ".join(e.apres.remplace_par) + "]")
        quoi = {"ajout": "pourquoi cet élément est ajouté",
                "modification": "pourquoi ce texte change",
                "retrait": "pourquoi cet élément est retiré"}[e.nature]
        lignes.append("        raison: " + _yaml_texte(f"{A_COMPLETER} : {quoi}.", "          "))
    return "\n".join(lignes) + "\n"


def _remplacer_ligne(lignes: list[str], numero: int, cle: str, valeur: str) -> None:
    """Line ``numero`` (1-based) holds ``cle: ...``: its value becomes ``valeur`` (quoted)."""
    ancienne = lignes[numero - 1]
    m = re.match(rf"^(\s*{cle}:\s*)", ancienne)
    if m is None:
        raise ValueError(f"ligne {numero} : « {cle}: » attendu")
    fin = "\n" if ancienne.endswith("\n") else ""
    lignes[numero - 1] = f'{m.group(1)}"{valeur}"{fin}'


def nouvelle_version(dossier: Path, version: str, date: str | None = None) -> Publication:
    """Release ``dossier/criteres.yaml`` as ``version``; writes nothing if a problem is found."""
    criteres = dossier / "criteres.yaml"
    nom = nom_affiche(criteres)
    date = date or aujourdhui()
    if not _VERSION.fullmatch(version):
        return Publication([Probleme(nom, 1, "", f"« {version} » n'est pas un numéro de version : écrivez "
                                     "par exemple 1.1 ou 2.0")], [], [])
    doc, problemes = lire_fichier(criteres, TAILLE_MAX_CRITERES)
    if doc is None:
        return Publication(problemes, [], [])
    problemes = problemes_schema(doc, "criteres", nom) + checks.check_textes(doc, nom, "criteres") \
        + checks.check_ids_criteres(doc, nom)
    if problemes:
        return Publication(sorted(problemes), [], [])
    base = dossier / DOSSIER_VERSIONS
    instantanes, problemes = _lire_instantanes(base) if base.is_dir() else ({}, [])
    if problemes:
        return Publication(problemes, [], [])
    actuel = elements(doc.data)
    precedentes = sorted(instantanes, key=cle_version)
    derniere = precedentes[-1] if precedentes else None
    ecarts: list[Ecart] = []
    if derniere is not None:
        if cle_version(version) <= cle_version(derniere):
            return Publication([Probleme(nom, doc.ligne(("referentiel", "version")), "referentiel.version",
                                         f"la version {version} doit suivre la dernière version publiée, "
                                         f"{derniere}")], [], [])
        publie = elements(instantanes[derniere][0].data)
        problemes = _continuite(publie, actuel, derniere, doc, nom)
        ecarts = comparer(publie, actuel)
        if not ecarts and not problemes:
            problemes.append(Probleme(nom, 1, "", f"rien n'a changé depuis la version {derniere} : modifiez "
                                      "d'abord les critères ou les indicateurs"))
        for e in ecarts:
            if e.nature == "retrait" and e.apres is not None and e.apres.retire != version:
                problemes.append(Probleme(nom, doc.ligne(e.apres.chemin + ("retire", "version")), "retire.version",
                                          f"« {e.id} » est retiré dans la version {version} : écrivez "
                                          f"« version: \"{version}\" »"))
    else:
        # The first snapshot: what is retired was retired before any history.
        problemes = [Probleme(nom, doc.ligne(e.chemin + ("retire", "version")), "retire.version",
                              f"« {e.id} » ne peut pas être retiré dans la première version publiée")
                     for e in actuel.values() if e.retire]
    if problemes:
        return Publication(problemes, ecarts, [])

    # criteres.yaml: its version and the version's date (added after the version if absent).
    texte = criteres.read_text(encoding="utf-8")
    lignes = texte.splitlines(keepends=True)
    ligne_v = doc.ligne(("referentiel", "version"))
    _remplacer_ligne(lignes, ligne_v, "version", version)
    meta = doc.data.get("referentiel") or {}
    # The framework changed on that date: its last update is the version's date.
    if "mise_a_jour" in meta:
        _remplacer_ligne(lignes, doc.ligne(("referentiel", "mise_a_jour")), "mise_a_jour", date)
    if "date_version" in meta:
        _remplacer_ligne(lignes, doc.ligne(("referentiel", "date_version")), "date_version", date)
    else:
        retrait = re.match(r"^(\s*)", lignes[ligne_v - 1]).group(1)
        lignes.insert(ligne_v, f'{retrait}date_version: "{date}"\n')
    nouveau = "".join(lignes)

    base.mkdir(exist_ok=True)
    instantane = base / f"{version}.yaml"
    entete = (f"# Instantané de data/criteres.yaml tel que publié en version {version}. Ne pas modifier :\n"
              "# il sert à vérifier qu'aucun identifiant publié ne disparaît ni ne change de sens.\n#\n")
    copie = nouveau.replace("$schema=../schemas/", "$schema=../../schemas/", 1)
    journal = base / CHANGEMENTS
    ancien_journal = journal.read_text(encoding="utf-8") if journal.exists() else ENTETE_JOURNAL
    if not ancien_journal.endswith("\n"):
        ancien_journal += "\n"
    for chemin, contenu in ((criteres, nouveau), (instantane, entete + copie),
                            (journal, ancien_journal + _entree(version, date, ecarts))):
        temporaire = chemin.with_name(f".{chemin.name}.tmp")
        temporaire.write_text(contenu, encoding="utf-8")
        os.replace(temporaire, chemin)
    return Publication([], ecarts, [criteres, instantane, journal])
