"""``make bench``: speed, size and memory against the targets of the project.

    .venv/bin/python benchmarks/bench.py            # everything (about 30 min on 2 cores)
    .venv/bin/python benchmarks/bench.py --rapide   # smaller sizes, one run each (a few minutes)

Generates realistic synthetic fiches (``synthese.py``) into temporary copies
of the project and measures, with medians of several runs:

* ``referentiel valider`` on 10,000 fiches;
* the site build (without PDFs) on 200 and 2,000 fiches and, side by side, a
  plain MkDocs Material build of the same pages (their final Markdown written
  as static files, the same nav, the same theme and extensions, search as the
  only plugin): the engine's floor;
* the size of the built site per fiche and the peak memory of the build;
* the report PDF at 200 fiches (seconds per page) and the per-fiche PDFs;
* a full ``make build`` (site and PDFs) at 100 fiches, with an empty PDF
  cache and after editing one fiche (section « construction »);
* the time from saving a fiche to the refreshed page in ``make apercu`` (and
  in plain ``make serve``) at 2,000 fiches;
* what a reader downloads at 2,000 fiches, in Chromium at 375 px: a first
  visit of a fiche page, then a search, with the site's search (Pagefind)
  beside Material's search loaded on demand, as is and tuned
  (``poids_recherche.py``; section « recherche », alone:
  ``bench.py --seulement recherche``, about 20 minutes).

Writes ``benchmarks/RESULTS.md`` and the summary between the markers of the
README (the search has its own table and markers: a run of that section alone
replaces only them). Never run by the tests.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthese import generer  # noqa: E402
import poids_recherche  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1", REFERENTIEL_PDF="0", SOURCE_DATE_EPOCH="1764115200")


# --------------------------------------------------------------------------
# Running and measuring


@dataclass
class Mesure:
    secondes: float
    memoire_mo: float  # peak resident memory of the process (its own, not its workers')
    sortie: str = ""  # what the command printed


def lancer(cmd: list[str], cwd: Path, env: dict | None = None) -> Mesure:
    """Run a command; its wall time and peak memory (``wait4``)."""
    debut = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env or ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    sortie = proc.stdout.read() if proc.stdout else b""
    _, statut, usage = os.wait4(proc.pid, 0)
    duree = time.perf_counter() - debut
    proc.returncode = os.waitstatus_to_exitcode(statut)
    if proc.returncode != 0:
        raise SystemExit(f"échec de {' '.join(cmd)} :\n{sortie.decode(errors='replace')[-3000:]}")
    return Mesure(duree, usage.ru_maxrss / 1024, sortie.decode(errors="replace"))


def mediane(mesures: list[Mesure]) -> Mesure:
    return Mesure(statistics.median(m.secondes for m in mesures), max(m.memoire_mo for m in mesures))


def taille(dossier: Path) -> int:
    return sum(p.stat().st_size for p in dossier.rglob("*") if p.is_file())


def projet(n: int) -> Path:
    """A temporary copy of the project with ``n`` fiches (the shipped ones, the rest synthetic)."""
    tmp = Path(tempfile.mkdtemp(prefix=f"bench-{n}-"))
    for nom in ("mkdocs.yml", "macros.py"):
        shutil.copyfile(ROOT / nom, tmp / nom)
    for nom in ("docs", "overrides"):
        shutil.copytree(ROOT / nom, tmp / nom)
    # The shipped fiches (the chapters link to them) and synthetic ones: n in all.
    shutil.copytree(ROOT / "data", tmp / "data", ignore=shutil.ignore_patterns("_*"))
    livrees = len(list((tmp / "data" / "fiches").glob("*.yaml")))
    generer(tmp / "data", n - livrees)
    return tmp


# --------------------------------------------------------------------------
# The plain MkDocs build of the same pages


def projet_mkdocs_seul(tmp: Path) -> Path:
    """Capture our final Markdown and nav, and write them as a plain MkDocs project."""
    from mkdocs.utils.yaml import yaml_load

    capture = tmp / "capture"
    shutil.copyfile(Path(__file__).with_name("capture_hook.py"), tmp / "capture_hook.py")
    (tmp / "mkdocs.capture.yml").write_text("INHERIT: mkdocs.yml\nhooks: [capture_hook.py]\n", encoding="utf-8")
    lancer([str(BIN / "mkdocs"), "build", "-f", "mkdocs.capture.yml", "--site-dir", str(tmp / "site-capture")],
           tmp, dict(ENV, BENCH_CAPTURE=str(capture)))
    seul = tmp / "mkdocs-seul"
    shutil.copytree(tmp / "docs", seul / "docs", ignore=shutil.ignore_patterns("*.md"))
    shutil.copytree(tmp / "docs" / "includes", seul / "docs" / "includes", dirs_exist_ok=True)
    shutil.copytree(capture / "docs", seul / "docs", dirs_exist_ok=True)
    shutil.copytree(tmp / "overrides", seul / "overrides")
    with open(tmp / "mkdocs.yml", encoding="utf-8") as fh:
        config = yaml_load(fh)
    # Material's own search, as a hand-written Material site has it (the site
    # itself writes a Pagefind index instead: measured in its build time).
    config["plugins"] = {"search": {"lang": "fr"}}
    config["nav"] = json.loads((capture / "nav.json").read_text(encoding="utf-8"))
    config["not_in_nav"] = "/fiches/\n/indicateurs/\n"
    config.pop("strict", None)
    import yaml
    (seul / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
                                     encoding="utf-8")
    return seul


# --------------------------------------------------------------------------
# Preview: time from saving a fiche to the refreshed page


def port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def lire_url(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:  # noqa: S310 - 127.0.0.1 only
            return r.read().decode("utf-8", errors="replace")
    except OSError:
        return None


def attendre(url: str, texte: str, limite: float) -> float | None:
    """Seconds until ``url`` contains ``texte``, or None after ``limite``."""
    debut = time.perf_counter()
    while time.perf_counter() - debut < limite:
        page = lire_url(url)
        if page is not None and texte in page:
            return time.perf_counter() - debut
        time.sleep(0.05)
    return None


def modifier(texte: str, quoi: str, marque: str) -> str:
    """A contributor's edit: the title (shown in the tables of all fiches too) or a finding."""
    if quoi == "titre":  # the title may run over several lines: replace all of them
        return re.sub(r"(?m)^titre: .*\n(?:[ ]+.*\n)*", f"titre: '{marque}'\n", texte, count=1)
    return re.sub(r"(?m)^(  constats: ).*\n(?:[ ]{4,}.*\n)*", rf"\g<1>'{marque}'\n", texte, count=1)


