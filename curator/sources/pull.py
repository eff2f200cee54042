"""``curator pull`` as a pipeline of plain steps, each readable on its own:

1. fetch new posts from each source (from its cursor) and admit them (avatars fetched once);
2. re-check published records upstream (deleted/private posts drop out of the next build);
3. save the cursors;
4. the report (printed, ``--summary`` Markdown, ``--json``).

A source that fails (after retries) or answers with a malformed page is reported and skipped;
what the others pulled is kept, and the re-check and the consent threads still run, so a
takedown never waits for a broken server. Every store write is atomic, so killing the process
at any point leaves valid files, and what a killed pull admitted is classified by the next one.
"""

from __future__ import annotations

import copy
import re
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date
from collections.abc import Callable

from .. import consent, intake, moderation, platforms, policy, triage, untrusted
from ..config import Config
from ..errors import CuratorError, InvalidData, SourceError, UsageError
from ..model import CHANNELS, Testimonial, now_utc, ordered_signals
from ..platforms.base import MALFORMED, Adapter, Fetched, HttpFactory, default_http, origin
from ..platforms.http import Http, HttpSettings
from ..identity import Suppression, same_post
from ..store import Store
from . import adapter_for_url, build, specs_from_config
from ..identity import content_version
from ..images import AVATAR, EMOJI, MEDIUM, Encoded, ImageKind, ImageRejected
from ..model import CustomEmoji, Media
from ..platforms.base import Wanted
from ..store import keeps_files
from .images import fetch_image
from .cursors import Cursors

Progress = Callable[[str], None]


@dataclass
class PullReport:
    new: list[Testimonial] = field(default_factory=list)
    updated: list[Testimonial] = field(default_factory=list)
    unchanged: int = 0
    upstream_changes: list[tuple[Testimonial, str]] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # source name → one-line reason
    notes: list[str] = field(default_factory=list)  # skipped posts, rejected avatars
    refused: list[str] = field(default_factory=list)  # posts the store refused (invalid, id collision)
    consent: list[tuple[Testimonial, str]] = field(default_factory=list)  # granted / revoked / edited
    replies: list[tuple[Testimonial, str]] = field(default_factory=list)  # "answer" / "thank"
    auto_approved: list[Testimonial] = field(default_factory=list)
    rechecks: list[str] = field(default_factory=list)  # which published posts were asked about upstream, and why

    def to_json(self) -> dict:
        def brief(record: Testimonial) -> dict:
            return {
                "id": record.id,
                "platform": record.source.platform,
                "url": record.source.url,
                "author": record.author.name,
            }

        return {
            "new": [brief(r) for r in self.new],
            "updated": [brief(r) for r in self.updated],
            "unchanged": self.unchanged,
            "upstream": [{**brief(r), "status": status} for r, status in self.upstream_changes],
            "failed": [{"source": name, "error": why} for name, why in sorted(self.failed.items())],
            "consent": [{**brief(r), "change": change} for r, change in self.consent],
            "needs_reply": [{**brief(r), "kind": r.kind, "reply": what} for r, what in self.replies],
            "auto_approved": [brief(r) for r in self.auto_approved],
            "refused": self.refused,
            "rechecks": self.rechecks,
            "notes": self.notes,
        }


