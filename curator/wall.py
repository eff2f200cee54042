"""A wall: one project (mkdocs.yml, its store, its site) and everything a person does to it.

The library-first core: every action of the ``curator`` command is a method here with all its
effects (the project lock, cache purges, deleted exports, takedowns), so a Python user gets
exactly what the command does, and each click command only parses options, calls one method
and prints::

    >>> import curator
    >>> wall = curator.Wall.open("mkdocs.yml")
    >>> wall.approve(["x-188000000000000013"], by="^JD")
    >>> wall.revoke("x-188000000000000013", reason="asked by email").deleted_exports
    >>> wall.build()

Methods that write the store or the site hold the project's lock (``curator.lock``) while they
run; ``with wall.writing("my script"):`` holds it across several calls.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from . import export, intake, moderation, policy
from .config import Config, load_config
from .errors import CuratorError, InvalidData, Problem
from .lock import project_lock
from .model import CHANNELS, REVIEW_STATUSES, Testimonial
from .store import Store

if TYPE_CHECKING:  # the network stack loads only for what uses it
    from .progress import Phases
    from .render.output import Sheet
    from .sources.pull import PullReport
    from .takedowns import Takedown

Tell = Callable[[str], None]  # where a method says what it is waiting for or doing (a line of text)


def _quiet(line: str) -> None:
    """A ``Tell`` that says nothing."""


@dataclass
class Listing:
    """One record as ``list`` shows it: where it is published today, or every reason it is not."""

    record: Testimonial
    published: list[str]
    hidden_because: list[str]

    def to_json(self) -> dict:
        record = self.record
        return {
            "id": record.id,
            "platform": record.source.platform,
            "author": record.author.name,
            "handle": record.author.handle,
            "kind": record.kind,
            "sentiment": record.sentiment,
            "review": record.review.status,
            "permission": record.permission.status,
            "signals": list(record.upstream.signals),
            "published": self.published,
            "hidden_because": self.hidden_because,
            "text": record.text,
        }


@dataclass
class Added:
    """What ``add`` did with each post (``intake.NEW``, ``UPDATED``, ``EDITED``, ``UNCHANGED``)."""

    results: list[tuple[str, str]] = field(default_factory=list)  # (record id, outcome)
    notes: list[str] = field(default_factory=list)


@dataclass
class Revoked:
    record: Testimonial
    deleted_exports: list[Path]


@dataclass
class Checked:
    """``check``: problems make the store unusable (exit 1); warnings are worth a person's look."""

    problems: list[Problem]
    warnings: list[Problem]


@dataclass
class Pulled:
    report: PullReport
    takedowns: list[Takedown]


@dataclass
class Rendered:
    channel: str
    outcomes: list  # curator.render.batch.Outcome, one per card
    skipped: list[str]  # one line per requested record the gate kept back
    brochure: Path | None


