// Typing a long note is activity, though the server sees nothing until the form is sent.
// While someone types, tell the server now and then, so the idle timeout does not end
// their login and lose what they wrote.
(function () {
  "use strict";
  var url = document.body.dataset.stillHereUrl;
  var tokenInput = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (!url || !tokenInput) {
    return;
  }
  var everyMs = Number(document.body.dataset.stillHereEvery) * 1000;
  var lastSent = Date.now();
  document.addEventListener("input", function () {
    if (Date.now() - lastSent < everyMs) {
      return;
    }
    lastSent = Date.now();
    fetch(url, {
      method: "POST",
      headers: { "X-CSRFToken": tokenInput.value },
      credentials: "same-origin",
    });
  });
})();
