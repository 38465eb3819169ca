"""The report as one PDF, and each fiche as its own PDF (WeasyPrint).

Why our own step rather than mkdocs-to-pdf: that plugin assembles the pages
found in MkDocs' navigation, and fiches are deliberately kept out of it (see
DEVELOPERS.md on build cost), so the annexes would be missing; it makes no
per-fiche PDFs; and it stamps the build time into the PDF, which breaks
reproducible output. Here the report is assembled from the model (framework,
matrix, fiches) and from the hand-written chapters MkDocs already rendered.

Nothing here depends on MkDocs.
"""

from __future__ import annotations

import html as htmlmod
import os
import posixpath
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import markdown

from .model import LICENCES, Fiche, Referentiel
from .pages import (
    SRC_PDF_RAPPORT,
    Rendu,
    Urls,
    matrice,
    page_fiche,
    src_critere,
    src_dimension,
    src_fiche,
    src_indicateur,
    src_pdf_fiche,
)
from .render import date_fr, esc, md

CSS_PDF = Path(__file__).with_name("pdf.css")

TITRE_RAPPORT = "Construction d'un référentiel de l'utilité sociale de la médiation numérique"
AUTEUR = "Ville de Brest – Brest métropole"
MOTS_CLES = ("utilité sociale, médiation numérique, évaluation, référentiel, critères, "
             "indicateurs, Brest, appropriation sociale du numérique")


# --------------------------------------------------------------------------
# Where links point inside a PDF


def ancre_pdf(src_uri: str) -> str:
    """``fiches/x.md`` -> ``fiche-x``: the id of that page's part in the report."""
    base = src_uri[:-3] if src_uri.endswith(".md") else src_uri
    for dossier, prefixe in (("fiches/", "fiche-"), ("criteres/", "critere-"),
                             ("indicateurs/", "indicateur-"), ("dimensions/", "dimension-")):
        if base.startswith(dossier) and base != dossier + "index":
            return prefixe + base[len(dossier):]
    return "page-" + (re.sub(r"[^a-z0-9]+", "-", base.lower()).strip("-") or "accueil")


class UrlsPdf(Urls):
    """Links inside the report: every page is an anchor of the same document."""

    def __init__(self, presents: set[str] | None = None, absolues: "UrlsAbsolues | None" = None):
        super().__init__(True)
        self.presents = presents
        self.absolues = absolues

    def rel(self, from_url: str, to_src: str, ancre: str | None = None) -> str | None:
        cible = ancre_pdf(to_src)
        if self.presents is not None and cible not in self.presents:
            return self.absolues.rel(from_url, to_src, ancre) if self.absolues else None
        return "#" + cible + (f"--{ancre}" if ancre else "")


class UrlsAbsolues(Urls):
    """Links from a stand-alone PDF to the site: absolute, or none without site_url."""

    def __init__(self, site_url: str | None):
        super().__init__(True)
        self.base = (site_url or "").rstrip("/")

    def rel(self, from_url: str, to_src: str, ancre: str | None = None) -> str | None:
        if not self.base:
            return None
        return f"{self.base}/{self.url(to_src)}" + (f"#{ancre}" if ancre else "")


# --------------------------------------------------------------------------
# Markdown of generated pages -> HTML fragments for the PDF

_MD = markdown.Markdown(extensions=["admonition", "attr_list", "tables", "toc"])
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
_ID_ATTR = re.compile(r'(<[a-zA-Z][^<>]*?\sid=")([^"]+)(")')
_HEADING = re.compile(r"<(/?)h([1-6])\b")


def _md_page(source: str) -> str:
    _MD.reset()
    return _MD.convert(_FRONT_MATTER.sub("", source, count=1))


def _prefixer_ids(html: str, prefixe: str) -> str:
    """Make a page's ids unique in the report: ``presentation`` -> ``fiche-x--presentation``."""
    return _ID_ATTR.sub(lambda m: f"{m.group(1)}{prefixe}--{m.group(2)}{m.group(3)}", html)


