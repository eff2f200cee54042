"""Everything the site shows, planned as plain data: pages, feeds, embeds. No MkDocs here.

``plan_site`` receives only records the publish gate already let through (``web`` for the wall,
permalink pages and feed; ``embed`` for snippets, widgets, iframes and oEmbed) and returns the
pages and files to add to the build. The plugin turns them into ``File.generated`` entries.

Planning decides what exists; the HTML of each page and file is made when MkDocs asks for it
(``Part``: a function), so a wall of 10,000 never holds 10,000 pages of HTML at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import jinja2
import markupsafe
import rcssmin
import rjsmin
from functools import cache, partial
from pathlib import Path
from collections.abc import Callable, Iterable, Iterator

from .. import platforms
from ..config import LAYOUTS, Config, Font
from ..model import Testimonial
from ..render.theme import EMBED_METRICS, SIZES, THEMES, Theme, theme
from . import markup
from .markup import Urls

ASSETS = Path(__file__).parent / "assets"
FEED_URI = "testimonials.json"
EMBED_DATA_URI = "embed/data.js"


@dataclass(frozen=True)
class CardImages:
    """Where a record's rendered card images live in the site, and the 1× size.

    ``share`` is the image for ``og:image`` and the oEmbed thumbnail, with its true pixel size:
    the 1200×675 social poster when the author granted ``social`` (``social`` is True), else
    the 2× web card, which the ``web`` grant covers."""

    light: str
    light_2x: str
    dark: str
    dark_2x: str
    share: str
    share_width: int
    share_height: int
    social: bool
    width: int
    height: int
    alt: str


@dataclass(frozen=True)
class PressItem:
    """One card in the press kit (print channel): its downloads, relative to the press page."""

    record: Testimonial
    pdf: str
    png: str


@dataclass(frozen=True)
class Look:
    """What embeds share: the date line's clock, the default theme, the wall's absolute URL."""

    tz: str
    theme: str
    wall: str


PRESS_PAGE = "press/index.md"
# The wall header's wording unless config says otherwise: who chose the posts, and on what terms.
DISCLOSURE = (
    "A selection of posts by customers of {brand}, chosen by {brand} and shown with each author's permission. "
    "A card says so when its author has a connection to {brand} (an employee, a free sample)."
)
SELECTION_PAGE = "how-we-select/index.md"
SELECTION_TITLE = "How we select testimonials"
# Its text unless config says otherwise (web.selection): what the FTC's rule on reviews (16 CFR
# 465.7), the UK's DMCC Act and the EU's Omnibus directive ask a curated wall to say.
SELECTION = """The testimonials on this site are **a selection** of public posts that mention {brand}, chosen
by people at {brand}. They are not all, or most, of what people say about {brand}: we pick posts
that speak well of us and leave others out.

## How we choose

We read public posts that mention {brand} and choose the ones we would like to share. We show
each post as its author wrote it, never edited. We do not pay for posts; when an author has a
connection to {brand} (an employee, a free sample), the card says so. Ratings are never shown.

## Permission

We ask each author first, in a public reply to their post. A post appears only after its
author agreed to [our terms]({terms_url}) by replying {consent_tag}. Each testimonial's own
page links the original post and says when permission was given.

## Withdrawal and removal

An author can withdraw at any time by replying {revoke_tag} to our request; the post then leaves
this site, and we keep neither its words nor the author's picture. A post deleted or made
private where it was published leaves this site within a day. {contact}
"""


Part = Callable[[], str]  # HTML (or JSON) made when it is needed
FilePart = Callable[[], str | Iterable[str]]  # a file's text, or its pieces: written as they are made


@dataclass
class Page:
    """A generated Markdown page. ``body`` (HTML) replaces ``MARKER`` after Markdown ran: it is
    what the search index reads and what MkDocs holds until the build ends, so keep it small.
    ``late``, when given, takes the body's place in the finished page; ``head`` goes before
    ``</head>``. ``reusable``: the finished page depends on nothing but these parts and the
    site's chrome, so a later build may reuse it (see ``pagecache``)."""

    src_uri: str
    markdown: str
    body: Part
    head: Part | None = None
    late: Part | None = None
    in_nav: bool = False
    meta: dict = field(default_factory=dict)  # front matter, given to MkDocs as data (nothing to parse)
    reusable: bool = False


