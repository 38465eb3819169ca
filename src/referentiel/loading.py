"""Load and validate ``data/``: every problem is collected before stopping."""

from __future__ import annotations

import errno
import gc
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import checks, schemas
from .conversion import fiche_depuis_yaml, referentiel_depuis_yaml
from .model import Fiche, Referentiel
from .messages_schema import problemes_schema
from .problems import Probleme
from .yamlio import Document, Filtre, LectureErreur, lire_yaml

TAILLE_MAX_FICHE = 200 * 1024
TAILLE_MAX_CRITERES = 1024 * 1024


@dataclass
class Resultat:
    referentiel: Referentiel | None
    problemes: list[Probleme] = field(default_factory=list)
    # Fiche files read this time (all of them, unless a cache was given).
    relus: set[str] = field(default_factory=set)
    # Valid fiches (also counted when no model is built).
    nb_fiches: int = 0

    @property
    def ok(self) -> bool:
        return not self.problemes and self.referentiel is not None


def nom_affiche(path: Path) -> str:
    """The path as a contributor would type it: relative to the current folder."""
    if not path.is_absolute() and ".." not in path.parts:
        return path.as_posix()  # already relative to it (and normalised by Path)
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path.as_posix()
    if rel.startswith(".." + os.sep + ".."):
        return path.as_posix()
    return Path(rel).as_posix()


REFUS_LIEN = ("lien symbolique refusé : seuls les fichiers ordinaires de data/ sont lus ; "
              "remplacez le lien par une copie du fichier")


def refus_lien(path: Path) -> str | None:
    """The refusal of a path that is a symbolic link (dangling or not), or None."""
    return REFUS_LIEN if path.is_symlink() else None


def _pas_un_fichier(mode: int) -> str | None:
    """Why an entry of data/ is not read, in French, or None for a regular file."""
    if stat.S_ISLNK(mode):
        return REFUS_LIEN
    if stat.S_ISDIR(mode):
        return ("c'est un dossier, pas un fichier ; chaque fiche est un fichier "
                "placé directement dans data/fiches/")
    if not stat.S_ISREG(mode):
        return ("ce n'est pas un fichier ordinaire (périphérique, tube ou socket) ; "
                "seuls les fichiers ordinaires de data/ sont lus")
    return None


def lire_fichier(path: Path, taille_max: int, lignes: bool = True, fichier: str | None = None,
                 filtre: Filtre | None = None) -> tuple[Document | None, list[Probleme]]:
    """Read one YAML file: a regular file (never through a link), its size,
    encoding, syntax. Never raises."""
    fichier = fichier or nom_affiche(path)
    try:
        refus = _pas_un_fichier(os.lstat(path).st_mode)
        if refus:
            return None, [Probleme(fichier, 1, "", refus)]
        # No link followed, and no wait on a pipe swapped in since lstat.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            st = os.fstat(fh.fileno())
            refus = _pas_un_fichier(st.st_mode)
            if refus:
                return None, [Probleme(fichier, 1, "", refus)]
            taille = st.st_size
            if taille > taille_max:
                return None, [Probleme(
                    fichier, 1, "",
                    f"fichier trop gros ({taille // 1024} Ko pour {taille_max // 1024} Ko au plus) ; "
                    "raccourcissez les textes ou découpez l'action en plusieurs fiches",
                )]
            brut = fh.read(taille_max + 1)
    except FileNotFoundError:
        return None, [Probleme(fichier, 1, "", "fichier introuvable")]
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None, [Probleme(fichier, 1, "", REFUS_LIEN)]
        return None, [Probleme(fichier, 1, "", f"fichier illisible ({exc.strerror or exc})")]
    if not brut.strip(b" \t\r\n\xef\xbb\xbf"):
        return None, [Probleme(fichier, 1, "", "fichier vide ; partez du modèle data/fiches/_modele.yaml")]
    try:
        texte = brut.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        ligne = brut.count(b"\n", 0, exc.start) + 1
        return None, [Probleme(
            fichier, ligne, "",
            "le fichier n'est pas encodé en UTF-8 (caractère accentué illisible) ; "
            "enregistrez-le en UTF-8 depuis votre éditeur",
        )]
    if "\x00" in texte:
        ligne = texte.count("\n", 0, texte.index("\x00")) + 1
        return None, [Probleme(fichier, ligne, "", "caractère nul interdit ; le fichier n'est pas un texte")]
    try:
        return lire_yaml(texte, fichier, lignes=lignes, filtre=filtre), []
    except LectureErreur as exc:
        return None, exc.problemes
    except Exception as exc:  # noqa: BLE001 - last resort: never show a traceback
        return None, [Probleme(fichier, 1, "", f"fichier illisible ({type(exc).__name__})")]


# --------------------------------------------------------------------------
# Finding the files


