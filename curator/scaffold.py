"""``curator init``: the files of a new wall. Existing files are never overwritten."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from string import Template

from . import platforms, schema
from .store import SCHEMA_FILE

# (template in curator/scaffold/, destination in the new project)
FILES = (
    ("mkdocs.yml", "mkdocs.yml"),
    ("docs/index.md", "docs/index.md"),
    ("_suppressed.yml", "testimonials/_suppressed.yml"),
    ("gitignore", ".gitignore"),
    ("requirements.txt", "requirements.txt"),
    ("github-workflow.yml", ".github/workflows/curator.yml"),
    ("gitlab-ci.yml", ".gitlab-ci.yml"),
)
# CI files are copied byte for byte: their shell `$VARIABLES` are not template fields, and the
# project's own .github/workflows/curator.yml must stay identical to the template.
VERBATIM = {"github-workflow.yml", "gitlab-ci.yml"}
EMPTY_DIRS = ("testimonials/avatars", "overrides/curator")


def _source_examples() -> str:
    """The commented ``sources:`` entries of the starter config, one per platform that has one."""
    examples = platforms.source_examples()
    width = max((len(entry) for entry, _ in examples), default=0)
    return "\n".join("      #   - " + (f"{entry:<{width}}  # {env}" if env else entry) for entry, env in examples)


def scaffold(target: Path, brand: str) -> tuple[list[Path], list[Path]]:
    """Write the starter files under ``target``; returns (written, kept because they existed)."""
    tag = re.sub(r"[^0-9A-Za-z_]", "", brand.title()) or "Brand"
    written, kept = [], []
    templates = resources.files("curator") / "scaffold"
    for template, destination in FILES:
        path = target / destination
        if path.exists():
            kept.append(path)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        text = templates.joinpath(template).read_text("utf-8")
        if template not in VERBATIM:
            with_examples = Template(text).safe_substitute(source_examples=_source_examples())
            text = Template(with_examples).safe_substitute(brand=brand, tag=tag)
        path.write_text(text, "utf-8")
        written.append(path)
    schema_copy = target / "testimonials" / SCHEMA_FILE  # editors validate records against it
    if not schema_copy.exists():
        schema_copy.write_text(schema.text("testimonial"), "utf-8")
        written.append(schema_copy)
    for folder in EMPTY_DIRS:
        keep = target / folder / ".gitkeep"
        if not keep.exists():
            keep.parent.mkdir(parents=True, exist_ok=True)
            keep.touch()
            written.append(keep)
    return written, kept
