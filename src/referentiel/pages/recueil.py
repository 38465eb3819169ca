"""The collection tools: what a chosen set of indicators asks an actor to do.

For a list of indicators, five documents, as HTML (our own markup; the
framework's text escaped):

- :func:`plan`: the evaluation plan, one row per indicator: what to collect,
  how and from whom (from the data), when and who does it (blank, to fill);
- :func:`questionnaire`: the questions of the indicators collected by
  questionnaire, for one public (participants, or professionals and partners),
  each with its answer format; an introduction, consent and anonymity; no
  framework id (the participant's copy);
- :func:`grille_observation`: what to look for, for those observed;
- :func:`guide_entretien`: what to ask, for those collected by interview.

The same HTML is the page « Préparer son évaluation » (every indicator's
pieces, marked ``data-i``; its script shows the chosen ones) and each
criterion's kit PDF (``sorties/pdf``, that criterion's indicators only): one
definition, printed from the browser or by WeasyPrint, with one stylesheet
(:func:`feuille`). Everything here is the site team's proposal, and says so.
"""

from __future__ import annotations

import math
from pathlib import Path

from ..modele import METHODES_COLLECTE, PUBLICS_RECUEIL, Indicateur, Question
from ..render import esc, md
from .blocs import tableau

# The documents, in the order the page and the kits give them: id -> title.
DOCUMENTS = {
    "plan": "Plan d'évaluation",
    "questionnaire-participants": "Questionnaire pour les participants",
    "questionnaire-professionnels": "Questionnaire pour les professionnels et partenaires",
    "observation": "Grille d'observation",
    "entretien": "Guide d'entretien",
}

# The same, in a sentence (« Ce kit contient le plan d'évaluation, … »).
DOCUMENTS_PHRASE = {
    "plan": "le plan d'évaluation",
    "questionnaire-participants": "le questionnaire pour les participants",
    "questionnaire-professionnels": "le questionnaire pour les professionnels et partenaires",
    "observation": "la grille d'observation",
    "entretien": "le guide d'entretien",
}

# What kind of action is evaluated (the page's first step; our own list): its
# label, and how the questionnaire names it to participants.
TYPES_ACTION = {
    "atelier": ("Atelier collectif", "l'atelier"),
    "accompagnement": ("Accompagnement individuel", "l'accompagnement"),
    "acces-libre": ("Accès libre ou permanence", "l'accueil en accès libre"),
    "formation": ("Formation", "la formation"),
    "projet": ("Projet ou événement", "le projet"),
    "autre": ("Autre", "l'action"),
}
ACTION_PAR_DEFAUT = "l'action"

NOTICE_OUTILS = ("Ces documents sont une proposition de l'équipe du site, faite à partir des indicateurs du "
                 "référentiel\u00a0: adaptez les questions à votre action et à vos publics, et testez-les avec "
                 "deux ou trois personnes avant de les utiliser.")

# Minutes to answer a question, to tell participants how long it takes.
_DUREE = {"oui-non": 0.3, "echelle": 0.4, "nombre": 0.4, "texte": 1.5}

# Where a count or a reading of documents is taken from.
_SOURCE = {
    "comptage": "registres de l'action (inscriptions, feuilles de présence, bilans)",
    "document": "documents de l'action et des partenaires (comptes rendus, conventions, publications)",
}

FEUILLE = Path(__file__).with_name("recueil.css")


def feuille(page_css: str) -> str:
    """The documents' stylesheet, for the site and for the kit PDFs, after the
    ``@page`` rule of their margins (``sorties/pdf/mise_en_page``)."""
    return page_css + "\n" + FEUILLE.read_text(encoding="utf-8")


def _attr_i(i: Indicateur, avec_ids: bool) -> str:
    return f' data-i="{esc(i.id)}"' if avec_ids else ""


def _attr_q(i: Indicateur, genre: str, n: int, avec_ids: bool) -> str:
    """A question's key on the page (``EP2.3.q0``: the first question of EP2.3's
    questionnaire; ``.e``: of its interview), for the wording an actor adapts."""
    return f' data-q="{esc(i.id)}.{genre}{n}"' if avec_ids else ""