@dataclass
class Puller:
    """Runs the steps for a store and a list of adapters (tests inject ``http`` with a fake clock)."""

    store: Store
    adapters: list[Adapter]
    http: HttpFactory = default_http
    progress: Progress = lambda line: None
    config: Config | None = None  # needed for consent detection and auto-approval
    report: PullReport = field(default_factory=PullReport)
    _image_http: Http | None = field(default=None, init=False)
    # (kind, url) → stored image, or why not: one download per run
    _images: dict[tuple[str, str], tuple[str, Encoded] | ImageRejected] = field(default_factory=dict, init=False)
    _adhoc: dict[str, Adapter | None] = field(default_factory=dict, init=False)

    def run(self, recheck_all: bool = True) -> PullReport:
        """The steps, in order; each reads and writes the store through ``admit``/``save``."""
        cursors = Cursors.load(self.store.root)
        for adapter in self.adapters:
            self.fetch_new(adapter, cursors)
        self.classify_new()
        self.recheck_published(recheck_all)
        if self.config is not None:
            self.read_threads(self.config)
            self.auto_approve(self.config)
        cursors.save()
        return self.report

    # new mentions ------------------------------------------------------------------------------
    def fetch_new(self, adapter: Adapter, cursors: Cursors) -> None:
        cursor = cursors.get(adapter.name)
        pages = 0
        try:
            for page in adapter.pull(cursor):
                pages += 1
                for item in page:
                    self.admit(item)
                self.progress(f"{adapter.name}: page {pages}, {len(self.report.new)} new so far")
        except (CuratorError, *MALFORMED) as err:
            self.report.failed[adapter.name] = _failure(err)
            self.progress(f"{adapter.name}: failed (the error is printed once, at the end)")
            return
        finally:
            self.report.notes += adapter.notes
            adapter.notes = []
        cursors.set(adapter.name, cursor)
        self.progress(f"{adapter.name}: done ({pages} page(s))")

    def attach_files(self, item: Fetched) -> str | None:
        """Store the images the post shows: its avatar (once, for a post the store has never
        seen), every medium and custom emoji, a link card's picture. Returns why the post may not
        be admitted (one of its media or emoji could not be stored), else None."""
        record = item.record
        if self.store.suppressed.matches(record):
            return None  # never admitted: nothing of it is copied
        existing = self.store.find_post(record)
        if existing is not None and not keeps_files(existing):
            for name in Testimonial.WHOLE_POST_FIELDS:  # a rejected post's files stay deleted
                setattr(record, name, copy.deepcopy(getattr(existing, name)))
            return None
        if (most := max(len(item.media), len(item.quote_media))) > MAX_MEDIA:
            return f"it has {most} media; a record keeps at most {MAX_MEDIA}"
        cached = set(self._images)
        if existing is None and item.avatar_url:
            try:
                record.author.avatar = self.image(item.avatar_url, AVATAR)[0]
            except ImageRejected as err:
                self.report.notes.append(f"{record.id}: {err}; the card shows initials")
        try:
            record.media = [self.medium(wanted) for wanted in item.media]
            if record.quote is not None:
                record.quote.media = [self.medium(wanted) for wanted in item.quote_media]
            record.emoji = [self.emoji(code, url) for code, url in sorted(item.emoji.items())]
        except ImageRejected as err:
            self.forget_images(set(self._images) - cached)  # a post not admitted leaves no copies behind
            return str(err)
        if record.link is not None and item.link_image is not None:
            try:
                record.link.image = self.medium(item.link_image)
            except ImageRejected as err:  # the linked page's picture, not the author's: the card goes without
                self.report.notes.append(f"{record.id}: link card picture not kept: {err}")
        record.source.version = content_version(record)  # now that it covers the files too
        return None

    def medium(self, wanted: Wanted) -> Media:
        path, image = self.image(wanted.url, MEDIUM)
        link = wanted.link if wanted.link and wanted.link.startswith(("https://", "http://")) else None
        return Media(wanted.type, path, f"sha256-{image.sha256}", wanted.alt, image.width, image.height, link)

    def emoji(self, shortcode: str, url: str) -> CustomEmoji:
        path, image = self.image(url, EMOJI)
        return CustomEmoji(shortcode, path, f"sha256-{image.sha256}")

    def admit(self, item: Fetched) -> str | None:
        """One post into the store; a post the store refuses is a note, never the end of the pull."""
        record = item.record
        if why := self.attach_files(item):
            self.report.refused.append(missing_file(record, why))
            return None
        try:
            outcome = intake.admit(self.store, record, read_upstream=True)
        except InvalidData as err:
            self.report.refused.append(f"{record.id}: not saved: " + "; ".join(p.message for p in err.problems))
            return None
        except CuratorError as err:
            self.report.refused.append(f"not saved: {err}")
            return None
        if outcome == intake.NEW:
            self.report.new.append(record)
        elif outcome in (intake.UPDATED, intake.EDITED):
            self.report.updated.append(self.store.records[record.id])
            if outcome == intake.EDITED:
                self.report.consent.append((self.store.records[record.id], consent.EDITED))
        elif outcome == intake.UNCHANGED:
            self.report.unchanged += 1
        return outcome

    def forget_images(self, keys: set[tuple[str, str]]) -> None:
        """Delete the files these downloads stored, unless a stored record uses them."""
        stored = {key: found[0] for key, found in self._images.items() if key in keys and isinstance(found, tuple)}
        deleted = set(self.store.forget_files(stored.values()))
        for key, path in stored.items():
            if path in deleted:
                del self._images[key]

    def image(self, url: str, kind: ImageKind) -> tuple[str, Encoded]:
        """Download and store one image (once per run); raises ImageRejected."""
        key = (kind.name, url)
        if key not in self._images:
            if self._image_http is None:  # one session for every image host, made on first use
                self._image_http = self.http("download", HttpSettings(retries=2, read_timeout=10.0))
            try:
                self._images[key] = fetch_image(self._image_http, url, self.store.root, kind)
            except ImageRejected as err:
                self._images[key] = err
        found = self._images[key]
        if isinstance(found, ImageRejected):
            raise found
        return found

    # classification ----------------------------------------------------------------------------
    def classify_new(self) -> None:
        """Every new mention gets a kind and a score (only praise/happy/humor are wall material).

        A mention still unclassified in the inbox was admitted by a pull that was killed before
        this step: it is new to this run's report too, so it is classified, read and listed."""
        fetched = {record.id for record in self.report.new}
        self.report.new += [
            record
            for record_id, record in sorted(self.store.records.items())
            if record.kind is None and record.review.status == "inbox" and record_id not in fetched
        ]
        for record in self.report.new:
            triage.classify_record(record, self.config.brand if self.config else None)
            self.store.save(record)

    # threads: consent and replies --------------------------------------------------------------
    def read_threads(self, config: Config) -> None:
        """Threads decide consent (requests and grants: a #Yes grants, a #No revokes, an edit
        suspends) and whether a new mention still needs the brand's reply."""
        new_ids = {record.id for record in self.report.new}
        for record_id in sorted(self.store.records):
            record = self.store.records[record_id]
            asking = record.permission.status in ("requested", "granted") and record_id not in self.store.suppressed
            if not asking and record_id not in new_ids:
                continue
            if not asking and record.kind not in triage.NEEDS_ANSWER + triage.NEEDS_THANKS:
                continue
            adapter = self.adapter_for(record)
            if adapter is None:
                continue
            if record.upstream.status != "live":
                continue  # hidden anyway; its thread cannot be read
            try:
                self.read_thread(adapter, record, config, asking=asking, new=record_id in new_ids)
            except (CuratorError, *MALFORMED) as err:  # one thread's failure never stops the others
                self.report.failed.setdefault(adapter.name, f"thread of {record_id}: {_failure(err, adapter.name)}")

    def read_thread(self, adapter: Adapter, record: Testimonial, config: Config, *, asking: bool, new: bool) -> None:
        try:
            thread = adapter.thread(record)
        except CuratorError:
            # A post deleted since it was requested has no thread: that is news, not a failure.
            gone = adapter.upstream_status([record]).get(record.id, "live")
            if gone == "live":
                raise
            self.mark_upstream(record, gone)
            return
        if asking and (change := consent.apply_thread(record, thread, config, self.store)):
            self.report.consent.append((self.store.records[record.id], change))
        if new and (what := triage.needs_reply(record, thread, config)):
            self.report.replies.append((record, what))

    def auto_approve(self, config: Config) -> None:
        """Only when the brand opted in (``auto_approve.enabled``); a person can still reject."""
        records = sorted(self.store.records.values(), key=lambda r: r.id)
        chosen = [r.id for r in records if triage.auto_approve(r, config)]
        if chosen:
            self.report.auto_approved += moderation.set_review(self.store, chosen, "approved", "auto-approve policy")

    # re-check upstream -------------------------------------------------------------------------
    def recheck_published(self, recheck_all: bool) -> None:
        """Ask upstream about every record that is (or, but for its upstream state, would be)
        published, and every one whose author's signals could not be read when it came in."""
        today = policy.build_date()
        due = [
            r
            for r in sorted(self.store.records.values(), key=lambda r: r.id)
            if r.upstream.status != "deleted"
            and ("signals-unknown" in r.upstream.signals or _shown_if_live(r, today, self.store.suppressed))
        ]
        batches: dict[int, tuple[Adapter, list[Testimonial]]] = {}
        for record in due:
            adapter = self.adapter_for(record, adhoc=recheck_all)
            if adapter is not None:
                batches.setdefault(id(adapter), (adapter, []))[1].append(record)
        for adapter, records in batches.values():
            owned = any(adapter is configured for configured in self.adapters)
            self.report.rechecks.append(_rechecking(adapter.name, records, owned))
            self.progress(f"{adapter.name}: re-checking {len(records)} post(s) upstream")
            try:
                statuses = adapter.upstream_status(records)
            except (CuratorError, *MALFORMED) as err:
                hint = "" if owned else f"; {UNOWNED_HINT}"
                self.report.failed.setdefault(adapter.name, f"re-check: {_failure(err, adapter.name)}{hint}")
                continue
            finally:
                self.report.notes += adapter.notes
                adapter.notes = []
            signals, adapter.signals = adapter.signals, {}
            current, adapter.current = adapter.current, {}
            for record in records:
                self.mark_upstream(record, statuses.get(record.id, record.upstream.status), signals.get(record.id))
                # Edited upstream since its content was taken: admitted again, as `pull` admits a
                # post it sees, so an edit after consent hides it (and is a takedown) until the
                # author confirms the new version.
                if (edited := current.get(record.id)) is not None and same_post(record, edited.record):
                    self.admit(edited)

    def adapter_for(self, record: Testimonial, adhoc: bool = True) -> Adapter | None:
        """The source that can ask upstream about ``record`` (re-check, threads for consent).

        A configured source that owns it, else (``adhoc``, unless the config turns
        ``recheck_unowned`` off) a default adapter for the platform and host, e.g. for a post
        added by URL from an instance no source is configured for.
        """
        owner = next((a for a in self.adapters if a.owns(record)), None)
        if owner is not None or not adhoc or (self.config is not None and not self.config.recheck_unowned):
            return owner
        readable = record.source.platform in platforms.names() and platforms.get(record.source.platform).adapter_for_url
        if not readable or not record.source.url:
            return None
        where = f"{record.source.platform} {origin(record.source.url)}"
        if where not in self._adhoc:  # one adapter (one session) per platform and host
            try:
                self._adhoc[where] = adapter_for_url(record.source.url, [], self.http)
            except UsageError:
                self._adhoc[where] = None
        return self._adhoc[where]

    def close(self) -> None:
        """Hang up every client this run opened (a long-lived process must not keep their sockets)."""
        adhoc = [adapter for adapter in self._adhoc.values() if adapter is not None]
        for client in [adapter.http for adapter in self.adapters + adhoc] + [self._image_http]:
            if client is not None:
                client.close()

    def mark_upstream(self, record: Testimonial, status: str, signals: list[str] | None = None) -> None:
        """The post's state upstream and, when the source read them (``signals``), its author's
        signals. A signal that closes a channel is reported as a takedown (the gate hides the
        post there from the next build); one that closes none is a note for the reviewer."""
        was, before = record.upstream.status, record.upstream.signals
        after = before if signals is None else ordered_signals(signals)
        if status == was and after == before:
            return  # nothing changed: no write, so a re-run leaves the store byte-identical
        record.upstream.status, record.upstream.signals, record.upstream.checked_at = status, after, now_utc()
        self.store.save(record)
        changes = [status] if status != was else []
        for name in (n for n in after if n not in before):
            if policy.SIGNALS[name].closes:
                changes.append(name)
            else:
                meaning = policy.SIGNALS[name].meaning
                self.report.notes.append(f"{record.id}: the author's signal {name} appeared: {meaning}")
        for name in (n for n in before if n not in after):
            self.report.notes.append(f"{record.id}: the author lifted the signal {name}")
        for change in changes:
            self.report.upstream_changes.append((record, change))
            self.progress(f"{record.id}: upstream {change}")


