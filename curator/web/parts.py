"""A content-hash cache for the HTML and JSON the site makes per testimonial.

The card cache makes a rebuild skip rendering images; this one makes it skip rendering the
pages around them (permalink page, iframe page, oEmbed file, wall pages). A part is a
``functools.partial`` of a pure function of its arguments and the templates, so its key is
the function's name, its arguments (dataclasses by value) and a digest of every template file
(curator's and the brand's overrides) and curator's version. Changing any of them changes the
key; nothing is ever looked up by record id. Like the cards, the cache holds post text, so a
takedown deletes it (``moderation.forget_rendered`` removes all of ``.cache/curator``).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from functools import partial
from pathlib import Path
from typing import Any
from collections.abc import Callable, Iterable

from .. import __version__, yamlio

TEMPLATES = Path(__file__).parent / "templates"


class PartCache:
    """``folder/<key>``: one file per part, read instead of rendered when the key is known."""

    def __init__(self, folder: Path, overrides: Path) -> None:
        self.folder = folder
        self.salt = _templates_digest(overrides)
        self.digests: dict[int, tuple[object, str]] = {}  # id → (object, its digest): a record is in many parts
        self.used: set[str] = set()

    def wrap(self, part: Callable[[], str]) -> Callable[[], str]:
        """The same part, served from the cache when it was made before."""
        return partial(self.text, part)

    def text(self, part: Callable[[], str]) -> str:
        return self.file(part).read_text("utf-8")

    def file(self, part: Callable[[], str | Iterable[str]]) -> Path:
        """The cache file holding what ``part`` makes (text, or pieces of it), made now if it is
        not there yet."""
        key = self.key(part)
        self.used.add(key)
        path = self.folder / key
        if not path.is_file():
            yamlio.write_atomic(path, part())
        return path

    def prune(self) -> None:
        """Delete what this build did not use: the folder holds the last build's parts only."""
        for path in self.folder.glob("*") if self.folder.is_dir() else ():
            if path.name not in self.used:
                path.unlink(missing_ok=True)

    def key(self, part: Callable[[], str | Iterable[str]]) -> str:
        return hashlib.sha256(f"{self.salt}\n{self._encode(part)}".encode()).hexdigest()

    def page_key(self, page: Any) -> str:
        """What an ``outputs.Page`` is made of: its Markdown, its metadata and its parts' keys."""
        parts = [self.key(part) if part else None for part in (page.body, page.head, page.late)]
        return json.dumps([page.src_uri, page.markdown, page.meta, parts], sort_keys=True, ensure_ascii=False)

    def _encode(self, value: Any) -> str:
        if isinstance(value, partial):
            parts = [
                value.func.__module__ + "." + value.func.__qualname__,
                *map(self._encode, value.args),
                *(f"{name}={self._encode(arg)}" for name, arg in sorted(value.keywords.items())),
            ]
            return "(" + ",".join(parts) + ")"
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            known = self.digests.get(id(value))
            if known is None or known[0] is not value:
                text = json.dumps(value, sort_keys=True, default=_fields, ensure_ascii=False)
                known = self.digests[id(value)] = (value, hashlib.sha256(text.encode()).hexdigest())
            return known[1]
        if isinstance(value, (list, tuple)):
            return "[" + ",".join(map(self._encode, value)) + "]"
        if isinstance(value, dict):
            return "{" + ",".join(f"{self._encode(k)}:{self._encode(v)}" for k, v in sorted(value.items())) + "}"
        if callable(value):
            return value.__module__ + "." + value.__qualname__
        # repr tells "1", 1 and True apart, as JSON would, nine times faster: a wall of 10,000
        # encodes 300,000 argument values a build.
        return repr(value)


def _fields(value: Any) -> Any:
    # Nested dataclasses by their fields (``dataclasses.asdict`` deep-copies: ten times slower).
    return vars(value) if dataclasses.is_dataclass(value) else str(value)


def _templates_digest(overrides: Path) -> str:
    """curator's version, the site package's code and assets, and every template file that can
    shape a part, by content (a change to the code between releases must not reuse old pages)."""
    digest = hashlib.sha256(__version__.encode())
    here = Path(__file__).parent
    for folder, pattern in (
        (here, "*.py"),
        (here / "assets", "*"),
        (TEMPLATES, "*.html"),
        (overrides / "curator", "*.html"),
    ):
        for path in sorted(folder.glob(pattern)) if folder.is_dir() else ():
            if path.is_file():
                digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
