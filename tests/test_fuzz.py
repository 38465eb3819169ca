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

from referentiel.checks import schema
from referentiel.loading import charger

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
