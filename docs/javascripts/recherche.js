/* The site's search, loaded by the header's box on first use
 * (overrides/partials/search-pagefind.html).
 *
 * It queries the Pagefind index written after the build
 * (src/referentiel/sorties/recherche.py), which downloads only the chunks a
 * query needs and one fragment per result shown, and shows the results in
 * Material's markup. Its rules come from the index's folder, as data
 * (pagefind/recherche.json): the French elisions and the words found
 * everywhere, left out of a query, the label of each kind of page, Pagefind's
 * options (ranking, excerpt length).
 *
 * Keyboard, as Material's search: « / », « s », « f » focus the box (the
 * bootstrap, which also closes the search on Escape or Tab), arrows move
 * through the results, Enter opens the first one.
 */
(function () {
  "use strict";

  // Results shown at first (each one downloads its fragment, 3 KB), then
  // as many more at each « Afficher … de plus ».
  var PAR_PAGE = 8;
  // Of the first ones, shown at once; the others once the reader has paused
  // (ms): a query typed letter by letter downloads four fragments per letter.
  var PREMIERS = 4;
  var PAUSE = 500;
  // The search starts once the reader has stopped typing for this long (ms),
  // as Pagefind's own interface does: a list of results per letter would
  // download a page of fragments per letter.
  var ATTENTE = 300;
  var boite = document.querySelector("[data-ref-recherche]");
  if (!boite || boite.getAttribute("data-ref-pret")) { return; }
  boite.setAttribute("data-ref-pret", "1");

  var champ = boite.querySelector(".md-search__input");
  var bascule = document.getElementById("__search");
  var etat = boite.querySelector(".md-search-result__meta");
  var liste = boite.querySelector(".md-search-result__list");
  var dossier = new URL(boite.getAttribute("data-ref-index"), document.baseURI);
  var racine = new URL(boite.getAttribute("data-ref-racine").replace(/\/?$/, "/"), document.baseURI);

  var TEXTES = {
    attente: "Tapez un mot pour chercher dans le site",
    chargement: "Chargement de la recherche…",
    court: "Tapez au moins deux lettres",
    aucun: function (q) { return "Aucune page ne correspond à « " + q + " »"; },
    nombre: function (n) { return n === 1 ? "1 page trouvée" : n + " pages trouvées"; },
    plus: function (n) { return "Afficher " + n + " résultat" + (n > 1 ? "s" : "") + " de plus"; },
    indisponible: "La recherche n'est pas disponible : son index manque. Dans l'aperçu (« make serve »), "
      + "il s'écrit quelques secondes après chaque reconstruction ; sinon, construisez le site "
      + "avec « make build » et servez le dossier site/.",
    fichier: "La recherche a besoin d'un serveur web : servez le dossier du site, "
      + "par exemple avec « python3 -m http.server »."
  };

  // The stylesheet of the results, with the search only.
  var feuille = document.createElement("link");
  feuille.rel = "stylesheet";
  feuille.href = new URL("../stylesheets/recherche.css", document.currentScript.src).href;
  document.head.appendChild(feuille);

  var regles = null;
  var moteur = null;
  var pret = null;
  var essais = 0;
  var elisions = null;

  function demarrer() {
    if (pret) { return pret; }
    if (location.protocol === "file:") {
      pret = Promise.reject(new Error(TEXTES.fichier));
    } else {
      pret = Promise.all([
        fetch(new URL("recherche.json", dossier)).then(function (r) {
          if (!r.ok) { throw new Error(TEXTES.indisponible); }
          return r.json();
        }),
        // A failed import stays failed for its URL: a new one for each try.
        import(new URL("pagefind.js" + (essais ? "?essai=" + essais : ""), dossier).href)
      ]).then(function (res) {
        regles = res[0];
        moteur = res[1];
        elisions = new RegExp("(^|[^\\p{L}\\p{N}])(?:" + regles.elisions.join("|") + ")['\u2019](?=[\\p{L}\\p{N}])", "giu");
        var options = Object.assign({}, regles.options, {baseUrl: racine.pathname, basePath: dossier.pathname});
        return moteur.options(options).then(function () { return moteur.init(); });
      }).catch(function (err) {
        pret = null;  // the next search tries again (the preview writes its index after the build)
        essais += 1;
        throw new Error(err && err.message === TEXTES.fichier ? TEXTES.fichier : TEXTES.indisponible);
      });
    }
    return pret;
  }

  /* The query as Pagefind gets it: without the elisions (« l'isolement »
     also finds « isolement »), the typographic apostrophe straightened, the
     parts of a hyphenated word apart (« eux-mêmes », indexed as « eux » and
     « mêmes »), without the one-letter words (not the digits) and, if other
     words remain, the words found everywhere (« accès aux droits » is
     « accès droits »). ``fini``: the reader pressed Enter. */
  function preparer(q, fini) {
    var termes = q.replace(elisions, "$1").replace(/\u2019/g, "'").split(/[\s\-\u2010\u2011]+/).filter(function (m) {
      var plein = m.replace(/[^\p{L}\p{N}]/gu, "");
      return plein.length > 1 || /\p{N}/u.test(plein);
    });
    var pleins = termes.filter(function (m) { return regles.motsVides.indexOf(m.toLowerCase()) < 0; });
    termes = pleins.length ? pleins : termes;
    // A last word of two letters, after others, is most likely being typed:
    // searched once it has a third (each prefix downloads its own chunks).
    var dernier = termes.length > 1 ? termes[termes.length - 1].replace(/[^\p{L}\p{N}]/gu, "") : "";
    if (!fini && dernier.length === 2 && !/\p{N}/u.test(dernier) && !/\s$/.test(q)) { termes.pop(); }
    return termes.join(" ");
  }

  function element(nom, classe, texte) {
    var el = document.createElement(nom);
    if (classe) { el.className = classe; }
    if (texte) { el.textContent = texte; }
    return el;
  }

  /* An excerpt without the separators it may start with (« · Lien social »). */
  function propre(extrait) {
    return extrait.replace(/^[\s·.,;:—–-]+/, "");
  }

  function mots(texte) {
    return texte.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }

  /* Whether two excerpts show the same passage: six words in a row in common. */
  function recoupe(a, b) {
    var suites = {};
    for (var i = 0; i + 6 <= b.length; i++) { suites[b.slice(i, i + 6).join(" ")] = true; }
    for (var j = 0; j + 6 <= a.length; j++) { if (suites[a.slice(j, j + 6).join(" ")]) { return true; } }
    return false;
  }

  /* One result, as Material renders one: the page, then its best sections. */
  function rendre(donnees, score) {
    var item = element("li", "md-search-result__item");
    var lien = element("a", "md-search-result__link");
    lien.href = donnees.url;
    lien.tabIndex = -1;
    var article = element("article", "md-search-result__article md-typeset");
    article.setAttribute("data-md-score", score.toFixed(2));
    article.appendChild(element("div", "md-search-result__icon md-icon"));
    var titre = element("h1");
    var genre = (regles.genres || {})[donnees.meta.genre];
    if (genre) { titre.appendChild(element("span", "ref-recherche__genre", genre + " ")); }
    titre.appendChild(document.createTextNode(donnees.meta.title || donnees.url));
    // A retired item keeps its page: its result says so, with the pages' badge (the words come from the index).
    if (donnees.meta.retire) {
      titre.appendChild(document.createTextNode(" "));
      titre.appendChild(element("span", "ref-retire ref-recherche__retire", donnees.meta.retire));
    }
    article.appendChild(titre);
    var extrait = element("p");
    extrait.innerHTML = propre(donnees.excerpt);  // escaped by Pagefind, with <mark>
    article.appendChild(extrait);
    lien.appendChild(article);
    item.appendChild(lien);
    // Sections: the two with the most weight of matched words, in the page's
    // order; not the page's title, nor a heading alone (« Utilité sociale. »),
    // nor the passage the page's excerpt already shows.
    var dejaVu = mots(donnees.plain_excerpt || "");
    var sections = (donnees.sub_results || []).filter(function (s) {
      var texte = (s.plain_excerpt || "").replace(s.title, "").replace(/[\s.]/g, "");
      return s.url.indexOf("#") > 0 && !(s.anchor && s.anchor.element === "h1") && texte !== ""
        && !recoupe(mots(s.plain_excerpt || ""), dejaVu);
    }).map(function (s, k) {
      var poids = (s.weighted_locations || []).reduce(function (t, l) { return t + l.balanced_score; }, 0);
      return {s: s, k: k, poids: poids};
    }).sort(function (a, b) { return b.poids - a.poids; }).slice(0, 2)
      .sort(function (a, b) { return a.k - b.k; });
    sections.forEach(function (x) {
      var sl = element("a", "md-search-result__link");
      sl.href = x.s.url;
      sl.tabIndex = -1;
      var sa = element("article", "md-search-result__article md-typeset");
      sa.appendChild(element("h2", null, x.s.title));
      var se = element("p");
      se.innerHTML = propre(x.s.excerpt);
      sa.appendChild(se);
      sl.appendChild(sa);
      item.appendChild(sl);
    });
    return item;
  }

  var tour = 0;
  var courants = [];
  var montres = 0;

  function afficherSuite(n, sansBouton) {
    var moi = tour;
    var lot = courants.slice(montres, montres + n);
    montres += lot.length;
    return Promise.all(lot.map(function (r) { return r.data(); })).then(function (toutes) {
      if (moi !== tour) { return; }
      var bouton = liste.querySelector(".ref-recherche__plus");
      if (bouton) { bouton.parentNode.remove(); }
      toutes.forEach(function (d, k) { liste.appendChild(rendre(d, lot[k].score)); });
      var reste = courants.length - montres;
      if (reste > 0 && !sansBouton) {
        var li = element("li", "md-search-result__item");
        var b = element("button", "md-search-result__more ref-recherche__plus", TEXTES.plus(Math.min(reste, PAR_PAGE)));
        b.type = "button";
        b.tabIndex = -1;
        b.addEventListener("click", function () {
          var precedent = montres;
          afficherSuite(PAR_PAGE).then(function () {
            var premier = liste.querySelectorAll(".md-search-result__item")[precedent];
            var cible = premier && premier.querySelector("a");
            if (cible) { cible.focus(); }
          });
        });
        li.appendChild(b);
        liste.appendChild(li);
      }
    });
  }

  function annoncer(texte) {
    if (etat.textContent !== texte) { etat.textContent = texte; }
  }

  var minuteur = null;
  var derniere = Promise.resolve();   // the last search, its first page of results shown
  var premiers = Promise.resolve();   // the same, its first results shown
  var affichee = null;  // the query of the results shown

  function attendre(ms) {
    return new Promise(function (fin) { setTimeout(fin, ms); });
  }

  /* Search the box's query; resolves once its results are shown. ``fini``: Enter. */
  function chercher(fini) {
    fini = fini === true;
    clearTimeout(minuteur);
    minuteur = null;
    var brut = champ.value;
    if (brut === affichee && (!fini || !regles || preparer(brut, true) === preparer(brut, false))) { return derniere; }
    var moi = ++tour;
    function montrer(texte) {
      if (moi !== tour) { return; }
      annoncer(texte);
      affichee = brut;
      // The query these results answer (tests and measures wait for it).
      boite.setAttribute("data-ref-resultats", brut);
    }
    if (!brut.trim()) {
      courants = [];
      liste.innerHTML = "";
      montrer(TEXTES.attente);
      return (premiers = derniere = Promise.resolve());
    }
    if (!moteur) { annoncer(TEXTES.chargement); }
    premiers = demarrer().then(function () {
      var q = preparer(brut, fini);
      return q ? moteur.search(q) : null;
    }).then(function (res) {
      if (moi !== tour) { return; }
      courants = res ? res.results : [];
      montres = 0;
      liste.innerHTML = "";
      liste.setAttribute("role", courants.length ? "list" : "presentation");
      if (res === null) { return montrer(TEXTES.court); }
      return afficherSuite(PREMIERS, courants.length > PREMIERS).then(function () {
        if (moi !== tour) { return; }
        annoncer(courants.length ? TEXTES.nombre(courants.length) : TEXTES.aucun(brut.trim()));
        boite.setAttribute("data-ref-premiers", brut);
      });
    });
    derniere = premiers.then(function () {
      if (moi !== tour || montres >= Math.min(PAR_PAGE, courants.length)) { return; }
      return attendre(PAUSE).then(function () {
        if (moi === tour) { return afficherSuite(PAR_PAGE - PREMIERS); }
      });
    }).then(function () {
      if (affichee !== brut) { montrer(etat.textContent); }
    }).catch(function (err) {
      if (moi !== tour) { return; }
      liste.innerHTML = "";
      montrer(err && err.message ? err.message : TEXTES.indisponible);
    });
    return derniere;
  }

  champ.addEventListener("input", function () {
    clearTimeout(minuteur);
    minuteur = setTimeout(chercher, ATTENTE);
  });
  champ.form.addEventListener("reset", function () {
    setTimeout(function () { chercher(); champ.focus(); });
  });

  // A click on a result closes the search (a section of the same page, say).
  liste.addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest("a")) { bascule.checked = false; }
  });

  addEventListener("keydown", function (e) {
    if (!bascule.checked || e.ctrlKey || e.metaKey || e.isComposing) { return; }
    var actif = document.activeElement;
    switch (e.key) {
      case "Enter":
        // The first (best) result, once the query typed is searched.
        if (actif === champ) {
          e.preventDefault();
          chercher(true);
          premiers.then(function () {
            var premier = liste.querySelector("a[href]");
            if (premier) { premier.click(); }
          }, function () {});
        }
        break;
      case "ArrowUp":
      case "ArrowDown":
        var arrets = [champ].concat(Array.prototype.slice.call(liste.querySelectorAll("a[href], button")));
        var i = Math.max(0, arrets.indexOf(actif));
        arrets[(i + arrets.length + (e.key === "ArrowUp" ? -1 : 1)) % arrets.length].focus();
        e.preventDefault();
        break;
      default:
        if (actif !== champ && e.key.length === 1 && !e.altKey) { champ.focus(); }
    }
  });

  // The reader may have typed while this script loaded.
  demarrer().catch(function () {});
  if (champ.value) { chercher(); }
}());
