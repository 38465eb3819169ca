"""The référentiel's versions on its pages (``data/versions/``, ``modele.versions``).

- Every dimension, criterion and indicator page says since which version the
  item exists and, for each version whose changelog names it, what changed
  (:func:`historique`: for a change of wording, the field with its old and
  new text, taken from the two snapshots, and the reason).
- A retired item keeps its page, at the same address; it opens with
  « Retiré dans la version X », what replaces it and the fiches that still
  use it (:func:`avertissement_retrait`). The page of its replacement says
  what it replaces (:func:`remplace`).
- « Versions et changements » (:func:`page_versions`): every version, newest
  first, with its changes; a form goes to the comparison of two versions.
- One page per pair of versions (:func:`page_comparaison`): what was added,
  changed (old and new wording side by side) and retired between them.

Lists and tables of the référentiel keep a retired item, marked with
:func:`badge_retire` (a fiche or a document may still cite it), and count
only the items in force (:func:`en_vigueur`, :func:`compte`).

None of it when the data has no ``versions/`` folder (``ref.versions`` empty).
"""

from __future__ import annotations

import difflib
import json

from ..modele import Critere, Dimension, Fiche, Indicateur, Referentiel
from ..modele.versions import CHAMPS_FR, LIBELLES, Changement, Element, VersionPubliee, cle_version, comparer
from ..render import date_fr, esc, md_inline, mot, pluriel
from .blocs import script_json, tableau
from .commun import Rendu
from .liens import (
    SRC_VERSIONS,
    ancre_version,
    src_comparaison,
    src_critere,
    src_dimension,
    src_indicateur,
)

Item = Dimension | Critere | Indicateur

# Each kind of item, as the sentences of the pages name it.
NOM = {"dimension": "dimension", "critere": "critère", "indicateur": "indicateur"}
CE = {"dimension": "Cette dimension", "critere": "Ce critère", "indicateur": "Cet indicateur"}


# ---------------------------------------------------------------------------
# Items, their kind and their retirement


def nature(item: Item) -> str:
    if isinstance(item, Dimension):
        return "dimension"
    return "critere" if isinstance(item, Critere) else "indicateur"


def accorde(participe: str, nat: str) -> str:
    """« retiré » agreed with the kind of item (a dimension is feminine)."""
    return participe + ("e" if nat == "dimension" else "")


def libelle(item: Item) -> str:
    return item.libelle if isinstance(item, Indicateur) else item.titre


def src_item(item: Item) -> str:
    if isinstance(item, Dimension):
        return src_dimension(item)
    return src_critere(item) if isinstance(item, Critere) else src_indicateur(item)


def element(ref: Referentiel, ident: str) -> Item | None:
    """The item of the current référentiel with this id (every published id stays in it)."""
    return (ref.indicateurs.get(ident) or ref.criteres.get(ident)
            or next((d for d in ref.dimensions if d.id == ident), None))


def en_vigueur(items: list) -> list:
    """The items not retired: what the counts of the référentiel count."""
    return [x for x in items if x.retire is None]


def compte(items: list, singulier: str) -> str:
    """« 3 indicateurs », or « 3 indicateurs (et 1 retiré) »: the criteria or
    indicators in force, then the retired ones."""
    n = len(en_vigueur(items))
    retires = len(items) - n
    texte = pluriel(n, singulier)
    if retires:
        texte += f" (et {retires} {mot(retires, 'retiré')})"
    return texte


def version(ref: Referentiel, numero: str | None) -> VersionPubliee | None:
    return next((v for v in ref.versions if v.version == numero), None)


def lien_version(r: Rendu, here: str, numero: str, texte: str | None = None) -> str:
    """A link to the version's section of « Versions et changements »."""
    texte = texte or f"version {numero}"
    if version(r.ref, numero) is None:
        return esc(texte)
    return r.lien(here, SRC_VERSIONS, texte, ancre=ancre_version(numero))


