"""Pictures for whole posts, drawn with Pillow: no real photo, no real person.

Tests use them to build stores with media; run as a script, it (re)writes the sample wall's two
whole posts' files under testimonials/media/ and testimonials/emoji/ (content-addressed)."""
from __future__ import annotations

import hashlib
import io
from pathlib import Path

from PIL import Image, ImageDraw


def scene(width: int = 960, height: int = 720, hue: int = 0) -> Image.Image:
    """A product photo-like scene: a lit wall over a desk, a tablet showing a notes app, a mug
    (drawn at 960×720, then scaled to the size asked for)."""
    if (width, height) != (960, 720):
        return scene(hue=hue).resize((width, height), Image.Resampling.LANCZOS)
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    desk = int(height * 0.62)
    for y in range(height):  # warm light from above, the desk darker towards the viewer
        t = y / height
        wall = (int(236 - 40 * t + hue), int(226 - 46 * t), int(210 - 60 * t))
        wood = (int(150 - 50 * t), int(104 - 40 * t), int(70 - 30 * t + hue // 2))
        draw.line([(0, y), (width, y)], fill=wall if y < desk else wood)
    tablet = (int(width * 0.22), int(height * 0.30), int(width * 0.70), int(height * 0.86))
    draw.rounded_rectangle(tablet, radius=height // 30, fill=(34, 38, 46))
    screen = (tablet[0] + 14, tablet[1] + 14, tablet[2] - 14, tablet[3] - 14)
    draw.rounded_rectangle(screen, radius=height // 60, fill=(250, 250, 247))
    for row in range(7):  # lines of notes, the first a heading
        y = screen[1] + 24 + row * (screen[3] - screen[1] - 40) // 7
        right = screen[2] - 30 - (row * 37 % 90)
        draw.rounded_rectangle((screen[0] + 24, y, right, y + (12 if row else 18)), radius=5,
                               fill=(60, 110, 220) if row == 0 else (190, 194, 200))
    mug = (int(width * 0.76), int(height * 0.52), int(width * 0.90), int(height * 0.74))
    draw.rounded_rectangle(mug, radius=12, fill=(200, 70 + hue, 60))
    draw.arc((mug[2] - 18, mug[1] + 20, mug[2] + 26, mug[1] + 70), 270, 90, fill=(200, 70 + hue, 60), width=9)
    return image


def emoji(size: int = 64) -> Image.Image:
    """A custom emoji: a small blue notebook with a white line, on transparency."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((size // 8, size // 16, size - size // 8, size - size // 16), radius=size // 8, fill=(40, 100, 220, 255))
    for row in range(3):
        y = size // 3 + row * size // 6
        draw.line((size // 4, y, size - size // 4, y), fill=(255, 255, 255, 255), width=max(2, size // 16))
    return image


def encoded(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **({"quality": 85} if fmt == "JPEG" else {"optimize": False}))
    return out.getvalue()


def store_file(store: Path, folder: str, data: bytes, ext: str) -> tuple[str, str]:
    """Write ``data`` content-addressed under ``store/folder``; the record's (path, digest)."""
    hexdigest = hashlib.sha256(data).hexdigest()
    path = f"{folder}/{hexdigest}.{ext}"
    (store / folder).mkdir(parents=True, exist_ok=True)
    (store / path).write_bytes(data)
    return path, f"sha256-{hexdigest}"


if __name__ == "__main__":
    store = Path(__file__).resolve().parent.parent / "testimonials"
    for hue in (0, 30):
        print(store_file(store, "media", encoded(scene(hue=hue), "JPEG"), "jpg"))
    print(store_file(store, "emoji", encoded(emoji(), "PNG"), "png"))