def _decaler_titres(html: str, n: int) -> str:
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{min(6, int(m.group(2)) + n)}", html)


def _premier_titre(html: str, ident: str, classe: str) -> str:
    """Give the page's first heading the page's id (the target of links and the TOC)."""
    return re.sub(r"<h([1-6])(?: id=\"[^\"]*\")?>", lambda m: f'<h{m.group(1)} id="{ident}" class="{classe}">',
                  html, count=1)


# --------------------------------------------------------------------------
# Hand-written chapters (already rendered by MkDocs)

_HREF = re.compile(r'(<a\b[^>]*?\shref=")([^"]*)("[^>]*>)(.*?)(</a>)', re.S)
_HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)
# Parts of hand-written pages meant for the web only (site navigation hints, buttons).
_WEB_SEULEMENT = re.compile(r'<div class="web-seulement">.*?</div>|<a class="md-button[^"]*"[^>]*>.*?</a>', re.S)


@dataclass
class Chapitre:
    url: str      # the page URL on the site, e.g. "contexte/"
    src_uri: str  # e.g. "contexte.md"
    html: str     # the rendered body (page.content)


def _chapitre_html(ch: Chapitre, urls_site: dict[str, str], site_url: str | None) -> str:
    """Rewrite a rendered page for the report: unique ids, links to anchors."""
    prefixe = ancre_pdf(ch.src_uri)
    html = _WEB_SEULEMENT.sub("", _HEADERLINK.sub("", ch.html))
    html = _prefixer_ids(html, prefixe)
    page_dir = ch.url if ch.url.endswith("/") or not ch.url else posixpath.dirname(ch.url) + "/"

    def remplacer(m: re.Match) -> str:
        href = htmlmod.unescape(m.group(2))
        if re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I):
            return m.group(0)  # external
        chemin, _, frag = href.partition("#")
        if not chemin:
            cible = prefixe
        else:
            absolu = posixpath.normpath(posixpath.join("/" + page_dir, chemin)).lstrip("/")
            if chemin.endswith("/") and absolu != ".":
                absolu += "/"
            absolu = "" if absolu in (".", "./") else absolu
            cible = urls_site.get(absolu)
            if cible is None:
                if site_url and not absolu.endswith(".pdf"):
                    nouveau = site_url.rstrip("/") + "/" + absolu + (f"#{frag}" if frag else "")
                    return f"{m.group(1)}{esc(nouveau)}{m.group(3)}{m.group(4)}{m.group(5)}"
                return f"<span>{m.group(4)}</span>"
        nouveau = "#" + cible + (f"--{frag}" if frag else "")
        return f"{m.group(1)}{esc(nouveau)}{m.group(3)}{m.group(4)}{m.group(5)}"

    html = _HREF.sub(remplacer, html)
    return _premier_titre(html, prefixe, "chapitre")


# --------------------------------------------------------------------------
# The report


def _cover(ref: Referentiel, date: str) -> str:
    nom, url = LICENCES[ref.licence]
    annee = ref.annee or date[:4]
    return (
        '<section class="couverture">\n'
        f'<p class="couverture-editeur">{esc(ref.editeur or AUTEUR)}</p>\n'
        f'<h1 class="couverture-titre" id="couverture">{esc(TITRE_RAPPORT)}</h1>\n'
        '<p class="couverture-sous-titre">Rapport final : le référentiel commun, ses critères, '
        "ses indicateurs et les fiches d'évaluation des acteurs</p>\n"
        f'<p class="couverture-edition">Édition {esc(annee)} · données version {esc(ref.version)} · '
        f"document produit le {esc(date_fr(date))}</p>\n"
        f'<p class="couverture-licence"><span class="cc">cc by-sa</span> Publié sous licence '
        f'<a href="{esc(url)}">{esc(nom)}</a></p>\n'
        "</section>\n"
    )


def _sommaire(entrees: list[tuple[str, str, int]]) -> str:
    items = "\n".join(
        f'<li class="niveau-{niveau}"><a href="#{esc(ident)}">{esc(titre)}</a></li>'
        for ident, titre, niveau in entrees)
    return (f'<section class="sommaire">\n<h1 id="sommaire" class="sans-entete">Sommaire</h1>\n'
            f"<ul>\n{items}\n</ul>\n</section>\n")


