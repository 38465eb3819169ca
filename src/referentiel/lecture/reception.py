"""A fiche as it is received: the downloaded file, or the text of a mail.

The form « Proposer une fiche » puts the fiche in the body of a mail between
two marker lines (``DEBUT`` and ``FIN``, sent to the form as data). What
comes back to a maintainer may have been through mail clients:

- text before and after the fiche (greetings, signature, a forwarded header);
- quoted with ``> `` (a reply, a forward), once or more;
- re-wrapped: a long line cut in two at a space, the rest at the start of the
  next line (with or without the quote marks);
- trailing spaces added (``format=flowed``), indentation spaces turned into
  non-breaking spaces (copied from a web mail), Windows line ends;
- saved as a whole message (``.eml``): headers, quoted-printable or base64,
  ``format=flowed``.

:func:`extraire` undoes all of that. A re-wrapped line is recognised because
a fiche written by the form (``lecture.disposition``) has nothing at the
first column but its top-level keys (``id:``, ``acteur:``...), comments and
blank lines: any other line that starts there is the end of the line before.
Each line of the result keeps the number of the line of the input it came
from, for the messages.
"""

from __future__ import annotations

import email
import email.policy
import re
import unicodedata
from dataclasses import dataclass, field

from .disposition import cles_racine

# The marker lines around the fiche in a mail body.
DEBUT = "----- Début de la fiche -----"
FIN = "----- Fin de la fiche -----"


def _sans_accents(texte: str) -> str:
    return unicodedata.normalize("NFKD", texte).encode("ascii", "ignore").decode().lower()


def _motif_repere(repere: str) -> re.Pattern[str]:
    """The marker, whatever the case, the accents and the number of dashes."""
    mots = _sans_accents(repere).strip("- ").split()
    return re.compile(r"-{3,}\s*" + r"\s+".join(map(re.escape, mots)) + r"\b.*?-{3,}\s*$")


_DEBUT = _motif_repere(DEBUT)
_FIN = _motif_repere(FIN)
# Quote marks before a line: « > », « >> », « > > », with the space after.
_CITATION = re.compile(r"^(?:[ \t]*>)+[ \t]?")
_RETRAIT = re.compile(r"^[ \u00a0]+")


class ReceptionErreur(Exception):
    """The text holds no fiche that can be read; the message is French."""


@dataclass
class Recue:
    """The text of a fiche, extracted, with the input line of each of its lines."""

    texte: str
    lignes: list[int] = field(default_factory=list)
    # Whether the fiche was found between the form's marker lines.
    reperes: bool = False

    def ligne_source(self, ligne: int) -> int:
        """The input line of line ``ligne`` (1-based) of the fiche."""
        if 1 <= ligne <= len(self.lignes):
            return self.lignes[ligne - 1]
        return self.lignes[-1] if self.lignes else ligne


def _depuis_message(texte: str) -> str | None:
    """The plain-text body of a whole mail message (``.eml``), or None if
    ``texte`` is not one."""
    entete = texte.lstrip()[:4000]
    if not re.search(r"^(?:MIME-Version|Content-Type|From|Subject|Received|Return-Path):", entete, re.M | re.I):
        return None
    if not re.search(r"^Content-(?:Type|Transfer-Encoding):", entete, re.M | re.I):
        return None
    message = email.message_from_string(texte, policy=email.policy.default)
    corps = message.get_body(preferencelist=("plain",))
    if corps is None:
        return None
    contenu = corps.get_content()
    if not isinstance(contenu, str):
        return None
    params = corps.get_params() or []
    valeurs = {k.lower(): v.lower() for k, v in params if isinstance(v, str)}
    if valeurs.get("format") == "flowed":
        contenu = _deflorer(contenu, valeurs.get("delsp") == "yes")
    return contenu


