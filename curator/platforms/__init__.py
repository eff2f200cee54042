"""The platforms curator knows, one module each, and the registry that lists them.

A platform module owns everything about its platform: the post URL forms, the source adapters
that fetch and normalise posts and read consent threads, sending a reply, the reply length
rule, the name and mark cards show, the token variable. It ends with ``PLATFORM = Platform(...)``.
The rest of curator asks this registry, never a platform by name.

Adding a platform is one module plus one line in ``MODULES``; a separate package adds one with
an entry point in the ``curator.platforms`` group naming its module (or its ``PLATFORM``)::

    [project.entry-points."curator.platforms"]
    forum = "acme_forum.platform"

Importing this package, or a platform module, loads no HTTP library: the modules import the
client (``curator.platforms.http``) when they first send a request, so the site build and the
card renderer can ask for names and marks at no cost.
"""

from __future__ import annotations

import functools
import importlib
import os
import sys
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import TYPE_CHECKING
from collections.abc import Callable, Mapping
from urllib.parse import urlsplit

from ..errors import CuratorError

if TYPE_CHECKING:
    from ..config import Config
    from ..model import Testimonial
    from .base import Adapter, HttpFactory, SourceSpec

MODULES = (
    "curator.platforms.mastodon",
    "curator.platforms.bluesky",
    "curator.platforms.x",
    "curator.platforms.imports",
    "curator.platforms.manual",
)
ENTRY_POINT_GROUP = "curator.platforms"
FALLBACK = "manual"  # how a record of a platform no module provides is shown
NO_REPLY_LIMIT = 500  # a request asked by email or DM has no platform limit; keep it short anyway


@dataclass(frozen=True)
class Mark:
    """How a card names the platform. The image card draws a badge: the platform's colour with
    its letter; a ``monochrome`` mark takes the card theme's text colour and its letter the
    background's. The HTML card draws ``path``: the platform's logo as one SVG path on a 24×24
    box, used only to identify where a post was published, as the platforms' brand guidelines
    allow (the module defining it names its source and licence)."""

    colour: str
    letter: str
    monochrome: bool = False
    path: str = ""


@dataclass(frozen=True)
class SentReply:
    url: str  # the public URL of the brand's reply: permission.request_url
    post_id: str
    sent_at: str


@dataclass(frozen=True)
class Token:
    """The environment variable holding a platform's secret, for reading and for sending alike.
    ``old`` is the name an earlier curator read: still honoured, with a note to rename it."""

    env: str
    old: str | None = None
    purpose: str = ""  # what it is, for the message when it is missing

    def value(self, environ: Mapping[str, str] | None = None) -> str | None:
        environ = os.environ if environ is None else environ
        if value := environ.get(self.env, "").strip():
            return value
        if self.old and (value := environ.get(self.old, "").strip()):
            _deprecated(self.old, self.env)
            return value
        return None

    def require(self, environ: Mapping[str, str] | None = None, doing: str = "send requests") -> str:
        value = self.value(environ)
        if value is None:
            raise CuratorError(f"set the environment variable {self.env} ({self.purpose}) to {doing}; nothing was sent")
        return value


@functools.cache
def _deprecated(old: str, new: str) -> None:
    """Once per run: existing walls' CI secrets carry the old names."""
    print(
        f"note: {old} is the old name of {new}; rename the variable (the old name will stop working)", file=sys.stderr
    )


Sender = Callable[["Testimonial", str, "Config", Mapping[str, str]], SentReply]
# (record, request text, config, environment) → a link opening the platform's composer with the
# text, for a person to post; None where the brand's account is not known.
Composer = Callable[["Testimonial", str, "Config", Mapping[str, str]], "str | None"]


