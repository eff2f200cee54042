"""A poll's results in words and numbers, for the card's bars and its alt text alike.

Light on purpose (no Pillow): ``render.alt_text`` runs in the build's main process.
"""

from __future__ import annotations

from collections.abc import Sequence


def shares(votes: Sequence[int | None]) -> list[int]:
    """Each option's percentage of the votes, rounded; [] when the results are not known (a
    platform hides them until the poll ends)."""
    if any(count is None for count in votes):
        return []
    total = sum(count or 0 for count in votes)
    return [round(100 * (count or 0) / total) if total else 0 for count in votes]


def summary(votes: Sequence[int | None], closed: bool) -> str:
    """'12 votes · Closed': the votes counted (when known), and whether the poll still runs."""
    total = sum(count or 0 for count in votes)
    counted = f"{total:,} vote{'' if total == 1 else 's'}" if shares(votes) else ""
    return " · ".join(part for part in (counted, "Closed" if closed else "Open") if part)