def _deflorer(texte: str, delsp: bool) -> str:
    """RFC 3676: a line that ends with a space goes on with the next one of the
    same quote depth (« > » marks first, then one space of « stuffing »)."""
    out: list[str] = []
    courante: str | None = None
    profondeur_courante = 0
    for ligne in texte.split("\n"):
        ligne = ligne.rstrip("\r")
        profondeur = len(ligne) - len(ligne.lstrip(">"))
        ligne = ligne[profondeur:]
        if ligne.startswith(" "):
            ligne = ligne[1:]  # space-stuffing
        if courante is not None and profondeur != profondeur_courante:
            out.append(">" * profondeur_courante + (" " if profondeur_courante else "") + courante)
            courante = None
        morceau = (courante or "") + ligne
        if ligne.endswith(" ") and ligne != "-- ":
            courante = morceau[:-1] if delsp else morceau
            profondeur_courante = profondeur
            continue
        out.append(">" * profondeur + (" " if profondeur and morceau else "") + morceau)
        courante = None
    if courante is not None:
        out.append(">" * profondeur_courante + (" " if profondeur_courante else "") + courante)
    return "\n".join(out)


def extraire(texte: str) -> Recue:
    """The fiche in ``texte`` (a file or a mail, see the module), or ReceptionErreur."""
    texte = texte.lstrip("\ufeff")
    message = _depuis_message(texte)
    if message is not None:
        texte = message
    brutes = texte.replace("\r\n", "\n").replace("\r", "\n").split("\n")

    debut = fin = None
    for n, ligne in enumerate(brutes):
        propre = _sans_accents(_CITATION.sub("", ligne)).strip()
        if debut is None and _DEBUT.match(propre):
            debut = n
        elif debut is not None and _FIN.match(propre):
            fin = n
            break
    if debut is None:
        if _FIN.search("\n".join(_sans_accents(x) for x in brutes)):
            raise ReceptionErreur(f"la ligne « {DEBUT} » manque : copiez le courriel en entier")
        # A file as downloaded (or written by hand): the whole text is the
        # fiche, as it is; only the form's mails are re-joined.
        if not "".join(brutes).strip():
            raise ReceptionErreur("texte vide")
        return Recue("\n".join(brutes).rstrip("\n") + "\n", list(range(1, len(brutes) + 1)))
    if fin is None:
        raise ReceptionErreur(f"le message est coupé : la ligne « {FIN} » manque ; la messagerie de "
                              "l'expéditeur a peut-être raccourci un long message : demandez-lui le "
                              "fichier téléchargé depuis le formulaire, en pièce jointe")
    zone, premiere = brutes[debut + 1:fin], debut + 1
    m = _CITATION.match(brutes[debut])
    citation = m.group() if m else ""

    cles = "|".join(map(re.escape, cles_racine()))
    debut_de_ligne = re.compile(rf"^(?:(?:{cles}):(?: |$)|#|$)")
    profondeur = citation.count(">")
    lignes: list[str] = []
    numeros: list[int] = []
    for n, brute in enumerate(zone, start=premiere + 1):
        ligne = brute.rstrip(" \t")
        if profondeur:
            # The quote marks of the marker line, and no more: a line of the
            # fiche may itself begin with « > » (a quotation in a text).
            ligne = re.sub(r"^(?:[ \t]*>){%d}[ \t]?" % profondeur, "", ligne, count=1)
        m = _RETRAIT.match(ligne)
        if m:
            ligne = " " * len(m.group()) + ligne[m.end():]
        if lignes and not debut_de_ligne.match(ligne) and not ligne.startswith(" "):
            # The end of the line before, cut by a mail client.
            lignes[-1] += " " + ligne
            continue
        lignes.append(ligne)
        numeros.append(n)
    while lignes and not lignes[-1].strip():
        lignes.pop()
        numeros.pop()
    while lignes and not lignes[0].strip():
        lignes.pop(0)
        numeros.pop(0)
    if not lignes:
        raise ReceptionErreur("aucune fiche dans ce texte : il est vide entre les lignes de début et de fin")
    return Recue("\n".join(lignes) + "\n", numeros, reperes=True)
