"""Published records → escaped HTML. No MkDocs here.

Everything from a post (text, names, handles, URLs, tags) is untrusted: Jinja2 autoescaping
escapes it in element content and attributes, and only http(s) URLs ever become links.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from collections.abc import Callable, Iterable, Iterator

import jinja2

from .. import platforms, untrusted
from . import whole
from ..model import Media, Testimonial, feed_timestamp
from ..render.dates import posted_when
from ..render.theme import EMBED_METRICS, SIZES

# The card layout's sizes the HTML states outside the stylesheet (iframes, oEmbed, <img> attributes).
CARD_WIDTH = round(SIZES["embed"].card_width)
AVATAR_SIZE = round(EMBED_METRICS.avatar)
CHARS_PER_LINE = 36  # about this many characters of post text fill a line of the card
EMOJI_SIZE = round(EMBED_METRICS.body.size)  # a custom emoji's box before its image loads: the text's size


def mark_path(platform: str) -> str:
    """The SVG path of the platform's mark (its module's ``Mark.path``); a platform without one
    gets the mark of posts entered by hand."""
    return platforms.shown(platform).mark.path or platforms.shown(platforms.FALLBACK).mark.path


def when(record: Testimonial, timezone: str) -> str:
    """The card's date line without the platform (the mark names it): '10:24 AM · Mar 3, 2026'."""
    return posted_when(record.posted_at, record.lang or "en", timezone)


@dataclass(frozen=True)
class Urls:
    """Relative URIs inside the site, made absolute with ``site_url`` for use on other sites."""

    site_url: str

    def absolute(self, uri: str) -> str:
        return self.site_url.rstrip("/") + "/" + uri.lstrip("/") if self.site_url else "/" + uri.lstrip("/")

    @staticmethod
    def permalink(record: Testimonial) -> str:
        return f"t/{record.id}/"

    @staticmethod
    def iframe(record: Testimonial | None) -> str:
        return f"embed/t/{record.id}.html" if record else "embed/wall.html"

    @staticmethod
    def oembed(record: Testimonial) -> str:
        return f"oembed/{record.id}.json"


@dataclass(frozen=True)
class Segment:
    """A run of post text; ``href`` is set only for a safe http(s) link, ``src`` only for a custom
    emoji (its image's site path, from the site root; ``text`` is its ``:shortcode:``)."""

    text: str
    kind: str = "text"  # text | mention | hashtag | url | break | emoji
    href: str | None = None
    src: str | None = None


def platform_name(platform: str) -> str:
    """What pages, feeds and snippets call a record's platform."""
    return platforms.shown(platform).label


def safe_url(url: str | None) -> str | None:
    """Only http(s) URLs are ever linked; ``javascript:`` and friends become plain text."""
    if url and url.lower().startswith(("https://", "http://")) and not any(c in url for c in " \n\t\"'<>`"):
        return url
    return None


def segments(record: Testimonial) -> list[Segment]:
    """Split the text at entity boundaries (code points), line breaks and custom emoji; the text
    is never edited except that a URL entity shows its ``display`` form."""
    text, out, cursor = record.text, [], 0
    emoji = whole.emoji_sources(record)
    for entity in sorted(record.entities, key=lambda e: e.start):
        if entity.start < cursor:
            continue  # overlapping entities: keep the first, never duplicate text
        out += plain_segments(text[cursor : entity.start], emoji)
        shown = entity.display if entity.type == "url" and entity.display else text[entity.start : entity.end]
        out.append(Segment(shown, entity.type, safe_url(entity.url)))
        cursor = entity.end
    out += plain_segments(text[cursor:], emoji)
    return out


def plain_segments(text: str, emoji: dict[str, str]) -> list[Segment]:
    """Text without entities (a line of it, a name, a content warning, a quoted post): its line
    breaks, and each ``:shortcode:`` of ``emoji`` (shortcode → image) as that image."""
    pieces: list[Segment] = []
    for index, line in enumerate(text.split("\n")):
        if index:
            pieces.append(Segment("", "break"))
        parts = _shortcodes(tuple(sorted(emoji))).split(line) if emoji else [line]
        for part_index, part in enumerate(parts):
            if part_index % 2:  # what the pattern's group caught: a shortcode the post has an image for
                pieces.append(Segment(f":{part}:", "emoji", src=emoji[part]))
            elif part:
                pieces.append(Segment(part))
    return pieces