def fichiers_fiches(dossier: Path) -> tuple[list[Path], list[Probleme]]:
    """YAML files of a fiches folder; ``_modele.yaml`` and hidden files are skipped.

    Nothing but regular files is read: a link (even to a file of the
    repository), a folder or a device among the fiches is refused by name.
    """
    fiches: list[Path] = []
    problemes: list[Probleme] = []
    refus = _dossier_refuse(dossier)
    if refus:
        return fiches, [refus]
    if not dossier.is_dir():
        return fiches, problemes
    with os.scandir(dossier) as entrees:
        noms = sorted((e.name, e) for e in entrees)
    for nom, entree in noms:
        if nom.startswith((".", "_")):
            continue
        path = dossier / nom
        yaml_ = nom.endswith(".yaml")
        autre_extension = nom.endswith((".yml", ".YAML", ".YML", ".Yaml"))
        try:
            mode = entree.stat(follow_symlinks=False).st_mode
        except OSError:
            continue  # removed meanwhile
        if not stat.S_ISREG(mode):
            if yaml_ or autre_extension or stat.S_ISLNK(mode) or stat.S_ISDIR(mode):
                problemes.append(Probleme(nom_affiche(path), 1, "", _pas_un_fichier(mode) or ""))
            continue
        if yaml_:
            fiches.append(path)
        elif autre_extension:
            problemes.append(Probleme(
                nom_affiche(path), 1, "",
                f"extension non reconnue ; renommez le fichier en « {path.stem.lower()}.yaml »",
            ))
    return fiches, problemes


def _dossier_refuse(dossier: Path) -> Probleme | None:
    """A data folder that is a link is refused: what it points to could be
    anywhere, outside the repository too."""
    if dossier.is_symlink():
        return Probleme(nom_affiche(dossier), 1, "",
                        "dossier refusé : c'est un lien symbolique ; seuls les dossiers ordinaires sont lus")
    return None


Contexte = tuple[dict[str, list[str]], dict[str, str]] | None
# (file as shown, data or None, its problems, line of its id)
Lu = tuple[str, Any, list[Probleme], int]

# From this many fiches on, they are read on every core (each file is
# independent; only the duplicate-id check needs them all, and runs after).
SEUIL_PARALLELE = 400
_contexte_travail: tuple[Contexte, bool] = (None, False)


def lire_fiche(path: Path, contexte: Contexte, leger: bool = False, lignes: bool = False) -> Lu:
    """Read and check one fiche file: everything but the duplicate-id check.

    ``leger``: of a valid fiche, keep only its id (``referentiel valider``
    builds no model; results cross between processes much faster).
    A fiche is first read without the line of every value (a fifth faster);
    if anything is wrong, it is read again with them, for the messages.
    """
    fichier = nom_affiche(path)
    doc, probs = lire_fichier(path, TAILLE_MAX_FICHE, lignes=lignes, fichier=fichier,
                              filtre=schemas.filtre("fiche"))
    if doc is None:
        return fichier, None, probs, 1
    if not isinstance(doc.data, dict):
        return fichier, None, probs + [Probleme(
            fichier, 1, "", "une fiche est une suite de champs « nom: valeur » ; "
            "partez du modèle data/fiches/_modele.yaml")], 1
    probs = problemes_schema(doc, "fiche", fichier)
    probs += checks.check_textes(doc, fichier, "fiche")
    probs += checks.check_nom_fichier(doc, fichier, path.name[: -len(".yaml")])
    if contexte is not None:
        probs += checks.check_contributions(doc, fichier, *contexte)
    if probs and not lignes:
        return lire_fiche(path, contexte, leger, lignes=True)
    probs.sort(key=lambda p: p.ligne)
    data = {"id": doc.data.get("id")} if leger and not probs else doc.data
    return fichier, data, probs, doc.ligne(("id",))


def _lire_fiche_travail(path: Path) -> Lu:
    return lire_fiche(path, *_contexte_travail)


