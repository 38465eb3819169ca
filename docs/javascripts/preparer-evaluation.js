/*
 * « Préparer son évaluation » (src/referentiel/pages/evaluation.py).
 *
 * The page holds every indicator's pieces of the five documents (the plan,
 * the questionnaires, the observation grid, the interview guide), marked
 * data-i, written once in Python (pages/recueil.py), which also makes each
 * criterion's kit PDF. This script:
 * - keeps the selection (the action, the criteria, the indicators) in the
 *   page's address, so that it can be bookmarked, shared and reopened;
 * - shows the indicators of the chosen criteria, and in the documents the
 *   pieces of the chosen indicators only;
 * - prints one document at a time, and opens « Proposer une fiche » with the
 *   selection;
 * - lets the actor adapt the wording of a question before printing, kept in
 *   this browser (localStorage), not in the address.
 * Nothing leaves the browser. What may be chosen comes from the page's data
 * (#pe-donnees): an id that is not there is ignored.
 */
(function () {
  "use strict";

  var source = document.getElementById("pe-donnees");
  var documentsEl = document.getElementById("pe-documents");
  if (!source || !documentsEl) {
    return;
  }
  var D = JSON.parse(source.textContent);
  var ORDRE = [];
  var CRITERE_DE = {};
  Object.keys(D.criteres).forEach(function (c) {
    D.criteres[c].forEach(function (i) {
      ORDRE.push(i);
      CRITERE_DE[i] = c;
    });
  });
  var LONGUEUR_MAX = D.longueur_champ;

  function $(id) {
    return document.getElementById(id);
  }
  function tous(selecteur, racine) {
    return Array.prototype.slice.call((racine || document).querySelectorAll(selecteur));
  }
  /** The checkbox of a criterion, an indicator or a public, found by its value (the id). */
  function caseDe(nom, valeur) {
    return document.querySelector('input[name="' + nom + '"][value="' + window.CSS.escape(valeur) + '"]');
  }
  function pluriel(n, un, plusieurs) {
    return n + "\u00a0" + (n > 1 ? plusieurs : un);
  }

  // ------------------------------------------------------------------
  // The selection, and the page's address

  function liste(params, nom) {
    return (params.get(nom) || "").split(",").map(function (x) { return x.trim(); })
      .filter(function (x) { return x; });
  }

  function texte(params, nom) {
    return (params.get(nom) || "").replace(/[\u0000-\u001f\u007f]/g, " ").slice(0, LONGUEUR_MAX);
  }

  /** The selection in the address, keeping only what the page offers. */
  function lireAdresse() {
    var p = new URLSearchParams(window.location.search);
    var criteres = liste(p, "criteres").filter(function (c) { return D.criteres.hasOwnProperty(c); });
    var indicateurs = liste(p, "indicateurs").filter(function (i) {
      return CRITERE_DE.hasOwnProperty(i) && criteres.indexOf(CRITERE_DE[i]) >= 0;
    });
    return {
      action: texte(p, "action"),
      structure: texte(p, "structure"),
      type: D.types_action.hasOwnProperty(p.get("type") || "") ? p.get("type") : "",
      publics: liste(p, "publics").filter(function (x) { return D.publics.hasOwnProperty(x); }),
      criteres: criteres,
      indicateurs: indicateurs,
    };
  }

  function parametres(s) {
    var p = new URLSearchParams();
    if (s.action) { p.set("action", s.action); }
    if (s.structure) { p.set("structure", s.structure); }
    if (s.type) { p.set("type", s.type); }
    if (s.publics.length) { p.set("publics", s.publics.join(",")); }
    if (s.criteres.length) { p.set("criteres", s.criteres.join(",")); }
    if (s.indicateurs.length) { p.set("indicateurs", s.indicateurs.join(",")); }
    // Commas and spaces stay readable in a shared address.
    return p.toString().replace(/%2C/g, ",");
  }

  /** The selection as the page's fields show it. */
  function lireChamps() {
    var criteres = Object.keys(D.criteres).filter(function (c) { return caseDe("criteres", c).checked; });
    return {
      action: $("pe-action-nom").value.trim().slice(0, LONGUEUR_MAX),
      structure: $("pe-structure").value.trim().slice(0, LONGUEUR_MAX),
      type: $("pe-type").value,
      publics: Object.keys(D.publics).filter(function (p) { return caseDe("publics", p).checked; }),
      criteres: criteres,
      indicateurs: ORDRE.filter(function (i) {
        return criteres.indexOf(CRITERE_DE[i]) >= 0 && caseDe("indicateurs", i).checked;
      }),
    };
  }

  function remplirChamps(s) {
    $("pe-action-nom").value = s.action;
    $("pe-structure").value = s.structure;
    $("pe-type").value = s.type;
    Object.keys(D.publics).forEach(function (p) { caseDe("publics", p).checked = s.publics.indexOf(p) >= 0; });
    Object.keys(D.criteres).forEach(function (c) { caseDe("criteres", c).checked = s.criteres.indexOf(c) >= 0; });
    ORDRE.forEach(function (i) { caseDe("indicateurs", i).checked = s.indicateurs.indexOf(i) >= 0; });
  }

  // ------------------------------------------------------------------
  // What the selection shows

  function nomAction(s) {
    return D.types_action[s.type] || D.types_action.autre;
  }

  function appliquer(s) {
    // Step 3: the indicators of the chosen criteria only.
    tous("fieldset[data-critere]").forEach(function (f) {
      f.hidden = s.criteres.indexOf(f.getAttribute("data-critere")) < 0;
    });
    $("pe-aucun-critere").hidden = s.criteres.length > 0;

    // The documents: the chosen indicators' pieces.
    tous("[data-i]", documentsEl).forEach(function (e) {
      e.hidden = s.indicateurs.indexOf(e.getAttribute("data-i")) < 0;
    });
    tous(".pe-doc", documentsEl).forEach(function (doc) {
      var vide = !doc.querySelector("[data-i]:not([hidden])");
      doc.hidden = vide;
      var bouton = documentsEl.querySelector('[data-bouton="' + doc.getAttribute("data-doc") + '"]');
      if (bouton) {
        bouton.hidden = vide;
      }
    });
    // Documents the page has no piece for (no indicator offered calls for them).
    tous("[data-bouton]", documentsEl).forEach(function (b) {
      if (!documentsEl.querySelector('.pe-doc[data-doc="' + b.getAttribute("data-bouton") + '"]')) {
        b.hidden = true;
      }
    });
    tous(".pe-questionnaire", documentsEl).forEach(function (q) {
      var minutes = tous("[data-i]:not([hidden])", q).reduce(function (n, e) {
        return n + parseFloat(e.getAttribute("data-duree") || "0");
      }, 0);
      tous(".pe-duree", q).forEach(function (e) { e.textContent = String(Math.max(2, Math.ceil(minutes - 1e-9))); });
    });

    // The action's name and structure, where the documents leave them to fill.
    var publics = s.publics.map(function (p) { return D.publics[p]; }).join(", ");
    var valeurs = {
      "action-nom": s.action,
      "structure": s.structure,
      "publics": publics,
      "action": nomAction(s),
      "action-nom-cite": s.action ? " «\u00a0" + s.action + "\u00a0»" : "",
      "structure-cite": s.structure ? " (" + s.structure + ")" : "",
    };
    tous("[data-champ]", documentsEl).forEach(function (e) {
      e.textContent = valeurs[e.getAttribute("data-champ")] || "";
    });

    // Step 4: what is chosen, the address, the fiche.
    var n = s.indicateurs.length;
    var resume = $("pe-resume");
    if (!s.criteres.length) {
      resume.textContent = "Aucun critère choisi pour l'instant : commencez par l'étape 2.";
    } else if (!n) {
      resume.textContent = pluriel(s.criteres.length, "critère choisi", "critères choisis") +
        ", aucun indicateur encore : cochez-en à l'étape 3.";
    } else {
      resume.textContent = pluriel(s.criteres.length, "critère", "critères") + " et " +
        pluriel(n, "indicateur choisi", "indicateurs choisis") + " : vos documents sont prêts ci-dessous.";
    }
    tous(".pe-boutons, .pe-apercus, .pe-adapter", documentsEl).forEach(function (e) { e.hidden = !n; });
    var q = parametres(s);
    $("pe-adresse").value = window.location.origin + window.location.pathname + (q ? "?" + q : "");
    var fiche = $("pe-fiche");
    if (fiche && D.formulaire) {
      var pf = new URLSearchParams();
      pf.set("preparation", "1");
      if (s.action) { pf.set("titre", s.action); }
      if (s.structure) { pf.set("acteur", s.structure); }
      if (s.publics.length) { pf.set("publics", s.publics.join(",")); }
      pf.set("criteres", s.criteres.join(","));
      pf.set("indicateurs", s.indicateurs.join(","));
      fiche.href = D.formulaire + "?" + pf.toString().replace(/%2C/g, ",");
    }
  }

  function changer() {
    var s = lireChamps();
    // A criterion unticked takes its indicators with it (the text fields are left as typed).
    ORDRE.forEach(function (i) {
      if (s.indicateurs.indexOf(i) < 0) {
        caseDe("indicateurs", i).checked = false;
      }
    });
    var q = parametres(s);
    window.history.replaceState(null, "", window.location.pathname + (q ? "?" + q : "") + window.location.hash);
    appliquer(s);
  }

  // ------------------------------------------------------------------
  // Printing one document, copying the address

  function imprimer(nom) {
    var doc = documentsEl.querySelector('.pe-doc[data-doc="' + nom + '"]');
    if (!doc) {
      return;
    }
    document.documentElement.classList.add("pe-imprime-un");
    doc.classList.add("pe-doc--imprime");
    var fin = function () {
      document.documentElement.classList.remove("pe-imprime-un");
      doc.classList.remove("pe-doc--imprime");
      window.removeEventListener("afterprint", fin);
    };
    window.addEventListener("afterprint", fin);
    window.print();
  }

  function copier() {
    var champ = $("pe-adresse");
    var etat = $("pe-copie");
    function fait() { etat.textContent = "Adresse copiée."; }
    function manuel() {
      champ.focus();
      champ.select();
      etat.textContent = "Sélectionnée : copiez-la avec Ctrl+C (ou ⌘+C).";
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(champ.value).then(fait, manuel);
    } else {
      manuel();
    }
  }

  // ------------------------------------------------------------------
  // Adapting the wording of the questions (this browser only)

  var CLE_ADAPTATIONS = "referentiel-evaluation:questions";
  var ORIGINAUX = {};
  tous("[data-q]", documentsEl).forEach(function (p) { ORIGINAUX[p.getAttribute("data-q")] = p.textContent; });
  var adaptations = {};
  try {
    var lues = JSON.parse(window.localStorage.getItem(CLE_ADAPTATIONS) || "{}");
    Object.keys(lues || {}).forEach(function (k) {
      if (ORIGINAUX.hasOwnProperty(k) && typeof lues[k] === "string") {
        adaptations[k] = lues[k].slice(0, D.longueur_question);
      }
    });
  } catch (e) {
    adaptations = {};
  }
  var enEdition = false;

  function nombreAdaptees() {
    return Object.keys(adaptations).length;
  }

  function montrerAdaptations() {
    tous("[data-q]", documentsEl).forEach(function (p) {
      var k = p.getAttribute("data-q");
      p.textContent = adaptations.hasOwnProperty(k) ? adaptations[k] : ORIGINAUX[k];
    });
    var n = nombreAdaptees();
    $("pe-retablir").hidden = !n;
    $("pe-modifie").textContent = n ? pluriel(n, "question adaptée", "questions adaptées") +
      " (gardée" + (n > 1 ? "s" : "") + " dans ce navigateur)." : "";
  }

  function sauverAdaptations() {
    try {
      window.localStorage.setItem(CLE_ADAPTATIONS, JSON.stringify(adaptations));
    } catch (e) {
      $("pe-modifie").textContent = "Ce navigateur ne garde pas vos changements (navigation privée ?) : " +
        "imprimez avant de fermer la page.";
    }
  }

  function zoneDeSaisie(p, n) {
    var k = p.getAttribute("data-q");
    var zone = document.createElement("textarea");
    zone.className = "pe-edition";
    zone.id = "pe-q-" + n;
    zone.rows = Math.max(2, Math.ceil(p.textContent.length / 38));
    zone.maxLength = D.longueur_question;
    zone.value = p.textContent;
    zone.setAttribute("aria-label", "Texte de la question (proposé : " + ORIGINAUX[k] + ")");
    zone.addEventListener("input", function () {
      var v = zone.value.replace(/\s+/g, " ").trim();
      if (!v || v === ORIGINAUX[k]) {
        delete adaptations[k];
      } else {
        adaptations[k] = v;
      }
      sauverAdaptations();
      montrerAdaptations();
    });
    return zone;
  }

  function basculerEdition() {
    enEdition = !enEdition;
    var bouton = $("pe-modifier");
    bouton.setAttribute("aria-pressed", String(enEdition));
    bouton.textContent = enEdition ? "Terminer les changements" : "Adapter le texte des questions";
    documentsEl.classList.toggle("pe-en-edition", enEdition);
    tous(".pe-edition", documentsEl).forEach(function (z) { z.remove(); });
    if (enEdition) {
      tous("[data-q]", documentsEl).forEach(function (p, n) { p.after(zoneDeSaisie(p, n)); });
      var premiere = documentsEl.querySelector(".pe-doc:not([hidden]) [data-i]:not([hidden]) .pe-edition");
      if (premiere) {
        premiere.focus();
      }
    }
  }

  function retablir() {
    if (!window.confirm("Revenir aux questions proposées ? Vos changements seront effacés.")) {
      return;
    }
    adaptations = {};
    sauverAdaptations();
    montrerAdaptations();
    tous(".pe-edition", documentsEl).forEach(function (z) {
      z.value = z.previousElementSibling ? z.previousElementSibling.textContent : z.value;
    });
  }

  // ------------------------------------------------------------------
  // Start

  var s = lireAdresse();
  remplirChamps(s);
  appliquer(s);
  montrerAdaptations();
  documentsEl.hidden = false;
  tous(".pe-js-absent").forEach(function (e) { e.hidden = true; });

  document.querySelector(".md-content").addEventListener("change", function (e) {
    if (e.target.closest && e.target.closest(".pe-etape")) {
      changer();
    }
  });
  ["pe-action-nom", "pe-structure"].forEach(function (id) {
    $(id).addEventListener("input", changer);
  });
  tous("[data-imprimer]", documentsEl).forEach(function (b) {
    b.addEventListener("click", function () { imprimer(b.getAttribute("data-imprimer")); });
  });
  $("pe-copier").addEventListener("click", copier);
  $("pe-modifier").addEventListener("click", basculerEdition);
  $("pe-retablir").addEventListener("click", retablir);
})();
