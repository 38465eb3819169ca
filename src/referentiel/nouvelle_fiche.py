"""``referentiel nouvelle-fiche``: write a valid, commented fiche from answers.

Every answer can come from an option (scripts, tests) or, when it is missing
and the command runs in a terminal, from a French question.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from .lecture import regles
from .lecture.checks import noms_site_fiches, slugifier
from .lecture.fichiers import brouillon_a_cote, nom_affiche
from .lecture.chargement import charger
from .modele import TYPES_ACTEUR, Referentiel
from .lecture.disposition import LARGEUR
from .sorties.fiche_yaml import ecrire_fiche


class Abandon(Exception):
    """The answers cannot make a fiche; the message is French."""


@dataclass
class Reponses:
    id: str | None = None
    titre: str | None = None
    acteur_nom: str | None = None
    acteur_type: str | None = None
    ville: str | None = None
    resume: str | None = None
    criteres: list[str] = field(default_factory=list)
    # indicator id -> observed value; criterion id -> constats
    valeurs: dict[str, str] = field(default_factory=dict)
    constats: dict[str, str] = field(default_factory=dict)
    indicateurs: list[str] = field(default_factory=list)


def donnees_fiche(r: Reponses, ref: Referentiel, aujourd_hui: str) -> dict:
    """The fiche's data (the shape of its file) from the answers."""
    acteur = {"nom": r.acteur_nom or "", "type": r.acteur_type}
    if r.ville:
        acteur["ville"] = r.ville
    contributions = []
    for cid in r.criteres:
        crit = ref.criteres[cid]
        contributions.append({
            "critere": crit.id,
            "constats": r.constats[cid],
            "indicateurs": [{"id": ind.id, "valeur": r.valeurs[ind.id]}
                            for ind in crit.indicateurs if ind.id in r.indicateurs],
        })
    return {
        "id": r.id,
        "titre": r.titre or "",
        "statut": "proposee",
        "acteur": acteur,
        "action": {"resume": r.resume or ""},
        "contributions": contributions,
        "licence": ref.licence,
        "mise_a_jour": aujourd_hui,
        "historique": [{"date": aujourd_hui, "auteur": r.acteur_nom or "", "modification": "Création de la fiche"}],
    }


def libelles(ref: Referentiel) -> dict[str, str]:
    """The label of each criterion and indicator id (the comments before them in a fiche)."""
    out = {c.id: c.titre for c in ref.criteres.values()}
    out.update({i.id: i.libelle for i in ref.indicateurs.values()})
    return out


def ecrire_yaml(r: Reponses, ref: Referentiel, aujourd_hui: str) -> str:
    """The fiche's file, written as the form writes it (``sorties.fiche_yaml``),
    with the first line for editors and how to go on."""
    commande = f"  referentiel valider data/fiches/{r.id}.yaml"
    return ecrire_fiche(donnees_fiche(r, ref, aujourd_hui), libelles(ref), editeur=True, en_tete=[
        "Fiche créée avec « referentiel nouvelle-fiche ». Complétez-la si",
        "besoin (voir le modèle commenté data/fiches/_modele.yaml), puis",
        "vérifiez-la :",
        # (a long id makes the line longer than a comment line: the command without it)
        commande if len(commande) + 2 <= LARGEUR else "  referentiel valider",
    ])


Demander = Callable[[str], str]


def _choix_multiple(question: str, options: list[tuple[str, str]], demander: Demander) -> list[str]:
    print(question)
    for k, (ident, libelle) in enumerate(options, 1):
        print(f"  {k:>2}. {ident} · {libelle}")
    while True:
        brut = demander("Numéros ou identifiants, séparés par des virgules : ").strip()
        choisis: list[str] = []
        erreurs = []
        for morceau in filter(None, (x.strip() for x in brut.split(","))):
            if morceau.isdigit() and 1 <= int(morceau) <= len(options):
                choisis.append(options[int(morceau) - 1][0])
            elif morceau.upper() in {o[0].upper() for o in options}:
                choisis.append(next(o[0] for o in options if o[0].upper() == morceau.upper()))
            else:
                erreurs.append(morceau)
        if choisis and not erreurs:
            return list(dict.fromkeys(choisis))
        print(f"Réponse non reconnue : {', '.join(erreurs) or 'vide'}. Recommencez.")


