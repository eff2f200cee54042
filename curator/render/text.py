"""Text layout for cards: graphemes → fonts → break units → lines → bidi-ordered runs → pixels.

Pillow has no font fallback and its wrappers break at spaces only, so this module does:

- split the text into grapheme clusters (``regex`` ``\\X``: ZWJ families, flags, skin tones and
  Indic conjuncts stay whole);
- give each cluster the first font in the chain whose cmap covers all of it, or a Twemoji
  image; a cluster nothing covers is *reported* (the card is then not published) and measured
  as U+FFFD;
- break lines by pixel width only where UAX #14 allows (ICU: dictionaries for Thai, Lao, Khmer
  and Burmese, kinsoku for Chinese and Japanese, see ``uax``); a unit wider than the line is
  broken between graphemes;
- resolve bidi levels over each paragraph and reorder each line with UAX #9 (ICU), cut runs
  where the level, the font or the style changes, and let HarfBuzz shape each run in its
  direction (glyphs.py draws it; it mirrors brackets in right-to-left runs).
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass, field, replace

import regex
from PIL import Image, ImageDraw

from . import emoji, fonts, glyphs, uax
from .fonts import FontFace

_COMMON = regex.compile(r"^[\p{Zyyy}\p{Zinh}]+$")  # spaces, punctuation, digits: script-neutral
_REPLACEMENT = "\ufffd"


@functools.lru_cache(maxsize=64)
def rtl_language(lang: str | None) -> bool:
    """Whether ``lang`` (a BCP 47 tag) is written right to left, per CLDR (Babel): a paragraph
    with no strong character (only digits and punctuation) takes this direction."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse((lang or "en").replace("-", "_")).character_order == "right-to-left"
    except (UnknownLocaleError, ValueError, TypeError):
        return False


@dataclass(frozen=True)
class Style:
    """How a piece of text is drawn: a theme colour name, and whether it is highlighted."""

    colour: str = "text"
    highlight: bool = False
    # A custom emoji's image file: the piece is one U+FFFC (OBJECT REPLACEMENT CHARACTER), an
    # inline object to line breaking (UAX #14) and bidi (UAX #9), drawn as that image.
    image: str | None = None


@dataclass(frozen=True)
class Unsupported:
    """A grapheme no font or emoji image covers."""

    cluster: str

    @property
    def code_points(self) -> str:
        return " ".join(f"U+{ord(ch):04X}" for ch in self.cluster)


@dataclass
class Cluster:
    text: str  # what is drawn: "\n" for any line separator, U+FFFD when no font covers it
    style: Style
    start: int  # code-point offsets of the grapheme in the laid-out text
    end: int
    face: FontFace | None = None
    emoji_path: object = None  # Path of a Twemoji image
    break_after: bool = False  # a line may end after it (UAX #14)
    missing: bool = False  # no font or emoji image covers it

    @property
    def is_space(self) -> bool:
        return self.text.isspace() and self.text != "\n"


@dataclass(eq=False)
class Run:
    """Consecutive clusters on one line with the same bidi level, font and style, in logical
    order, drawn in one call."""

    text: str
    style: Style
    face: FontFace | None
    emoji_path: object
    level: int  # UAX #9 embedding level: odd reads right to left
    measure: _Measure = field(repr=False)

    @property
    def rtl(self) -> bool:
        return bool(self.level & 1)

    @functools.cached_property
    def shaped(self) -> glyphs.Shaped:
        """Glyphs and positions, shaped on first use: the last run of a left-aligned line needs
        no width, and a layout the fit-to-canvas search throws away is never drawn."""
        if self.face is None:
            raise ValueError("an emoji run is drawn from images: it has no glyphs to shape")
        return self.measure.font(self.face).shape(self.text, self.rtl)

    @property
    def width(self) -> float:
        if self.emoji_path is not None:
            return self.measure.emoji_advance()
        return self.shaped.width


@dataclass(eq=False)
class Line:
    runs: list[Run]  # left to right on screen
    rtl: bool  # its paragraph's direction (right-aligned when True)
    start: int = 0  # the code points of the laid-out text it holds, its trailing spaces and
    end: int = 0  # line separator included

    @functools.cached_property
    def width(self) -> float:
        return sum(run.width for run in self.runs)


