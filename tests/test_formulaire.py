"""« Proposer une fiche »: the form, in a real browser (Playwright driving Chromium).

A person fills the form with the keyboard; the file it produces passes
``referentiel valider`` unchanged; the mail it prepares, addressed to the
contributions address, goes back into the repository with ``referentiel
importer``; « Mettre à jour cette fiche » opens it filled with a published
fiche, nothing lost; the GitHub link (only with REPO_URL) carries the same
file; the draft survives a reload and a closed tab; axe-core finds nothing
at any step; and the page asks nothing of another site.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import yaml
import conftest
from conftest import ROOT, cli, construire, creer_donnees, creer_projet, servir

from referentiel.lecture.fichiers import lire_fichier
from referentiel.lecture.yamlio import lire_yaml

REPO_URL = "https://github.com/exemple/referentiel"
COURRIEL = "elisabeth.le-faucheur@mairie-brest.fr"
PAGE = "contribuer/proposer-une-fiche/"
SCRIPTS = [ROOT / "docs" / "javascripts" / "proposer-fiche.js", ROOT / "docs" / "javascripts" / "ecrire-fiche.js"]
SCRIPT = SCRIPTS[0]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
TELEPHONE = {"width": 375, "height": 800}
FICHES = sorted(p for p in (ROOT / "data" / "fiches").glob("*.yaml") if not p.name.startswith("_"))

# Records the address a mailto: link would open, instead of opening a mail program.
INTERCEPTER_MAILTO = """
window.addEventListener("click", (e) => {
  const a = e.target.closest && e.target.closest('a[href^="mailto:"]');
  if (a && !e.defaultPrevented) {
    window.__mailto = (window.__mailto || []).concat([a.href]);
    e.preventDefault();
  }
});
"""


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
    """Three sites served on a free port of 127.0.0.1: « avec » (REPO_URL set),
    « sans » (site_livre, built without REPO_URL: conftest.ENV_LIVRE), and
    « muet » (neither REPO_URL nor a contributions address)."""
    avec = _site(tmp_path_factory, "avec-depot", {"REPO_URL": REPO_URL})
    muet = _site(tmp_path_factory, "sans-courriel", {"REPO_URL": None, "CONTRIBUTIONS_COURRIEL": ""})
    racine = avec.parent.parent / "servi"
    racine.mkdir()
    (racine / "avec").symlink_to(avec, target_is_directory=True)
    (racine / "sans").symlink_to(site_livre, target_is_directory=True)
    (racine / "muet").symlink_to(muet, target_is_directory=True)
    with servir(racine) as url:
        yield url


class Visite(conftest.Visite):
    """The form page of one of the sites; mailto: links recorded, never opened."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.page.add_init_script(INTERCEPTER_MAILTO)

    def ouvrir(self, site: str, chemin: str = PAGE):
        return super().ouvrir(f"{site}/{chemin}")

    def courriels(self) -> list[str]:
        return self.page.evaluate("() => window.__mailto || []")

    def axe(self, etape: str) -> None:
        """No WCAG 2.0/2.1 A or AA violation in the page as it is now (test_accessibilite's rules)."""
        from test_accessibilite import TAGS_WCAG, _rapport

        if self.page.evaluate("() => typeof window.axe === 'undefined'"):
            self.page.add_script_tag(path=str(AXE))
        # The page at rest: the colours a transition is passing through (Material's « Retour en
        # haut » fading in after a scroll) are not the ones anyone reads.
        self.page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")
        violations = self.page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"
            ".then(r => r.violations)", TAGS_WCAG)
        assert not violations, f"axe-core, {etape} :\n{_rapport(violations)}"


@pytest.fixture
def visite(navigateur, serveur):
    v = Visite(navigateur, serveur)
    yield v
    v.fermer()


@pytest.fixture
def telephone(navigateur, serveur):
    v = Visite(navigateur, serveur, viewport=TELEPHONE)
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


def ouvrir_section(page, ident: str) -> None:
    page.locator(f"#{ident} > summary").click()
    assert page.get_attribute(f"#{ident}", "open") is not None


def parametres_courriel(href: str) -> tuple[str, str, str]:
    """(address, subject, body) of a mailto: link, the body's CRLF read back as LF."""
    u = urlsplit(href)
    assert u.scheme == "mailto"
    q = parse_qs(u.query, keep_blank_values=True)
    assert set(q) == {"subject", "body"}
    return unquote(u.path), q["subject"][0], q["body"][0].replace("\r\n", "\n")


def donnees(path: Path) -> dict:
    doc, problemes = lire_fichier(path, 10**6)
    assert doc is not None, problemes
    return doc.data


class Clavier:
    """The keyboard only, and how many interactions it takes: each key press,
    and each text typed in a field, counts one."""

    def __init__(self, page):
        self.page = page
        self.appuis = 0
        self.saisies = 0

    @property
    def total(self) -> int:
        return self.appuis + self.saisies

    def touche(self, nom: str) -> None:
        self.page.keyboard.press(nom)
        self.appuis += 1

    def taper(self, texte: str) -> None:
        self.page.keyboard.type(texte)
        self.saisies += 1

    def jusqua(self, cible: str, maximum: int = 80) -> None:
        """Tab until the element whose id is ``cible`` (or, for a <summary>, whose text
        starts with it) has the focus."""
        for _ in range(maximum):
            self.touche("Tab")
            if self.page.evaluate("""c => { const e = document.activeElement;
                    return e.id === c || (e.tagName === 'SUMMARY' && e.textContent.trim().startsWith(c))
                        || (e.tagName === 'A' && e.textContent.trim() === c); }""", cible):
                return
        pytest.fail(f"{cible!r} n'est pas atteint en {maximum} appuis sur Tab (dernier : {actif(self.page)!r})")

    def remplir(self, cible: str, texte: str, maximum: int = 80) -> None:
        self.jusqua(cible, maximum)
        self.taper(texte)

    def cocher(self, cible: str, maximum: int = 80) -> None:
        self.jusqua(cible, maximum)
        self.touche("Space")


# ---------------------------------------------------------------------------
# The whole journey, as a new association would make it: a phone, the keyboard only

