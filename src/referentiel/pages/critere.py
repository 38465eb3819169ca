"""The page of a criterion: its indicators and what each fiche found for it."""

from __future__ import annotations

from ..modele import Critere
from ..render import esc, md, md_inline, md_ligne, pluriel
from .blocs import tableau
from .commun import NOTICE_PROPOSITION, Rendu, front_matter
from .evaluation import outils_du_critere
from .liens import src_critere, src_dimension, src_fiche, src_indicateur
from .versions import avertissement_retrait, compte, historique, mention_retrait, remplace, suffixe_retrait


def page_critere(r: Rendu, c: Critere) -> str:
    here = r.urls.url(src_critere(c))
    d = c.dimension
    assert d is not None
    fiches = r.ref.fiches_par_critere.get(c.id, [])
    out = [front_matter(f"{c.id} · {c.titre}{suffixe_retrait(c)}", c.description)]
    out.append(r.titre(1, f"{md_inline(c.id)} · {md_inline(c.titre)}"))
    out.append(avertissement_retrait(r, here, c, fiches))
    anciens = remplace(r, here, c)
    html = (f'<p class="ref-meta">Critère de la dimension '
            f'{r.lien(here, src_dimension(d), d.titre)} · '
            f'{compte(c.indicateurs, "indicateur")} · '
            f'utilisé par {pluriel(len(fiches), "fiche")}</p>\n'
            + (f'<p class="ref-remplace"><strong>Remplace :</strong> {anciens}</p>\n' if anciens else "")
            + f'{md(c.description)}\n'
            f'<p class="ref-provenance"><strong>Provenance :</strong> '
            f'{r.provenance(c.provenance, c.reference)}</p>')
    if c.provenance == "proposition":
        html += f'\n<p class="ref-note">{esc(NOTICE_PROPOSITION)}</p>'
    out.append(r.bloc(html))
    out.append(r.titre(2, "Indicateurs"))
    lignes = []
    for i in c.indicateurs:
        n = len(r.ref.observations.get(i.id, []))
        lignes.append(
            f"<tr><td>{r.lien(here, src_indicateur(i), i.id)}</td><td>{esc(i.libelle)}{mention_retrait(r, here, i)}</td>"
            f"<td>{r.badge_type(i)}</td><td>{md_ligne(i.collecte)}</td><td>{n}</td></tr>")
    out.append(r.bloc(tableau(f"Indicateurs du critère {c.id}",
                            ["Indicateur", "Ce qui est mesuré", "Type", "Collecte", "Fiches"], lignes)))
    outils = outils_du_critere(r, here, c)
    if outils:
        out.append(r.bloc(outils))
    out.append(r.titre(2, f"Fiches qui utilisent ce critère ({len(fiches)})"))
    if not fiches:
        out.append("Aucune fiche n'utilise encore ce critère.\n")
    else:
        out.append(r.bloc(fiches_du_critere(r, c, here), recherche=False))
    out.append(historique(r, here, c))
    out.append(r.citer(src_critere(c), r.auteur_referentiel(), f"{c.id} · {c.titre}", "critère"))
    return "".join(out)

def fiches_du_critere(r: Rendu, c: Critere, here: str) -> str:
    """Each fiche using a criterion, with its constats and indicators."""
    blocs = []
    for f in r.ref.fiches_par_critere.get(c.id, []):
        contrib = next(x for x in f.contributions if x.critere is c)
        inds = ", ".join(r.lien_indicateur(here, o.indicateur, court=True) + suffixe_retrait(o.indicateur)
                         for o in contrib.indicateurs if o.indicateur)
        blocs.append(
            f'<article class="ref-usage">\n<h3>{r.lien(here, src_fiche(f), f.titre, ancre=c.slug)}'
            f'{r.badge_statut(f)}</h3>\n'
            f'<p class="ref-meta">{esc(f.acteur.nom)} · indicateurs renseignés : {inds}</p>\n'
            f'{md(contrib.constats)}\n</article>')
    return "\n".join(blocs)
