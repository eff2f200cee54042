"""Avatars: the images curator keeps (verified, re-encoded) and the initials a card shows when
there is none (and the sample store's faces)."""

from __future__ import annotations

import hashlib
import io
import unicodedata
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, UnidentifiedImageError

SIDE = 400  # stored size: enough for 2× cards and print at avatar scale
FORMATS = ("PNG", "JPEG", "WEBP", "GIF")  # what platforms serve; never SVG (a script) or odd formats

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


@dataclass(frozen=True)
class AvatarLimits:
    max_bytes: int = 2_000_000
    max_pixels: int = 16_000_000  # width × height before decoding; beyond is a bomb for an avatar


class AvatarRejected(Exception):
    """Why an avatar was not kept (one line for the pull summary)."""


def to_png(data: bytes, limits: AvatarLimits = AvatarLimits()) -> bytes:
    """Verify and re-encode image bytes as a square-bounded RGBA PNG with fixed parameters."""
    with _rejected_as_avatar():
        _probe(io.BytesIO(data), limits, verify=True)
        with Image.open(io.BytesIO(data), formats=FORMATS) as opened:
            opened.load()
            image = opened.convert("RGBA")
    image.thumbnail((SIDE, SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False, compress_level=9)
    return out.getvalue()


def stored_avatar_problem(path: Path, limits: AvatarLimits = AvatarLimits(), decode: bool = True) -> str | None:
    """Why the avatar file at ``path`` may not be published (None: a real image within limits).
    ``decode=False`` reads the header only (format and size): what a build can afford for every
    published avatar; ``curator check`` decodes each one."""
    try:
        with _rejected_as_avatar():
            _probe(path, limits, verify=decode)
            if decode:  # every pixel, not re-encoded: a check of 10,000 avatars stays quick
                with Image.open(path, formats=FORMATS) as image:
                    image.load()
    except AvatarRejected as err:
        return str(err)
    except OSError as err:
        return f"cannot be read ({err.strerror})"
    return None


def _probe(source, limits: AvatarLimits, verify: bool) -> None:
    """Open ``source`` as an allowed format and refuse it beyond the pixel limit, before decoding."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(source, formats=FORMATS) as probe:
            width, height = probe.size
            if width * height > limits.max_pixels:
                raise AvatarRejected(
                    f"avatar is {width}×{height} pixels, more than the {limits.max_pixels}-pixel "
                    "limit (a decompression bomb?)"
                )
            if verify:
                probe.verify()


@contextmanager
def _rejected_as_avatar() -> Iterator[None]:
    """Pillow's ways of saying a file is no usable image, as one AvatarRejected line."""
    try:
        yield
    except AvatarRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise AvatarRejected("avatar has too many pixels to decode safely (a decompression bomb?)") from None
    except UnidentifiedImageError as err:
        raise AvatarRejected(f"avatar is not a PNG, JPEG, WebP or GIF image ({type(err).__name__})") from None
    except (OSError, SyntaxError, ValueError) as err:  # Pillow reports broken files with these
        raise AvatarRejected(f"avatar is a broken image ({err})") from None