RESUME = ("Chaque mardi après-midi, à la maison de quartier, des retraités apprennent à se servir d'une "
          "tablette et d'internet, en petit groupe, avec une animatrice et deux bénévoles.")
CONSTATS_EP2 = ("Les participants font maintenant seuls des choses qui leur semblaient impossibles : "
                "envoyer une photo, prendre un rendez-vous médical en ligne.")
CONSTATS_VE2 = ("Le groupe se retrouve aussi en dehors de l'atelier ; plusieurs participants disent se sentir "
                "moins seuls.")
VALEUR_EP22 = "9 participants sur 12 prennent seuls, en fin d'année, un rendez-vous en ligne"
VALEUR_VE21 = "12 participants réguliers, 30 séances dans l'année"


def test_parcours_complet_au_telephone_et_au_clavier(telephone, tmp_path):
    """Fill → preview → send by mail (address, subject, body) → ``referentiel
    importer`` → valid; then, from the fiche page, « Mettre à jour cette fiche »
    → change a value → send → ``importer --remplacer``: the same fiche, the
    change and a new line of history. axe-core at every step; the keyboard only."""
    page = telephone.ouvrir("sans")
    page.wait_for_selector("#ff-titre")
    telephone.axe("formulaire vide")
    k = Clavier(page)

    # From the top of the page: the skip link, then the form's first field.
    k.touche("Tab")
    assert page.evaluate("() => document.activeElement.classList.contains('md-skip')")
    k.touche("Enter")
    k.remplir("ff-titre", "Atelier numérique des seniors", maximum=12)
    k.touche("Tab")
    assert actif(page) == "ff-id" and page.input_value("#ff-id") == "atelier-numerique-des-seniors"
    k.remplir("ff-acteur-nom", "Association Les Aînés connectés", maximum=1)
    k.touche("Tab")
    k.taper("Association")  # a <select>: typing its label chooses it
    assert page.input_value("#ff-acteur-type") == "association"
    k.remplir("ff-resume", RESUME, maximum=1)

    # Two criteria, each with what was seen and one indicator.
    k.cocher("ff-c-ep2", maximum=4)
    k.remplir("ff-constats-ep2", CONSTATS_EP2, maximum=3)
    k.cocher("ff-i-ep2-2", maximum=3)
    k.remplir("ff-valeur-ep2-2", VALEUR_EP22, maximum=1)
    k.remplir("ff-source-ep2-2", "grille d'observation de l'animatrice", maximum=1)
    k.cocher("ff-c-ve2", maximum=12)
    k.remplir("ff-constats-ve2", CONSTATS_VE2, maximum=3)
    k.cocher("ff-i-ve2-1", maximum=1)
    k.remplir("ff-valeur-ve2-1", VALEUR_VE21, maximum=1)
    k.remplir("ff-source-ve2-1", "feuilles d'émargement", maximum=1)
    telephone.axe("deux critères cochés")

    # Optional sections, closed until opened: the commune, and « Seniors ».
    assert page.locator("#ff-ville").is_hidden()
    k.jusqua("La structure", maximum=30)
    k.touche("Enter")
    k.remplir("ff-ville", "Brest", maximum=1)
    k.jusqua("Les publics, les lieux", maximum=6)
    k.touche("Enter")
    k.cocher("ff-p-seniors", maximum=5)
    telephone.axe("rubriques facultatives ouvertes")

    # Checked before the consent: the summary lists what is missing, its link leads there.
    k.jusqua("ff-verifier", maximum=30)
    k.touche("Enter")
    assert actif(page) == "ff-resume-erreurs"
    erreurs = page.inner_text("#ff-resume-erreurs")
    assert "1 point à corriger" in erreurs and "Publication : cochez la case" in erreurs
    telephone.axe("résumé des erreurs")
    k.touche("Tab")
    k.touche("Enter")
    assert actif(page) == "ff-accord"
    k.touche("Space")
    k.jusqua("ff-verifier", maximum=3)
    k.touche("Enter")

    # The preview, as the page will show it.
    assert actif(page) == "ff-titre-apercu"
    apercu = page.locator("#ff-fiche")
    assert apercu.locator("h3").inner_text() == "Atelier numérique des seniors"
    texte_apercu = apercu.inner_text()
    for attendu in ("Association Les Aînés connectés", "Brest", "Seniors", "EP2 · Autonomie et pouvoir d'agir",
                    "VE2 · Lien social", VALEUR_EP22, "feuilles d'émargement", "Création de la fiche (formulaire du site)"):
        assert attendu in texte_apercu, attendu
    assert "Fiche complète." in page.inner_text("#ff-etat")
    telephone.axe("aperçu")

    # « Envoyer par courriel »: the mail program would open, addressed, with a subject and the fiche.
    k.jusqua("ff-courriel", maximum=12)
    k.touche("Enter")
    (href,) = telephone.courriels()
    adresse, objet, corps = parametres_courriel(href)
    assert adresse == COURRIEL
    assert objet == "Proposition de fiche : Atelier numérique des seniors"
    assert corps.startswith("Bonjour,\n\nVoici la fiche « Atelier numérique des seniors » (Association Les")
    assert "(Association Les Aînés connectés) pour le référentiel" in " ".join(corps.split())
    assert "\n----- Début de la fiche -----\n" in corps and corps.endswith("\n----- Fin de la fiche -----\n")
    assert all(len(l) <= 72 and l == l.rstrip() for l in corps.split("\n"))
    assert "yaml-language-server" not in corps and "referentiel valider" not in corps
    page.wait_for_function("() => document.getElementById('ff-annonce').textContent.includes('messagerie')")
    telephone.axe("après l'envoi")
    nouvelle = k.total

    # The maintainer: the mail, pasted into « referentiel importer », then « referentiel valider »;
    # and the same body once a reply has quoted it and a mail client has re-wrapped it at 72 columns.
    from test_importer import citer, recouper

    from referentiel.lecture.reception import extraire

    fiche_envoyee = extraire(corps).texte
    recoupe = recouper(citer(corps), 72)
    assert recoupe.count("\n") > citer(corps).count("\n")  # some quoted lines were cut in two
    assert extraire("Le 2 mars, vous avez écrit :\n" + recoupe).texte == fiche_envoyee
    creer_donnees(tmp_path, avec_fiches_livrees=True)
    (tmp_path / "courriel.txt").write_text(corps, encoding="utf-8")
    sortie = cli("importer", "courriel.txt", cwd=tmp_path)
    assert sortie.code == 0, sortie.stdout + sortie.stderr
    assert "Fiche importée : data/fiches/atelier-numerique-des-seniors.yaml (valide)." in sortie.stdout
    assert cli("valider", cwd=tmp_path).code == 0
    recue = donnees(tmp_path / "data" / "fiches" / "atelier-numerique-des-seniors.yaml")
    jour = date.today().isoformat()
    assert recue == {
        "id": "atelier-numerique-des-seniors", "titre": "Atelier numérique des seniors", "statut": "proposee",
        "acteur": {"nom": "Association Les Aînés connectés", "type": "association", "ville": "Brest"},
        "action": {"resume": RESUME, "categories_publics": ["seniors"]},
        "contributions": [
            {"critere": "EP2", "constats": CONSTATS_EP2, "indicateurs": [
                {"id": "EP2.2", "valeur": VALEUR_EP22, "source": "grille d'observation de l'animatrice"}]},
            {"critere": "VE2", "constats": CONSTATS_VE2, "indicateurs": [
                {"id": "VE2.1", "valeur": VALEUR_VE21, "source": "feuilles d'émargement"}]},
        ],
        "licence": "CC-BY-SA-4.0", "mise_a_jour": jour,
        "historique": [{"date": jour, "auteur": "Association Les Aînés connectés",
                        "modification": "Création de la fiche (formulaire du site)"}],
    }

    # A year later: the fiche page's « Mettre à jour cette fiche », with the keyboard.
    page.goto(f"{telephone.origine}/sans/fiches/intergeneration/", wait_until="load")
    k2 = Clavier(page)
    k2.touche("Tab")
    k2.touche("Enter")  # the skip link
    k2.jusqua("Mettre à jour cette fiche", maximum=10)
    with page.expect_navigation():
        k2.touche("Enter")
    assert page.url.endswith(f"{PAGE}?fiche=intergeneration")
    page.wait_for_selector("#ff-maj-modification")
    assert page.input_value("#ff-titre") == "Intergénér@tion"
    assert page.is_checked("#ff-c-ts3") and page.input_value("#ff-valeur-ts3-1").startswith("Trois structures")
    assert page.locator(".md-content h1").inner_text() == "Mettre à jour une fiche"
    assert page.title().startswith("Mettre à jour la fiche « Intergénér@tion »")
    telephone.axe("mise à jour chargée")
    k2.touche("Tab")
    k2.touche("Enter")  # the skip link, then the notice's « Aller au formulaire »
    k2.jusqua("Aller au formulaire", maximum=4)
    k2.touche("Enter")
    k2.remplir("ff-maj-modification", "Valeurs de l'année 2015", maximum=3)
    # The links to the checked criteria skip the questions of the ones before.
    k2.jusqua("VE2", maximum=8)
    k2.touche("Enter")
    assert actif(page) == "ff-c-ve2"
    k2.jusqua("ff-valeur-ve2-1", maximum=5)
    k2.touche("Control+a")
    k2.taper("11 résidents présents à au moins la moitié des séances en 2015")
    k2.cocher("ff-accord", maximum=120)
    k2.jusqua("ff-verifier", maximum=3)
    k2.touche("Enter")
    assert actif(page) == "ff-titre-apercu"
    telephone.axe("aperçu de la mise à jour")
    k2.jusqua("ff-courriel", maximum=40)
    k2.touche("Enter")
    adresse, objet, corps = parametres_courriel(telephone.courriels()[-1])
    assert adresse == COURRIEL and objet == "Mise à jour de la fiche : Intergénér@tion (intergeneration)"
    assert "referentiel importer --remplacer" in " ".join(corps.split())

    # The maintainer again: « importer » says the id is taken, « --remplacer » updates the fiche.
    (tmp_path / "maj.txt").write_text(corps, encoding="utf-8")
    assert cli("importer", "maj.txt", cwd=tmp_path).code == 1
    sortie = cli("importer", "--remplacer", "maj.txt", cwd=tmp_path)
    assert sortie.code == 0, sortie.stdout + sortie.stderr
    assert "Fiche mise à jour : data/fiches/intergeneration.yaml (valide)." in sortie.stdout
    assert cli("valider", cwd=tmp_path).code == 0
    avant = donnees(ROOT / "data" / "fiches" / "intergeneration.yaml")
    apres = donnees(tmp_path / "data" / "fiches" / "intergeneration.yaml")
    attendu = json.loads(json.dumps(avant))
    ve2 = next(c for c in attendu["contributions"] if c["critere"] == "VE2")
    ve2["indicateurs"][0]["valeur"] = "11 résidents présents à au moins la moitié des séances en 2015"
    attendu["mise_a_jour"] = jour
    attendu["historique"].append({"date": jour, "auteur": "Projet Intergénér@tion",
                                  "modification": "Valeurs de l'année 2015"})
    assert apres == attendu

    assert telephone.erreurs_js == []
    assert telephone.externes == []
    print(f"\nParcours au clavier, 375 px : {nouvelle} interactions pour une nouvelle fiche "
          f"({k.appuis} touches, {k.saisies} textes), {k2.total} pour la mise à jour "
          f"({k2.appuis} touches, {k2.saisies} textes).")
    assert nouvelle <= 100 and k2.total <= 100


