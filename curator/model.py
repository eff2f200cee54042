"""The testimonial record (one YAML file per post) as dataclasses.

Field names and order are the contract in DESIGN.md; ``to_dict`` writes them in that order so a
saved file is stable. Timestamps stay ISO 8601 strings exactly as written (the schema checks
them), so loading and saving never reformats what a person typed.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from dataclasses import dataclass, field
from datetime import date, datetime, UTC
from typing import Any
from collections.abc import Callable, Iterable

KINDS = ("praise", "happy", "humor", "question", "skeptic", "complaint", "crisis", "yikes")
WALL_KINDS = ("praise", "happy", "humor")  # the only kinds that are testimonial material
UNRATED = "unrated"  # not one of the kinds: the classifier cannot read the post (its language), a person decides
REVIEW_STATUSES = ("inbox", "approved", "rejected")
PERMISSION_STATUSES = ("none", "requested", "granted", "denied", "revoked", "expired")
PERMISSION_METHODS = ("reply", "dm", "email", "form", "contract")
CHANNELS = ("web", "embed", "print", "social")
UPSTREAM_STATUSES = ("live", "deleted", "private")
# What an author said about their post or account upstream (what each one does: curator.policy.SIGNALS).
# ``signals-unknown``: a source could not read them (a failed look-up): a person must look.
SIGNAL_NAMES = ("protected", "embedding-disabled", "noindex", "nobot", "noquote", "signals-unknown")


@dataclass
class Source:
    platform: str
    url: str | None = None
    post_id: str | None = None
    version: str | None = None
    fetched_at: str | None = None


@dataclass
class Author:
    name: str
    id: str | None = None
    handle: str | None = None
    url: str | None = None
    avatar: str | None = None  # path relative to testimonials/, never a remote URL
    verified: bool = False


@dataclass
class Entity:
    """A span of ``text`` in Unicode code points, end exclusive."""

    type: str  # mention | hashtag | url
    start: int
    end: int
    url: str | None = None
    display: str | None = None


@dataclass
class Span:
    start: int
    end: int


MEDIA_NAMES = {"image": "Image", "video": "Video", "gif": "GIF"}  # what alt texts call each type


@dataclass
class Media:
    """An image, or a video's or GIF's poster frame, copied into the store (never hot-linked)."""

    type: str  # image | video | gif
    path: str  # media/<file>, relative to testimonials/
    digest: str  # sha256 of the stored file: part of what the author consented to
    alt: str = ""
    width: int | None = None
    height: int | None = None
    url: str | None = None  # the original on the platform, linked from pages, never loaded


@dataclass
class PollOption:
    title: str
    votes: int | None = None


@dataclass
class Poll:
    options: list[PollOption]
    closed: bool = False
    ends_at: str | None = None
    voters: int | None = None


@dataclass
class LinkCard:
    """The preview a platform shows for a link in the post."""

    url: str
    title: str = ""
    description: str = ""
    image: Media | None = None


@dataclass
class Quote:
    """A post the testimonial quotes, shown small inside it."""

    author: Author
    text: str = ""
    url: str | None = None
    posted_at: str | None = None
    media: list[Media] = field(default_factory=list)


@dataclass
class CustomEmoji:
    """A platform's own emoji (Mastodon ``:shortcode:``), used in the text or the author's name."""

    shortcode: str  # without the colons
    path: str  # emoji/<file>.png, relative to testimonials/
    digest: str


@dataclass
class Review:
    status: str = "inbox"
    by: str | None = None
    at: str | None = None
    note: str = ""


@dataclass
class Permission:
    status: str = "none"
    scope: list[str] = field(default_factory=list)
    method: str | None = None
    requested_at: str | None = None
    request_url: str | None = None
    granted_at: str | None = None
    evidence_url: str | None = None
    evidence_text: str | None = None
    terms_version: str | None = None
    expires: str | None = None
    revoked_at: str | None = None
    revoked_reason: str | None = None


@dataclass
class Upstream:
    status: str = "live"
    checked_at: str | None = None
    signals: list[str] = field(default_factory=list)  # written only when non-empty: old files stay as they are


@dataclass
class Testimonial:
    id: str
    source: Source
    author: Author
    posted_at: str
    text: str
    lang: str | None = None
    entities: list[Entity] = field(default_factory=list)
    # What a post shows besides its text; each is written only when the post has it.
    warning: str | None = None  # a content warning (Mastodon spoiler text): shown above the text
    media: list[Media] = field(default_factory=list)
    poll: Poll | None = None
    quote: Quote | None = None
    link: LinkCard | None = None
    emoji: list[CustomEmoji] = field(default_factory=list)
    highlight: Span | None = None
    metrics: dict[str, int] | None = None
    kind: str | None = None  # null until classified
    sentiment: float | None = None
    tags: list[str] = field(default_factory=list)
    featured: bool = False
    disclosure: str | None = None
    review: Review = field(default_factory=Review)
    permission: Permission = field(default_factory=Permission)
    upstream: Upstream = field(default_factory=Upstream)

    # The order fields are written in; DESIGN.md's order, not the constructor's.
    FIELD_ORDER: typing.ClassVar[tuple[str, ...]] = (
        "id",
        "source",
        "author",
        "posted_at",
        "lang",
        "text",
        "entities",
        "warning",
        "media",
        "poll",
        "quote",
        "link",
        "emoji",
        "highlight",
        "metrics",
        "kind",
        "sentiment",
        "tags",
        "featured",
        "disclosure",
        "review",
        "permission",
        "upstream",
    )

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Testimonial:
        """Build from schema-valid data (``store`` validates before calling this)."""
        return _build(cls, data)

    # Written only when the post has them: records of text-only posts stay as they were.
    WHOLE_POST_FIELDS: typing.ClassVar[tuple[str, ...]] = ("warning", "media", "poll", "quote", "link", "emoji")

    def to_dict(self) -> dict[str, Any]:
        plain = {f.name: _plain(getattr(self, f.name)) for f in dataclasses.fields(self)}
        return {
            name: plain[name]
            for name in self.FIELD_ORDER
            if name not in self.WHOLE_POST_FIELDS or plain[name] not in (None, [], "")
        }

    @property
    def posted_date(self) -> date:
        return parse_timestamp(self.posted_at).date()


def parse_timestamp(value: str) -> datetime:
    """ISO 8601 / RFC 3339 to an aware datetime (naive values are taken as UTC)."""
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def has_time(posted_at: str) -> bool:
    """Whether a ``posted_at`` holds a time of day (a source such as X's oEmbed gives a date alone)."""
    return "T" in posted_at


def feed_timestamp(posted_at: str) -> str:
    """RFC 3339 as feeds require: a date alone becomes the start of that day in UTC."""
    return posted_at if has_time(posted_at) else f"{posted_at}T00:00:00Z"


def format_timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def now_utc() -> str:
    """This moment as a stored timestamp (whole seconds, UTC)."""
    return format_timestamp(datetime.now(UTC))


def _build(cls: type, data: Any) -> Any:
    return cls(**{name: convert(data[name]) for name, convert in _converters(cls) if name in data})


@functools.cache
def _converters(cls: type) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
    # Worked out once per class: evaluating annotations is slow, and a store has 10,000 records.
    hints = typing.get_type_hints(cls)
    return tuple((f.name, _converter(hints[f.name])) for f in dataclasses.fields(cls))


def _converter(hint: Any) -> Callable[[Any], Any]:
    """A function from schema-valid data to a value of type ``hint`` (None stays None)."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return _converter(next(arg for arg in typing.get_args(hint) if arg is not type(None)))
    if origin is list:
        item = _converter(typing.get_args(hint)[0])
        return lambda value: None if value is None else [item(v) for v in value]
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return lambda value: None if value is None else _build(hint, value)
    if hint is float:
        return lambda value: float(value) if isinstance(value, int) else value
    return _same


def _same(value: Any) -> Any:
    return value


def _plain(obj: Any) -> Any:
    if isinstance(obj, Entity):
        # Entities carry url/display only where they apply: keeps the files short.
        return {k: v for k, v in dataclasses.asdict(obj).items() if v is not None}
    if isinstance(obj, Upstream) and not obj.signals:
        return {"status": obj.status, "checked_at": obj.checked_at}
    if dataclasses.is_dataclass(obj):
        return {f.name: _plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, list):
        return [_plain(item) for item in obj]
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    return obj


@dataclass
class ThreadPost:
    """A post in the thread around a testimonial, as every source normalises it.

    Consent detection reads these: who wrote it (immutable id), when, in reply to what, and
    which hashtags it carries as entities (a tag inside a word is not a hashtag entity).
    """

    post_id: str
    url: str | None
    author_id: str
    author_handle: str | None
    text: str
    posted_at: str
    in_reply_to: str | None = None  # post_id of the parent, None for the thread root
    entities: list[Entity] = field(default_factory=list)
    public: bool = True  # False for followers-only or direct posts: they may withdraw, never grant

    def hashtags(self) -> list[str]:
        return [self.text[e.start : e.end] for e in self.entities if e.type == "hashtag"]


def ordered_signals(found: Iterable[str]) -> list[str]:
    """Signals once each, in ``SIGNAL_NAMES`` order: a file does not change with the order a source saw them."""
    seen = set(found)
    return [name for name in SIGNAL_NAMES if name in seen]
