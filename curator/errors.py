"""Errors that the CLI turns into one clear line each and an exit code (see DESIGN.md)."""

from __future__ import annotations

from dataclasses import dataclass

# Exit codes (0: ok)
EXIT_INVALID = 1  # invalid data or config: every problem is listed
EXIT_USAGE = 2
EXIT_SOURCE = 3  # a source failed after retries; what was pulled is kept


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one file, printed as ``path:line: field: message``."""

    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"

    def to_json(self) -> dict:
        return {"path": self.path, "line": self.line, "field": self.field, "message": self.message}


class CuratorError(Exception):
    """A failure the user can fix; ``str(err)`` is the one line we print."""

    exit_code = EXIT_INVALID


class InvalidData(CuratorError):
    """The store or the config has problems; all of them are carried, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__(f"{len(self.problems)} problem(s) found")


class UsageError(CuratorError):
    exit_code = EXIT_USAGE


class SourceError(CuratorError):
    exit_code = EXIT_SOURCE
