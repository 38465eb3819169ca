"""Tables of hand-written pages (macros): the whole framework, every fiche.

Sorting and filtering (docs/javascripts/tableaux.js) read each table's
data-filtres and each row's data-*.
"""

from __future__ import annotations

import json
from collections import Counter

from ..modele import TYPES_INDICATEUR, Fiche
from ..render import esc, mot, pluriel
from .blocs import tableau
from .commun import Rendu
from .liens import src_dimension, src_fiche


def ce_que_montrent_les_tableaux(f: Fiche) -> tuple:
    """What the tables, matrix and charts of hand-written pages show of a
    fiche: when it is unchanged, the preview does not render them again."""
    return (f.titre, f.statut, f.acteur.nom, f.acteur.type, f.acteur.ville,
            tuple(f.action.publics), tuple(c.critere_id for c in f.contributions))


def tableau_referentiel(r: Rendu, here: str) -> str:
    # Sorting and filtering (docs/javascripts/tableaux.js) read the table's
    # data-filtres (the filters and their options) and each row's data-*, carried
    # by its last cell so that every row still starts with a bare « <tr><td> ».
    lignes = []
    for d in r.ref.dimensions:
        for c in d.criteres:
            nc = len(r.ref.fiches_par_critere.get(c.id, []))
            for i in c.indicateurs:
                ni = len(r.ref.observations.get(i.id, []))
                lignes.append(
                    f"<tr><td>{r.lien(here, src_dimension(d), d.titre)}</td>"
                    f"<td>{r.lien_critere(here, c)}"
                    f'<br><span class="ref-meta">{pluriel(nc, "fiche")}</span></td>'
                    f"<td>{r.lien_indicateur(here, i)}</td><td>{r.badge_type(i)}</td>"
                    f'<td data-dimensions="{esc(d.id)}" data-criteres="{esc(c.id)}" '
                    f'data-type="{esc(i.type)}">{ni}</td></tr>')
    types = Counter(i.type for i in r.ref.indicateurs.values())
    resume = ", ".join(f"{types.get(t, 0)} de {lib.lower()}" for t, lib in TYPES_INDICATEUR.items())
    filtres = [
        {"cle": "dimensions", "libelle": "Dimension",
         "options": [[d.id, d.titre] for d in r.ref.dimensions]},
        {"cle": "criteres", "libelle": "Critère",
         "options": [[c.id, f"{c.id} · {c.titre}"] for d in r.ref.dimensions for c in d.criteres]},
        {"cle": "type", "libelle": "Type d'indicateur",
         "options": [[t, lib] for t, lib in TYPES_INDICATEUR.items() if types.get(t)]},
    ]
    table = tableau("Le référentiel : dimensions, critères et indicateurs, avec le nombre de "
                    "fiches qui les utilisent",
                    ["Dimension", "Critère (fiches qui l'utilisent)", "Indicateur", "Type",
                     "Fiches qui le renseignent"], lignes)
    table = table.replace(
        "<table>", f'<table data-filtrable="referentiel" '
        f'data-filtres="{esc(json.dumps(filtres, ensure_ascii=False))}">', 1)
    return (
        f'<p class="ref-meta">{pluriel(len(r.ref.dimensions), "dimension")}, '
        f'{pluriel(len(r.ref.criteres), "critère")}, '
        f'{pluriel(len(r.ref.indicateurs), "indicateur")} ({resume}).</p>\n'
        + table)

def tableau_fiches(r: Rendu, here: str) -> str:
    if not r.ref.fiches:
        return "<p>Aucune fiche n'est encore publiée.</p>"
    # Filters (docs/javascripts/tableaux.js): the values of a row's data-* are
    # separated by « | »; the table's data-filtres lists the filters and options.
    def valeurs(items) -> str:
        return esc("|".join(str(x).replace("|", "/") for x in items))

    lignes = []
    dims_vues: dict[str, str] = {}
    crits_vus: dict[str, str] = {}
    acteurs_vus: dict[str, str] = {}
    publics_vus: dict[str, str] = {}
    statuts_vus: dict[str, str] = {}
    for f in r.ref.fiches:
        crits = ", ".join(r.lien_critere(here, c.critere, court=True)
                          for c in f.contributions if c.critere)
        dims = ", ".join(esc(d.titre) for d in f.dimensions())
        ids_crits = list(dict.fromkeys(c.critere.id for c in f.contributions if c.critere))
        publics = [p.replace("|", "/") for p in f.action.publics]
        for d in f.dimensions():
            dims_vues.setdefault(d.id, d.titre)
        for c in f.contributions:
            if c.critere:
                crits_vus.setdefault(c.critere.id, f"{c.critere.id} · {c.critere.titre}")
        acteurs_vus.setdefault(f.acteur.type, f.acteur.type_libelle)
        statuts_vus.setdefault(f.statut, f.statut_libelle)
        for p in publics:
            publics_vus.setdefault(p, p)
        attributs = (f'data-dimensions="{valeurs(d.id for d in f.dimensions())}" '
                     f'data-criteres="{valeurs(ids_crits)}" data-acteur="{esc(f.acteur.type)}" '
                     f'data-publics="{valeurs(publics)}" data-statut="{esc(f.statut)}"')
        lignes.append(
            f"<tr><td>{r.lien(here, src_fiche(f), f.titre)}</td><td>{esc(f.acteur.nom)}</td>"
            f"<td>{esc(f.acteur.type_libelle)}</td><td>{dims}</td><td>{crits}</td>"
            f"<td {attributs}>{r.badge_statut(f).strip()}</td></tr>")
    ordre_dims = [d.id for d in r.ref.dimensions]
    ordre_crits = [c.id for d in r.ref.dimensions for c in d.criteres]
    filtres = [
        {"cle": "dimensions", "libelle": "Dimension",
         "options": [[k, dims_vues[k]] for k in ordre_dims if k in dims_vues]},
        {"cle": "criteres", "libelle": "Critère",
         "options": [[k, crits_vus[k]] for k in ordre_crits if k in crits_vus]},
        {"cle": "acteur", "libelle": "Type de structure",
         "options": sorted(acteurs_vus.items(), key=lambda kv: kv[1])},
        {"cle": "publics", "libelle": "Public",
         "options": sorted(publics_vus.items(), key=lambda kv: kv[1])},
        {"cle": "statut", "libelle": "Statut", "options": list(statuts_vus.items())},
    ]
    filtres = [f for f in filtres if f["options"]]
    nb_ex = sum(1 for f in r.ref.fiches if f.est_exemple)
    note = ""
    if nb_ex:
        note = (f'<p class="ref-note">{pluriel(nb_ex, "fiche")} {mot(nb_ex, "marquée")} '
                f"« Exemple » {mot(nb_ex, 'illustre', 'illustrent')}"
                " le format : reconstituées à partir de sources publiques, leurs valeurs "
                "n'ont pas été mesurées.</p>\n")
    table = tableau(f"Toutes les fiches d'évaluation ({len(r.ref.fiches)})",
                    ["Fiche", "Acteur", "Type de structure", "Dimensions", "Critères", "Statut"],
                    lignes)
    table = table.replace(
        "<table>", f'<table data-filtrable="fiches" '
        f'data-filtres="{esc(json.dumps(filtres, ensure_ascii=False))}">', 1)
    return note + table
