"""One card: what it shows (``CardData``), where things go (layers), and the pixels.

Like mkdocs-material's social plugin, the card is described declaratively: ``layout_card``
returns a list of layers (panel, avatar, text blocks, badge, platform mark, rule) with their
device-pixel boxes, and ``paint`` walks that list. Layout never draws; drawing never measures.
"""

from __future__ import annotations

import functools
import hashlib
import io
import itertools
import math
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from PIL import Image, ImageDraw, ImageOps

from .. import avatars, platforms
from ..errors import UsageError
from ..model import LinkCard, Media, Poll, Quote, Testimonial
from ..untrusted import one_line
from . import polls, text, uax
from .dates import posted_when
from .fonts import file_digest, font_chain, how_to_cover
from .text import FontSet, Style, TextBlock, Unsupported
from .theme import EMBED_METRICS, SIZES, Metrics, Size, TextSize, Theme

METRIC_ORDER = ("likes", "reposts", "replies")
EMBED_WIDTH = SIZES["embed"].card_width
MAX_PRINT_PX = 20_000  # a 1.6 m wide print at 300 dpi; beyond that memory, not quality, is the limit
SUPERSAMPLE = 4  # Pillow's shapes are not anti-aliased: draw masks 4× larger and shrink


class DoesNotFit(Exception):
    """The text cannot fit a fixed-size canvas even at the smallest allowed scale."""


class MissingGlyphs(Exception):
    """Some character of the card (name, handle, text, date) has no glyph in any available font:
    the card would show a box where the author wrote something, so it is not drawn."""

    SHOWN = 6  # characters named in the message; a Japanese post without a CJK font has hundreds

    def __init__(self, card_id: str, unsupported: list[Unsupported]):
        self.card_id, self.unsupported = card_id, list(dict.fromkeys(unsupported))
        self.scripts = uax.script_names("".join(u.cluster for u in self.unsupported))
        shown = self.unsupported[: self.SHOWN]
        more = f" and {len(self.unsupported) - len(shown)} more" if len(self.unsupported) > len(shown) else ""
        self.summary = (
            f"{card_id}: {''.join(u.cluster for u in shown)!r}{more} ({', '.join(u.code_points for u in shown)}"
            f"{more}{'; script ' + ', '.join(self.scripts) if self.scripts else ''})"
        )
        super().__init__(
            f"{card_id}: no available font has glyphs for {self.summary.removeprefix(card_id + ': ')}, "
            f"so its card is not published: {how_to_cover(self.scripts)}. `curator doctor` checks "
            "every published record"
        )

    def __reduce__(self):  # rebuilt from what it was made of, not from its message
        return MissingGlyphs, (self.card_id, self.unsupported)


@dataclass(frozen=True)
class Picture:
    """An image of the post (or a video's or GIF's poster frame) as the card draws it."""

    kind: str  # image | video | gif
    file: str | None  # its file inside the store; None when missing (an empty cell is drawn)
    alt: str
    width: int  # of the stored file when readable, else as the record says: the cell's shape
    height: int


@dataclass(frozen=True)
class InlineEmoji:
    shortcode: str
    file: str


@dataclass(frozen=True)
class PollData:
    options: tuple[tuple[str, int | None], ...]  # (title, votes)
    closed: bool


@dataclass(frozen=True)
class QuoteData:
    name: str
    handle: str
    text: str
    media: tuple[Picture, ...]


@dataclass(frozen=True)
class LinkData:
    domain: str
    title: str
    description: str
    image: Picture | None


@dataclass(frozen=True)
class CardData:
    """Every record field a card draws (and so every field the cache key must include)."""

    id: str
    name: str
    handle: str
    verified: bool
    author_key: str
    avatar: bytes | None
    posted_at: str
    lang: str
    text: str
    entities: tuple[tuple[str, int, int, str | None, str | None], ...]
    highlight: tuple[int, int] | None
    metrics: tuple[tuple[str, int], ...]
    disclosure: str | None
    platform: str
    timezone: str = "UTC"  # where the date line's clock is (``cards.timezone``)
    # What a whole post shows besides its text (issue 21).
    warning: str = ""
    media: tuple[Picture, ...] = ()
    poll: PollData | None = None
    quote: QuoteData | None = None
    link: LinkData | None = None
    emoji: tuple[InlineEmoji, ...] = ()  # those whose file is in the store

    def key(self, digest: Callable[[str], str] = file_digest) -> dict:
        """Every field drawn, the files (avatar, media, emoji) by their content's sha256, not their
        path: a changed image renders again, a moved store does not."""
        data = {k: _keyed(v, digest) for k, v in self.__dict__.items() if k != "avatar"}
        data["avatar"] = hashlib.sha256(self.avatar).hexdigest() if self.avatar else None
        return data


def _keyed(value: object, digest: Callable[[str], str]) -> object:
    if isinstance(value, Picture | InlineEmoji):
        fields = dict(value.__dict__)
        fields["file"] = digest(value.file) if value.file else None
        return fields
    if isinstance(value, PollData | QuoteData | LinkData):
        return {name: _keyed(item, digest) for name, item in value.__dict__.items()}
    if isinstance(value, tuple):
        return [_keyed(item, digest) for item in value]
    return value


def card_data(record: Testimonial, store_root: Path, show_metrics: bool = False, timezone: str = "UTC") -> CardData:
    avatar = None
    if avatar_file := store_file(store_root, record.author.avatar):
        with open(avatar_file, "rb") as file:
            avatar = file.read()
    entities = tuple((e.type, e.start, e.end, e.url, e.display) for e in record.entities)
    highlight = (record.highlight.start, record.highlight.end) if record.highlight else None
    order = {name: i for i, name in enumerate(METRIC_ORDER)}
    metrics = (
        tuple(sorted((record.metrics or {}).items(), key=lambda m: (order.get(m[0], 99), m[0]))) if show_metrics else ()
    )
    # A name is one line: a newline or control character in it is an attack or an accident, never drawn.
    return CardData(
        record.id,
        one_line(record.author.name),
        one_line(record.author.handle or ""),
        bool(record.author.verified),
        record.author.id or record.author.name,
        avatar,
        record.posted_at,
        record.lang or "en",
        record.text,
        entities,
        highlight,
        metrics,
        record.disclosure,
        record.source.platform,
        timezone,
        one_line(record.warning or ""),
        tuple(_picture(media, store_root) for media in record.media),
        _poll(record.poll),
        _quote(record.quote, store_root),
        _link(record.link, store_root),
        tuple(
            InlineEmoji(emoji.shortcode, found)
            for emoji in record.emoji
            if (found := store_file(store_root, emoji.path))
        ),
    )


