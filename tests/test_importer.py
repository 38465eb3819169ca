"""`referentiel importer`: a fiche as received, whatever mail clients did to it.

The mails here are made as mail clients make them: a reply that quotes with
« > » (once, twice), lines re-wrapped at 72 columns (the quote marks repeated
or not), trailing spaces, indentation as non-breaking spaces, text before and
after, a whole message saved as .eml (quoted-printable, format=flowed). Each
one gives back the fiche that was sent, byte for byte, and it validates.
"""

from __future__ import annotations

import email.message
import email.policy
import re

import pytest
from conftest import ROOT, creer_donnees

from referentiel.importer import importer
from referentiel.lecture.chargement import charger
from referentiel.lecture.fichiers import lire_fichier
from referentiel.lecture.reception import DEBUT, FIN, ReceptionErreur, extraire
from referentiel.nouvelle_fiche import libelles
from referentiel.sorties.fiche_yaml import ecrire_fiche

EN_TETE = ["Fiche écrite avec le formulaire « Proposer une fiche » du site."]


def fiche_livree(nom: str) -> dict:
    doc, _ = lire_fichier(ROOT / "data" / "fiches" / f"{nom}.yaml", 10**6)
    return doc.data


@pytest.fixture(scope="module")
def lib():
    return libelles(charger(ROOT / "data").referentiel)


def nouvelle(lib) -> tuple[dict, str]:
    """A new fiche, as the form writes it (the shape of kerederm, another id)."""
    data = fiche_livree("kerederm")
    data.update(id="atelier-des-aines", titre="Atelier numérique des aînés", statut="proposee")
    return data, ecrire_fiche(data, lib, en_tete=EN_TETE)


def courriel(fiche: str) -> str:
    """The body the form puts in its mail."""
    return (f"Bonjour,\n\nVoici la fiche « Atelier numérique des aînés » pour le référentiel.\n\n"
            f"{DEBUT}\n{fiche}{FIN}\n")


def citer(texte: str, marque: str = "> ") -> str:
    """A reply: every line quoted (empty lines get the mark without its space, as clients do)."""
    return "\n".join((marque + l) if l else marque.rstrip() for l in texte.split("\n"))


def recouper(texte: str, largeur: int = 72, repeter_citation: bool = True) -> str:
    """A mail client's re-wrap: a line longer than ``largeur`` is cut at its last
    space that fits, the rest goes to the next line (after the same quote marks)."""
    out = []
    for ligne in texte.split("\n"):
        marque = re.match(r"(?:>[ ]?)*", ligne).group() if repeter_citation else ""
        reste = ligne
        while len(reste) > largeur:
            coupe = reste.rfind(" ", len(marque) + 1, largeur + 1)
            if coupe <= len(marque):
                break
            out.append(reste[:coupe])
            reste = marque + reste[coupe + 1:]
        out.append(reste)
    return "\n".join(out)


# ---------------------------------------------------------------------------
# Extraction


def test_le_fichier_tel_quel(lib):
    _, fiche = nouvelle(lib)
    assert extraire(fiche).texte == fiche


@pytest.mark.parametrize("abimer", [
    pytest.param(lambda t: t, id="tel-quel"),
    pytest.param(lambda t: "Texte avant\n" + t + "\n-- \nSignature\n", id="texte-avant-apres"),
    pytest.param(lambda t: t.replace("\n", "\r\n"), id="crlf"),
    pytest.param(citer, id="cite"),
    pytest.param(lambda t: citer(citer(t)), id="cite-deux-fois"),
    pytest.param(lambda t: citer(citer(t), ">"), id="cite-serre"),
    pytest.param(lambda t: recouper(citer(t)), id="cite-recoupe-72"),
    pytest.param(lambda t: recouper(citer(t), 60, repeter_citation=False), id="recoupe-60-sans-marques"),
    pytest.param(lambda t: recouper(citer(citer(t)), 72), id="cite-deux-fois-recoupe"),
    pytest.param(lambda t: "\n".join(l + "  " for l in recouper(t, 66).split("\n")), id="espaces-en-fin"),
    pytest.param(lambda t: "\n".join(l.replace("    ", "\u00a0\u00a0\u00a0\u00a0", 1) for l in t.split("\n")),
                 id="retrait-insecable"),
    pytest.param(lambda t: t.replace(DEBUT, DEBUT.upper().replace("É", "E")), id="repere-sans-accent"),
])
def test_le_courriel_redonne_la_fiche(lib, abimer):
    _, fiche = nouvelle(lib)
    recue = extraire(abimer(courriel(fiche)))
    assert recue.reperes
    assert recue.texte == fiche


