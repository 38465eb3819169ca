"""The page « Préparer son évaluation »: from the référentiel to a collection kit.

An actor describes the action (its name, structure, type, publics), picks the
criteria that fit, guided by dimension (each with its description and the
fiches that use it), then the indicators of those criteria (type, methods,
example question). Every indicator's pieces of the five documents of
``recueil`` are on the page; its script (docs/javascripts/preparer-evaluation.js)
shows the chosen ones, keeps the selection in the page's address (shared,
reopened: nothing leaves the browser) and prints one document at a time.

Without JavaScript, the criteria are listed with their descriptions, and each
links to its kit PDF (made at build time).
"""

from __future__ import annotations

from ..modele import CATEGORIES_PUBLICS, Critere, Indicateur, Referentiel, slug_indicateur
from ..lecture.schemas import schema
from ..render import esc, md, pluriel
from .blocs import script_json
from .commun import Rendu
from .liens import SRC_EVALUATION, src_dimension, src_indicateur, src_pdf_kit
from .recueil import DOCUMENTS, NOTICE_OUTILS, TYPES_ACTION, documents
from .versions import en_vigueur

# Fiches shown as examples under each criterion.
EXEMPLES = 3
# The longest name of an action or of a structure typed in step 1 (the fiche's
# title and actor allow more; these are printed on one line of the documents).
LONGUEUR_CHAMP = 120


def longueur_question() -> int:
    """The longest wording of a question (schemas/criteres.schema.json), for an adapted one too."""
    return schema("criteres")["$defs"]["question"]["properties"]["texte"]["maxLength"]


def criteres_proposes(ref: Referentiel) -> list[Critere]:
    """The criteria one can choose (and that have a kit): those in force, in the référentiel's order."""
    return [c for d in en_vigueur(ref.dimensions) for c in en_vigueur(d.criteres)]


def indicateurs_proposes(c: Critere) -> list[Indicateur]:
    return en_vigueur(c.indicateurs)


def _exemples(r: Rendu, here: str, c: Critere) -> str:
    fiches = r.ref.fiches_par_critere.get(c.id, [])
    if not fiches:
        return '<p class="pe-meta">Aucune fiche ne l\'utilise encore.</p>'
    liens = ", ".join(r.lien_fiche(here, f) for f in fiches[:EXEMPLES])
    reste = f" et {pluriel(len(fiches) - EXEMPLES, 'autre')}" if len(fiches) > EXEMPLES else ""
    return f'<p class="pe-meta">Fiches qui l\'utilisent\u00a0: {liens}{reste}.</p>'


def _adresse_kit(r: Rendu, here: str, c: Critere) -> str | None:
    """The link to a criterion's kit PDF, when the build makes the PDFs."""
    return r.urls.rel(here, src_pdf_kit(c)) if r.pdf_fiches else None


def _kit(r: Rendu, here: str, c: Critere) -> str:
    kit = _adresse_kit(r, here, c)
    return f'<p class="pe-kit"><a href="{esc(kit)}">Kit de recueil du critère {esc(c.id)} (PDF)</a></p>' if kit else ""


def outils_du_critere(r: Rendu, here: str, c: Critere) -> str:
    """On a criterion's page: its kit PDF, and « Préparer son évaluation » with it chosen."""
    if c.retire:
        return ""
    page = r.urls.rel(here, SRC_EVALUATION)
    kit = _adresse_kit(r, here, c)
    morceaux = []
    if kit:
        morceaux.append(f'<a href="{esc(kit)}">le kit de recueil du critère {esc(c.id)}</a> (PDF\u00a0: plan '
                        "d'évaluation, questionnaire, grille d'observation et guide d'entretien de ses indicateurs)")
    if page:
        morceaux.append(f'<a href="{esc(page)}?criteres={esc(c.id)}">préparez votre évaluation</a> avec ce '
                        "critère et d'autres, pour votre action")
    if not morceaux:
        return ""
    return (f'<p class="ref-outils"><strong>Pour recueillir ces indicateurs\u00a0:</strong> '
            f"{' ; ou '.join(morceaux)}.</p>")