def _referentiel(ref: Referentiel, rendu: Rendu) -> tuple[str, list[tuple[str, str, int]]]:
    toc: list[tuple[str, str, int]] = [("le-referentiel", "Le référentiel", 1)]
    out = ['<section class="chapitre-referentiel">\n<h1 id="le-referentiel" class="chapitre">Le référentiel</h1>\n',
           f"<p>Le référentiel compte {len(ref.dimensions)} dimensions, {len(ref.criteres)} critères et "
           f"{len(ref.indicateurs)} indicateurs. Chaque indicateur est de type <em>réalisation</em> (ce qui a "
           "été fait), <em>résultat</em> (l'effet direct sur les personnes) ou <em>impact</em> (le changement "
           "à plus long terme). La provenance de chaque élément est indiquée : document source de la Ville "
           "de Brest, source publique citée, ou proposition de l'équipe du site.</p>\n"]
    for d in ref.dimensions:
        ident = ancre_pdf(src_dimension(d))
        toc.append((ident, f"{d.titre}", 2))
        out.append(f'<h2 id="{ident}">{esc(d.titre)} ({esc(d.id)})</h2>\n{md(d.description)}\n')
        for c in d.criteres:
            cid = ancre_pdf(src_critere(c))
            n = len(ref.fiches_par_critere.get(c.id, []))
            out.append(
                f'<div class="critere"><h3 id="{cid}">{esc(c.id)} · {esc(c.titre)}</h3>\n{md(c.description)}\n'
                f'<p class="meta">Provenance : {rendu.provenance(c.provenance, c.reference)} · '
                f"utilisé par {n} fiche{'s' if n > 1 else ''}</p>\n")
            lignes = []
            for i in c.indicateurs:
                details = ""
                if i.definition:
                    details += f'<div class="detail">{md(i.definition)}</div>'
                if i.exemple:
                    details += f'<div class="detail"><strong>Exemple :</strong> {md(i.exemple)}</div>'
                lignes.append(
                    f'<tr id="{ancre_pdf(src_indicateur(i))}"><td class="id">{esc(i.id)}</td>'
                    f"<td>{esc(i.libelle)}{details}</td><td>{esc(i.type_libelle)}</td>"
                    f"<td>{md(i.collecte)}</td></tr>")
            out.append(
                f'<table class="indicateurs"><caption>Indicateurs du critère {esc(c.id)}</caption>\n'
                '<colgroup><col class="c-id"><col class="c-libelle"><col class="c-type"><col class="c-collecte"></colgroup>\n'
                "<thead><tr><th>Indicateur</th><th>Ce qui est mesuré</th><th>Type</th><th>Collecte</th></tr></thead>\n"
                "<tbody>\n" + "\n".join(lignes) + "\n</tbody></table></div>\n")
    props = sum(1 for i in ref.indicateurs.values() if i.provenance == "proposition")
    if props:
        out.append(f'<p class="note">{props} indicateurs sur {len(ref.indicateurs)} sont une proposition de '
                   "l'équipe du site : aucune source publique ne donne le texte exact du référentiel de 2015.</p>\n")
    out.append("</section>\n")
    return "".join(out), toc