def test_avec_repo_url_ouvrir_sur_github(telephone):
    """With REPO_URL: « Ouvrir sur GitHub » carries the file (a new fiche) or opens
    the fiche's file (an update); the mail is still offered, and the GitHub issue form."""
    page = telephone.ouvrir("avec")
    page.wait_for_selector("#ff-titre")
    assert page.locator("#ff-github").count() == 1 and page.locator("#ff-courriel").count() == 1
    k = Clavier(page)
    k.touche("Tab")
    k.touche("Enter")
    k.remplir("ff-titre", "Atelier numérique des seniors", maximum=12)
    k.remplir("ff-acteur-nom", "Association Les Aînés connectés", maximum=2)
    k.touche("Tab")
    k.taper("Association")
    k.remplir("ff-resume", RESUME, maximum=1)
    k.cocher("ff-c-ve2", maximum=12)
    k.remplir("ff-constats-ve2", CONSTATS_VE2, maximum=3)
    k.cocher("ff-i-ve2-1", maximum=1)
    k.remplir("ff-valeur-ve2-1", VALEUR_VE21, maximum=1)
    k.cocher("ff-accord", maximum=60)
    k.jusqua("ff-verifier", maximum=3)
    k.touche("Enter")
    assert actif(page) == "ff-titre-apercu"
    telephone.axe("aperçu, avec REPO_URL")
    k.jusqua("ff-github", maximum=30)
    lien = page.locator("#ff-github")
    assert lien.inner_text() == "Ouvrir sur GitHub" and lien.get_attribute("target") == "_blank"
    href = lien.get_attribute("href")
    nom = "atelier-numerique-des-seniors.yaml"
    assert href.startswith(f"{REPO_URL}/new/main/data/fiches?filename={nom}&value=")
    requete = parse_qs(urlsplit(href).query, keep_blank_values=True)
    assert requete["value"] == [page.input_value("#ff-yaml")]
    assert lire_yaml(requete["value"][0], nom).data["acteur"]["nom"] == "Association Les Aînés connectés"
    ticket = page.locator("a", has_text="Ouvrez un ticket « Proposer une fiche »")
    assert ticket.get_attribute("href") == f"{REPO_URL}/issues/new?template=proposer-une-fiche.yml"
    assert (ROOT / ".github" / "ISSUE_TEMPLATE" / "proposer-une-fiche.yml").is_file()
    # An update: GitHub's page of the fiche's own file.
    page.goto(f"{telephone.origine}/avec/{PAGE}?fiche=kerederm", wait_until="load")
    page.wait_for_selector("#ff-maj-modification")
    assert page.get_attribute("#ff-github", "href") == f"{REPO_URL}/edit/main/data/fiches/kerederm.yaml"
    assert page.inner_text("#ff-github") == "Ouvrir la fiche sur GitHub"
    telephone.axe("mise à jour, avec REPO_URL")
    assert telephone.erreurs_js == []
    # The form's own request (the open data) stays on the site; GitHub is only a link.
    assert telephone.externes == []