def test_chaque_fiche_livree_survit_a_une_reponse_recoupee(lib):
    for path in sorted((ROOT / "data" / "fiches").glob("[!_]*.yaml")):
        fiche = ecrire_fiche(fiche_livree(path.stem), lib, en_tete=EN_TETE)
        assert extraire(recouper(citer(courriel(fiche)), 72)).texte == fiche, path.name


@pytest.mark.parametrize("reponse", [False, True], ids=["envoye", "reponse-citee"])
def test_un_message_eml_en_quoted_printable_et_format_flowed(lib, reponse):
    """A whole message saved by a mail client: headers, quoted-printable,
    format=flowed (long lines sent as several, each ending with a space),
    and the same in a reply that quotes it (« > » on every piece)."""
    _, fiche = nouvelle(lib)
    corps = courriel(fiche)
    # format=flowed: a line longer than 60 is sent as soft-broken pieces (a space before each break);
    # a line that begins with a space or « > » is space-stuffed.
    coule = []
    for ligne in corps.split("\n"):
        morceaux = []
        while len(ligne) > 60 and ligne.rfind(" ", 1, 60) > 0:
            coupe = ligne.rfind(" ", 1, 60)
            morceaux.append(ligne[:coupe + 1])  # ends with its space: a soft line break
            ligne = ligne[coupe + 1:]
        morceaux.append(ligne)
        if reponse:
            coule += [("> " + m) if m else ">" for m in morceaux]
        else:
            coule += [(" " + m) if m.startswith((" ", ">")) else m for m in morceaux]
    msg = email.message.EmailMessage(policy=email.policy.SMTP)
    msg["From"] = "Association <contact@exemple.org>"
    msg["To"] = "elisabeth.le-faucheur@mairie-brest.fr"
    msg["Subject"] = "Proposition de fiche : Atelier numérique des aînés"
    msg.set_content("\n".join(coule), subtype="plain", charset="utf-8", cte="quoted-printable")
    msg.set_param("format", "flowed")
    eml = msg.as_string()
    assert "=C3=A9" in eml and 'format="flowed"' in eml
    assert extraire(eml).texte == fiche


def test_messages_d_un_texte_sans_fiche():
    with pytest.raises(ReceptionErreur, match="le message est coupé : la ligne « ----- Fin de la fiche ----- » manque"):
        extraire(f"Bonjour\n{DEBUT}\nid: x\ntitre: y\n")
    with pytest.raises(ReceptionErreur, match="la ligne « ----- Début de la fiche ----- » manque"):
        extraire(f"id: x\n{FIN}\n")
    with pytest.raises(ReceptionErreur, match="texte vide"):
        extraire("  \n\n")
    with pytest.raises(ReceptionErreur, match="vide entre les lignes"):
        extraire(f"{DEBUT}\n\n{FIN}\n")


def test_les_lignes_des_problemes_sont_celles_du_courriel(tmp_path, lib):
    """A problem is reported on the line of the text received (here after a
    re-wrap and seven lines of greetings), as ``referentiel valider`` reports it."""
    data, _ = nouvelle(lib)
    data["contributions"][1]["critere"] = "EP9"
    texte = recouper(citer(courriel(ecrire_fiche(data, lib, en_tete=EN_TETE))))
    creer_donnees(tmp_path)
    resultat = importer(texte, "courriel.txt", tmp_path / "data")
    assert resultat.chemin is None
    (p,) = resultat.problemes
    assert p.fichier == "courriel.txt" and p.champ == "contributions[1].critere"
    assert "« EP9 » n'existe pas" in p.message
    assert "critere: EP9" in texte.split("\n")[p.ligne - 1]
    assert list((tmp_path / "data" / "fiches").iterdir()) == []  # nothing written, no temporary left


def test_ecrit_la_fiche_valide_avec_la_ligne_de_l_editeur(tmp_path, lib):
    data, fiche = nouvelle(lib)
    creer_donnees(tmp_path)
    resultat = importer(courriel(fiche), "courriel.txt", tmp_path / "data")
    assert resultat.problemes == [] and resultat.chemin == tmp_path / "data" / "fiches" / "atelier-des-aines.yaml"
    ecrit = resultat.chemin.read_text(encoding="utf-8")
    assert ecrit == "# yaml-language-server: $schema=../../schemas/fiche.schema.json\n" + fiche
    assert charger(tmp_path / "data").problemes == []
    assert list((tmp_path / "data" / "fiches").iterdir()) == [resultat.chemin]