@dataclass
class TextBlock:
    lines: list[Line]
    size: float
    line_height: float
    width: float
    primary: FontFace
    opsz: float | None = None
    unsupported: list[Unsupported] = field(default_factory=list)

    @property
    def height(self) -> float:
        return len(self.lines) * self.line_height


@dataclass(frozen=True)
class FontSet:
    """The fallback chain for one text block (weight and post language already chosen)."""

    chain: tuple[FontFace, ...]
    opsz: float | None = None  # optical size (CSS px) for fonts with an opsz axis
    lang: str | None = None  # the post's language: the direction of a paragraph without letters

    def face_for(self, cluster: str, previous: FontFace | None) -> FontFace | None:
        # Spaces, digits and punctuation stay in the font of their neighbour so a run is not
        # cut at every space (and Arabic keeps its digits inside the shaped run).
        if previous is not None and _COMMON.match(cluster) and fonts.covers(previous, cluster):
            return previous
        for face in self.chain:
            if fonts.covers(face, cluster):
                return face
        return None


def layout(
    pieces: list[tuple[str, Style]],
    fontset: FontSet,
    size: float,
    line_height: float,
    max_width: float,
    wrap: bool = True,
) -> TextBlock:
    """Lay ``pieces`` out in lines no wider than ``max_width`` pixels."""
    segmented = _segmented(tuple(pieces), fontset)
    measure = _Measure(fontset, size)
    rows = _break_lines(segmented.clusters, measure, max_width) if wrap else _split_hard(segmented.clusters)
    lines, start = [], 0
    for row in rows:
        end = row[-1].end if row else start
        lines.append(_line(row, start, end, segmented, measure))
        start = end
    return TextBlock(
        lines, size, line_height, max(max_width, 0), fontset.chain[0], fontset.opsz, list(segmented.unsupported)
    )


def describe(value: str, fontset: FontSet, size: float, line_height: float, max_width: float) -> dict:
    """How ``value`` is laid out, for ``curator layout --json``: the first paragraph's direction
    and, per line, the code points it holds, them in visual order (left to right) and those
    drawn without a glyph."""
    pieces = [(value, Style())]
    block = layout(pieces, fontset, size, line_height, max_width)
    segmented = _segmented(tuple(pieces), fontset)
    missing = [
        point for cluster in segmented.clusters if cluster.missing for point in range(cluster.start, cluster.end)
    ]
    return {
        "direction": "rtl" if segmented.paragraphs.rtl else "ltr",
        "lines": [
            {
                "start": line.start,
                "end": line.end,
                "visual": segmented.paragraphs.line(line.start, line.end).visual,
                "missing": [point for point in missing if line.start <= point < line.end],
            }
            for line in block.lines
        ],
    }


def unsupported(pieces: list[tuple[str, Style]], fontset: FontSet) -> list[Unsupported]:
    """The graphemes of ``pieces`` no font of ``fontset`` (nor an emoji image) covers, without
    laying anything out."""
    return list(_segmented(tuple(pieces), fontset).unsupported)


def ellipsize(
    pieces: list[tuple[str, Style]], fontset: FontSet, size: float, line_height: float, max_width: float
) -> TextBlock:
    """One line; if too wide, cut between graphemes and end with "…" (U+2026, re-measured)."""
    block = layout(pieces, fontset, size, line_height, max_width, wrap=False)
    if not block.lines or _clearly_fits(pieces, fontset, size, max_width) or block.lines[0].width <= max_width:
        return block
    # Each grapheme keeps its piece's style: a custom emoji in a name stays an image.
    graphemes = [(grapheme, style) for value, style in pieces for grapheme in regex.findall(r"\X", value)]
    ellipsis = ("…", replace(pieces[0][1], image=None) if pieces else Style())
    estimate = int(len(graphemes) * max_width / block.lines[0].width) + 2  # start near the answer
    for keep in range(min(len(graphemes) - 1, estimate), 0, -1):
        kept = graphemes[:keep]
        while kept and kept[-1][0].isspace():
            kept.pop()
        candidate = layout([*kept, ellipsis], fontset, size, line_height, max_width, wrap=False)
        if candidate.lines[0].width <= max_width:
            return candidate
    return layout([ellipsis], fontset, size, line_height, max_width, wrap=False)


