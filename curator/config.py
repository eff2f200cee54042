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
from .errors import CuratorError, InvalidData, Problem
from .model import CHANNELS

DEFAULT_CONFIG_FILE = "mkdocs.yml"


DEFAULT_ASK_TEMPLATE = (
    "{mention} Thank you so much for the kind words! May we feature your post on our website and in our "
    "materials? If yes, reply {consent_tag} to agree to our terms: {terms_url} (reply {revoke_tag} any time "
    "to withdraw). {signature}"
)


@dataclass(frozen=True)
class AutoApprove:
    """Publish without a human click (the weekly job), only when the brand turns it on."""

    enabled: bool = False
    kinds: tuple[str, ...] = ("praise", "happy")
    min_sentiment: float = 0.5
    require_consent: bool = True

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> "AutoApprove":
        return cls(**{k: (tuple(v) if isinstance(v, list) else v) for k, v in data.items()})


@dataclass(frozen=True)
class Config:
    root: Path = Path(".")  # the folder of mkdocs.yml; relative paths resolve against it
    enabled: bool = True
    brand: str = "Acme"
    store: str = "testimonials"
    wall_page: str = "wall/index.md"
    wall_title: str = "Selected testimonials, shared with permission"
    wall_page_size: int = 60  # cards per wall page (featured first, then newest); 0: every card on one page
    handles: dict[str, str] = field(default_factory=dict)
    consent_tag: str = "#YesAcme"
    revoke_tag: str = "#NoAcme"
    terms_url: str = "https://acme.example/testimonial-terms"
    terms_version: str = "1"
    signature: str = "^CU"
    default_scope: tuple[str, ...] = CHANNELS
    press_kit: bool = True  # build /press/: print PDF/PNG per card and a brochure (print channel)
    # --- curation: asking for permission, consent expiry, auto-approval ---
    ask_template: str = DEFAULT_ASK_TEMPLATE
    consent_valid_days: int | None = None  # a detected grant expires this many days after the reply
    auto_approve: "AutoApprove" = field(default_factory=lambda: AutoApprove())
    # Card renderer settings (curator/render): theme, brand colours, font files, metrics.
    cards: dict[str, Any] = field(default_factory=dict)
    sources: tuple[dict[str, Any], ...] = ()  # `sources:` entries, validated by the schema; see curator.sources
    # --- weekly refresh ---
    recheck_unowned: bool = True  # pull also asks upstream about records no configured source owns

    @property
    def store_dir(self) -> Path:
        return self.root / self.store

    @property
    def cache_dir(self) -> Path:
        """Rendered cards and their content-hash cache (like Material's .cache/plugin); never in git."""
        return self.root / ".cache" / "curator"

    @property
    def store_cache(self) -> Path:
        """Record files already validated, by content hash (``Store.open``'s shortcut)."""
        return self.cache_dir / "store.json"

    @classmethod
    def from_mapping(cls, data: dict[str, Any] | None, root: Path, source: str = DEFAULT_CONFIG_FILE,
                     lines: dict | None = None, docs_dir: Path | None = None) -> "Config":
        """Validate the plugin block; raise InvalidData with every problem (field, line).
        ``docs_dir``: MkDocs' (default ``docs`` beside mkdocs.yml), which must not hold the store."""
        data = dict(data or {})
        problems = schema.problems("config", data, source, lines or {}, prefix="curator.")
        if problems:
            raise InvalidData(problems)
        known = {f.name for f in fields(cls)}
        values = {k: (tuple(v) if isinstance(v, list) else v) for k, v in data.items() if k in known}
        if "auto_approve" in values:
            values["auto_approve"] = AutoApprove.from_mapping(values["auto_approve"])
        config = cls(root=root, **values)
        problems = config.problems_with_docs_dir(docs_dir or root / "docs", source, lines or {})
        if problems:
            raise InvalidData(problems)
        return config

    def problems_with_docs_dir(self, docs_dir: Path, source: str, lines: dict) -> list[Problem]:
        """MkDocs copies every file of ``docs_dir`` into the site: a store (every raw record, the
        unpublished and the revoked) or a cache inside it would be published whole."""
        docs = docs_dir.resolve()
        problems = []
        for name, folder in (("store", self.store_dir), ("cache", self.cache_dir)):
            inside = folder.resolve()
            if inside == docs or docs in inside.parents:
                problems.append(Problem(source, yamlio.line_of(lines, ("store",)), "curator.store",
                                        f"the {name} ({inside}) is inside docs_dir ({docs}), so MkDocs would publish "
                                        f"every raw record; keep the store beside mkdocs.yml (store: testimonials) "
                                        "and docs_dir apart from it"))
        return problems


def load_config(config_file: Path | str = DEFAULT_CONFIG_FILE) -> Config:
    """Read the ``curator`` block from mkdocs.yml (``plugins:`` as a list or a mapping)."""
    path = Path(config_file)
    if not path.is_file():
        raise CuratorError(f"{path}: not found; run `curator init` here or pass --config-file")
    text = path.read_text("utf-8")
    data, problems = yamlio.parse_config(text, str(path))
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
    root = path.parent.resolve()
    docs_dir = data.get("docs_dir") if isinstance(data.get("docs_dir"), str) else "docs"
    return Config.from_mapping(block, root, str(path), lines, docs_dir=root / docs_dir)