def etape_action() -> str:
    options = "".join(f'<option value="{esc(k)}">{esc(v[0])}</option>' for k, v in TYPES_ACTION.items())
    publics = "".join(
        f'<li><input type="checkbox" id="pe-p-{esc(k)}" name="publics" value="{esc(k)}">'
        f'<label for="pe-p-{esc(k)}">{esc(v)}</label></li>' for k, v in CATEGORIES_PUBLICS.items())
    return ('<div class="pe-etape ref-champs pe-action">\n'
            '<p class="pe-champ-saisie"><label for="pe-action-nom">Nom de l\'action</label>'
            '<span class="pe-aide" id="pe-aide-action">Par exemple « Ateliers tablette du mardi ». '
            "Il apparaît sur le plan et les documents.</span>"
            f'<input type="text" id="pe-action-nom" name="action" maxlength="{LONGUEUR_CHAMP}" autocomplete="off" '
            'aria-describedby="pe-aide-action"></p>\n'
            '<p class="pe-champ-saisie"><label for="pe-structure">Votre structure</label>'
            f'<input type="text" id="pe-structure" name="structure" maxlength="{LONGUEUR_CHAMP}" '
            'autocomplete="organization"></p>\n'
            '<p class="pe-champ-saisie"><label for="pe-type">Type d\'action</label>'
            f'<select id="pe-type" name="type"><option value="">Choisir…</option>{options}</select></p>\n'
            '<fieldset class="pe-publics"><legend>Publics auxquels l\'action s\'adresse en particulier '
            '<span class="pe-aide">(facultatif ; rien de coché\u00a0: ouverte à tous)</span></legend>'
            f'<ul>{publics}</ul></fieldset>\n</div>')


def etape_criteres(r: Rendu, here: str) -> str:
    parties = []
    for d in en_vigueur(r.ref.dimensions):
        items = []
        for c in en_vigueur(d.criteres):
            k = slug_indicateur(c.id)
            items.append(
                f'<li class="pe-critere">\n<input type="checkbox" id="pe-c-{k}" name="criteres" value="{esc(c.id)}" '
                f'aria-describedby="pe-c-{k}-description">'
                f'<label for="pe-c-{k}"><span class="pe-id">{esc(c.id)}</span> {esc(c.titre)}</label>\n'
                f'<div class="pe-description" id="pe-c-{k}-description">{md(c.description)}'
                f'{_exemples(r, here, c)}{_kit(r, here, c)}</div>\n</li>')
        parties.append(
            f'<fieldset class="pe-dimension">\n<legend>{esc(d.titre)}</legend>\n'
            f'<p class="pe-meta">{r.lien(here, src_dimension(d), "La dimension en détail")}</p>\n'
            f'<ul class="pe-liste">\n' + "\n".join(items) + "\n</ul>\n</fieldset>")
    return '<div class="pe-etape ref-champs pe-criteres">\n' + "\n".join(parties) + "\n</div>"


def _exemple_question(i: Indicateur) -> str:
    if i.questions:
        return i.questions[0].texte
    if i.a_demander:
        return i.a_demander[0]
    if i.a_observer:
        return i.a_observer[0]
    return ""


def etape_indicateurs(r: Rendu, here: str) -> str:
    parties = []
    for c in criteres_proposes(r.ref):
        items = []
        for i in indicateurs_proposes(c):
            k = slug_indicateur(i.id)
            exemple = _exemple_question(i)
            items.append(
                f'<li class="pe-indicateur">\n<input type="checkbox" id="pe-i-{k}" name="indicateurs" value="{esc(i.id)}" '
                f'aria-describedby="pe-i-{k}-details">'
                f'<label for="pe-i-{k}"><span class="pe-id">{esc(i.id)}</span> {esc(i.libelle)}</label>\n'
                f'<div class="pe-description" id="pe-i-{k}-details"><p>{r.badge_type(i)} '
                f'<span class="pe-methodes">Recueil\u00a0: {esc(", ".join(i.methodes_libelles))}</span></p>'
                + (f'<p class="pe-exemple">Par exemple\u00a0: « {esc(exemple.strip("« »"))} »</p>' if exemple else "")
                + f'<p class="pe-meta">{r.lien(here, src_indicateur(i), "L’indicateur en détail")}</p></div>\n</li>')
        parties.append(
            f'<fieldset class="pe-du-critere" data-critere="{esc(c.id)}" id="pe-ind-{slug_indicateur(c.id)}">\n'
            f'<legend><span class="pe-id">{esc(c.id)}</span> {esc(c.titre)}</legend>\n'
            '<ul class="pe-liste">\n' + "\n".join(items) + "\n</ul>\n</fieldset>")
    return ('<div class="pe-etape ref-champs pe-indicateurs">\n'
            '<p class="pe-vide-selection" id="pe-aucun-critere" hidden>Choisissez d\'abord au moins un critère '
            '(étape 2)\u00a0: ses indicateurs s\'affichent ici.</p>\n' + "\n".join(parties) + "\n</div>")