UNOWNED_HINT = "set `recheck_unowned: false` in the curator block to re-check only what configured sources own"


def _rechecking(where: str, records: list[Testimonial], owned: bool) -> str:
    """Which published posts a re-check asks about, and why: no request goes out unexplained."""
    shown = ", ".join(record.id for record in records[:3]) + (
        f" and {len(records) - 3} more" if len(records) > 3 else ""
    )
    why = "published or signals unread: a post deleted, made private or closed by its author leaves the next build"
    unowned = "" if owned else f"; no configured source owns them (added by URL): {UNOWNED_HINT}"
    return f"{where}: re-checking {len(records)} post(s) upstream ({shown}), {why}{unowned}"


def _failure(err: Exception, name: str = "") -> str:
    """One line for a source that failed; a malformed answer is named by what it broke, not
    quoted (its text is the server's, not ours to print). ``name``: the source's, which the
    line then does not repeat (``error: NAME: ...`` names it once)."""
    if isinstance(err, CuratorError):
        return str(err).removeprefix(f"{name}: ") if name else str(err)
    return f"a malformed response ({type(err).__name__}); skipped"


def _shown_if_live(record: Testimonial, today: date, suppressed: Suppression) -> bool:
    """Published on some channel if upstream were live and its author sent no signal: so a post
    that went private, or whose author lifted a signal, can come back."""
    candidate = copy.deepcopy(record)
    candidate.upstream.status, candidate.upstream.signals = "live", []
    return any(policy.publishable(candidate, channel, today, suppressed) for channel in CHANNELS)


