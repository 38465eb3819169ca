"""Reading the files of data/: regular files only, within a size, in UTF-8,
as YAML read safely. Never raises: every refusal is a French problem."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import tempfile
from pathlib import Path

from .problems import Probleme
from .yamlio import Document, Filtre, LectureErreur, lire_yaml

TAILLE_MAX_FICHE = 200 * 1024
TAILLE_MAX_CRITERES = 1024 * 1024


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


def fichiers_fiches(dossier: Path) -> tuple[list[Path], list[Probleme]]:
    """YAML files of a fiches folder; ``_modele.yaml`` and hidden files are skipped.

    Nothing but regular files is read: a link (even to a file of the
    repository), a folder or a device among the fiches is refused by name.
    """
    fiches: list[Path] = []
    problemes: list[Probleme] = []
    refus = dossier_refuse(dossier)
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


def dossier_refuse(dossier: Path) -> Probleme | None:
    """A data folder that is a link is refused: what it points to could be
    anywhere, outside the repository too."""
    if dossier.is_symlink():
        return Probleme(nom_affiche(dossier), 1, "",
                        "dossier refusé : c'est un lien symbolique ; seuls les dossiers ordinaires sont lus")
    return None


@contextlib.contextmanager
def brouillon_a_cote(fiches: Path, nom: str, texte: str, prefixe: str):
    """A fiche written into a hidden folder beside the fiches (which the loader
    skips), to be checked there and then moved into place in one step with
    ``os.replace``: an interrupted or failed run leaves no file behind."""
    provisoire = Path(tempfile.mkdtemp(prefix=prefixe, dir=fiches))
    try:
        brouillon = provisoire / nom
        with open(brouillon, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(texte)
            fh.flush()
            os.fsync(fh.fileno())
        yield brouillon
    finally:
        shutil.rmtree(provisoire, ignore_errors=True)
