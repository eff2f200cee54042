"""Write docs/commands.md from the CLI's own help texts (the docstrings are the documentation).

Run `python scripts/commands_doc.py` after changing a command; a test fails while the page is stale.
"""
from __future__ import annotations

import sys
from pathlib import Path

from curator.cli import cli

PAGE = Path(__file__).resolve().parent.parent / "docs" / "commands.md"
INTRO = """# Commands

Every command prints its own documentation with `--help`; this page collects them. Common
rules: `-f/--config-file` picks the `mkdocs.yml` (default: the one in the current folder);
errors are one line each, and exit codes are **0** ok, **1** invalid data or config (every
problem listed), **2** usage, **3** a source failed after retries. Add `--debug` for tracebacks.
Commands that print data take `--json`.
"""


def render() -> str:
    sections = [INTRO]
    width = {"terminal_width": 88, "max_content_width": 88, "resilient_parsing": True}
    with cli.make_context("curator", [], **width) as ctx:
        for name in sorted(cli.list_commands(ctx)):
            command = cli.get_command(ctx, name)
            with command.make_context(name, [], parent=ctx, **width) as sub:
                sections.append(f"## curator {name}\n\n```text\n{command.get_help(sub)}\n```\n")
    return "\n".join(sections)


if __name__ == "__main__":
    PAGE.write_text(render(), "utf-8")
    sys.stdout.write(f"wrote {PAGE}\n")