@pytest.mark.parametrize("site", ["sans", "muet"])
def test_sans_repo_url_aucun_message_ne_parle_de_github(visite, site):
    page = visite.ouvrir(site)
    page.wait_for_selector("#ff-titre")
    page.click("#ff-verifier")  # every message shown, the summary too
    page.locator("#ff-technique > summary").click()
    for s in ("ff-section-structure", "ff-section-action", "ff-section-publics", "ff-section-evaluation",
              "ff-section-temoignages", "ff-section-sources"):
        ouvrir_section(page, s)
    assert page.locator("#ff-github").count() == 0
    texte = page.inner_text("article")
    assert "GitHub" not in texte and "github" not in page.inner_html("article").lower()
    assert page.locator("#ff-telecharger").is_visible()
    if site == "sans":
        assert page.locator("#ff-courriel").is_visible()
        assert f"envoyez-le en pièce jointe à {COURRIEL}" in texte
    else:
        # No contributions address either: no mail button, and where to write all the same.
        assert page.locator("#ff-courriel").count() == 0
        assert "envoyez-le en pièce jointe à l'équipe du référentiel" in texte
        assert page.locator("article a", has_text="Sources et contact").count() == 1
    assert visite.externes == []
    assert visite.erreurs_js == []


# ---------------------------------------------------------------------------
# The form's pieces


