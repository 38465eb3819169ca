"""The hand-written chapters of the report: the pages MkDocs rendered, made
parts of one document.

Read with Python's HTML parser, token by token, and written back as they
were, except for what the report changes: every id gets the chapter's
prefix (``page-contexte--...``), links to pages of the report become links
to their anchors (to the site or to nothing otherwise), and what is meant
for the web only goes (heading permalinks, « web-seulement » blocks,
buttons). The first heading becomes the chapter's anchor.
"""

from __future__ import annotations

import html as htmlmod
import posixpath
from dataclasses import dataclass
from html.parser import HTMLParser

from ...render import esc
from .liens import ancre_pdf

TITRES = {"h1", "h2", "h3", "h4", "h5", "h6"}


@dataclass
class Chapitre:
    url: str      # the page URL on the site, e.g. "contexte/"
    src_uri: str  # e.g. "contexte.md"
    html: str     # the rendered body (page.content)


def _web_seulement(tag: str, attrs: dict[str, str | None]) -> bool:
    """Parts of hand-written pages meant for the web only."""
    classes = (attrs.get("class") or "").split()
    if tag == "a":
        return "headerlink" in classes or any(c.startswith("md-button") for c in classes)
    return tag == "div" and classes == ["web-seulement"]


def _avec_attribut(balise: str, nom: str, valeur: str) -> str:
    """The start tag as written, with one attribute's value replaced
    (``valeur`` escaped); the others are left exactly as they were."""
    for guillemet in ('"', "'"):
        debut = balise.find(f" {nom}={guillemet}")
        if debut >= 0:
            debut += len(nom) + 3
            fin = balise.index(guillemet, debut)
            return balise[:debut] + valeur + balise[fin:]
    raise ValueError(f"attribut {nom} introuvable dans {balise}")


class _Reecriture(HTMLParser):
    def __init__(self, prefixe: str, cible):
        super().__init__(convert_charrefs=False)
        self.prefixe = prefixe
        self.cible = cible          # href -> new href, or None: no link
        self.out: list[str] = []
        self.retire: tuple[str, int] | None = None   # (tag, depth) of a part left out
        self.lien_en_span = False
        self.premier_titre = False
        self.titre: list[str] | None = None          # text of the first h1, for the contents
        self.titre_fini = False

    def _ecrire(self, texte: str) -> None:
        if self.retire is None:
            self.out.append(texte)

    def handle_starttag(self, tag, attrs):
        self._balise(tag, attrs, self.get_starttag_text() or "")

    def handle_startendtag(self, tag, attrs):
        self._balise(tag, attrs, self.get_starttag_text() or "", vide=True)

    def _balise(self, tag: str, attrs: list, texte: str, vide: bool = False) -> None:
        d = dict(attrs)
        if self.retire is not None:
            if tag == self.retire[0] and not vide:
                self.retire = (tag, self.retire[1] + 1)
            return
        if _web_seulement(tag, d) and not vide:
            self.retire = (tag, 1)
            return
        if d.get("id"):
            texte = _avec_attribut(texte, "id", esc(f"{self.prefixe}--{d['id']}"))
        if tag == "a" and d.get("href") is not None:
            nouveau = self.cible(d["href"])  # the parser gives values unescaped
            if nouveau is None:
                texte, self.lien_en_span = "<span>", True
            elif nouveau != d["href"]:
                texte = _avec_attribut(texte, "href", esc(nouveau))
        if tag in TITRES and not self.premier_titre and set(d) <= {"id"}:
            self.premier_titre = True
            texte = f'<{tag} id="{self.prefixe}" class="chapitre">'
        if tag == "h1" and self.titre is None:
            self.titre = []
        self._ecrire(texte)

    def handle_endtag(self, tag):
        if self.retire is not None:
            if tag == self.retire[0]:
                n = self.retire[1] - 1
                self.retire = None if n == 0 else (tag, n)
            return
        if tag == "a" and self.lien_en_span:
            self.lien_en_span = False
            self._ecrire("</span>")
            return
        if tag == "h1" and self.titre is not None:
            self.titre_fini = True
        self._ecrire(f"</{tag}>")

    def handle_data(self, data):
        if self.retire is None and self.titre is not None and not self.titre_fini:
            self.titre.append(data)
        self._ecrire(data)

    def handle_entityref(self, name):
        self.handle_data(f"&{name};")

    def handle_charref(self, name):
        self.handle_data(f"&#{name};")

    def handle_comment(self, data):
        self._ecrire(f"<!--{data}-->")

    def handle_decl(self, decl):
        self._ecrire(f"<!{decl}>")

    def handle_pi(self, data):
        self._ecrire(f"<?{data}>")

    def unknown_decl(self, data):
        self._ecrire(f"<![{data}]>")


def chapitre_html(ch: Chapitre, urls_site: dict[str, str], site_url: str | None) -> tuple[str, str]:
    """A rendered page made a chapter of the report: its HTML, and its title for the contents.

    ``urls_site``: the site URL of each page that is part of the report -> its anchor.
    """
    prefixe = ancre_pdf(ch.src_uri)
    page_dir = ch.url if ch.url.endswith("/") or not ch.url else posixpath.dirname(ch.url) + "/"

    def cible(href: str) -> str | None:
        if _externe(href):
            return href
        chemin, _, frag = href.partition("#")
        if not chemin:
            ancre = prefixe
        else:
            absolu = posixpath.normpath(posixpath.join("/" + page_dir, chemin)).lstrip("/")
            if chemin.endswith("/") and absolu != ".":
                absolu += "/"
            absolu = "" if absolu in (".", "./") else absolu
            ancre = urls_site.get(absolu)
            if ancre is None:
                if site_url and not absolu.endswith(".pdf"):
                    return site_url.rstrip("/") + "/" + absolu + (f"#{frag}" if frag else "")
                return None
        return "#" + ancre + (f"--{frag}" if frag else "")

    lecteur = _Reecriture(prefixe, cible)
    lecteur.feed(ch.html)
    lecteur.close()
    titre = "".join(lecteur.titre or []).strip() or ch.url
    return "".join(lecteur.out), htmlmod.unescape(titre)


def _externe(href: str) -> bool:
    """``https:``, ``mailto:``…: a scheme, which the report leaves as it is."""
    schema, sep, _ = href.partition(":")
    return bool(sep) and bool(schema) and schema[0].isascii() and schema[0].isalpha() and all(
        c.isascii() and (c.isalnum() or c in "+.-") for c in schema)
