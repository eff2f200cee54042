"""The ``curator`` command. Thin: each command parses options, calls one method of
``curator.wall.Wall`` (where the effects live: locks, purges, takedowns) and prints.

Every command's docstring is its ``--help`` text. Errors are one line each (all problems when
data is invalid), exit codes follow DESIGN.md: 0 ok, 1 invalid data or config, 2 usage,
3 a source failed. ``--debug`` shows tracebacks.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import intake, moderation, platforms, policy, untrusted, yamlio
from .build import serve as serve_site
from .config import Config
from .errors import EXIT_INVALID, EXIT_SOURCE, CuratorError, InvalidData, UsageError
from .model import CHANNELS, PERMISSION_METHODS, REVIEW_STATUSES
from .render import theme as render_theme
from .scaffold import scaffold
from .wall import Wall

if TYPE_CHECKING:
    from .consent import Request


@dataclass
class Context:
    config_file: Path
    debug: bool
    wall: Wall

    @property
    def config(self) -> Config:
        return self.wall.config


class CuratorGroup(click.Group):
    """Turns CuratorError into one clear line (or a list of problems) and its exit code."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except CuratorError as err:
            if _debugging(ctx):
                raise
            _report(err)
            ctx.exit(err.exit_code)
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt):
            raise
        except Exception as err:  # a bug, not bad input: still no traceback unless asked
            if _debugging(ctx):
                raise
            click.echo(f"error: unexpected {type(err).__name__}: {err} (run with --debug for details)", err=True)
            ctx.exit(EXIT_INVALID)


def _debugging(ctx: click.Context) -> bool:
    return bool(ctx.obj and ctx.obj.debug) or "--debug" in sys.argv


def _report(err: CuratorError) -> None:
    if isinstance(err, InvalidData):
        for problem in err.problems:
            _say(str(problem), err=True)
        click.echo(f"{len(err.problems)} problem(s); nothing was changed", err=True)
    else:
        for line in str(err).splitlines() or [""]:  # one finding per line (each made safe on its own)
            _say(f"error: {line}", err=True)


def _excerpt(text: str, length: int = 50) -> str:
    """The start of a post, on one line, to tell records apart beside their hash-like ids."""
    flat = untrusted.one_line(text)
    return flat if len(flat) <= length else flat[: length - 1] + "…"


def _say(message: str, err: bool = False) -> None:
    """One line whose pieces came from outside (server replies, file names, names, post text):
    they can neither drive the terminal nor start a line of their own (see ``untrusted``)."""
    click.echo(untrusted.one_line(message), err=err)


def _echo_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


pass_ctx = click.make_pass_decorator(Context)


def _tell(line: str) -> None:
    click.echo(line, err=True)


@click.group(cls=CuratorGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "-f",
    "--config-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default="mkdocs.yml",
    show_default=True,
    envvar="CURATOR_CONFIG",
    help="The mkdocs.yml whose `curator` block configures the wall.",
)
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.version_option(package_name="curator")
@click.pass_context
def cli(ctx: click.Context, config_file: Path, debug: bool) -> None:
    """curator: turn what happy customers say about your brand into a testimonial wall,
    image cards and embeds, and only ever publish a post whose author said yes.

    \b
    Typical flow:
      curator pull                 gather mentions into the inbox
      curator list --status inbox  see what came in
      curator ask ID --send        ask the author for permission
      curator grant ID --evidence URL   (or let `pull` detect the #Yes reply)
      curator approve ID
      curator build                wall + cards + embeds into site/
    """
    ctx.obj = Context(config_file=config_file, debug=debug, wall=Wall.open(config_file, tell=_tell))


def main() -> None:
    cli(prog_name="curator")


# --- store commands ---------------------------------------------------------------------------


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--brand", default="Acme", show_default=True, help="Your brand's name (used in texts and hashtags).")
def init(directory: Path, brand: str) -> None:
    """Start a new wall in DIRECTORY: mkdocs.yml with a `curator` block, an empty
    testimonials/ store, docs/ and overrides/, and the weekly CI job for GitHub
    (.github/workflows/curator.yml) and GitLab (.gitlab-ci.yml) with its requirements.txt.
    Existing files are kept, never overwritten.

    Then: edit the `curator` block of mkdocs.yml, `curator add FILE` or `curator pull`,
    and `curator build`.
    """
    written, kept = scaffold(directory, brand)
    for path in written:
        click.echo(f"wrote {path}")
    for path in kept:
        click.echo(f"kept existing {path}")


