"""Command line: ``referentiel valider [CHEMIN...]``, ``referentiel nouvelle-fiche``,
``referentiel importer [FICHIER|-]``, ``referentiel version nouvelle X.Y``."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .lecture.fichiers import fichiers_fiches, nom_affiche, refus_lien
from .lecture.chargement import Resultat, charger
from .modele import TYPES_ACTEUR
from .importer import ENTREE_STANDARD, decoder, importer
from .lecture.reception import ReceptionErreur
from .nouvelle_fiche import Abandon, Reponses, creer, demander_terminal
from .nouvelle_version import nouvelle_version
from .modele.versions import A_COMPLETER
from .lecture.problems import Probleme
from .lecture.regles import ligne_sure
from .render import pluriel


class _Parser(argparse.ArgumentParser):
    """argparse speaking French for its own messages."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "arguments"
        self._optionals.title = "options"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                          help="afficher cette aide et quitter")

    def format_usage(self) -> str:
        return super().format_usage().replace("usage:", "Utilisation :", 1)

    def format_help(self) -> str:
        return super().format_help().replace("usage:", "Utilisation :", 1)

    def _print_message(self, message: str, file=None) -> None:
        # argparse quotes the arguments it was given: print them inert.
        if message:
            (file or sys.stderr).write("\n".join(map(ligne_sure, message.split("\n"))))

    def error(self, message: str):  # type: ignore[override]
        message = (message.replace("the following arguments are required", "arguments obligatoires manquants")
                   .replace("unrecognized arguments", "arguments inconnus")
                   .replace("invalid choice", "choix invalide")
                   .replace("argument command: ", "")
                   .replace("(choose from", "(choisissez parmi"))
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog} : erreur : {message}\n")

    def exit(self, status: int = 0, message: str | None = None):  # type: ignore[override]
        if message:
            self._print_message(message, sys.stderr)
        sys.exit(status)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="referentiel",
        description="Outils du référentiel de l'utilité sociale de la médiation numérique.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMANDE", parser_class=_Parser)
    sub.required = True
    valider = sub.add_parser(
        "valider",
        help="vérifier les données (critères et fiches)",
        description="Vérifie data/criteres.yaml et les fiches, et signale chaque problème "
                    "avec son fichier, sa ligne et le champ concerné.",
    )
    valider.add_argument("chemins", nargs="*", metavar="CHEMIN",
                         help="dossier de données (par défaut : data/) ou fichiers de fiches")
    valider.add_argument("--criteres", metavar="FICHIER", type=Path,
                         help="fichier du référentiel à utiliser pour vérifier les fiches "
                              "(par défaut : criteres.yaml du dossier de données)")
    valider.add_argument("--github", action="store_true",
                         help="ajouter des annotations GitHub Actions (automatique si CI=true)")
    nouvelle = sub.add_parser(
        "nouvelle-fiche",
        help="créer une fiche en répondant à des questions",
        description="Pose les questions d'une fiche (identité, action, critères, indicateurs) et écrit "
                    "data/fiches/<identifiant>.yaml, commentée et valide. Chaque réponse peut aussi être "
                    "donnée en option ; hors d'un terminal, les options sont obligatoires.",
    )
    nouvelle.add_argument("--id", help="identifiant de la fiche (nom du fichier), par exemple atelier-bellevue")
    nouvelle.add_argument("--titre", help="titre de l'action")
    nouvelle.add_argument("--acteur", metavar="NOM", help="nom de la structure")
    nouvelle.add_argument("--type", metavar="TYPE", help="type de structure : " + ", ".join(TYPES_ACTEUR))
    nouvelle.add_argument("--ville", help="commune (facultatif)")
    nouvelle.add_argument("--resume", help="résumé de l'action")
    nouvelle.add_argument("--critere", action="append", default=[], metavar="ID",
                          help="critère servi par l'action, par exemple VE2 (option répétable)")
    nouvelle.add_argument("--indicateur", action="append", default=[], metavar="ID",
                          help="indicateur renseigné, par exemple VE2.1 (option répétable)")
    nouvelle.add_argument("--constats", action="append", default=[], metavar="CRITERE=TEXTE",
                          help="ce qui a été constaté pour un critère, par exemple VE2=\"...\" (répétable)")
    nouvelle.add_argument("--valeur", action="append", default=[], metavar="INDICATEUR=TEXTE",
                          help="valeur observée d'un indicateur, par exemple VE2.1=\"14 participants\" (répétable)")
    nouvelle.add_argument("--dossier", type=Path, default=Path("data"),
                          help="dossier de données (par défaut : data/)")
    nouvelle.add_argument("--interactif", action="store_true",
                          help="poser les questions manquantes même hors d'un terminal (lecture sur l'entrée standard)")
    recue = sub.add_parser(
        "importer",
        help="enregistrer une fiche reçue (fichier du formulaire ou texte d'un courriel)",
        description="Lit une fiche reçue : le fichier téléchargé depuis le formulaire « Proposer une fiche », "
                    "ou le texte d'un courriel envoyé par le formulaire (collé, même cité avec « > » ou "
                    "recoupé par une messagerie, ou le message enregistré en .eml). Si la fiche est valide "
                    "et que son identifiant est libre, l'écrit dans data/fiches/<identifiant>.yaml ; sinon, "
                    "affiche les mêmes problèmes que « referentiel valider ».",
    )
    recue.add_argument("fichier", nargs="?", default="-", metavar="FICHIER|-",
                       help="fichier reçu ; « - » ou rien : le texte collé sur l'entrée standard")
    recue.add_argument("--remplacer", action="store_true",
                       help="remplacer la fiche de même identifiant (une mise à jour envoyée par le formulaire)")
    recue.add_argument("--dossier", type=Path, default=Path("data"),
                       help="dossier de données (par défaut : data/)")
    version = sub.add_parser(
        "version",
        help="publier les changements du référentiel dans une nouvelle version",
        description="Les versions du référentiel (data/versions/) : un identifiant publié ne disparaît "
                    "jamais, et chaque changement figure dans le journal des versions.",
    )
    actions = version.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    actions.required = True
    publier = actions.add_parser(
        "nouvelle",
        help="publier data/criteres.yaml dans une nouvelle version",
        description="Compare data/criteres.yaml à la dernière version publiée, refuse un identifiant "
                    "perdu ou réutilisé, puis écrit l'instantané data/versions/X.Y.yaml, met à jour la "
                    "version de data/criteres.yaml et prépare l'entrée du journal "
                    "(data/versions/changements.yaml) : écrivez-y le résumé et les raisons.",
    )
    publier.add_argument("numero", metavar="X.Y", help="numéro de la nouvelle version, par exemple 1.1")
    publier.add_argument("--date", metavar="AAAA-MM-JJ",
                         help="date de publication (par défaut : aujourd'hui, ou SOURCE_DATE_EPOCH)")
    publier.add_argument("--dossier", type=Path, default=Path("data"),
                         help="dossier de données (par défaut : data/)")
    return parser