def _cle(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


def _lire_fiches(paths: list[Path], contexte: Contexte, cache: dict | None = None,
                 relus: set[str] | None = None, leger: bool = False) -> list[Lu]:
    """Every fiche, in the order given; on several cores when there are many.

    With a ``cache`` (``make serve`` keeps one between rebuilds), a file whose
    modification time and size have not changed is not read again.
    """
    if cache is None:
        lus = _lire_fiches_sans_cache(paths, contexte, leger)
        if relus is not None:
            relus.update(lu[0] for lu in lus)
        return lus
    cles = {p: _cle(p) for p in paths}
    a_lire = [p for p in paths if cles[p] is None or cache.get(p, (None,))[0] != cles[p]]
    for p, lu in zip(a_lire, _lire_fiches_sans_cache(a_lire, contexte)):
        cache[p] = (cles[p], lu)
        if relus is not None:
            relus.add(lu[0])
    for p in set(cache) - set(paths):
        del cache[p]
    # Copies: the caller appends to the problem lists.
    return [(f, d, list(pb), l) for f, d, pb, l in (cache[p][1] for p in paths)]


def _lire_fiches_sans_cache(paths: list[Path], contexte: Contexte, leger: bool = False) -> list[Lu]:
    import multiprocessing

    global _contexte_travail
    coeurs = min(os.cpu_count() or 1, 8)
    if (len(paths) < SEUIL_PARALLELE or coeurs <= 1
            or "fork" not in multiprocessing.get_all_start_methods()):
        return [lire_fiche(p, contexte) for p in paths]
    # The compiled schema checks are built once here and inherited by the workers.
    schemas.verif_rapide("fiche")
    _contexte_travail = (contexte, leger)
    # What the workers inherit is moved out of the collector's reach: its
    # passes would otherwise touch, and so copy, every inherited page.
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(coeurs) as pool:
            return pool.map(_lire_fiche_travail, paths, chunksize=max(16, len(paths) // (coeurs * 8)))
    finally:
        gc.unfreeze()
        _contexte_travail = (None, False)


def _fiche(data: dict, fichier: str, modeles: dict | None, vus: set[int]) -> Fiche:
    if modeles is None:
        return fiche_depuis_yaml(data, fichier)
    cle = id(data)
    deja = modeles.get(cle)
    if deja is None or deja[0] is not data or deja[1] != fichier:
        deja = modeles[cle] = (data, fichier, fiche_depuis_yaml(data, fichier))
    vus.add(cle)
    return deja[2]


def charger(dossier: Path | str = "data", *, criteres: Path | None = None,
            fiches: list[Path] | None = None, cache: dict | None = None,
            modele: bool = True) -> Resultat:
    """Load ``dossier/criteres.yaml`` and the fiches (by default ``dossier/fiches/*.yaml``).

    ``cache``: a dict kept by the caller between calls (``make serve``); fiche
    files unchanged since the previous call are not read again. It is emptied
    when the framework or the schemas change, since fiches are checked
    against them. ``modele=False`` checks everything but builds no Fiche
    (``referentiel valider``): ``referentiel.fiches`` stays empty and
    ``nb_fiches`` counts the valid ones.
    """
    dossier = Path(dossier)
    criteres = criteres or dossier / "criteres.yaml"
    problemes: list[Probleme] = []
    refus = _dossier_refuse(dossier)
    if refus:
        return Resultat(referentiel=None, problemes=[refus])
    if fiches is None:
        fiches, extra = fichiers_fiches(dossier / "fiches")
        problemes += extra

    # 1. The framework.
    referentiel: Referentiel | None = None
    nom_criteres = nom_affiche(criteres)
    if not os.path.lexists(criteres):
        problemes.append(Probleme(nom_criteres, 1, "", "fichier du référentiel introuvable"))
    else:
        doc, probs = lire_fichier(criteres, TAILLE_MAX_CRITERES)
        problemes += probs
        if doc is not None:
            probs = problemes_schema(doc, "criteres", nom_criteres)
            probs += checks.check_textes(doc, nom_criteres, "criteres")
            probs += checks.check_ids_criteres(doc, nom_criteres)
            probs.sort(key=lambda p: p.ligne)
            problemes += probs
            if not probs:
                referentiel = referentiel_depuis_yaml(doc.data)

    # 2. The fiches (checked against the framework when it could be read).
    index_criteres: dict[str, list[str]] = {}
    indicateur_critere: dict[str, str] = {}
    if referentiel is not None:
        for dim in referentiel.dimensions:
            for crit in dim.criteres:
                index_criteres[crit.id] = [i.id for i in crit.indicateurs]
                for ind in crit.indicateurs:
                    indicateur_critere[ind.id] = crit.id

    contexte = (index_criteres, indicateur_critere) if referentiel is not None else None
    objets: list[Fiche] = []
    ids_vus: dict[str, str] = {}
    if cache is not None:
        cle = (_cle(criteres), *(_cle(p) for p in sorted(schemas.SCHEMAS_DIR.glob("*.json"))))
        if cache.get("__contexte__") != cle:
            cache.clear()
            cache["__contexte__"] = cle
        cache_fiches = cache.setdefault("__fiches__", {})
    else:
        cache_fiches = None
    relus: set[str] = set()
    nb_valides = 0
    # With a cache, the Fiche built from unchanged data is kept too (the
    # indexer links it anew to the framework at every load).
    modeles: dict | None = cache.setdefault("__modeles__", {}) if cache is not None else None
    modeles_vus: set[int] = set()
    for fichier, data, probs, ligne_id in _lire_fiches(fiches, contexte, cache_fiches, relus,
                                                       leger=not modele):
        ident = data.get("id") if isinstance(data, dict) else None
        if isinstance(ident, str):
            if ident in ids_vus:
                probs.append(Probleme(fichier, ligne_id, "id",
                                      f"identifiant « {ident} » déjà utilisé par {ids_vus[ident]}"))
            else:
                ids_vus[ident] = fichier
        problemes += probs
        if data is not None and not probs:
            if modele:
                objets.append(_fiche(data, fichier, modeles, modeles_vus))
            nb_valides += 1

    if modeles is not None:
        for cle in set(modeles) - modeles_vus:
            del modeles[cle]
    if referentiel is not None:
        referentiel.fiches = objets
        referentiel.indexer()
    return Resultat(referentiel=referentiel, problemes=problemes, nb_fiches=nb_valides, relus=relus)