@cli.command("list")
@click.option(
    "--status",
    type=click.Choice(REVIEW_STATUSES + ("published", "hidden")),
    help="inbox/approved/rejected by review; `published` = shown on the web today; "
    "`hidden` = approved but held back by the publish gate.",
)
@click.option("--kind", help="Only this kind of mention (praise, happy, humor, ...).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array (includes why each record is hidden).")
@pass_ctx
def list_cmd(obj: Context, status: str | None, kind: str | None, as_json: bool) -> None:
    """What is in the store: one line per record with its kind, review and consent state.

    The last column says where the record is published today (channels) or why it is not, and
    the signals its author sent upstream (protected, embedding-disabled, noindex, nobot, noquote).
    """
    rows = [listing.to_json() for listing in obj.wall.listing(status, kind)]
    if as_json:
        _echo_json(rows)
        return
    for row in rows:
        shown = ",".join(row["published"]) if row["published"] else "hidden: " + "; ".join(row["hidden_because"])
        shown += f" [author's signals: {', '.join(row['signals'])}]" if row["signals"] else ""
        who = f"{untrusted.one_line(row['author']) or '-'}: {_excerpt(row['text'])}"
        click.echo(f"{row['id']}\t{row['kind'] or '-'}\t{row['review']}\t{row['permission']}\t{shown}\t{who}")
    if not rows:
        click.echo("no records match", err=True)


@cli.command()
@click.argument("source")
@click.option("--json", "as_json", is_flag=True, help="Print the added records as JSON.")
@pass_ctx
def add(obj: Context, source: str, as_json: bool) -> None:
    """Add one post to the inbox: a post URL, or a JSON or YAML FILE of posts.

    A URL is a post's address as its platform shows it (the post is fetched through the
    platform's API); a URL of another form is refused with the list of forms curator reads.

    A FILE holds record fields (see the data model in the docs); at least
    source.platform, source.post_id, author.name, posted_at and text. New records start in the
    inbox with permission `none`: review, permission and upstream in the file are ignored.
    A post already in the store is refreshed, never doubled; if its text changed after its
    author consented, it is hidden until they confirm again. A revoked (suppressed) post is
    refused, whatever source brings it back.
    """
    added = obj.wall.add(source)
    for note in added.notes:
        _say(f"note: {note}", err=True)
    results = [{"id": record_id, "result": outcome} for record_id, outcome in added.results]
    if as_json:
        _echo_json(results)
    else:
        for row in results:
            hidden = " (text changed since the author consented: hidden until they confirm again)"
            click.echo(f"{row['result']}: {row['id']}" + (hidden if row["result"] == intake.EDITED else ""))


@cli.command()
@click.argument("ids", nargs=-1, required=True)
@click.option("--by", help="Who approves (initials such as ^JD); default: `signature` from config.")
@click.option("--note", default="", help="A note kept in review.note.")
@click.option(
    "--force",
    is_flag=True,
    help="Approve even a complaint, crisis, yikes, skeptic or question, or a "
    "post with a negative score (recorded in review.note).",
)
@pass_ctx
def approve(obj: Context, ids: tuple[str, ...], by: str | None, note: str, force: bool) -> None:
    """Approve IDS for the wall. Publishing also needs the author's permission:
    an approved record stays hidden until `permission.status` is granted.

    Only praise, happy and humor are wall material: approving any other kind, or a post with a
    negative sentiment score, is refused unless you add --force after reading it."""
    for record in obj.wall.approve(list(ids), by, note, force):
        reasons = policy.why_not(
            record, "web", policy.build_date(), obj.wall.store.suppressed, obj.wall.store.missing_files
        )
        click.echo(f"approved: {record.id}" + (f" (still hidden: {'; '.join(reasons)})" if reasons else ""))


@cli.command()
@click.argument("ids", nargs=-1, required=True)
@click.option("--by", help="Who rejects (initials such as ^JD); default: `signature` from config.")
@click.option("--note", default="", help="Why, kept in review.note.")
@pass_ctx
def reject(obj: Context, ids: tuple[str, ...], by: str | None, note: str) -> None:
    """Reject IDS: they stay in the store (so they are not pulled again) but are never shown."""
    for record in obj.wall.reject(list(ids), by, note):
        click.echo(f"rejected: {record.id}")


def _scope(value: str | None) -> list[str] | None:
    if value is None:
        return None
    scope = [part.strip() for part in value.split(",") if part.strip()]
    unknown = [part for part in scope if part not in CHANNELS]
    if unknown or not scope:
        raise click.BadParameter(f"use a comma-separated list of: {', '.join(CHANNELS)}", param_hint="--scope")
    return scope


