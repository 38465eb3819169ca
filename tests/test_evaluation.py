"""« Préparer son évaluation » (issue 18): from the référentiel to a collection kit.

An actor, on a phone and with the keyboard, chooses two criteria and four
indicators; the address keeps the selection (a reload finds it again); the
questionnaire printed from the browser (Chromium's own print to PDF) holds
exactly the chosen indicators' questions, with their answer formats, and no
framework id; the plan, exactly the chosen indicators; « Préparer la fiche »
opens the form with them ticked; axe-core finds nothing. Without JavaScript,
each criterion's kit PDF (built by WeasyPrint) is there, with every document
of its indicators, inside the same margins as the report.
"""

from __future__ import annotations

import io
import re
import shutil
import unicodedata
from pathlib import Path

import pdfplumber
import pytest
import yaml
import conftest
from conftest import ROOT, cli, creer_donnees, creer_version_suivante, servir
from test_pdf_geometrie import lire, problemes_geometrie, verifier
from test_pdf_geometrie import normaliser as sans_espaces

from referentiel.lecture import charger
from referentiel.pages import Rendu, recueil
from referentiel.pages.evaluation import criteres_proposes, page_evaluation
from referentiel.sorties.pdf import html_kit
from referentiel.sorties.pdf.mise_en_page import MARGES_KIT

PAGE = "contribuer/preparer-son-evaluation/"
TELEPHONE = {"width": 375, "height": 800}
ORDINATEUR = {"width": 1280, "height": 900}
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ID_CADRE = re.compile(r"\b(EP|VE|IS|TS)\d")

REF = charger(ROOT / "data").referentiel
INDICATEURS = {i.id: i for d in REF.dimensions for c in d.criteres for i in c.indicateurs}
# Two criteria, four indicators: questions of every answer format, observation and interviews.
CRITERES_CHOISIS = ["EP2", "IS2"]
INDICATEURS_CHOISIS = ["EP2.2", "EP2.3", "IS2.2", "IS2.3"]


def normaliser(texte: str) -> str:
    """Text as printed, compared whatever the line breaks, hyphenation and typographic spaces."""
    texte = unicodedata.normalize("NFC", texte).replace("\u2010", "-").replace("\u00ad", "")
    texte = re.sub(r"-\s*\n\s*", "", texte)
    texte = re.sub(r"[\s\u00a0\u202f]+", " ", texte)
    return texte.replace("’", "'").strip()


def texte_pdf(donnees: bytes) -> str:
    with pdfplumber.open(io.BytesIO(donnees)) as pdf:
        return "\n".join(p.extract_text() or "" for p in pdf.pages)


# ---------------------------------------------------------------------------
# The documents, from the model (no build)


def test_le_questionnaire_pose_les_questions_des_indicateurs_choisis_et_eux_seuls():
    choisis = [INDICATEURS[i] for i in INDICATEURS_CHOISIS]
    html = recueil.questionnaire(choisis, "participants", avec_ids=False)
    attendues = [q.texte for i in choisis if "questionnaire" in i.methodes for q in i.questions]
    assert attendues
    textes = re.findall(r'<p class="pe-question-texte">(.*?)</p>', html)
    assert [t.replace("&#x27;", "'") for t in textes] == attendues
    assert not ID_CADRE.search(html), "un identifiant du référentiel sur la copie du participant"
    assert "data-i=" not in html
    for mot in ("Répondre est libre", "anonyme", "N'écrivez pas votre nom"):
        assert mot in html


def test_chaque_format_de_reponse_a_sa_forme():
    formats = {}
    for i in INDICATEURS.values():
        for q in i.questions:
            formats.setdefault(q.format, q)
    assert set(formats) >= {"oui-non", "echelle", "texte"}
    assert recueil.reponse(formats["oui-non"]).count('class="pe-case"') == 2
    echelle = formats["echelle"]
    html = recueil.reponse(echelle)
    assert html.count('class="pe-case"') == 4 and all(p in html for p in echelle.echelle)
    assert html.count("<span></span>") == 0 and recueil.reponse(formats["texte"]).count("<span></span>") == 3


def test_les_questions_des_professionnels_vont_dans_leur_questionnaire():
    ts = [i for d in REF.dimensions for c in d.criteres if c.id == "TS3" for i in c.indicateurs]
    assert recueil.questionnaire(ts, "participants") is None
    pros = recueil.questionnaire(ts, "professionnels")
    assert pros and "Votre regard sur" in pros and INDICATEURS["TS3.2"].questions[0].texte.replace("'", "&#x27;") in pros


