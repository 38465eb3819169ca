"""The référentiel's versions as data: what each version holds, and what
changed from one to the next. Read and checked by ``lecture.versions``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# The wording of each kind of item: a change here is a change of the
# référentiel, which its changelog must give.
LIBELLES = {
    "dimension": ("titre", "description"),
    "critere": ("titre", "description"),
    "indicateur": ("libelle", "definition", "collecte", "exemple"),
}
NATURES = {"dimension": "la dimension", "critere": "le critère", "indicateur": "l'indicateur"}
CHAMPS_FR = {"titre": "titre", "description": "description", "libelle": "libellé",
             "definition": "définition", "collecte": "collecte", "exemple": "exemple"}


# What ``referentiel version nouvelle`` writes where the maintainer has to
# write; the validator refuses it while it is there.
A_COMPLETER = "À compléter"


def cle_version(version: str) -> tuple[int, ...]:
    """``"1.10"`` sorts after ``"1.9"``."""
    return tuple(int(x) for x in version.split("."))


@dataclass(frozen=True)
class Element:
    """A dimension, a criterion or an indicator, as one version has it."""

    id: str
    nature: str                 # dimension | critere | indicateur
    parent: str | None          # the dimension of a criterion, the criterion of an indicator
    type: str | None            # an indicator's type
    textes: tuple[tuple[str, str | None], ...]  # its wording (LIBELLES), field by field
    retire: str | None          # the version that retired it
    remplace_par: tuple[str, ...]
    chemin: tuple               # where it is in its file (for the line)

    def texte(self, champ: str) -> str | None:
        return dict(self.textes).get(champ)


def elements(data: Any) -> dict[str, Element]:
    """Every item of a criteres.yaml (or snapshot) document, by id."""
    out: dict[str, Element] = {}

    def liste(d: Any, cle: str) -> list:
        v = d.get(cle) if isinstance(d, dict) else None
        return v if isinstance(v, list) else []

    def ajouter(d: Any, nature: str, parent: str | None, chemin: tuple) -> str | None:
        ident = d.get("id") if isinstance(d, dict) else None
        if not isinstance(ident, str) or ident in out:
            return None
        retire = d.get("retire") if isinstance(d.get("retire"), dict) else {}
        out[ident] = Element(
            ident, nature, parent, d.get("type") if nature == "indicateur" else None,
            tuple((c, d.get(c)) for c in LIBELLES[nature]),
            retire.get("version"), tuple(retire.get("remplace_par") or ()), chemin)
        return ident

    for i, dim in enumerate(liste(data, "dimensions")):
        did = ajouter(dim, "dimension", None, ("dimensions", i))
        for j, crit in enumerate(liste(dim, "criteres")):
            cid = ajouter(crit, "critere", did, ("dimensions", i, "criteres", j))
            for k, ind in enumerate(liste(crit, "indicateurs")):
                ajouter(ind, "indicateur", cid, ("dimensions", i, "criteres", j, "indicateurs", k))
    return out


@dataclass(frozen=True)
class Changement:
    """One line of the changelog."""

    id: str
    nature: str                     # ajout | modification | retrait
    raison: str | None
    champs: tuple[str, ...]
    remplace_par: tuple[str, ...]
    ligne: int


@dataclass(eq=False)
class VersionPubliee:
    """A released version: its changelog entry and its snapshot."""

    version: str
    date: str
    resume: str
    changements: tuple[Changement, ...]
    data: Any = field(repr=False)   # the snapshot's YAML data
    fichier: str = ""               # the snapshot's file, as shown in messages
    elements: dict[str, Element] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if not self.elements:
            self.elements = elements(self.data)

    def changement(self, ident: str, nature: str) -> Changement | None:
        return next((c for c in self.changements if c.id == ident and c.nature == nature), None)


@dataclass(frozen=True)
class Ecart:
    """What differs between two versions, for one id."""

    id: str
    nature: str                     # ajout | modification | retrait
    avant: Element | None
    apres: Element | None
    champs: tuple[str, ...] = ()    # the wording fields that changed


def comparer(avant: dict[str, Element], apres: dict[str, Element]) -> list[Ecart]:
    """Added, changed (wording) and retired items from one version to the next, in the order of ``apres``."""
    out: list[Ecart] = []
    for ident, e in apres.items():
        a = avant.get(ident)
        if a is None:
            out.append(Ecart(ident, "ajout", None, e))
            continue
        champs = tuple(c for c in LIBELLES[e.nature] if a.texte(c) != e.texte(c)) if a.nature == e.nature else ()
        if champs:
            out.append(Ecart(ident, "modification", a, e, champs))
        if e.retire and not a.retire:
            out.append(Ecart(ident, "retrait", a, e))
    return out