def _champ(nom: str, defaut: str) -> str:
    """A value the page's script fills from the actor's answers (the action's
    name, say); printed as given in a kit."""
    return f'<span class="pe-champ" data-champ="{esc(nom)}">{esc(defaut)}</span>'


def _a_remplir(libelle: str, nom: str | None = None) -> str:
    """« Action : ______ »: a label and a line to write on (or the actor's answer)."""
    valeur = f'<span class="pe-champ pe-a-remplir" data-champ="{esc(nom)}"></span>' if nom else \
        '<span class="pe-a-remplir"></span>'
    return f'<span class="pe-rubrique"><span class="pe-libelle">{esc(libelle)}\u00a0:</span>{valeur}</span>'


def _document(doc: str, rubriques: list[str], corps: str) -> str:
    """A document: its title, the blanks of its heading (« Action : ____ »), its body."""
    return (f'<section class="pe-doc" data-doc="{doc}" aria-labelledby="pe-titre-{doc}">\n'
            f'<h2 class="pe-doc-titre" id="pe-titre-{doc}">{DOCUMENTS[doc]}</h2>\n'
            f'<p class="pe-rubriques">{"".join(rubriques)}</p>\n{corps}\n</section>')


def _publics(i: Indicateur) -> list[str]:
    return [PUBLICS_RECUEIL[p].lower() for p in i.aupres_de]


def comment_et_aupres_de(i: Indicateur) -> list[str]:
    """« Questionnaire : participants », « Comptage : registres de l'action… »: one line per method."""
    out = []
    for m in i.methodes:
        if m in _SOURCE:
            qui = _SOURCE[m]
        elif m == "questionnaire":
            qui = PUBLICS_RECUEIL[i.public_des_questions].lower()
        elif m == "observation":
            qui = "pendant les séances, par l'animateur ou un observateur"
        else:
            qui = " et ".join(_publics(i))
        out.append(f"{METHODES_COLLECTE[m]}\u00a0: {qui}")
    return out


def plan(indicateurs: list[Indicateur], avec_ids: bool = True) -> str:
    """The evaluation plan: one row per indicator, « Quand » and « Qui s'en charge » to fill."""
    lignes = []
    for i in indicateurs:
        c = i.critere
        critere = f"{c.id} · {c.titre}" if c is not None else ""
        comment = "".join(f"<li>{esc(x)}</li>" for x in comment_et_aupres_de(i))
        lignes.append(
            f'<tr{_attr_i(i, avec_ids)}><th scope="row"><span class="pe-id">{esc(i.id)}</span> {esc(i.libelle)}'
            f'<span class="pe-meta">{esc(i.type_libelle)} · critère {esc(critere)}</span></th>'
            f'<td>{md(i.collecte)}<ul class="pe-comment">{comment}</ul></td>'
            '<td class="pe-vide"></td><td class="pe-vide"></td></tr>')
    table = tableau("Pour chaque indicateur choisi : ce qu'il faut recueillir, comment, auprès de qui, "
                    "quand et qui s'en charge",
                    ["Indicateur", "Ce qu'il faut recueillir, comment, auprès de qui", "Quand",
                     "Qui s'en charge"], lignes, variante="plan")
    return _document("plan", [_a_remplir("Action", "action-nom"), _a_remplir("Structure", "structure"),
                              _a_remplir("Publics", "publics"), _a_remplir("Période évaluée")],
                     "<p>Pour chaque indicateur, le plan dit ce qu'il faut recueillir, comment et auprès de qui. "
                     "Complétez ensemble les deux dernières colonnes : à quel moment (à chaque séance, en fin "
                     f"d'action, trois mois après…) et qui s'en charge.</p>\n{table}")


def _case() -> str:
    return '<span class="pe-case" aria-hidden="true"></span>'