def lien_element(r: Rendu, here: str, ident: str, texte: str | None = None, court: bool = False) -> str:
    """A link to the page of the item ``ident`` (« VE2.4 · libellé »; ``texte``:
    its wording as a version had it); ``court``: the id, the wording as its title."""
    item = element(r.ref, ident)
    nom = texte if texte is not None else (libelle(item) if item is not None else None)
    affiche = ident if court or not nom else f"{ident} · {nom}"
    if item is None:
        return esc(affiche)
    return r.lien(here, src_item(item), affiche, titre=nom if court else None)


def texte_retrait(item: Item) -> str | None:
    """« Retiré dans la version X » (plain text), or None for an item in force."""
    if item.retire is None:
        return None
    return f"{accorde('Retiré', nature(item))} dans la version {item.retire.version}"


def badge_retire(item: Item) -> str:
    """« Retiré dans la version X » as a badge, or nothing for an item in force."""
    texte = texte_retrait(item)
    return f' <span class="ref-retire">{esc(texte)}</span>' if texte else ""


def mention_retrait(r: Rendu, here: str, item: Item) -> str:
    """The badge, then « remplacé par » and short links to the replacements (a row of a table)."""
    if item.retire is None:
        return ""
    texte = badge_retire(item)
    if item.retire.remplace_par:
        texte += (f' <span class="ref-remplacement">{accorde("remplacé", nature(item))} par '
                  + ", ".join(lien_element(r, here, x, court=True) for x in item.retire.remplace_par)
                  + "</span>")
    return texte


def retrait_en_bloc(r: Rendu, here: str, item: Item) -> str:
    """The badge, then « Remplacé par : » on a line of its own (a row of a fiche's table)."""
    if item.retire is None:
        return ""
    par = ", ".join(lien_element(r, here, x) for x in item.retire.remplace_par)
    return (f'<div class="ref-retrait">{badge_retire(item).strip()}'
            + (f"<br>{accorde('Remplacé', nature(item))} par : {par}" if par else "") + "</div>")


def suffixe_retrait(item: Item) -> str:
    """« (retiré) » after an item's name in plain text (menu, charts, filters)."""
    return f" ({accorde('retiré', nature(item))})" if item.retire is not None else ""


def remplacants(ref: Referentiel) -> dict[str, list[Item]]:
    """For each id, the retired items it replaces."""
    out: dict[str, list[Item]] = {}
    items: list[Item] = []
    for d in ref.dimensions:
        items.append(d)
        for c in d.criteres:
            items.append(c)
            items.extend(c.indicateurs)
    for item in items:
        for ident in (item.retire.remplace_par if item.retire else ()):
            out.setdefault(ident, []).append(item)
    return out


def remplace(r: Rendu, here: str, item: Item) -> str:
    """« Remplace VE2.3 · … (retiré dans la version 1.1) », or nothing (HTML, inline)."""
    anciens = remplacants(r.ref).get(item.id, [])
    return ", ".join(
        f"{lien_element(r, here, a.id)} ({accorde('retiré', nature(a))} dans la "
        f"{lien_version(r, here, a.retire.version)})" for a in anciens if a.retire)


def avertissement_retrait(r: Rendu, here: str, item: Item, fiches: list[Fiche]) -> str:
    """The warning box at the top of a retired item's page: since when, why,
    what replaces it, and the fiches that still use it."""
    ret = item.retire
    if ret is None:
        return ""
    nat = nature(item)
    v = version(r.ref, ret.version)
    quand = f", du {esc(date_fr(v.date))}" if v else ""
    pronom = "la" if nat == "dimension" else "le"
    corps = [f"<p>{CE[nat]} ne fait plus partie du référentiel depuis la "
             f"{lien_version(r, here, ret.version)}{quand}. Sa page reste à la même adresse, avec son texte, "
             f"pour les fiches et les documents qui {pronom} citent.</p>"]
    changement = v.changement(item.id, "retrait") if v else None
    if changement and changement.raison:
        corps.append(f"<p><strong>Pourquoi :</strong> {esc(changement.raison)}</p>")
    if ret.remplace_par:
        corps.append(f"<p><strong>{accorde('Remplacé', nat)} par :</strong> "
                     + ", ".join(lien_element(r, here, x) for x in ret.remplace_par) + "</p>")
    else:
        corps.append(f"<p>Aucun élément ne {pronom} remplace.</p>")
    if fiches:
        qui = "Fiche qui l'utilise" if len(fiches) == 1 else "Fiches qui l'utilisent"
        corps.append(f"<p><strong>{qui} encore :</strong> " + ", ".join(r.lien_fiche(here, f) for f in fiches) + "</p>")
    else:
        corps.append("<p>Aucune fiche ne l'utilise encore.</p>")
    titre = f"{accorde('Retiré', nat)} dans la version {ret.version}"
    return r.avertissement(titre, "", corps="\n".join(corps))


