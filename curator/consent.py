"""Asking authors for permission, and reading their answer in the thread.

The brand replies to the post with a request (``request_text``); the author answers in that
thread. ``apply_thread`` reads the thread on every pull and decides, with these rules:

- a **grant** counts only if the reply's author id equals the post's author id, it is public
  (or unlisted), it was posted after the request, it descends from the request post (follow
  ``in_reply_to`` up), and the consent tag is a hashtag *entity* (``#YesAcmeNot`` or
  ``yes#YesAcme`` are not grants);
- the **revoke** tag from the author, anywhere in the thread, at any time and in any
  visibility (followers-only, direct), as an entity or written as a hashtag in the text, is a
  takedown: withdrawal always wins;
- tags are compared after Unicode NFKC and case folding (``＃ＮｏＡｃｍｅ`` is ``#NoAcme``);
  letters of other scripts that only look alike (Cyrillic ``А``) stay different;
- an **edited** post (its text no longer matches the version consent was given for) loses its
  grant until the author confirms again with a new reply.
"""

from __future__ import annotations

import hashlib
import os
import unicodedata
from dataclasses import dataclass
from datetime import timedelta
from collections.abc import Mapping

import regex

from . import moderation, platforms, policy
from .config import LANGUAGE_ASK_TEMPLATES, Config
from .errors import CuratorError, UsageError
from .model import Testimonial, ThreadPost, format_timestamp, now_utc, parse_timestamp
from .platforms import SentReply
from .store import Store

GRANTED, REVOKED, EDITED = "granted", "revoked", "edited"
REQUIRED_PLACEHOLDERS = ("consent_tag", "terms_url", "signature")


def request_text(record: Testimonial, config: Config) -> str:
    """The permission request reply for ``record``, from ``config.ask_template``.

    Raises CuratorError when the template is broken or cannot fit the platform's limit.
    """
    platform = platforms.shown(record.source.platform)
    handle = (record.author.handle or "").strip()
    # Where a reply notifies only the accounts it names, it names the author.
    mention = ("@" + handle.lstrip("@")) if platform.reply_mentions_author and handle else ""
    values = {
        "mention": mention,
        "author": record.author.name,
        "brand": config.brand,
        "consent_tag": config.consent_tag,
        "revoke_tag": config.revoke_tag,
        "terms_url": config.terms_url,
        "terms_version": config.terms_version,
        "signature": config.signature,
    }
    template = chosen_template(record, config)
    missing = [name for name in REQUIRED_PLACEHOLDERS if "{" + name + "}" not in template.text]
    if missing:
        raise CuratorError(
            f"{template.name}: must contain {', '.join('{' + m + '}' for m in missing)} "
            "(the consent hashtag, the terms link and the agent's signature)"
        )
    try:
        text = " ".join(template.text.format(**values).split())
    except (KeyError, IndexError, ValueError) as err:
        raise CuratorError(f"{template.name}: {err!s} is not a placeholder; use {{{'}, {'.join(values)}}}") from None
    length = platform.count(text)
    if length > platform.reply_limit:
        raise CuratorError(
            f"{template.name}: the request for {record.id} is {length} characters as {platform.label} "
            f"counts them, over its limit of {platform.reply_limit}; shorten it in mkdocs.yml"
        )
    return text


@dataclass(frozen=True)
class Template:
    name: str  # as the config names it, e.g. ``ask_templates_by_language.es``: ``ask`` says which it used
    text: str


def chosen_template(record: Testimonial, config: Config) -> Template:
    """The request in the post's language (``lang``) where a template exists for it, from
    ``ask_templates_by_language`` or the ones curator ships; else ``ask_template`` or one of
    ``ask_templates``, picked by the record's id: each post always gets the same wording, and
    requests to many people do not all read alike."""
    wanted = (record.lang or "").strip().lower().replace("_", "-")
    foreign = bool(wanted) and _primary(wanted) != _primary(config.ask_language.lower())
    if foreign:
        configured = {code.lower(): text for code, text in config.ask_templates_by_language.items()}
        for code in dict.fromkeys((wanted, _primary(wanted))):  # pt-br, then pt
            if code in configured:
                return Template(f"ask_templates_by_language.{code}", configured[code])
            if code in LANGUAGE_ASK_TEMPLATES:
                return Template(f"curator's {code} template", LANGUAGE_ASK_TEMPLATES[code])
    templates = (config.ask_template, *config.ask_templates)
    index = int(hashlib.sha256(record.id.encode()).hexdigest(), 16) % len(templates)
    name = "ask_template" if index == 0 else f"ask_templates[{index - 1}]"
    if foreign:
        name += f" (no template for {wanted})"
    return Template(name, templates[index])


def _primary(language: str) -> str:
    """The language of a tag: ``pt`` of ``pt-br``."""
    return language.replace("_", "-").split("-", 1)[0]


@dataclass(frozen=True)
class Request:
    """A permission request for a person to post: the text and, where the platform has one, a
    link that opens its composer with the text (``compose_replies``: as the reply itself; else
    the person pastes it as a reply to ``post_url``)."""

    text: str
    post_url: str | None
    compose_url: str | None
    compose_replies: bool
    template: str  # which template wrote the text (``Template.name``)
    signals: tuple[str, ...] = ()  # the author's signals, one line each: the person reads them before posting