def etape_documents(r: Rendu, here: str) -> str:
    tous = [i for c in criteres_proposes(r.ref) for i in indicateurs_proposes(c)]
    fiche = (f'<li><a class="md-button md-button--primary" id="pe-fiche" '
             f'href="{esc(r.urls.rel(here, r.formulaire))}">Préparer la fiche avec cette sélection</a></li>'
             if r.formulaire else "")
    boutons = "".join(
        f'<li data-bouton="{esc(k)}"><button type="button" class="md-button" data-imprimer="{esc(k)}">'
        f"Imprimer\u00a0: {esc(v[0].lower() + v[1:])}</button></li>" for k, v in DOCUMENTS.items())
    return ('<div class="pe-etape ref-champs pe-documents" id="pe-documents" hidden>\n'
            '<p id="pe-resume" class="pe-resume" role="status"></p>\n'
            '<p class="pe-partage"><label for="pe-adresse">Adresse de votre sélection, à garder ou à envoyer à vos '
            'collègues\u00a0:</label> <input type="text" id="pe-adresse" readonly> '
            '<button type="button" class="md-button" id="pe-copier">Copier l\'adresse</button> '
            '<span id="pe-copie" role="status"></span></p>\n'
            f'<ul class="pe-boutons">{boutons}{fiche}</ul>\n'
            '<p class="pe-meta">Chaque bouton imprime un seul document, sans le reste de la page (choisissez '
            '« Enregistrer au format PDF » comme imprimante pour en faire un fichier).'
            + (" La fiche s'ouvre dans le formulaire « Proposer une fiche » avec vos critères et indicateurs "
               "cochés\u00a0: vous la complétez une fois les données recueillies." if fiche else "") + "</p>\n"
            '<div class="pe-adapter">\n<p><button type="button" class="md-button" id="pe-modifier" '
            'aria-pressed="false" aria-describedby="pe-modifier-aide">Adapter le texte des questions</button> '
            '<button type="button" class="md-button" id="pe-retablir" hidden>Revenir aux questions proposées</button> '
            '<span id="pe-modifie" role="status"></span></p>\n'
            '<p class="pe-meta" id="pe-modifier-aide">Avant d\'imprimer, vous pouvez changer les mots d\'une question '
            "du questionnaire ou de l'entretien pour votre public (« l'atelier » devient « la permanence », par "
            "exemple). Vos changements restent dans ce navigateur, sur cet appareil ; l'adresse de la sélection "
            "donne les questions proposées.</p>\n</div>\n"
            f'<p class="pe-note">{esc(NOTICE_OUTILS)}</p>\n'
            '<div class="pe-apercus">\n' + "\n".join(documents(tous)) + "\n</div>\n</div>")


def donnees(r: Rendu, here: str) -> str:
    """What the page's script needs, as a JSON script element: each criterion's
    indicators (what may be chosen, in order), the action types' wording, the form."""
    d = {
        "criteres": {c.id: [i.id for i in indicateurs_proposes(c)] for c in criteres_proposes(r.ref)},
        "types_action": {k: v[1] for k, v in TYPES_ACTION.items()},
        "publics": dict(CATEGORIES_PUBLICS),
        "documents": DOCUMENTS,
        "formulaire": r.urls.rel(here, r.formulaire) if r.formulaire else "",
        "longueur_champ": LONGUEUR_CHAMP,
        "longueur_question": longueur_question(),
    }
    return script_json("pe-donnees", d)


