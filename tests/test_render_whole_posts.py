"""Cards of whole posts (issue 21): content warning, image grid, video and GIF marks, poll bars,
quoted post, link card, custom emoji. Golden-free: pixels are checked against the layout's own
geometry (render/card.py layers), so a font or a rounding change does not break them, a wrong
drawing does."""
from __future__ import annotations

import io
import itertools
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

from curator.model import Media
from curator.render import alt_text, batch, card, output
from curator.render.batch import Job, Options, Settings, cache_key, render_one
from curator.render.emoji import Custom
from curator.render.theme import SIZES, theme

from whole_post_samples import GUIDE_PICTURE, emoji, guide_picture, media, whole_post
from render_samples import record

RED, GREEN, BLUE, YELLOW = "#D01010", "#10A010", "#1030D0", "#E0C000"


def rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def near(pixel, colour: str, tolerance: int = 12) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], rgb(colour), strict=True))


def draw(rec, store: Path, size: str = "embed", theme_name: str = "light", scale: float = 1):
    """(image as RGB, its layout) for ``rec``: the layout the renderer painted."""
    data = card.card_data(rec, store)
    chosen, settings = theme(theme_name), Settings()
    faces = batch._faces(data, chosen, settings)
    spec = SIZES[size]
    layout = card.layout_card(data, chosen, spec.metrics, scale, spec.card_width, faces)
    rendered = render_one(Job(data, Options(size=size, theme=theme_name, scale=scale), None), settings)
    return rendered.image.convert("RGB"), layout


def layers(layout, kind: str) -> list:
    return [layer for layer in layout.layers if layer.kind == kind]


def inside(box, fx: float, fy: float) -> tuple[int, int]:
    """The pixel at fraction (fx, fy) of a layer's box."""
    x, y, w, h = box
    return round(x + w * fx), round(y + h * fy)


def four_flat(store: Path, kinds: tuple[str, ...] = ("image", "video", "gif", "image")) -> list[dict]:
    return [media(store, kind, (400, 300), fill=fill, alt=f"{kind} {fill}")
            for kind, fill in zip(kinds, (RED, GREEN, BLUE, YELLOW), strict=True)]


# --- the grid -------------------------------------------------------------------------------------


def test_grid_cells_one_full_two_side_by_side_three_one_tall_and_two_four_two_by_two():
    assert card.grid_cells(1, 100, 50, 2) == [(0, 0, 100, 50)]
    assert card.grid_cells(2, 102, 50, 2) == [(0, 0, 50, 50), (52, 0, 50, 50)]
    assert card.grid_cells(3, 102, 52, 2) == [(0, 0, 50, 52), (52, 0, 50, 25), (52, 27, 50, 25)]
    assert card.grid_cells(4, 102, 52, 2) == [(0, 0, 50, 25), (52, 0, 50, 25), (0, 27, 50, 25), (52, 27, 50, 25)]


@pytest.mark.parametrize("count", [1, 2, 3, 4])
def test_each_cell_shows_its_image_cover_cropped_with_the_outer_corners_rounded(tmp_path, count):
    files = four_flat(tmp_path, ("image",) * 4)[:count]  # no play mark or tag over them
    image, layout = draw(whole_post(tmp_path, media=files, poll=None, quote=None, warning=None), tmp_path)
    cells = layers(layout, "picture")
    assert len(cells) == count
    fills = (RED, GREEN, BLUE, YELLOW)
    background = theme("light").background
    for cell, fill in zip(cells, fills, strict=False):
        x, y, w, h = cell.box
        for fx, fy in ((0.1, 0.1), (0.9, 0.1), (0.1, 0.9), (0.9, 0.9)):  # the whole cell is covered
            assert near(image.getpixel(inside(cell.box, fx, fy)), fill), (count, fill, fx, fy)
        # A corner of the grid is rounded (the card's background shows), a corner inside it is not.
        corner_pixels = ((x, y), (x + w - 1, y), (x, y + h - 1), (x + w - 1, y + h - 1))
        for rounded, (cx, cy) in zip(cell.corners, corner_pixels, strict=True):
            pixel = image.getpixel((round(cx), round(cy)))
            assert near(pixel, background if rounded else fill, 40), (count, fill, rounded, (cx, cy))
    grid_width = max(c.box[0] + c.box[2] for c in cells) - cells[0].box[0]
    assert grid_width == pytest.approx(550 - 2 * 16, abs=1)  # the text column's width


