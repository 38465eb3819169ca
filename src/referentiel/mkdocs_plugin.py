"""The MkDocs adapter: hands the pipeline's results to MkDocs, and nothing else.

Reading and checking (``loading``), the model, the pages (``pages``), the
outputs (``pdf``, ``exports``) and the preview's selection (``apercu``) are
plain Python. This module and ``macros.py`` are the only ones that know
MkDocs: a move to another engine rewrites them and ``overrides/``.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import Abort
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import get_relative_url

from .sorties import pdf, recherche
from .apercu import Apercu, CacheJinja, Selection, signature
from .lecture.schemas import SCHEMAS_DIR
from .sorties.donnees import FICHES_JSON, copier_schemas, ecrire_donnees
from .lecture.regles import lien_autorise, ligne_sure
from .lecture.chargement import Cache, charger
from .modele import Referentiel
from .pages import SRC_PDF_RAPPORT, Blocs, Rendu, Urls, hors_du_menu, nav_dimensions, nav_versions, rendre
from .pages.fiche import SRC_FORMULAIRE
from .pages.liens import SRC_FICHES, SRC_MATRICE, SRC_REFERENTIEL
from .pages.nav import plan_du_referentiel
from .pages.macros import MARQUE_TAILLE, Macros
from .pages.termes import ancres_glossaire, lier_termes
from .pages.evaluation import criteres_proposes
from .pages.recueil import feuille
from .sorties.pdf.mise_en_page import MARGES_KIT, css_page

# The collection documents' stylesheet (pages/recueil.css), shared with the kit
# PDFs: the build writes it into the site, after its margins for printing.
SRC_CSS_RECUEIL = "stylesheets/recueil.css"
from .render import alleger_html, pluriel

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
    # The site's search: a Pagefind index written after the build (sorties/recherche.py),
    # and the header's box that uses it (overrides/partials/search-pagefind.html).
    recherche = c.Type(bool, default=False)
    # The address the form « Proposer une fiche » sends fiches to (« Envoyer par
    # courriel »); empty: no mail button. mkdocs.yml sets it, CONTRIBUTIONS_COURRIEL overrides it.
    contributions = c.Type(str, default="")
    # Where the PDFs are kept between builds (sorties/pdf/cache.py): a document
    # whose inputs did not change is copied, not composed again. Relative to the
    # folder of mkdocs.yml; mkdocs.yml sets it, REFERENTIEL_CACHE_PDF overrides
    # it; empty: no cache, everything is composed.
    cache_pdf = c.Type(str, default=".cache/pdf")


def macros_de(config) -> Macros:
    """What ``macros.py`` renders with: the macros of the build under way."""
    plugin = config["plugins"]["referentiel"]
    if plugin.macros is None:
        raise Abort("Les macros du référentiel ne sont disponibles qu'une fois les données chargées.")
    return plugin.macros


class PageGeneree(File):
    """A generated page. In preview (``make apercu``), a page whose data did
    not change since the previous build is not rendered again."""

    modifiee = True

    def is_modified(self) -> bool:
        return self.modifiee


# What a page may ask for in its front matter (``ressources: [tableaux]``):
# the stylesheets and scripts only some pages use, loaded on those pages only.
RESSOURCES = {
    "tableaux": {"css": [], "js": ["javascripts/tableaux.js"]},
    "formulaire": {"css": ["stylesheets/formulaire.css"], "js": []},
    # « Versions et changements »: the form that opens the comparison of two versions.
    "versions": {"css": [], "js": ["javascripts/versions.js"]},
    # « Préparer son évaluation »: its steps, and the documents it prints (recueil.css, written by the build).
    "evaluation": {"css": ["stylesheets/evaluation.css", SRC_CSS_RECUEIL], "js": ["javascripts/preparer-evaluation.js"]},
}


def ressources_de(page) -> dict[str, list[str]]:
    """The stylesheets and scripts a page's front matter asks for (site paths)."""
    noms = page.meta.get("ressources") or []
    if isinstance(noms, str):
        noms = [noms]
    inconnus = [n for n in noms if n not in RESSOURCES]
    if inconnus:
        raise Abort(f"{page.file.src_uri} : ressources inconnues {', '.join(map(str, inconnus))} "
                    f"(connues : {', '.join(RESSOURCES)}).")
    return {genre: [chemin for n in noms for chemin in RESSOURCES[n][genre]] for genre in ("css", "js")}


