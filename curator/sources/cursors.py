"""Per-source cursors, kept in the store (``testimonials/_cursors.yml``) and committed with it.

A cursor says where the last pull stopped (newest id or time seen per query), so a weekly run
fetches only what is new. Written atomically and only when something changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .. import yamlio
from ..errors import InvalidData, Problem

CURSORS_FILE = "_cursors.yml"
HEADER = "# Where each source's last pull stopped (curator pull). Delete an entry to pull it again from scratch.\n"


@dataclass
class Cursors:
    path: Path
    by_source: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def load(cls, store_root: Path) -> Cursors:
        path = store_root / CURSORS_FILE
        if not path.exists():
            return cls(path)
        data, problems = yamlio.parse(path.read_text("utf-8"), str(path))
        if problems:
            raise InvalidData(problems)
        valid = isinstance(data, dict) and all(
            isinstance(v, dict) and all(isinstance(x, str) for x in v.values()) for v in data.values()
        )
        if data is not None and not valid:
            why = "must map source names to {key: string}; delete the file to start over"
            raise InvalidData([Problem(str(path), 1, "", why)])
        return cls(path, {str(k): dict(v) for k, v in (data or {}).items()})

    def get(self, source: str) -> dict[str, str]:
        return dict(self.by_source.get(source, {}))

    def set(self, source: str, cursor: dict[str, str]) -> None:
        if cursor:
            self.by_source[source] = dict(cursor)

    def save(self) -> bool:
        if not self.by_source and not self.path.exists():
            return False
        ordered = {name: dict(sorted(self.by_source[name].items())) for name in sorted(self.by_source)}
        return yamlio.write_atomic(self.path, HEADER + yamlio.dump(ordered))
