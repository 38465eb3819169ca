"""Thin MkDocs glue: validate the data, add generated pages, extend the nav.

Everything of substance lives in ``loading``, ``checks`` and ``pages``; this
module only hands their results to MkDocs.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from datetime import datetime, timezone
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import Abort
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel

from .checks import SCHEMAS_DIR
from .exports import ecrire_donnees
from .loading import charger
from .model import Referentiel
from .pages import SRC_PDF_RAPPORT, Rendu, Urls, src_pdf_fiche
from . import pdf

log = logging.getLogger("mkdocs.plugins.referentiel")


class ReferentielConfig(Config):
    donnees = c.Type(str, default="data")
    # Title of the nav section under which dimensions and criteria are listed.
    section_nav = c.Type(str, default="Le référentiel")
    # Build the report PDF and one PDF per fiche (off in `mkdocs serve`
    # unless REFERENTIEL_PDF=1; REFERENTIEL_PDF=0 turns it off anywhere).
    pdf = c.Type(bool, default=True)
    # Hand-written pages that make the narrative chapters of the report, in order.
    chapitres_rapport = c.Type(list, default=[])

MARQUE_TAILLE = "<!--referentiel:taille-rapport-->"


class ReferentielPlugin(BasePlugin[ReferentielConfig]):
    def __init__(self) -> None:
        super().__init__()
        self.referentiel: Referentiel | None = None
        self.rendu: Rendu | None = None
        self.commande = "build"
        self.pdf_actif = False
        self.chapitres: dict[str, pdf.Chapitre] = {}
        self.taille_rapport: str | None = None

    def on_startup(self, *, command, dirty):
        self.commande = command

    def on_config(self, config):
        base = Path(config.config_file_path or ".").resolve().parent
        dossier = base / self.config.donnees
        resultat = charger(dossier)
        if resultat.problemes:
            for p in resultat.problemes:
                log.error(str(p))
            n = len(resultat.problemes)
            raise Abort(
                f"Construction arrêtée : {n} problème{'s' if n > 1 else ''} dans les données "
                "(voir ci-dessus). Corrigez-les ; « referentiel valider » donne la même liste."
            )
        assert resultat.referentiel is not None
        self.referentiel = resultat.referentiel
        env = os.environ.get("REFERENTIEL_PDF", "")
        self.pdf_actif = self.config.pdf and env != "0" and (self.commande != "serve" or env == "1")
        self.chapitres = {}
        self.taille_rapport = None
        self.rendu = Rendu(self.referentiel, Urls(config.use_directory_urls), pdf_fiches=self.pdf_actif,
                           site_url=config.site_url)
        self._etendre_nav(config)
        return config

    def _etendre_nav(self, config) -> None:
        """Add dimensions and their criteria under the nav section ``section_nav``."""
        assert self.rendu is not None
        nav = config.nav
        if not nav:
            return
        for item in nav:
            if isinstance(item, dict) and self.config.section_nav in item:
                enfants = item[self.config.section_nav]
                if not isinstance(enfants, list):
                    enfants = [enfants]
                item[self.config.section_nav] = enfants + self.rendu.nav_dimensions()
                return

    def on_serve(self, server, config, builder):
        # `make serve` rebuilds when a fiche, the framework or a schema changes.
        base = Path(config.config_file_path or ".").resolve().parent
        server.watch(str(base / self.config.donnees))
        server.watch(str(SCHEMAS_DIR))
        return server

    def on_files(self, files: Files, config) -> Files:
        assert self.rendu is not None
        for src_uri, contenu in self.rendu.pages().items():
            if files.get_file_from_path(src_uri) is not None:
                raise Abort(f"docs/{src_uri} existe déjà : cette page est générée à partir de data/, "
                            "supprimez le fichier de docs/.")
            inclusion = (InclusionLevel.NOT_IN_NAV if src_uri.startswith(("fiches/", "indicateurs/"))
                         else InclusionLevel.UNDEFINED)
            files.append(File.generated(config, src_uri, content=contenu, inclusion=inclusion))
        return files

    def on_page_content(self, html, page, config, files):
        if self.pdf_actif and page.file.src_uri in self.config.chapitres_rapport:
            self.chapitres[page.file.src_uri] = pdf.Chapitre(page.url, page.file.src_uri, html)
        return html

    def on_env(self, env, config, files):
        # Every page's Markdown is rendered by now, no template yet: the right
        # moment to print the PDFs and show their size on every page.
        if self.pdf_actif:
            self._imprimer(config)
        env.globals["referentiel_pdf"] = {
            "rapport": SRC_PDF_RAPPORT if self.taille_rapport else None,
            "taille": self.taille_rapport,
        }
        return env

    def _imprimer(self, config) -> None:
        assert self.referentiel is not None
        manquants = [c for c in self.config.chapitres_rapport if c not in self.chapitres]
        if manquants:
            raise Abort(f"Chapitres du rapport introuvables dans docs/ : {', '.join(manquants)}")
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        moment = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch else datetime.now(timezone.utc)
        date = moment.strftime("%Y-%m-%d")
        site = Path(config.site_dir)
        chapitres = [self.chapitres[c] for c in self.config.chapitres_rapport]
        debut = time.perf_counter()
        taches = [(pdf.html_rapport(self.referentiel, chapitres, date, config.site_url), site / SRC_PDF_RAPPORT, None)]
        for f in self.referentiel.fiches:
            taches.append((pdf.html_fiche(self.referentiel, f, date, config.site_url),
                           site / src_pdf_fiche(f), pdf.CSS_FICHE_SEULE))
        try:
            tailles = pdf.ecrire_tous(taches)
        except Exception as exc:  # noqa: BLE001 - shown in French, the build stops
            raise Abort(f"La génération des PDF a échoué : {type(exc).__name__} : {exc}") from exc
        self.taille_rapport = pdf.taille_lisible(tailles[0])
        log.info("PDF : rapport (%s) et %d fiches en %.1f s", self.taille_rapport,
                 len(self.referentiel.fiches), time.perf_counter() - debut)

    def on_post_page(self, output, page, config):
        if MARQUE_TAILLE in output:
            output = output.replace(MARQUE_TAILLE, self.taille_rapport or "construit par « make build »")
        return output

    def on_post_build(self, config) -> None:
        # Open data: JSON, CSV, schemas and datapackage.json in site/donnees/.
        assert self.referentiel is not None
        ecrire_donnees(self.referentiel, Path(config.site_dir) / "donnees", SCHEMAS_DIR)
        # The JSON Schemas, for editors and reusers.
        dest = Path(config.site_dir) / "schemas"
        dest.mkdir(parents=True, exist_ok=True)
        for schema in sorted(SCHEMAS_DIR.glob("*.schema.json")):
            shutil.copyfile(schema, dest / schema.name)
