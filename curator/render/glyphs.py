"""Shaping and drawing text runs: HarfBuzz places the glyphs, FreeType draws each glyph once.

Why not Pillow's ``ImageDraw.text``: it shapes and rasterises its whole string on every call and
keeps nothing, so two thirds of a card's drawing time went into rasterising, again, the same few
dozen glyphs. Here a run is shaped once (uharfbuzz: the HarfBuzz that Pillow's raqm wraps, so
the same positions), each glyph is rasterised once per font, size and axis setting (freetype-py,
the same hinting as Pillow), and drawing a run is pasting cached bitmaps. Both wheels bundle
their libraries, so cards need no system FriBiDi.

Direction: text.py cuts runs where the bidi embedding level changes and orders them on the line
(UAX #9, by ICU), so a run here is read one way; HarfBuzz mirrors brackets in a right-to-left
run.

Fonts and their glyph bitmaps are shared by the threads of a process (a race only rasterises
a glyph twice); FreeType faces are not, since they must not be used by two threads at once. A
thread keeps one FreeType face per font file and axis setting, switched between sizes when a
glyph is missing (a face holds a CJK font's tables: one per size would be megabytes each).
"""

from __future__ import annotations

import ctypes
import functools
import math
import os
import threading
from dataclasses import dataclass

import freetype
import uharfbuzz as hb
from PIL import Image, ImageColor

from .fonts import FontFace, hb_face

_FONT_CACHE_LIMIT = 256  # fonts (face × size × axes) kept; their glyphs go with them
# Glyph bitmaps kept by all fonts together (tens of megabytes): a Latin wall needs a few thousand, but
# one in Chinese or Japanese, at the many sizes fitting posts to a canvas gives, would grow
# without end.
_GLYPH_CACHE_LIMIT = 20_000


def versions() -> dict[str, str]:
    """The libraries that decide where glyphs go and how they look (part of the card cache key)."""
    return {"HarfBuzz": hb.version_string(), "FreeType": ".".join(map(str, freetype.version()))}


@dataclass(frozen=True)
class Glyph:
    """A rasterised glyph: coverage mask and its offset from the pen position (pixels)."""

    mask: Image.Image | None  # None for glyphs without ink (spaces)
    left: int
    top: int


@dataclass(frozen=True)
class Shaped:
    """A shaped run: glyph ids with their positions from the run's start, in 1/64 px."""

    font: Font
    glyphs: tuple[tuple[int, int, int], ...]  # (glyph id, x, y)
    advance: int

    @property
    def width(self) -> float:
        return self.advance / 64


class Font:
    """One face at one size and axis setting: a HarfBuzz font to shape with, and the glyphs
    drawn so far (measuring, e.g. a fit-to-canvas search over many sizes, rasterises none)."""

    def __init__(self, face: FontFace, size_px: float, opsz: float | None):
        self.face = face
        self.size = int(size_px * 64)  # 26.6 fixed point, truncated as Pillow's FreeType fonts are
        self.axes = _axes(face, opsz)
        self.hb = hb.Font(hb_face(face.path, face.index))
        self.hb.scale = (self.size, self.size)
        if self.axes:
            self.hb.set_variations(dict(self.axes))
        self._glyphs: dict[int, Glyph] = {}

    def shape(self, text: str, rtl: bool = False) -> Shaped:
        """``text`` (logical order, one direction) as glyphs in visual order, left to right."""
        buffer = hb.Buffer()
        buffer.add_str(text)
        buffer.guess_segment_properties()
        buffer.direction = "rtl" if rtl else "ltr"
        hb.shape(self.hb, buffer)
        glyphs, pen = [], 0
        for info, position in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True):
            glyphs.append((info.codepoint, pen + position.x_offset, position.y_offset))
            pen += position.x_advance
        return Shaped(self, tuple(glyphs), pen)

    def metrics(self) -> tuple[int, int]:
        """(ascent, descent) in whole pixels, as Pillow's ``getmetrics``."""
        size = self._outlines().size
        return _pixel(size.ascender), -_pixel(size.descender)

    def glyph(self, glyph_id: int) -> Glyph:
        glyph = self._glyphs.get(glyph_id)
        if glyph is None:
            _make_room_for_a_glyph()
            glyph = self._glyphs[glyph_id] = self._rasterise(glyph_id)
        return glyph

    def _outlines(self) -> freetype.Face:
        """The thread's FreeType face for this file and axis setting, at this font's size."""
        faces = _outlines_of_this_thread()
        key = (self.face.path, self.face.index, self.axes)
        entry = faces.get(key)
        if entry is None:
            face = freetype.Face(self.face.path, self.face.index)
            if self.axes:
                face.set_var_design_coords([value for _tag, value in self.axes])
            entry = faces[key] = [face, 0]
        face, size = entry
        if size != self.size:
            face.set_char_size(self.size)
            entry[1] = self.size
        return face

    def _rasterise(self, glyph_id: int) -> Glyph:
        face = self._outlines()
        face.load_glyph(glyph_id, _load_flags(self.face.path, self.face.index) | freetype.FT_LOAD_RENDER)
        slot = face.glyph
        bitmap = slot.bitmap
        if not (bitmap.width and bitmap.rows) or bitmap.pixel_mode != freetype.FT_PIXEL_MODE_GRAY:
            return Glyph(None, 0, 0)  # no ink (a space), or no outline to draw (a colour-bitmap glyph)
        # freetype-py's ``bitmap.buffer`` builds a Python list: read the C buffer directly.
        data = ctypes.string_at(bitmap._FT_Bitmap.buffer, bitmap.rows * bitmap.pitch)
        mask = Image.frombytes("L", (bitmap.width, bitmap.rows), data, "raw", "L", bitmap.pitch)
        return Glyph(mask, slot.bitmap_left, slot.bitmap_top)