def refus_reponse(texte: str) -> str | None:
    """Why an answer can't go into a fiche (not UTF-8, a control or invisible
    character), in French, or None."""
    if any("\udc80" <= c <= "\udcff" for c in texte):
        octet = next(ord(c) - 0xDC00 for c in texte if "\udc80" <= c <= "\udcff")
        return (f"ce n'est pas du texte UTF-8 (octet 0x{octet:02X}) ; "
                "réglez votre terminal en UTF-8 ou retapez la réponse")
    trouve = regles.probleme_caracteres(texte, long=False)
    return trouve[1] if trouve else None


def _texte(question: str, demander: Demander, defaut: str | None = None) -> str:
    suffixe = f" [{defaut}]" if defaut else ""
    while True:
        rep = demander(f"{question}{suffixe} : ").strip()
        refus = refus_reponse(rep)
        if refus:
            print(f"Réponse refusée : {regles.visible(refus)}. Recommencez.")
            continue
        if rep:
            return rep
        if defaut:
            return defaut
        print("Une réponse est nécessaire.")


def _lecture_sure(demander: Demander) -> Demander:
    """An answer that isn't valid UTF-8 stops with a French message, not a traceback."""
    def lire(question: str) -> str:
        try:
            return demander(question)
        except UnicodeDecodeError:
            raise Abandon("réponse illisible : ce n'est pas du texte UTF-8 ; "
                          "réglez votre terminal en UTF-8 puis relancez la commande") from None
    return lire


def _verifier_options(r: Reponses) -> None:
    """Answers given as options (or read before) pass the same rule as typed ones."""
    champs = {"--id": r.id, "--titre": r.titre, "--acteur": r.acteur_nom, "--type": r.acteur_type,
              "--ville": r.ville, "--resume": r.resume}
    champs.update({f"--critere {c}": c for c in r.criteres})
    champs.update({f"--indicateur {i}": i for i in r.indicateurs})
    champs.update({f"--constats {k}": v for k, v in r.constats.items()})
    champs.update({f"--valeur {k}": v for k, v in r.valeurs.items()})
    for option, valeur in champs.items():
        refus = refus_reponse(valeur) if valeur else None
        if refus:
            raise Abandon(f"{option} : {refus}")