def publier_version(args: argparse.Namespace) -> int:
    pub = nouvelle_version(args.dossier, args.numero, args.date)
    if pub.problemes:
        for p in pub.problemes:
            print(p)
        print(f"Version {ligne_sure(args.numero)} non publiée : {pluriel(len(pub.problemes), 'problème')} "
              "à corriger d'abord.", file=sys.stderr)
        return 1
    compte = {n: sum(1 for e in pub.ecarts if e.nature == n) for n in ("ajout", "modification", "retrait")}
    resume = ", ".join(pluriel(v, k) for k, v in compte.items() if v) or "premier instantané"
    print(ligne_sure(f"Version {args.numero} préparée ({resume}) : "
                     + ", ".join(nom_affiche(f) for f in pub.fichiers) + "."))
    print(ligne_sure(f"Écrivez le résumé et chaque raison marqués « {A_COMPLETER} » dans "
                     f"{nom_affiche(pub.fichiers[-1])}, puis lancez « referentiel valider »."))
    return 0


def importer_fiche(args: argparse.Namespace) -> int:
    if args.fichier == "-":
        nom = ENTREE_STANDARD
        if sys.stdin.isatty():
            print("Collez le texte du courriel (ou de la fiche), puis appuyez sur Ctrl+D "
                  "(Ctrl+Z puis Entrée sous Windows).", file=sys.stderr)
        brut = sys.stdin.buffer.read()
    else:
        chemin = Path(args.fichier)
        nom = nom_affiche(chemin)
        try:
            brut = chemin.read_bytes()
        except FileNotFoundError:
            print(Probleme(nom, 1, "", "fichier introuvable"))
            return 1
        except OSError as exc:
            print(Probleme(nom, 1, "", f"fichier illisible ({exc.strerror or exc})"))
            return 1
    try:
        texte = decoder(brut, nom)
    except ReceptionErreur as exc:
        print(ligne_sure(f"Fiche non importée : {exc}"), file=sys.stderr)
        return 1
    resultat = importer(texte, nom, args.dossier, remplacer=args.remplacer)
    if resultat.problemes:
        for p in resultat.problemes:
            print(p)
        print(f"Fiche non importée : {pluriel(len(resultat.problemes), 'problème')}. Corrigez le texte reçu "
              "(ou demandez à la structure de corriger sa fiche dans le formulaire), puis relancez "
              "« referentiel importer ».", file=sys.stderr)
        return 1
    assert resultat.chemin is not None
    if resultat.remplacee:
        print(ligne_sure(f"Fiche mise à jour : {nom_affiche(resultat.chemin)} (valide). Relisez les changements "
                         "(git diff), puis proposez-les par une pull request."))
    else:
        print(ligne_sure(f"Fiche importée : {nom_affiche(resultat.chemin)} (valide). Relisez-la, puis "
                         "proposez-la par une pull request."))
    return 0


