"""Checks on the data beyond its schema: texts, ids, cross-references.

Each ``check_*`` function is small and returns a list of problems; the loader
runs them all and collects everything before stopping.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import regles
from .messages_schema import extrait, mots_proches
from ..modele import Critere, Referentiel
from .problems import Probleme
from .schemas import Genre, genre
from .yamlio import Document, format_chemin

# --------------------------------------------------------------------------
# Every text: its characters, its links, its cost, its dates


def _ligne_caractere(doc: Document, chemin: tuple, valeur: str, position: int) -> int:
    """The line of a refused character: where it is typed in the file, when
    it is (not written as an escape such as « \\e »), else the value's line."""
    ligne = doc.ligne(chemin)
    texte = doc.texte
    if texte:
        debut = 0
        for _ in range(ligne - 1):
            debut = texte.find("\n", debut) + 1
            if debut == 0:
                return ligne
        trouve = texte.find(valeur[position], debut)
        if trouve >= 0:
            return texte.count("\n", 0, trouve) + 1
    return ligne


def _problemes_liens(texte: str, markdown: bool) -> list[str]:
    """What is wrong with the links of a text, read from the renderer's own
    Markdown parse: each link it would not keep, each image, and any link
    at all in a field that is not Markdown (it would not be live)."""
    from ..render import liens

    out: list[str] = []
    for lien in liens(texte):
        if lien.genre == "image":
            msg = ("les images ne sont pas acceptées dans le texte ; mettez un lien "
                   "[texte](https://…) vers l'image à la place")
        elif not markdown:
            msg = ("ce champ est du texte simple : un lien n'y serait pas cliquable ; "
                   "mettez l'adresse dans les sources de la fiche (champ url) ou dans un texte long")
        elif not lien.garde:
            msg = f"lien « {extrait(lien.cible, 40)} » refusé : {regles.MESSAGE_LIEN}"
        else:
            continue
        if msg not in out:
            out.append(msg)
    return out


def check_textes(doc: Document, fichier: str, nom_schema: str) -> list[Probleme]:
    """Every text of a file: refused characters (control, bidirectional,
    invisible), links (one definition: the renderer's), Markdown's costly
    constructs, and calendar dates."""
    out: list[Probleme] = []
    if not doc.a_examiner:
        return out  # the fast reading saw nothing to examine

    def walk(value: Any, chemin: tuple, forme: tuple) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, chemin + (k,), forme + (k,))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, chemin + (i,), forme + (-1,))
        elif isinstance(value, str):
            texte(value, chemin, forme)

    def texte(value: str, chemin: tuple, forme: tuple) -> None:
        g: Genre | None = None
        if regles.INTERDITS_UNE_LIGNE.search(value):
            g = genre(nom_schema, forme)
            trouve = regles.probleme_caracteres(value, g.long)
            if trouve is not None:
                position, msg = trouve
                out.append(Probleme(fichier, _ligne_caractere(doc, chemin, value, position),
                                    format_chemin(chemin), msg))
                return
        if len(value) == 10 and value[4:5] == "-":
            g = g or genre(nom_schema, forme)
            msg = regles.date_inexistante(value) if g.date else None
            if msg:
                out.append(Probleme(fichier, doc.ligne(chemin), format_chemin(chemin), msg))
                return
        if regles.peut_couter(value):
            g = g or genre(nom_schema, forme)
            # Markdown renders only Markdown fields; a one-line text is short
            # enough for the link check's parse below.
            msg = regles.probleme_cout(value) if g.markdown else None
            if msg:
                out.append(Probleme(fichier, doc.ligne(chemin), format_chemin(chemin), msg))
                return
        if regles.peut_contenir_lien(value) and len(value) <= regles.LONGUEUR_MAX_TEXTE:
            g = g or genre(nom_schema, forme)
            for msg in _problemes_liens(value, g.markdown):
                out.append(Probleme(fichier, doc.ligne(chemin), format_chemin(chemin), msg))

    walk(doc.data, (), ())
    return out


# --------------------------------------------------------------------------
# Cross-reference checks on data/criteres.yaml