def test_one_image_keeps_its_shape_within_the_clamp(tmp_path):
    wide = media(tmp_path, size=(900, 300), fill=RED)  # 3:1, clamped to 16:9
    tall = media(tmp_path, size=(300, 900), fill=RED)  # 1:3, clamped to 3:4
    square = media(tmp_path, size=(500, 500), fill=RED)
    for file, aspect in ((wide, 1.78), (tall, 0.75), (square, 1.0)):
        _, layout = draw(whole_post(tmp_path, media=[file], poll=None, quote=None), tmp_path)
        (cell,) = layers(layout, "picture")
        assert cell.box[2] / cell.box[3] == pytest.approx(aspect, rel=0.01)


def test_a_photo_turned_by_its_exif_orientation_is_drawn_upright_as_a_browser_shows_it(tmp_path):
    upright = Image.new("RGB", (400, 300), RED)
    upright.paste(BLUE, (0, 150, 400, 300))  # red above blue
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to show": the sensor's pixels are stored on their side
    data = io.BytesIO()
    upright.rotate(90, expand=True).save(data, "JPEG", quality=95, exif=exif)
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "turned.jpg").write_bytes(data.getvalue())
    file = {"type": "image", "path": "media/turned.jpg", "digest": "sha256-" + "0" * 64}
    image, layout = draw(whole_post(tmp_path, media=[file], poll=None, quote=None), tmp_path)
    (cell,) = layers(layout, "picture")
    assert cell.box[2] / cell.box[3] == pytest.approx(4 / 3, rel=0.01)
    assert near(image.getpixel(inside(cell.box, 0.5, 0.2)), RED, 30)
    assert near(image.getpixel(inside(cell.box, 0.5, 0.8)), BLUE, 30)


@pytest.mark.parametrize("theme_name", ["light", "dark"])
def test_a_transparent_picture_shows_the_card_s_background_through_it(tmp_path, theme_name):
    logo = Image.new("RGBA", (400, 300), (0, 0, 0, 0))
    logo.paste((208, 16, 16, 255), (0, 0, 200, 300))  # the left half opaque red, the right half clear
    data = io.BytesIO()
    logo.save(data, "PNG")
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "logo.png").write_bytes(data.getvalue())
    file = {"type": "image", "path": "media/logo.png", "digest": "sha256-" + "0" * 64}
    image, layout = draw(whole_post(tmp_path, media=[file], poll=None, quote=None), tmp_path, theme_name=theme_name)
    (cell,) = layers(layout, "picture")
    assert near(image.getpixel(inside(cell.box, 0.25, 0.5)), RED)
    assert near(image.getpixel(inside(cell.box, 0.75, 0.5)), theme(theme_name).background, 2)