_fonts: dict[tuple, Font] = {}
_glyphs_made = [0]  # rasterised since the glyph caches were last emptied (a race may miscount)
_local = threading.local()


def _make_room_for_a_glyph() -> None:
    _glyphs_made[0] += 1
    if _glyphs_made[0] > _GLYPH_CACHE_LIMIT:
        _glyphs_made[0] = 1
        for cached in list(_fonts.values()):
            cached._glyphs.clear()


def _outlines_of_this_thread() -> dict:
    faces = getattr(_local, "outlines", None)
    if faces is None:
        faces = _local.outlines = {}
    return faces


# A forked worker must not read glyphs through the parent's FreeType faces: they read their font
# files through file descriptors the two processes share, seek offsets included.
os.register_at_fork(after_in_child=lambda: _outlines_of_this_thread().clear())


def font(face: FontFace, size_px: float, opsz: float | None = None) -> Font:
    """The ``Font`` for this face, size and optical size."""
    key = (face.key, int(size_px * 64), opsz)
    found = _fonts.get(key)
    if found is None:
        if len(_fonts) > _FONT_CACHE_LIMIT:
            _fonts.clear()
        found = _fonts[key] = Font(face, size_px, opsz)
    return found


def draw(image: Image.Image, shaped: Shaped, x: float, baseline: float, colour: str) -> None:
    """Paint ``shaped`` with its pen starting at ``x`` on ``baseline``.

    Glyphs land on whole pixels, rounded exactly as Pillow's ``ImageDraw.text`` rounds them,
    and each is blended over what is below, so overlapping glyphs combine as in Pillow's mask.
    """
    ink = ImageColor.getcolor(colour, image.mode)
    (x_whole, x_rest), (y_whole, y_rest) = _split(x), _split(baseline)
    for glyph_id, gx, gy in shaped.glyphs:
        glyph = shaped.font.glyph(glyph_id)
        if glyph.mask is not None:
            left = x_whole + _pixel(x_rest + gx) + glyph.left
            top = y_whole - _pixel(gy - y_rest) - glyph.top
            image.paste(ink, (left, top, left + glyph.mask.width, top + glyph.mask.height), glyph.mask)


def _split(value: float) -> tuple[int, int]:
    """A position as whole pixels and the rest in 1/64 px (rounded half up), as Pillow splits it."""
    whole = int(value)
    return whole, math.floor((value - whole) * 64 + 0.5)


def _pixel(value: int) -> int:
    """1/64 px → whole pixels, rounding halves up (FreeType's and Pillow's PIXEL)."""
    return (value + 32) >> 6


@functools.lru_cache(maxsize=256)
def _axes(face: FontFace, opsz: float | None) -> tuple[tuple[str, float], ...]:
    """Variation axis values in the font's axis order: the face's weight, the optical size,
    the defaults for the rest, each clamped to the axis range."""
    wanted = {"wght": face.weight, "opsz": opsz}
    values = []
    for axis in hb_face(face.path, face.index).axis_infos:
        value = wanted.get(axis.tag)
        value = axis.default_value if value is None else value
        values.append((axis.tag, float(min(max(value, axis.min_value), axis.max_value))))
    return tuple(values)


@functools.lru_cache(maxsize=64)
def _load_flags(path: str, index: int) -> int:
    """FreeType 2.14 (Pillow's) hints TrueType fonts without their own hinting programme with
    the auto-hinter; the FreeType in freetype-py is asked to do the same, so a glyph looks as it
    did when Pillow drew it. Fonts with a programme, and CFF fonts, use their own hinting.
    Glyphs are always drawn from their outlines: an embedded 1-bit bitmap would look jagged
    beside its anti-aliased neighbours."""
    tables = hb_face(path, index).table_tags
    if "glyf" in tables and "fpgm" not in tables:
        return freetype.FT_LOAD_NO_BITMAP | freetype.FT_LOAD_FORCE_AUTOHINT
    return freetype.FT_LOAD_NO_BITMAP
