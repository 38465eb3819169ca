"""Macros for hand-written pages (opt-in with ``render_macros: true``).

Part of the engine adapter: each macro forwards to ``referentiel.pages.macros``
(plain Python, which escapes contributed text), with the URL of the page
being rendered. Macro output is never templated again.
"""

from referentiel.mkdocs_plugin import macros_de


def define_env(env):
    def ici():
        return env.page.url if env.page is not None else ""

    @env.macro
    def tableau_referentiel():
        """The whole framework as one table, with how many fiches use each item."""
        return macros_de(env.conf).tableau_referentiel(ici())

    @env.macro
    def tableau_fiches():
        """Every fiche, with its actor, dimensions, criteria and status."""
        return macros_de(env.conf).tableau_fiches(ici())

    @env.macro
    def matrice():
        """Fiches × criteria."""
        return macros_de(env.conf).matrice(ici())

    @env.macro
    def graphiques():
        """Four charts (inline SVG, no JavaScript), each followed by its figures as a table."""
        return macros_de(env.conf).graphiques(ici())

    @env.macro
    def lien_rapport():
        """« Télécharger le rapport (PDF) » with its size (filled in once the PDF is printed)."""
        return macros_de(env.conf).lien_rapport()

    @env.macro
    def entrees_accueil(formulaire=None, evaluation=None):
        """The home page's first screen: the dimensions, the report, « Préparer son évaluation », « Proposer une fiche »."""
        return macros_de(env.conf).entrees_accueil(ici(), formulaire, evaluation)

    @env.macro
    def chiffres():
        """Key figures of the référentiel, as a dict for hand-written sentences."""
        return macros_de(env.conf).chiffres()

    @env.macro
    def donnees_formulaire():
        """The data of the « Proposer une fiche » form, as a JSON script element."""
        return macros_de(env.conf).donnees_formulaire(ici())

    @env.macro
    def sans_formulaire():
        """The other ways to propose a fiche: by mail, and on GitHub when the site knows its repository."""
        return macros_de(env.conf).sans_formulaire(ici())
