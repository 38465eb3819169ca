"""Raw HTML blocks in generated Markdown, and the HTML tables they hold."""

from __future__ import annotations

import itertools
import json
import re
import secrets

from ..render import esc


def _div_bloc(html: str, recherche: bool = True) -> str:
    # data-search-exclude: Material's search skips the block. Lists of fiches
    # on criterion, indicator and dimension pages repeat what each fiche's own
    # page says; left out of the index, a search leads to the fiche itself
    # (and the index stays a third smaller).
    # (A <section>, not a <div>: Material's search parser tells elements apart
    # by tag name only, so the first nested </div> would end the exclusion.)
    if recherche:
        return f'<div class="ref-bloc">\n{html}\n</div>'
    return f'<section class="ref-bloc" data-search-exclude>\n{html}\n</section>'


def script_json(ident: str, donnees: object) -> str:
    """Data for a page's script, as a JSON script element (``id`` ``ident``):
    nothing in it can close the element or open a comment."""
    texte = (json.dumps(donnees, ensure_ascii=False, separators=(",", ":"))
             .replace("</", "<\\/").replace("<!--", "<\\u0021--"))
    return f'<script type="application/json" id="{ident}">{texte}</script>'


def bloc(html: str, recherche: bool = True) -> str:
    """A raw HTML block, kept intact by Markdown."""
    return f"\n{_div_bloc(html, recherche)}\n\n"


class Blocs:
    """Raw HTML kept out of Markdown, put back into the page's HTML afterwards.

    Python-Markdown stashes raw HTML blocks with an HTML parser, which costs
    as much as everything else in a page; our blocks are already safe HTML.
    With a ``Blocs``, :class:`Rendu` writes a one-word paragraph instead
    (``refbloc<nonce>n<k>``, the nonce drawn anew for each build so that no
    contributed text can guess it) and :meth:`remplacer` swaps each such
    paragraph for its HTML. The built pages are byte for byte the same.

    Blocks kept out of the search index (``recherche=False``: lists of
    fiches, big tables) are put back one step later, by :meth:`finaliser` on
    the finished page: the search indexer, which parses every page's HTML
    with Python's HTML parser, then never reads them at all.
    """

    def __init__(self) -> None:
        self.nonce = secrets.token_hex(8)
        self._html: dict[str, str] = {}
        self._numeros = itertools.count()
        self._differes: set[str] = set()
        self._motif = re.compile(rf"<p>(refbloc{self.nonce}n\d+)</p>")
        self._commentaire = re.compile(rf"<!--(refbloc{self.nonce}n\d+)-->")

    def jeton(self, html: str, recherche: bool = True) -> str:
        """Markdown standing for ``html`` (a block of its own)."""
        cle = f"refbloc{self.nonce}n{next(self._numeros)}"
        self._html[cle] = html
        if not recherche:
            self._differes.add(cle)
        return f"\n\n{cle}\n\n"

    def bloc(self, html: str, recherche: bool = True) -> str:
        return self.jeton(_div_bloc(html, recherche), recherche)

    def remplacer(self, page_html: str) -> str:
        """Put every block back into a page's HTML, except those kept out of
        search, which become a comment until :meth:`finaliser`."""
        def un(m: re.Match) -> str:
            cle = m.group(1)
            if cle in self._differes:
                return f"<!--{cle}-->"
            return self._html.pop(cle)

        out = self._motif.sub(un, page_html)
        if self._motif.search(out) or self.nonce in self._commentaire.sub("", out):
            raise ValueError("bloc HTML non remplacé : le Markdown autour d'un bloc a été modifié")
        return out

    def finaliser(self, page_html: str, garder: bool = False) -> str:
        """Put back the blocks kept out of search (in the finished page).
        ``garder``: leave them available (for a copy of the page, a PDF chapter)."""
        def un(m: re.Match) -> str:
            cle = m.group(1)
            if garder:
                return self._html[cle]
            self._differes.discard(cle)
            return self._html.pop(cle)

        out = self._commentaire.sub(un, page_html)
        if self.nonce in out:
            raise ValueError("bloc HTML non remplacé dans la page finale")
        return out

    def expandre(self, markdown: str) -> str:
        """The Markdown with each block written inline (what a person would write)."""
        return re.sub(rf"refbloc{self.nonce}n\d+", lambda m: self._html[m.group(0)], markdown)


# The opening tag of a table cell, and its colspan.
_CELLULE = re.compile(r"<t[dh](?=[\s>])[^>]*>")
_COLSPAN = re.compile(r'\scolspan="(\d+)"')


def etiqueter(ligne: str, entetes: list[str]) -> str:
    """A row (``<tr>…</tr>``, our own HTML, contributed text escaped) with each
    cell given its column's header as ``data-label``.

    On a phone the stylesheet (docs/stylesheets/tableaux.css) stacks each row
    and writes that label before the value, so that no column is off-screen;
    the table keeps its headers for screen readers. A cell spanning several
    columns (a group heading) gets no label; rows may not use rowspan.
    """
    colonne = 0

    def un(m: re.Match) -> str:
        nonlocal colonne
        balise = m.group(0)
        if " rowspan=" in balise:
            raise ValueError("tableau : rowspan n'est pas pris en charge (étiquettes de colonnes)")
        span = _COLSPAN.search(balise)
        largeur = int(span.group(1)) if span else 1
        if colonne + largeur > len(entetes):
            raise ValueError(f"tableau : une ligne a plus de cellules que de colonnes ({len(entetes)})")
        etiquette = entetes[colonne] if largeur == 1 else None
        colonne += largeur
        if etiquette is None:
            return balise
        return f'{balise[:3]} data-label="{esc(etiquette)}"{balise[3:]}'

    return _CELLULE.sub(un, ligne)


def tableau(legende: str, entetes: list[str], lignes: list[str],
            groupes: list[list[str]] | None = None, variante: str = "") -> str:
    """An HTML table with a caption and column headers; ``legende`` is escaped.

    Each row is one ``<tr>``; every cell gets its column's label (``etiqueter``).
    ``groupes``: the rows as several ``<tbody>``, one per group (``lignes`` is
    then ignored). The table sits in a ``<div class="ref-tableau">`` (plus
    ``ref-tableau--<variante>``), which the stylesheet uses to undo Material's
    sideways-scrolling box on a phone.
    """
    tete = "".join(f'<th scope="col">{esc(e)}</th>' for e in entetes)
    corps = "".join("<tbody>\n" + "\n".join(etiqueter(x, entetes) for x in g) + "\n</tbody>\n"
                    for g in (groupes if groupes is not None else [lignes]))
    classe = f"ref-tableau ref-tableau--{variante}" if variante else "ref-tableau"
    return (f'<div class="{classe}">\n<table>\n<caption>{esc(legende)}</caption>\n'
            f"<thead><tr>{tete}</tr></thead>\n{corps}</table>\n</div>")
