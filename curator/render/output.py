"""Encoding: PNG (sRGB ICC, DPI, no timestamps), lossless PDF with Trim/BleedBox, CMYK TIFF,
and the brochure (contact sheet) PDF with crop marks.

PNG cannot hold CMYK, and Pillow's ``convert("CMYK")`` is not colour-managed (K is always 0),
so CMYK is only written through the printer's own ICC profile.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from PIL import Image, ImageCms, ImageDraw

from ..errors import UsageError
from ..yamlio import write_atomic  # noqa: F401  (one atomic writer for the whole package)
from .card import Rendered

# zlib level 4 with the default strategy, not Pillow's PNG default (level 6, Z_FILTERED): on
# cards (flat colours, anti-aliased text) it encodes in 0.87 of the time and writes files 4.4%
# smaller (embeds 5-6%, the 1200×675 card 1%). Z_FILTERED only helps photos. Level 3 would be
# 0.62 of the time but 7% larger (the 1200×675 card 11%).
PNG_LEVEL = 4
PNG_STRATEGY = 0  # zlib's Z_DEFAULT_STRATEGY
PAPER_MM = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}
MM_PER_INCH = 25.4


def srgb_profile() -> bytes:
    """LittleCMS's sRGB profile with its creation date pinned, so files are byte-identical."""
    data = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    data[24:36] = bytes.fromhex("07d0" "0001" "0001" "0000" "0000" "0000")  # 2000-01-01 00:00:00
    return bytes(data)


_SRGB = srgb_profile()


def flatten(image: Image.Image) -> Image.Image:
    """RGB when every pixel is opaque (smaller, faster); RGBA only where corners are transparent."""
    if image.mode == "RGBA" and image.getchannel("A").getextrema() == (255, 255):
        return image.convert("RGB")
    return image


def png_bytes(rendered: Rendered) -> bytes:
    image = flatten(rendered.image)
    options = {"compress_level": PNG_LEVEL, "compress_type": PNG_STRATEGY, "icc_profile": _SRGB}
    if rendered.dpi:
        options["dpi"] = (rendered.dpi, rendered.dpi)
    out = io.BytesIO()
    image.save(out, "PNG", **options)
    return out.getvalue()


def pdf_bytes(rendered: Rendered) -> bytes:
    """The PNG itself inside a PDF (img2pdf: no JPEG), page = trim + bleed, Trim/BleedBox set."""
    import img2pdf

    png = png_bytes(rendered)
    # img2pdf's own writer: the pikepdf engine (used when installed) writes a random trailer /ID.
    options = {"nodate": True, "engine": img2pdf.Engine.internal}
    if rendered.trim_bleed:
        bleed_pt = rendered.trim_bleed[1] / MM_PER_INCH * 72
        options["trimborder"] = (bleed_pt, bleed_pt)
        options["bleedborder"] = (0, 0)
    return img2pdf.convert(png, **options)


def require_cmyk_profile(cmyk_profile: Path | str | None) -> None:
    if cmyk_profile is None:
        raise UsageError("TIFF is written in CMYK and CMYK needs your printer's ICC profile: pass "
                         "--cmyk-profile FILE.icc (e.g. ISO Coated v2 / FOGRA39, GRACoL); without one use "
                         "--format png or pdf (RGB + sRGB profile; the print shop's RIP converts it)")


def tiff_bytes(rendered: Rendered, cmyk_profile: Path | None) -> bytes:
    require_cmyk_profile(cmyk_profile)
    try:
        target = ImageCms.getOpenProfile(str(cmyk_profile))
    except (OSError, ImageCms.PyCMSError) as err:
        raise UsageError(f"{cmyk_profile}: not a readable ICC profile ({err})") from None
    rgb = flatten(rendered.image).convert("RGB")
    try:
        cmyk = ImageCms.profileToProfile(rgb, ImageCms.ImageCmsProfile(io.BytesIO(_SRGB)), target,
                                         renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC, outputMode="CMYK")
    except ImageCms.PyCMSError as err:
        raise UsageError(f"{cmyk_profile}: cannot convert to CMYK with this profile ({err}); is it a CMYK output profile?") from None
    out = io.BytesIO()
    cmyk.save(out, "TIFF", compression="tiff_lzw", dpi=(rendered.dpi or 300,) * 2,
              icc_profile=Path(cmyk_profile).read_bytes())  # the printer's profile, byte for byte
    return out.getvalue()


