"""Shared helpers: run the CLI as a user would, build small sites in temp folders.

Sites: the real one (``site_livre``, built once for the whole run, in the
background from the first test on, and shared by the pytest-xdist workers);
copies of the real sources with other data (``creer_projet``); and tiny
scenario sites, one folder per behaviour in ``tests/sites/`` (``creer_scenario``).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import textwrap
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SITES = Path(__file__).resolve().parent / "sites"

# The date of ``site_livre``'s build (printed in its PDFs): fixed, so that
# test_reproductible needs only one more build to compare with.
EPOCH = "1764115200"  # 2025-11-26 00:00 UTC

# A minimal valid fiche, used as the base of most validator fixtures.
# Line numbers matter: tests assert them.
FICHE_VALIDE = textwrap.dedent("""\
    id: essai
    titre: Atelier d'essai
    statut: exemple
    acteur:
      nom: Association d'essai
      type: association
    action:
      resume: Une action imaginaire pour tester le validateur.
    contributions:
      - critere: EP1
        constats: Les participants osent davantage poser des questions.
        indicateurs:
          - id: EP1.1
            valeur: 12 séances
            source: feuilles d'émargement
    """)


@dataclass
class Sortie:
    code: int
    stdout: str
    stderr: str

    @property
    def lignes(self) -> list[str]:
        return [x for x in self.stdout.splitlines() if x.strip()]


def env_sans_ci() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("CI", None)
    env.pop("GITHUB_ACTIONS", None)
    env["NO_MKDOCS_2_WARNING"] = "1"
    return env


def cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> Sortie:
    """Run ``referentiel ARGS`` (the installed console script) in ``cwd``."""
    exe = Path(sys.executable).with_name("referentiel")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "referentiel"]
    p = subprocess.run(cmd + list(args), cwd=cwd, capture_output=True, text=True,
                       env=env or env_sans_ci(), timeout=120)
    return Sortie(p.returncode, p.stdout, p.stderr)


def creer_donnees(dossier: Path, fiches: dict[str, str | bytes] | None = None,
                  avec_fiches_livrees: bool = False) -> Path:
    """A data/ folder: the shipped criteres.yaml plus the given fiches."""
    data = dossier / "data"
    (data / "fiches").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ROOT / "data" / "criteres.yaml", data / "criteres.yaml")
    if avec_fiches_livrees:
        for f in (ROOT / "data" / "fiches").glob("*.yaml"):
            shutil.copyfile(f, data / "fiches" / f.name)
    for nom, contenu in (fiches or {}).items():
        path = data / "fiches" / nom
        if isinstance(contenu, bytes):
            path.write_bytes(contenu)
        else:
            path.write_text(contenu, encoding="utf-8")
    return data


def creer_projet(dossier: Path) -> Path:
    """A copy of the site's sources (config, docs, overrides, macros) without data."""
    for nom in ("mkdocs.yml", "macros.py"):
        shutil.copyfile(ROOT / nom, dossier / nom)
    for nom in ("docs", "overrides"):
        shutil.copytree(ROOT / nom, dossier / nom)
    return dossier


def creer_scenario(nom: str, dossier: Path) -> Path:
    """A tiny site: a copy of ``tests/sites/NOM/`` (its mkdocs.yml, its pages, its
    fiches), with the shipped data/criteres.yaml and the project's macros.py
    copied in (copied, not linked: the loader refuses symbolic links)."""
    shutil.copytree(SITES / nom, dossier, dirs_exist_ok=True)
    (dossier / "data" / "fiches").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ROOT / "data" / "criteres.yaml", dossier / "data" / "criteres.yaml")
    shutil.copyfile(ROOT / "macros.py", dossier / "macros.py")
    return dossier


class _SansEtiquettes(yaml.SafeLoader):
    """Reads a mkdocs.yml: its tags (``!ENV``...) give None."""


_SansEtiquettes.add_multi_constructor("!", lambda loader, suffixe, noeud: None)