def prepare(record: Testimonial, config: Config, env: Mapping[str, str] | None = None) -> Request:
    refuse_signalled(record, sending=False)
    platform = platforms.shown(record.source.platform)
    text = request_text(record, config)
    env = os.environ if env is None else env
    link = platform.compose_url(record, text, config, env) if platform.compose_url else None
    used = chosen_template(record, config).name
    return Request(text, record.source.url, link, platform.compose_replies, used, tuple(policy.signal_reasons(record)))


def refuse_signalled(record: Testimonial, sending: bool) -> None:
    """No request for a post its author closed (protected, embedding disabled: nothing could be
    shown), and none sent by curator for a post with any signal: a person reads it and decides."""
    reasons = policy.signal_reasons(record)
    closed = [name for name in record.upstream.signals if name in policy.SIGNALS and not policy.SIGNALS[name].ask]
    if closed:
        raise CuratorError(f"{record.id}: not asking: {'; '.join(reasons)}; no permission could publish it")
    if sending and reasons:
        raise CuratorError(
            f"{record.id}: not sending: {'; '.join(reasons)}. A person decides: run `curator ask {record.id}` "
            "for the text to post yourself, then `curator ask ID --posted URL`"
        )


def _folded(tag: str) -> str:
    return unicodedata.normalize("NFKC", tag).casefold().lstrip("#")


def has_hashtag(post: ThreadPost, tag: str) -> bool:
    """True if ``tag`` (e.g. ``#YesAcme``) is a whole hashtag entity of ``post``, any case or width."""
    wanted = _folded(tag)
    for entity in post.entities:
        if entity.type != "hashtag":
            continue
        before = post.text[entity.start - 1] if entity.start > 0 else " "
        after = post.text[entity.end] if entity.end < len(post.text) else " "
        if before.isalnum() or before == "_" or after.isalnum() or after == "_":
            continue  # an entity inside a word: a sloppy parser, not a hashtag
        if _folded(post.text[entity.start : entity.end]) == wanted:
            return True
    return False


def writes_hashtag(post: ThreadPost, tag: str) -> bool:
    """``has_hashtag``, or ``tag`` written as a whole hashtag in the text where the platform
    made no entity of it: for a withdrawal, however it was typed."""
    if has_hashtag(post, tag):
        return True
    pattern = r"(?<![\w#])#" + regex.escape(_folded(tag)) + r"(?!\w)"
    return regex.search(pattern, unicodedata.normalize("NFKC", post.text).casefold()) is not None


def is_request(post_id: str, url: str | None, request_url: str) -> bool:
    """Is this post the brand's request? Same URL, or the URL ends with the post's id (the
    record key of an at:// URI): sources may not return the brand's own reply in the thread."""
    return url == request_url or request_url.rstrip("/").endswith("/" + post_id.rsplit("/", 1)[-1])


def _replies_to_request(post: ThreadPost, request_url: str, by_id: dict[str, ThreadPost]) -> bool:
    """Follow ``in_reply_to`` up from ``post``: does the chain pass through the request?"""
    seen: set[str] = set()
    parent = post.in_reply_to
    while parent and parent not in seen:
        known = by_id.get(parent)
        if is_request(parent, known.url if known else None, request_url):
            return True
        seen.add(parent)
        parent = known.in_reply_to if known else None
    return False


def _later(post: ThreadPost, moment: str | None) -> bool:
    """Strictly later, to the second: stored times (granted_at) carry no fractions."""
    if moment is None:
        return True
    return parse_timestamp(post.posted_at).replace(microsecond=0) > parse_timestamp(moment).replace(microsecond=0)


def find_grant(record: Testimonial, thread: list[ThreadPost], config: Config, after: str | None) -> ThreadPost | None:
    """The first reply that grants permission under the rules above, posted after ``after``."""
    request_url = record.permission.request_url
    if not request_url or record.author.id is None:
        return None
    by_id = {post.post_id: post for post in thread}
    candidates = [
        post
        for post in thread
        if post.author_id == record.author.id
        and post.public
        and (post.url or "").startswith(("https://", "http://"))
        and _later(post, record.permission.requested_at)
        and _later(post, after)
        and _replies_to_request(post, request_url, by_id)
        and has_hashtag(post, config.consent_tag)
    ]
    return min(candidates, key=lambda post: parse_timestamp(post.posted_at), default=None)


def find_revocation(record: Testimonial, thread: list[ThreadPost], config: Config) -> ThreadPost | None:
    return next(
        (
            post
            for post in thread
            if record.author.id is not None
            and post.author_id == record.author.id
            and writes_hashtag(post, config.revoke_tag)
        ),
        None,
    )


