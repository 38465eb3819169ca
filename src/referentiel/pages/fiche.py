"""The page of a fiche: the actor, the action, and its findings criterion by criterion."""

from __future__ import annotations

from ..modele import LICENCES, Fiche
from ..modele.versions import cle_version
from ..render import date_fr, esc, md, md_inline, md_ligne, pluriel
from .blocs import tableau
from .commun import NOTICE_EXEMPLE, Rendu, front_matter
from .liens import src_comparaison, src_dimension, src_fiche, src_pdf_fiche
from .versions import badge_retire, lien_version, retrait_en_bloc, version

# The form « Proposer une fiche »; ``?fiche=<id>`` opens it filled with that fiche.
SRC_FORMULAIRE = "contribuer/proposer-une-fiche.md"


def page_fiche(r: Rendu, f: Fiche) -> str:
    here = r.urls.url(src_fiche(f))
    a, act = f.acteur, f.action
    out = [front_matter(f.titre, act.resume)]
    out.append(r.titre_de_page(f.titre))
    if f.est_exemple:
        out.append(r.avertissement("Fiche d'exemple", NOTICE_EXEMPLE))
    if r.pdf_fiches:
        out.append(r.bloc(f'<p class="ref-telecharger">{r.lien(here, src_pdf_fiche(f), "Télécharger la fiche (PDF)")}'
                        " : la fiche seule, à imprimer ou à joindre à un dossier.</p>"))
    if r.formulaire:
        href = f"{r.urls.rel(here, r.formulaire)}?fiche={f.id}"
        out.append(r.bloc(f'<p class="ref-mettre-a-jour"><a href="{esc(href)}">Mettre à jour cette fiche</a> : '
                          "vous menez cette action ? Le formulaire s'ouvre avec la fiche déjà remplie ; "
                          "changez ce qui a changé et envoyez-la, sans compte ni fichier à écrire.</p>",
                          recherche=False))
    ident = [("Acteur", esc(a.nom)), ("Type de structure", esc(a.type_libelle))]
    if a.ville:
        ident.append(("Commune", esc(a.ville)))
    # Printed, the heading block always says who, when and how to reach them.
    if a.site:
        ident.append(("Site web", f'<a href="{esc(a.site)}" rel="nofollow noopener">{esc(a.site)}</a>'))
    elif r.imprime:
        ident.append(("Site web", '<span class="ref-manque">non renseigné dans la fiche</span>'))
    periode = periode_fr(act.debut, act.fin)
    if periode:
        ident.append(("Période de l'action", esc(periode)))
    elif r.imprime:
        ident.append(("Période de l'action", '<span class="ref-manque">non précisée dans la fiche</span>'))
    if act.lieux:
        ident.append(("Lieux", _liste(act.lieux)))
    if act.categories_publics:
        # The fixed vocabulary (schemas/fiche.schema.json), then the fiche's own words.
        ident.append(("Catégories de publics", esc(", ".join(act.categories_publics_libelles))))
    if act.publics:
        ident.append(("Publics", _liste(act.publics)))
    if act.partenaires:
        ident.append(("Partenaires", _liste(act.partenaires)))
    dims = ", ".join(r.lien(here, src_dimension(d), d.titre) for d in f.dimensions())
    if dims:
        ident.append(("Dimensions", dims))
    ident.append(("Statut", esc(f.statut_libelle)))
    if f.mise_a_jour:
        ident.append(("Mise à jour", f'<time datetime="{esc(f.mise_a_jour)}">{esc(date_fr(f.mise_a_jour))}</time>'))
    redigee = version_de_la_fiche(r, here, f)
    if redigee:
        ident.append(("Version du référentiel", redigee))
    out.append(r.bloc('<dl class="ref-fiche-id">\n'
                     + "\n".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in ident) + "\n</dl>"))
    out.append(r.titre(2, "Présentation"))
    out.append(r.bloc(md(act.resume) + ("\n" + md(a.presentation) if a.presentation else "")))
    for titre, texte in (("Description du projet", act.description),
                         ("Moyens mis en œuvre", act.moyens),
                         ("Enjeux et objectifs", act.enjeux)):
        if texte:
            out.append(r.titre(2, titre))
            out.append(r.bloc(md(texte)))
    out.append(r.titre(2, "Utilité sociale"))
    resume = "\n".join(
        f"<li>{r.lien(here, src_fiche(f), f'{c.critere.id} · {c.critere.titre}', ancre=c.critere.slug)}"
        f"{badge_retire(c.critere)} ({pluriel(len(c.indicateurs), 'indicateur')})</li>"
        for c in f.contributions if c.critere)
    # Boilerplate and framework labels repeated on every fiche stay out of
    # the search index: they would make every fiche match every search.
    out.append(r.bloc(f'<div class="ref-resume-criteres"><p>Critères du référentiel traités par cette fiche :</p>\n'
                    f"<ul>\n{resume}\n</ul></div>", recherche=False))
    for contrib in f.contributions:
        c = contrib.critere
        assert c is not None and c.dimension is not None
        out.append(r.titre(3, f"{md_inline(c.id)} · {md_inline(c.titre)}", c.slug))
        lignes = []
        for o in contrib.indicateurs:
            i = o.indicateur
            assert i is not None
            lignes.append(
                f"<tr><td>{r.lien_indicateur(here, i)}"
                + retrait_en_bloc(r, here, i)
                + f"</td><td>{r.badge_type(i)}</td>"
                f"<td>{md_ligne(o.valeur)}"
                + (f'<div class="ref-commentaire">{md(o.commentaire)}</div>' if o.commentaire else "")
                + f"</td><td>{esc(o.source or '—')}</td></tr>")
        out.append(r.bloc(
            f'<p class="ref-meta" data-search-exclude>Critère {r.lien_critere(here, c)}{badge_retire(c)} · dimension '
            f'{r.lien(here, src_dimension(c.dimension), c.dimension.titre)}</p>\n'
            f"{md(contrib.constats)}\n"
            + tableau(f"Indicateurs renseignés pour le critère {c.id}",
                      ["Indicateur", "Type", "Valeur observée", "Source"], lignes)))
    if f.temoignages:
        out.append(r.titre(2, "Témoignages"))
        items = []
        for t in f.temoignages:
            auteur = f"<footer>— {esc(t.auteur)}</footer>" if t.auteur else ""
            items.append(f"<blockquote>{md(t.texte)}{auteur}</blockquote>")
        out.append(r.bloc("\n".join(items)))
    if f.evaluation_periode or f.evaluation_methode:
        out.append(r.titre(2, "Méthode d'évaluation"))
        html = ""
        if f.evaluation_periode:
            html += f"<p><strong>Période évaluée :</strong> {esc(f.evaluation_periode)}</p>\n"
        html += md(f.evaluation_methode)
        out.append(r.bloc(html))
    if f.sources:
        out.append(r.titre(2, "Sources"))
        items = []
        for s in f.sources:
            titre = (f'<a href="{esc(s.url)}" rel="nofollow noopener">{esc(s.titre)}</a>'
                     if s.url else esc(s.titre))
            date = f" ({esc(date_fr(s.date))})" if s.date else ""
            items.append(f"<li>{titre}{date}</li>")
        out.append(r.bloc("<ul>\n" + "\n".join(items) + "\n</ul>"))
    if f.historique:
        out.append(r.titre(2, "Historique de la fiche"))
        lignes = [f'<tr><td><time datetime="{esc(h.date)}">{esc(date_fr(h.date))}</time></td>'
                  f"<td>{esc(h.auteur)}</td><td>{esc(h.modification)}</td></tr>"
                  for h in sorted(f.historique, key=lambda h: h.date)]
        out.append(r.bloc(tableau(f"Historique de la fiche {f.titre}", ["Date", "Par", "Modification"], lignes),
                             recherche=False))
    nom, url = LICENCES[f.licence or r.ref.licence]
    licence = f'Cette fiche est publiée sous licence <a href="{esc(url)}" rel="license">{esc(nom)}</a>.'
    if f.est_exemple:
        auteur = "Équipe du site"
        nature = f"fiche d'évaluation d'exemple, reconstituée d'après des sources publiques ({f.acteur.nom})"
    else:
        auteur, nature = f.acteur.nom, "fiche d'évaluation"
    if r.imprime and r.titres.prefixe:
        # A part of the report, whose « Licence et crédits » say how to reuse
        # and cite its fiches: only a licence of its own is worth a line.
        if f.licence and f.licence != r.ref.licence:
            out.append(r.bloc(f'<p class="ref-citation">{licence}</p>', recherche=False))
        return "".join(out)
    if r.imprime:
        # Printed: one short closing section. The repository path means
        # nothing on paper, and the date is in the heading block.
        _, _, citation = r.citation(src_fiche(f), auteur, f.titre, nature, f.mise_a_jour)
        out.append(r.titre(2, "Licence et citation"))
        out.append(r.bloc(
            f'<p class="ref-citation">{licence} Reprenez-la ou adaptez-la en citant la source et en publiant '
            f"vos adaptations sous la même licence. Pour la citer : {esc(citation)}.</p>", recherche=False))
        return "".join(out)
    out.append(r.titre(2, "Licence"))
    out.append(r.bloc(f"<p>{licence} Source des données : <code>{esc(f.fichier)}</code>.</p>", recherche=False))
    out.append(r.citer(src_fiche(f), auteur, f.titre, nature, f.mise_a_jour))
    return "".join(out)


