"""The fiches × criteria matrix (a macro of a hand-written page, and a chapter of the report)."""

from __future__ import annotations

from collections import Counter

from ..render import esc
from .commun import Rendu
from .liens import src_dimension, src_fiche


def matrice(r: Rendu, here: str) -> str:
    dims = r.ref.dimensions
    if not r.ref.fiches:
        return "<p>Aucune fiche n'est encore publiée.</p>"
    entete1 = "".join(
        f'<th scope="colgroup" colspan="{len(d.criteres)}">{r.lien(here, src_dimension(d), d.titre)}</th>'
        for d in dims)
    entete2 = "".join(
        f'<th scope="col">{r.lien_critere(here, c, court=True)}</th>'
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
        '<p class="ref-meta">● : la fiche traite le critère (lien vers ses constats) ; '
        "· : elle ne le traite pas.</p>\n"
        '<div class="ref-matrice">\n<table>\n<caption>Matrice des fiches et des critères</caption>\n'
        f'<thead><tr><th scope="col" rowspan="2">Fiche</th>{entete1}<th scope="col" rowspan="2">Critères traités</th></tr>\n'
        f"<tr>{entete2}</tr></thead>\n<tbody>\n" + "\n".join(lignes) + "\n</tbody>\n"
        f'<tfoot><tr><th scope="row">Fiches par critère</th>{pied}<td></td></tr></tfoot>\n</table>\n</div>')