def _credits(ref: Referentiel) -> str:
    nom, url = LICENCES[ref.licence]
    return (
        '<section class="chapitre-credits">\n<h1 id="licence-et-credits" class="chapitre">Licence et crédits</h1>\n'
        f'<h2 id="licence">Licence</h2>\n<p>Le référentiel et les fiches sont publiés sous licence '
        f'<a href="{esc(url)}">{esc(nom)}</a> ({esc(ref.licence)}). Vous pouvez les copier, les adapter et '
        "les diffuser, y compris à des fins commerciales, à condition de citer la source et de diffuser "
        "vos adaptations sous la même licence.</p>\n"
        f"<p>Pour citer ce document : {esc(ref.editeur or AUTEUR)}, « {esc(TITRE_RAPPORT)} », "
        f"données version {esc(ref.version)}, licence {esc(ref.licence)}.</p>\n"
        '<h2 id="credits">Crédits</h2>\n'
        "<p>La démarche d'évaluation de l'utilité sociale a été lancée en 2014 par la Ville de Brest avec les "
        "acteurs brestois de la médiation numérique, accompagnés par la consultante Hélène Duclos. Le référentiel "
        "commun a été construit à partir des fiches d'évaluation rédigées par chaque acteur.</p>\n"
        "<p>Cette édition est produite à partir des données du site : les éléments marqués « proposition » et "
        "les fiches marquées « exemple » ont été rédigés par l'équipe du site à partir de sources publiques, "
        "citées dans chaque fiche.</p>\n"
        "<p>Source principale : « Évaluation de l'utilité sociale : démarche engagée à Brest autour du "
        "numérique », présentation de la démarche par la Ville de Brest. Contact indiqué par ce document : "
        "Elisabeth Le Faucheur, service internet et expression multimédia, Ville de Brest.</p>\n"
        "</section>\n"
    )


def _document(titre: str, sujet: str, corps: str, date: str, classe: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{esc(titre)}</title>\n"
        f'<meta name="author" content="{esc(AUTEUR)}">\n'
        f'<meta name="description" content="{esc(sujet)}">\n'
        f'<meta name="keywords" content="{esc(MOTS_CLES)}">\n'
        '<meta name="generator" content="referentiel (WeasyPrint)">\n'
        f'<meta name="dcterms.created" content="{esc(date)}">\n'
        f'<meta name="dcterms.modified" content="{esc(date)}">\n'
        f"</head>\n<body class=\"{classe}\">\n{corps}\n</body>\n</html>\n"
    )


def html_rapport(ref: Referentiel, chapitres: list[Chapitre], date: str,
                 site_url: str | None = None) -> str:
    """The whole report as one HTML document, ready for WeasyPrint."""
    presents = {ancre_pdf(ch.src_uri) for ch in chapitres}
    presents |= {ancre_pdf(src_dimension(d)) for d in ref.dimensions}
    presents |= {ancre_pdf(src_critere(c)) for c in ref.criteres.values()}
    presents |= {ancre_pdf(src_indicateur(i)) for i in ref.indicateurs.values()}
    presents |= {ancre_pdf(src_fiche(f)) for f in ref.fiches}
    presents.add(ancre_pdf("matrice.md"))
    rendu = Rendu(ref, UrlsPdf(presents, UrlsAbsolues(site_url)), site_url=site_url)
    urls_site = {Urls().url(ch.src_uri): ancre_pdf(ch.src_uri) for ch in chapitres}
    urls_site.update({Urls().url(s): ancre_pdf(s) for s in
                      [src_dimension(d) for d in ref.dimensions]
                      + [src_critere(c) for c in ref.criteres.values()]
                      + [src_indicateur(i) for i in ref.indicateurs.values()]
                      + [src_fiche(f) for f in ref.fiches] + ["matrice.md"]})

    toc: list[tuple[str, str, int]] = []
    corps_chapitres = []
    for ch in chapitres:
        html = _chapitre_html(ch, urls_site, site_url)
        titre = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
        texte = re.sub(r"<[^>]+>", "", titre.group(1)).strip() if titre else ch.url
        toc.append((ancre_pdf(ch.src_uri), htmlmod.unescape(texte), 1))
        corps_chapitres.append(f'<section class="chapitre-redige">\n{html}\n</section>\n')

    referentiel, toc_ref = _referentiel(ref, rendu)
    toc += toc_ref
    chapitre_matrice = ('<section class="chapitre-matrice">\n'
               f'<h1 id="{ancre_pdf("matrice.md")}" class="chapitre">Matrice fiches × critères</h1>\n'
               "<p>Chaque ligne est une fiche, chaque colonne un critère, regroupé sous sa dimension.</p>\n"
               + matrice(rendu, "") + "\n</section>\n")
    toc.append((ancre_pdf("matrice.md"), "Matrice fiches × critères", 1))

    annexes = ['<section class="chapitre-annexes">\n<h1 id="annexes" class="chapitre">'
               "Annexes : les fiches d'évaluation</h1>\n"]
    nb_ex = sum(1 for f in ref.fiches if f.est_exemple)
    annexes.append(f"<p>{len(ref.fiches)} fiche{'s' if len(ref.fiches) > 1 else ''}, une par action évaluée, "
                   "chacune sur une nouvelle page.")
    if nb_ex:
        annexes.append(f" {nb_ex} d'entre elles sont des exemples reconstitués à partir de sources publiques : "
                       "leurs valeurs n'ont pas été mesurées, et chacune le signale.")
    annexes.append("</p>\n</section>\n")
    toc.append(("annexes", "Annexes : les fiches d'évaluation", 1))
    for f in ref.fiches:
        ident = ancre_pdf(src_fiche(f))
        html = _md_page(page_fiche(rendu, f))
        html = _decaler_titres(_prefixer_ids(html, ident), 1)
        html = _premier_titre(html, ident, "titre-fiche")
        annexes.append(f'<section class="fiche">\n{html}\n</section>\n')
        toc.append((ident, f.titre + (" (exemple)" if f.est_exemple else ""), 2))
    toc.append(("licence-et-credits", "Licence et crédits", 1))

    corps = (_cover(ref, date) + _sommaire(toc) + "".join(corps_chapitres) + referentiel + chapitre_matrice
             + "".join(annexes) + _credits(ref))
    sujet = ("Rapport final du référentiel de l'utilité sociale de la médiation numérique construit à Brest "
             "en 2014-2015 : critères, indicateurs et fiches d'évaluation des acteurs.")
    return _document(TITRE_RAPPORT, sujet, corps, date, "rapport")


