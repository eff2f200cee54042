"""Fictitious whole posts for the card tests and the guide's picture: images are generated here
(gradients and shapes drawn with Pillow), written content-addressed into a store folder.

    python tests/whole_post_samples.py   # rewrites docs/assets/cards/whole-post.png
"""
from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parent))

from render_samples import record  # noqa: E402

from curator.model import Testimonial  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
COLOURS = ("#E4572E", "#17BEBB", "#FFC914", "#2E282A", "#76B041", "#6C4AB6")


def picture(size: tuple[int, int], colour: str, seed: int = 0) -> Image.Image:
    """A gradient with a few shapes: something a grid cell visibly shows, and that compresses like a photo."""
    width, height = size
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    tinted = Image.new("RGB", size, colour)
    image = Image.blend(image, tinted, 0.6)
    draw = ImageDraw.Draw(image)
    for n in range(4):
        x, y = (seed * 37 + n * 97) % max(1, width - 40), (seed * 53 + n * 61) % max(1, height - 40)
        draw.ellipse((x, y, x + width // 5, y + height // 5), fill=COLOURS[(seed + n) % len(COLOURS)])
    return image


def store_file(store_root: Path, folder: str, image: Image.Image, fmt: str = "png") -> tuple[str, str]:
    """Write ``image`` content-addressed into ``store_root/folder``: (path for the record, digest)."""
    import io

    data = io.BytesIO()
    image.save(data, {"jpg": "JPEG", "png": "PNG", "webp": "WEBP"}[fmt], **({"quality": 90} if fmt == "jpg" else {}))
    digest = hashlib.sha256(data.getvalue()).hexdigest()
    (store_root / folder).mkdir(parents=True, exist_ok=True)
    (store_root / folder / f"{digest}.{fmt}").write_bytes(data.getvalue())
    return f"{folder}/{digest}.{fmt}", f"sha256-{digest}"


def media(store_root: Path, kind: str = "image", size: tuple[int, int] = (800, 600), seed: int = 0, alt: str = "",
          fmt: str = "jpg", fill: str | None = None) -> dict:
    """A media entry and its file; ``fill``: one flat colour (PNG, so exact), for pixel tests."""
    image = Image.new("RGB", size, fill) if fill else picture(size, COLOURS[seed % len(COLOURS)], seed)
    path, digest = store_file(store_root, "media", image, "png" if fill else fmt)
    return {"type": kind, "path": path, "digest": digest, "alt": alt, "width": size[0], "height": size[1]}


def emoji(store_root: Path, shortcode: str, colour: str = "#E4572E") -> dict:
    image = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((2, 2, 61, 61), fill=colour)
    path, digest = store_file(store_root, "emoji", image)
    return {"shortcode": shortcode, "path": path, "digest": digest}


def whole_post(store_root: Path, record_id: str = "whole-post", **fields) -> Testimonial:
    """A post with everything: CW, text with a custom emoji, four images (a video and a GIF among
    them), a poll, a quoted post. ``fields`` replace any of them."""
    parts = {
        "warning": "Spoilers for the season finale",
        "media": [media(store_root, "image", (1200, 800), 0, "A red bicycle against a brick wall"),
                  media(store_root, "video", (1280, 720), 1, "The ride along the river"),
                  media(store_root, "gif", (480, 480), 2, "A dog wagging its tail"),
                  media(store_root, "image", (600, 900), 3, "The receipt")],
        "poll": {"options": [{"title": "Ride to work", "votes": 30}, {"title": "Ride at weekends", "votes": 10}],
                 "closed": True},
        "quote": {"author": {"name": "Bo Lindqvist", "handle": "@bo@bikes.example"},
                  "text": "Our new frame is out today.", "url": "https://bikes.example/@bo/1"},
        "emoji": [emoji(store_root, "bike")],
    }
    parts.update(fields)
    return record(record_id, fields.pop("text", "Picked up my new bike today :bike: and it rides like a dream!"),
                  name="Mira Quill :bike:", **{k: v for k, v in parts.items() if k != "text"})


GUIDE_PICTURE = REPO / "docs" / "assets" / "cards" / "whole-post.png"


def guide_picture() -> bytes:
    """The guide's whole-post card (docs/designers.md), as PNG bytes."""
    import tempfile

    from curator.render import output
    from curator.render.batch import Job, Options, Settings, render_one
    from curator.render.card import card_data

    with tempfile.TemporaryDirectory() as folder:
        store = Path(folder)
        job = Job(card_data(whole_post(store), store), Options(size="embed", theme="light", scale=1), None)
        return output.encode(render_one(job, Settings()), "png")


def main() -> None:
    data = guide_picture()
    GUIDE_PICTURE.write_bytes(data)
    print(f"wrote {GUIDE_PICTURE} ({len(data):,} bytes)")


if __name__ == "__main__":
    main()