# ---------------------------------------------------------------------------
# What changed: the old and new wording


def textes_compares(avant: str | None, apres: str | None) -> tuple[str, str]:
    """The two texts as HTML, escaped, with the words taken out marked
    ``<del>`` in the first and the words put in marked ``<ins>`` in the second."""
    if not avant or not apres:
        vide = '<span class="ref-manque">pas de texte</span>'
        return (esc(" ".join(avant.split())) if avant else vide), (esc(" ".join(apres.split())) if apres else vide)
    a, b = avant.split(), apres.split()
    gauche, droite = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        ma, mb = esc(" ".join(a[i1:i2])), esc(" ".join(b[j1:j2]))
        if op == "equal":
            gauche.append(ma)
            droite.append(mb)
            continue
        if ma:
            gauche.append(f"<del>{ma}</del>")
        if mb:
            droite.append(f"<ins>{mb}</ins>")
    return " ".join(gauche), " ".join(droite)


def champs_modifies(avant: Element | None, apres: Element | None, notes: tuple[str, ...] = ()) -> list[str]:
    """The wording fields that differ between two snapshots of an item (or, without them, the changelog's)."""
    if avant is None or apres is None:
        return list(notes)
    return [c for c in LIBELLES[apres.nature] if avant.texte(c) != apres.texte(c)] or list(notes)


def lignes_champs(avant: Element | None, apres: Element | None, champs: list[str]) -> list[str]:
    lignes = []
    for champ in champs:
        g, d = textes_compares(avant.texte(champ) if avant else None, apres.texte(champ) if apres else None)
        lignes.append(f'<tr><th scope="row">{esc(CHAMPS_FR[champ].capitalize())}</th>'
                      f'<td class="ref-texte-avant">{g}</td><td class="ref-texte-apres">{d}</td></tr>')
    return lignes


def _libelle_de(e: Element | None) -> str | None:
    return e.texte(LIBELLES[e.nature][0]) if e is not None else None


def _champs_fr(champs: tuple[str, ...] | list[str]) -> str:
    return ", ".join(CHAMPS_FR.get(c, c) for c in champs)


# ---------------------------------------------------------------------------
# On the page of each item


def entrees(ref: Referentiel, ident: str) -> list[tuple[VersionPubliee, VersionPubliee | None, Changement]]:
    """Each changelog entry naming ``ident``, oldest first, with its version and the one before."""
    out = []
    for k, v in enumerate(ref.versions):
        for c in v.changements:
            if c.id == ident:
                out.append((v, ref.versions[k - 1] if k else None, c))
    return out


