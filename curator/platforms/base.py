"""What every source adapter shares: its settings, the fetched-post shape, record building."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator
from urllib.parse import urlsplit

from ..errors import InvalidData, SourceError
from ..intake import record_from_mapping
from ..model import Entity, Testimonial, ThreadPost
from .http import Http, HttpSettings
from .text import is_http_url

LIVE, DELETED, PRIVATE = "live", "deleted", "private"
# What code reading a response of the wrong shape raises: a string where a mapping should be, a
# missing key, a number that is not one, a list nested past Python's recursion limit.
MALFORMED = (AttributeError, KeyError, IndexError, TypeError, ValueError, ArithmeticError, RecursionError)


@dataclass
class SourceSpec:
    """One entry of ``sources:`` in the curator block (validated by config.schema.json)."""

    name: str
    type: str
    options: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_mapping(cls, data: dict[str, Any], root: Path | None = None) -> "SourceSpec":
        options = {k: v for k, v in data.items() if k not in ("name", "type")}
        if root is not None and "path" in options:
            options["path"] = str(root / options["path"])  # an absolute path stays as it is
        return cls(name=data["name"], type=data["type"], options=options)

    def http_settings(self) -> HttpSettings:
        settings = HttpSettings()
        for key in ("connect_timeout", "read_timeout", "retries", "backoff", "max_wait", "deadline", "max_bytes"):
            if key in self.options:
                setattr(settings, key, self.options[key])
        if "timeout" in self.options:
            settings.connect_timeout = settings.read_timeout = float(self.options["timeout"])
        return settings

    def token(self, default_env: str | None = None, required_for: str | None = None) -> str | None:
        """A secret from the environment variable the config names (never from the file)."""
        env = self.options.get("token_env", default_env)
        value = os.environ.get(env, "").strip() if env else ""
        if not value and required_for:
            raise SourceError(f"{self.name}: {required_for} needs a token; set the environment variable {env or 'named by token_env'}")
        return value or None


HttpFactory = Callable[[str, HttpSettings], Http]


def default_http(name: str, settings: HttpSettings) -> Http:
    return Http(name, settings)


@dataclass
class Fetched:
    """A post as a source saw it: the record to admit and where its avatar lives upstream."""

    record: Testimonial
    avatar_url: str | None = None


class Adapter:
    """Interface of a source. ``pull`` updates ``cursor`` in place and yields pages of posts."""

    platform = ""

    def __init__(self, spec: SourceSpec, http: HttpFactory = default_http):
        self.spec = spec
        self.name = spec.name
        self.http = http(spec.name, spec.http_settings())
        self.max_pages = int(spec.options.get("max_pages", 10))
        self.notes: list[str] = []  # posts left out (and why) or worth a look, for the summary

    def pull(self, cursor: dict[str, str]) -> Iterator[list[Fetched]]:
        raise NotImplementedError

    def fetch_url(self, url: str) -> Fetched:
        raise SourceError(f"{self.name}: cannot fetch single posts by URL")

    def thread(self, record: Testimonial) -> list[ThreadPost]:
        """The posts around ``record`` (replies, the brand's request), normalised."""
        return []

    def upstream_status(self, records: list[Testimonial]) -> dict[str, str]:
        """record id → live|deleted|private, as the platform says now."""
        return {}

    def owns(self, record: Testimonial) -> bool:
        return record.source.platform == self.platform

    def each_post(self, posts: list[Any], normalise: Callable[[Any], Fetched | None]) -> list[Fetched]:
        """A page's posts, normalised; a malformed one is noted and skipped, not the whole page."""
        fetched = []
        for number, post in enumerate(posts, start=1):
            try:
                item = normalise(post)
            except MALFORMED as err:
                self.notes.append(f"{self.name}: post {number} of a page skipped, malformed ({type(err).__name__})")
                continue
            if item is not None:
                fetched.append(item)
        return fetched

    def make_record(self, data: dict[str, Any], shown: str) -> Testimonial | None:
        """Validate a normalised post against the record schema; None (and a note) if the platform sent junk."""
        for part in ("source", "author"):  # a link that is not http(s) is dropped, not trusted
            if not is_http_url(data.get(part, {}).get("url")):
                data[part]["url"] = None
        try:
            return record_from_mapping(data, shown)
        except InvalidData as err:
            self.notes.append(f"{shown}: skipped, {err.problems[0]}")
            return None


def entity_dicts(entities: list[Entity]) -> list[dict[str, Any]]:
    """Entities as record mappings (url/display only where they apply)."""
    return [{k: v for k, v in e.__dict__.items() if v is not None} for e in entities]


def origin(url: str) -> str:
    """scheme://host[:port] of a URL (no path)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def base_url(value: str) -> str:
    """An API base from config: ``mastodon.social`` or ``https://mastodon.social/`` → https URL, no slash."""
    value = value.strip().rstrip("/")
    return value if "://" in value else f"https://{value}"


def newer(a: Any, b: str | None) -> bool:
    """Is id/time ``a`` newer than ``b``? Numeric ids compare as numbers, anything else as text."""
    if not isinstance(a, str):  # missing, or not an id at all (a malformed post)
        return False
    if b is None:
        return True
    if a.isdigit() and b.isdigit():
        return int(a) > int(b)
    return a > b