@cache
def _shortcodes(codes: tuple[str, ...]) -> re.Pattern[str]:
    # The post's own shortcodes only: any other colon-word ("10:30:") stays text as written.
    return re.compile(":(" + "|".join(map(re.escape, sorted(codes, key=len, reverse=True))) + "):")


def name_segments(record: Testimonial) -> list[Segment]:
    """The author's display name, custom emoji as images (``:blobcat:`` in a Mastodon name)."""
    return plain_segments(record.author.name, whole.emoji_sources(record))


def warning_segments(record: Testimonial) -> list[Segment]:
    return plain_segments(record.warning or "", whole.emoji_sources(record))


@cache
def _environment(overrides: str | None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if overrides:
        loaders.append(jinja2.FileSystemLoader(overrides))
    loaders.append(jinja2.PackageLoader("curator.web", "templates"))
    # auto_reload off: templates do not change within a build, and checking each one's mtime on
    # every render (a wall of 1,000 renders 8,000 times) was a tenth of the planning time.
    # `forget_templates` starts afresh for the next build (`mkdocs serve` edits).
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        auto_reload=False,
        bytecode_cache=_compiled[0],
    )
    env.filters["safe_url"] = safe_url
    env.globals["platform_name"] = platform_name
    env.globals["segments"] = segments
    env.globals["name_segments"] = name_segments
    env.globals["warning_segments"] = warning_segments
    env.globals["plain_segments"] = plain_segments
    env.globals["emoji_sources"] = whole.emoji_sources
    env.globals["site_file"] = whole.site_file
    env.globals["media_alt"] = whole.alt
    env.globals["shown_size"] = whole.shown_size
    env.globals["poll_rows"] = whole.poll_rows
    env.globals["poll_line"] = whole.poll_line
    env.globals["domain"] = whole.domain
    env.globals["emoji_size"] = EMOJI_SIZE
    env.globals["mark_path"] = mark_path
    env.globals["when"] = when
    env.globals["avatar_size"] = AVATAR_SIZE
    return env


@cache
def _override_folder(overrides: Path | None) -> str | None:
    folder = overrides / "curator" if overrides else None
    return str(folder) if folder and folder.is_dir() else None


_compiled: list[jinja2.BytecodeCache | None] = [None]  # set by ``forget_templates`` for the next build


def forget_templates(compiled: Path | None = None) -> None:
    """Read templates and brand overrides again (once per build). ``compiled``: a folder that
    keeps compiled templates between builds (Jinja checks each against its source)."""
    _environment.cache_clear()
    _compiled[0] = jinja2.FileSystemBytecodeCache(str(compiled)) if compiled else None
    _override_folder.cache_clear()


def compiled_templates() -> jinja2.BytecodeCache | None:
    """Where this build keeps compiled templates (see ``forget_templates``), for curator's other
    Jinja environments."""
    return _compiled[0]


def render(template: str, overrides: Path | None = None, **context) -> str:
    """Render a package template; a brand may override it with ``overrides/curator/<template>``."""
    return _environment(_override_folder(overrides)).get_template(template).render(**context)


def render_pieces(template: str, overrides: Path | None = None, **context) -> Iterator[str]:
    """``render``, piece by piece: for a page of every card, written as it is made."""
    return _environment(_override_folder(overrides)).get_template(template).generate(**context)


def compact_json(data: object) -> str:
    # Compact on purpose: with ``indent`` the json module falls back from its C encoder to pure
    # Python, five times slower on the feed, oEmbed files and embed data of a large wall.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def dumps_json(data: object) -> str:
    """Deterministic JSON that is also safe inside ``<script>`` (no ``</script>``, no U+2028)."""
    return _script_json(data) + "\n"


def _script_json(data: object) -> str:
    text = compact_json(data)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def filters(records: list[Testimonial]) -> list[list[tuple[str, str, str]]]:
    """The wall's filter rows of (group, value, label): one of tags, one of platforms when there
    are two or more, only values that occur (the wall adds a single "All"). Never the kind: it
    is a triage label for the inbox, not something to show the public."""
    tags = [("tag", tag, f"#{tag}") for tag in sorted({tag for t in records for tag in t.tags})]
    shown = [
        ("platform", p.name, p.label)
        for p in platforms.all_platforms()
        if any(t.source.platform == p.name for t in records)
    ]
    return [row for row in (tags, shown if len(shown) > 1 else []) if row]


