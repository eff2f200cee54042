"""Encoding: PNG (sRGB ICC, DPI, no timestamps), lossless PDF with Trim/BleedBox, CMYK TIFF,
and the brochure (contact sheet) PDF with crop marks.

PNG cannot hold CMYK, and Pillow's ``convert("CMYK")`` is not colour-managed (K is always 0),
so CMYK is only written through the printer's own ICC profile.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Iterable

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
    data[24:36] = bytes.fromhex("07d000010001000000000000")  # 2000-01-01 00:00:00
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


def require_cmyk_profile(cmyk_profile: Path | str | None) -> Path:
    """The printer's profile, or a usage error saying why TIFF needs one."""
    if cmyk_profile is None:
        raise UsageError(
            "TIFF is written in CMYK and CMYK needs your printer's ICC profile: pass "
            "--cmyk-profile FILE.icc (e.g. ISO Coated v2 / FOGRA39, GRACoL); without one use "
            "--format png or pdf (RGB + sRGB profile; the print shop's RIP converts it)"
        )
    return Path(cmyk_profile)


def tiff_bytes(rendered: Rendered, cmyk_profile: Path | None) -> bytes:
    cmyk_profile = require_cmyk_profile(cmyk_profile)
    try:
        target = ImageCms.getOpenProfile(str(cmyk_profile))
    except (OSError, ImageCms.PyCMSError) as err:
        raise UsageError(f"{cmyk_profile}: not a readable ICC profile ({err})") from None
    rgb = flatten(rendered.image).convert("RGB")
    try:
        cmyk = ImageCms.profileToProfile(
            rgb,
            ImageCms.ImageCmsProfile(io.BytesIO(_SRGB)),
            target,
            renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
            outputMode="CMYK",
        )
    except ImageCms.PyCMSError as err:
        raise UsageError(
            f"{cmyk_profile}: cannot convert to CMYK with this profile ({err}); is it a CMYK output profile?"
        ) from None
    if cmyk is None:  # only asked for an image back (inPlace=False), it always gives one
        raise UsageError(f"{cmyk_profile}: the conversion to CMYK gave no image")
    out = io.BytesIO()
    cmyk.save(
        out, "TIFF", compression="tiff_lzw", dpi=(rendered.dpi or 300,) * 2, icc_profile=Path(cmyk_profile).read_bytes()
    )  # the printer's profile, byte for byte
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
    gutter_mm: float = 8  # between cards, across and down: room for the crop marks
    mark_mm: float = 4
    columns: int | None = None  # None: as many as fit at the cards' width

    def usable_mm(self) -> float:
        return PAPER_MM[self.paper][0] - 2 * self.margin_mm

    def columns_for(self, card_mm: float) -> int:
        """How many cards ``card_mm`` wide (trim + bleed) fit side by side."""
        return self.columns or max(1, int((self.usable_mm() + self.gutter_mm) // (card_mm + self.gutter_mm)))

    def trim_width_mm(self, columns: int, bleed_mm: float) -> float:
        """The trim width at which ``columns`` cards fill the page's width."""
        return (self.usable_mm() - (columns - 1) * self.gutter_mm) / columns - 2 * bleed_mm


def brochure_pdf(cards: Iterable[Rendered], sheet: Sheet = Sheet()) -> bytes:
    """Print cards (each trim + bleed) in rows on A4/Letter pages, crop marks at each trim: as
    many columns as fit at the first card's width (or ``sheet.columns``), the rows centred on
    the page with even gutters, across and down.

    ``cards`` may be a generator: one card and one page are held in memory at a time (an A4
    page at 300 dpi is 26 MB of pixels), each finished page is kept only as PNG bytes."""
    if sheet.paper not in PAPER_MM:
        raise UsageError(f"unknown paper {sheet.paper!r}; use {' or '.join(PAPER_MM)}")
    import img2pdf

    px = lambda mm: round(mm / MM_PER_INCH * sheet.dpi)  # noqa: E731
    page_w, page_h = (px(v) for v in PAPER_MM[sheet.paper])
    margin = px(sheet.margin_mm)
    encoded: list[bytes] = []
    page, row, y = None, [], margin
    columns = None
    for card in cards:
        image = flatten(card.image).convert("RGB")
        if card.dpi != sheet.dpi:
            raise UsageError(f"brochure cards must be rendered at {sheet.dpi} dpi")
        if image.width > page_w - 2 * margin:
            raise UsageError("a card is wider than the page; use a smaller --width or fewer --columns for the brochure")
        columns = columns or sheet.columns_for(image.width / sheet.dpi * MM_PER_INCH)
        bleed = px(card.trim_bleed[1]) if card.trim_bleed else 0
        row.append((image, bleed))
        if len(row) == columns:
            page, y = _place_row(row, page, y, encoded, sheet, (page_w, page_h), px)
            row = []
    if row:
        page, y = _place_row(row, page, y, encoded, sheet, (page_w, page_h), px)
    if page is None:
        raise UsageError("nothing to put in the brochure: no publishable cards for the print channel")
    encoded.append(_page_png(page, sheet))
    return img2pdf.convert(encoded, nodate=True, engine=img2pdf.Engine.internal)  # deterministic /ID


def _place_row(
    row: list, page: Image.Image | None, y: int, encoded: list[bytes], sheet: Sheet, size: tuple[int, int], px
) -> tuple[Image.Image, int]:
    """Paste a row of (image, bleed) centred across the page at ``y``, on a new page when it does
    not fit below; returns the page and the next row's top."""
    page_w, page_h = size
    margin, gutter = px(sheet.margin_mm), px(sheet.gutter_mm)
    height = max(image.height for image, _ in row)
    if page is None or y + height > page_h - margin:
        if page is not None:
            encoded.append(_page_png(page, sheet))
        page, y = Image.new("RGB", size, "#FFFFFF"), margin
    x = (page_w - sum(image.width for image, _ in row) - gutter * (len(row) - 1)) // 2
    for image, bleed in row:
        page.paste(image, (x, y))
        _crop_marks(
            page, (x + bleed, y + bleed, x + image.width - bleed, y + image.height - bleed), bleed, px(sheet.mark_mm)
        )
        x += image.width + gutter
    return page, y + height + gutter


def _page_png(page: Image.Image, sheet: Sheet) -> bytes:
    out = io.BytesIO()
    page.save(
        out, "PNG", compress_level=PNG_LEVEL, compress_type=PNG_STRATEGY, icc_profile=_SRGB, dpi=(sheet.dpi, sheet.dpi)
    )
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
