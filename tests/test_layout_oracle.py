"""`curator layout` against implementations curator did not write, over a multilingual corpus.

- Line breaks: ICU's line break iterator (UAX #14, with its Thai dictionary), called here
  directly; a line may also end inside an unbreakable piece only if that piece was wider than
  the line (then at a grapheme boundary, by ``regex``'s ``\\X``).
- Visual order: ICU's bidi reordering of each line within its paragraph (UAX #9, as the issue's
  acceptance test does), and python-bidi (Rust's unicode-bidi, a second implementation) for
  every text laid out on one line.
- No missing glyph with the fonts the README asks for (CJK needs Debian's fonts-noto-cjk).
"""
from __future__ import annotations

import json
import unicodedata

import icu
import pytest
import regex
from bidi import get_display
from click.testing import CliRunner

from curator.cli import cli
from curator.render import fonts

from layout_corpus import corpus

CORPUS = corpus()
WIDTHS = (518, 240, 110)  # a web card's column, a narrow one, a very narrow one (CSS px, 20 px text)
CJK_INSTALLED = fonts.fontconfig_face(fonts.DEFAULT_CJK, False) is not None


def layout(text: str, lang: str, width: float) -> dict:
    result = CliRunner().invoke(cli, ["layout", text, "--lang", lang, "--width", str(width), "--json"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def utf16_offsets(text: str) -> list[int]:
    """UTF-16 offset of each code point, and of the end."""
    offsets, unit = [], 0
    for char in text:
        offsets.append(unit)
        unit += 2 if ord(char) > 0xFFFF else 1
    return offsets + [unit]


def icu_breaks(text: str) -> set[int]:
    """ICU's line break opportunities, and the end of each bidi paragraph (after U+001C, which
    UAX #14 does not break after but UAX #9 ends a paragraph at: a line holds one paragraph)."""
    breaker = icu.BreakIterator.createLineInstance(icu.Locale.getRoot())
    breaker.setText(text)
    point_of = {unit: point for point, unit in enumerate(utf16_offsets(text))}
    paragraph_ends = {point + 1 for point, char in enumerate(text) if unicodedata.bidirectional(char) == "B"}
    return {point_of[boundary] for boundary in breaker} | paragraph_ends


def icu_visual(text: str, rtl_lang: bool, start: int, end: int) -> list[int]:
    if start == end:
        return []  # an empty last line, after a final line break
    offsets = utf16_offsets(text)
    paragraph = icu.Bidi()
    paragraph.setPara(icu.UnicodeString(text), icu.Bidi.DEFAULT_RTL if rtl_lang else icu.Bidi.DEFAULT_LTR)
    line = paragraph.setLine(offsets[start], offsets[end])
    point_of = {unit - offsets[start]: point for point, unit in enumerate(offsets)}
    visual = []
    for unit in line.getVisualMap():
        point = point_of.get(unit, point_of.get(unit - 1))  # the second half of an astral character
        if point not in visual:
            visual.append(point)
    return visual


def rtl_language(lang: str) -> bool:
    return lang.split("-")[0] in ("ar", "he", "fa", "ur")


CASES = [(lang, text, width) for lang, text in CORPUS for width in WIDTHS]


def test_the_corpus_is_large_and_varied():
    assert len(CORPUS) >= 150
    assert {"he", "ar", "fa", "ur", "th", "ja", "zh", "ko", "hi"} <= {lang for lang, _ in CORPUS}


@pytest.mark.parametrize("lang, text, width", CASES, ids=[f"{lang}-{i}" for i, (lang, _t, _w) in enumerate(CASES)])
def test_layout_matches_icu_and_python_bidi(lang, text, width, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no mkdocs.yml: the bundled and system fonts
    report = layout(text, lang, width)
    lines = report["lines"]
    assert lines[0]["start"] == 0 and lines[-1]["end"] == len(text)
    assert all(one["end"] == two["start"] for one, two in zip(lines, lines[1:]))  # nothing lost or repeated

    allowed = icu_breaks(text)
    graphemes = {match.end() for match in regex.finditer(r"\X", text)}
    for line in lines[:-1]:
        if line["end"] not in allowed:  # an emergency break: inside a piece wider than the line
            assert line["end"] in graphemes, f"{text!r}: broken inside a grapheme at {line['end']}"
            assert not any(line["start"] < b < line["end"] for b in allowed), f"{text!r}: {line} could break earlier"

    for line in lines:
        assert sorted(line["visual"]) == list(range(line["start"], line["end"]))
        assert line["visual"] == icu_visual(text, rtl_language(lang), line["start"], line["end"]), (text, line)
    if len(lines) == 1 and "\n" not in text:
        base = "R" if report["direction"] == "rtl" else "L"
        assert "".join(text[i] for i in lines[0]["visual"]) == get_display(text, base_dir=base), text

    if CJK_INSTALLED or lang not in ("ja", "zh", "zh-TW", "ko"):
        assert all(not line["missing"] for line in lines), (text, [line["missing"] for line in lines])


@pytest.mark.parametrize("text, words", [
    ("ขอบคุณทีมงานทุกคน", ["ขอบคุณ", "ทีม", "งาน", "ทุก", "คน"]),
    ("สั่งซื้อเมื่อวานได้รับของวันนี้เลย", ["สั่ง", "ซื้อ", "เมื่อ", "วาน", "ได้", "รับ", "ของ", "วัน", "นี้", "เลย"]),
])
def test_thai_breaks_only_between_words(text, words, tmp_path, monkeypatch):
    """The words of these sentences as a Thai dictionary lists them (compounds such as เมื่อวาน,
    "yesterday", may break between their words): a line never ends inside one ("ทีมงา|น")."""
    monkeypatch.chdir(tmp_path)
    assert "".join(words) == text
    boundaries, at = set(), 0
    for word in words:
        at += len(word)
        boundaries.add(at)
    for width in (90, 120, 150):  # each word fits a line; the sentence does not
        lines = layout(text, "th", width)["lines"]
        assert len(lines) > 1
        assert all(line["end"] in boundaries for line in lines), (width, lines)
