"""Visual summaries of the référentiel, drawn at build time as inline SVG.

Pure Python, independent of MkDocs, no JavaScript. Every chart is a
``<figure>`` whose ``<svg role="img">`` is named by its ``<title>`` and
``<desc>``; every value is written as text (never by colour alone), and each
figure is followed by the same figures as an HTML table. All text is escaped
(fiche titles come from contributors) and the output is deterministic: the
same data always gives the same bytes.

The counts are counts of *use* (a fiche uses a criterion when it has a
contribution for it), never measured values. A retired criterion or
dimension keeps its bar, marked « (retiré) » (fiches still use it); the
count of the référentiel's indicators counts those in force.
"""

from __future__ import annotations

from ..modele import TYPES_INDICATEUR, Fiche, Referentiel
from .blocs import tableau
from .dimension import fiches_de_la_dimension
from .liens import Urls, src_critere, src_dimension, src_fiche
from ..render import esc, pluriel
from .versions import en_vigueur, suffixe_retrait

# --------------------------------------------------------------------------
# Colours (contrast against white checked by the tests)

BLANC = "#ffffff"
TEXTE = "#1f1f1f"          # 16.4:1 on white
TEXTE_DOUX = "#595959"     # 7:1 on white
BORDURE = "#767676"        # 4.5:1 on white

# One bar colour per dimension, in the order of the référentiel (cycled); each ≥ 3:1 on white.
# The first two are the site's own (referentiel.css: primary and accent).
COULEURS_BARRES = ["#0d5c63", "#b03a12", "#3949ab", "#6d4c41", "#5e35b1", "#2e7d32"]
# Indicator types.
COULEURS_TYPES = {"realisation": "#0d5c63", "resultat": "#3949ab", "impact": "#ad1457"}
# Heat-map shades, from 0 (white) to the maximum.
NUANCES = ["#ffffff", "#e0eff0", "#b3d6d9", "#5fa3a9", "#0d5c63", "#062e32"]

# Geometry, in viewBox units (the SVG scales to its container).
LARGEUR = 400          # bar charts: narrow, so that labels stay readable on phones
LARGEUR_CARTE = 460    # the heat map needs room for four columns
MARGE = 10
POLICE = 15
HAUTEUR_BARRE = 18
# Roughly the width of an average character, to wrap labels.
CHASSE = 0.56
# The SVG fills its container up to about 1.3 times its viewBox size (no fixed pixel width).
REM_PAR_UNITE = 26 / 400