def historique(r: Rendu, here: str, item: Item) -> str:
    """The section « Historique »: since which version, then each change (Markdown)."""
    ref = r.ref
    premiere = next((v for v in ref.versions if item.id in v.elements), None)
    if premiere is None:
        return ""
    nat = nature(item)
    html = [f'<p>Dans le référentiel depuis la {lien_version(r, here, premiere.version)}, '
            f'du {esc(date_fr(premiere.date))}.</p>']
    liste = entrees(ref, item.id)
    if not liste:
        html.append("<p>Son texte n'a pas changé depuis.</p>")
    for v, precedente, c in liste:
        quand = (f'<strong>{lien_version(r, here, v.version, f"Version {v.version}")}</strong>, '
                 f"{esc(date_fr(v.date))} : ")
        raison = f' <span class="ref-raison">Pourquoi : {esc(c.raison)}</span>' if c.raison else ""
        if c.nature == "ajout":
            html.append(f'<div class="ref-historique__entree"><p>{quand}{accorde("ajouté", nat)} au '
                        f"référentiel.{raison}</p></div>")
        elif c.nature == "retrait":
            par = (f"<br>{accorde('Remplacé', nat)} par : "
                   + ", ".join(lien_element(r, here, x) for x in c.remplace_par)) if c.remplace_par else ""
            html.append(f'<div class="ref-historique__entree"><p>{quand}{accorde("retiré", nat)} du '
                        f"référentiel.{par}{raison}</p></div>")
        else:
            avant = precedente.elements.get(item.id) if precedente else None
            apres = v.elements.get(item.id)
            champs = champs_modifies(avant, apres, c.champs)
            table = ""
            if avant is not None and apres is not None:
                table = tableau(f"{item.id} : le texte avant et après la version {v.version}",
                                ["Champ", f"Version {precedente.version}", f"Version {v.version}"],
                                lignes_champs(avant, apres, champs), variante="ecarts")
            html.append(f'<div class="ref-historique__entree"><p>{quand}texte modifié ({esc(_champs_fr(champs))}).'
                        f"{raison}</p>\n{table}</div>")
    # In the search index: an old wording, quoted somewhere, leads to the page.
    return r.titre(2, "Historique") + r.bloc("\n".join(html))


# ---------------------------------------------------------------------------
# « Versions et changements »


def _paires(ref: Referentiel) -> list[tuple[VersionPubliee, VersionPubliee]]:
    """Every pair (older, newer) of released versions, the newest first."""
    vs = sorted(ref.versions, key=lambda v: cle_version(v.version))
    return sorted(((a, b) for i, a in enumerate(vs) for b in vs[i + 1:]),
                  key=lambda p: (cle_version(p[1].version), cle_version(p[0].version)), reverse=True)


def _precedente(ref: Referentiel, v: VersionPubliee) -> VersionPubliee | None:
    avant = [x for x in ref.versions if cle_version(x.version) < cle_version(v.version)]
    return max(avant, key=lambda x: cle_version(x.version)) if avant else None


def _formulaire(r: Rendu, here: str) -> str:
    """Two lists and a button that go to the chosen pair's page; the pairs
    and their addresses are JSON for docs/javascripts/versions.js. Hidden
    until the script shows it: without JavaScript, the list of links below."""
    vs = sorted(r.ref.versions, key=lambda v: cle_version(v.version), reverse=True)
    paires = [{"de": a.version, "a": b.version, "url": r.urls.rel(here, src_comparaison(a.version, b.version))}
              for a, b in _paires(r.ref)]
    donnees = {"paires": paires,
               "message": "Choisissez pour « de » une version plus ancienne que pour « à » : "
                          "chaque comparaison va d'une version à une version plus récente."}

    def options(choisie: str) -> str:
        return "".join(f'<option value="{esc(v.version)}"{" selected" if v.version == choisie else ""}>'
                       f"{esc(v.version)} ({esc(date_fr(v.date))})</option>" for v in vs)

    return (
        '<form class="ref-comparer" data-comparer hidden>\n'
        '<p class="ref-comparer__champ"><label for="ref-comparer-de">De la version</label>\n'
        f'<select id="ref-comparer-de" name="de">{options(vs[1].version)}</select></p>\n'
        '<p class="ref-comparer__champ"><label for="ref-comparer-a">à la version</label>\n'
        f'<select id="ref-comparer-a" name="a">{options(vs[0].version)}</select></p>\n'
        '<p class="ref-comparer__champ"><button type="submit" class="md-button md-button--primary">'
        "Comparer</button></p>\n"
        '<p class="ref-comparer__message" role="status"></p>\n'
        "</form>\n"
        + script_json("ref-comparaisons", donnees))