@dataclass
class Plan:
    pages: list[Page] = field(default_factory=list)
    files: dict[str, str | Path | FilePart] = field(default_factory=dict)  # uri → text, a file, or a FilePart


MARKER = "<!-- curator -->"  # where a page's HTML goes; a hand-written wall page must contain it
BODY_START, BODY_END = "<!-- curator:body -->", "<!-- /curator:body -->"  # what ``late`` replaces


def card_images(record: Testimonial, made: dict[str, Path], alt: str) -> CardImages | None:
    """Site URIs of a record's rendered cards (``render_site_cards``: name → file), with the 1× size."""
    if f"{record.id}.png" not in made:
        return None
    width, height = png_size(made[f"{record.id}.png"])
    share = next(
        name for name in (f"{record.id}-social.png", f"{record.id}@2x.png", f"{record.id}.png") if name in made
    )
    social = share.endswith("-social.png")
    share_width, share_height = png_size(made[share])
    return CardImages(
        light=f"cards/{record.id}.png",
        light_2x=f"cards/{record.id}@2x.png",
        dark=f"cards/{record.id}-dark.png",
        dark_2x=f"cards/{record.id}@2x-dark.png",
        share=f"cards/{share}",
        share_width=share_width,
        share_height=share_height,
        social=social,
        width=width,
        height=height,
        alt=alt,
    )


def png_size(path: Path) -> tuple[int, int]:
    """Width and height of a PNG file, from its first 24 bytes: no image library for 1,000 headers."""
    with path.open("rb") as png:
        return png_header_size(png.read(24))


LOGO_HEIGHT = 40  # the wall header's logo, in CSS pixels
_SVG_SIZE = re.compile(r'<svg\b[^>]*?\bviewBox="\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)\s*"', re.S)


def logo_width_at(path: Path, height: int = LOGO_HEIGHT) -> int | None:
    """The width of the image at ``path`` shown ``height`` px high (an SVG's viewBox, a raster
    image's pixels), or None when it cannot be told."""
    try:
        if path.suffix.lower() == ".svg":
            found = _SVG_SIZE.search(path.read_text("utf-8", errors="replace")[:4096])
            size = (float(found.group(1)), float(found.group(2))) if found else None
        else:
            from PIL import Image  # the header only

            with Image.open(path) as image:
                size = image.size
    except (OSError, ValueError, SyntaxError):
        return None
    return round(height * size[0] / size[1]) if size and size[0] > 0 and size[1] > 0 else None