@cli.command()
@click.argument("record_id", metavar="ID")
@click.option(
    "--evidence", required=True, metavar="URL", help="URL of the author's reply, DM or signed form saying yes."
)
@click.option(
    "--scope", help=f"Comma-separated channels the author agreed to ({', '.join(CHANNELS)}); default from config."
)
@click.option("--expires", type=click.DateTime(formats=["%Y-%m-%d"]), help="Date (YYYY-MM-DD) the permission ends.")
@click.option(
    "--method",
    type=click.Choice(PERMISSION_METHODS),
    default="reply",
    show_default=True,
    help="How the author said yes.",
)
@click.option("--text", "evidence_text", help="The words of the author's consent, kept as proof.")
@pass_ctx
def grant(
    obj: Context, record_id: str, evidence: str, scope: str | None, expires, method: str, evidence_text: str | None
) -> None:
    """Record that the author of ID gave permission, with the proof (--evidence URL).

    Use this when consent came outside a detectable reply (a DM, an email, a form). Replies
    with the consent hashtag are detected by `curator pull`. The current terms version from
    config is stored with the grant.
    """
    record = obj.wall.grant(
        record_id,
        evidence,
        scope=_scope(scope),
        expires=expires.date() if expires else None,
        method=method,
        evidence_text=evidence_text,
    )
    click.echo(f"granted: {record.id} ({', '.join(record.permission.scope)})")


@cli.command()
@click.argument("record_id", metavar="ID")
@click.option("--reason", help="Why (for the consent log), e.g. 'author asked by email'.")
@pass_ctx
def revoke(obj: Context, record_id: str, reason: str | None) -> None:
    """Take ID down: its author withdrew consent.

    The post's text, name and avatar are deleted from the store (what proves the consent and
    its withdrawal stays), the post goes on the suppression list (testimonials/_suppressed.yml)
    so no source imports it again, rendered cards are deleted from the cache (.cache/curator),
    every file `curator render` exported that holds it (cards, brochures) is deleted, and the
    next build drops it from every output (wall, pages, cards, embeds, feeds, search).
    """
    revoked = obj.wall.revoke(record_id, reason)
    for path in revoked.deleted_exports:
        _say(f"deleted export: {path}")
    click.echo(f"revoked: {revoked.record.id}; run `curator build` to take it off the site")
    click.echo("Files already sent elsewhere (to a printer, an agency, a CDN) must be recalled by hand.")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print problems as a JSON array.")
@pass_ctx
def check(obj: Context, as_json: bool) -> None:
    """Validate the config and every file in the store; print every problem as file:line: message.

    Exit code 1 if anything is wrong. Warnings (exit code 0) name records that are valid but
    held back, e.g. a post whose text was edited after its author consented. Run it before
    committing hand edits.
    """
    checked = obj.wall.check()
    if checked.problems:
        if as_json:
            _echo_json([problem.to_json() for problem in checked.problems])
            sys.exit(EXIT_INVALID)
        raise InvalidData(checked.problems)
    store, warnings = obj.wall.store, checked.warnings
    if as_json:
        _echo_json([{**warning.to_json(), "severity": "warning"} for warning in warnings])
    else:
        for warning in warnings:
            click.echo(f"warning: {warning}", err=True)
        click.echo(
            f"ok: {len(store.records)} records, {len(store.suppressed)} suppressed"
            + (f", {len(warnings)} warning(s)" if warnings else "")
        )


@cli.command("consent-log")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
@pass_ctx
def consent_log(obj: Context, fmt: str) -> None:
    """Print the consent log: for every record, the request, the evidence, scope, expiry and
    any revocation. Keep it as proof of consent (GDPR Art. 7(1): be able to demonstrate it)."""
    click.echo(obj.wall.consent_log(fmt), nl=False)


# --- site ---------------------------------------------------------------------------------------


@cli.command()
@click.option(
    "-d",
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write the site (default: site/ beside mkdocs.yml).",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@click.option(
    "--json", "as_json", is_flag=True, help="Print a JSON summary at the end (phases, counts, seconds, warnings)."
)
@pass_ctx
def build(obj: Context, site_dir: Path | None, quiet: bool, as_json: bool) -> None:
    """Build the wall (strict MkDocs build) into site/.

    The store is validated first; the site is built in a temporary folder and swapped into
    place only when the build succeeded, so a failed build leaves the previous site/ as it
    was. Only records the publish gate allows appear in any file of the site.
    Cards, pages and parts that did not change are reused from .cache/curator/ (delete it to
    make everything again). Set SOURCE_DATE_EPOCH to fix the build date (expiry is judged
    against it).

    Commands that write the store or the site (build, pull, add, approve, reject, grant,
    revoke, ask, review, render) run one at a time per project: a second one waits for the
    first (lock file .cache/curator.lock), so a revoke typed during a build takes effect after it.
    Staging folders a killed build left (.site-new-*, .site-old-*) are deleted. If the store
    changes by hand during a build (an edit, a git pull) so that a post it built may no longer
    be shown, the build keeps the previous site and exits 1.

    On a terminal each long phase (store, cards, pages, site) shows a bar with the time left;
    in a log, one plain line per phase with its counts and seconds. The last line says what
    changed since the previous site: testimonials added, updated, removed, cards drawn.
    """
    phases = _phases(quiet or as_json)
    site = obj.wall.build(site_dir, phases)
    if as_json:
        _echo_json({"site": str(site), **phases.to_json()})
    elif not quiet:
        click.echo(f"built {site}: {_what_changed(phases)}")