def apply_thread(record: Testimonial, thread: list[ThreadPost], config: Config, store: Store) -> str | None:
    """Update ``record``'s permission from its thread; return "granted", "revoked", "edited" or None.

    ``record`` must be the store's current copy (``store.records[record.id]``): grants and
    revocations go through ``curator.moderation`` and are saved at once.
    """
    if store.records.get(record.id) is not record:
        raise ValueError(f"{record.id}: pass the store's current record to apply_thread")
    permission = record.permission
    if permission.status == "revoked":
        return None
    if revocation := find_revocation(record, thread, config):
        where = revocation.url or revocation.post_id
        moderation.revoke(store, record.id, f"author replied {config.revoke_tag}: {where}")
        return REVOKED
    outcome = None
    if moderation.suspend_if_edited(record):
        store.save(record)
        outcome = EDITED
    if permission.status != "requested":
        return outcome
    # After an edit only a newer reply re-confirms: the old grant was for the old text.
    reply = find_grant(record, thread, config, after=permission.granted_at)
    if reply is None:
        return outcome
    granted_on = parse_timestamp(reply.posted_at)
    expires = (granted_on + timedelta(days=config.consent_valid_days)).date() if config.consent_valid_days else None
    if expires and expires <= parse_timestamp(now_utc()).date():
        return outcome  # a yes that has already run out is no yes: ask again
    evidence = reply.url or ""  # never empty: find_grant keeps only replies with an http(s) URL
    moderation.grant(store, config, record.id, evidence, expires=expires, method="reply", evidence_text=reply.text)
    record.permission.granted_at = format_timestamp(granted_on)  # the evidence's own time, not when we noticed it
    if outcome == EDITED:
        record.review.note = f"re-confirmed after an edit by {reply.url}"
    store.save(record)
    return GRANTED


ASKABLE = ("none", "expired")


def send_request(store: Store, record: Testimonial, config: Config, env: Mapping[str, str] | None = None) -> SentReply:
    """Post the request as a reply and record ``permission.status: requested`` with its URL and time.

    Only a person sends, one post at a time: never under CI (``CI`` set), at most
    ``ask_per_hour`` requests in any hour and ``ask_spacing_seconds`` apart."""
    env = os.environ if env is None else env
    if env.get("CI", "").strip():
        raise UsageError(
            "ask --send: CI is set; a permission request is sent by a person, never by a job "
            "(run `curator ask ID` and post the printed text yourself)"
        )
    _check_askable(record)
    refuse_signalled(record, sending=True)
    platform = platforms.shown(record.source.platform)
    if platform.send_reply is None:
        raise CuratorError(
            f"{record.id}: came from {platform.label}, which has no reply API; ask by email or DM and "
            "record the answer with `curator grant ID --evidence URL --method email`"
        )
    check_pace(store, config)
    text = request_text(record, config)
    sent = platform.send_reply(record, text, config, env)
    _mark_requested(store, record, sent.url, sent.sent_at)
    return sent


def record_posted(store: Store, record: Testimonial, url: str) -> None:
    """A person posted the request by hand at ``url``: record it, so ``pull`` reads the thread
    for the author's answer. ``url`` must be a post URL of the record's platform."""
    _check_askable(record)
    platform = platforms.for_url(url)
    if platform is None or platform.name != record.source.platform:
        label = platforms.shown(record.source.platform).label
        raise UsageError(f"--posted: {url} is not a {label} post URL; give the URL of the reply you posted")
    _mark_requested(store, record, url, now_utc())


def _check_askable(record: Testimonial) -> None:
    permission = record.permission
    if permission.status not in ASKABLE:
        since = f" on {permission.requested_at} ({permission.request_url})" if permission.status == "requested" else ""
        raise CuratorError(f"{record.id}: permission is {permission.status}{since}; not asking again")


def _mark_requested(store: Store, record: Testimonial, url: str, when: str) -> None:
    record.permission.status = "requested"
    record.permission.request_url = url
    record.permission.requested_at = when
    store.save(record)


def check_pace(store: Store, config: Config) -> None:
    """Refuse a request sent too soon after the others (from ``requested_at`` in the store)."""
    now = parse_timestamp(now_utc())
    asked = (record.permission.requested_at for record in store.records.values())
    sent = sorted((parse_timestamp(moment) for moment in asked if moment), reverse=True)
    last_hour = [moment for moment in sent if now - moment < timedelta(hours=1)]
    if len(last_hour) >= config.ask_per_hour:
        wait = last_hour[config.ask_per_hour - 1] + timedelta(hours=1) - now
        raise CuratorError(
            f"ask --send: {len(last_hour)} requests sent in the last hour (ask_per_hour: {config.ask_per_hour}); "
            f"try again in {_minutes(wait)}"
        )
    if sent and now - sent[0] < timedelta(seconds=config.ask_spacing_seconds):
        wait = sent[0] + timedelta(seconds=config.ask_spacing_seconds) - now
        raise CuratorError(
            f"ask --send: the last request went out at {format_timestamp(sent[0])} "
            f"(ask_spacing_seconds: {config.ask_spacing_seconds}); try again in {_minutes(wait)}"
        )


def _minutes(wait: timedelta) -> str:
    seconds = max(1, int(wait.total_seconds() + 0.999))
    return f"{seconds} s" if seconds < 120 else f"{(seconds + 59) // 60} min"
