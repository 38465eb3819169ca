"""The référentiel's domain model: plain data, independent of MkDocs."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The JSON Schemas of the data (``schemas/``): some vocabularies are defined there, once.
SCHEMAS_DIR = Path(__file__).resolve().parents[3] / "schemas"


def vocabulaire(nom_schema: str, definition: str) -> dict[str, str]:
    """value -> French label of an enum that a schema defines once, in its ``$defs``:
    the values in ``enum`` and, in the same order, their labels in
    ``enumDescriptions`` (which VS Code also shows while a fiche is typed)."""
    with open(SCHEMAS_DIR / f"{nom_schema}.schema.json", encoding="utf-8") as fh:
        noeud = json.load(fh)["$defs"][definition]
    valeurs, libelles = noeud["enum"], noeud["enumDescriptions"]
    if len(valeurs) != len(libelles) or len(set(valeurs)) != len(valeurs):
        raise ValueError(f"{nom_schema}.schema.json, $defs/{definition} : une valeur par libellé, sans doublon")
    return dict(zip(valeurs, libelles))


TYPES_INDICATEUR = {
    "realisation": "Réalisation",
    "resultat": "Résultat",
    "impact": "Impact",
}

STATUTS = {
    "exemple": "Exemple",
    "proposee": "Proposée",
    "publiee": "Publiée",
}

TYPES_ACTEUR = {
    "association": "Association",
    "centre-social": "Centre social",
    "collectif": "Collectif",
    "collectivite": "Collectivité",
    "etablissement-sante": "Établissement de santé",
    "etablissement-scolaire": "Établissement scolaire",
    "entreprise": "Entreprise",
    "autre": "Autre",
}

# The categories of publics an action specifically addresses (a fiche's
# ``action.categories_publics``), from schemas/fiche.schema.json ($defs/categorie-public):
# the values of the field « publics_specifiquement_adresses » of the national
# « Schéma de données des lieux de médiation numérique » (ANCT / La MedNum),
# version 1.0.1, https://schema.data.gouv.fr/LaMednum/standard-mediation-num/1.0.1/documentation.html
# (source: https://github.com/LaMednum/standard-mediation-num, schema.json, tag v1.0.1),
# one slug per national value, the national wording as the label.
CATEGORIES_PUBLICS = vocabulaire("fiche", "categorie-public")

PROVENANCES = {
    "document-source": "Document source de la Ville de Brest",
    "source-citee": "Source publique citée",
    "proposition": "Proposition de l'équipe du site",
}

LICENCES = {
    "CC-BY-SA-4.0": ("Creative Commons Attribution – Partage dans les mêmes conditions 4.0",
                     "https://creativecommons.org/licenses/by-sa/4.0/deed.fr"),
    "CC-BY-4.0": ("Creative Commons Attribution 4.0",
                  "https://creativecommons.org/licenses/by/4.0/deed.fr"),
}


def cle(chemin: str | None, **options) -> Any:
    """A field read from and written to another YAML key than its name
    (``"evaluation.periode"``: a key of a nested mapping), or none (``None``:
    not in the YAML; see ``conversion``)."""
    return field(metadata={"yaml": chemin}, **options)


def slug_indicateur(ident: str) -> str:
    """``EP1.2`` -> ``ep1-2`` (the indicator's URL segment)."""
    return ident.lower().replace(".", "-")


# How an indicator can be collected, and the answer formats of its questions
# (schemas/criteres.schema.json, $defs/methode and $defs/format-reponse).
METHODES_COLLECTE = vocabulaire("criteres", "methode")
FORMATS_REPONSE = vocabulaire("criteres", "format-reponse")
# Who answers an indicator's questionnaire and interview ($defs/public-recueil).
PUBLICS_RECUEIL = vocabulaire("criteres", "public-recueil")


@dataclass(eq=False)
class Question:
    """A question an indicator asks participants (or professionals), with its answer format."""

    texte: str
    format: str
    echelle: list[str] = field(default_factory=list)

    @property
    def format_libelle(self) -> str:
        return FORMATS_REPONSE[self.format]


@dataclass(eq=False)
class Retrait:
    """An item retired in a version: it keeps its id, its text and its page,
    marked retired, with what replaces it (``data/versions/``)."""

    version: str
    remplace_par: list[str] = field(default_factory=list)


@dataclass(eq=False)
class Indicateur:
    id: str
    libelle: str
    type: str
    collecte: str
    provenance: str
    definition: str | None = None
    exemple: str | None = None
    # How to collect it (issue 18; a proposal of the site's team).
    methodes: list[str] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    a_observer: list[str] = field(default_factory=list)
    a_demander: list[str] = field(default_factory=list)
    # Who is asked or observed: participants (the default), professionals, or both.
    aupres_de: list[str] = field(default_factory=lambda: ["participants"])
    reference: str | None = None
    retire: Retrait | None = None
    critere: Critere | None = cle(None, default=None, repr=False)

    @property
    def slug(self) -> str:
        return slug_indicateur(self.id)

    @property
    def type_libelle(self) -> str:
        return TYPES_INDICATEUR[self.type]

    @property
    def methodes_libelles(self) -> list[str]:
        return [METHODES_COLLECTE[m] for m in self.methodes]

    @property
    def public_des_questions(self) -> str:
        """Who answers the indicator's questions: « participants » or « professionnels »
        (the validator makes an indicator with questions name one of them)."""
        return self.aupres_de[0] if len(self.aupres_de) == 1 else "participants"


@dataclass(eq=False)
class Critere:
    id: str
    titre: str
    description: str
    provenance: str
    indicateurs: list[Indicateur]
    reference: str | None = None
    retire: Retrait | None = None
    dimension: Dimension | None = cle(None, default=None, repr=False)

    @property
    def slug(self) -> str:
        return self.id.lower()


@dataclass(eq=False)
class Dimension:
    id: str
    titre: str
    description: str
    criteres: list[Critere]
    provenance: str | None = None
    reference: str | None = None
    retire: Retrait | None = None

    @property
    def slug(self) -> str:
        return self.id.lower()


@dataclass(eq=False)
class IndicateurObserve:
    """An indicator as one fiche reports it."""

    id: str
    valeur: str
    source: str | None = None
    commentaire: str | None = None
    indicateur: Indicateur | None = cle(None, default=None, repr=False)


@dataclass(eq=False)
class Contribution:
    critere_id: str = cle("critere")
    constats: str
    indicateurs: list[IndicateurObserve]
    critere: Critere | None = cle(None, default=None, repr=False)


@dataclass(eq=False)
class Acteur:
    nom: str
    type: str
    ville: str | None = None
    site: str | None = None
    presentation: str | None = None

    @property
    def type_libelle(self) -> str:
        return TYPES_ACTEUR[self.type]


@dataclass(eq=False)
class Action:
    resume: str
    description: str | None = None
    moyens: str | None = None
    enjeux: str | None = None
    debut: str | None = None
    fin: str | None = None
    lieux: list[str] = field(default_factory=list)
    publics: list[str] = field(default_factory=list)
    categories_publics: list[str] = field(default_factory=list)
    partenaires: list[str] = field(default_factory=list)

    @property
    def categories_publics_libelles(self) -> list[str]:
        return [CATEGORIES_PUBLICS[c] for c in self.categories_publics]


@dataclass(eq=False)
class Temoignage:
    texte: str
    auteur: str | None = None


@dataclass(eq=False)
class Source:
    titre: str
    url: str | None = None
    date: str | None = None


@dataclass(eq=False)
class Modification:
    """One line of a fiche's history: who changed it, when, and what."""

    date: str
    auteur: str
    modification: str


@dataclass(eq=False)
class Fiche:
    id: str
    titre: str
    statut: str
    acteur: Acteur
    action: Action
    contributions: list[Contribution]
    fichier: str = cle(None, default="")
    evaluation_periode: str | None = cle("evaluation.periode", default=None)
    evaluation_methode: str | None = cle("evaluation.methode", default=None)
    temoignages: list[Temoignage] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    licence: str | None = None
    mise_a_jour: str | None = None
    historique: list[Modification] = field(default_factory=list)
    # The version of the référentiel the fiche was written with.
    version_referentiel: str | None = None

    @property
    def statut_libelle(self) -> str:
        return STATUTS[self.statut]

    @property
    def est_exemple(self) -> bool:
        return self.statut == "exemple"

    def dimensions(self) -> list[Dimension]:
        seen: dict[str, Dimension] = {}
        for c in self.contributions:
            if c.critere and c.critere.dimension:
                seen.setdefault(c.critere.dimension.id, c.critere.dimension)
        return list(seen.values())


@dataclass(eq=False)
class Observation:
    """One fiche reporting one indicator: what an indicator page lists."""

    fiche: Fiche
    contribution: Contribution
    observe: IndicateurObserve


@dataclass(eq=False)
class Referentiel:
    # criteres.yaml: its « referentiel: » block, then its dimensions.
    titre: str = cle("referentiel.titre")
    version: str = cle("referentiel.version")
    licence: str = cle("referentiel.licence")
    dimensions: list[Dimension] = field(default_factory=list)
    editeur: str | None = cle("referentiel.editeur", default=None)
    annee: str | None = cle("referentiel.annee", default=None)
    mise_a_jour: str | None = cle("referentiel.mise_a_jour", default=None)
    date_version: str | None = cle("referentiel.date_version", default=None)
    # The released versions, oldest first (data/versions/; empty without it).
    versions: list[Any] = cle(None, default_factory=list)
    # The fiches, one file each (not in criteres.yaml).
    fiches: list[Fiche] = cle(None, default_factory=list)
    # Indexes, built once by ``indexer()`` (linear in the data size).
    criteres: dict[str, Critere] = cle(None, default_factory=dict)
    indicateurs: dict[str, Indicateur] = cle(None, default_factory=dict)
    fiches_par_critere: dict[str, list[Fiche]] = cle(None, default_factory=dict)
    observations: dict[str, list[Observation]] = cle(None, default_factory=dict)

    def indexer(self) -> None:
        """Resolve cross-references and build the reverse indexes."""
        self.criteres = {}
        self.indicateurs = {}
        for dim in self.dimensions:
            for crit in dim.criteres:
                crit.dimension = dim
                self.criteres[crit.id] = crit
                for ind in crit.indicateurs:
                    ind.critere = crit
                    self.indicateurs[ind.id] = ind
        self.fiches.sort(key=lambda f: f.id)
        self.fiches_par_critere = {cid: [] for cid in self.criteres}
        self.observations = {iid: [] for iid in self.indicateurs}
        for fiche in self.fiches:
            for contrib in fiche.contributions:
                contrib.critere = self.criteres.get(contrib.critere_id)
                if contrib.critere is not None:
                    self.fiches_par_critere[contrib.critere.id].append(fiche)
                for obs in contrib.indicateurs:
                    obs.indicateur = self.indicateurs.get(obs.id)
                    if obs.indicateur is not None:
                        self.observations[obs.id].append(Observation(fiche, contrib, obs))

    def version_de(self, fiche: Fiche) -> str | None:
        """The version of the référentiel a fiche was written with: its
        ``version_referentiel``, or else the version current when it was
        added (the last released on or before the first date of its history),
        or else the current version."""
        if fiche.version_referentiel:
            return fiche.version_referentiel
        debut = min((h.date for h in fiche.historique), default=fiche.mise_a_jour)
        avant = [v.version for v in self.versions if debut and v.date <= debut]
        if avant:
            return avant[-1]
        return self.versions[0].version if self.versions else self.version

    def licence_libelle(self) -> tuple[str, str]:
        return LICENCES[self.licence]
