// On the page that embeds curator iframes: size each iframe to the height it reports.
(function () {
  "use strict";
  // No border, set from script: a host CSP without 'unsafe-inline' would drop a style attribute.
  document.querySelectorAll("iframe.curator-frame").forEach(function (frame) { frame.style.border = "0"; });
  addEventListener("message", function (event) {
    var data = event.data;
    if (!data || data.type !== "curator:height" || typeof data.height !== "number") return;
    document.querySelectorAll("iframe.curator-frame").forEach(function (frame) {
      if (frame.contentWindow === event.source) {
        frame.height = String(Math.min(Math.max(Math.round(data.height), 50), 20000));
      }
    });
  });
})();
