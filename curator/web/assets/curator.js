// curator web component: <curator-wall tag limit theme> and <curator-testimonial testimonial theme>.
// Open shadow DOM with styles from adoptedStyleSheets (allowed by strict CSPs); data arrives as a
// <script> from the wall's own host, so no CORS headers are needed; every text is set with
// textContent and only http(s) links become links.
(function () {
  "use strict";
  if (customElements.get("curator-wall")) return;
  var CSS = "/*CURATOR_CSS*/";
  var AVATAR = /*CURATOR_AVATAR*/48;  // both written at build time from the card layout
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
      sheet.replaceSync(CSS + ":host{display:block}.curator-shell{all:initial;display:block;font-family:inherit}");
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

  function card(item) {
    var figure = el("figure", "curator-card");
    figure.part = "card";
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
    var meta = el("figcaption", "curator-card__meta");
    if (item.avatar) {
      var img = el("img", "curator-card__avatar");
      img.src = new URL(item.avatar, site).href;
      img.alt = "";
      img.width = img.height = AVATAR;
      img.loading = "lazy";
      meta.appendChild(img);
    }
    var byline = el("span", "curator-card__byline");
    var who = el("span", "curator-card__who");
    who.appendChild(el("span", "curator-card__name", item.name));
    if (item.handle) who.appendChild(el("span", "curator-card__handle", item.handle));
    byline.appendChild(who);
    var source = el("span", "curator-card__source");
    source.appendChild(link(item.url, "", item.platformName));
    source.appendChild(document.createTextNode(" · "));
    var time = el("time", "", item.day);
    time.dateTime = item.date;
    source.appendChild(time);
    byline.appendChild(source);
    meta.appendChild(byline);
    figure.appendChild(meta);
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
          var wall = el("div", "curator-wall");
          wall.setAttribute("data-curator-theme", element.getAttribute("theme") || "auto");
          wall.setAttribute("role", "list");
          pick(payload.items, element).forEach(function (item) {
            var figure = card(item);
            figure.setAttribute("role", "listitem");
            wall.appendChild(figure);
          });
          shell.appendChild(wall);
          root.appendChild(shell);
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
