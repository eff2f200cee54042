// Wall filters: shown only when JavaScript runs; without it every card stays visible.
(function () {
  "use strict";
  document.querySelectorAll(".curator-filters").forEach(function (bar) {
    var wall = bar.nextElementSibling;
    var chosen = { tag: "", platform: "", kind: "" };
    var attribute = { tag: "data-tag", platform: "data-platform", kind: "data-kind" };
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
})();
