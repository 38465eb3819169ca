"""Contributed Markdown as it appears on a page: safe HTML, French dates, stable links."""

from __future__ import annotations

import pytest

from referentiel.pages import Urls
from referentiel.render import date_fr, md, md_inline


@pytest.mark.parametrize("texte,interdit,attendu", [
    ("[clic](javascript:alert(1))", 'href="javascript', "<span>clic</span>"),
    ("[clic](JaVaScRiPt:alert(1))", "href=", "<span>clic</span>"),
    ("[clic](data:text/html;base64,PHNjcmlwdD4=)", "href=", "<span>clic</span>"),
    ("<javascript:alert(1)>", "href=", "&lt;javascript:alert(1)&gt;"),
    ("[r][1]\n\n[1]: vbscript:msgbox", "href=", "<span>r</span>"),
    ("<script>alert(1)</script>", "<script", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ('<a href="https://x.fr" onclick="y">z</a>', "<a href", "&lt;a href="),
    ("![photo](https://tiers.example/pixel.png)", "<img", "<span>photo</span>"),
    ("# Grand titre", "<h1", '<p class="intertitre">Grand titre</p>'),
    ("{{ 7*7 }} {% if %}", "49", "{{ 7*7 }} {% if %}"),
])
def test_markdown_contribue_sans_danger(texte, interdit, attendu):
    html = md(texte)
    assert interdit not in html
    assert attendu in html


def test_liens_autorises_gardes():
    html = md("[site](https://exemple.org) [écrire](mailto:contact@exemple.org) <http://a.fr>")
    assert 'href="https://exemple.org"' in html
    assert 'href="mailto:contact@exemple.org"' in html
    assert 'href="http://a.fr"' in html
    assert 'rel="nofollow noopener"' in html


def test_titre_echappe_pour_markdown():
    assert md_inline("Atelier <b>*gras*</b> {: onclick=x }") == \
        r"Atelier &lt;b&gt;\*gras\*&lt;/b&gt; \{: onclick=x \}"


@pytest.mark.parametrize("valeur,attendu", [
    ("2015-04-09", "9 avril 2015"), ("2015-04-01", "1er avril 2015"),
    ("2014-12", "décembre 2014"), ("2003", "2003"), (None, ""),
])
def test_dates_en_francais(valeur, attendu):
    assert date_fr(valeur) == attendu


def test_liens_relatifs_entre_pages():
    urls = Urls(use_directory_urls=True)
    assert urls.url("fiches/index.md") == "fiches/"
    assert urls.url("index.md") == ""
    assert urls.rel("fiches/x/", "criteres/ep1.md") == "../../criteres/ep1/"
    assert urls.rel("", "criteres/ep1.md") == "criteres/ep1/"
    assert urls.rel("matrice/", "fiches/x.md", "ve2") == "../fiches/x/#ve2"
    assert urls.rel("criteres/ep1/", "index.md") == "../../"
    plat = Urls(use_directory_urls=False)
    assert plat.rel("fiches/x.html", "criteres/ep1.md") == "../criteres/ep1.html"


# --------------------------------------------------------------------------
# Shortcuts taken for speed give exactly what the slow path gives.

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from referentiel.pages.liens import _relpath  # noqa: E402
from referentiel.render import md_lent  # noqa: E402

_ALPHABET = st.sampled_from(list("abcé àE 1.0-+=#*_`[]()<>&!|~{}:/@\\\n\t\"'«»") + ["  ", "https://x.fr", "\u00a0"])


@settings(max_examples=2000, derandomize=True, deadline=None)
@given(st.lists(_ALPHABET, max_size=25).map("".join))
def test_texte_simple_sans_markdown_identique(texte):
    md.cache_clear()
    assert md(texte) == (md_lent(texte) if texte else "")


@settings(max_examples=500, derandomize=True, deadline=None)
@given(st.lists(st.sampled_from(["fiches", "criteres", "ep1", "a", "index.html", "."]), max_size=4),
       st.lists(st.sampled_from(["fiches", "criteres", "ep1", "b", "."]), max_size=4))
def test_chemin_relatif_comme_posixpath(cible, depuis):
    import posixpath

    c, d = "/".join(cible) or ".", "/".join(depuis) or "."
    assert _relpath(c, d) == posixpath.relpath(c, d)


def test_html_allege_sans_toucher_au_texte_preformate():
    from referentiel.render import alleger_html

    page = ("<div>\n    <p>Un\n      texte</p>\n\n   \n  <pre>  garde\n\n    ses espaces</pre>\n"
            "  <textarea>\n  a\n\n b</textarea>\n  <script>\n  var x = `\n\n  `;</script>\n</div>")
    assert alleger_html(page) == ("<div>\n<p>Un\ntexte</p>\n<pre>  garde\n\n    ses espaces</pre>\n"
                                  "<textarea>\n  a\n\n b</textarea>\n<script>\n  var x = `\n\n  `;</script>\n</div>")
