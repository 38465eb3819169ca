"""Any input gives either a valid model or French problem lines: never a traceback.

Bounded and derandomised (the same examples every run), so the suite stays
predictable; the loader is called in-process to keep it fast.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml
from conftest import FICHE_VALIDE, ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from referentiel.lecture.schemas import schema
from referentiel.lecture import charger

REGLAGES = settings(max_examples=100, derandomize=True, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# Keys a contributor could type: the schema's own, and near misses.
CLES = sorted({k for d in (schema("fiche")["properties"],) for k in d} |
              {"critere", "constats", "indicateurs", "valeur", "source", "nom", "type", "resume",
               "titr", "Statut", "id ", "<<", "&a", "*a", ""})
TEXTES = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
SCALAIRES = st.one_of(TEXTES, st.none(), st.booleans(), st.integers(-10**6, 10**6),
                      st.sampled_from(["no", "on", "2015-04-09", "EP1", "EP1.1", "exemple", "1.0", "~"]))
VALEURS = st.recursive(SCALAIRES, lambda enfants: st.one_of(
    st.lists(enfants, max_size=4), st.dictionaries(st.sampled_from(CLES), enfants, max_size=5)),
    max_leaves=25)


def _verifier(dossier: Path) -> None:
    resultat = charger(dossier)
    if resultat.problemes:
        for p in resultat.problemes:
            assert p.fichier.endswith(".yaml") and p.ligne >= 1 and p.message, p
            assert "Traceback" not in p.message and "Error" not in p.message, p
    else:
        assert resultat.referentiel is not None


def _dossier(tmp_path_factory) -> Path:
    dossier = tmp_path_factory.mktemp("fuzz")
    (dossier / "fiches").mkdir()
    shutil.copyfile(ROOT / "data" / "criteres.yaml", dossier / "criteres.yaml")
    return dossier


@REGLAGES
@given(contenu=st.binary(max_size=2000))
def test_octets_quelconques(tmp_path_factory, contenu):
    dossier = _dossier(tmp_path_factory)
    (dossier / "fiches" / "essai.yaml").write_bytes(contenu)
    _verifier(dossier)


@REGLAGES
@given(donnees=st.dictionaries(st.sampled_from(CLES), VALEURS, max_size=8))
def test_structures_yaml_quelconques(tmp_path_factory, donnees):
    dossier = _dossier(tmp_path_factory)
    texte = yaml.safe_dump(donnees, allow_unicode=True)
    (dossier / "fiches" / "essai.yaml").write_text(texte, encoding="utf-8")
    _verifier(dossier)


@REGLAGES
@given(position=st.integers(0, len(FICHE_VALIDE)), insertion=st.text(max_size=12))
def test_fiche_valide_abimee(tmp_path_factory, position, insertion):
    """A real fiche with a few characters typed at a random place."""
    dossier = _dossier(tmp_path_factory)
    texte = FICHE_VALIDE[:position] + insertion + FICHE_VALIDE[position:]
    (dossier / "fiches" / "essai.yaml").write_text(texte, encoding="utf-8", errors="surrogatepass")
    _verifier(dossier)


def test_json_est_aussi_du_yaml(tmp_path_factory):
    """A fiche written as JSON (valid YAML) is read like any other."""
    dossier = _dossier(tmp_path_factory)
    data = yaml.safe_load(FICHE_VALIDE)
    (dossier / "fiches" / "essai.yaml").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    resultat = charger(dossier)
    assert resultat.problemes == [] and resultat.referentiel.fiches[0].titre == "Atelier d'essai"


# ---------------------------------------------------------------------------
# Hostile characters, links and bracket runs in the texts of a valid fiche

# Characters the rules refuse (control, bidirectional, invisible), mixed with ordinary text.
PIEGES = st.sampled_from(["\x00", "\x07", "\t", "\x1b", "\x7f", "\x85", "\x9b", "\u2028", "\u061c",
                          "\u200e", "\u202e", "\u2066", "\u2069", "\u200b", "\u200d", "\u2060", "\ufeff"])
TEXTE_PIEGE = st.lists(st.one_of(PIEGES, st.sampled_from(["a", "é", " ", "Brest", "\n"])),
                       min_size=1, max_size=20).map("".join)
# Pieces of Markdown that make, or almost make, links.
JETONS = st.sampled_from(["[", "]", "(", ")", "<", ">", "!", ":", "@", " ", "\n", "\n\n", "> ", "`",
                          "https://exemple.org", "mailto:a@b.fr", "a@b.fr", "javascript:x", "?cc=c@d.fr",
                          "[r]: ", "[r]", "texte", "*", "_", "\\"])
MARKDOWN = st.lists(JETONS, min_size=1, max_size=30).map("".join)
RUNS = st.tuples(st.sampled_from(["[", "]", "*", "_", "`", "(", "<", "![", "[a", "*a", "_a_", "[](", "\\"]),
                 st.integers(1, 1500)).map(lambda t: t[0] * (t[1] // len(t[0]) or 1))
CHAMPS = {  # where a text goes in FICHE_VALIDE, and whether that field is Markdown
    "titre": ("titre: Atelier d'essai", "titre: {}"),
    "nom": ("  nom: Association d'essai", "  nom: {}"),
    "constats": ("    constats: Les participants osent davantage poser des questions.", "    constats: {}"),
    "valeur": ("        valeur: 12 séances", "        valeur: {}"),
    "source": ("        source: feuilles d'émargement", "        source: {}"),
}


def _fiche_avec(champ: str, texte: str) -> str:
    ancien, nouveau = CHAMPS[champ]
    return FICHE_VALIDE.replace(ancien, nouveau.format(json.dumps(texte)), 1)


@REGLAGES
@given(champ=st.sampled_from(sorted(CHAMPS)), texte=TEXTE_PIEGE)
def test_caracteres_pieges(tmp_path_factory, champ, texte):
    """A refused character is named by its code point, on its field's line."""
    from referentiel.lecture.regles import INTERDITS_TEXTE_LONG, INTERDITS_UNE_LIGNE

    dossier = _dossier(tmp_path_factory)
    (dossier / "fiches" / "essai.yaml").write_text(_fiche_avec(champ, texte), encoding="utf-8")
    _verifier(dossier)
    resultat = charger(dossier)
    long = champ == "constats"
    m = (INTERDITS_TEXTE_LONG if long else INTERDITS_UNE_LIGNE).search(texte)
    codes = [p for p in resultat.problemes if "U+" in p.message]
    if m is not None:
        assert any(f"U+{ord(m.group()):04X}" in p.message and p.champ.endswith(champ) for p in codes), \
            (texte, [str(p) for p in resultat.problemes])
    else:
        assert codes == [], [str(p) for p in codes]


