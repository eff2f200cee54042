// curator's script for the wall's pages (Material theme). Everything it adds is optional:
// without JavaScript every card is visible and the snippets can be selected by hand.
(function () {
  "use strict";

  // Wall filters by tag and platform, without reloading.
  document.querySelectorAll(".curator-filters").forEach(function (bar) {
    var wall = bar.nextElementSibling;
    var chosen = { tag: "", platform: "" };
    var attribute = { tag: "data-tag", platform: "data-platform" };
    function shows(card) {
      return Object.keys(chosen).every(function (group) {
        var want = chosen[group];
        return !want || (card.getAttribute(attribute[group]) || "").split(" ").indexOf(want) !== -1;
      });
    }
    bar.hidden = false;
    bar.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-filter]");
      if (!button) return;
      var group = button.getAttribute("data-filter");
      chosen[group] = button.getAttribute("data-value");
      bar.querySelectorAll('button[data-filter="' + group + '"]').forEach(function (other) {
        other.setAttribute("aria-pressed", String(other === button));
      });
      wall.querySelectorAll(".curator-card").forEach(function (card) { card.hidden = !shows(card); });
    });
  });

  // Copy buttons on snippet codes.
  document.querySelectorAll("button.curator-copy").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var code = button.parentElement.querySelector("code");
      navigator.clipboard.writeText(code.textContent).then(function () {
        button.textContent = "Copied";
        setTimeout(function () { button.textContent = "Copy"; }, 1500);
      });
    });
  });

  // Material's search overlay is a dialog without a name; screen readers announce it unnamed.
  document.querySelectorAll('.md-search[role="dialog"]:not([aria-label])').forEach(function (dialog) {
    dialog.setAttribute("aria-label", "Search");
  });
})();
