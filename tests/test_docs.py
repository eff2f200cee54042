"""The user guide stays true to the code."""
from __future__ import annotations

import importlib.util
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _load_script(name: str):
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_commands_page_matches_the_help_texts() -> None:
    page = (REPO / "docs" / "commands.md").read_text("utf-8")
    assert page == _load_script("commands_doc").render(), "docs/commands.md is stale: run python scripts/commands_doc.py"


def test_readme_test_command_is_what_ci_runs() -> None:
    ci = (REPO / ".ci" / "run").read_text("utf-8")
    command = next(line for line in ci.splitlines() if "pytest" in line and not line.startswith("#"))
    assert command.strip() in (REPO / "README.md").read_text("utf-8")