@cli.command()
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
@pass_ctx
def serve(obj: Context, dev_addr: str) -> None:
    """Live preview of the wall; rebuilds when docs/ or the testimonial store change."""
    if problems := obj.wall.check().problems:  # every problem listed before the server starts
        raise InvalidData(problems)
    serve_site(obj.config_file, dev_addr)


# --- curation: classify, ask, review -----------------------------------------------------------


@cli.command("classify")
@click.argument("text", required=False)
@click.option("--lang", help="Language code of the texts (VADER reads English; others use cue lexicons).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line: text, kind, sentiment, reason.")
@click.option(
    "--evaluate",
    "labelled",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Measure the rules on a labelled TSV: kinds (kind, lang, text) per kind, or ratings "
    "(label, confidence, [brand,] text) as wall candidates' precision, negatives, recall.",
)
def classify_cmd(text: str | None, lang: str | None, as_json: bool, labelled: Path | None) -> None:
    """Print the kind of mention (praise, happy, humor, question, skeptic, complaint, crisis,
    yikes) and the VADER sentiment score for TEXT, or for each line of stdin when TEXT is `-`
    or missing. Only praise, happy and humor are wall candidates; when unsure the rules never
    say praise or happy, and a post they cannot read (its language) is `unrated`.
    """
    # Imported here, as consent, triage and takedowns are: a module a command alone needs (and
    # what it imports: VADER's lexicon, the regex engine) costs nothing to the others (`build`).
    from . import classify

    if labelled:
        from .evaluation import report

        click.echo(report(labelled), nl=False)
        return
    texts = [text] if text and text != "-" else [line.rstrip("\r\n") for line in sys.stdin if line.strip()]
    for item in texts:
        result = classify.classify(item, lang)
        if as_json:
            click.echo(
                json.dumps(
                    {"text": item, "kind": result.kind, "sentiment": result.sentiment, "reason": result.reason},
                    ensure_ascii=False,
                )
            )
        else:
            click.echo(f"{result.kind}\t{result.sentiment:+.4f}\t{item}")


@cli.command()
@click.argument("record_id", metavar="ID")
@click.option("--send", is_flag=True, help="Post the request as a reply on the platform (default: only print it).")
@click.option("--posted", metavar="URL", help="You posted the request yourself, at URL: record it.")
@pass_ctx
def ask(obj: Context, record_id: str, send: bool, posted: str | None) -> None:
    """Print the permission request for ID: thanks, the ask, the consent hashtag, the terms
    link and your signature, from `ask_template` in mkdocs.yml, checked against the platform's
    length limit; `ask_templates` add other wordings, one per post. A post in another language
    than `ask_language` (en) gets the template for its language (`lang`), from
    `ask_templates_by_language` or the ones curator ships (en, es, fr, de, pt); the output says
    which template wrote the text. Then where you post it:
    a link that opens the platform's composer with the reply prepared, or, where its
    composer cannot make a reply, the post to reply to and the composer holding the text.

    With --send it is posted as a reply to the post (the token from the platform's environment
    variable, CURATOR_<PLATFORM>_...: see the consent guide) and the record gets
    permission `requested` with the reply's URL and time. Nothing is ever sent without --send;
    --send is for a person, one post at a time: it refuses to run when CI is set (exit 2) and
    sends at most `ask_per_hour` requests an hour, `ask_spacing_seconds` apart.
    With --posted URL, the request you posted yourself is recorded the same way.
    The author's answer is detected by `curator pull`.

    A post whose author is protected or disabled embedding is never asked (nothing could be
    shown); one with another signal (noindex, nobot, noquote, or signals not read) is never
    sent with --send: the text is printed, with the signal, for a person to decide.
    """
    if send and posted:
        raise UsageError("ask: --send posts the request, --posted records one you posted; give one")
    if posted:
        obj.wall.ask(record_id, posted=posted)
        _say(f"recorded: {record_id} asked at {posted}")
        return
    if not send:
        _print_request(obj.wall.ask(record_id))
        click.echo("(not sent: post it yourself, then `curator ask ID --posted URL`; or add --send)", err=True)
        return
    from .consent import chosen_template  # here: its regex library costs the other commands their start-up

    used = chosen_template(obj.wall.store.get(record_id), obj.wall.config).name
    _say(f"asked: {record_id} {obj.wall.ask(record_id, send=True).url} (template: {used})")