@dataclass(frozen=True)
class Platform:
    """One platform as the rest of curator sees it. Only ``name``, ``label`` and ``mark`` are
    required: a platform without sources or replies (``manual``) is still shown on cards."""

    name: str  # ``source.platform`` of its records
    label: str  # what cards, pages, alt texts and feeds call it
    mark: Mark
    sources: Mapping[str, type[Adapter]] = field(default_factory=dict)  # ``type:`` in ``sources:`` → adapter
    url_help: tuple[str, ...] = ()  # the post URL forms ``curator add`` reads, one help line each
    source_example: str = ""  # a ``sources:`` entry for the starter mkdocs.yml (``$brand``, ``$tag``: the brand's)
    source_example_env: str = ""  # the variable that entry reads, said beside it
    reads_url: Callable[[str], bool] | None = None  # is this one of its post URLs?
    adapter_for_url: Callable[[str, list[SourceSpec], HttpFactory], Adapter] | None = None
    canonical_url: Callable[[str, str], str | None] | None = None  # (host, path) → one spelling per post, or None
    token: Token | None = None
    reply_limit: int = NO_REPLY_LIMIT
    count: Callable[[str], int] = len  # the length the platform checks against ``reply_limit``
    reply_mentions_author: bool = False  # a reply notifies only the accounts it names
    send_reply: Sender | None = None
    compose_url: Composer | None = None
    compose_replies: bool = False  # the composer posts a reply to the post (else: a new post to paste from)

    @property
    def replies(self) -> bool:
        """Can a permission request go out as a reply here (else: asked by email or DM)?"""
        return self.send_reply is not None


@functools.cache
def _registry() -> dict[str, Platform]:
    loaded = [importlib.import_module(name) for name in MODULES]
    loaded += [point.load() for point in entry_points(group=ENTRY_POINT_GROUP)]  # a module, or its Platform
    found: dict[str, Platform] = {}
    for item in loaded:
        platform = item if isinstance(item, Platform) else item.PLATFORM
        if platform.name in found:
            raise CuratorError(f"two platform modules name the platform {platform.name!r}; remove one")
        found[platform.name] = platform
    return found


def reload() -> None:
    """Forget the loaded platforms (after ``MODULES`` or the installed entry points changed)."""
    _registry.cache_clear()
    source_types.cache_clear()


def all_platforms() -> list[Platform]:
    return list(_registry().values())


def names() -> tuple[str, ...]:
    return tuple(_registry())


def get(name: str) -> Platform:
    """The platform ``name``; an unknown one raises (a record's platform is checked by its schema)."""
    try:
        return _registry()[name]
    except KeyError:
        raise CuratorError(f"no platform is named {name!r}; known: {', '.join(names())}") from None


def shown(name: str) -> Platform:
    """The platform to show a record of: an unknown one looks like a post entered by hand."""
    return _registry().get(name) or _registry()[FALLBACK]


@functools.cache
def source_types() -> dict[str, type[Adapter]]:
    """Every ``type:`` a ``sources:`` entry may have → its adapter class."""
    return {kind: adapter for platform in all_platforms() for kind, adapter in platform.sources.items()}


def for_url(url: str) -> Platform | None:
    """The platform whose post URL this is (``curator add URL``), or None."""
    return next((p for p in all_platforms() if p.reads_url is not None and p.reads_url(url)), None)


def canonical_url(url: str | None) -> str | None:
    """One spelling per post URL: scheme, ``www.``/``mobile.``, query, fragment and a trailing
    slash dropped, the host lower-cased; a platform with several spellings of one post (hosts,
    paths) names its canonical one."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("mobile.")
    if not host:
        return None
    path = parts.path.rstrip("/")
    for platform in all_platforms():
        if platform.canonical_url is not None and (canonical := platform.canonical_url(host, path)):
            return canonical
    return f"{host}{path}"


def url_help() -> list[str]:
    return [line for platform in all_platforms() for line in platform.url_help]


def source_examples() -> list[tuple[str, str]]:
    """(``sources:`` entry, the variable it reads) of every platform that has an example."""
    return [(p.source_example, p.source_example_env) for p in all_platforms() if p.source_example]


__all__ = [
    "MODULES",
    "Mark",
    "Platform",
    "SentReply",
    "Token",
    "all_platforms",
    "canonical_url",
    "for_url",
    "get",
    "names",
    "reload",
    "shown",
    "source_examples",
    "source_types",
    "url_help",
]
