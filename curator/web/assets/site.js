// curator's script for every page of the site (Material theme; layouts.js is prepended at build). Everything it adds is optional:
// without JavaScript every card is visible and the snippets can be selected by hand.
(function () {
  "use strict";

  // Wall filters by tag and platform, without reloading. "All" (no group) clears both; a
  // pressed tag or platform pressed again is let go.
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
    function pressed(button) {
      var group = button.getAttribute("data-filter");
      return group ? chosen[group] === button.getAttribute("data-value") : !chosen.tag && !chosen.platform;
    }
    bar.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-filter]");
      if (!button) return;
      var group = button.getAttribute("data-filter"), value = button.getAttribute("data-value");
      if (!group) chosen = { tag: "", platform: "" };
      else chosen[group] = chosen[group] === value ? "" : value;
      bar.querySelectorAll("button[data-filter]").forEach(function (other) {
        other.setAttribute("aria-pressed", String(pressed(other)));
      });
      wall.querySelectorAll(".curator-card").forEach(function (card) { card.hidden = !shows(card); });
    });
  });

  document.querySelectorAll('.curator-wall[data-layout="carousel"]').forEach(function (wall) { curatorCarousel(wall); });
  document.querySelectorAll(".curator-wall").forEach(curatorMasonry);

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

  // The theme's scripts wait in a template until the page has loaded and been painted (see web/theme_markup.py; on a fast link "load" can come before the first
  // paint): run them then, one after the other, in their order.
  var later = document.getElementById("curator-after-load");
  function runLater() {
    var waiting = Array.prototype.slice.call(later.content.querySelectorAll("script"));
    later.remove();
    (function next() {
      var inert = waiting.shift();
      if (!inert) return;
      var script = document.createElement("script");
      Array.prototype.forEach.call(inert.attributes, function (attribute) {
        script.setAttribute(attribute.name, attribute.value);
      });
      script.text = inert.text;
      if (script.src) {
        script.onload = script.onerror = next;
        document.body.appendChild(script);
      } else {
        document.body.appendChild(script);
        next();
      }
    })();
  }
  function afterPaint() {
    requestAnimationFrame(function () { setTimeout(runLater, 0); });
  }
  if (later && document.readyState === "complete") afterPaint();
  else if (later) window.addEventListener("load", afterPaint);

  // Material's search overlay is a dialog without a name; screen readers announce it unnamed.
  document.querySelectorAll('.md-search[role="dialog"]:not([aria-label])').forEach(function (dialog) {
    dialog.setAttribute("aria-label", "Search");
  });
})();