def check_ids_criteres(doc: Document, fichier: str) -> list[Probleme]:
    """Ids are unique, and each id starts with its parent's id."""
    out: list[Probleme] = []
    vus: dict[str, int] = {}

    def unique(ident: str, chemin: tuple) -> None:
        ligne = doc.ligne(chemin)
        if ident in vus:
            out.append(Probleme(fichier, ligne, format_chemin(chemin),
                                f"identifiant « {ident} » déjà utilisé à la ligne {vus[ident]} ; "
                                "choisissez un numéro libre (ne renumérotez pas les autres)"))
        else:
            vus[ident] = ligne

    def liste(d: Any, cle: str) -> list:
        v = d.get(cle) if isinstance(d, dict) else None
        return v if isinstance(v, list) else []

    def ident(d: Any) -> str | None:
        v = d.get("id") if isinstance(d, dict) else None
        return v if isinstance(v, str) else None

    for i, dim in enumerate(liste(doc.data, "dimensions")):
        did = ident(dim)
        if did is None:
            continue
        unique(did, ("dimensions", i, "id"))
        for j, crit in enumerate(liste(dim, "criteres")):
            cid = ident(crit)
            if cid is None:
                continue
            chemin = ("dimensions", i, "criteres", j, "id")
            unique(cid, chemin)
            if not cid.startswith(did):
                out.append(Probleme(fichier, doc.ligne(chemin), format_chemin(chemin),
                                    f"le critère « {cid} » est dans la dimension {did} : "
                                    f"son identifiant doit commencer par « {did} »"))
            for k, ind in enumerate(liste(crit, "indicateurs")):
                iid = ident(ind)
                if iid is None:
                    continue
                chemin = ("dimensions", i, "criteres", j, "indicateurs", k, "id")
                unique(iid, chemin)
                if not iid.startswith(cid + "."):
                    out.append(Probleme(fichier, doc.ligne(chemin), format_chemin(chemin),
                                        f"l'indicateur « {iid} » est dans le critère {cid} : "
                                        f"son identifiant doit commencer par « {cid}. »"))
    return out


# --------------------------------------------------------------------------
# Cross-reference checks on one fiche


DOCS_FICHES = Path(__file__).resolve().parents[3] / "docs" / "fiches"


@lru_cache(maxsize=None)
def noms_site_fiches() -> frozenset[str]:
    """Names the site uses under fiches/: its own, and the pages written in docs/fiches/."""
    noms = set(regles.NOMS_SITE_FICHES)
    if DOCS_FICHES.is_dir():
        noms |= {p.name.split(".", 1)[0].lower() for p in DOCS_FICHES.iterdir()}
    return frozenset(noms)


def slugifier(texte: str) -> str:
    return regles.slugifier(texte, noms_site_fiches())


def check_nom_fichier(doc: Document, fichier: str, nom: str) -> list[Probleme]:
    """The id is the file name (without .yaml), and a name every system and the site can use."""
    ident = doc.data.get("id")
    if not isinstance(ident, str):
        return []  # reported by the schema
    ligne = doc.ligne(("id",))
    if not regles.MOTIF_SLUG.match(nom):
        suggestion = slugifier(nom)
        return [Probleme(fichier, ligne, "id",
                         f"le nom du fichier « {nom}.yaml » n'est pas un identifiant permis ; "
                         f"renommez le fichier en « {suggestion}.yaml » et écrivez id: {suggestion}")]
    reserve = regles.nom_reserve(nom, noms_site_fiches())
    if reserve:
        suggestion = slugifier(nom)
        return [Probleme(fichier, ligne, "id",
                         f"{reserve} ; renommez le fichier en « {suggestion}.yaml » et écrivez id: {suggestion}")]
    if ident != nom:
        return [Probleme(fichier, ligne, "id",
                         f"« {ident} » ne correspond pas au nom du fichier ; écrivez id: {nom}")]
    return []