def _print_request(request: Request) -> None:
    """The text, then where a person posts it: the compose link, and the post to reply to."""
    for line in request.signals:  # curator never sends these: the person reads why first
        _say(f"note: author's signal {line}; not sent by curator: post it yourself only if welcome", err=True)
    click.echo(untrusted.printable(request.text))
    _say(f"(template: {request.template})", err=True)
    if request.compose_url and request.compose_replies:
        click.echo(f"reply with it: {request.compose_url}")
    elif request.post_url:
        click.echo(f"reply to {untrusted.printable(request.post_url)} with it")
        if request.compose_url:
            click.echo(f"(its composer, to copy from: {request.compose_url})")


REVIEW_CHOICES = {"a": "approve", "r": "reject", "k": "ask", "s": "skip", "q": "quit"}
REVIEW_STATUS_OF = {"approve": "approved", "reject": "rejected"}


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the inbox as a JSON array (for scripts) and exit.")
@click.option("--send", is_flag=True, help="`ask` posts the request as a reply (default: only prints it).")
@click.option("--by", help="Who decides (initials such as ^JD); default: `signature` from config.")
@click.option("--force", is_flag=True, help="Let [a]pprove take posts that are not wall material (see `approve`).")
@pass_ctx
def review(obj: Context, as_json: bool, send: bool, by: str | None, force: bool) -> None:
    """Triage the inbox one post at a time: [a]pprove, [r]eject, as[k] for permission,
    [s]kip, [q]uit. Wall candidates (praise, happy, humor) come first.

    Each post shows its text, kind, sentiment score and consent state. Works in any terminal
    (type the letter and Enter). Approving does not publish by itself: the author's permission
    is needed too. A complaint, crisis, yikes, skeptic or question, or a post with a negative
    score, is approved only with --force.
    """
    from . import triage

    with obj.wall.writing("curator review"):  # the whole session: its decisions are made on what it shows
        records = triage.inbox(obj.wall.store)
        if as_json:
            _echo_json([triage.summary(record) for record in records])
            return
        done = _review_session(obj.wall, records, send, by, force)
    click.echo(
        ", ".join(f"{name}: {count}" for name, count in done.items() if name != "quit")
        + f"; {len(records) - sum(done.values())} not seen"
        if records
        else "the inbox is empty"
    )


def _review_session(wall: Wall, records: list, send: bool, by: str | None, force: bool) -> dict[str, int]:
    """Show each record, ask for a decision, carry it out and confirm it; count the decisions."""
    from . import classify

    done = {name: 0 for name in REVIEW_CHOICES.values()}
    for number, record in enumerate(records, start=1):
        reason = classify.classify(record.text, record.lang, wall.config.brand).reason
        click.echo(_review_card(record, number, len(records), reason))
        askable = platforms.shown(record.source.platform).replies  # else asked by email or DM
        choices = [key for key in REVIEW_CHOICES if askable or REVIEW_CHOICES[key] != "ask"]
        prompt = "[a]pprove [r]eject " + ("as[k] " if askable else "") + "[s]kip [q]uit"
        try:
            action = REVIEW_CHOICES[click.prompt(prompt, default="s", type=click.Choice(choices), show_choices=False)]
        except click.Abort:  # the end of input (Ctrl-D, a script's last line) ends the session, not an error
            click.echo("")
            break
        if action == "quit":
            break
        if action == "approve" and not force and (why := moderation.needs_force(record)):
            _say(f"not approved: {record.id}: {why}; run `curator review --force` to approve such posts", err=True)
            action = "skip"
        done[action] += 1
        if action == "approve":
            wall.approve([record.id], by, force=force)
        elif action == "reject":
            wall.reject([record.id], by)
        elif action == "ask":
            _review_ask(wall, record.id, send)
        if action in REVIEW_STATUS_OF:
            click.echo(f"{REVIEW_STATUS_OF[action]}: {record.id}")
    return done


def _review_ask(wall: Wall, record_id: str, send: bool) -> None:
    try:
        if send:
            click.echo(f"asked: {wall.ask(record_id, send=True).url}")
        else:
            _print_request(wall.ask(record_id))
            click.echo("(not sent: run `curator review --send` or `curator ask ID --send` to post it)")
    except CuratorError as err:  # one failed request must not end the session
        _say(f"error: {err}", err=True)