def png_header_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk (bytes 16–24)."""
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def plan_site(
    config: Config,
    site_url: str,
    web: list[Testimonial],
    embed: list[Testimonial],
    avatars: dict[str, str],
    cards: dict[str, CardImages],
    press: list[PressItem] | None = None,
    brochure: str | None = None,
    site_name: str = "",
    logo_width: int | None = None,
) -> Plan:
    """``logo_width``: of ``web.logo`` shown 40 px high (``logo_width_at``), so its room is kept
    before it loads."""
    urls = Urls(site_url)
    overrides = config.root / "overrides"
    tz = config.cards.timezone  # the clock of every card's date line, image and HTML alike
    look = Look(tz, config.web.theme, urls.absolute(page_url(config.wall_page)))
    plan = Plan()
    base, fonts = theme(config.cards.theme, config.cards.brand), config.web.font_files()
    # Material pages get the card stylesheet and their own in one file: one render-blocking request
    # less. Minified: every byte of it comes before a phone's first paint.
    plan.files["assets/curator/curator.css"] = rcssmin.cssmin(
        stylesheet("embed.css", base, fonts, "../../") + stylesheet("curator.css", base, fonts)
    )
    plan.files["assets/curator/site.js"] = with_layouts("site.js")
    plan.files["embed/embed.css"] = stylesheet("embed.css", base, fonts)
    plan.files["embed/frame.js"] = with_layouts("frame.js")
    plan.files["embed/resize.js"] = ASSETS / "resize.js"
    # The iframe pages' favicon: the mark of posts entered by hand (a speech bubble).
    plan.files["embed/icon.svg"] = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">'
        f'<path d="{markup.mark_path(platforms.FALLBACK)}"/></svg>\n'
    )
    plan.files["embed/curator.js"] = web_component(base, fonts)

    plan.pages += _wall_pages(config, urls, overrides, web, avatars, logo_width)
    plan.pages.append(_selection_page(config))
    embeddable = {record.id for record in embed}  # ids: `record in embed` compares whole records, O(n²)
    for record in web:
        plan.pages.append(
            _permalink_page(record, urls, overrides, avatars, cards, record.id in embeddable, site_name, look)
        )
    plan.files[FEED_URI] = partial(markup.json_feed, web, urls, config)
    for record in embed:
        plan.files[Urls.iframe(record)] = partial(
            _iframe_page,
            Urls.iframe(record),
            [record],
            _own(avatars, record),
            overrides,
            f"Testimonial from {config.brand}",
            look,
            oembed=urls.absolute(Urls.oembed(record)),
        )
        plan.files[Urls.oembed(record)] = partial(markup.oembed, record, urls, config, cards.get(record.id))
    plan.files[Urls.iframe(None)] = partial(
        _iframe_page,
        Urls.iframe(None),
        embed,
        avatars,
        overrides,
        f"Testimonials for {config.brand}",
        look,
        oembed=urls.absolute(markup.wall_oembed_uri("masonry")),  # the iframe page's own layout
    )
    for layout in LAYOUTS:
        plan.files[markup.wall_oembed_uri(layout)] = partial(
            markup.wall_oembed, urls, config.brand, layout, config.web.theme
        )
    plan.files[EMBED_DATA_URI] = partial(
        markup.embed_data, embed, avatars, tz, page_url(config.wall_page), config.web.theme
    )
    plan.pages.append(_embed_page(config, urls, overrides, embed, avatars, look))
    if press is not None:
        body = partial(markup.render, "press.html", overrides, items=press, brochure=brochure, brand=config.brand)
        plan.pages.append(Page(PRESS_PAGE, "# Press kit\n\n" + MARKER + "\n", body, meta={"title": "Press kit"}))
    return plan


def wall_page_uri(wall_page: str, number: int) -> str:
    """Page 1 is ``wall_page``; page 2 of ``wall/index.md`` (or ``wall.md``) is ``wall/page/2.md``."""
    if number == 1:
        return wall_page
    folder = _served_at(wall_page)
    return f"{folder}/page/{number}.md" if folder else f"page/{number}.md"


def page_url(src_uri: str) -> str:
    """A page's URL relative to the site root, as MkDocs serves it (directory URLs)."""
    folder = _served_at(src_uri)
    return folder + "/" if folder else ""


def _served_at(src_uri: str) -> str:
    """The folder a page is served from: ``wall/index.md`` and ``wall.md`` → ``wall``."""
    return src_uri.removesuffix(".md").removesuffix("index").strip("/")


def _wall_pages(
    config: Config,
    urls: Urls,
    overrides: Path,
    web: list[Testimonial],
    avatars: dict[str, str],
    logo_width: int | None = None,
) -> list[Page]:
    """The wall, ``wall_page_size`` cards a page (featured first, then newest): a phone loads and
    lays out one page of cards, not the whole store. Page 1 is in the nav; the rest link on."""
    size = config.wall_page_size or max(1, len(web))
    chunks = [web[start : start + size] for start in range(0, len(web), size)] or [[]]
    uris = [wall_page_uri(config.wall_page, number) for number in range(1, len(chunks) + 1)]
    pages = []
    for number, (uri, records) in enumerate(zip(uris, chunks, strict=True), 1):
        root = page_root(uri)
        links = [(n, root + page_url(target)) for n, target in enumerate(uris, 1)]
        wall = partial(
            markup.render,
            "wall.html",
            overrides,
            records=records,
            root=root,
            avatars={rid: root + avatars[rid] for rid in (r.id for r in records) if rid in avatars},
            note=config.web.disclosure or DISCLOSURE.format(brand=config.brand),
            selection=root + page_url(SELECTION_PAGE),
            brand=config.brand,
            logo=config.web.logo and root + config.web.logo,
            logo_width=logo_width,
            filters=markup.filters(records),
            json_ld=partial(markup.json_ld, records, urls, config.brand),
            pages=links if len(links) > 1 else [],
            current=number,
            total=len(web),
            tz=config.cards.timezone,
            layout=config.web.layout,
        )
        title = config.wall_title if number == 1 else f"{config.wall_title} (page {number})"
        # Out of the search index: every card on it is indexed on its own page, where a result belongs.
        # The theme writes page titles into <title> and the nav as they are: config text is escaped here.
        title = str(markupsafe.escape(title))
        head = partial(markup.render, "wall-head.html", overrides)
        pages.append(
            Page(
                uri,
                f"# {_md_escape(title)}\n\n{MARKER}\n",
                lambda: "",
                head=head,
                late=wall,
                in_nav=number == 1,
                meta={"title": title, "hide": ["navigation", "toc"], "search": {"exclude": True}},
            )
        )
    return pages


