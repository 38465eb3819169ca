"""The référentiel's versions: a published id never disappears, and every
change of wording is in the changelog. Checked, not left to care.

``data/versions/<X.Y>.yaml`` is the snapshot of ``criteres.yaml`` as version
X.Y was released (same format); ``data/versions/changements.yaml`` gives, for
each released version, its date, a summary and its changes (added, changed,
retired: with the reason and, for a retired item, its replacement). A fresh
clone, or a CI run without git history, can compare them.

Refused, with the file, the line and the id:

- the current version (``referentiel.version``) without its snapshot, or a
  ``date_version`` other than its changelog's date;
- the current data different from its version's snapshot (a change is
  released as a new version: ``referentiel version nouvelle X.Y``);
- a published id missing from a later version (it is retired, not deleted);
- an id reused with another meaning (another kind, parent or type);
- a change of wording, or a retirement, with no entry for that id in that
  version's changelog; an entry naming no such change; a summary or a
  reason still « À compléter ».

A data folder without ``versions/`` has no history yet (a trial, another
territory starting its own référentiel): these rules apply from its first
snapshot on. The shipped data has one (tests/test_versions.py).
"""

from __future__ import annotations

import re
from pathlib import Path

from ..modele.versions import (
    A_COMPLETER,
    CHAMPS_FR,
    NATURES,
    Changement,
    Element,
    VersionPubliee,
    cle_version,
    comparer,
    elements,
)
from . import checks
from .fichiers import TAILLE_MAX_CRITERES, lire_fichier, nom_affiche
from .messages_schema import problemes_schema
from .problems import Probleme
from .yamlio import Document

DOSSIER_VERSIONS = "versions"
CHANGEMENTS = "changements.yaml"
_NOM_VERSION = re.compile(r"[0-9]+(\.[0-9]+){1,2}")


def _sens(a: Element, b: Element) -> str | None:
    """How an id's meaning changed from ``a`` to ``b``, if it did."""
    if a.nature != b.nature:
        return f"c'était {NATURES[a.nature]}, c'est maintenant {NATURES[b.nature]}"
    if a.parent != b.parent:
        return (f"{NATURES[a.nature]} était rattaché à {a.parent}, il l'est maintenant à {b.parent}")
    if a.type != b.type:
        return f"l'indicateur était de type « {a.type} », il est maintenant de type « {b.type} »"
    if a.retire and not b.retire:
        return f"{NATURES[a.nature]} retiré en version {a.retire} est redevenu actif"
    return None


def _continuite(avant: dict[str, Element], apres: dict[str, Element], version: str,
                doc: Document, nom: str) -> list[Probleme]:
    """Every id of ``avant`` (version ``version``) is still in ``apres``, with
    the same meaning; the replacements named in ``apres`` exist and are not retired."""
    out = []
    for ident, a in avant.items():
        b = apres.get(ident)
        if b is None:
            # Its line: that of its parent, where it was (the file's first line for a dimension).
            parent = apres.get(a.parent) if a.parent else None
            ligne = doc.ligne(parent.chemin + ("id",)) if parent else 1
            sous = f" sous {a.parent}" if a.parent else ""
            out.append(Probleme(nom, ligne, "id", f"« {ident} », publié en version {version}{sous}, a disparu : un "
                                "identifiant publié ne se supprime ni ne se renumérote ; gardez-le avec son "
                                "texte et retirez-le (champ « retire »)"))
            continue
        sens = _sens(a, b)
        if sens:
            out.append(Probleme(nom, doc.ligne(b.chemin + ("id",)), "id",
                                f"« {ident} » réutilisé avec un autre sens ({sens}) : un identifiant publié garde "
                                "son sens ; donnez au nouvel élément un numéro libre"))
    for ident, b in apres.items():
        for r in b.remplace_par:
            if r not in apres or apres[r].retire:
                quoi = "n'existe pas" if r not in apres else "est lui-même retiré"
                out.append(Probleme(nom, doc.ligne(b.chemin + ("retire", "remplace_par")), "retire.remplace_par",
                                    f"« {ident} » est remplacé par « {r} », qui {quoi}"))
    return out