def adapters_for(config: Config, only: str | None, http: HttpFactory = default_http) -> list[Adapter]:
    specs = specs_from_config(config)
    names = [s.name for s in specs]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise CuratorError(
            f"sources: the name(s) {', '.join(twice)} are used twice; "
            "each source needs its own name (cursors are kept by name)"
        )
    if only is not None:
        specs = [s for s in specs if s.name == only]
        if not specs:
            known = ", ".join(names) or "none configured"
            raise UsageError(f"--source {only}: no such source in the config (sources: {known})")
    return [build(spec, http) for spec in specs]


def pull(
    config: Config,
    store: Store,
    only: str | None = None,
    http: HttpFactory = default_http,
    progress: Progress = lambda line: None,
    recheck_only: bool = False,
) -> PullReport:
    """Run the whole pipeline; with ``only``, one source (and only the records it owns are re-checked).
    ``recheck_only``: only ask upstream about the published posts (the daily takedown check):
    no new mentions, no consent threads, one batch lookup per source where the API has one."""

    def http_telling_waits(name: str, settings: HttpSettings) -> Http:
        client = http(name, settings)
        client.notify = progress
        return client

    adapters = adapters_for(config, only, http_telling_waits)
    with closing(Puller(store, adapters, http_telling_waits, progress, config)) as puller:
        if recheck_only:
            puller.recheck_published(recheck_all=only is None)
            return puller.report
        return puller.run(recheck_all=only is None)