def _paires(valeurs: list[str], option: str) -> dict[str, str]:
    out = {}
    for brut in valeurs:
        cle, sep, texte = brut.partition("=")
        if not sep or not cle.strip() or not texte.strip():
            raise Abandon(f"{option} attend CLE=TEXTE, par exemple {option} VE2.1=\"14 participants\" ; reçu « {brut} »")
        out[cle.strip().upper()] = texte.strip()
    return out


def nouvelle_fiche(args: argparse.Namespace) -> int:
    try:
        reponses = Reponses(
            id=args.id, titre=args.titre, acteur_nom=args.acteur, acteur_type=args.type, ville=args.ville,
            resume=args.resume, criteres=[c.strip().upper() for c in args.critere],
            indicateurs=[i.strip().upper() for i in args.indicateur],
            constats=_paires(args.constats, "--constats"), valeurs=_paires(args.valeur, "--valeur"),
        )
        demander = input if args.interactif else demander_terminal()
        chemin = creer(reponses, args.dossier, demander)
    except Abandon as exc:
        for ligne in f"Fiche non créée : {exc}".split("\n"):
            print(ligne_sure(ligne), file=sys.stderr)
        return 1
    except EOFError:
        print("Fiche non créée : réponses interrompues.", file=sys.stderr)
        return 1
    print(ligne_sure(f"Fiche créée : {nom_affiche(chemin)} (valide). Relisez-la, complétez-la si besoin, "
                     "puis proposez-la par une pull request."))
    return 0


def _resoudre_chemins(chemins: list[str], criteres: Path | None) -> tuple[Path, Path | None, list[Path] | None, list[Probleme]]:
    """Turn the command-line paths into (data folder, criteres file, fiches)."""
    if not chemins:
        return Path("data"), criteres, None, []
    dossier: Path | None = None
    fiches: list[Path] = []
    problemes: list[Probleme] = []
    for brut in chemins:
        path = Path(brut)
        refus = refus_lien(path)
        if refus:
            problemes.append(Probleme(nom_affiche(path), 1, "", refus))
        elif path.is_dir():
            if (path / "criteres.yaml").is_file():
                dossier = path
                trouvees, probs = fichiers_fiches(path / "fiches")
            else:
                trouvees, probs = fichiers_fiches(path)
                dossier = dossier or path.parent
            fiches += trouvees
            problemes += probs
        elif path.is_file():
            if path.name == "criteres.yaml":
                criteres = criteres or path
                dossier = dossier or path.parent
            else:
                fiches.append(path)
                dossier = dossier or path.parent.parent
        else:
            problemes.append(Probleme(nom_affiche(path), 1, "", "fichier ou dossier introuvable"))
    dossier = dossier or Path("data")
    if criteres is None and not (dossier / "criteres.yaml").is_file():
        criteres = Path("data") / "criteres.yaml"
    # The same file named twice is read once (links are not followed).
    uniques = list(dict.fromkeys(Path(os.path.abspath(p)) for p in fiches))
    return dossier, criteres, uniques, problemes


def valider(args: argparse.Namespace) -> int:
    dossier, criteres, fiches, problemes = _resoudre_chemins(args.chemins, args.criteres)
    resultat: Resultat = charger(dossier, criteres=criteres, fiches=fiches, modele=False)
    problemes = problemes + resultat.problemes
    github = args.github or os.environ.get("CI", "").lower() == "true"
    for a in resultat.avertissements:
        print(f"Avertissement : {a}")
    if problemes:
        for p in problemes:
            print(p)
        if github:
            for p in problemes:
                print(p.annotation_github())
        nb_fichiers = len({p.fichier for p in problemes})
        print(f"{pluriel(len(problemes), 'problème')} dans {pluriel(nb_fichiers, 'fichier')} : "
              "corrigez-les puis relancez « referentiel valider ».", file=sys.stderr)
        return 1
    ref = resultat.referentiel
    assert ref is not None
    def compte(elements, mot: str, retire: str) -> str:
        elements = list(elements)
        retires = sum(1 for e in elements if e.retire)
        return f"{len(elements)} {mot}" + (f" (dont {retires} {retire}{'s' if retires > 1 else ''})" if retires else "")

    nb_fiches = resultat.nb_fiches
    print(f"Données valides : {compte(ref.dimensions, 'dimensions', 'retirée')}, "
          f"{compte(ref.criteres.values(), 'critères', 'retiré')}, "
          f"{compte(ref.indicateurs.values(), 'indicateurs', 'retiré')}, {pluriel(nb_fiches, 'fiche')}.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "valider":
            return valider(args)
        if args.command == "nouvelle-fiche":
            return nouvelle_fiche(args)
        if args.command == "importer":
            return importer_fiche(args)
        if args.command == "version":
            return publier_version(args)
    except KeyboardInterrupt:
        print("Interrompu.", file=sys.stderr)
        return 130
    parser.error(f"commande inconnue : {args.command}")
    return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