def _person(record: Testimonial) -> dict:
    person = {"@type": "Person", "name": record.author.name}
    if url := safe_url(record.author.url):
        person["url"] = url
    return person


def json_ld(records: list[Testimonial], urls: Urls, brand: str) -> str:
    """schema.org ItemList of SocialMediaPosting — never Review or AggregateRating (self-serving
    review markup is against Google's policy and the FTC rule on testimonials)."""
    items = [
        {"@type": "ListItem", "position": position, "item": _posting(record, urls)}
        for position, record in enumerate(records, 1)
    ]
    return dumps_json(
        {
            "@context": "https://schema.org",
            "@type": "ItemList",
            "name": f"Selected posts about {brand}, shared with permission",
            "itemListElement": items,
        }
    )


def posting_json_ld(record: Testimonial, urls: Urls) -> str:
    """schema.org SocialMediaPosting of one testimonial, for its own page."""
    return dumps_json({"@context": "https://schema.org", **_posting(record, urls)})


def _posting(record: Testimonial, urls: Urls) -> dict:
    posting = {
        "@type": "SocialMediaPosting",
        "url": urls.absolute(urls.permalink(record)),
        "datePublished": record.posted_at,
        "author": _person(record),
        "text": record.text,
    }
    if record.lang:
        posting["inLanguage"] = record.lang
    if url := safe_url(record.source.url):
        posting["isBasedOn"] = url
    return posting