def sans_javascript(r: Rendu, here: str) -> str:
    if r.pdf_fiches:
        kits = ("Chaque critère ci-dessous a aussi son kit de recueil, tout prêt, en PDF : le plan, le "
                "questionnaire et les grilles de tous ses indicateurs.")
    else:
        kits = "Chaque page de critère présente ses indicateurs et la façon de les recueillir."
    return ('<noscript><p class="pe-noscript"><strong>Cette page a besoin de JavaScript pour assembler vos '
            f"documents, et il est désactivé dans votre navigateur.</strong> {kits}</p></noscript>")


def _suite(ancre: str, quoi: str) -> str:
    """« Étape suivante » at the end of a long step (on a phone, the steps are far apart)."""
    return f'<p class="pe-suite"><a href="#{ancre}">Étape suivante : {quoi}</a></p>'


def page_evaluation(r: Rendu) -> str:
    here = r.urls.url(SRC_EVALUATION)
    out = ["---\ntitle: Préparer son évaluation\n"
           "description: Choisir les critères et les indicateurs qui conviennent à son action, puis imprimer "
           "le plan d'évaluation, le questionnaire, la grille d'observation et le guide d'entretien.\n"
           "ressources: [evaluation]\n---\n\n"]
    out.append(r.titre(1, "Préparer son évaluation"))
    out.append(r.bloc(
        "<p>Vous voulez évaluer l'utilité sociale d'une action avec le référentiel ? Décrivez-la, choisissez "
        "les critères qui lui correspondent, puis les indicateurs que vous allez suivre. La page prépare vos "
        "documents : le <strong>plan d'évaluation</strong>, le <strong>questionnaire</strong> des participants, "
        "la <strong>grille d'observation</strong> et le <strong>guide d'entretien</strong>, prêts à imprimer, "
        "puis le brouillon de votre <strong>fiche</strong>.</p>\n"
        "<p>C'est ce que les acteurs brestois ont fait en 2014–2015 : choisir les critères qui convenaient à leur "
        "action, définir des indicateurs, recueillir des éléments, puis écrire leur fiche. Prenez-en peu : deux "
        "ou trois critères, et un ou deux indicateurs par critère, suffisent pour une première évaluation.</p>\n"
        "<p>Votre sélection est gardée dans l'adresse de la page : ajoutez-la à vos favoris ou envoyez-la à vos "
        "collègues pour la retrouver. Rien n'est envoyé : tout se passe dans votre navigateur.</p>\n"
        f'<p class="ref-note">{esc(NOTICE_OUTILS)}</p>\n'
        + sans_javascript(r, here) + "\n" + donnees(r, here), recherche=True))
    out.append(r.titre(2, "1. Votre action", ident="action"))
    out.append(r.bloc(etape_action(), recherche=False))
    out.append(r.titre(2, "2. Les critères qui lui correspondent", ident="criteres"))
    out.append(r.bloc('<p>Les critères sont rangés par dimension. Cochez ceux que votre action sert vraiment.</p>\n'
                      + etape_criteres(r, here) + _suite("indicateurs", "les indicateurs"), recherche=False))
    out.append(r.titre(2, "3. Les indicateurs à suivre", ident="indicateurs"))
    out.append(r.bloc("<p>Pour chaque critère choisi, cochez les indicateurs que vous pourrez recueillir. Une "
                      "réalisation se compte (ce qui a été fait), un résultat se constate chez les personnes, un "
                      "impact se voit dans la durée.</p>\n" + etape_indicateurs(r, here)
                      + _suite("documents", "vos documents"), recherche=False))
    out.append(r.titre(2, "4. Vos documents", ident="documents"))
    out.append(r.bloc('<p class="pe-js-absent">Vos documents s\'affichent ici une fois vos indicateurs choisis '
                      "(la page a besoin de JavaScript).</p>\n" + etape_documents(r, here), recherche=False))
    return "".join(out)