def version_de_la_fiche(r: Rendu, here: str, f: Fiche) -> str:
    """« Rédigée avec la version 1.0 du référentiel » (and the current version,
    when it is another), or nothing when the référentiel has no versions."""
    if not r.ref.versions:
        return ""
    numero = r.ref.version_de(f)
    if not numero:
        return ""
    texte = f"Rédigée avec la {lien_version(r, here, numero)} du référentiel"
    actuelle = r.ref.version
    if version(r.ref, numero) and version(r.ref, actuelle) and cle_version(numero) < cle_version(actuelle):
        texte += f" ; version actuelle : {esc(actuelle)}"
        # (A printed fiche without the site's address has no link to give.)
        if r.urls.rel(here, src_comparaison(numero, actuelle)) is not None:
            texte += " (" + r.lien(here, src_comparaison(numero, actuelle), "ce qui a changé depuis") + ")"
    return texte


def _liste(elements: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{esc(x)}</li>" for x in elements) + "</ul>"


def periode_fr(debut: str | None, fin: str | None) -> str:
    if debut and fin:
        return f"de {date_fr(debut)} à {date_fr(fin)}"
    if debut:
        return f"depuis {date_fr(debut)}"
    if fin:
        return f"jusqu'en {date_fr(fin)}"
    return ""
