"""The report and each fiche, as HTML documents for WeasyPrint.

The fiches are the site's own page renderer (``pages.page_fiche``), with the
PDF's link strategy (``liens``) and headings (``pages.Titres``); the
hand-written chapters are the pages MkDocs rendered, rewritten by
``chapitres``; the framework chapter, the cover, the contents and the
credits are the report's own.
"""

from __future__ import annotations

import re

import markdown

from ...modele import LICENCES, Fiche, Referentiel
from ...pages import (
    Rendu,
    Titres,
    Urls,
    matrice,
    page_fiche,
    src_critere,
    src_dimension,
    src_fiche,
    src_indicateur,
)
from ...render import date_fr, esc, md, pluriel
from .chapitres import Chapitre, chapitre_html
from .liens import UrlsAbsolues, UrlsPdf, ancre_pdf

TITRE_RAPPORT = "Construction d'un référentiel de l'utilité sociale de la médiation numérique"
AUTEUR = "Ville de Brest – Brest métropole"
MOTS_CLES = ("utilité sociale, médiation numérique, évaluation, référentiel, critères, "
             "indicateurs, Brest, appropriation sociale du numérique")

# A generated page's Markdown -> HTML (its front matter is for the site only).
_MD = markdown.Markdown(extensions=["admonition", "attr_list", "tables", "toc"])
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)


def _md_page(source: str) -> str:
    _MD.reset()
    return _MD.convert(_FRONT_MATTER.sub("", source, count=1))


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
                f"utilisé par {pluriel(n, 'fiche')}</p>\n")
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
        html, titre = chapitre_html(ch, urls_site, site_url)
        toc.append((ancre_pdf(ch.src_uri), titre, 1))
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
    annexes.append(f"<p>{pluriel(len(ref.fiches), 'fiche')}, une par action évaluée, "
                   "chacune sur une nouvelle page.")
    if nb_ex:
        annexes.append(f" {nb_ex} d'entre elles sont des exemples reconstitués à partir de sources publiques : "
                       "leurs valeurs n'ont pas été mesurées, et chacune le signale.")
    annexes.append("</p>\n</section>\n")
    toc.append(("annexes", "Annexes : les fiches d'évaluation", 1))
    for f in ref.fiches:
        ident = ancre_pdf(src_fiche(f))
        rendu_fiche = Rendu(ref, rendu.urls, site_url=site_url,
                            titres=Titres(prefixe=ident, decalage=1, premier=(ident, "titre-fiche")))
        html = _md_page(page_fiche(rendu_fiche, f))
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
    rendu = Rendu(ref, UrlsAbsolues(site_url), site_url=site_url, titres=Titres(premier=("fiche", "titre-fiche")))
    html = _md_page(page_fiche(rendu, f))
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
