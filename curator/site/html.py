"""Published records → escaped HTML. No MkDocs here.

Everything from a post (text, names, handles, URLs, tags) is untrusted: Jinja2 autoescaping
escapes it in element content and attributes, and only http(s) URLs ever become links.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2

from ..model import Testimonial

PLATFORM_NAMES = {"mastodon": "Mastodon", "bluesky": "Bluesky", "x": "X", "csv": "Imported", "manual": "Direct"}


@dataclass(frozen=True)
class Segment:
    """A run of post text; ``href`` is set only for a safe http(s) link."""

    text: str
    kind: str = "text"  # text | mention | hashtag | url | break
    href: str | None = None


def safe_url(url: str | None) -> str | None:
    """Only http(s) URLs are ever linked; ``javascript:`` and friends become plain text."""
    if url and url.lower().startswith(("https://", "http://")) and not any(c in url for c in " \n\t\"'<>`"):
        return url
    return None


def segments(record: Testimonial) -> list[Segment]:
    """Split the text at entity boundaries (code points) and line breaks; the text is never edited
    except that a URL entity shows its ``display`` form."""
    text, out, cursor = record.text, [], 0
    for entity in sorted(record.entities, key=lambda e: e.start):
        if entity.start < cursor:
            continue  # overlapping entities: keep the first, never duplicate text
        out += _plain(text[cursor:entity.start])
        shown = entity.display if entity.type == "url" and entity.display else text[entity.start:entity.end]
        out.append(Segment(shown, entity.type, safe_url(entity.url)))
        cursor = entity.end
    out += _plain(text[cursor:])
    return out


def _plain(text: str) -> list[Segment]:
    pieces: list[Segment] = []
    for index, line in enumerate(text.split("\n")):
        if index:
            pieces.append(Segment("", "break"))
        if line:
            pieces.append(Segment(line))
    return pieces


@cache
def _environment(overrides: str | None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if overrides:
        loaders.append(jinja2.FileSystemLoader(overrides))
    loaders.append(jinja2.PackageLoader("curator.site", "templates"))
    env = jinja2.Environment(loader=jinja2.ChoiceLoader(loaders), autoescape=True, trim_blocks=True,
                             lstrip_blocks=True, keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
    env.filters["safe_url"] = safe_url
    env.globals["platform_name"] = PLATFORM_NAMES.get
    env.globals["segments"] = segments
    return env


def render(template: str, overrides: Path | None = None, **context) -> str:
    """Render a package template; a brand may override it with ``overrides/curator/<template>``."""
    folder = overrides / "curator" if overrides else None
    return _environment(str(folder) if folder and folder.is_dir() else None).get_template(template).render(**context)
