"""Load and validate ``data/``: every problem is collected before stopping.

The driver of the reading-and-checking step: the framework first
(``criteres.yaml``), then every fiche against it, each one independently (on
every core when there are many), then what needs them all (duplicate ids).
The files are read by ``fichiers``; the checks are ``schemas``,
``messages_schema`` and ``checks``; the model is built by ``conversion``.
"""

from __future__ import annotations

import gc
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import checks, schemas
from ..modele.conversion import fiche_depuis_yaml, referentiel_depuis_yaml
from .fichiers import (
    TAILLE_MAX_CRITERES,
    TAILLE_MAX_FICHE,
    dossier_refuse,
    fichiers_fiches,
    lire_fichier,
    nom_affiche,
)
from .messages_schema import problemes_schema
from .versions import lire_historique
from ..modele import Fiche, Referentiel
from .problems import Probleme

# From this many fiches on, they are read on every core (each file is
# independent; only the duplicate-id check needs them all, and runs after).
SEUIL_PARALLELE = 400


@dataclass
class Resultat:
    referentiel: Referentiel | None
    problemes: list[Probleme] = field(default_factory=list)
    # Fiche files read this time (all of them, unless a cache was given).
    relus: set[str] = field(default_factory=set)
    # Valid fiches (also counted when no model is built).
    nb_fiches: int = 0
    # Shown, but the data stays valid: fiches that report a retired item.
    avertissements: list[Probleme] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problemes and self.referentiel is not None


@dataclass
class FicheLue:
    """One fiche file, read and checked (all but the duplicate-id check)."""

    fichier: str                 # as shown in messages
    data: Any                    # the YAML's data, or None if unreadable
    problemes: list[Probleme]
    ligne_id: int                # the line of its « id: »
    # What does not make it invalid (a retired indicator it still reports).
    avertissements: list[Probleme] = field(default_factory=list)


@dataclass
class Cache:
    """What ``make serve`` keeps between rebuilds: a fiche file whose
    modification time and size did not change is not read again, and the
    Fiche built from unchanged data is kept. Emptied when the framework or
    the schemas change, since fiches are checked against them."""

    contexte: tuple | None = None
    lues: dict[Path, tuple[tuple[int, int] | None, FicheLue]] = field(default_factory=dict)
    fiches: dict[int, tuple[Any, str, Fiche]] = field(default_factory=dict)

    def valider_contexte(self, cle: tuple) -> None:
        if self.contexte != cle:
            self.lues.clear()
            self.fiches.clear()
            self.contexte = cle

    def fiche(self, data: dict, fichier: str, vues: set[int]) -> Fiche:
        """The Fiche of this data, built once while the data is unchanged."""
        cle = id(data)
        deja = self.fiches.get(cle)
        if deja is None or deja[0] is not data or deja[1] != fichier:
            deja = self.fiches[cle] = (data, fichier, fiche_depuis_yaml(data, fichier))
        vues.add(cle)
        return deja[2]

    def oublier_sauf(self, vues: set[int]) -> None:
        for cle in set(self.fiches) - vues:
            del self.fiches[cle]


@dataclass(frozen=True)
class Lecteur:
    """Reads and checks one fiche file; handed as is to the worker processes.

    ``cadre``: the framework the contributions are checked against (None if
    criteres.yaml could not be read: the fiches are still checked alone).
    ``leger``: of a valid fiche, keep only its id (``referentiel valider``
    builds no model; results cross between processes much faster).
    """

    cadre: Referentiel | None = None
    leger: bool = False

    def __call__(self, path: Path) -> FicheLue:
        return self.lire(path)

    def lire(self, path: Path, lignes: bool = False) -> FicheLue:
        # A fiche is first read without the line of every value (a fifth
        # faster); if anything is wrong, it is read again with them, for the messages.
        fichier = nom_affiche(path)
        doc, probs = lire_fichier(path, TAILLE_MAX_FICHE, lignes=lignes, fichier=fichier,
                                  filtre=schemas.filtre("fiche"))
        if doc is None:
            return FicheLue(fichier, None, probs, 1)
        if not isinstance(doc.data, dict):
            return FicheLue(fichier, None, probs + [Probleme(
                fichier, 1, "", "une fiche est une suite de champs « nom: valeur » ; "
                "partez du modèle data/fiches/_modele.yaml")], 1)
        probs = problemes_schema(doc, "fiche", fichier)
        probs += checks.check_textes(doc, fichier, "fiche")
        probs += checks.check_nom_fichier(doc, fichier, path.name[: -len(".yaml")])
        avert: list[Probleme] = []
        if self.cadre is not None:
            probs += checks.check_contributions(doc, fichier, self.cadre)
            probs += checks.check_version_referentiel(doc, fichier, self.cadre)
            avert = checks.avertir_retraits(doc, fichier, self.cadre)
        if (probs or avert) and not lignes:
            return self.lire(path, lignes=True)
        probs.sort(key=lambda p: p.ligne)
        data = {"id": doc.data.get("id")} if self.leger and not probs else doc.data
        return FicheLue(fichier, data, probs, doc.ligne(("id",)), avert)


