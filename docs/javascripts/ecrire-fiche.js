/*
 * The YAML text of a fiche, in the browser: the algorithm of
 * src/referentiel/sorties/fiche_yaml.py, line for line, on the same
 * decisions (key order, block texts, width, quoting, comments), which it
 * receives as data (D.ecriture, from referentiel.lecture.disposition).
 * tests/test_ecriture_fiche.py feeds the same fiches to both and compares
 * the bytes: change one, change the other.
 *
 * Lengths are counted in code points (Array.from), as Python's len().
 * Exposes one function: window.referentielEcrireFiche(D, fiche, options).
 */
(function () {
  "use strict";

  var caches = new WeakMap();

  /** The decisions, compiled once per layout object. */
  function compiler(D) {
    var c = caches.get(D);
    if (!c) {
      c = {
        D: D,
        L: D.largeur,
        plain: new RegExp(D.plain, "u"),
        echapper: new RegExp(D.a_echapper, "u"),
        echapperUn: new RegExp("^" + D.a_echapper + "$", "u"),
        coupure: new RegExp(D.coupure, "u"),
        blocs: new Set(D.blocs),
      };
      caches.set(D, c);
    }
    return c;
  }

  function longueur(texte) {
    return Array.from(texte).length;
  }

  function espaces(n) {
    return new Array(n + 1).join(" ");
  }

  function commentaire(c, retrait, texte) {
    var ligne = retrait + "# " + texte.replace(/[\r\n\u0085\u2028\u2029]+/g, " ");
    var points = Array.from(ligne);
    return points.length <= c.L ? ligne : points.slice(0, c.L - 1).join("") + "…";
  }

  function vide(v) {
    return v === null || v === undefined || (Array.isArray(v) && v.length === 0) ||
      (typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 0);
  }

  function cles(c, obj, chemin) {
    var ordre = c.D.ordre[chemin] || [];
    return ordre.filter(function (k) { return Object.prototype.hasOwnProperty.call(obj, k); })
      .concat(Object.keys(obj).filter(function (k) { return ordre.indexOf(k) < 0; }));
  }

  function mapping(c, obj, chemin, retrait, lignes, libelles, tiret) {
    var premier = true;
    cles(c, obj, chemin).forEach(function (cle) {
      var v = obj[cle];
      if (vide(v)) {
        return;
      }
      if (chemin === "") {
        if (c.D.vide_avant.indexOf(cle) >= 0 && lignes.length && lignes[lignes.length - 1] !== "") {
          lignes.push("");
        }
        if (Object.prototype.hasOwnProperty.call(c.D.commentaires, cle)) {
          lignes.push(commentaire(c, "", c.D.commentaires[cle]));
        }
      }
      var prefixe = (tiret && premier) ? espaces(retrait - 2) + "- " : espaces(retrait);
      premier = false;
      var sous = chemin ? chemin + "." + cle : cle;
      if (Array.isArray(v)) {
        lignes.push(prefixe + cle + ":");
        liste(c, v, sous, retrait + 2, lignes, libelles);
      } else if (typeof v === "object") {
        lignes.push(prefixe + cle + ":");
        mapping(c, v, sous, retrait + 2, lignes, libelles, false);
      } else {
        scalaire(c, prefixe + cle + ": ", String(v), retrait + 2, c.blocs.has(sous)).forEach(function (l) {
          lignes.push(l);
        });
      }
    });
  }

  function liste(c, v, chemin, retrait, lignes, libelles) {
    var champ = c.D.commentaire_element[chemin];
    v.forEach(function (element) {
      if (element !== null && typeof element === "object" && !Array.isArray(element)) {
        if (champ && typeof element[champ] === "string") {
          var ident = element[champ];
          lignes.push(commentaire(c, espaces(retrait),
            Object.prototype.hasOwnProperty.call(libelles, ident) ? ident + " · " + libelles[ident] : ident));
        }
        mapping(c, element, chemin + "[]", retrait + 2, lignes, libelles, true);
      } else {
        scalaire(c, espaces(retrait) + "- ", String(element), retrait + 2, false).forEach(function (l) {
          lignes.push(l);
        });
      }
    });
  }

  function scalaire(c, prefixe, valeur, suite, bloc) {
    if (!bloc) {
      var ligne = prefixe + (c.plain.test(valeur) ? valeur : '"' + unites(c, valeur).join("") + '"');
      if (longueur(ligne) <= c.L) {
        return [ligne];
      }
    }
    var pli = plier(c, valeur, c.L - suite);
    if (pli !== null) {
      return [prefixe + ">-"].concat(pli.map(function (x) { return x ? espaces(suite) + x : ""; }));
    }
    return guillemets(c, prefixe, valeur, suite);
  }

  function plier(c, valeur, largeur) {
    if (!valeur || valeur.indexOf("\t") >= 0 || c.echapper.test(valeur)) {
      return null;
    }
    var segments = valeur.split("\n");
    if (!segments[0] || !segments[segments.length - 1]) {
      return null;
    }
    var out = [];
    for (var n = 0; n < segments.length; n++) {
      var segment = segments[n];
      if (n) {
        out.push("");
      }
      if (!segment) {
        continue;
      }
      if (segment.charAt(0) === " " || segment.charAt(segment.length - 1) === " " || segment.indexOf("  ") >= 0) {
        return null;
      }
      var mots = segment.split(c.coupure);
      if (mots.some(function (m) { return longueur(m) > largeur; })) {
        return null;
      }
      var ligne = mots[0];
      for (var k = 1; k < mots.length; k++) {
        if (longueur(ligne) + 1 + longueur(mots[k]) <= largeur) {
          ligne += " " + mots[k];
        } else {
          out.push(ligne);
          ligne = mots[k];
        }
      }
      out.push(ligne);
    }
    return out;
  }

  /** Each character inside double quotes; a space after a space is escaped (see fiche_yaml._unites). */
  function unites(c, valeur) {
    var out = [];
    Array.from(valeur).forEach(function (ch) {
      out.push(unite(c, ch, out.length ? out[out.length - 1] : ""));
    });
    return out;
  }

  function unite(c, ch, avant) {
    if (ch === " " && avant === " ") {
      return "\\ ";
    }
    if (ch === "\\") {
      return "\\\\";
    }
    if (ch === '"') {
      return '\\"';
    }
    if (ch === "\n") {
      return "\\n";
    }
    if (ch === "\t") {
      return "\\t";
    }
    if (c.echapperUn.test(ch)) {
      return "\\u" + ("000" + ch.codePointAt(0).toString(16)).slice(-4);
    }
    return ch;
  }

  function somme(liste_, debut) {
    var n = 0;
    for (var k = debut; k < liste_.length; k++) {
      n += longueur(liste_[k]);
    }
    return n;
  }

  function guillemets(c, prefixe, valeur, suite) {
    var u = unites(c, valeur);
    var lignes = [];
    var ligne = prefixe + '"';
    var i = 0;
    for (;;) {
      if (longueur(ligne) + somme(u, i) + 1 <= c.L) {
        lignes.push(ligne + u.slice(i).join("") + '"');
        return lignes;
      }
      var place = c.L - longueur(ligne) - 1;
      var j = i;
      var lg = 0;
      while (j < u.length && lg + longueur(u[j]) <= place) {
        lg += longueur(u[j]);
        j++;
      }
      var k = j;
      while (k > i + 1 && u[k - 1] !== " ") {
        k--;
      }
      if (k > i + 1) {
        j = k;
      }
      j = Math.max(j, i + 1);
      lignes.push(ligne + u.slice(i, j).join("") + "\\");
      i = j;
      ligne = espaces(suite) + (i < u.length && u[i] === " " ? "\\" : "");
    }
  }

  /**
   * The YAML text of a fiche. D: the layout (D.ecriture of the form's data);
   * options: {libelles: {id: label}, en_tete: [comment lines]}.
   */
  function ecrireFiche(D, fiche, options) {
    var c = compiler(D);
    var o = options || {};
    var lignes = [];
    var enTete = o.en_tete || [];
    enTete.forEach(function (texte) {
      lignes.push(commentaire(c, "", texte));
    });
    if (enTete.length) {
      lignes.push("");
    }
    mapping(c, fiche, "", 0, lignes, o.libelles || {}, false);
    return lignes.join("\n") + "\n";
  }

  window.referentielEcrireFiche = ecrireFiche;
})();
