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

import jinja2
import jinja2.bccache
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import Abort
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel

from .checks import SCHEMAS_DIR
from .exports import ecrire_donnees
from .render import alleger_html
from .loading import charger
from .model import Referentiel
from .pages import (
    SRC_PDF_RAPPORT,
    Blocs,
    Rendu,
    Urls,
    src_critere,
    src_dimension,
    src_fiche,
    src_indicateur,
    src_pdf_fiche,
)
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


class PageGeneree(File):
    """A generated page. In preview (``make apercu``), a page whose data did
    not change since the previous build is not rendered again."""

    modifiee = True

    def is_modified(self) -> bool:
        return self.modifiee


def signature_hors_fiches(base: Path, config) -> tuple:
    """What, besides the fiches, shapes every page: when it changes, the
    preview rebuilds everything (Markdown pages of docs/ are left to MkDocs,
    which rebuilds the ones saved)."""
    # Absolute paths: MkDocs gives the config file and the theme folder
    # relative to the current folder at the first load, absolute afterwards.
    fichiers = [Path(config.config_file_path or base / "mkdocs.yml").resolve(), base / "macros.py"]
    for dossier in [Path(config.docs_dir).resolve(), SCHEMAS_DIR,
                    *(Path(d).resolve() for d in config.theme.dirs[:1])]:
        if dossier.is_dir():
            fichiers += sorted(p for p in dossier.rglob("*") if p.is_file())
    sig = []
    for p in fichiers:
        try:
            st = p.stat()
        except OSError:
            continue
        sig.append((str(p), None if p.suffix == ".md" else (st.st_mtime_ns, st.st_size)))
    return tuple(sig)


def _nom_court(chemin: str, base: Path) -> str:
    try:
        return Path(chemin).relative_to(base).as_posix()
    except ValueError:
        return chemin


