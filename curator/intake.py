"""Bringing posts into the store: defaults for a new record, de-duplication, the suppression list.

Every way in (``add FILE``, ``add URL``, ``pull``) ends in ``admit``, so a revoked post is never
re-imported and a post seen twice is merged, not doubled.
"""
from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from . import schema, yamlio
from .errors import CuratorError, InvalidData, Problem
from .model import Testimonial
from .store import Store, content_version, record_id
from .moderation import now_utc

NEW = "new"
UNCHANGED = "unchanged"
UPDATED = "updated"
SUPPRESSED = "suppressed"


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
        problems.append(Problem(shown, 1, "source.post_id", "needed to make a stable id; add the post's id (or give `id:`)"))
    if problems:
        raise InvalidData(problems)
    record = Testimonial.from_dict(data)
    record.source.version = record.source.version or content_version(record.text, record.author.id)
    return record


def records_from_file(path: Path) -> list[Testimonial]:
    """Read one post (or a list of posts) from a JSON or YAML file."""
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
    records, problems = [], []
    for index, item in enumerate(items):
        item_lines = {k[1:]: v for k, v in lines.items() if k[:1] == (index,)} if isinstance(data, list) else lines
        try:
            records.append(record_from_mapping(item, str(path), item_lines))
        except InvalidData as err:
            problems += err.problems
    if problems:
        raise InvalidData(problems)
    return records


def admit(store: Store, record: Testimonial) -> str:
    """Put a fetched post into the store unless it is suppressed; merge if we already have it.

    Merging refreshes what the platform says (text, metrics, upstream state) and keeps every
    decision a person made (review, permission, tags, featured, highlight, disclosure).
    """
    if record.id in store.suppressed:
        return SUPPRESSED
    existing = store.records.get(record.id)
    if existing is None:
        store.save(record)
        return NEW
    merged = copy.deepcopy(existing)
    merged.text, merged.entities, merged.lang = record.text, record.entities, record.lang
    merged.metrics = record.metrics if record.metrics is not None else existing.metrics
    merged.author.name, merged.author.handle = record.author.name, record.author.handle
    merged.upstream.status = record.upstream.status
    if merged.to_dict() == existing.to_dict():
        return UNCHANGED
    merged.source.fetched_at = record.source.fetched_at
    merged.upstream.checked_at = record.upstream.checked_at
    store.save(merged)
    return UPDATED
