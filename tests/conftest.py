"""Shared helpers: run the CLI as a user would, build small sites in temp folders."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import textwrap
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]

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


def construire(projet: Path, pdf: bool = False, env: dict[str, str | None] | None = None) -> Sortie:
    """``mkdocs build --strict`` of a project folder, into projet/site.

    PDFs are printed only when asked: most tests look at the HTML. ``env``
    adds environment variables (``REPO_URL``, say); ``None`` removes one.
    """
    exe = Path(sys.executable).with_name("mkdocs")
    extra = env or {}
    env = env_sans_ci()
    env["REFERENTIEL_PDF"] = "1" if pdf else "0"
    for nom, valeur in extra.items():
        if valeur is None:
            env.pop(nom, None)
        else:
            env[nom] = valeur
    p = subprocess.run([str(exe), "build", "--strict", "--site-dir", str(projet / "site")],
                       cwd=projet, capture_output=True, text=True, env=env, timeout=900)
    return Sortie(p.returncode, p.stdout, p.stderr)


@pytest.fixture(scope="session")
def site_livre(tmp_path_factory) -> Path:
    """The site built from the shipped data, as `make build` does (PDFs included)."""
    projet = creer_projet(tmp_path_factory.mktemp("livre"))
    shutil.copytree(ROOT / "data", projet / "data")
    sortie = construire(projet, pdf=True)
    assert sortie.code == 0, sortie.stderr
    return projet / "site"


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
    """A page in a fresh browser context, as a reader opens it: every request
    off 127.0.0.1 is refused and recorded in ``externes``, every script error
    in ``erreurs_js``."""

    def __init__(self, navigateur, serveur: str, *, javascript: bool = True,
                 viewport: dict | None = None):
        self.contexte = navigateur.new_context(locale="fr-FR", java_script_enabled=javascript,
                                               viewport=viewport or {"width": 1280, "height": 900})
        self.externes: list[str] = []
        self.erreurs_js: list[str] = []
        self.page = self.contexte.new_page()
        self.page.route("**/*", self._filtrer)
        self.page.on("pageerror", lambda exc: self.erreurs_js.append(str(exc)))
        self.origine = serveur

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
        self.contexte.close()
