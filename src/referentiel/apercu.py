"""The fast preview (``make apercu``): which pages an edit of fiches touches.

From one build to the next, :class:`Apercu` keeps what each generated page
declared (``pages.pages``: the fiches it shows) and what the tables of
hand-written pages show of each fiche (``ce_que_montrent_les_tableaux``).
After an edit it names the pages to render again:

- a generated page that showed, or now shows, a fiche that changed or went;
- the hand-written pages with macros, only if what their tables show of a
  fiche changed (its title, say; not a finding);
- everything, when anything but the fiches changed (``mkdocs.yml``,
  ``macros.py``, ``docs/``, the schemas, the theme overrides).

Plain Python: the MkDocs adapter hands it paths and the model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import jinja2.bccache

from .modele import Referentiel
from .pages import ce_que_montrent_les_tableaux, pages


def signature(fichiers: list[Path], dossiers: list[Path]) -> tuple:
    """What, besides the fiches, shapes every page: the given files and every
    file under the given folders. Markdown files count by name only: MkDocs
    rebuilds the hand-written pages that are saved."""
    tous = list(fichiers)
    for dossier in dossiers:
        if dossier.is_dir():
            tous += sorted(p for p in dossier.rglob("*") if p.is_file())
    sig = []
    for p in tous:
        try:
            st = p.stat()
        except OSError:
            continue
        sig.append((str(p), None if p.suffix == ".md" else (st.st_mtime_ns, st.st_size)))
    return tuple(sig)


@dataclass
class Selection:
    """What to render this time."""

    # Generated pages to render (None: all of them, the first build or after a change of the site).
    pages: set[str] | None = None
    # Fiches gone since the previous build: their pages are removed from the site.
    supprimees: set[str] = field(default_factory=set)
    # Render the hand-written pages with macros again.
    tableaux: bool = True
    # What the preview says about it (None on the first build).
    message: str | None = None


@dataclass
class _Etat:
    signature: tuple
    fichiers: dict[str, str]                 # fiche id -> its file
    montre: dict[str, tuple]                 # fiche id -> what the tables show of it
    dependances: dict[str, frozenset[str]]   # page -> the fiches it shows


class Apercu:
    """The state kept from one preview build to the next."""

    def __init__(self) -> None:
        self._precedent: _Etat | None = None
        # Hand-written pages seen with « render_macros: true » in their meta.
        self.pages_a_macros: set[str] = set()

    def selectionner(self, ref: Referentiel, relus: set[str], sig: tuple,
                     base: Path | None = None) -> Selection:
        """The pages to render after an edit. ``relus``: the fiche files read
        again since the previous build (changed on disk)."""
        declarees = pages(ref)
        etat = _Etat(sig, {f.id: f.fichier for f in ref.fiches},
                     {f.id: ce_que_montrent_les_tableaux(f) for f in ref.fiches},
                     {p.src: p.fiches for p in declarees})
        avant, self._precedent = self._precedent, etat
        if avant is None:
            return Selection()
        if avant.signature != sig:
            a, b = dict(avant.signature), dict(sig)
            changes = sorted(f for f in a.keys() | b.keys() if a.get(f) != b.get(f))
            noms = ", ".join(_nom_court(f, base) for f in changes[:3]) + (" …" if len(changes) > 3 else "")
            return Selection(message=f"Aperçu : {noms} modifié, tout le site est reconstruit")
        changees = {ident for ident, fichier in etat.fichiers.items()
                    if fichier in relus or avant.fichiers.get(ident) != fichier}
        supprimees = set(avant.fichiers) - set(etat.fichiers)
        touchees = changees | supprimees
        a_rendre = {src for src, fiches in etat.dependances.items()
                    if fiches & touchees or avant.dependances.get(src, frozenset()) & touchees}
        tableaux = bool(supprimees) or any(avant.montre.get(i) != etat.montre[i] for i in changees)
        if tableaux:
            a_rendre |= {p.src for p in declarees if p.tableaux}
        return Selection(
            pages=a_rendre, supprimees=supprimees, tableaux=tableaux,
            message=(f"Aperçu : {len(touchees)} fiche(s) modifiée(s), "
                     f"{len(a_rendre)} page(s) générée(s) reconstruite(s)"))


def _nom_court(chemin: str, base: Path | None) -> str:
    try:
        return Path(chemin).relative_to(base).as_posix() if base else chemin
    except ValueError:
        return chemin


class CacheJinja(jinja2.BytecodeCache):
    """Compiled templates kept in memory for the whole preview: the engine
    makes a new Jinja environment at each rebuild."""

    def __init__(self) -> None:
        self._codes: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._codes.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._codes[bucket.key] = bucket.bytecode_to_string()
