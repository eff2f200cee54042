// curator web component: <curator-wall tag limit layout theme autoplay> and
// <curator-testimonial testimonial theme>. layout: masonry grid carousel list single badge;
// theme: light dark auto.
// Open shadow DOM with styles from adoptedStyleSheets (allowed by strict CSPs); data arrives as a
// <script> from the wall's own host, so no CORS headers are needed; every text is set with
// textContent and only http(s) links become links.
(function () {
  "use strict";
  if (customElements.get("curator-wall")) return;
  var CSS = "/*CURATOR_CSS*/";
  var AVATAR = /*CURATOR_AVATAR*/48;  // both written at build time from the card layout
  var MARKS = "/*CURATOR_MARKS*/";  // platform → the SVG path of its mark (the platform modules' Mark.path)
  var SVG = "http://www.w3.org/2000/svg";
  /*CURATOR_LAYOUTS*/
  var script = document.currentScript;
  var base = new URL(".", script ? script.src : location.href);  // …/embed/
  var site = new URL("../", base);  // data.js gives site files relative to the site root
  var waiting = null;

  function data() {
    if (!waiting) {
      waiting = new Promise(function (resolve, reject) {
        self.curatorEmbed = { receive: resolve };
        var tag = document.createElement("script");
        tag.src = new URL("data.js", base).href;
        tag.async = true;
        tag.onerror = function () { reject(new Error("curator: could not load " + tag.src)); };
        document.head.appendChild(tag);
      });
    }
    return waiting;
  }

  var sheet = null;
  function styles() {
    if (!sheet) {
      sheet = new CSSStyleSheet();
      var css = CSS.split("{site}").join(site.href);  // font files, from the site root
      sheet.replaceSync(css + ":host{display:block}.curator-shell{all:initial;display:block;font-family:inherit}");
      // A shadow root ignores @font-face: the brand's fonts are declared in the page.
      var faces = css.match(/@font-face\s*\{[^}]*\}/g);
      if (faces) {
        var page = new CSSStyleSheet();
        page.replaceSync(faces.join(""));
        document.adoptedStyleSheets = document.adoptedStyleSheets.concat(page);
      }
    }
    return sheet;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function link(href, className, text) {
    if (!/^https?:\/\//i.test(href)) return el("span", className, text);
    var a = el("a", className, text);
    a.href = href;
    a.rel = "nofollow ugc noopener";
    a.target = "_blank";
    return a;
  }

  function icon(className, path, circle) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("class", className);
    svg.setAttribute("viewBox", "0 0 24 24");
    if (circle) {
      var dot = document.createElementNS(SVG, "circle");
      dot.setAttribute("cx", 12); dot.setAttribute("cy", 12); dot.setAttribute("r", 12);
      svg.appendChild(dot);
    }
    var shape = document.createElementNS(SVG, "path");
    shape.setAttribute("d", path);
    svg.appendChild(shape);
    return svg;
  }

  function avatar(item) {
    var img = el("img", "curator-card__avatar");
    img.src = new URL(item.avatar, site).href;
    img.alt = "";
    img.width = img.height = AVATAR;
    img.loading = "lazy";
    return img;
  }

  // The same parts, in the same order, as the wall's card.html: header, text, disclosure, date.
  function card(item) {
    var figure = el("figure", "curator-card");
    figure.part = "card";
    figure.setAttribute("data-platform", item.platform);
    var meta = el("figcaption", "curator-card__meta");
    if (item.avatar) meta.appendChild(avatar(item));
    var byline = el("span", "curator-card__byline");
    var who = el("span", "curator-card__who");
    who.appendChild(el("span", "curator-card__name", item.name));
    if (item.verified) {
      var badge = icon("curator-card__verified", "M6.7 12.5l3.8 3.8 7-7.7", true);
      badge.setAttribute("role", "img");
      badge.setAttribute("aria-label", "Verified account");
      who.appendChild(badge);
    }
    byline.appendChild(who);
    if (item.handle) byline.appendChild(el("span", "curator-card__handle", item.handle));
    meta.appendChild(byline);
    var source = link(item.url, "curator-card__source", "");
    var linked = source.tagName === "A";
    source.setAttribute("aria-label", (linked ? "Original post on " : "") + item.platformName);
    if (!linked) source.setAttribute("role", "img");
    var mark = icon("curator-card__mark", MARKS[item.platform] || MARKS.manual);
    mark.setAttribute("aria-hidden", "true");
    source.appendChild(mark);
    meta.appendChild(source);
    figure.appendChild(meta);
    var quote = el("blockquote", "curator-card__text");
    if (item.lang) quote.lang = item.lang;
    quote.dir = "auto";
    if (/^https?:\/\//i.test(item.url)) quote.cite = item.url;
    var p = el("p");
    item.segments.forEach(function (s) {
      if (s[0] === "break") p.appendChild(el("br"));
      else if (s[2]) p.appendChild(link(s[2], "curator-card__" + s[0], s[1]));
      else if (s[0] !== "text") p.appendChild(el("span", "curator-card__" + s[0], s[1]));
      else p.appendChild(document.createTextNode(s[1]));
    });
    quote.appendChild(p);
    figure.appendChild(quote);
    if (item.disclosure) figure.appendChild(el("p", "curator-card__disclosure", item.disclosure));
    var date = el("p", "curator-card__date");
    var time = el("time", "", item.when);
    time.dateTime = item.date;
    date.appendChild(time);
    figure.appendChild(date);
    return figure;
  }

  function define(name, pick) {
    customElements.define(name, class extends HTMLElement {
      connectedCallback() {
        if (this.shadowRoot) return;
        var root = this.attachShadow({ mode: "open" });
        root.adoptedStyleSheets = [styles()];
        var element = this;
        data().then(function (payload) {
          var shell = el("div", "curator-shell");
          shell.setAttribute("data-curator-theme", element.getAttribute("theme") || payload.theme || "auto");
          var wall = el("div", "curator-wall");
          var layout = element.getAttribute("layout") || "masonry";
          wall.setAttribute("data-layout", layout);
          var items = pick(payload.items, element);
          items.forEach(function (item) { wall.appendChild(card(item)); });
          if (layout === "badge") {
            var more = el("a", "curator-wall__more", items.length + " customers share their words");
            more.href = new URL(payload.wall, site).href;
            wall.appendChild(more);
          }
          shell.appendChild(wall);
          root.appendChild(shell);
          if (layout === "carousel") {
            wall.setAttribute("data-autoplay", element.getAttribute("autoplay") || "");
            curatorCarousel(wall, element.getAttribute("label"));
          }
          curatorMasonry(wall);
        }, function (error) { console.warn(error.message); });
      }
    });
  }

  define("curator-wall", function (items, element) {
    var tag = element.getAttribute("tag");
    var limit = parseInt(element.getAttribute("limit") || "0", 10);
    var chosen = items.filter(function (item) { return !tag || item.tags.indexOf(tag) !== -1; });
    return limit > 0 ? chosen.slice(0, limit) : chosen;
  });
  define("curator-testimonial", function (items, element) {
    var id = element.getAttribute("testimonial");
    return items.filter(function (item) { return item.id === id; });
  });
})();
