"""The content is complete and honest: what a reader of the publication relies on."""

from __future__ import annotations

import html as htmlmod
import re
from collections import Counter

import yaml
from conftest import ROOT
from test_site import lire

CRITERES = yaml.safe_load((ROOT / "data" / "criteres.yaml").read_text(encoding="utf-8"))
FICHES = [yaml.safe_load(p.read_text(encoding="utf-8"))
          for p in sorted((ROOT / "data" / "fiches").glob("[!_]*.yaml"))]
TOUS_CRITERES = [c for d in CRITERES["dimensions"] for c in d["criteres"]]
TOUS_INDICATEURS = [i for c in TOUS_CRITERES for i in c["indicateurs"]]
LIBELLES_PROVENANCE = {
    "document-source": "Document source de la Ville de Brest",
    "source-citee": "Source publique citée",
    "proposition": "Proposition de l'équipe du site",
}


def test_le_referentiel_est_complet():
    assert [d["id"] for d in CRITERES["dimensions"]] == ["EP", "VE", "IS", "TS"]
    assert len(TOUS_CRITERES) >= 12
    assert len(TOUS_INDICATEURS) >= 40
    assert {i["type"] for i in TOUS_INDICATEURS} == {"realisation", "resultat", "impact"}
    for c in TOUS_CRITERES:
        assert len({i["type"] for i in c["indicateurs"]}) >= 2, c["id"]
    titres = " ".join(c["titre"].lower() for c in TOUS_CRITERES)
    for nom in ("mixité", "lien social", "insertion professionnelle", "accès aux droits", "innovation",
                "esprit critique", "changement de pratiques", "estime de soi", "confiance", "expression"):
        assert nom in titres, nom


def test_chaque_critere_et_indicateur_dit_sa_definition_sa_collecte_et_sa_provenance(site_livre):
    for c in TOUS_CRITERES:
        assert c.get("description") and c.get("provenance"), c["id"]
        html = htmlmod.unescape(lire(site_livre, f"criteres/{c['id'].lower()}/"))
        assert LIBELLES_PROVENANCE[c["provenance"]] in html, c["id"]
        for i in c["indicateurs"]:
            for champ in ("libelle", "type", "definition", "collecte", "exemple", "provenance"):
                assert i.get(champ), (i["id"], champ)
            page = htmlmod.unescape(lire(site_livre, f"indicateurs/{i['id'].lower().replace('.', '-')}/"))
            for titre in ("Définition", "Comment le mesurer", "Exemple de question ou de mesure", "Provenance"):
                assert titre in page, (i["id"], titre)
            assert LIBELLES_PROVENANCE[i["provenance"]] in page, i["id"]


def test_les_acteurs_des_sources_ont_leur_fiche():
    titres = " ".join(f["titre"] + " " + f["acteur"]["nom"] for f in FICHES)
    for nom in ("Intergénér@tion", "psychiatrique", "Kéréderm", "Parlons-en"):
        assert nom in titres, nom


def test_chaque_dimension_est_utilisee_par_deux_fiches():
    dim_de = {c["id"]: d["id"] for d in CRITERES["dimensions"] for c in d["criteres"]}
    compte = Counter()
    for f in FICHES:
        for dim in {dim_de[c["critere"]] for c in f["contributions"]}:
            compte[dim] += 1
    for d in CRITERES["dimensions"]:
        assert compte[d["id"]] >= 2, d["id"]


def test_chaque_fiche_d_exemple_le_dit(site_livre):
    for f in FICHES:
        assert f["statut"] in {"exemple", "proposee", "publiee"}
        html = htmlmod.unescape(lire(site_livre, f"fiches/{f['id']}/"))
        if f["statut"] == "exemple":
            assert "Fiche d'exemple" in html, f["id"]
            assert "ses valeurs n'ont pas été mesurées" in html, f["id"]


def test_chaque_page_generee_se_cite(site_livre):
    urls = [f"dimensions/{d['id'].lower()}/" for d in CRITERES["dimensions"]]
    urls += [f"criteres/{c['id'].lower()}/" for c in TOUS_CRITERES]
    urls += [f"indicateurs/{i['id'].lower().replace('.', '-')}/" for i in TOUS_INDICATEURS]
    urls += [f"fiches/{f['id']}/" for f in FICHES]
    for url in urls:
        html = lire(site_livre, url)
        m = re.search(r'<p class="ref-citation" id="citation">([^<]+)</p>', html)
        assert m and "Citer cette page" in html, url
        citation = htmlmod.unescape(m.group(1))
        assert "licence CC-BY-SA-4.0" in citation, url
        # Built without SITE_URL: no address to give, so no « Lien permanent »
        # to ./ (test_liens_durables checks the absolute ones with SITE_URL).
        assert "ref-permalien" not in html and url not in citation, url
        # Every generated page: its last update, in French.
        assert re.search(r'Dernière mise à jour : <time datetime="\d{4}-\d{2}-\d{2}">\d{1,2}(er)? \w+ \d{4}</time>',
                         html), url


def test_chapitres_rediges(site_livre):
    for url, mot in [("contexte/", "PAPI"), ("demarche/", "Hélène Duclos"), ("methode/", "réalisation"),
                     ("bilan/", "usages du numérique"), ("licence/", "Creative Commons"),
                     ("sources/", "Elisabeth Le Faucheur"), ("glossaire/", "médiation numérique")]:
        html = lire(site_livre, url)
        assert mot in html, url
    # The glossary terms are tooltips where they appear.
    assert re.search(r'<abbr title="[^"]+">PAPI</abbr>', lire(site_livre, "contexte/"))


def test_ni_brouillon_ni_texte_factice(site_livre):
    for path in site_livre.rglob("*.html"):
        texte = re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8"))
        for mot in ("lorem ipsum", "TODO", "FIXME", "XXX", "à compléter plus tard"):
            assert mot.lower() not in texte.lower(), (path, mot)
