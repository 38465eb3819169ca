"""How each indicator is collected (issue 18, its data): methods, questions
with their answer formats, what to observe and ask. Checked like the rest
of the data; shown on the indicator's page as the site team's proposal."""

from __future__ import annotations

import yaml
from conftest import ROOT, cli, creer_donnees

from referentiel.lecture import charger
from referentiel.pages import Rendu
from referentiel.pages.indicateur import page_indicateur

CRITERES = yaml.safe_load((ROOT / "data" / "criteres.yaml").read_text(encoding="utf-8"))
INDICATEURS = [i for d in CRITERES["dimensions"] for c in d["criteres"] for i in c["indicateurs"]]


def test_chaque_indicateur_dit_comment_le_recueillir():
    for i in INDICATEURS:
        assert i.get("methodes"), i["id"]
        if "questionnaire" in i["methodes"]:
            assert i.get("questions"), i["id"]
        for q in i.get("questions") or []:
            assert q["format"] in ("oui-non", "echelle", "nombre", "texte"), (i["id"], q)
            assert (q["format"] == "echelle") == bool(q.get("echelle")), (i["id"], q)


def _donnees_modifiees(tmp_path, modifier) -> str:
    data = creer_donnees(tmp_path)
    doc = yaml.safe_load((data / "criteres.yaml").read_text(encoding="utf-8"))
    ind = {i["id"]: i for d in doc["dimensions"] for c in d["criteres"] for i in c["indicateurs"]}
    modifier(ind)
    (data / "criteres.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100),
                                        encoding="utf-8")
    sortie = cli("valider", "data", cwd=tmp_path)
    assert sortie.code == 1
    return sortie.stdout


def test_un_indicateur_sans_methode_est_refuse(tmp_path):
    sortie = _donnees_modifiees(tmp_path, lambda ind: ind["EP1.1"].pop("methodes"))
    assert ("dimensions[0].criteres[0].indicateurs[0].methodes : l'indicateur EP1.1 ne dit pas comment le "
            "recueillir : ajoutez « methodes: » (questionnaire, observation, entretien, comptage, document)") in sortie


def test_un_questionnaire_sans_question_est_refuse(tmp_path):
    def modifier(ind):
        i = next(i for i in ind.values() if "questionnaire" in i["methodes"])
        i.pop("questions")
        modifier.ident = i["id"]
    sortie = _donnees_modifiees(tmp_path, modifier)
    assert f"l'indicateur {modifier.ident} prévoit « questionnaire » : ajoutez « questions: »" in sortie


def test_une_echelle_nomme_ses_quatre_points_et_une_question_ne_cite_pas_d_identifiant(tmp_path):
    def modifier(ind):
        i = next(i for i in ind.values() if any(q["format"] == "echelle" for q in i.get("questions") or []))
        q = next(q for q in i["questions"] if q["format"] == "echelle")
        q.pop("echelle")
        q["texte"] = "Diriez-vous que l'indicateur EP4.2 a progressé ?"
    sortie = _donnees_modifiees(tmp_path, modifier)
    assert "une échelle nomme ses quatre points : ajoutez « echelle: [..., ..., ..., ...] »" in sortie
    assert ("la question cite « EP4.2 » : un participant ne connaît pas les identifiants du référentiel ; "
            "dites-le avec des mots") in sortie


def test_la_page_de_l_indicateur_donne_les_questions_et_leurs_formats():
    ref = charger(ROOT / "data").referentiel
    i = next(i for i in ref.indicateurs.values() if any(q.format == "echelle" for q in i.questions))
    q = next(q for q in i.questions if q.format == "echelle")
    html = page_indicateur(Rendu(ref), i)
    assert "## Pour le recueillir" in html
    assert q.texte.replace("'", "&#x27;") in html or q.texte in html
    assert "Réponse : Échelle en quatre points : " + ", ".join(f"« {p} »" for p in q.echelle) in html.replace(
        "&#x27;", "'")
    assert "Ces méthodes et ces questions sont une proposition de l'équipe du site" in html.replace("&#x27;", "'")