def json_feed(records: list[Testimonial], urls: Urls, config) -> Iterator[str]:
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1) of the wall, an item at a time."""
    feed = compact_json(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": config.wall_title,
            "home_page_url": urls.absolute(config.wall_page.removesuffix("index.md").removesuffix(".md")),
            "feed_url": urls.absolute("testimonials.json"),
            "items": [],
        }
    )
    yield feed.removesuffix("]}")
    yield from _json_items(_feed_item(record, urls) for record in records)
    yield "]}\n"


def _feed_item(record: Testimonial, urls: Urls) -> dict:
    item = {
        "id": urls.absolute(urls.permalink(record)),
        "url": urls.absolute(urls.permalink(record)),
        "content_text": record.text,
        "date_published": feed_timestamp(record.posted_at),
        "authors": [{k: v for k, v in (("name", record.author.name), ("url", safe_url(record.author.url))) if v}],
        "tags": list(record.tags),
    }
    if url := safe_url(record.source.url):
        item["external_url"] = url
    if record.lang:
        item["language"] = record.lang
    if record.warning:  # what a reader sees before choosing to read on
        item["summary"] = record.warning
    if record.media:  # the site's copies (the feed is the web channel's, as the pages are)
        item["image"] = urls.absolute(whole.site_file(record.media[0].path))
        item["attachments"] = [
            {"url": urls.absolute(whole.site_file(m.path)), "mime_type": whole.mime_type(m.path), "title": whole.alt(m)}
            for m in record.media
        ]
    return item


def _json_items(items: Iterable[object], encode: Callable[[object], str] = compact_json) -> Iterator[str]:
    """The members of a JSON array, comma-separated, one at a time (the array's brackets are the caller's)."""
    for index, item in enumerate(items):
        yield ("," if index else "") + encode(item)


def estimated_height(record: Testimonial) -> int:
    """A card's height when no image was rendered: the layout's paddings, avatar and body lines
    of ``CHARS_PER_LINE`` characters (a disclosure counts as one more line), and what else the
    post shows; behind a content warning only the warning shows until the reader opens it."""
    metrics = EMBED_METRICS
    shown = record.warning if record.warning else record.text
    lines = _lines(shown) + bool(record.disclosure)
    extra = 0 if record.warning else _extras_height(record)
    return round(2 * metrics.pad_y + metrics.avatar + metrics.section + lines * metrics.body.line_height + extra)


def _lines(text: str) -> int:
    return sum(max(1, -(-len(line) // CHARS_PER_LINE)) for line in text.split("\n")) if text else 0


def _extras_height(record: Testimonial) -> float:
    """About how tall the media grid, poll, quoted post and link card are (the stylesheet's boxes)."""
    metrics, inner = EMBED_METRICS, CARD_WIDTH - 2 * EMBED_METRICS.pad_x
    height = 0.0
    if record.media:  # one image at its stated shape, more in the grid's
        size = whole.shown_size(record.media[0]) if len(record.media) == 1 else None
        height += metrics.section + inner * (size[1] / size[0] if size else 1 / metrics.grid_aspect)
    if record.poll:
        rows = len(record.poll.options) * (metrics.poll_bar + metrics.poll_gap)
        height += metrics.section + rows + metrics.meta.line_height
    if record.quote:
        lines = 1 + _lines(record.quote.text)  # its author, its words
        height += metrics.section + 2 * metrics.box_pad + lines * metrics.box_text.line_height
    if record.link:  # site, title, description
        height += metrics.section + 2 * metrics.box_pad + 3 * metrics.box_text.line_height
        height += inner / metrics.link_aspect if record.link.image else 0
    return height


def iframe_tag(record: Testimonial | None, urls: Urls, height: int, title: str) -> str:
    return render(
        "iframe-snippet.html",
        None,
        src=urls.absolute(urls.iframe(record)),
        width=CARD_WIDTH,
        height=height,
        title=title,
    ).strip()


def oembed(record: Testimonial, urls: Urls, config, card) -> str:
    """oEmbed 1.0 ``rich`` response, one static file per testimonial."""
    height = card.height if card else estimated_height(record)
    title = f"{record.author.name} on {platform_name(record.source.platform)}"
    data = {
        "version": "1.0",
        "type": "rich",
        "title": title,
        "author_name": record.author.name,
        "provider_name": config.brand,
        "provider_url": urls.absolute(""),
        "html": iframe_tag(record, urls, height, title),
        "width": CARD_WIDTH,
        "height": height,
        "cache_age": 604800,
    }
    if safe_url(record.author.url):
        data["author_url"] = record.author.url
    if card:
        data.update(
            thumbnail_url=urls.absolute(card.share),
            thumbnail_width=card.share_width,
            thumbnail_height=card.share_height,
        )
    elif picture := next((m for m in record.media if m.width and m.height), None):
        # No card (embedded, not on the wall): the post's own first picture, the embed channel's copy.
        data.update(
            thumbnail_url=urls.absolute(whole.site_file(picture.path)),
            thumbnail_width=picture.width,
            thumbnail_height=picture.height,
        )
    return compact_json(data) + "\n"


def embed_record(record: Testimonial, avatars: dict[str, str], tz: str) -> dict:
    """What the web component needs to draw one card (it builds DOM nodes, never innerHTML).

    Site files are given relative to the site root; the component resolves them against the
    URL it was loaded from, so embeds keep working wherever the site is deployed."""
    return {
        "id": record.id,
        "name": record.author.name,
        "handle": record.author.handle or "",
        "verified": record.author.verified,
        "avatar": avatars.get(record.id, ""),
        "url": safe_url(record.source.url) or "",
        "platform": record.source.platform,
        "platformName": platform_name(record.source.platform),
        "date": record.posted_at,
        "when": when(record, tz),
        "lang": record.lang or "",
        "tags": list(record.tags),
        "disclosure": record.disclosure or "",
        "permalink": Urls.permalink(record),
        "segments": _embed_segments(segments(record)),
        **_embed_whole_post(record, tz),
    }


def _embed_segments(pieces: list[Segment]) -> list[list[str]]:
    """[kind, text, href] of each run; a custom emoji's has its image (site path) fourth."""
    return [[s.kind, s.text, s.href or "", s.src] if s.src else [s.kind, s.text, s.href or ""] for s in pieces]


def _embed_media(media: list[Media]) -> list[dict]:
    return [
        {"type": m.type, "src": whole.site_file(m.path), "alt": whole.alt(m), "size": whole.shown_size(m)}
        for m in media
    ]


def _embed_whole_post(record: Testimonial, tz: str) -> dict:
    """What the post shows besides its text, for the web component, only the parts it has."""
    shown: dict = {}
    if record.emoji:
        shown["nameSegments"] = _embed_segments(name_segments(record))
    if record.warning:
        shown["warning"] = _embed_segments(warning_segments(record))
    if record.media:
        shown["media"] = _embed_media(record.media)
    if poll := record.poll:
        emoji = whole.emoji_sources(record)
        shown["poll"] = {
            "options": [
                [_embed_segments(plain_segments(row.title, emoji)), row.percent, row.leading]
                for row in whole.poll_rows(poll)
            ],
            "line": whole.poll_line(poll, record.lang, tz),
        }
    if quote := record.quote:
        shown["quote"] = {
            "name": quote.author.name,
            "handle": quote.author.handle or "",
            "segments": _embed_segments(plain_segments(quote.text, {})),
            "url": safe_url(quote.url) or "",
            "media": _embed_media(quote.media),
        }
    if link := record.link:
        shown["link"] = {
            "url": safe_url(link.url) or "",
            "domain": whole.domain(link.url),
            "title": link.title,
            "description": link.description,
            # Beside the linked page's title its picture is decorative: the author's alt, or none.
            "image": link.image and {**_embed_media([link.image])[0], "alt": link.image.alt},
        }
    return shown


def embed_data(records: list[Testimonial], avatars: dict[str, str], tz: str, wall: str, theme: str) -> Iterator[str]:
    """The web component's data as a script (loaded by <script src>, so no CORS headers are
    needed), a card at a time. ``wall``: the wall's URL from the site root (the badge links to
    it); ``theme``: embeds' default theme."""
    head = {"version": 1, "wall": wall, "theme": theme, "items": []}
    yield "self.curatorEmbed && self.curatorEmbed.receive(" + _script_json(head).removesuffix("]}")
    yield from _json_items((embed_record(r, avatars, tz) for r in records), _script_json)
    yield "]});\n"


def markdown_quote(record: Testimonial, permalink: str) -> str:
    """The post as a Markdown blockquote, every Markdown/HTML character escaped."""

    def esc(text: str) -> str:
        text = re.sub(r"([\\`*_\[\]<>|~!#])", r"\\\1", text).replace("&", "&amp;")
        return re.sub(r"^(\s*)([-+]|\d+\.)", r"\1\\\2", text)  # no list started by the post

    # Every line break Markdown knows (\r, U+2028…) starts a quoted line: none may end the quote.
    lines = ["> " + esc(untrusted.printable(line)) if line else ">" for line in record.text.splitlines() or [""]]
    if record.warning:
        lines[:0] = ["> Content warning: " + esc(untrusted.one_line(record.warning)), ">"]
    if record.poll:
        rows = whole.poll_rows(record.poll)
        lines += [
            ">",
            *(
                f"> - {esc(untrusted.one_line(r.title))}" + (f" ({r.percent}%)" if r.percent is not None else "")
                for r in rows
            ),
        ]
    name, handle = untrusted.one_line(record.author.name), untrusted.one_line(record.author.handle or "")
    who = esc(name) + (f" ({esc(handle)})" if handle else "")
    return "\n".join(lines) + f"\n>\n> — {who}, [{platform_name(record.source.platform)}]({permalink})\n"


def snippets(record: Testimonial, urls: Urls, avatars: dict[str, str], card, tz: str, theme: str) -> list[dict]:
    """Copy-and-paste codes for one testimonial, shown (escaped) with copy buttons on its page."""
    permalink = urls.absolute(urls.permalink(record))
    static = static_snippet([record], "single", urls, avatars, tz, theme)
    title = f"Testimonial from {record.author.name}"
    found = [
        {"title": "Static HTML (no JavaScript)", "lang": "html", "code": static},
        _component_code(urls, id=record.id, theme=theme, permalink=permalink, label=title),
        {
            "title": "Iframe (resizes itself with embed/resize.js)",
            "lang": "html",
            "code": _resizing(iframe_tag(record, urls, card.height if card else estimated_height(record), title), urls),
        },
    ]
    if card:
        found.append(
            {
                "title": "Image (light or dark, as the visitor's system is set)",
                "lang": "html",
                "code": render("image-snippet.html", None, href=permalink, card=card, absolute=urls.absolute).strip(),
                "shows_card": True,  # its page shows the card image above the code
            }
        )
    found.append({"title": "Markdown", "lang": "markdown", "code": markdown_quote(record, permalink).strip()})
    return found


# What each layout is for, as the embed-code page offers it.
LAYOUT_NOTES = {
    "masonry": "Columns of cards of their own heights, as on the wall.",
    "grid": "Rows of cards of equal widths.",
    "carousel": "One row that scrolls sideways, with Previous/Next buttons and arrow keys; "
    'add autoplay="6" to rotate every 6 seconds (a Stop button comes with it).',
    "list": "One column of cards, newest first.",
    "single": "One featured card (the first of the wall).",
    "badge": "The authors' faces in a strip, with a link to the wall.",
}


def static_snippet(
    records: list[Testimonial],
    layout: str,
    urls: Urls,
    avatars: dict[str, str],
    tz: str,
    theme: str,
    more: dict | None = None,
) -> str:
    """Cards as plain HTML with the embed stylesheet: no script, every URL absolute. ``more``
    (``href``, ``count``): the badge's link to the wall."""
    return render(
        "static-snippet.html",
        None,
        records=records,
        layout=layout,
        avatars={r.id: urls.absolute(avatars[r.id]) for r in records if r.id in avatars},
        tz=tz,
        theme=theme,
        css=urls.absolute("embed/embed.css"),
        files=urls.absolute(""),
        more=more,
    ).strip()


WALL_HEIGHT = 800  # the wall iframe's first height, before resize.js fits it to its content


def wall_oembed_uri(layout: str) -> str:
    return f"oembed/wall/{layout}.json"  # a folder of its own: no record id can name it


def _wall_iframe(urls: Urls, brand: str, layout: str, theme: str) -> str:
    return iframe_tag(None, urls, WALL_HEIGHT, f"Testimonials for {brand}").replace(
        "embed/wall.html", f"embed/wall.html?layout={layout}&amp;theme={theme}", 1
    )


def wall_snippets(
    urls: Urls,
    brand: str,
    layout: str,
    theme: str,
    records: list[Testimonial],
    avatars: dict[str, str],
    tz: str,
    wall: str,
) -> list[dict]:
    """The codes that put the wall on another site in ``layout``: web component, static HTML (the
    first cards, as they are at build time), iframe, and the layout's oEmbed endpoint. ``wall``:
    the wall's absolute URL."""
    label = f"Testimonials for {brand}"
    limit = {"single": 1, "badge": 5}.get(layout, 6)
    return [
        _component_code(
            urls, id=None, layout=layout, theme=theme, limit=limit, permalink=urls.absolute(""), label=label
        ),
        {
            "title": "Static HTML (no JavaScript; the first cards as of this build)",
            "lang": "html",
            "code": static_snippet(
                records[:limit],
                layout,
                urls,
                avatars,
                tz,
                theme,
                more={"href": wall, "count": len(records)} if layout == "badge" else None,
            ),
        },
        {"title": "Iframe", "lang": "html", "code": _resizing(_wall_iframe(urls, brand, layout, theme), urls)},
        {"title": "oEmbed endpoint", "lang": "text", "code": urls.absolute(wall_oembed_uri(layout))},
    ]


def wall_oembed(urls: Urls, brand: str, layout: str, theme: str) -> str:
    """oEmbed 1.0 ``rich`` response for the wall in ``layout``: its iframe as ``html``."""
    data = {
        "version": "1.0",
        "type": "rich",
        "title": f"Testimonials for {brand}",
        "provider_name": brand,
        "provider_url": urls.absolute(""),
        "html": _wall_iframe(urls, brand, layout, theme),
        "width": CARD_WIDTH,
        "height": WALL_HEIGHT,
        "cache_age": 604800,
    }
    return compact_json(data) + "\n"


def _component_code(urls: Urls, **context) -> dict:
    """The web component's copy-and-paste code: one testimonial (``id``) or the wall (``layout``)."""
    script = urls.absolute("embed/curator.js")
    code = render("component-snippet.html", None, script=script, **context).strip()
    return {"title": "Web component", "lang": "html", "code": code}


def _resizing(iframe: str, urls: Urls) -> str:
    """An iframe snippet with the script that fits its height to the content."""
    return iframe + f'\n<script src="{urls.absolute("embed/resize.js")}" async></script>'
