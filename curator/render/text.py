"""Text layout for cards: graphemes → fonts → break units → lines → bidi-ordered runs → pixels.

Pillow has no font fallback and its wrappers break at spaces only, so this module does:

- split the text into grapheme clusters (``regex`` ``\\X``: ZWJ families, flags, skin tones and
  Indic conjuncts stay whole);
- give each cluster the first font in the chain whose cmap covers all of it, or a Twemoji
  image; a cluster nothing covers is *reported* and drawn as U+FFFD, never as silent tofu;
- break lines by pixel width at spaces, after hyphens, inside URLs (after ``/ ? & . -``) and
  between CJK characters (kinsoku: never before closing punctuation or small kana, never after
  opening punctuation); a unit wider than the line is broken between graphemes;
- cut runs where the font, the style or the strong direction changes, order them right-to-left
  on RTL lines (Arabic, Hebrew), and let HarfBuzz shape each run (glyphs.py draws it).
"""
from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass, field

import regex
from PIL import Image, ImageDraw

from . import emoji, fonts, glyphs
from .fonts import FontFace

_CJK = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}\u3000-\u303F\uFF00-\uFFEF\u30FC]")
# Kinsoku shori: no line may start with these...
_NO_BREAK_BEFORE = set("、。，．：；！？）」』】〕〉》〗〙〛ー…‥・ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ"
                       "ｧｨｩｪｫｯｬｭｮｰ｡､｣)]}!?,.:;%")
# ...and none may end with these.
_NO_BREAK_AFTER = set("（「『【〔〈《〖〘〚([{")
_URL_BREAK_AFTER = set("/?&.-=_")
_COMMON = regex.compile(r"^[\p{Zyyy}\p{Zinh}]+$")  # spaces, punctuation, digits: script-neutral
_REPLACEMENT = "\uFFFD"


@dataclass(frozen=True)
class Style:
    """How a piece of text is drawn: a theme colour name, and whether it is highlighted."""

    colour: str = "text"
    highlight: bool = False
    url: bool = False  # inside a link: line breaks allowed after / ? & . -


@dataclass(frozen=True)
class Unsupported:
    """A grapheme no font or emoji image covers."""

    cluster: str

    @property
    def code_points(self) -> str:
        return " ".join(f"U+{ord(ch):04X}" for ch in self.cluster)


@dataclass
class Cluster:
    text: str
    style: Style
    face: FontFace | None = None
    emoji_path: object = None  # Path of a Twemoji image
    break_after: bool = False

    @property
    def is_space(self) -> bool:
        return self.text.isspace() and self.text != "\n"


@dataclass(eq=False)
class Run:
    """Consecutive clusters on one line with the same font and style, drawn in one call."""

    text: str
    style: Style
    face: FontFace | None
    emoji_path: object
    rtl: bool | None  # None: direction-neutral (spaces, punctuation, emoji)
    measure: "_Measure" = field(repr=False)

    @functools.cached_property
    def shaped(self) -> glyphs.Shaped:
        """Glyphs and positions, shaped on first use (by then the line has set ``rtl``): the
        last run of a left-aligned line needs no width, and a layout the fit-to-canvas search
        throws away is never drawn."""
        return self.measure.font(self.face).shape(self.text, bool(self.rtl))

    @property
    def width(self) -> float:
        if self.emoji_path is not None:
            return self.measure.emoji_advance()
        return self.shaped.width


@dataclass(eq=False)
class Line:
    runs: list[Run]
    rtl: bool

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

    def face_for(self, cluster: str, previous: FontFace | None) -> FontFace | None:
        # Spaces, digits and punctuation stay in the font of their neighbour so a run is not
        # cut at every space (and Arabic keeps its digits inside the shaped run).
        if previous is not None and _COMMON.match(cluster) and fonts.covers(previous, cluster):
            return previous
        for face in self.chain:
            if fonts.covers(face, cluster):
                return face
        return None


