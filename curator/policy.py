"""THE publish gate. Every output (wall, pages, search, feeds, embeds, cards, print) asks here.

A record is shown on a channel only if: review approved, permission granted, the grant not
expired on the build date, the channel in the granted scope, the text to be shown is the version
the author consented to (an edit, upstream or by hand, needs a new yes), the upstream post neither
deleted nor private, no signal of its author closes the channel (``SIGNALS``: whatever the grant
says), and the post not on the suppression list (by id or by its identity across sources: see
``curator.identity.Suppression``).
deleted nor private, the post not on the suppression list (by id or by its identity across
sources: see ``curator.identity.Suppression``), and every medium and emoji it shows in the store.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime

from dataclasses import dataclass

from .identity import Suppression, edited_since_consent
from .model import CHANNELS, Testimonial, parse_timestamp


@dataclass(frozen=True)
class Signal:
    """What an author's signal does: the channels it closes (a grant cannot open them), what it
    means (shown to the person deciding) and whether a person may still ask. Any signal keeps
    the post from the auto-approve policy and from ``ask --send``: a person decides."""

    closes: tuple[str, ...]
    meaning: str
    ask: bool  # may a person still ask the author (by hand: printed text, never --send)?


SIGNALS = {
    "protected": Signal(CHANNELS, "the author's account is protected (private): nothing of it is ever public", False),
    "embedding-disabled": Signal(
        CHANNELS,
        "the author disabled embedding of this post: it is never embedded or carded, nor shown on the wall",
        False,
    ),
    "noindex": Signal(
        (), "the author opted out of search indexing: its own page is kept out of search engines (noindex)", True
    ),
    "nobot": Signal((), "the author's profile says #nobot: no automated replies", True),
    "noquote": Signal(
        (), "the author opted out of quotes (#noquote, or the post's quote policy): a person decides", True
    ),
    "signals-unknown": Signal(
        (), "the author's signals could not be read upstream; the next pull reads them again", True
    ),
}


def signal_reasons(record: Testimonial) -> list[str]:
    """Each signal on ``record`` as one line (``list``, ``review``, ``ask``, ``auto_approve``)."""
    return [f"{name}: {SIGNALS[name].meaning}" for name in record.upstream.signals if name in SIGNALS]


def closed_by_signals(record: Testimonial, channel: str) -> list[str]:
    return [name for name in record.upstream.signals if name in SIGNALS and channel in SIGNALS[name].closes]


EDITED = "text differs from the version the author consented to (edited since); the author must confirm again"


def why_not(
    record: Testimonial,
    channel: str,
    today: date,
    suppressed: Suppression | Iterable[str] = (),
    missing: Callable[[Testimonial], list[str]] | None = None,
) -> list[str]:
    """Every reason ``record`` may not be shown on ``channel`` today; empty means publishable.
    ``missing``: the record's media and emoji files that are not in the store (``Store.missing_files``)."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}; channels are {', '.join(CHANNELS)}")
    permission = record.permission
    reasons = []
    if Suppression.of(suppressed).matches(record):
        reasons.append("suppressed (revoked)")
    if record.review.status != "approved":
        reasons.append(f"review is {record.review.status}")
    if permission.status != "granted":
        reasons.append(f"permission is {permission.status}")
    else:
        if permission.expires and date.fromisoformat(permission.expires) <= today:
            reasons.append(f"permission expired on {permission.expires}")
        if channel not in permission.scope:
            reasons.append(f"{channel} is not in the granted scope")
        if edited_since_consent(record):
            reasons.append(EDITED)
    if record.upstream.status != "live":
        reasons.append(f"upstream post is {record.upstream.status}")
    reasons += [f"the author's signal {name} closes {channel}" for name in closed_by_signals(record, channel)]
    if missing is not None and (absent := missing(record)):
        # Without one of its pictures it is not the post its author wrote (nor the one they consented to).
        reasons.append(f"media not in the store ({', '.join(absent)}); run `curator add` with its URL again")
    return reasons


def publishable(
    record: Testimonial,
    channel: str,
    today: date,
    suppressed: Suppression | Iterable[str] = (),
    missing: Callable[[Testimonial], list[str]] | None = None,
) -> bool:
    return not why_not(record, channel, today, suppressed, missing)


def published(store, channel: str, today: date) -> list[Testimonial]:
    """The records of ``store`` (a ``curator.Store``) the gate lets through for ``channel``, in
    display order."""
    chosen = [
        t for t in store.records.values() if publishable(t, channel, today, store.suppressed, store.missing_files)
    ]
    return display_order(chosen)


def display_order(records: Iterable[Testimonial]) -> list[Testimonial]:
    """Featured first, then newest first; the id breaks ties so the order is deterministic."""
    by_id = sorted(records, key=lambda t: t.id)
    return sorted(by_id, key=lambda t: (not t.featured, _negated(t.posted_at)))


def _negated(timestamp: str) -> float:
    return -parse_timestamp(timestamp).timestamp()


def build_date() -> date:
    """The date the gate judges expiry against: ``SOURCE_DATE_EPOCH`` if set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.fromtimestamp(int(epoch), tz=UTC).date()
    return datetime.now(UTC).date()
