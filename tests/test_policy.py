"""The publish gate's truth table over every status × scope × expiry × upstream × edit × suppression."""
from __future__ import annotations

import itertools
from datetime import date

import pytest

from curator import model
from curator.identity import content_version
from curator.model import CHANNELS, PERMISSION_STATUSES, REVIEW_STATUSES, UPSTREAM_STATUSES
from curator.policy import EDITED, display_order, publishable, why_not

TODAY = date(2026, 11, 23)
EXPIRIES = {"none": None, "tomorrow": "2026-11-24", "today": "2026-11-23", "yesterday": "2026-11-22"}
SCOPES = [(), ("web",), ("print",), ("web", "embed"), CHANNELS]


def make(review: str, permission: str, scope, expiry: str | None, upstream: str, edited: bool = False) -> model.Testimonial:
    record = model.Testimonial(
        id="x-1", source=model.Source("x"), author=model.Author("Ann"),
        posted_at="2026-01-01T00:00:00Z", text="Great!", review=model.Review(review),
        permission=model.Permission(permission, list(scope), expires=expiry), upstream=model.Upstream(upstream))
    record.source.version = content_version(record)  # consented to as it is
    if edited:
        record.text = "Great! (edited)"
    return record


CASES = list(itertools.product(REVIEW_STATUSES, PERMISSION_STATUSES, SCOPES, EXPIRIES, UPSTREAM_STATUSES,
                               (False, True), (False, True)))


@pytest.mark.parametrize("channel", CHANNELS)
def test_truth_table(channel: str) -> None:
    shown = 0
    for review, permission, scope, expiry, upstream, edited, suppressed in CASES:
        record = make(review, permission, scope, EXPIRIES[expiry], upstream, edited)
        expected = (review == "approved" and permission == "granted" and channel in scope
                    and expiry in ("none", "tomorrow") and upstream == "live" and not edited and not suppressed)
        got = publishable(record, channel, TODAY, {"x-1"} if suppressed else set())
        assert got is expected, (channel, review, permission, scope, expiry, upstream, edited, suppressed)
        assert (why_not(record, channel, TODAY, {"x-1"} if suppressed else set()) == []) is expected
        shown += got
    # 1 review × 1 permission × (scopes holding the channel) × 2 live expiries × 1 upstream × 1 × 1
    assert shown == sum(channel in scope for scope in SCOPES) * 2


def test_unknown_channel_is_a_bug_not_a_silent_no() -> None:
    with pytest.raises(ValueError):
        publishable(make("approved", "granted", CHANNELS, None, "live"), "billboard", TODAY)


def test_reasons_name_what_to_fix() -> None:
    record = make("approved", "granted", ("print",), "2026-01-01", "deleted")
    assert why_not(record, "web", TODAY) == [
        "permission expired on 2026-01-01", "web is not in the granted scope", "upstream post is deleted"]


def test_a_hand_edit_or_a_missing_version_needs_a_new_yes() -> None:
    edited = make("approved", "granted", CHANNELS, None, "live", edited=True)
    assert why_not(edited, "web", TODAY) == [EDITED]
    unversioned = make("approved", "granted", CHANNELS, None, "live")
    unversioned.source.version = None
    assert not publishable(unversioned, "print", TODAY)
    whitespace = make("approved", "granted", CHANNELS, None, "live")
    whitespace.text = "  Great!\n"  # the version is of the normalised text: a trailing newline is no edit
    assert publishable(whitespace, "web", TODAY)


def test_display_order_is_featured_then_newest_then_id() -> None:
    a, b, c, d = (make("approved", "granted", CHANNELS, None, "live") for _ in range(4))
    a.id, a.posted_at = "a", "2026-01-01T00:00:00Z"
    b.id, b.posted_at = "b", "2026-05-01T00:00:00Z"
    c.id, c.posted_at, c.featured = "c", "2025-01-01T00:00:00Z", True
    d.id, d.posted_at = "d", "2026-05-01T00:00:00Z"
    assert [t.id for t in display_order([a, b, c, d])] == ["c", "b", "d", "a"]