def reponse(q: Question) -> str:
    """Where the answer is written, in the question's format."""
    if q.format == "oui-non":
        options = ["Oui", "Non"]
    elif q.format == "echelle":
        options = q.echelle
    elif q.format == "nombre":
        return f'<p class="pe-reponse pe-reponse--nombre">{_a_remplir("Nombre")}</p>'
    else:
        return '<p class="pe-reponse pe-reponse--texte"><span></span><span></span><span></span></p>'
    choix = "".join(f"<li>{_case()}{esc(o)}</li>" for o in options)
    return f'<ul class="pe-reponse pe-reponse--{esc(q.format)}">{choix}</ul>'


def duree(questions: list[Question]) -> int:
    """Minutes to answer, rounded up, at least 2."""
    return max(2, math.ceil(sum(_DUREE[q.format] for q in questions)))


def _questions(indicateurs: list[Indicateur], public: str) -> list[tuple[Indicateur, Question]]:
    return [(i, q) for i in indicateurs if "questionnaire" in i.methodes and i.public_des_questions == public
            for q in i.questions]


def questionnaire(indicateurs: list[Indicateur], public: str = "participants", avec_ids: bool = True) -> str | None:
    """The questionnaire of one public (None: no chosen indicator asks it). The
    copy holds no framework id; ``data-i`` marks each question for the page's script."""
    items = _questions(indicateurs, public)
    if not items:
        return None
    doc = f"questionnaire-{public}"
    qs = "\n".join(
        f'<li class="pe-question"{_attr_i(i, avec_ids)} data-duree="{_DUREE[q.format]:g}">'
        f'<p class="pe-question-texte"{_attr_q(i, "q", i.questions.index(q), avec_ids)}>{esc(q.texte)}</p>'
        f"{reponse(q)}</li>"
        for i, q in items)
    action = _champ("action", ACTION_PAR_DEFAUT)
    if public == "participants":
        titre = "Votre avis sur " + action
        intro = (f"<p>Bonjour, vous avez participé à {action}{_champ('action-nom-cite', '')}. Ce questionnaire "
                 "nous aide à savoir ce qu'elle vous a apporté et à l'améliorer. Il n'y a pas de bonne ou de "
                 "mauvaise réponse\u00a0: c'est votre avis qui compte.</p>\n"
                 "<p>Cochez une case par question, ou écrivez votre réponse. Si vous avez besoin d'aide pour "
                 "lire ou pour écrire, demandez à la personne qui vous a donné ce questionnaire.</p>")
    else:
        titre = "Votre regard sur " + action
        intro = (f"<p>Bonjour, vous avez travaillé avec {action}{_champ('action-nom-cite', '')}, ou votre "
                 "structure y est associée. Ce questionnaire nous aide à savoir ce qu'elle a changé pour "
                 "vous et pour votre structure.</p>")
    consentement = (
        '<div class="pe-consentement">\n'
        "<p><strong>Répondre est libre.</strong> Vous pouvez laisser une question sans réponse, ou "
        "arrêter à tout moment. Cela ne change rien à votre place dans l'action.</p>\n"
        "<p><strong>Ce questionnaire est anonyme.</strong> N'écrivez pas votre nom. Les réponses sont lues "
        f"seulement par l'équipe de l'action{_champ('structure-cite', '')}, pour en faire le bilan ; "
        "elles sont présentées toutes ensemble, sans que personne puisse être reconnu.</p>\n</div>")
    return (f'<section class="pe-doc pe-questionnaire" data-doc="{doc}" aria-labelledby="pe-titre-{doc}">\n'
            f'<p class="pe-doc-nature">{DOCUMENTS[doc]}</p>\n'
            f'<h2 class="pe-doc-titre" id="pe-titre-{doc}">{titre}</h2>\n'
            f'<p class="pe-rubriques">{_a_remplir("Date")}</p>\n'
            f'{intro}\n<p>Il faut environ <span class="pe-duree">{duree([q for _, q in items])}</span> '
            "minutes pour répondre.</p>\n"
            f'{consentement}\n<ol class="pe-questions">\n{qs}\n</ol>\n'
            '<p class="pe-merci">Merci d\'avoir pris le temps de répondre. Rendez ce questionnaire à la '
            "personne qui vous l'a donné.</p>\n</section>")