@dataclass
class Wall:
    config_file: Path
    tell: Tell = _quiet
    _config: Config | None = field(default=None, repr=False)
    _store: Store | None = field(default=None, repr=False)
    _locked: int = field(default=0, repr=False)

    @classmethod
    def open(cls, config_file: Path | str = "mkdocs.yml", tell: Tell = _quiet) -> Wall:
        """A wall by its mkdocs.yml; the config and the store are read when first needed."""
        return cls(Path(config_file), tell)

    @property
    def config(self) -> Config:
        if self._config is None:
            self._config = load_config(self.config_file)
        return self._config

    @property
    def store(self) -> Store:
        """The store, opened (and validated: every problem listed) on first use."""
        if self._store is None:
            self._store = Store.open(self.config.store_dir, self.config.store_cache)
        return self._store

    @contextmanager
    def writing(self, doing: str) -> Iterator[Wall]:
        """Hold the project's lock (re-entrant within this wall); the store is read again once
        it is held, so what another command wrote meanwhile is seen."""
        if self._locked:
            self._locked += 1
            try:
                yield self
            finally:
                self._locked -= 1
            return
        with project_lock(self.config_file.parent, doing, self.tell):
            self._locked, self._store = 1, None
            try:
                yield self
            finally:
                self._locked = 0

    # --- reading ---------------------------------------------------------------------------------

    def listing(self, status: str | None = None, kind: str | None = None) -> list[Listing]:
        """What ``list`` shows. ``status``: a review status, ``published`` (on the web today) or
        ``hidden`` (approved but held back by the gate); ``kind``: one kind only."""
        store, today = self.store, policy.build_date()
        rows = []
        for record in sorted(store.records.values(), key=lambda t: t.id):
            reasons = policy.why_not(record, "web", today, store.suppressed, store.missing_files)
            if (
                status == "published"
                and reasons
                or status == "hidden"
                and (record.review.status != "approved" or not reasons)
            ):
                continue
            if status in REVIEW_STATUSES and record.review.status != status or kind and record.kind != kind:
                continue
            channels = [
                c for c in CHANNELS if policy.publishable(record, c, today, store.suppressed, store.missing_files)
            ]
            rows.append(Listing(record, channels, reasons))
        return rows

    def check(self) -> Checked:
        """Validate the config and every file (avatars, media and emoji decoded, media and
        emoji against their digests); nothing is changed."""
        try:
            store = self.store
            problems = store.avatar_problems() + store.media_problems()
        except InvalidData as err:
            return Checked(err.problems, [])
        return Checked(problems, store.warnings() if not problems else [])

    def consent_log(self, fmt: str = "csv") -> str:
        return export.consent_log(self.store, fmt)

    # --- deciding --------------------------------------------------------------------------------

    def add(self, source: str) -> Added:
        """One post by URL (fetched), or every post in a JSON/YAML file, into the inbox."""
        with self.writing("curator add"):
            added = Added()
            if _looks_like_url(source):
                from .sources import pull as pulling  # the network stack loads only for what uses it

                record, added.notes = pulling.fetch_url(self.config, self.store, source)
                records, fetched = [record], True
            else:
                records, added.notes = intake.records_from_file(Path(source))
                fetched = False
            for record in records:
                outcome = intake.admit(self.store, record, read_upstream=fetched)
                if outcome == intake.SUPPRESSED:
                    raise CuratorError(
                        f"{record.id}: its author revoked permission; it is suppressed and will not be re-imported"
                    )
                added.results.append((record.id, outcome))
            return added

    def approve(self, ids: list[str], by: str | None = None, note: str = "", force: bool = False) -> list[Testimonial]:
        """Approve for the wall (``force`` for what is not wall material, see ``moderation``)."""
        with self.writing("curator approve"):
            return moderation.set_review(self.store, ids, "approved", by or self.config.signature, note, force)

    def reject(self, ids: list[str], by: str | None = None, note: str = "") -> list[Testimonial]:
        with self.writing("curator reject"):
            return moderation.set_review(self.store, ids, "rejected", by or self.config.signature, note)

    def grant(
        self,
        record_id: str,
        evidence_url: str,
        *,
        scope: list[str] | None = None,
        expires: date | None = None,
        method: str = "reply",
        evidence_text: str | None = None,
    ) -> Testimonial:
        """Record the author's yes with its proof (consent given outside a detectable reply)."""
        with self.writing("curator grant"):
            return moderation.grant(
                self.store,
                self.config,
                record_id,
                evidence_url,
                scope=scope,
                expires=expires,
                method=method,
                evidence_text=evidence_text,
            )

    def revoke(self, record_id: str, reason: str | None = None) -> Revoked:
        """Takedown, everywhere curator knows: scrub and suppress the record, empty the render
        cache, delete every exported file that holds the post; the next build drops it."""
        with self.writing("curator revoke"):
            record = moderation.revoke(self.store, record_id, reason)
            moderation.forget_rendered(self.config)
            return Revoked(record, export.purge_exports(self.config, record.id))

    def ask(self, record_id: str, send: bool = False, posted: str | None = None):
        """The permission request for a post: for a person to post (``send=False``: a
        ``curator.consent.Request``, the text and a compose link), or the reply posted
        (``curator.platforms.SentReply``) and the record marked ``requested``. ``posted``: the
        URL of the request a person posted; the record is marked ``requested`` (returns None)."""
        from . import consent

        with self.writing("curator ask"):
            record = self.store.get(record_id)
            if posted:
                return consent.record_posted(self.store, record, posted)
            if not send:
                return consent.prepare(record, self.config)
            return consent.send_request(self.store, record, self.config)

    # --- the network and the site ----------------------------------------------------------------

    def pull(self, only: str | None = None, progress: Tell = _quiet, recheck_only: bool = False) -> Pulled:
        """New mentions, consent threads, upstream re-checks; a takedown found on the way (a
        revocation, an edit after consent, a deletion) also empties the render cache.
        ``recheck_only``: only the upstream re-check of published posts (the daily job)."""
        from . import takedowns
        from .sources import pull as pulling  # the network stack loads only for what uses it

        with self.writing("curator pull"):
            avatars = takedowns.avatars_before(self.store)
            report = pulling.pull(self.config, self.store, only, progress=progress, recheck_only=recheck_only)
            found = takedowns.find(report, self.store, avatars)
            if found:
                moderation.forget_rendered(self.config)
            return Pulled(report, found)

    def build(self, site_dir: Path | None = None, phases: Phases | None = None) -> Path:
        """Strict MkDocs build, swapped into place atomically (``curator.build``: it takes the
        lock itself, so call it outside ``writing``). ``phases`` (``curator.progress.Phases``)
        is told where the build is, and keeps each phase's counts and seconds: cards drawn and
        cached, pages, testimonials added, updated and removed since the previous site."""
        from .build import build_site

        if self._locked:
            raise CuratorError("build takes the project's lock itself: call it outside `with wall.writing(...)`")
        self._store = None  # the build opens the store under the lock
        return build_site(self.config, self.config_file, site_dir, waiting=self.tell, phases=phases)

    def render(
        self,
        ids: list[str],
        options,
        out_dir: Path,
        brochure: Sheet | None = None,
        cache_dir: Path | None = None,
        jobs: int | None = None,
        progress=None,
        brochure_progress=None,
    ) -> Rendered:
        """Card files for ``ids`` (default: every record the gate lets through on the output's
        channel: ``print`` for print, PDF, TIFF and brochures, ``social`` for posters, ``web``
        for embeds), cached by content; each written file goes in the export manifest, so a
        revocation finds it. ``options``: ``curator.render.batch.Options``; ``brochure``: the
        ``curator.render.output.Sheet`` of a brochure.pdf to write too; ``progress`` and
        ``brochure_progress``: ``curator.render.batch.ProgressBar`` of the cards, of the brochure."""
        from . import render as renderer
        from .progress import no_bar
        from .render import batch, output

        channel = "print" if options.fmt in ("pdf", "tiff") or brochure else renderer.channel_for(options.size)
        with self.writing("curator render"):
            records, skipped = _gated(self.store, ids, channel, policy.build_date())
            if ids and not records:
                raise CuratorError(
                    f"nothing to render: none of the {len(ids)} requested record(s) may be shown "
                    f"on the {channel} channel ({'; '.join(skipped)})"
                )
            settings = batch.Settings.from_config(self.config)
            outcomes = renderer.render_records(
                records,
                settings,
                self.store.root,
                out_dir,
                options,
                cache_dir or self.config.cache_dir / "render",
                jobs,
                progress,
            )
            drawn = [outcome for outcome in outcomes if not outcome.error]
            exported = [(outcome.job.out, [outcome.job.card.id]) for outcome in drawn if outcome.job.out]
            brochure_path = None
            if brochure:
                brochure_path = out_dir / "brochure.pdf"
                with (brochure_progress or no_bar)(len(drawn)) as bar:
                    prints = (_stepped(bar, batch.render_one(outcome.job, settings)) for outcome in drawn)
                    output.write_atomic(brochure_path, output.brochure_pdf(prints, brochure))
                exported.append((brochure_path, [outcome.job.card.id for outcome in drawn]))
            export.record_exports(self.config, exported)
            return Rendered(channel, outcomes, skipped, brochure_path)


def _stepped(bar, value):
    """``value``, once ``bar`` has moved a step: a generator's items, counted as they are taken."""
    bar.update(1)
    return value


def _gated(store: Store, ids: list[str], channel: str, today: date) -> tuple[list[Testimonial], list[str]]:
    """Records to render (through the publish gate) and one line per requested record skipped."""
    unknown = [i for i in ids if i not in store.records]
    if unknown:
        raise CuratorError(f"no such record: {', '.join(unknown)} (see `curator list`)")
    candidates = [store.records[i] for i in ids] if ids else list(store.records.values())
    chosen, skipped = [], []
    for record in sorted(candidates, key=lambda r: r.id):
        if reasons := policy.why_not(record, channel, today, store.suppressed, store.missing_files):
            if ids:
                skipped.append(f"skipped {record.id}: not publishable on {channel}: {'; '.join(reasons)}")
        else:
            chosen.append(record)
    return chosen, skipped


def _looks_like_url(value: str) -> bool:
    return value.startswith(("http://", "https://", "at://")) or "://" in value and not Path(value).exists()
