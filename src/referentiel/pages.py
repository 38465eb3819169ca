"""Generate the site's pages from the model, as Markdown sources.

The structure (headings, our own sentences) is Markdown so that MkDocs builds
the table of contents; every contributed value is either escaped with
``md_inline`` or rendered to safe HTML by ``render.md`` and placed in raw HTML
blocks, which Markdown leaves untouched. Nothing here depends on MkDocs.
"""

from __future__ import annotations

import itertools
import json
import posixpath
import re
import secrets
from collections import Counter

from .model import (
    LICENCES,
    PROVENANCES,
    TYPES_INDICATEUR,
    Critere,
    Dimension,
    Fiche,
    Indicateur,
    Referentiel,
)
from .render import date_fr, esc, md, md_inline, md_ligne


# --------------------------------------------------------------------------
# Where each page lives


def src_dimension(d: Dimension) -> str:
    return f"dimensions/{d.slug}.md"


def src_critere(c: Critere) -> str:
    return f"criteres/{c.slug}.md"


def src_indicateur(i: Indicateur) -> str:
    return f"indicateurs/{i.slug}.md"


def src_fiche(f: Fiche) -> str:
    return f"fiches/{f.id}.md"


SRC_REFERENTIEL = "referentiel.md"
SRC_FICHES = "fiches/index.md"
SRC_MATRICE = "matrice.md"


def _parties(chemin: str) -> list[str]:
    return [p for p in chemin.split("/") if p and p != "."]


def _relpath(cible: str, depuis: str) -> str:
    """``posixpath.relpath`` for our relative, normalised URLs, without its
    calls to ``os.getcwd`` (a third of the time of the generated pages)."""
    if ".." in cible or ".." in depuis or cible.startswith("/") or depuis.startswith("/"):
        return posixpath.relpath(cible, depuis)
    c, d = _parties(cible), _parties(depuis)
    n = 0
    for a, b in zip(c, d):
        if a != b:
            break
        n += 1
    parties = [".."] * (len(d) - n) + c[n:]
    return "/".join(parties) if parties else "."


class Urls:
    """Relative links between pages, as MkDocs will write them."""

    def __init__(self, use_directory_urls: bool = True):
        self.use_directory_urls = use_directory_urls

    def url(self, src_uri: str) -> str:
        if not src_uri.endswith(".md"):
            return src_uri  # a static file (a PDF download, say)
        base = src_uri[: -len(".md")]
        if not self.use_directory_urls:
            return base + ".html"
        if base == "index":
            return ""
        if base.endswith("/index"):
            return base[: -len("index")]
        return base + "/"

    def rel(self, from_url: str, to_src: str, ancre: str | None = None) -> str | None:
        """The link from one page to another, or None where there is none to give."""
        to_url = self.url(to_src)
        from_dir = from_url if (from_url.endswith("/") or from_url == "") else posixpath.dirname(from_url)
        rel = _relpath(to_url or ".", from_dir or ".")
        if to_url.endswith("/") or to_url == "":
            rel = "./" if rel == "." else rel + "/"
        return rel + (f"#{ancre}" if ancre else "")


def _front_matter(titre: str, description: str | None = None) -> str:
    # JSON strings are valid YAML: no contributed text can break out of them.
    lignes = ["---", f"title: {json.dumps(esc(titre), ensure_ascii=False)}"]
    if description:
        texte = " ".join(description.split())[:300]
        lignes.append(f"description: {json.dumps(esc(texte), ensure_ascii=False)}")
    lignes.append("---")
    return "\n".join(lignes) + "\n\n"


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

    def __len__(self) -> int:
        return len(self._html)

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


def tableau(legende: str, entetes: list[str], lignes: list[str]) -> str:
    """An HTML table with a caption and column headers; ``legende`` is escaped."""
    tete = "".join(f'<th scope="col">{esc(e)}</th>' for e in entetes)
    return (f"<table>\n<caption>{esc(legende)}</caption>\n<thead><tr>{tete}</tr></thead>\n"
            "<tbody>\n" + "\n".join(lignes) + "\n</tbody>\n</table>")


