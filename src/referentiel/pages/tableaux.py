"""Tables of hand-written pages (macros): the whole framework, every fiche.

Sorting and filtering (docs/javascripts/tableaux.js) read each table's
data-filtres and each row's data-*.
"""

from __future__ import annotations

import json
from collections import Counter

from ..modele import CATEGORIES_PUBLICS, TYPES_INDICATEUR, Fiche
from ..render import date_fr, esc, mot, pluriel
from .blocs import tableau
from .commun import Rendu
from .dimension import fiches_de_la_dimension
from .liens import SRC_VERSIONS, src_dimension, src_fiche
from .versions import compte, en_vigueur, mention_retrait, suffixe_retrait, version


def ce_que_montrent_les_tableaux(f: Fiche) -> tuple:
    """What the tables, matrix and charts of hand-written pages show of a
    fiche: when it is unchanged, the preview does not render them again."""
    return (f.titre, f.statut, f.acteur.nom, f.acteur.type, f.acteur.ville,
            tuple(f.action.publics), tuple(f.action.categories_publics),
            tuple(c.critere_id for c in f.contributions))


def tableau_referentiel(r: Rendu, here: str) -> str:
    """The whole framework as one table grouped for scanning: one ``<tbody>``
    per dimension, opened by its heading row; in it, each criterion's heading
    row (named once, with its fiches) then one row per indicator.

    Filtering (docs/javascripts/tableaux.js) reads the table's data-filtres
    (the filters and their options) and each indicator row's data-*, carried
    by its last cell; heading rows are marked ``data-groupe`` (1: dimension,
    2: criterion): the script shows a heading while one of its rows is shown,
    counts only indicator rows, and does not sort a grouped table (sorting
    would scatter the groups).

    A retired item keeps its row, marked « retiré » with its replacement; the
    counts count the items in force.
    """
    entetes = ["Indicateur", "Type", "Fiches qui le renseignent"]
    largeur = len(entetes)
    groupes = []
    for d in r.ref.dimensions:
        nd = len(fiches_de_la_dimension(r.ref, d))
        indicateurs = [i for c in d.criteres for i in c.indicateurs]
        lignes = [
            f'<tr class="ref-groupe ref-groupe--dimension" data-groupe="1">'
            f'<th scope="rowgroup" colspan="{largeur}">'
            f'<span class="ref-groupe__genre">Dimension {esc(d.id)}</span> '
            f"{r.lien(here, src_dimension(d), d.titre)}{mention_retrait(r, here, d)} "
            f'<span class="ref-meta">{compte(d.criteres, "critère")}, '
            f'{compte(indicateurs, "indicateur")} · utilisée par {pluriel(nd, "fiche")}</span></th></tr>']
        for c in d.criteres:
            nc = len(r.ref.fiches_par_critere.get(c.id, []))
            lignes.append(
                f'<tr class="ref-groupe ref-groupe--critere" data-groupe="2">'
                f'<th colspan="{largeur}">{r.lien_critere(here, c)}{mention_retrait(r, here, c)} '
                f'<span class="ref-meta">utilisé par {pluriel(nc, "fiche")}</span></th></tr>')
            for i in c.indicateurs:
                ni = len(r.ref.observations.get(i.id, []))
                lignes.append(
                    f"<tr><td>{r.lien_indicateur(here, i)}{mention_retrait(r, here, i)}</td><td>{r.badge_type(i)}</td>"
                    f'<td data-dimensions="{esc(d.id)}" data-criteres="{esc(c.id)}" '
                    f'data-type="{esc(i.type)}">{ni}</td></tr>')
        groupes.append(lignes)
    dimensions, criteres = r.ref.dimensions, list(r.ref.criteres.values())
    indicateurs = list(r.ref.indicateurs.values())
    types = Counter(i.type for i in en_vigueur(indicateurs))
    resume = ", ".join(f"{types.get(t, 0)} de {lib.lower()}" for t, lib in TYPES_INDICATEUR.items())
    filtres = [
        {"cle": "dimensions", "libelle": "Dimension",
         "options": [[d.id, d.titre + suffixe_retrait(d)] for d in r.ref.dimensions]},
        {"cle": "criteres", "libelle": "Critère",
         "options": [[c.id, f"{c.id} · {c.titre}{suffixe_retrait(c)}"] for d in r.ref.dimensions for c in d.criteres]},
        {"cle": "type", "libelle": "Type d'indicateur",
         "options": [[t, lib] for t, lib in TYPES_INDICATEUR.items() if types.get(t)]},
    ]
    table = tableau("Le référentiel : dimensions, critères et indicateurs, avec le nombre de "
                    "fiches qui les utilisent", entetes, [], groupes=groupes, variante="groupes")
    table = table.replace(
        "<table>", f'<table data-filtrable="referentiel" '
        f'data-filtres="{esc(json.dumps(filtres, ensure_ascii=False))}">', 1)
    retires = [(len(xs) - len(en_vigueur(xs)), nom) for xs, nom in
               ((dimensions, "dimension"), (criteres, "critère"), (indicateurs, "indicateur")) if len(en_vigueur(xs)) < len(xs)]
    note = ""
    if retires:
        note = (" Retirés mais gardés dans le tableau, marqués « retiré » : "
                + ", ".join(pluriel(n, nom) for n, nom in retires) + ".")
    return (
        version_du_referentiel(r, here)
        + f'<p class="ref-meta">{pluriel(len(en_vigueur(dimensions)), "dimension")}, '
        f'{pluriel(len(en_vigueur(criteres)), "critère")}, '
        f'{pluriel(len(en_vigueur(indicateurs)), "indicateur")} ({resume}).{note}</p>\n'
        + table)