def test_a_video_has_a_play_mark_and_a_gif_its_tag_an_image_neither(tmp_path):
    image, layout = draw(whole_post(tmp_path, media=four_flat(tmp_path), poll=None, quote=None), tmp_path)
    cells = layers(layout, "picture")
    (play,) = layers(layout, "play")
    (tag,) = layers(layout, "tag")
    video, gif = cells[1], cells[2]
    px, py, pw, ph = play.box
    assert video.box[0] < px < px + pw < video.box[0] + video.box[2]  # centred in the video's cell
    assert near(image.getpixel(inside(play.box, 0.55, 0.5)), "#FFFFFF", 30)  # the triangle
    ring = image.getpixel(inside(play.box, 0.2, 0.5))  # the shaded circle: the image, darkened
    assert sum(ring) < sum(rgb(GREEN)) * 0.6
    assert gif.box[0] <= tag.box[0] and tag.box[1] + tag.box[3] <= gif.box[1] + gif.box[3]
    tag_pixels = image.crop(tuple(round(v) for v in (tag.box[0], tag.box[1], tag.box[0] + tag.box[2],
                                                     tag.box[1] + tag.box[3])))
    assert max(sum(p) for p in tag_pixels.get_flattened_data()) > 700  # the white "GIF" text on the shade
    assert near(image.getpixel(inside(cells[0].box, 0.5, 0.5)), RED)  # an image: nothing over it
    assert near(image.getpixel(inside(cells[3].box, 0.5, 0.5)), YELLOW)


def test_a_missing_or_broken_file_leaves_an_empty_cell_and_a_path_outside_the_store_is_not_read(tmp_path):
    store = tmp_path / "store"
    broken = media(store, fill=RED)
    (store / broken["path"]).write_bytes(b"not an image")
    outside = media(tmp_path, fill=RED) | {"path": "../media/" + media(tmp_path, fill=RED)["path"].split("/")[1]}
    gone = media(store, fill=GREEN) | {"path": "media/" + "0" * 64 + ".png"}
    rec = whole_post(store, media=[broken, outside, gone], poll=None, quote=None)
    assert all(picture.file is None for picture in card.card_data(rec, store).media)
    image, layout = draw(rec, store)
    for cell in layers(layout, "picture"):
        assert near(image.getpixel(inside(cell.box, 0.5, 0.5)), theme("light").border)


def test_a_file_deleted_after_the_card_s_data_was_read_leaves_an_empty_cell(tmp_path):
    rec = whole_post(tmp_path, media=[media(tmp_path, fill=RED)], poll=None, quote=None)
    data = card.card_data(rec, tmp_path)
    (tmp_path / rec.media[0].path).unlink()
    rendered = render_one(Job(data, Options(), None), Settings())
    _, layout = draw(rec, tmp_path)
    (cell,) = layers(layout, "picture")
    assert near(rendered.image.convert("RGB").getpixel(inside(cell.box, 0.5, 0.5)), theme("light").border)


