// On the page that embeds curator iframes: size each iframe to the height it reports.
(function () {
  "use strict";
  // Responsive and borderless, set from script too: a host CSP without 'unsafe-inline' drops the
  // snippet's style attribute. The width attribute stays the maximum.
  document.querySelectorAll("iframe.curator-frame").forEach(function (frame) {
    frame.style.border = "0";
    frame.style.width = "100%";
    frame.style.maxWidth = (frame.getAttribute("width") || "550") + "px";
  });
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
