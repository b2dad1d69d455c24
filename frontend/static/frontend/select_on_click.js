// Clicking a read-only field marked data-select-on-click (the calendar address) selects all of
// it, ready to copy. In a file, not an onclick attribute: the Content-Security-Policy allows no
// inline script.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    const field = event.target.closest && event.target.closest("[data-select-on-click]");
    if (field && typeof field.select === "function") field.select();
  });
})();