def rafraichissement(tmp: Path, cible: list[str], editions: int, limite: float,
                     env: dict, quoi: tuple[str, ...] = ("titre",)) -> tuple[dict[str, float | None], float]:
    """Median seconds from saving a fiche to its page showing the change, per kind of
    edit; and the first build."""
    port = port_libre()
    proc = subprocess.Popen(cible + ["--dev-addr", f"127.0.0.1:{port}"], cwd=tmp, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        debut = time.perf_counter()
        url = f"http://127.0.0.1:{port}/fiches/fiche-00007/"
        if attendre(url, "fiche-00007", 900) is None:
            raise SystemExit("le serveur d'aperçu n'a pas répondu")
        premiere = time.perf_counter() - debut
        time.sleep(2)
        chemin = tmp / "data" / "fiches" / "fiche-00007.yaml"
        texte = chemin.read_text(encoding="utf-8")
        resultats: dict[str, float | None] = {}
        for genre in quoi:
            temps = []
            for k in range(editions):
                marque = f"Relecture {k} du {time.time_ns()}"
                chemin.write_text(modifier(texte, genre, marque), encoding="utf-8")
                t = attendre(url, marque, limite)
                if t is None:
                    break
                temps.append(t)
                time.sleep(1.5)
            resultats[genre] = statistics.median(temps) if len(temps) == editions else None
        return resultats, premiere
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


# --------------------------------------------------------------------------
# PDFs


def mesurer_pdf(n: int) -> dict[str, float]:
    from pypdf import PdfReader

    from referentiel.lecture import charger
    from referentiel.pages.evaluation import criteres_proposes
    from referentiel.pages.recueil import feuille
    from referentiel.sorties.pdf import CSS_FICHE_SEULE, CSS_KIT, ecrire_pdf, ecrire_tous, html_fiche, html_kit, html_rapport

    tmp = Path(tempfile.mkdtemp(prefix=f"bench-pdf-{n}-"))
    try:
        ecrire_pdf("<p>chauffe</p>", tmp / "chauffe.pdf")  # imports, fonts
        shutil.copyfile(ROOT / "data" / "criteres.yaml", tmp / "criteres.yaml")
        generer(tmp, n)
        ref = charger(tmp).referentiel
        t = time.perf_counter()
        octets = ecrire_pdf(html_rapport(ref, [], "2026-11-26"), tmp / "rapport.pdf")
        duree = time.perf_counter() - t
        pages = len(PdfReader(tmp / "rapport.pdf").pages)
        t = time.perf_counter()
        ecrire_tous([(html_fiche(ref, f, "2026-11-26"), tmp / "fiches" / f"{f.id}.pdf", CSS_FICHE_SEULE)
                     for f in ref.fiches])
        tous = time.perf_counter() - t
        # Each criterion's collection kit (the same whatever the number of fiches).
        criteres = criteres_proposes(ref)
        t = time.perf_counter()
        ecrire_tous([(html_kit(ref, c, "2026-11-26"), tmp / "kits" / f"{c.slug}.pdf", feuille(CSS_KIT))
                     for c in criteres])
        kits = time.perf_counter() - t
        return {"pages": pages, "octets": octets, "rapport_s": duree, "par_page_s": duree / pages,
                "fiches_s": tous, "par_fiche_s": tous / n, "kits": len(criteres), "kits_s": kits}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def mesurer_construction(n: int, repetitions: int) -> dict:
    """A full build as ``make build`` runs it (``mkdocs build --strict``, PDFs and
    search index included) at ``n`` fiches: with an empty PDF cache, then after
    a contributor edited one fiche (the cache holds the previous build's PDFs).
    Cold and warm builds alternate: both see the same machine load."""
    from pypdf import PdfReader

    tmp = projet(n)
    env = dict(ENV, REFERENTIEL_PDF="1")
    env.pop("REFERENTIEL_CACHE_PDF", None)  # the cache of mkdocs.yml: tmp/.cache/pdf
    commande = [str(BIN / "mkdocs"), "build", "--strict", "--site-dir", str(tmp / "site")]
    chemin = tmp / "data" / "fiches" / "fiche-00007.yaml"
    texte = chemin.read_text(encoding="utf-8")
    froides, chaudes, charges = [], [], []
    try:
        for k in range(repetitions):
            charges.append(os.getloadavg()[0])
            shutil.rmtree(tmp / ".cache" / "pdf", ignore_errors=True)
            froides.append(lancer(commande, tmp, env))
            chemin.write_text(modifier(texte, "constat", f"Relecture {k} du {time.time_ns()}"), encoding="utf-8")
            chaudes.append(lancer(commande, tmp, env))
        pages = len(PdfReader(tmp / "site" / "telechargements"
                              / "rapport-referentiel-utilite-sociale-mediation-numerique.pdf").pages)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    bilan = re.findall(r"PDF : ([^\n]*(?:repris du cache|composés?)[^\n]*)", chaudes[-1].sortie)
    return {"froide": mediane(froides).secondes, "chaude": mediane(chaudes).secondes, "pages": pages,
            "bilan": bilan[-1] if bilan else "", "charge": max(charges)}


# --------------------------------------------------------------------------
# Search: what a reader downloads (poids_recherche.py)


def _ko(octets: float) -> str:
    return f"{nombre(octets / 1024, 0)} Ko" if octets < 1024 * 1024 else f"{nombre(octets / 1024 / 1024, 1)} Mo"


def mesurer_recherche(n: int, res: Resultats, rapide: bool) -> None:
    """The site's search (Pagefind) beside Material's, on demand, as is and tuned, on the same pages."""
    pr = poids_recherche
    tmp = projet(n)
    try:
        # The site as it is: its build prints the index's size and time.
        sortie = subprocess.run([str(BIN / "mkdocs"), "build", "--strict", "--site-dir", str(tmp / "site-pagefind")],
                                cwd=tmp, env=ENV, capture_output=True, text=True)
        if sortie.returncode != 0:
            raise SystemExit(f"échec de la construction :\n{sortie.stderr[-3000:]}")
        index = re.search(r"Recherche : (\d+) pages indexées \(([^)]+)\) en ([\d.]+) s", sortie.stderr)
        # The same pages with Material's search (its plugin, as the site had it).
        (tmp / "mkdocs.material.yml").write_text(
            "INHERIT: mkdocs.yml\nplugins:\n  search:\n    lang: fr\n  referentiel:\n    recherche: false\n",
            encoding="utf-8")
        lancer([str(BIN / "mkdocs"), "build", "-f", "mkdocs.material.yml", "--site-dir", str(tmp / "site-material")], tmp)
        for nom in ("site-avant", "site-material-reduit"):
            shutil.copytree(tmp / "site-material", tmp / nom)
        pr.a_la_demande(tmp / "site-material")
        pr.a_la_demande(tmp / "site-material-reduit")
        pr.reduire_index(tmp / "site-material-reduit")
        taille_index = {nom: (tmp / nom / "search" / "search_index.json").stat().st_size
                        for nom in ("site-material", "site-material-reduit")}
        gz_index = {nom: pr.octets(tmp / nom / "search" / "search_index.json") for nom in taille_index}

        requetes = pr.REQUETES[:4] if rapide else pr.REQUETES
        pagefind = pr.Conception("pagefind", tmp / "site-pagefind", pr.ATTENTE_PAGEFIND, pr.PREMIERS_PAGEFIND)
        material = pr.Conception("material", tmp / "site-material", pr.ATTENTE_MATERIAL, pr.ATTENTE_MATERIAL)
        reduit = pr.Conception("material-reduit", tmp / "site-material-reduit", pr.ATTENTE_MATERIAL,
                               pr.ATTENTE_MATERIAL)
        avant = pr.Conception("avant", tmp / "site-avant", pr.ATTENTE_MATERIAL, pr.ATTENTE_MATERIAL)
        print(f"  mesures dans Chromium, {len(requetes)} requêtes", flush=True)
        # Side by side, query after query. Material's bytes do not depend on the
        # query (the whole index): three queries for it, as is and on demand.
        pr.mesurer_tout([pagefind, reduit, material, avant], requetes[:3], (pr.FRAPPE,))
        pr.mesurer_tout([pagefind, reduit], requetes[3:], (pr.FRAPPE,))
        pr.mesurer_tout([pagefind], requetes, (pr.LETTRE_A_LETTRE,))
        brut, gz = pr.amorce(pagefind.site)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    grand = not rapide
    a, r, m, av = (pr.resume(c) for c in (pagefind, reduit, material, avant))
    lettre = pr.resume(pagefind, pr.LETTRE_A_LETTRE)
    res.recherche_entete = [
        f"Mesuré le {time.strftime('%Y-%m-%d')} à {nombre(n, 0)} fiches (`benchmarks/poids_recherche.py`) : "
        f"Chromium, fenêtre de {pr.LARGEUR['width']} px, contexte neuf à chaque visite (rien en cache), la "
        f"page d'une fiche (`{pr.PAGE}`) puis une requête tapée dans la boîte de recherche ({pr.FRAPPE} ms "
        f"entre deux touches, sauf « lettre à lettre » : {pr.LETTRE_A_LETTRE} ms). Octets comptés par le "
        "serveur, fichier par fichier, compressés par gzip -6 comme les enverrait un serveur web (les "
        f"fichiers de Pagefind le sont déjà) ; médianes sur {len(requetes)} requêtes "
        f"({', '.join('« ' + q + ' »' for q in requetes)}), Material sur les 3 premières (ses octets ne "
        "dépendent pas de la requête). Délais : de la dernière touche aux résultats affichés.",
    ]
    ajout = functools.partial(res.ajouter, recherche=True)
    if index:
        ajout(f"Index Pagefind, {n} fiches : écrit après la construction",
              f"{index.group(1)} pages, {index.group(2)}, {nombre(float(index.group(3)))} s")
    ajout("Pagefind : première visite d'une fiche à 375 px, tout compris", _ko(a["visite"]),
          "≤ 200 Ko" if grand else "", a["visite"] <= 200 * 1024 if grand else None)
    ajout("Pagefind : fichiers de la recherche téléchargés avant usage", f"{nombre(a['avant_usage'], 0)} o",
          "0", a["avant_usage"] == 0)
    ajout("Pagefind : amorce en ligne de la boîte (dans chaque page)", f"{nombre(brut, 0)} o, {nombre(gz, 0)} o gzip")
    ajout("Pagefind : une recherche (médiane ; la plus lourde)", f"{_ko(a['recherche'])} ; {_ko(a['recherche_max'])}",
          "≤ 200 Ko" if grand else "", a["recherche_max"] <= 200 * 1024 if grand else None)
    ajout(f"Pagefind : une recherche tapée lettre à lettre ({pr.LETTRE_A_LETTRE} ms par touche)",
          f"{_ko(lettre['recherche'])} ; {_ko(lettre['recherche_max'])}")
    ajout("Pagefind : délai des premiers résultats (médiane ; le plus long)",
          f"{nombre(a['secondes'], 2)} s ; {nombre(a['secondes_max'], 2)} s")
    ajout("Material, index réduit, à la demande : index (brut ; gzip)",
          f"{_ko(taille_index['site-material-reduit'])} ; {_ko(gz_index['site-material-reduit'])}")
    ajout("Material, index réduit, à la demande : première visite ; une recherche",
          f"{_ko(r['visite'])} ; {_ko(r['recherche'])}")
    ajout("Material, index réduit, à la demande : délai des résultats (médiane)", f"{nombre(r['secondes'], 2)} s")
    ajout("Material, index complet, à la demande : index (brut ; gzip)",
          f"{_ko(taille_index['site-material'])} ; {_ko(gz_index['site-material'])}")
    ajout("Material, index complet, à la demande : première visite ; une recherche",
          f"{_ko(m['visite'])} ; {_ko(m['recherche'])}")
    ajout("Material, index complet, à la demande : délai des résultats (médiane)", f"{nombre(m['secondes'], 2)} s")
    ajout("Material tel que le site l'avait : première visite (l'index compris)", _ko(av["visite"]))
    ordre = [q for q in requetes[:3]] + [q for q in requetes[3:]]
    bons = {c.nom: pr.en_tete(c, ordre if c.nom in ("pagefind", "material-reduit") else requetes[:3])
            for c in (pagefind, reduit, material)}
    ajout("Requêtes dont la page attendue vient en tête : Pagefind ; Material réduit ; Material complet",
          " ; ".join(f"{b} sur {t}" for b, t in bons.values()))


# --------------------------------------------------------------------------
# Report


@dataclass
class Resultats:
    lignes: list[tuple[str, str, str, str]] = field(default_factory=list)  # mesure, valeur, cible, verdict
    notes: list[str] = field(default_factory=list)
    # The search's own table (section « recherche »), and what it says of its run.
    recherche: list[tuple[str, str, str, str]] = field(default_factory=list)
    recherche_entete: list[str] = field(default_factory=list)

    def ajouter(self, mesure: str, valeur: str, cible: str = "", ok: bool | None = None,
                recherche: bool = False) -> None:
        verdict = "" if ok is None else ("atteinte" if ok else "**manquée**")
        (self.recherche if recherche else self.lignes).append((mesure, valeur, cible, verdict))
        print(f"  {mesure} : {valeur}" + (f" (cible {cible} : {verdict})" if cible else ""), flush=True)


def nombre(x: float, decimales: int = 1) -> str:
    return f"{x:,.{decimales}f}".replace(",", " ").replace(".", ",")


def machine() -> list[str]:
    modele = ""
    try:
        for ligne in Path("/proc/cpuinfo").read_text().splitlines():
            if ligne.startswith("model name"):
                modele = ligne.split(":", 1)[1].strip()
                break
        memoire = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1)) / 1024 / 1024
    except (OSError, AttributeError):
        memoire = 0
    versions = ", ".join(f"{p} {metadata.version(p)}" for p in (
        "mkdocs", "mkdocs-material", "mkdocs-macros-plugin", "Markdown", "PyYAML", "jsonschema", "weasyprint"))
    return [
        f"- Machine : {modele or platform.processor()}, {os.cpu_count()} cœurs, {nombre(memoire)} Go de mémoire, "
        f"{platform.system()} {platform.release()}",
        f"- Python {platform.python_version()} ; {versions}",
    ]