def _changements_de(r: Rendu, here: str, v: VersionPubliee) -> str:
    """The changes of one version, by kind, each item linked (its wording as ``v`` has it)."""
    precedente = _precedente(r.ref, v)
    groupes = {"ajout": [], "modification": [], "retrait": []}
    for c in v.changements:
        e = v.elements.get(c.id)
        nat = e.nature if e else "indicateur"
        qui = f"{NOM[nat].capitalize()} {lien_element(r, here, c.id, _libelle_de(e))}"
        raison = f' <span class="ref-raison">Pourquoi : {esc(c.raison)}</span>' if c.raison else ""
        if c.nature == "modification":
            champs = champs_modifies(precedente.elements.get(c.id) if precedente else None, e, c.champs)
            voir = ""
            if precedente is not None:
                voir = (" (" + r.lien(here, src_comparaison(precedente.version, v.version),
                                      "l'ancien et le nouveau texte", ancre="modifies") + ")")
            groupes["modification"].append(f"<li>{qui}<br>Texte modifié : {esc(_champs_fr(champs))}{voir}"
                                           f"{raison}</li>")
        elif c.nature == "retrait":
            par = (", ".join(lien_element(r, here, x, _libelle_de(v.elements.get(x))) for x in c.remplace_par)
                   or "aucun autre élément")
            groupes["retrait"].append(f"<li>{qui}<br>{accorde('Remplacé', nat)} par : {par}{raison}</li>")
        else:
            groupes["ajout"].append(f"<li>{qui}{raison}</li>")
    titres = {"ajout": "Ajouts", "modification": "Modifications", "retrait": "Retraits"}
    out = []
    for cle, items in groupes.items():
        if items:
            out.append(f"<h3>{titres[cle]} ({len(items)})</h3>\n"
                       f'<ul class="ref-changements">\n' + "\n".join(items) + "\n</ul>")
    return "\n".join(out)


def _contenu(v: VersionPubliee) -> str:
    """« 4 dimensions, 14 critères et 42 indicateurs » in force in a version."""
    n = {"dimension": 0, "critere": 0, "indicateur": 0}
    for e in v.elements.values():
        if not e.retire:
            n[e.nature] += 1
    return (f"{pluriel(n['dimension'], 'dimension')}, {pluriel(n['critere'], 'critère')} et "
            f"{pluriel(n['indicateur'], 'indicateur')}")