class ReferentielPlugin(BasePlugin[ReferentielConfig]):
    def __init__(self) -> None:
        super().__init__()
        self.referentiel: Referentiel | None = None
        self.rendu: Rendu | None = None
        self.commande = "build"
        self.pdf_actif = False
        self.chapitres: dict[str, pdf.Chapitre] = {}
        self.taille_rapport: str | None = None
        self.blocs: Blocs | None = None
        self.apercu = False
        self._cache: dict = {}
        self._etat: tuple | None = None
        # Preview: generated pages to render this time (None: all of them).
        self.a_reconstruire: set[str] | None = None
        self.fiches_supprimees: set[str] = set()
        self.tableaux_touches = True
        self._cache_jinja = _CacheJinja()

    def on_startup(self, *, command, dirty):
        self.commande = command
        # `make apercu` is `mkdocs serve --dirty`: after a fiche is saved, only
        # the pages that show it are rendered again.
        self.apercu = command == "serve" and dirty
        if self.apercu:
            # MkDocs warns that dirty builds may leave navigation stale, which
            # `strict: true` turns into an abort; our preview rebuilds every
            # page whose data changed, and everything when anything but the
            # fiches changes, so the warning does not apply.
            logging.getLogger("mkdocs.commands.build").addFilter(_FiltreDirty())
            log.info("Aperçu rapide : seules les pages touchées par une fiche modifiée sont reconstruites.")

    def on_config(self, config):
        base = Path(config.config_file_path or ".").resolve().parent
        dossier = base / self.config.donnees
        resultat = charger(dossier, cache=self._cache if self.commande == "serve" else None)
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
        self.blocs = Blocs()
        self.rendu = Rendu(self.referentiel, Urls(config.use_directory_urls), pdf_fiches=self.pdf_actif,
                           site_url=config.site_url, blocs=self.blocs)
        self._etendre_nav(config)
        self._preparer_apercu(base, config, resultat.relus)
        return config

    def _preparer_apercu(self, base: Path, config, relus: set[str]) -> None:
        """In preview, find the pages an edit of fiches touches."""
        self.a_reconstruire = None
        self.fiches_supprimees = set()
        if not self.apercu:
            return
        ref = self.referentiel
        assert ref is not None
        # Per fiche: its file, criteria, indicators, and what the tables of
        # the hand-written pages show of it (fiches table, matrix, charts).
        etat = {f.id: (f.fichier, {c.critere_id for c in f.contributions},
                       {o.id for c in f.contributions for o in c.indicateurs},
                       (f.titre, f.statut, f.acteur.nom, f.acteur.type, f.acteur.ville,
                        tuple(f.action.publics), tuple(c.critere_id for c in f.contributions)))
                 for f in ref.fiches}
        signature = signature_hors_fiches(base, config)
        precedent, self._etat = self._etat, (signature, etat)
        if precedent is None:
            return  # first build: everything
        if precedent[0] != signature:
            avant, apres = dict(precedent[0]), dict(signature)
            changes = sorted(f for f in avant.keys() | apres.keys() if avant.get(f) != apres.get(f))
            log.info("Aperçu : %s modifié, tout le site est reconstruit",
                     ", ".join(_nom_court(f, base) for f in changes[:3]) + (" …" if len(changes) > 3 else ""))
            return
        anciens = precedent[1]
        changees = {f.id for f in ref.fiches if f.fichier in relus or anciens.get(f.id) != etat[f.id]}
        self.fiches_supprimees = set(anciens) - set(etat)
        criteres: set[str] = set()
        indicateurs: set[str] = set()
        for ident in changees | self.fiches_supprimees:
            for e in (anciens.get(ident), etat.get(ident)):
                if e:
                    criteres |= e[1]
                    indicateurs |= e[2]
        pages = {src_fiche(f) for f in ref.fiches if f.id in changees}
        for crit in ref.criteres.values():
            if crit.id in criteres:
                pages.add(src_critere(crit))
                if crit.dimension is not None:
                    pages.add(src_dimension(crit.dimension))
        pages |= {src_indicateur(i) for i in ref.indicateurs.values() if i.id in indicateurs}
        self.a_reconstruire = pages
        # The hand-written pages with tables of all fiches change only if
        # what they show of a fiche changed (its title, say; not a finding).
        self.tableaux_touches = bool(self.fiches_supprimees) or any(
            anciens.get(ident, (None,) * 4)[3] != etat[ident][3] for ident in changees)
        log.info("Aperçu : %d fiche(s) modifiée(s), %d page(s) générée(s) reconstruite(s)",
                 len(changees) + len(self.fiches_supprimees), len(pages))

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

    # -- search ranking (Material's search plugin reads ``search.boost`` in page meta) --
    # Searching a criterion's title should give the criterion, then the fiches
    # that use it, then the rest. A fiche matches through its section of that
    # criterion (same title), which Material ranks below whole pages: without
    # a boost, the criterion's own indicators came between. Indicators keep 1,
    # so that an indicator's id or title still finds its page first.
    BOOST_RECHERCHE = {"criteres/": 2.0, "fiches/": 2.5}

    def on_page_markdown(self, markdown, page, config, files):
        if page.file.generated_by is not None:
            for prefixe, boost in self.BOOST_RECHERCHE.items():
                if page.file.src_uri.startswith(prefixe):
                    recherche = page.meta.get("search") or {}
                    page.meta["search"] = {"boost": boost, **recherche}
        return markdown

    def on_files(self, files: Files, config) -> Files:
        assert self.rendu is not None
        for src_uri, contenu in self.rendu.pages(seulement=self.a_reconstruire).items():
            if files.get_file_from_path(src_uri) is not None:
                raise Abort(f"docs/{src_uri} existe déjà : cette page est générée à partir de data/, "
                            "supprimez le fichier de docs/.")
            inclusion = (InclusionLevel.NOT_IN_NAV if src_uri.startswith(("fiches/", "indicateurs/"))
                         else InclusionLevel.UNDEFINED)
            fichier = PageGeneree.generated(config, src_uri, content=contenu or "", inclusion=inclusion)
            fichier.modifiee = contenu is not None
            files.append(fichier)
        if self.a_reconstruire is not None and self.tableaux_touches:
            # Hand-written pages with macros show data: render them again too.
            for f in files.documentation_pages():
                if f.abs_src_path and _avec_macros(f.abs_src_path):
                    f.is_modified = lambda: True  # type: ignore[method-assign]
        return files

    @event_priority(100)  # first: other plugins see the HTML (but the blocks kept out of search)
    def on_page_content(self, html, page, config, files):
        if self.blocs is not None:
            try:
                html = self.blocs.remplacer(html)
            except ValueError as exc:
                raise Abort(f"{page.file.src_uri} : {exc}") from exc
        if self.pdf_actif and page.file.src_uri in self.config.chapitres_rapport:
            complet = self.blocs.finaliser(html, garder=True) if self.blocs is not None else html
            self.chapitres[page.file.src_uri] = pdf.Chapitre(page.url, page.file.src_uri, complet)
        return html

    def on_env(self, env, config, files):
        if self.commande == "serve":
            # MkDocs makes a new Jinja environment at each rebuild: keep the
            # compiled theme templates from one rebuild to the next.
            env.bytecode_cache = self._cache_jinja
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

    @event_priority(100)
    def on_post_page(self, output, page, config):
        if self.blocs is not None:
            # The blocks kept out of the search index, now that it has read the page.
            try:
                output = self.blocs.finaliser(output)
            except ValueError as exc:
                raise Abort(f"{page.file.src_uri} : {exc}") from exc
        if MARQUE_TAILLE in output:
            output = output.replace(MARQUE_TAILLE, self.taille_rapport or "construit par « make build »")
        return alleger_html(output)

    def on_post_build(self, config) -> None:
        # Preview: the page of a deleted fiche goes away.
        for ident in sorted(self.fiches_supprimees):
            shutil.rmtree(Path(config.site_dir) / "fiches" / ident, ignore_errors=True)
        # Open data: JSON, CSV, schemas and datapackage.json in site/donnees/.
        # (The preview writes them at its first build only: « make build » for fresh ones.)
        assert self.referentiel is not None
        if self.a_reconstruire is None:
            ecrire_donnees(self.referentiel, Path(config.site_dir) / "donnees", SCHEMAS_DIR)
        # The JSON Schemas, for editors and reusers.
        dest = Path(config.site_dir) / "schemas"
        dest.mkdir(parents=True, exist_ok=True)
        for schema in sorted(SCHEMAS_DIR.glob("*.schema.json")):
            shutil.copyfile(schema, dest / schema.name)


class _CacheJinja(jinja2.BytecodeCache):
    """Compiled templates kept in memory for the whole `mkdocs serve`."""

    def __init__(self) -> None:
        self._codes: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._codes.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._codes[bucket.key] = bucket.bytecode_to_string()


class _FiltreDirty(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("A 'dirty' build is being performed")


def _avec_macros(chemin: str) -> bool:
    """Does a hand-written page opt in to macros (« render_macros: true »)?"""
    try:
        with open(chemin, encoding="utf-8") as fh:
            debut = fh.read(2000)
    except OSError:
        return False
    return "render_macros: true" in debut