def store_file(store_root: Path, relative: str | None) -> str | None:
    """The file at ``relative`` (record data, not trusted) if it is a file inside the store."""
    if not relative:
        return None
    root = _real_folder(str(store_root))
    path = os.path.realpath(os.path.join(root, relative))
    return path if path.startswith(root + os.sep) and os.path.isfile(path) else None


def _picture(media: Media, store_root: Path) -> Picture:
    file = store_file(store_root, media.path)
    width, height = media.width or 16, media.height or 9  # no size known: a 16:9 cell
    if file:
        try:
            with Image.open(file) as found:  # reads the header only
                width, height = found.size[::-1] if _orientation(found) in TURNED else found.size
        except (OSError, ValueError, Image.DecompressionBombError):
            file = None  # not an image: an empty cell, like a missing file
    return Picture(media.type, file, one_line(media.alt), width, height)


def _poll(poll: Poll | None) -> PollData | None:
    if poll is None:
        return None
    return PollData(tuple((one_line(option.title), option.votes) for option in poll.options), poll.closed)


def _quote(quote: Quote | None, store_root: Path) -> QuoteData | None:
    if quote is None:
        return None
    return QuoteData(
        one_line(quote.author.name),
        one_line(quote.author.handle or ""),
        quote.text,
        tuple(_picture(media, store_root) for media in quote.media),
    )


def _link(link: LinkCard | None, store_root: Path) -> LinkData | None:
    if link is None:
        return None
    try:
        domain = urlsplit(link.url).hostname or ""
    except ValueError:  # e.g. an unclosed IPv6 bracket: the card shows no domain rather than fail
        domain = ""
    image = _picture(link.image, store_root) if link.image else None
    return LinkData(domain.removeprefix("www."), one_line(link.title), one_line(link.description), image)


@functools.lru_cache(maxsize=8)
def _real_folder(folder: str) -> str:
    return os.path.realpath(folder)  # once per store, not once per card (10,000 path walks)


# --- text pieces -----------------------------------------------------------------------------


def body_pieces(card: CardData) -> list[tuple[str, Style]]:
    """The post text split into styled pieces; links show their display form, text is never cut."""
    spans = sorted((e for e in card.entities if 0 <= e[1] < e[2] <= len(card.text)), key=lambda e: e[1])
    valid, end = [], 0
    for entity in spans:  # drop overlapping entities rather than duplicate text
        if entity[1] >= end:
            valid.append(entity)
            end = entity[2]
    low, high = card.highlight or (0, 0)
    pieces: list[tuple[str, Style]] = []
    cursor = 0
    for kind, start, stop, url, display in valid:
        pieces += _plain(card.text, cursor, start, low, high)
        shown = (display or _display_url(url or card.text[start:stop])) if kind == "url" else card.text[start:stop]
        pieces.append((shown, Style("link", low <= start < high)))
        cursor = stop
    pieces += _plain(card.text, cursor, len(card.text), low, high)
    return with_emoji([piece for piece in pieces if piece[0]], card.emoji)


OBJECT = "\ufffc"  # what a custom emoji is to line breaking and bidi: one inline object


def with_emoji(pieces: list[tuple[str, Style]], emoji: tuple[InlineEmoji, ...]) -> list[tuple[str, Style]]:
    """``pieces`` with each ``:shortcode:`` of ``emoji`` made an inline image; other colons stay text."""
    if not emoji:
        return pieces
    files = {found.shortcode: found.file for found in emoji}
    pattern = _shortcodes(tuple(sorted(files)))
    result = []
    for value, style in pieces:
        cursor = 0
        for match in pattern.finditer(value):
            result += [(value[cursor : match.start()], style), (OBJECT, replace(style, image=files[match[1]]))]
            cursor = match.end()
        result.append((value[cursor:], style))
    return [piece for piece in result if piece[0]]


