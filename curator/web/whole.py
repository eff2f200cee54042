"""What a post shows besides its text (media, poll, quoted post, link card, custom emoji), made
ready for pages, feeds and the web component. No MkDocs here.

The store keeps the files (``media/…``, ``emoji/…``); the build copies those of published
records into the site beside the avatars, so pages name them by one rule: ``site_file``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISLNK, S_ISREG
from urllib.parse import urlsplit

from .. import yamlio
from ..model import MEDIA_NAMES, Media, Poll, Testimonial
from ..render import polls
from ..render.dates import posted_when
from ..render.theme import EMBED_METRICS
from ..store import file_digest, record_files

# The formats the store keeps media and emoji in (the schema's extensions): type, first bytes.
_FORMATS = {
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".webp": ("image/webp", b"RIFF"),
}
SITE_FOLDER = "assets/curator/"  # the store's files in the site: avatars/, media/, emoji/


def site_file(store_path: str) -> str:
    """Where a store file (``avatars/…``, ``media/…``, ``emoji/…``) is in the site, from its root."""
    return SITE_FOLDER + store_path


def emoji_sources(record: Testimonial) -> dict[str, str]:
    """Shortcode → the emoji image's site path (from the site root)."""
    return {emoji.shortcode: site_file(emoji.path) for emoji in record.emoji}


def mime_type(store_path: str) -> str:
    return _FORMATS[Path(store_path).suffix.lower()][0]


def alt(media: Media) -> str:
    """The author's description; when there is none, what the image is and that it has none
    (the alt attribute never lies about there being an image, and never invents what it shows)."""
    return media.alt.strip() or f"{MEDIA_NAMES.get(media.type, 'Image')} with no description"


@dataclass(frozen=True)
class PollRow:
    """One option as pages show it: its title, and its share of the votes when counts are known."""

    title: str
    percent: int | None
    leading: bool


def poll_rows(poll: Poll) -> list[PollRow]:
    """Options with whole percentages of the votes, as the card image draws them (the leading
    option, or options on a tie, marked); without counts (a platform hides them until the poll
    ends), none is shown."""
    shares = polls.shares([option.votes for option in poll.options])
    if not shares:
        return [PollRow(option.title, None, False) for option in poll.options]
    top = max(shares)
    return [
        PollRow(option.title, share, top > 0 and share == top)
        for option, share in zip(poll.options, shares, strict=True)
    ]


def poll_line(poll: Poll, lang: str | None, timezone: str) -> str:
    """The card's line under a poll ('103 votes · Closed'), saying when an open one ends."""
    line = polls.summary([option.votes for option in poll.options], poll.closed)
    if not poll.closed and poll.ends_at:
        return line.removesuffix("Open") + "Ends " + posted_when(poll.ends_at, lang or "en", timezone)
    return line


def shown_size(media: Media) -> tuple[int, int] | None:
    """The width and height an image's ``<img>`` states: its own, but for one alone its shape is
    clamped as the card image clamps it (a very tall or wide picture is cropped to fit)."""
    if not (media.width and media.height):
        return None
    low, high = EMBED_METRICS.media_aspect
    shape = min(max(media.width / media.height, low), high)
    return media.width, round(media.width / shape)


def domain(url: str) -> str:
    """What a link card names its site by: the host, without ``www.``."""
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


@dataclass
class PostFiles:
    """The media and emoji files of the records a build shows, checked before any is published:
    each inside the store, an image of the format its name says, and the very bytes the author
    consented to (its digest). Hashing is remembered by size, modification time and inode in ``memo``,
    so a rebuild hashes no unchanged file again."""

    store_root: Path
    memo: Path

    def site_files(self, records: Iterable[Testimonial]) -> tuple[dict[str, Path], list[str]]:
        """Site path → store file for every file ``records`` show (sorted), and the problems found."""
        wanted = {path: digest for record in records for path, digest in record_files(record)}
        known: dict[str, list] = yamlio.read_cache(self.memo)
        kept: dict[str, list] = {}  # the files of this build only: a deleted one's entry goes
        # The store's files sit one folder deep (the schema's paths): a folder that is a symlink
        # out of the store is checked once, a file by one lstat (``_problem``).
        root = self.store_root.resolve()
        folders = {path.split("/")[0] for path in wanted}
        outside = {folder for folder in folders if not (self.store_root / folder).resolve().is_relative_to(root)}
        found, problems = {}, []
        for path in sorted(wanted):
            source = self.store_root / path
            if path.split("/")[0] in outside:
                problem: str | None = "its folder leads outside the store (a symlink); store the pictures in it"
            else:
                problem = _problem(source, root, wanted[path], known, kept)
            if problem:
                problems.append(f"{source}: {problem}")
            else:
                found[site_file(path)] = source
        if kept != known and (kept or self.memo.exists()):
            yamlio.write_atomic(self.memo, json.dumps(kept, sort_keys=True) + "\n", durable=False)
        return found, problems


def _problem(source: Path, root: Path, digest: str, known: dict[str, list], kept: dict[str, list]) -> str | None:
    """Why ``source`` may not be published, or None; its hash goes into ``kept``. One ``lstat``
    for a file seen before unchanged (a wall of 1,000 posts has thousands of pictures)."""
    try:
        stat = os.lstat(source)
    except OSError:
        return "not found in the store; run `curator check`"
    if S_ISLNK(stat.st_mode):  # a symlink could lead anywhere: the build would publish that
        if not source.resolve().is_relative_to(root):
            return "leads outside the store (a symlink); store the picture itself"
        stat = os.stat(source)
    if not S_ISREG(stat.st_mode):
        return "is not a file; store the picture itself"
    key, entry = str(source), known.get(str(source))
    seen = [stat.st_size, stat.st_mtime_ns, stat.st_ino]  # a file put in its place changes one of them
    if not entry or entry[:3] != seen:
        if problem := _not_its_format(source):
            return problem
        entry = [*seen, file_digest(source)]
    kept[key] = entry
    if entry[3] != digest:
        return "is not the file the author consented to (its digest differs); restore it or ask again"
    return None


def _not_its_format(source: Path) -> str | None:
    with source.open("rb") as handle:
        head = handle.read(12)
    suffix = source.suffix.lower()
    magic = _FORMATS[suffix][1] if suffix in _FORMATS else None
    if magic is None or not head.startswith(magic) or (suffix == ".webp" and head[8:12] != b"WEBP"):
        return f"is not a {suffix.lstrip('.').upper()} image; replace it with the post's image"
    return None