class ReferentielPlugin(BasePlugin[ReferentielConfig]):
    def __init__(self) -> None:
        super().__init__()
        self.referentiel: Referentiel | None = None
        self.macros: Macros | None = None
        self.termes: dict[str, str] = {}
        self.commande = "build"
        self.pdf_actif = False
        self.chapitres: dict[str, pdf.Chapitre] = {}
        self.taille_rapport: str | None = None
        self.blocs: Blocs | None = None
        self.rendu: Rendu | None = None
        self._cache = Cache()
        # Preview (``make apercu``): the state kept between rebuilds, and this rebuild's selection.
        self.apercu: Apercu | None = None
        self.selection = Selection()
        self._cache_jinja = CacheJinja()
        # Preview: the search index is written in the background (recherche.IndexationEnFond).
        self._recherche_en_fond: recherche.IndexationEnFond | None = None

    def on_startup(self, *, command, dirty):
        self.commande = command
        # `make apercu` is `mkdocs serve --dirty`: after a fiche is saved, only
        # the pages that show it are rendered again.
        if command == "serve" and dirty:
            self.apercu = Apercu()
            # MkDocs warns that dirty builds may leave navigation stale, which
            # `strict: true` turns into an abort; our preview rebuilds every
            # page whose data changed, and everything when anything but the
            # fiches changes, so the warning does not apply.
            logging.getLogger("mkdocs.commands.build").addFilter(_FiltreDirty())
            log.info("Aperçu rapide : seules les pages touchées par une fiche modifiée sont reconstruites.")

    def on_config(self, config):
        base = Path(config.config_file_path or ".").resolve().parent
        resultat = charger(base / self.config.donnees, cache=self._cache if self.commande == "serve" else None)
        if resultat.problemes:
            for p in resultat.problemes:
                log.error(str(p))
            raise Abort(
                f"Construction arrêtée : {pluriel(len(resultat.problemes), 'problème')} dans les données "
                "(voir ci-dessus). Corrigez-les ; « referentiel valider » donne la même liste."
            )
        assert resultat.referentiel is not None
        # Information, not warnings: a fiche that reports a retired indicator
        # stays valid, and the build runs with --strict.
        for a in resultat.avertissements:
            log.info("Avertissement : %s", a)
        self.referentiel = resultat.referentiel
        env = os.environ.get("REFERENTIEL_PDF", "")
        self.pdf_actif = self.config.pdf and env != "0" and (self.commande != "serve" or env == "1")
        self.chapitres = {}
        self.taille_rapport = None
        self.blocs = Blocs()
        self.rendu = Rendu(self.referentiel, Urls(config.use_directory_urls), pdf_fiches=self.pdf_actif,
                           site_url=config.site_url, blocs=self.blocs)
        courriel = self.config.contributions.strip()
        if courriel and not lien_autorise(f"mailto:{courriel}"):
            raise Abort(f"Réglage « contributions » du greffon referentiel (ou CONTRIBUTIONS_COURRIEL) : "
                        f"« {ligne_sure(courriel)} » n'est pas une adresse de courriel.")
        self.macros = Macros(self.rendu, repo_url=config.repo_url or "", courriel=courriel,
                             fiches_json=f"donnees/{FICHES_JSON}")
        self.termes = self._termes(Path(config.docs_dir))
        self._etendre_nav(config)
        if self.apercu is not None:
            # Absolute paths: MkDocs gives the config file and the theme folder
            # relative to the current folder at the first load, absolute afterwards.
            fichiers = [Path(config.config_file_path or base / "mkdocs.yml").resolve(), base / "macros.py"]
            dossiers = [Path(config.docs_dir).resolve(), SCHEMAS_DIR,
                        *(Path(d).resolve() for d in config.theme.dirs[:1])]
            self.selection = self.apercu.selectionner(self.referentiel, resultat.relus,
                                                      signature(fichiers, dossiers), base)
            if self.selection.message:
                log.info(self.selection.message)
        return config

    GLOSSAIRE = "glossaire.md"

    def _termes(self, docs: Path) -> dict[str, str]:
        """The glossary anchor of each tooltip term (none without a glossary)."""
        abreviations, glossaire = docs / "includes" / "abreviations.md", docs / self.GLOSSAIRE
        if not (abreviations.is_file() and glossaire.is_file()):
            return {}
        ancres, orphelins = ancres_glossaire(abreviations, glossaire)
        if orphelins:
            raise Abort(f"docs/includes/abreviations.md : sans entrée dans docs/{self.GLOSSAIRE} : "
                        + ", ".join(f"« {t} »" for t in orphelins))
        return ancres

    def _etendre_nav(self, config) -> None:
        """Add « Versions et changements », the dimensions and their criteria under the nav section ``section_nav``."""
        assert self.referentiel is not None
        for item in config.nav or []:
            if isinstance(item, dict) and self.config.section_nav in item:
                enfants = item[self.config.section_nav]
                if not isinstance(enfants, list):
                    enfants = [enfants]
                item[self.config.section_nav] = (enfants + nav_versions(self.referentiel)
                                                 + nav_dimensions(self.referentiel))
                return

    def on_serve(self, server, config, builder):
        # `make serve` rebuilds when a fiche, the framework or a schema changes.
        base = Path(config.config_file_path or ".").resolve().parent
        server.watch(str(base / self.config.donnees))
        server.watch(str(SCHEMAS_DIR))
        return server

    def on_files(self, files: Files, config) -> Files:
        assert self.rendu is not None
        # « Mettre à jour cette fiche » on each fiche page, when the site has the form.
        self.rendu.formulaire = SRC_FORMULAIRE if files.get_file_from_path(SRC_FORMULAIRE) is not None else None
        for src_uri, contenu in rendre(self.rendu, seulement=self.selection.pages).items():
            if files.get_file_from_path(src_uri) is not None:
                raise Abort(f"docs/{src_uri} existe déjà : cette page est générée à partir de data/, "
                            "supprimez le fichier de docs/.")
            inclusion = InclusionLevel.NOT_IN_NAV if hors_du_menu(src_uri) else InclusionLevel.UNDEFINED
            fichier = PageGeneree.generated(config, src_uri, content=contenu or "", inclusion=inclusion)
            fichier.modifiee = contenu is not None
            files.append(fichier)
        files.append(File.generated(config, SRC_CSS_RECUEIL, content=feuille(css_page(MARGES_KIT, a4=True))))
        if self.apercu is not None and self.selection.pages is not None and self.selection.tableaux:
            # Hand-written pages with macros show data: render them again too.
            for f in files.documentation_pages():
                if f.src_uri in self.apercu.pages_a_macros:
                    f.is_modified = lambda: True  # type: ignore[method-assign]
        return files

    def on_page_markdown(self, markdown, page, config, files):
        if page.file.generated_by is None and self.apercu is not None and page.meta.get("render_macros") is True:
            self.apercu.pages_a_macros.add(page.file.src_uri)
        return markdown

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
        glossaire = files.get_file_from_path(self.GLOSSAIRE)
        if self.termes and glossaire is not None and page.file is not glossaire:
            # After the PDF's copy: a printed chapter keeps its plain terms.
            html = lier_termes(html, get_relative_url(glossaire.url, page.url), self.termes)
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
        assert self.rendu is not None
        # The 404 lists the criteria and links to the lists of fiches (overrides/404.html).
        env.globals["referentiel_plan"] = {
            "dimensions": plan_du_referentiel(self.rendu.ref, self.rendu.urls),
            "fiches": self.rendu.urls.url(SRC_FICHES), "referentiel": self.rendu.urls.url(SRC_REFERENTIEL),
            "matrice": self.rendu.urls.url(SRC_MATRICE), "nombre_fiches": len(self.rendu.ref.fiches),
        }
        env.globals["referentiel_pdf"] = {
            "rapport": SRC_PDF_RAPPORT if self.taille_rapport else None,
            "taille": self.taille_rapport,
        }
        return env

    def on_page_context(self, context, page, config, nav):
        context["ressources_page"] = ressources_de(page)
        return context

    def _imprimer(self, config) -> None:
        assert self.referentiel is not None
        manquants = [c for c in self.config.chapitres_rapport if c not in self.chapitres]
        if manquants:
            raise Abort(f"Chapitres du rapport introuvables dans docs/ : {', '.join(manquants)}")
        debut = time.perf_counter()
        base = Path(config.config_file_path or ".").resolve().parent
        cache = base / self.config.cache_pdf.strip() if self.config.cache_pdf.strip() else None
        try:
            # The cache's line is information, not a warning: the build runs with --strict.
            taille = pdf.imprimer(self.referentiel, [self.chapitres[c] for c in self.config.chapitres_rapport],
                                  Path(config.site_dir), config.site_url, cache=cache, informer=log.info)
        except pdf.ErreurPdf as exc:
            raise Abort(str(exc)) from exc
        self.taille_rapport = pdf.taille_lisible(taille)
        log.info("PDF : rapport (%s), %s et %s en %.1f s", self.taille_rapport,
                 pluriel(len(self.referentiel.fiches), "fiche"),
                 pluriel(len(criteres_proposes(self.referentiel)), "kit de recueil", "kits de recueil"),
                 time.perf_counter() - debut)

    @event_priority(100)
    def on_post_page(self, output, page, config):
        if self.blocs is not None:
            # The blocks kept out of the page until now (pages.Blocs).
            try:
                output = self.blocs.finaliser(output)
            except ValueError as exc:
                raise Abort(f"{page.file.src_uri} : {exc}") from exc
        if MARQUE_TAILLE in output:
            output = output.replace(MARQUE_TAILLE, self.taille_rapport or "construit par « make build »")
        return alleger_html(output)

    def on_post_build(self, config) -> None:
        site = Path(config.site_dir)
        # Preview: the page of a deleted fiche goes away.
        for ident in sorted(self.selection.supprimees):
            shutil.rmtree(site / "fiches" / ident, ignore_errors=True)
        # Open data: JSON, CSV, schemas and datapackage.json in site/donnees/.
        # (The preview writes them at its first build only: « make build » for fresh ones.)
        assert self.referentiel is not None
        if self.selection.pages is None:
            ecrire_donnees(self.referentiel, site / "donnees", SCHEMAS_DIR)
        # The JSON Schemas, for editors and reusers.
        copier_schemas(site / "schemas", SCHEMAS_DIR)
        if self.config.recherche:
            self._indexer(site)

    def _indexer(self, site: Path) -> None:
        """The search index of the built site (sorties/recherche.py). The preview
        writes it in the background: a saved page shows at once, the index follows."""
        assert self.rendu is not None
        if self.commande == "serve":
            if self._recherche_en_fond is None:
                # Its failures are logged as information, not warnings: the
                # indexing runs in a thread while the next rebuild may already
                # be under way (a fiche saved again), and MkDocs' strict mode
                # counts every warning logged during a build against that build,
                # which then stops: the preview stuck. A failed index is written
                # again after the next rebuild.
                self._recherche_en_fond = recherche.IndexationEnFond(log.info, log.info)
            self._recherche_en_fond.demander(site, self.rendu.ref, self.rendu.urls)
            return
        debut = time.perf_counter()
        try:
            resume = recherche.indexer(site, self.rendu.ref, self.rendu.urls)
        except recherche.ErreurRecherche as exc:
            raise Abort(str(exc)) from exc
        log.info("Recherche : %d pages indexées (%s) en %.1f s", resume.pages,
                 pdf.taille_lisible(resume.octets), time.perf_counter() - debut)


class _FiltreDirty(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("A 'dirty' build is being performed")
