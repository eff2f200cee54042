"""Avatars: the initials a card shows when a post's author has no picture (and the sample
store's faces). Keeping avatar images (verified, re-encoded) is ``curator.images``' job."""

from __future__ import annotations

import hashlib
import unicodedata

from PIL import Image, ImageDraw, ImageFont

# Mid-tone colours that keep white initials above 4.5:1 contrast.
_PALETTE = ("#1D6FA5", "#7A4CC2", "#B0421F", "#2E7D4F", "#A3366B", "#5B6B10", "#0F7C7C", "#8A5A00")


def initials(name: str, handle: str | None = None, any_script: bool = False) -> str:
    """Up to two letters: 'Jane Doe' → 'JD', 'ñandú' → 'Ñ'.

    The avatar image font is Latin-only, so there a name in another script ('佐藤 花子') takes
    its letter from the handle ('@hanako_sato' → 'H') rather than drawing a missing glyph.
    Cards draw with a font chain that covers every script: ``any_script`` keeps the name's own
    letters ('ليلى حسن' → 'لح', '佐藤 花子' → '佐花').
    """
    wanted = str.isalnum if any_script else _is_latin

    def letters(text: str) -> str:
        words = [w for w in text.replace("_", " ").replace(".", " ").split() if wanted(w.lstrip("@")[:1])]
        return "".join(w.lstrip("@")[0] for w in words[:2]).upper()

    return letters(name) or letters(handle or "")[:1] or "?"


def _is_latin(char: str) -> bool:
    return bool(char) and (char.isdigit() or unicodedata.name(char, "").startswith("LATIN"))


def colour_for(key: str) -> str:
    """A stable colour per author (same key, same colour on every machine)."""
    return _PALETTE[hashlib.sha256(key.encode()).digest()[0] % len(_PALETTE)]


def initials_avatar(name: str, size: int, key: str | None = None, handle: str | None = None) -> Image.Image:
    """A square RGB image: initials in white on a colour derived from ``key`` (default: name)."""
    image = Image.new("RGB", (size, size), colour_for(key or name))
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=round(size * 0.42))
    draw.text((size / 2, size / 2), initials(name, handle), fill="#FFFFFF", font=font, anchor="mm")
    return image