def page_versions(r: Rendu) -> str:
    """« Versions et changements »: every version, newest first, with its changes."""
    ref = r.ref
    here = r.urls.url(SRC_VERSIONS)
    vs = sorted(ref.versions, key=lambda v: cle_version(v.version), reverse=True)
    courante = version(ref, ref.version)
    out = ["---\ntitle: Versions et changements\n"
           "description: Chaque version du référentiel, sa date et ce qu'elle a changé.\n"
           "ressources: [versions]\n---\n\n"]
    out.append(r.titre(1, "Versions et changements"))
    intro = ("<p>Le référentiel évolue : des indicateurs s'ajoutent, des textes se précisent, d'autres sont "
             "retirés. Chaque version publiée est gardée telle quelle, avec sa date et la liste de ce qu'elle "
             "change, et la raison de chaque changement.</p>\n"
             "<p>Un identifiant publié ne disparaît jamais et ne change pas de sens : un élément retiré garde sa "
             "page, à la même adresse ; elle dit dans quelle version il a été retiré, ce qui le remplace et "
             "quelles fiches l'utilisent encore.</p>")
    if courante is not None:
        intro += (f"\n<p>Version actuelle : <strong>{esc(courante.version)}</strong>, du "
                  f"{esc(date_fr(courante.date))} ({_contenu(courante)}).</p>")
    out.append(r.bloc(intro))
    paires = _paires(ref)
    out.append(r.titre(2, "Comparer deux versions", ident="comparer"))
    if not paires:
        out.append(r.bloc("<p>Une seule version est publiée : il n'y a rien à comparer pour l'instant.</p>"))
    else:
        liens = "\n".join(
            f"<li>{r.lien(here, src_comparaison(a.version, b.version), f'De la version {a.version} à la version {b.version}')}</li>"
            for a, b in paires)
        out.append(r.bloc(_formulaire(r, here) + "\n<p>Chaque comparaison a sa page : ce qui a été ajouté, "
                          "modifié (l'ancien et le nouveau texte côte à côte) et retiré.</p>\n"
                          f'<ul class="ref-comparaisons">\n{liens}\n</ul>', recherche=False))
    for v in vs:
        out.append(r.titre(2, md_inline(f"Version {v.version} · {date_fr(v.date)}"), ident=ancre_version(v.version)))
        precedente = _precedente(ref, v)
        meta = []
        if v is courante:
            meta.append("Version actuelle")
        if precedente is not None:
            meta.append(r.lien(here, src_comparaison(precedente.version, v.version),
                               f"Comparer avec la version {precedente.version}"))
        html = (f'<p class="ref-meta">{" · ".join(meta)}</p>\n' if meta else "")
        html += f'<p>{esc(" ".join(v.resume.split()))}</p>\n'
        if precedente is None:
            html += f"<p>Elle compte {_contenu(v)}.</p>"
        elif not v.changements:
            html += "<p>Cette version ne change le texte d'aucun élément du référentiel.</p>"
        else:
            html += _changements_de(r, here, v)
        out.append(r.bloc(html))
    return "".join(out)


# ---------------------------------------------------------------------------
# One page per pair of versions


def _raisons(entre: list[VersionPubliee], ident: str, nature_changement: str) -> str:
    trouvees = [(v.version, c.raison) for v in entre
                if (c := v.changement(ident, nature_changement)) is not None and c.raison]
    if len(entre) == 1:
        return "<br>".join(esc(t) for _, t in trouvees) or "—"
    return "<br>".join(f"Version {esc(n)} : {esc(t)}" for n, t in trouvees) or "—"


