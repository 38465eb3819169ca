/*
 * Tri et filtres des tableaux du référentiel et des fiches.
 *
 * Amélioration progressive : sans JavaScript, les tableaux restent complets. Le
 * script cherche les <table data-filtrable data-filtres="…">, insère au-dessus un
 * formulaire de filtres (listes déroulantes, champ de recherche), rend les en-têtes
 * de colonnes triables (boutons, aria-sort) et annonce le nombre de lignes
 * affichées. Les valeurs d'une ligne sont dans les attributs data-* de ses
 * cellules, séparées par « | ». Aucune requête réseau ; le DOM est construit nœud par nœud.
 */
(function () {
  "use strict";

  var compteur = 0;

  function el(nom, attributs, texte) {
    var n = document.createElement(nom);
    Object.keys(attributs || {}).forEach(function (cle) { n.setAttribute(cle, attributs[cle]); });
    if (texte !== undefined) { n.textContent = texte; }
    return n;
  }

  function normaliser(texte) {
    return (texte || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .toLowerCase().replace(/\s+/g, " ").trim();
  }

  /* The data-* of all the cells of a row, merged. */
  function donnees(ligne) {
    var d = {};
    Array.prototype.forEach.call(ligne.cells, function (cellule) {
      Object.keys(cellule.dataset).forEach(function (cle) { d[cle] = cellule.dataset[cle]; });
    });
    return d;
  }

  function texteCellule(ligne, index) {
    var c = ligne.cells[index];
    return c ? c.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function installer(table) {
    var filtres;
    try {
      filtres = JSON.parse(table.getAttribute("data-filtres") || "[]");
    } catch (e) {
      filtres = [];
    }
    var corps = table.tBodies[0];
    if (!corps || !table.tHead) { return; }
    compteur += 1;
    var prefixe = "ref-tableau-" + compteur;
    var lignes = Array.prototype.slice.call(corps.rows);
    lignes.forEach(function (ligne, i) { ligne.setAttribute("data-ordre", String(i)); });
    var total = lignes.length;

    /* -- the filter form -- */
    var formulaire = el("form", { "class": "ref-filtres", "role": "search",
                                  "aria-label": "Filtrer le tableau" });
    formulaire.addEventListener("submit", function (ev) { ev.preventDefault(); });
    var listes = [];
    filtres.forEach(function (f) {
      var id = prefixe + "-" + f.cle;
      var champ = el("div", { "class": "ref-filtres__champ" });
      champ.appendChild(el("label", { "for": id }, f.libelle));
      var select = el("select", { "id": id, "data-cle": f.cle });
      select.appendChild(el("option", { "value": "" }, "Tous"));
      f.options.forEach(function (o) { select.appendChild(el("option", { "value": o[0] }, o[1])); });
      select.addEventListener("change", appliquer);
      champ.appendChild(select);
      formulaire.appendChild(champ);
      listes.push(select);
    });
    var idRecherche = prefixe + "-recherche";
    var champRecherche = el("div", { "class": "ref-filtres__champ ref-filtres__recherche" });
    champRecherche.appendChild(el("label", { "for": idRecherche }, "Rechercher dans le tableau"));
    var recherche = el("input", { "id": idRecherche, "type": "search", "autocomplete": "off" });
    recherche.addEventListener("input", appliquer);
    champRecherche.appendChild(recherche);
    formulaire.appendChild(champRecherche);
    var reinitialiser = el("button", { "type": "button", "class": "md-button ref-filtres__reinit" },
                           "Réinitialiser les filtres");
    reinitialiser.addEventListener("click", function () {
      listes.forEach(function (s) { s.value = ""; });
      recherche.value = "";
      appliquer();
    });
    formulaire.appendChild(reinitialiser);
    var etat = el("p", { "class": "ref-filtres__etat", "aria-live": "polite", "role": "status",
                         "id": prefixe + "-etat" });
    formulaire.appendChild(etat);
    // Above the box that scrolls sideways on a phone (Material wraps tables
    // in .md-typeset__scrollwrap), so that the filters keep the page's width.
    var boite = table.closest(".md-typeset__scrollwrap") || table;
    boite.parentNode.insertBefore(formulaire, boite);

    function appliquer() {
      var mots = normaliser(recherche.value).split(" ").filter(Boolean);
      var visibles = 0;
      lignes.forEach(function (ligne) {
        var d = donnees(ligne);
        var ok = listes.every(function (s) {
          if (!s.value) { return true; }
          var v = d[s.getAttribute("data-cle")];
          return v !== undefined && v.split("|").indexOf(s.value) !== -1;
        });
        if (ok && mots.length) {
          var texte = normaliser(ligne.textContent);
          ok = mots.every(function (m) { return texte.indexOf(m) !== -1; });
        }
        if (ok) { ligne.removeAttribute("hidden"); visibles += 1; }
        else { ligne.setAttribute("hidden", ""); }
      });
      etat.textContent = visibles + (visibles > 1 ? " lignes affichées" : " ligne affichée") +
        " sur " + total;
    }

    /* -- sortable headers -- */
    var entetes = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var boutons = [];
    entetes.forEach(function (th, index) {
      var libelle = th.textContent.trim();
      var bouton = el("button", { "type": "button", "class": "ref-tri" });
      bouton.appendChild(el("span", {}, libelle));
      var indice = el("span", { "class": "ref-tri__indice", "aria-hidden": "true" }, "↕");
      bouton.appendChild(indice);
      var aide = el("span", { "class": "ref-sr" }, " (trier)");
      bouton.appendChild(aide);
      while (th.firstChild) { th.removeChild(th.firstChild); }
      th.appendChild(bouton);
      boutons.push({ th: th, bouton: bouton, indice: indice, aide: aide });
      bouton.addEventListener("click", function () {
        var actuel = th.getAttribute("aria-sort");
        trier(index, actuel === "ascending" ? "descending" : "ascending");
      });
    });

    function trier(index, sens) {
      var facteur = sens === "ascending" ? 1 : -1;
      var triees = lignes.slice().sort(function (a, b) {
        var r = texteCellule(a, index).localeCompare(texteCellule(b, index), "fr",
                                                     { numeric: true, sensitivity: "base" });
        if (r === 0) { return Number(a.getAttribute("data-ordre")) - Number(b.getAttribute("data-ordre")); }
        return r * facteur;
      });
      triees.forEach(function (ligne) { corps.appendChild(ligne); });
      boutons.forEach(function (b, i) {
        if (i === index) {
          b.th.setAttribute("aria-sort", sens);
          b.indice.textContent = sens === "ascending" ? "▲" : "▼";
          b.aide.textContent = sens === "ascending" ? " (tri croissant)" : " (tri décroissant)";
        } else {
          b.th.removeAttribute("aria-sort");
          b.indice.textContent = "↕";
          b.aide.textContent = " (trier)";
        }
      });
    }

    appliquer();
  }

  function demarrer() {
    Array.prototype.forEach.call(document.querySelectorAll("table[data-filtrable]"), function (t) {
      if (!t.hasAttribute("data-filtrable-installe")) {
        t.setAttribute("data-filtrable-installe", "");
        installer(t);
      }
    });
  }

  /* Material's instant navigation replaces the page without reloading scripts. */
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(demarrer);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", demarrer);
  } else {
    demarrer();
  }
})();
