"""Bringing posts into the store: defaults for a new record, de-duplication, the suppression list.

Every way in (``add FILE``, ``add URL``, ``pull``) ends in ``admit``, so a revoked post is never
re-imported (whatever source brings it), a post seen twice is merged, not doubled, two posts
never share an id, a record that ``curator check`` would refuse is never written, and an edit
after consent takes the post down until its author confirms again.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from . import schema, yamlio
from .errors import CuratorError, InvalidData, Problem
from .identity import content_version, record_id
from .model import Testimonial, now_utc, ordered_signals
from .moderation import suspend_if_edited
from .store import Store, record_files

NEW = "new"
UNCHANGED = "unchanged"
UPDATED = "updated"
EDITED = "edited"  # updated, and the text changed after its author consented: hidden again
SUPPRESSED = "suppressed"
# A file given to `add` says what a post is, never what was decided about it: a person reviews
# every new record, and only the author's own yes (or `curator grant` with evidence) grants.
DECISIONS = ("review", "permission", "upstream")


class IdCollision(CuratorError):
    """Two different posts would share one id: refused, never merged."""


def record_from_mapping(data: dict[str, Any], shown: str, lines: dict | None = None) -> Testimonial:
    """A new inbox record from a post mapping; missing bookkeeping fields get their defaults."""
    data = copy.deepcopy(data)
    source = data.setdefault("source", {})
    if isinstance(source, dict) and "id" not in data and source.get("platform") and source.get("post_id"):
        data["id"] = record_id(source["platform"], str(source["post_id"]))
    data.setdefault("review", {"status": "inbox"})
    data.setdefault("permission", {"status": "none"})
    data.setdefault("upstream", {"status": "live", "checked_at": now_utc()})
    if isinstance(source, dict):
        source.setdefault("fetched_at", now_utc())
    problems = schema.problems("testimonial", data, shown, lines or {})
    if "id" not in data and not any(p.field == "id" for p in problems):
        problems.append(
            Problem(shown, 1, "source.post_id", "needed to make a stable id; add the post's id (or give `id:`)")
        )
    if problems:
        raise InvalidData(problems)
    record = Testimonial.from_dict(data)
    record.source.version = record.source.version or content_version(record)
    return record


def records_from_file(path: Path) -> tuple[list[Testimonial], list[str]]:
    """Read one post (or a list of posts) from a JSON or YAML file: the records, and a note for
    every decision the file tried to preset (they are ignored: new records start in the inbox)."""
    if not path.is_file():
        raise CuratorError(f"{path}: no such file")
    text = path.read_text("utf-8-sig")
    if path.suffix.lower() == ".json":
        try:
            data, lines = json.loads(text), {}
        except json.JSONDecodeError as err:
            raise InvalidData([Problem(str(path), err.lineno, "", f"not valid JSON: {err.msg}")]) from None
    else:
        data, problems = yamlio.parse(text, str(path))
        if problems:
            raise InvalidData(problems)
        lines = yamlio.line_map(text)
    items = data if isinstance(data, list) else [data]
    if not all(isinstance(item, dict) for item in items):
        raise InvalidData([Problem(str(path), 1, "", "expected a post (a mapping of fields) or a list of posts")])
    records, problems, notes = [], [], []
    for index, item in enumerate(items):
        item_lines = {k[1:]: v for k, v in lines.items() if k[:1] == (index,)} if isinstance(data, list) else lines
        preset = [name for name in DECISIONS if name in item]
        if isinstance(item.get("source"), dict) and "version" in item["source"]:
            preset.append("source.version")
        if preset:
            where = f"{path}:{yamlio.line_of(item_lines, (preset[0].split('.')[0],))}" if item_lines else str(path)
            notes.append(
                f"{where}: {', '.join(preset)} ignored: a new record starts in the inbox with "
                "permission none; use `curator approve` and `curator grant ID --evidence URL`"
            )
        post = {key: value for key, value in item.items() if key not in DECISIONS}
        if isinstance(post.get("source"), dict):
            post["source"] = {key: value for key, value in post["source"].items() if key != "version"}
        try:
            records.append(record_from_mapping(post, str(path), item_lines))
        except InvalidData as err:
            problems += err.problems
    if problems:
        raise InvalidData(problems)
    return records, notes


def admit(store: Store, record: Testimonial, read_upstream: bool = False) -> str:
    """Put a fetched post into the store unless it is suppressed; merge if we already have it.

    Merging refreshes what the platform says (text, metrics, upstream state) and keeps every
    decision a person made (review, permission, tags, featured, highlight, disclosure); a
    changed text suspends a grant (``EDITED``). The author's signals are replaced only by a
    post its platform just sent (``read_upstream``); a file never lifts one.
    Raises ``IdCollision`` when the id belongs to another post, and ``InvalidData`` when the
    record would not pass ``curator check``.
    """
    if store.suppressed.matches(record):
        return SUPPRESSED
    existing = store.find_post(record)
    if existing is None:
        if record.id in store.records:
            other = store.records[record.id]
            raise IdCollision(
                f"{record.id}: this id already belongs to another post ({other.source.platform} post "
                f"{other.source.post_id} by {other.author.name}, in {store.path_for(record.id).name}); "
                "not merged. Give the new post its own `id:` (or rename the stored file and its id)"
            )
        _refuse_invalid(store, record)
        store.save(record)
        return NEW
    record.id = existing.id  # stored under an older id scheme, maybe: the caller names it so from now on
    merged = copy.deepcopy(existing)
    merged.text, merged.entities, merged.lang = record.text, record.entities, record.lang
    for name in Testimonial.WHOLE_POST_FIELDS:  # what else the post shows now (poll votes, an edited image)
        setattr(merged, name, getattr(record, name))
    merged.metrics = record.metrics if record.metrics is not None else existing.metrics
    merged.author.name, merged.author.handle = record.author.name, record.author.handle
    merged.upstream.status = record.upstream.status
    seen = record.upstream.signals
    merged.upstream.signals = ordered_signals(seen if read_upstream else existing.upstream.signals + seen)
    edited = suspend_if_edited(merged)
    if merged.to_dict() == existing.to_dict():
        return UNCHANGED
    merged.source.fetched_at = record.source.fetched_at
    merged.upstream.checked_at = record.upstream.checked_at
    _refuse_invalid(store, merged)
    store.save(merged)
    store.forget_files(path for path, _ in record_files(existing))  # the pictures the post no longer shows
    return EDITED if edited else UPDATED


def _refuse_invalid(store: Store, record: Testimonial) -> None:
    """The rules of ``curator check``, before the file exists: a bad post is refused, not saved
    (one record that fails would make every later command refuse the whole store)."""
    problems = store.problems_in(record)
    if problems:
        raise InvalidData(problems)