def layout(pieces: list[tuple[str, Style]], fontset: FontSet, size: float, line_height: float,
           max_width: float, wrap: bool = True) -> TextBlock:
    """Lay ``pieces`` out in lines no wider than ``max_width`` pixels."""
    clusters, unsupported = _segmented(tuple(pieces), fontset)
    measure = _Measure(fontset, size)
    rows = _break_lines(clusters, measure, max_width) if wrap else _split_hard(clusters)
    paragraph_rtl = _is_rtl_paragraph("".join(c.text for c in clusters))
    lines = [_line(row, measure, paragraph_rtl) for row in rows]
    return TextBlock(lines, size, line_height, max(max_width, 0), fontset.chain[0], fontset.opsz, list(unsupported))


def ellipsize(pieces: list[tuple[str, Style]], fontset: FontSet, size: float, line_height: float,
              max_width: float) -> TextBlock:
    """One line; if too wide, cut between graphemes and end with "…" (U+2026, re-measured)."""
    block = layout(pieces, fontset, size, line_height, max_width, wrap=False)
    if not block.lines or _clearly_fits(pieces, fontset, size, max_width) or block.lines[0].width <= max_width:
        return block
    text = "".join(t for t, _ in pieces)
    style = pieces[0][1] if pieces else Style()
    graphemes = regex.findall(r"\X", text)
    estimate = int(len(graphemes) * max_width / block.lines[0].width) + 2  # start near the answer
    for keep in range(min(len(graphemes) - 1, estimate), 0, -1):
        candidate = layout([("".join(graphemes[:keep]).rstrip() + "…", style)], fontset, size, line_height,
                           max_width, wrap=False)
        if candidate.lines[0].width <= max_width:
            return candidate
    return layout([("…", style)], fontset, size, line_height, max_width, wrap=False)


_ESTIMATE_MARGIN = 0.02  # scaled reference widths are within 0.1% of exact ones; 2% is room to spare


def _clearly_fits(pieces: list[tuple[str, Style]], fontset: FontSet, size: float, max_width: float) -> bool:
    """The scaled reference widths (cached per word) say the text fits with room to spare, so
    the usual short name or handle needs no exact measurement (a shaping call per size)."""
    clusters, _ = _segmented(tuple(pieces), fontset)
    return _Measure(fontset, size).width(clusters) <= max_width * (1 - _ESTIMATE_MARGIN)


@functools.lru_cache(maxsize=256)
def _segmented(pieces: tuple[tuple[str, Style], ...], fontset: FontSet) -> tuple[list[Cluster], list[Unsupported]]:
    """Clusters with fonts and break opportunities: size-independent, so a fit-to-canvas search
    (same text, many sizes) does it once. The result is only read afterwards."""
    clusters, unsupported = _clusters(list(pieces), fontset)
    _mark_breaks(clusters)
    return clusters, unsupported


def _clusters(pieces: list[tuple[str, Style]], fontset: FontSet) -> tuple[list[Cluster], list[Unsupported]]:
    clusters: list[Cluster] = []
    unsupported: list[Unsupported] = []
    previous: FontFace | None = None
    for text, style in pieces:
        for grapheme in regex.findall(r"\X", text):
            cluster = Cluster(grapheme, style)
            if grapheme in ("\n", "\r\n", "\r"):
                cluster.text = "\n"
            elif emoji.is_emoji(grapheme) and emoji.asset_path(grapheme):
                cluster.emoji_path = emoji.asset_path(grapheme)
            else:
                cluster.face = fontset.face_for(grapheme, previous)
                if cluster.face is None:
                    cluster.emoji_path = emoji.asset_path(grapheme)  # e.g. ❤ without U+FE0F
                if cluster.face is None and cluster.emoji_path is None:
                    unsupported.append(Unsupported(grapheme))
                    cluster.text = _REPLACEMENT
                    cluster.face = fontset.face_for(_REPLACEMENT, None) or fontset.chain[0]
                previous = cluster.face
            clusters.append(cluster)
    return clusters, unsupported


