"""Where long work is: the phases of a build (or any long command), timed and counted.

The library reports; it never draws. A caller passes a ``Phases`` whose ``bar`` draws a phase's
steps (``bar(label, total)``: a context manager whose value has ``update(steps)``, the shape of
``render.batch.ProgressBar``) and whose ``done`` is told each finished phase. ``Phases()`` shows
nothing and still keeps every phase's counts and seconds, for a summary at the end.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext, suppress
from dataclasses import dataclass, field
from time import perf_counter

Bar = Callable[[str, int], AbstractContextManager]  # (label, steps) → a context whose value has update(steps)


@dataclass
class Finished:
    """One phase: its name, what it counted (``{"drawn": 3, "cached": 997}``) and how long it took."""

    name: str
    counts: dict[str, int]
    seconds: float

    def line(self) -> str:
        """``cards: 3 drawn, 997 cached (1.2 s)``: one plain line, for a log."""
        counts = ", ".join(f"{value} {key}" for key, value in self.counts.items())
        return f"{self.name}: {counts} ({self.seconds:.1f} s)" if counts else f"{self.name}: ({self.seconds:.1f} s)"

    def to_json(self) -> dict:
        return {"name": self.name, **self.counts, "seconds": round(self.seconds, 3)}


class Step:
    """A running phase: ``update`` moves its bar; ``count`` adds what it will report."""

    def __init__(self, bar=None) -> None:
        self._bar = bar
        self.counts: dict[str, int] = {}

    def update(self, steps: int = 1) -> None:
        if self._bar is not None:
            self._bar.update(steps)

    def count(self, **counts: int) -> None:
        self.counts.update(counts)


class _Abandoned(Exception):
    """Thrown into an open phase to end it without recording it."""


def no_bar(length: int) -> AbstractContextManager[Step]:
    """A progress bar that shows nothing (a CI log, a bar of one step)."""
    return nullcontext(Step(None))


def _no_bar(label: str, total: int) -> AbstractContextManager:
    return no_bar(total)


@dataclass
class Phases:
    bar: Bar = _no_bar
    done: Callable[[Finished], None] = lambda finished: None
    finished: list[Finished] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    _open: AbstractContextManager | None = field(default=None, repr=False)
    _started: float = field(default_factory=perf_counter, repr=False)

    @contextmanager
    def phase(self, name: str, total: int = 0) -> Iterator[Step]:
        """Time ``name``; its bar has ``total`` steps (none when 0)."""
        start = perf_counter()
        with self.bar(name, total) if total else nullcontext() as bar:
            step = Step(bar)
            yield step
        finished = Finished(name, step.counts, perf_counter() - start)
        self.finished.append(finished)
        self.done(finished)

    def start(self, name: str, total: int = 0) -> Step:
        """A phase that spans callbacks (MkDocs' events): ``stop`` ends it."""
        self._open = self.phase(name, total)
        return self._open.__enter__()

    def stop(self) -> None:
        opened, self._open = self._open, None
        if opened is not None:
            opened.__exit__(None, None, None)

    def abandon(self) -> None:
        """The work failed: close the open phase's bar (a terminal gets its cursor back), record nothing."""
        opened, self._open = self._open, None
        if opened is not None:
            with suppress(_Abandoned):
                opened.__exit__(_Abandoned, _Abandoned(), None)

    def to_json(self) -> dict:
        return {
            "phases": [finished.to_json() for finished in self.finished],
            "seconds": round(perf_counter() - self._started, 3),  # the phases, and what lies between them
            "warnings": self.warnings,
        }
