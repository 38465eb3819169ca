"""What the macros of hand-written pages render (``macros.py`` only forwards).

Every contributed value is escaped by the renderers. Block-level HTML
(tables, charts) goes through ``Rendu.brut``: it must stand on a line of its
own in the page, and is put back after Markdown (see ``blocs.Blocs``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..lecture.checks import noms_site_fiches
from ..lecture.disposition import disposition
from ..lecture.reception import DEBUT, FIN
from ..lecture.schemas import genre, resoudre, schema
from ..modele import CATEGORIES_PUBLICS, LICENCES, STATUTS, TYPES_ACTEUR, TYPES_INDICATEUR
from ..lecture.regles import pour_le_navigateur
from ..render import MOIS, esc, pluriel
from .blocs import script_json
from .commun import Rendu
from .graphiques import graphiques
from .liens import SRC_PDF_RAPPORT, src_critere, src_dimension
from .matrice import matrice
from .tableaux import tableau_fiches, tableau_referentiel
from .versions import en_vigueur

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
    # Where the form's « Envoyer par courriel » writes to (the plugin's « contributions »).
    courriel: str = ""
    # The site path of the open data's fiches (sorties.donnees), read by « Mettre à jour cette fiche ».
    fiches_json: str = ""

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

    def entrees_accueil(self, here: str, formulaire: str | None = None, evaluation: str | None = None) -> str:
        """The home page's first screen: the four dimensions as entry points
        (each with its count of criteria), the report, « Préparer son évaluation »
        and « Proposer une fiche ».
        Entry points to the référentiel in force: a retired dimension is left
        out, and the counts count the criteria in force."""
        r = self.rendu
        cartes = []
        for d in en_vigueur(r.ref.dimensions):
            href = r.urls.rel(here, src_dimension(d))
            cartes.append(
                f'<li><a class="ref-accueil__carte" href="{esc(href)}">'
                f'<span class="ref-accueil__nom">{esc(d.titre)}</span>'
                f'<span class="ref-accueil__compte">{esc(pluriel(len(en_vigueur(d.criteres)), "critère"))}</span></a></li>')
        actions = [self.lien_rapport()]
        if formulaire:
            actions.append(f'<a class="md-button" href="{esc(r.urls.rel(here, formulaire))}">Proposer une fiche</a>')
        if evaluation:
            actions.append(f'<a class="md-button" href="{esc(r.urls.rel(here, evaluation))}">Préparer son évaluation</a>')
        return r.brut(
            '<nav class="ref-accueil" aria-labelledby="ref-accueil-titre">\n'
            '<h2 class="ref-accueil__titre" id="ref-accueil-titre">Explorer le référentiel par dimension</h2>\n'
            f'<ul class="ref-accueil__dimensions">{"".join(cartes)}</ul>\n'
            f'<p class="ref-accueil__actions">{" ".join(actions)}</p>\n'
            '</nav>', recherche=False)

    def chiffres(self) -> dict:
        """Key figures of the référentiel, as a dict for hand-written sentences:
        the dimensions, criteria and indicators in force (not the retired ones)."""
        ref = self.rendu.ref
        return {"dimensions": len(en_vigueur(ref.dimensions)), "criteres": len(en_vigueur(list(ref.criteres.values()))),
                "indicateurs": len(en_vigueur(list(ref.indicateurs.values()))), "fiches": len(ref.fiches),
                "version": ref.version}

    def depot(self) -> str:
        """The repository's address, without a final « / » or « .git »."""
        return re.sub(r"\.git$", "", (self.repo_url or "").rstrip("/"))

    def donnees_formulaire(self, here: str) -> str:
        """The data of the « Proposer une fiche » form, as a JSON script element.

        Criteria, indicators, actor types and categories of publics come from the
        référentiel and the schema; the constraints of every field from the fiche
        schema, the rules from ``regles`` and the layout of the file from
        ``disposition``, so that the form checks what ``referentiel valider``
        checks and writes what ``referentiel nouvelle-fiche`` writes. The
        contributions address and the repository come from the build's settings.
        """
        r = self.rendu
        ref = r.ref
        repo = self.depot()
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
                    # A retired indicator stays offered (a fiche being updated may report
                    # it), with the words that say so, written here.
                    "indicateurs": [{"id": i.id, "libelle": i.libelle, "type": i.type,
                                     "type_libelle": TYPES_INDICATEUR[i.type],
                                     "retrait": _retrait_formulaire(i)} for i in c.indicateurs],
                } for c in d.criteres],
            } for d in ref.dimensions],
            "types_acteur": [{"id": k, "libelle": v} for k, v in TYPES_ACTEUR.items()],
            "categories_publics": [{"id": k, "libelle": v} for k, v in CATEGORIES_PUBLICS.items()],
            "statuts": STATUTS,
            "mois": MOIS,
            "licences": {k: {"nom": nom, "url": url} for k, (nom, url) in LICENCES.items()},
            "fiches": [f.id for f in ref.fiches],
            "contraintes": contraintes_formulaire(),
            "regles": pour_le_navigateur(noms_site_fiches()),
            # How the file is written: the layout of sorties.fiche_yaml, and what the form adds.
            "ecriture": disposition(),
            "en_tete": list(EN_TETE_FORMULAIRE),
            "creation": CREATION_FORMULAIRE,
            # « Mettre à jour cette fiche »: the fiche comes from the site's open data.
            "donnees_fiches": r.urls.rel(here, self.fiches_json) if self.fiches_json else "",
            "envoi": {
                # The site's own « Envoyer par courriel » button: a mailto: with a
                # subject and a body, built by the form. (The link rule of
                # regles.MOTIF_LIEN, one address and no « ? », governs the links
                # contributors write in their fiches, not this button.)
                "courriel": self.courriel,
                "debut": DEBUT,
                "fin": FIN,
            },
            "repo_url": repo,
            "ticket_url": f"{repo}/issues/new?template={TICKET}" if repo else "",
        }
        return script_json("donnees-formulaire", donnees)

    def sans_formulaire(self, here: str) -> str:
        """The other ways to propose a fiche (without the form, or without
        JavaScript): by mail, and, when the site knows its repository, on GitHub."""
        r = self.rendu
        items = []
        if self.courriel:
            adresse = esc(self.courriel)
            items.append(
                f'<li><strong>Par courriel</strong> : écrivez à <a href="mailto:{adresse}">{adresse}</a> en '
                "décrivant votre action avec vos mots (ce que vous faites, pour qui, depuis quand, ce que vous "
                "avez constaté) ; l'équipe du référentiel écrira la fiche avec vous.</li>")
        repo = self.depot()
        if repo:
            items.append(
                f'<li><strong>Par un ticket sur GitHub</strong> : le formulaire de ticket '
                f'<a href="{esc(repo)}/issues/new?template={TICKET}">« Proposer une fiche »</a> pose les '
                "mêmes questions, avec vos mots (il faut un compte GitHub).</li>")
            items.append(
                "<li><strong>En écrivant le fichier vous-même</strong> : copiez le modèle commenté "
                f'<a href="{esc(repo)}/blob/main/data/fiches/_modele.yaml"><code>data/fiches/_modele.yaml</code></a>'
                " du dépôt, ou lancez <code>referentiel nouvelle-fiche</code> sur un ordinateur où le projet "
                "est installé ; le guide des contributeurs (<code>CONTRIBUTING.md</code>) explique chaque étape.</li>")
        if not items:
            items.append(
                f'<li>Écrivez à l\'équipe du référentiel (voir <a href="{esc(r.urls.rel(here, "sources.md", "contact"))}">'
                "Sources et contact</a>) en décrivant votre action avec vos mots.</li>")
        return r.brut("<ul>\n" + "\n".join(items) + "\n</ul>", recherche=False)