@functools.lru_cache(maxsize=64)
def _shortcodes(codes: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(":(" + "|".join(map(re.escape, codes)) + "):")


def _plain(value: str, start: int, stop: int, low: int, high: int) -> list[tuple[str, Style]]:
    cuts = sorted({start, stop, *(c for c in (low, high) if start < c < stop)})
    return [(value[a:b], Style("text", low <= a < high)) for a, b in itertools.pairwise(cuts)]


def _display_url(url: str, limit: int = 30) -> str:
    shown = url.split("://", 1)[-1].removeprefix("www.")
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def date_line(card: CardData) -> str:
    """'10:24 AM · Mar 3, 2026 · <platform label>', localised to the post's language, the clock in
    ``cards.timezone`` (UTC by default; never the machine's zone). A post whose source gave
    only a day shows only the day: 'Mar 3, 2026 · <platform label>'."""
    return f"{posted_when(card.posted_at, card.lang, card.timezone)} · {platforms.shown(card.platform).label}"


def metrics_line(card: CardData) -> str:
    from babel.numbers import format_compact_decimal

    labels = {"likes": ("like", "likes"), "reposts": ("repost", "reposts"), "replies": ("reply", "replies")}
    parts = []
    for name, count in card.metrics:
        singular, plural = labels.get(name, (name, name))
        parts.append(
            f"{format_compact_decimal(count, locale='en', fraction_digits=1)} {singular if count == 1 else plural}"
        )
    return "   ".join(parts)


# --- layers ----------------------------------------------------------------------------------


@dataclass
class Layer:
    kind: str  # panel | avatar | text | badge | mark | rule | warning | picture | play | tag | bar | box
    box: tuple[float, float, float, float]  # x, y, width, height in device px
    block: TextBlock | None = None
    colour: str = ""  # a bar's: a Theme attribute name
    # Where a text layer's lines stand: False left (chrome), None as each line's direction says
    # (the post's words), True right (a right-to-left post's poll percentages).
    align_right: bool | None = False
    picture: Picture | None = None
    radius: float = 0  # a picture's or a box's corners, device px
    # Which of a picture's corners are rounded: top-left, top-right, bottom-left, bottom-right.
    corners: tuple[bool, bool, bool, bool] = (True, True, True, True)


@dataclass
class CardLayout:
    layers: list[Layer]
    width: float
    height: float
    scale: float
    border: int  # the panel's border and the rule, snapped to whole device pixels


@dataclass(frozen=True)
class Fonts:
    regular: FontSet
    bold: FontSet


def fonts_for(
    card: CardData, theme: Theme, first: tuple[str, ...], last: tuple[str, ...], root: Path, opsz: float | None
) -> Fonts:
    return Fonts(
        fontset_for(card.lang, 400, theme, first, last, root, opsz),
        fontset_for(card.lang, 700, theme, first, last, root, opsz),
    )


def fontset_for(
    lang: str | None,
    weight: int,
    theme: Theme,
    first: tuple[str, ...],
    last: tuple[str, ...],
    root: Path,
    opsz: float | None = None,
) -> FontSet:
    """The chain: the theme's font, the configured ``first`` ones, the bundled ones, ``last``, the system's."""
    first = ((theme.font,) if theme.font else ()) + first
    return FontSet(font_chain(lang, weight, first, last, root), opsz, lang)


def describe_body(
    value: str,
    lang: str | None,
    theme: Theme,
    first: tuple[str, ...],
    last: tuple[str, ...],
    root: Path,
    width: float | None = None,
    size: float | None = None,
) -> dict:
    """``text.describe`` of ``value`` laid out as a web card's body: its fonts, and its size and
    column width (CSS px at 1×) unless ``size`` or ``width`` say otherwise."""
    metrics = EMBED_METRICS
    size = size or metrics.body.size
    width = width or EMBED_WIDTH - 2 * metrics.pad_x
    fontset = fontset_for(lang, 400, theme, first, last, root)
    return text.describe(value, fontset, size, size * metrics.body.line_height / metrics.body.size, width)


def missing_glyphs(card: CardData, faces: Fonts) -> list[Unsupported]:
    """What ``layout_card`` would find no glyph for (name, handle, text, disclosure, date,
    metrics), without laying anything out: ``curator doctor`` asks it of every published record."""
    regular = [
        body_pieces(card),
        [(card.handle, Style())],
        [(date_line(card), Style())],
        [(card.disclosure or "", Style())],
        *([(value, Style())] for value in _post_texts(card, bold=False)),
    ]
    bold = [
        with_emoji([(card.name, Style())], card.emoji),
        [(metrics_line(card), Style())],
        *([(value, Style())] for value in _post_texts(card, bold=True)),
    ]
    return [u for pieces in regular for u in text.unsupported(pieces, faces.regular)] + [
        u for pieces in bold for u in text.unsupported(pieces, faces.bold)
    ]


@dataclass
class Column:
    """Lays out the blocks below the header, top to bottom, each returning the y below it (device px)."""

    x: float
    width: float
    scale: float
    metrics: Metrics
    faces: Fonts
    border: int
    layers: list[Layer]
    emoji: tuple[InlineEmoji, ...] = ()  # the post's custom emoji: in its text, CW and poll options
    rtl: bool = False  # the post's words run right to left: its warning and poll are mirrored
    has_text: bool = False

    def s(self, value: float) -> float:
        return value * self.scale

    def block(
        self, pieces: list[tuple[str, Style]], fontset: FontSet, size: TextSize, width: float | None = None
    ) -> TextBlock:
        return text.layout(pieces, fontset, self.s(size.size), self.s(size.line_height), width or self.width)

    def text(self, y: float, pieces: list[tuple[str, Style]], fontset: FontSet, size: TextSize) -> float:
        block = self.block(pieces, fontset, size)
        self.layers.append(Layer("text", (self.x, y, self.width, block.height), block))
        return y + block.height

    def line(self, pieces: list[tuple[str, Style]], fontset: FontSet, size: TextSize, width: float) -> TextBlock:
        return text.ellipsize(pieces, fontset, self.s(size.size), self.s(size.line_height), width)

    def media_width(self, room: float) -> float:
        """A grid as wide as the embed card's column, at most: on a poster it shrinks with the
        text instead of filling the canvas (four images would leave no room for the post)."""
        return min(room, self.s(EMBED_WIDTH - 2 * self.metrics.pad_x))

    def post(self, y: float, card: CardData, step: float) -> float:
        """What the author posted: content warning, text, images, poll, link card, quoted post."""
        if card.warning:
            y = self.warning(y, card.warning) + step
        self.has_text = bool(card.text.strip() or card.warning)
        if card.text.strip():  # a post of media or a poll alone has no text line
            body = self.block(body_pieces(card), self.faces.regular, self.metrics.body)
            self.rtl = bool(body.lines) and body.lines[0].rtl  # the poll follows the post's direction
            self.layers.append(Layer("text", (self.x, y, self.width, body.height), body, align_right=None))
            y += body.height + step
        if card.media:
            y = self.grid(self.x, y, self.media_width(self.width), card.media) + step
        if card.poll:
            y = self.poll(y, card.poll) + step
        if card.link and not card.media:  # platforms show a link's card only in a post without media
            y = self.link(y, card.link) + step
        if card.quote:
            y = self.quote(y, card.quote) + step
        return y

    def warning(self, y: float, warning: str) -> float:
        """The content warning: its mark, then its text (bold), above the post it warns about."""
        size, icon = self.metrics.meta, self.s(self.metrics.warning_icon)
        indent = icon + self.s(self.metrics.gap)
        block = self.block(
            with_emoji([(warning, Style("text"))], self.emoji), self.faces.bold, size, self.width - indent
        )
        self.rtl = bool(block.lines) and block.lines[0].rtl  # a right-to-left warning: mark on the right
        mark_x, text_x = (self.x + self.width - icon, self.x) if self.rtl else (self.x, self.x + indent)
        self.layers.append(Layer("warning", (mark_x, y + (self.s(size.line_height) - icon) / 2, icon, icon)))
        self.layers.append(Layer("text", (text_x, y, self.width - indent, block.height), block, align_right=None))
        return y + block.height

    def grid(self, x: float, y: float, width: float, pictures: tuple[Picture, ...]) -> float:
        """1: the image's shape (clamped); 2: side by side; 3: one tall and two; 4: two by two."""
        m = self.metrics
        if len(pictures) == 1:
            low, high = m.media_aspect
            height = width / min(max(pictures[0].width / max(1, pictures[0].height), low), high)
        else:
            height = width / m.grid_aspect
        for picture, (cx, cy, cw, ch) in zip(
            pictures, grid_cells(len(pictures), width, height, self.s(m.media_gap)), strict=False
        ):
            corners = (
                cx == 0 and cy == 0,
                cx + cw >= width - 0.5 and cy == 0,
                cx == 0 and cy + ch >= height - 0.5,
                cx + cw >= width - 0.5 and cy + ch >= height - 0.5,
            )
            self.picture((x + cx, y + cy, cw, ch), picture, corners)
        return y + height

    def picture(
        self,
        box: tuple[float, float, float, float],
        picture: Picture,
        corners: tuple[bool, bool, bool, bool],
        radius: float | None = None,
    ) -> None:
        x, y, w, h = box
        self.layers.append(
            Layer("picture", box, picture=picture, radius=radius or self.s(self.metrics.media_radius), corners=corners)
        )
        if picture.kind == "video":
            play = min(self.s(self.metrics.play), w * 0.6, h * 0.6)
            self.layers.append(Layer("play", (x + (w - play) / 2, y + (h - play) / 2, play, play)))
        elif picture.kind == "gif":
            pad, size = self.s(self.metrics.tag_pad), self.metrics.tag
            block = self.line([("GIF", Style("text"))], self.faces.bold, size, w)
            tag_w, tag_h = block.lines[0].width + 2 * pad, self.s(size.line_height)
            self.layers.append(Layer("tag", (x + pad, y + h - pad - tag_h, tag_w, tag_h), block))

    def poll(self, y: float, poll: PollData) -> float:
        """A bar per option as long as its share of the votes, its percentage and title over it;
        the leading option (or options, on a tie) in the link colour and bold."""
        m = self.metrics
        shares = polls.shares([votes for _title, votes in poll.options])
        leading = max(shares, default=0)
        leads = [leading > 0 and share == leading for share in shares] or [False] * len(poll.options)
        row, gap, pad = self.s(m.poll_bar), self.s(m.poll_gap), self.s(m.poll_pad)
        size = TextSize(m.box_text.size, m.poll_bar)  # one line, centred in the bar
        labels = [
            self.line([(f"{share}%", Style("text"))], self.faces.bold if lead else self.faces.regular, size, self.width)
            for share, lead in zip(shares, leads, strict=False)
        ]
        label_width = max((label.lines[0].width for label in labels if label.lines), default=0)
        indent = pad + (label_width + pad if labels else 0)
        titles = [
            self.line(
                with_emoji([(title, Style("text"))], self.emoji),
                self.faces.bold if lead else self.faces.regular,
                size,
                self.width - indent - pad,
            )
            for (title, _votes), lead in zip(poll.options, leads, strict=True)
        ]
        if not self.has_text:  # a poll alone: the direction of its first option
            self.rtl = bool(titles and titles[0].lines) and titles[0].lines[0].rtl
        # Right to left, the poll is mirrored: bars grow from the right, percentages on the right.
        rtl = self.rtl
        for index, (_title, votes) in enumerate(poll.options):
            lead = leads[index]
            if labels and shares[index]:
                bar = self.width * (votes or 0) / max(1, sum(v or 0 for _t, v in poll.options))
                self.layers.append(
                    Layer(
                        "bar",
                        (self.x + self.width - bar if rtl else self.x, y, bar, row),
                        colour="poll_leader" if lead else "poll_bar",
                        radius=self.s(m.poll_radius),
                    )
                )
            elif not labels:  # results not known: an empty bar under each option
                self.layers.append(
                    Layer("bar", (self.x, y, self.width, row), colour="poll_bar", radius=self.s(m.poll_radius))
                )
            if labels:  # right to left, each percentage ends at the right edge
                label = labels[index]
                shown = label.lines[0].width if label.lines else 0
                label_x = self.x + self.width - pad - shown if rtl else self.x + pad
                self.layers.append(Layer("text", (label_x, y, shown if rtl else label_width, row), label))
            title_x = self.x + pad if rtl else self.x + indent
            self.layers.append(
                Layer("text", (title_x, y, self.width - indent - pad, row), titles[index], align_right=rtl)
            )
            y += row + gap
        return self.text(
            y,
            [(polls.summary([votes for _title, votes in poll.options], poll.closed), Style("secondary"))],
            self.faces.regular,
            m.meta,
        )

    def quote(self, y: float, quote: QuoteData) -> float:
        """The quoted post in a bordered box: name and handle, its text (smaller), its images."""
        m, top = self.metrics, y
        at = len(self.layers)
        pad = self.s(m.box_pad)
        x, width = self.x + pad, self.width - 2 * pad
        y += pad
        # The name takes at most 60% of the line, the handle what is left (each cut with "…").
        name = self.line([(quote.name, Style("text"))], self.faces.bold, m.box_text, width * 0.6)
        name_width = name.lines[0].width if name.lines else 0
        self.layers.append(Layer("text", (x, y, name_width, name.height), name))
        gap = self.s(m.badge_gap * 2)
        if quote.handle and width - name_width - gap > 0:
            handle = self.line(
                [(quote.handle, Style("secondary"))], self.faces.regular, m.box_text, width - name_width - gap
            )
            self.layers.append(Layer("text", (x + name_width + gap, y, handle.width, handle.height), handle))
        y += name.height
        if quote.text.strip():
            block = self.block([(quote.text, Style("text"))], self.faces.regular, m.box_text, width)
            self.layers.append(Layer("text", (x, y, width, block.height), block, align_right=None))
            y += block.height
        if quote.media:
            y = self.grid(x, y + pad / 2, self.media_width(width), quote.media)
        y += pad
        self.layers.insert(at, Layer("box", (self.x, top, self.width, y - top), radius=self.s(m.media_radius)))
        return y

    def link(self, y: float, link: LinkData) -> float:
        """The link card: its image across the top, then domain, title and description."""
        m, top = self.metrics, y
        at = len(self.layers)
        radius, pad = self.s(m.media_radius), self.s(m.box_pad)
        if link.image:
            inset = self.width - 2 * self.border
            height = self.media_width(inset) / m.link_aspect
            self.picture(
                (self.x + self.border, y + self.border, inset, height),
                link.image,
                (True, True, False, False),
                radius - self.border,
            )
            y += self.border + height
        x, width = self.x + pad, self.width - 2 * pad
        y += pad
        for value, colour, fontset in (
            (link.domain, "secondary", self.faces.regular),
            (link.title, "text", self.faces.bold),
            (link.description, "secondary", self.faces.regular),
        ):
            if value:
                block = self.line([(value, Style(colour))], fontset, m.box_text, width)
                self.layers.append(Layer("text", (x, y, width, block.height), block))
                y += block.height
        y += pad
        self.layers.insert(at, Layer("box", (self.x, top, self.width, y - top), radius=radius))
        return y


def grid_cells(count: int, width: float, height: float, gap: float) -> list[tuple[float, float, float, float]]:
    """(x, y, w, h) of each image's cell in a grid ``width`` × ``height``."""
    half_w, half_h = (width - gap) / 2, (height - gap) / 2
    right, low = half_w + gap, half_h + gap
    if count == 1:
        return [(0, 0, width, height)]
    if count == 2:
        return [(0, 0, half_w, height), (right, 0, half_w, height)]
    if count == 3:
        return [(0, 0, half_w, height), (right, 0, half_w, half_h), (right, low, half_w, half_h)]
    return [(0, 0, half_w, half_h), (right, 0, half_w, half_h), (0, low, half_w, half_h), (right, low, half_w, half_h)]


def _post_texts(card: CardData, bold: bool) -> list[str]:
    """The texts of a whole post's parts in the weight ``Column`` draws them (poll titles in both:
    the leading one is bold)."""
    titles = [title for title, _votes in card.poll.options] if card.poll else []
    quote, link = card.quote, card.link
    if bold:
        return [card.warning, *titles, quote.name if quote else "", link.title if link else ""]
    texts = list(titles)
    if card.poll:
        texts.append(polls.summary([votes for _title, votes in card.poll.options], card.poll.closed))
    if quote:
        texts += [quote.handle, quote.text]
    if link:
        texts += [link.domain, link.description]
    return texts


def layout_card(
    card: CardData, theme: Theme, metrics: Metrics, scale: float, width_css: float, faces: Fonts
) -> CardLayout:
    """Every element's box, top to bottom, for a card ``width_css`` CSS px wide at ``scale``."""
    s = lambda value: value * scale  # noqa: E731 — CSS px → device px
    width = s(width_css)
    pad_x, pad_y, inner = s(metrics.pad_x), s(metrics.pad_y), width - 2 * s(metrics.pad_x)
    layers = [Layer("avatar", (pad_x, pad_y, s(metrics.avatar), s(metrics.avatar)))]
    mark = s(metrics.mark)
    layers.append(Layer("mark", (width - pad_x - mark, pad_y, mark, mark), colour=card.platform))
    name_x = pad_x + s(metrics.avatar) + s(metrics.gap)
    badge_room = s(metrics.badge + metrics.badge_gap) if card.verified else 0
    name_room = width - pad_x - mark - s(metrics.gap) - name_x - badge_room
    name_size, name_lh = s(metrics.name.size), s(metrics.name.line_height)
    name = text.ellipsize(
        with_emoji([(card.name, Style("text"))], card.emoji), faces.bold, name_size, name_lh, name_room
    )
    handle = text.ellipsize(
        [(card.handle, Style("secondary"))],
        faces.regular,
        name_size,
        name_lh,
        width - pad_x - mark - s(metrics.gap) - name_x,
    )
    top = pad_y + (s(metrics.avatar) - 2 * name_lh) / 2
    layers.append(Layer("text", (name_x, top, name_room, name_lh), name))
    layers.append(Layer("text", (name_x, top + name_lh, handle.width, name_lh), handle))
    if card.verified:
        name_width = name.lines[0].width if name.lines else 0
        badge = s(metrics.badge)
        badge_x = name_x + name_width + s(metrics.badge_gap)
        layers.append(Layer("badge", (badge_x, top + (name_lh - badge) / 2, badge, badge)))
    border = max(1, round(s(metrics.border)))
    y = pad_y + s(metrics.avatar) + s(metrics.section)
    column = Column(pad_x, inner, scale, metrics, faces, border, layers, card.emoji)
    step = s(metrics.section) / 2
    y = column.post(y, card, step)
    if card.disclosure:
        y = column.text(y, [(card.disclosure, Style("secondary"))], faces.regular, metrics.meta) + step
    y = column.text(y, [(date_line(card), Style("secondary"))], faces.regular, metrics.meta) + step
    if card.metrics:
        layers.append(Layer("rule", (pad_x, y, inner, border)))
        y += step
        y = column.text(y, [(metrics_line(card), Style("secondary"))], faces.bold, metrics.counts) + step
    height = y + pad_y - s(metrics.section) / 2
    layers.insert(0, Layer("panel", (0, 0, width, height)))
    unsupported = [u for layer in layers if layer.block for u in layer.block.unsupported]
    if unsupported:
        raise MissingGlyphs(card.id, unsupported)
    return CardLayout(layers, width, height, scale, border)


# --- painting --------------------------------------------------------------------------------


def paint(
    image: Image.Image, layout: CardLayout, card: CardData, theme: Theme, origin: tuple[int, int], faces: Fonts
) -> None:
    """Draw every layer of ``layout`` onto ``image`` (RGBA, or RGB for an opaque canvas) with the
    card's top-left at ``origin``."""
    ox, oy = origin
    for layer in layout.layers:
        x, y, w, h = layer.box
        at = (round(ox + x), round(oy + y))
        if layer.kind == "panel":
            _panel(image, at, (round(w), round(h)), theme, layout.scale, layout.border)
        elif layer.kind == "avatar":
            text.composite(image, _avatar(card, round(w), faces), at)
        elif layer.kind == "text" and layer.block is not None:
            text.draw(image, layer.block, ox + x, oy + y, theme.colours(), layer.align_right)
        elif layer.kind == "badge":
            text.composite(image, _badge(round(w), theme), at)
        elif layer.kind == "mark":
            text.composite(image, _mark(round(w), card.platform, theme, faces), at)
        elif layer.kind == "rule":
            ImageDraw.Draw(image).rectangle(
                (at[0], at[1], at[0] + round(w) - 1, at[1] + round(h) - 1), fill=theme.border
            )
        else:
            _paint_part(image, layer, at, origin, layout, theme)


def _paint_part(
    image: Image.Image, layer: Layer, at: tuple[int, int], origin: tuple[int, int], layout: CardLayout, theme: Theme
) -> None:
    """The layers of a whole post's parts (content warning, pictures, poll bars, boxes)."""
    w, h = layer.box[2:]
    if layer.kind == "warning":
        text.composite(image, _warning_mark(round(w), theme.warning), at)
    elif layer.kind == "picture" and layer.picture is not None:
        _paint_picture(image, at, _snapped(layer.box, *origin), layer.picture, layer, theme)
    elif layer.kind == "play":
        text.composite(image, _play_mark(round(w)), at)
    elif layer.kind == "tag" and layer.block is not None:
        text.composite(image, _shade(round(w), round(h), round(h / 4)), at)
        text.draw(
            image,
            layer.block,
            at[0] + (round(w) - layer.block.lines[0].width) / 2,
            at[1],
            {"text": "#FFFFFF"},
            False,
        )
    elif layer.kind == "bar" and round(w) > 0:
        size = (round(w), round(h))
        image.paste(
            getattr(theme, layer.colour),
            (*at, at[0] + size[0], at[1] + size[1]),
            rounded_mask(size, round(layer.radius)),
        )
    elif layer.kind == "box":
        _panel(image, at, (round(w), round(h)), theme, layout.scale, layout.border, layer.radius)


def _snapped(box: tuple[float, float, float, float], ox: float, oy: float) -> tuple[int, int]:
    """A cell's size in whole pixels from its rounded edges, so the gaps between cells stay even."""
    x, y, w, h = box
    return round(ox + x + w) - round(ox + x), round(oy + y + h) - round(oy + y)


# --- pictures ---------------------------------------------------------------------------------


def _paint_picture(
    image: Image.Image, at: tuple[int, int], size: tuple[int, int], picture: Picture, layer: Layer, theme: Theme
) -> None:
    """The picture cover-cropped into its cell, the cell's corners rounded where ``layer`` says."""
    state = _file_state(picture.file) if picture.file else None
    cell = _cover(picture.file, state, size) if picture.file and state else None
    if cell is None:  # missing or unreadable: an empty cell keeps the grid's shape
        ImageDraw.Draw(image).rectangle((*at, at[0] + size[0] - 1, at[1] + size[1] - 1), fill=theme.border)
    elif cell.mode == "RGBA":
        backed = Image.new("RGBA", size, theme.background)
        backed.alpha_composite(cell)
        image.paste(backed.convert(image.mode), at)
    else:
        image.paste(cell, at)
    radius = max(0, min(round(layer.radius), size[0] // 2, size[1] // 2))
    if not radius:
        return
    tile = _outside_corner(radius, theme.background)
    (x, y), (w, h) = at, size
    spots = (
        ((x, y), tile),
        ((x + w - radius, y), tile.transpose(Image.Transpose.FLIP_LEFT_RIGHT)),
        ((x, y + h - radius), tile.transpose(Image.Transpose.FLIP_TOP_BOTTOM)),
        ((x + w - radius, y + h - radius), tile.transpose(Image.Transpose.ROTATE_180)),
    )
    for rounded, (where, corner) in zip(layer.corners, spots, strict=True):
        if rounded:
            text.composite(image, corner, where)


def _file_state(file: str) -> tuple[int, int] | None:
    """Size and mtime: a file changed while the process runs is read again, not taken from memory.
    None if it is gone (deleted since the card's data was read)."""
    try:
        stat = os.stat(file)
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


# A record's light and dark cards draw the same cells: each is decoded and resized once. Callers
# only read it.
@functools.lru_cache(maxsize=32)
def _cover(file: str, state: tuple[int, int], size: tuple[int, int]) -> Image.Image | None:
    """The file scaled to cover ``size`` and centre-cropped, resampled once from the file's
    own pixels (a print card gets every pixel the file has; a JPEG is decoded at a reduced size
    only while that still covers the cell). None if it cannot be read."""
    w, h = size
    try:
        with Image.open(file) as source:
            orientation = _orientation(source)
            turned = orientation in TURNED
            width, height = (source.height, source.width) if turned else source.size
            cover = max(w / width, h / height)
            need = (math.ceil(width * cover), math.ceil(height * cover))
            source.draft("RGB", need[::-1] if turned else need)
            source.load()
            has_alpha = source.mode in ("RGBA", "LA", "PA") or "transparency" in source.info
            wanted = "RGBA" if has_alpha else "RGB"
            # A phone's photo as a browser shows it: turned as its EXIF orientation says.
            upright = ImageOps.exif_transpose(source) if orientation != 1 else source
            picture = upright if upright.mode == wanted else upright.convert(wanted)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None
    cover = max(w / picture.width, h / picture.height)
    crop_w, crop_h = min(picture.width, w / cover), min(picture.height, h / cover)  # no rounding past the edge
    left, top = (picture.width - crop_w) / 2, (picture.height - crop_h) / 2
    # Reducing, Pillow's bilinear filter is antialiased (its support grows with the reduction) and
    # a third cheaper than bicubic: four pictures are most of a card's drawing time. Enlarging (a
    # print card from a smaller file), bicubic keeps edges crisper.
    resample = Image.Resampling.BICUBIC if cover > 1 else Image.Resampling.BILINEAR
    return picture.resize((w, h), resample, box=(left, top, left + crop_w, top + crop_h), reducing_gap=3.0)


EXIF_ORIENTATION = 0x0112
TURNED = (5, 6, 7, 8)  # orientations that turn the picture a quarter: its width is shown as its height


def _orientation(image: Image.Image) -> int:
    return image.getexif().get(EXIF_ORIENTATION, 1)


def clear_picture_cache() -> None:
    """Forget the decoded pictures (the benchmark times decoding them, as a build pays it once)."""
    _cover.cache_clear()


@functools.lru_cache(maxsize=64)
def _outside_corner(radius: int, colour: str) -> Image.Image:
    """The top-left corner outside a rounded edge, in the colour behind the picture."""
    tile = Image.new("RGBA", (radius, radius), colour)
    inside = _circle_mask(radius * 2).crop((0, 0, radius, radius))
    tile.putalpha(inside.point(lambda value: 255 - value))
    return tile


SHADE = (0, 0, 0, 153)  # the play mark's circle and the GIF tag: black at 60%, as the platforms draw them


@functools.lru_cache(maxsize=32)
def _play_mark(size: int) -> Image.Image:
    """A shaded circle with a white triangle pointing right (drawn, never a font's glyph)."""
    n = size * SUPERSAMPLE
    circle, triangle = Image.new("L", (n, n), 0), Image.new("L", (n, n), 0)
    ImageDraw.Draw(circle).ellipse((0, 0, n - 1, n - 1), fill=SHADE[3])
    ImageDraw.Draw(triangle).polygon([(n * 0.39, n * 0.28), (n * 0.39, n * 0.72), (n * 0.75, n * 0.5)], fill=255)
    mark = Image.new("RGBA", (n, n), SHADE[:3])
    mark.putalpha(circle)
    white = Image.new("RGBA", (n, n), "#FFFFFF")
    white.putalpha(triangle)
    mark.alpha_composite(white)
    return mark.resize((size, size), Image.Resampling.LANCZOS)


@functools.lru_cache(maxsize=32)
def _shade(width: int, height: int, radius: int) -> Image.Image:
    tag = Image.new("RGBA", (width, height), SHADE[:3])
    tag.putalpha(rounded_mask((width, height), radius).point(lambda value: value * SHADE[3] // 255))
    return tag


@functools.lru_cache(maxsize=32)
def _warning_mark(size: int, colour: str) -> Image.Image:
    """A warning triangle with an exclamation mark cut out of it (drawn, never a font's glyph)."""
    n = size * SUPERSAMPLE
    mask = Image.new("L", (n, n), 0)
    draw = ImageDraw.Draw(mask)
    draw.polygon([(n * 0.5, n * 0.06), (n * 0.98, n * 0.92), (n * 0.02, n * 0.92)], fill=255)
    draw.rounded_rectangle((n * 0.44, n * 0.36, n * 0.56, n * 0.66), radius=n * 0.05, fill=0)
    draw.ellipse((n * 0.44, n * 0.72, n * 0.56, n * 0.84), fill=0)
    mark = Image.new("RGBA", (size, size), colour)
    mark.putalpha(mask.resize((size, size), Image.Resampling.LANCZOS))
    return mark


# The small supersampled pieces (masks, corner tiles, badge, platform mark) are the same for
# every card of a size and theme, so they are drawn once per process. Callers only read them.
@functools.lru_cache(maxsize=256)
def _circle_mask(size: int) -> Image.Image:
    big = Image.new("L", (size * SUPERSAMPLE, size * SUPERSAMPLE), 0)
    ImageDraw.Draw(big).ellipse((0, 0, big.width - 1, big.height - 1), fill=255)
    return big.resize((size, size), Image.Resampling.LANCZOS)


def rounded_mask(size: tuple[int, int], radius: int) -> Image.Image:
    """An anti-aliased rounded-rectangle mask (only the corners are supersampled)."""
    w, h = size
    mask = Image.new("L", size, 255)
    radius = max(0, min(radius, w // 2, h // 2))
    if radius:
        corner = _circle_mask(radius * 2).crop((0, 0, radius, radius))
        mask.paste(corner, (0, 0))
        mask.paste(corner.transpose(Image.Transpose.FLIP_LEFT_RIGHT), (w - radius, 0))
        mask.paste(corner.transpose(Image.Transpose.FLIP_TOP_BOTTOM), (0, h - radius))
        mask.paste(corner.transpose(Image.Transpose.ROTATE_180), (w - radius, h - radius))
    return mask


def _panel(
    image: Image.Image,
    at: tuple[int, int],
    size: tuple[int, int],
    theme: Theme,
    scale: float,
    border: int,
    radius_px: float | None = None,
) -> None:
    """Border then background: plain rectangles, plus four anti-aliased corner tiles.

    Only the corners need supersampled masks; filling the rest directly keeps a 1200×675
    card's panel under a millisecond.
    """
    (x, y), (w, h) = at, size
    wanted = theme.radius * scale if radius_px is None else radius_px  # the card's, or a box's inside it
    radius = max(border + 1, min(round(wanted), w // 2, h // 2))
    draw = ImageDraw.Draw(image)
    right, bottom = x + w - 1, y + h - 1
    # Every pixel is filled once (overlapping crosses filled the card four times over): the
    # background as a middle column and two side blocks, the border as four edge strips.
    for box, colour in (
        ((x + radius, y + border, right - radius, bottom - border), theme.background),
        ((x + border, y + radius, x + radius - 1, bottom - radius), theme.background),
        ((right - radius + 1, y + radius, right - border, bottom - radius), theme.background),
        ((x + radius, y, right - radius, y + border - 1), theme.border),
        ((x + radius, bottom - border + 1, right - radius, bottom), theme.border),
        ((x, y + radius, x + border - 1, bottom - radius), theme.border),
        ((right - border + 1, y + radius, right, bottom - radius), theme.border),
    ):
        draw.rectangle(box, fill=colour)
    tile = _corner_tile(radius, border, theme)
    corners = {
        (x, y): tile,
        (x + w - radius, y): tile.transpose(Image.Transpose.FLIP_LEFT_RIGHT),
        (x, y + h - radius): tile.transpose(Image.Transpose.FLIP_TOP_BOTTOM),
        (x + w - radius, y + h - radius): tile.transpose(Image.Transpose.ROTATE_180),
    }
    for where, corner in corners.items():
        text.composite(image, corner, where)


@functools.lru_cache(maxsize=64)
def _corner_tile(radius: int, border: int, theme: Theme) -> Image.Image:
    """The top-left corner (radius × radius): border ring and background, alpha = coverage."""
    outer = _circle_mask(radius * 2).crop((0, 0, radius, radius))
    inner_radius = radius - border
    inner = Image.new("L", (radius, radius), 0)
    inner.paste(_circle_mask(inner_radius * 2).crop((0, 0, inner_radius, inner_radius)), (border, border))
    tile = Image.new("RGBA", (radius, radius), theme.border)
    tile.paste(theme.background, (0, 0, radius, radius), inner)
    tile.putalpha(outer)
    return tile


def _avatar(card: CardData, size: int, faces: Fonts) -> Image.Image:
    return _round_avatar(card.avatar, card.name, card.author_key, size, faces)


# A record's light and dark cards (and its 2× embed and social card, both 96 px) share the
# finished avatar: initials cost a shaping and a drawing call. Callers only read it.
@functools.lru_cache(maxsize=64)
def _round_avatar(avatar: bytes | None, name: str, author_key: str, size: int, faces: Fonts) -> Image.Image:
    picture = _photo(avatar, size) if avatar else None
    if picture is None:
        picture = _initials(name, author_key, size, faces)
    result = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    result.paste(picture, (0, 0), _circle_mask(size))
    return result


def _photo(data: bytes, size: int) -> Image.Image | None:
    """The avatar file centre-cropped to a square, or None if it is not a readable image."""
    try:
        with Image.open(io.BytesIO(data)) as source:
            picture = source.convert("RGB")
    except (OSError, ValueError, Image.DecompressionBombError):
        return None  # a broken avatar file must not stop the card: initials instead
    side = min(picture.size)
    left, top = (picture.width - side) // 2, (picture.height - side) // 2
    return picture.crop((left, top, left + side, top + side)).resize((size, size), Image.Resampling.LANCZOS)


def _initials(name: str, author_key: str, size: int, faces: Fonts) -> Image.Image:
    """avatars.initials_avatar's look, drawn with our font chain so any script has glyphs."""
    picture = Image.new("RGBA", (size, size), avatars.colour_for(author_key))
    block = text.layout(
        [(avatars.initials(name, any_script=True), Style("text"))], faces.bold, size * 0.4, size, size, wrap=False
    )
    width = block.lines[0].width if block.lines else 0
    text.draw(picture, block, (size - width) / 2, 0, {"text": "#FFFFFF"}, align_right=False)
    return picture


@functools.lru_cache(maxsize=64)
def _badge(size: int, theme: Theme) -> Image.Image:
    big = Image.new("RGBA", (size * SUPERSAMPLE,) * 2, (0, 0, 0, 0))
    canvas, n = ImageDraw.Draw(big), big.width
    canvas.ellipse((0, 0, n - 1, n - 1), fill=theme.badge)
    canvas.line(
        [(n * 0.28, n * 0.52), (n * 0.44, n * 0.68), (n * 0.73, n * 0.36)],
        fill="#FFFFFF",
        width=max(1, round(n * 0.1)),
        joint="curve",
    )
    return big.resize((size, size), Image.Resampling.LANCZOS)


@functools.lru_cache(maxsize=256)
def _mark(size: int, platform: str, theme: Theme, faces: Fonts) -> Image.Image:
    """The platform mark: the platform's colour with its initial (no trademarked logo files)."""
    badge = platforms.shown(platform).mark
    colour, ink = (theme.text, theme.background) if badge.monochrome else (badge.colour, "#FFFFFF")
    mark = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    mark.paste(Image.new("RGBA", (size, size), colour), (0, 0), rounded_mask((size, size), size // 4))
    block = text.layout([(badge.letter, Style("text"))], faces.bold, size * 0.62, size, size, wrap=False)
    width = block.lines[0].width if block.lines else 0
    text.draw(mark, block, (size - width) / 2, 0, {"text": ink}, align_right=False)
    return mark


# --- whole images ----------------------------------------------------------------------------


@dataclass
class Rendered:
    image: Image.Image
    dpi: int | None = None
    trim_bleed: tuple[float, float] | None = None  # (trim width mm, bleed mm) for print
    notes: list[str] = field(default_factory=list)  # print advice (small text, rich black)


def render_fit(card: CardData, theme: Theme, size: Size, faces: Fonts, scale: float | None = None) -> Rendered:
    """Embed-style card: the image is the card, its height fits the text (transparent corners)."""
    scale = scale or size.scale
    layout = layout_card(card, theme, size.metrics, scale, size.card_width, faces)
    image = Image.new("RGBA", (round(layout.width), round(layout.height)), (0, 0, 0, 0))
    paint(image, layout, card, theme, (0, 0), faces)
    return Rendered(image)


def render_canvas(card: CardData, theme: Theme, size: Size, faces: Fonts) -> Rendered:
    """Fixed canvas (social, square, story): the largest text scale at which the card fits."""
    if size.canvas is None:
        raise ValueError(f"{size} fits its height to the text: it has no canvas to fit")
    width, height = size.canvas
    margin = (width - size.card_width) / 2
    room = height - 1.2 * margin
    scale, growth, tried = size.scale, 2.0, None
    while True:
        layout = layout_card(card, theme, size.metrics, scale, size.card_width / scale, faces)
        if layout.height <= room:
            break
        if scale <= size.min_scale:
            raise DoesNotFit(
                f"{card.id}: the text needs {round(layout.height)} px at the smallest text size but the "
                f"{size.name} canvas has {round(room)} px; use a taller size (story) "
                "or the embed size, whose height grows with the text"
            )
        # Text area grows with the square of the scale, images and boxes linearly: from the
        # second try on, the two last heights tell how this card grows. Jump close, then step.
        if tried is not None:
            growth = min(2.0, max(1.0, math.log(tried[1] / layout.height) / math.log(tried[0] / scale)))
        tried = (scale, layout.height)
        guess = scale * (room / layout.height) ** (1 / growth)
        scale = max(size.min_scale, round(min(scale - 0.05, guess + 0.05), 2))
    image = Image.new("RGB", (width, height), theme.canvas)  # opaque: nothing to flatten later
    paint(image, layout, card, theme, (round(margin), round((height - layout.height) / 2)), faces)
    return Rendered(image)


def render_print(
    card: CardData,
    theme: Theme,
    size: Size,
    faces: Fonts,
    width_mm: float,
    dpi: int,
    bleed_mm: float,
    safe_mm: float = 5,
) -> Rendered:
    """Print: trim ``width_mm`` wide, card inside a ``safe_mm`` margin, canvas colour into the bleed."""
    px = lambda mm: mm / 25.4 * dpi  # noqa: E731
    if width_mm <= 2 * safe_mm + 20:
        raise DoesNotFit(f"{card.id}: {width_mm} mm is too narrow for a card (minimum {2 * safe_mm + 20} mm)")
    if px(width_mm + 2 * bleed_mm) > MAX_PRINT_PX:
        raise UsageError(
            f"{width_mm} mm at {dpi} dpi is {round(px(width_mm))} px wide; the limit is {MAX_PRINT_PX} px: "
            "lower --dpi or --width"
        )
    # Round the whole page once so its size in mm is exact to a pixel; the trim is what is left.
    bleed = round(px(bleed_mm))
    page_w = round(px(width_mm + 2 * bleed_mm))
    card_px = page_w - 2 * bleed - 2 * px(safe_mm)
    layout = layout_card(card, theme, size.metrics, card_px / size.card_width, size.card_width, faces)
    page_h = round(layout.height + 2 * px(safe_mm)) + 2 * bleed
    image = Image.new("RGB", (page_w, page_h), theme.canvas)
    paint(image, layout, card, theme, (round(bleed + px(safe_mm)), round(bleed + px(safe_mm))), faces)
    return Rendered(image, dpi, (width_mm, bleed_mm), print_notes(card, theme, size, layout, dpi))


MIN_PRINT_PT = 7


def print_notes(card: CardData, theme: Theme, size: Size, layout: CardLayout, dpi: int) -> list[str]:
    """What a print shop would warn about: text below 7 pt, large dark areas (rich black). The
    notes depend on the print size and theme, not on the card, so a batch says each once. Sizes
    are compared as they are printed in the note, to 0.1 pt: 6.96 pt is 7.0 pt, not "under 7"."""
    notes = []
    body_pt = round(size.metrics.body.size * layout.scale / dpi * 72, 1)
    meta_pt = round(size.metrics.meta.size * layout.scale / dpi * 72, 1)
    if meta_pt < MIN_PRINT_PT:
        notes.append(
            f"the smallest text prints at {meta_pt:.1f} pt (body {body_pt:.1f} pt), under "
            f"{MIN_PRINT_PT} pt; use a wider --width or fewer --columns"
        )
    if _luminance(theme.background) < 0.1:
        notes.append(
            f"the {theme.name} theme prints large dark areas; ask your print shop about rich black "
            "and thin light text, or use the light theme"
        )
    return notes


def _luminance(colour: str) -> float:
    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue
