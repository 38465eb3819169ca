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

from ...modele import LICENCES, Critere, Fiche, Referentiel
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
from ...pages import recueil
from ...pages.commun import titre_court
from ...pages.evaluation import indicateurs_proposes
from ...pages.liens import SRC_EVALUATION
from ...pages.versions import en_vigueur
from .chapitres import Chapitre, chapitre_html
from .liens import UrlsAbsolues, UrlsPdf, ancre_pdf
from .typographie import espaces_francaises

TITRE_RAPPORT = "Construction d'un référentiel de l'utilité sociale de la médiation numérique"
AUTEUR = "Ville de Brest – Brest métropole"
# Who produced this digital edition: not the city, whose 2015 report bears the same title.
EDITION = "l'équipe du site du référentiel"
EDITION_NOM = "Équipe du site du référentiel"
MOTS_CLES = ("utilité sociale, médiation numérique, évaluation, référentiel, critères, "
             "indicateurs, Brest, appropriation sociale du numérique")

# A generated page's Markdown -> HTML (its front matter is for the site only).
_MD = markdown.Markdown(extensions=["admonition", "attr_list", "tables", "toc"])
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)


def _md_page(source: str) -> str:
    _MD.reset()
    return _MD.convert(_FRONT_MATTER.sub("", source, count=1))


def _editeur(ref: Referentiel) -> str:
    return ref.editeur or AUTEUR


def _fiches_acteurs(ref: Referentiel) -> list[Fiche]:
    return [f for f in ref.fiches if not f.est_exemple]


def _fiches_exemples(ref: Referentiel) -> list[Fiche]:
    return [f for f in ref.fiches if f.est_exemple]


def nature_des_fiches(ref: Referentiel) -> str:
    """What the fiches of this edition are, in one or two sentences: the
    cover says it, so that no one takes an example for a measured result."""
    acteurs, exemples = _fiches_acteurs(ref), _fiches_exemples(ref)
    relecture = sum(1 for f in acteurs if f.statut == "proposee")
    en_relecture = f", dont {relecture} encore en relecture" if relecture else ""
    if not ref.fiches:
        return "Cette édition ne contient encore aucune fiche d'évaluation."
    if not acteurs:
        tout = "La fiche" if len(exemples) == 1 else f"Les {len(exemples)} fiches"
        est = "est un exemple, reconstitué" if len(exemples) == 1 else "sont des exemples, reconstitués"
        return (f"{tout} de cette édition {est} par l'équipe du site à partir de sources "
                "publiques ou inventés pour illustrer le format : aucune ne présente de résultat mesuré "
                "par un acteur, et leurs valeurs « Non mesuré » le rappellent.")
    if not exemples:
        return (f"{'La fiche' if len(acteurs) == 1 else f'Les {len(acteurs)} fiches'} de cette édition "
                f"{'a' if len(acteurs) == 1 else 'ont'} été rédigée{'' if len(acteurs) == 1 else 's'} "
                f"par les acteurs{en_relecture} (annexe A).")
    return (f"Cette édition compte {pluriel(len(acteurs), 'fiche')} rédigée{'' if len(acteurs) == 1 else 's'} "
            f"par les acteurs{en_relecture} (annexe A), et {pluriel(len(exemples), 'fiche')} d'exemple "
            "reconstituée" + ("" if len(exemples) == 1 else "s") + " par l'équipe du site, dont les valeurs "
            "n'ont pas été mesurées (annexe B).")


def _cover(ref: Referentiel, date: str) -> str:
    nom, url = LICENCES[ref.licence]
    props = sum(1 for i in ref.indicateurs.values() if i.provenance == "proposition")
    combien = (f"Les {props} indicateurs" if props == len(ref.indicateurs)
               else f"{props} indicateurs sur {len(ref.indicateurs)}")
    propositions = (f"<p>{combien} sont formulés par l'équipe du site : "
                    "aucune source publique ne donne le texte exact de 2015, chaque élément indique sa "
                    "provenance.</p>\n") if props else ""
    mise_a_jour = (f", dont les critères et indicateurs ont été mis à jour le {esc(date_fr(ref.mise_a_jour))}"
                   if ref.mise_a_jour else "")
    return (
        '<section class="couverture">\n'
        f'<p class="couverture-editeur">{esc(_editeur(ref))}<br>et les acteurs brestois de la médiation numérique</p>\n'
        f'<h1 class="couverture-titre" id="couverture">{esc(TITRE_RAPPORT)}</h1>\n'
        '<p class="couverture-sous-titre">Le référentiel commun construit en 2014–2015 : ses critères, '
        "ses indicateurs et les fiches d'évaluation</p>\n"
        f'<p class="couverture-edition">Édition numérique · données version {esc(ref.version)} · '
        f"produite le {esc(date_fr(date))}</p>\n"
        '<div class="couverture-nature">\n'
        "<p><strong>Ce document.</strong> Le référentiel a été construit en 2014–2015 par les acteurs brestois "
        "de la médiation numérique, accompagnés par la consultante Hélène Duclos, dans la démarche d'évaluation "
        f"lancée par la Ville de Brest. Éditeur du référentiel : {esc(_editeur(ref))}. "
        f"Cette édition numérique a été produite par {EDITION}, à partir de ses données publiées "
        f"en version {esc(ref.version)}{mise_a_jour}. Ce n'est pas le rapport final de la Ville de Brest, "
        "dont elle reprend le titre.</p>\n"
        f"<p><strong>Les fiches.</strong> {esc(nature_des_fiches(ref))}</p>\n"
        f"{propositions}</div>\n"
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
           f"<p>Le référentiel compte {len(en_vigueur(ref.dimensions))} dimensions, {len(en_vigueur(list(ref.criteres.values())))} "
           f"critères et {len(en_vigueur(list(ref.indicateurs.values())))} indicateurs{_retires(ref)}. Chaque indicateur est de type <em>réalisation</em> (ce qui a "
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
            retrait = f'<p class="note">{esc(_retrait(c.retire))}</p>\n' if c.retire else ""
            out.append(
                f'<div class="critere"><h3 id="{cid}">{esc(c.id)} · {esc(c.titre)}</h3>\n{retrait}{md(c.description)}\n'
                f'<p class="meta">Provenance : {rendu.provenance(c.provenance, c.reference)} · '
                f"utilisé par {pluriel(n, 'fiche')}</p>\n")
            lignes = []
            for i in c.indicateurs:
                details = ""
                if i.retire:
                    details += f'<div class="detail retire"><strong>{esc(_retrait(i.retire))}</strong></div>'
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
        combien = (f"Les {props} indicateurs sont" if props == len(ref.indicateurs)
                   else f"{props} indicateurs sur {len(ref.indicateurs)} sont")
        out.append(f'<p class="note">{combien} une proposition de '
                   "l'équipe du site : aucune source publique ne donne le texte exact du référentiel de 2015.</p>\n")
    out.append("</section>\n")
    return "".join(out), toc


# Beyond this many criteria the matrix's columns no longer fit a landscape
# page (about 13 mm each, beside the fiches' titles): it is printed as lists.
MAX_COLONNES_MATRICE = 22


def _matrice_imprimee(rendu: Rendu) -> str:
    html = matrice(rendu, "")
    if len(rendu.ref.criteres) <= MAX_COLONNES_MATRICE:
        return "<p>Chaque ligne est une fiche, chaque colonne un critère, regroupé sous sa dimension.</p>\n" + html
    # The lists that follow the matrix on a phone, shown instead of the table.
    debut = html.index('<div class="ref-matrice-listes" hidden>')
    return ("<p>Le référentiel compte trop de critères pour que la matrice tienne sur une page : "
            "elle est donnée ici sous forme de listes.</p>\n"
            + html[debut:].replace('<div class="ref-matrice-listes" hidden>', '<div class="ref-matrice-listes">', 1))


def _retires(ref: Referentiel) -> str:
    n = sum(1 for e in [*ref.dimensions, *ref.criteres.values(), *ref.indicateurs.values()] if e.retire)
    return "" if not n else (f" en vigueur ; {pluriel(n, 'élément retiré', 'éléments retirés')} y "
                             f"{'reste' if n == 1 else 'restent'}, marqué{'' if n == 1 else 's'} comme tel{'' if n == 1 else 's'}")


def _retrait(retrait) -> str:
    """« Retiré dans la version 1.1, remplacé par VE2.4. »: a retired item stays in the report, marked."""
    texte = f"Retiré dans la version {retrait.version}"
    if retrait.remplace_par:
        texte += ", remplacé par " + ", ".join(retrait.remplace_par)
    return texte + "."


def _credits(ref: Referentiel, date: str) -> str:
    nom, url = LICENCES[ref.licence]
    return (
        '<section class="chapitre-credits">\n<h1 id="licence-et-credits" class="chapitre">Licence et crédits</h1>\n'
        f'<h2 id="licence">Licence</h2>\n<p>Le référentiel et les fiches sont publiés sous licence '
        f'<a href="{esc(url)}">{esc(nom)}</a> ({esc(ref.licence)}). Vous pouvez les copier, les adapter et '
        "les diffuser, y compris à des fins commerciales, à condition de citer la source et de diffuser "
        "vos adaptations sous la même licence.</p>\n"
        f"<p>Pour citer ce document : {esc(_editeur(ref))} et les acteurs de la médiation numérique, "
        f"« {esc(TITRE_RAPPORT)} », édition numérique produite par {EDITION} le {esc(date_fr(date))}, "
        f"données version {esc(ref.version)}, licence {esc(ref.licence)}.</p>\n"
        "<p>Pour citer une fiche : le nom de l'acteur, « le titre de la fiche », fiche d'évaluation, dans "
        f"{esc(ref.titre)}, version {esc(ref.version)} des données, licence {esc(ref.licence)}. Pour une fiche "
        "d'exemple : Équipe du site, « le titre de la fiche », fiche d'évaluation d'exemple, reconstituée d'après "
        "des sources publiques. Le PDF de chaque fiche, sur le site, donne sa citation prête à copier.</p>\n"
        '<h2 id="credits">Crédits</h2>\n'
        "<p>La démarche d'évaluation de l'utilité sociale a été lancée en 2014 par la Ville de Brest avec les "
        "acteurs brestois de la médiation numérique, accompagnés par la consultante Hélène Duclos. Le référentiel "
        "commun a été construit à partir des fiches d'évaluation rédigées par chaque acteur.</p>\n"
        f"<p>Cette édition numérique est produite par {EDITION} à partir des données du site : les éléments "
        "marqués « proposition » et les fiches d'exemple ont été rédigés par cette équipe à partir de sources "
        "publiques, citées dans chaque fiche. Elle ne remplace pas le rapport final de la Ville de Brest.</p>\n"
        "<p>Source principale : « Évaluation de l'utilité sociale : démarche engagée à Brest autour du "
        "numérique », présentation de la démarche par la Ville de Brest. Contact indiqué par ce document : "
        "Elisabeth Le Faucheur, service internet et expression multimédia, Ville de Brest.</p>\n"
        "</section>\n"
    )


def _document(titre: str, auteur: str, sujet: str, corps: str, date: str, classe: str) -> str:
    """A whole document for WeasyPrint; its text gets French typography's spaces."""
    return (
        '<!DOCTYPE html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{esc(titre)}</title>\n"
        f'<meta name="author" content="{esc(auteur)}">\n'
        f'<meta name="description" content="{esc(sujet)}">\n'
        f'<meta name="keywords" content="{esc(MOTS_CLES)}">\n'
        '<meta name="generator" content="referentiel (WeasyPrint)">\n'
        f'<meta name="dcterms.created" content="{esc(date)}">\n'
        f'<meta name="dcterms.modified" content="{esc(date)}">\n'
        f"</head>\n<body class=\"{classe}\">\n{espaces_francaises(corps)}\n</body>\n</html>\n"
    )


def auteur_rapport(ref: Referentiel) -> str:
    """The report's Author: who built the référentiel, and who produced this edition."""
    return (f"{_editeur(ref)} et les acteurs de la médiation numérique (référentiel, 2014–2015) ; "
            f"{EDITION_NOM} (édition numérique)")


def _annexe(lettre: str, ident: str, titre: str, texte: str) -> str:
    return (f'<section class="chapitre-annexes">\n<h1 id="{ident}" class="chapitre">Annexe {lettre} – {esc(titre)}</h1>\n'
            f"<p>{texte}</p>\n</section>\n")


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
    en_listes = len(ref.criteres) > MAX_COLONNES_MATRICE
    chapitre_matrice = (f'<section class="chapitre-matrice{"-listes" if en_listes else ""}">\n'
               f'<h1 id="{ancre_pdf("matrice.md")}" class="chapitre">Matrice fiches × critères</h1>\n'
               + _matrice_imprimee(rendu) + "\n</section>\n")
    toc.append((ancre_pdf("matrice.md"), "Matrice fiches × critères", 1))

    annexes = []
    parties = []
    acteurs, exemples = _fiches_acteurs(ref), _fiches_exemples(ref)
    if acteurs:
        relecture = sum(1 for f in acteurs if f.statut == "proposee")
        parties.append(("annexe-fiches-acteurs", "Fiches des acteurs", acteurs,
                        f"Cette annexe rassemble {pluriel(len(acteurs), 'fiche')} d'évaluation "
                        f"rédigée{'' if len(acteurs) == 1 else 's'} "
                        "par les acteurs, une par action évaluée : les valeurs sont celles que chaque acteur a "
                        "relevées et décrites."
                        + ((" Une fiche marquée « Proposée » est encore en relecture." if relecture == 1 else
                            f" {relecture} fiches marquées « Proposée » sont encore en relecture.")
                           if relecture else "")))
    if exemples:
        parties.append(("annexe-fiches-exemples", "Fiches d'exemple", exemples,
                        f"Cette annexe rassemble {pluriel(len(exemples), 'fiche')} d'exemple, "
                        f"reconstituée{'' if len(exemples) == 1 else 's'} "
                        "par l'équipe du site à partir de sources publiques ou inventée"
                        + ("" if len(exemples) == 1 else "s") + " pour illustrer le format. Ce ne sont pas les "
                        "fiches rédigées par les acteurs, et leurs valeurs n'ont pas été mesurées : chacune le "
                        "signale en tête."
                        + ("" if acteurs else " Aucune fiche d'acteur n'est encore publiée.")))
    for n, (ident_annexe, titre_annexe, fiches, texte) in enumerate(parties):
        lettre = "ABCDEFGH"[n]
        annexes.append(_annexe(lettre, ident_annexe, titre_annexe, texte))
        toc.append((ident_annexe, f"Annexe {lettre} – {titre_annexe}", 1))
        for f in fiches:
            ident = ancre_pdf(src_fiche(f))
            rendu_fiche = Rendu(ref, rendu.urls, site_url=site_url, imprime=True,
                                titres=Titres(prefixe=ident, decalage=1, premier=(ident, "titre-fiche")))
            html = _md_page(page_fiche(rendu_fiche, f))
            annexes.append(f'<section class="fiche annexe-{lettre.lower()}">\n{html}\n</section>\n')
            toc.append((ident, f.titre, 2))
    toc.append(("licence-et-credits", "Licence et crédits", 1))

    corps = (_cover(ref, date) + _sommaire(toc) + "".join(corps_chapitres) + referentiel + chapitre_matrice
             + "".join(annexes) + _credits(ref, date))
    sujet = (f"Édition numérique, produite le {date} à partir des données version {ref.version}, du référentiel "
             "de l'utilité sociale de la médiation numérique construit à Brest en 2014-2015 : critères, "
             f"indicateurs et fiches d'évaluation. {nature_des_fiches(ref)}")
    return _document(TITRE_RAPPORT, auteur_rapport(ref), sujet, corps, date, "rapport")


def html_fiche(ref: Referentiel, f: Fiche, date: str, site_url: str | None = None) -> str:
    """One fiche as a stand-alone document, to print or attach to a file; links go to the site."""
    rendu = Rendu(ref, UrlsAbsolues(site_url), site_url=site_url, imprime=True,
                  titres=Titres(premier=("fiche", "titre-fiche")))
    html = _md_page(page_fiche(rendu, f))
    adresse = UrlsAbsolues(site_url).rel("", src_fiche(f))
    if adresse:
        permanent = (f"Adresse permanente de cette fiche : <a href=\"{esc(adresse)}\">{esc(adresse)}</a>. "
                     "Elle reste la même d'une version à l'autre.")
    else:
        permanent = ("L'adresse de cette fiche sur le site n'est pas indiquée : ce PDF a été produit sans "
                     "l'adresse publique du site (construction locale ou aperçu). Le PDF téléchargé depuis "
                     "le site publié la donne.")
    maj = f"Fiche mise à jour le {esc(date_fr(f.mise_a_jour))}. " if f.mise_a_jour else ""
    entete = (f'<p class="entete-fiche">Fiche d\'évaluation de l\'utilité sociale · {esc(ref.titre)} '
              f"(Brest) · données version {esc(ref.version)}</p>\n")
    pied = (f'<p class="adresse-permanente">{permanent} {maj}Document produit le {esc(date_fr(date))}.</p>\n')
    if f.est_exemple:
        auteur = f"{EDITION_NOM} (fiche d'exemple, d'après des sources publiques)"
        sujet = (f"Fiche d'évaluation de l'utilité sociale, exemple : {f.titre} ({f.acteur.nom}). "
                 "Reconstituée par l'équipe du site ; valeurs non mesurées.")
    else:
        auteur = f.acteur.nom
        sujet = f"Fiche d'évaluation de l'utilité sociale : {f.titre} ({f.acteur.nom})."
    return _document(f"{f.titre} – fiche d'évaluation", auteur, sujet, entete + html + pied, date, "fiche-seule")


def html_kit(ref: Referentiel, c: Critere, date: str, site_url: str | None = None) -> str:
    """A criterion's collection kit: the plan, the questionnaires, the observation
    grid and the interview guide of its indicators in force (``pages.recueil``,
    the documents of « Préparer son évaluation »), to print without the site."""
    indicateurs = indicateurs_proposes(c)
    d = c.dimension
    assert d is not None
    urls = UrlsAbsolues(site_url)
    contenu = "".join(f"<li>{esc(i.id)} · {esc(i.libelle)} ({esc(i.type_libelle.lower())})</li>"
                      for i in indicateurs)
    adresse = urls.rel("", SRC_EVALUATION)
    if adresse:
        ailleurs = (f'Pour assembler les documents de plusieurs critères, avec le nom de votre action : '
                    f'« Préparer son évaluation », <a href="{esc(adresse)}">{esc(adresse)}</a>.')
    else:
        ailleurs = ("Pour assembler les documents de plusieurs critères, avec le nom de votre action : la page "
                    "« Préparer son évaluation » du site du référentiel.")
    titre = f"Kit de recueil du critère {c.id} · {c.titre}"
    docs = recueil.documents(indicateurs, avec_ids=False)
    noms = [recueil.DOCUMENTS_PHRASE[k] for k in recueil.DOCUMENTS
            if any(f'data-doc="{k}"' in x for x in docs)]
    quels = "son indicateur" if len(indicateurs) == 1 else f"les {len(indicateurs)} indicateurs"
    conseils = "".join(
        f" {phrase}" for doc, phrase in (
            ("questionnaire-participants", "Imprimez le questionnaire autant de fois qu'il y a de participants."),
            ("observation", "Imprimez la grille d'observation une fois par séance observée."))
        if any(f'data-doc="{doc}"' in x for x in docs))
    contient = ", ".join(noms[:-1]) + " et " + noms[-1] if len(noms) > 1 else noms[0]
    corps = (
        f'<p class="entete-fiche">Kit de recueil · {esc(ref.titre)} (Brest) · version {esc(ref.version)}</p>\n'
        f'<h1 class="kit-titre" data-court="{esc(titre_court(titre))}">{esc(titre)}</h1>\n'
        f'<p class="kit-dimension">Dimension « {esc(d.titre)} »</p>\n{md(c.description)}\n'
        f"<p>Pour {quels} de ce critère, ce kit contient {contient}.{conseils}</p>\n"
        f'<ul class="kit-indicateurs">{contenu}</ul>\n'
        f'<p class="kit-note">{esc(recueil.NOTICE_OUTILS)}</p>\n'
        f'<p class="kit-note">{ailleurs} Document produit le {esc(date_fr(date))}.</p>\n'
        + "\n".join(docs))
    return _document(titre, EDITION_NOM, f"{titre}. {recueil.NOTICE_OUTILS}", corps, date, "kit")
