"""``make apercu`` (``mkdocs serve --dirty``): saving a fiche refreshes what shows it.

The preview renders again only the pages an edit touches: the fiche, its
criteria, indicators and dimensions, and the hand-written pages with macros.
These tests run the real server on the tiny site tests/sites/apercu (two
fiches, the fiches table written with the ``tableau_fiches()`` macro) and read
the pages over HTTP, as a contributor's browser would.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT, SITES, creer_scenario, env_sans_ci


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _lire(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:  # noqa: S310 - 127.0.0.1
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except OSError:
        return 0, ""


def _attendre(condition, limite: float = 120) -> None:
    debut = time.monotonic()
    while time.monotonic() - debut < limite:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("la page n'a pas été mise à jour à temps")


# The scenario's fiche « essai » (conftest.FICHE_VALIDE titled « Atelier témoin »:
# titles without apostrophes, the HTML escapes them); the other one is « Atelier voisin ».
FICHE = (SITES / "apercu" / "data" / "fiches" / "essai.yaml").read_text(encoding="utf-8")


@pytest.fixture
def apercu(tmp_path: Path):
    projet = creer_scenario("apercu", tmp_path / "projet")
    port = _port()
    exe = Path(sys.executable).with_name("mkdocs")
    env = env_sans_ci()
    env.pop("REFERENTIEL_PDF", None)
    journal = open(tmp_path / "serve.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen([str(exe), "serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}"],
                            cwd=projet, env=env, stdout=journal, stderr=subprocess.STDOUT,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}/"
    try:
        _attendre(lambda: "Atelier témoin" in _lire(base + "fiches/essai/")[1], 300)
        # The watcher starts after the first build: MkDocs says so once it has
        # taken its first look at the files (watchdog's polling snapshot).
        _attendre(lambda: "Watching paths for changes" in (tmp_path / "serve.log").read_text(encoding="utf-8"))
        yield projet, base, tmp_path / "serve.log"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
        journal.close()


def test_la_fiche_et_les_pages_qui_la_montrent_sont_mises_a_jour(apercu):
    projet, base, journal = apercu
    fiche = projet / "data" / "fiches" / "essai.yaml"
    fiche.write_text(FICHE.replace("titre: Atelier témoin", "titre: Atelier relu en aperçu"),
                     encoding="utf-8")
    _attendre(lambda: "Atelier relu en aperçu" in _lire(base + "fiches/essai/")[1])
    # Its criterion, its indicator, the fiches table show the new title too.
    for page in ("criteres/ep1/", "indicateurs/ep1-1/", "fiches/"):
        statut, html = _lire(base + page)
        assert statut == 200 and "Atelier relu en aperçu" in html, page
    # Another fiche's page is still there, unchanged.
    statut, html = _lire(base + "fiches/voisine/")
    assert statut == 200 and "Atelier voisin" in html
    log = journal.read_text(encoding="utf-8")
    assert "page(s) générée(s) reconstruite(s)" in log
    # Not a full rebuild, even for the first save after the start.
    assert "tout le site est reconstruit" not in log


def test_une_fiche_qui_change_de_critere(apercu):
    projet, base, _ = apercu
    fiche = projet / "data" / "fiches" / "essai.yaml"
    fiche.write_text(FICHE.replace("critere: EP1", "critere: VE2").replace("EP1.1", "VE2.1"),
                     encoding="utf-8")
    _attendre(lambda: "Atelier témoin" in _lire(base + "criteres/ve2/")[1])
    assert "Atelier témoin" not in _lire(base + "criteres/ep1/")[1]
    assert "Atelier témoin" not in _lire(base + "indicateurs/ep1-1/")[1]


def test_fiche_ajoutee_puis_supprimee(apercu):
    projet, base, _ = apercu
    nouvelle = projet / "data" / "fiches" / "nouvelle.yaml"
    nouvelle.write_text(FICHE.replace("id: essai", "id: nouvelle")
                        .replace("titre: Atelier témoin", "titre: Une nouvelle fiche"), encoding="utf-8")
    _attendre(lambda: "Une nouvelle fiche" in _lire(base + "fiches/nouvelle/")[1])
    assert "Une nouvelle fiche" in _lire(base + "fiches/")[1]
    nouvelle.unlink()
    _attendre(lambda: _lire(base + "fiches/nouvelle/")[0] == 404)
    assert "Une nouvelle fiche" not in _lire(base + "fiches/")[1]


def test_une_erreur_est_signalee_puis_l_apercu_reprend(apercu):
    projet, base, journal = apercu
    fiche = projet / "data" / "fiches" / "essai.yaml"
    fiche.write_text(FICHE.replace("statut: exemple", "statut: brouillon"), encoding="utf-8")
    # The same French message as « referentiel valider », in the terminal of
    # `make apercu` (MkDocs then holds the pages until the error is fixed).
    _attendre(lambda: "data/fiches/essai.yaml:3: statut : « brouillon » n'est pas une valeur permise"
              in journal.read_text(encoding="utf-8"))
    # Corrected: the preview comes back.
    fiche.write_text(FICHE.replace("titre: Atelier témoin", "titre: Atelier corrigé"), encoding="utf-8")
    _attendre(lambda: "Atelier corrigé" in _lire(base + "fiches/essai/")[1])


def test_modifier_le_referentiel_reconstruit_tout(apercu):
    projet, base, _ = apercu
    criteres = projet / "data" / "criteres.yaml"
    texte = criteres.read_text(encoding="utf-8")
    assert "titre: Estime de soi" in texte
    criteres.write_text(texte.replace("titre: Estime de soi", "titre: Estime de soi (relu)", 1), encoding="utf-8")
    # Every fiche page links its criteria by title: an unchanged fiche shows the new one.
    _attendre(lambda: "Estime de soi (relu)" in _lire(base + "fiches/voisine/")[1]
              or "Estime de soi (relu)" in _lire(base + "fiches/essai/")[1])
    assert "Estime de soi (relu)" in _lire(base + "fiches/essai/")[1]
    assert "Estime de soi (relu)" in _lire(base + "fiches/voisine/")[1]


def test_le_makefile_propose_l_apercu():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "apercu:" in makefile and "serve --dirty" in makefile
