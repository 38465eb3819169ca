"""The « Le référentiel en chiffres » page: inline SVG charts with their tables."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from conftest import ROOT, construire, creer_scenario

from referentiel.pages import graphiques as g
from referentiel.lecture import charger
from referentiel.modele import (
    Acteur,
    Action,
    Contribution,
    Critere,
    Dimension,
    Fiche,
    Indicateur,
    Referentiel,
)

FIGURES = {
    "graphique-criteres": "Nombre de fiches qui utilisent chaque critère",
    "graphique-dimensions": "Nombre de fiches qui utilisent chaque dimension",
    "graphique-types": "Nombre d'indicateurs du référentiel par type",
    "graphique-carte": "Critères utilisés par chaque fiche, dimension par dimension",
}


# --------------------------------------------------------------------------
# Reading the output


def figure(html: str, ident: str) -> str:
    m = re.search(rf'<figure class="ref-graphique" id="{ident}"[^>]*>.*?</figure>', html, re.S)
    assert m, f"figure {ident} absente"
    return m.group(0)


def svg(html: str, ident: str) -> str:
    m = re.search(r"<svg\b.*?</svg>", figure(html, ident), re.S)
    assert m, f"pas de <svg> dans {ident}"
    return m.group(0)


def table(html: str, ident: str) -> str:
    m = re.search(rf'<details class="ref-graphique-chiffres" id="{ident}-chiffres">.*?</details>', html, re.S)
    assert m, f"pas de tableau après {ident}"
    return m.group(0)


def valeurs_svg(fragment: str) -> dict[str, int]:
    """``{data-cle: number}`` of every value written in the SVG."""
    out = {}
    for cle, n in re.findall(r'class="ref-g-valeur"[^>]*data-cle="([^"]*)"[^>]*>(\d+)<', fragment):
        assert cle not in out
        out[cle] = int(n)
    return out


def valeurs_table(fragment: str) -> dict[str, int]:
    """``{data-cle: number}`` of a table's rows (one number per row) or cells (heat map)."""
    fragment = re.sub(r' data-label="[^"]*"', "", fragment)  # each cell's column label (phones)
    cellules = re.findall(r'<td class="ref-g-nombre" data-cle="([^"]*)">(\d+)</td>', fragment)
    if cellules:
        return {cle: int(n) for cle, n in cellules}
    return {cle: int(n) for cle, n in re.findall(
        r'<tr data-cle="([^"]*)">.*?<td class="ref-g-nombre">(\d+)</td></tr>', fragment)}


# --------------------------------------------------------------------------
# What the data says


def attendu(ref: Referentiel) -> dict[str, dict[str, int]]:
    criteres = {c.id: sum(1 for f in ref.fiches if any(x.critere_id == c.id for x in f.contributions))
                for c in ref.criteres.values()}
    dimensions = {d.id: sum(1 for f in ref.fiches
                            if any(x.critere_id in {c.id for c in d.criteres} for x in f.contributions))
                  for d in ref.dimensions}
    types = dict(Counter(i.type for i in ref.indicateurs.values()))
    for t in ("realisation", "resultat", "impact"):
        types.setdefault(t, 0)
    carte = {}
    for f in ref.fiches:
        utilises = {x.critere_id for x in f.contributions}
        for d in ref.dimensions:
            carte[f"{f.id}|{d.id}"] = sum(1 for c in d.criteres if c.id in utilises)
    return {"graphique-criteres": criteres, "graphique-dimensions": dimensions,
            "graphique-types": types, "graphique-carte": carte}


@pytest.fixture(scope="module")
def ref_livre() -> Referentiel:
    res = charger(ROOT / "data")
    assert res.referentiel is not None and not res.problemes
    return res.referentiel


@pytest.fixture(scope="module")
def page(site_livre) -> str:
    return (site_livre / "chiffres" / "index.html").read_text(encoding="utf-8")


# --------------------------------------------------------------------------
# The built page