def _lire_instantanes(base: Path) -> tuple[dict[str, tuple[Document, str]], list[Probleme]]:
    problemes: list[Probleme] = []
    instantanes: dict[str, tuple[Document, str]] = {}
    for chemin in sorted(base.glob("*.yaml")):
        if chemin.name == CHANGEMENTS:
            continue
        nom = nom_affiche(chemin)
        version = chemin.name[: -len(".yaml")]
        if not _NOM_VERSION.fullmatch(version):
            problemes.append(Probleme(nom, 1, "", "nom de fichier inattendu : un instantané porte le numéro de "
                                      "sa version, par exemple « 1.0.yaml »"))
            continue
        doc, probs = lire_fichier(chemin, TAILLE_MAX_CRITERES)
        problemes += probs
        if doc is None:
            continue
        probs = problemes_schema(doc, "criteres", nom) + checks.check_ids_criteres(doc, nom)
        if probs:
            problemes += probs
            continue
        dite = (doc.data.get("referentiel") or {}).get("version")
        if dite != version:
            problemes.append(Probleme(nom, doc.ligne(("referentiel", "version")), "referentiel.version",
                                      f"l'instantané de la version {version} porte le numéro « {dite} »"))
            continue
        instantanes[version] = (doc, nom)
    return instantanes, problemes


def _lire_journal(chemin: Path) -> tuple[dict[str, tuple[dict, int, tuple[Changement, ...]]], list[Probleme]]:
    nom = nom_affiche(chemin)
    if not chemin.exists():
        return {}, [Probleme(nom, 1, "", "journal des versions introuvable : il donne, pour chaque version "
                             "publiée, sa date, son résumé et ses changements")]
    doc, problemes = lire_fichier(chemin, TAILLE_MAX_CRITERES)
    if doc is None:
        return {}, problemes
    probs = problemes_schema(doc, "changements", nom)
    if probs:
        return {}, problemes + probs
    journal: dict[str, tuple[dict, int, tuple[Changement, ...]]] = {}
    for i, v in enumerate(doc.data["versions"]):
        ligne = doc.ligne(("versions", i, "version"))
        if v["version"] in journal:
            problemes.append(Probleme(nom, ligne, "version", f"la version {v['version']} a déjà une entrée"))
            continue
        if A_COMPLETER in v["resume"]:
            problemes.append(Probleme(nom, doc.ligne(("versions", i, "resume")), "resume",
                                      f"le résumé de la version {v['version']} est à compléter"))
        changements = []
        for k, c in enumerate(v.get("changements") or []):
            raison = c.get("raison")
            if raison and A_COMPLETER in raison:
                problemes.append(Probleme(nom, doc.ligne(("versions", i, "changements", k, "raison")), "raison",
                                          f"la raison du changement de « {c['id']} » est à compléter"))
            changements.append(Changement(c["id"], c["nature"], raison, tuple(c.get("champs") or ()),
                                          tuple(c.get("remplace_par") or ()),
                                          doc.ligne(("versions", i, "changements", k, "id"))))
        journal[v["version"]] = (v, ligne, tuple(changements))
    return journal, problemes


def _entre_versions(avant: str, apres: str, ea: dict[str, Element], eb: dict[str, Element],
                    doc: Document, nom: str, changements: tuple[Changement, ...], nom_journal: str) -> list[Probleme]:
    """From one released version to the next: every change has its changelog entry, and back."""
    out = _continuite(ea, eb, avant, doc, nom)
    notes: dict[tuple[str, str], Changement] = {}
    for c in changements:
        if (c.id, c.nature) in notes:
            out.append(Probleme(nom_journal, c.ligne, "id", f"« {c.id} » a déjà une entrée « {c.nature} » "
                                f"dans la version {apres} (ligne {notes[(c.id, c.nature)].ligne})"))
        else:
            notes[(c.id, c.nature)] = c
    for e in comparer(ea, eb):
        ligne = doc.ligne(e.apres.chemin + ("id",))
        c = notes.pop((e.id, e.nature), None)
        if e.nature == "modification" and c is None:
            champs = ", ".join(CHAMPS_FR[x] for x in e.champs)
            out.append(Probleme(nom, ligne, "id", f"« {e.id} » : texte modifié ({champs}) en version {apres} "
                                f"sans entrée « modification » dans {nom_journal}"))
        elif e.nature == "retrait":
            if c is None:
                out.append(Probleme(nom, ligne, "id", f"« {e.id} » retiré en version {apres} sans entrée "
                                    f"« retrait » (avec sa raison) dans {nom_journal}"))
            elif c.raison is None:
                out.append(Probleme(nom_journal, c.ligne, "raison", f"le retrait de « {e.id} » doit dire pourquoi"))
            if e.apres.retire != apres:
                out.append(Probleme(nom, doc.ligne(e.apres.chemin + ("retire", "version")), "retire.version",
                                    f"« {e.id} » est retiré dans la version {apres} : écrivez "
                                    f"« version: \"{apres}\" »"))
    for (ident, nature), c in notes.items():
        out.append(Probleme(nom_journal, c.ligne, "id", f"« {ident} » : pas de changement « {nature} » entre "
                            f"les versions {avant} et {apres}"))
    return out