def _pluriel(n: int, singulier: str, pluriel: str | None = None) -> str:
    return f"{n} {singulier if n <= 1 else (pluriel or singulier + 's')}"


NOTICE_EXEMPLE = (
    "Cette fiche illustre le format des fiches d'évaluation. Elle a été reconstituée "
    "par l'équipe du site à partir de sources publiques citées plus bas : ce n'est pas la "
    "fiche rédigée par l'acteur, et ses valeurs n'ont pas été mesurées."
)

NOTICE_PROPOSITION = (
    "La formulation de cet élément est une proposition de l'équipe du site : aucune source "
    "publique ne donne le texte exact du référentiel de 2015."
)


def src_pdf_fiche(f: Fiche) -> str:
    return f"telechargements/fiches/{f.id}.pdf"


SRC_PDF_RAPPORT = "telechargements/rapport-referentiel-utilite-sociale-mediation-numerique.pdf"


class Rendu:
    """Renders every page of the référentiel; indexes come from the model.

    ``urls`` decides where links point (site pages, PDF anchors, absolute
    addresses); ``pdf_fiches`` adds the « Télécharger la fiche (PDF) » link.
    """

    def __init__(self, ref: Referentiel, urls: Urls | None = None, pdf_fiches: bool = False,
                 site_url: str | None = None, blocs: Blocs | None = None):
        self.ref = ref
        self.urls = urls or Urls()
        self.pdf_fiches = pdf_fiches
        self.site_url = (site_url or "").rstrip("/")
        self.blocs = blocs

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

    def citer(self, src_uri: str, auteur: str, titre: str, nature: str,
              mise_a_jour: str | None = None) -> str:
        """« Citer cette page »: a ready citation, the permanent address and the last update."""
        url = self.urls.url(src_uri)
        adresse = f"{self.site_url}/{url}" if self.site_url else url
        ref = self.ref
        date = mise_a_jour or ref.mise_a_jour
        texte = (f"{auteur}, « {titre} », {nature}, dans {ref.titre}, version {ref.version} des données, "
                 f"licence {ref.licence}, {adresse}")
        if date:
            texte += f", mis à jour le {date_fr(date)}"
        permalien = adresse if self.site_url else self.urls.rel(url, src_uri)
        meta = (f'<a href="{esc(permalien)}" class="ref-permalien">Lien permanent</a>'
                if permalien else "Adresse permanente : " + esc(adresse))
        if date:
            meta += f' · Dernière mise à jour : <time datetime="{esc(date)}">{esc(date_fr(date))}</time>'
        return "## Citer cette page\n" + self.bloc(
            f'<p class="ref-citation" id="citation">{esc(texte)}</p>\n'
            f'<p class="ref-meta">{meta}</p>\n'
            '<p class="ref-meta">Pour réutiliser ce contenu, citez-le ainsi et publiez vos adaptations sous la '
            f"même licence ({esc(LICENCES[ref.licence][0])}).</p>", recherche=False)

    def provenance(self, provenance: str | None, reference: str | None) -> str:
        if not provenance:
            return ""
        texte = esc(PROVENANCES[provenance])
        if reference:
            texte += f" : {esc(reference)}"
        return texte

    # -- generated pages ---------------------------------------------------

    def pages(self, seulement: set[str] | None = None) -> dict[str, str | None]:
        """Every generated page: ``{src_uri: markdown}``. Linear in the data.

        With ``seulement``, pages not in it are listed with ``None`` instead
        of their Markdown (the preview renders only what an edit touched).
        """
        out: dict[str, str | None] = {}

        def ajouter(src: str, rendre) -> None:
            out[src] = rendre() if seulement is None or src in seulement else None

        for d in self.ref.dimensions:
            ajouter(src_dimension(d), lambda: self.page_dimension(d))
            for c in d.criteres:
                ajouter(src_critere(c), lambda: self.page_critere(c))
                for i in c.indicateurs:
                    ajouter(src_indicateur(i), lambda: self.page_indicateur(i))
        for f in self.ref.fiches:
            ajouter(src_fiche(f), lambda: self.page_fiche(f))
        return out

    def page_dimension(self, d: Dimension) -> str:
        here = self.urls.url(src_dimension(d))
        fiches: dict[str, Fiche] = {}
        for c in d.criteres:
            for f in self.ref.fiches_par_critere.get(c.id, []):
                fiches.setdefault(f.id, f)
        nb_ind = sum(len(c.indicateurs) for c in d.criteres)
        out = [_front_matter(f"{d.titre} – dimension {d.id}", d.description)]
        out.append(f"# {md_inline(d.titre)}\n")
        meta = (f"Dimension {esc(d.id)} · {_pluriel(len(d.criteres), 'critère')} · "
                f"{_pluriel(nb_ind, 'indicateur')} · utilisée par {_pluriel(len(fiches), 'fiche')}")
        prov = self.provenance(d.provenance, d.reference)
        html = f'<p class="ref-meta">{meta}</p>\n{md(d.description)}'
        if prov:
            html += f'\n<p class="ref-provenance"><strong>Provenance :</strong> {prov}</p>'
        out.append(self.bloc(html))
        out.append("## Critères\n")
        lignes = []
        for c in d.criteres:
            n = len(self.ref.fiches_par_critere.get(c.id, []))
            lignes.append(
                f"<tr><td>{self.lien_critere(here, c)}</td><td>{md_ligne(c.description)}</td>"
                f"<td>{len(c.indicateurs)}</td><td>{n}</td></tr>")
        out.append(self.bloc(tableau(f"Critères de la dimension {d.titre}",
                                ["Critère", "Ce qu'il recouvre", "Indicateurs", "Fiches"], lignes)))
        out.append("## Fiches\n")
        if fiches:
            items = "\n".join(f"<li>{self.lien_fiche(here, f)} — {esc(f.acteur.nom)}</li>"
                              for f in sorted(fiches.values(), key=lambda f: f.titre.lower()))
            out.append(self.bloc(f"<ul>\n{items}\n</ul>", recherche=False))
        else:
            out.append("Aucune fiche ne relève encore de cette dimension.\n")
        out.append(self.citer(src_dimension(d), self._auteur_referentiel(), d.titre, f"dimension {d.id}"))
        return "".join(out)

    def page_critere(self, c: Critere) -> str:
        here = self.urls.url(src_critere(c))
        d = c.dimension
        assert d is not None
        fiches = self.ref.fiches_par_critere.get(c.id, [])
        out = [_front_matter(f"{c.id} · {c.titre}", c.description)]
        out.append(f"# {md_inline(c.id)} · {md_inline(c.titre)}\n")
        html = (f'<p class="ref-meta">Critère de la dimension '
                f'{self.lien(here, src_dimension(d), d.titre)} · '
                f'{_pluriel(len(c.indicateurs), "indicateur")} · '
                f'utilisé par {_pluriel(len(fiches), "fiche")}</p>\n{md(c.description)}\n'
                f'<p class="ref-provenance"><strong>Provenance :</strong> '
                f'{self.provenance(c.provenance, c.reference)}</p>')
        if c.provenance == "proposition":
            html += f'\n<p class="ref-note">{esc(NOTICE_PROPOSITION)}</p>'
        out.append(self.bloc(html))
        out.append("## Indicateurs\n")
        lignes = []
        for i in c.indicateurs:
            n = len(self.ref.observations.get(i.id, []))
            lignes.append(
                f"<tr><td>{self.lien(here, src_indicateur(i), i.id)}</td><td>{esc(i.libelle)}</td>"
                f"<td>{self.badge_type(i)}</td><td>{md_ligne(i.collecte)}</td><td>{n}</td></tr>")
        out.append(self.bloc(tableau(f"Indicateurs du critère {c.id}",
                                ["Indicateur", "Ce qui est mesuré", "Type", "Collecte", "Fiches"], lignes)))
        out.append(f"## Fiches qui utilisent ce critère ({len(fiches)})\n")
        if not fiches:
            out.append("Aucune fiche n'utilise encore ce critère.\n")
        else:
            out.append(self.bloc(self.fiches_du_critere(c, here), recherche=False))
        out.append(self.citer(src_critere(c), self._auteur_referentiel(), f"{c.id} · {c.titre}", "critère"))
        return "".join(out)

    def fiches_du_critere(self, c: Critere, here: str) -> str:
        """Each fiche using a criterion, with its constats and indicators."""
        blocs = []
        for f in self.ref.fiches_par_critere.get(c.id, []):
            contrib = next(x for x in f.contributions if x.critere is c)
            inds = ", ".join(self.lien_indicateur(here, o.indicateur, court=True)
                             for o in contrib.indicateurs if o.indicateur)
            blocs.append(
                f'<article class="ref-usage">\n<h3>{self.lien(here, src_fiche(f), f.titre, ancre=c.slug)}'
                f'{self.badge_statut(f)}</h3>\n'
                f'<p class="ref-meta">{esc(f.acteur.nom)} · indicateurs renseignés : {inds}</p>\n'
                f'{md(contrib.constats)}\n</article>')
        return "\n".join(blocs)

    def page_indicateur(self, i: Indicateur) -> str:
        here = self.urls.url(src_indicateur(i))
        c = i.critere
        assert c is not None and c.dimension is not None
        obs = self.ref.observations.get(i.id, [])
        out = [_front_matter(f"{i.id} · {i.libelle}", i.definition or i.libelle)]
        out.append(f"# {md_inline(i.id)} · {md_inline(i.libelle)}\n")
        html = (f'<dl class="ref-fiche-id">\n'
                f'<dt>Type</dt><dd>{self.badge_type(i)}</dd>\n'
                f'<dt>Critère</dt><dd>{self.lien_critere(here, c)}</dd>\n'
                f'<dt>Dimension</dt><dd>{self.lien(here, src_dimension(c.dimension), c.dimension.titre)}</dd>\n'
                f'<dt>Provenance</dt><dd>{self.provenance(i.provenance, i.reference)}</dd>\n'
                f'<dt>Fiches</dt><dd>renseigné par {_pluriel(len(obs), "fiche")}</dd>\n</dl>')
        if i.provenance == "proposition":
            html += f'\n<p class="ref-note">{esc(NOTICE_PROPOSITION)}</p>'
        out.append(self.bloc(html))
        if i.definition:
            out.append("## Définition\n")
            out.append(self.bloc(md(i.definition)))
        out.append("## Comment le mesurer\n")
        out.append(self.bloc(md(i.collecte)))
        if i.exemple:
            out.append("## Exemple de question ou de mesure\n")
            out.append(self.bloc(md(i.exemple)))
        out.append(f"## Fiches qui renseignent cet indicateur ({len(obs)})\n")
        if not obs:
            out.append("Aucune fiche ne renseigne encore cet indicateur.\n")
        else:
            lignes = []
            for o in obs:
                lignes.append(
                    f"<tr><td>{self.lien_fiche(here, o.fiche)}</td><td>{esc(o.fiche.acteur.nom)}</td>"
                    f"<td>{md_ligne(o.observe.valeur)}"
                    + (f'<div class="ref-commentaire">{md(o.observe.commentaire)}</div>' if o.observe.commentaire else "")
                    + f"</td><td>{esc(o.observe.source or '—')}</td></tr>")
            out.append(self.bloc(tableau(f"Ce que chaque fiche a observé pour l'indicateur {i.id}",
                                    ["Fiche", "Acteur", "Valeur observée", "Source"], lignes),
                                  recherche=False))
            if any(o.fiche.est_exemple for o in obs):
                out.append(self.bloc('<p class="ref-note">Les fiches marquées « Exemple » illustrent le format : '
                                 "leurs valeurs n'ont pas été mesurées.</p>"))
        out.append(self.citer(src_indicateur(i), self._auteur_referentiel(), f"{i.id} · {i.libelle}",
                              "indicateur"))
        return "".join(out)

    def page_fiche(self, f: Fiche) -> str:
        here = self.urls.url(src_fiche(f))
        a, act = f.acteur, f.action
        out = [_front_matter(f.titre, act.resume)]
        out.append(f"# {md_inline(f.titre)}\n")
        if f.est_exemple:
            out.append('\n!!! warning "Fiche d\'exemple"\n\n    ' + NOTICE_EXEMPLE + "\n\n")
        if self.pdf_fiches:
            out.append(self.bloc(f'<p class="ref-telecharger">{self.lien(here, src_pdf_fiche(f), "Télécharger la fiche (PDF)")}'
                            " : la fiche seule, à imprimer ou à joindre à un dossier.</p>"))
        ident = [("Acteur", esc(a.nom)), ("Type de structure", esc(a.type_libelle))]
        if a.ville:
            ident.append(("Commune", esc(a.ville)))
        if a.site:
            ident.append(("Site web", f'<a href="{esc(a.site)}" rel="nofollow noopener">{esc(a.site)}</a>'))
        periode = _periode(act.debut, act.fin)
        if periode:
            ident.append(("Période de l'action", esc(periode)))
        for label, liste in (("Lieux", act.lieux), ("Publics", act.publics), ("Partenaires", act.partenaires)):
            if liste:
                ident.append((label, "<ul>" + "".join(f"<li>{esc(x)}</li>" for x in liste) + "</ul>"))
        dims = ", ".join(self.lien(here, src_dimension(d), d.titre) for d in f.dimensions())
        if dims:
            ident.append(("Dimensions", dims))
        ident.append(("Statut", esc(f.statut_libelle)))
        if f.mise_a_jour:
            ident.append(("Mise à jour", f'<time datetime="{esc(f.mise_a_jour)}">{esc(date_fr(f.mise_a_jour))}</time>'))
        out.append(self.bloc('<dl class="ref-fiche-id">\n'
                         + "\n".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in ident) + "\n</dl>"))
        out.append("## Présentation\n")
        out.append(self.bloc(md(act.resume) + ("\n" + md(a.presentation) if a.presentation else "")))
        for titre, texte in (("Description du projet", act.description),
                             ("Moyens mis en œuvre", act.moyens),
                             ("Enjeux et objectifs", act.enjeux)):
            if texte:
                out.append(f"## {titre}\n")
                out.append(self.bloc(md(texte)))
        out.append("## Utilité sociale\n")
        resume = "\n".join(
            f"<li>{self.lien(here, src_fiche(f), f'{c.critere.id} · {c.critere.titre}', ancre=c.critere.slug)}"
            f" ({_pluriel(len(c.indicateurs), 'indicateur')})</li>"
            for c in f.contributions if c.critere)
        # Boilerplate and framework labels repeated on every fiche stay out of
        # the search index: they would make every fiche match every search.
        out.append(self.bloc(f'<div class="ref-resume-criteres"><p>Critères du référentiel traités par cette fiche :</p>\n'
                        f"<ul>\n{resume}\n</ul></div>", recherche=False))
        for contrib in f.contributions:
            c = contrib.critere
            assert c is not None and c.dimension is not None
            out.append(f"### {md_inline(c.id)} · {md_inline(c.titre)} {{#{c.slug}}}\n")
            lignes = []
            for o in contrib.indicateurs:
                i = o.indicateur
                assert i is not None
                lignes.append(
                    f"<tr><td>{self.lien_indicateur(here, i)}</td><td>{self.badge_type(i)}</td>"
                    f"<td>{md_ligne(o.valeur)}"
                    + (f'<div class="ref-commentaire">{md(o.commentaire)}</div>' if o.commentaire else "")
                    + f"</td><td>{esc(o.source or '—')}</td></tr>")
            out.append(self.bloc(
                f'<p class="ref-meta" data-search-exclude>Critère {self.lien_critere(here, c)} · dimension '
                f'{self.lien(here, src_dimension(c.dimension), c.dimension.titre)}</p>\n'
                f"{md(contrib.constats)}\n"
                + tableau(f"Indicateurs renseignés pour le critère {c.id}",
                          ["Indicateur", "Type", "Valeur observée", "Source"], lignes)))
        if f.temoignages:
            out.append("## Témoignages\n")
            items = []
            for t in f.temoignages:
                auteur = f"<footer>— {esc(t.auteur)}</footer>" if t.auteur else ""
                items.append(f"<blockquote>{md(t.texte)}{auteur}</blockquote>")
            out.append(self.bloc("\n".join(items)))
        if f.evaluation_periode or f.evaluation_methode:
            out.append("## Méthode d'évaluation\n")
            html = ""
            if f.evaluation_periode:
                html += f"<p><strong>Période évaluée :</strong> {esc(f.evaluation_periode)}</p>\n"
            html += md(f.evaluation_methode)
            out.append(self.bloc(html))
        if f.sources:
            out.append("## Sources\n")
            items = []
            for s in f.sources:
                titre = (f'<a href="{esc(s.url)}" rel="nofollow noopener">{esc(s.titre)}</a>'
                         if s.url else esc(s.titre))
                date = f" ({esc(date_fr(s.date))})" if s.date else ""
                items.append(f"<li>{titre}{date}</li>")
            out.append(self.bloc("<ul>\n" + "\n".join(items) + "\n</ul>"))
        if f.historique:
            out.append("## Historique de la fiche\n")
            lignes = [f'<tr><td><time datetime="{esc(h.date)}">{esc(date_fr(h.date))}</time></td>'
                      f"<td>{esc(h.auteur)}</td><td>{esc(h.modification)}</td></tr>"
                      for h in sorted(f.historique, key=lambda h: h.date)]
            out.append(self.bloc(tableau(f"Historique de la fiche {f.titre}", ["Date", "Par", "Modification"], lignes),
                                 recherche=False))
        out.append("## Licence\n")
        nom, url = LICENCES[f.licence or self.ref.licence]
        out.append(self.bloc(
            f'<p>Cette fiche est publiée sous licence <a href="{esc(url)}" rel="license">{esc(nom)}</a>. '
            f"Source des données : <code>{esc(f.fichier)}</code>.</p>", recherche=False))
        if f.est_exemple:
            auteur = "Équipe du site"
            nature = f"fiche d'évaluation d'exemple, reconstituée d'après des sources publiques ({f.acteur.nom})"
        else:
            auteur, nature = f.acteur.nom, "fiche d'évaluation"
        out.append(self.citer(src_fiche(f), auteur, f.titre, nature, f.mise_a_jour))
        return "".join(out)

    def _auteur_referentiel(self) -> str:
        return f"{self.ref.editeur or 'Ville de Brest – Brest métropole'} et les acteurs de la médiation numérique"

    # -- tables for hand-written pages (exposed as macros) -----------------

    def tableau_referentiel(self, here: str) -> str:
        # Sorting and filtering (docs/javascripts/tableaux.js) read the table's
        # data-filtres (the filters and their options) and each row's data-*, carried
        # by its last cell so that every row still starts with a bare « <tr><td> ».
        lignes = []
        for d in self.ref.dimensions:
            for c in d.criteres:
                nc = len(self.ref.fiches_par_critere.get(c.id, []))
                for i in c.indicateurs:
                    ni = len(self.ref.observations.get(i.id, []))
                    lignes.append(
                        f"<tr><td>{self.lien(here, src_dimension(d), d.titre)}</td>"
                        f"<td>{self.lien_critere(here, c)}"
                        f'<br><span class="ref-meta">{_pluriel(nc, "fiche")}</span></td>'
                        f"<td>{self.lien_indicateur(here, i)}</td><td>{self.badge_type(i)}</td>"
                        f'<td data-dimensions="{esc(d.id)}" data-criteres="{esc(c.id)}" '
                        f'data-type="{esc(i.type)}">{ni}</td></tr>')
        types = Counter(i.type for i in self.ref.indicateurs.values())
        resume = ", ".join(f"{types.get(t, 0)} de {lib.lower()}" for t, lib in TYPES_INDICATEUR.items())
        filtres = [
            {"cle": "dimensions", "libelle": "Dimension",
             "options": [[d.id, d.titre] for d in self.ref.dimensions]},
            {"cle": "criteres", "libelle": "Critère",
             "options": [[c.id, f"{c.id} · {c.titre}"] for d in self.ref.dimensions for c in d.criteres]},
            {"cle": "type", "libelle": "Type d'indicateur",
             "options": [[t, lib] for t, lib in TYPES_INDICATEUR.items() if types.get(t)]},
        ]
        table = tableau("Le référentiel : dimensions, critères et indicateurs, avec le nombre de "
                        "fiches qui les utilisent",
                        ["Dimension", "Critère (fiches qui l'utilisent)", "Indicateur", "Type",
                         "Fiches qui le renseignent"], lignes)
        table = table.replace(
            "<table>", f'<table data-filtrable="referentiel" '
            f'data-filtres="{esc(json.dumps(filtres, ensure_ascii=False))}">', 1)
        return (
            f'<p class="ref-meta">{_pluriel(len(self.ref.dimensions), "dimension")}, '
            f'{_pluriel(len(self.ref.criteres), "critère")}, '
            f'{_pluriel(len(self.ref.indicateurs), "indicateur")} ({resume}).</p>\n'
            + table)

    def tableau_fiches(self, here: str) -> str:
        if not self.ref.fiches:
            return "<p>Aucune fiche n'est encore publiée.</p>"
        # Filters (docs/javascripts/tableaux.js): the values of a row's data-* are
        # separated by « | »; the table's data-filtres lists the filters and options.
        def valeurs(items) -> str:
            return esc("|".join(str(x).replace("|", "/") for x in items))

        lignes = []
        dims_vues: dict[str, str] = {}
        crits_vus: dict[str, str] = {}
        acteurs_vus: dict[str, str] = {}
        publics_vus: dict[str, str] = {}
        statuts_vus: dict[str, str] = {}
        for f in self.ref.fiches:
            crits = ", ".join(self.lien_critere(here, c.critere, court=True)
                              for c in f.contributions if c.critere)
            dims = ", ".join(esc(d.titre) for d in f.dimensions())
            ids_crits = list(dict.fromkeys(c.critere.id for c in f.contributions if c.critere))
            publics = [p.replace("|", "/") for p in f.action.publics]
            for d in f.dimensions():
                dims_vues.setdefault(d.id, d.titre)
            for c in f.contributions:
                if c.critere:
                    crits_vus.setdefault(c.critere.id, f"{c.critere.id} · {c.critere.titre}")
            acteurs_vus.setdefault(f.acteur.type, f.acteur.type_libelle)
            statuts_vus.setdefault(f.statut, f.statut_libelle)
            for p in publics:
                publics_vus.setdefault(p, p)
            attributs = (f'data-dimensions="{valeurs(d.id for d in f.dimensions())}" '
                         f'data-criteres="{valeurs(ids_crits)}" data-acteur="{esc(f.acteur.type)}" '
                         f'data-publics="{valeurs(publics)}" data-statut="{esc(f.statut)}"')
            lignes.append(
                f"<tr><td>{self.lien(here, src_fiche(f), f.titre)}</td><td>{esc(f.acteur.nom)}</td>"
                f"<td>{esc(f.acteur.type_libelle)}</td><td>{dims}</td><td>{crits}</td>"
                f"<td {attributs}>{self.badge_statut(f).strip()}</td></tr>")
        ordre_dims = [d.id for d in self.ref.dimensions]
        ordre_crits = [c.id for d in self.ref.dimensions for c in d.criteres]
        filtres = [
            {"cle": "dimensions", "libelle": "Dimension",
             "options": [[k, dims_vues[k]] for k in ordre_dims if k in dims_vues]},
            {"cle": "criteres", "libelle": "Critère",
             "options": [[k, crits_vus[k]] for k in ordre_crits if k in crits_vus]},
            {"cle": "acteur", "libelle": "Type de structure",
             "options": sorted(acteurs_vus.items(), key=lambda kv: kv[1])},
            {"cle": "publics", "libelle": "Public",
             "options": sorted(publics_vus.items(), key=lambda kv: kv[1])},
            {"cle": "statut", "libelle": "Statut", "options": list(statuts_vus.items())},
        ]
        filtres = [f for f in filtres if f["options"]]
        nb_ex = sum(1 for f in self.ref.fiches if f.est_exemple)
        note = ""
        if nb_ex:
            note = (f'<p class="ref-note">{_pluriel(nb_ex, "fiche")} marquée{"s" if nb_ex > 1 else ""} '
                    "« Exemple » illustre" + ("nt" if nb_ex > 1 else "") +
                    " le format : reconstituées à partir de sources publiques, leurs valeurs "
                    "n'ont pas été mesurées.</p>\n")
        table = tableau(f"Toutes les fiches d'évaluation ({len(self.ref.fiches)})",
                        ["Fiche", "Acteur", "Type de structure", "Dimensions", "Critères", "Statut"],
                        lignes)
        table = table.replace(
            "<table>", f'<table data-filtrable="fiches" '
            f'data-filtres="{esc(json.dumps(filtres, ensure_ascii=False))}">', 1)
        return note + table

    def matrice(self, here: str) -> str:
        dims = self.ref.dimensions
        if not self.ref.fiches:
            return "<p>Aucune fiche n'est encore publiée.</p>"
        entete1 = "".join(
            f'<th scope="colgroup" colspan="{len(d.criteres)}">{self.lien(here, src_dimension(d), d.titre)}</th>'
            for d in dims)
        entete2 = "".join(
            f'<th scope="col">{self.lien_critere(here, c, court=True)}</th>'
            for d in dims for c in d.criteres)
        lignes = []
        totaux: Counter[str] = Counter()
        for f in self.ref.fiches:
            utilises = {c.critere.id for c in f.contributions if c.critere}
            cellules = []
            for d in dims:
                for c in d.criteres:
                    if c.id in utilises:
                        totaux[c.id] += 1
                        url = esc(self.urls.rel(here, src_fiche(f), c.slug))
                        cellules.append(
                            f'<td class="ref-oui"><a href="{url}">'
                            f'<span aria-hidden="true">●</span>'
                            f'<span class="ref-sr">{esc(f.titre)} utilise {esc(c.id)} : voir les constats</span></a></td>')
                    else:
                        cellules.append('<td class="ref-non"><span aria-hidden="true">·</span>'
                                        '<span class="ref-sr">non</span></td>')
            lignes.append(
                f'<tr><th scope="row">{self.lien(here, src_fiche(f), f.titre)}{self.badge_statut(f)}</th>'
                + "".join(cellules) + f"<td>{len(utilises)}</td></tr>")
        pied = "".join(f"<td>{totaux[c.id]}</td>" for d in dims for c in d.criteres)
        return (
            '<p class="ref-meta">● : la fiche traite le critère (lien vers ses constats) ; '
            "· : elle ne le traite pas.</p>\n"
            '<div class="ref-matrice">\n<table>\n<caption>Matrice des fiches et des critères</caption>\n'
            f'<thead><tr><th scope="col" rowspan="2">Fiche</th>{entete1}<th scope="col" rowspan="2">Critères traités</th></tr>\n'
            f"<tr>{entete2}</tr></thead>\n<tbody>\n" + "\n".join(lignes) + "\n</tbody>\n"
            f'<tfoot><tr><th scope="row">Fiches par critère</th>{pied}<td></td></tr></tfoot>\n</table>\n</div>')

    # -- navigation --------------------------------------------------------

    def nav_dimensions(self) -> list[dict]:
        """Nav entries for the dimensions and criteria (fiches stay out of the nav)."""
        out = []
        for d in self.ref.dimensions:
            enfants: list = [{"Présentation de la dimension": src_dimension(d)}]
            enfants += [{f"{c.id} · {c.titre}": src_critere(c)} for c in d.criteres]
            out.append({d.titre: enfants})
        return out


def _periode(debut: str | None, fin: str | None) -> str:
    if debut and fin:
        return f"de {date_fr(debut)} à {date_fr(fin)}"
    if debut:
        return f"depuis {date_fr(debut)}"
    if fin:
        return f"jusqu'en {date_fr(fin)}"
    return ""
