"""What a person decides about a record: approve, reject, grant, revoke.

Each function changes the record(s) and saves them atomically; none of them touches the
network. Revocation is a takedown: text, entities, avatar, media and emoji are scrubbed (their
files deleted), the id goes on the suppression list, and the next build drops the post from every
output. Rejecting a post deletes its media and emoji files (the record keeps what they were).
"""

from __future__ import annotations

import copy
import shutil
from datetime import date

from .config import Config
from .errors import CuratorError
from .model import Author, Testimonial, now_utc
from .identity import content_version, edited_since_consent
from .store import Store, record_files


# Kinds that are not testimonial material: approving one puts a complaint or a question on the wall.
NOT_WALL_MATERIAL = ("complaint", "crisis", "yikes", "skeptic", "question")


def set_review(
    store: Store, ids: list[str], status: str, by: str, note: str = "", force: bool = False
) -> list[Testimonial]:
    """Approve or reject records (all ids are checked before anything is written). Approving a
    record that is not wall material (``needs_force``) takes ``force``, recorded in the note."""
    records = [store.get(record_id) for record_id in ids]
    for record in records:
        _refuse_if_revoked(record, status)
        if status == "approved" and (why := needs_force(record)) and not force:
            raise CuratorError(
                f"{record.id}: {why}: approving it would put it on the wall; if a person decided "
                "so after reading it, approve it with --force"
            )
    for record in records:
        forced = status == "approved" and needs_force(record)
        record.review.status = status
        record.review.by = by
        record.review.at = now_utc()
        if note or forced:
            record.review.note = " ".join(
                part for part in (note, f"(approved with --force by {by}: {forced})" if forced else "") if part
            )
        store.save(record)
        if status == "rejected":  # never to be published: no copies of its pictures are kept
            store.forget_files(path for path, _ in record_files(record))
    return records


def needs_force(record: Testimonial) -> str | None:
    """Why approving ``record`` needs a person's explicit --force: its kind or a negative score."""
    if record.kind in NOT_WALL_MATERIAL:
        return f"it was classified as {record.kind}"
    if record.sentiment is not None and record.sentiment < 0:
        return f"its sentiment is negative ({record.sentiment:+.2f})"
    return None


def grant(
    store: Store,
    config: Config,
    record_id: str,
    evidence_url: str,
    *,
    scope: list[str] | None = None,
    expires: date | None = None,
    method: str = "reply",
    evidence_text: str | None = None,
) -> Testimonial:
    """Record that the author said yes, with the proof (the URL of their reply or message)."""
    record = store.get(record_id)
    _refuse_if_revoked(record, "grant")
    if not evidence_url.startswith(("https://", "http://")):
        raise CuratorError(f"{record_id}: --evidence must be the http(s) URL of the author's reply or message")
    granted_at = now_utc()
    if expires is not None and expires.isoformat() <= granted_at[:10]:
        raise CuratorError(f"{record_id}: --expires {expires} is not in the future")
    permission = record.permission
    permission.status = "granted"
    permission.scope = list(scope or config.default_scope)
    permission.method = method
    permission.granted_at = granted_at
    permission.evidence_url = evidence_url
    permission.evidence_text = evidence_text
    permission.terms_version = config.terms_version
    permission.expires = expires.isoformat() if expires else None
    permission.revoked_at = None
    record.source.version = content_version(record)
    store.save(record)
    return record


def revoke(store: Store, record_id: str, reason: str | None = None) -> Testimonial:
    """Takedown: scrub the words, the face and the name, keep only what proves the consent history."""
    record = store.get(record_id)
    avatar = store.avatar_path(record)
    files = [path for path, _ in record_files(record)]
    suppressed_as = copy.deepcopy(record)  # its prints are taken from the words about to be scrubbed
    record.permission.status = "revoked"
    record.permission.revoked_at = now_utc()
    record.permission.revoked_reason = reason
    scrub(record)
    # Suppress first: if we crash after this, the post is already hidden from every build.
    store.suppress(suppressed_as)
    store.save(record)
    if avatar and not any(
        other.author.avatar and store.avatar_path(other) == avatar for other in store.records.values()
    ):
        avatar.unlink(missing_ok=True)
    store.forget_files(files)
    return record


def scrub(record: Testimonial) -> None:
    """What a revoked record keeps is what proves the consent and its withdrawal: which post
    (id, platform, post id, URL, the consented version, when it was written and fetched), who
    could say yes or no (the author's immutable platform id, never a name), the review decision,
    and the permission history (request, evidence URL, terms, scope, dates, revocation). The
    words, the name, handle, profile link and face, and everything derived from the words
    (entities, highlight, language, metrics, kind, score, tags, disclosure, notes, the words of
    the yes), and what the post showed besides its words (media, warning, poll, quote, link, custom
    emoji) are dropped; the files behind them go with the record's other files on revoke."""
    record.text, record.entities, record.highlight, record.lang = "", [], None, None
    record.warning, record.media, record.poll, record.quote, record.link, record.emoji = None, [], None, None, None, []
    record.author = Author(name="", id=record.author.id)
    record.metrics, record.kind, record.sentiment, record.tags = None, None, None, []
    record.featured, record.disclosure, record.review.note = False, None, ""
    record.permission.evidence_text = None


def suspend_if_edited(record: Testimonial) -> bool:
    """A granted post whose text changed since consent goes back to ``requested``: hidden (the
    gate would hide it anyway) and waiting for the author's new yes. The caller saves."""
    if record.permission.status != "granted" or not edited_since_consent(record):
        return False
    record.permission.status = "requested"
    record.review.note = (
        f"post edited after consent granted on {record.permission.granted_at}; hidden until the author confirms again"
    )
    return True


def forget_rendered(config: Config) -> None:
    """Delete every rendered card and page: the caches are keyed by content, not by record, and
    a takedown must not leave the post's pixels or text behind. The next build renders what is
    still published."""
    shutil.rmtree(config.cache_dir, ignore_errors=True)


def _refuse_if_revoked(record: Testimonial, action: str) -> None:
    if record.permission.status == "revoked":
        raise CuratorError(f"{record.id}: was revoked by its author; it cannot be {action}d again")
