"""The page of a dimension: its criteria and the fiches that use them."""

from __future__ import annotations

from ..modele import Dimension, Fiche, Referentiel
from ..render import esc, md, md_inline, md_ligne, pluriel
from .blocs import tableau
from .commun import Rendu, front_matter
from .liens import src_dimension


def fiches_de_la_dimension(ref: Referentiel, d: Dimension) -> list[Fiche]:
    """The fiches that use a criterion of the dimension, each once, in the order of the criteria."""
    fiches: dict[str, Fiche] = {}
    for c in d.criteres:
        for f in ref.fiches_par_critere.get(c.id, []):
            fiches.setdefault(f.id, f)
    return list(fiches.values())


def page_dimension(r: Rendu, d: Dimension) -> str:
    here = r.urls.url(src_dimension(d))
    fiches = fiches_de_la_dimension(r.ref, d)
    nb_ind = sum(len(c.indicateurs) for c in d.criteres)
    out = [front_matter(f"{d.titre} – dimension {d.id}", d.description)]
    out.append(r.titre(1, md_inline(d.titre)))
    meta = (f"Dimension {esc(d.id)} · {pluriel(len(d.criteres), 'critère')} · "
            f"{pluriel(nb_ind, 'indicateur')} · utilisée par {pluriel(len(fiches), 'fiche')}")
    prov = r.provenance(d.provenance, d.reference)
    html = f'<p class="ref-meta">{meta}</p>\n{md(d.description)}'
    if prov:
        html += f'\n<p class="ref-provenance"><strong>Provenance :</strong> {prov}</p>'
    out.append(r.bloc(html))
    out.append(r.titre(2, "Critères"))
    lignes = []
    for c in d.criteres:
        n = len(r.ref.fiches_par_critere.get(c.id, []))
        lignes.append(
            f"<tr><td>{r.lien_critere(here, c)}</td><td>{md_ligne(c.description)}</td>"
            f"<td>{len(c.indicateurs)}</td><td>{n}</td></tr>")
    out.append(r.bloc(tableau(f"Critères de la dimension {d.titre}",
                            ["Critère", "Ce qu'il recouvre", "Indicateurs", "Fiches"], lignes)))
    out.append(r.titre(2, "Fiches"))
    if fiches:
        items = "\n".join(f"<li>{r.lien_fiche(here, f)} — {esc(f.acteur.nom)}</li>"
                          for f in sorted(fiches, key=lambda f: f.titre.lower()))
        out.append(r.bloc(f"<ul>\n{items}\n</ul>", recherche=False))
    else:
        out.append("Aucune fiche ne relève encore de cette dimension.\n")
    out.append(r.citer(src_dimension(d), r.auteur_referentiel(), d.titre, f"dimension {d.id}"))
    return "".join(out)
