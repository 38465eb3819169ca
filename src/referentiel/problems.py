"""A problem found in the data, and how it is printed."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Probleme:
    fichier: str
    ligne: int
    champ: str
    message: str

    def __str__(self) -> str:
        if self.champ:
            return f"{self.fichier}:{self.ligne}: {self.champ} : {self.message}"
        return f"{self.fichier}:{self.ligne}: {self.message}"

    def annotation_github(self) -> str:
        """The same problem as a GitHub Actions workflow command."""
        texte = f"{self.champ} : {self.message}" if self.champ else self.message
        return (
            f"::error file={_escape_property(self.fichier)},line={self.ligne},"
            f"title={_escape_property('Fiche invalide')}::{_escape_data(texte)}"
        )


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