def test_le_script_ne_fait_aucune_requete_sauf_les_donnees_du_site():
    for script in SCRIPTS:
        code = script.read_text(encoding="utf-8")
        for interdit in ("XMLHttpRequest", "sendBeacon", "WebSocket", "EventSource", "import(",
                         "new Image", "innerHTML", "outerHTML", "insertAdjacentHTML", "eval(", "document.write"):
            assert interdit not in code, (script.name, interdit)
    # One request: « Mettre à jour cette fiche » reads the site's own open data (D.donnees_fiches).
    code = SCRIPT.read_text(encoding="utf-8")
    assert code.count("fetch(") == 1 and "window.fetch(D.donnees_fiches" in code
    assert "fetch(" not in SCRIPTS[1].read_text(encoding="utf-8")


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
    assert "est déjà pris" in erreur.inner_text() and "Mettre à jour cette fiche" in erreur.inner_text()
    ident = "atelier-numerique-bellevue"
    page.fill("#ff-id", ident)
    assert erreur.is_hidden()
    assert page.get_attribute("#ff-id", "aria-invalid") is None
    assert page.get_attribute("#ff-id", "aria-describedby") == "ff-id-aide"

    # The rest of the essentials, field after field.
    page.focus("#ff-id")
    page.keyboard.press("Tab")
    assert actif(page) == "ff-acteur-nom"
    page.keyboard.type("Association du quartier")
    page.keyboard.press("Tab")
    assert actif(page) == "ff-acteur-type"
    page.select_option("#ff-acteur-type", "centre-social")
    page.keyboard.press("Tab")
    assert actif(page) == "ff-resume"
    page.keyboard.type("Chaque mercredi, un atelier ouvert aux habitants du quartier ")
    page.keyboard.type('pour apprendre à se servir d\'un ordinateur : "pas à pas".')

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

    # The commune, in its optional section; then the consent.
    ouvrir_section(page, "ff-section-structure")
    page.fill("#ff-ville", "Brest")
    page.focus("#ff-ville")
    tabuler_jusqua(page, "ff-accord", 40)
    page.keyboard.press("Space")

    # From there, Tab reaches « Vérifier et voir l'aperçu »; Enter checks the fiche.
    tabuler_jusqua(page, "ff-verifier", 5)
    page.keyboard.press("Enter")
    assert resume.is_hidden()
    assert actif(page) == "ff-titre-apercu"
    assert "Fiche complète." in page.inner_text("#ff-etat")
    assert page.locator(".ff-erreur:visible").count() == 0
    assert page.locator("[aria-invalid=true]").count() == 0

    # The file, as the technical view shows it: what the contributor gets, nothing for editors or the CLI.
    page.locator("#ff-technique > summary").click()
    assert page.locator("label[for=ff-yaml]").inner_text() == "Fichier YAML produit"
    texte = page.input_value("#ff-yaml")
    assert texte.startswith("# Fiche écrite avec le formulaire « Proposer une fiche » du site.\n")
    assert "yaml-language-server" not in texte and "referentiel valider" not in texte
    assert f"\nid: {ident}\n" in texte
    assert '\ntitre: "Atelier numérique : Bellevue"\n' in texte
    assert "\nstatut: proposee\n" in texte and "\n  type: centre-social\n" in texte
    assert "\n  # VE2 · " in texte and "\n      # EP4.2 · " in texte
    assert "\nlicence: CC-BY-SA-4.0\n" in texte
    assert f'\nmise_a_jour: "{date.today().isoformat()}"\n' in texte
    assert texte.index("critere: EP4") < texte.index("critere: VE2")  # the référentiel's order
    assert all(len(l) <= 72 and l == l.rstrip() for l in texte.split("\n"))
    donnees_ = yaml.safe_load(texte)
    assert donnees_["action"]["resume"] == ("Chaque mercredi, un atelier ouvert aux habitants du quartier pour "
                                            "apprendre à se servir d'un ordinateur : \"pas à pas\".")
    assert donnees_["acteur"] == {"nom": "Association du quartier", "type": "centre-social", "ville": "Brest"}
    ve2 = next(c for c in donnees_["contributions"] if c["critere"] == "VE2")
    assert ve2["constats"] == "Les habitants se parlent davantage.\n\nVoir [le bilan](https://exemple.org/bilan)."
    assert ve2["indicateurs"] == [{"id": "VE2.1", "valeur": "14 participants réguliers sur l'année",
                                   "source": "feuilles d'émargement"}]

    # Written as is into data/fiches/, it passes « referentiel valider ».
    # The fiche carries its history: who created it, and when.
    assert re.search(r'historique:\n  - date: "\d{4}-\d{2}-\d{2}"\n    auteur: Association du quartier\n', texte)
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

    # « Copier le fichier » and « Copier le message »: the clipboard holds the file, then the mail's body.
    visite.contexte.grant_permissions(["clipboard-read", "clipboard-write"], origin=visite.origine)
    page.click("#ff-copier")
    page.wait_for_function("() => document.getElementById('ff-annonce').textContent.includes('copié')")
    assert page.evaluate("() => navigator.clipboard.readText()") == texte
    page.click("#ff-copier-message")
    page.wait_for_function("() => document.getElementById('ff-annonce').textContent.includes('Message copié')")
    message = page.evaluate("() => navigator.clipboard.readText()")
    assert message.startswith("Bonjour,") and texte.rstrip("\n") in message

    # GitHub's "new file" page, with the file name and the same content.
    lien = page.locator("#ff-github")
    assert lien.inner_text() == "Ouvrir sur GitHub"
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
    ouvrir_section(page, "ff-section-structure")
    page.fill("#ff-ville", textes["#ff-ville"])
    page.fill("#ff-resume", textes["#ff-resume"])
    page.check("#ff-c-is2")
    page.fill("#ff-constats-is2", textes["#ff-constats-is2"])
    page.check("#ff-i-is2-1")
    page.fill("#ff-valeur-is2-1", textes["#ff-valeur-is2-1"])
    page.fill("#ff-source-is2-1", textes["#ff-source-is2-1"])
    page.check("#ff-accord")
    page.click("#ff-verifier")
    assert "Fiche complète." in page.inner_text("#ff-etat")
    texte = page.input_value("#ff-yaml")
    donnees_ = yaml.safe_load(texte)
    assert donnees_["titre"] == textes["#ff-titre"]
    assert donnees_["acteur"] == {"nom": textes["#ff-acteur-nom"], "type": "autre", "ville": "yes"}
    assert donnees_["action"]["resume"] == textes["#ff-resume"]
    contribution = donnees_["contributions"][0]
    assert contribution["constats"] == textes["#ff-constats-is2"]
    assert contribution["indicateurs"] == [{"id": "IS2.1", "valeur": "null", "source": "2015-04-09"}]
    creer_donnees(tmp_path, {"textes-difficiles.yaml": texte})
    sortie = cli("valider", cwd=tmp_path)
    assert sortie.code == 0, sortie.stdout + sortie.stderr
    # The preview shows them as text: the HTML is not HTML, the template is not run.
    apercu = page.locator("#ff-fiche")
    assert "<b>du HTML</b>" in apercu.inner_text() and apercu.locator("b").count() == 0
    assert apercu.locator("h3").inner_text() == textes["#ff-titre"]
    assert visite.erreurs_js == []


