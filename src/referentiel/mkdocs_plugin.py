"""Thin MkDocs glue: validate the data, add generated pages, extend the nav.

Everything of substance lives in ``loading``, ``checks`` and ``pages``; this
module only hands their results to MkDocs.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import Abort
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel

from .checks import SCHEMAS_DIR
from .loading import charger
from .model import Referentiel
from .pages import Rendu, Urls

log = logging.getLogger("mkdocs.plugins.referentiel")


class ReferentielConfig(Config):
    donnees = c.Type(str, default="data")
    # Title of the nav section under which dimensions and criteria are listed.
    section_nav = c.Type(str, default="Le référentiel")


class ReferentielPlugin(BasePlugin[ReferentielConfig]):
    def __init__(self) -> None:
        super().__init__()
        self.referentiel: Referentiel | None = None
        self.rendu: Rendu | None = None

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
        self.rendu = Rendu(self.referentiel, Urls(config.use_directory_urls))
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

    def on_post_build(self, config) -> None:
        # The JSON Schemas, for editors and reusers.
        dest = Path(config.site_dir) / "schemas"
        dest.mkdir(parents=True, exist_ok=True)
        for schema in sorted(SCHEMAS_DIR.glob("*.schema.json")):
            shutil.copyfile(schema, dest / schema.name)