def html_fiche(ref: Referentiel, f: Fiche, date: str, site_url: str | None = None) -> str:
    """One fiche as a stand-alone document; links go to the site."""
    rendu = Rendu(ref, UrlsAbsolues(site_url), site_url=site_url)
    html = _md_page(page_fiche(rendu, f))
    html = _premier_titre(html, "fiche", "titre-fiche")
    adresse = UrlsAbsolues(site_url).rel("", src_fiche(f))
    if adresse:
        permanent = f'<a href="{esc(adresse)}">{esc(adresse)}</a>'
    else:
        permanent = f"page <code>{esc(Urls().url(src_fiche(f)))}</code> du site"
    entete = (f'<p class="entete-fiche">Fiche d\'évaluation · {esc(ref.titre)} · '
              f"données version {esc(ref.version)}</p>\n")
    pied = (f'<p class="adresse-permanente">Adresse permanente de cette fiche : {permanent}. '
            f"Document produit le {esc(date_fr(date))}.</p>\n")
    sujet = f"Fiche d'évaluation de l'utilité sociale : {f.titre} ({f.acteur.nom})."
    return _document(f"{f.titre} – fiche d'évaluation", sujet, entete + html + pied, date, "fiche-seule")


# --------------------------------------------------------------------------
# Writing PDFs


def _references_de_pages_en_cache() -> None:
    """Make ``pydyf.PDF.page_references`` O(1) instead of O(pages).

    WeasyPrint reads it for every link and every tagged element, and pydyf
    rebuilds the whole tuple each time: the report's cost grew with the square
    of its page count (profiled: 75 s of 270 s at 200 fiches). Pages are only
    ever appended, so the tuple is cached by the length of the page list. Same
    output, byte for byte (checked on the shipped data).
    """
    import pydyf

    if getattr(pydyf.PDF, "_referentiel_cache", False):
        return

    def page_references(self):
        kids = self.pages["Kids"]
        cache = self.__dict__.get("_referentiel_refs")
        if cache is None or cache[0] != len(kids):
            cache = (len(kids), tuple(f"{n} 0 R".encode("ascii") for n in kids[::3]))
            self.__dict__["_referentiel_refs"] = cache
        return cache[1]

    pydyf.PDF.page_references = property(page_references)
    pydyf.PDF._referentiel_cache = True