def test_une_fiche_complete_tous_les_champs(visite, tmp_path):
    """Every field a published fiche has can be filled: the optional sections,
    testimonies and sources (added, removed), dates typed the French way and
    addresses without https://."""
    page = visite.ouvrir("sans")
    page.wait_for_selector("#ff-titre")
    page.fill("#ff-titre", "Atelier complet")
    page.fill("#ff-acteur-nom", "Association complète")
    page.select_option("#ff-acteur-type", "association")
    page.fill("#ff-resume", "Un résumé de l'action, assez long pour le schéma.")
    page.check("#ff-c-ep1")
    page.fill("#ff-constats-ep1", "Des constats.")
    page.check("#ff-i-ep1-1")
    page.fill("#ff-valeur-ep1-1", "12 séances")
    page.fill("#ff-source-ep1-1", "émargement")
    page.fill("#ff-commentaire-ep1-1", "Compté à chaque séance.")
    ouvrir_section(page, "ff-section-structure")
    page.fill("#ff-ville", "Brest")
    page.fill("#ff-site", "www.exemple.org")
    page.fill("#ff-presentation", "Une association de quartier.")
    page.focus("#ff-presentation")
    assert page.input_value("#ff-site") == "https://www.exemple.org"  # completed once left
    ouvrir_section(page, "ff-section-action")
    for champ, valeur in {"#ff-description": "Les activités.", "#ff-moyens": "Une animatrice.",
                          "#ff-enjeux": "Rompre l'isolement.", "#ff-debut": "09/2014", "#ff-fin": "30/06/2015"}.items():
        page.fill(champ, valeur)
    page.fill("#ff-fin", "31/02/2015")
    page.focus("#ff-description")
    assert "n'existe pas dans le calendrier" in page.inner_text("#ff-fin-erreur")
    page.fill("#ff-fin", "30/06/2015")
    page.focus("#ff-description")
    assert page.input_value("#ff-debut") == "2014-09" and page.input_value("#ff-fin") == "2015-06-30"
    ouvrir_section(page, "ff-section-publics")
    page.check("#ff-p-seniors")
    page.check("#ff-p-jeunes")
    page.fill("#ff-publics", "Retraités du quartier\n\n  Leurs petits-enfants  \n")
    page.fill("#ff-lieux", "Maison de quartier")
    page.fill("#ff-partenaires", "Médiathèque\nCCAS")
    ouvrir_section(page, "ff-section-evaluation")
    page.fill("#ff-periode", "année 2015")
    page.fill("#ff-methode", "Un questionnaire en fin d'année.")
    ouvrir_section(page, "ff-section-temoignages")
    page.click("#ff-ajouter-temoignage")
    assert actif(page) == "ff-temoignage-1-texte"  # the new testimony's first field
    page.keyboard.type("J'ose enfin.")
    page.fill("#ff-temoignage-1-auteur", "une participante")
    page.click("#ff-ajouter-temoignage")
    page.fill("#ff-temoignage-2-texte", "À retirer.")
    page.click("text=Retirer le témoignage 2")
    assert page.locator("#ff-temoignage-2-texte").count() == 0
    assert actif(page) == "ff-ajouter-temoignage"
    ouvrir_section(page, "ff-section-sources")
    page.click("#ff-ajouter-doc")
    page.fill("#ff-doc-1-url", "www.exemple.org/bilan.pdf")  # a source without title: said so
    page.check("#ff-accord")
    page.click("#ff-verifier")
    assert "Source 1 : titre du document ou de la page : écrivez le titre de la source" in \
        page.inner_text("#ff-resume-erreurs")
    page.fill("#ff-doc-1-titre", "Bilan 2015")
    page.fill("#ff-doc-1-date", "03/2016")
    page.click("#ff-verifier")
    assert "Fiche complète." in page.inner_text("#ff-etat")
    assert page.locator("#ff-section-temoignages .ff-section__compte").inner_text() == "· 1 réponse"
    donnees_ = lire_yaml(page.input_value("#ff-yaml"), "x").data
    assert donnees_["acteur"] == {"nom": "Association complète", "type": "association", "ville": "Brest",
                                  "site": "https://www.exemple.org", "presentation": "Une association de quartier."}
    assert donnees_["action"] == {
        "resume": "Un résumé de l'action, assez long pour le schéma.", "description": "Les activités.",
        "moyens": "Une animatrice.", "enjeux": "Rompre l'isolement.", "debut": "2014-09", "fin": "2015-06-30",
        "lieux": ["Maison de quartier"], "publics": ["Retraités du quartier", "Leurs petits-enfants"],
        "categories_publics": ["jeunes", "seniors"], "partenaires": ["Médiathèque", "CCAS"]}
    assert donnees_["evaluation"] == {"periode": "année 2015", "methode": "Un questionnaire en fin d'année."}
    assert donnees_["contributions"][0]["indicateurs"] == [
        {"id": "EP1.1", "valeur": "12 séances", "source": "émargement", "commentaire": "Compté à chaque séance."}]
    assert donnees_["temoignages"] == [{"texte": "J'ose enfin.", "auteur": "une participante"}]
    assert donnees_["sources"] == [{"titre": "Bilan 2015", "url": "https://www.exemple.org/bilan.pdf", "date": "2016-03"}]
    creer_donnees(tmp_path, {"atelier-complet.yaml": page.input_value("#ff-yaml")})
    assert cli("valider", cwd=tmp_path).code == 0
    # The preview links the site and the source (the site's link rule), in the page's order of sections.
    apercu = page.locator("#ff-fiche")
    assert apercu.locator("a[href='https://www.exemple.org']").count() == 1
    assert apercu.locator("a[href='https://www.exemple.org/bilan.pdf']").inner_text() == "Bilan 2015"
    titres = apercu.locator("h4").all_inner_texts()
    assert titres == ["Présentation", "Description du projet", "Moyens mis en œuvre", "Enjeux et objectifs",
                      "Utilité sociale", "Témoignages", "Méthode d'évaluation", "Sources", "Historique de la fiche",
                      "Licence"]
    assert "depuis" not in apercu.inner_text() and "de septembre 2014 à 30 juin 2015" in apercu.inner_text()
    visite.axe("toutes les rubriques ouvertes et remplies")
    assert visite.erreurs_js == []


