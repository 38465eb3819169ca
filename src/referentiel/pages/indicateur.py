"""The page of an indicator: how to measure it and what each fiche observed."""

from __future__ import annotations

from ..modele import Indicateur, Question
from ..render import esc, md, md_inline, md_ligne, pluriel
from .blocs import tableau
from .commun import NOTICE_PROPOSITION, Rendu, front_matter
from .recueil import comment_et_aupres_de
from .liens import src_dimension, src_indicateur
from .versions import avertissement_retrait, historique, remplace, suffixe_retrait


def page_indicateur(r: Rendu, i: Indicateur) -> str:
    here = r.urls.url(src_indicateur(i))
    c = i.critere
    assert c is not None and c.dimension is not None
    obs = r.ref.observations.get(i.id, [])
    out = [front_matter(f"{i.id} · {i.libelle}{suffixe_retrait(i)}", i.definition or i.libelle)]
    out.append(r.titre(1, f"{md_inline(i.id)} · {md_inline(i.libelle)}"))
    if i.retire:
        fiches = list({o.fiche.id: o.fiche for o in obs}.values())
        out.append(avertissement_retrait(r, here, i, fiches))
    anciens = remplace(r, here, i)
    html = (f'<dl class="ref-fiche-id">\n'
            f'<dt>Type</dt><dd>{r.badge_type(i)}</dd>\n'
            f'<dt>Critère</dt><dd>{r.lien_critere(here, c)}</dd>\n'
            f'<dt>Dimension</dt><dd>{r.lien(here, src_dimension(c.dimension), c.dimension.titre)}</dd>\n'
            f'<dt>Provenance</dt><dd>{r.provenance(i.provenance, i.reference)}</dd>\n'
            f'<dt>Fiches</dt><dd>renseigné par {pluriel(len(obs), "fiche")}</dd>\n'
            + (f"<dt>Remplace</dt><dd>{anciens}</dd>\n" if anciens else "") + "</dl>")
    if i.provenance == "proposition":
        html += f'\n<p class="ref-note">{esc(NOTICE_PROPOSITION)}</p>'
    out.append(r.bloc(html))
    if i.definition:
        out.append(r.titre(2, "Définition"))
        out.append(r.bloc(md(i.definition)))
    out.append(r.titre(2, "Comment le mesurer"))
    out.append(r.bloc(md(i.collecte)))
    if i.exemple:
        out.append(r.titre(2, "Exemple de question ou de mesure"))
        out.append(r.bloc(md(i.exemple)))
    if i.methodes:
        out.append(r.titre(2, "Pour le recueillir"))
        out.append(r.bloc(recueil(i)))
    out.append(r.titre(2, f"Fiches qui renseignent cet indicateur ({len(obs)})"))
    if not obs:
        out.append("Aucune fiche ne renseigne encore cet indicateur.\n")
    else:
        lignes = []
        for o in obs:
            lignes.append(
                f"<tr><td>{r.lien_fiche(here, o.fiche)}</td><td>{esc(o.fiche.acteur.nom)}</td>"
                f"<td>{md_ligne(o.observe.valeur)}"
                + (f'<div class="ref-commentaire">{md(o.observe.commentaire)}</div>' if o.observe.commentaire else "")
                + f"</td><td>{esc(o.observe.source or '—')}</td></tr>")
        out.append(r.bloc(tableau(f"Ce que chaque fiche a observé pour l'indicateur {i.id}",
                                ["Fiche", "Acteur", "Valeur observée", "Source"], lignes),
                              recherche=False))
        if any(o.fiche.est_exemple for o in obs):
            out.append(r.bloc('<p class="ref-note">Les fiches marquées « Exemple » illustrent le format\u00a0: '
                             "leurs valeurs n'ont pas été mesurées.</p>"))
    out.append(historique(r, here, i))
    out.append(r.citer(src_indicateur(i), r.auteur_referentiel(), f"{i.id} · {i.libelle}",
                          "indicateur"))
    return "".join(out)


def format_reponse(q: Question) -> str:
    """« Échelle en quatre points : Pas du tout, Plutôt pas, Plutôt, Tout à fait »."""
    if q.format == "echelle" and q.echelle:
        return f"{q.format_libelle} : " + ", ".join(f"« {p} »" for p in q.echelle)
    return q.format_libelle


def recueil(i: Indicateur) -> str:
    """How to collect the indicator: its methods, the questions with their
    answer formats, what to observe and what to ask (the site team's proposal)."""
    comment = "".join(f"<li>{esc(x)}</li>" for x in comment_et_aupres_de(i))
    out = [f"<p><strong>Méthodes, et auprès de qui :</strong></p><ul>{comment}</ul>"]
    if i.questions:
        items = "".join(f"<li>{esc(q.texte)}<br><span class=\"ref-meta\">Réponse : {esc(format_reponse(q))}</span></li>"
                        for q in i.questions)
        qui = "aux participants" if i.public_des_questions == "participants" else "aux professionnels et partenaires"
        out.append(f"<p><strong>Questions {qui} :</strong></p><ul>{items}</ul>")
    if i.a_observer:
        out.append("<p><strong>À observer :</strong></p><ul>"
                   + "".join(f"<li>{esc(x)}</li>" for x in i.a_observer) + "</ul>")
    if i.a_demander:
        out.append("<p><strong>À demander en entretien :</strong></p><ul>"
                   + "".join(f"<li>{esc(x)}</li>" for x in i.a_demander) + "</ul>")
    out.append('<p class="ref-note">Ces méthodes et ces questions sont une proposition de l\'équipe du site, '
               "à adapter à votre action et à vos publics.</p>")
    return "\n".join(out)