def luminance(couleur: str) -> float:
    """Relative luminance of ``#rrggbb`` (WCAG 2)."""
    canaux = []
    for i in (1, 3, 5):
        c = int(couleur[i:i + 2], 16) / 255
        canaux.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = canaux
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contraste(a: str, b: str) -> float:
    """WCAG contrast ratio between two ``#rrggbb`` colours."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def texte_sur(fond: str) -> str:
    """The text colour (dark or white) that reads best on ``fond``."""
    return TEXTE if contraste(TEXTE, fond) >= contraste(BLANC, fond) else BLANC


def couleur_dimension(index: int) -> str:
    return COULEURS_BARRES[index % len(COULEURS_BARRES)]


def nuance(n: int, maximum: int) -> str:
    """The heat-map shade of ``n`` on a scale from 0 to ``maximum``."""
    if n <= 0 or maximum <= 0:
        return NUANCES[0]
    niveaux = len(NUANCES) - 1
    return NUANCES[max(1, min(niveaux, -(-n * niveaux // maximum)))]


# --------------------------------------------------------------------------
# Small pieces


def couper(texte: str, largeur: float, police: float = POLICE, max_lignes: int = 3) -> list[str]:
    """Wrap ``texte`` on words into lines that fit ``largeur`` (estimated), ``…`` past the last."""
    max_car = max(8, int(largeur / (police * CHASSE)))
    lignes: list[str] = []
    courante = ""
    for mot in " ".join(texte.split()).split(" "):
        while len(mot) > max_car:  # a word longer than a line: cut it
            if courante:
                lignes.append(courante)
                courante = ""
            lignes.append(mot[:max_car])
            mot = mot[max_car:]
        essai = f"{courante} {mot}" if courante else mot
        if len(essai) <= max_car:
            courante = essai
        else:
            lignes.append(courante)
            courante = mot
    if courante or not lignes:
        lignes.append(courante)
    if len(lignes) > max_lignes:
        lignes = lignes[:max_lignes]
        dernier = lignes[-1]
        lignes[-1] = (dernier[: max_car - 1].rstrip() if len(dernier) >= max_car else dernier) + "…"
    return lignes


def _texte(x: float, y: float, lignes: list[str], police: float = POLICE, classe: str = "",
           gras: bool = False, ancre: str = "start", couleur: str = TEXTE, attrs: str = "") -> str:
    """A ``<text>`` of one or more lines (``tspan``), escaped; ``y`` is the first baseline."""
    extra = f' class="{classe}"' if classe else ""
    extra += ' font-weight="bold"' if gras else ""
    extra += f' text-anchor="{ancre}"' if ancre != "start" else ""
    debut = f'<text x="{_n(x)}" y="{_n(y)}" font-size="{_n(police)}" fill="{couleur}"{extra}{attrs}>'
    if len(lignes) == 1:
        return debut + esc(lignes[0]) + "</text>"
    interligne = _n(police * 1.25)
    spans = "".join(
        f'<tspan x="{_n(x)}"' + (f' dy="{interligne}"' if i else "") + f">{esc(l)}</tspan>"
        for i, l in enumerate(lignes))
    return debut + spans + "</text>"


def _n(v: float) -> str:
    """A coordinate, written the same way every time (no float noise)."""
    v = round(v, 1)
    return str(int(v)) if v == int(v) else f"{v:.1f}"


def _svg(ident: str, titre: str, description: str, hauteur: float, corps: list[str],
         largeur: int = LARGEUR) -> str:
    t, d = f"{ident}-titre", f"{ident}-desc"
    style = f"width:100%;max-width:{_n(largeur * REM_PAR_UNITE)}rem;height:auto;display:block"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {largeur} {_n(hauteur)}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" style="{style}" role="img" '
        f'aria-labelledby="{t} {d}" font-family="system-ui, -apple-system, \'Segoe UI\', Roboto, '
        f'Helvetica, Arial, sans-serif">\n'
        f'<title id="{t}">{esc(titre)}</title>\n<desc id="{d}">{esc(description)}</desc>\n'
        f'<rect x="0" y="0" width="{largeur}" height="{_n(hauteur)}" fill="{BLANC}"/>\n'
        + "\n".join(corps) + "\n</svg>")


def _figure(ident: str, legende: str, svg: str, table: str) -> str:
    return (f'<figure class="ref-graphique" id="{ident}" style="width:100%">\n{svg}\n'
            f"<figcaption>{esc(legende)}</figcaption>\n</figure>\n"
            f'<details class="ref-graphique-chiffres" id="{ident}-chiffres">'
            f"<summary>Les chiffres de ce graphique</summary>\n{table}\n</details>")


def _lien(urls: Urls, here: str, src: str, texte: str) -> str:
    href = urls.rel(here, src)
    return f'<a href="{esc(href)}">{esc(texte)}</a>' if href is not None else esc(texte)


# --------------------------------------------------------------------------
# Horizontal bar chart


def _barres(groupes: list[tuple[str | None, list[tuple[str, str, int, str]]]],
            unite: tuple[str, str]) -> tuple[list[str], float]:
    """Bars with their label above and their value after them.

    ``groupes``: ``(heading or None, [(key, label, value, colour), ...])``.
    Returns the SVG elements and the height used.
    """
    valeurs = [v for _, barres in groupes for _, _, v, _ in barres]
    maximum = max(valeurs, default=0)
    textes = {v: pluriel(v, *unite) for v in valeurs}
    # Room for the longest « 12 fiches » after the longest bar (bold text is a little wider).
    place_valeur = max((len(t) for t in textes.values()), default=1) * POLICE * 0.62 + 8
    largeur_max = LARGEUR - 2 * MARGE - place_valeur
    corps: list[str] = []
    y = MARGE
    for entete, barres in groupes:
        if entete is not None:
            lignes = couper(entete, LARGEUR - 2 * MARGE, POLICE + 1)
            y += 8
            corps.append(_texte(MARGE, y + POLICE + 1, lignes, POLICE + 1, "ref-g-groupe", gras=True))
            y += (POLICE + 1) * 1.25 * len(lignes) + 4
        for cle, libelle, valeur, couleur in barres:
            lignes = couper(libelle, LARGEUR - 2 * MARGE)
            corps.append(_texte(MARGE, y + POLICE, lignes, classe="ref-g-libelle"))
            y += POLICE * 1.25 * len(lignes) + 3
            largeur = round(largeur_max * valeur / maximum, 1) if maximum else 0
            if largeur > 0:
                corps.append(f'<rect x="{MARGE}" y="{_n(y)}" width="{_n(largeur)}" '
                             f'height="{HAUTEUR_BARRE}" fill="{couleur}"/>')
            else:  # a zero: a thin grey tick, so that the row does not look missing
                corps.append(f'<rect x="{MARGE}" y="{_n(y)}" width="2" height="{HAUTEUR_BARRE}" '
                             f'fill="{BORDURE}"/>')
            texte = textes[valeur]
            corps.append(
                f'<text x="{_n(MARGE + max(largeur, 2) + 6)}" y="{_n(y + HAUTEUR_BARRE - 4)}" '
                f'font-size="{POLICE}" fill="{TEXTE}" font-weight="bold">'
                f'<tspan class="ref-g-valeur" data-cle="{esc(cle)}">{valeur}</tspan>'
                f'{esc(texte[len(str(valeur)):])}</text>')
            y += HAUTEUR_BARRE + 10
    return corps, y + MARGE - 4


# --------------------------------------------------------------------------
# The four charts


def fiches_par_critere(ref: Referentiel, here: str = "", urls: Urls | None = None) -> str:
    """(1) How many fiches use each criterion, bars grouped by dimension."""
    urls = urls or Urls()
    groupes = []
    lignes = []
    resume = []
    for i, d in enumerate(ref.dimensions):
        barres = []
        for c in d.criteres:
            n = len(ref.fiches_par_critere.get(c.id, []))
            barres.append((c.id, f"{c.id} · {c.titre}{suffixe_retrait(c)}", n, couleur_dimension(i)))
            resume.append(f"{c.id} {c.titre}{suffixe_retrait(c)} : {n}")
            lignes.append(
                f'<tr data-cle="{esc(c.id)}"><td>{_lien(urls, here, src_dimension(d), d.titre + suffixe_retrait(d))}</td>'
                f"<td>{_lien(urls, here, src_critere(c), f'{c.id} · {c.titre}{suffixe_retrait(c)}')}</td>"
                f'<td class="ref-g-nombre">{n}</td></tr>')
        groupes.append((f"{d.titre} ({d.id}){suffixe_retrait(d)}", barres))
    corps, hauteur = _barres(groupes, ("fiche", "fiches"))
    titre = "Nombre de fiches qui utilisent chaque critère"
    desc = ("Diagramme en barres horizontales, une barre par critère, regroupées par dimension ; "
            "la longueur de la barre et le nombre écrit à sa droite donnent le nombre de fiches "
            "qui utilisent le critère. " + " ; ".join(resume) + ".")
    table = tableau("Nombre de fiches par critère", ["Dimension", "Critère", "Fiches"], lignes)
    return _figure("graphique-criteres", titre + ", par dimension", _svg("graphique-criteres", titre, desc,
                                                                          hauteur, corps), table)


def fiches_par_dimension(ref: Referentiel, here: str = "", urls: Urls | None = None) -> str:
    """(2) How many fiches use at least one criterion of each dimension."""
    urls = urls or Urls()
    barres = []
    lignes = []
    resume = []
    for i, d in enumerate(ref.dimensions):
        n = len(fiches_de_la_dimension(ref, d))
        barres.append((d.id, f"{d.titre} ({d.id}){suffixe_retrait(d)}", n, couleur_dimension(i)))
        resume.append(f"{d.titre}{suffixe_retrait(d)} : {n}")
        lignes.append(f'<tr data-cle="{esc(d.id)}"><td>{_lien(urls, here, src_dimension(d), d.titre + suffixe_retrait(d))}</td>'
                      f'<td class="ref-g-nombre">{n}</td></tr>')
    corps, hauteur = _barres([(None, barres)], ("fiche", "fiches"))
    titre = "Nombre de fiches qui utilisent chaque dimension"
    desc = ("Diagramme en barres horizontales, une barre par dimension ; une fiche compte pour une "
            "dimension dès qu'elle utilise au moins un de ses critères. " + " ; ".join(resume)
            + f". {pluriel(len(ref.fiches), 'fiche')} en tout.")
    table = tableau("Nombre de fiches par dimension",
                    ["Dimension", "Fiches qui utilisent au moins un de ses critères"], lignes)
    return _figure("graphique-dimensions", titre, _svg("graphique-dimensions", titre, desc, hauteur, corps),
                   table)


def indicateurs_par_type(ref: Referentiel, here: str = "", urls: Urls | None = None) -> str:
    """(3) How many indicators of each type (réalisation, résultat, impact) the référentiel has (in force)."""
    compte = {t: 0 for t in TYPES_INDICATEUR}
    vivants = en_vigueur(list(ref.indicateurs.values()))
    retires = len(ref.indicateurs) - len(vivants)
    for ind in vivants:
        compte[ind.type] = compte.get(ind.type, 0) + 1
    barres = []
    lignes = []
    for t, n in compte.items():
        libelle = TYPES_INDICATEUR.get(t, t)
        barres.append((t, libelle, n, COULEURS_TYPES.get(t, COULEURS_BARRES[0])))
        lignes.append(f'<tr data-cle="{esc(t)}"><td>{esc(libelle)}</td><td class="ref-g-nombre">{n}</td></tr>')
    corps, hauteur = _barres([(None, barres)], ("indicateur", "indicateurs"))
    titre = "Nombre d'indicateurs du référentiel par type"
    # Retired indicators are not counted: the legend says so.
    sans = "" if not retires else (", sans l'indicateur retiré" if retires == 1
                                   else f", sans les {retires} indicateurs retirés")
    desc = ("Diagramme en barres horizontales, une barre par type d'indicateur. "
            + " ; ".join(f"{TYPES_INDICATEUR.get(t, t)} : {n}" for t, n in compte.items())
            + f". {pluriel(len(vivants), 'indicateur')} en tout{sans}.")
    table = tableau("Nombre d'indicateurs par type" + sans, ["Type d'indicateur", "Indicateurs"], lignes)
    return _figure("graphique-types", titre + sans, _svg("graphique-types", titre, desc, hauteur, corps), table)


def carte_fiches_dimensions(ref: Referentiel, here: str = "", urls: Urls | None = None) -> str:
    """(4) Fiches × dimensions: each cell is the number of criteria of the dimension the fiche uses."""
    urls = urls or Urls()
    dims = ref.dimensions
    if not ref.fiches or not dims:
        return '<p class="ref-note">Aucune fiche n\'est encore publiée : pas de carte fiches × dimensions.</p>'
    comptes: list[tuple[Fiche, list[int]]] = []
    for f in ref.fiches:
        utilises = {c.critere.id for c in f.contributions if c.critere}
        comptes.append((f, [sum(1 for c in d.criteres if c.id in utilises) for d in dims]))
    maximum = max((n for _, ns in comptes for n in ns), default=0)

    zone = LARGEUR_CARTE - 2 * MARGE
    col = zone / len(dims)
    police_entete = 13
    corps: list[str] = []
    # Column headers: the dimension titles, wrapped.
    # Wrapped on words; a long word (« Transformation ») widens the line rather than being cut.
    entetes = []
    for d in dims:
        texte = f"{d.titre} ({d.id}){suffixe_retrait(d)}"
        plus_long = max(len(m) for m in texte.split()) * police_entete * CHASSE + 1
        entetes.append(couper(texte, max(col - 14, plus_long), police_entete, 3))
    haut_entete = police_entete * 1.25 * max(len(e) for e in entetes)
    y = MARGE
    for j, lignes in enumerate(entetes):
        corps.append(_texte(MARGE + col * j + col / 2, y + police_entete, lignes, police_entete,
                            "ref-g-entete", gras=True, ancre="middle"))
    y += haut_entete + 8
    hauteur_case = 30
    for f, ns in comptes:
        lignes = couper(f.titre + (" — exemple" if f.est_exemple else ""), zone, POLICE - 1, 2)
        corps.append(_texte(MARGE, y + POLICE - 1, lignes, POLICE - 1, "ref-g-libelle"))
        y += (POLICE - 1) * 1.25 * len(lignes) + 3
        for j, n in enumerate(ns):
            fond = nuance(n, maximum)
            x = MARGE + col * j
            corps.append(
                f'<rect x="{_n(x + 1)}" y="{_n(y)}" width="{_n(col - 2)}" height="{hauteur_case}" '
                f'fill="{fond}" stroke="{BORDURE}" stroke-width="1"/>')
            corps.append(
                f'<text x="{_n(x + col / 2)}" y="{_n(y + hauteur_case / 2 + POLICE * 0.35)}" '
                f'font-size="{POLICE}" font-weight="bold" text-anchor="middle" fill="{texte_sur(fond)}" '
                f'class="ref-g-valeur" data-cle="{esc(f.id)}|{esc(dims[j].id)}">{n}</text>')
        y += hauteur_case + 12
    hauteur = y + MARGE - 6

    lignes_table = []
    for f, ns in comptes:
        cellules = "".join(f'<td class="ref-g-nombre" data-cle="{esc(f.id)}|{esc(d.id)}">{n}</td>'
                           for d, n in zip(dims, ns))
        lignes_table.append(
            f'<tr data-cle="{esc(f.id)}"><th scope="row">{_lien(urls, here, src_fiche(f), f.titre)}'
            f" ({esc(f.statut_libelle.lower())})</th>{cellules}<td>{sum(ns)}</td></tr>")
    titre = "Critères utilisés par chaque fiche, dimension par dimension"
    desc = ("Carte de chaleur : une ligne par fiche (" + pluriel(len(ref.fiches), "fiche") + "), une "
            "colonne par dimension (" + ", ".join(d.titre for d in dims) + "). Chaque case écrit le "
            "nombre de critères de la dimension que la fiche utilise ; plus la case est foncée, plus "
            f"ce nombre est grand (au plus {maximum}). Une case blanche marquée 0 : la fiche n'utilise "
            "aucun critère de la dimension.")
    table = tableau("Nombre de critères utilisés par fiche et par dimension",
                    ["Fiche"] + [f"{d.titre} ({d.id}){suffixe_retrait(d)}" for d in dims] + ["Total"], lignes_table)
    return _figure("graphique-carte", titre + " (nombre de critères, plus foncé = plus de critères)",
                   _svg("graphique-carte", titre, desc, hauteur, corps, LARGEUR_CARTE), table)


def graphiques(ref: Referentiel, here: str = "", urls: Urls | None = None) -> str:
    """The four charts, each followed by its table, as one raw HTML block (no blank line inside)."""
    parties = [fiches_par_critere(ref, here, urls), fiches_par_dimension(ref, here, urls),
               indicateurs_par_type(ref, here, urls), carte_fiches_dimensions(ref, here, urls)]
    return '<div class="ref-graphiques">\n' + "\n".join(parties) + "\n</div>"