def test_apercu_avec_les_regles_du_site_et_imprimable(visite):
    """Markdown as the site renders it: text stays text, only allowed links are live,
    headings and images neutralised. Printing shows the fiche alone."""
    page = visite.ouvrir("sans")
    page.wait_for_selector("#ff-titre")
    page.fill("#ff-titre", "<script>alert(1)</script>")
    page.fill("#ff-id", "apercu")
    page.fill("#ff-acteur-nom", "Association")
    page.select_option("#ff-acteur-type", "association")
    page.fill("#ff-resume", "**Gras**, *italique* et `code`.\n\n- un\n- deux\n\n# Un titre\n\n"
                            "<img src=x onerror=alert(1)> [site](https://exemple.org) <contact@exemple.org>")
    page.check("#ff-c-ep1")
    page.fill("#ff-constats-ep1", "> Une citation.")
    page.check("#ff-i-ep1-1")
    page.fill("#ff-valeur-ep1-1", "12")
    page.check("#ff-accord")
    page.click("#ff-verifier")
    apercu = page.locator("#ff-fiche")
    assert apercu.locator("h3").inner_text() == "<script>alert(1)</script>"
    assert apercu.locator("script, img, h1, h2").count() == 0
    assert apercu.locator("strong", has_text="Gras").count() == 1 and apercu.locator("em", has_text="italique").count() == 1
    assert apercu.locator("code", has_text="code").count() == 1 and apercu.locator("li").count() >= 2
    assert apercu.locator("p.intertitre", has_text="Un titre").count() == 1
    assert "<img src=x onerror=alert(1)>" in apercu.inner_text()
    assert apercu.locator("a[href='https://exemple.org']").inner_text() == "site"
    assert apercu.locator("a[href='mailto:contact@exemple.org']").count() == 1
    assert apercu.locator("blockquote", has_text="Une citation.").count() == 1

    # « Imprimer l'aperçu » asks the browser to print (its dialog replaced here)...
    page.evaluate("() => { window.print = () => { window.__imprime = true; }; }")
    page.click("#ff-imprimer")
    assert page.evaluate("() => window.__imprime") is True
    # ... which prints the preview alone, without the form, the menu or the buttons.
    page.emulate_media(media="print")
    assert page.locator("#ff-fiche").is_visible()
    for masque in ("#ff-formulaire", "#ff-envoi", "#ff-imprimer", "#ff-bandeau", ".md-header", "article > h1"):
        assert page.locator(masque).first.is_hidden(), masque
    page.pdf(path=str(Path("/tmp") / "formulaire-apercu.pdf"))
    page.emulate_media(media="screen")
    assert visite.erreurs_js == []


def test_le_brouillon_survit_au_rechargement_et_a_l_onglet_ferme(navigateur, serveur):
    contexte = Visite.nouveau_contexte(navigateur, viewport=TELEPHONE)
    try:
        v = Visite(navigateur, serveur, contexte=contexte)
        page = v.ouvrir("sans")
        page.wait_for_selector("#ff-titre")
        assert "gardé dans ce navigateur seulement" in page.inner_text("#ff-bandeau")
        page.fill("#ff-titre", "Atelier du brouillon")
        page.check("#ff-c-ve2")
        page.fill("#ff-constats-ve2", "Un constat.")
        ouvrir_section(page, "ff-section-temoignages")
        page.click("#ff-ajouter-temoignage")
        page.fill("#ff-temoignage-1-texte", "Un témoignage.")
        page.check("#ff-accord")
        # Reloaded: everything is back.
        page.reload(wait_until="load")
        page.wait_for_selector("#ff-titre")
        assert page.input_value("#ff-titre") == "Atelier du brouillon"
        assert page.input_value("#ff-id") == "atelier-du-brouillon"
        assert page.is_checked("#ff-c-ve2") and page.locator("#ff-constats-ve2").is_visible()
        assert page.input_value("#ff-constats-ve2") == "Un constat."
        assert page.input_value("#ff-temoignage-1-texte") == "Un témoignage."
        assert page.is_checked("#ff-accord")
        assert "Votre brouillon est revenu" in page.inner_text("#ff-bandeau")
        v.fermer()
        # The tab closed, another one opened: still there.
        v = Visite(navigateur, serveur, contexte=contexte)
        page = v.ouvrir("sans")
        page.wait_for_selector("#ff-titre")
        assert page.input_value("#ff-titre") == "Atelier du brouillon"
        # « Recommencer » asks first: refused, nothing is lost; accepted, everything goes.
        questions = []
        page.once("dialog", lambda d: (questions.append(d.message), d.dismiss()))
        page.click("#ff-recommencer")
        assert questions and "Ce que vous avez saisi sera perdu" in questions[0]
        assert page.input_value("#ff-titre") == "Atelier du brouillon"
        page.once("dialog", lambda d: d.accept())
        with page.expect_navigation():
            page.click("#ff-recommencer")
        page.wait_for_selector("#ff-titre")
        assert page.input_value("#ff-titre") == "" and not page.is_checked("#ff-c-ve2")
        assert page.evaluate("() => Object.keys(localStorage).length") == 0
        # An update keeps its own draft, apart from the new fiche's.
        page.goto(f"{serveur}/sans/{PAGE}?fiche=kerederm", wait_until="load")
        page.wait_for_selector("#ff-maj-modification")
        page.fill("#ff-maj-modification", "Nouveau brouillon")
        page.reload(wait_until="load")
        page.wait_for_selector("#ff-maj-modification")
        assert page.input_value("#ff-maj-modification") == "Nouveau brouillon"
        assert v.erreurs_js == [] and v.externes == []
        v.fermer()
    finally:
        contexte.close()


@pytest.mark.parametrize("path", FICHES, ids=lambda p: p.stem)
def test_mettre_a_jour_sans_rien_changer_rend_la_meme_fiche(visite, path):
    """Every shipped fiche, opened from the open data and saved as is: every field
    comes back, plus the day's date and a new line of history; the browser writes
    the bytes Python writes for that data (not those of the hand-written file,
    whose comments and line breaks are its author's)."""
    from referentiel.lecture.chargement import charger
    from referentiel.nouvelle_fiche import libelles
    from referentiel.sorties.fiche_yaml import ecrire_fiche

    page = visite.ouvrir("sans", f"{PAGE}?fiche={path.stem}")
    page.wait_for_selector("#ff-maj-modification")
    page.fill("#ff-maj-modification", "Relecture")
    page.check("#ff-accord")
    page.click("#ff-verifier")
    assert "Fiche complète." in page.inner_text("#ff-etat"), page.inner_text("#ff-resume-erreurs")
    texte = page.input_value("#ff-yaml")
    avant = donnees(path)
    attendu = json.loads(json.dumps(avant))
    jour = date.today().isoformat()
    attendu["mise_a_jour"] = jour
    attendu["historique"] = avant.get("historique", []) + [
        {"date": jour, "auteur": avant["acteur"]["nom"], "modification": "Relecture"}]
    assert lire_yaml(texte, path.name).data == attendu
    lib = libelles(charger(ROOT / "data").referentiel)
    assert texte == ecrire_fiche(attendu, lib, en_tete=["Fiche écrite avec le formulaire « Proposer une fiche » du site."])
    assert texte != path.read_text(encoding="utf-8")
    assert visite.erreurs_js == [] and visite.externes == []