def test_print_cards_take_the_image_at_the_file_s_resolution(tmp_path):
    """Two-pixel stripes: the print card's cell (about 1,000 px wide) still shows them, which a
    picture taken from a smaller copy could not; the 1× embed's cell (518 px) cannot."""
    stripes = Image.new("L", (2000, 1125))
    stripes.putdata([255 * ((x // 2) % 2) for _y in range(1125) for x in range(2000)])
    data = io.BytesIO()
    stripes.convert("RGB").save(data, "PNG")
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "stripes.png").write_bytes(data.getvalue())
    file = {"type": "image", "path": "media/stripes.png", "digest": "sha256-" + "0" * 64, "alt": "stripes"}
    rec = whole_post(tmp_path, media=[file], poll=None, quote=None, warning=None)
    data_ = card.card_data(rec, tmp_path)
    contrast = {}
    for size in ("print", "embed"):
        rendered = render_one(Job(data_, Options(size=size, dpi=300, width_mm=100), None), Settings())
        spec = SIZES[size]
        faces = batch._faces(data_, theme("light"), Settings())
        image = rendered.image.convert("L")
        scale = 1 if size == "embed" else (image.width - 2 * round(3 / 25.4 * 300) - 2 * 5 / 25.4 * 300) / 550
        layout = card.layout_card(data_, theme("light"), spec.metrics, scale, spec.card_width, faces)
        (cell,) = layers(layout, "picture")
        offset = 0 if size == "embed" else round(round(3 / 25.4 * 300) + 5 / 25.4 * 300)
        x, y, w, h = cell.box
        row = [image.getpixel((offset + round(x) + i, offset + round(y + h / 2))) for i in range(20, round(w) - 20)]
        contrast[size] = sum(abs(a - b) for a, b in itertools.pairwise(row)) / (len(row) - 1)
    assert contrast["print"] > 60 and contrast["embed"] < 20, contrast


# --- content warning, poll, quote, link -----------------------------------------------------------


@pytest.mark.parametrize("theme_name", ["light", "dark"])
def test_the_content_warning_comes_above_the_text_marked_as_a_warning_and_the_text_is_still_shown(
        tmp_path, theme_name):
    rec = whole_post(tmp_path, media=[], poll=None, quote=None)
    image, layout = draw(rec, tmp_path, theme_name=theme_name)
    (mark,) = layers(layout, "warning")
    texts = [layer for layer in layers(layout, "text") if layer.block.lines]
    words = ["".join(run.text for line in layer.block.lines for run in line.runs) for layer in texts]
    warning_at = next(i for i, w in enumerate(words) if "Spoilers" in w)
    body_at = next(i for i, w in enumerate(words) if "rides like a" in w)
    assert texts[warning_at].box[1] < texts[body_at].box[1]
    assert mark.box[1] < texts[warning_at].box[1] + texts[warning_at].box[3]
    assert near(image.getpixel(inside(mark.box, 0.5, 0.85)), theme(theme_name).warning, 60)  # the triangle's base
    assert not near(image.getpixel(inside(mark.box, 0.5, 0.5)), theme(theme_name).warning, 60)  # the "!" cut out


@pytest.mark.parametrize("theme_name", ["light", "dark"])
def test_poll_bars_are_as_long_as_their_share_of_the_votes_and_the_leader_stands_out(tmp_path, theme_name):
    poll = {"options": [{"title": "Ride", "votes": 30}, {"title": "Walk", "votes": 10}, {"title": "Bus", "votes": 0}],
            "closed": True}
    image, layout = draw(whole_post(tmp_path, media=[], quote=None, poll=poll), tmp_path, theme_name=theme_name)
    bars = layers(layout, "bar")
    assert len(bars) == 2  # no bar for no votes
    column = 550 - 2 * 16
    assert bars[0].box[2] == pytest.approx(column * 30 / 40) and bars[1].box[2] == pytest.approx(column * 10 / 40)
    chosen = theme(theme_name)
    assert bars[0].colour == "poll_leader" and bars[1].colour == "poll_bar"
    assert near(image.getpixel(inside(bars[0].box, 0.97, 0.5)), chosen.poll_leader, 4)
    assert near(image.getpixel(inside(bars[1].box, 0.9, 0.5)), chosen.poll_bar, 4)
    words = ["".join(run.text for line in layer.block.lines for run in line.runs) for layer in layers(layout, "text")]
    assert {"75%", "25%", "0%", "40 votes · Closed"} <= set(words)


def test_a_poll_without_votes_has_no_leader(tmp_path):
    poll = {"options": [{"title": "Ride", "votes": 0}, {"title": "Walk", "votes": 0}]}
    _, layout = draw(whole_post(tmp_path, media=[], quote=None, poll=poll), tmp_path)
    assert not layers(layout, "bar")
    options = [layer.block for layer in layers(layout, "text")
               if "".join(run.text for line in layer.block.lines for run in line.runs) in ("0%", "Ride", "Walk")]
    assert len(options) == 4 and all(block.primary.weight == 400 for block in options)


def test_a_poll_whose_results_are_hidden_shows_its_options_without_percentages(tmp_path):
    poll = {"options": [{"title": "Ride"}, {"title": "Walk"}]}
    _, layout = draw(whole_post(tmp_path, media=[], quote=None, poll=poll), tmp_path)
    words = ["".join(run.text for line in layer.block.lines for run in line.runs) for layer in layers(layout, "text")]
    assert "Ride" in words and "Open" in words and not any(w.endswith("%") for w in words)
    assert [bar.box[2] for bar in layers(layout, "bar")] == [550 - 32] * 2


@pytest.mark.parametrize("theme_name", ["light", "dark"])
def test_the_quoted_post_is_in_a_bordered_box_in_smaller_type(tmp_path, theme_name):
    image, layout = draw(whole_post(tmp_path, media=[], poll=None), tmp_path, theme_name=theme_name)
    (box,) = layers(layout, "box")
    x, y, w, h = box.box
    assert near(image.getpixel((round(x), round(y + h / 2))), theme(theme_name).border, 4)  # its left border
    within = [layer for layer in layers(layout, "text")
              if x < layer.box[0] and y < layer.box[1] and layer.box[1] + layer.box[3] < y + h]
    words = {"".join(run.text for line in layer.block.lines for run in line.runs): layer.block.size for layer in within}
    assert words == {"Bo Lindqvist": 15, "@bo@bikes.example": 15, "Our new frame is out today.": 15}
    assert SIZES["embed"].metrics.body.size > 15


def test_a_quoted_post_s_images_are_inside_its_box(tmp_path):
    quote = {"author": {"name": "Bo"}, "media": [media(tmp_path, fill=GREEN)]}
    image, layout = draw(whole_post(tmp_path, media=[], poll=None, quote=quote), tmp_path)
    (box,) = layers(layout, "box")
    (cell,) = layers(layout, "picture")
    assert box.box[1] < cell.box[1] and cell.box[1] + cell.box[3] < box.box[1] + box.box[3]
    assert near(image.getpixel(inside(cell.box, 0.5, 0.5)), GREEN)


def test_the_link_card_shows_its_image_domain_title_and_description_only_without_media(tmp_path):
    link = {"url": "https://www.acme.example/launch", "title": "Acme launches", "description": "All about it",
            "image": media(tmp_path, fill=BLUE)}
    image, layout = draw(whole_post(tmp_path, media=[], poll=None, quote=None, link=link), tmp_path)
    (box,) = layers(layout, "box")
    (cell,) = layers(layout, "picture")
    assert near(image.getpixel(inside(cell.box, 0.5, 0.5)), BLUE)
    assert cell.box[1] == box.box[1] + layout.border and cell.corners == (True, True, False, False)
    words = ["".join(run.text for line in layer.block.lines for run in line.runs) for layer in layers(layout, "text")]
    shown = ["acme.example", "Acme launches", "All about it"]
    assert [w for w in words if w in shown] == shown
    broken = card.card_data(whole_post(tmp_path, media=[], link={"url": "https://[::1/x", "title": "T"}), tmp_path)
    assert broken.link.domain == "" and broken.link.title == "T"
    _, with_media = draw(whole_post(tmp_path, poll=None, quote=None, link=link), tmp_path)
    assert not layers(with_media, "box")  # the images are shown instead, as the platforms do


# --- custom emoji ---------------------------------------------------------------------------------


def emoji_box(image: Image.Image, box, colour: str) -> tuple[int, int, int, int] | None:
    """The bounding box of ``colour`` within ``box`` of ``image``."""
    x, y, w, h = (round(v) for v in box)
    region = image.crop((x, y, x + w, y + h))
    pixels = enumerate(region.get_flattened_data())
    hits = [(i % region.width, i // region.width) for i, p in pixels if near(p, colour, 30)]
    if not hits:
        return None
    xs, ys = [p[0] for p in hits], [p[1] for p in hits]
    return min(xs), min(ys), max(xs) + 1, max(ys) + 1


@pytest.mark.parametrize("scale", [1, 2])
def test_custom_emoji_are_drawn_inline_at_the_line_s_text_size_in_the_text_and_the_name(tmp_path, scale):
    green = "#20B040"
    rec = whole_post(tmp_path, media=[], poll=None, quote=None, warning=None, emoji=[emoji(tmp_path, "bike", green)])
    image, layout = draw(rec, tmp_path, scale=scale)
    body = next(layer for layer in layers(layout, "text") if layer.align_right is None)
    name = layers(layout, "text")[0]
    runs = [run for line in body.block.lines for run in line.runs if isinstance(run.emoji_path, Custom)]
    assert len(runs) == 1 and runs[0].text == card.OBJECT
    metrics = SIZES["embed"].metrics
    for layer, size in ((body, metrics.body.size), (name, metrics.name.size)):
        found = emoji_box(image, layer.box, green)
        assert found is not None
        height = found[3] - found[1]
        # The emoji file is a disc 60/64 of its square; the square is one em of the line's type.
        assert height == pytest.approx(size * scale * 60 / 64, abs=2)
    assert ":bike:" not in "".join(run.text for line in body.block.lines for run in line.runs)


def test_an_emoji_is_one_object_to_line_breaking_and_an_unknown_shortcode_stays_text(tmp_path):
    rec = whole_post(tmp_path, media=[], poll=None, quote=None, warning=None, text="go :bike::bike: :nope: " * 12)
    data = card.card_data(rec, tmp_path)
    pieces = card.body_pieces(data)
    objects = [style for value, style in pieces if value == card.OBJECT]
    assert len(objects) == 24 and all(style.image == data.emoji[0].file for style in objects)
    assert ":nope:" in "".join(value for value, _style in pieces)
    _, layout = draw(rec, tmp_path)
    body = next(layer for layer in layers(layout, "text") if layer.align_right is None)
    assert len(body.block.lines) > 1 and all(line.width <= body.box[2] + 0.5 for line in body.block.lines)


def test_a_long_name_with_an_emoji_is_cut_with_the_emoji_kept_as_an_image(tmp_path):
    rec = whole_post(tmp_path, media=[], poll=None, quote=None)
    rec.author.name = ":bike: " + "Wolfeschlegelsteinhausenberger " * 4
    _, layout = draw(rec, tmp_path)  # no MissingGlyphs for U+FFFC
    name = layers(layout, "text")[0]
    runs = [run for line in name.block.lines for run in line.runs]
    assert isinstance(runs[0].emoji_path, Custom) and runs[-1].text.endswith("…")


# --- the whole card ---------------------------------------------------------------------------------


def test_a_post_of_images_alone_has_no_empty_text_line(tmp_path):
    files = [media(tmp_path, fill=RED)]
    _, with_text = draw(whole_post(tmp_path, media=files, poll=None, quote=None, warning=None, text="One line"),
                        tmp_path)
    _, without = draw(whole_post(tmp_path, media=files, poll=None, quote=None, warning=None, text=""), tmp_path)
    body = SIZES["embed"].metrics.body.line_height
    assert with_text.height - without.height == pytest.approx(body + SIZES["embed"].metrics.section / 2)


@pytest.mark.parametrize("size", ["embed", "story"])
def test_the_whole_card_is_deterministic_and_grows_to_fit(tmp_path, size):
    rec = whole_post(tmp_path)
    first = render_one(Job(card.card_data(rec, tmp_path), Options(size=size), None), Settings())
    card.clear_picture_cache()
    second = render_one(Job(card.card_data(rec, tmp_path), Options(size=size), None), Settings())
    assert output.png_bytes(first) == output.png_bytes(second)
    if size == "embed":
        text_only = render_one(Job(card.card_data(record("t", rec.text), tmp_path), Options(), None), Settings())
        assert first.image.height > text_only.image.height + 300


def test_the_cache_key_changes_with_an_image_s_content_not_with_the_store_s_place(tmp_path):
    store = tmp_path / "a"
    rec = whole_post(store, poll=None, quote=None)
    path = store / rec.media[0].path
    key = cache_key(Job(card.card_data(rec, store), Options(), None), Settings())
    path.write_bytes(Image.new("RGB", (10, 10), RED).tobytes() + b"changed")  # same name, other bytes
    assert cache_key(Job(card.card_data(rec, store), Options(), None), Settings()) != key
    moved = tmp_path / "b"
    changed = cache_key(Job(card.card_data(rec, store), Options(), None), Settings())
    store.rename(moved)  # the same files, elsewhere
    again = cache_key(Job(card.card_data(rec, moved), Options(), None), Settings())
    assert again == changed
    emoji_path = moved / rec.emoji[0].path
    emoji_path.write_bytes(emoji_path.read_bytes() + b"x")
    assert cache_key(Job(card.card_data(rec, moved), Options(), None), Settings()) != again


def test_a_changed_image_renders_again_through_the_batch_cache(tmp_path):
    store, cache = tmp_path / "store", tmp_path / "cache"
    rec = whole_post(store, media=[media(store, fill=RED)], poll=None, quote=None, warning=None)
    job = Job(card.card_data(rec, store), Options(), tmp_path / "out.png")
    (first,) = batch.run([job], Settings(), cache, workers=1)
    before = (tmp_path / "out.png").read_bytes()
    assert batch.run([replace(job)], Settings(), cache, workers=1)[0].cached
    blue = io.BytesIO()
    Image.new("RGB", (800, 600), BLUE).save(blue, "PNG")
    (store / rec.media[0].path).write_bytes(blue.getvalue())  # the same file name, another picture
    (second,) = batch.run([replace(job)], Settings(), cache, workers=1)
    assert not first.cached and not second.cached
    assert (tmp_path / "out.png").read_bytes() != before


def test_alt_text_tells_the_whole_post(tmp_path):
    rec = whole_post(tmp_path, link={"url": "https://acme.example/", "title": "Acme launches"})
    alt = alt_text(rec)
    for part in ("Content warning: Spoilers for the season finale.", "Image: A red bicycle against a brick wall.",
                 "Video: The ride along the river.", "GIF: A dog wagging its tail.", "Ride to work 75%",
                 "Ride at weekends 25%", "40 votes", "Quoting Bo Lindqvist (@bo@bikes.example): “Our new frame",
                 "“Picked up my new bike today"):
        assert part in alt, part
    assert alt.index("Content warning") < alt.index("Picked up") < alt.index("Image:")
    no_media = alt_text(whole_post(tmp_path, media=[], link={"url": "https://acme.example/", "title": "Acme launches"}))
    assert "Link: Acme launches." in no_media
    assert "Image: no description." in alt_text(whole_post(tmp_path, media=[media(tmp_path)]))


def test_doctor_s_glyph_check_reads_the_whole_post(tmp_path):
    lone = "\U00013000"  # an Egyptian hieroglyph: no bundled font has it
    rec = whole_post(tmp_path, quote={"author": {"name": "Bo"}, "text": f"see {lone}"})
    data = card.card_data(rec, tmp_path)
    faces = batch._faces(data, theme("light"), Settings())
    assert [u.cluster for u in card.missing_glyphs(data, faces)] == [lone]
    with pytest.raises(card.MissingGlyphs):
        draw(rec, tmp_path)


def test_the_guide_shows_the_card_as_it_is_drawn_now():
    stale = "docs/assets/cards/whole-post.png is stale: run python tests/whole_post_samples.py"
    with Image.open(io.BytesIO(guide_picture())) as drawn, Image.open(GUIDE_PICTURE) as shown:
        assert drawn.size == shown.size, stale
        difference = ImageStat.Stat(ImageChops.difference(drawn.convert("RGB"), shown.convert("RGB"))).mean
    assert max(difference) <= 0.1, stale  # the golden tests' tolerance
    assert "assets/cards/whole-post.png" in (GUIDE_PICTURE.parents[2] / "designers.md").read_text("utf-8")


def test_custom_emoji_show_in_the_content_warning_and_the_poll_options_too(tmp_path):
    poll = {"options": [{"title": "Ride :bike:", "votes": 1}, {"title": "Walk", "votes": 0}]}
    rec = whole_post(tmp_path, media=[], quote=None, poll=poll, warning="Bikes :bike: ahead")
    _, layout = draw(rec, tmp_path)
    drawn = [run for layer in layers(layout, "text") for line in layer.block.lines for run in line.runs]
    assert sum(isinstance(run.emoji_path, Custom) for run in drawn) == 4  # in the name, the CW, the text, an option
    assert not any(":bike:" in run.text for run in drawn)


def test_a_site_build_draws_a_published_whole_post_s_cards_from_the_store(project: Path, run):
    """The build's path (plugin → render_site_cards → card_data with the store's root): the
    images come from testimonials/media, and the card alt text in the page tells them."""
    from curator import Store
    from curator.identity import content_version

    store = Store.open(project / "testimonials")
    record = store.records["mastodon-mastodon-example-113100000001"]
    record.warning = "Bike talk"
    record.media = [Media(**media(store.root, fill=RED, alt="A red bike"))]
    record.source.version = content_version(record)  # consented to as it is
    store.save(record)
    result = run("build")
    assert result.exit_code == 0, result.output
    with Image.open(project / "site" / "cards" / f"{record.id}.png") as drawn:
        layout = draw(record, store.root)[1]
        (cell,) = layers(layout, "picture")
        assert near(drawn.convert("RGB").getpixel(inside(cell.box, 0.5, 0.5)), RED)
    page = (project / "site" / "t" / record.id / "index.html").read_text("utf-8")
    assert "Content warning: Bike talk." in page and "Image: A red bike." in page


def test_a_right_to_left_post_has_its_warning_and_poll_mirrored(tmp_path):
    """A Hebrew post: the warning's mark on the right of its words, each poll bar growing from
    the right edge, its percentage on the right; a left-to-right post keeps them on the left."""
    poll = {"options": [{"title": "לרכוב", "votes": 30}, {"title": "ללכת", "votes": 10}], "closed": True}
    hebrew = whole_post(tmp_path, media=[], quote=None, emoji=[], poll=poll, warning="ספוילרים לעונה",
                        text="קניתי אופניים חדשים והם נוסעים כמו חלום", lang="he")
    latin = whole_post(tmp_path, "latin", media=[], quote=None, emoji=[],
                       poll={**poll, "options": [{"title": "Ride", "votes": 30}, {"title": "Walk", "votes": 10}]})
    for rec, rtl in ((hebrew, True), (latin, False)):
        image, layout = draw(rec, tmp_path)
        left, right = 16, 550 - 16
        (mark,) = layers(layout, "warning")
        texts = layers(layout, "text")
        words = ["".join(run.text for line in layer.block.lines for run in line.runs) for layer in texts]
        warning = texts[next(i for i, w in enumerate(words) if w in ("ספוילרים לעונה", "Spoilers for the season finale"))]
        percent = texts[words.index("75%")]
        bars = layers(layout, "bar")
        if rtl:
            assert mark.box[0] + mark.box[2] == pytest.approx(right) and warning.box[0] == pytest.approx(left)
            assert all(bar.box[0] + bar.box[2] == pytest.approx(right) for bar in bars) and bars[0].box[0] > left
            assert right - 20 < percent.box[0] + percent.box[2] < right
            assert near(image.getpixel(inside(bars[1].box, 0.04, 0.5)), theme("light").poll_bar, 4)
            title = texts[words.index("לרכוב")]
            assert title.box[0] + title.box[2] < percent.box[0]  # the option's words left of its share
            dark = [x for x in range(round(percent.box[0]), round(right)) if sum(image.getpixel((x, round(percent.box[1] + percent.box[3] / 2)))) < 300]
            assert dark, "the percentage is drawn where its layer says"
        else:
            assert mark.box[0] == pytest.approx(left) and warning.box[0] > mark.box[0]
            assert all(bar.box[0] == pytest.approx(left) for bar in bars) and percent.box[0] < 100