def test_des_questions_pour_deux_publics_sont_refusees(tmp_path):
    data = creer_donnees(tmp_path)
    doc = yaml.safe_load((data / "criteres.yaml").read_text(encoding="utf-8"))
    ind = next(i for d in doc["dimensions"] for c in d["criteres"] for i in c["indicateurs"] if i["id"] == "EP2.3")
    ind["aupres_de"] = ["participants", "professionnels"]
    (data / "criteres.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100),
                                        encoding="utf-8")
    sortie = cli("valider", "data", cwd=tmp_path)
    assert sortie.code == 1
    assert ("les questions de EP2.3 vont dans un seul questionnaire : gardez dans « aupres_de » le public "
            "qui y répond (participants ou professionnels)") in sortie.stdout


def test_un_indicateur_retire_n_est_plus_propose(tmp_path):
    """Version 1.1 (conftest): VE2.3 retired, VE2.4 added. Neither the page nor VE2's kit
    offers VE2.3 any more; both offer VE2.4."""
    data = creer_donnees(tmp_path, avec_fiches_livrees=True)
    shutil.copytree(ROOT / "data" / "versions", data / "versions")
    creer_version_suivante(data)
    ref = charger(data).referentiel
    page = page_evaluation(Rendu(ref))
    assert 'value="VE2.4"' in page and 'value="VE2.3"' not in page
    kit = html_kit(ref, ref.criteres["VE2"], "2026-12-01")
    assert "VE2.4" in kit and "VE2.3" not in kit


# ---------------------------------------------------------------------------
# The built site, without JavaScript: the page, and each criterion's kit


def test_la_page_propose_chaque_critere_et_chaque_indicateur(site_livre):
    html = (site_livre / PAGE / "index.html").read_text(encoding="utf-8")
    for c in criteres_proposes(REF):
        assert f'id="pe-c-{c.slug}"' in html
        assert f'href="../../telechargements/kits/kit-{c.slug}.pdf"' in html
        for i in c.indicateurs:
            assert f'value="{i.id}"' in html
    assert "<noscript>" in html and "kit de recueil" in html
    assert 'href="../proposer-une-fiche/"' in html


def test_chaque_page_de_critere_offre_son_kit(site_livre):
    for c in criteres_proposes(REF):
        html = (site_livre / "criteres" / c.slug / "index.html").read_text(encoding="utf-8")
        assert f'href="../../telechargements/kits/kit-{c.slug}.pdf"' in html, c.id
        assert f'href="../../contribuer/preparer-son-evaluation/?criteres={c.id}"' in html, c.id


@pytest.mark.parametrize("critere", [c.id for c in criteres_proposes(REF)])
def test_kit_du_critere_dans_les_marges_et_complet(site_livre, critere):
    c = next(x for x in criteres_proposes(REF) if x.id == critere)
    chemin = site_livre / "telechargements" / "kits" / f"kit-{c.slug}.pdf"
    assert chemin.is_file(), chemin
    pdf = lire(chemin, f"kit {c.id}", MARGES_KIT)
    verifier(problemes_geometrie(pdf), "marges")
    texte = sans_espaces("".join(p.glyphes for p in pdf.pages))
    assert sans_espaces("Plan d'évaluation") in texte
    for i in c.indicateurs:
        assert sans_espaces(i.libelle) in texte, i.id
        for q in i.questions + [*(recueil.Question(x, "texte") for x in i.a_observer + i.a_demander)]:
            assert sans_espaces(q.texte) in texte, (i.id, q.texte)
    # The questionnaire's pages (no running header: it goes to participants) hold no id.
    with pdfplumber.open(chemin) as doc:
        for page in doc.pages:
            t = page.extract_text() or ""
            if "Répondre est libre" in t:
                assert not ID_CADRE.search(t), (critere, page.page_number, ID_CADRE.search(t).group(0))