def test_page_titre_et_intro(page):
    assert "<title>Le référentiel en chiffres" in page
    assert "valeurs n'ont pas été mesurées" in page
    assert "{{" not in page


@pytest.mark.parametrize("ident", FIGURES)
def test_figure_accessible(page, ident):
    fig = figure(page, ident)
    assert "<figcaption>" in fig
    s = svg(page, ident)
    ouverture = s[: s.index(">") + 1]
    assert 'role="img"' in ouverture
    assert f'aria-labelledby="{ident}-titre {ident}-desc"' in ouverture
    assert f'<title id="{ident}-titre">{FIGURES[ident].replace(chr(39), "&#x27;")}</title>' in s
    assert re.search(rf'<desc id="{ident}-desc">[^<]{{40,}}</desc>', s)
    # Scales with the page: a viewBox, a relative width, no fixed pixel size.
    assert re.search(r'viewBox="0 0 \d+ [\d.]+"', ouverture)
    assert 'width="100%"' in ouverture and "height=" not in ouverture.replace("height:auto", "")
    assert "px" not in ouverture
    assert "<script" not in s.lower() and "onload" not in s.lower() and "javascript:" not in s.lower()
    # The table comes right after the figure.
    fin = page.index(fig) + len(fig)
    assert page[fin:].lstrip().startswith(f'<details class="ref-graphique-chiffres" id="{ident}-chiffres">')
    assert "<summary>Les chiffres de ce graphique</summary>" in table(page, ident)
    assert "<caption>" in table(page, ident)


@pytest.mark.parametrize("ident", FIGURES)
def test_nombres_du_graphique_et_du_tableau(page, ref_livre, ident):
    vrai = attendu(ref_livre)[ident]
    assert vrai and any(vrai.values())
    assert valeurs_svg(svg(page, ident)) == vrai
    assert valeurs_table(table(page, ident)) == vrai


def test_libelles_lisibles(page, ref_livre):
    s = svg(page, "graphique-criteres")
    for d in ref_livre.dimensions:
        assert g.esc(d.titre) in s
    s = svg(page, "graphique-types")
    for libelle in ("Réalisation", "Résultat", "Impact"):
        assert libelle in s


def test_tableaux_menent_aux_pages(page, ref_livre):
    t = table(page, "graphique-carte")
    for f in ref_livre.fiches:
        assert f'href="../fiches/{f.id}/"' in t


# --------------------------------------------------------------------------
# Hostile text in a built site

HOSTILE_TITRE = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def page_hostile(tmp_path_factory) -> str:
    """The charts page of the tiny site tests/sites/graphiques_hostile: one fiche,
    « hostile » (conftest.FICHE_VALIDE titled ``<script>alert(1)</script>``)."""
    projet = creer_scenario("graphiques_hostile", tmp_path_factory.mktemp("chiffres-hostile"))
    assert f"titre: \"{HOSTILE_TITRE}\"" in (projet / "data" / "fiches" / "hostile.yaml").read_text(encoding="utf-8")
    sortie = construire(projet)
    assert sortie.code == 0, sortie.stderr
    return (projet / "site" / "chiffres" / "index.html").read_text(encoding="utf-8")


def test_titre_hostile_echappe(page_hostile):
    carte = svg(page_hostile, "graphique-carte")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in carte
    assert "<script" not in carte.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in table(page_hostile, "graphique-carte")
    debut = page_hostile.index('<div class="ref-graphiques">')
    fin = page_hostile.index("</div>", page_hostile.index('id="graphique-carte-chiffres"'))
    assert "<script" not in page_hostile[debut:fin].lower()
    assert valeurs_svg(carte)["hostile|EP"] == 1


# --------------------------------------------------------------------------
# The module alone, on a small model


