"""``referentiel importer [FICHIER|-]``: a fiche as received, into data/fiches/.

What comes in is the file downloaded from the form, or the text of a mail
sent by the form (pasted, saved as text or as a whole ``.eml`` message; see
``lecture.reception`` for what mail clients do to it). The fiche is checked
as ``referentiel valider`` checks a file, and written to
``data/fiches/<id>.yaml`` only when it is valid and its id is free (or, with
``--remplacer``, to update that fiche). Problems are the validator's, with
the name and the lines of what was received.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from .lecture import regles
from .lecture.chargement import charger
from .lecture.disposition import LIGNE_EDITEUR
from .lecture.fichiers import TAILLE_MAX_FICHE, brouillon_a_cote, nom_affiche
from .lecture.problems import Probleme
from .lecture.reception import ReceptionErreur, extraire
from .lecture.yamlio import LectureErreur, lire_yaml

# A mail holds more than its fiche (headers, greetings, quoted text).
TAILLE_MAX_RECUE = 10 * TAILLE_MAX_FICHE
ENTREE_STANDARD = "entrée standard"


@dataclass
class Importation:
    """What ``importer`` did: the file written (or None) and the problems."""

    chemin: Path | None
    problemes: list[Probleme]
    remplacee: bool = False


def decoder(brut: bytes, nom: str) -> str:
    """The received bytes as text (UTF-8; a whole mail message may be in another encoding)."""
    if len(brut) > TAILLE_MAX_RECUE:
        raise ReceptionErreur(f"{nom} : texte trop long ({len(brut) // 1024} Ko pour "
                              f"{TAILLE_MAX_RECUE // 1024} Ko au plus)")
    try:
        return brut.decode("utf-8-sig")
    except UnicodeDecodeError:
        if re.search(rb"^Content-Type:", brut[:8000], re.M | re.I):
            # The headers are ASCII; the parts say their own encoding.
            return brut.decode("latin-1")
        raise ReceptionErreur(f"{nom} : ce n'est pas du texte UTF-8 ; enregistrez le courriel en UTF-8, "
                              "ou collez son texte") from None


def _identifiant(texte: str) -> str:
    """The name the received fiche is checked under: its id, or the nearest id
    that can be a file name (the validator then says what to write)."""
    try:
        data = lire_yaml(texte, "fiche", lignes=False).data
    except LectureErreur:
        return "fiche-recue"
    ident = data.get("id") if isinstance(data, dict) else None
    if not isinstance(ident, str) or not ident.strip():
        return "fiche-recue"
    if regles.MOTIF_SLUG.match(ident) and len(ident) <= regles.LONGUEUR_SLUG:
        return ident
    return regles.slugifier(ident)


def importer(texte: str, nom: str, dossier: Path, remplacer: bool = False) -> Importation:
    """Check the fiche in ``texte`` (received as ``nom``) and write it to ``dossier/fiches/``."""
    try:
        recue = extraire(texte)
    except ReceptionErreur as exc:
        return Importation(None, [Probleme(nom, 1, "", str(exc))])
    fiches = dossier / "fiches"
    if not fiches.is_dir():
        return Importation(None, [Probleme(nom_affiche(fiches), 1, "", "dossier des fiches introuvable ; "
                                           "lancez la commande à la racine du dépôt, ou donnez --dossier")])
    ident = _identifiant(recue.texte)
    chemin = fiches / f"{ident}.yaml"
    contenu = recue.texte if recue.texte.startswith(LIGNE_EDITEUR) else LIGNE_EDITEUR + "\n" + recue.texte
    decalage = contenu.count("\n") - recue.texte.count("\n")
    with brouillon_a_cote(fiches, chemin.name, contenu, ".importer-") as brouillon:
        resultat = charger(dossier, fiches=[brouillon])
        nom_brouillon = nom_affiche(brouillon)
        problemes = [
            Probleme(nom, recue.ligne_source(max(1, p.ligne - decalage)), p.champ, p.message)
            if p.fichier == nom_brouillon else p
            for p in resultat.problemes
        ]
        existe = os.path.lexists(chemin)
        if not problemes and existe and not remplacer:
            problemes.append(Probleme(nom, recue.ligne_source(1), "id",
                                      f"l'identifiant « {ident} » est déjà pris par {nom_affiche(chemin)} ; "
                                      "si c'est une mise à jour de cette fiche, relancez avec --remplacer ; "
                                      "sinon, changez l'identifiant (id:) dans le texte reçu"))
        if not problemes and existe and (os.path.islink(chemin) or not chemin.is_file()):
            problemes.append(Probleme(nom_affiche(chemin), 1, "", "ce n'est pas un fichier ordinaire : "
                                      "il n'est pas remplacé"))
        if problemes:
            return Importation(None, problemes)
        os.replace(brouillon, chemin)
    return Importation(chemin, [], remplacee=existe)
