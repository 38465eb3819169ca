"""What every page kind shares: the rendering context and its small pieces
(links, badges, provenance, « Citer cette page »)."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass

from markdown.extensions.toc import slugify

from ..modele import LICENCES, PROVENANCES, Critere, Fiche, Indicateur, Referentiel
from ..render import date_fr, esc, md_inline
from .blocs import Blocs, bloc
from .liens import Urls, src_critere, src_fiche, src_indicateur


def front_matter(titre: str, description: str | None = None) -> str:
    # JSON strings are valid YAML: no contributed text can break out of them.
    lignes = ["---", f"title: {json.dumps(esc(titre), ensure_ascii=False)}"]
    if description:
        texte = " ".join(description.split())[:300]
        lignes.append(f"description: {json.dumps(esc(texte), ensure_ascii=False)}")
    lignes.append("---")
    return "\n".join(lignes) + "\n\n"



NOTICE_EXEMPLE = (
    "Cette fiche illustre le format des fiches d'évaluation. Elle a été reconstituée "
    "par l'équipe du site à partir de sources publiques citées plus bas : ce n'est pas la "
    "fiche rédigée par l'acteur, et ses valeurs n'ont pas été mesurées."
)

NOTICE_PROPOSITION = (
    "La formulation de cet élément est une proposition de l'équipe du site : aucune source "
    "publique ne donne le texte exact du référentiel de 2015."
)


def titre_court(titre: str, longueur: int = 90) -> str:
    """A title cut at a word before ``longueur`` characters, with « … »: the
    running header of a printed page holds one line."""
    titre = " ".join(titre.split())
    if len(titre) <= longueur:
        return titre
    coupe = titre[:longueur].rsplit(" ", 1)[0] if " " in titre[:longueur] else titre[:longueur]
    return coupe.rstrip(" ,;:·–-") + "…"


@dataclass(frozen=True)
class Titres:
    """How a page's headings and ids come out. On the site, as written. In a
    document that holds several pages (the report), one level down
    (``decalage``) with every id prefixed by the page's anchor (``prefixe``:
    ``fiche-x--presentation``). ``premier``: the id and class of the page's
    first heading, the target of links to the page."""

    prefixe: str | None = None
    decalage: int = 0
    premier: tuple[str, str] | None = None


class Rendu:
    """Renders every page of the référentiel; indexes come from the model.

    ``urls`` decides where links point (site pages, PDF anchors, absolute
    addresses); ``pdf_fiches`` adds the « Télécharger la fiche (PDF) » link;
    ``imprime``: the page is printed (a PDF), for a reader who has no site at
    hand: no repository path, and a fiche's heading block says what is missing.
    """

    def __init__(self, ref: Referentiel, urls: Urls | None = None, pdf_fiches: bool = False,
                 site_url: str | None = None, blocs: Blocs | None = None, titres: Titres | None = None,
                 imprime: bool = False):
        self.ref = ref
        self.imprime = imprime
        self.urls = urls or Urls()
        self.pdf_fiches = pdf_fiches
        self.site_url = (site_url or "").rstrip("/")
        self.blocs = blocs
        self.titres = titres or Titres()
        # The page of the form « Proposer une fiche », when the site has it (the
        # adapter sets it): each fiche page links to it, « Mettre à jour cette fiche ».
        self.formulaire: str | None = None

    def titre_de_page(self, titre: str) -> str:
        """The page's own heading: its title (plain text). In a document that
        holds it, it carries the id and class ``Titres.premier`` gives."""
        t = self.titres
        if not t.premier:
            return self.titre(1, md_inline(titre))
        niveau = min(6, 1 + t.decalage)
        ident, classe = t.premier
        # Raw HTML (Markdown would write the class first): no line break after
        # it, so that the raw blocks that follow join it, as after a heading.
        # ``data-court``: the running header's title, one line at most.
        return (f'<h{niveau} id="{esc(ident)}" class="{esc(classe)}" data-court="{esc(titre_court(titre))}">'
                f'{html.escape(titre, quote=False)}</h{niveau}>')

    def avertissement(self, titre: str, texte: str, corps: str | None = None) -> str:
        """A warning box at the top of the page (« Fiche d'exemple »): an
        admonition on the site; the same HTML, raw, under a raw page heading.
        ``corps``: the box's paragraphs as safe HTML (links, say) instead of ``texte``."""
        if corps is None and not self.titres.premier:
            return f'\n!!! warning "{titre}"\n\n    {texte}\n\n'
        boite = (f'<div class="admonition warning">\n<p class="admonition-title">{html.escape(titre, quote=False)}</p>\n'
                 + (corps if corps is not None else f"<p>{html.escape(texte, quote=False)}</p>") + "\n</div>")
        if not self.titres.premier:
            return self.bloc(boite)
        return "\n" + boite

    def titre(self, niveau: int, texte: str, ident: str | None = None) -> str:
        """A heading of the page, in Markdown (``texte`` is Markdown, escaped).

        On the site: as written, the id left to the table of contents unless
        ``ident`` is given. In a document that holds several pages (the
        report), see :class:`Titres`.
        """
        t = self.titres
        niveau = min(6, niveau + t.decalage)
        if t.prefixe:
            ident = self.ident(ident or slugify(texte, "-"))
        return f"{'#' * niveau} {texte}" + (f" {{#{ident}}}" if ident else "") + "\n"

    def ident(self, ident: str) -> str:
        """An id of the page, unique in the document that holds it."""
        return f"{self.titres.prefixe}--{ident}" if self.titres.prefixe else ident

    def bloc(self, html: str, recherche: bool = True) -> str:
        """A raw HTML block: inline, or a placeholder when blocks are kept out of Markdown.

        ``recherche=False`` keeps the block out of the search index.
        """
        return self.blocs.bloc(html, recherche) if self.blocs is not None else bloc(html, recherche)

    def brut(self, html: str, recherche: bool = True) -> str:
        """Raw HTML from a macro, as given (placeholder or inline)."""
        return self.blocs.jeton(html, recherche) if self.blocs is not None else html

    # -- small pieces ------------------------------------------------------

    def lien(self, from_url: str, to_src: str, texte: str, ancre: str | None = None,
             titre: str | None = None) -> str:
        attr = f' title="{esc(titre)}"' if titre else ""
        href = self.urls.rel(from_url, to_src, ancre)
        if href is None:
            return f"<span{attr}>{esc(texte)}</span>"
        return f'<a href="{esc(href)}"{attr}>{esc(texte)}</a>'

    def lien_fiche(self, from_url: str, f: Fiche) -> str:
        return self.lien(from_url, src_fiche(f), f.titre) + self.badge_statut(f)

    def lien_critere(self, from_url: str, c: Critere, court: bool = False) -> str:
        return self.lien(from_url, src_critere(c), c.id if court else f"{c.id} · {c.titre}",
                         titre=c.titre if court else None)

    def lien_indicateur(self, from_url: str, i: Indicateur, court: bool = False) -> str:
        return self.lien(from_url, src_indicateur(i), i.id if court else f"{i.id} · {i.libelle}",
                         titre=i.libelle if court else None)

    @staticmethod
    def badge_statut(f: Fiche) -> str:
        return f' <span class="ref-statut ref-statut--{esc(f.statut)}">{esc(f.statut_libelle)}</span>'

    @staticmethod
    def badge_type(i: Indicateur) -> str:
        return f'<span class="ref-type ref-type--{esc(i.type)}">{esc(i.type_libelle)}</span>'

    def citation(self, src_uri: str, auteur: str, titre: str, nature: str,
                 mise_a_jour: str | None = None) -> tuple[str | None, str | None, str]:
        """The permanent address (``None`` without the site's address), the
        date of the last update, and the ready citation (plain text)."""
        adresse = f"{self.site_url}/{self.urls.url(src_uri)}" if self.site_url else None
        ref = self.ref
        date = mise_a_jour or ref.mise_a_jour
        texte = (f"{auteur}, « {titre} », {nature}, dans {ref.titre}, version {ref.version} des données, "
                 f"licence {ref.licence}")
        if adresse:
            texte += f", {adresse}"
        if date:
            texte += f", mis à jour le {date_fr(date)}"
        return adresse, date, texte

    def citer(self, src_uri: str, auteur: str, titre: str, nature: str,
              mise_a_jour: str | None = None) -> str:
        """« Citer cette page »: a ready citation, the permanent address and the last update."""
        # The permanent address exists only once the site's public address is
        # known (SITE_URL, set by the publish workflow): without it, a local
        # build gives neither an address nor a « Lien permanent » to ``./``.
        adresse, date, texte = self.citation(src_uri, auteur, titre, nature, mise_a_jour)
        ref = self.ref
        parties = []
        if adresse:
            parties.append(f'<a href="{esc(adresse)}" class="ref-permalien">Lien permanent</a>')
        if date:
            parties.append(f'Dernière mise à jour : <time datetime="{esc(date)}">{esc(date_fr(date))}</time>')
        meta = " · ".join(parties)
        return self.titre(2, "Citer cette page") + self.bloc(
            f'<p class="ref-citation" id="{self.ident("citation")}">{esc(texte)}</p>\n'
            + (f'<p class="ref-meta">{meta}</p>\n' if meta else "") +
            '<p class="ref-meta">Pour réutiliser ce contenu, citez-le ainsi et publiez vos adaptations sous la '
            f"même licence ({esc(LICENCES[ref.licence][0])}).</p>", recherche=False)

    def provenance(self, provenance: str | None, reference: str | None) -> str:
        if not provenance:
            return ""
        texte = esc(PROVENANCES[provenance])
        if reference:
            texte += f" : {esc(reference)}"
        return texte

    def auteur_referentiel(self) -> str:
        return f"{self.ref.editeur or 'Ville de Brest – Brest métropole'} et les acteurs de la médiation numérique"