# What the form writes at the top of the file, and as the first line of its history.
EN_TETE_FORMULAIRE = ("Fiche écrite avec le formulaire « Proposer une fiche » du site.",)
CREATION_FORMULAIRE = "Création de la fiche (formulaire du site)"
# The GitHub issue form of .github/ISSUE_TEMPLATE/.
TICKET = "proposer-une-fiche.yml"


def contraintes_formulaire() -> dict:
    """The constraints of every field of a fiche, by path (``acteur.nom``,
    ``contributions[].indicateurs[].valeur``), from the fiche schema: what the
    form checks before sending, as the validator does after."""
    racine = schema("fiche")
    out: dict[str, dict] = {}

    def parcourir(brut, chemin: str, forme: tuple) -> None:
        noeud = brut
        while isinstance(noeud, dict) and "$ref" in noeud:
            noeud = {**resoudre(racine, noeud), **{k: v for k, v in noeud.items() if k != "$ref"}}
        if not isinstance(noeud, dict):
            return
        regle = {k: noeud[k] for k in ("pattern", "minLength", "maxLength", "minItems", "maxItems", "enum")
                 if k in noeud}
        if noeud.get("type") == "string":
            g = genre("fiche", forme)
            regle.update(long=g.long, markdown=g.markdown, date=g.date)
        if chemin:
            out[chemin] = regle
        for cle, sous in (noeud.get("properties") or {}).items():
            parcourir(sous, f"{chemin}.{cle}" if chemin else cle, forme + (cle,))
        if isinstance(noeud.get("items"), dict):
            parcourir(noeud["items"], chemin + "[]", forme + (-1,))

    parcourir(racine, "", ())
    out["lien"] = {k: racine["$defs"]["lien"][k] for k in ("pattern", "maxLength")}
    return out


def _retrait_formulaire(i) -> str | None:
    """« Retiré dans la version 1.1 : renseignez plutôt VE2.4 »: what the form says of a retired indicator."""
    if i.retire is None:
        return None
    texte = f"Retiré dans la version {i.retire.version}"
    if i.retire.remplace_par:
        texte += " : renseignez plutôt " + ", ".join(i.retire.remplace_par)
    return texte
