"""Whole cards: golden images, determinism, print PNG/PDF, sizes that cannot fit, alt text."""
from __future__ import annotations

import io
import os
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

from curator import avatars
from curator.config import Brand, Cards
from curator.errors import UsageError
from curator.render import alt_text, card, output
from curator.render.batch import Job, Options, Settings, render_one
from curator.render.theme import SIZES, theme

from render_samples import SAMPLES, record

GOLDEN = Path(__file__).parent / "golden" / "render"
UPDATE = os.environ.get("CURATOR_UPDATE_GOLDEN") == "1"
# Mean absolute difference per channel (0–255) a golden may drift by. HarfBuzz and FreeType come
# in pinned wheels, so there is little drift to allow for; a changed avatar letter costs 0.2–0.8,
# a wrong glyph, a missing emoji or a reflowed line far more.
TOLERANCE = 0.1


def render(rec, options=Options(), settings=Settings()):
    return render_one(Job(card.card_data(rec, Path(".")), options, Path("unused.png")), settings)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_golden_card(name):
    rendered = render(SAMPLES[name])  # raises MissingGlyphs if any character had no glyph
    golden = GOLDEN / f"{name}.png"
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(output.png_bytes(rendered))
    with Image.open(golden) as expected:
        expected = expected.convert("RGBA")
    actual = rendered.image.convert("RGBA")
    assert actual.size == expected.size
    diff = ImageStat.Stat(ImageChops.difference(actual, expected)).mean
    assert max(diff) <= TOLERANCE, f"{name}: mean channel difference {diff}"


def test_golden_check_detects_a_changed_card():
    changed = render(record("en-emoji", SAMPLES["en-emoji"].text.replace("40 s", "4 s")))
    with Image.open(GOLDEN / "en-emoji.png") as expected:
        expected = expected.convert("RGBA")
    if changed.image.size == expected.size:
        assert max(ImageStat.Stat(ImageChops.difference(changed.image.convert("RGBA"), expected)).mean) > 0.01


def test_same_card_twice_is_byte_identical():
    first = output.png_bytes(render(SAMPLES["en-emoji"], Options(theme="dim", scale=2)))
    second = output.png_bytes(render(SAMPLES["en-emoji"], Options(theme="dim", scale=2)))
    assert first == second