@REGLAGES
@given(champ=st.sampled_from(["constats", "valeur", "titre"]), texte=st.one_of(MARKDOWN, RUNS))
def test_liens_acceptes_sont_exactement_les_liens_vivants(tmp_path_factory, champ, texte):
    """The validator accepts a text only if every link of it is live on the page,
    and the page never carries a live link that breaks the rule."""
    import re

    from referentiel.lecture.regles import lien_autorise
    from referentiel.render import liens, md

    dossier = _dossier(tmp_path_factory)
    (dossier / "fiches" / "essai.yaml").write_text(_fiche_avec(champ, texte), encoding="utf-8")
    _verifier(dossier)
    resultat = charger(dossier)
    html = md(texte)
    assert all(lien_autorise(h.replace("&amp;", "&")) for h in re.findall(r'<a href="([^"]*)"', html))
    if resultat.ok:
        trouves = liens(texte)
        if champ == "titre":
            assert trouves == ()  # a one-line plain field holds no link at all
        assert all(lien.garde and lien.genre == "lien" for lien in trouves), trouves


@REGLAGES
@given(texte=st.one_of(MARKDOWN, RUNS, TEXTE_PIEGE))
def test_sans_debut_de_lien_aucun_lien(texte):
    """The link check's pre-filter (regles.DEBUT_LIEN) misses no link of the renderer's parse."""
    from referentiel.lecture.regles import peut_contenir_lien
    from referentiel.render import liens

    if not peut_contenir_lien(texte):
        assert liens(texte) == ()


# Lines of block Markdown: markers, separators, definitions, repeated.
LIGNES = st.lists(st.tuples(st.sampled_from(["- ", "> ", "1. ", "* ", "---", "***", "===", "a", "",
                                             "[x]: https://exemple.org", "- - -"]),
                            st.integers(1, 14)).map(lambda t: t[0] * t[1]),
                  min_size=1, max_size=40).map("\n".join)


@REGLAGES
@given(champ=st.sampled_from(sorted(CHAMPS)), texte=st.one_of(MARKDOWN, TEXTE_PIEGE, RUNS, LIGNES),
       style=st.sampled_from(["json", "bloc", "plie"]))
def test_lecture_rapide_ne_saute_aucun_probleme(champ, texte, style):
    """When the fast reading says there is nothing to examine, the full check finds nothing."""
    from referentiel.lecture.checks import check_textes
    from referentiel.lecture.schemas import filtre
    from referentiel.lecture.yamlio import LectureErreur, lire_yaml

    if style == "json":
        fiche = _fiche_avec(champ, texte)
    else:  # a literal or folded block, as contributors write long texts
        ancien, nouveau = CHAMPS[champ]
        retrait = " " * (len(ancien) - len(ancien.lstrip()) + 2)
        bloc = ("|" if style == "bloc" else ">") + "\n" + "".join(
            retrait + x + "\n" for x in texte.replace("\r", "").split("\n"))
        fiche = FICHE_VALIDE.replace(ancien, nouveau.format(bloc).rstrip("\n"), 1)
    try:
        rapide = lire_yaml(fiche, "essai.yaml", lignes=False, filtre=filtre("fiche"))
        complet = lire_yaml(fiche, "essai.yaml")
    except LectureErreur:
        return
    if not rapide.a_examiner:
        assert check_textes(complet, "essai.yaml", "fiche") == []
