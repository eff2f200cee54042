"""The benchmark harness's timing helper used by the card, browser and cores measurements."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import run  # noqa: E402


def test_interleave_times_every_action_the_same_number_of_times_in_turns() -> None:
    order: list[str] = []
    timed = run.interleave({"a": lambda: order.append("a"), "b": lambda: order.append("b")}, runs=3, warmup=1)
    assert order == ["a", "b"] * 4  # one warm-up round, then three timed rounds, taking turns
    assert {name: stat.runs for name, stat in timed.items()} == {"a": 3, "b": 3}
    assert all(0 <= stat.min <= stat.median <= stat.max for stat in timed.values())