def encode(rendered: Rendered, fmt: str, cmyk_profile: Path | None = None) -> bytes:
    if fmt == "png":
        return png_bytes(rendered)
    if fmt == "pdf":
        return pdf_bytes(rendered)
    if fmt == "tiff":
        return tiff_bytes(rendered, cmyk_profile)
    raise UsageError(f"unknown format {fmt!r}; use png, pdf or tiff")


# --- brochure --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sheet:
    paper: str = "a4"
    dpi: int = 300
    margin_mm: float = 12
    gutter_mm: float = 8  # room between cards for the crop marks
    mark_mm: float = 4


def brochure_pdf(cards: Iterable[Rendered], sheet: Sheet = Sheet()) -> bytes:
    """Print cards (each trim + bleed) packed in rows on A4/Letter pages, crop marks at each trim.

    ``cards`` may be a generator: one card and one page are held in memory at a time (an A4
    page at 300 dpi is 26 MB of pixels), each finished page is kept only as PNG bytes."""
    if sheet.paper not in PAPER_MM:
        raise UsageError(f"unknown paper {sheet.paper!r}; use {' or '.join(PAPER_MM)}")
    import img2pdf

    px = lambda mm: round(mm / MM_PER_INCH * sheet.dpi)  # noqa: E731
    page_w, page_h = (px(v) for v in PAPER_MM[sheet.paper])
    encoded, page, x, y, row_h = [], None, px(sheet.margin_mm), px(sheet.margin_mm), 0
    for card in cards:
        image = flatten(card.image).convert("RGB")
        if card.dpi != sheet.dpi:
            raise UsageError(f"brochure cards must be rendered at {sheet.dpi} dpi")
        if image.width > page_w - 2 * px(sheet.margin_mm):
            raise UsageError("a card is wider than the page; use a smaller --width for the brochure")
        if page is not None and x + image.width > page_w - px(sheet.margin_mm):
            x, y, row_h = px(sheet.margin_mm), y + row_h + px(sheet.gutter_mm), 0
        if page is None or y + image.height > page_h - px(sheet.margin_mm):
            if page is not None:
                encoded.append(_page_png(page, sheet))
            page = Image.new("RGB", (page_w, page_h), "#FFFFFF")
            x, y, row_h = px(sheet.margin_mm), px(sheet.margin_mm), 0
        page.paste(image, (x, y))
        bleed = px(card.trim_bleed[1]) if card.trim_bleed else 0
        _crop_marks(page, (x + bleed, y + bleed, x + image.width - bleed, y + image.height - bleed), bleed,
                    px(sheet.mark_mm))
        x += image.width + px(sheet.gutter_mm)
        row_h = max(row_h, image.height)
    if page is None:
        raise UsageError("nothing to put in the brochure: no publishable cards for the print channel")
    encoded.append(_page_png(page, sheet))
    return img2pdf.convert(encoded, nodate=True, engine=img2pdf.Engine.internal)  # deterministic /ID


def _page_png(page: Image.Image, sheet: Sheet) -> bytes:
    out = io.BytesIO()
    page.save(out, "PNG", compress_level=PNG_LEVEL, compress_type=PNG_STRATEGY, icc_profile=_SRGB,
              dpi=(sheet.dpi, sheet.dpi))
    return out.getvalue()


def _crop_marks(page: Image.Image, trim: tuple[int, int, int, int], bleed: int, length: int) -> None:
    """Hairline marks on the trim lines, starting outside the bleed (never on the artwork)."""
    draw = ImageDraw.Draw(page)
    left, top, right, bottom = trim
    gap = bleed + 2
    for x in (left, right):
        draw.line([(x, top - gap - length), (x, top - gap)], fill="#000000", width=1)
        draw.line([(x, bottom + gap), (x, bottom + gap + length)], fill="#000000", width=1)
    for y in (top, bottom):
        draw.line([(left - gap - length, y), (left - gap, y)], fill="#000000", width=1)
        draw.line([(right + gap, y), (right + gap + length, y)], fill="#000000", width=1)