def page_root(src_uri: str) -> str:
    """The relative path from a page's URL back to the site root (directory URLs, MkDocs' default):
    ``wall/index.md`` is served at ``wall/``, so ``../``; ``index.md`` at the root, so ``""``."""
    folder = _served_at(src_uri)
    return "../" * (folder.count("/") + 1) if folder else ""


@cache
def stylesheet(name: str, base: Theme = THEMES["light"], fonts: tuple[Font, ...] = (), root: str = "../") -> str:
    """``assets/<name>.jinja`` with the card layout's sizes and colours (render/theme.py) filled in:
    the HTML card is the image card's twin by construction, and a stale copy cannot exist.
    ``base``: the cards' default theme (config ``cards.theme``, brand colours included);
    ``fonts``: self-hosted font files, ``root`` the way from the stylesheet to the site root."""
    return _stylesheet_template(name).render(
        card=EMBED_METRICS,
        platforms=platforms.all_platforms(),
        width=SIZES["embed"].card_width,
        themes=THEMES,
        light=base,
        fonts=fonts,
        root=root,
    )


@cache
def _stylesheet_template(name: str) -> jinja2.Template:
    # Compiled once a process (the page stylesheet and the web component's copy render it twice
    # a build), and kept compiled between builds with the pages' templates: compiling both took
    # 40 ms of every build.
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(ASSETS)),
        bytecode_cache=markup.compiled_templates(),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["px"] = lambda value: f"{value:g}px"
    return environment.get_template(f"{name}.jinja")


@cache
def with_layouts(name: str) -> str:
    """A page script with the layouts' code (carousel, masonry) before it: one copy of it for
    every kind of page."""
    return (ASSETS / "layouts.js").read_text("utf-8") + (ASSETS / name).read_text("utf-8")


@cache
def web_component(base: Theme = THEMES["light"], fonts: tuple[Font, ...] = ()) -> str:
    """curator.js with embed.css and the layouts' code inlined (one stylesheet for every card, shadow
    DOM included), the layout's avatar size and the platform marks. Font files are named from
    the site root: the component makes them absolute with the URL it was loaded from."""
    script = (ASSETS / "curator.js").read_text("utf-8")
    css = rcssmin.cssmin(stylesheet("embed.css", base, fonts, "{site}"))
    script = script.replace('"/*CURATOR_CSS*/"', markup.dumps_json(css).strip())
    script = script.replace("/*CURATOR_LAYOUTS*/", (ASSETS / "layouts.js").read_text("utf-8"))
    marks = {platform: markup.mark_path(platform) for platform in platforms.names()}
    script = script.replace('"/*CURATOR_MARKS*/"', markup.dumps_json(marks).strip())
    script = script.replace("/*CURATOR_EMOJI*/20", str(markup.EMOJI_SIZE))
    script = script.replace("/*CURATOR_AVATAR*/48", str(markup.AVATAR_SIZE))
    return rjsmin.jsmin(script)  # host pages load it: every layout and whole-post part within 8 kB gzipped


def _permalink_page(
    record: Testimonial,
    urls: Urls,
    overrides: Path,
    avatars: dict[str, str],
    cards: dict[str, CardImages],
    embeddable: bool,
    site_name: str,
    look: Look,
) -> Page:
    depth = page_root(f"t/{record.id}.md")
    local_avatars = {record.id: depth + avatars[record.id]} if record.id in avatars else {}
    card = cards.get(record.id)
    search = partial(markup.render, "permalink-search.html", overrides, t=record)
    page = partial(
        _permalink_html,
        record,
        urls,
        overrides,
        _own(avatars, record),
        local_avatars.get(record.id),
        card,
        depth,
        embeddable,
        look,
    )
    head = partial(
        markup.render,
        "head.html",
        overrides,
        t=record,
        urls=urls,
        card=card,
        site_name=site_name,
        json_ld=markup.posting_json_ld(record, urls),
    )
    title = f"{markup.platform_name(record.source.platform)} post of {record.posted_date.isoformat()}"
    return Page(
        f"t/{record.id}.md",
        MARKER + "\n",
        search,
        head,
        page,
        meta={"title": title, "hide": ["navigation", "toc"]},
        reusable=True,
    )


