"""``curator init``: the files of a new wall. Existing files are never overwritten."""
from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from string import Template

from . import schema
from .store import SCHEMA_FILE

# (template in curator/scaffold/, destination in the new project)
FILES = (
    ("mkdocs.yml", "mkdocs.yml"),
    ("docs/index.md", "docs/index.md"),
    ("_suppressed.yml", "testimonials/_suppressed.yml"),
    ("gitignore", ".gitignore"),
)
EMPTY_DIRS = ("testimonials/avatars", "overrides/curator")


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
        text = Template(templates.joinpath(template).read_text("utf-8")).safe_substitute(brand=brand, tag=tag)
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
