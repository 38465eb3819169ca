"""A worst-case fiche at the size limit, next to an ordinary one: what it costs to build.

    .venv/bin/python benchmarks/pire_cas.py               # validation, rendering and build of each fiche
    .venv/bin/python benchmarks/pire_cas.py --sans-borne  # adds the worst text without the bound (capped)

Three fiches of about 200 KB (``fichiers.TAILLE_MAX_FICHE``) are written in a
temporary copy of the project, next to the shipped fiches: ordinary French
prose with the usual Markdown, and the most expensive Markdown that
``regles.probleme_cout`` still accepts (picked among dense candidates). For
each: ``referentiel valider``'s time, the time to render its texts through
``render.md_lent`` (caches cleared, median of 5), and ``mkdocs build`` with
the PDFs, as ``make build`` does. ``make bench`` runs the same measures
(``mesurer``). Never run by the tests.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from referentiel.lecture import fichiers, regles  # noqa: E402
from referentiel import render  # noqa: E402

BIN = Path(sys.executable).parent
TEXTE_LONG = regles.LONGUEUR_MAX_TEXTE
REPETITIONS = 5
PLAFOND_S = 60  # --sans-borne stops rendering after this long

# ---------------------------------------------------------------------------
# Texts

PHRASES = [
    "Chaque mercredi après-midi, l'atelier accueille une douzaine d'habitants du quartier, "
    "souvent retraités, qui viennent avec leurs questions.",
    "Les participants apprennent à se servir d'une tablette, à envoyer un courriel et à faire "
    "leurs démarches en ligne ; certains n'avaient jamais touché un ordinateur.",
    "L'animatrice les aide à **faire eux-mêmes** plutôt qu'à leur place : c'est le cœur de la démarche.",
    "Plusieurs personnes disent avoir repris confiance… « Maintenant, je n'ai plus peur de me tromper ! »",
    "Le bilan est publié sur le [site de l'association](https://www.exemple.org/bilan) "
    "et discuté avec les partenaires.",
    "Les *bénévoles* se relaient pour que personne n'attende trop longtemps ; le café est offert.",
    "Quelle suite donner au projet ??? La question reste ouverte, mais l'envie est là !!!",
]
LISTE = "- les démarches en ligne ;\n- le courriel et les photos ;\n- **la sécurité** des comptes."


def prose(i: int) -> str:
    """About TEXTE_LONG characters of ordinary French with some Markdown."""
    morceaux, k = [f"Texte {i}."], i
    while True:
        k += 1
        suivant = LISTE if k % 9 == 0 else "----" if k % 23 == 0 else \
            " ".join(PHRASES[(k + j) % len(PHRASES)] for j in range(3))
        if len("\n\n".join(morceaux + [suivant])) > TEXTE_LONG:
            return "\n\n".join(morceaux)
        morceaux.append(suivant)


def repete(motif: str, i: int) -> str:
    """``motif`` repeated to TEXTE_LONG characters, made unique by ``i``."""
    fin = f" {i}"
    n = TEXTE_LONG - len(fin)
    return motif * (n // len(motif)) + " " * (n % len(motif)) + fin


# Dense Markdown, each family at the bound's limits (the most expensive found
# by a search over about 75,000 patterns, and the families of every
# super-linear case: brackets, targets, separator lines, nesting, escapes).
# Lines long enough that a text holds at most MAX_LIGNES of them.
_L = TEXTE_LONG // regles.MAX_LIGNES + 1
CANDIDATS = [
    "> 1. " * (regles.MAX_MARQUEURS // 2) + "a\n",
    "- " * regles.MAX_MARQUEURS + "a\n\n",
    "- " * regles.MAX_MARQUEURS + "a" * (_L - 2 * regles.MAX_MARQUEURS - 1) + "\n",
    "> 1. " * (regles.MAX_MARQUEURS // 2) + "a" * (_L - 5 * (regles.MAX_MARQUEURS // 2) - 1) + "\n",
    "> " * regles.MAX_MARQUEURS + "a" * (_L - 2 * regles.MAX_MARQUEURS - 1) + "\n",
    "a" * (_L - 2) + "\n\n",
    "- a " + "*a* " * ((_L - 5) // 4) + "\n",
    "- " * regles.MAX_MARQUEURS + "a" * (TEXTE_LONG // (regles.MAX_MARQUEURS_TEXTE // regles.MAX_MARQUEURS)) + "\n",
    "- " + "a" * (_L - 3) + "\n",
    "> " + "a" * (_L - 3) + "\n",
    '\n\n>"\n\n- (',
    "a\n\n",
    ">**\\]`]`\\>*",
    "*_",
    "[" + "*a" * (regles.MAX_CROCHET // 2 - 1) + "]",
    "[a](http://a/" + "b" * (regles.MAX_CIBLE - 20) + ")",
    "\\[",
    "\\[a\\]`",
    "``a`",
    "`a",
    "*_",
    "a\n" + "*_" * (regles.MAX_MARQUES // 2 - 1) + "a" * 4000,  # every marker of a text in one word
    "[a](https://x.fr)",
    "a\n- \n",
    "[a](http://a",
]
PIRE_SANS_BORNE = "[\\]"  # each « [ » scans the rest of the text, escapes make it longer


def vider_caches() -> None:
    """Forget rendered texts: ``render`` memoises them."""
    for objet in vars(render).values():
        if callable(getattr(objet, "cache_clear", None)):
            objet.cache_clear()


def duree(texte: str) -> float:
    """Seconds to render ``texte`` (infinite if Markdown's recursion fails)."""
    vider_caches()
    debut = time.perf_counter()
    try:
        render.md_lent(texte)
    except RecursionError:
        return float("inf")
    return time.perf_counter() - debut


def plus_cher() -> str:
    acceptes = [m for m in CANDIDATS if regles.probleme_cout(repete(m, 0)) is None]
    return max(acceptes, key=lambda m: min(duree(repete(m, 0)) for _ in range(3)))


# ---------------------------------------------------------------------------
# Fiches


def ecrire_fiche(dossier: Path, ident: str, textes: list[str]) -> tuple[Path, list[str]]:
    """A fiche holding as many of ``textes`` as fit in TAILLE_MAX_FICHE (as
    findings and comments of indicators); its path and the texts it holds."""
    referentiel = yaml.safe_load((ROOT / "data" / "criteres.yaml").read_text(encoding="utf-8"))
    criteres = [c for d in referentiel["dimensions"] for c in d["criteres"]]
    fiche = {
        "id": ident, "titre": f"Fiche {ident}", "statut": "exemple",
        "acteur": {"nom": "Association du quartier", "type": "association"},
        "action": {"resume": "Un atelier numérique chaque mercredi pour les habitants du quartier."},
        "contributions": [],
    }
    places = [(c, None) for c in criteres] + [(c, i) for c in criteres for i in range(3)]
    precedent, tenus = "", []
    for texte, (critere, ind) in zip(textes, places):
        contribs = fiche["contributions"]
        if ind is None:
            contribs.append({"critere": critere["id"], "constats": texte, "indicateurs": [
                {"id": i["id"], "valeur": "12 participants"} for i in critere["indicateurs"]]})
        else:
            contrib = next(c for c in contribs if c["critere"] == critere["id"])
            contrib["indicateurs"][ind]["commentaire"] = texte
        contenu = yaml.safe_dump(fiche, allow_unicode=True, sort_keys=False, width=float("inf"))
        if len(contenu.encode("utf-8")) > fichiers.TAILLE_MAX_FICHE:
            break
        precedent = contenu
        tenus.append(texte)
    path = dossier / f"{ident}.yaml"
    path.write_text(precedent, encoding="utf-8")
    return path, tenus


def projet(tmp: Path, fiche: Path | None) -> Path:
    """A copy of the project: its sources, the shipped data, and ``fiche``."""
    dossier = tmp / (fiche.stem if fiche else "livrees")
    dossier.mkdir()
    for nom in ("mkdocs.yml", "macros.py"):
        shutil.copyfile(ROOT / nom, dossier / nom)
    for nom in ("docs", "overrides"):
        shutil.copytree(ROOT / nom, dossier / nom)
    shutil.copytree(ROOT / "data", dossier / "data", ignore=shutil.ignore_patterns("_*"))
    if fiche:
        shutil.copyfile(fiche, dossier / "data" / "fiches" / fiche.name)
    return dossier


def chrono(cmd: list[str], cwd: Path) -> float:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", REFERENTIEL_PDF="1", SOURCE_DATE_EPOCH="1764115200")
    env.pop("CI", None)
    debut = time.perf_counter()
    sortie = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if sortie.returncode != 0:
        raise SystemExit(f"échec de {' '.join(cmd)} :\n{(sortie.stdout + sortie.stderr)[-3000:]}")
    return time.perf_counter() - debut


def secondes(s: float) -> str:
    texte = f"{s * 1000:.0f} ms" if s < 1 else f"{s:.1f} s"
    return texte.replace(".", ",")


def mesurer(construire: bool = True, sans_borne: bool = False) -> list[tuple[str, str, int, str, str, str]]:
    """(fiche, size, texts, validation, rendering, build) for each fiche."""
    motif = plus_cher()
    if duree(repete(motif, 0)) == float("inf"):
        raise SystemExit(f"La borne accepte {motif!r} répété, que Markdown ne sait pas rendre (RecursionError).")
    lignes = []
    with tempfile.TemporaryDirectory(prefix="pire-cas-") as tmp_:
        tmp = Path(tmp_)
        (tmp / "fiches").mkdir()
        fiches = {
            "ordinaire": ("fiche ordinaire à la taille limite (prose française, Markdown courant)",
                          ecrire_fiche(tmp / "fiches", "ordinaire", [prose(i) for i in range(90)])),
            "pire-cas": (f"pire fiche acceptée ({motif!r} répété)",
                         ecrire_fiche(tmp / "fiches", "pire-cas", [repete(motif, i) for i in range(90)])),
        }
        temoin = (None, [])
        for ident, (libelle, (chemin, textes)) in [("livrees", ("fiches livrées seules", temoin))] + list(
                fiches.items()):
            dossier = projet(tmp, chemin)
            valider = chrono([str(BIN / "referentiel"), "valider"], dossier)
            rendu = statistics.median(sum(duree(t) for t in textes) for _ in range(REPETITIONS)) if textes else 0
            construction = secondes(chrono([str(BIN / "mkdocs"), "build", "--strict", "--site-dir",
                                            str(dossier / "site")], dossier)) if construire else "—"
            taille = f"{chemin.stat().st_size / 1024:.1f} Ko".replace(".", ",") if chemin else "—"
            lignes.append((libelle, taille, len(textes), secondes(valider),
                           secondes(rendu) if textes else "—", construction))
        if sans_borne:
            # Not a valid fiche (the validator refuses it): only its texts are rendered, capped.
            textes = [repete(PIRE_SANS_BORNE, i) for i in range(len(fiches["pire-cas"][1][1]))]
            total, fait = 0.0, 0
            for t in textes:
                if fait and total / fait * (fait + 1) > PLAFOND_S:
                    break
                total += duree(t)
                fait += 1
            estime = total / fait * len(textes)
            rendu = secondes(total) if fait == len(textes) else \
                f"≥ {secondes(total)} ({fait} textes sur {len(textes)} ; ~{secondes(estime)} pour tous)"
            lignes.append((f"les mêmes textes sans la borne ({PIRE_SANS_BORNE!r} répété), refusés par le "
                           "validateur", "—", len(textes), "—", rendu, "—"))
    return lignes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sans-borne", action="store_true",
                        help=f"ajoute les textes du pire cas sans la borne (rendu arrêté après ~{PLAFOND_S} s)")
    parser.add_argument("--sans-construction", action="store_true", help="ne pas lancer mkdocs build")
    args = parser.parse_args()
    lignes = mesurer(not args.sans_construction, args.sans_borne)
    print(f"Borne (regles.probleme_cout), par texte Markdown : « [ » fermé dans ses {regles.MAX_CROCHET} "
          f"caractères, adresse ≤ {regles.MAX_CIBLE} caractères, ≤ {regles.MAX_MARQUEURS} marqueurs en début "
          f"de ligne et {regles.MAX_MARQUEURS_TEXTE} en tout, ≤ {regles.MAX_LIGNES} lignes, "
          f"≤ {regles.MAX_MARQUES} marques de mise en forme, ≤ {regles.MAX_LIGNES_SPECIALES} lignes de séparation.\n")
    print("| Fiche | Taille | Textes | `referentiel valider` | Rendu des textes | Construction (site et PDF) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for ligne in lignes:
        print("| " + " | ".join(map(str, ligne)) + " |")
    texte = "- " * ((1000 - 1) // 2) + "a"  # fits in a 1000-character résumé
    issue = "RecursionError : le site ne se construit pas" if duree(texte) == float("inf") else "rendu sans erreur"
    print(f"\nSans la borne, un résumé de {len(texte)} caractères « - - - … a » : {issue} "
          f"(la borne le refuse : {'oui' if regles.probleme_cout(texte) else 'non'}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
