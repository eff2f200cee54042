"""The images curator keeps: avatars, a post's media (photos; a video's or GIF's poster frame)
and custom emoji. One set of rules for all three: a byte cap, a pixel cap checked before
decoding (a decompression bomb is refused), real PNG, JPEG, WebP or GIF only (never SVG, a
script), re-encoded by curator with fixed parameters, stored under a name made of the hash of
the stored bytes.

Photos are stored as JPEG at quality 90, upright (their EXIF orientation applied): every browser
and Pillow read it, and Pillow decodes a JPEG straight at a reduced scale, so a card with four
photos draws about ten times faster than from WebP (25 ms against 2 ms to decode a 1600×1200
photo). A photo with transparent pixels (a screenshot, a sticker) is stored as PNG instead.
Avatars and emoji are small and often transparent: PNG.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

FORMATS = ("PNG", "JPEG", "WEBP", "GIF")  # what platforms serve; never SVG (a script) or odd formats


@dataclass(frozen=True)
class ImageKind:
    """What an image is for: where it is stored, how big it may be, how it is re-encoded."""

    name: str  # said in messages: "avatar", "medium", "emoji"
    directory: str  # under testimonials/
    max_side: int  # stored size bound (pixels, the longer side)
    format: str  # PNG, or JPEG for photos (PNG when they have transparent pixels)
    max_bytes: int
    max_pixels: int  # width × height before decoding; beyond is a bomb


AVATAR = ImageKind("avatar", "avatars", 400, "PNG", 2_000_000, 16_000_000)  # enough for 2× cards and print
# 2048 px: a full-width print at 300 dpi, and more than any platform serves for a post's photo.
MEDIUM = ImageKind("medium", "media", 2048, "JPEG", 16_000_000, 40_000_000)
EMOJI = ImageKind("emoji", "emoji", 128, "PNG", 1_000_000, 4_000_000)  # text size on a print card


class ImageRejected(Exception):
    """Why an image was not kept (one line for the pull summary)."""


@dataclass(frozen=True)
class Encoded:
    data: bytes
    width: int
    height: int
    extension: str  # png or jpg

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def reencode(data: bytes, kind: ImageKind = AVATAR) -> Encoded:
    """Verify ``data`` and re-encode it (first frame of an animation) within ``kind``'s bounds."""
    with _rejected_as(kind):
        _probe(io.BytesIO(data), kind, verify=True)
        with Image.open(io.BytesIO(data), formats=FORMATS) as opened:
            opened.seek(0)  # a GIF or animated WebP: its first frame, as the platforms' posters are
            opened.load()
            image = ImageOps.exif_transpose(opened).convert("RGBA")  # upright: the EXIF is not kept
    image.thumbnail((kind.max_side, kind.max_side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if kind.format == "JPEG" and image.getchannel("A").getextrema() == (255, 255):
        image.convert("RGB").save(out, format="JPEG", quality=90, optimize=True)
        return Encoded(out.getvalue(), image.width, image.height, "jpg")
    image.save(out, format="PNG", optimize=False, compress_level=9)
    return Encoded(out.getvalue(), image.width, image.height, "png")


def store_image(data: bytes, root: Path, kind: ImageKind) -> tuple[str, Encoded]:
    """Re-encode and write under ``root``; returns (``<directory>/<sha256>.<ext>``, the image)."""
    from . import yamlio

    encoded = reencode(data, kind)
    name = f"{kind.directory}/{encoded.sha256}.{encoded.extension}"
    yamlio.write_atomic(root / name, encoded.data)
    return name, encoded


def stored_image_problem(path: Path, kind: ImageKind = AVATAR, decode: bool = True) -> str | None:
    """Why the file at ``path`` may not be published (None: a real image within limits).
    ``decode=False`` reads the header only (format and size): what a build can afford for every
    published image; ``curator check`` decodes each one."""
    try:
        with _rejected_as(kind):
            _probe(path, kind, verify=decode)
            if decode:  # every pixel, not re-encoded: a check of 10,000 images stays quick
                with Image.open(path, formats=FORMATS) as image:
                    image.load()
    except ImageRejected as err:
        return str(err)
    except OSError as err:
        return f"cannot be read ({err.strerror})"
    return None


def _probe(source, kind: ImageKind, verify: bool) -> None:
    """Open ``source`` as an allowed format and refuse it beyond the pixel limit, before decoding."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(source, formats=FORMATS) as probe:
            width, height = probe.size
            if width * height > kind.max_pixels:
                raise ImageRejected(
                    f"{kind.name} is {width}×{height} pixels, more than the {kind.max_pixels}-pixel "
                    "limit (a decompression bomb?)"
                )
            if verify:
                probe.verify()


@contextmanager
def _rejected_as(kind: ImageKind) -> Iterator[None]:
    """Pillow's ways of saying a file is no usable image, as one ImageRejected line."""
    try:
        yield
    except ImageRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRejected(f"{kind.name} has too many pixels to decode safely (a decompression bomb?)") from None
    except UnidentifiedImageError as err:
        raise ImageRejected(f"{kind.name} is not a PNG, JPEG, WebP or GIF image ({type(err).__name__})") from None
    except (OSError, SyntaxError, ValueError, EOFError) as err:  # Pillow reports broken files with these
        raise ImageRejected(f"{kind.name} is a broken image ({err})") from None
