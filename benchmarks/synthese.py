"""Synthetic fiches for the benchmarks: realistic shape and French text.

The text is made of real sentences: those of the shipped fiches and of the
hand-written chapters (``docs/*.md``), cut at sentence boundaries and drawn at
random to the lengths of the shipped fiches (a summary of 2-3 sentences, a
description of 3-6, findings of 2-4 per criterion). Each fiche has every
field a careful contributor fills in: actor, action, evaluation, 4 to 8
contributions with 1 to 3 observed indicators, testimonies, sources, history.
Criteria are dealt round-robin first, so that every criterion is used.

Deterministic for a given seed. Nothing is written into the repository.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]

TYPES_ACTEUR = ["association", "centre-social", "collectif", "collectivite",
                "etablissement-sante", "etablissement-scolaire", "autre"]
PUBLICS = ["Habitants du quartier", "Seniors", "Jeunes de 16 à 25 ans", "Demandeurs d'emploi",
           "Familles", "Personnes hospitalisées", "Allocataires du RSA", "Bénévoles"]
LIEUX = ["Maison de quartier", "Centre social", "Médiathèque", "Espace public numérique",
         "Local associatif", "Salle municipale"]
VILLES = ["Brest", "Quimper", "Morlaix", "Lorient", "Rennes", "Lannion"]
ACTIONS = ["Atelier d'initiation", "Permanence d'accompagnement", "Café numérique",
           "Atelier intergénérationnel", "Fabrique de cartes", "Club de l'écrit en ligne"]


def _phrases() -> list[str]:
    """Sentences of the shipped fiches' texts and of the chapters, 40-400 chars."""
    morceaux: list[str] = []
    for path in sorted((ROOT / "data" / "fiches").glob("*.yaml")):
        if path.name.startswith("_"):
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))

        def textes(o):
            if isinstance(o, str):
                yield o
            elif isinstance(o, dict):
                for v in o.values():
                    yield from textes(v)
            elif isinstance(o, list):
                for v in o:
                    yield from textes(v)
        morceaux += [t for t in textes(data) if " " in t]
    for path in sorted((ROOT / "docs").glob("*.md")):
        texte = path.read_text(encoding="utf-8")
        texte = re.sub(r"\{[{%#].*?[}%#]\}", " ", texte, flags=re.S)  # macros
        for ligne in texte.splitlines():
            if ligne.startswith(("#", "|", "!!!", "    ", "*[", "<", "---")) or not ligne.strip():
                continue
            morceaux.append(ligne)
    phrases = []
    for m in morceaux:
        m = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", m)  # links → their text
        m = re.sub(r"[*_`>\[\]]", "", m)  # brackets too: a link cut by a line break
        for p in re.split(r"(?<=[.!?])\s+", " ".join(m.split())):
            if 40 <= len(p) <= 400 and p[0].isupper():
                phrases.append(p)
    return sorted(set(phrases))


class Generateur:
    def __init__(self, seed: int = 1) -> None:
        self.rng = random.Random(seed)
        self.phrases = _phrases()
        criteres = yaml.safe_load((ROOT / "data" / "criteres.yaml").read_text(encoding="utf-8"))
        self.criteres = [c for d in criteres["dimensions"] for c in d["criteres"]]
        self._tour = 0

    def texte(self, a: int, b: int) -> str:
        return " ".join(self.rng.choice(self.phrases) for _ in range(self.rng.randint(a, b)))

    def _criteres_de_la_fiche(self) -> list[dict]:
        n = self.rng.randint(4, 8)
        choisis: list[dict] = []
        while len(choisis) < n:  # round-robin first: every criterion gets used
            c = self.criteres[self._tour % len(self.criteres)]
            self._tour += 1
            if c not in choisis:
                choisis.append(c)
            if self.rng.random() < 0.5:
                break
        autres = [c for c in self.criteres if c not in choisis]
        choisis += self.rng.sample(autres, n - len(choisis))
        return sorted(choisis, key=self.criteres.index)

    def fiche(self, k: int) -> dict:
        rng = self.rng
        ident = f"fiche-{k:05d}"
        action = rng.choice(ACTIONS)
        acteur = f"Association numérique du quartier {k % 211}"
        return {
            "id": ident,
            "titre": f"{action} n° {k} : {self.texte(1, 1)[:80].rstrip(' .,;:')}",
            "statut": rng.choice(["exemple", "proposee", "publiee"]),
            "acteur": {"nom": acteur, "type": rng.choice(TYPES_ACTEUR), "ville": rng.choice(VILLES),
                       "site": f"https://exemple.org/acteurs/{k % 211}",
                       "presentation": self.texte(2, 4)},
            "action": {"resume": self.texte(2, 3), "description": self.texte(3, 6),
                       "moyens": self.texte(1, 3), "enjeux": self.texte(1, 3),
                       "debut": str(rng.randint(2010, 2025)),
                       "lieux": rng.sample(LIEUX, rng.randint(1, 2)),
                       "publics": rng.sample(PUBLICS, rng.randint(1, 3)),
                       "partenaires": [f"Partenaire {rng.randint(1, 50)}"]},
            "evaluation": {"periode": f"{rng.randint(2014, 2025)}", "methode": self.texte(1, 2)},
            "contributions": [
                {"critere": c["id"], "constats": self.texte(2, 4),
                 "indicateurs": [
                     {"id": i["id"], "valeur": f"{rng.randint(3, 60)} personnes sur {rng.randint(60, 120)}",
                      "source": "feuilles d'émargement et entretiens", "commentaire": self.texte(0, 1)}
                     for i in rng.sample(c["indicateurs"], rng.randint(1, len(c["indicateurs"])))]}
                for c in self._criteres_de_la_fiche()
            ],
            "temoignages": [{"texte": self.texte(1, 2), "auteur": "une participante"}],
            "sources": [{"titre": "Compte rendu de l'action", "url": f"https://exemple.org/comptes-rendus/{k}",
                         "date": "2025-06-30"}],
            "licence": "CC-BY-SA-4.0",
            "mise_a_jour": "2026-11-26",
            "historique": [{"date": "2026-11-26", "auteur": acteur, "modification": "Création de la fiche."}],
        }


def _nettoyer(o):
    """Drop empty strings (a commentaire of 0 sentences)."""
    if isinstance(o, dict):
        return {k: _nettoyer(v) for k, v in o.items() if v != ""}
    if isinstance(o, list):
        return [_nettoyer(v) for v in o]
    return o


def generer(dossier: Path, n: int, seed: int = 1) -> None:
    """Write ``n`` fiches into ``dossier/fiches/``."""
    gen = Generateur(seed)
    fiches = dossier / "fiches"
    fiches.mkdir(parents=True, exist_ok=True)
    for k in range(n):
        data = _nettoyer(gen.fiche(k))
        (fiches / f"{data['id']}.yaml").write_text(
            "# Fiche synthétique pour les mesures de performance.\n"
            + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100),
            encoding="utf-8")
