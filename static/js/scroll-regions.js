// A table too wide for the screen scrolls in its own box; someone without a mouse or touch
// screen can scroll it only if it can take focus. Only boxes that do scroll get a tab stop.
(function () {
  "use strict";
  function mark() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth) {
        box.setAttribute("tabindex", "0");
      } else {
        box.removeAttribute("tabindex");
      }
    });
  }
  mark();
  window.addEventListener("resize", mark);
})();
