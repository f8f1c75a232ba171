// The check page: say that the check is running, refuse too-large files at once, and show one figure's
// evidence at a time next to the article (without this script every card is listed and linked).
"use strict";
(function () {
  var form = document.querySelector("form.check-form");
  var status = document.getElementById("check-status");
  if (form) {
    var maxBytes = parseInt(form.getAttribute("data-max-bytes"), 10);
    var file = form.querySelector("input[type=file]");
    if (file) {
      file.addEventListener("change", function () {
        if (file.files.length && file.files[0].size > maxBytes) {
          if (status) status.textContent = file.files[0].name + ": " + file.files[0].size.toLocaleString() + " > " + maxBytes.toLocaleString() + " bytes";
          file.value = "";
        }
      });
    }
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[type=submit]");
      if (button) {
        button.disabled = true;
        if (status) status.textContent = button.getAttribute("data-working") || "…";
      }
    });
  }
  var cards = document.querySelectorAll("#evidence-panel article.evidence");
  var claims = document.querySelectorAll("a.claim");
  if (!cards.length) return;
  var show = function (index, focus) {
    cards.forEach(function (card) { card.hidden = card.id !== "ev-" + index; });
    claims.forEach(function (claim) {
      claim.setAttribute("aria-current", claim.getAttribute("data-claim") === String(index) ? "true" : "false");
    });
    var card = document.getElementById("ev-" + index);
    if (card && focus) card.focus({ preventScroll: true });
  };
  claims.forEach(function (claim) {
    claim.addEventListener("click", function (event) {
      event.preventDefault();
      show(claim.getAttribute("data-claim"), true);
      if (history.replaceState) history.replaceState(null, "", "#ev-" + claim.getAttribute("data-claim"));
    });
  });
  var wanted = /^#ev-(\d+)$/.exec(location.hash);
  show(wanted ? wanted[1] : claims.length ? claims[0].getAttribute("data-claim") : 0, false);
})();