_ESTIMATE_MARGIN = 0.02  # scaled reference widths are within 0.1% of exact ones; 2% is room to spare


def _clearly_fits(pieces: list[tuple[str, Style]], fontset: FontSet, size: float, max_width: float) -> bool:
    """The scaled reference widths (cached per word) say the text fits with room to spare, so
    the usual short name or handle needs no exact measurement (a shaping call per size)."""
    return _Measure(fontset, size).width(_segmented(tuple(pieces), fontset).clusters) <= max_width * (
        1 - _ESTIMATE_MARGIN
    )


@dataclass(frozen=True)
class _Segmented:
    """What layout needs of a text at any size: clusters with fonts and break opportunities,
    and its bidi paragraphs. Only read once made."""

    clusters: list[Cluster]
    unsupported: list[Unsupported]
    paragraphs: uax.Paragraphs
    cluster_at: list[int]  # code point → index of its cluster


@functools.lru_cache(maxsize=256)
def _segmented(pieces: tuple[tuple[str, Style], ...], fontset: FontSet) -> _Segmented:
    """Size-independent, so a fit-to-canvas search (same text, many sizes) does it once."""
    value = "".join(text for text, _style in pieces)
    clusters, unsupported = _clusters(list(pieces), fontset)
    _mark_breaks(clusters, value)
    cluster_at = [index for index, cluster in enumerate(clusters) for _point in range(cluster.start, cluster.end)]
    return _Segmented(clusters, unsupported, uax.Paragraphs(value, rtl_language(fontset.lang)), cluster_at)


def _clusters(pieces: list[tuple[str, Style]], fontset: FontSet) -> tuple[list[Cluster], list[Unsupported]]:
    clusters: list[Cluster] = []
    unsupported: list[Unsupported] = []
    previous: FontFace | None = None
    start = 0
    for text, style in pieces:
        for grapheme in regex.findall(r"\X", text):
            cluster = Cluster(grapheme, style, start, start + len(grapheme))
            start = cluster.end
            if style.image is not None:
                cluster.emoji_path = emoji.Custom(style.image)
            elif emoji.is_emoji(grapheme) and emoji.asset_path(grapheme):
                cluster.emoji_path = emoji.asset_path(grapheme)
            elif not grapheme.isspace():
                cluster.face = fontset.face_for(grapheme, previous)
                if cluster.face is None:
                    cluster.emoji_path = emoji.asset_path(grapheme)  # e.g. ❤ without U+FE0F
                if cluster.face is None and cluster.emoji_path is None:
                    unsupported.append(Unsupported(grapheme))
                    cluster.text, cluster.missing = _REPLACEMENT, True
                    cluster.face = fontset.face_for(_REPLACEMENT, None) or fontset.chain[0]
                previous = cluster.face
            else:  # whitespace has no ink to miss: HarfBuzz draws a font's missing spaces as spaces
                if unicodedata.category(grapheme[0]) == "Cc":
                    cluster.text = " "  # a tab: no font has a glyph for it, a browser draws blank space
                cluster.face = fontset.face_for(cluster.text, previous) or fontset.chain[0]
                previous = cluster.face
            clusters.append(cluster)
    return clusters, unsupported


def _mark_breaks(clusters: list[Cluster], value: str) -> None:
    """Where ICU's line breaker allows a break (UAX #14); after a line or paragraph separator a
    break is mandatory, and the cluster becomes "\n"."""
    breaks = uax.line_breaks(value)
    for cluster in clusters:
        mandatory = breaks.get(cluster.end)
        # A bidi paragraph separator ends a line too (U+001C has no line break after it in
        # UAX #14): a line is reordered within one paragraph.
        if mandatory or uax.separates_paragraphs(value[cluster.end - 1]):
            cluster.text, cluster.break_after = "\n", True
        elif mandatory is not None:
            cluster.break_after = True


_REFERENCE_PX = 64.0
_SAFETY = 0.006
_WIDTH_CACHE_LIMIT = 50_000
_widths: dict[tuple, float] = {}  # shared by a batch's threads; a race only measures a word twice


