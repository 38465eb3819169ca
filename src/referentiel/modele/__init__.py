"""The référentiel's domain model: plain data, independent of MkDocs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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


@dataclass(eq=False)
class Indicateur:
    id: str
    libelle: str
    type: str
    collecte: str
    provenance: str
    definition: str | None = None
    exemple: str | None = None
    reference: str | None = None
    critere: Critere | None = cle(None, default=None, repr=False)

    @property
    def slug(self) -> str:
        return slug_indicateur(self.id)

    @property
    def type_libelle(self) -> str:
        return TYPES_INDICATEUR[self.type]


@dataclass(eq=False)
class Critere:
    id: str
    titre: str
    description: str
    provenance: str
    indicateurs: list[Indicateur]
    reference: str | None = None
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
    partenaires: list[str] = field(default_factory=list)


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

    def licence_libelle(self) -> tuple[str, str]:
        return LICENCES[self.licence]