def _review_card(record, number: int, total: int, reason: str) -> str:
    permission = record.permission
    consent_state = permission.status + (
        f" since {permission.granted_at or permission.requested_at}"
        if permission.status in ("granted", "requested")
        else ""
    )
    score = "-" if record.sentiment is None else f"{record.sentiment:+.2f}"
    return "\n".join(
        [
            f"--- {number}/{total}  {record.id}",
            untrusted.one_line(
                f"{record.author.name} {record.author.handle or ''}  {record.posted_at}  {record.source.url or ''}"
            ),
            f"kind: {record.kind or 'unclassified'} ({untrusted.one_line(reason)})  sentiment: {score}  "
            f"permission: {consent_state}",
            *(f"author's signal {line}" for line in policy.signal_reasons(record)),
            "",
            untrusted.printable(record.text),
            "",
        ]
    )


# --- render (cards) and doctor -----------------------------------------------------------------


@cli.command()
@click.argument("ids", nargs=-1)
@click.option(
    "--size",
    type=click.Choice(list(render_theme.SIZES)),
    default="embed",
    show_default=True,
    help="embed: 550 px wide, height fits; social 1200×675; square 1080×1080; story 1080×1920; "
    "print: --width mm at --dpi with --bleed.",
)
@click.option(
    "--theme",
    type=click.Choice(render_theme.THEME_NAMES),
    help="light, dim, dark, or brand (colours from `cards.brand`); default `cards.theme` or light.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["png", "pdf", "tiff"]),
    default="png",
    show_default=True,
    help="png (sRGB ICC), pdf (lossless, Trim/BleedBox), tiff (CMYK; needs --cmyk-profile).",
)
@click.option(
    "--scale",
    type=click.FloatRange(0.5, 4),
    default=1,
    show_default=True,
    help="Pixel density of embed cards (2 = retina).",
)
@click.option(
    "--width",
    "width_mm",
    type=click.FloatRange(40, 1000),
    default=100,
    show_default=True,
    help="Print trim width in mm.",
)
@click.option("--dpi", type=click.IntRange(72, 1200), default=300, show_default=True, help="Print resolution.")
@click.option(
    "--bleed",
    "bleed_mm",
    type=click.FloatRange(0, 20),
    default=3,
    show_default=True,
    help="Print bleed per side in mm (background extends into it).",
)
@click.option(
    "--cmyk-profile",
    type=click.Path(exists=True, dir_okay=False),
    help="The printer's CMYK ICC profile (for --format tiff).",
)
@click.option(
    "--brochure",
    type=click.Choice(["a4", "letter"]),
    help="Also write brochure.pdf: the print cards on A4/Letter pages with crop marks.",
)
@click.option(
    "--columns",
    type=click.IntRange(1, 6),
    help="Brochure: this many cards across, each as wide as fills the page (overrides --width). "
    "Default: as many as fit at --width, centred.",
)
@click.option(
    "--gap",
    "gap_mm",
    type=click.FloatRange(2, 40),
    default=8,
    show_default=True,
    help="Brochure: the gutter between cards in mm, across and down (crop marks sit in it).",
)
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default="cards", show_default=True)
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Content-hash cache: unchanged cards are not re-rendered. Default: the one `curator build` "
    "uses (.cache/curator/render beside mkdocs.yml), so both share cards and a takedown clears both.",
)
@click.option("--jobs", type=click.IntRange(1, 64), help="Parallel renders (default: all cores).")
@click.option("--json", "as_json", is_flag=True, help="Print what was written as JSON.")
@pass_ctx
def render(
    obj: Context,
    ids,
    size,
    theme,
    fmt,
    scale,
    width_mm,
    dpi,
    bleed_mm,
    cmyk_profile,
    brochure,
    columns,
    gap_mm,
    out_dir,
    cache_dir,
    jobs,
    as_json,
) -> None:
    """Render card images for IDS (default: every record publishable on the output's channel).

    The publish gate decides: `print` for --size print, pdf/tiff and --brochure; `social` for
    social, square and story; `web` for embed. Requested records that may not be shown are
    skipped with the reason. A card with a character no available font draws is not written
    (it would show a box): the error names the record, the characters, their script and the
    font to install. A text that cannot fit a fixed-size canvas is reported, never clipped.
    Never uses the network.
    """
    from .render import batch, output

    if fmt == "tiff":
        output.require_cmyk_profile(cmyk_profile)
    sheet = output.Sheet(brochure, dpi, gutter_mm=gap_mm, columns=columns) if brochure else None
    if sheet and columns:
        width_mm = sheet.trim_width_mm(columns, bleed_mm)
        if width_mm < 40:
            raise click.UsageError(f"{columns} columns would make cards {width_mm:.0f} mm wide; use fewer --columns")
    options = batch.Options(
        size="print" if brochure else size,
        theme=theme or obj.config.cards.theme,
        scale=scale,
        fmt=fmt,
        width_mm=width_mm,
        dpi=dpi,
        bleed_mm=bleed_mm,
        cmyk_profile=cmyk_profile,
    )
    rendered = obj.wall.render(
        list(ids),
        options,
        out_dir,
        sheet,
        cache_dir,
        jobs,
        progress=None if as_json else progress_bar("rendering cards"),
        brochure_progress=None if as_json else progress_bar("laying out the brochure"),
    )
    outcomes, channel = rendered.outcomes, rendered.channel
    for line in dict.fromkeys(rendered.skipped + [note for o in outcomes for note in o.notes]):  # once per batch
        _say(line, err=True)
    rows = [
        {
            "id": o.job.card.id,
            "path": None if o.error else str(o.job.out),
            "cached": o.cached,
            "error": o.error,
            "unsupported": [{"char": u.cluster, "code_points": u.code_points} for u in o.unsupported],
        }
        for o in outcomes
    ]
    if rendered.brochure:
        rows.append({"id": None, "path": str(rendered.brochure), "cached": False, "error": None, "unsupported": []})
    if as_json:
        _echo_json(rows)
    else:
        for row in rows:
            click.echo(
                f"error: {row['error']}"
                if row["error"]
                else f"{'cached' if row['cached'] else 'rendered'}: {row['path']}"
            )
        if not rows:
            click.echo(f"no records publishable on the {channel} channel", err=True)
    failures = [o.error for o in outcomes if o.error]
    if failures:
        raise CuratorError(f"{len(failures)} card(s) could not be rendered (see above)")


