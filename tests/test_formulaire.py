"""« Proposer une fiche »: the form, in a real browser (Playwright driving Chromium).

A person fills the form with the keyboard; the YAML it produces passes
``referentiel valider`` unchanged, the GitHub link carries the same file, and
the page asks nothing of another site.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
import conftest
from conftest import ROOT, cli, construire, creer_donnees, creer_projet, servir

REPO_URL = "https://github.com/exemple/referentiel"
PAGE = "contribuer/proposer-une-fiche/"
SCRIPT = ROOT / "docs" / "javascripts" / "proposer-fiche.js"



# ---------------------------------------------------------------------------
# Fixtures: built sites, served on 127.0.0.1, and one browser


def _site(tmp_path_factory, nom: str, env: dict[str, str | None]) -> Path:
    projet = creer_projet(tmp_path_factory.mktemp(nom))
    creer_donnees(projet, avec_fiches_livrees=True)
    sortie = construire(projet, env=env)
    assert sortie.code == 0, sortie.stderr
    return projet / "site"


@pytest.fixture(scope="module")
def serveur(tmp_path_factory, site_livre):
    """Two sites, with and without REPO_URL, served on a free port of 127.0.0.1:
    one built here, and site_livre (built without REPO_URL: conftest.ENV_LIVRE)."""
    avec = _site(tmp_path_factory, "avec-depot", {"REPO_URL": REPO_URL})
    racine = avec.parent.parent / "servi"
    racine.mkdir()
    (racine / "avec").symlink_to(avec, target_is_directory=True)
    (racine / "sans").symlink_to(site_livre, target_is_directory=True)
    with servir(racine) as url:
        yield url


class Visite(conftest.Visite):
    """The form page of one of the two sites (with and without REPO_URL)."""

    def ouvrir(self, site: str):
        return super().ouvrir(f"{site}/{PAGE}")


@pytest.fixture
def visite(navigateur, serveur):
    v = Visite(navigateur, serveur)
    yield v
    v.fermer()


def actif(page) -> str:
    """The id (or the text) of the focused element."""
    return page.evaluate("() => document.activeElement.id || document.activeElement.textContent.trim()")


def coller(page, selecteur: str, texte: str) -> None:
    """Put ``texte`` in a field at once, as a paste does: focus, value, ``input`` event.

    For texts of hundreds of lines: Chromium's ``fill`` (text insertion) takes a time
    that grows with the square of the number of lines (0.7 s for 150 lines, 15 s for
    2,000), and ran past Playwright's 30 s on a busy machine. The form sees the same
    value and the same events."""
    page.focus(selecteur)
    page.evaluate("""([selecteur, texte]) => {
        const champ = document.querySelector(selecteur);
        champ.value = texte;
        champ.dispatchEvent(new InputEvent("input", {bubbles: true, inputType: "insertFromPaste"}));
    }""", [selecteur, texte])
    assert page.input_value(selecteur) == texte


def saisir(page, selecteur: str, texte: str) -> None:
    """``fill``, or ``coller`` for a text of more than 100 lines."""
    if texte.count("\n") > 100:
        coller(page, selecteur, texte)
    else:
        page.fill(selecteur, texte)


def tabuler_jusqua(page, cible: str, maximum: int) -> int:
    """Press Tab until the element with id ``cible`` has the focus; how many presses it took."""
    for n in range(1, maximum + 1):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == cible:
            return n
    pytest.fail(f"#{cible} n'est pas atteint en {maximum} appuis sur Tab (dernier : {actif(page)!r})")


# ---------------------------------------------------------------------------
# Tests


def test_le_script_ne_fait_aucune_requete():
    code = SCRIPT.read_text(encoding="utf-8")
    for interdit in ("fetch(", "XMLHttpRequest", "sendBeacon", "WebSocket", "EventSource", "import(",
                     "new Image", "innerHTML", "eval(", "document.write"):
        assert interdit not in code, interdit


def test_remplir_au_clavier_produit_une_fiche_valide(visite, tmp_path):
    page = visite.ouvrir("avec")
    page.wait_for_selector("#ff-titre")

    # The form comes after the page's header and menu: Tab reaches its first field.
    appuis = tabuler_jusqua(page, "ff-titre", 150)

    # Checking an empty form lists every problem at the top, with links to the fields.
    page.click("#ff-verifier")
    resume = page.locator("#ff-resume-erreurs")
    assert resume.is_visible()
    assert page.evaluate("() => document.activeElement.id") == "ff-resume-erreurs"
    assert "La fiche n'est pas encore complète" in resume.inner_text()
    liens = resume.locator("a")
    assert liens.count() >= 5
    assert "Titre de l'action : écrivez le titre de votre action." in liens.nth(0).inner_text()
    assert "Critères : cochez au moins un critère" in resume.inner_text()
    liens.nth(0).press("Enter")
    assert actif(page) == "ff-titre"
    assert page.get_attribute("#ff-titre", "aria-invalid") == "true"

    # The title, typed; the identifier is suggested from it.
    page.keyboard.type("Atelier numérique : Bellevue")
    assert page.input_value("#ff-id") == "atelier-numerique-bellevue"
    assert page.get_attribute("#ff-titre", "aria-invalid") is None  # fixed while typing

    # A wrong identifier: a French error next to the field, tied to it.
    page.keyboard.press("Tab")
    assert actif(page) == "ff-id"
    page.fill("#ff-id", "Atelier Bellevue !")
    page.keyboard.press("Tab")
    erreur = page.locator("#ff-id-erreur")
    assert erreur.is_visible()
    assert "Erreur : l'identifiant ne peut contenir que des lettres minuscules sans accent" in erreur.inner_text()
    assert "« atelier-bellevue »" in erreur.inner_text()
    assert page.get_attribute("#ff-id", "aria-invalid") == "true"
    assert "ff-id-erreur" in page.get_attribute("#ff-id", "aria-describedby").split()
    # An identifier already taken by a fiche of the site.
    page.fill("#ff-id", "intergeneration")
    assert "est déjà pris" in erreur.inner_text()
    ident = "atelier-numerique-bellevue"
    page.fill("#ff-id", ident)
    assert erreur.is_hidden()
    assert page.get_attribute("#ff-id", "aria-invalid") is None
    assert page.get_attribute("#ff-id", "aria-describedby") == "ff-id-aide"

    # The rest, field after field.
    page.focus("#ff-resume")
    page.keyboard.type("Chaque mercredi, un atelier ouvert aux habitants du quartier ")
    page.keyboard.type('pour apprendre à se servir d\'un ordinateur : "pas à pas".')
    page.keyboard.press("Tab")
    assert actif(page) == "ff-acteur-nom"
    page.keyboard.type("Association du quartier")
    page.keyboard.press("Tab")
    assert actif(page) == "ff-acteur-type"
    page.select_option("#ff-acteur-type", "centre-social")
    page.keyboard.press("Tab")
    assert actif(page) == "ff-ville"
    page.keyboard.type("Brest")

    # Two criteria, checked with the space bar; their questions appear below them.
    assert page.locator("#ff-constats-ve2").is_hidden()
    page.focus("#ff-c-ve2")
    page.keyboard.press("Space")
    assert page.is_checked("#ff-c-ve2")
    page.keyboard.press("Tab")  # the link to the criterion's description
    page.keyboard.press("Tab")
    assert actif(page) == "ff-constats-ve2"
    page.keyboard.type("Les habitants se parlent davantage.")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.type("Voir [le bilan](https://exemple.org/bilan).")
    page.keyboard.press("Tab")
    assert actif(page) == "ff-i-ve2-1"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert actif(page) == "ff-valeur-ve2-1"
    page.keyboard.type("14 participants réguliers sur l'année")
    page.keyboard.press("Tab")
    page.keyboard.type("feuilles d'émargement")

    page.check("#ff-c-ep4")
    page.fill("#ff-constats-ep4", "Plusieurs participants osent essayer seuls.")
    # A link that the référentiel refuses is reported next to its field, in French.
    page.check("#ff-i-ep4-2")
    page.fill("#ff-valeur-ep4-2", "voir [ce fichier](file:///c:/bilan.txt)")
    page.focus("#ff-source-ep4-2")
    assert "seuls les liens https://, http:// et mailto: sont acceptés" in \
        page.inner_text("#ff-valeur-ep4-2-erreur")
    page.fill("#ff-valeur-ep4-2", "9 participants sur 12 se disent plus à l'aise 🙂")
    assert page.locator("#ff-valeur-ep4-2-erreur").is_hidden()
    page.focus("#ff-source-ep4-2")

    # From the last field, Tab reaches « Vérifier la fiche »; Enter checks the fiche.
    tabuler_jusqua(page, "ff-verifier", 40)
    page.keyboard.press("Enter")
    assert resume.is_hidden()
    assert actif(page) == "ff-etat"
    assert "Fiche complète." in page.inner_text("#ff-etat")
    assert page.locator(".ff-erreur:visible").count() == 0
    assert page.locator("[aria-invalid=true]").count() == 0

    # The file, as the textarea shows it.
    assert page.locator("label[for=ff-yaml]").inner_text() == "Fichier YAML produit"
    texte = page.input_value("#ff-yaml")
    assert texte.startswith("# yaml-language-server: $schema=../../schemas/fiche.schema.json\n")
    assert f"\nid: {ident}\n" in texte
    assert '\ntitre: "Atelier numérique : Bellevue"\n' in texte
    assert "\nstatut: proposee\n" in texte and "\n  type: centre-social\n" in texte
    assert "\n  # VE2 · " in texte and "\n      # EP4.2 · " in texte
    assert "\nlicence: CC-BY-SA-4.0\n" in texte
    assert f'\nmise_a_jour: "{date.today().isoformat()}"\n' in texte
    assert texte.index("critere: EP4") < texte.index("critere: VE2")  # the référentiel's order
    donnees = yaml.safe_load(texte)
    assert donnees["action"]["resume"] == ("Chaque mercredi, un atelier ouvert aux habitants du quartier pour "
                                           "apprendre à se servir d'un ordinateur : \"pas à pas\".")
    assert donnees["acteur"] == {"nom": "Association du quartier", "type": "centre-social", "ville": "Brest"}
    ve2 = next(c for c in donnees["contributions"] if c["critere"] == "VE2")
    assert ve2["constats"] == "Les habitants se parlent davantage.\n\nVoir [le bilan](https://exemple.org/bilan)."
    assert ve2["indicateurs"] == [{"id": "VE2.1", "valeur": "14 participants réguliers sur l'année",
                                   "source": "feuilles d'émargement"}]

    # Written as is into data/fiches/, it passes « referentiel valider ».
    # The fiche carries its history: who created it, and when.
    assert re.search(r'historique:\n  - date: "\d{4}-\d{2}-\d{2}"\n    auteur: "Association du quartier"', texte)
    creer_donnees(tmp_path, {f"{ident}.yaml": texte})
    sortie = cli("valider", cwd=tmp_path)
    assert sortie.code == 0, sortie.stdout + sortie.stderr

    # « Télécharger le fichier »: the same text, named after the identifier.
    with page.expect_download() as attente:
        page.click("#ff-telecharger")
    telechargement = attente.value
    assert telechargement.suggested_filename == f"{ident}.yaml"
    assert Path(telechargement.path()).read_text(encoding="utf-8") == texte
    page.wait_for_function("() => document.getElementById('ff-annonce').textContent.includes('téléchargé')")

    # « Copier »: the clipboard holds the file.
    visite.contexte.grant_permissions(["clipboard-read", "clipboard-write"], origin=visite.origine)
    page.click("#ff-copier")
    page.wait_for_function("() => document.getElementById('ff-annonce').textContent.includes('copié')")
    assert page.evaluate("() => navigator.clipboard.readText()") == texte

    # GitHub's "new file" page, with the file name and the same content.
    lien = page.locator("#ff-github")
    assert lien.inner_text() == "Ouvrir la page GitHub de création du fichier"
    href = lien.get_attribute("href")
    assert href.startswith(f"{REPO_URL}/new/main/data/fiches?filename={ident}.yaml&value=")
    requete = parse_qs(urlsplit(href).query, keep_blank_values=True)
    assert requete["filename"] == [f"{ident}.yaml"]
    assert requete["value"] == [texte]

    page.evaluate("() => window.scrollTo(0, 0)")
    page.screenshot(path="/tmp/formulaire.png", full_page=True)

    assert visite.erreurs_js == []
    # Nothing leaves the site, not even the theme's repository widget (see overrides/partials/source.html).
    assert visite.externes == []
    assert appuis < 150


def test_textes_difficiles_restent_tels_quels(visite, tmp_path):
    """What YAML could misread (quotes, colons, « null », line breaks, indentation) comes back as typed.
    (Control characters are refused: test_le_formulaire_suit_les_regles_du_validateur.)"""
    page = visite.ouvrir("avec")
    textes = {
        "#ff-titre": '- "Atelier" #1 : {{ 7*7 }} & *gras* \\ fin',
        "#ff-acteur-nom": "@asso: 'apostrophes' [crochets] {accolades}",
        "#ff-ville": "yes",
        "#ff-resume": "Ligne 1\n    Ligne 2 : « guillemets » \\ antislash 🙂",
        "#ff-constats-is2": "~\n- pas une liste\n# pas un commentaire\n\n<b>du HTML</b>",
        "#ff-valeur-is2-1": "null",
        "#ff-source-is2-1": "2015-04-09",
    }
    page.fill("#ff-titre", textes["#ff-titre"])
    page.fill("#ff-id", "textes-difficiles")
    page.fill("#ff-acteur-nom", textes["#ff-acteur-nom"])
    page.select_option("#ff-acteur-type", "autre")
    page.fill("#ff-ville", textes["#ff-ville"])
    page.fill("#ff-resume", textes["#ff-resume"])
    page.check("#ff-c-is2")
    page.fill("#ff-constats-is2", textes["#ff-constats-is2"])
    page.check("#ff-i-is2-1")
    page.fill("#ff-valeur-is2-1", textes["#ff-valeur-is2-1"])
    page.fill("#ff-source-is2-1", textes["#ff-source-is2-1"])
    page.click("#ff-verifier")
    assert "Fiche complète." in page.inner_text("#ff-etat")
    texte = page.input_value("#ff-yaml")
    donnees = yaml.safe_load(texte)
    assert donnees["titre"] == textes["#ff-titre"]
    assert donnees["acteur"] == {"nom": textes["#ff-acteur-nom"], "type": "autre", "ville": "yes"}
    assert donnees["action"]["resume"] == textes["#ff-resume"]
    contribution = donnees["contributions"][0]
    assert contribution["constats"] == textes["#ff-constats-is2"]
    assert contribution["indicateurs"] == [{"id": "IS2.1", "valeur": "null", "source": "2015-04-09"}]
    creer_donnees(tmp_path, {"textes-difficiles.yaml": texte})
    sortie = cli("valider", cwd=tmp_path)
    assert sortie.code == 0, sortie.stdout + sortie.stderr
    assert visite.erreurs_js == []


def test_erreurs_dans_les_groupes_de_cases(visite):
    page = visite.ouvrir("avec")
    page.check("#ff-c-ep1")
    page.click("#ff-verifier")
    textes = page.inner_text("#ff-resume-erreurs")
    assert "Constats du critère EP1 : écrivez ce que vous avez constaté pour le critère EP1." in textes
    assert "Indicateurs du critère EP1 : cochez au moins un indicateur du critère EP1" in textes
    groupe = page.locator("#ff-indicateurs-ep1")
    assert "ff-indicateurs-ep1-erreur" in groupe.get_attribute("aria-describedby").split()
    # The link of a group leads to its first box.
    page.locator("#ff-resume-erreurs a", has_text="Indicateurs du critère EP1").click()
    assert actif(page) == "ff-i-ep1-1"
    # Downloading an incomplete fiche shows what is missing instead.
    page.click("#ff-telecharger")
    assert page.evaluate("() => document.activeElement.id") == "ff-resume-erreurs"
    # Unchecking the criterion drops its questions from the checks and from the file.
    page.uncheck("#ff-c-ep1")
    page.click("#ff-verifier")
    assert "critère EP1" not in page.inner_text("#ff-resume-erreurs")
    assert "critere: EP1" not in page.input_value("#ff-yaml")
    assert visite.erreurs_js == []


def test_sans_adresse_du_depot_pas_de_bouton_github(visite):
    page = visite.ouvrir("sans")
    page.wait_for_selector("#ff-titre")
    assert page.locator("#ff-github").count() == 0
    note = page.inner_text("#ff-sans-github")
    assert "L'envoi direct sur GitHub n'est pas proposé" in note and "REPO_URL" in note
    assert page.locator("#ff-telecharger").is_visible() and page.locator("#ff-copier").is_visible()
    # Without a repository, nothing at all is asked of another site.
    assert visite.externes == []
    assert visite.erreurs_js == []


def test_sans_javascript_la_page_explique_les_autres_moyens(navigateur, serveur):
    v = Visite(navigateur, serveur, javascript=False)
    try:
        page = v.ouvrir("sans")
        assert page.locator("#formulaire-fiche").is_hidden()
        texte = page.inner_text("article")
        assert "Le formulaire a besoin de JavaScript" in texte
        assert "data/fiches/_modele.yaml" in texte and "referentiel nouvelle-fiche" in texte
        assert v.externes == []
    finally:
        v.fermer()


def test_le_formulaire_suit_les_regles_du_validateur(visite):
    """The form receives the validator's rules as data (regles.py): the links
    the validator refuses, the form refuses; the ones it accepts, the form
    accepts; the same slug from a title; the same refused characters."""
    from test_entrees_hostiles import COUTEUX, LIENS_ACCEPTES, LIENS_REFUSES

    from referentiel.lecture.regles import slugifier

    page = visite.ouvrir("sans")
    page.wait_for_selector("#ff-titre")
    page.check("#ff-c-ep4")
    erreur = "#ff-constats-ep4-erreur"
    for texte, refuse in [(t, False) for t in LIENS_ACCEPTES] + [(t, True) for t in LIENS_REFUSES]:
        page.fill("#ff-constats-ep4", texte)
        page.focus("#ff-titre")
        message = page.inner_text(erreur) if page.locator(erreur).is_visible() else ""
        assert bool(message) == refuse, (texte, message)
        if refuse:
            assert any(m in message for m in ("refusé", "images ne sont pas", "crochet", "parenthèses")), \
                (texte, message)
    # Markdown too costly to lay out: the same bound as the validator's.
    debuts = {"crochet « [ »": "crochet « [ » sans « ] » proche",
              "adresse entre parenthèses": "lien dont l'adresse entre parenthèses ne se ferme pas",
              "marqueurs de liste": "marqueurs de liste ou de citation", "séparation": "lignes de séparation",
              "marques de mise en forme": "marques de mise en forme",
              "lignes dans un même texte": "lignes dans un même texte"}
    for texte, attendu in COUTEUX:
        saisir(page, "#ff-constats-ep4", texte)
        page.focus("#ff-titre")
        message = page.inner_text(erreur) if page.locator(erreur).is_visible() else ""
        assert any(cle in attendu and debut in message for cle, debut in debuts.items()), (texte[:30], message)

    for titre in ["Cœur de quartier", "Ægir & Œuvre", "Straße der Medien", "Łódź, ça va", "Con", "Index",
                  "L'atelier « numérique »", "NUL", "Ça !"]:
        page.fill("#ff-titre", titre)
        assert page.input_value("#ff-id") == slugifier(titre), titre
    page.fill("#ff-id", "aux")
    page.focus("#ff-titre")
    assert "nom réservé par Windows" in page.inner_text("#ff-id-erreur")

    for valeur, code in [("Atelier \u202eà l'envers", "U+202E"), ("Atelier\u200bcollé", "U+200B"),
                         ("Atelier \u0007", "U+0007")]:
        page.fill("#ff-titre", valeur)
        page.focus("#ff-id")
        assert code in page.inner_text("#ff-titre-erreur"), valeur
    # In a long text, a zero-width joiner (emoji sequences) stays allowed; bidi does not.
    page.fill("#ff-constats-ep4", "Une développeuse 👩\u200d💻 contente.")
    page.focus("#ff-titre")
    assert not page.locator(erreur).is_visible()
    page.fill("#ff-constats-ep4", "Texte \u2067isolé\u2069.")
    page.focus("#ff-titre")
    assert "U+2067" in page.inner_text(erreur)
