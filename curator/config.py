"""Configuration: the ``curator`` block of ``mkdocs.yml`` (the only place settings live).

The CLI reads it without importing MkDocs; the plugin hands MkDocs' parsed block to the same
``Config.from_mapping`` so both validate against one schema. Secrets never live here: use
``!ENV`` in mkdocs.yml or the environment variables each source names.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from . import schema, yamlio
from .errors import CuratorError, InvalidData
from .model import CHANNELS

DEFAULT_CONFIG_FILE = "mkdocs.yml"


@dataclass(frozen=True)
class Config:
    root: Path = Path(".")  # the folder of mkdocs.yml; relative paths resolve against it
    enabled: bool = True
    brand: str = "Acme"
    store: str = "testimonials"
    wall_page: str = "wall/index.md"
    wall_title: str = "Selected testimonials, shared with permission"
    handles: dict[str, str] = field(default_factory=dict)
    consent_tag: str = "#YesAcme"
    revoke_tag: str = "#NoAcme"
    terms_url: str = "https://acme.example/testimonial-terms"
    terms_version: str = "1"
    signature: str = "^CU"
    default_scope: tuple[str, ...] = CHANNELS
    theme: str = "light"
    sources: tuple[dict[str, Any], ...] = ()  # `sources:` entries, validated by the schema; see curator.sources

    @property
    def store_dir(self) -> Path:
        return self.root / self.store

    @classmethod
    def from_mapping(cls, data: dict[str, Any] | None, root: Path, source: str = DEFAULT_CONFIG_FILE,
                     lines: dict | None = None) -> "Config":
        """Validate the plugin block; raise InvalidData with every problem (field, line)."""
        data = dict(data or {})
        problems = schema.problems("config", data, source, lines or {}, prefix="curator.")
        if problems:
            raise InvalidData(problems)
        known = {f.name for f in fields(cls)}
        values = {k: (tuple(v) if isinstance(v, list) else v) for k, v in data.items() if k in known}
        return cls(root=root, **values)


def load_config(config_file: Path | str = DEFAULT_CONFIG_FILE) -> Config:
    """Read the ``curator`` block from mkdocs.yml (``plugins:`` as a list or a mapping)."""
    path = Path(config_file)
    if not path.is_file():
        raise CuratorError(f"{path}: not found; run `curator init` here or pass --config-file")
    text = path.read_text("utf-8")
    data, problems = yamlio.parse(text, str(path))
    if problems:
        raise InvalidData(problems)
    plugins = (data or {}).get("plugins") or []
    block, where = None, ()
    if isinstance(plugins, dict):
        block, where, found = plugins.get("curator"), ("plugins", "curator"), "curator" in plugins
    else:
        found = False
        for index, item in enumerate(plugins):
            if item == "curator":
                found = True
            elif isinstance(item, dict) and "curator" in item:
                block, where, found = item["curator"], ("plugins", index, "curator"), True
    if not found:
        raise CuratorError(f"{path}: no `curator` entry under `plugins:`; add `- curator:` with your brand settings")
    lines = {key[len(where):]: line for key, line in yamlio.line_map(text).items() if key[: len(where)] == where}
    return Config.from_mapping(block, path.parent.resolve(), str(path), lines)
