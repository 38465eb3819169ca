"""The fiches × criteria matrix (a macro of a hand-written page, and a chapter of the report).

On a phone the matrix does not fit: the same facts follow it as lists (each
fiche's criteria grouped by dimension, then the number of fiches of each
criterion), ``hidden`` by default (the report's PDF, a browser without our
stylesheet) and shown by docs/stylesheets/tableaux.css instead of the matrix
below its width.
"""

from __future__ import annotations

from collections import Counter

from ..render import esc, pluriel
from .commun import Rendu
from .liens import src_dimension, src_fiche
from .versions import accorde, badge_retire, nature


def _retire_court(item) -> str:
    """« retiré » under a column's heading (the matrix's columns are narrow)."""
    return f'<br><span class="ref-retire">{accorde("retiré", nature(item))}</span>' if item.retire else ""


def matrice(r: Rendu, here: str) -> str:
    dims = r.ref.dimensions
    if not r.ref.fiches:
        return "<p>Aucune fiche n'est encore publiée.</p>"
    entete1 = "".join(
        f'<th scope="colgroup" colspan="{len(d.criteres)}">{r.lien(here, src_dimension(d), d.titre)}'
        f"{_retire_court(d)}</th>"
        for d in dims)
    entete2 = "".join(
        f'<th scope="col">{r.lien_critere(here, c, court=True)}{_retire_court(c)}</th>'
        for d in dims for c in d.criteres)
    lignes = []
    totaux: Counter[str] = Counter()
    for f in r.ref.fiches:
        utilises = {c.critere.id for c in f.contributions if c.critere}
        cellules = []
        for d in dims:
            for c in d.criteres:
                if c.id in utilises:
                    totaux[c.id] += 1
                    url = esc(r.urls.rel(here, src_fiche(f), c.slug))
                    cellules.append(
                        f'<td class="ref-oui"><a href="{url}">'
                        f'<span aria-hidden="true">●</span>'
                        f'<span class="ref-sr">{esc(f.titre)} utilise {esc(c.id)} : voir les constats</span></a></td>')
                else:
                    cellules.append('<td class="ref-non"><span aria-hidden="true">·</span>'
                                    '<span class="ref-sr">non</span></td>')
        lignes.append(
            f'<tr><th scope="row">{r.lien(here, src_fiche(f), f.titre)}{r.badge_statut(f)}</th>'
            + "".join(cellules) + f"<td>{len(utilises)}</td></tr>")
    pied = "".join(f"<td>{totaux[c.id]}</td>" for d in dims for c in d.criteres)
    return (
        '<p class="ref-meta ref-matrice-legende">● : la fiche traite le critère (lien vers ses constats) ; '
        "· : elle ne le traite pas.</p>\n"
        '<div class="ref-matrice">\n<table>\n<caption>Matrice des fiches et des critères</caption>\n'
        f'<thead><tr><th scope="col" rowspan="2">Fiche</th>{entete1}<th scope="col" rowspan="2">Critères traités</th></tr>\n'
        f"<tr>{entete2}</tr></thead>\n<tbody>\n" + "\n".join(lignes) + "\n</tbody>\n"
        f'<tfoot><tr><th scope="row">Fiches par critère</th>{pied}<td></td></tr></tfoot>\n</table>\n</div>\n'
        + matrice_en_listes(r, here, totaux))


def matrice_en_listes(r: Rendu, here: str, totaux: Counter[str]) -> str:
    """What the matrix says, as lists: each fiche with the criteria it treats,
    grouped by dimension (each a link to the fiche's findings, as the matrix's
    marks), then how many fiches treat each criterion (the matrix's footer)."""
    fiches = []
    for f in r.ref.fiches:
        utilises = {c.critere.id for c in f.contributions if c.critere}
        groupes = []
        for d in r.ref.dimensions:
            liens = [f'<li>{r.lien(here, src_fiche(f), f"{c.id} · {c.titre}", ancre=c.slug)}{badge_retire(c)}</li>'
                     for c in d.criteres if c.id in utilises]
            if liens:
                groupes.append(f"<dt>{r.lien(here, src_dimension(d), d.titre)}{badge_retire(d)}</dt>"
                               f'<dd><ul>{"".join(liens)}</ul></dd>')
        fiches.append(
            f'<li><h3>{r.lien(here, src_fiche(f), f.titre)}{r.badge_statut(f)}</h3>\n'
            f'<p class="ref-meta">{pluriel(len(utilises), "critère traité", "critères traités")}</p>\n'
            + (f'<dl>{"".join(groupes)}</dl>' if groupes else "")
            + "</li>")
    comptes = "".join(
        f"<dt>{r.lien(here, src_dimension(d), d.titre)}{badge_retire(d)}</dt><dd><ul>"
        + "".join(f"<li>{r.lien_critere(here, c)}{badge_retire(c)} : {pluriel(totaux[c.id], 'fiche')}</li>"
                  for c in d.criteres)
        + "</ul></dd>"
        for d in r.ref.dimensions)
    return (
        '<div class="ref-matrice-listes" hidden>\n'
        "<h2>Les critères traités par chaque fiche</h2>\n"
        '<ul class="ref-matrice-fiches">\n' + "\n".join(fiches) + "\n</ul>\n"
        "<h2>Nombre de fiches par critère</h2>\n"
        f'<dl class="ref-matrice-comptes">{comptes}</dl>\n</div>')
