"""Fonts for cards: the fallback chain, coverage (cmap) checks and hashing (glyphs.py loads them).

Where fonts come from, in the order a grapheme tries them:

1. ``cards.fonts`` in config: the brand's own files (tried first, so they win for Latin).
2. Fonts installed by pip (``fontpkg-*`` packages, OFL): Inter, Noto Sans Arabic, Heebo
   (Hebrew), Noto Sans Devanagari, Noto Sans Thai, then Noto Sans for what is left.
3. ``cards.fallback_fonts`` in config: files tried after the bundled ones (e.g. a CJK font).
4. System fonts found through fontconfig: Noto Sans CJK in the post's language variant
   (Debian ``fonts-noto-cjk``), then DejaVu Sans for stray symbols.

Nothing here touches the network; a font that is not installed is simply not in the chain and
``curator doctor`` says how to install it.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import uharfbuzz as hb

from ..errors import CuratorError

# (fontpkg family slug, pip package, what it is for). Order matters: first covering font wins.
PIP_FONTS = (
    ("inter", "fontpkg-inter", "Latin, Greek, Cyrillic (the card face)"),
    ("noto-sans-arabic", "fontpkg-noto-sans-arabic", "Arabic, Persian, Urdu"),
    ("heebo", "fontpkg-heebo", "Hebrew"),
    ("noto-sans-devanagari", "fontpkg-noto-sans-devanagari", "Hindi, Marathi, Nepali (Devanagari)"),
    ("noto-sans-thai", "fontpkg-noto-sans-thai", "Thai"),
    ("noto-sans", "fontpkg-noto-sans", "extended Latin, Greek, Cyrillic, IPA"),
)

# Han characters look different per region: pick the CJK face from the post's language.
CJK_FAMILIES = {
    "ja": "Noto Sans CJK JP",
    "ko": "Noto Sans CJK KR",
    "zh-tw": "Noto Sans CJK TC",
    "zh-hk": "Noto Sans CJK HK",
    "zh": "Noto Sans CJK SC",
}
DEFAULT_CJK = "Noto Sans CJK JP"
SYMBOL_FAMILY = "DejaVu Sans"
CJK_SCRIPTS = {"Han", "Hiragana", "Katakana", "Hangul", "Bopomofo"}
INSTALL_CJK = (
    "install Noto Sans CJK: apt-get install fonts-noto-cjk (Debian/Ubuntu), dnf install "
    "google-noto-sans-cjk-fonts (Fedora), brew install --cask font-noto-sans-cjk (macOS); or name a CJK "
    "font file in `cards.fallback_fonts`"
)

# Code points that never need a glyph of their own: joiners, variation selectors, tags.
_IGNORABLE = {0x200C, 0x200D, 0x2060, 0xFE0E, 0xFE0F} | set(range(0xFE00, 0xFE10)) | set(range(0xE0100, 0xE01F0))


@dataclass(frozen=True)
class FontFace:
    """One font file (and face index in a collection) at one weight."""

    name: str
    path: str
    index: int = 0
    weight: int = 400
    licence: str = ""

    @property
    def key(self) -> tuple:
        return (self.path, self.index, self.weight)


def pip_faces(weight: int) -> list[FontFace]:
    """The fontpkg families that are installed, at ``weight`` (all are variable fonts)."""
    return list(_pip_faces(weight))


@functools.cache  # installed packages do not change while we run; fontpkg lookups are not free
def _pip_faces(weight: int) -> tuple[FontFace, ...]:
    faces: list[FontFace] = []
    try:
        import fontpkg
    except ImportError:
        return ()
    for slug, _package, _purpose in PIP_FONTS:
        try:
            family = fontpkg.family(slug)
            path = fontpkg.path(slug, weight=weight, nearest=True)
        except fontpkg.FontpkgError:
            continue
        faces.append(FontFace(family.name, str(path), 0, weight, family.license))
    return tuple(faces)


@functools.cache
def fontconfig_face(family: str, bold: bool) -> tuple[str, int] | None:
    """(file, index) of an installed family via ``fc-match``, or None if it is not installed."""
    if not shutil.which("fc-match"):
        return None
    pattern = f"{family}:weight={'bold' if bold else 'regular'}"
    try:
        found = subprocess.run(
            ["fc-match", "-f", "%{family}\t%{file}\t%{index}", pattern],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    families, _, rest = found.partition("\t")
    path, _, index = rest.partition("\t")
    # fc-match always answers with *something*; only accept the family we asked for.
    if family.lower() not in [name.strip().lower() for name in families.split(",")] or not path:
        return None
    return path, int(index or 0)


def cjk_family(lang: str | None) -> str:
    lang = (lang or "").lower().replace("_", "-")
    return CJK_FAMILIES.get(lang) or CJK_FAMILIES.get(lang.split("-")[0]) or DEFAULT_CJK


def system_faces(lang: str | None, weight: int) -> list[FontFace]:
    matches = _system_matches(cjk_family(lang))
    return [
        FontFace(family, match[0], match[1], weight, "system font")
        for (family, bold), match in matches.items()
        if bold == (weight >= 600) and match
    ]


@functools.cache
def _system_matches(cjk: str) -> dict[tuple[str, bool], tuple[str, int] | None]:
    """fc-match's answers for ``cjk`` and the symbol family, regular and bold, in chain order.
    Each is a process, mostly waiting: side by side, the four cost about one."""
    patterns = [(family, bold) for family in (cjk, SYMBOL_FAMILY) for bold in (False, True)]
    with ThreadPoolExecutor(len(patterns)) as pool:
        return dict(zip(patterns, pool.map(fontconfig_face, *zip(*patterns, strict=True)), strict=True))


def user_faces(paths: tuple[str, ...], root: Path, weight: int) -> list[FontFace]:
    faces = []
    for item in paths:
        path = Path(item) if Path(item).is_absolute() else root / item
        if not path.is_file():
            raise CuratorError(
                f"font file {path} (named in the `cards` config) does not exist; fix the path, relative to mkdocs.yml"
            )
        faces.append(FontFace(path.stem, str(path), 0, weight, "configured"))
    return faces


def font_chain(
    lang: str | None, weight: int, first: tuple[str, ...] = (), last: tuple[str, ...] = (), root: Path = Path(".")
) -> tuple[FontFace, ...]:
    """The ordered fallback chain for one post language and weight."""
    return tuple(
        user_faces(first, root, weight)
        + pip_faces(weight)
        + user_faces(last, root, weight)
        + system_faces(lang, weight)
    )


@functools.lru_cache(maxsize=64)
def hb_face(path: str, index: int) -> hb.Face:
    """The font file as HarfBuzz reads it (mapped, not read): safe to share between threads."""
    return hb.Face(hb.Blob.from_file_path(path), index)


@functools.lru_cache(maxsize=64)
def coverage(path: str, index: int) -> frozenset[int]:
    """Every code point the font maps to a glyph (its cmap, read by HarfBuzz: far faster than
    fontTools for a CJK collection; once per worker process)."""
    return frozenset(hb_face(path, index).unicodes)


def covers(face: FontFace, cluster: str) -> bool:
    cmap = coverage(face.path, face.index)
    return all(ord(ch) in cmap or ord(ch) in _IGNORABLE for ch in cluster)


@functools.lru_cache(maxsize=64)
def _file_digest(path: str, size: int, mtime: float) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def file_digest(path: str) -> str:
    """sha256 of a font file (memoised per size+mtime: CJK collections are 20 MB)."""
    stat = Path(path).stat()
    return _file_digest(path, stat.st_size, stat.st_mtime)


def pip_package_installed(package: str) -> bool:
    return importlib.util.find_spec(package.replace("-", "_")) is not None


def how_to_cover(scripts: list[str]) -> str:
    """What to install so that characters of ``scripts`` (ICU script names) get glyphs."""
    others = [script.replace("_", " ") for script in scripts if script not in CJK_SCRIPTS]
    advice = (
        [
            f"name a font file with {' and '.join(others)} glyphs "
            f"(e.g. {' or '.join(f'Noto Sans {name}' for name in others)}) in `cards.fallback_fonts`"
        ]
        if others
        else []
    )
    if len(others) < len(scripts):
        advice.append(INSTALL_CJK)
    return "; ".join(advice) or "name a font file that has them in `cards.fallback_fonts`"
