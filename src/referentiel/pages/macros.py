"""What the macros of hand-written pages render (``macros.py`` only forwards).

Every contributed value is escaped by the renderers. Block-level HTML
(tables, charts) goes through ``Rendu.brut``: it must stand on a line of its
own in the page, and is put back after Markdown (see ``blocs.Blocs``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from ..lecture.checks import noms_site_fiches
from ..lecture.schemas import genre, resoudre, schema
from ..modele import TYPES_ACTEUR, TYPES_INDICATEUR
from ..lecture.regles import pour_le_navigateur
from ..render import esc, pluriel
from .commun import Rendu
from .graphiques import graphiques
from .liens import SRC_PDF_RAPPORT, src_critere, src_dimension
from .matrice import matrice
from .tableaux import tableau_fiches, tableau_referentiel

# Stands for the report's size until the PDF is printed (replaced in every finished page).
MARQUE_TAILLE = "<!--referentiel:taille-rapport-->"


def hors_recherche(html: str) -> str:
    """Tables that repeat every fiche's title stay out of the search index:
    a search leads to the fiche's own page. (A <section>: Material's search
    parser would end the exclusion at the first nested </div>.)"""
    return f"<section data-search-exclude>\n{html}\n</section>"


@dataclass
class Macros:
    """The macros of one build: ``here`` is the URL of the page being rendered."""

    rendu: Rendu
    repo_url: str = ""

    def tableau_referentiel(self, here: str) -> str:
        """The whole framework as one table, with how many fiches use each item."""
        return self.rendu.brut(tableau_referentiel(self.rendu, here))

    def tableau_fiches(self, here: str) -> str:
        """Every fiche, with its actor, dimensions, criteria and status."""
        return self.rendu.brut(hors_recherche(tableau_fiches(self.rendu, here)), recherche=False)

    def matrice(self, here: str) -> str:
        """Fiches × criteria."""
        return self.rendu.brut(hors_recherche(matrice(self.rendu, here)), recherche=False)

    def graphiques(self, here: str) -> str:
        """Four charts (inline SVG, no JavaScript), each followed by its figures as a table."""
        r = self.rendu
        return r.brut(hors_recherche(graphiques(r.ref, here, r.urls)), recherche=False)

    @staticmethod
    def lien_rapport() -> str:
        """« Télécharger le rapport (PDF) » with its size (filled in once the PDF is printed)."""
        return (f'<a class="md-button md-button--primary" href="{SRC_PDF_RAPPORT}" download>'
                f"Télécharger le rapport (PDF, {MARQUE_TAILLE})</a>")

    def entrees_accueil(self, here: str, formulaire: str | None = None) -> str:
        """The home page's first screen: the four dimensions as entry points
        (each with its count of criteria), the report and « Proposer une fiche »."""
        r = self.rendu
        cartes = []
        for d in r.ref.dimensions:
            href = r.urls.rel(here, src_dimension(d))
            cartes.append(
                f'<li><a class="ref-accueil__carte" href="{esc(href)}">'
                f'<span class="ref-accueil__nom">{esc(d.titre)}</span>'
                f'<span class="ref-accueil__compte">{esc(pluriel(len(d.criteres), "critère"))}</span></a></li>')
        actions = [self.lien_rapport()]
        if formulaire:
            actions.append(f'<a class="md-button" href="{esc(r.urls.rel(here, formulaire))}">Proposer une fiche</a>')
        return r.brut(
            '<nav class="ref-accueil" aria-labelledby="ref-accueil-titre">\n'
            '<h2 class="ref-accueil__titre" id="ref-accueil-titre">Explorer le référentiel par dimension</h2>\n'
            f'<ul class="ref-accueil__dimensions">{"".join(cartes)}</ul>\n'
            f'<p class="ref-accueil__actions">{" ".join(actions)}</p>\n'
            '</nav>', recherche=False)

    def chiffres(self) -> dict:
        """Key figures of the référentiel, as a dict for hand-written sentences."""
        ref = self.rendu.ref
        return {"dimensions": len(ref.dimensions), "criteres": len(ref.criteres),
                "indicateurs": len(ref.indicateurs), "fiches": len(ref.fiches), "version": ref.version}

    def donnees_formulaire(self, here: str) -> str:
        """The data of the « Proposer une fiche » form, as a JSON script element.

        Criteria, indicators and actor types come from the référentiel; the
        constraints from the fiche schema and the rules from ``regles``, so
        that the form checks what ``referentiel valider`` checks.
        """
        r = self.rendu
        ref = r.ref
        donnees = {
            "licence": ref.licence,
            "version": ref.version,
            "dimensions": [{
                "id": d.id,
                "titre": d.titre,
                "criteres": [{
                    "id": c.id,
                    "titre": c.titre,
                    "url": r.urls.rel(here, src_critere(c)),
                    "indicateurs": [{"id": i.id, "libelle": i.libelle, "type": i.type,
                                     "type_libelle": TYPES_INDICATEUR[i.type]} for i in c.indicateurs],
                } for c in d.criteres],
            } for d in ref.dimensions],
            "types_acteur": [{"id": k, "libelle": v} for k, v in TYPES_ACTEUR.items()],
            "fiches": [f.id for f in ref.fiches],
            "contraintes": contraintes_formulaire(),
            "regles": pour_le_navigateur(noms_site_fiches()),
            "repo_url": re.sub(r"\.git$", "", (self.repo_url or "").rstrip("/")),
        }
        texte = (json.dumps(donnees, ensure_ascii=False, separators=(",", ":"))
                 .replace("</", "<\\/").replace("<!--", "<\\u0021--"))
        return f'<script type="application/json" id="donnees-formulaire">{texte}</script>'


def contraintes_formulaire() -> dict:
    """The constraints of each field of the form, from the fiche schema."""
    racine = schema("fiche")

    def regle(*chemin):
        """The schema of one field (``"acteur", "nom"``), local ``$ref`` resolved,
        with what the validator's text rules need to know of it."""
        noeud = racine
        for nom in chemin:
            noeud = noeud["properties"][nom] if nom != "[]" else noeud["items"]
            if "$ref" in noeud:
                noeud = {**resoudre(racine, noeud), **{k: v for k, v in noeud.items() if k != "$ref"}}
        g = genre("fiche", tuple(-1 if nom == "[]" else nom for nom in chemin))
        return {**{k: noeud[k] for k in ("pattern", "minLength", "maxLength", "minItems", "maxItems")
                   if k in noeud}, "long": g.long, "markdown": g.markdown}

    return {
        "id": regle("id"),
        "titre": regle("titre"),
        "acteur_nom": regle("acteur", "nom"),
        "ville": regle("acteur", "ville"),
        "site": regle("acteur", "site"),
        "resume": regle("action", "resume"),
        "contributions": regle("contributions"),
        "constats": regle("contributions", "[]", "constats"),
        "indicateurs": regle("contributions", "[]", "indicateurs"),
        "valeur": regle("contributions", "[]", "indicateurs", "[]", "valeur"),
        "source": regle("contributions", "[]", "indicateurs", "[]", "source"),
        "lien": {k: racine["$defs"]["lien"][k] for k in ("pattern", "maxLength")},
    }