def check_contributions(doc: Document, fichier: str, cadre: Referentiel) -> list[Probleme]:
    """Criteria exist in the framework, indicators belong to their criterion, nothing twice."""
    out: list[Probleme] = []
    criteres = cadre.criteres
    contributions = doc.data.get("contributions")
    if not isinstance(contributions, list):
        return out  # reported by the schema
    # Lines are looked up only for a problem: most fiches have none.
    ligne = doc.ligne
    crit_vus: dict[str, tuple] = {}
    for i, contrib in enumerate(contributions):
        if not isinstance(contrib, dict) or not isinstance(contrib.get("critere"), str):
            continue
        cid = contrib["critere"]
        chemin = ("contributions", i, "critere")
        if cid not in criteres:
            out.append(Probleme(fichier, ligne(chemin), format_chemin(chemin),
                                f"« {cid} » n'existe pas{_suggestion_critere(cid, criteres)}"))
            continue
        if cid in crit_vus:
            out.append(Probleme(fichier, ligne(chemin), format_chemin(chemin),
                                f"le critère {cid} est déjà traité à la ligne {ligne(crit_vus[cid])} ; "
                                "regroupez ces constats dans une seule contribution"))
        else:
            crit_vus[cid] = chemin
        ind_vus: dict[str, tuple] = {}
        observes = contrib.get("indicateurs")
        for j, obs in enumerate(observes if isinstance(observes, list) else []):
            if not isinstance(obs, dict) or not isinstance(obs.get("id"), str):
                continue
            iid = obs["id"]
            chemin_i = ("contributions", i, "indicateurs", j, "id")
            if iid in ind_vus:
                out.append(Probleme(fichier, ligne(chemin_i), format_chemin(chemin_i),
                                    f"l'indicateur {iid} est déjà renseigné à la ligne {ligne(ind_vus[iid])}"))
                continue
            ind_vus[iid] = chemin_i
            crit = criteres[cid]
            if any(ind.id == iid for ind in crit.indicateurs):
                continue
            possibles = ", ".join(ind.id for ind in crit.indicateurs)
            autre_ind = cadre.indicateurs.get(iid)
            if autre_ind is not None and autre_ind.critere is not None:
                autre = autre_ind.critere.id
                msg = (f"l'indicateur « {iid} » appartient au critère {autre}, pas à {cid} ; "
                       f"placez-le dans une contribution au critère {autre}, "
                       f"ou choisissez parmi les indicateurs de {cid} : {possibles}")
            else:
                msg = f"l'indicateur « {iid} » n'existe pas ; indicateurs du critère {cid} : {possibles}"
            out.append(Probleme(fichier, ligne(chemin_i), format_chemin(chemin_i), msg))
    return out


def _suggestion_critere(cid: str, criteres: dict[str, Critere]) -> str:
    meme_dimension = [c for c in criteres if c[:2] == str(cid)[:2].upper()]
    proches = meme_dimension or mots_proches(str(cid), criteres)
    if proches:
        return f" (critères proches : {', '.join(proches[:6])})"
    return f" ; critères existants : {', '.join(criteres)}"


def avertir_retraits(doc: Document, fichier: str, cadre: Referentiel) -> list[Probleme]:
    """Warnings, not problems: a fiche that reports a criterion or an
    indicator retired from the référentiel stays valid (it was written with
    an earlier version), and is told what replaces it."""
    out: list[Probleme] = []
    contributions = doc.data.get("contributions")
    if not isinstance(contributions, list):
        return out

    def avertir(element, nature: str, chemin: tuple) -> None:
        retrait = element.retire
        if retrait is None:
            return
        texte = f"{nature} {element.id} est retiré du référentiel depuis la version {retrait.version}"
        if retrait.remplace_par:
            texte += " ; remplacé par " + ", ".join(retrait.remplace_par)
        out.append(Probleme(fichier, doc.ligne(chemin), format_chemin(chemin),
                            texte + " (la fiche reste valide ; à sa prochaine mise à jour, renseignez plutôt "
                            + ("son remplaçant)" if len(retrait.remplace_par) == 1 else
                               "ses remplaçants)" if retrait.remplace_par else "un autre indicateur)")))

    for i, contrib in enumerate(contributions):
        if not isinstance(contrib, dict) or not isinstance(contrib.get("critere"), str):
            continue
        critere = cadre.criteres.get(contrib["critere"])
        if critere is not None:
            avertir(critere, "le critère", ("contributions", i, "critere"))
        for j, obs in enumerate(contrib.get("indicateurs") if isinstance(contrib.get("indicateurs"), list) else []):
            ind = cadre.indicateurs.get(obs.get("id")) if isinstance(obs, dict) else None
            if ind is not None:
                avertir(ind, "l'indicateur", ("contributions", i, "indicateurs", j, "id"))
    return out


