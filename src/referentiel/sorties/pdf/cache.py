"""The PDFs' cache: a document is composed again only when one of its inputs changed.

Each document (the report, each fiche) is stored as ``<key>.pdf`` in the
cache folder, where the key is a hash of everything its bytes depend on:

- its HTML (the data, the framework, the chapters, the date and the site's
  address are all in it) and the extra CSS of its task (the page margins);
- the stylesheet ``pdf.css`` and every file of ``polices/`` (the typefaces
  it embeds);
- the source of ``ecriture.py`` and the versions of WeasyPrint and pydyf,
  and ``VERSION``, bumped by hand for any other change to how a PDF is made.

Not in the key: the system's fonts and Pango (the stylesheet falls back on
them for glyphs Charis SIL lacks, and for code), and the folder of the
site, which the output does not depend on (test_reproductible builds in
two folders and compares the bytes). The documents reference no other file:
if one ever shows an image, its bytes must enter the key.

A cached document is copied into the site as is: a build from the cache
gives the same bytes as a build without it. An entry that is missing,
unreadable or not a whole PDF is composed again. When everything is in
the cache, WeasyPrint is not even imported.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import tempfile
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from ...render import mot, pluriel
from .ecriture import CSS_PDF, ecrire_tous
from .mise_en_page import CSS_RAPPORT

# Bump when a PDF's bytes change for a reason the key does not see (a change
# to how this module or the writing code makes a PDF, outside ecriture.py).
VERSION = "1"

ECRITURE = Path(__file__).with_name("ecriture.py")
POLICES = Path(__file__).with_name("polices")
SUFFIXE = ".pdf"
# An entry (``<sha256>.pdf``), or a temporary file left by an interrupted write.
_NOM_ENTREE = re.compile(r"[0-9a-f]{64}\.pdf|\.[0-9a-f]{64}\.pdf\..+\.tmp")

Tache = tuple[str, Path, "str | None"]


def _bloc(h, donnees: bytes) -> None:
    """Length, then bytes: two different sequences of parts never hash alike."""
    h.update(len(donnees).to_bytes(8, "big"))
    h.update(donnees)


@functools.cache
def empreinte_commune() -> bytes:
    """The inputs every document shares, hashed once per process: the writing
    code, the stylesheet, the typefaces and the versions of the libraries."""
    h = hashlib.sha256()
    _bloc(h, f"referentiel-pdf {VERSION}".encode())
    for paquet in ("weasyprint", "pydyf"):
        _bloc(h, f"{paquet} {metadata.version(paquet)}".encode())
    _bloc(h, ECRITURE.read_bytes())
    _bloc(h, CSS_PDF.read_bytes())
    # Every file of the folder, not only the fonts: simpler, and a font of
    # another format cannot be forgotten. (A new licence text costs one rebuild.)
    for police in sorted(p for p in POLICES.rglob("*") if p.is_file()):
        _bloc(h, police.relative_to(POLICES).as_posix().encode())
        _bloc(h, police.read_bytes())
    return h.digest()


def cle(html: str, css_en_plus: str | None = None) -> str:
    """The cache key of one document: the name of its entry, without ``.pdf``."""
    h = hashlib.sha256(empreinte_commune())
    _bloc(h, html.encode("utf-8"))
    # The extra stylesheet as ecriture.ecrire_pdf applies it (the report's margins by default).
    _bloc(h, (css_en_plus or CSS_RAPPORT).encode("utf-8"))
    return h.hexdigest()


# The end of a PDF as pydyf writes it: the offset of its cross-reference section.
_FIN = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")


def pdf_entier(donnees: bytes) -> bool:
    """Whether ``donnees`` look like a whole PDF: its header, its end, and the
    cross-reference section where the end says. A truncated entry fails."""
    if not donnees.startswith(b"%PDF-"):
        return False
    m = _FIN.search(donnees[-64:])
    if m is None:
        return False
    debut = int(m.group(1))
    section = donnees[debut:debut + 32]
    return section.startswith(b"xref") or re.match(rb"\d+\s+\d+\s+obj\b", section) is not None


def _lire(entree: Path) -> bytes | None:
    """An entry's bytes, or None when it is missing, unreadable or not a whole PDF."""
    try:
        donnees = entree.read_bytes()
    except OSError:
        return None
    return donnees if pdf_entier(donnees) else None


