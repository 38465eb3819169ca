"""The PDFs as a printer gets them: nothing outside the text area, no page left near empty.

Every glyph, rectangle, line, curve and image of the report and of every fiche
PDF, read with pdfplumber, must lie inside the text area that the margins of
``referentiel.sorties.pdf.mise_en_page`` leave (the stylesheet's own
definition); the running header and footer sit in the top and bottom margins,
inside the side margins and at least 8 mm from the page's edge. Checked on the
shipped data (``site_livre``) and on a small site whose fiches have long
values (``site_long``, built once here), where every long value must also be
printed in full. A report page may be short only at the end of a chapter or
of a fiche (the next page starts a part of the outline).

Each PDF is read once per run (``lire``): pdfplumber takes seconds on the report.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pytest
import yaml
from conftest import ROOT, construire, creer_scenario
from pypdf import PdfReader

from referentiel.sorties.pdf.mise_en_page import HAUTEUR_A4, LARGEUR_A4, MARGES_FICHE, MARGES_RAPPORT, Marges

RAPPORT = "telechargements/rapport-referentiel-utilite-sociale-mediation-numerique.pdf"
FICHES_LIVREES = sorted(p.stem for p in (ROOT / "data" / "fiches").glob("[!_]*.yaml"))

MM = 72 / 25.4  # points per millimetre
TOLERANCE = 0.5  # pt: rounding, and a border's half-width on the margin line
BORD = 8 * MM  # the running header and footer: at least this far from the page's edge
REMPLISSAGE_MIN = 0.5  # a page filled less than this must end a part
MAX_LIGNES = 30  # problems listed in a failure message

# The ink of a glyph, around its baseline, in ems. pdfminer's box (from the
# font's descent: 0.44 em for Charis SIL) reaches below the line box when the
# line height is tight, so the vertical checks use the ink instead: accented
# capitals rise to 0.93 em, descenders go 0.26 em below the baseline.
ENCRE_HAUT, ENCRE_BAS = 0.95, 0.26

OBJETS = {"rect": "un rectangle", "line": "un trait", "curve": "une courbe", "image": "une image"}


# ---------------------------------------------------------------------------
# A PDF, read once: its words and objects with their boxes (pt, from the top left)

@dataclass(frozen=True)
class Boite:
    texte: str  # a word, or the kind of object
    x0: float
    x1: float
    top: float
    bottom: float


@dataclass(frozen=True)
class Page:
    numero: int  # from 1
    largeur: float
    hauteur: float
    mots: tuple[Boite, ...]  # the words (glyphs without space between them), ink boxes
    objets: tuple[Boite, ...]  # painted rectangles, lines, curves and images
    glyphes: str  # every glyph outside the top and bottom margins, in drawing order, spaces dropped


@dataclass(frozen=True)
class Pdf:
    nom: str  # « rapport », « fiche kerederm »
    marges: Marges
    pages: tuple[Page, ...]
    debuts: frozenset[int]  # pages (from 1) where a chapter, or a fiche of an annex, starts

    def texte(self) -> str:
        return "".join(p.glyphes for p in self.pages)


def _encre(c: dict) -> tuple[float, float]:
    """A glyph's ink from its baseline (top, bottom; pt from the page's top)."""
    a, b, cc, d, _e, f = c["matrix"]
    if b or cc or a <= 0 or d <= 0:  # rotated or mirrored: pdfminer's box
        return c["top"], c["bottom"]
    ligne = c["bottom"] - (f - c["y0"])  # the baseline, from the page's top
    return ligne - ENCRE_HAUT * c["size"], ligne + ENCRE_BAS * c["size"]


def _mots(page) -> list[Boite]:
    out = []
    for m in page.extract_words(x_tolerance=1.5, y_tolerance=2, return_chars=True):
        encres = [_encre(c) for c in m["chars"]]
        out.append(Boite(m["text"], m["x0"], m["x1"], min(t for t, _ in encres), max(b for _, b in encres)))
    return out


def _objets(page) -> list[Boite]:
    out = []
    for genre in ("rect", "line", "curve"):
        for o in getattr(page, genre + "s"):
            if o.get("fill") or o.get("stroke"):  # an unpainted path prints nothing
                out.append(Boite(genre, o["x0"], o["x1"], o["top"], o["bottom"]))
    out += [Boite("image", o["x0"], o["x1"], o["top"], o["bottom"]) for o in page.images]
    return out


def _parties(chemin: Path) -> list[tuple[int, float | None]]:
    """Where the parts start: a chapter (level 1 of the outline), or a fiche in
    an annex (level 2 under a chapter whose title starts with « Annexe »), as
    (page from 1, the heading's top in pt from the page's top, if known)."""
    reader = PdfReader(chemin)
    out = []

    def parcourir(items, niveau, parent):
        dernier = parent
        for item in items:
            if isinstance(item, list):
                parcourir(item, niveau + 1, dernier)
                continue
            dernier = item.title
            if niveau == 1 or (niveau == 2 and parent.startswith("Annexe")):
                numero = reader.get_destination_page_number(item)
                haut = None if item.top is None else float(reader.pages[numero].mediabox.top) - float(item.top)
                out.append((numero + 1, haut))

    parcourir(reader.outline, 1, "")
    return out


def _debuts(pages: list[Page], parties: list[tuple[int, float | None]], marges: Marges) -> frozenset[int]:
    """The pages that a part starts: its heading is the first thing in the body
    (within 6 pt, less than a line: a heading's ink may rise above its box)."""
    out = set()
    for numero, haut in parties:
        page = pages[numero - 1]
        corps = [m.top for m in page.mots if not dans_les_marges(m, page.hauteur, marges)]
        if haut is None or haut <= min(corps, default=haut) + 6:
            out.add(numero)
    return frozenset(out)


def dans_les_marges(b: Boite, hauteur: float, marges: Marges) -> bool:
    """In the top or bottom margin (the running header and footer's place), not across it."""
    return b.bottom <= marges.haut * MM + TOLERANCE or b.top >= hauteur - marges.bas * MM - TOLERANCE


@functools.lru_cache(maxsize=None)
def lire(chemin: Path, nom: str, marges: Marges) -> Pdf:
    pages = []
    with pdfplumber.open(chemin) as pdf:
        for page in pdf.pages:
            glyphes = "".join(c["text"] for c in page.chars if not c["text"].isspace()
                              and not dans_les_marges(Boite("", 0, 0, *_encre(c)), page.height, marges))
            pages.append(Page(page.page_number, page.width, page.height, tuple(_mots(page)),
                              tuple(_objets(page)), glyphes))
            page.close()  # frees pdfminer's objects: the report has thousands per page
    return Pdf(nom, marges, tuple(pages), _debuts(pages, _parties(chemin), marges))


def rapport(site: Path) -> Pdf:
    return lire(site / RAPPORT, "rapport", MARGES_RAPPORT)


def fiche(site: Path, ident: str) -> Pdf:
    return lire(site / "telechargements" / "fiches" / f"{ident}.pdf", f"fiche {ident}", MARGES_FICHE)


# ---------------------------------------------------------------------------
# The checks: problems in French, one line each

def mm(pt: float) -> str:
    return f"{pt / MM:.1f}".replace(".", ",")


def _lignes(page: Page) -> list[list[Boite]]:
    """The page's words by line (the same bottom, within 2 pt), each from left to right."""
    lignes: list[list[Boite]] = []
    for mot in sorted(page.mots, key=lambda m: (m.bottom, m.x0)):
        if lignes and abs(lignes[-1][0].bottom - mot.bottom) < 2:
            lignes[-1].append(mot)
        else:
            lignes.append([mot])
    return [sorted(ligne, key=lambda m: m.x0) for ligne in lignes]


def _extrait(ligne: list[Boite], fautifs: list[Boite], cote: str) -> str:
    """The offending words with a few of their neighbours, about 40 characters."""
    mots = [m.texte if len(m.texte) <= 40 else m.texte[:18] + "…" + m.texte[-18:] for m in ligne]
    if cote == "la marge droite":  # the end of the line, up to the last offending word
        texte = " ".join(mots[:ligne.index(fautifs[-1]) + 1])
        return texte if len(texte) <= 40 else "…" + texte[-39:]
    texte = " ".join(mots[ligne.index(fautifs[0]):])
    return texte if len(texte) <= 40 else texte[:39] + "…"


def _objet(o: Boite, page: Page, marges: Marges) -> str:
    """The object, where it is, and the text it holds (a table cell's, say)."""
    dedans = [m.texte for m in page.mots if m.x0 >= o.x0 - 1 and m.x1 <= o.x1 + 1
              and m.top >= o.top - 3 and m.bottom <= o.bottom + 3
              and not dans_les_marges(m, page.hauteur, marges)]
    ou = f"({mm(o.x0)}–{mm(o.x1)} mm × {mm(o.top)}–{mm(o.bottom)} mm)"
    quoi = f"{OBJETS[o.texte]} {ou}"
    if dedans:
        texte = " ".join(dedans)
        quoi += f" autour de « {texte if len(texte) <= 30 else texte[:29] + '…'} »"
    return quoi


def _depassements(b: Boite, gauche: float, droite: float, haut: float | None, bas: float | None):
    """(side, by how much) for each side of the area [gauche, droite] × [haut, bas] that b crosses."""
    cotes = [("la marge gauche", gauche - b.x0), ("la marge droite", b.x1 - droite)]
    if haut is not None:
        cotes.append(("la marge haute", haut - b.top))
    if bas is not None:
        cotes.append(("la marge basse", b.bottom - bas))
    return [(cote, de) for cote, de in cotes if de > TOLERANCE]


def problemes_geometrie(pdf: Pdf) -> list[str]:
    """Every word and object outside the text area (one line of text, one problem)."""
    out = []
    m = pdf.marges
    for page in pdf.pages:
        ou = f"{pdf.nom}, page {page.numero}"
        format_a4 = sorted((round(page.largeur / MM), round(page.hauteur / MM)))
        if format_a4 != [LARGEUR_A4, HAUTEUR_A4]:
            out.append(f"{ou} : format {mm(page.largeur)} × {mm(page.hauteur)} mm, pas A4")
        gauche, droite = m.gauche * MM, page.largeur - m.droite * MM
        haut, bas = m.haut * MM, page.hauteur - m.bas * MM
        for ligne in _lignes(page):
            # The running header and footer: in the top or bottom margin, inside
            # the side margins, at least 8 mm from the page's edge.
            zones = {"l'en-tête": [x for x in ligne if x.bottom <= haut + TOLERANCE],
                     "le pied de page": [x for x in ligne if x.top >= bas - TOLERANCE]}
            corps = [x for x in ligne if x not in zones["l'en-tête"] and x not in zones["le pied de page"]]
            for zone, mots in zones.items():
                if not mots:
                    continue
                bord = min(min(x.top for x in mots), page.hauteur - max(x.bottom for x in mots))
                if bord < BORD - TOLERANCE:
                    out.append(f"{ou} : « {_extrait(ligne, mots, '')} » ({zone}) est à {mm(bord)} mm "
                               "du bord de la page (8 mm au moins)")
            for mots, zone in ((corps, ""), (zones["l'en-tête"], " (l'en-tête)"),
                               (zones["le pied de page"], " (le pied de page)")):
                vertical = (haut, bas) if mots is corps else (None, None)
                depasse: dict[str, list[tuple[Boite, float]]] = {}
                for x in mots:
                    for cote, de in _depassements(x, gauche, droite, *vertical):
                        depasse.setdefault(cote, []).append((x, de))
                for cote, fautifs in depasse.items():
                    texte = _extrait(ligne, [x for x, _ in fautifs], cote)
                    de = max(d for _, d in fautifs)
                    out.append(f"{ou} : « {texte} »{zone} dépasse {cote} de {mm(de)} mm")
        # Objects: one problem per side, with the farthest one (a table's
        # borders and backgrounds cross together).
        objets: dict[str, list[tuple[float, Boite]]] = {}
        for o in page.objets:
            for cote, de in _depassements(o, gauche, droite, haut, bas):
                objets.setdefault(cote, []).append((de, o))
        for cote, fautifs in objets.items():
            de, pire = max(fautifs, key=lambda x: (round(x[0] / MM, 1), x[1].texte == "rect"))
            if len(fautifs) == 1:
                out.append(f"{ou} : {_objet(pire, page, m)} dépasse {cote} de {mm(de)} mm")
                continue
            genres = Counter(OBJETS[o.texte].split(" ", 1)[1] for _, o in fautifs)
            detail = ", ".join(f"{n} {g}{'s' if n > 1 else ''}" for g, n in genres.most_common())
            out.append(f"{ou} : {len(fautifs)} objets ({detail}) dépassent {cote}, jusqu'à {mm(de)} mm, "
                       f"dont {_objet(pire, page, m)}")
    return out


def remplissage(page: Page, marges: Marges) -> float:
    """How far down the text area the body goes: 0 (empty) to 1 (down to the bottom margin)."""
    haut, bas = marges.haut * MM, page.hauteur - marges.bas * MM
    corps = [b.bottom for b in page.mots + page.objets if not dans_les_marges(b, page.hauteur, marges)]
    return max(0.0, (max(corps, default=haut) - haut) / (bas - haut))


def problemes_pages_vides(pdf: Pdf) -> list[str]:
    out = []
    for page in pdf.pages[1:-1]:  # the cover and the last page may be short
        taux = remplissage(page, pdf.marges)
        if taux < REMPLISSAGE_MIN and page.numero + 1 not in pdf.debuts:
            out.append(f"{pdf.nom}, page {page.numero} : remplie à {round(100 * taux)} %, "
                       "et la page suivante ne commence ni un chapitre ni une fiche")
    return out


def verifier(problemes: list[str], quoi: str) -> None:
    """One assertion for all the problems: the pages concerned, then the first MAX_LIGNES."""
    if not problemes:
        return
    pages = Counter(re.match(r"[^,]*, page (\d+)", p).group(1) for p in problemes if ", page " in p)
    resume = f"{len(problemes)} problème(s) de {quoi}"
    if pages:
        resume += " ; par page : " + ", ".join(f"{n} ({k})" for n, k in sorted(pages.items(), key=lambda x: int(x[0])))
    lignes = problemes[:MAX_LIGNES]
    if len(problemes) > MAX_LIGNES:
        lignes.append(f"… et {len(problemes) - MAX_LIGNES} autre(s)")
    pytest.fail(resume + "\n" + "\n".join(lignes), pytrace=False)


# ---------------------------------------------------------------------------
# The shipped data

@pytest.mark.parametrize("nom", ["rapport", *FICHES_LIVREES])
def test_rien_hors_des_marges_donnees_livrees(site_livre, nom):
    pdf = rapport(site_livre) if nom == "rapport" else fiche(site_livre, nom)
    verifier(problemes_geometrie(pdf), "marges")


def test_pas_de_page_presque_vide_dans_le_rapport(site_livre):
    verifier(problemes_pages_vides(rapport(site_livre)), "pages presque vides")


@pytest.mark.parametrize("nom", FICHES_LIVREES)
def test_fiche_livree_en_trois_pages_au_plus(site_livre, nom):
    pdf = fiche(site_livre, nom)
    assert len(pdf.pages) <= 3, f"{pdf.nom} : {len(pdf.pages)} pages (3 au plus pour une fiche de la taille du modèle)"


# ---------------------------------------------------------------------------
# Fiches with long values

def _phrases(debut: str, longueur: int) -> str:
    """French sentences, numbered (each one differs), up to ``longueur`` characters."""
    sujets = ["les participants", "les bénévoles de l'association", "les habitants du quartier",
              "les partenaires de l'action", "les animateurs", "les familles accueillies"]
    verbes = ["disent se sentir plus à l'aise avec les démarches en ligne",
              "reviennent chaque semaine avec de nouvelles questions",
              "accompagnent désormais leurs voisins dans leurs démarches",
              "échangent davantage entre eux pendant et après les séances",
              "proposent eux-mêmes des thèmes pour les ateliers suivants"]
    out, n = debut, 0
    while len(out) < longueur:
        n += 1
        out += f" Constat {n} : {sujets[n % len(sujets)]} {verbes[n % len(verbes)]}, d'après le relevé {n}."
    return out[:longueur].rstrip(" ,.:") + "."


URL_150 = ("https://www.exemple.org/documents/bilan-activite?identifiant="
           + "".join(f"{n:02d}ab" for n in range(30)))[:150]
MOT_60 = ("intergenerationnellement" + "anticonstitutionnellement" + "mediationnumerique")[:60]
NOM_120 = ("Association intercommunale pour la médiation numérique, l'inclusion sociale et l'éducation "
           "populaire du pays de Brest et environs")[:120]
TITRE_LONG = ("Ateliers numériques itinérants pour accompagner les habitants des quartiers prioritaires de la "
              "métropole dans leurs démarches administratives en ligne, leurs recherches d'emploi, leurs "
              "échanges avec leurs proches et la découverte de la culture numérique")
CRITERES = yaml.safe_load((ROOT / "data" / "criteres.yaml").read_text(encoding="utf-8"))


def _fiche_longue() -> dict:
    return {
        "id": "valeurs-longues",
        "titre": TITRE_LONG,
        "statut": "proposee",
        "acteur": {"nom": NOM_120, "type": "association", "ville": "Brest", "site": URL_150,
                   "presentation": _phrases(f"Une structure au mot le plus long : {MOT_60}.", 1200)},
        "action": {
            "resume": f"Un atelier dont le résumé contient un mot de soixante lettres, {MOT_60}, sans coupure.",
            "description": _phrases("Le déroulement des ateliers.", 2500),
            "debut": "2014-09", "fin": "2016-06",
            "lieux": [f"Maison de quartier numéro {n} de la rive droite, salle polyvalente du rez-de-chaussée"
                      for n in range(1, 11)],
            "publics": [f"Public {n} : habitantes et habitants éloignés du numérique, orientés par les travailleurs "
                        f"sociaux du secteur {n}" for n in range(1, 16)],
            "categories_publics": ["jeunes", "etudiants", "familles-enfants", "seniors", "femmes"],
            "partenaires": [f"Partenaire {n} : {NOM_120[:90]}" for n in range(1, 31)],
        },
        "evaluation": {"periode": "de septembre 2014 à juin 2016, en trois campagnes de relevés successives",
                       "methode": _phrases("Les relevés.", 1500)},
        "contributions": [
            {"critere": "VE2", "constats": _phrases("Ce que nous avons constaté.", 2500),
             "indicateurs": [
                 {"id": "VE2.1", "valeur": _phrases(f"Une valeur observée très longue, avec {MOT_60}.", 1000),
                  "source": URL_150, "commentaire": _phrases("Un commentaire.", 800)},
                 {"id": "VE2.2", "valeur": MOT_60, "source": NOM_120},
                 {"id": "VE2.3", "valeur": "14 participants réguliers",
                  "source": "questionnaire " + MOT_60},
             ]},
        ],
        "temoignages": [{"texte": _phrases("Un témoignage.", 1000), "auteur": NOM_120}],
        "sources": [{"titre": f"Bilan d'activité {n} de l'{NOM_120[:100]}", "url": URL_150, "date": "2015-03"}
                    for n in range(1, 6)],
        "mise_a_jour": "2026-11-26",
        "historique": [{"date": "2026-11-26", "auteur": NOM_120,
                        "modification": _phrases(f"Création de la fiche {MOT_60}.", 290)}],
    }


def _fiche_tous_les_indicateurs() -> dict:
    """Every criterion of the framework, each with all its indicators."""
    contributions = []
    for d in CRITERES["dimensions"]:
        for c in d["criteres"]:
            contributions.append({
                "critere": c["id"],
                "constats": _phrases(f"Pour le critère {c['id']}.", 400),
                "indicateurs": [{"id": i["id"], "valeur": _phrases(f"Pour {i['id']}.", 200),
                                 "source": f"questionnaire de fin d'atelier et entretiens ({i['id']})"}
                                for i in c["indicateurs"]],
            })
    return {
        "id": "tous-les-indicateurs",
        "titre": "Une action qui renseigne tous les indicateurs du référentiel",
        "statut": "proposee",
        "acteur": {"nom": "Centre social d'essai", "type": "centre-social"},
        "action": {"resume": "Une action imaginaire qui renseigne chaque indicateur de chaque critère."},
        "contributions": contributions,
    }


FICHES_LONGUES = {"valeurs-longues": _fiche_longue(), "tous-les-indicateurs": _fiche_tous_les_indicateurs()}


@pytest.fixture(scope="module")
def site_long(tmp_path_factory) -> Path:
    """The tiny site tests/sites/pdf with the two long fiches, PDFs printed."""
    projet = creer_scenario("pdf", tmp_path_factory.mktemp("pdf-long"))
    for ident, contenu in FICHES_LONGUES.items():
        (projet / "data" / "fiches" / f"{ident}.yaml").write_text(
            yaml.safe_dump(contenu, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")
    sortie = construire(projet, pdf=True)
    assert sortie.code == 0, sortie.stderr
    return projet / "site"


@pytest.mark.parametrize("nom", ["rapport", *FICHES_LONGUES])
def test_rien_hors_des_marges_valeurs_longues(site_long, nom):
    pdf = rapport(site_long) if nom == "rapport" else fiche(site_long, nom)
    verifier(problemes_geometrie(pdf), "marges")


def test_pas_de_page_presque_vide_valeurs_longues(site_long):
    verifier(problemes_pages_vides(rapport(site_long)), "pages presque vides")


def _valeurs(f: dict) -> list[str]:
    """The fiche's texts that its PDF prints (the sources' addresses are links, not text)."""
    a, act = f["acteur"], f["action"]
    out = [f["titre"], a["nom"], a.get("site"), a.get("presentation"), act["resume"], act.get("description"),
           *act.get("lieux", []), *act.get("publics", []), *act.get("partenaires", []),
           (f.get("evaluation") or {}).get("methode")]
    for c in f["contributions"]:
        out.append(c["constats"])
        for o in c["indicateurs"]:
            out += [o["valeur"], o.get("source"), o.get("commentaire")]
    out += [t["texte"] for t in f.get("temoignages", [])] + [s["titre"] for s in f.get("sources", [])]
    out += [h["modification"] for h in f.get("historique", [])]
    return [v for v in out if v]


def normaliser(texte: str) -> str:
    """Without spaces (of any kind) nor hyphens: a line break, a hyphenation
    break or a no-break space before « : » leaves the text the same."""
    texte = unicodedata.normalize("NFKC", texte)
    return re.sub(r"[\s\-\u00ad\u2010\u2011]+", "", texte)


def _manque(valeur: str, texte: str) -> str | None:
    """Where ``valeur`` stops being printed, or None if it is all there. It may
    come in a few pieces, in order (a table row split across two pages prints
    each cell's end after the other cells' beginnings)."""
    pos, debut, morceaux = 0, 0, 0
    while pos < len(valeur):
        # The longest piece of the rest that the text holds, after the last piece.
        bas, haut = 0, len(valeur) - pos
        while bas < haut:
            milieu = (bas + haut + 1) // 2
            if texte.find(valeur[pos:pos + milieu], debut) >= 0:
                bas = milieu
            else:
                haut = milieu - 1
        morceaux += 1
        if bas < min(12, len(valeur) - pos) or morceaux > 6:
            return valeur[pos:pos + 30]
        debut = texte.find(valeur[pos:pos + bas], debut) + bas
        pos += bas
    return None


@pytest.mark.parametrize("ident", FICHES_LONGUES)
def test_valeurs_longues_imprimees_en_entier(site_long, ident):
    pdf = fiche(site_long, ident)
    texte = normaliser(pdf.texte())
    problemes = []
    for valeur in _valeurs(FICHES_LONGUES[ident]):
        manque = _manque(normaliser(valeur), texte)
        if manque is not None:
            debut = valeur if len(valeur) <= 40 else valeur[:39] + "…"
            problemes.append(f"{pdf.nom} : « {debut} » n'est pas imprimé en entier ; "
                             f"il manque à partir de « {manque}… »")
    verifier(problemes, "texte coupé")