def fetch_url(
    config: Config, store: Store, url: str, http: HttpFactory = default_http
) -> tuple[Testimonial, list[str]]:
    """One post by URL, normalised, its avatar stored: (record to admit, notes for the user)."""
    adapter = adapter_for_url(url, specs_from_config(config), http)
    with closing(Puller(store, [adapter], http)) as puller:
        try:
            fetched = adapter.fetch_url(url)
        except MALFORMED as err:
            raise SourceError(f"{adapter.name}: {url}: {_failure(err)}") from None
        if why := puller.attach_files(fetched):
            raise SourceError(missing_file(fetched.record, why))
    return fetched.record, adapter.notes + puller.report.notes


MAX_MEDIA = 4  # what the record schema and the cards' grid hold (and what the platforms allow)


def missing_file(record: Testimonial, why: str) -> str:
    """Why a post was not added, and how to add it once the file can be fetched."""
    where = record.source.url or record.id
    return (
        f"{where}: not added, {why}: a post without one of its pictures is not the post its author "
        f"wrote; run `curator add {where}` again once it loads"
    )


# --- the summary -------------------------------------------------------------------------------------


def summary_markdown(report: PullReport, today: str) -> str:
    """The Markdown the weekly job puts in its pull request (post text is untrusted: escaped)."""
    lines = [f"# curator pull, {today}", ""]

    def section(title: str, items: list[str]) -> None:
        lines.append(f"## {title} ({len(items)})")
        lines.append("")
        lines.extend(items or ["None."])
        lines.append("")

    section("New in the inbox", [_item(r, details=True) for r in report.new])
    section("Consent changes", [f"- `{r.id}`: {CONSENT_CHANGES[change]}" for r, change in report.consent])
    section("Needs a reply", [f"{_item(r)} ({_reply_wanted(r, what)})" for r, what in report.replies])
    if report.auto_approved:
        section("Approved by the auto-approve policy", [_item(r) for r in report.auto_approved])
    section("Updated", [_item(r) for r in report.updated])
    section(
        "Deleted or private upstream",
        [f"- `{r.id}`: {status}, dropped from the next build" for r, status in report.upstream_changes],
    )
    section("Failed sources", [f"- **{_escape(name)}**: {_escape(why)}" for name, why in sorted(report.failed.items())])
    if report.refused:
        section("Refused (not saved)", [f"- {_escape(line)}" for line in report.refused])
    if report.notes:
        section("Notes", [f"- {_escape(note)}" for note in report.notes])
    return "\n".join(lines).rstrip() + "\n"