def _ecrire_atomique(destination: Path, donnees: bytes) -> None:
    """Write through a temporary file in the same folder, then rename: a reader
    (or a build killed halfway) never sees half a file."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    fd, temporaire = tempfile.mkstemp(prefix=f".{destination.name}.", suffix=".tmp", dir=destination.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(donnees)
        os.chmod(temporaire, 0o644)  # mkstemp's 0600 would be kept by the rename
        os.replace(temporaire, destination)
    except BaseException:
        Path(temporaire).unlink(missing_ok=True)
        raise


@dataclass
class Bilan:
    """What a build made: each document's size (in the order given), how
    many came from the cache and how many were composed."""

    tailles: list[int] = field(default_factory=list)
    repris: int = 0
    composes: int = 0
    # Why the cache could not be written or cleaned, if it could not (the build goes on).
    incident: str | None = None

    def message(self) -> str:
        """One line for the build's log, in French."""
        if self.composes == 0:
            texte = f"PDF : {pluriel(self.repris, 'document')} repris du cache, aucun composé"
        elif self.repris == 0:
            texte = f"PDF : {pluriel(self.composes, 'document')} {mot(self.composes, 'composé')}, aucun repris du cache"
        else:
            texte = (f"PDF : {pluriel(self.repris, 'document')} repris du cache, "
                     f"{pluriel(self.composes, 'composé')}")
        return texte + (f" (cache : {self.incident})" if self.incident else "")


def ecrire_avec_cache(taches: list[Tache], cache: Path | None) -> Bilan:
    """Each task's PDF into its destination, from ``cache`` when its entry is
    there and whole, composed otherwise (WeasyPrint, on every core) and then
    stored. Without a cache folder, everything is composed."""
    if cache is None:
        tailles = ecrire_tous(taches)
        return Bilan(tailles=tailles, composes=len(taches))
    bilan = Bilan(tailles=[0] * len(taches))
    cles = [cle(html, css) for html, _, css in taches]
    a_composer: list[int] = []
    for i, ((_, destination, _), c) in enumerate(zip(taches, cles)):
        donnees = _lire(cache / f"{c}{SUFFIXE}")
        if donnees is None:
            a_composer.append(i)
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(donnees)
        bilan.tailles[i] = len(donnees)
        bilan.repris += 1
    if a_composer:
        for i, taille in zip(a_composer, ecrire_tous([taches[i] for i in a_composer])):
            bilan.tailles[i] = taille
        bilan.composes = len(a_composer)
        try:
            for i in a_composer:
                _ecrire_atomique(cache / f"{cles[i]}{SUFFIXE}", taches[i][1].read_bytes())
        except OSError as exc:
            bilan.incident = f"non écrit ({exc})"
            return bilan
    try:
        nettoyer(cache, {f"{c}{SUFFIXE}" for c in cles})
    except OSError as exc:
        bilan.incident = f"non nettoyé ({exc})"
    return bilan


def nettoyer(cache: Path, gardes: set[str]) -> None:
    """Remove every entry this build did not use, and leftover temporary files.

    The cache then holds the current documents only. Without this it would
    grow at every edit: each change of a fiche makes a new entry for that
    fiche and for the whole report (megabytes at a few hundred fiches), and
    the publish workflow saves and restores the whole folder at each run.
    An entry dropped too early costs one composition, never a wrong PDF.
    """
    for chemin in cache.iterdir():
        # Only what this module writes: a cache set to a folder holding other files spares them.
        if chemin.name not in gardes and _NOM_ENTREE.fullmatch(chemin.name) and chemin.is_file():
            chemin.unlink(missing_ok=True)