def lire_historique(dossier: Path, courant: Document,
                    fichier_courant: str) -> tuple[list[VersionPubliee] | None, list[Probleme]]:
    """Read and check ``dossier/versions/`` against the current
    ``criteres.yaml`` (``courant``, read and valid): the released versions,
    oldest first (``None`` when there is no such folder), and the problems."""
    base = dossier / DOSSIER_VERSIONS
    if not base.is_dir():
        return None, []
    instantanes, problemes = _lire_instantanes(base)
    journal, probs = _lire_journal(base / CHANGEMENTS)
    problemes += probs
    nom_journal = nom_affiche(base / CHANGEMENTS)

    for version, (_v, ligne, _c) in journal.items():
        if version not in instantanes:
            problemes.append(Probleme(nom_journal, ligne, "version", f"la version {version} n'a pas "
                                      f"d'instantané ({DOSSIER_VERSIONS}/{version}.yaml)"))
    if journal:
        for version, (_doc, nom) in instantanes.items():
            if version not in journal:
                problemes.append(Probleme(nom, 1, "", f"la version {version} n'a pas d'entrée dans {nom_journal}"))
    ordre = sorted(set(instantanes) & set(journal), key=cle_version)

    # The current data is a released version, as it was released.
    meta = courant.data.get("referentiel") or {}
    version = meta.get("version")
    ligne_v = courant.ligne(("referentiel", "version"))
    if version not in instantanes:
        derniere = ordre[-1] if ordre else None
        problemes.append(Probleme(
            fichier_courant, ligne_v, "referentiel.version",
            f"la version {version} n'a pas d'instantané ({DOSSIER_VERSIONS}/{version}.yaml) : lancez "
            f"« referentiel version nouvelle {version} »"
            + (f" pour publier ce qui a changé depuis la version {derniere}" if derniere else "")))
    else:
        publie, actuel = elements(instantanes[version][0].data), elements(courant.data)
        problemes += _continuite(publie, actuel, version, courant, fichier_courant)
        for e in comparer(publie, actuel):
            if e.nature == "modification":
                champs = ", ".join(CHAMPS_FR[c] for c in e.champs)
                quoi = f": texte modifié ({champs}) depuis la publication de la version {version}"
            else:
                quoi = ("ajouté" if e.nature == "ajout" else "retiré") + \
                    f" depuis la publication de la version {version}"
            problemes.append(Probleme(
                fichier_courant, courant.ligne(e.apres.chemin + ("id",)), "id",
                f"« {e.id} » {quoi} : publiez ce changement dans une nouvelle version (referentiel version "
                "nouvelle X.Y), ou rétablissez le texte publié"))
        date = meta.get("date_version")
        attendue = journal[version][0]["date"] if version in journal else None
        if attendue and date != attendue:
            problemes.append(Probleme(fichier_courant, courant.ligne(("referentiel", "date_version"))
                                      if date else ligne_v, "referentiel.date_version",
                                      f"la version {version} date du {attendue} (journal des versions) : "
                                      f"écrivez « date_version: \"{attendue}\" »"))

    for avant, apres in zip(ordre, ordre[1:]):
        doc, nom = instantanes[apres]
        problemes += _entre_versions(avant, apres, elements(instantanes[avant][0].data), elements(doc.data),
                                     doc, nom, journal[apres][2], nom_journal)
    versions = [VersionPubliee(v, journal[v][0]["date"], journal[v][0]["resume"], journal[v][2],
                               instantanes[v][0].data, instantanes[v][1]) for v in ordre]
    return versions, problemes