class _Measure:
    """Pixel widths of strings in a face (a shaping call each: cheap, not free).

    Line breaking uses widths measured once at a reference size and scaled (advances scale
    linearly; a fit-to-canvas search lays the same text out at many sizes, and words repeat
    across cards), with a small safety margin. Final run widths are measured at the real size.
    """

    def __init__(self, fontset: FontSet, size: float):
        self.fontset, self.size = fontset, size

    def font(self, face: FontFace, size: float | None = None) -> glyphs.Font:
        return glyphs.font(face, size or self.size, self.fontset.opsz)

    def emoji_advance(self) -> float:
        return self.size * 1.15  # 1 em image + Twemoji's 0.1 em / 0.05 em margins

    def width(self, clusters: list[Cluster]) -> float:
        """Line-breaking width: scaled reference widths (see the class)."""
        total = 0.0
        for face, emoji_path, text in _groups(clusters):
            if emoji_path is not None:
                total += self.emoji_advance() * len(text)
            else:
                total += self._reference(face, text) * self.size / _REFERENCE_PX
        return total

    def _reference(self, face: FontFace, text: str) -> float:
        key = (face.key, self.fontset.opsz, text)
        width = _widths.get(key)
        if width is None:
            if len(_widths) > _WIDTH_CACHE_LIMIT:
                _widths.clear()
            width = _widths[key] = self.font(face, _REFERENCE_PX).shape(text).width
        return width


def _groups(clusters: list[Cluster]):
    """(face, emoji path, text or list of emoji) for consecutive clusters of one face."""
    groups: list[list] = []
    for cluster in clusters:
        if cluster.emoji_path is not None:
            groups.append([None, cluster.emoji_path, [cluster.text]])
        elif groups and groups[-1][1] is None and _same(groups[-1][0], cluster.face):
            groups[-1][2] += cluster.text
        else:
            groups.append([cluster.face, None, cluster.text])
    return groups


def _units(clusters: list[Cluster]) -> list[list[Cluster]]:
    units: list[list[Cluster]] = []
    current: list[Cluster] = []
    for cluster in clusters:
        if cluster.text == "\n":
            if current:
                units.append(current)
            units.append([cluster])
            current = []
            continue
        current.append(cluster)
        if cluster.break_after:
            units.append(current)
            current = []
    if current:
        units.append(current)
    return units


def _trim(clusters: list[Cluster]) -> list[Cluster]:
    """Without the trailing spaces and line separator: they hang past the line's end, undrawn."""
    end = len(clusters)
    while end and (clusters[end - 1].is_space or clusters[end - 1].text == "\n"):
        end -= 1
    return clusters[:end]


def _break_lines(clusters: list[Cluster], measure: _Measure, max_width: float) -> list[list[Cluster]]:
    """Greedy fill; trailing spaces hang outside the line; overlong units break by grapheme.

    Units end at break opportunities (mostly spaces), so their widths add up: each unit is
    measured once, not the whole line again for every word.
    """
    max_width *= 1 - _SAFETY  # scaled reference widths may be off by a fraction of a pixel
    lines: list[list[Cluster]] = [[]]
    used = 0.0  # width of the current line including its trailing spaces
    for unit in _units(clusters):
        if unit[0].text == "\n":
            lines[-1].append(unit[0])
            lines.append([])
            used = 0.0
            continue
        trimmed = _trim(unit)
        body = measure.width(trimmed)
        # The trailing spaces apart ("word" + " ", not "word" and "word "): one width to measure
        # per new word instead of two, each a shaping call. The spaces only
        # decide whether the next unit fits; drawing measures every run exactly.
        full = body + measure.width(unit[len(trimmed) :]) if len(trimmed) != len(unit) else body
        if used + body <= max_width or not lines[-1] and body <= max_width:
            lines[-1].extend(unit)
            used += full
            continue
        if lines[-1]:
            lines.append([])
        if body <= max_width:
            lines[-1].extend(unit)
            used = full
            continue
        used = 0.0
        for cluster in unit:  # overflow-wrap: break-word
            width = measure.width([cluster])
            if lines[-1] and used + width > max_width and not cluster.is_space:
                lines.append([])
                used = 0.0
            lines[-1].append(cluster)
            used += width
    return lines


def _split_hard(clusters: list[Cluster]) -> list[list[Cluster]]:
    lines: list[list[Cluster]] = [[]]
    for cluster in clusters:
        lines[-1].append(cluster)
        if cluster.text == "\n":
            lines.append([])
    return lines


