"""A problem found in the data, and how it is printed.

A problem quotes what a contributor wrote (a value, a field name, a file
name), so both of its printed forms go through ``regles``: no escape
sequence, no line break and no workflow command can come out of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from .regles import ligne_sure, visible


@dataclass(frozen=True, order=True)
class Probleme:
    fichier: str
    ligne: int
    champ: str
    message: str

    def __str__(self) -> str:
        fichier = self.fichier
        if fichier.startswith((":", "#")):
            fichier = "./" + fichier  # the same file, but not a workflow command
        if self.champ:
            return ligne_sure(f"{fichier}:{self.ligne}: {self.champ} : {self.message}")
        return ligne_sure(f"{fichier}:{self.ligne}: {self.message}")

    def annotation_github(self) -> str:
        """The same problem as a GitHub Actions workflow command."""
        texte = f"{self.champ} : {self.message}" if self.champ else self.message
        return (
            f"::error file={_escape_property(self.fichier)},line={self.ligne},"
            f"title={_escape_property('Fiche invalide')}::{_escape_data(texte)}"
        )


def _escape_data(text: str) -> str:
    # GitHub's own escapes first (they keep line breaks readable in the
    # annotation), then every other invisible character made visible.
    return visible(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
