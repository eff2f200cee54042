"""Takedowns found by a pull, and the store files the weekly job commits for them at once.

A pull mixes two kinds of change. New mentions, updates and grants wait for a person (the
weekly pull request). Changes that only ever take something off the site must not wait: a
revocation (``#NoAcme``), a post deleted or made private upstream, a post edited after its
author consented. The job commits exactly the files listed here to the default branch and
deploys in the same run, so the takedown is live minutes after the pull found it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .consent import EDITED, REVOKED
from .store import SUPPRESSED_FILE, Store


@dataclass(frozen=True)
class Takedown:
    id: str
    reason: str  # revoked | edited | deleted | private
    paths: tuple[Path, ...]  # store files this takedown wrote or removed

    def to_json(self, relative_to: Path) -> dict:
        return {"id": self.id, "reason": self.reason, "paths": [relative(p, relative_to) for p in self.paths]}


def avatars_before(store: Store) -> dict[str, Path]:
    """Avatar file of every record before the pull (a revocation deletes the file and forgets the name)."""
    return {record.id: path for record in store.records.values() if (path := store.avatar_path(record)) is not None}


def find(report, store: Store, avatars: dict[str, Path]) -> list[Takedown]:
    """The takedowns in a pull report (``curator.sources.pull.PullReport``), sorted by id."""
    reasons: dict[str, str] = {}
    for record, change in report.consent:
        if change in (REVOKED, EDITED):
            reasons[record.id] = change
    for record, status in report.upstream_changes:
        if status != "live":
            reasons.setdefault(record.id, status)  # a revocation says more than a deletion
    found = []
    for record_id, reason in sorted(reasons.items()):
        paths = [store.path_for(record_id)]
        if reason == REVOKED:
            paths.append(store.root / SUPPRESSED_FILE)
            avatar = avatars.get(record_id)
            if avatar is not None and not avatar.exists():  # kept when another record shares it
                paths.append(avatar)
        found.append(Takedown(record_id, reason, tuple(paths)))
    return found


def paths_text(takedowns: list[Takedown], relative_to: Path) -> str:
    """One path per line, each once, sorted: input for ``git add --pathspec-from-file``."""
    paths = sorted({relative(path, relative_to) for takedown in takedowns for path in takedown.paths})
    return "".join(f"{path}\n" for path in paths)


def relative(path: Path, start: Path) -> str:
    return Path(os.path.relpath(path.resolve(), start.resolve())).as_posix()
