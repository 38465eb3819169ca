/*
 * « Versions et changements » : le formulaire « Comparer deux versions ».
 *
 * Amélioration progressive : sans JavaScript, le formulaire reste caché et la
 * page donne la liste des comparaisons. Les comparaisons qui existent, leurs
 * adresses et le message à montrer sinon sont écrits par la construction du site
 * (src/referentiel/pages/versions.py) dans <script id="ref-comparaisons"> : le
 * script ne fait que chercher la paire choisie et y aller.
 */
(function () {
  "use strict";

  function installer() {
    var formulaire = document.querySelector("form[data-comparer]");
    var source = document.getElementById("ref-comparaisons");
    if (!formulaire || !source) { return; }
    var donnees;
    try {
      donnees = JSON.parse(source.textContent);
    } catch (e) {
      return;
    }
    var message = formulaire.querySelector(".ref-comparer__message");
    formulaire.hidden = false;
    formulaire.addEventListener("submit", function (evenement) {
      evenement.preventDefault();
      var de = formulaire.elements.de.value;
      var a = formulaire.elements.a.value;
      var paire = (donnees.paires || []).filter(function (p) { return p.de === de && p.a === a; })[0];
      if (paire) {
        window.location.href = paire.url;
      } else if (message) {
        message.textContent = donnees.message || "";
      }
    });
    formulaire.addEventListener("change", function () {
      if (message) { message.textContent = ""; }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", installer);
  } else {
    installer();
  }
})();
