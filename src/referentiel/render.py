"""Turn contributed text into safe HTML, and small formatting helpers.

Contributed text is Markdown *without* raw HTML: tags are shown as text, links
are kept only for http(s) and mailto, images and headings are neutralised.
Nothing here is ever passed to a template engine.
"""

from __future__ import annotations

import html
import os
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache

import markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import AUTOMAIL_RE, InlineProcessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from .lecture.regles import lien_autorise

MOIS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
        "septembre", "octobre", "novembre", "décembre"]


def esc(texte: object) -> str:
    """Escape for HTML text and attribute values."""
    return html.escape(str(texte), quote=True)


# Characters Python-Markdown lets us escape with a backslash.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!])")


def md_inline(texte: str) -> str:
    """Escape a contributed one-line text for a Markdown line (e.g. a heading)."""
    texte = " ".join(str(texte).split())
    return _MD_SPECIAL.sub(r"\\\1", html.escape(texte, quote=False))


def aujourdhui() -> str:
    """Today (UTC) as ``AAAA-MM-JJ``, or the day of ``SOURCE_DATE_EPOCH`` when
    it is set (reproducible builds): the date printed in the PDFs and given to
    a new version."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch else datetime.now(timezone.utc)
    return moment.strftime("%Y-%m-%d")


def date_fr(valeur: str | None) -> str:
    """``2015-04-09`` -> ``9 avril 2015``; ``2015-04`` -> ``avril 2015``."""
    if not valeur:
        return ""
    parts = valeur.split("-")
    try:
        if len(parts) == 3:
            jour = int(parts[2])
            return f"{'1er' if jour == 1 else jour} {MOIS[int(parts[1]) - 1]} {parts[0]}"
        if len(parts) == 2:
            return f"{MOIS[int(parts[1]) - 1]} {parts[0]}"
    except (ValueError, IndexError):
        pass
    return valeur



def mot(n: int, singulier: str, pluriel: str | None = None) -> str:
    """The word agreed with ``n``: ``mot(2, "marquée")`` -> ``marquées``; 0 and 1
    take the singular, as in French."""
    return singulier if n <= 1 else (pluriel or singulier + "s")


def pluriel(n: int, singulier: str, pluriel: str | None = None) -> str:
    """``pluriel(2, "fiche")`` -> ``2 fiches``, ``pluriel(0, "fiche")`` -> ``0 fiche``."""
    return f"{n} {mot(n, singulier, pluriel)}"


@dataclass(frozen=True)
class Lien:
    """A link the Markdown parse found in a text, and what the sanitiser did."""

    cible: str
    genre: str   # "lien", "image", or "definition" (a reference definition)
    garde: bool  # kept as a live link


class _Sanitize(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        liens = self.md.referentiel_liens
        for parent in root.iter():
            for i, el in enumerate(list(parent)):
                if el.tag == "a":
                    href = el.get("href", "")
                    title = el.get("title")
                    el.attrib.clear()
                    garde = lien_autorise(href)
                    liens.append(Lien(href, "lien", garde))
                    if garde:
                        el.set("href", href)
                        el.set("rel", "nofollow noopener")
                        if title:
                            el.set("title", title)
                    else:
                        el.tag = "span"
                elif el.tag == "img":
                    liens.append(Lien(el.get("src", ""), "image", False))
                    # No remote images in contributed text: keep the alt text.
                    span = etree.Element("span")
                    span.text = el.get("alt", "")
                    span.tail = el.tail
                    parent[i] = span
                elif el.tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
                    # Contributed headings would break the page outline.
                    el.tag = "p"
                    el.attrib.clear()
                    el.set("class", "intertitre")


class _Courriel(InlineProcessor):
    """``<a@b.fr>`` or ``<mailto:a@b.fr>`` -> a plain ``mailto:`` link, which
    the sanitiser then judges like any other (Python-Markdown's own writes
    the address as character entities, which no rule can read)."""

    def handleMatch(self, m, data):  # noqa: N802 - Python-Markdown's name
        adresse = self.unescape(m.group(1))
        if adresse.lower().startswith("mailto:"):
            adresse = adresse[len("mailto:"):]
        el = etree.Element("a")
        el.set("href", "mailto:" + adresse)
        el.text = AtomicString(adresse)
        return el, m.start(0), m.end(0)


class _SafeExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.inlinePatterns.register(_Courriel(AUTOMAIL_RE, md), "automail", 110)
        md.treeprocessors.register(_Sanitize(md), "referentiel_sanitize", 1)
        md.referentiel_liens = []


_MD = markdown.Markdown(extensions=["sane_lists", _SafeExtension()], output_format="html")


# A one-line text with none of Markdown's special characters, which does not
# start like a list, a quote, a heading or a code block, is one paragraph of
# itself: no need to run Python-Markdown (a test checks both agree).
_TEXTE_SIMPLE = re.compile(r"[^\\`*_\[\]<>&!#|~{}\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_DEBUT_SPECIAL = re.compile(r"[-+=]|\d+[.)]")


@lru_cache(maxsize=200_000)
def md(texte: str | None) -> str:
    """Contributed Markdown -> safe HTML (block level).

    Memoised: the same text (a finding, a value) appears on the fiche page, on
    the criterion and indicator pages and in the PDFs.
    """
    if not texte:
        return ""
    texte = str(texte)
    if (_TEXTE_SIMPLE.fullmatch(texte) and texte == texte.strip() and "  " not in texte
            and not _DEBUT_SPECIAL.match(texte)):
        return f"<p>{texte}</p>"
    return md_lent(texte)


def md_lent(texte: str) -> str:
    """Always through Python-Markdown (the slow path of ``md``, and its test)."""
    return _analyser(str(texte))[0]


def liens(texte: str) -> tuple[Lien, ...]:
    """Every link of a contributed text, as the renderer reads and filters it:
    the validator's only definition of a link."""
    return _analyser(str(texte))[1]


@lru_cache(maxsize=4096)
def _analyser(texte: str) -> tuple[str, tuple[Lien, ...]]:
    _MD.reset()
    trouves: list[Lien] = []
    _MD.referentiel_liens = trouves
    sortie = _MD.convert(texte)
    # A reference definition (« [nom]: adresse ») shows nothing by itself:
    # one with a refused target is reported even when no link uses it.
    for cible, _titre in _MD.references.values():
        if not lien_autorise(cible):
            trouves.append(Lien(cible, "definition", False))
    return sortie, tuple(trouves)


def md_ligne(texte: str | None) -> str:
    """Contributed Markdown for a table cell: the same, without a wrapping <p>."""
    out = md(texte)
    if out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
        return out[3:-4]
    return out


_INTACTS = re.compile(r"(<pre[\s>].*?</pre>|<textarea[\s>].*?</textarea>|<script[\s>].*?</script>)",
                      re.S | re.I)
_LIGNES_VIDES = re.compile(r"\n[ \t]*(?=\n)")
_RETRAIT = re.compile(r"\n[ \t]+")


def alleger_html(page: str) -> str:
    """Drop the blank lines and indentation of a built page (a fifth of a fiche
    page is the theme's template whitespace). Every run of whitespace keeps at
    least one newline, so the page renders the same; ``<pre>``, ``<textarea>``
    and ``<script>`` are left as they are."""
    parties = _INTACTS.split(page)
    for k in range(0, len(parties), 2):
        parties[k] = _RETRAIT.sub("\n", _LIGNES_VIDES.sub("", parties[k]))
    return "".join(parties)