@cli.command("layout")
@click.argument("value", metavar="TEXT")
@click.option("--lang", help="The post's language (BCP 47): the CJK face, and the direction of a text without letters.")
@click.option("--width", type=click.FloatRange(1, 10_000), help="Column width in CSS px (default: a web card's, 518).")
@click.option("--size", type=click.FloatRange(1, 500), help="Font size in px (default: a web card's body, 20).")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print {direction, lines: [{start, end, visual, missing}]} (code-point indices into TEXT).",
)
@pass_ctx
def layout_cmd(
    obj: Context, value: str, lang: str | None, width: float | None, size: float | None, as_json: bool
) -> None:
    """How a card body lays TEXT out: its lines (where it wraps), each line's code points in
    visual order (left to right, by the Unicode bidi algorithm) and the characters no installed
    font draws. Uses the fonts of the `cards` config when run beside mkdocs.yml."""
    from .render import batch, card

    settings = batch.Settings.from_config(obj.config) if obj.config_file.is_file() else batch.Settings()
    report = card.describe_body(
        value,
        lang,
        settings.resolve_theme(),
        settings.cards.fonts,
        settings.cards.fallback_fonts,
        settings.root,
        width,
        size,
    )
    if as_json:
        _echo_json(report)
        return
    click.echo(f"direction: {report['direction']}")
    for number, line in enumerate(report["lines"], 1):
        shown = untrusted.one_line(value[line["start"] : line["end"]].rstrip())
        click.echo(f"line {number} [{line['start']}:{line['end']}]: {shown}")
        if line["missing"]:
            click.echo(f"       no glyph for: {' '.join(f'U+{ord(value[i]):04X}' for i in line['missing'])}")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the checks as a JSON array.")
@pass_ctx
def doctor(obj: Context, as_json: bool) -> None:
    """What this machine lacks (Python, config, layout engine, fonts, emoji, CJK, PDF, the tokens
    the configured sources need, write access to the store and the site folder) and how to fix
    each. Token checks name the environment variables, never their values. Exit code 1 if a
    check fails; warnings mean output works but is worse. Also runs outside a wall's folder."""
    from . import doctor as checks

    config, basics = checks.basics(obj.config_file)
    results = basics + checks.run_checks(config)
    if as_json:
        _echo_json([result.to_json() for result in results])
    else:
        for result in results:
            click.echo(f"[{result.status}] {result.name}: {result.detail}")
            if result.fix and result.status != checks.OK:
                click.echo(f"       fix: {result.fix}")
    if any(result.status == checks.FAIL for result in results):
        sys.exit(EXIT_INVALID)


# --- sources ----------------------------------------------------------------------------------


def progress_bar(label: str):
    """A ``render.batch.ProgressBar``: click's bar on a terminal, for work worth watching;
    nothing in a CI log."""

    def bar(length: int):
        if sys.stderr.isatty() and length > 1:
            return click.progressbar(length=length, label=label, file=sys.stderr)
        from .progress import no_bar  # not from render: the drawing stack loads only where cards are drawn

        return no_bar(length)

    return bar


def _phases(silent: bool):
    """A ``progress.Phases`` for the terminal: a bar per long phase, then its line (one plain
    line per phase off a terminal); nothing when ``silent``."""
    from .progress import Phases

    if silent:
        return Phases()
    return Phases(
        bar=lambda label, length: progress_bar(label)(length),
        done=lambda finished: click.echo(finished.line(), err=True),
    )


