"""The fast reader of plain fiches (``yamlrapide``) gives exactly PyYAML's data, or gives up.

Fiches are read first by ``yamlrapide`` on the happy path of the validator
and of the build. If it ever returned other data than PyYAML for some text,
the site would show something else than what the contributor typed. So, on
the shipped data, on generated documents in every style PyYAML writes, on
damaged copies of them and on hand-picked traps:

* when ``yamlrapide`` returns data, PyYAML reads the same text without error
  and gives the same data (same key order), the same top-level lines and the
  same link flag;
* when PyYAML refuses a text, ``yamlrapide`` gives up.

Hypothesis runs are bounded and derandomised (the same examples every run).
"""

from __future__ import annotations

import json

import pytest
import yaml
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from referentiel import yamlrapide
from referentiel.yamlio import LectureErreur, lire_yaml

REGLAGES = settings(max_examples=600, derandomize=True, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

LIVRES = sorted((ROOT / "data" / "fiches").glob("*.yaml")) + [ROOT / "data" / "criteres.yaml"]


def pyyaml(texte: str):
    """PyYAML's reading on the same path (no lines but the top-level ones), or None if refused."""
    try:
        doc = lire_yaml(texte, "f.yaml", lignes=False, rapide=False)
    except LectureErreur:
        return None
    return doc


def comparer(texte: str) -> bool:
    """Check the property on one text; True if ``yamlrapide`` read it."""
    rapide = yamlrapide.lire(texte)
    reference = pyyaml(texte)
    if rapide is None:
        return False
    assert reference is not None, f"yamlrapide a lu un texte que PyYAML refuse :\n{texte!r}"
    data, lignes, lignes_cles, liens = rapide
    # json.dumps keeps the order of the keys, which dict equality ignores.
    assert json.dumps(data, ensure_ascii=False) == json.dumps(reference.data, ensure_ascii=False), texte
    assert (lignes, lignes_cles) == (reference.lignes, reference.lignes_cles), texte
    assert liens == reference.liens_possibles, texte
    return True


@pytest.mark.parametrize("chemin", LIVRES, ids=lambda p: p.name)
def test_les_fichiers_livres_sont_lus_vite_et_a_l_identique(chemin):
    assert comparer(chemin.read_text(encoding="utf-8")), "le lecteur rapide a abandonné"


def test_le_chemin_rapide_sert_dans_lire_yaml():
    texte = (ROOT / "data" / "fiches" / "kerederm.yaml").read_text(encoding="utf-8")
    assert lire_yaml(texte, "f", lignes=False) == lire_yaml(texte, "f", lignes=False, rapide=False)


# --------------------------------------------------------------------------
# Generated documents: every style PyYAML writes, then damaged copies

MOTS = st.sampled_from([
    "atelier", "l'écrit", "Kéréderm", "EP1.1", "2015-04-09", "no", "on", "~", "null", "Null", "",
    " ", "  ", ":", ": ", " :", "a:b", "#", " #", "a #b", "C#", "-", "- ", "-5", "?", "? x", "'",
    "''", '"', "\\", "|", ">", "[", "]", "{x}", "&a", "*a", "!t", "%", "@", "`", ",", "[lien](https://x.org)",
    "[a]: b", "<b>", "\n", "\n\n", " \n", "\n ", "\t", "\r", "\x85", "\u2028", "\u202f", "\xa0",
    "\ufeff", "\x07", "---", "...", "é" * 30, "mot " * 25,
])
TEXTES = st.one_of(MOTS, st.lists(MOTS, min_size=1, max_size=6).map("".join),
                   st.text(max_size=30))
CLES = st.sampled_from(["id", "titre", "acteur", "nom", "constats", "valeur", "a_b", "x", "null",
                        "no", "<<", "a b", "-x", "é", "1", ""])
VALEURS = st.recursive(st.one_of(TEXTES, st.none()), lambda enfants: st.one_of(
    st.lists(enfants, max_size=4), st.dictionaries(CLES, enfants, max_size=4)), max_leaves=15)
DOCUMENTS = st.dictionaries(CLES, VALEURS, min_size=1, max_size=5)

# Documents like fiches: simple keys, mostly ordinary French text (with the
# punctuation of French typography), so that most take the fast path.
MOTS_ORDINAIRES = st.sampled_from([
    "atelier", "l'écrit", "« guillemets »", "Kéréderm", "EP1.1", "2015-04-09", "no", "~", "a :",
    "b ;", "c !", "d ?", "- tiret", "n° 3", "C#", "a#b", "[lien](https://x.org)", "100 %", "x-y",
    "**gras**", "’", "\u202f:", "\\", '"', "'", "mot " * 12, "", ":", "#",
])
TEXTES_ORDINAIRES = st.lists(MOTS_ORDINAIRES, min_size=1, max_size=12).map(" ".join)
CLES_ORDINAIRES = st.sampled_from(["id", "titre", "acteur", "nom", "constats", "valeur", "mise_a_jour",
                                   "indicateurs", "x"])
SCALAIRES_ORDINAIRES = st.one_of(TEXTES_ORDINAIRES, st.none())
DICTS_ORDINAIRES = st.recursive(
    st.dictionaries(CLES_ORDINAIRES, SCALAIRES_ORDINAIRES, min_size=1, max_size=4),
    lambda enfants: st.dictionaries(CLES_ORDINAIRES, st.one_of(
        SCALAIRES_ORDINAIRES, enfants,
        st.lists(st.one_of(SCALAIRES_ORDINAIRES, enfants), min_size=1, max_size=3)), min_size=1, max_size=4),
    max_leaves=20)
VALEURS_ORDINAIRES = st.one_of(SCALAIRES_ORDINAIRES, DICTS_ORDINAIRES,
                               st.lists(st.one_of(SCALAIRES_ORDINAIRES, DICTS_ORDINAIRES),
                                        min_size=1, max_size=4))
DOCUMENTS_ORDINAIRES = st.dictionaries(CLES_ORDINAIRES, VALEURS_ORDINAIRES, min_size=1, max_size=6)


class _Cle(str):
    """A key: always written plain by :func:`ecrits` (when PyYAML can)."""


def _cles(valeur):
    if isinstance(valeur, dict):
        return {_Cle(k): _cles(v) for k, v in valeur.items()}
    if isinstance(valeur, list):
        return [_cles(v) for v in valeur]
    return valeur


@st.composite
def ecrits(draw, documents=DOCUMENTS):
    """A document as PyYAML writes it: each text in a style drawn at random
    (PyYAML picks another when it must), random width and indentation."""
    data = _cles(draw(documents))
    styles = iter(draw(st.lists(st.sampled_from([None, None, None, "'", '"', "|", ">"]),
                                min_size=1, max_size=8)) * 1000)

    class Ecrivain(yaml.SafeDumper):
        pass

    def texte(dumper, valeur):
        return dumper.represent_scalar("tag:yaml.org,2002:str", valeur, style=next(styles, None))

    Ecrivain.add_representer(str, texte)
    Ecrivain.add_representer(_Cle, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", str(v)))
    return yaml.dump(data, Dumper=Ecrivain, allow_unicode=True, default_flow_style=False,
                     sort_keys=False, width=draw(st.integers(10, 100)), indent=draw(st.integers(2, 5)))


FRAGMENTS = st.sampled_from([
    " ", "  ", "\n", "\n\n", ":", ": ", "#", " #", " # c", "-", "- ", "'", "''", '"', "|", ">",
    "|-", ">-", "|+", "\t", "x", "é", "\n  ", "\n- ", "\n  - ", "? ", "&a ", "*a", "!t ", "[", "{",
    "---\n", "...", "\r\n", "\\", "~", "\xa0", "\u2028",
])


@st.composite
def abimes(draw, base):
    """A text with a few random insertions, deletions and re-indented lines."""
    texte = draw(base)
    for _ in range(draw(st.integers(1, 4))):
        action = draw(st.sampled_from(["inserer", "inserer", "supprimer", "indenter", "desindenter"]))
        pos = draw(st.integers(0, len(texte)))
        if action == "inserer":
            texte = texte[:pos] + draw(FRAGMENTS) + texte[pos:]
        elif action == "supprimer":
            texte = texte[:pos] + texte[pos + draw(st.integers(1, 6)):]
        else:
            debut = texte.rfind("\n", 0, pos) + 1
            if action == "indenter":
                texte = texte[:debut] + " " * draw(st.integers(1, 3)) + texte[debut:]
            elif texte.startswith(" ", debut):
                texte = texte[:debut] + texte[debut + 1:]
    return texte


FICHES_LIVREES = st.sampled_from([p.read_text(encoding="utf-8") for p in LIVRES[:-1]])


@REGLAGES
@given(texte=ecrits())
def test_documents_ecrits_par_pyyaml(texte):
    comparer(texte)


@REGLAGES
@given(texte=ecrits(DOCUMENTS_ORDINAIRES))
def test_documents_ordinaires_ecrits_par_pyyaml(texte):
    comparer(texte)


@REGLAGES
@given(texte=abimes(ecrits()))
def test_documents_abimes(texte):
    comparer(texte)


@REGLAGES
@given(texte=abimes(ecrits(DOCUMENTS_ORDINAIRES)))
def test_documents_ordinaires_abimes(texte):
    comparer(texte)


@settings(REGLAGES, max_examples=400)
@given(texte=abimes(FICHES_LIVREES))
def test_fiches_livrees_abimees(texte):
    comparer(texte)


def test_les_generateurs_exercent_le_chemin_rapide():
    # The property is only worth something if the fast reader does read many
    # of the generated documents (and not only give up).
    lus = []

    @settings(max_examples=200, derandomize=True, deadline=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(texte=ecrits(DOCUMENTS_ORDINAIRES))
    def compter(texte):
        lus.append(comparer(texte))

    compter()
    assert sum(lus) > len(lus) // 2, f"{sum(lus)} documents lus sur {len(lus)}"


# --------------------------------------------------------------------------
# Traps: the reader must either agree with PyYAML or give up

PIEGES = [
    "a: b\n",
    "a: b # commentaire\nc: d\n",
    "a: b # commentaire\n  suite\n",
    "a: 'b' # c\n",
    "a: 'b'# c\n",
    'a: "b" # c\n',
    "a: >- # c\n  texte\n",
    "a: |\n  un\n\n  deux\n\n\nb: x\n",
    "a: >\n  un\n  deux\n\n  trois\n    plus\n  quatre\n",
    "a: >-\n  - un\n    suite\n  - deux\n",
    "a: |-\n  # pas un commentaire\n  texte\n",
    "a: |\n    plus\n  moins\n",
    "a: |\n\n  texte\n",
    "a: |\n  texte\n   \n",
    "a: >2\n   texte\n",
    "a: |+\n  texte\n\n",
    "a: texte\n  suite\n\n  encore\n",
    "a: texte\n\n  encore\n",
    "a: texte\n  - tiret\n",
    "a: texte\n  ? question\n",
    "a: texte\n  :deux\n",
    "a: texte\n  : deux\n",
    "a: texte\n  suite:\n",
    "a: texte\n# commentaire\nb: c\n",
    "a: null\n #\n",
    "a: null\n  suite\n",
    "a: ~ # rien\n",
    "a: texte\n  # commentaire\n  suite\n",
    "a: 'un\n  deux'\n",
    "a: 'un\n\n  deux'\n",
    "a: 'un\ndeux'\n",
    "a: 'l''écrit'\n",
    "a: 'un'''\n",
    "a:\n- x\n- y\nb: z\n",
    "a:\n  - x\n  -y\n",
    "a:\n  - x\n - y\n",
    "a:\n- b: c\n  d: e\n- f: g\n",
    "a:\n-   b: c\n    d: e\n",
    "a:\n- b: c\n   d: e\n",
    "a:\n  b:\n    c: d\n  e: f\n",
    "a:\n   b: c\n  d: e\n",
    "a:\n  texte\n",
    "a:\nb:\n",
    "a: ~\nb: null\nc: ''\nd: \"\"\ne: Null\nf: NULL\ng: nul\n",
    "a: b\na: c\n",
    "a: &x b\nc: *x\n",
    "a: !tag b\n",
    "a: [1, 2]\n",
    "a: {b: c}\n",
    "? a\n: b\n",
    "a:b\n",
    "a :b\n",
    "a : b\n",
    "'a': b\n",
    "a: b\n---\nc: d\n",
    "%YAML 1.1\n---\na: b\n",
    "a: b\r\nc: d\r\n",
    "a:\tb\n",
    "a: b\u2028c\n",
    "a: b\x85c\n",
    "a: b\ufeffc\n",
    "a: b\u202fc\xa0d\n",
    "a: b\x7f\n",
    "- a\n- b\n",
    "texte seul\n",
    "",
    "# rien\n",
    "  a: b\n",
    "a: b\n  c: d\n",
    "a: b:\n",
    "a: b: c\n",
    "a: http://x.org/#ancre\n",
    "a: [lien](javascript:alert(1))\n",
    "a: x\n- y\n",
    "a:\n- x\n  y\n",
    "a:\n- x\n   - y\n",
    "a:\n  -\n    b: c\n",
    "a: \"b\\\"c\"\n",
    "a: \"b\nc\"\n",
    "a: -\n",
    "a: - b\n",
    "a: -b\n",
    "a: ...\n",
    "a: b\n...\n",
    "a: >\n texte\n",
    "b:\n  a: >\n  texte\n",
]


@pytest.mark.parametrize("texte", PIEGES)
def test_pieges(texte):
    comparer(texte)