CONSENT_CHANGES = {
    consent.GRANTED: "permission granted by the author's reply",
    consent.REVOKED: "revoked by the author: text and avatar removed, dropped from the next build",
    consent.EDITED: "post edited after consent: hidden until the author confirms again",
}


def _reply_wanted(record: Testimonial, what: str) -> str:
    return "answer this " + (record.kind or "post") if what == "answer" else "say thank you"


def _item(record: Testimonial, details: bool = False) -> str:
    excerpt = record.text if len(record.text) <= 140 else record.text[:139] + "…"
    url = record.source.url
    link = f" ([post](<{url}>))" if url and url.startswith(("https://", "http://")) else ""
    facts = ""
    if details:
        score = f"{record.sentiment:+.2f}" if record.sentiment is not None else "?"
        facts = f" — {record.kind or 'unclassified'}, score {score}, permission {record.permission.status}"
    return f"- `{record.id}` {_escape(record.author.name)}: {_escape(excerpt)}{link}{facts}"


def _escape(text: str) -> str:
    """Markdown-inert text on one line: no links, images, HTML or headings smuggled in, and no
    ``@name`` that would ping someone on the forge where the weekly pull request is opened."""
    flat = untrusted.one_line(text)
    return re.sub(r"([\\`*_{}\[\]()<>#+!|~@-])", r"\\\1", flat)
