"""`curator render` (publish gate per channel, formats, reports) and `curator doctor`."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image, ImageCms

from curator.cli import cli
from curator.store import Store

from render_samples import SAMPLES, record


@pytest.fixture
def wall(tmp_path, monkeypatch):
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Test\nplugins:\n  - curator:\n      brand: Acme\n      cards:\n        theme: dim\n"
        "        metrics: true\n        brand: {background: '#FFF8E7', accent: '#B0421F'}\n", "utf-8")
    store = Store(tmp_path / "testimonials")
    store.root.mkdir()
    store.save(SAMPLES["en-emoji"])
    store.save(record("web-only", "Only for the website, please! #acme", scope=["web"]))
    store.save(record("odd", "Nice ∰ work, ℌ"))
    inbox = record("inbox", "Not reviewed yet")
    inbox.review.status = "inbox"
    store.save(inbox)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1775000000")  # 2026-04-01
    return tmp_path


def invoke(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_render_embed_renders_only_publishable_records(wall):
    result = invoke("render", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert sorted(row["id"] for row in rows) == ["en-emoji", "odd", "web-only"]
    assert (wall / "cards" / "en-emoji-embed-dim.png").is_file()  # config's default theme


def test_render_print_uses_the_print_channel_and_says_why_a_record_is_skipped(wall):
    result = invoke("render", "web-only", "en-emoji", "--size", "print", "--format", "pdf", "--width", "90")
    assert result.exit_code == 0, result.output
    assert "skipped web-only: not publishable on print: print is not in the granted scope" in result.stderr
    assert (wall / "cards" / "en-emoji-print-dim.pdf").read_bytes().startswith(b"%PDF")
    assert not (wall / "cards" / "web-only-print-dim.pdf").exists()


def test_a_card_with_a_character_no_font_draws_is_not_written(wall):
    Store(wall / "testimonials").save(record("boxes", "Nice \U0010FFFD work"))
    result = invoke("render", "boxes", "--json")
    assert result.exit_code == 1
    row = json.loads(result.stdout)[0]
    assert row["unsupported"] == [{"char": "\U0010FFFD", "code_points": "U+10FFFD"}]
    assert row["path"] is None and "boxes: no available font has glyphs for" in row["error"]
    assert "U+10FFFD" in row["error"] and "cards.fallback_fonts" in row["error"]
    assert not list((wall / "cards").glob("boxes-*"))


def test_render_second_run_is_cached(wall):
    invoke("render", "--size", "social")
    rows = json.loads(invoke("render", "--size", "social", "--json").stdout)
    assert rows and all(row["cached"] for row in rows)
    with Image.open(wall / "cards" / "odd-social-dim.png") as image:
        assert image.size == (1200, 675)


def test_render_brand_theme_and_2x(wall):
    assert invoke("render", "en-emoji", "--theme", "brand", "--scale", "2").exit_code == 0
    with Image.open(wall / "cards" / "en-emoji-embed-brand@2x.png") as image:
        assert image.width == 1100
        assert image.convert("RGB").getpixel((550, image.height - 6)) == (0xFF, 0xF8, 0xE7)


def test_render_tiff_without_profile_is_a_usage_error(wall):
    result = invoke("render", "en-emoji", "--format", "tiff")
    assert result.exit_code == 2 and "ICC profile" in result.stderr


def test_render_unknown_id_is_an_error(wall):
    result = invoke("render", "nope")
    assert result.exit_code == 1 and "no such record: nope" in result.stderr


def test_render_brochure(wall):
    result = invoke("render", "--brochure", "a4", "--width", "85")
    assert result.exit_code == 0, result.output
    assert (wall / "cards" / "brochure.pdf").read_bytes().startswith(b"%PDF")


def test_doctor_json_lists_checks(wall):
    result = invoke("doctor", "--json")
    checks = {row["name"]: row for row in json.loads(result.stdout)}
    assert {"layout engine", "fonts (pip)", "emoji", "CJK fonts", "PDF"} <= set(checks)
    assert all(row["status"] in ("ok", "warn", "fail") for row in checks.values())


def test_doctor_flags_missing_configured_font(wall):
    config = wall / "mkdocs.yml"
    config.write_text(config.read_text("utf-8") + "        fonts: [fonts/Brand.ttf]\n", "utf-8")
    result = invoke("doctor")
    assert result.exit_code == 1 and "fonts/Brand.ttf" in result.stdout


def test_doctor_names_a_published_record_whose_card_has_a_missing_glyph(wall):
    assert "[ok] card glyphs: every character of the 3 published record(s) has a glyph" in invoke("doctor").stdout
    Store(wall / "testimonials").save(record("boxes", "Nice \U0010FFFD work"))
    result = invoke("doctor")
    assert result.exit_code == 1
    assert "[fail] card glyphs: 1 published record(s) have characters no available font draws" in result.stdout
    assert "boxes: '\\U0010fffd' (U+10FFFD)" in result.stdout  # an unprintable character is escaped
    assert "cards.fallback_fonts" in result.stdout


def test_layout_command_reports_lines_visual_order_and_missing_glyphs(wall):
    result = invoke("layout", "השירות של Acme פשוט מצוין \U0010FFFD", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["direction"] == "rtl"
    assert report["lines"] == [{"start": 0, "end": 27, "visual": [26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14,
                                                                  10, 11, 12, 13, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
                                "missing": [26]}]
    narrow = json.loads(invoke("layout", "word " * 30, "--width", "100", "--size", "10", "--json").stdout)
    assert len(narrow["lines"]) > 1 and narrow["lines"][-1]["end"] == 150


def test_layout_command_rejects_a_bad_width_in_one_line(wall):
    result = invoke("layout", "text", "--width", "0")
    assert result.exit_code == 2 and "--width" in result.output and "Traceback" not in result.output


def test_doctor_check_registry_is_extensible():
    from curator import doctor

    @doctor.check
    def always_warns(_config):
        return doctor.Check("example", doctor.WARN, "just testing", "nothing")

    try:
        assert doctor.run_checks(None)[-1].name == "example"
    finally:
        doctor.CHECKS.remove(always_warns)


CMYK_PROFILE = "/usr/share/color/icc/ghostscript/default_cmyk.icc"  # Debian libgs-common (.ci/run installs it)


@pytest.mark.skipif(not Path(CMYK_PROFILE).exists(), reason="needs Debian's libgs-common")
def test_render_tiff_is_cmyk_through_the_given_profile(wall):
    result = invoke("render", "en-emoji", "--size", "print", "--format", "tiff", "--cmyk-profile", CMYK_PROFILE)
    assert result.exit_code == 0, result.output
    with Image.open(wall / "cards" / "en-emoji-print-dim.tiff") as tiff:
        assert tiff.mode == "CMYK"
        assert tiff.info["icc_profile"] == Path(CMYK_PROFILE).read_bytes()
        assert round(tiff.info["dpi"][0]) == 300
        black = tiff.getchannel("K").getextrema()
    # a colour-managed conversion puts ink on the K plate (Pillow's naive convert("CMYK") leaves K = 0)
    assert black[1] > 100


def test_render_tiff_refuses_a_profile_that_is_not_cmyk(wall):
    srgb = wall / "srgb.icc"
    srgb.write_bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    result = invoke("render", "en-emoji", "--size", "print", "--format", "tiff", "--cmyk-profile", str(srgb))
    assert result.exit_code != 0 and "CMYK" in result.stderr and "Traceback" not in result.output


def test_render_fails_when_every_requested_id_is_skipped(wall):
    result = CliRunner().invoke(cli, ["render", "inbox"])
    assert result.exit_code == 1 and "review is inbox" in result.output and "nothing to render" in result.output


def test_render_brochure_columns_and_gap_with_one_size_note(wall):
    result = invoke("render", "--brochure", "a4", "--columns", "3", "--gap", "6")
    assert result.exit_code == 0, result.output
    notes = [line for line in result.output.splitlines() if "under 7 pt" in line]
    assert len(notes) == 1, result.output  # 3 columns make small text: said once, not per card
    assert (wall / "cards" / "brochure.pdf").read_bytes().startswith(b"%PDF")
    assert invoke("render", "--brochure", "a4", "--columns", "6").exit_code == 2  # too narrow to print
