/*
 * « Proposer une fiche »: a form that writes the YAML file of a fiche.
 *
 * Vanilla JavaScript, no library, no network request: everything happens in
 * the browser. The criteria, indicators, actor types and the constraints of
 * the fiche schema come from the JSON written by the donnees_formulaire()
 * macro (script#donnees-formulaire), so the form checks what
 * « referentiel valider » checks. The YAML has the shape written by
 * ecrire_yaml() in src/referentiel/nouvelle_fiche.py.
 */
(function () {
  "use strict";

  var source = document.getElementById("donnees-formulaire");
  var racine = document.getElementById("formulaire-fiche");
  if (!source || !racine) {
    return;
  }
  var D = JSON.parse(source.textContent);
  var C = D.contraintes;

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
      if (enfant === null || enfant === undefined) {
        continue;
      }
      e.append(enfant);
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

  // The rules of referentiel/regles.py, received as data (D.regles).
  var R = D.regles;

  /** referentiel.regles.slugifier: ascii lowercase, digits and hyphens; a reserved name gets "-fiche". */
  function slugifier(texte) {
    var t = Array.from(texte).map(function (c) {
      return Object.prototype.hasOwnProperty.call(R.translitteration, c) ? R.translitteration[c] : c;
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

  function aujourdhui() {
    var d = new Date();
    function deux(n) {
      return (n < 10 ? "0" : "") + n;
    }
    return d.getFullYear() + "-" + deux(d.getMonth() + 1) + "-" + deux(d.getDate());
  }

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

  /** A French message for a text answer, or null when it is fine. */
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

  // ------------------------------------------------------------------
  // Fields: every question of the form, in page order

  var champs = [];
  var form;
  var idModifie = false;

  /**
   * Registers a question. def: {controle, cible, groupe, libelle, erreur (the
   * error paragraph), aide (id of the hint), actif(), verifier()}.
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

  /** A label, a hint, an error and an input or a textarea. */
  function champTexte(o) {
    var controle = el(o.lignes ? "textarea" : "input", {
      id: o.id,
      name: o.id,
      type: o.lignes ? null : (o.type || "text"),
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
      actif: o.actif || function () { return true; },
      verifier: function () {
        return o.verifier(controle.value.trim());
      },
    });
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

  // ------------------------------------------------------------------
  // Reading the answers and writing the YAML

  function lire() {
    var r = {
      id: val("ff-id"),
      titre: val("ff-titre"),
      acteur_nom: val("ff-acteur-nom"),
      acteur_type: val("ff-acteur-type"),
      ville: val("ff-ville"),
      site: val("ff-site"),
      resume: val("ff-resume"),
      contributions: [],
    };
    D.dimensions.forEach(function (d) {
      d.criteres.forEach(function (c) {
        if (!coche("ff-c-" + cle(c.id))) {
          return;
        }
        var contrib = { critere: c, constats: val("ff-constats-" + cle(c.id)), indicateurs: [] };
        c.indicateurs.forEach(function (i) {
          if (coche("ff-i-" + cle(i.id))) {
            contrib.indicateurs.push({
              indicateur: i,
              valeur: val("ff-valeur-" + cle(i.id)),
              source: val("ff-source-" + cle(i.id)),
            });
          }
        });
        r.contributions.push(contrib);
      });
    });
    return r;
  }

  function val(id) {
    var e = document.getElementById(id);
    return e ? e.value.trim() : "";
  }

  function coche(id) {
    var e = document.getElementById(id);
    return !!(e && e.checked);
  }

  /** A YAML double-quoted scalar: a JSON string, with the characters YAML refuses or folds escaped. */
  function q(texte) {
    return JSON.stringify(texte).replace(/[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g, function (c) {
      return "\\u" + ("000" + c.charCodeAt(0).toString(16)).slice(-4);
    });
  }

  /** One line of comment, whatever the text holds. */
  function commentaire(texte) {
    return texte.replace(/[\r\n\u0085\u2028\u2029]+/g, " ");
  }

  function ecrireYaml(r) {
    var nom = r.id || "ma-fiche";
    var lignes = [
      "# yaml-language-server: $schema=../../schemas/fiche.schema.json",
      "#",
      "# Fiche créée avec le formulaire « Proposer une fiche » du site. Complétez-la si besoin",
      "# (voir le modèle commenté data/fiches/_modele.yaml), puis vérifiez-la :",
      "#   referentiel valider data/fiches/" + commentaire(nom) + ".yaml",
      "",
      "# Identifiant : le nom du fichier sans « .yaml ».",
      "id: " + (MOTIF_ID.test(r.id) ? r.id : q(r.id)),
      "titre: " + q(r.titre),
      "# « proposee » : les relecteurs la passeront à « publiee ».",
      "statut: proposee",
      "",
      "acteur:",
      "  nom: " + q(r.acteur_nom),
      "  type: " + (r.acteur_type || q("")),
    ];
    if (r.ville) {
      lignes.push("  ville: " + q(r.ville));
    }
    if (r.site) {
      lignes.push("  site: " + q(r.site));
    }
    lignes.push(
      "",
      "action:",
      "  resume: " + q(r.resume),
      "  # Facultatif : description, moyens, enjeux, debut, lieux, publics, partenaires.",
      "",
      "# L'utilité sociale, critère par critère.",
      "contributions:"
    );
    r.contributions.forEach(function (contrib) {
      var c = contrib.critere;
      lignes.push(
        "  # " + commentaire(c.id + " · " + c.titre),
        "  - critere: " + c.id,
        "    constats: " + q(contrib.constats),
        "    indicateurs:"
      );
      contrib.indicateurs.forEach(function (obs) {
        var i = obs.indicateur;
        lignes.push(
          "      # " + commentaire(i.id + " · " + i.libelle),
          "      - id: " + i.id,
          "        valeur: " + q(obs.valeur)
        );
        if (obs.source) {
          lignes.push("        source: " + q(obs.source));
        }
      });
    });
    lignes.push(
      "",
      "licence: " + D.licence,
      "mise_a_jour: \"" + aujourdhui() + "\"",
      "",
      "# Qui a rédigé ou modifié cette fiche, et quand (une ligne par modification).",
      "historique:",
      "  - date: \"" + aujourdhui() + "\"",
      "    auteur: " + q(r.acteur_nom),
      "    modification: \"Création de la fiche (formulaire du site)\"",
      ""
    );
    return lignes.join("\n");
  }

  // ------------------------------------------------------------------
  // Building the form

  var resume = el("div", { id: "ff-resume-erreurs", classe: "ff-resume", tabindex: "-1", hidden: true });

  function construireFormulaire() {
    form = el("form", { id: "ff-formulaire", novalidate: true, "aria-labelledby": "ff-titre-formulaire" });
    form.append(el("h2", { id: "ff-titre-formulaire" }, "Votre fiche"), resume);

    // -- the action
    var titre = champTexte({
      id: "ff-titre", libelle: "Titre de l'action", obligatoire: true,
      aide: "Le nom de votre action, par exemple « Atelier numérique du mercredi ».",
      verifier: function (v) {
        return verifierTexte(v, C.titre, "écrivez le titre de votre action.");
      },
    });
    var ident = champTexte({
      id: "ff-id", libelle: "Identifiant de la fiche", obligatoire: true, spellcheck: false,
      aide: "C'est le nom du fichier. Il est proposé à partir du titre et vous pouvez le changer : " +
        "lettres minuscules sans accent, chiffres et tirets, sans espace, par exemple " +
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
            "par exemple « " + (v.length < C.id.maxLength - 2 ? v + "-2" : "ma-fiche") + " ».";
        }
        return null;
      },
    });
    ident.champ.libelle = "Identifiant de la fiche";
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
    var resumeAction = champTexte({
      id: "ff-resume", libelle: "Résumé de l'action", obligatoire: true, lignes: 5,
      aide: "En quelques phrases : ce que vous faites, avec qui, où et depuis quand. Entre " +
        C.resume.minLength + " et " + C.resume.maxLength + " caractères.",
      verifier: function (v) {
        return verifierTexte(v, C.resume, "écrivez un résumé de l'action en quelques phrases.");
      },
    });
    var compteur = el("span", { classe: "ff-compteur" });
    resumeAction.bloc.querySelector(".ff-aide").append(" ", compteur);
    function compter() {
      var n = longueur(resumeAction.controle.value.trim());
      compteur.textContent = "Vous en avez écrit " + n + ".";
    }
    resumeAction.controle.addEventListener("input", compter);
    compter();

    form.append(el("fieldset", { classe: "ff-groupe" },
      el("legend", {}, "L'action"), titre.bloc, ident.bloc, resumeAction.bloc));

    // -- the actor
    var nom = champTexte({
      id: "ff-acteur-nom", libelle: "Nom de la structure", obligatoire: true, autocomplete: "organization",
      aide: "La structure qui mène l'action, par exemple « Centre social de Kérédern ».",
      verifier: function (v) {
        return verifierTexte(v, C.acteur_nom, "écrivez le nom de votre structure.");
      },
    });
    var select = el("select", { id: "ff-acteur-type", name: "ff-acteur-type", required: true },
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
      aide: "ff-acteur-type-aide",
      actif: function () { return true; },
      verifier: function () {
        return select.value ? null : "choisissez le type de votre structure dans la liste.";
      },
    }));
    var ville = champTexte({
      id: "ff-ville", libelle: "Commune", autocomplete: "address-level2",
      aide: "Là où se déroule l'action, par exemple « Brest ».",
      verifier: function (v) {
        return v ? verifierTexte(v, C.ville, null) : null;
      },
    });
    var site = champTexte({
      id: "ff-site", libelle: "Site web de la structure", type: "url", autocomplete: "url", spellcheck: false,
      aide: "L'adresse complète, qui commence par https://, par exemple « https://www.exemple.org ».",
      verifier: function (v) {
        if (!v) {
          return null;
        }
        if (!MOTIF_LIEN.test(v)) {
          return "écrivez une adresse complète qui commence par https:// (ou http://), sans espace ni guillemet, " +
            "par exemple « https://www.exemple.org ».";
        }
        return longueur(v) > (C.site.maxLength || C.lien.maxLength)
          ? "adresse trop longue : " + (C.site.maxLength || C.lien.maxLength) + " caractères au plus." : null;
      },
    });
    form.append(el("fieldset", { classe: "ff-groupe" },
      el("legend", {}, "La structure"), nom.bloc, blocType, ville.bloc, site.bloc));

    // -- the criteria, grouped by dimension; the questions of a criterion follow its box
    var erreurCriteres = erreurEl("ff-criteres");
    var groupeCriteres = el("fieldset", { id: "ff-criteres", classe: "ff-groupe" },
      el("legend", {}, "Les critères servis par votre action ", mention(true, "(obligatoire : au moins un)")),
      el("p", { id: "ff-criteres-aide", classe: "ff-aide" },
        "Cochez chaque critère du référentiel auquel votre action contribue. Les questions d'un critère " +
        "apparaissent juste sous sa case : ce que vous avez constaté, puis au moins un indicateur et sa valeur."),
      erreurCriteres);
    var cases = [];
    var chCriteres = enregistrer({
      groupe: groupeCriteres, libelle: "Critères", erreur: erreurCriteres, aide: "ff-criteres-aide",
      actif: function () { return true; },
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
        var caseCritere = el("input", { type: "checkbox", id: "ff-c-" + k, name: "criteres", value: c.id });
        cases.push(caseCritere);
        chCriteres.cible = chCriteres.cible || caseCritere;
        var details = construireCritere(c, caseCritere);
        caseCritere.addEventListener("change", function () {
          details.hidden = !caseCritere.checked;
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
    form.append(groupeCriteres);

    form.append(el("div", { classe: "ff-envoi" },
      el("button", { type: "submit", id: "ff-verifier", classe: "md-button md-button--primary" }, "Vérifier la fiche"),
      el("p", { classe: "ff-aide" }, "La vérification ne transmet rien : elle signale ce qui manque encore.")));
    return form;
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
        return verifierTexte(v, C.constats, "écrivez ce que vous avez constaté pour le critère " + c.id + ".");
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
        if (n < (C.indicateurs.minItems || 1)) {
          return "cochez au moins un indicateur du critère " + c.id + " et écrivez sa valeur.";
        }
        if (C.indicateurs.maxItems && n > C.indicateurs.maxItems) {
          return "trop d'indicateurs : " + n + " pour " + C.indicateurs.maxItems + " au plus.";
        }
        return null;
      },
    });
    decrire(ch);
    c.indicateurs.forEach(function (i) {
      var ki = cle(i.id);
      var caseInd = el("input", { type: "checkbox", id: "ff-i-" + ki, name: "indicateurs-" + k, value: i.id });
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
          return verifierTexte(v, C.valeur, "écrivez la valeur observée pour l'indicateur " + i.id + ".");
        },
      });
      var src = champTexte({
        id: "ff-source-" + ki, libelle: "Source de la valeur de " + i.id,
        libelleCourt: "Source de l'indicateur " + i.id, actif: actifInd,
        aide: "D'où vient la valeur : feuille d'émargement, questionnaire, entretien…",
        verifier: function (v) {
          return v ? verifierTexte(v, C.source, null) : null;
        },
      });
      var details = el("div", { classe: "ff-details", hidden: true }, valeur.bloc, src.bloc);
      caseInd.addEventListener("change", function () {
        details.hidden = !caseInd.checked;
        if (ch.affiche) {
          verifierChamp(ch);
        }
      });
      groupe.append(el("div", { classe: "ff-indicateur" },
        el("div", { classe: "ff-case" }, caseInd,
          el("label", { for: "ff-i-" + ki }, el("strong", {}, i.id), " · " + i.libelle + " ",
            el("span", { classe: "ref-type ref-type--" + i.type }, i.type_libelle))),
        details));
    });
    var lien = c.url ? el("p", { classe: "ff-aide" },
      el("a", { href: c.url, target: "_blank", rel: "noopener" },
        "Lire la description du critère " + c.id + " (s'ouvre dans un nouvel onglet)")) : null;
    return el("div", { classe: "ff-details", id: "ff-details-" + k, hidden: true }, lien, constats.bloc, groupe);
  }

  // ------------------------------------------------------------------
  // The file: preview, download, copy, GitHub

  var yaml, etat, annonce, lienGithub, nomFichier;
  var URL_LONGUE = 8000;
  // Something typed and not yet downloaded, copied or sent: leaving the page asks first.
  var nonSauve = false;

  function construireResultat() {
    yaml = el("textarea", {
      id: "ff-yaml", readonly: true, rows: 18, spellcheck: "false", "aria-describedby": "ff-yaml-aide",
      classe: "ff-yaml",
    });
    etat = el("p", { id: "ff-etat", classe: "ff-etat", tabindex: "-1" });
    annonce = el("p", { id: "ff-annonce", classe: "ff-annonce", role: "status", "aria-live": "polite" });
    nomFichier = el("code", { id: "ff-nom-fichier" });
    var actions = el("div", { classe: "ff-actions" },
      el("button", { type: "button", id: "ff-telecharger", classe: "md-button md-button--primary" },
        "Télécharger le fichier"),
      el("button", { type: "button", id: "ff-copier", classe: "md-button" }, "Copier"));
    var github;
    if (D.repo_url) {
      lienGithub = el("a", {
        id: "ff-github", classe: "md-button", href: D.repo_url, target: "_blank", rel: "noopener",
        "aria-describedby": "ff-github-aide",
      }, "Ouvrir la page GitHub de création du fichier");
      actions.append(lienGithub);
      github = el("p", { id: "ff-github-aide", classe: "ff-aide" },
        "La page GitHub s'ouvre dans un nouvel onglet, avec le nom et le contenu du fichier déjà remplis. " +
        "Il vous faut un compte GitHub (gratuit). Suivez ensuite les boutons de GitHub pour proposer " +
        "la modification : l'équipe du référentiel la relira avant de publier votre fiche.",
        el("span", { id: "ff-github-long", hidden: true }, " Votre fiche est longue : si la page GitHub " +
          "s'ouvre vide ou en erreur, téléchargez le fichier, puis, dans le dossier data/fiches du dépôt " +
          "sur GitHub, choisissez « Add file » puis « Upload files »."));
    } else {
      github = el("p", { id: "ff-sans-github", classe: "ff-note" },
        "L'envoi direct sur GitHub n'est pas proposé : ce site a été construit sans l'adresse du dépôt " +
        "du référentiel (réglage REPO_URL). Téléchargez ou copiez le fichier, puis transmettez-le à " +
        "l'équipe du référentiel.");
    }
    var section = el("section", { classe: "ff-resultat", "aria-labelledby": "ff-titre-resultat" },
      el("h2", { id: "ff-titre-resultat" }, "Votre fichier"),
      etat,
      el("p", {}, "Nom du fichier : ", nomFichier, ", à déposer dans le dossier ", el("code", {}, "data/fiches/"),
        " du dépôt du référentiel."),
      el("div", { classe: "ff-champ" },
        el("label", { for: "ff-yaml" }, "Fichier YAML produit"),
        el("p", { id: "ff-yaml-aide", classe: "ff-aide" },
          "Mis à jour à chaque saisie. On ne peut pas le modifier ici : changez plutôt vos réponses " +
          "dans le formulaire."),
        yaml),
      actions, github, annonce);

    actions.querySelector("#ff-telecharger").addEventListener("click", telecharger);
    actions.querySelector("#ff-copier").addEventListener("click", copier);
    if (lienGithub) {
      lienGithub.addEventListener("click", function (e) {
        if (!pret()) {
          e.preventDefault();
        } else {
          nonSauve = false;
        }
      });
    }
    return section;
  }

  function annoncer(texte) {
    // Emptied first so that the same message is announced again.
    annonce.textContent = "";
    window.setTimeout(function () {
      annonce.textContent = texte;
    }, 50);
  }

  /** Refreshes the preview, the state line and the GitHub link. */
  function mettreAJour() {
    var r = lire();
    var texte = ecrireYaml(r);
    yaml.value = texte;
    var nom = (r.id || "ma-fiche") + ".yaml";
    nomFichier.textContent = nom;
    var n = problemes(false).length;
    etat.textContent = "";
    if (n === 0) {
      etat.className = "ff-etat ff-etat--ok";
      etat.append(el("strong", {}, "Fiche complète. "),
        "Le fichier ci-dessous est prêt : téléchargez-le, copiez-le ou ouvrez GitHub.");
    } else {
      etat.className = "ff-etat ff-etat--incomplet";
      etat.append(el("strong", {}, "Fiche incomplète : " + pluriel(n, "point") + " à corriger. "),
        "Le fichier ci-dessous n'est qu'un aperçu ; cliquez sur « Vérifier la fiche » pour voir ce qui manque.");
    }
    if (lienGithub) {
      lienGithub.href = D.repo_url + "/new/main/data/fiches?filename=" + encodeURIComponent(nom) +
        "&value=" + encodeURIComponent(texte);
      // GitHub may refuse addresses much longer than this.
      document.getElementById("ff-github-long").hidden = lienGithub.href.length <= URL_LONGUE;
    }
  }

  /** Error summary at the top of the form, with a link to each field. */
  function afficherResume(liste) {
    resume.textContent = "";
    var ul = el("ul", {});
    liste.forEach(function (p) {
      var cible = p.champ.cible;
      var a = el("a", { href: "#" + cible.id }, p.champ.libelle + " : " + p.message);
      a.addEventListener("click", function (e) {
        e.preventDefault();
        cible.focus();
        (p.champ.groupe || cible.closest(".ff-champ") || cible).scrollIntoView({ block: "start" });
      });
      ul.append(el("li", {}, a));
    });
    resume.append(el("div", { role: "alert" },
      el("h3", {}, "La fiche n'est pas encore complète"),
      el("p", {}, pluriel(liste.length, "point") + " à corriger. Chaque lien mène au champ concerné :"),
      ul));
    resume.hidden = false;
    resume.focus();
    resume.scrollIntoView({ block: "start" });
  }

  /** Checks everything; shows the problems or says the file is ready. */
  function pret() {
    var liste = problemes(true);
    mettreAJour();
    if (liste.length) {
      afficherResume(liste);
      return false;
    }
    resume.hidden = true;
    return true;
  }

  function telecharger() {
    if (!pret()) {
      return;
    }
    var nom = val("ff-id") + ".yaml";
    var blob = new Blob([yaml.value], { type: "application/yaml;charset=utf-8" });
    var url = URL.createObjectURL(blob);
    var a = el("a", { href: url, download: nom, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    window.setTimeout(function () {
      URL.revokeObjectURL(url);
    }, 10000);
    nonSauve = false;
    annoncer("Fichier « " + nom + " » téléchargé : il est dans le dossier des téléchargements de votre navigateur.");
  }

  function copier() {
    if (!pret()) {
      return;
    }
    var texte = yaml.value;
    function secours() {
      yaml.focus();
      yaml.select();
      var ok = false;
      try {
        ok = document.execCommand("copy");
      } catch (e) {
        ok = false;
      }
      nonSauve = nonSauve && !ok;
      annoncer(ok ? "Fichier copié : collez-le où vous voulez (Ctrl+V, ou Cmd+V sur Mac)."
        : "Le texte du fichier est sélectionné : appuyez sur Ctrl+C (ou Cmd+C sur Mac) pour le copier.");
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(texte).then(function () {
        nonSauve = false;
        annoncer("Fichier copié : collez-le où vous voulez (Ctrl+V, ou Cmd+V sur Mac).");
      }, secours);
    } else {
      secours();
    }
  }

  // ------------------------------------------------------------------
  // Start

  racine.append(construireFormulaire(), construireResultat());
  racine.hidden = false;

  form.addEventListener("input", function (e) {
    nonSauve = true;
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
  form.addEventListener("change", mettreAJour);
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
      etat.focus();
      etat.scrollIntoView({ block: "center" });
    }
  });
  window.addEventListener("beforeunload", function (e) {
    if (nonSauve) {
      e.preventDefault();
      e.returnValue = "";
    }
  });
  mettreAJour();
})();