DEBUT_RECHERCHE, FIN_RECHERCHE = "<!-- recherche:debut -->", "<!-- recherche:fin -->"


def _tableau(lignes: list[tuple[str, str, str, str]]) -> list[str]:
    return (["| Mesure | Valeur | Cible | Verdict |", "| --- | --- | --- | --- |"]
            + [f"| {m} | {v} | {c} | {o} |" for m, v, c, o in lignes])


def _bloc_recherche(res: Resultats) -> str:
    return "\n".join([DEBUT_RECHERCHE, "", "## La recherche : ce que télécharge un lecteur", "",
                      *res.recherche_entete, "", *_tableau(res.recherche), "", FIN_RECHERCHE])


def _remplacer_bloc(texte: str, bloc: str, sinon_apres: int) -> str:
    """``texte`` with its search block replaced by ``bloc`` (or ``bloc`` inserted at ``sinon_apres``)."""
    if DEBUT_RECHERCHE in texte and FIN_RECHERCHE in texte:
        avant, reste = texte.split(DEBUT_RECHERCHE, 1)
        return avant + bloc + reste.split(FIN_RECHERCHE, 1)[1]
    return texte[:sinon_apres] + "\n" + bloc + "\n" + texte[sinon_apres:]


def _fin_du_tableau(texte: str) -> int:
    """Where the first Markdown table of ``texte`` ends (or its end)."""
    m = re.search(r"(?m)^\|.*\|\n(?!\|)", texte)
    return m.end() if m else len(texte)


