"""Finished permalink pages from the last build, reused while nothing that shapes them changed.

A wall of 10,000 has 10,000 permalink pages. Rendering each through the theme's templates costs
about as much as a bare MkDocs build of the whole site, so a build that adds one testimonial
would pay that again for 9,999 pages that come out byte-identical. A finished page depends on
its own parts (keyed as in the part cache) and on the site around it: MkDocs' config, the nav,
the theme and its overrides, the plugins, and the versions of MkDocs, the theme, Markdown,
Jinja and curator. Its
key digests both. The cache holds each page's HTML, which the site hard-links, and the page's
search-index entries, for the last build's pages only. It holds post text, so a takedown deletes
it with the rest of ``.cache/curator``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .. import yamlio

INDEX = "index.json"


class PageCache:
    """``folder/<key>.html`` per page, and ``folder/index.json``: key → [the page's size, its
    search entries]. Pages are written without an fsync each (10,000 fsyncs would dominate a build), so a
    page is used only when its size is the one recorded: a crash can leave a file empty or short."""

    def __init__(self, folder: Path, site: str) -> None:
        self.folder = folder
        self.site = site  # site_digest() of this build
        self.known: dict[str, list] = yamlio.read_cache(folder / INDEX)  # none, or damaged: pages are rendered
        self.kept: dict[str, list] = {}  # this build's pages: key → [size, search entries]

    def key(self, page: str) -> str:
        """The key of a page made of ``page`` (a digest of its parts) in this build's site."""
        return hashlib.sha256(f"{self.site}\n{page}".encode()).hexdigest()

    def find(self, key: str) -> Path | None:
        """The finished page for ``key``, kept for this build; None when it must be rendered."""
        path, recorded = self.folder / f"{key}.html", self.known.get(key)
        try:
            if not recorded or os.stat(path).st_size != recorded[0]:
                return None
        except OSError:
            return None
        self.kept[key] = recorded
        return path

    def entries(self, key: str) -> list:
        """The search-index entries the page had when it was rendered."""
        return self.kept[key][1]

    def put(self, key: str, page: bytes, entries: list) -> None:
        yamlio.write_atomic(self.folder / f"{key}.html", page, durable=False)
        self.kept[key] = [len(page), entries]

    def save(self) -> None:
        """Write the index of this build's pages and delete every other page."""
        if not self.kept and not self.folder.is_dir():
            return
        # Pages in key order, but each entry's fields as the search plugin wrote them: it writes the
        # index in that order, and a reused page's entries must come out byte for byte the same.
        index = {key: self.kept[key] for key in sorted(self.kept)}
        yamlio.write_atomic(self.folder / INDEX, json.dumps(index, ensure_ascii=False))
        for path in self.folder.glob("*.html"):
            if path.stem not in self.kept:
                path.unlink(missing_ok=True)


def site_digest(state: Any, folders: Iterable[Path]) -> str:
    """A digest of the site-wide ``state`` (config, nav, plugins, versions: plain data) and of every
    file in ``folders`` (the theme's overrides), by content."""
    digest = hashlib.sha256(json.dumps(state, sort_keys=True, default=_plain, ensure_ascii=False).encode())
    for folder in folders:
        for path in sorted(path for path in folder.rglob("*") if path.is_file()):
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, (set, frozenset)):
        return sorted(map(str, value))
    if callable(value):  # e.g. a Markdown extension's formatter
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__qualname__)}"
    # An object's default repr holds its address, new in every process: the key would never match.
    return re.sub(r" at 0x[0-9a-fA-F]+", "", str(value))