def _line(row: list[Cluster], start: int, end: int, segmented: _Segmented, measure: _Measure) -> Line:
    """The line's runs left to right: its clusters in UAX #9 visual order (ICU), cut where the
    level, the font, the style or the logical order changes (a run is shaped in logical order)."""
    paragraphs = segmented.paragraphs
    drawn = _trim(row)
    runs: list[Run] = []
    last_index = -1
    for index, level in _visual_clusters(drawn, start, end, segmented):
        cluster = segmented.clusters[index]
        last = runs[-1] if runs else None
        if (
            last
            and cluster.emoji_path is None
            and last.emoji_path is None
            and last.level == level
            and index == last_index + (-1 if level & 1 else 1)
            and _same(last.face, cluster.face)
            and _same(last.style, cluster.style)
        ):
            last.text = cluster.text + last.text if level & 1 else last.text + cluster.text
        else:
            runs.append(Run(cluster.text, cluster.style, cluster.face, cluster.emoji_path, level, measure))
        last_index = index
    return Line(runs, paragraphs.rtl_at(start) if row else paragraphs.rtl, start, end)


def _visual_clusters(drawn: list[Cluster], start: int, end: int, segmented: _Segmented):
    """(cluster index, level) of the drawn clusters, left to right on screen."""
    if not drawn:
        return
    first = segmented.cluster_at[drawn[0].start]
    if segmented.paragraphs.plain:  # no right-to-left text anywhere: the logical order
        yield from ((index, 0) for index in range(first, first + len(drawn)))
        return
    line = segmented.paragraphs.line(start, end)
    stop = drawn[-1].end
    previous = -1
    for point in line.visual:
        index = segmented.cluster_at[point]
        if index != previous and point < stop:  # one entry per cluster; hanging spaces left out
            previous = index
            yield index, line.levels[segmented.clusters[index].start]


def _same(a: object, b: object) -> bool:
    """``a == b``, without a dataclass comparison when they are the same object (the usual case:
    faces and styles are shared by every cluster of a block; layout compares them a lot)."""
    return a is b or a == b


def draw(
    image: Image.Image, block: TextBlock, x: float, y: float, colours: dict[str, str], align_right: bool | None = None
) -> None:
    """Draw ``block`` with its top-left corner at (x, y); RTL lines are right-aligned."""
    canvas = ImageDraw.Draw(image)
    ascent, descent = glyphs.font(block.primary, block.size, block.opsz).metrics()
    baseline_offset = (block.line_height - (ascent + descent)) / 2 + ascent
    for number, line in enumerate(block.lines):
        top = y + number * block.line_height
        baseline = top + baseline_offset
        right = line.rtl if align_right is None else align_right
        cursor = x + (block.width - line.width if right else 0)
        for number_in_line, run in enumerate(line.runs):
            if number_in_line:  # the previous run's width, only where a run follows it
                cursor += line.runs[number_in_line - 1].width
            if run.style.highlight:
                canvas.rectangle(
                    (round(cursor), round(top), round(cursor + run.width) - 1, round(top + block.line_height) - 1),
                    fill=colours["highlight"],
                )
            if run.emoji_path is not None:
                _draw_emoji(image, run, cursor, baseline, block.size)
            elif not run.text.isspace():  # a space between two links has no ink: spare the shaping call
                glyphs.draw(image, run.shaped, cursor, baseline, colours[run.style.colour])


def _draw_emoji(image: Image.Image, run: Run, x: float, baseline: float, size: float) -> None:
    px = max(1, round(size))
    picture = emoji.image(run.emoji_path, px)
    # Twemoji's inline CSS: 1 em box, 0.1 em left margin, bottom 0.1 em below the baseline.
    composite(image, picture, (round(x + 0.1 * size), round(baseline + 0.1 * size - px)))


def composite(image: Image.Image, picture: Image.Image, at: tuple[int, int]) -> None:
    """``picture`` (RGBA) over ``image``: an RGBA card, or an RGB canvas (opaque, so no
    alpha channel to carry and nothing to flatten before encoding)."""
    if image.mode == "RGBA":
        image.alpha_composite(picture, at)
    else:
        image.paste(picture, at, picture)