def test_kit_metadonnees_et_signets(site_livre):
    from pypdf import PdfReader

    lecteur = PdfReader(site_livre / "telechargements" / "kits" / "kit-ep1.pdf")
    meta = lecteur.metadata
    assert meta.title == "Kit de recueil du critère EP1 · Estime de soi"
    assert meta.author == "Équipe du site du référentiel"
    assert "proposition de l'équipe du site" in meta.subject
    signets = [s.title for s in lecteur.outline if not isinstance(s, list)]
    assert signets[0] == "Kit de recueil du critère EP1 · Estime de soi"
    plats = [x.title for x in lecteur.outline[1]] if isinstance(lecteur.outline[1], list) else []
    assert plats == ["Plan d'évaluation", "Votre avis sur l'action", "Grille d'observation", "Guide d'entretien"]


# ---------------------------------------------------------------------------
# In Chromium: the keyboard at 375 px, the address, printing, the fiche


@pytest.fixture(scope="module")
def serveur(site_livre: Path):
    with servir(site_livre) as url:
        yield url


@pytest.fixture
def visite(navigateur, serveur):
    v = conftest.Visite(navigateur, serveur, viewport=TELEPHONE)
    yield v
    v.fermer()


def tabuler_jusqua(page, ident: str, maximum: int = 400) -> None:
    """Tab until the element ``ident`` has the focus, checking it is visible there."""
    for _ in range(maximum):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement && document.activeElement.id") == ident:
            boite = page.evaluate("""() => { const r = document.activeElement.getBoundingClientRect();
                return [r.top, r.bottom, r.left, r.right, innerHeight, innerWidth]; }""")
            haut, bas, gauche, droite, h, w = boite
            assert 0 <= haut and bas <= h and 0 <= gauche and droite <= w, (ident, boite)
            return
    pytest.fail(f"{ident} n'est pas atteint au clavier en {maximum} tabulations")


def choisir_au_clavier(page) -> None:
    for c in CRITERES_CHOISIS:
        tabuler_jusqua(page, f"pe-c-{c.lower()}")
        page.keyboard.press("Space")
    for i in INDICATEURS_CHOISIS:
        tabuler_jusqua(page, f"pe-i-{i.lower().replace('.', '-')}")
        page.keyboard.press("Space")


def coches(page, nom: str) -> list[str]:
    return page.eval_on_selector_all(f'input[name="{nom}"]:checked', "els => els.map(e => e.value)")


def test_au_clavier_a_375_px_la_selection_tient_dans_l_adresse(visite):
    page = visite.ouvrir(PAGE)
    # Step 1, typed.
    tabuler_jusqua(page, "pe-action-nom")
    page.keyboard.type("Tablettes du mardi")
    choisir_au_clavier(page)
    assert coches(page, "criteres") == CRITERES_CHOISIS
    assert coches(page, "indicateurs") == INDICATEURS_CHOISIS
    adresse = page.url
    assert "criteres=EP2,IS2" in adresse and "indicateurs=EP2.2,EP2.3,IS2.2,IS2.3" in adresse, adresse
    assert "action=Tablettes+du+mardi" in adresse
    assert page.input_value("#pe-adresse") == adresse

    page.reload(wait_until="load")
    assert coches(page, "criteres") == CRITERES_CHOISIS
    assert coches(page, "indicateurs") == INDICATEURS_CHOISIS
    assert page.input_value("#pe-action-nom") == "Tablettes du mardi"
    # Only the chosen criteria's indicators are offered; the documents show the chosen ones.
    visibles = page.eval_on_selector_all("fieldset[data-critere]:not([hidden])", "e => e.map(x => x.dataset.critere)")
    assert visibles == CRITERES_CHOISIS
    montres = page.eval_on_selector_all('.pe-doc[data-doc="plan"] tr[data-i]:not([hidden])',
                                        "e => e.map(x => x.dataset.i)")
    assert montres == INDICATEURS_CHOISIS
    assert page.evaluate("document.documentElement.scrollWidth") <= TELEPHONE["width"]
    assert not visite.erreurs_js and not visite.externes

    # The same address, opened in another browser (a colleague): the same selection.
    autre = conftest.Visite(visite.contexte.browser, visite.origine, viewport=ORDINATEUR)
    try:
        p2 = autre.page
        p2.goto(adresse, wait_until="load")
        assert coches(p2, "indicateurs") == INDICATEURS_CHOISIS
        assert p2.input_value("#pe-action-nom") == "Tablettes du mardi"
    finally:
        autre.fermer()


