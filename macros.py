"""Macros for hand-written pages (opt-in with ``render_macros: true``).

Thin: every macro calls the renderer of the ``referentiel`` plugin, which
escapes contributed text. Macro output is never templated again. Block-level
HTML (tables, charts) goes through ``brut()``: it must stand on a line of its
own in the page, and is put back after Markdown (see ``pages.Blocs``).
"""


def define_env(env):
    def rendu():
        plugin = env.conf["plugins"]["referentiel"]
        return plugin.rendu

    def ici():
        return env.page.url if env.page is not None else ""

    def hors_recherche(html):
        """Tables that repeat every fiche's title stay out of the search index:
        a search leads to the fiche's own page. (A <section>: Material's search
        parser would end the exclusion at the first nested </div>.)"""
        return f"<section data-search-exclude>\n{html}\n</section>"

    @env.macro
    def tableau_referentiel():
        """The whole framework as one table, with how many fiches use each item."""
        return rendu().brut(rendu().tableau_referentiel(ici()))

    @env.macro
    def tableau_fiches():
        """Every fiche, with its actor, dimensions, criteria and status."""
        return rendu().brut(hors_recherche(rendu().tableau_fiches(ici())), recherche=False)

    @env.macro
    def matrice():
        """Fiches × criteria."""
        return rendu().brut(hors_recherche(rendu().matrice(ici())), recherche=False)

    @env.macro
    def fiches_du_critere(critere_id):
        """The fiches that use one criterion, with their constats."""
        r = rendu()
        critere = r.ref.criteres[critere_id]
        return r.brut(r.fiches_du_critere(critere, ici()))

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

    @env.macro
    def donnees_formulaire():
        """The data of the « Proposer une fiche » form, as a JSON script element.

        Criteria, indicators and actor types come from the référentiel; the
        constraints come from the fiche schema, so that the form checks what
        ``referentiel valider`` checks.
        """
        import json
        import re

        from referentiel.checks import genre, noms_site_fiches, schema
        from referentiel.model import TYPES_ACTEUR, TYPES_INDICATEUR
        from referentiel.regles import pour_le_navigateur
        from referentiel.pages import src_critere

        r = rendu()
        ref = r.ref
        racine = schema("fiche")

        def regle(*chemin):
            """The schema of one field (``"acteur", "nom"``), local ``$ref`` resolved,
            with what the validator's text rules need to know of it."""
            noeud = racine
            for nom in chemin:
                noeud = noeud["properties"][nom] if nom != "[]" else noeud["items"]
                if "$ref" in noeud:
                    cible = racine
                    for part in noeud["$ref"][2:].split("/"):
                        cible = cible[part]
                    noeud = {**cible, **{k: v for k, v in noeud.items() if k != "$ref"}}
            g = genre("fiche", tuple(-1 if nom == "[]" else nom for nom in chemin))
            return {**{k: noeud[k] for k in ("pattern", "minLength", "maxLength", "minItems", "maxItems")
                       if k in noeud}, "long": g.long, "markdown": g.markdown}

        donnees = {
            "licence": ref.licence,
            "version": ref.version,
            "dimensions": [{
                "id": d.id,
                "titre": d.titre,
                "criteres": [{
                    "id": c.id,
                    "titre": c.titre,
                    "url": r.urls.rel(ici(), src_critere(c)),
                    "indicateurs": [{"id": i.id, "libelle": i.libelle, "type": i.type,
                                     "type_libelle": TYPES_INDICATEUR[i.type]} for i in c.indicateurs],
                } for c in d.criteres],
            } for d in ref.dimensions],
            "types_acteur": [{"id": k, "libelle": v} for k, v in TYPES_ACTEUR.items()],
            "fiches": [f.id for f in ref.fiches],
            "contraintes": {
                "id": regle("id"),
                "titre": regle("titre"),
                "acteur_nom": regle("acteur", "nom"),
                "ville": regle("acteur", "ville"),
                "site": regle("acteur", "site"),
                "resume": regle("action", "resume"),
                "contributions": regle("contributions"),
                "constats": regle("contributions", "[]", "constats"),
                "indicateurs": regle("contributions", "[]", "indicateurs"),
                "valeur": regle("contributions", "[]", "indicateurs", "[]", "valeur"),
                "source": regle("contributions", "[]", "indicateurs", "[]", "source"),
                "lien": {k: racine["$defs"]["lien"][k] for k in ("pattern", "maxLength")},
            },
            "regles": pour_le_navigateur(noms_site_fiches()),
            "repo_url": re.sub(r"\.git$", "", (env.conf.get("repo_url") or "").rstrip("/")),
        }
        texte = json.dumps(donnees, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/").replace("<!--", "<\\u0021--")
        return f'<script type="application/json" id="donnees-formulaire">{texte}</script>'

    @env.macro
    def graphiques():
        """Four charts (inline SVG, no JavaScript), each followed by its figures as a table."""
        from referentiel.graphiques import graphiques as dessiner

        r = rendu()
        return r.brut(hors_recherche(dessiner(r.ref, ici(), r.urls)), recherche=False)