def ecrire_recherche_seule(res: Resultats, args) -> None:
    """A run of the search section alone: only its block changes (RESULTS.md, README),
    and the notes copied at the end of RESULTS.md are read again."""
    sortie = Path(args.sortie)
    ancien = sortie.read_text(encoding="utf-8") if sortie.exists() else "# Mesures de performance\n\n"
    if DEBUT_RECHERCHE in ancien:
        tete = ancien.split(FIN_RECHERCHE, 1)[0] + FIN_RECHERCHE
        tete = _remplacer_bloc(tete, _bloc_recherche(res), 0)
    else:
        tete = ancien[:_fin_du_tableau(ancien)] + "\n" + _bloc_recherche(res)
    texte = tete + "\n\n" + "\n".join(res.notes) + "\n"
    sortie.write_text(texte, encoding="utf-8")
    print(f"\nÉcrit : {sortie} (la partie « recherche »)")
    _readme_recherche(res, sortie)


def _readme_recherche(res: Resultats, sortie: Path) -> None:
    readme = ROOT / "README.md"
    if sortie.resolve() == (ROOT / "benchmarks" / "RESULTS.md").resolve() and readme.exists() and res.recherche:
        contenu = readme.read_text(encoding="utf-8")
        if DEBUT_RECHERCHE in contenu and FIN_RECHERCHE in contenu:
            bloc = "\n".join([DEBUT_RECHERCHE, "", *_tableau(res.recherche), "", FIN_RECHERCHE])
            readme.write_text(_remplacer_bloc(contenu, bloc, 0), encoding="utf-8")
            print(f"Mis à jour : {readme} (entre les marques {DEBUT_RECHERCHE} et {FIN_RECHERCHE})")