def ouvrir_selection(visite):
    return visite.ouvrir(PAGE + "?action=Tablettes+du+mardi&structure=Centre+social+de+Kerourien&type=atelier"
                         "&criteres=" + ",".join(CRITERES_CHOISIS) + "&indicateurs=" + ",".join(INDICATEURS_CHOISIS))


def imprimer(page, document: str, dossier: Path) -> str:
    """Press the document's « Imprimer » button; Chromium's print to PDF (the
    page's own @page rule) gives what the paper would hold: A4 pages, nothing
    outside the kits' margins (the report's geometry check), and its text."""
    page.evaluate("() => { window.print = () => { window.__imprime = "
                  "(document.querySelector('.pe-doc--imprime') || {}).dataset.doc; }; }")
    page.click(f'button[data-imprimer="{document}"]')
    assert page.evaluate("window.__imprime") == document
    chemin = dossier / f"{document}.pdf"
    chemin.write_bytes(page.pdf(prefer_css_page_size=True, print_background=True))
    pdf = lire(chemin, f"{document} imprimé par Chromium", MARGES_KIT)
    assert {(round(p.largeur), round(p.hauteur)) for p in pdf.pages} == {(595, 842)}, "pas du A4"
    verifier(problemes_geometrie(pdf), "marges")
    return texte_pdf(chemin.read_bytes())


def test_le_questionnaire_imprime_contient_exactement_les_questions_choisies(visite, tmp_path):
    page = ouvrir_selection(visite)
    texte = normaliser(imprimer(page, "questionnaire-participants", tmp_path))
    choisies = [q for i in INDICATEURS_CHOISIS for q in INDICATEURS[i].questions]
    autres = [q for i, ind in INDICATEURS.items() if i not in INDICATEURS_CHOISIS for q in ind.questions]
    for q in choisies:
        assert normaliser(q.texte) in texte, q.texte
        if q.format == "echelle":
            assert normaliser(" ".join(q.echelle)) in texte, q.echelle
    for q in autres:
        assert normaliser(q.texte) not in texte, q.texte
    assert texte.count("Oui Non") == sum(q.format == "oui-non" for q in choisies)
    assert not ID_CADRE.search(texte), ID_CADRE.search(texte).group(0)
    for mot in ("Votre avis sur l'atelier", "« Tablettes du mardi »", "Répondre est libre",
                "Ce questionnaire est anonyme", "Centre social de Kerourien"):
        assert mot in texte, mot
    # Only the questionnaire: not the plan, not the page around it.
    assert "Plan d'évaluation" not in texte and "Préparer son évaluation" not in texte


def test_le_plan_imprime_contient_exactement_les_indicateurs_choisis(visite, tmp_path):
    page = ouvrir_selection(visite)
    texte = normaliser(imprimer(page, "plan", tmp_path))
    # One row per chosen indicator (the plan is the team's copy: it names them by id).
    assert re.findall(r"\b(?:EP|VE|IS|TS)\d\.\d\b", texte) == INDICATEURS_CHOISIS
    for colonne in ("Quand", "Qui s'en"):
        assert sans_espaces(colonne) in sans_espaces(texte), colonne
    assert "Tablettes du mardi" in texte


def test_une_question_adaptee_est_imprimee_et_gardee(visite, tmp_path):
    """The actor changes a question's wording before printing: the printed copy has
    it; the browser keeps it (not the address); « Revenir » gives the proposed one."""
    page = ouvrir_selection(visite)
    page.click("#pe-modifier")
    assert page.get_attribute("#pe-modifier", "aria-pressed") == "true"
    premiere = INDICATEURS["EP2.3"].questions[0]
    zone = page.locator('[data-doc="questionnaire-participants"] [data-q="EP2.3.q0"] + textarea')
    assert zone.is_visible() and zone.input_value() == premiere.texte
    zone.fill("Ce mois-ci, avez-vous fait seul(e) un achat sur internet ?")
    page.click("#pe-modifier")  # done
    texte = normaliser(imprimer(page, "questionnaire-participants", tmp_path))
    assert "Ce mois-ci, avez-vous fait seul(e) un achat sur internet ?" in texte
    assert normaliser(premiere.texte) not in texte
    page.reload(wait_until="load")
    assert page.inner_text('[data-q="EP2.3.q0"]') == "Ce mois-ci, avez-vous fait seul(e) un achat sur internet ?"
    assert "1\u00a0question adaptée" in page.inner_text("#pe-modifie")
    page.once("dialog", lambda d: d.accept())
    page.click("#pe-retablir")
    assert page.inner_text('[data-q="EP2.3.q0"]') == premiere.texte
    assert not visite.erreurs_js


