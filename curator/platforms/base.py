"""What every source adapter shares: its settings, the fetched-post shape, record building.

Light on purpose (platform modules import it and the registry imports them): the HTTP client
is imported when an adapter is made, not when this module is.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

from ..errors import InvalidData, SourceError
from ..model import Entity, Testimonial, ThreadPost
from . import Token
from .text import is_http_url

if TYPE_CHECKING:
    from .http import Http, HttpSettings

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
    def from_mapping(cls, data: dict[str, Any], root: Path | None = None) -> SourceSpec:
        options = {k: v for k, v in data.items() if k not in ("name", "type")}
        if root is not None and "path" in options:
            options["path"] = str(root / options["path"])  # an absolute path stays as it is
        return cls(name=data["name"], type=data["type"], options=options)

    def http_settings(self) -> HttpSettings:
        from .http import HttpSettings

        settings = HttpSettings()
        for key in ("connect_timeout", "read_timeout", "retries", "backoff", "max_wait", "deadline", "max_bytes"):
            if key in self.options:
                setattr(settings, key, self.options[key])
        if "timeout" in self.options:
            settings.connect_timeout = settings.read_timeout = float(self.options["timeout"])
        return settings

    def token(self, default: Token | None = None, required_for: str | None = None) -> str | None:
        """A secret from the environment variable ``token_env`` names, else the platform's own
        (``default``); never from the file."""
        named = self.options.get("token_env")
        value = os.environ.get(named, "").strip() or None if named else default.value() if default else None
        if value is None and required_for:
            env = named or (default.env if default else "named by token_env")
            raise SourceError(f"{self.name}: {required_for} needs a token; set the environment variable {env}")
        return value

    def token_need(self, default: Token | None, required: bool, purpose: str) -> TokenNeed:
        """The variable ``token`` reads, for ``curator doctor``: ``token_env``, else the platform's."""
        named = self.options.get("token_env")
        return TokenNeed(
            self.name,
            named or (default.env if default else None),
            required,
            purpose,
            None if named or default is None else default.old,
        )


HttpFactory = Callable[[str, "HttpSettings"], "Http"]


def default_http(name: str, settings: HttpSettings) -> Http:
    from .http import Http  # here: loading requests costs every command that never sends a request

    return Http(name, settings)


def sending_http(platform: str) -> Http:
    """A client for posting a reply: fewer, gentler retries than reading (see ``http``) and a
    longer read timeout, since the server writes before it answers."""
    from .http import Http, HttpSettings

    return Http(platform, HttpSettings(retries=3, backoff=0.5, read_timeout=30.0))


def reply_url(value: Any, platform: str) -> str:
    """The public URL of a reply just posted (it becomes ``permission.request_url``)."""
    if not is_http_url(value):
        raise SourceError(f"{platform}: the reply was posted but the server gave no http(s) URL for it")
    return value


@dataclass(frozen=True)
class TokenNeed:
    """A variable a source reads (``curator doctor`` names it, never its value)."""

    source: str
    env: str | None  # None: the source needs a token but no `token_env` names its variable
    required: bool
    purpose: str
    old: str | None = None  # the variable's former name, still read


@dataclass
class Wanted:
    """An image a post shows, to be downloaded before the record is admitted (``pull``, ``add``).

    ``url`` is the file to copy (a photo, or a video's or GIF's poster frame); ``link`` the
    original on the platform, which pages link to and never load."""

    url: str
    type: str = "image"  # image | video | gif
    alt: str = ""
    link: str | None = None


@dataclass
class Fetched:
    """A post as a source saw it: the record to admit and where its images live upstream.

    The record is admitted only once every medium and emoji is stored (a post without one of
    its pictures is not the post its author wrote); a link card's picture is the linked page's,
    so the card is kept without it when it cannot be stored."""

    record: Testimonial
    avatar_url: str | None = None
    media: list[Wanted] = field(default_factory=list)
    quote_media: list[Wanted] = field(default_factory=list)
    link_image: Wanted | None = None
    emoji: dict[str, str] = field(default_factory=dict)  # shortcode → image URL


class Adapter:
    """Interface of a source. ``pull`` updates ``cursor`` in place and yields pages of posts."""

    platform = ""
    # Its ``sources:`` fields beyond name and type, as JSON Schema (``$ref`` may name the $defs of
    # config.schema.json: baseUrl, queries, envName); a network source also takes the HTTP knobs.
    options: ClassVar[dict[str, Any]] = {}
    required_options: ClassVar[tuple[str, ...]] = ()
    uses_network: ClassVar[bool] = True

    def __init__(self, spec: SourceSpec, http: HttpFactory = default_http):
        self.spec = spec
        self.name = spec.name
        self.http = http(spec.name, spec.http_settings())
        self.max_pages = int(spec.options.get("max_pages", 10))
        self.notes: list[str] = []  # posts left out (and why) or worth a look, for the summary
        # record id → its author's signals (curator.policy.SIGNALS) as ``upstream_status`` read
        # them; a record it could not read them for is absent (its stored signals stay)
        self.signals: dict[str, list[str]] = {}
        # record id → the post as ``upstream_status`` read it, where the platform says it was
        # edited since curator took its content (Mastodon edits in place; a Bluesky or X "edit"
        # is a new post): the re-check admits it again, and an edit after consent hides it
        self.current: dict[str, Fetched] = {}

    def pull(self, cursor: dict[str, str]) -> Iterator[list[Fetched]]:
        raise NotImplementedError

    def fetch_url(self, url: str) -> Fetched:
        raise SourceError(f"{self.name}: cannot fetch single posts by URL")

    def thread(self, record: Testimonial) -> list[ThreadPost]:
        """The posts around ``record`` (replies, the brand's request), normalised."""
        return []

    def upstream_status(self, records: list[Testimonial]) -> dict[str, str]:
        """record id → live|deleted|private, as the platform says now (and ``signals`` filled)."""
        return {}

    def owns(self, record: Testimonial) -> bool:
        return record.source.platform == self.platform

    @classmethod
    def token_need(cls, spec: SourceSpec) -> TokenNeed | None:
        """The token this source reads, if any (``curator doctor``)."""
        return None

    def keep_current(self, record_id: str, post: Any, normalise: Callable[[Any], Fetched | None]) -> None:
        """Keep the re-checked post ``post``, normalised, as ``current[record_id]``; a post that
        does not normalise (malformed, or refused: a note says why) is not compared."""
        if found := self.each_post([post], normalise):
            self.current[record_id] = found[0]

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
        from ..intake import record_from_mapping  # the schema validator: loaded by the first post

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


def is_secure(url: str) -> bool:
    """https, or http to this machine (what tests and local proxies use)."""
    parts = urlsplit(url)
    if parts.scheme == "https":
        return True
    host = parts.hostname or ""
    try:
        return parts.scheme == "http" and (host == "localhost" or ipaddress.ip_address(host).is_loopback)
    except ValueError:
        return False


def same_origin(url: str, other: str) -> bool:
    """Same scheme, host and port (default ports spelled out or not)."""
    return _origin_parts(url) == _origin_parts(other)


def _origin_parts(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    try:
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    except ValueError:  # a port that is not a number: matches nothing
        port = -1
    return parts.scheme.lower(), (parts.hostname or "").lower(), port


def base_url(value: str) -> str:
    """An API base from config: ``social.example`` or ``https://social.example/`` → https URL, no slash."""
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