def _cle(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


def _lire_fiches(paths: list[Path], lecteur: Lecteur, cache: Cache | None, relus: set[str]) -> list[FicheLue]:
    """Every fiche, in the order given; with a cache, only the files changed on disk."""
    if cache is None:
        lues = _lire_tout(paths, lecteur)
        relus.update(lu.fichier for lu in lues)
        return lues
    cles = {p: _cle(p) for p in paths}
    a_lire = [p for p in paths if cles[p] is None or p not in cache.lues or cache.lues[p][0] != cles[p]]
    for p, lu in zip(a_lire, _lire_tout(a_lire, lecteur)):
        cache.lues[p] = (cles[p], lu)
        relus.add(lu.fichier)
    for p in set(cache.lues) - set(paths):
        del cache.lues[p]
    # Copies of the problem lists: the caller appends to them.
    return [FicheLue(lu.fichier, lu.data, list(lu.problemes), lu.ligne_id, list(lu.avertissements))
            for lu in (cache.lues[p][1] for p in paths)]


def _lire_tout(paths: list[Path], lecteur: Lecteur) -> list[FicheLue]:
    """Every fiche; on several cores (forked workers) when there are many."""
    import multiprocessing

    coeurs = min(os.cpu_count() or 1, 8)
    if (len(paths) < SEUIL_PARALLELE or coeurs <= 1
            or "fork" not in multiprocessing.get_all_start_methods()):
        return [lecteur(p) for p in paths]
    # The compiled schema checks are built once here and inherited by the workers.
    schemas.verif_rapide("fiche")
    # What the workers inherit is moved out of the collector's reach: its
    # passes would otherwise touch, and so copy, every inherited page.
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(coeurs) as pool:
            return pool.map(lecteur, paths, chunksize=max(16, len(paths) // (coeurs * 8)))
    finally:
        gc.unfreeze()


def _lire_referentiel(criteres: Path) -> tuple[Referentiel | None, list[Probleme]]:
    nom = nom_affiche(criteres)
    if not os.path.lexists(criteres):
        return None, [Probleme(nom, 1, "", "fichier du référentiel introuvable")]
    doc, problemes = lire_fichier(criteres, TAILLE_MAX_CRITERES)
    if doc is None:
        return None, problemes
    probs = problemes_schema(doc, "criteres", nom)
    probs += checks.check_textes(doc, nom, "criteres")
    probs += checks.check_ids_criteres(doc, nom)
    probs += checks.check_collecte(doc, nom)
    probs.sort(key=lambda p: p.ligne)
    if probs:
        return None, problemes + probs
    # Its released versions (data/versions/): nothing published lost or reused.
    versions, probs = lire_historique(criteres.parent, doc, nom)
    if probs:
        return None, problemes + probs
    referentiel = referentiel_depuis_yaml(doc.data)
    referentiel.versions = versions or []
    referentiel.indexer()  # the fiches are checked against its criteria and indicators
    return referentiel, problemes


def charger(dossier: Path | str = "data", *, criteres: Path | None = None,
            fiches: list[Path] | None = None, cache: Cache | None = None,
            modele: bool = True) -> Resultat:
    """Load ``dossier/criteres.yaml`` and the fiches (by default ``dossier/fiches/*.yaml``).

    ``cache``: kept by the caller between calls (``make serve``).
    ``modele=False`` checks everything but builds no Fiche (``referentiel
    valider``): ``referentiel.fiches`` stays empty and ``nb_fiches`` counts
    the valid ones.
    """
    dossier = Path(dossier)
    criteres = criteres or dossier / "criteres.yaml"
    refus = dossier_refuse(dossier)
    if refus:
        return Resultat(referentiel=None, problemes=[refus])
    problemes: list[Probleme] = []
    if fiches is None:
        fiches, extra = fichiers_fiches(dossier / "fiches")
        problemes += extra

    # 1. The framework.
    referentiel, probs = _lire_referentiel(criteres)
    problemes += probs

    # 2. The fiches, checked against the framework when it could be read.
    if cache is not None:
        cache.valider_contexte((_cle(criteres), *(_cle(p) for p in sorted(schemas.SCHEMAS_DIR.glob("*.json")))))
    relus: set[str] = set()
    lues = _lire_fiches(fiches, Lecteur(referentiel, leger=not modele), cache, relus)

    # 3. What needs them all: no id twice.
    objets: list[Fiche] = []
    avertissements: list[Probleme] = []
    ids_vus: dict[str, str] = {}
    vues: set[int] = set()
    nb_valides = 0
    for lu in lues:
        ident = lu.data.get("id") if isinstance(lu.data, dict) else None
        if isinstance(ident, str):
            if ident in ids_vus:
                lu.problemes.append(Probleme(lu.fichier, lu.ligne_id, "id",
                                             f"identifiant « {ident} » déjà utilisé par {ids_vus[ident]}"))
            else:
                ids_vus[ident] = lu.fichier
        problemes += lu.problemes
        avertissements += lu.avertissements
        if lu.data is not None and not lu.problemes:
            if modele:
                objets.append(cache.fiche(lu.data, lu.fichier, vues) if cache is not None
                              else fiche_depuis_yaml(lu.data, lu.fichier))
            nb_valides += 1
    if cache is not None:
        cache.oublier_sauf(vues)
    if referentiel is not None:
        referentiel.fiches = objets
        referentiel.indexer()
    return Resultat(referentiel=referentiel, problemes=problemes, nb_fiches=nb_valides, relus=relus,
                    avertissements=avertissements)


__all__ = ["Cache", "FicheLue", "Lecteur", "Resultat", "SEUIL_PARALLELE", "TAILLE_MAX_CRITERES",
           "TAILLE_MAX_FICHE", "charger"]