@pytest.mark.parametrize("document", list(recueil.DOCUMENTS))
def test_chaque_document_s_imprime_seul_sur_du_a4(visite, tmp_path, document):
    """Two criteria whose indicators call for all five documents: each button
    prints its document only, inside the margins."""
    page = visite.ouvrir(PAGE + "?criteres=EP1,TS3&indicateurs=EP1.2,EP1.3,TS3.2,TS3.3")
    texte = normaliser(imprimer(page, document, tmp_path))
    titres = {"plan": "Plan d'évaluation", "questionnaire-participants": "Votre avis sur l'action",
              "questionnaire-professionnels": "Votre regard sur l'action", "observation": "Grille d'observation",
              "entretien": "Guide d'entretien"}
    for autre, titre in titres.items():
        assert (titre in texte) == (autre == document), (document, titre)


def test_la_fiche_s_ouvre_preremplie(visite):
    page = ouvrir_selection(visite)
    page.click("#pe-fiche")
    page.wait_for_selector("#ff-titre")
    assert page.input_value("#ff-titre") == "Tablettes du mardi"
    assert page.input_value("#ff-acteur-nom") == "Centre social de Kerourien"
    for c in CRITERES_CHOISIS:
        assert page.is_checked(f"#ff-c-{c.lower()}"), c
    for i, ind in INDICATEURS.items():
        assert page.is_checked(f"#ff-i-{i.lower().replace('.', '-')}") == (i in INDICATEURS_CHOISIS), i
    # The values are left to fill after collection.
    for i in INDICATEURS_CHOISIS:
        assert page.input_value(f"#ff-valeur-{i.lower().replace('.', '-')}") == ""
    assert "Votre préparation est reprise" in page.inner_text("#ff-info")
    assert "preparation" not in page.url
    assert not visite.erreurs_js


@pytest.mark.parametrize("largeur", [TELEPHONE, ORDINATEUR], ids=["telephone", "ordinateur"])
@pytest.mark.parametrize("etat", ["vide", "choisie", "questions-a-adapter"])
def test_accessible(navigateur, serveur, largeur, etat):
    v = conftest.Visite(navigateur, serveur, viewport=largeur)
    try:
        page = v.ouvrir(PAGE) if etat == "vide" else ouvrir_selection(v)
        if etat == "questions-a-adapter":
            page.click("#pe-modifier")
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(
            "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},"
            " resultTypes: ['violations']})")["violations"]
        assert not violations, [(x["id"], [n["target"] for n in x["nodes"][:3]]) for x in violations]
        assert page.evaluate("document.documentElement.scrollWidth") <= largeur["width"]
        assert not v.erreurs_js and not v.externes
    finally:
        v.fermer()


def test_l_adresse_ne_peut_rien_injecter(visite):
    """What the address carries is shown as text, never as HTML; unknown ids are dropped."""
    page = visite.ouvrir(PAGE + "?action=%3Cimg%20src%3Dx%20onerror%3D%22window.__x%3D1%22%3E"
                         "&structure=%3Cscript%3Ewindow.__x%3D2%3C%2Fscript%3E&type=%3Cb%3E"
                         "&criteres=EP2,ZZ9,__proto__&indicateurs=EP2.2,IS2.2,EP2.9")
    assert page.evaluate("window.__x") is None
    assert page.locator(".pe-documents img, .pe-documents script").count() == 0
    assert page.inner_text('.pe-doc[data-doc="plan"] [data-champ="action-nom"]') == '<img src=x onerror="window.__x=1">'
    assert coches(page, "criteres") == ["EP2"] and coches(page, "indicateurs") == ["EP2.2"]
    assert page.input_value("#pe-type") == ""
    assert not visite.erreurs_js


def test_sans_javascript_la_page_mene_aux_kits(navigateur, serveur):
    v = conftest.Visite(navigateur, serveur, javascript=False, viewport=TELEPHONE)
    try:
        page = v.ouvrir(PAGE)
        assert "a besoin de JavaScript" in page.inner_text("main")
        assert page.locator('a[href$="kit-ep1.pdf"]').first.is_visible()
        assert not page.locator("#pe-documents").is_visible()
    finally:
        v.fermer()
