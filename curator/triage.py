"""The inbox: what to look at first, what a reviewer sees, and the opt-in auto-approve policy."""

from __future__ import annotations

from . import classify
from .config import Config
from .identity import edited_since_consent
from .model import KINDS, WALL_KINDS, Testimonial, ThreadPost
from .store import Store


def classify_record(record: Testimonial, brand: str | None = None) -> classify.Classification:
    """Set ``kind`` and ``sentiment`` on a record (``pull`` calls this for every new mention);
    ``brand``'s own name in the text is not read as sentiment."""
    result = classify.classify(record.text, record.lang, brand)
    record.kind, record.sentiment = result.kind, result.sentiment
    return result


def inbox(store: Store) -> list[Testimonial]:
    """Records waiting for a decision: wall candidates first, most positive first, then by id."""
    waiting = [t for t in store.records.values() if t.review.status == "inbox" and t.permission.status != "revoked"]
    return sorted(
        waiting, key=lambda t: (KINDS.index(t.kind) if t.kind in KINDS else len(KINDS), -(t.sentiment or 0.0), t.id)
    )


def summary(record: Testimonial) -> dict:
    """What a reviewer needs to decide, as plain data (``review --json``)."""
    permission = record.permission
    return {
        "id": record.id,
        "platform": record.source.platform,
        "url": record.source.url,
        "author": record.author.name,
        "handle": record.author.handle,
        "posted_at": record.posted_at,
        "lang": record.lang,
        "text": record.text,
        "kind": record.kind,
        "sentiment": record.sentiment,
        "review": record.review.status,
        "permission": permission.status,
        "signals": list(record.upstream.signals),
        "requested_at": permission.requested_at,
        "request_url": permission.request_url,
        "granted_at": permission.granted_at,
        "evidence_url": permission.evidence_url,
        "scope": list(permission.scope),
        "expires": permission.expires,
    }


def auto_approve(record: Testimonial, config: Config) -> bool:
    """True if the brand's policy lets the weekly job approve ``record`` without a person.

    Off unless ``auto_approve.enabled``; then the record must be in the inbox, of an allowed
    kind, at or above ``min_sentiment``, live, not revoked, and (by default) already granted
    for the exact text it has now. Whatever the policy says, only a wall kind qualifies: never
    ``unrated`` (a person must read it) nor a negative kind, nor a post whose author sent a
    signal upstream (``curator.policy.SIGNALS``), or whose signals could not be read.
    """
    policy = config.auto_approve
    upstream = record.upstream
    if not policy.enabled or record.review.status != "inbox" or upstream.status != "live" or upstream.signals:
        return False
    if record.kind not in WALL_KINDS or record.kind not in policy.kinds:
        return False
    if record.sentiment is None or record.sentiment < policy.min_sentiment:
        return False
    if record.permission.status == "revoked":
        return False
    if policy.require_consent:
        return record.permission.status == "granted" and not edited_since_consent(record)
    return True


NEEDS_ANSWER = ("complaint", "crisis")  # good social care: never leave one hanging
NEEDS_THANKS = ("praise",)


def needs_reply(record: Testimonial, thread: list[ThreadPost], config: Config) -> str | None:
    """ "answer" for a complaint or crisis, "thank" for praise, when the brand has not replied
    in the thread yet (``pull`` lists these in its summary, with links); else None."""
    wanted = "answer" if record.kind in NEEDS_ANSWER else "thank" if record.kind in NEEDS_THANKS else None
    brand = config.handles.get(record.source.platform)
    if wanted is None or not brand:
        return None
    replied = any(post.in_reply_to and _same_account(post.author_handle, brand) for post in thread)
    return None if replied else wanted


def _same_account(handle: str | None, brand: str) -> bool:
    """Compare handles without the leading @; a handle without a server is the server's local user."""
    if not handle:
        return False
    ours, theirs = brand.lstrip("@").casefold(), handle.lstrip("@").casefold()
    return theirs == ours or ("@" not in theirs and ours.split("@")[0] == theirs)
