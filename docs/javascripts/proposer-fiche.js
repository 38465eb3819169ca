/*
 * « Proposer une fiche »: a form that writes the file of a fiche, shows it as
 * the site would, and sends it by mail (or GitHub, or as a download).
 *
 * Vanilla JavaScript, no library. Everything happens in the browser; the only
 * request is, for « Mettre à jour cette fiche » (?fiche=<id>), the site's own
 * open data (donnees/fiches.json, same site). The criteria, indicators,
 * vocabularies, the constraints of every field (from the fiche schema), the
 * validator's rules (referentiel/lecture/regles.py) and the layout of the
 * file (referentiel/lecture/disposition.py) come from the JSON written by the
 * donnees_formulaire() macro (script#donnees-formulaire): this script restates
 * none of them. The file itself is written by ecrire-fiche.js, the same
 * algorithm as src/referentiel/sorties/fiche_yaml.py.
 *
 * What is typed is kept in this browser only (localStorage), so that a
 * reload or a closed tab loses nothing; « Recommencer » deletes it.
 */
(function () {
  "use strict";

  var source = document.getElementById("donnees-formulaire");
  var racine = document.getElementById("formulaire-fiche");
  if (!source || !racine || typeof window.referentielEcrireFiche !== "function") {
    return;
  }
  var D = JSON.parse(source.textContent);
  var C = D.contraintes;
  var R = D.regles;
  var E = D.envoi || {};
  var ecrireFiche = window.referentielEcrireFiche;

  // ------------------------------------------------------------------
  // Small helpers

  /** An element; strings among the children become text (never HTML). */
  function el(tag, attrs) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) {
        return;
      }
      if (k === "classe") {
        e.className = v;
      } else {
        e.setAttribute(k, v === true ? "" : v);
      }
    });
    for (var i = 2; i < arguments.length; i++) {
      var enfant = arguments[i];
      if (enfant === null || enfant === undefined || enfant === false) {
        continue;
      }
      if (Array.isArray(enfant)) {
        enfant.forEach(function (x) { if (x) { e.append(x); } });
      } else {
        e.append(enfant);
      }
    }
    return e;
  }

  /** Length in characters (code points), as the schema validator counts. */
  function longueur(texte) {
    return Array.from(texte).length;
  }

  function extrait(texte, n) {
    var t = texte.replace(/\n/g, " ");
    return longueur(t) <= n ? t : Array.from(t).slice(0, n - 1).join("") + "…";
  }

  function pluriel(n, singulier, pluriel_) {
    return n + " " + (n > 1 ? (pluriel_ || singulier + "s") : singulier);
  }

  function a(objet, cle) {
    return Object.prototype.hasOwnProperty.call(objet, cle);
  }

  /** referentiel.regles.slugifier: ascii lowercase, digits and hyphens; a reserved name gets "-fiche". */
  function slugifier(texte) {
    var t = Array.from(texte).map(function (c) {
      return a(R.translitteration, c) ? R.translitteration[c] : c;
    }).join("");
    t = t.normalize("NFKD").replace(/[^\x00-\x7f]/g, "").toLowerCase();
    t = t.replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
    t = t.slice(0, R.longueur_slug).replace(/^-+|-+$/g, "") || "ma-fiche";
    if (nomReserve(t)) {
      t = t.slice(0, R.longueur_slug - "-fiche".length).replace(/^-+|-+$/g, "") + "-fiche";
    }
    return t;
  }

  /** referentiel.regles.nom_reserve: a Windows reserved name or a page of the site under fiches/. */
  function nomReserve(nom) {
    return R.noms_reserves.indexOf(nom.split(".")[0].toLowerCase()) >= 0;
  }

  /** "EP1.2" -> "ep1-2", for element ids. */
  function cle(ident) {
    return ident.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  }

  function deux(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function aujourdhui() {
    var d = new Date();
    return d.getFullYear() + "-" + deux(d.getMonth() + 1) + "-" + deux(d.getDate());
  }

  /** referentiel.render.date_fr: 2015-04-09 -> 9 avril 2015 (month names from the site: D.mois). */
  function dateFr(v) {
    if (!v) {
      return "";
    }
    var p = v.split("-");
    if (p.length === 3) {
      var jour = parseInt(p[2], 10);
      return (jour === 1 ? "1er" : jour) + " " + D.mois[parseInt(p[1], 10) - 1] + " " + p[0];
    }
    if (p.length === 2) {
      return D.mois[parseInt(p[1], 10) - 1] + " " + p[0];
    }
    return v;
  }

  // All criteria and indicators, by id; the labels written as comments in the file.
  var CRITERES = {};
  var INDICATEURS = {};
  var LIBELLES = {};
  var ORDRE_REF = {};
  D.dimensions.forEach(function (d) {
    d.criteres.forEach(function (c) {
      c.dimension = d;
      CRITERES[c.id] = c;
      LIBELLES[c.id] = c.titre;
      ORDRE_REF[c.id] = Object.keys(ORDRE_REF).length;
      c.indicateurs.forEach(function (i) {
        i.critere = c;
        INDICATEURS[i.id] = i;
        LIBELLES[i.id] = i.libelle;
        ORDRE_REF[i.id] = Object.keys(ORDRE_REF).length;
      });
    });
  });

  // ------------------------------------------------------------------
  // Checks: the fiche schema's constraints and the rules of regles.py, as data

  var MOTIF_ID = new RegExp(C.id.pattern);
  var MOTIF_LIEN = new RegExp(R.lien);
  var INTERDITS_UNE_LIGNE = new RegExp(R.interdits_une_ligne);
  var INTERDITS_TEXTE_LONG = new RegExp(R.interdits_texte_long);
  var BIDI = new RegExp(R.bidi);
  var LARGEUR_NULLE = new RegExp(R.largeur_nulle);

  function tous(motif, drapeaux, texte) {
    var re = new RegExp(motif, drapeaux);
    var out = [];
    var m;
    while ((m = re.exec(texte)) !== null) {
      out.push(m);
      if (m[0] === "") {
        re.lastIndex++;
      }
    }
    return out;
  }

  /**
   * Every place where Markdown may make a link (R.candidats_liens: more than
   * the validator's Markdown parse finds, never less), with its target.
   */
  function liensMarkdown(texte) {
    var K = R.candidats_liens;
    var out = [];
    var definitions = tous(K.definition, "g", texte);
    if (tous(K.image, "g", texte).length || (definitions.length && texte.indexOf("![") >= 0)) {
      out.push({ cible: "", image: true });
    }
    tous(K.lien, "g", texte).concat(definitions, tous(K.autolien, "g", texte)).forEach(function (m) {
      out.push({ cible: m[1], image: false });
    });
    tous(K.courriel, "g", texte).forEach(function (m) {
      out.push({ cible: "mailto:" + m[1].replace(/^mailto:/i, ""), image: false });
    });
    return out;
  }

  function problemeLien(texte, markdown) {
    if (texte.indexOf("[") < 0 && texte.indexOf("<") < 0) {
      return null;
    }
    var liens = liensMarkdown(texte);
    for (var i = 0; i < liens.length; i++) {
      if (liens[i].image) {
        return "les images ne sont pas acceptées dans le texte ; mettez plutôt un lien " +
          "[texte](https://…) vers l'image.";
      }
      if (!markdown) {
        return "ce champ est du texte simple : un lien n'y serait pas cliquable ; mettez l'adresse " +
          "dans un texte long.";
      }
      if (!MOTIF_LIEN.test(liens[i].cible)) {
        return "le lien « " + extrait(liens[i].cible, 40) + " » est refusé : " + R.message_lien + ".";
      }
    }
    return null;
  }

  /** referentiel.regles.probleme_cout: Markdown that would take too long to lay out (R.cout). */
  var K = R.cout;
  var CROCHET = new RegExp(K.crochet, "y");
  var CROCHET_TEXTE = new RegExp(K.crochet_texte, "y");
  var REGLE = new RegExp("^(?:" + K.regle + ")$");

  function problemeCout(texte) {
    for (var i = texte.indexOf("["); i >= 0; i = texte.indexOf("[", i + 1)) {
      var barres = 0;
      while (i - barres - 1 >= 0 && texte.charAt(i - barres - 1) === "\\") {
        barres++;
      }
      CROCHET.lastIndex = i;
      if (barres % 2 === 1 || CROCHET.test(texte)) {
        continue;
      }
      CROCHET_TEXTE.lastIndex = i;
      return CROCHET_TEXTE.test(texte)
        ? "lien dont l'adresse entre parenthèses ne se ferme pas (« ) » à " + K.max_cible +
          " caractères au plus, sans guillemets, « < », « > » ni retour à la ligne) ; écrivez le lien " +
          "sous la forme [texte](https://…)."
        : "crochet « [ » sans « ] » proche (à " + K.max_crochet + " caractères au plus, sans autre « [ », " +
          "accent grave, « \\ » ni ligne vide entre les deux) ; fermez le crochet, ou écrivez « \\[ » " +
          "pour un crochet seul.";
    }
    var trop = tous(K.marqueurs, "gm", texte).some(function (m) {
      var fin = texte.indexOf("\n", m.index);
      return !REGLE.test(texte.slice(m.index, fin < 0 ? texte.length : fin));
    });
    if (trop) {
      return "plus de " + K.max_marqueurs + " marqueurs de liste ou de citation (« - », « > », « 1. ») en " +
        "début de ligne : simplifiez l'imbrication.";
    }
    var marqueurs = tous(K.en_tete, "gm", texte).reduce(function (n, m) {
      return n + tous(K.un_marqueur, "g", m[0]).length;
    }, 0);
    if (marqueurs > K.max_marqueurs_texte) {
      return "plus de " + K.max_marqueurs_texte + " marqueurs de liste ou de citation (« - », « > », « 1. ») " +
        "dans un même texte ; regroupez les éléments en paragraphes.";
    }
    if (tous(K.ligne_non_vide, "gm", texte).length > K.max_lignes) {
      return "plus de " + K.max_lignes + " lignes dans un même texte ; regroupez les lignes en paragraphes.";
    }
    if (tous(K.marques, "g", texte).length > K.max_marques) {
      return "plus de " + K.max_marques + " marques de mise en forme (« * », « _ », « ` », « [ », « < ») dans " +
        "un même texte ; allégez la mise en forme.";
    }
    if (tous(K.speciale, "gm", texte).length > K.max_lignes_speciales) {
      return "plus de " + K.max_lignes_speciales + " lignes de séparation (« --- », « *** », « === ») ou " +
        "de définitions « [nom]: » dans un même texte ; supprimez-en.";
    }
    return null;
  }

  /** A refused character (control, bidirectional, invisible), named by its code point. */
  function problemeCaracteres(texte, long) {
    var m = (long ? INTERDITS_TEXTE_LONG : INTERDITS_UNE_LIGNE).exec(texte);
    if (!m) {
      return null;
    }
    var c = m[0];
    var code = "U+" + ("000" + c.charCodeAt(0).toString(16).toUpperCase()).slice(-4);
    if (c === "\n") {
      return "retour à la ligne interdit dans ce champ : écrivez-le sur une seule ligne.";
    }
    if (c === "\t") {
      return "tabulation (" + code + ") interdite ; remplacez-la par une espace.";
    }
    if (BIDI.test(c)) {
      return "caractère de direction du texte " + code + " interdit : il peut faire afficher le texte " +
        "dans un autre ordre que celui où il est écrit ; supprimez-le.";
    }
    return (LARGEUR_NULLE.test(c) ? "caractère invisible " : "caractère de contrôle ") + code +
      " interdit ; supprimez-le (il a pu être copié avec le texte).";
  }

  /** A French message for a text answer, or null when it is fine; regle: C[path]. */
  function verifierTexte(valeur, regle, vide) {
    var n = longueur(valeur);
    if (n === 0) {
      return vide;
    }
    if (regle.minLength && n < regle.minLength) {
      return "texte trop court : " + regle.minLength + " caractères au moins (vous en avez écrit " + n + ").";
    }
    if (regle.maxLength && n > regle.maxLength) {
      return "texte trop long : " + n + " caractères pour " + regle.maxLength + " au plus ; raccourcissez-le.";
    }
    var caractere = problemeCaracteres(valeur, regle.long) || (regle.markdown ? problemeCout(valeur) : null);
    if (caractere) {
      return caractere;
    }
    return problemeLien(valeur, regle.markdown);
  }

  /**
   * An address as typed, made whole: « www.exemple.fr » or « exemple.fr/page »
   * gets « https:// » in front (the site's link rule, R.lien, then judges it).
   */
  function normaliserLien(v) {
    v = v.trim();
    if (!v || /^[a-z][a-z0-9+.-]*:/i.test(v) || /^\/\//.test(v)) {
      return v.replace(/^\/\//, "https://");
    }
    if (/^[^\s/@:]+\.[^\s/@:]+(?::[0-9]+)?(?:[/?#].*)?$/.test(v)) {
      return "https://" + v;
    }
    return v;
  }

  function verifierLien(v, regle) {
    if (!v) {
      return null;
    }
    if (!MOTIF_LIEN.test(v)) {
      return "écrivez l'adresse d'une page web, par exemple « www.exemple.org » ou « https://www.exemple.org/page », " +
        "sans espace ni guillemet.";
    }
    return longueur(v) > (regle.maxLength || C.lien.maxLength)
      ? "adresse trop longue : " + (regle.maxLength || C.lien.maxLength) + " caractères au plus." : null;
  }

  /** « 09/04/2015 » -> « 2015-04-09 », « 04/2015 » -> « 2015-04 »: the schema's dates, typed the French way. */
  function normaliserDate(v) {
    v = v.trim();
    var m = /^([0-9]{1,2})[/.]([0-9]{1,2})[/.]([0-9]{4})$/.exec(v);
    if (m) {
      return m[3] + "-" + deux(parseInt(m[2], 10)) + "-" + deux(parseInt(m[1], 10));
    }
    m = /^([0-9]{1,2})[/.]([0-9]{4})$/.exec(v);
    if (m) {
      return m[2] + "-" + deux(parseInt(m[1], 10));
    }
    return v;
  }

  function verifierDate(v, regle) {
    if (!v) {
      return null;
    }
    if (!new RegExp(regle.pattern).test(v)) {
      return "écrivez une année (2014), un mois (04/2014) ou un jour (09/04/2014).";
    }
    var p = v.split("-").map(function (x) { return parseInt(x, 10); });
    if (p.length === 3) {
      var d = new Date(Date.UTC(p[0], p[1] - 1, p[2]));
      if (d.getUTCMonth() !== p[1] - 1) {
        return "le " + dateFr(v) + " n'existe pas dans le calendrier ; vérifiez le jour et le mois.";
      }
    }
    return null;
  }

  /** The items of a « one per line » text area. */
  function elements(texte) {
    return texte.split("\n").map(function (x) { return x.trim(); }).filter(function (x) { return x; });
  }

  function verifierListe(v, chemin) {
    var items = elements(v);
    var regle = C[chemin];
    if (regle.maxItems && items.length > regle.maxItems) {
      return "trop de lignes : " + items.length + " pour " + regle.maxItems + " au plus.";
    }
    for (var i = 0; i < items.length; i++) {
      var m = verifierTexte(items[i], C[chemin + "[]"], null);
      if (m) {
        return "ligne " + (i + 1) + " : " + m;
      }
    }
    return null;
  }

  // ------------------------------------------------------------------
  // The questions: each one registered, in page order

  var champs = [];
  var form;
  var idModifie = false;

  /**
   * def: {controle, cible, groupe, libelle, erreur (the error paragraph),
   * aide (id of the hint), actif(), verifier()}.
   */
  function enregistrer(def) {
    def.affiche = false;
    def.modifie = false;
    champs.push(def);
    return def;
  }

  function erreurEl(id) {
    return el("p", { id: id + "-erreur", classe: "ff-erreur", hidden: true });
  }

  function mention(obligatoire, texte) {
    return el("span", { classe: "ff-mention" }, texte || (obligatoire ? "(obligatoire)" : "(facultatif)"));
  }

  function toujours() {
    return true;
  }

  /** A label, a hint, an error and an input or a textarea. */
  function champTexte(o) {
    var controle = el(o.lignes ? "textarea" : "input", {
      id: o.id,
      name: o.id,
      type: o.lignes ? null : "text",
      inputmode: o.inputmode || null,
      rows: o.lignes || null,
      required: !!o.obligatoire,
      autocomplete: o.autocomplete || "off",
      spellcheck: o.spellcheck === false ? "false" : null,
    });
    var erreur = erreurEl(o.id);
    var bloc = el("div", { classe: "ff-champ" },
      el("label", { for: o.id }, o.libelle + " ", mention(o.obligatoire)),
      o.aide ? el("p", { id: o.id + "-aide", classe: "ff-aide" }, o.aide) : null,
      erreur, controle);
    var ch = enregistrer({
      controle: controle,
      cible: controle,
      libelle: o.libelleCourt || o.libelle,
      erreur: erreur,
      aide: o.aide ? o.id + "-aide" : null,
      actif: o.actif || toujours,
      verifier: function () {
        return o.verifier(controle.value.trim());
      },
    });
    if (o.normaliser) {
      controle.addEventListener("change", function () {
        var n = o.normaliser(controle.value);
        if (n !== controle.value.trim()) {
          controle.value = n;
          mettreAJour();
        }
      });
    }
    decrire(ch);
    return { bloc: bloc, controle: controle, champ: ch };
  }

  /** aria-describedby: the hint, and the error while it is shown. */
  function decrire(ch) {
    var ids = [];
    if (ch.aide) {
      ids.push(ch.aide);
    }
    if (ch.affiche) {
      ids.push(ch.erreur.id);
    }
    var cibles = ch.groupe ? [ch.groupe] : [ch.controle];
    cibles.forEach(function (c) {
      if (ids.length) {
        c.setAttribute("aria-describedby", ids.join(" "));
      } else {
        c.removeAttribute("aria-describedby");
      }
    });
  }

  /** Shows (or hides) the error of one question next to it. */
  function montrer(ch, message) {
    ch.affiche = !!message;
    ch.erreur.textContent = "";
    if (message) {
      ch.erreur.append(el("span", { classe: "ff-erreur__prefixe" }, "Erreur : "), message);
    }
    ch.erreur.hidden = !message;
    if (ch.controle) {
      if (message) {
        ch.controle.setAttribute("aria-invalid", "true");
      } else {
        ch.controle.removeAttribute("aria-invalid");
      }
    }
    decrire(ch);
  }

  function verifierChamp(ch) {
    var message = ch.actif() ? ch.verifier() : null;
    montrer(ch, message);
    return message;
  }

  /** Every problem of the form as [{champ, message}], shown next to the fields or not. */
  function problemes(afficher) {
    var out = [];
    champs.forEach(function (ch) {
      if (!ch.controle && !ch.groupe) {
        return;
      }
      var message = ch.actif() ? ch.verifier() : null;
      if (afficher) {
        montrer(ch, message);
      } else if (ch.affiche && !message) {
        montrer(ch, null);
      }
      if (message) {
        out.push({ champ: ch, message: message });
      }
    });
    return out;
  }

  function val(id) {
    var e = document.getElementById(id);
    return e ? e.value.trim() : "";
  }

  function coche(id) {
    var e = document.getElementById(id);
    return !!(e && e.checked);
  }

  function remplir(id, valeur) {
    var e = document.getElementById(id);
    if (e) {
      e.value = valeur === undefined || valeur === null ? "" : valeur;
    }
  }

  function cocher(id, oui) {
    var e = document.getElementById(id);
    if (e) {
      e.checked = !!oui;
    }
  }

  // ------------------------------------------------------------------
  // The state: a new fiche, or the update of a published one

  var params = new URLSearchParams(window.location.search);
  var idMaj = params.get("fiche");
  var MAJ = !!idMaj;
  // In an update: the published fiche (from the open data), kept whole.
  var base = null;
  // The order of the criteria and indicators of the fiche being edited
  // (a published fiche keeps its own order; new ones follow the référentiel's).
  var ordre = {};

  function rang(ident) {
    return a(ordre, ident) ? ordre[ident] : 100000 + (ORDRE_REF[ident] || 0);
  }

  /** Sets the fields from a fiche (its file's shape): an update, or a draft. */
  function prefiller(f) {
    var acteur = f.acteur || {};
    var action = f.action || {};
    var evaluation = f.evaluation || {};
    remplir("ff-titre", f.titre);
    if (!MAJ) {
      remplir("ff-id", f.id);
      idModifie = !!f.id && f.id !== slugifier(f.titre || "");
    }
    remplir("ff-acteur-nom", acteur.nom);
    remplir("ff-acteur-type", acteur.type || "");
    remplir("ff-resume", action.resume);
    remplir("ff-ville", acteur.ville);
    remplir("ff-site", acteur.site);
    remplir("ff-presentation", acteur.presentation);
    ["description", "moyens", "enjeux", "debut", "fin"].forEach(function (k) {
      remplir("ff-" + k, action[k]);
    });
    ["lieux", "publics", "partenaires"].forEach(function (k) {
      remplir("ff-" + k, (action[k] || []).join("\n"));
    });
    D.categories_publics.forEach(function (p) {
      cocher("ff-p-" + p.id, (action.categories_publics || []).indexOf(p.id) >= 0);
    });
    remplir("ff-periode", evaluation.periode);
    remplir("ff-methode", evaluation.methode);
    ordre = {};
    (f.contributions || []).forEach(function (contrib, n) {
      ordre[contrib.critere] = n;
      var k = cle(contrib.critere);
      cocher("ff-c-" + k, true);
      remplir("ff-constats-" + k, contrib.constats);
      (contrib.indicateurs || []).forEach(function (o, m) {
        ordre[o.id] = m;
        var ki = cle(o.id);
        cocher("ff-i-" + ki, true);
        remplir("ff-valeur-" + ki, o.valeur);
        remplir("ff-source-" + ki, o.source);
        remplir("ff-commentaire-" + ki, o.commentaire);
      });
    });
    temoignages.remplacer(f.temoignages || []);
    documents.remplacer(f.sources || []);
    synchroniser();
  }

  /** The fiche as typed, in its file's shape (what ecrire-fiche.js writes). */
  function lire() {
    var jour = aujourdhui();
    var acteur = { nom: val("ff-acteur-nom"), type: val("ff-acteur-type") };
    [["ville", "ff-ville"], ["site", "ff-site"], ["presentation", "ff-presentation"]].forEach(function (p) {
      var v = p[0] === "site" ? normaliserLien(val(p[1])) : val(p[1]);
      if (v) {
        acteur[p[0]] = v;
      }
    });
    var action = { resume: val("ff-resume") };
    ["description", "moyens", "enjeux", "debut", "fin", "lieux", "publics", "categories_publics", "partenaires"]
      .forEach(function (k) {
        var v;
        if (k === "categories_publics") {
          v = D.categories_publics.filter(function (p) { return coche("ff-p-" + p.id); })
            .map(function (p) { return p.id; });
        } else if (k === "lieux" || k === "publics" || k === "partenaires") {
          v = elements(document.getElementById("ff-" + k).value);
        } else if (k === "debut" || k === "fin") {
          v = normaliserDate(val("ff-" + k));
        } else {
          v = val("ff-" + k);
        }
        if (v && v.length) {
          action[k] = v;
        }
      });
    var evaluation = {};
    if (val("ff-periode")) {
      evaluation.periode = val("ff-periode");
    }
    if (val("ff-methode")) {
      evaluation.methode = val("ff-methode");
    }
    var contributions = [];
    Object.keys(CRITERES).forEach(function (cid) {
      var c = CRITERES[cid];
      if (!coche("ff-c-" + cle(cid))) {
        return;
      }
      var indicateurs = [];
      c.indicateurs.forEach(function (i) {
        var ki = cle(i.id);
        if (!coche("ff-i-" + ki)) {
          return;
        }
        var o = { id: i.id, valeur: val("ff-valeur-" + ki) };
        if (val("ff-source-" + ki)) {
          o.source = val("ff-source-" + ki);
        }
        if (val("ff-commentaire-" + ki)) {
          o.commentaire = val("ff-commentaire-" + ki);
        }
        indicateurs.push(o);
      });
      indicateurs.sort(function (x, y) { return rang(x.id) - rang(y.id); });
      contributions.push({ critere: cid, constats: val("ff-constats-" + cle(cid)), indicateurs: indicateurs });
    });
    contributions.sort(function (x, y) { return rang(x.critere) - rang(y.critere); });

    var fiche = {
      id: MAJ ? base.id : val("ff-id"),
      titre: val("ff-titre"),
      statut: MAJ ? base.statut : "proposee",
      acteur: acteur,
      action: action,
      evaluation: evaluation,
      contributions: contributions,
      temoignages: temoignages.lire(),
      sources: documents.lire(),
      licence: MAJ ? base.licence : D.licence,
      mise_a_jour: jour,
      historique: (MAJ ? (base.historique || []).slice() : []).concat([MAJ
        ? { date: jour, auteur: val("ff-maj-auteur"), modification: val("ff-maj-modification") }
        : { date: jour, auteur: val("ff-acteur-nom"), modification: D.creation }]),
    };
    if (MAJ && !base.licence) {
      delete fiche.licence;
    }
    return fiche;
  }

  function texteFiche(fiche) {
    return ecrireFiche(D.ecriture, fiche, { libelles: LIBELLES, en_tete: D.en_tete });
  }

  // ------------------------------------------------------------------
  // Repeated groups: testimonies and sources

  /**
   * A list of groups of fields, each with « Retirer », and « Ajouter » after
   * them. o: {nom, singulier, feminin, champs: [{cle, libelle, lignes, obligatoire, aide, chemin, type}], max}.
   */
  function groupeRepete(o) {
    var conteneur = el("div", { classe: "ff-repete" });
    var ajouter = el("button", { type: "button", classe: "md-button ff-ajouter", id: "ff-ajouter-" + o.nom },
      o.ajouter);
    var elements_ = [];
    var compteur = 0;

    function creer(valeurs, focaliser) {
      compteur++;
      var n = compteur;
      var item = { n: n, champs: {} };
      var legende = el("legend", {});
      var bloc = el("fieldset", { classe: "ff-groupe ff-element", id: "ff-" + o.nom + "-" + n }, legende);
      o.champs.forEach(function (d) {
        var id = "ff-" + o.nom + "-" + n + "-" + d.cle;
        var t = champTexte({
          id: id, libelle: d.libelle, obligatoire: d.obligatoire, lignes: d.lignes, aide: d.aide,
          normaliser: d.normaliser, inputmode: d.inputmode, spellcheck: d.spellcheck,
          actif: function () { return elements_.indexOf(item) >= 0; },
          verifier: d.verifier,
        });
        // In the error summary: « Témoignage 2 : ce qui a été dit : … »; an error opens the section.
        t.champ.details = api.details;
        t.champ.legende = legende;
        item.champs[d.cle] = t;
        bloc.append(t.bloc);
        var v = (valeurs || {})[d.cle];
        t.controle.value = v === undefined || v === null ? "" : v;
      });
      var retirer = el("button", { type: "button", classe: "md-button ff-retirer" });
      retirer.addEventListener("click", function () {
        brouillonPret = true;
        var i = elements_.indexOf(item);
        elements_.splice(i, 1);
        champs = champs.filter(function (ch) {
          return Object.keys(item.champs).every(function (k) { return item.champs[k].champ !== ch; });
        });
        bloc.remove();
        numeroter();
        annoncer(o.retire + ".");
        (elements_[i] ? elements_[i].champs[o.champs[0].cle].controle : ajouter).focus();
        mettreAJour();
      });
      bloc.append(retirer);
      item.bloc = bloc;
      item.retirer = retirer;
      elements_.push(item);
      conteneur.append(bloc);
      numeroter();
      if (focaliser) {
        item.champs[o.champs[0].cle].controle.focus();
      }
      return item;
    }

    function numeroter() {
      elements_.forEach(function (item, i) {
        item.bloc.querySelector("legend").textContent = o.singulier + " " + (i + 1);
        item.retirer.textContent = "Retirer " + o.article + " " + (i + 1);
      });
      ajouter.hidden = elements_.length >= o.max;
      compte();
    }

    ajouter.addEventListener("click", function () {
      brouillonPret = true;
      creer({}, true);
      mettreAJour();
    });

    var api = {
      details: null,
      bloc: el("div", {}, conteneur, ajouter),
      lire: function () {
        return elements_.map(function (item) {
          var out = {};
          o.champs.forEach(function (d) {
            var v = item.champs[d.cle].controle.value.trim();
            if (d.normaliser) {
              v = d.normaliser(v);
            }
            if (v) {
              out[d.cle] = v;
            }
          });
          return out;
        }).filter(function (x) { return Object.keys(x).length; })
          .map(function (x) {
            // The required field stays, even empty: the check names it.
            if (!a(x, o.champs[0].cle)) {
              x[o.champs[0].cle] = "";
            }
            var ordonne = {};
            o.champs.forEach(function (d) {
              if (a(x, d.cle)) {
                ordonne[d.cle] = x[d.cle];
              }
            });
            return ordonne;
          });
      },
      remplacer: function (liste) {
        elements_.slice().forEach(function (item) {
          champs = champs.filter(function (ch) {
            return Object.keys(item.champs).every(function (k) { return item.champs[k].champ !== ch; });
          });
          item.bloc.remove();
        });
        elements_.length = 0;
        liste.forEach(function (v) { creer(v, false); });
        numeroter();
      },
      nombre: function () {
        return elements_.length;
      },
    };
    return api;
  }

  // ------------------------------------------------------------------
  // Optional sections: <details>, closed until opened, each saying how many
  // of its fields are filled

  var sections = [];

  function section(id, titre, description, contenu, remplis) {
    var compteur = el("span", { classe: "ff-section__compte" });
    var details = el("details", { classe: "ff-section", id: id },
      el("summary", {}, el("span", { classe: "ff-section__titre" }, titre), " ", mention(false), " ", compteur,
        description ? el("span", { classe: "ff-section__quoi" }, description) : null),
      el("div", { classe: "ff-section__corps" }, contenu));
    sections.push({ details: details, compteur: compteur, remplis: remplis });
    return details;
  }

  function compte() {
    sections.forEach(function (s) {
      var n = s.remplis();
      s.compteur.textContent = n ? "· " + pluriel(n, "réponse") : "";
    });
  }

  function nonVides(ids) {
    return ids.filter(function (id) { return val(id) !== ""; }).length;
  }

  // ------------------------------------------------------------------
  // Building the form

  var resume = el("div", { id: "ff-resume-erreurs", classe: "ff-resume", tabindex: "-1", hidden: true });
  var temoignages, documents;

  function construireFormulaire() {
    form = el("form", { id: "ff-formulaire", novalidate: true, "aria-labelledby": "ff-titre-formulaire" });
    form.append(
      el("h2", { id: "ff-titre-formulaire" }, MAJ ? "Mettre à jour la fiche" : "Votre fiche"),
      el("p", { classe: "ff-aide" }, "Les questions obligatoires viennent d'abord. Les autres sont rangées dans " +
        "des rubriques à ouvrir : remplissez celles qui vous concernent, maintenant ou à la prochaine mise à jour."),
      resume);

    if (MAJ) {
      construireMaj();
    }

    // -- the essentials: the action and the structure
    var titre = champTexte({
      id: "ff-titre", libelle: "Titre de l'action", obligatoire: true,
      aide: "Le nom de votre action, par exemple « Atelier numérique du mercredi ».",
      verifier: function (v) {
        return verifierTexte(v, C.titre, "écrivez le titre de votre action.");
      },
    });
    var blocId = null;
    if (!MAJ) {
      var ident = champTexte({
        id: "ff-id", libelle: "Identifiant de la fiche", obligatoire: true, spellcheck: false,
        aide: "Proposé à partir du titre, il devient le nom du fichier et l'adresse de la page de la fiche. " +
          "Vous pouvez le changer : lettres minuscules sans accent, chiffres et tirets, par exemple " +
          "« atelier-numerique-bellevue ».",
        verifier: function (v) {
          if (!v) {
            return "écrivez un identifiant, par exemple « " + (slugifier(val("ff-titre")) || "atelier-numerique-bellevue") + " ».";
          }
          if (!MOTIF_ID.test(v) || longueur(v) > R.longueur_slug) {
            var suggestion = slugifier(v) || slugifier(val("ff-titre")) || "atelier-numerique-bellevue";
            return "l'identifiant ne peut contenir que des lettres minuscules sans accent, des chiffres " +
              "et des tirets (pas d'espace, ni de tiret au début ou à la fin, " + C.id.maxLength +
              " caractères au plus) ; par exemple « " + suggestion + " ».";
          }
          if (nomReserve(v)) {
            return "« " + v + " » ne peut pas être un identifiant : c'est un nom réservé par Windows ou le nom " +
              "d'une page du site ; par exemple « " + slugifier(v) + " ».";
          }
          if (D.fiches.indexOf(v) >= 0) {
            return "l'identifiant « " + v + " » est déjà pris par une fiche du site ; choisissez-en un autre, " +
              "par exemple « " + (v.length < C.id.maxLength - 2 ? v + "-2" : "ma-fiche") + " ». (Pour " +
              "mettre à jour cette fiche, ouvrez sa page et choisissez « Mettre à jour cette fiche ».)";
          }
          return null;
        },
      });
      ident.controle.addEventListener("input", function () {
        idModifie = ident.controle.value.trim() !== "";
      });
      titre.controle.addEventListener("input", function () {
        if (!idModifie) {
          ident.controle.value = slugifier(titre.controle.value);
          if (ident.champ.affiche) {
            verifierChamp(ident.champ);
          }
        }
      });
      titre.controle.addEventListener("change", function () {
        // An identifier suggested from the title is checked at once (it may be taken).
        if (!idModifie && ident.controle.value) {
          ident.champ.modifie = true;
          verifierChamp(ident.champ);
        }
      });
      blocId = ident.bloc;
    } else {
      blocId = el("p", { classe: "ff-aide", id: "ff-id-fixe" }, "Identifiant de la fiche : ",
        el("code", {}, base.id), " (il ne change pas : c'est l'adresse de sa page).");
    }

    var nom = champTexte({
      id: "ff-acteur-nom", libelle: "Nom de la structure", obligatoire: true, autocomplete: "organization",
      aide: "La structure qui mène l'action, par exemple « Centre social de Kérédern ».",
      verifier: function (v) {
        return verifierTexte(v, C["acteur.nom"], "écrivez le nom de votre structure.");
      },
    });
    var select = el("select", { id: "ff-acteur-type", name: "ff-acteur-type", required: true,
      "aria-describedby": "ff-acteur-type-aide" },
    el("option", { value: "" }, "Choisissez dans la liste"));
    D.types_acteur.forEach(function (t) {
      select.append(el("option", { value: t.id }, t.libelle));
    });
    var erreurType = erreurEl("ff-acteur-type");
    var blocType = el("div", { classe: "ff-champ" },
      el("label", { for: "ff-acteur-type" }, "Type de structure ", mention(true)),
      el("p", { id: "ff-acteur-type-aide", classe: "ff-aide" }, "Si aucun ne convient, choisissez « Autre »."),
      erreurType, select);
    decrire(enregistrer({
      controle: select, cible: select, libelle: "Type de structure", erreur: erreurType,
      aide: "ff-acteur-type-aide", actif: toujours,
      verifier: function () {
        return select.value ? null : "choisissez le type de votre structure dans la liste.";
      },
    }));
    var resumeAction = champTexte({
      id: "ff-resume", libelle: "Résumé de l'action", obligatoire: true, lignes: 5,
      aide: "En quelques phrases : ce que vous faites, avec qui, où et depuis quand. Entre " +
        C["action.resume"].minLength + " et " + C["action.resume"].maxLength + " caractères.",
      verifier: function (v) {
        return verifierTexte(v, C["action.resume"], "écrivez un résumé de l'action en quelques phrases.");
      },
    });
    var compteur = el("span", { classe: "ff-compteur" });
    resumeAction.bloc.querySelector(".ff-aide").append(" ", compteur);
    function compter() {
      compteur.textContent = "Vous en avez écrit " + longueur(resumeAction.controle.value.trim()) + ".";
    }
    resumeAction.controle.addEventListener("input", compter);
    form.compterResume = compter;

    form.append(el("fieldset", { classe: "ff-groupe", id: "ff-essentiel" },
      el("legend", {}, "L'essentiel"), titre.bloc, blocId, nom.bloc, blocType, resumeAction.bloc));

    // -- the criteria, grouped by dimension; the questions of a criterion follow its box
    form.append(construireCriteres());

    // -- everything else, optional, in sections closed until opened
    form.append(el("h3", { classe: "ff-facultatif" }, "Pour une fiche plus complète"));
    form.append(construireFacultatif());

    // -- the publication: the licence and personal data
    var licence = D.licences[MAJ && base.licence ? base.licence : D.licence];
    var accord = el("input", { type: "checkbox", id: "ff-accord", name: "accord", required: true });
    var erreurAccord = erreurEl("ff-accord");
    var groupeAccord = el("fieldset", { classe: "ff-groupe", id: "ff-publication",
      "aria-describedby": "ff-publication-aide" },
    el("legend", {}, "La publication ", mention(true)),
    el("p", { id: "ff-publication-aide", classe: "ff-aide" },
      "La fiche sera publiée sur le site et dans le rapport, sous licence ",
      el("a", { href: licence.url, rel: "license" }, licence.nom),
      " : tout le monde pourra la lire, la copier et la réutiliser en citant la source. L'équipe du " +
      "référentiel la relit avant de la publier."),
    erreurAccord,
    el("div", { classe: "ff-case" }, accord, el("label", { for: "ff-accord" },
      "J'accepte cette publication pour ma structure, et la fiche ne contient aucune donnée personnelle " +
      "de participants (ni nom de famille, ni adresse ; des prénoms ou des rôles seulement).")));
    decrire(enregistrer({
      controle: accord, cible: accord, groupe: groupeAccord, libelle: "Publication", erreur: erreurAccord,
      aide: "ff-publication-aide", actif: toujours,
      verifier: function () {
        return accord.checked ? null : "cochez la case pour accepter la publication de la fiche.";
      },
    }));
    form.append(groupeAccord);

    form.append(el("div", { classe: "ff-envoi" },
      el("button", { type: "submit", id: "ff-verifier", classe: "md-button md-button--primary" },
        "Vérifier et voir l'aperçu"),
      el("p", { classe: "ff-aide" }, "La vérification ne transmet rien : elle signale ce qui manque encore, " +
        "puis montre la fiche telle qu'elle paraîtra sur le site.")));
    return form;
  }

  /** An update: who makes it and what changed (the new line of the fiche's history). */
  function construireMaj() {
    var auteur = champTexte({
      id: "ff-maj-auteur", libelle: "Qui fait cette mise à jour ?", obligatoire: true,
      aide: "Votre structure, ou votre nom et votre structure.",
      verifier: function (v) {
        return verifierTexte(v, C["historique[].auteur"], "écrivez qui fait cette mise à jour.");
      },
    });
    var modification = champTexte({
      id: "ff-maj-modification", libelle: "Ce qui a changé", obligatoire: true,
      aide: "En une phrase, par exemple « Valeurs de l'année 2016 » ou « Nouvel atelier le samedi ». " +
        "Elle s'ajoute à l'historique de la fiche.",
      verifier: function (v) {
        return verifierTexte(v, C["historique[].modification"], "dites en une phrase ce qui a changé.");
      },
    });
    form.append(el("fieldset", { classe: "ff-groupe", id: "ff-maj" },
      el("legend", {}, "Cette mise à jour"), auteur.bloc, modification.bloc));
  }

  // Links to the checked criteria, above the list: a long fiche (an update) is reached without
  // tabbing through every question before.
  var raccourcis = el("nav", { classe: "ff-raccourcis", id: "ff-raccourcis", "aria-label": "Critères cochés", hidden: true });

  function majRaccourcis() {
    var coches = Object.keys(CRITERES).filter(function (cid) { return coche("ff-c-" + cle(cid)); });
    raccourcis.textContent = "";
    raccourcis.hidden = coches.length < 2;
    if (raccourcis.hidden) {
      return;
    }
    raccourcis.append("Aller au critère : ");
    coches.forEach(function (cid, n) {
      var lienCritere = el("a", { href: "#ff-c-" + cle(cid) }, cid);
      lienCritere.addEventListener("click", function (e) {
        e.preventDefault();
        var boite = document.getElementById("ff-c-" + cle(cid));
        boite.focus();
        boite.closest(".ff-critere").scrollIntoView({ block: "start" });
      });
      raccourcis.append(n ? ", " : "", lienCritere);
    });
    raccourcis.append(".");
  }

  function construireCriteres() {
    var erreurCriteres = erreurEl("ff-criteres");
    var groupeCriteres = el("fieldset", { id: "ff-criteres", classe: "ff-groupe" },
      el("legend", {}, "Les critères servis par votre action ", mention(true, "(obligatoire : au moins un)")),
      el("p", { id: "ff-criteres-aide", classe: "ff-aide" },
        "Cochez chaque critère du référentiel auquel votre action contribue. Les questions d'un critère " +
        "apparaissent juste sous sa case : ce que vous avez constaté, puis au moins un indicateur et sa valeur."),
      erreurCriteres, raccourcis);
    var cases = [];
    var chCriteres = enregistrer({
      groupe: groupeCriteres, libelle: "Critères", erreur: erreurCriteres, aide: "ff-criteres-aide",
      actif: toujours,
      verifier: function () {
        var n = cases.filter(function (c) { return c.checked; }).length;
        if (n < (C.contributions.minItems || 1)) {
          return "cochez au moins un critère servi par votre action.";
        }
        if (C.contributions.maxItems && n > C.contributions.maxItems) {
          return "trop de critères : " + n + " pour " + C.contributions.maxItems + " au plus.";
        }
        return null;
      },
    });
    decrire(chCriteres);
    D.dimensions.forEach(function (d) {
      var groupeDim = el("fieldset", { classe: "ff-dimension" }, el("legend", {}, "Dimension " + d.id + " · " + d.titre));
      d.criteres.forEach(function (c) {
        var k = cle(c.id);
        var caseCritere = el("input", { type: "checkbox", id: "ff-c-" + k, name: "criteres", value: c.id,
          "aria-controls": "ff-details-" + k });
        cases.push(caseCritere);
        chCriteres.cible = chCriteres.cible || caseCritere;
        var details = construireCritere(c, caseCritere);
        caseCritere.addEventListener("change", function () {
          synchroniser();
          if (chCriteres.affiche) {
            verifierChamp(chCriteres);
          }
        });
        groupeDim.append(el("div", { classe: "ff-critere" },
          el("div", { classe: "ff-case" }, caseCritere,
            el("label", { for: "ff-c-" + k }, el("strong", {}, c.id), " · " + c.titre)),
          details));
      });
      groupeCriteres.append(groupeDim);
    });
    return groupeCriteres;
  }

  /** Shows the questions of each checked criterion and indicator. */
  function synchroniser() {
    Object.keys(CRITERES).forEach(function (cid) {
      var k = cle(cid);
      var oui = coche("ff-c-" + k);
      document.getElementById("ff-details-" + k).hidden = !oui;
      CRITERES[cid].indicateurs.forEach(function (i) {
        var ki = cle(i.id);
        var ind = coche("ff-i-" + ki);
        document.getElementById("ff-idetails-" + ki).hidden = !ind;
      });
    });
    if (form && form.compterResume) {
      form.compterResume();
    }
    majRaccourcis();
    compte();
  }

  /** The questions of one criterion: constats, then its indicators. */
  function construireCritere(c, caseCritere) {
    var k = cle(c.id);
    function actif() {
      return caseCritere.checked;
    }
    var constats = champTexte({
      id: "ff-constats-" + k, libelle: "Ce que vous avez constaté pour le critère " + c.id, obligatoire: true,
      libelleCourt: "Constats du critère " + c.id, lignes: 4, actif: actif,
      aide: "Avec vos mots : ce que vous avez observé chez les participants ou autour de l'action. " +
        "Laissez une ligne vide entre deux paragraphes.",
      verifier: function (v) {
        return verifierTexte(v, C["contributions[].constats"],
          "écrivez ce que vous avez constaté pour le critère " + c.id + ".");
      },
    });
    var idGroupe = "ff-indicateurs-" + k;
    var erreur = erreurEl(idGroupe);
    var groupe = el("fieldset", { id: idGroupe, classe: "ff-groupe ff-indicateurs" },
      el("legend", {}, "Indicateurs du critère " + c.id + " que vous renseignez ", mention(true, "(au moins un)")),
      el("p", { id: idGroupe + "-aide", classe: "ff-aide" },
        "Cochez un indicateur pour écrire ce que vous avez observé ou mesuré."),
      erreur);
    var casesInd = [];
    var ch = enregistrer({
      groupe: groupe, libelle: "Indicateurs du critère " + c.id, erreur: erreur, aide: idGroupe + "-aide", actif: actif,
      verifier: function () {
        var n = casesInd.filter(function (x) { return x.checked; }).length;
        var regle = C["contributions[].indicateurs"];
        if (n < (regle.minItems || 1)) {
          return "cochez au moins un indicateur du critère " + c.id + " et écrivez sa valeur.";
        }
        if (regle.maxItems && n > regle.maxItems) {
          return "trop d'indicateurs : " + n + " pour " + regle.maxItems + " au plus.";
        }
        return null;
      },
    });
    decrire(ch);
    c.indicateurs.forEach(function (i) {
      var ki = cle(i.id);
      var caseInd = el("input", { type: "checkbox", id: "ff-i-" + ki, name: "indicateurs-" + k, value: i.id,
        "aria-controls": "ff-idetails-" + ki });
      casesInd.push(caseInd);
      ch.cible = ch.cible || caseInd;
      function actifInd() {
        return caseCritere.checked && caseInd.checked;
      }
      var valeur = champTexte({
        id: "ff-valeur-" + ki, libelle: "Valeur observée pour " + i.id, obligatoire: true,
        libelleCourt: "Valeur de l'indicateur " + i.id, actif: actifInd,
        aide: "Ce que vous avez observé ou mesuré, par exemple « 12 participants sur l'année ».",
        verifier: function (v) {
          return verifierTexte(v, C["contributions[].indicateurs[].valeur"],
            "écrivez la valeur observée pour l'indicateur " + i.id + ".");
        },
      });
      var src = champTexte({
        id: "ff-source-" + ki, libelle: "D'où vient cette valeur", libelleCourt: "Source de l'indicateur " + i.id,
        actif: actifInd,
        aide: "Feuilles d'émargement, questionnaire, entretiens…",
        verifier: function (v) {
          return v ? verifierTexte(v, C["contributions[].indicateurs[].source"], null) : null;
        },
      });
      var commentaire = champTexte({
        id: "ff-commentaire-" + ki, libelle: "Précision sur cette valeur", lignes: 2,
        libelleCourt: "Précision de l'indicateur " + i.id, actif: actifInd,
        aide: "Une remarque sur la mesure, si besoin.",
        verifier: function (v) {
          return v ? verifierTexte(v, C["contributions[].indicateurs[].commentaire"], null) : null;
        },
      });
      var details = el("div", { classe: "ff-details", id: "ff-idetails-" + ki, hidden: true },
        valeur.bloc, src.bloc, commentaire.bloc);
      caseInd.addEventListener("change", function () {
        synchroniser();
        if (ch.affiche) {
          verifierChamp(ch);
        }
      });
      groupe.append(el("div", { classe: "ff-indicateur" },
        el("div", { classe: "ff-case" }, caseInd,
          el("label", { for: "ff-i-" + ki }, el("strong", {}, i.id), " · " + i.libelle + " ",
            el("span", { classe: "ref-type ref-type--" + i.type }, i.type_libelle),
            i.retrait ? " " : null, i.retrait ? el("span", { classe: "ref-retire" }, i.retrait) : null)),
        details));
    });
    var lien = c.url ? el("p", { classe: "ff-aide" },
      el("a", { href: c.url, target: "_blank", rel: "noopener" },
        "Lire la description du critère " + c.id + " (s'ouvre dans un nouvel onglet)")) : null;
    return el("div", { classe: "ff-details", id: "ff-details-" + k, hidden: true }, lien, constats.bloc, groupe);
  }

  function construireFacultatif() {
    var morceaux = [];
    function texteLong(id, libelle, chemin, aide, lignes) {
      return champTexte({
        id: id, libelle: libelle, lignes: lignes || 4, aide: aide,
        verifier: function (v) { return v ? verifierTexte(v, C[chemin], null) : null; },
      });
    }
    function texteCourt(id, libelle, chemin, aide, autocomplete) {
      return champTexte({
        id: id, libelle: libelle, aide: aide, autocomplete: autocomplete,
        verifier: function (v) { return v ? verifierTexte(v, C[chemin], null) : null; },
      });
    }
    function liste(id, libelle, chemin, aide) {
      return champTexte({
        id: id, libelle: libelle, lignes: 3, aide: aide + " Une par ligne.",
        verifier: function (v) { return verifierListe(v, chemin); },
      });
    }
    function date(id, libelle, chemin, aide) {
      return champTexte({
        id: id, libelle: libelle, aide: aide, normaliser: normaliserDate, inputmode: "numeric",
        verifier: function (v) { return verifierDate(normaliserDate(v), C[chemin]); },
      });
    }

    // The structure
    var ville = texteCourt("ff-ville", "Commune", "acteur.ville", "Là où se déroule l'action, par exemple « Brest ».",
      "address-level2");
    var site = champTexte({
      id: "ff-site", libelle: "Site web de la structure", autocomplete: "url", spellcheck: false, inputmode: "url",
      aide: "Son adresse, par exemple « www.exemple.org ».", normaliser: normaliserLien,
      verifier: function (v) { return verifierLien(normaliserLien(v), C["acteur.site"]); },
    });
    var presentation = texteLong("ff-presentation", "Présentation de la structure", "acteur.presentation",
      "Qui vous êtes, en quelques phrases.");
    morceaux.push(section("ff-section-structure", "La structure", "Commune, site web, présentation.",
      [ville.bloc, site.bloc, presentation.bloc],
      function () { return nonVides(["ff-ville", "ff-site", "ff-presentation"]); }));

    // The action in detail
    var description = texteLong("ff-description", "Description du projet", "action.description",
      "Les activités, leur déroulement.", 5);
    var moyens = texteLong("ff-moyens", "Moyens mis en œuvre", "action.moyens",
      "Personnes, matériel, lieux, financements.");
    var enjeux = texteLong("ff-enjeux", "Enjeux et objectifs", "action.enjeux",
      "Ce que la structure cherche à faire avec cette action.");
    var debut = date("ff-debut", "Début de l'action", "action.debut", "Une année (2014), un mois (04/2014) ou un jour.");
    var fin = date("ff-fin", "Fin de l'action", "action.fin", "Seulement si elle est terminée.");
    morceaux.push(section("ff-section-action", "L'action en détail", "Description, moyens, enjeux, dates.",
      [description.bloc, moyens.bloc, enjeux.bloc, debut.bloc, fin.bloc],
      function () { return nonVides(["ff-description", "ff-moyens", "ff-enjeux", "ff-debut", "ff-fin"]); }));

    // The publics, places and partners
    var contenuPublics = [];
    if (D.categories_publics.length) {
      var groupePublics = el("fieldset", { id: "ff-publics-categories", classe: "ff-groupe",
        "aria-describedby": "ff-publics-aide" },
      el("legend", {}, "Les publics auxquels l'action s'adresse spécifiquement ", mention(false)),
      el("p", { id: "ff-publics-aide", classe: "ff-aide" },
        "La liste du schéma national des lieux de médiation numérique. Ne cochez rien si l'action est " +
        "ouverte à tous."));
      D.categories_publics.forEach(function (p) {
        var id = "ff-p-" + p.id;
        groupePublics.append(el("div", { classe: "ff-case" },
          el("input", { type: "checkbox", id: id, name: "categories_publics", value: p.id }),
          el("label", { for: id }, p.libelle)));
      });
      contenuPublics.push(groupePublics);
    }
    var publics = liste("ff-publics", "Les publics, avec vos mots", "action.publics",
      "Par exemple « Retraités du quartier ».");
    var lieux = liste("ff-lieux", "Lieux de l'action", "action.lieux", "Par exemple « Maison de quartier de Bellevue ».");
    var partenaires = liste("ff-partenaires", "Partenaires", "action.partenaires", "Par exemple « Médiathèque de Brest ».");
    contenuPublics.push(publics.bloc, lieux.bloc, partenaires.bloc);
    morceaux.push(section("ff-section-publics", "Les publics, les lieux et les partenaires",
      "Les catégories de publics, vos publics avec vos mots, les lieux, les partenaires.", contenuPublics,
      function () {
        return nonVides(["ff-publics", "ff-lieux", "ff-partenaires"]) +
          D.categories_publics.filter(function (p) { return coche("ff-p-" + p.id); }).length;
      }));

    // The evaluation
    var periode = texteCourt("ff-periode", "Période évaluée", "evaluation.periode", "Par exemple « année 2015 ».");
    var methode = texteLong("ff-methode", "Comment les constats ont été recueillis", "evaluation.methode",
      "Questionnaires, entretiens, feuilles d'émargement, observation…");
    morceaux.push(section("ff-section-evaluation", "L'évaluation", "La période et la méthode.",
      [periode.bloc, methode.bloc], function () { return nonVides(["ff-periode", "ff-methode"]); }));

    // Testimonies
    var detailsTem = null;
    temoignages = groupeRepete({
      nom: "temoignage", singulier: "Témoignage", article: "le témoignage", ajouter: "Ajouter un témoignage",
      retire: "Témoignage retiré", max: C.temoignages.maxItems || 20,
      champs: [
        { cle: "texte", libelle: "Ce qui a été dit", lignes: 3, obligatoire: true,
          aide: "Les mots d'un participant ou d'un partenaire, avec son accord.",
          verifier: function (v) { return verifierTexte(v, C["temoignages[].texte"], "écrivez le témoignage, ou retirez-le."); } },
        { cle: "auteur", libelle: "Qui parle",
          aide: "Sans nom de famille, par exemple « une participante ».",
          verifier: function (v) { return v ? verifierTexte(v, C["temoignages[].auteur"], null) : null; } },
      ],
    });
    detailsTem = section("ff-section-temoignages", "Témoignages", "Des paroles de participants ou de partenaires.",
      [temoignages.bloc], function () { return temoignages.nombre(); });
    morceaux.push(detailsTem);

    // Sources
    documents = groupeRepete({
      nom: "doc", singulier: "Source", article: "la source", ajouter: "Ajouter une source",
      retire: "Source retirée", max: C.sources.maxItems || 30,
      champs: [
        { cle: "titre", libelle: "Titre du document ou de la page", obligatoire: true,
          aide: "Par exemple « Bilan d'activité 2015 de l'association ».",
          verifier: function (v) { return verifierTexte(v, C["sources[].titre"], "écrivez le titre de la source, ou retirez-la."); } },
        { cle: "url", libelle: "Adresse web", aide: "S'il est en ligne, par exemple « www.exemple.org/bilan.pdf ».",
          normaliser: normaliserLien, spellcheck: false, inputmode: "url",
          verifier: function (v) { return verifierLien(normaliserLien(v), C["sources[].url"]); } },
        { cle: "date", libelle: "Date", aide: "Une année, un mois (03/2016) ou un jour.",
          normaliser: normaliserDate, inputmode: "numeric",
          verifier: function (v) { return verifierDate(normaliserDate(v), C["sources[].date"]); } },
      ],
    });
    morceaux.push(section("ff-section-sources", "Sources", "Les documents d'où viennent les informations de la fiche.",
      [documents.bloc], function () { return documents.nombre(); }));

    // The fields of each section know it: an error there opens it.
    sections.forEach(function (s) {
      s.details.querySelectorAll("input, textarea, select").forEach(function (c) {
        champs.forEach(function (ch) {
          if (ch.controle === c) {
            ch.details = s.details;
          }
        });
      });
    });
    temoignages.details = detailsTem;
    documents.details = morceaux[morceaux.length - 1];
    return el("div", { classe: "ff-sections" }, morceaux);
  }

  // ------------------------------------------------------------------
  // The preview: the fiche as its page shows it, with the site's rules
  // (text as text, never HTML; links only where R.lien allows them)

  /** Contributed Markdown -> DOM nodes: paragraphs, lists, quotes, emphasis, code, links. */
  function markdown(texte) {
    var out = [];
    var blocs = texte.replace(/\r\n?/g, "\n").split(/\n[ \t]*\n/);
    blocs.forEach(function (b) {
      if (!b.trim()) {
        return;
      }
      var lignes = b.split("\n");
      var premiere = lignes[0];
      if (/^ {0,3}>/.test(premiere)) {
        out.push(el("blockquote", {}, markdown(lignes.map(function (l) { return l.replace(/^ {0,3}> ?/, ""); }).join("\n"))));
      } else if (/^ {0,3}([-*+]|[0-9]{1,9}[.)])[ \t]+/.test(premiere)) {
        var ordonnee = /^ {0,3}[0-9]/.test(premiere);
        var liste_ = el(ordonnee ? "ol" : "ul", {});
        var courant = null;
        lignes.forEach(function (l) {
          var m = /^ {0,3}(?:[-*+]|[0-9]{1,9}[.)])[ \t]+(.*)$/.exec(l);
          if (m) {
            courant = [m[1]];
            liste_.append(el("li", {}));
            liste_.lastChild.texte = courant;
          } else if (courant) {
            courant.push(l.trim());
          }
        });
        Array.from(liste_.children).forEach(function (li) {
          li.append.apply(li, enLigne(li.texte.join(" ")));
        });
        out.push(liste_);
      } else if (/^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/.test(premiere) && lignes.length === 1) {
        out.push(el("hr", {}));
      } else if (/^ {0,3}#{1,6}[ \t]/.test(premiere)) {
        // Contributed headings would break the page's outline: a paragraph (as the site does).
        out.push(el("p", { classe: "intertitre" }, enLigne(lignes.join(" ").replace(/^ {0,3}#{1,6}[ \t]+|[ \t]+#*$/g, ""))));
      } else {
        out.push(el("p", {}, enLigne(lignes.map(function (l) { return l.trim(); }).join(" "))));
      }
    });
    return out;
  }

  /** Inline Markdown -> DOM nodes (text nodes: whatever the text holds, it is not HTML). */
  function enLigne(s) {
    var out = [];
    var texte = "";
    function pousser(n) {
      if (texte) {
        out.push(document.createTextNode(texte));
        texte = "";
      }
      out.push(n);
    }
    var i = 0;
    while (i < s.length) {
      var c = s.charAt(i);
      var reste = s.slice(i);
      var m;
      if (c === "\\" && /[\\`*_{}[\]()#+\-.!<>]/.test(s.charAt(i + 1))) {
        texte += s.charAt(i + 1);
        i += 2;
      } else if (c === "`" && (m = /^(`+)([\s\S]*?[^`])\1(?!`)/.exec(reste))) {
        pousser(el("code", {}, m[2].trim()));
        i += m[0].length;
      } else if (c === "!" && (m = /^!\[([^\]]*)\]\(([^)]*)\)/.exec(reste))) {
        pousser(el("span", {}, m[1]));  // no images: their text (as the site does)
        i += m[0].length;
      } else if (c === "[" && (m = /^\[((?:[^[\]]|\[[^[\]]*\])*)\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/.exec(reste))) {
        pousser(lien(m[2], enLigne(m[1])));
        i += m[0].length;
      } else if (c === "<" && (m = /^<([A-Za-z][A-Za-z0-9+.-]*:\/\/[^<>\s]*)>/.exec(reste))) {
        pousser(lien(m[1], [m[1]]));
        i += m[0].length;
      } else if (c === "<" && (m = /^<(?:mailto:)?([^<> !]+@[^<> !]+)>/i.exec(reste))) {
        pousser(lien("mailto:" + m[1], [m[1]]));
        i += m[0].length;
      } else if ((c === "*" || c === "_") && (m = new RegExp("^(\\" + c + "\\" + c + ")(?=\\S)([\\s\\S]*?\\S)\\1").exec(reste))) {
        pousser(el("strong", {}, enLigne(m[2])));
        i += m[0].length;
      } else if ((c === "*" || c === "_") && (m = new RegExp("^\\" + c + "(?=\\S)([\\s\\S]*?\\S)\\" + c + (c === "_" ? "(?![A-Za-z0-9])" : "")).exec(reste)) &&
                 (c === "*" || i === 0 || !/[A-Za-z0-9]/.test(s.charAt(i - 1)))) {
        pousser(el("em", {}, enLigne(m[1])));
        i += m[0].length;
      } else {
        texte += c;
        i++;
      }
    }
    if (texte) {
      out.push(document.createTextNode(texte));
    }
    return out;
  }

  /** A link, if the site's rule (R.lien) allows its target; its text otherwise. */
  function lien(cible, contenu) {
    if (MOTIF_LIEN.test(cible) && longueur(cible) <= C.lien.maxLength) {
      return el("a", { href: cible, rel: "nofollow noopener" }, contenu);
    }
    return el("span", {}, contenu);
  }

  /** As referentiel.render.md_ligne: one paragraph in a table cell loses its <p>. */
  function enCellule(noeuds) {
    if (noeuds.length === 1 && noeuds[0].tagName === "P") {
      return Array.from(noeuds[0].childNodes);
    }
    return noeuds;
  }

  function periodeFr(debut, fin) {
    if (debut && fin) {
      return "de " + dateFr(debut) + " à " + dateFr(fin);
    }
    if (debut) {
      return "depuis " + dateFr(debut);
    }
    if (fin) {
      return "jusqu'en " + dateFr(fin);
    }
    return "";
  }

  function listeSimple(items) {
    return el("ul", {}, items.map(function (x) { return el("li", {}, x); }));
  }

  function tableau(legende, entetes, lignes) {
    return el("div", { classe: "ref-tableau" }, el("table", {},
      el("caption", {}, legende),
      el("thead", {}, el("tr", {}, entetes.map(function (e) { return el("th", { scope: "col" }, e); }))),
      el("tbody", {}, lignes.map(function (cellules) {
        return el("tr", {}, cellules.map(function (x, n) { return el("td", { "data-label": entetes[n] }, x); }));
      }))));
  }

  /** The fiche as its page on the site shows it (src/referentiel/pages/fiche.py), headings one level down. */
  function rendreFiche(f) {
    var ac = f.acteur;
    var act = f.action;
    var out = [el("h3", { classe: "ff-fiche__titre" }, f.titre || "(sans titre)")];
    var ident = [["Acteur", ac.nom], ["Type de structure", (D.types_acteur.filter(function (t) {
      return t.id === ac.type;
    })[0] || {}).libelle || ""]];
    if (ac.ville) {
      ident.push(["Commune", ac.ville]);
    }
    if (ac.site) {
      ident.push(["Site web", lien(ac.site, [ac.site])]);
    }
    var periode = periodeFr(act.debut, act.fin);
    if (periode) {
      ident.push(["Période de l'action", periode]);
    }
    if (act.lieux) {
      ident.push(["Lieux", listeSimple(act.lieux)]);
    }
    if (act.categories_publics) {
      ident.push(["Catégories de publics", D.categories_publics.filter(function (p) {
        return act.categories_publics.indexOf(p.id) >= 0;
      }).map(function (p) { return p.libelle; }).join(", ")]);
    }
    if (act.publics) {
      ident.push(["Publics", listeSimple(act.publics)]);
    }
    if (act.partenaires) {
      ident.push(["Partenaires", listeSimple(act.partenaires)]);
    }
    var dims = [];
    f.contributions.forEach(function (c) {
      var d = CRITERES[c.critere].dimension.titre;
      if (dims.indexOf(d) < 0) {
        dims.push(d);
      }
    });
    if (dims.length) {
      ident.push(["Dimensions", dims.join(", ")]);
    }
    ident.push(["Statut", D.statuts[f.statut] || f.statut]);
    ident.push(["Mise à jour", dateFr(f.mise_a_jour)]);
    out.push(el("dl", { classe: "ref-fiche-id" }, ident.map(function (p) {
      return [el("dt", {}, p[0]), el("dd", {}, p[1])];
    }).reduce(function (x, y) { return x.concat(y); }, [])));
    out.push(el("h4", {}, "Présentation"), markdown(act.resume || ""), ac.presentation ? markdown(ac.presentation) : null);
    [["Description du projet", act.description], ["Moyens mis en œuvre", act.moyens],
      ["Enjeux et objectifs", act.enjeux]].forEach(function (p) {
      if (p[1]) {
        out.push(el("h4", {}, p[0]), markdown(p[1]));
      }
    });
    out.push(el("h4", {}, "Utilité sociale"));
    f.contributions.forEach(function (contrib) {
      var c = CRITERES[contrib.critere];
      out.push(el("h5", {}, c.id + " · " + c.titre),
        el("p", { classe: "ref-meta" }, "Critère " + c.id + " · " + c.titre + " · dimension " + c.dimension.titre),
        markdown(contrib.constats || ""),
        tableau("Indicateurs renseignés pour le critère " + c.id, ["Indicateur", "Type", "Valeur observée", "Source"],
          contrib.indicateurs.map(function (o) {
            var i = INDICATEURS[o.id];
            var valeur = el("div", {}, enCellule(markdown(o.valeur || "")));
            if (o.commentaire) {
              valeur.append(el("div", { classe: "ref-commentaire" }, markdown(o.commentaire)));
            }
            return [i.id + " · " + i.libelle, el("span", { classe: "ref-type ref-type--" + i.type }, i.type_libelle),
              valeur, o.source || "—"];
          })));
    });
    if (f.temoignages.length) {
      out.push(el("h4", {}, "Témoignages"));
      f.temoignages.forEach(function (t) {
        out.push(el("blockquote", {}, markdown(t.texte || ""), t.auteur ? el("footer", {}, "— " + t.auteur) : null));
      });
    }
    var ev = f.evaluation;
    if (ev.periode || ev.methode) {
      out.push(el("h4", {}, "Méthode d'évaluation"));
      if (ev.periode) {
        out.push(el("p", {}, el("strong", {}, "Période évaluée :"), " " + ev.periode));
      }
      if (ev.methode) {
        out.push(markdown(ev.methode));
      }
    }
    if (f.sources.length) {
      out.push(el("h4", {}, "Sources"), el("ul", {}, f.sources.map(function (s) {
        return el("li", {}, s.url ? lien(s.url, [s.titre]) : s.titre, s.date ? " (" + dateFr(s.date) + ")" : null);
      })));
    }
    out.push(el("h4", {}, "Historique de la fiche"), tableau("Historique de la fiche " + (f.titre || ""),
      ["Date", "Par", "Modification"], f.historique.slice().sort(function (x, y) {
        return x.date < y.date ? -1 : x.date > y.date ? 1 : 0;
      }).map(function (h) { return [dateFr(h.date), h.auteur, h.modification]; })));
    var licence = D.licences[f.licence || D.licence];
    out.push(el("h4", {}, "Licence"), el("p", {}, "Cette fiche est publiée sous licence ",
      el("a", { href: licence.url, rel: "license" }, licence.nom), "."));
    return out;
  }

  // ------------------------------------------------------------------
  // Sending: by mail, on GitHub, as a file

  var apercu, corpsApercu, yaml, etat, annonce, lienCourriel, lienGithub, noteLong, objetEl, nomFichier;
  // GitHub, and some mail programs, may refuse addresses longer than this.
  var URL_LONGUE = 8000;
  // Some mail programs cut a mailto: address longer than this (« Votre fiche est longue »).
  var COURRIEL_LONG = 8000;

  /** A paragraph cut at 72 columns (the width of the fiche's lines), for the mail's own text. */
  function couper(texte) {
    var L = D.ecriture.largeur;
    var lignes = [];
    var ligne = "";
    texte.split(" ").forEach(function (mot) {
      if (ligne && longueur(ligne) + 1 + longueur(mot) > L) {
        lignes.push(ligne);
        ligne = mot;
      } else {
        ligne = ligne ? ligne + " " + mot : mot;
      }
    });
    lignes.push(ligne);
    return lignes.join("\n");
  }

  function objet(f) {
    return (MAJ ? "Mise à jour de la fiche : " : "Proposition de fiche : ") + f.titre + (MAJ ? " (" + f.id + ")" : "");
  }

  function corpsCourriel(f, texte) {
    return [
      "Bonjour,",
      "",
      couper((MAJ ? "Voici la mise à jour de la fiche « " : "Voici la fiche « ") + f.titre + " » (" +
        f.acteur.nom + ") pour le référentiel de l'utilité sociale de la médiation numérique, écrite avec " +
        "le formulaire « Proposer une fiche » du site."),
      "",
      couper("Pour l'équipe du référentiel : la fiche est entre les deux lignes ci-dessous. La commande " +
        "« referentiel importer" + (MAJ ? " --remplacer" : "") + " » la lit dans ce message, même cité " +
        "ou transféré."),
      "",
      E.debut,
      texte.replace(/\n$/, ""),
      E.fin,
      "",
    ].join("\n");
  }

  function construireResultat() {
    apercu = el("section", { id: "ff-apercu", classe: "ff-apercu", "aria-labelledby": "ff-titre-apercu", hidden: true },
      el("h2", { id: "ff-titre-apercu", tabindex: "-1" }, "Aperçu de votre fiche"),
      el("p", { classe: "ff-ecran" }, "Tout est juste ? ", el("a", { href: "#ff-titre-envoi", id: "ff-vers-envoi" },
        "Passez à l'envoi"), ". Sinon, corrigez vos réponses plus haut : l'aperçu suit."),
      el("p", { classe: "ff-aide ff-ecran" }, "Voici la fiche telle qu'elle paraîtra sur le site, avec ses " +
        "règles : le texte s'affiche tel quel, seuls les liens https://, http:// et mailto: sont actifs. " +
        "La mise en page finale peut différer un peu."),
      el("p", { classe: "ff-ecran" }, el("button", { type: "button", id: "ff-imprimer", classe: "md-button" },
        "Imprimer l'aperçu")));
    corpsApercu = el("div", { classe: "ff-fiche", id: "ff-fiche" });
    apercu.append(corpsApercu);

    yaml = el("textarea", {
      id: "ff-yaml", readonly: true, rows: 18, spellcheck: "false", "aria-describedby": "ff-yaml-aide",
      classe: "ff-yaml",
    });
    etat = el("p", { id: "ff-etat", classe: "ff-etat", tabindex: "-1" });
    annonce = el("p", { id: "ff-annonce", classe: "ff-annonce", role: "status", "aria-live": "polite" });
    nomFichier = el("code", { id: "ff-nom-fichier" });
    function equipe() {
      return E.courriel ? el("a", { href: "mailto:" + E.courriel }, E.courriel) : "l'équipe du référentiel";
    }

    // The announcements (sent, downloaded, copied) right under the state line, in sight of the buttons.
    var envoi = el("section", { id: "ff-envoi", classe: "ff-resultat", "aria-labelledby": "ff-titre-envoi" },
      el("h2", { id: "ff-titre-envoi" }, "Envoyer la fiche"), etat, annonce);

    if (E.courriel) {
      lienCourriel = el("a", { id: "ff-courriel", classe: "md-button md-button--primary", href: "mailto:" + E.courriel,
        "aria-describedby": "ff-courriel-aide" }, "Envoyer par courriel");
      objetEl = el("span", { id: "ff-objet" });
      noteLong = el("p", { id: "ff-courriel-long", classe: "ff-note", hidden: true },
        "Votre fiche est longue : certaines messageries raccourcissent un message aussi long. Vérifiez que " +
        "le message se termine bien par la ligne « " + E.fin + " » ; sinon, copiez le message avec le bouton " +
        "ci-dessous, ou joignez le fichier téléchargé à votre courriel.");
      envoi.append(el("h3", {}, "Par courriel, sans compte"),
        el("p", { id: "ff-courriel-aide" }, "Votre messagerie s'ouvre avec un message prêt, adressé à ", equipe(),
          " : vérifiez-le, puis envoyez-le. L'équipe du référentiel relit chaque fiche avant de la publier " +
          "et vous répond à l'adresse d'où vous écrivez."),
        el("div", { classe: "ff-actions" }, lienCourriel,
          el("button", { type: "button", id: "ff-copier-message", classe: "md-button" }, "Copier le message")),
        el("p", { classe: "ff-aide" }, "Rien ne s'ouvre, ou vous écrivez depuis une messagerie en ligne ? " +
          "Copiez le message, puis collez-le dans un nouveau courriel à ", el("strong", {}, E.courriel),
        ", avec pour objet « ", objetEl, " ». Le message se termine par la ligne « " + E.fin + " » : si elle " +
        "manque, il a été coupé."),
        noteLong);
    }
    if (D.repo_url) {
      lienGithub = el("a", {
        id: "ff-github", classe: "md-button", href: D.repo_url, target: "_blank", rel: "noopener",
        "aria-describedby": "ff-github-aide",
      }, MAJ ? "Ouvrir la fiche sur GitHub" : "Ouvrir sur GitHub");
      envoi.append(el("h3", {}, "Sur GitHub, avec un compte"),
        el("div", { classe: "ff-actions" }, lienGithub),
        el("p", { id: "ff-github-aide", classe: "ff-aide" },
          MAJ ? "La page GitHub de la fiche s'ouvre, prête à être modifiée, dans un nouvel onglet. Copiez le " +
            "fichier (bouton « Copier le fichier » plus bas), puis, dans GitHub, remplacez tout le texte par " +
            "le vôtre (Ctrl+A puis Ctrl+V) et suivez les boutons de GitHub pour proposer la modification."
            : "La page GitHub s'ouvre dans un nouvel onglet, avec le nom et le contenu du fichier déjà remplis. " +
            "Il vous faut un compte GitHub (gratuit). Suivez ensuite les boutons de GitHub pour proposer " +
            "la fiche : l'équipe du référentiel la relira avant de la publier.",
          el("span", { id: "ff-github-long", hidden: true }, " Votre fiche est longue : si la page GitHub " +
            "s'ouvre vide ou en erreur, téléchargez le fichier, puis, dans le dossier data/fiches du dépôt " +
            "sur GitHub, choisissez « Add file » puis « Upload files »."),
          D.ticket_url ? el("span", {}, " Vous préférez décrire votre action avec vos mots ? ",
            el("a", { href: D.ticket_url, target: "_blank", rel: "noopener" },
              "Ouvrez un ticket « Proposer une fiche » (nouvel onglet)"), ".") : null));
    }
    envoi.append(el("h3", {}, "Le fichier de la fiche"),
      el("p", {}, "Nom du fichier : ", nomFichier, ". Gardez-le pour la prochaine mise à jour, ou envoyez-le en " +
        "pièce jointe à ", equipe(), "."),
      el("div", { classe: "ff-actions" },
        el("button", { type: "button", id: "ff-telecharger", classe: "md-button" }, "Télécharger le fichier")),
      el("details", { classe: "ff-technique", id: "ff-technique" },
        el("summary", {}, "Voir le fichier technique (YAML)"),
        el("div", { classe: "ff-champ" },
          el("label", { for: "ff-yaml" }, "Fichier YAML produit"),
          el("p", { id: "ff-yaml-aide", classe: "ff-aide" },
            "Mis à jour à chaque saisie. On ne peut pas le modifier ici : changez plutôt vos réponses " +
            "dans le formulaire."),
          yaml),
        el("div", { classe: "ff-actions" },
          el("button", { type: "button", id: "ff-copier", classe: "md-button" }, "Copier le fichier"))));

    envoi.querySelector("#ff-telecharger").addEventListener("click", telecharger);
    envoi.querySelector("#ff-copier").addEventListener("click", function () {
      copier(yaml.value, "Fichier copié : collez-le où vous voulez (Ctrl+V, ou Cmd+V sur Mac).");
    });
    apercu.querySelector("#ff-imprimer").addEventListener("click", imprimer);
    if (lienCourriel) {
      lienCourriel.addEventListener("click", function (e) {
        if (!pret()) {
          e.preventDefault();
          return;
        }
        annoncer("Votre messagerie s'ouvre avec le message prêt : vérifiez-le, puis envoyez-le. Rien ne " +
          "s'est ouvert ? Utilisez « Copier le message ».");
      });
      envoi.querySelector("#ff-copier-message").addEventListener("click", function () {
        if (pret()) {
          var f = lire();
          copier(corpsCourriel(f, texteFiche(f)), "Message copié : collez-le dans un nouveau courriel à " +
            E.courriel + " (Ctrl+V, ou Cmd+V sur Mac).");
        }
      });
    }
    if (lienGithub) {
      lienGithub.addEventListener("click", function (e) {
        if (!pret()) {
          e.preventDefault();
        }
      });
    }
    return [apercu, envoi];
  }

  function annoncer(texte) {
    // Emptied first so that the same message is announced again.
    annonce.textContent = "";
    window.setTimeout(function () {
      annonce.textContent = texte;
    }, 50);
  }

  /** Refreshes the file, the state line, the links, the preview, and saves the draft. */
  function mettreAJour() {
    var f = lire();
    var texte = texteFiche(f);
    yaml.value = texte;
    var nom = (f.id || "ma-fiche") + ".yaml";
    nomFichier.textContent = nom;
    var n = problemes(false).length;
    etat.textContent = "";
    if (n === 0) {
      etat.className = "ff-etat ff-etat--ok";
      etat.append(el("strong", {}, "Fiche complète. "), "Vous pouvez l'envoyer.");
    } else {
      etat.className = "ff-etat ff-etat--incomplet";
      etat.append(el("strong", {}, "Fiche incomplète : " + pluriel(n, "point") + " à compléter. "),
        "Cliquez sur « Vérifier et voir l'aperçu » pour voir lesquels.");
    }
    if (lienCourriel) {
      objetEl.textContent = objet(f);
      // The site's own button, to the contributions address: a subject and a body (RFC 6068, CRLF).
      lienCourriel.href = "mailto:" + E.courriel + "?subject=" + encodeURIComponent(objet(f)) +
        "&body=" + encodeURIComponent(corpsCourriel(f, texte).replace(/\n/g, "\r\n"));
      noteLong.hidden = lienCourriel.href.length <= COURRIEL_LONG;
    }
    if (lienGithub) {
      lienGithub.href = MAJ ? D.repo_url + "/edit/main/data/fiches/" + encodeURIComponent(nom)
        : D.repo_url + "/new/main/data/fiches?filename=" + encodeURIComponent(nom) + "&value=" + encodeURIComponent(texte);
      document.getElementById("ff-github-long").hidden = MAJ || lienGithub.href.length <= URL_LONGUE;
    }
    if (!apercu.hidden) {
      corpsApercu.textContent = "";
      corpsApercu.append.apply(corpsApercu, rendreFiche(f).filter(Boolean).reduce(function (x, y) {
        return x.concat(y);
      }, []));
    }
    compte();
    sauver();
  }

  /** Error summary at the top of the form, with a link to each field. */
  function afficherResume(liste) {
    resume.textContent = "";
    var ul = el("ul", {});
    liste.forEach(function (p) {
      var cible = p.champ.cible;
      var libelle = p.champ.legende ? p.champ.legende.textContent + " : " + p.champ.libelle.toLowerCase()
        : p.champ.libelle;
      var lienErreur = el("a", { href: "#" + cible.id }, libelle + " : " + p.message);
      lienErreur.addEventListener("click", function (e) {
        e.preventDefault();
        if (p.champ.details) {
          p.champ.details.open = true;
        }
        cible.focus();
        (p.champ.groupe || cible.closest(".ff-champ") || cible).scrollIntoView({ block: "start" });
      });
      ul.append(el("li", {}, lienErreur));
    });
    resume.append(el("div", { role: "alert" },
      el("h3", {}, "La fiche n'est pas encore complète"),
      el("p", {}, pluriel(liste.length, "point") + " à corriger. Chaque lien mène au champ concerné :"),
      ul));
    resume.hidden = false;
    resume.focus();
    resume.scrollIntoView({ block: "start" });
  }

  /** Checks everything; shows the problems (opening their sections) or the preview. */
  function pret() {
    var liste = problemes(true);
    liste.forEach(function (p) {
      if (p.champ.details) {
        p.champ.details.open = true;
      }
    });
    if (liste.length) {
      apercu.hidden = true;
      mettreAJour();
      afficherResume(liste);
      return false;
    }
    resume.hidden = true;
    apercu.hidden = false;
    mettreAJour();
    return true;
  }

  /** Printing shows the preview alone (formulaire.css, @media print). */
  function imprimer() {
    window.print();
  }

  function telecharger() {
    if (!pret()) {
      return;
    }
    var f = lire();
    var nom = f.id + ".yaml";
    var blob = new Blob([texteFiche(f)], { type: "application/yaml;charset=utf-8" });
    var url = URL.createObjectURL(blob);
    var lienFichier = el("a", { href: url, download: nom, hidden: true });
    document.body.append(lienFichier);
    lienFichier.click();
    lienFichier.remove();
    window.setTimeout(function () {
      URL.revokeObjectURL(url);
    }, 10000);
    annoncer("Fichier « " + nom + " » téléchargé : il est dans le dossier des téléchargements de votre navigateur.");
  }

  function copier(texte, message) {
    if (!pret()) {
      return;
    }
    function secours() {
      var zone = el("textarea", { readonly: true, classe: "ff-presse-papiers", "aria-hidden": "true", tabindex: "-1" });
      zone.value = texte;
      document.body.append(zone);
      zone.select();
      var ok = false;
      try {
        ok = document.execCommand("copy");
      } catch (e) {
        ok = false;
      }
      zone.remove();
      annoncer(ok ? message : "La copie n'a pas marché : ouvrez « Voir le fichier technique », sélectionnez " +
        "le texte et copiez-le (Ctrl+C, ou Cmd+C sur Mac).");
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(texte).then(function () {
        annoncer(message);
      }, secours);
    } else {
      secours();
    }
  }

  // ------------------------------------------------------------------
  // The draft: kept in this browser only (localStorage), until « Recommencer »

  var CLE_BROUILLON = "referentiel-fiche:" + window.location.pathname + ":" + (MAJ ? "maj:" + idMaj : "nouvelle");
  var brouillonPret = false;
  var bandeau, etatBrouillon;

  function sauver() {
    if (!brouillonPret) {
      return;
    }
    var brouillon = {
      version: 1,
      date: new Date().toISOString(),
      fiche: lire(),
      base: base,
      id_modifie: idModifie,
      accord: coche("ff-accord"),
      maj_auteur: val("ff-maj-auteur"),
      maj_modification: val("ff-maj-modification"),
    };
    try {
      window.localStorage.setItem(CLE_BROUILLON, JSON.stringify(brouillon));
      var d = new Date();
      etatBrouillon.textContent = "Brouillon gardé dans ce navigateur (" + deux(d.getHours()) + " h " +
        deux(d.getMinutes()) + ").";
    } catch (e) {
      etatBrouillon.textContent = "Ce navigateur ne garde pas le brouillon (navigation privée ?) : " +
        "ne fermez pas la page avant d'avoir envoyé la fiche.";
    }
  }

  function lireBrouillon() {
    try {
      var b = JSON.parse(window.localStorage.getItem(CLE_BROUILLON) || "null");
      return b && b.version === 1 && b.fiche ? b : null;
    } catch (e) {
      return null;
    }
  }

  function recommencer() {
    var question = MAJ
      ? "Effacer vos changements et repartir de la fiche publiée ? Ce que vous avez saisi sera perdu."
      : "Effacer tout ce que vous avez saisi et recommencer une fiche vide ? Ce que vous avez saisi sera perdu.";
    if (!window.confirm(question)) {
      return;
    }
    brouillonPret = false;
    try {
      window.localStorage.removeItem(CLE_BROUILLON);
    } catch (e) {
      // nothing kept: nothing to delete
    }
    window.location.reload();
  }

  function construireBandeau() {
    etatBrouillon = el("span", { id: "ff-etat-brouillon" });
    var bouton = el("button", { type: "button", id: "ff-recommencer", classe: "md-button" }, "Recommencer");
    bouton.addEventListener("click", recommencer);
    bandeau = el("div", { classe: "ff-bandeau", id: "ff-bandeau" },
      el("p", { id: "ff-info" }), el("p", {}, etatBrouillon, " ", bouton));
    return bandeau;
  }

  function informer(texte) {
    var p = document.getElementById("ff-info");
    p.textContent = "";
    if (texte) {
      p.append(texte);
    }
    p.hidden = !texte;
  }

  // ------------------------------------------------------------------
  // Coming from « Préparer son évaluation »: its selection, in the address

  /** Ticks the criteria and indicators the address names (known ones only), and
   * fills the title, the actor and the publics where they are still empty.
   * Returns whether anything was taken. The values stay to fill. */
  function prendrePreparation() {
    if (MAJ || !params.get("preparation")) {
      return false;
    }
    function liste(nom) {
      return (params.get(nom) || "").split(",").map(function (x) { return x.trim(); })
        .filter(function (x) { return x; });
    }
    function texte(nom, chemin) {
      return (params.get(nom) || "").replace(/\s+/g, " ").trim().slice(0, C[chemin].maxLength);
    }
    var criteres = liste("criteres").filter(function (c) { return a(CRITERES, c); });
    criteres.forEach(function (c) { cocher("ff-c-" + cle(c), true); });
    liste("indicateurs").forEach(function (i) {
      if (a(INDICATEURS, i) && criteres.indexOf(INDICATEURS[i].critere.id) >= 0) {
        cocher("ff-i-" + cle(i), true);
      }
    });
    var titre = texte("titre", "titre");
    if (titre && !val("ff-titre")) {
      remplir("ff-titre", titre);
      if (!idModifie) {
        remplir("ff-id", slugifier(titre));
      }
    }
    var acteur = texte("acteur", "acteur.nom");
    if (acteur && !val("ff-acteur-nom")) {
      remplir("ff-acteur-nom", acteur);
    }
    liste("publics").forEach(function (p) {
      if (D.categories_publics.some(function (x) { return x.id === p; })) {
        cocher("ff-p-" + p, true);
      }
    });
    synchroniser();
    // Taken once: a reload keeps what the person changed since (the draft).
    params.delete("preparation");
    ["criteres", "indicateurs", "titre", "acteur", "publics"].forEach(function (n) { params.delete(n); });
    var reste = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (reste ? "?" + reste : "") + window.location.hash);
    return criteres.length > 0;
  }

  // ------------------------------------------------------------------
  // Start

  /** An update: the page says so from its title on, not « Proposer une fiche ». */
  function annoncerMiseAJour() {
    var h1 = document.querySelector(".md-content h1");
    if (!h1) {
      return;
    }
    h1.textContent = "Mettre à jour une fiche";
    // The theme's header repeats the page's title once it is scrolled past.
    document.querySelectorAll('[data-md-component="header-topic"] .md-ellipsis').forEach(function (e) {
      e.textContent = "Mettre à jour une fiche";
    });
    document.title = document.title.replace(/^[^|–-]*/, "Mettre à jour la fiche « " + base.titre + " » ");
    h1.after(el("p", { classe: "ff-note ff-maj-annonce", id: "ff-maj-annonce" },
      el("strong", {}, "Fiche « " + base.titre + " »"), " : le formulaire plus bas est rempli avec la fiche " +
      "telle qu'elle est publiée. ", el("a", { href: "#ff-titre-formulaire" }, "Aller au formulaire"), "."));
  }

  function demarrer(publiee) {
    if (MAJ) {
      base = publiee;
    }
    racine.append(construireBandeau(), construireFormulaire());
    construireResultat().forEach(function (x) { racine.append(x); });
    racine.hidden = false;
    var brouillon = lireBrouillon();
    if (brouillon && MAJ && brouillon.base) {
      base = brouillon.base;
    }
    if (MAJ) {
      annoncerMiseAJour();
    }
    if (brouillon) {
      prefiller(brouillon.fiche);
      idModifie = !!brouillon.id_modifie;
      cocher("ff-accord", brouillon.accord);
      remplir("ff-maj-auteur", brouillon.maj_auteur);
      remplir("ff-maj-modification", brouillon.maj_modification);
      informer(el("span", {}, el("strong", {}, "Votre brouillon est revenu. "),
        "Reprenez où vous en étiez, ou recommencez."));
    } else if (MAJ) {
      prefiller(base);
      remplir("ff-maj-auteur", base.acteur.nom);
      informer(el("span", {}, el("strong", {}, "La fiche « " + base.titre + " » est chargée, telle qu'elle est publiée. "),
        "Changez ce qui a changé, dites-le en une phrase, puis envoyez la fiche."));
    } else {
      informer(null);
      synchroniser();
    }
    // Kept from the first answer on (a fiche opened and left as it is keeps nothing).
    brouillonPret = !!brouillon;
    if (prendrePreparation()) {
      informer(el("span", {}, el("strong", {}, "Votre préparation est reprise. "),
        "Les critères et les indicateurs choisis dans « Préparer son évaluation » sont cochés. Une fois " +
        "vos données recueillies, écrivez pour chaque critère ce que vous avez constaté et, pour chaque " +
        "indicateur, la valeur observée et sa source."));
      brouillonPret = true;
    }
    etatBrouillon.textContent = "Ce que vous écrivez est gardé dans ce navigateur seulement, même si vous " +
      "fermez la page.";

    form.addEventListener("input", function (e) {
      brouillonPret = true;
      champs.forEach(function (ch) {
        if (ch.controle === e.target) {
          ch.modifie = true;
          if (ch.affiche) {
            verifierChamp(ch);
          }
        }
      });
      mettreAJour();
    });
    form.addEventListener("change", function () {
      brouillonPret = true;
      mettreAJour();
    });
    // A question is checked when the person leaves it, once they have typed in it.
    form.addEventListener("focusout", function (e) {
      champs.forEach(function (ch) {
        if (ch.controle === e.target && (ch.modifie || ch.affiche)) {
          verifierChamp(ch);
        }
      });
    });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      if (pret()) {
        var titre = document.getElementById("ff-titre-apercu");
        titre.focus();
        titre.scrollIntoView({ block: "start" });
      }
    });
    mettreAJour();
  }

  if (!MAJ) {
    demarrer(null);
    return;
  }
  // « Mettre à jour cette fiche »: the fiche, from the site's own open data.
  var attente = el("p", { classe: "ff-note", role: "status" }, "Chargement de la fiche « " + idMaj + " »…");
  racine.append(attente);
  racine.hidden = false;
  function echec(message) {
    attente.textContent = "";
    attente.setAttribute("role", "alert");
    attente.append(el("strong", {}, "La fiche ne peut pas être chargée : "), message + " ",
      el("a", { href: window.location.pathname }, "Proposer une nouvelle fiche"), ".");
  }
  if (!D.donnees_fiches || typeof window.fetch !== "function") {
    echec("ce site ne publie pas ses données ouvertes.");
    return;
  }
  window.fetch(D.donnees_fiches, { credentials: "same-origin" }).then(function (r) {
    if (!r.ok) {
      throw new Error("réponse " + r.status);
    }
    return r.json();
  }).then(function (donnees) {
    var trouvee = (donnees.fiches || []).filter(function (f) { return f.id === idMaj; })[0];
    if (!trouvee) {
      echec("il n'y a pas de fiche « " + idMaj + " » sur ce site.");
      return;
    }
    attente.remove();
    demarrer(trouvee);
  }).catch(function () {
    echec("les données du site n'ont pas pu être lues (connexion interrompue ?). Rechargez la page pour réessayer.");
  });
})();