def test_embed_is_550_wide_at_1x_and_1100_at_2x_with_transparent_corners():
    one, two = render(SAMPLES["ja"]).image, render(SAMPLES["ja"], Options(scale=2)).image
    assert one.width == 550 and two.width == 1100
    assert abs(two.height - 2 * one.height) <= 2
    assert one.getpixel((0, 0))[3] == 0 and one.getpixel((275, one.height // 2))[3] == 255


@pytest.mark.parametrize("size", ["social", "square", "story"])
def test_fixed_sizes_are_opaque_rgb_of_their_canvas(size):
    data = output.png_bytes(render(SAMPLES["long-280"], Options(size=size)))
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == SIZES[size].canvas and image.mode == "RGB"


def test_text_that_cannot_fit_the_social_canvas_says_which_record_and_why():
    huge = record("too-long", "word " * 400)
    with pytest.raises(card.DoesNotFit, match="too-long.*social canvas"):
        render(huge, Options(size="social"))
    assert render(huge, Options(size="story")).image.size == (1080, 1920)  # the tall size fits it


def test_print_png_reads_back_300_dpi_with_icc_profile():
    data = output.png_bytes(render(SAMPLES["en-emoji"], Options(size="print", width_mm=100, dpi=300, bleed_mm=3)))
    with Image.open(io.BytesIO(data)) as image:
        assert tuple(round(v) for v in image.info["dpi"]) == (300, 300)
        assert image.info["icc_profile"] == output.srgb_profile()
        assert image.mode == "RGB"
        assert image.width == round(106 / 25.4 * 300)  # trim + 2 × bleed


def test_print_pdf_page_is_trim_plus_bleed_with_trim_and_bleed_boxes():
    import pikepdf

    rendered = render(SAMPLES["ar"], Options(size="print", width_mm=90, dpi=300, bleed_mm=3))
    with pikepdf.open(io.BytesIO(output.pdf_bytes(rendered))) as pdf:
        page = pdf.pages[0]
        media = [float(v) for v in page.MediaBox]
        trim = [float(v) for v in page.TrimBox]
        assert media[2] - media[0] == pytest.approx((90 + 2 * 3) / 25.4 * 72, abs=0.3)
        assert trim[2] - trim[0] == pytest.approx(90 / 25.4 * 72, abs=0.3)
        assert "/BleedBox" in page.obj
        image = next(iter(page.get_images().values()))
        assert image.Filter == pikepdf.Name.FlateDecode  # lossless, never JPEG


def test_print_background_fills_the_bleed():
    rendered = render(SAMPLES["hi"], Options(size="print", theme="dark", width_mm=80, bleed_mm=3))
    assert rendered.image.convert("RGB").getpixel((2, 2)) == (0x16, 0x18, 0x1C)


def test_tiff_needs_a_cmyk_profile():
    with pytest.raises(UsageError, match="ICC profile"):
        output.encode(render(SAMPLES["en-emoji"], Options(size="print")), "tiff")


def test_brochure_has_a4_pages():
    import pikepdf

    cards = [render(rec, Options(size="print", width_mm=85, bleed_mm=3)) for rec in SAMPLES.values()]
    with pikepdf.open(io.BytesIO(output.brochure_pdf(cards, output.Sheet("a4")))) as pdf:
        assert len(pdf.pages) >= 1
        box = [float(v) for v in pdf.pages[0].MediaBox]
        assert box[2] == pytest.approx(595.3, abs=0.5) and box[3] == pytest.approx(841.9, abs=0.5)


def test_brand_theme_takes_config_colours():
    settings = Settings(Cards(brand=Brand(background="#FFF8E7", accent="#B0421F", radius=20)))
    assert settings.resolve_theme("brand").link == "#B0421F"
    image = render(SAMPLES["en-emoji"], Options(theme="brand"), settings).image
    assert image.convert("RGB").getpixel((275, image.height - 5))[:3] == (0xFF, 0xF8, 0xE7)


def test_alt_text_has_author_handle_date_and_full_text():
    rec = SAMPLES["long-280"]
    alt = alt_text(rec)
    assert rec.author.name in alt and rec.author.handle in alt and "March 3, 2026" in alt
    assert rec.text in alt and "Received a free sample" in alt


def test_date_is_localised_to_the_post_language():
    assert "2026" in card.date_line(card.card_data(SAMPLES["ja"], Path(".")))
    assert "Mar 3, 2026" in card.date_line(card.card_data(SAMPLES["en-emoji"], Path(".")))
    assert card.date_line(card.card_data(SAMPLES["ja"], Path("."))) != card.date_line(
        card.card_data(SAMPLES["en-emoji"], Path(".")))


def test_links_show_their_display_form_and_text_is_not_edited():
    data = card.card_data(SAMPLES["long-url"], Path("."))
    shown = "".join(piece for piece, _style in card.body_pieces(data))
    assert "https://" not in shown and shown.startswith("Read the write-up: acme.example/blog")


def test_unknown_theme_is_a_usage_error():
    with pytest.raises(UsageError, match="themes are"):
        theme("sepia")


def test_absurd_print_size_is_refused_before_allocating():
    with pytest.raises(UsageError, match="lower --dpi or --width"):
        render(SAMPLES["en-emoji"], Options(size="print", width_mm=1000, dpi=1200))


def test_print_warns_about_small_text_and_dark_themes():
    small = render(SAMPLES["en-emoji"], Options(size="print", width_mm=45, theme="dark"))
    assert any("under 7 pt" in note for note in small.notes)
    assert any("rich black" in note for note in small.notes)
    assert not render(SAMPLES["en-emoji"], Options(size="print", width_mm=120)).notes


@pytest.mark.parametrize("name, card_letters, image_letters", [
    ("Jane Doe", "JD", "JD"), ("ليلى حسن", "لح", "L"), ("佐藤 花子", "佐花", "L"), ("नेहा शर्मा", "नश", "L"),
])
def test_card_initials_keep_the_name_script_where_the_latin_avatar_image_uses_the_handle(name, card_letters,
                                                                                         image_letters):
    assert avatars.initials(name, "@layla", any_script=True) == card_letters
    assert avatars.initials(name, "@layla") == image_letters


def test_date_line_clock_is_utc_or_the_configured_zone_never_the_machines(monkeypatch):
    import time

    from curator.config import Config
    from curator.errors import InvalidData

    monkeypatch.setenv("TZ", "America/Los_Angeles")
    time.tzset()
    try:
        posted = replace(SAMPLES["en-emoji"], posted_at="2026-03-14T23:30:00Z")
        assert card.date_line(card.card_data(posted, Path("."))) == "11:30\u202fPM · Mar 14, 2026 · Mastodon"
        tokyo = Config.from_mapping({"cards": {"timezone": "Asia/Tokyo"}}, Path("."))
        assert card.date_line(card.card_data(posted, Path("."), timezone=tokyo.cards.timezone)) == "8:30\u202fAM · Mar 15, 2026 · Mastodon"
        day_only = replace(SAMPLES["en-emoji"], posted_at="2026-03-14")
        assert card.date_line(card.card_data(day_only, Path("."), timezone="Asia/Tokyo")) == "Mar 14, 2026 · Mastodon"
    finally:
        monkeypatch.undo()
        time.tzset()
    with pytest.raises(InvalidData) as raised:
        Config.from_mapping({"cards": {"timezone": "Mars/Olympus"}}, Path("."), "mkdocs.yml",
                            {("cards", "timezone"): 7})
    assert [str(problem) for problem in raised.value.problems] == [
        "mkdocs.yml:7: curator.cards.timezone: unknown time zone 'Mars/Olympus'; use an IANA name such as UTC, "
        "Europe/Paris or Asia/Tokyo"]


def test_a_record_may_say_only_the_day_it_was_posted():
    from curator.schema import problems

    data = SAMPLES["en-emoji"].to_dict()
    assert not problems("testimonial", {**data, "posted_at": "2026-03-14"}, "x.yml", {})
    assert problems("testimonial", {**data, "posted_at": "2026-3-14"}, "x.yml", {})


def test_brochure_columns_fill_the_page_centred_with_even_gutters(monkeypatch):
    """Two columns of cards as wide as fill A4 between the margins: the row is centred."""
    sheet = output.Sheet("a4", columns=2)
    width = sheet.trim_width_mm(2, 3)
    assert width == pytest.approx((210 - 24 - 8) / 2 - 6)
    assert output.Sheet("a4").columns_for(100 + 6) == 1 and output.Sheet("a4").columns_for(width + 6) == 2
    pages = []
    monkeypatch.setattr(output, "_page_png", lambda page, sheet: pages.append(page.copy()) or b"")
    monkeypatch.setattr("img2pdf.convert", lambda *args, **kwargs: b"%PDF")
    cards = [render(rec, Options(size="print", width_mm=width, bleed_mm=3)) for rec in list(SAMPLES.values())[:3]]
    output.brochure_pdf(cards, sheet)
    page = pages[0]
    # Columns of ink (anything not white) along the first row.
    row = page.crop((0, output_px(20), page.width, output_px(21))).convert("L")
    ink = [x for x in range(page.width) if row.getpixel((x, 0)) < 250]
    left, right = ink[0], page.width - 1 - ink[-1]
    assert abs(left - right) <= 2 and abs(left - output_px(12)) <= 2  # centred, on the margins
    assert len(pages) == 1


def output_px(mm: float) -> int:
    return round(mm / 25.4 * 300)


def test_print_size_notes_are_correct_and_said_once(tmp_path):
    """6.96 pt is printed as 7.0 pt and is not "under 7 pt"; a note names no card, so a batch
    says it once."""
    narrow = render(SAMPLES["en-emoji"], Options(size="print", width_mm=45))
    other = render(SAMPLES["ja"], Options(size="print", width_mm=45))
    assert narrow.notes == other.notes and len(narrow.notes) == 1
    shown = float(narrow.notes[0].split(" pt")[0].rsplit(" ", 1)[1])
    assert shown < 7
    for width in (95, 98, 100, 102):
        for note in render(SAMPLES["en-emoji"], Options(size="print", width_mm=width)).notes:
            assert float(note.split(" pt")[0].rsplit(" ", 1)[1]) < 7, note