def _lignes_precedentes(texte: str) -> list[tuple[str, str, str, str]]:
    """The rows of the main table of a previous RESULTS.md."""
    lignes = []
    for ligne in texte.split(DEBUT_RECHERCHE, 1)[0].splitlines():
        cellules = [c.strip() for c in ligne.strip().strip("|").split("|")]
        if ligne.startswith("| ") and len(cellules) == 4 and cellules[0] not in ("Mesure", "---"):
            lignes.append(tuple(cellules))
    return lignes


def _fusionner(anciennes, nouvelles):
    """A partial run (``--seulement``, ``--sans``) replaces the rows it measured
    and keeps the others, in their places: the table stays whole."""
    par_mesure = {l[0]: l for l in nouvelles}
    sortie = [par_mesure.pop(l[0], l) for l in anciennes]
    return sortie + [l for l in nouvelles if l[0] in par_mesure]


def ecrire(res: Resultats, args, duree: float) -> None:
    sortie = Path(args.sortie)
    lignes = res.lignes
    if args.sans and sortie.exists():
        lignes = _fusionner(_lignes_precedentes(sortie.read_text(encoding="utf-8")), res.lignes)
    tableau = _tableau(lignes)
    # A partial run says which rows it measured: the others come from earlier runs.
    faites = [p for p in args.parties if p not in args.sans]
    partiel = (f"Exécution partielle (`--seulement {' '.join(faites)}`) : les autres lignes viennent "
               "d'exécutions précédentes. " if args.sans else "")
    entete = [
        "# Mesures de performance",
        "",
        f"Produit par `make bench` (`benchmarks/bench.py{' --rapide' if args.rapide else ''}`) le "
        f"{time.strftime('%Y-%m-%d')}, en {nombre(duree / 60, 0)} min ; médianes de {args.repetitions} "
        "exécutions. " + partiel + "Fiches synthétiques réalistes (`benchmarks/synthese.py`) : phrases françaises "
        "tirées des fiches et des chapitres livrés, 4 à 8 contributions par fiche, tous les critères utilisés.",
        "",
        *machine(),
        "",
    ]
    recherche: list[str] = []
    if res.recherche:
        recherche = [_bloc_recherche(res), ""]
    elif sortie.exists() and DEBUT_RECHERCHE in (ancien := sortie.read_text(encoding="utf-8")):
        # Not measured this time: the previous measures of the search stay.
        recherche = [DEBUT_RECHERCHE + ancien.split(DEBUT_RECHERCHE, 1)[1].split(FIN_RECHERCHE, 1)[0]
                     + FIN_RECHERCHE, ""]
    texte = "\n".join(entete + tableau + [""] + recherche + res.notes) + "\n"
    sortie.write_text(texte, encoding="utf-8")
    print(f"\nÉcrit : {sortie}")
    readme = ROOT / "README.md"
    if sortie.resolve() == (ROOT / "benchmarks" / "RESULTS.md").resolve() and readme.exists():
        contenu = readme.read_text(encoding="utf-8")
        debut, fin = "<!-- bench:debut -->", "<!-- bench:fin -->"
        if debut in contenu and fin in contenu:
            avant, reste = contenu.split(debut, 1)
            _, apres = reste.split(fin, 1)
            bloc = "\n".join([debut, "", *machine(), "", *tableau, "", fin])
            readme.write_text(avant + bloc + apres, encoding="utf-8")
            print(f"Mis à jour : {readme} (entre les marques {debut} et {fin})")
    _readme_recherche(res, sortie)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rapide", action="store_true", help="petites tailles, une exécution (essai du script)")
    parser.add_argument("--repetitions", type=int, default=3)
    parser.add_argument("--sortie", default=str(ROOT / "benchmarks" / "RESULTS.md"))
    parties = ["valider", "site", "pdf", "construction", "apercu", "pire-cas", "recherche"]
    parser.add_argument("--sans", nargs="*", default=[], choices=parties, help="parties à sauter")
    parser.add_argument("--seulement", nargs="*", default=[], choices=parties,
                        help="les seules parties à lancer (« --seulement recherche » : la recherche, "
                             "qui ne remplace que sa partie de RESULTS.md)")
    args = parser.parse_args()
    args.parties = parties
    if args.seulement:
        args.sans = [p for p in parties if p not in args.seulement]
    if args.rapide:
        args.repetitions = 1
    n_valider, n_petit, n_grand, n_pdf = (1000, 50, 500, 30) if args.rapide else (10_000, 200, 2_000, 200)
    n_construction = 20 if args.rapide else 100
    res = Resultats()
    debut_total = time.perf_counter()

    if "valider" not in args.sans:
        print(f"referentiel valider, {n_valider} fiches", flush=True)
        tmp = projet(n_valider)
        try:
            m = mediane([lancer([str(BIN / "referentiel"), "valider"], tmp) for _ in range(args.repetitions)])
            res.ajouter(f"`referentiel valider`, {nombre(n_valider, 0)} fiches",
                        f"{nombre(m.secondes, 2)} s", "≤ 5 s" if not args.rapide else "", None if args.rapide
                        else m.secondes <= 5)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    builds: dict[int, Mesure] = {}
    if "site" not in args.sans:
        for n in (n_petit, n_grand):
            print(f"site, {n} fiches", flush=True)
            tmp = projet(n)
            try:
                seul = projet_mkdocs_seul(tmp)
                nous, plain = [], []
                for _ in range(args.repetitions):  # interleaved: both see the same machine load
                    nous.append(lancer([str(BIN / "mkdocs"), "build", "--strict", "--site-dir",
                                        str(tmp / "site")], tmp))
                    plain.append(lancer([str(BIN / "mkdocs"), "build", "--site-dir", str(seul / "site")], seul))
                m, p = mediane(nous), mediane(plain)
                builds[n] = m
                site = taille(tmp / "site")
                pages = sum(1 for _ in (tmp / "site").rglob("index.html"))
                ratio = m.secondes / p.secondes
                grand = n == n_grand and not args.rapide
                res.ajouter(f"Construction du site, {n} fiches ({pages} pages)", f"{nombre(m.secondes)} s")
                res.ajouter(f"MkDocs Material seul, mêmes pages, {n} fiches", f"{nombre(p.secondes)} s")
                res.ajouter(f"Rapport construction / MkDocs seul, {n} fiches", nombre(ratio, 2),
                            "≤ 1,15" if grand else "", ratio <= 1.15 if grand else None)
                res.ajouter(f"Taille du site par fiche, {n} fiches", f"{nombre(site / n / 1024)} Ko",
                            "≤ 80 Ko" if grand else "", site / n / 1024 <= 80 if grand else None)
                res.ajouter(f"Mémoire maximale de la construction, {n} fiches", f"{nombre(m.memoire_mo, 0)} Mo",
                            "≤ 1 536 Mo" if grand else "", m.memoire_mo <= 1536 if grand else None)
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
        facteur = n_grand / n_petit
        rapport = builds[n_grand].secondes / builds[n_petit].secondes
        res.ajouter(f"Construction {n_grand} / construction {n_petit}", nombre(rapport, 1),
                    f"≤ {nombre(facteur * 1.2, 0)}" if not args.rapide else "",
                    None if args.rapide else rapport <= facteur * 1.2)

    if "pdf" not in args.sans:
        print(f"PDF, {n_pdf} fiches", flush=True)
        p = mesurer_pdf(n_pdf)
        res.ajouter(f"PDF du rapport, {n_pdf} fiches", f"{p['pages']} pages, {nombre(p['octets'] / 1e6)} Mo, "
                    f"{nombre(p['rapport_s'])} s")
        res.ajouter("PDF du rapport, par page", f"{nombre(p['par_page_s'], 3)} s", "≤ 0,25 s",
                    p["par_page_s"] <= 0.25)
        res.ajouter(f"PDF des {n_pdf} fiches (tous les cœurs)", f"{nombre(p['fiches_s'])} s, soit "
                    f"{nombre(p['par_fiche_s'], 2)} s par fiche")
        res.ajouter(f"PDF des {p['kits']} kits de recueil (tous les cœurs)", f"{nombre(p['kits_s'])} s, soit "
                    f"{nombre(p['kits_s'] / p['kits'], 2)} s par kit")

    if "construction" not in args.sans:
        print(f"make build (site et PDF), {n_construction} fiches : cache vide, puis une fiche modifiée", flush=True)
        b = mesurer_construction(n_construction, args.repetitions)
        # The machine is shared: say when it was busy before the measure began.
        charge = (f" ; machine chargée : charge {nombre(b['charge'], 1)} au début d'une mesure, {os.cpu_count()} cœurs"
                  if b["charge"] > 0.5 * (os.cpu_count() or 1) else "")
        res.ajouter(f"`make build` (site et PDF), {n_construction} fiches : cache des PDF vide",
                    f"{nombre(b['froide'])} s (rapport de {b['pages']} pages{charge})")
        res.ajouter(f"`make build` (site et PDF), {n_construction} fiches : une fiche modifiée",
                    f"{nombre(b['chaude'])} s ({b['bilan']})" if b["bilan"] else f"{nombre(b['chaude'])} s")
        res.ajouter(f"`make build`, {n_construction} fiches : une fiche modifiée / cache vide",
                    nombre(b["chaude"] / b["froide"], 2))

    if "apercu" not in args.sans:
        print(f"aperçu, {n_grand} fiches", flush=True)
        tmp = projet(n_grand)
        try:
            # The commands of `make apercu` and `make serve`.
            mkdocs = str(BIN / "mkdocs")
            temps, premiere = rafraichissement(tmp, [mkdocs, "serve", "--dirty"], 3, 60, ENV,
                                               ("titre", "constat"))
            res.ajouter(f"`make apercu`, {n_grand} fiches : première construction", f"{nombre(premiere)} s")
            for genre, libelle in (("titre", "titre d'une fiche modifié"), ("constat", "constat d'une fiche modifié")):
                t = temps[genre]
                res.ajouter(f"`make apercu`, {n_grand} fiches : page à jour, {libelle}",
                            f"{nombre(t, 2)} s" if t is not None else "plus de 60 s",
                            "≤ 3 s" if not args.rapide else "", None if args.rapide else (t is not None and t <= 3))
            temps, premiere = rafraichissement(tmp, [mkdocs, "serve"], 1, 900, ENV)
            t = temps["titre"]
            res.ajouter(f"`make serve`, {n_grand} fiches : page à jour, titre d'une fiche modifié",
                        f"{nombre(t)} s" if t is not None else "plus de 15 min")
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    if "pire-cas" not in args.sans:
        print("pire cas : une fiche à la taille limite", flush=True)
        from pire_cas import mesurer as mesurer_pire_cas

        for fiche, taille_, textes, valider_, rendu, construction in mesurer_pire_cas():
            res.ajouter(f"Construction (site et PDF), {fiche}"
                        + (f", {taille_}, {textes} textes" if textes else ""),
                        f"{construction} (validation {valider_}, rendu du Markdown {rendu})")

    if "recherche" not in args.sans:
        print(f"recherche, {n_grand} fiches", flush=True)
        mesurer_recherche(n_grand, res, args.rapide)

    notes = Path(__file__).with_name("NOTES.md")
    if notes.exists():
        res.notes.append(notes.read_text(encoding="utf-8"))
    if args.sans and set(args.sans) >= set(parties) - {"recherche"}:
        ecrire_recherche_seule(res, args)
    else:
        ecrire(res, args, time.perf_counter() - debut_total)


if __name__ == "__main__":
    main()