def grille_observation(indicateurs: list[Indicateur], avec_ids: bool = True) -> str | None:
    """One table per observed indicator: what to look for, how often it was seen, examples."""
    observes = [i for i in indicateurs if "observation" in i.methodes and i.a_observer]
    if not observes:
        return None
    parties = []
    for i in observes:
        lignes = [f"<tr><th scope=\"row\">{esc(x)}</th><td class=\"pe-coche\">{_case()}</td>"
                  f"<td class=\"pe-coche\">{_case()}</td><td class=\"pe-coche\">{_case()}</td>"
                  '<td class="pe-vide"></td></tr>' for x in i.a_observer]
        parties.append(
            f'<div class="pe-partie"{_attr_i(i, avec_ids)}>\n<h3>{esc(i.libelle)} <span class="pe-id">({esc(i.id)})</span></h3>\n'
            + tableau(f"À observer pour\u00a0: {i.libelle}",
                      ["À observer", "Pas vu", "Un peu", "Nettement", "Exemples, remarques"], lignes,
                      variante="grille") + "\n</div>")
    return _document("observation", [_a_remplir("Action", "action-nom"), _a_remplir("Séance du"),
                                     _a_remplir("Nombre de participants"), _a_remplir("Observé par")],
                     "<p>Une grille par séance observée. Pendant la séance ou juste après, cochez ce que vous avez vu "
            "et notez un exemple concret. N'écrivez pas le nom des personnes\u00a0: décrivez ce qui s'est passé. "
                     "Dites au groupe, au début, que vous observez la séance pour l'évaluer.</p>\n"
                     + "\n".join(parties))


_AVANT_ENTRETIEN = (
    '<div class="pe-consentement">\n'
    "<p><strong>Avant de commencer</strong> (20 à 30 minutes)\u00a0: dites à quoi sert l'entretien (faire le "
    "bilan de l'action et l'améliorer), que la personne peut ne pas répondre à une question et "
    "arrêter quand elle veut, et que son nom n'apparaîtra nulle part. Demandez son accord avant "
    "d'enregistrer et avant de citer ses mots.</p>\n"
    "<p>Posez les questions avec vos mots, laissez la personne raconter, et demandez un exemple "
    "(« Pouvez-vous me raconter une fois où… ? »).</p>\n</div>\n")


def guide_entretien(indicateurs: list[Indicateur], avec_ids: bool = True) -> str | None:
    """The questions to ask in interviews, grouped by indicator, with room for notes."""
    interroges = [i for i in indicateurs if "entretien" in i.methodes and i.a_demander]
    if not interroges:
        return None
    parties = []
    for i in interroges:
        qs = "".join(f'<li><p{_attr_q(i, "e", n, avec_ids)}>{esc(x)}</p><p class="pe-notes" aria-hidden="true"></p></li>'
                     for n, x in enumerate(i.a_demander))
        parties.append(f'<div class="pe-partie"{_attr_i(i, avec_ids)}>\n'
                       f'<h3>{esc(i.libelle)} <span class="pe-id">({esc(i.id)})</span></h3>\n'
                       f'<p class="pe-meta">À interroger\u00a0: {esc(" et ".join(_publics(i)))}</p>\n'
                       f'<ol class="pe-guide">{qs}</ol>\n</div>')
    return _document("entretien", [_a_remplir("Action", "action-nom"), _a_remplir("Date"),
                                   _a_remplir("Personne interrogée (son rôle)"), _a_remplir("Entretien mené par")],
                     _AVANT_ENTRETIEN + "\n".join(parties) + '\n<p class="pe-merci">Pour finir\u00a0: « Y a-t-il '
                     "autre chose que vous voudriez dire sur l'action ? » Remerciez la personne.</p>")


def documents(indicateurs: list[Indicateur], avec_ids: bool = True) -> list[str]:
    """Every document the indicators call for, in the order of ``DOCUMENTS``."""
    out = [plan(indicateurs, avec_ids), questionnaire(indicateurs, "participants", avec_ids),
           questionnaire(indicateurs, "professionnels", avec_ids),
           grille_observation(indicateurs, avec_ids), guide_entretien(indicateurs, avec_ids)]
    return [d for d in out if d]
