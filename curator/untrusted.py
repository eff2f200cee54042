"""Text from outside (servers, files, posts, names, config) on its way to a terminal, a CI log
or one line of Markdown: it may not drive the terminal (ANSI/OSC escapes), reorder what is
shown (bidi overrides), or start a line of its own (a fake ``::error::`` in a CI log, a newline
that ends a Markdown quote)."""

from __future__ import annotations

import unicodedata

KEPT_FORMAT = {"\u200c", "\u200d"}  # ZWNJ and ZWJ: scripts and emoji sequences need them
LINE_BREAKS = {"\n", "\r", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"}


def printable(text: str) -> str:
    """``text`` without control, format (bidi) and private characters; newlines and tabs kept."""
    return "".join(ch for ch in text if ch in "\n\t" or ch in KEPT_FORMAT or unicodedata.category(ch)[0] != "C")


def one_line(text: str) -> str:
    """``printable`` on a single line: every line break and run of whitespace becomes one space."""
    spaced = "".join(" " if ch in LINE_BREAKS or ch == "\t" else ch for ch in text)
    return " ".join(printable(spaced).split(" ")).strip() if spaced.strip() else ""
