"""The page of a dimension: its criteria and the fiches that use them."""

from __future__ import annotations

from ..modele import Dimension, Fiche, Referentiel
from ..render import esc, md, md_inline, md_ligne, pluriel
from .blocs import tableau
from .commun import Rendu, front_matter
from .liens import src_dimension
from .versions import avertissement_retrait, compte, en_vigueur, historique, mention_retrait, remplace, suffixe_retrait


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
    indicateurs = [i for c in d.criteres for i in c.indicateurs]
    out = [front_matter(f"{d.titre} – dimension {d.id}{suffixe_retrait(d)}", d.description)]
    out.append(r.titre(1, md_inline(d.titre)))
    out.append(avertissement_retrait(r, here, d, fiches))
    # The counts of the référentiel count the items in force, then the retired ones.
    meta = (f"Dimension {esc(d.id)} · {compte(d.criteres, 'critère')} · "
            f"{compte(indicateurs, 'indicateur')} · utilisée par {pluriel(len(fiches), 'fiche')}")
    prov = r.provenance(d.provenance, d.reference)
    anciens = remplace(r, here, d)
    html = (f'<p class="ref-meta">{meta}</p>\n'
            + (f'<p class="ref-remplace"><strong>Remplace :</strong> {anciens}</p>\n' if anciens else "")
            + md(d.description))
    if prov:
        html += f'\n<p class="ref-provenance"><strong>Provenance :</strong> {prov}</p>'
    out.append(r.bloc(html))
    out.append(r.titre(2, "Critères"))
    lignes = []
    for c in d.criteres:
        n = len(r.ref.fiches_par_critere.get(c.id, []))
        lignes.append(
            f"<tr><td>{r.lien_critere(here, c)}{mention_retrait(r, here, c)}</td><td>{md_ligne(c.description)}</td>"
            f"<td>{len(en_vigueur(c.indicateurs))}</td><td>{n}</td></tr>")
    out.append(r.bloc(tableau(f"Critères de la dimension {d.titre}",
                            ["Critère", "Ce qu'il recouvre", "Indicateurs", "Fiches"], lignes)))
    out.append(r.titre(2, "Fiches"))
    if fiches:
        items = "\n".join(f"<li>{r.lien_fiche(here, f)} — {esc(f.acteur.nom)}</li>"
                          for f in sorted(fiches, key=lambda f: f.titre.lower()))
        out.append(r.bloc(f"<ul>\n{items}\n</ul>", recherche=False))
    else:
        out.append("Aucune fiche ne relève encore de cette dimension.\n")
    out.append(historique(r, here, d))
    out.append(r.citer(src_dimension(d), r.auteur_referentiel(), d.titre, f"dimension {d.id}"))
    return "".join(out)
