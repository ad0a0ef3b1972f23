// After a refused form, focus moves to the summary of what was wrong, so that a screen
// reader announces it and a keyboard user starts there; each line leads to its field.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) {
    return;
  }
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-field]");
    if (!link) {
      return;
    }
    var id = link.dataset.field;
    // Radio buttons and tick lists have no element with the field's own id: their
    // wrapper (crispy's div_id_…) holds the first choice.
    var field = document.getElementById(id);
    var wrapper = document.getElementById("div_" + id);
    if (!field && wrapper) {
      field = wrapper.querySelector("input, select, textarea");
    }
    if (field) {
      event.preventDefault();
      field.focus();
      field.scrollIntoView({ block: "center" });
    }
  });
})();
