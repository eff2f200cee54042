// Inside an embed iframe: tell the parent page our height whenever it changes.
// Speaks curator's message and WordPress's ({message: "height", value, secret}).
// ?layout=grid&theme=dark choose the layout and theme (layouts.js is prepended at build).
(function () {
  "use strict";
  var options = new URLSearchParams(location.search);
  var wall = document.querySelector(".curator-wall");
  var layout = options.get("layout"), theme = options.get("theme");
  if (/^(masonry|grid|carousel|list|single|badge)$/.test(layout)) wall.setAttribute("data-layout", layout);
  if (/^(light|dark|auto)$/.test(theme)) document.body.setAttribute("data-curator-theme", theme);
  if (wall.getAttribute("data-layout") === "carousel") curatorCarousel(wall);
  curatorMasonry(wall);
  var match = /secret=([A-Za-z0-9]{10})/.exec(location.hash);
  var last = 0;
  function report() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    parent.postMessage({ type: "curator:height", height: height }, "*");
    if (match) parent.postMessage({ message: "height", value: height, secret: match[1] }, "*");
  }
  new ResizeObserver(report).observe(document.documentElement);
  report();
})();
