/*
 * Tri et filtres des tableaux du référentiel et des fiches.
 *
 * Amélioration progressive : sans JavaScript, les tableaux restent complets. Le
 * script cherche les <table data-filtrable data-filtres="…">, insère au-dessus un
 * formulaire de filtres (listes déroulantes, champ de recherche), rend les en-têtes
 * de colonnes triables (boutons, aria-sort) et annonce le nombre de lignes
 * affichées. Les valeurs d'une ligne sont dans les attributs data-* de ses
 * cellules, séparées par « | ». Sur un tableau marqué data-etat-url (les fiches),
 * les filtres, la recherche et le tri sont gardés dans l'adresse de la page.
 * Aucune requête réseau ; le DOM est construit nœud par nœud.
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
    // A grouped table (the framework: one <tbody> per dimension) has heading
    // rows marked data-groupe="level": shown while one of their rows is, never
    // counted, and searched with each of their rows; such a table is not sorted.
    var toutes = [];
    Array.prototype.forEach.call(table.tBodies, function (b) {
      toutes = toutes.concat(Array.prototype.slice.call(b.rows));
    });
    var titres = toutes.filter(function (l) { return l.hasAttribute("data-groupe"); });
    var lignes = toutes.filter(function (l) { return !l.hasAttribute("data-groupe"); });
    var textes = [], niveaux = [];
    toutes.forEach(function (l) {
      var n = Number(l.getAttribute("data-groupe"));
      if (n) { niveaux.length = n - 1; niveaux.push(l.textContent); }
      else { textes.push(normaliser(niveaux.join(" ") + " " + l.textContent)); }
    });
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
      select.filtre = f;
      remplir(select, "");
      select.addEventListener("change", function () { restreindre(select); appliquer(); ecrireUrl(); });
      champ.appendChild(select);
      formulaire.appendChild(champ);
      listes.push(select);
    });
    var idRecherche = prefixe + "-recherche";
    var champRecherche = el("div", { "class": "ref-filtres__champ ref-filtres__recherche" });
    champRecherche.appendChild(el("label", { "for": idRecherche }, "Rechercher dans le tableau"));
    var recherche = el("input", { "id": idRecherche, "type": "search", "autocomplete": "off" });
    recherche.addEventListener("input", function () { appliquer(); ecrireUrl(); });
    champRecherche.appendChild(recherche);
    formulaire.appendChild(champRecherche);
    var reinitialiser = el("button", { "type": "button", "class": "md-button ref-filtres__reinit" },
                           "Réinitialiser les filtres");
    reinitialiser.addEventListener("click", function () {
      listes.forEach(function (s) { s.value = ""; });
      restreindre();
      recherche.value = "";
      appliquer();
      ecrireUrl();
    });
    formulaire.appendChild(reinitialiser);
    if (table.hasAttribute("data-etat-url") && window.URLSearchParams) {
      formulaire.appendChild(el("p", { "class": "ref-filtres__etat" },
        "L'adresse de la page garde ces choix : copiez-la pour partager la liste ainsi filtrée."));
    }
    // The count of rows shown: in the caption when it has a place for it
    // (<span data-compte data-unite="fiche" data-unites="fiches">), announced
    // politely; otherwise in a status line under the filters.
    var compte = table.caption ? table.caption.querySelector("[data-compte]") : null;
    var etat = null;
    if (compte) {
      compte.setAttribute("aria-live", "polite");
      compte.setAttribute("aria-atomic", "true");
    } else {
      etat = el("p", { "class": "ref-filtres__etat", "aria-live": "polite", "role": "status",
                       "id": prefixe + "-etat" });
      formulaire.appendChild(etat);
    }
    // Above the box that scrolls sideways on a phone (Material wraps tables
    // in .md-typeset__scrollwrap), so that the filters keep the page's width.
    var boite = table.closest(".md-typeset__scrollwrap") || table;
    boite.parentNode.insertBefore(formulaire, boite);

    function appliquer() {
      var mots = normaliser(recherche.value).split(" ").filter(Boolean);
      var visibles = 0;
      lignes.forEach(function (ligne, i) {
        var d = donnees(ligne);
        var ok = listes.every(function (s) {
          if (!s.value) { return true; }
          var v = d[s.getAttribute("data-cle")];
          return v !== undefined && v.split("|").indexOf(s.value) !== -1;
        });
        if (ok && mots.length) {
          var texte = textes[i];
          ok = mots.every(function (m) { return texte.indexOf(m) !== -1; });
        }
        if (ok) { ligne.removeAttribute("hidden"); visibles += 1; }
        else { ligne.setAttribute("hidden", ""); }
      });
      titres.forEach(function (titre) {
        var niveau = Number(titre.getAttribute("data-groupe")), vu = false;
        for (var k = toutes.indexOf(titre) + 1; k < toutes.length && !vu; k += 1) {
          var n = Number(toutes[k].getAttribute("data-groupe"));
          if (n && n <= niveau) { break; }
          vu = !n && !toutes[k].hidden;
        }
        if (vu) { titre.removeAttribute("hidden"); } else { titre.setAttribute("hidden", ""); }
      });
      if (compte) {
        var unite = function (n) {
          return n + " " + compte.getAttribute(n > 1 ? "data-unites" : "data-unite");
        };
        compte.textContent = visibles === total ? unite(total) : unite(visibles) + " sur " + total;
      } else {
        etat.textContent = visibles + (visibles > 1 ? " lignes affichées" : " ligne affichée") +
          " sur " + total;
      }
    }

    /* A filter that depends on another (« depend »: the criteria of the
       dimension chosen) lists only the options whose third item is that
       filter's value; a value no longer listed goes back to « Tous ». */
    function remplir(select, parent) {
      var f = select.filtre, garde = select.value;
      while (select.firstChild) { select.removeChild(select.firstChild); }
      select.appendChild(el("option", { "value": "" }, "Tous"));
      f.options.forEach(function (o) {
        if (f.depend && parent && o[2] !== parent) { return; }
        select.appendChild(el("option", { "value": o[0] }, o[1]));
      });
      select.value = garde;
      if (select.value !== garde) { select.value = ""; }
    }

    function restreindre(source) {
      listes.forEach(function (s) {
        if (!s.filtre.depend || s === source) { return; }
        var parent = listes.filter(function (p) { return p.filtre.cle === s.filtre.depend; })[0];
        remplir(s, parent ? parent.value : "");
      });
    }

    /* -- the state in the page's address (tables marked data-etat-url) --
       ?dimension=EP&critere=EP1&public=jeunes&recherche=…&tri=acteur&ordre=decroissant :
       a filtered list can be shared, and comes back on reload or « Back ».
       The address is replaced, never pushed: changing a filter adds no step to
       the history. A value the table does not know is ignored, then dropped
       from the address. (« recherche », not « q », which Material's search reads.) */
    var avecUrl = table.hasAttribute("data-etat-url") && !!window.URLSearchParams;
    var triActuel = null;

    function nomParam(s) { return s.filtre.param || s.filtre.cle; }

    function lireUrl() {
      if (!avecUrl) { return; }
      var p = new URLSearchParams(window.location.search);
      var parDependance = function (dependant) {
        return listes.filter(function (s) { return !!s.filtre.depend === dependant; });
      };
      [false, true].forEach(function (dependant) {
        parDependance(dependant).forEach(function (s) {
          var v = p.get(nomParam(s));
          s.value = v === null ? "" : v;
          if (s.value !== v) { s.value = ""; }
        });
        restreindre();
      });
      recherche.value = (p.get("recherche") || "").slice(0, 200);
      var tri = p.get("tri");
      var index = -1;
      boutons.forEach(function (b, i) { if (b.cle === tri) { index = i; } });
      if (index >= 0) {
        trier(index, p.get("ordre") === "decroissant" ? "descending" : "ascending");
      } else if (triActuel) {
        trier(-1, "ascending");
      }
    }

    function ecrireUrl() {
      if (!avecUrl || !window.history || !window.history.replaceState) { return; }
      var url = new URL(window.location.href);
      var p = url.searchParams;
      var mettre = function (nom, valeur) {
        if (valeur) { p.set(nom, valeur); } else { p.delete(nom); }
      };
      listes.forEach(function (s) { mettre(nomParam(s), s.value); });
      mettre("recherche", recherche.value.trim());
      mettre("tri", triActuel ? boutons[triActuel.index].cle : "");
      mettre("ordre", triActuel && triActuel.sens === "descending" ? "decroissant" : "");
      if (url.href !== window.location.href) {
        window.history.replaceState(window.history.state, "", url.href);
      }
    }

    /* -- sortable headers -- */
    var entetes = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var boutons = [];
    (titres.length ? [] : entetes).forEach(function (th, index) {
      var libelle = th.textContent.trim();
      var bouton = el("button", { "type": "button", "class": "ref-tri" });
      bouton.appendChild(el("span", {}, libelle));
      var indice = el("span", { "class": "ref-tri__indice", "aria-hidden": "true" }, "↕");
      bouton.appendChild(indice);
      var aide = el("span", { "class": "ref-sr" }, " (trier)");
      bouton.appendChild(aide);
      while (th.firstChild) { th.removeChild(th.firstChild); }
      th.appendChild(bouton);
      boutons.push({ th: th, bouton: bouton, indice: indice, aide: aide,
                     cle: normaliser(libelle).replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") });
      bouton.addEventListener("click", function () {
        var actuel = th.getAttribute("aria-sort");
        trier(index, actuel === "ascending" ? "descending" : "ascending");
        ecrireUrl();
      });
    });

    /* index -1: back to the table's own order (the address names no sort). */
    function trier(index, sens) {
      var facteur = sens === "ascending" ? 1 : -1;
      triActuel = index >= 0 ? { index: index, sens: sens } : null;
      var triees = lignes.slice().sort(function (a, b) {
        var r = index < 0 ? 0 : texteCellule(a, index).localeCompare(texteCellule(b, index), "fr",
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

    lireUrl();
    appliquer();
    ecrireUrl();
    if (avecUrl) {
      window.addEventListener("popstate", function () { lireUrl(); appliquer(); });
    }
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