def _what_changed(phases) -> str:
    counts = {name: value for finished in phases.finished for name, value in finished.counts.items()}
    return (
        f"{counts.get('added', 0)} testimonial(s) added, {counts.get('updated', 0)} updated, "
        f"{counts.get('removed', 0)} removed; {counts.get('drawn', 0)} card(s) drawn"
    )


def _print_pull(report, found: list) -> None:
    """The pull's report for a person: counts, then a line per new post, change and note."""
    click.echo(
        f"new: {len(report.new)}, updated: {len(report.updated)}, unchanged: {report.unchanged}, "
        f"upstream changes: {len(report.upstream_changes)}, failed sources: {len(report.failed)}"
    )
    for record in report.new:
        click.echo(f"new: {record.id}\t{untrusted.one_line(record.author.name)}: {_excerpt(record.text)}")
    for line in report.rechecks:
        _say(line, err=True)
    for record, status in report.upstream_changes:
        click.echo(f"upstream {status}: {record.id}")
    for takedown in found:
        click.echo(f"takedown ({takedown.reason}): {takedown.id}")
    for note in report.notes:
        _say(f"note: {note}", err=True)
    for line in report.refused:
        _say(f"refused: {line}", err=True)


def _progress_printer(quiet: bool = False):
    """A line that rewrites itself on a terminal; plain lines in CI logs; nothing when ``quiet``."""
    if quiet:
        return lambda line: None
    if sys.stderr.isatty():
        return lambda line: click.echo(f"\r\033[K{untrusted.one_line(line)[:150]}", err=True, nl=False)
    return lambda line: _say(line, err=True)


@cli.command()
@click.option(
    "--source", "only", metavar="NAME", help="Pull only this source (a `name` from `sources:` in the config)."
)
@click.option(
    "--summary",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write what happened as Markdown to FILE (the weekly job's pull-request text).",
)
@click.option(
    "--takedowns",
    "takedowns_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the store files changed by takedowns (revoked, edited after consent, deleted "
    "or private upstream) to FILE, one path per line: what the weekly job commits at once.",
)
@click.option(
    "--recheck",
    "recheck_only",
    is_flag=True,
    help="Only re-check the published posts upstream (deleted, private): no new mentions, no "
    "consent threads. The daily job, for the platforms' 24-hour takedown rule.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON instead of text.")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors (and the takedowns' and summary files).")
@pass_ctx
def pull(
    obj: Context,
    only: str | None,
    summary: Path | None,
    takedowns_file: Path | None,
    recheck_only: bool,
    as_json: bool,
    quiet: bool,
) -> None:
    """Pull new mentions from the sources in the config into the inbox.

    Each source continues where the last pull stopped (cursors in testimonials/_cursors.yml),
    so re-running fetches nothing new and changes nothing. A post seen twice is merged; a
    revoked post is never re-imported. Published records are re-checked upstream: deleted or
    private posts are marked and drop out of the next build. The pull says which posts it
    re-checks, where and why; a post no configured source owns (added by URL) is re-checked on
    its own server unless `recheck_unowned: false`. Tokens come from the environment variables
    the config names.

    Exit code 3 if a source failed after retries or answered with a malformed page (each error
    is printed once, at the end); what the
    other sources pulled is kept, and the re-check, the consent replies and the takedowns
    still run. A malformed post is skipped with a note. Mentions a killed pull stored but did
    not classify are classified and listed as new by the next pull.
    """
    from . import takedowns
    from .sources import pull as pulling  # the network stack loads only for commands that use it

    start = time.perf_counter()
    pulled = obj.wall.pull(only, progress=_progress_printer(quiet), recheck_only=recheck_only)
    seconds = round(time.perf_counter() - start, 3)
    report, found = pulled.report, pulled.takedowns
    if sys.stderr.isatty() and not quiet:
        click.echo("", err=True)
    if summary:
        yamlio.write_atomic(summary, pulling.summary_markdown(report, moderation.now_utc()[:10]))
    if takedowns_file:
        yamlio.write_atomic(takedowns_file, takedowns.paths_text(found, Path.cwd()))
    if as_json:
        _echo_json({**report.to_json(), "takedowns": [t.to_json(Path.cwd()) for t in found], "seconds": seconds})
    elif not quiet:
        _print_pull(report, found)
    for name, why in sorted(report.failed.items()):
        _say(f"error: {why}" if why.startswith(name) else f"error: {name}: {why}", err=True)
    if report.failed:
        sys.exit(EXIT_SOURCE)
    if report.refused and not (report.new or report.updated):
        sys.exit(EXIT_INVALID)  # every post that came was refused: say so to CI
