"""The Unicode algorithms a card's text needs, from ICU (PyICU), in code-point indices.

- Line break opportunities (UAX #14), with ICU's dictionaries for the languages written
  without spaces (Thai, Lao, Khmer, Burmese) and the Chinese/Japanese line-start and line-end
  rules (kinsoku). The root locale's rules are used for every post: they are the strict ones,
  so a card never breaks where a browser's ``line-break: strict`` would not.
- The Unicode Bidirectional Algorithm (UAX #9): embedding levels resolved over the whole
  paragraph, then each line reordered on its own (rules L1 and L2).

ICU counts in UTF-16 code units; everything here speaks code points, as the records do.
"""

from __future__ import annotations

from dataclasses import dataclass

import icu

# ICU's rule status of a line boundary: 100–199 is a mandatory break (after a line separator).
_HARD_BREAK = range(100, 200)


def version() -> str:
    """The ICU and Unicode versions (part of the card cache key: they decide breaks and order)."""
    return f"ICU {icu.ICU_VERSION} (Unicode {icu.UNICODE_VERSION})"


class _Units:
    """Code-point ↔ UTF-16 offsets of one text (the same numbers when it has no astral characters)."""

    def __init__(self, text: str):
        self.astral = any(ord(ch) > 0xFFFF for ch in text)
        self.to_unit: list[int] = []
        self.to_point: list[int] = []
        if self.astral:
            unit = 0
            for point, ch in enumerate(text):
                self.to_unit.append(unit)
                self.to_point.append(point)
                if ord(ch) > 0xFFFF:
                    self.to_point.append(point)
                    unit += 2
                else:
                    unit += 1
            self.to_unit.append(unit)
            self.to_point.append(len(text))

    def unit(self, point: int) -> int:
        return self.to_unit[point] if self.astral else point

    def point(self, unit: int) -> int:
        return self.to_point[unit] if self.astral else unit


def line_breaks(text: str) -> dict[int, bool]:
    """{code-point offset: mandatory?} for every place a line may end (the text's end excluded)."""
    breaker = icu.BreakIterator.createLineInstance(icu.Locale.getRoot())  # cheap to make; not shareable across threads
    breaker.setText(text)
    units = _Units(text)
    breaks = {units.point(boundary): breaker.getRuleStatus() in _HARD_BREAK for boundary in breaker}
    breaks.pop(len(text), None)
    return breaks


@dataclass(frozen=True)
class Line:
    """One line's code points (offsets into the paragraph text) left to right, and their levels."""

    visual: list[int]
    levels: dict[int, int]


class Paragraphs:
    """A text's bidi paragraphs (split at paragraph separators such as "\\n"), each with the
    direction of its first strong character, or ``rtl_default`` when it has none."""

    def __init__(self, text: str, rtl_default: bool = False):
        self.text = text
        self._units = _Units(text)
        self._bidi = icu.Bidi()
        self._bidi.setPara(icu.UnicodeString(text), icu.Bidi.DEFAULT_RTL if rtl_default else icu.Bidi.DEFAULT_LTR)
        # Only left-to-right text at level 0 everywhere: the visual order is the logical one.
        self.plain = self._bidi.getDirection() == icu.UBiDiDirection.LTR

    @property
    def rtl(self) -> bool:
        """The first paragraph's direction."""
        return bool(self._bidi.getParaLevel() & 1)

    def line(self, start: int, end: int) -> Line:
        """``text[start:end]`` (inside one paragraph) as a line: visual order and levels, after
        L1 (trailing spaces take the paragraph's level) and L2 (reversals)."""
        if self.plain or start >= end:
            return Line(list(range(start, end)), dict.fromkeys(range(start, end), 0))
        first = self._units.unit(start)
        line = self._bidi.setLine(first, self._units.unit(end))
        levels = line.getLevels()
        visual, seen = [], set()
        for unit in line.getVisualMap():
            point = self._units.point(first + unit)
            if point not in seen:  # the two halves of an astral character
                seen.add(point)
                visual.append(point)
        return Line(visual, {self._units.point(first + unit): level for unit, level in enumerate(levels)})

    def rtl_at(self, point: int) -> bool:
        """The direction of the paragraph holding code point ``point``."""
        if self.plain:
            return False
        return bool(self._bidi.getParagraph(self._units.unit(point))[2] & 1)


def separates_paragraphs(char: str) -> bool:
    """A bidi paragraph separator (class B: "\\n", "\\r", U+2029, …): a line must end after it."""
    return icu.Char.charDirection(char) == icu.UCharDirection.BLOCK_SEPARATOR


def script_names(text: str) -> list[str]:
    """The Unicode scripts of ``text``'s characters (ICU's names: "Han", "Hiragana", "Arabic"),
    in order of first use; characters shared by scripts (digits, punctuation) are left out."""
    names: dict[str, None] = {}
    for char in text:
        name = icu.Script.getScript(char).getName()
        if name not in ("Common", "Inherited", "Unknown"):
            names[name] = None
    return list(names)
