"""The rules on contributed text, defined once.

Each rule here is the only definition of itself: the validator, the renderer,
the command-line tools and (through :func:`pour_le_navigateur`, as data) the
browser form all use it.

- *Characters*: control characters, bidirectional controls and zero-width
  characters are refused in one-line fields; control and bidirectional
  characters in long texts too (a line break stays allowed there).
- *Links*: ``https://…``, ``http://…`` with a host and no user name, or
  ``mailto:`` with exactly one address and nothing after it.
- *Ids*: a slug that is a file name on every common system (no Windows
  reserved name) and no page name of the site.
- *Dates*: ``AAAA``, ``AAAA-MM`` or a real calendar day ``AAAA-MM-JJ``.
- *Output*: a contributed value echoed in a terminal or a CI log is made
  inert (no escape sequence, no line break, no workflow command).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Any

# --------------------------------------------------------------------------
# Characters

# C0 (but the line break, allowed in long texts), DEL and C1; line and
# paragraph separators (U+2028, U+2029), which are not ordinary line breaks.
CONTROLES = r"\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029"
# Bidirectional embeddings, overrides, isolates and marks: they can make a
# text display in another order than the one it is written in.
BIDI = r"\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# Invisible characters of zero width.
LARGEUR_NULLE = r"\u180e\u200b-\u200d\u2060-\u2064\ufeff"

# What each kind of field refuses.
INTERDITS_UNE_LIGNE = re.compile(f"[\\n{CONTROLES}{BIDI}{LARGEUR_NULLE}]")
INTERDITS_TEXTE_LONG = re.compile(f"[{CONTROLES}{BIDI}]")


def nom_caractere(c: str) -> str:
    """``U+202E`` with what it is, in French, for a message."""
    code = f"U+{ord(c):04X}"
    if c == "\n":
        return f"retour à la ligne ({code})"
    if c == "\t":
        return f"tabulation ({code})"
    if re.match(f"[{BIDI}]", c):
        return f"caractère de direction du texte {code}"
    if re.match(f"[{LARGEUR_NULLE}]", c):
        return f"caractère invisible {code}"
    return f"caractère de contrôle {code}"


def probleme_caracteres(texte: str, long: bool) -> tuple[int, str] | None:
    """The position of the first refused character and a French message, or None."""
    m = (INTERDITS_TEXTE_LONG if long else INTERDITS_UNE_LIGNE).search(texte)
    if m is None:
        return None
    c = m.group()
    if c == "\n":
        aide = ("ce champ tient sur une ligne ; écrivez-le sur une seule ligne "
                "(avec « >- » plutôt que « | » ou « > »)")
    elif c == "\t":
        aide = "remplacez-la par une espace"
    elif re.match(f"[{BIDI}]", c):
        aide = ("il peut faire afficher le texte dans un autre ordre que celui où il est écrit ; "
                "supprimez-le")
    else:
        aide = "supprimez-le (il a pu être copié avec le texte, depuis un traitement de texte ou une page web)"
    accord = "interdite" if c == "\t" else "interdit"
    return m.start(), f"{nom_caractere(c)} {accord} ; {aide}"


# --------------------------------------------------------------------------
# Cost
#
# Python-Markdown has super-linear cases (benchmarks/pire_cas.py measures
# them): each « [ » scans forward to its « ] » (escapes and code spans,
# turned into long placeholders first, make the scan longer), each « ]( »
# to its « ) », each separator line splits the paragraph and the rest is
# scanned again, and nested lists have no recursion guard (about 500 levels
# crash the build). WeasyPrint, for the PDFs, slows down with the number of
# inline elements (emphasis, code, links), above all inside one word. A 5000-character text of « [\\] » takes 5 s. These
# bounds make the worst accepted text linear (about 40 ms at 5000
# characters, against 1 ms for ordinary prose). Their regular expressions
# cannot backtrack: the check itself stays linear.

# The longest text a fiche may hold (the schema's « texte-long »); the link
# check never parses a longer one (the schema reports it).
LONGUEUR_MAX_TEXTE = 5000
MAX_CROCHET = 300          # characters between « [ » and « ] »
MAX_CIBLE = 500            # characters between « ( » and « ) » right after « ] »
MAX_MARQUEURS = 6          # list or quote markers at the start of a line
MAX_MARQUEURS_TEXTE = 150  # the same, in all the lines of a text (each is a block to lay out)
MAX_LIGNES = 150           # non-empty lines per text (each may be a block to lay out)
MAX_LIGNES_SPECIALES = 20  # separator or underline lines and « [x]: » lines per text
MAX_MARQUES = 200          # inline markers (« * », « _ », « ` », « [ », « < ») per text

# A « [ » opens « [texte] » (no « [ », « ] », backtick, backslash or blank
# line inside), maybe followed by « (cible) » (no « [ ] " ' ` \\ < > » or line
# break inside, one level of parentheses).
_C = r"[^()\[\]\"'`\\<>\n]"
_CROCHET_TEXTE = rf"\[(?:[^\[\]`\\\n]|\n(?![ ]*\n)){{0,{MAX_CROCHET}}}\]"
_CROCHET = re.compile(_CROCHET_TEXTE + rf"(?:\((?:{_C}|\({_C}*\)){{0,{MAX_CIBLE}}}\)|(?!\())")
_CROCHET_TEXTE = re.compile(_CROCHET_TEXTE)
# Lines that split a paragraph (counted generously, also inside quotes and lists).
# « (?=(X))\\1 » is an atomic group (no backtracking into X) written so that
# JavaScript, which receives these patterns for the form, reads it too.
_SPECIALE = re.compile(r"^(?=((?:[ >]|[-*+][ ]|\d{1,9}[.)][ ])*))\1(?:(?:[-=*_][ ]*)+$|\[[^\]\n]*\]:)"
                       r"|^[ >]*[-=*_][-=*_ >]*$", re.M)
_MARQUES = re.compile(r"[*_`\[<]")
_LIGNE_NON_VIDE = re.compile(r"^[ \t]*\S", re.M)
# What Python-Markdown takes for a horizontal rule (not a list, whatever its dashes).
_REGLE = re.compile(r"[ ]{0,3}(?:(?:-[ ]{0,2}){3,}|(?:_[ ]{0,2}){3,}|(?:\*[ ]{0,2}){3,})[ ]*")
_MARQUEURS = re.compile(rf"^[ ]*(?:(?:[-*+]|\d{{1,9}}[.)])[ ]+|>[ ]*){{{MAX_MARQUEURS + 1}}}", re.M)


_EN_TETE = re.compile(r"^[ ]*(?:(?:[-*+]|\d{1,9}[.)])[ ]+|>[ ]*)+", re.M)
_UN_MARQUEUR = re.compile(r"[-*+>]|\d{1,9}[.)]")


def _marqueurs_du_texte(texte: str) -> int:
    return sum(len(_UN_MARQUEUR.findall(m.group())) for m in _EN_TETE.finditer(texte))


def _trop_de_marqueurs(texte: str) -> bool:
    for m in _MARQUEURS.finditer(texte):
        fin = texte.find("\n", m.start())
        if not _REGLE.fullmatch(texte[m.start(): fin if fin >= 0 else len(texte)]):
            return True
    return False


def probleme_cout(texte: str) -> str | None:
    """A French message for a Markdown text that would take Markdown too long
    to render (or crash it), or None."""
    if not peut_couter(texte):
        return None
    texte = texte.replace("\r\n", "\n").replace("\r", "\n").expandtabs(4)  # as Markdown does
    debut = 0
    while (i := texte.find("[", debut)) >= 0:
        debut = i + 1
        echappe = (i - len(texte[:i].rstrip("\\"))) % 2 == 1  # « \[ » is a plain bracket
        if echappe or _CROCHET.match(texte, i):
            continue
        if _CROCHET_TEXTE.match(texte, i):
            return (f"lien dont l'adresse entre parenthèses ne se ferme pas (« ) » à {MAX_CIBLE} caractères "
                    "au plus, sans guillemets, « < », « > » ni retour à la ligne) : ce texte prendrait "
                    "trop de temps à mettre en page ; écrivez le lien sous la forme [texte](https://…)")
        return (f"crochet « [ » sans « ] » proche (à {MAX_CROCHET} caractères au plus, sans autre « [ », "
                "accent grave, « \\ » ni ligne vide entre les deux) : ce texte prendrait trop de temps "
                "à mettre en page ; fermez le crochet, ou écrivez « \\[ » pour un crochet seul")
    if _trop_de_marqueurs(texte):
        return (f"plus de {MAX_MARQUEURS} marqueurs de liste ou de citation (« - », « > », « 1. ») "
                "en début de ligne : une imbrication si profonde ne peut pas être mise en page ; "
                "simplifiez-la")
    if _marqueurs_du_texte(texte) > MAX_MARQUEURS_TEXTE:
        return (f"plus de {MAX_MARQUEURS_TEXTE} marqueurs de liste ou de citation (« - », « > », « 1. ») "
                "dans un même texte : il prendrait trop de temps à mettre en page, sur le site et dans "
                "les PDF ; regroupez les éléments en paragraphes")
    if len(_LIGNE_NON_VIDE.findall(texte)) > MAX_LIGNES:
        return (f"plus de {MAX_LIGNES} lignes dans un même texte : il prendrait trop de temps à mettre en "
                "page, sur le site et dans les PDF ; regroupez les lignes en paragraphes")
    if len(_MARQUES.findall(texte)) > MAX_MARQUES:
        return (f"plus de {MAX_MARQUES} marques de mise en forme (« * », « _ », « ` », « [ », « < ») dans "
                "un même texte : il prendrait trop de temps à mettre en page, sur le site et dans les PDF ; "
                "allégez la mise en forme")
    if len(_SPECIALE.findall(texte)) > MAX_LIGNES_SPECIALES:
        return (f"plus de {MAX_LIGNES_SPECIALES} lignes de séparation (« --- », « *** », « === ») ou de "
                "définitions « [nom]: » dans un même texte : il prendrait trop de temps à mettre en "
                "page ; supprimez-en")
    return None


def peut_couter(texte: str) -> bool:
    """Whether :func:`probleme_cout` may refuse something in ``texte``: cheap,
    and never false when it would."""
    return ("[" in texte or _MARQUEURS.search(texte) is not None
            or (len(texte) > MAX_MARQUES and len(_MARQUES.findall(texte)) > MAX_MARQUES)
            or texte.count("\n") >= min(MAX_LIGNES, MAX_MARQUEURS_TEXTE // MAX_MARQUEURS)
            or (texte.count("\n") >= MAX_LIGNES_SPECIALES
                and len(_SPECIALE.findall(texte)) > MAX_LIGNES_SPECIALES))


# --------------------------------------------------------------------------
# Links

# Characters no link may hold: spaces, quotes, angle brackets, backslashes
# (browsers read it as « / »), and every refused character above.
_HORS_LIEN = f"\\s<>\"'`\\\\{CONTROLES}{BIDI}{LARGEUR_NULLE}\\u00ad"
# http(s): a host (no « user@ » before it, which would hide the real host),
# an optional port, then an optional path, query or fragment.
MOTIF_HTTP = f"https?://[^/?#@:{_HORS_LIEN}]+(?::[0-9]{{1,5}})?(?:[/?#][^{_HORS_LIEN}]*)?"
# mailto: one address, and nothing else (no « ? », « , », « cc », « body »).
_ETIQUETTE = "[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
ADRESSE = f"[A-Za-z0-9._+-]+@{_ETIQUETTE}(?:\\.{_ETIQUETTE})+"
MOTIF_MAILTO = f"mailto:{ADRESSE}"
# The whole rule, as the fiche schema's « lien » pattern writes it (a test
# checks the schema against it).
MOTIF_LIEN = f"^(?:{MOTIF_HTTP}|{MOTIF_MAILTO})$"
_LIEN = re.compile(MOTIF_LIEN)

# Where Python-Markdown may make a link or an image: an inline link (« ](»),
# a reference definition (« ]: », which reference links need in the same
# text), an autolink or an automatic e-mail link (the starts of Markdown's
# AUTOLINK_RE and AUTOMAIL_RE). A superset, checked by a property test: a
# text it does not match has no link in the renderer's parse.
DEBUT_LIEN = re.compile(r"\]\(|\]:|<[A-Za-z][A-Za-z0-9+.-]*://|<[^<> !]+@")


def peut_contenir_lien(texte: str) -> bool:
    """Whether Markdown may find a link in a text (only these go through
    the link check's Markdown parse)."""
    return DEBUT_LIEN.search(texte) is not None


MESSAGE_LIEN = ("seuls les liens https://, http:// et mailto: sont acceptés (une adresse web sans "
                "nom d'utilisateur devant, ou une seule adresse de courriel, sans « ? » ni rien après)")


def lien_autorise(cible: str) -> bool:
    """Whether a link target may be a live link on the site."""
    return len(cible) <= 500 and _LIEN.match(cible) is not None


# --------------------------------------------------------------------------
# Ids and slugs

SLUG = "^[a-z0-9]+(-[a-z0-9]+)*$"
MOTIF_SLUG = re.compile(SLUG)
LONGUEUR_SLUG = 60

# Names Windows refuses as file or folder names, with or without an extension.
NOMS_WINDOWS = frozenset(
    ["con", "prn", "aux", "nul"]
    + [f"com{n}" for n in range(10)] + [f"lpt{n}" for n in range(10)]
)
# Names the site itself uses under fiches/ (the list of fiches is
# fiches/index.md; MkDocs also reads a README.md as a folder's index).
NOMS_SITE_FICHES = frozenset(["index", "readme"])

# Letters that Unicode decomposition does not turn into ASCII.
TRANSLITTERATION = {
    "œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "ẞ": "SS", "ø": "o", "Ø": "O",
    "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "ł": "l", "Ł": "L", "þ": "th", "Þ": "TH",
    "ı": "i", "ħ": "h", "Ħ": "H", "ŧ": "t", "Ŧ": "T",
}
_TRANSLITTERER = str.maketrans(TRANSLITTERATION)


def nom_reserve(nom: str, noms_site: frozenset[str] = NOMS_SITE_FICHES) -> str | None:
    """Why a fiche id (or file name) can't be used, in French, or None."""
    base = nom.split(".", 1)[0].lower()
    if base in NOMS_WINDOWS:
        return (f"« {nom} » est un nom réservé par Windows (comme con, aux, nul, prn, com1 ou lpt1) : "
                "le fichier ne pourrait pas y être enregistré")
    if base in noms_site:
        return f"« {nom} » est le nom d'une page du site sous fiches/"
    return None


def slugifier(texte: str, noms_site: frozenset[str] = NOMS_SITE_FICHES) -> str:
    """A title -> a fiche id: ASCII lowercase letters, digits and hyphens.

    « Cœur de quartier » -> ``coeur-de-quartier``. A name that can't be used
    gets ``-fiche`` added.
    """
    t = unicodedata.normalize("NFKD", texte.translate(_TRANSLITTERER))
    t = t.encode("ascii", "ignore").decode().lower()
    t = re.sub(r"[^a-z0-9]+", "-", t).strip("-")
    t = t[:LONGUEUR_SLUG].strip("-") or "ma-fiche"
    if nom_reserve(t, noms_site):
        t = t[: LONGUEUR_SLUG - len("-fiche")].strip("-") + "-fiche"
    return t


# --------------------------------------------------------------------------
# Dates

MOTIF_DATE = "^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"
# A full day only (the référentiel's own mise_a_jour).
MOTIF_JOUR = "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
_JOUR = re.compile(MOTIF_JOUR)


def date_inexistante(texte: str) -> str | None:
    """A French message if ``AAAA-MM-JJ`` is not a day of the calendar (30 February)."""
    m = _JOUR.match(texte)
    if m is None:
        return None
    try:
        date(*(int(x) for x in texte.split("-")))
    except ValueError:
        return f"le {texte} n'existe pas dans le calendrier ; vérifiez le jour et le mois"
    return None


# --------------------------------------------------------------------------
# Output

_INVISIBLES = re.compile(f"[\\n{CONTROLES}{BIDI}{LARGEUR_NULLE}]")


def visible(texte: str) -> str:
    """Every control, bidirectional or invisible character as ``<U+XXXX>``,
    and no ``##[`` (the Actions runner's older command prefix, which it reads
    anywhere in a line)."""
    t = _INVISIBLES.sub(lambda m: f"<U+{ord(m.group()):04X}>", str(texte))
    return t.replace("##[", "#<U+0023>[")


def ligne_sure(texte: str) -> str:
    """One line for a terminal or a GitHub Actions log that can't act on it:
    :func:`visible`, and no ``::`` at the start of the line (a workflow
    command, such as ``::stop-commands::``, which would end the annotations)."""
    t = visible(texte)
    if t.lstrip().startswith("::"):
        t = "<U+003A>" + t.lstrip()[1:]
    return t


# --------------------------------------------------------------------------
# For the browser


def pour_le_navigateur(noms_site: frozenset[str] = NOMS_SITE_FICHES) -> dict[str, Any]:
    """These rules as data for the form's JavaScript (regular expressions
    written for both Python and JavaScript), so that it restates none."""
    from markdown.inlinepatterns import AUTOLINK_RE, AUTOMAIL_RE

    return {
        "lien": MOTIF_LIEN,
        "message_lien": MESSAGE_LIEN,
        # Where a Markdown text may hold a link (a superset of what the
        # validator's Markdown parse finds: the browser checks more, never less).
        "candidats_liens": {
            "image": r"!\[[^\n]*?\]\(",
            "lien": r"\]\(\s*<?([^)\s>]*)",
            "definition": r"\[[^\n]*\]:\s*<?([^\s>]*)",
            "autolien": AUTOLINK_RE,
            "courriel": AUTOMAIL_RE,
        },
        "interdits_une_ligne": INTERDITS_UNE_LIGNE.pattern,
        "interdits_texte_long": INTERDITS_TEXTE_LONG.pattern,
        "bidi": f"[{BIDI}]",
        "largeur_nulle": f"[{LARGEUR_NULLE}]",
        # The cost bound (probleme_cout), for the same refusals before sending.
        "cout": {
            "crochet": _CROCHET.pattern, "crochet_texte": _CROCHET_TEXTE.pattern,
            "marqueurs": _MARQUEURS.pattern, "regle": _REGLE.pattern, "speciale": _SPECIALE.pattern,
            "max_crochet": MAX_CROCHET, "max_cible": MAX_CIBLE, "max_marqueurs": MAX_MARQUEURS,
            "max_lignes_speciales": MAX_LIGNES_SPECIALES,
            "marques": _MARQUES.pattern, "max_marques": MAX_MARQUES,
            "ligne_non_vide": _LIGNE_NON_VIDE.pattern, "max_lignes": MAX_LIGNES,
            "en_tete": _EN_TETE.pattern, "un_marqueur": _UN_MARQUEUR.pattern,
            "max_marqueurs_texte": MAX_MARQUEURS_TEXTE,
        },
        "slug": SLUG,
        "longueur_slug": LONGUEUR_SLUG,
        "translitteration": TRANSLITTERATION,
        "noms_reserves": sorted(NOMS_WINDOWS | noms_site),
    }
