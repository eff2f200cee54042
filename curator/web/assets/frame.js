// Inside an embed iframe: tell the parent page our height whenever it changes.
// Speaks curator's message and WordPress's ({message: "height", value, secret}).
(function () {
  "use strict";
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