def page_comparaison(r: Rendu, avant: VersionPubliee, apres: VersionPubliee) -> str:
    """What changed from ``avant`` to the later ``apres``: added, changed, retired."""
    ref = r.ref
    src = src_comparaison(avant.version, apres.version)
    here = r.urls.url(src)
    entre = [v for v in ref.versions
             if cle_version(avant.version) < cle_version(v.version) <= cle_version(apres.version)]
    ecarts = comparer(avant.elements, apres.elements)
    ajouts = [e for e in ecarts if e.nature == "ajout"]
    modifs = [e for e in ecarts if e.nature == "modification"]
    retraits = [e for e in ecarts if e.nature == "retrait"]
    titre = f"De la version {avant.version} à la version {apres.version}"
    out = ["---\n" f"title: {json.dumps(titre + ' : ce qui a changé', ensure_ascii=False)}\n"
           f"description: {json.dumps(f'Ce qui a été ajouté, modifié et retiré dans le référentiel entre les versions {avant.version} et {apres.version}.', ensure_ascii=False)}\n"
           "---\n\n"]
    out.append(r.titre(1, md_inline(titre)))
    resumes = "\n".join(f"<li>{lien_version(r, here, v.version, f'Version {v.version}')}, du "
                        f"{esc(date_fr(v.date))} : {esc(' '.join(v.resume.split()))}</li>" for v in entre)
    out.append(r.bloc(
        f'<p class="ref-meta">Version {esc(avant.version)} du {esc(date_fr(avant.date))} · version '
        f'{esc(apres.version)} du {esc(date_fr(apres.date))} · {r.lien(here, SRC_VERSIONS, "Toutes les versions")}</p>\n'
        f"<p>Entre ces deux versions : {pluriel(len(ajouts), 'élément ajouté', 'éléments ajoutés')}, "
        f"{pluriel(len(modifs), 'modifié', 'modifiés')}, {pluriel(len(retraits), 'retiré', 'retirés')}. "
        "Chaque élément mène à sa page, où il reste même retiré.</p>\n"
        f'<ul class="ref-resumes">\n{resumes}\n</ul>'))

    def qui(e: Element) -> str:
        return f"{NOM[e.nature].capitalize()} {lien_element(r, here, e.id, _libelle_de(e))}"

    # Across several versions, the tables say in which one each change was made.
    plusieurs = len(entre) > 1
    out.append(r.titre(2, f"Ajoutés ({len(ajouts)})", ident="ajoutes"))
    if ajouts:
        lignes = []
        for e in ajouts:
            parent = apres.elements.get(e.apres.parent) if e.apres.parent else None
            dans = next((v.version for v in entre if e.id in v.elements), apres.version)
            note = (f' <span class="ref-retire">{accorde("Retiré", e.nature)} dans la version '
                    f"{esc(e.apres.retire)}</span>" if e.apres.retire else "")
            lignes.append(f"<tr><td>{qui(e.apres)}{note}</td>"
                          f"<td>{qui(parent) if parent else '—'}</td>"
                          + (f"<td>{esc(dans)}</td>" if plusieurs else "")
                          + f"<td>{_raisons(entre, e.id, 'ajout')}</td></tr>")
        entetes = ["Élément", "Rattaché à"] + (["Ajouté dans la version"] if plusieurs else []) + ["Pourquoi"]
        out.append(r.bloc(tableau(f"Éléments ajoutés de la version {avant.version} à la version {apres.version}",
                                  entetes, lignes)))
    else:
        out.append(r.bloc("<p>Aucun élément ajouté.</p>"))

    out.append(r.titre(2, f"Modifiés ({len(modifs)})", ident="modifies"))
    if modifs:
        entetes = ["Champ", f"Version {avant.version}", f"Version {apres.version}"]
        groupes = []
        for e in modifs:
            tete = (f'<tr class="ref-groupe" data-groupe="1"><th scope="rowgroup" colspan="{len(entetes)}">'
                    f"{qui(e.apres)} "
                    f'<span class="ref-raison">Pourquoi : {_raisons(entre, e.id, "modification")}</span></th></tr>')
            groupes.append([tete] + lignes_champs(e.avant, e.apres, list(e.champs)))
        out.append(r.bloc(tableau(f"Textes modifiés : la version {avant.version} et la version {apres.version} "
                                  "côte à côte", entetes, [], groupes=groupes, variante="ecarts")))
    else:
        out.append(r.bloc("<p>Aucun texte modifié.</p>"))

    out.append(r.titre(2, f"Retirés ({len(retraits)})", ident="retires"))
    if retraits:
        lignes = []
        for e in retraits:
            par = ", ".join(lien_element(r, here, x, _libelle_de(apres.elements.get(x)))
                            for x in e.apres.remplace_par) or "—"
            lignes.append(f"<tr><td>{qui(e.apres)}</td>"
                          + (f"<td>{esc(e.apres.retire)}</td>" if plusieurs else "")
                          + f"<td>{par}</td><td>{_raisons(entre, e.id, 'retrait')}</td></tr>")
        entetes = ["Élément"] + (["Retiré dans la version"] if plusieurs else []) + ["Remplacé par", "Pourquoi"]
        out.append(r.bloc(tableau(f"Éléments retirés de la version {avant.version} à la version {apres.version}",
                                  entetes, lignes)))
    else:
        out.append(r.bloc("<p>Aucun élément retiré.</p>"))
    return "".join(out)


def pages_des_versions(ref: Referentiel) -> list[tuple[str, object]]:
    """The pages of the versions: ``(src, render function)``; none without versions."""
    if not ref.versions:
        return []
    out: list[tuple[str, object]] = [(SRC_VERSIONS, page_versions)]
    for a, b in _paires(ref):
        out.append((src_comparaison(a.version, b.version), lambda r, a=a, b=b: page_comparaison(r, a, b)))
    return out