def lire_config(projet: Path) -> dict:
    """The mkdocs.yml of a project, as YAML (environment variables not resolved)."""
    return yaml.load((projet / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_SansEtiquettes)  # noqa: S506


def _env_construction(pdf: bool, env: dict[str, str | None] | None) -> dict[str, str]:
    extra = env or {}
    env = env_sans_ci()
    env["REFERENTIEL_PDF"] = "1" if pdf else "0"
    for nom, valeur in extra.items():
        if valeur is None:
            env.pop(nom, None)
        else:
            env[nom] = valeur
    return env


def _commande_construction(projet: Path) -> list[str]:
    exe = Path(sys.executable).with_name("mkdocs")
    return [str(exe), "build", "--strict", "--site-dir", str(projet / "site")]


def construire(projet: Path, pdf: bool = False, env: dict[str, str | None] | None = None) -> Sortie:
    """``mkdocs build --strict`` of a project folder, into projet/site.

    PDFs are printed only when asked: most tests look at the HTML. ``env``
    adds environment variables (``REPO_URL``, say); ``None`` removes one.
    """
    p = subprocess.run(_commande_construction(projet), cwd=projet, capture_output=True, text=True,
                       env=_env_construction(pdf, env), timeout=900)
    return Sortie(p.returncode, p.stdout, p.stderr)


# ---------------------------------------------------------------------------
# The site built from the shipped data: one build for the whole run

# As `make build` does, PDFs included; the date fixed (EPOCH); no repository
# address, whatever the shell has (the form's « sans » case in test_formulaire).
ENV_LIVRE: dict[str, str | None] = {"SOURCE_DATE_EPOCH": EPOCH, "REPO_URL": None}


class _ConstructionLivre:
    """``site_livre``'s build, started once for the run, in the background.

    It starts at the first test of the run (or of the first pytest-xdist
    worker to get there), so that the tests that do not need it run meanwhile;
    its folder is shared by the workers (the parent of their temp folders).
    The one who started it writes ``livre-fin.json`` beside it when it ends
    (exit code and output); the others wait for that file.
    """

    def __init__(self, tmp_path_factory):
        base = tmp_path_factory.getbasetemp()
        self.dossier = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "livre"
        self.fin = self.dossier.parent / "livre-fin.json"
        self.fil: threading.Thread | None = None

    def demarrer(self) -> None:
        """Start the build, unless someone already did."""
        try:
            self.dossier.mkdir()
        except FileExistsError:
            return
        projet = creer_projet(self.dossier)
        shutil.copytree(ROOT / "data", projet / "data")
        journal = open(projet / "construction.log", "w+", encoding="utf-8")  # noqa: SIM115 - closed below
        proc = subprocess.Popen(_commande_construction(projet), cwd=projet, stdout=journal,
                                stderr=subprocess.STDOUT, text=True, env=_env_construction(True, ENV_LIVRE))

        def attendre():
            try:
                code = proc.wait(timeout=900)
            except subprocess.TimeoutExpired:
                proc.kill()
                code = proc.wait()
            journal.seek(0)
            sortie = journal.read()
            journal.close()
            provisoire = self.fin.with_suffix(".tmp")
            provisoire.write_text(json.dumps({"code": code, "sortie": sortie}), encoding="utf-8")
            provisoire.replace(self.fin)

        self.fil = threading.Thread(target=attendre, daemon=True)
        self.fil.start()

    def site(self) -> Path:
        """The built site, once the build has ended (it fails the test otherwise)."""
        self.demarrer()
        limite = time.monotonic() + 900
        while not self.fin.exists():
            if time.monotonic() > limite:
                pytest.fail("la construction de site_livre ne se termine pas")
            time.sleep(0.1)
        fin = json.loads(self.fin.read_text(encoding="utf-8"))
        assert fin["code"] == 0, fin["sortie"]
        return self.dossier / "site"

    def terminer(self) -> None:
        """The one who started the build waits for its end (the others may wait for it)."""
        if self.fil is not None:
            self.fil.join()


@pytest.fixture(scope="session")
def _construction_livre(tmp_path_factory):
    construction = _ConstructionLivre(tmp_path_factory)
    yield construction
    construction.terminer()


@pytest.fixture(scope="session", autouse=True)
def _livre_en_fond(request, _construction_livre):
    """Starts site_livre's build at the first test, when one of the tests to run needs it."""
    if any("site_livre" in getattr(item, "fixturenames", ()) for item in request.session.items):
        _construction_livre.demarrer()


@pytest.fixture(scope="session")
def site_livre(_construction_livre) -> Path:
    """The site built from the shipped data, as `make build` does (PDFs included;
    the date and the environment fixed: ENV_LIVRE). Tests only read it."""
    return _construction_livre.site()


# ---------------------------------------------------------------------------
# Two pytest-xdist workers (pyproject.toml): what goes where, in what order

# Modules whose tests stay together on one worker: their module fixtures build
# a site (or read the report's text) once for all of them. Every other test
# goes alone to the first free worker.
UN_SEUL_TRAVAILLEUR = ("test_formulaire.py", "test_securite.py", "test_pdf.py", "test_pdf_cache.py",
                       "test_pdf_geometrie.py", "test_versions_pages.py")


def _groupe(nodeid: str) -> str:
    """What is sent to one worker: the test's module if it is in UN_SEUL_TRAVAILLEUR, or the test."""
    module = nodeid.split("::", 1)[0]
    return module if Path(module).name in UN_SEUL_TRAVAILLEUR else nodeid


def pytest_collection_modifyitems(config, items):
    """The order of the run, the same in every worker: the tests that need
    site_livre come last (the others run while it is built); in each part, the
    modules of UN_SEUL_TRAVAILLEUR first (the longest units first)."""
    attendent = {_groupe(item.nodeid) for item in items if "site_livre" in getattr(item, "fixturenames", ())}
    items.sort(key=lambda item: (_groupe(item.nodeid) in attendent, _groupe(item.nodeid) == item.nodeid))


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """``--dist loadgroup``, with the groups of UN_SEUL_TRAVAILLEUR. (xdist's own
    grouping by the xdist_group mark does nothing with pytest 9.2: it rewrites
    node ids, which pytest no longer reads; pytest-xdist issue 1386.)"""
    if config.getoption("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class Repartition(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return _groupe(nodeid)

    return Repartition(config, log)


# ---------------------------------------------------------------------------
# Browser tests: a built site served on 127.0.0.1, and Debian's Chromium

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS_CHROMIUM = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class _Silencieux(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the signature of the base class
        pass


@contextlib.contextmanager
def servir(dossier: Path):
    """Serve ``dossier`` on a free port of 127.0.0.1; yields the base URL."""
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Silencieux, directory=str(dossier)))
    fil = threading.Thread(target=httpd.serve_forever, daemon=True)
    fil.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        fil.join(timeout=10)


@pytest.fixture(scope="session")
def navigateur():
    """Chromium driven by Playwright. Both are installed by `make test`: missing, the tests fail."""
    try:
        from playwright import sync_api
    except ImportError:
        pytest.fail("Playwright n'est pas installé : lancez « make test », qui installe les dépendances de test")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium introuvable ({CHROMIUM}) : lancez « make test », qui l'installe (paquet Debian chromium)")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS_CHROMIUM)
        try:
            yield browser
        finally:
            browser.close()


class Visite:
    """A page in a fresh browser context (or a new page in ``contexte``), as a
    reader opens it: every request off 127.0.0.1 is refused and recorded in
    ``externes``, every script error in ``erreurs_js``."""

    def __init__(self, navigateur, serveur: str, *, javascript: bool = True,
                 viewport: dict | None = None, contexte=None):
        # A context of its own, or a new page in the given one (``contexte``, kept open).
        self._a_soi = contexte is None
        self.contexte = contexte or Visite.nouveau_contexte(navigateur, javascript=javascript, viewport=viewport)
        self.externes: list[str] = []
        self.erreurs_js: list[str] = []
        self.page = self.contexte.new_page()
        self.page.route("**/*", self._filtrer)
        self.page.on("pageerror", lambda exc: self.erreurs_js.append(str(exc)))
        self.origine = serveur

    @staticmethod
    def nouveau_contexte(navigateur, *, javascript: bool = True, viewport: dict | None = None):
        return navigateur.new_context(locale="fr-FR", java_script_enabled=javascript,
                                      viewport=viewport or {"width": 1280, "height": 900})

    def _filtrer(self, route):
        url = route.request.url
        if urlsplit(url).hostname == "127.0.0.1":
            route.continue_()
        else:
            self.externes.append(url)
            route.abort()

    def ouvrir(self, chemin: str):
        self.page.goto(f"{self.origine}/{chemin}", wait_until="load")
        return self.page

    def fermer(self):
        if self._a_soi:
            self.contexte.close()
        else:
            self.page.close()


# ---------------------------------------------------------------------------
# A référentiel with two versions (tests/test_versions.py, the pages of versions)

VERSION_SUIVANTE = "1.1"
DATE_SUIVANTE = "2026-12-01"


def creer_version_suivante(data: Path) -> Path:
    """``data/`` (the shipped criteres.yaml and versions/) released as 1.1 with
    ``referentiel version nouvelle``: VE2.4 added, EP1.1 reworded, VE2.3
    retired and replaced by VE2.4, the changelog completed. The shipped fiche
    « intergeneration » reports VE2.3: it still does."""
    from referentiel.nouvelle_version import nouvelle_version

    if not (data / "versions").exists():
        shutil.copytree(ROOT / "data" / "versions", data / "versions")
    criteres = data / "criteres.yaml"
    doc = yaml.safe_load(criteres.read_text(encoding="utf-8"))
    ve2 = next(c for d in doc["dimensions"] for c in d["criteres"] if c["id"] == "VE2")
    ve23 = next(i for i in ve2["indicateurs"] if i["id"] == "VE2.3")
    ve23["retire"] = {"version": VERSION_SUIVANTE, "remplace_par": ["VE2.4"]}
    ve2["indicateurs"].append({
        "id": "VE2.4", "libelle": "Part des participants qui gardent un contact régulier avec une personne "
        "rencontrée pendant l'action, six mois après.", "type": "impact",
        "definition": "Compte les personnes qui disent être restées en contact (visites, messages, activités "
        "communes) avec au moins une personne rencontrée pendant l'action.",
        "collecte": "Entretien de suivi six mois après la fin de l'action.",
        "exemple": "« Êtes-vous resté(e) en contact avec quelqu'un rencontré à l'atelier ? »",
        "methodes": ["entretien"],
        "a_demander": ["Êtes-vous resté(e) en contact avec quelqu'un rencontré à l'atelier ? Comment ?"],
        "provenance": "proposition"})
    ep11 = next(i for d in doc["dimensions"] for c in d["criteres"] for i in c["indicateurs"] if i["id"] == "EP1.1")
    ep11["libelle"] = "Nombre de séances tenues et de participants différents sur la période évaluée."
    criteres.write_text("# yaml-language-server: $schema=../schemas/criteres.schema.json\n"
                        + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")
    pub = nouvelle_version(data, VERSION_SUIVANTE, DATE_SUIVANTE)
    assert not pub.problemes, [str(p) for p in pub.problemes]
    journal = data / "versions" / "changements.yaml"
    texte = journal.read_text(encoding="utf-8")
    for ancien, nouveau in (
        ("À compléter : ce que cette version change, en quelques phrases.",
         "Un indicateur d'impact du lien social remplace VE2.3, et EP1.1 est reformulé."),
        ("À compléter : pourquoi cet élément est ajouté.", "Mesurer la durée des liens créés."),
        ("À compléter : pourquoi ce texte change.", "Préciser la période."),
        ("À compléter : pourquoi cet élément est retiré.", "Trop proche de VE2.2 ; VE2.4 mesure la durée."),
    ):
        texte = texte.replace(ancien, nouveau)
    journal.write_text(texte, encoding="utf-8")
    return data
