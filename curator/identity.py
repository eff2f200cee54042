"""Who a post is and which version of it: record ids, consented versions, suppression prints.

Pure functions over the model, no I/O. Three questions every way into the store asks:

- ``record_id``: the file name of a post. Injective: two different posts never share an id.
- ``content_version``: what the author consented to. The publish gate compares it with what
  would be shown, so an edit (upstream or by hand) needs a new yes.
- ``Suppression``: the revoked posts. A post matches by id, and also by its identity across
  sources (platform + post id, canonical URL, text fingerprint), so an export that contains a
  revoked post cannot bring it back under another id.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from slugify import slugify

from .model import Testimonial
from .platforms import canonical_url

ID_MAX = 120  # the schema's maxLength for a slug
_SEGMENT = re.compile(r"[a-z0-9]+")
_HOST = re.compile(r"[a-z0-9]+(\.[a-z0-9]+)*")
TEXT_PRINT_MIN = 20  # shorter texts ("love it!") are too common to suppress other people's posts by


def record_id(platform: str, post_id: str, host: str | None = None) -> str:
    """Stable, slug-safe id from platform (+ instance host or author DID) + post id.

    The readable form ``platform-host-id`` (a host's dots become hyphens) is kept when it can
    be read back unambiguously: lower-case letters and digits only, no hyphen inside a part,
    short enough. Anything else (``FORM_009``, ``form-009``, a DID, a long id) gets a hash of
    the exact parts appended, because lower-casing and truncating would make two posts one.
    """
    post_id = str(post_id)
    parts = [platform, *([host] if host else []), post_id]
    readable = "-".join([platform, *([host.replace(".", "-")] if host else []), post_id])
    exact = (
        _SEGMENT.fullmatch(platform)
        and _SEGMENT.fullmatch(post_id)
        and (host is None or _HOST.fullmatch(host))
        and len(readable) <= ID_MAX
    )
    if exact:
        return readable
    digest = hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:12]
    stem = slugify(" ".join(parts), max_length=ID_MAX - len(digest) - 1) or platform
    return f"{stem}-{digest}"


def content_version(record: Testimonial) -> str:
    """What consent was given for: a hash of the author's id, the normalised text and what else
    the post shows (media by their bytes and alt text, the content warning, poll options, the
    quoted post, the link, custom emoji). A text-only post hashes as it always did."""
    return _version(record.text, record.author.id, _shown_besides_text(record))


def _shown_besides_text(record: Testimonial) -> str:
    shown: dict[str, object] = {}
    if record.warning:
        shown["warning"] = unicodedata.normalize("NFC", record.warning).strip()
    if record.media:
        shown["media"] = [[m.type, m.digest, unicodedata.normalize("NFC", m.alt).strip()] for m in record.media]
    if record.poll:
        shown["poll"] = [unicodedata.normalize("NFC", option.title) for option in record.poll.options]  # not the votes
    if record.quote:
        shown["quote"] = [record.quote.url, unicodedata.normalize("NFC", record.quote.text).strip()]
        shown["quote_media"] = [m.digest for m in record.quote.media]
    if record.link:
        shown["link"] = record.link.url  # its title and picture are the linked page's, not the author's words
    if record.emoji:
        shown["emoji"] = sorted([e.shortcode, e.digest] for e in record.emoji)
    return json.dumps(shown, sort_keys=True, ensure_ascii=False) if shown else ""


@functools.lru_cache(maxsize=65536)  # the gate asks for every record on every channel of a build
def _version(text: str, author_id: str | None, shown_besides_text: str) -> str:
    normalised = unicodedata.normalize("NFC", text).strip()
    whole = f"{author_id or ''}\n{normalised}" + (f"\n{shown_besides_text}" if shown_besides_text else "")
    return "sha256-" + hashlib.sha256(whole.encode()).hexdigest()


def edited_since_consent(record: Testimonial) -> bool:
    """True when what would be shown is not the version the author consented to."""
    return content_version(record) != record.source.version


def same_post(one: Testimonial, other: Testimonial) -> bool:
    """Do two records stand for the same post? Platform and post id, then the author's
    immutable id (or, when either lacks one, the canonical URL) must agree."""
    if one.source.platform != other.source.platform or str(one.source.post_id) != str(other.source.post_id):
        return False
    if one.author.id and other.author.id:
        return one.author.id == other.author.id
    first, second = canonical_url(one.source.url), canonical_url(other.source.url)
    return first is None or second is None or first == second


def fingerprints(record: Testimonial) -> frozenset[str]:
    """The prints a revoked post is remembered by (hashes: the suppression list keeps no text)."""
    return _fingerprints(record.source.platform, str(record.source.post_id or ""), record.source.url, record.text)


@functools.lru_cache(maxsize=65536)
def _fingerprints(platform: str, post_id: str, url: str | None, text: str) -> frozenset[str]:
    prints = set()
    if post_id:
        prints.add("post:" + _sha(f"{platform}\n{post_id}"))
    if (canonical := canonical_url(url)) is not None:
        prints.add("url:" + _sha(canonical))
    if len(words := text_words(text)) >= TEXT_PRINT_MIN:
        prints.add("text:" + _sha(words))
    return frozenset(prints)


def text_words(text: str) -> str:
    """The words of a text, the way two exports of one post agree on them: NFKC, case-folded,
    links and punctuation dropped, one space between words."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    without_links = re.sub(r"https?://\S+", " ", folded)
    return " ".join(re.findall(r"\w+", without_links))


def _sha(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:32]


@dataclass
class Suppression:
    """Revoked posts: their ids and their prints. ``id in suppression`` asks about an id;
    ``matches(record)`` asks about a post, whatever source brought it."""

    prints_by_id: dict[str, frozenset[str]] = field(default_factory=dict)
    _prints: set[str] = field(default_factory=set, repr=False)

    @classmethod
    def of(cls, suppressed: Suppression | Iterable[str]) -> Suppression:
        if isinstance(suppressed, Suppression):
            return suppressed
        return cls({record_id: frozenset() for record_id in suppressed})

    def __post_init__(self) -> None:
        self._prints = {p for prints in self.prints_by_id.values() for p in prints}

    def __contains__(self, record_id: object) -> bool:
        return record_id in self.prints_by_id

    def __iter__(self):
        return iter(sorted(self.prints_by_id))

    def __len__(self) -> int:
        return len(self.prints_by_id)

    def add(self, record_id: str, prints: Iterable[str] = ()) -> None:
        merged = self.prints_by_id.get(record_id, frozenset()) | frozenset(prints)
        self.prints_by_id[record_id] = merged
        self._prints |= merged

    def matches(self, record: Testimonial) -> bool:
        if record.id in self.prints_by_id:
            return True
        return bool(self._prints) and not self._prints.isdisjoint(fingerprints(record))