def version_du_referentiel(r: Rendu, here: str) -> str:
    """« Version 1.1 du référentiel, du 1er décembre 2026 », with a link to
    « Versions et changements » (nothing without versions)."""
    v = version(r.ref, r.ref.version)
    if v is None:
        return ""
    return (f'<p class="ref-version">Version {esc(v.version)} du référentiel, du {esc(date_fr(v.date))} · '
            f'{r.lien(here, SRC_VERSIONS, "Versions et changements")} : ce que chaque version a changé.</p>\n')


def tableau_fiches(r: Rendu, here: str) -> str:
    if not r.ref.fiches:
        return "<p>Aucune fiche n'est encore publiée.</p>"
    # Filters (docs/javascripts/tableaux.js): the values of a row's data-* are
    # separated by « | »; the table's data-filtres lists the filters, their
    # options and the name of each in the page's address (« param »: the
    # filters, the search and the sort are kept in the query string, so that
    # a filtered list can be shared); « depend »: the criteria listed are those
    # of the dimension chosen (each option's third item).
    def valeurs(items) -> str:
        return esc("|".join(str(x).replace("|", "/") for x in items))

    lignes = []
    dims_vues: dict[str, str] = {}
    crits_vus: dict[str, tuple[str, str]] = {}
    acteurs_vus: dict[str, str] = {}
    publics_vus: set[str] = set()
    statuts_vus: dict[str, str] = {}
    for f in r.ref.fiches:
        crits = ", ".join(r.lien_critere(here, c.critere, court=True)
                          for c in f.contributions if c.critere)
        dims = ", ".join(esc(d.titre) for d in f.dimensions())
        ids_crits = list(dict.fromkeys(c.critere.id for c in f.contributions if c.critere))
        categories = f.action.categories_publics
        for d in f.dimensions():
            dims_vues.setdefault(d.id, d.titre)
        for c in f.contributions:
            if c.critere and c.critere.dimension:
                crits_vus.setdefault(c.critere.id, (f"{c.critere.id} · {c.critere.titre}{suffixe_retrait(c.critere)}",
                                                    c.critere.dimension.id))
        acteurs_vus.setdefault(f.acteur.type, f.acteur.type_libelle)
        statuts_vus.setdefault(f.statut, f.statut_libelle)
        publics_vus.update(categories)
        attributs = (f'data-dimensions="{valeurs(d.id for d in f.dimensions())}" '
                     f'data-criteres="{valeurs(ids_crits)}" data-acteur="{esc(f.acteur.type)}" '
                     f'data-publics="{valeurs(categories)}" data-statut="{esc(f.statut)}"')
        publics = esc(", ".join(f.action.categories_publics_libelles)) or "—"
        lignes.append(
            f"<tr><td>{r.lien(here, src_fiche(f), f.titre)}</td><td>{esc(f.acteur.nom)}</td>"
            f"<td>{esc(f.acteur.type_libelle)}</td><td>{publics}</td><td>{dims}</td><td>{crits}</td>"
            f"<td {attributs}>{r.badge_statut(f).strip()}</td></tr>")
    ordre_dims = [d.id for d in r.ref.dimensions]
    ordre_crits = [c.id for d in r.ref.dimensions for c in d.criteres]
    filtres = [
        {"cle": "dimensions", "param": "dimension", "libelle": "Dimension",
         "options": [[k, dims_vues[k]] for k in ordre_dims if k in dims_vues]},
        {"cle": "criteres", "param": "critere", "libelle": "Critère", "depend": "dimensions",
         "options": [[k, *crits_vus[k]] for k in ordre_crits if k in crits_vus]},
        {"cle": "acteur", "param": "structure", "libelle": "Type de structure",
         "options": sorted(acteurs_vus.items(), key=lambda kv: kv[1])},
        {"cle": "publics", "param": "public", "libelle": "Public",
         "options": [[k, lib] for k, lib in CATEGORIES_PUBLICS.items() if k in publics_vus]},
        {"cle": "statut", "param": "statut", "libelle": "Statut", "options": list(statuts_vus.items())},
    ]
    filtres = [f for f in filtres if f["options"]]
    nb_ex = sum(1 for f in r.ref.fiches if f.est_exemple)
    note = ""
    if nb_ex:
        note = (f'<p class="ref-note">{pluriel(nb_ex, "fiche")} {mot(nb_ex, "marquée")} '
                f"« Exemple » {mot(nb_ex, 'illustre', 'illustrent')}"
                " le format : reconstituées à partir de sources publiques, leurs valeurs "
                "n'ont pas été mesurées.</p>\n")
    n = len(r.ref.fiches)
    table = tableau("Les fiches d'évaluation",
                    ["Fiche", "Acteur", "Type de structure", "Publics", "Dimensions", "Critères", "Statut"],
                    lignes)
    # The caption says how many fiches the table shows; the script keeps it
    # up to date as the filters change (« 3 fiches sur 7 »).
    table = table.replace(
        "</caption>", f' : <span class="ref-compte" data-compte data-unite="fiche" '
        f'data-unites="fiches">{pluriel(n, "fiche")}</span></caption>', 1)
    table = table.replace(
        "<table", f'<table data-filtrable="fiches" data-etat-url '
        f'data-filtres="{esc(json.dumps(filtres, ensure_ascii=False))}"', 1)
    return note + table