def test_mettre_a_jour_une_fiche_inconnue(visite):
    page = visite.ouvrir("sans", f"{PAGE}?fiche=nexiste-pas")
    page.wait_for_selector("[role=alert]")
    assert "il n'y a pas de fiche « nexiste-pas » sur ce site" in page.inner_text("#formulaire-fiche")
    page.click("text=Proposer une nouvelle fiche")
    page.wait_for_selector("#ff-titre")
    assert visite.erreurs_js == []


def test_chaque_fiche_a_son_lien_mettre_a_jour(site_livre):
    for path in FICHES:
        html = (site_livre / "fiches" / path.stem / "index.html").read_text(encoding="utf-8")
        assert f'<a href="../../{PAGE}?fiche={path.stem}">Mettre à jour cette fiche</a>' in html


def test_categories_de_publics_cochees(visite, tmp_path):
    """The categories of publics are the schema's list, sent as data: one box per
    value, with its label; the boxes checked go into the file, in the list's order."""
    from referentiel.modele import CATEGORIES_PUBLICS

    page = visite.ouvrir("avec")
    page.wait_for_selector("#ff-titre")
    groupe = page.locator("fieldset#ff-publics-categories")
    assert groupe.is_hidden()  # in its optional section, closed until opened
    ouvrir_section(page, "ff-section-publics")
    assert groupe.locator("legend").inner_text().startswith("Les publics auxquels l'action s'adresse")
    assert "(facultatif)" in groupe.locator("legend").inner_text()
    assert groupe.locator("input[type=checkbox]").evaluate_all("cs => cs.map(c => c.value)") == list(CATEGORIES_PUBLICS)
    for code, libelle in CATEGORIES_PUBLICS.items():
        assert page.get_by_label(libelle, exact=True).get_attribute("id") == f"ff-p-{code}"
    # The script restates none of them: they come from the page's data.
    code_js = SCRIPT.read_text(encoding="utf-8")
    assert not any(f'"{code}"' in code_js or f"'{code}'" in code_js for code in CATEGORIES_PUBLICS)

    page.fill("#ff-titre", "Atelier des aînés")
    page.fill("#ff-resume", "Un atelier chaque semaine pour les personnes âgées et leurs petits-enfants.")
    page.fill("#ff-acteur-nom", "Association des aînés")
    page.select_option("#ff-acteur-type", "association")
    assert "categories_publics" not in page.input_value("#ff-yaml")  # none checked: no field
    dernier, premier = list(CATEGORIES_PUBLICS)[-2], list(CATEGORIES_PUBLICS)[0]
    page.get_by_label(CATEGORIES_PUBLICS[dernier], exact=True).check()
    page.get_by_label(CATEGORIES_PUBLICS[premier], exact=True).check()
    page.check("#ff-c-ve2")
    page.fill("#ff-constats-ve2", "Les générations se rencontrent.")
    page.check("#ff-i-ve2-1")
    page.fill("#ff-valeur-ve2-1", "12 participants")
    page.check("#ff-accord")
    page.click("#ff-verifier")
    assert "Fiche complète." in page.inner_text("#ff-etat")
    texte = page.input_value("#ff-yaml")
    assert yaml.safe_load(texte)["action"]["categories_publics"] == [premier, dernier]
    creer_donnees(tmp_path, {"atelier-des-aines.yaml": texte})
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
    # An error in a closed section opens it; its link leads to the field.
    ouvrir_section(page, "ff-section-structure")
    page.fill("#ff-site", "pas une adresse")
    page.locator("#ff-section-structure > summary").click()  # closed again
    page.click("#ff-verifier")
    assert page.get_attribute("#ff-section-structure", "open") is not None
    page.locator("#ff-resume-erreurs a", has_text="Site web de la structure").click()
    assert actif(page) == "ff-site"
    # Unchecking the criterion drops its questions from the checks and from the file.
    page.uncheck("#ff-c-ep1")
    page.click("#ff-verifier")
    assert "critère EP1" not in page.inner_text("#ff-resume-erreurs")
    assert "critere: EP1" not in page.input_value("#ff-yaml")
    assert visite.erreurs_js == []


def test_sans_javascript_la_page_explique_les_autres_moyens(navigateur, serveur):
    v = Visite(navigateur, serveur, javascript=False)
    try:
        page = v.ouvrir("sans")
        assert page.locator("#formulaire-fiche").is_hidden()
        texte = page.inner_text("article")
        assert "Le formulaire a besoin de JavaScript" in texte
        assert f"Par courriel : écrivez à {COURRIEL}" in texte
        assert page.locator(f"article a[href='mailto:{COURRIEL}']").count() == 1
        assert "GitHub" not in texte
        page = v.ouvrir("avec")
        texte = page.inner_text("article")
        assert "Par un ticket sur GitHub" in texte and "data/fiches/_modele.yaml" in texte
        assert "referentiel nouvelle-fiche" in texte
        assert page.locator(f"a[href='{REPO_URL}/issues/new?template=proposer-une-fiche.yml']").count() == 1
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
    # Addresses: completed with https:// when typed without it; the site's link rule judges the rest.
    ouvrir_section(page, "ff-section-structure")
    for tape, attendu, refuse in [("www.exemple.fr", "https://www.exemple.fr", False),
                                  ("exemple.fr/page?x=1", "https://exemple.fr/page?x=1", False),
                                  ("http://exemple.fr", "http://exemple.fr", False),
                                  ("javascript:alert(1)", "javascript:alert(1)", True),
                                  ("https://moi@exemple.fr", "https://moi@exemple.fr", True),
                                  ("pas une adresse", "pas une adresse", True)]:
        page.fill("#ff-site", tape)
        page.focus("#ff-ville")
        assert page.input_value("#ff-site") == attendu, tape
        assert page.locator("#ff-site-erreur").is_visible() == refuse, tape
