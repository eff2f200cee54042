// The layouts that need a script; shared by the wall page, iframe pages and the web component
// (inlined at build).
//
// The carousel layout (WAI-ARIA APG carousel): a row of cards that scrolls sideways, with
// Previous/Next buttons, arrow keys on the focused row, and rotation only when asked for
// (data-autoplay="<seconds>"), with a Stop/Start button; rotation also stops while the pointer
// or the focus is in it. Cards are not announced as "slide 1 of 45": each is a figure named by
// its author.
function curatorCarousel(wall, label) {
  if (wall.parentNode.getAttribute("aria-roledescription")) return;
  var doc = wall.ownerDocument;
  var section = doc.createElement("section");
  section.setAttribute("aria-roledescription", "carousel");
  section.setAttribute("aria-label", label || "Testimonials");
  wall.parentNode.insertBefore(section, wall);
  var controls = doc.createElement("div");
  controls.className = "curator-carousel__controls";
  section.appendChild(controls);
  section.appendChild(wall);
  wall.tabIndex = 0;
  wall.setAttribute("aria-label", "Cards; arrow keys scroll");
  function button(text, name, act) {
    var b = doc.createElement("button");
    b.type = "button";
    b.textContent = text;
    b.setAttribute("aria-label", name);
    b.addEventListener("click", act);
    controls.appendChild(b);
    return b;
  }
  function step(direction) {
    var card = wall.querySelector("figure.curator-card");
    var width = card ? card.getBoundingClientRect().width + 16 : wall.clientWidth;
    var end = wall.scrollLeft + wall.clientWidth >= wall.scrollWidth - 2;
    wall.scrollTo({ left: direction > 0 && end ? 0 : wall.scrollLeft + direction * width, behavior: "smooth" });
  }
  button("\u2039", "Previous testimonial", function () { step(-1); });
  button("\u203a", "Next testimonial", function () { step(1); });
  wall.addEventListener("keydown", function (event) {
    var direction = { ArrowLeft: -1, ArrowRight: 1 }[event.key];
    if (direction) { event.preventDefault(); step(direction); }
  });
  var seconds = parseFloat(wall.getAttribute("data-autoplay"));
  if (!(seconds > 0)) return;
  var timer = null, stopped = false, held = false;
  function run() {
    clearInterval(timer);
    timer = stopped || held ? null : setInterval(function () { step(1); }, seconds * 1000);
    toggle.textContent = stopped ? "\u25b6" : "\u275a\u275a";
    toggle.setAttribute("aria-label", stopped ? "Start rotation" : "Stop rotation");
    wall.setAttribute("aria-live", timer ? "off" : "polite");  // a rotating carousel does not talk
  }
  var toggle = button("", "", function () { stopped = !stopped; run(); });
  controls.insertBefore(toggle, controls.firstChild);  // the rotation control comes first
  ["mouseenter", "focusin"].forEach(function (name) { section.addEventListener(name, function () { held = true; run(); }); });
  ["mouseleave", "focusout"].forEach(function (name) { section.addEventListener(name, function () { held = false; run(); }); });
  run();
}

// The masonry layout (the default) reads in the wall's order, row by row: the wall is a grid whose
// rows are one pixel tall and each card spans its own height, so the grid places the cards in
// order, each in the column that frees up first (CSS columns would read down each column).
// Without a script it stays a plain grid, in the same order. Hidden (filtered) cards leave the
// grid, so the filters keep the order too.
function curatorMasonry(wall) {
  var view = wall.ownerDocument.defaultView, layout = wall.getAttribute("data-layout");
  wall.setAttribute("data-packed", "");  // laid out in this task, before any paint: the page's stylesheet may show it now
  if ((layout && layout !== "masonry") || view.getComputedStyle(wall).display !== "grid" || !view.ResizeObserver) return;
  var cards = Array.prototype.filter.call(wall.children, function (child) { return child.matches("figure.curator-card"); });
  function pack() {
    var gap = parseFloat(view.getComputedStyle(wall).columnGap) || 0;
    var heights = cards.map(function (card) { return card.getBoundingClientRect().height; });  // all reads, then all writes
    cards.forEach(function (card, index) { card.style.gridRowEnd = "span " + Math.max(1, Math.ceil(heights[index] + gap)); });
  }
  wall.style.gridAutoRows = "1px";  // set from here (CSSOM, allowed by the strict CSP): only a packed wall has them
  wall.style.rowGap = "0";
  pack();
  var observer = new view.ResizeObserver(pack);  // fonts arriving, a narrower screen
  cards.forEach(function (card) { observer.observe(card); });
}
