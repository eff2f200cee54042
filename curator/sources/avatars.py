"""Avatars: downloaded once, capped, verified and re-encoded to PNG, stored by content hash.

Never hot-linked: cards and pages read ``testimonials/avatars/<hash>.png``. Anything odd (too
big, not an image, a decompression bomb) is refused with a clear message; the record then keeps
``avatar: null`` and cards draw initials.
"""
from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from .. import yamlio
from ..errors import SourceError
from ..store import AVATAR_DIR
from .http import Http
from .text import is_http_url

SIDE = 400  # stored size: enough for 2× cards and print at avatar scale


@dataclass(frozen=True)
class AvatarLimits:
    max_bytes: int = 2_000_000
    max_pixels: int = 16_000_000  # width × height before decoding; beyond is a bomb for an avatar


class AvatarRejected(Exception):
    """Why an avatar was not kept (one line for the pull summary)."""


def fetch_avatar(http: Http, url: str, store_root: Path, limits: AvatarLimits = AvatarLimits()) -> str:
    """Download ``url`` and store it; returns ``avatars/<sha256>.png``. Raises AvatarRejected."""
    if not is_http_url(url):
        raise AvatarRejected(f"avatar {url!r} is not an http(s) URL")
    data = _download(http, url, limits.max_bytes)
    png = to_png(data, limits)
    name = f"{AVATAR_DIR}/{hashlib.sha256(png).hexdigest()}.png"
    yamlio.write_atomic(store_root / name, png)
    return name


def _download(http: Http, url: str, max_bytes: int) -> bytes:
    try:
        response = http.request("GET", url, stream=True)
    except SourceError as err:
        raise AvatarRejected(f"avatar {url}: {err}") from None
    with response:
        if response.status_code != 200:
            raise AvatarRejected(f"avatar {url}: HTTP {response.status_code}")
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise AvatarRejected(f"avatar {url}: {int(declared)} bytes, more than the {max_bytes}-byte limit")
        chunks, size = [], 0
        try:
            for chunk in response.iter_content(64 * 1024):
                size += len(chunk)
                if size > max_bytes:
                    raise AvatarRejected(f"avatar {url}: more than the {max_bytes}-byte limit")
                chunks.append(chunk)
        except OSError as err:  # requests' streaming errors derive from IOError
            raise AvatarRejected(f"avatar {url}: download failed ({type(err).__name__})") from None
    return b"".join(chunks)


def to_png(data: bytes, limits: AvatarLimits = AvatarLimits()) -> bytes:
    """Verify and re-encode image bytes as a square-bounded RGBA PNG with fixed parameters."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                width, height = probe.size
                if width * height > limits.max_pixels:
                    raise AvatarRejected(
                        f"avatar is {width}×{height} pixels, more than the {limits.max_pixels}-pixel limit "
                        "(a decompression bomb?)")
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                image = image.convert("RGBA")
    except AvatarRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise AvatarRejected("avatar has too many pixels to decode safely (a decompression bomb?)") from None
    except UnidentifiedImageError as err:
        raise AvatarRejected(f"avatar is not a usable image ({type(err).__name__})") from None
    except (OSError, SyntaxError, ValueError) as err:  # Pillow reports broken files with these
        raise AvatarRejected(f"avatar is a broken image ({err})") from None
    image.thumbnail((SIDE, SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False, compress_level=9)
    return out.getvalue()