def petit_modele(titre: str = "Atelier <b>&</b> « test »") -> Referentiel:
    def ind(i, t):
        return Indicateur(id=i, libelle=f"Indicateur {i}", type=t, collecte="x", provenance="proposition")

    dims = [
        Dimension("AA", "Première dimension", "d", [
            Critere("AA1", "Un critère", "d", "proposition", [ind("AA1.1", "realisation"), ind("AA1.2", "impact")]),
            Critere("AA2", "Un autre critère au titre nettement plus long que les autres, pour voir",
                    "d", "proposition", [ind("AA2.1", "realisation")]),
        ]),
        Dimension("BB", "Seconde dimension", "d", [
            Critere("BB1", "Critère seul", "d", "proposition", [ind("BB1.1", "resultat")]),
        ]),
    ]

    def fiche(ident, titre, crits, statut="proposee"):
        return Fiche(ident, titre, statut, Acteur("Acteur", "association"), Action("Résumé"),
                     [Contribution(c, "constats", []) for c in crits])

    ref = Referentiel("Réf", "1", "CC-BY-SA-4.0", dims,
                      fiches=[fiche("b", titre, ["AA1", "AA2"]), fiche("a", "Autre", ["BB1"], "exemple")])
    ref.indexer()
    return ref


def test_unitaire_valeurs():
    ref = petit_modele()
    html = g.graphiques(ref, "chiffres/")
    assert valeurs_svg(svg(html, "graphique-criteres")) == {"AA1": 1, "AA2": 1, "BB1": 1}
    assert valeurs_svg(svg(html, "graphique-dimensions")) == {"AA": 1, "BB": 1}
    assert valeurs_svg(svg(html, "graphique-types")) == {"realisation": 2, "resultat": 1, "impact": 1}
    assert valeurs_svg(svg(html, "graphique-carte")) == {"a|AA": 0, "a|BB": 1, "b|AA": 2, "b|BB": 0}
    for ident in FIGURES:
        assert valeurs_svg(svg(html, ident)) == valeurs_table(table(html, ident))
    assert attendu(ref) == {ident: valeurs_svg(svg(html, ident)) for ident in FIGURES}
    # Links are relative to the page.
    assert 'href="../fiches/b/"' in html and 'href="../criteres/aa1/"' in html


def test_unitaire_echappement_et_determinisme():
    ref = petit_modele("<script>alert(1)</script> & \"x\"")
    html = g.graphiques(ref, "chiffres/")
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;" in svg(html, "graphique-carte")
    assert html == g.graphiques(petit_modele("<script>alert(1)</script> & \"x\""), "chiffres/")
    # One raw HTML block: Markdown must not cut it at a blank line.
    assert "\n\n" not in html and html.startswith("<div")


def test_unitaire_sans_fiche():
    ref = petit_modele()
    ref.fiches = []
    ref.indexer()
    html = g.graphiques(ref)
    assert valeurs_svg(svg(html, "graphique-criteres")) == {"AA1": 0, "AA2": 0, "BB1": 0}
    assert "Aucune fiche" in html


def test_couleurs_contrastees():
    for c in g.COULEURS_BARRES + list(g.COULEURS_TYPES.values()) + [g.BORDURE]:
        assert g.contraste(c, g.BLANC) >= 3, c
    assert g.contraste(g.TEXTE, g.BLANC) >= 4.5 and g.contraste(g.TEXTE_DOUX, g.BLANC) >= 4.5
    for fond in g.NUANCES:
        assert g.contraste(g.texte_sur(fond), fond) >= 4.5, fond
    # Shades grow with the count, 0 stays white.
    assert g.nuance(0, 4) == g.BLANC
    assert [g.NUANCES.index(g.nuance(n, 4)) for n in range(5)] == sorted(
        g.NUANCES.index(g.nuance(n, 4)) for n in range(5))


def test_couper():
    assert g.couper("court", 300) == ["court"]
    lignes = g.couper("un texte " * 40, 120, max_lignes=2)
    assert len(lignes) == 2 and lignes[-1].endswith("…")
    assert all(len(x) <= int(120 / (g.POLICE * g.CHASSE)) for x in lignes)