def share_head(site_name: str, title: str, description: str, url: str, image: dict | None) -> str:
    """Open Graph and Twitter tags of a page that has none of its own (home, guide, wall, press).
    ``image``: the configured share image, {url, width, height, alt}, or None."""
    return markup.render(
        "og.html",
        None,
        site_name=site_name,
        og_type="website",
        title=title,
        description=description,
        url=url,
        image=image and {**image, "large": True},
    )


def _permalink_html(
    record: Testimonial,
    urls: Urls,
    overrides: Path,
    avatars: dict[str, str],
    avatar: str | None,
    card: CardImages | None,
    root: str,
    embeddable: bool,
    look: Look,
) -> str:
    snippets = markup.snippets(record, urls, avatars, card, look.tz, look.theme) if embeddable else []
    return markup.render(
        "permalink.html", overrides, t=record, avatar=avatar, card=card, root=root, snippets=snippets, tz=look.tz
    )


def _own(avatars: dict[str, str], record: Testimonial) -> dict[str, str]:
    # A part gets only its record's avatar: the whole table would be in every part's cache key.
    return {record.id: avatars[record.id]} if record.id in avatars else {}


def _iframe_page(
    uri: str,
    records: list[Testimonial],
    avatars: dict[str, str],
    overrides: Path,
    title: str,
    look: Look,
    oembed: str | None = None,
) -> Iterator[str]:
    """A standalone page (not Material) for iframes: strict CSP, reports its height to the parent,
    carries the oEmbed discovery link (Material's JS would fetch a sitemap beside any
    ``rel=alternate`` link, so discovery stays off Material pages)."""
    lang = records[0].lang if len(records) == 1 and records[0].lang else "en"
    return markup.render_pieces(
        "iframe.html",
        overrides,
        records=records,
        avatars=avatars,
        title=title,
        lang=lang,
        root="../" * uri.count("/"),
        oembed=oembed,
        tz=look.tz,
        theme=look.theme,
        wall=look.wall,
    )


def _embed_page(
    config: Config, urls: Urls, overrides: Path, embed: list[Testimonial], avatars: dict[str, str], look: Look
) -> Page:
    snippets = {
        layout: markup.wall_snippets(urls, config.brand, layout, look.theme, embed, avatars, look.tz, look.wall)
        for layout in LAYOUTS
    }
    body = partial(
        markup.render,
        "embed.html",
        overrides,
        urls=urls,
        count=len(embed),
        brand=config.brand,
        layouts=LAYOUTS,
        notes=markup.LAYOUT_NOTES,
        snippets=snippets,
        theme=config.web.theme,
        script="curator.js",
        wall="../" + page_url(config.wall_page),
    )
    # Its codes and previews quote the embed channel's posts: the search index (the web
    # channel's) reads the page without them (``late``), by its title.
    return Page(
        "embed/index.md",
        "# Embed the wall\n\n" + MARKER + "\n",
        lambda: "",
        late=body,
        meta={"title": "Embed the wall"},
    )


def _selection_page(config: Config) -> Page:
    """ "How we select testimonials", which the wall's header links: ``web.selection``, else
    curator's text naming the brand, the hashtags, the terms and where to ask for removal."""
    contact = config.web.contact
    removal = f"To ask for a post's removal, write to {_md_text(contact)}." if contact else ""
    text = config.web.selection or SELECTION.format(
        brand=_md_text(config.brand),
        terms_url=config.terms_url.replace("(", "%28").replace(")", "%29"),
        consent_tag=f"`{config.consent_tag}`",
        revoke_tag=f"`{config.revoke_tag}`",
        contact=removal,
    )
    return Page(
        SELECTION_PAGE,
        f"# {SELECTION_TITLE}\n\n{text.strip()}\n\n{MARKER}\n",
        lambda: "",
        meta={"title": SELECTION_TITLE, "hide": ["navigation", "toc"]},
    )


def _md_text(text: str) -> str:
    return _md_escape(str(markupsafe.escape(text)))


def _md_escape(text: str) -> str:
    """Markdown-inert HTML-escaped text (``<`` and ``>`` are entities already; Markdown cannot
    escape them with a backslash)."""
    return "".join("\\" + c if c in "\\`*_{}[]()#+-.!|" else c for c in text)