def check_version_referentiel(doc: Document, fichier: str, cadre: Referentiel) -> list[Probleme]:
    """A fiche's ``version_referentiel`` names a released version (when the data has versions)."""
    version = doc.data.get("version_referentiel")
    publiees = [v.version for v in cadre.versions]
    if not isinstance(version, str) or not publiees or version in publiees:
        return []
    return [Probleme(fichier, doc.ligne(("version_referentiel",)), "version_referentiel",
                     f"« {version} » n'est pas une version publiée du référentiel (versions publiées : "
                     f"{', '.join(publiees)})")]


# An id of the framework (« EP1 », « EP1.2 »): never in a participant's question.
_ID_CADRE = re.compile(r"\b[A-Z]{2}[0-9]{1,2}(\.[0-9]{1,2})?\b")
# Each collection method and the field that says how (schemas/criteres.schema.json).
_CHAMP_DE_METHODE = {"questionnaire": "questions", "observation": "a_observer", "entretien": "a_demander"}


def check_collecte(doc: Document, fichier: str) -> list[Probleme]:
    """How each indicator in force is collected: its methods, and for a
    questionnaire, an observation or an interview, what to ask or look for;
    a scale names its four points; a participant's question holds no id.
    (The current criteres.yaml only: snapshots of older versions predate these fields.)"""
    out: list[Probleme] = []
    dimensions = doc.data.get("dimensions") if isinstance(doc.data, dict) else None
    for i, dim in enumerate(dimensions if isinstance(dimensions, list) else []):
        for j, crit in enumerate(dim.get("criteres") or [] if isinstance(dim, dict) else []):
            for k, ind in enumerate(crit.get("indicateurs") or [] if isinstance(crit, dict) else []):
                if not isinstance(ind, dict) or ind.get("retire"):
                    continue
                chemin = ("dimensions", i, "criteres", j, "indicateurs", k)
                ident = ind.get("id", "?")
                methodes = ind.get("methodes") or []
                if not methodes:
                    out.append(Probleme(fichier, doc.ligne(chemin + ("id",)), format_chemin(chemin + ("methodes",)),
                                        f"l'indicateur {ident} ne dit pas comment le recueillir : ajoutez "
                                        "« methodes: » (questionnaire, observation, entretien, comptage, document)"))
                for methode, champ in _CHAMP_DE_METHODE.items():
                    present = bool(ind.get(champ))
                    if methode in methodes and not present:
                        out.append(Probleme(fichier, doc.ligne(chemin + ("methodes",)), format_chemin(chemin + (champ,)),
                                            f"l'indicateur {ident} prévoit « {methode} » : ajoutez « {champ}: »"))
                    elif present and methode not in methodes:
                        out.append(Probleme(fichier, doc.ligne(chemin + (champ,)), format_chemin(chemin + (champ,)),
                                            f"« {champ} » sans la méthode « {methode} » dans « methodes » de {ident}"))
                publics = ind.get("aupres_de") or []
                if ind.get("questions") and isinstance(publics, list) and len(publics) > 1:
                    out.append(Probleme(fichier, doc.ligne(chemin + ("aupres_de",)), format_chemin(chemin + ("aupres_de",)),
                                        f"les questions de {ident} vont dans un seul questionnaire : gardez dans "
                                        "« aupres_de » le public qui y répond (participants ou professionnels)"))
                for n, q in enumerate(ind.get("questions") or []):
                    if not isinstance(q, dict):
                        continue
                    cq = chemin + ("questions", n)
                    if (q.get("format") == "echelle") != bool(q.get("echelle")):
                        quoi = ("une échelle nomme ses quatre points : ajoutez « echelle: [..., ..., ..., ...] »"
                                if q.get("format") == "echelle" else
                                "« echelle » ne va qu'avec « format: echelle »")
                        out.append(Probleme(fichier, doc.ligne(cq + ("format",)), format_chemin(cq + ("echelle",)), quoi))
                    m = _ID_CADRE.search(q.get("texte") or "")
                    if m:
                        out.append(Probleme(fichier, doc.ligne(cq + ("texte",)), format_chemin(cq + ("texte",)),
                                            f"la question cite « {m.group(0)} » : un participant ne connaît pas les "
                                            "identifiants du référentiel ; dites-le avec des mots"))
    return out
