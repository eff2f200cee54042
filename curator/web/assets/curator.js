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
  var AVATAR = /*CURATOR_AVATAR*/48;  // these two written at build time from the card layout
  var EMOJI = /*CURATOR_EMOJI*/20;
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

  // Runs of text as [kind, text, href, emoji image]: the same as card.html makes of them.
  function runs(parent, segments) {
    segments.forEach(function (s) {
      if (s[0] === "break") parent.appendChild(el("br"));
      else if (s[0] === "emoji" && s[3]) {
        var emoji = image(s[3], s[1], [EMOJI, EMOJI], "curator-card__emoji emoji");
        emoji.title = s[1];
        parent.appendChild(emoji);
      }
      else if (s[2]) parent.appendChild(link(s[2], "curator-card__" + s[0], s[1]));
      else if (s[0] !== "text") parent.appendChild(el("span", "curator-card__" + s[0], s[1]));
      else parent.appendChild(document.createTextNode(s[1]));
    });
    return parent;
  }

  function image(src, alt, size, className) {  // size: [width, height] the card states, or null
    var img = el("img", className);
    img.src = new URL(src, site).href;
    img.alt = alt;
    if (size) { img.width = size[0]; img.height = size[1]; }
    img.loading = "lazy";
    img.decoding = "async";
    return img;
  }

  // 1–4 images; a video or GIF is its poster with a play mark, linking to the post it is in.
  function mediaGrid(media, post, platformName) {
    var grid = el("div", "curator-card__media");
    grid.setAttribute("data-count", media.length);
    media.forEach(function (m) {
      var picture = image(m.src, m.alt, m.size);
      if (m.type === "image") { grid.appendChild(picture); return; }
      var play = link(post, "curator-card__play", "");
      play.appendChild(picture);
      var mark = icon("curator-card__play-mark", "M9.5 7.5v9l7-4.5z", true);
      mark.setAttribute("aria-hidden", "true");
      play.appendChild(mark);
      if (play.tagName === "A") {
        play.appendChild(el("span", "curator-visually-hidden", "Play the " + (m.type === "gif" ? "GIF" : "video") + " on " + platformName));
      }
      grid.appendChild(play);
    });
    return grid;
  }

  function poll(data) {
    var box = el("div", "curator-card__poll");
    var list = el("ul", data.options[0][1] === null ? "curator-card__unknown" : "");
    data.options.forEach(function (option) {  // [title runs, percent or null, leading?]
      var row = el("li", option[2] ? "curator-card__leading" : "");
      if (option[1] !== null) {
        var meter = el("meter");  // the bar: screen readers read the percentage beside it
        meter.min = 0; meter.max = 100; meter.value = option[1];
        meter.setAttribute("aria-hidden", "true");
        row.appendChild(meter);
        row.appendChild(el("span", "curator-card__percent", option[1] + "%"));
        row.appendChild(document.createTextNode(" "));
      }
      row.appendChild(runs(el("span", "curator-card__option"), option[0]));
      list.appendChild(row);
    });
    box.appendChild(list);
    box.appendChild(el("p", "curator-card__poll-status", data.line));
    return box;
  }

  function quoted(q, platformName) {
    var box = el("div", "curator-card__quote");
    var by = el("p", "curator-card__quote-by");
    by.appendChild(el("span", "curator-card__name", q.name));
    if (q.handle) {
      by.appendChild(document.createTextNode(" "));
      by.appendChild(el("span", "curator-card__handle", q.handle));
    }
    box.appendChild(by);
    if (q.segments.length) {
      var words = el("blockquote", "curator-card__quote-text");
      words.dir = "auto";
      if (q.url) words.cite = q.url;
      words.appendChild(runs(el("p"), q.segments));
      box.appendChild(words);
    }
    if (q.media.length) box.appendChild(mediaGrid(q.media, q.url, platformName));
    if (q.url) box.appendChild(el("p", "curator-card__quote-link")).appendChild(link(q.url, "", "The quoted post"));
    return box;
  }

  function linkCard(data) {
    var box = data.url ? link(data.url, "curator-card__link", "") : el("div", "curator-card__link");
    if (data.image) box.appendChild(image(data.image.src, data.image.alt, data.image.size, "curator-card__link-image"));
    var words = el("span", "curator-card__link-text");
    words.appendChild(el("span", "curator-card__link-domain", data.domain));
    if (data.title) words.appendChild(el("span", "curator-card__link-title", data.title));
    if (data.description) words.appendChild(el("span", "curator-card__link-description", data.description));
    box.appendChild(words);
    return box;
  }

  // The same parts, in the same order, as the wall's card.html: header, text, what else the post
  // shows (behind its content warning, if any), disclosure, date.
  function card(item) {
    var figure = el("figure", "curator-card");
    figure.part = "card";
    figure.setAttribute("data-platform", item.platform);
    var meta = el("figcaption", "curator-card__meta");
    if (item.avatar) meta.appendChild(avatar(item));
    var byline = el("span", "curator-card__byline");
    var who = el("span", "curator-card__who");
    who.appendChild(runs(el("span", "curator-card__name"), item.nameSegments || [["text", item.name, ""]]));
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
    var body = figure;
    if (item.warning) {
      body = el("details", "curator-card__warning");
      var summary = runs(el("summary"), item.warning);
      summary.dir = "auto";
      body.appendChild(summary);
      figure.appendChild(body);
    }
    if (item.segments.length) {
      var quote = el("blockquote", "curator-card__text");
      if (item.lang) quote.lang = item.lang;
      quote.dir = "auto";
      if (/^https?:\/\//i.test(item.url)) quote.cite = item.url;
      quote.appendChild(runs(el("p"), item.segments));
      body.appendChild(quote);
    }
    if (item.media) body.appendChild(mediaGrid(item.media, item.url, item.platformName));
    if (item.poll) body.appendChild(poll(item.poll));
    if (item.quote) body.appendChild(quoted(item.quote, item.platformName));
    if (item.link) body.appendChild(linkCard(item.link));
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