def _mark_breaks(clusters: list[Cluster]) -> None:
    for here, after in zip(clusters, clusters[1:]):
        if after.is_space or after.text in _NO_BREAK_BEFORE or here.text in _NO_BREAK_AFTER:
            continue
        here.break_after = (
            here.is_space
            or here.text in ("-", "‐", "–", "—")
            or (here.style.url and after.style.url and here.text in _URL_BREAK_AFTER)
            or bool(_CJK.match(here.text)) or bool(_CJK.match(after.text))
            or (here.emoji_path is not None and after.emoji_path is not None)
        )


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
    units, current = [], []
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
    end = len(clusters)
    while end and clusters[end - 1].is_space:
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
            lines.append([])
            used = 0.0
            continue
        trimmed = _trim(unit)
        body = measure.width(trimmed)
        # The trailing spaces apart ("word" + " ", not "word" and "word "): one width to measure
        # per new word instead of two, each a shaping call (0.15 ms with Inter). The spaces only
        # decide whether the next unit fits; drawing measures every run exactly.
        full = body + measure.width(unit[len(trimmed):]) if len(trimmed) != len(unit) else body
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
        if cluster.text == "\n":
            lines.append([])
        else:
            lines[-1].append(cluster)
    return lines


def _direction(text: str) -> bool | None:
    """True for right-to-left, False for left-to-right, None if no strong character."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return None


def _is_rtl_paragraph(text: str) -> bool:
    return bool(_direction(text))  # UAX #9 P2–P3: the first strong character decides


def _line(clusters: list[Cluster], measure: _Measure, paragraph_rtl: bool) -> Line:
    clusters = _trim(clusters)
    runs: list[Run] = []
    for cluster in clusters:
        last = runs[-1] if runs else None
        rtl = None if cluster.emoji_path is not None else _direction(cluster.text)
        # A run reads one way: a font covering two scripts ("Hello שלום" in a brand font) gives
        # two runs, which the visual order below places.
        if (last and cluster.emoji_path is None and last.emoji_path is None and _same(last.face, cluster.face)
                and _same(last.style, cluster.style) and (rtl is None or last.rtl is None or rtl == last.rtl)):
            last.text += cluster.text
            last.rtl = rtl if last.rtl is None else last.rtl
        else:
            runs.append(Run(cluster.text, cluster.style, cluster.face, cluster.emoji_path, rtl, measure))
    return Line(_visual_order(runs, paragraph_rtl), paragraph_rtl)


def _same(a: object, b: object) -> bool:
    """``a == b``, without a dataclass comparison when they are the same object (the usual case:
    faces and styles are shared by every cluster of a block; layout compares them a lot)."""
    return a is b or a == b


def _visual_order(runs: list[Run], paragraph_rtl: bool) -> list[Run]:
    """Order runs left to right on screen (a small UAX #9 L2 over runs).

    Neutral runs take the direction of their neighbours when both agree, else the paragraph's;
    then runs against the paragraph direction form groups kept in their own order.
    """
    resolved = [r.rtl for r in runs]
    for i, value in enumerate(resolved):
        if value is None and runs[i].style.colour == "link":
            # A mention, hashtag or link is isolated like X's <bdi>: "@acme" keeps its "@" in an
            # Arabic sentence instead of the "@" jumping to the other end.
            resolved[i] = next((r.rtl for r in _same_style_neighbours(runs, i) if r.rtl is not None), None)
        if resolved[i] is None:
            before = next((v for v in reversed(resolved[:i]) if v is not None), paragraph_rtl)
            after = next((v for v in resolved[i + 1:] if v is not None), paragraph_rtl)
            resolved[i] = before if before == after else paragraph_rtl
    groups: list[list[Run]] = []
    for run, rtl in zip(runs, resolved):
        run.rtl = rtl
        if groups and groups[-1][0].rtl == rtl:
            groups[-1].append(run)
        else:
            groups.append([run])
    ordered: list[Run] = []
    for group in (reversed(groups) if paragraph_rtl else groups):
        ordered.extend(reversed(group) if group[0].rtl else group)
    return ordered


def _same_style_neighbours(runs: list[Run], index: int) -> list[Run]:
    start = end = index
    while start > 0 and _same(runs[start - 1].style, runs[index].style):
        start -= 1
    while end + 1 < len(runs) and _same(runs[end + 1].style, runs[index].style):
        end += 1
    return runs[start:end + 1]


def draw(image: Image.Image, block: TextBlock, x: float, y: float, colours: dict[str, str],
         align_right: bool | None = None) -> None:
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
                canvas.rectangle((round(cursor), round(top), round(cursor + run.width) - 1,
                                  round(top + block.line_height) - 1), fill=colours["highlight"])
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