# A fiche printed alone: narrower margins, to stay within 1 to 3 pages.
CSS_FICHE_SEULE = "@page { margin: 14mm 14mm 13mm 14mm; }"


def ecrire_pdf(html: str, destination: Path, css_en_plus: str | None = None) -> int:
    """Render ``html`` to ``destination``; returns the file size in bytes."""
    import gc
    import hashlib

    from weasyprint import CSS, HTML  # heavy import, only when PDFs are made
    from weasyprint.urls import URLFetcher

    _references_de_pages_en_cache()
    # Nothing is fetched from the network while printing.
    fetcher = URLFetcher(allowed_protocols={"file", "data"})
    destination.parent.mkdir(parents=True, exist_ok=True)
    feuilles = [CSS(filename=str(CSS_PDF), url_fetcher=fetcher)]
    if css_en_plus:
        feuilles.append(CSS(string=css_en_plus, url_fetcher=fetcher))
    # Layout builds millions of short-lived objects: collecting them less often
    # saves about a quarter of the time on a large report (see README).
    seuils = gc.get_threshold()
    gc.set_threshold(max(seuils[0], 50_000), seuils[1], seuils[2])
    try:
        HTML(string=html, base_url=str(destination.parent), url_fetcher=fetcher).write_pdf(
            destination,
            stylesheets=feuilles,
            # Tagged PDF: structure for screen readers.
            pdf_tags=True,
            # Same input, same identifier: two builds give the same bytes.
            pdf_identifier=hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii"),
        )
    finally:
        gc.set_threshold(*seuils)
    return destination.stat().st_size


def _ecrire_tache(tache: tuple[str, Path, str | None]) -> int:
    return ecrire_pdf(*tache)


def ecrire_tous(taches: list[tuple[str, Path, str | None]]) -> list[int]:
    """Render several documents, on every core; sizes in the order given."""
    import multiprocessing
    import os

    coeurs = min(len(taches), os.cpu_count() or 1, 4)
    if coeurs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [ecrire_pdf(*t) for t in taches]
    with multiprocessing.get_context("fork").Pool(coeurs) as pool:
        return pool.map(_ecrire_tache, taches, chunksize=1)


def date_du_document() -> str:
    """The date printed in the documents: that of ``SOURCE_DATE_EPOCH`` when
    set (reproducible builds), else today (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch else datetime.now(timezone.utc)
    return moment.strftime("%Y-%m-%d")


def imprimer(ref: Referentiel, chapitres: list[Chapitre], site: Path, site_url: str | None) -> int:
    """The report and every fiche's PDF, into the built site; returns the report's size.
    Raises ``ErreurPdf`` (in French) if WeasyPrint fails."""
    date = date_du_document()
    taches = [(html_rapport(ref, chapitres, date, site_url), site / SRC_PDF_RAPPORT, None)]
    for f in ref.fiches:
        taches.append((html_fiche(ref, f, date, site_url), site / src_pdf_fiche(f), CSS_FICHE_SEULE))
    try:
        return ecrire_tous(taches)[0]
    except Exception as exc:  # noqa: BLE001 - shown in French, the build stops
        raise ErreurPdf(f"La génération des PDF a échoué : {type(exc).__name__} : {exc}") from exc


class ErreurPdf(Exception):
    """Printing failed; the message is in French."""


def taille_lisible(octets: int) -> str:
    """``1234567`` -> ``1,2 Mo`` (French style)."""
    if octets < 1024 * 1024:
        return f"{max(1, round(octets / 1024))} Ko"
    return f"{octets / (1024 * 1024):.1f} Mo".replace(".", ",")


__all__ = ["Chapitre", "ErreurPdf", "SRC_PDF_RAPPORT", "date_du_document", "ecrire_pdf", "ecrire_tous",
           "html_fiche", "html_rapport", "imprimer", "src_pdf_fiche", "taille_lisible"]
