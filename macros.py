"""Macros for hand-written pages (opt-in with ``render_macros: true``).

Thin: every macro calls the renderer of the ``referentiel`` plugin, which
escapes contributed text. Macro output is never templated again.
"""


def define_env(env):
    def rendu():
        plugin = env.conf["plugins"]["referentiel"]
        return plugin.rendu

    def ici():
        return env.page.url if env.page is not None else ""

    @env.macro
    def tableau_referentiel():
        """The whole framework as one table, with how many fiches use each item."""
        return rendu().tableau_referentiel(ici())

    @env.macro
    def tableau_fiches():
        """Every fiche, with its actor, dimensions, criteria and status."""
        return rendu().tableau_fiches(ici())

    @env.macro
    def matrice():
        """Fiches × criteria."""
        return rendu().matrice(ici())

    @env.macro
    def fiches_du_critere(critere_id):
        """The fiches that use one criterion, with their constats."""
        r = rendu()
        critere = r.ref.criteres[critere_id]
        return r.fiches_du_critere(critere, ici())

    @env.macro
    def lien_rapport():
        """« Télécharger le rapport (PDF) » with its size (filled in once the PDF is printed)."""
        from referentiel.mkdocs_plugin import MARQUE_TAILLE
        from referentiel.pages import SRC_PDF_RAPPORT

        return (f'<a class="md-button md-button--primary" href="{SRC_PDF_RAPPORT}" download>'
                f"Télécharger le rapport (PDF, {MARQUE_TAILLE})</a>")

    @env.macro
    def chiffres():
        """Key figures of the référentiel, as a dict for hand-written sentences."""
        ref = rendu().ref
        return {
            "dimensions": len(ref.dimensions),
            "criteres": len(ref.criteres),
            "indicateurs": len(ref.indicateurs),
            "fiches": len(ref.fiches),
            "version": ref.version,
        }