def completer(r: Reponses, ref: Referentiel, existants: set[str], demander: Demander | None) -> Reponses:
    """Fill every missing answer by asking, or stop with the list of what is missing."""
    _verifier_options(r)
    if demander is not None:
        demander = _lecture_sure(demander)
    manquants: list[str] = []

    def manque(option: str) -> None:
        manquants.append(option)

    if not r.titre:
        r.titre = _texte("Titre de l'action", demander) if demander else manque("--titre") or None
    if not r.id and r.titre:
        suggestion = slugifier(r.titre)
        r.id = _texte("Identifiant de la fiche (nom du fichier)", demander, suggestion) if demander else suggestion
    if not r.acteur_nom:
        r.acteur_nom = _texte("Nom de la structure", demander) if demander else manque("--acteur") or None
    if not r.acteur_type:
        if demander:
            r.acteur_type = _choix_multiple("Type de structure (un seul choix) :",
                                            list(TYPES_ACTEUR.items()), demander)[0]
        else:
            manque("--type")
    if not r.resume:
        r.resume = _texte("Résumé de l'action, en quelques phrases", demander) if demander else manque("--resume") or None
    if not r.criteres:
        if demander:
            r.criteres = _choix_multiple(
                "Critères du référentiel que votre action sert :",
                [(c.id, c.titre) for c in ref.criteres.values()], demander)
        else:
            manque("--critere")
    for cid in r.criteres:
        crit = ref.criteres.get(cid)
        if crit is None:
            raise Abandon(f"le critère « {cid} » n'existe pas ; critères : {', '.join(ref.criteres)}")
        if cid not in r.constats:
            if demander:
                r.constats[cid] = _texte(f"{cid} · {crit.titre} : qu'avez-vous constaté ?", demander)
            else:
                manque(f"--constats {cid}=…")
        siens = [i.id for i in crit.indicateurs if i.id in r.indicateurs]
        if not siens:
            if demander:
                r.indicateurs += _choix_multiple(
                    f"Indicateurs du critère {cid} que vous renseignez :",
                    [(i.id, i.libelle) for i in crit.indicateurs], demander)
            else:
                manque(f"--indicateur (un indicateur de {cid})")
        for iid in [i.id for i in crit.indicateurs if i.id in r.indicateurs]:
            if iid not in r.valeurs:
                if demander:
                    r.valeurs[iid] = _texte(f"{iid} : valeur observée (ce que vous avez mesuré)", demander)
                else:
                    manque(f"--valeur {iid}=…")
    autres = [i for i in r.indicateurs if i not in ref.indicateurs
              or ref.indicateurs[i].critere.id not in r.criteres]  # type: ignore[union-attr]
    if autres:
        raise Abandon(f"indicateur(s) hors des critères choisis : {', '.join(autres)}")
    if manquants:
        raise Abandon("réponses manquantes (à donner en option hors d'un terminal) : " + ", ".join(manquants))
    if r.acteur_type not in TYPES_ACTEUR:
        raise Abandon(f"type de structure « {r.acteur_type} » inconnu ; écrivez l'un de : {', '.join(TYPES_ACTEUR)}")
    if not r.id or not regles.MOTIF_SLUG.match(r.id) or len(r.id) > regles.LONGUEUR_SLUG:
        raise Abandon(f"identifiant « {r.id} » non permis : lettres minuscules sans accent, chiffres et tirets "
                      f"(par exemple « {slugifier(r.titre or r.id or 'ma-fiche')} »)")
    reserve = regles.nom_reserve(r.id, noms_site_fiches())
    if reserve:
        raise Abandon(f"identifiant non permis : {reserve} ; choisissez-en un autre avec --id "
                      f"(par exemple « {slugifier(r.id)} »)")
    if r.id in existants:
        raise Abandon(f"l'identifiant « {r.id} » est déjà pris ; choisissez-en un autre avec --id")
    return r


def creer(r: Reponses, dossier: Path, demander: Demander | None, aujourd_hui: str | None = None) -> Path:
    """Ask what is missing, write the fiche, check it; returns its path."""
    resultat = charger(dossier)
    if resultat.referentiel is None or resultat.problemes:
        raise Abandon("les données existantes ont des problèmes ; lancez d'abord « referentiel valider »")
    ref = resultat.referentiel
    fiches = dossier / "fiches"
    existants = {f.id for f in ref.fiches} | {p.stem for p in fiches.glob("*.yaml")}
    completer(r, ref, existants, demander)
    chemin = fiches / f"{r.id}.yaml"
    if chemin.exists():
        raise Abandon(f"{nom_affiche(chemin)} existe déjà ; choisissez un autre identifiant avec --id")
    texte = ecrire_yaml(r, ref, aujourd_hui or date.today().isoformat())
    with brouillon_a_cote(fiches, chemin.name, texte, ".nouvelle-fiche-") as brouillon:
        verif = charger(dossier, fiches=[brouillon])
        if verif.problemes:
            raise Abandon("la fiche produite n'est pas valide :\n" + "\n".join(map(str, verif.problemes)))
        if chemin.exists():
            raise Abandon(f"{nom_affiche(chemin)} existe déjà ; choisissez un autre identifiant avec --id")
        os.replace(brouillon, chemin)
    return chemin


def demander_terminal() -> Demander | None:
    """Questions are asked only when a person is at the keyboard."""
    if sys.stdin is not None and sys.stdin.isatty():
        return input
    return None
