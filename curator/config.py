"""Configuration: the ``curator`` block of ``mkdocs.yml`` (the only place settings live).

The CLI reads it without importing MkDocs; the plugin hands MkDocs' parsed block to the same
``Config.from_mapping`` so both validate against one schema. Secrets never live here: use
``!ENV`` in mkdocs.yml or the environment variables each source names.
"""

from __future__ import annotations

import functools
import typing
from dataclasses import dataclass, field, is_dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import schema, yamlio
from .errors import CuratorError, InvalidData, Problem
from .model import CHANNELS

DEFAULT_CONFIG_FILE = "mkdocs.yml"


DEFAULT_ASK_TEMPLATE = (
    "{mention} Thank you so much for the kind words! May we feature your post on our website and in our "
    "materials? If yes, reply {consent_tag} to agree to our terms: {terms_url} (reply {revoke_tag} any time "
    "to withdraw). {signature}"
)
# The request in the languages curator ships (``ask_templates_by_language`` adds or replaces
# any of them): same placeholders and rules as ``ask_template``, short enough for X and Bluesky.
LANGUAGE_ASK_TEMPLATES = {
    "en": DEFAULT_ASK_TEMPLATE,
    "es": "{mention} ¡Muchas gracias por tus palabras! ¿Podemos mostrar tu publicación en nuestra web y en "
    "nuestros materiales? Si estás de acuerdo, responde {consent_tag} para aceptar nuestras condiciones: "
    "{terms_url} (responde {revoke_tag} cuando quieras para retirarla). {signature}",
    "fr": "{mention} Merci beaucoup pour ce message ! Pouvons-nous le présenter sur notre site et dans nos "
    "supports ? Si vous êtes d'accord, répondez {consent_tag} pour accepter nos conditions : {terms_url} "
    "(répondez {revoke_tag} à tout moment pour le retirer). {signature}",
    "de": "{mention} Vielen Dank für die netten Worte! Dürfen wir Ihren Beitrag auf unserer Website und in "
    "unseren Materialien zeigen? Wenn ja, antworten Sie mit {consent_tag}, um unseren Bedingungen zuzustimmen: "
    "{terms_url} (Widerruf jederzeit mit {revoke_tag}). {signature}",
    "pt": "{mention} Muito obrigado pelas palavras! Podemos mostrar a sua publicação no nosso site e nos nossos "
    "materiais? Se sim, responda {consent_tag} para aceitar os nossos termos: {terms_url} (responda "
    "{revoke_tag} a qualquer momento para retirar). {signature}",
}


@dataclass(frozen=True)
class AutoApprove:
    """Publish without a human click (the weekly job), only when the brand turns it on."""

    enabled: bool = False
    kinds: tuple[str, ...] = ("praise", "happy")
    min_sentiment: float = 0.5
    require_consent: bool = True


@dataclass(frozen=True)
class Brand:
    """``cards.brand``: the ``brand`` card theme's colours (``#RRGGBB``), radius and font; what is
    left out comes from ``light``. ``accent`` stands for ``link`` and ``badge`` when they are not set."""

    background: str | None = None  # the card
    canvas: str | None = None  # around the card (social sizes) and in the print bleed
    text: str | None = None
    secondary: str | None = None  # handle, date, disclosure
    border: str | None = None
    link: str | None = None
    accent: str | None = None
    badge: str | None = None
    highlight: str | None = None  # behind a highlighted excerpt
    radius: float | None = None  # corner radius in CSS px
    font: str | None = None  # a font file tried before the bundled ones


@dataclass(frozen=True)
class Cards:
    """``cards``: how the image cards look (curator/render). Font paths are relative to mkdocs.yml."""

    theme: str = "light"  # light | dim | dark | brand: the default of `curator render` and the site's light cards
    brand: Brand = field(default_factory=Brand)
    fonts: tuple[str, ...] = ()  # tried first, before the bundled fonts
    fallback_fonts: tuple[str, ...] = ()  # tried after the bundled fonts (e.g. a CJK font)
    metrics: bool = False  # show like/repost/reply counts
    timezone: str = "UTC"  # IANA name: the clock of the date line (never the machine's zone)

    def font_files(self) -> list[str]:
        """Every font file named in the block, as written."""
        return [*self.fonts, *self.fallback_fonts, *([self.brand.font] if self.brand.font else [])]


LAYOUTS = ("masonry", "grid", "carousel", "list", "single", "badge")


@dataclass(frozen=True)
class Font:
    """A self-hosted font file (WOFF2) in docs_dir for the wall and the embeds."""

    family: str
    src: str  # path inside docs_dir, e.g. assets/fonts/inter-400.woff2
    weight: str = "400"
    style: str = "normal"


@dataclass(frozen=True)
class Web:
    """``web``: how the wall and the embeds look on the web. Files are paths inside docs_dir."""

    layout: str = "masonry"  # the wall page's layout (LAYOUTS); embeds choose their own
    theme: str = "auto"  # embeds' default: light | dark | auto (the visitor's system setting)
    logo: str | None = None  # shown in the wall's header
    share_image: str | None = None  # og:image of pages that have no card of their own (PNG/JPEG)
    share_image_alt: str = ""  # its alt text (og:image:alt, twitter:image:alt)
    disclosure: str | None = None  # the wall header's wording; None: a sentence naming the brand
    selection: str | None = None  # the "How we select testimonials" page (Markdown); None: curator's
    contact: str | None = None  # where to ask for removal (an address or a link), said on that page
    fonts: tuple[dict, ...] = ()  # Font fields; every card (wall, iframes, snippets, component) uses them

    def font_files(self) -> tuple[Font, ...]:
        return tuple(Font(**font) for font in self.fonts)


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
    ask_templates: tuple[str, ...] = ()  # more wordings; each post gets one of these or ask_template
    ask_language: str = "en"  # the language ask_template (and ask_templates) are written in
    # a post in another language gets its template from here, else from LANGUAGE_ASK_TEMPLATES
    ask_templates_by_language: dict[str, str] = field(default_factory=dict)
    ask_per_hour: int = 10  # `ask --send`: at most this many requests in any hour...
    ask_spacing_seconds: int = 120  # ...and at least this long between two
    consent_valid_days: int | None = None  # a detected grant expires this many days after the reply
    auto_approve: AutoApprove = field(default_factory=AutoApprove)
    cards: Cards = field(default_factory=Cards)  # the card renderer's settings (curator/render)
    web: Web = field(default_factory=Web)  # the wall's layout, logo and share image; embeds' theme
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
    def from_mapping(
        cls,
        data: dict[str, Any] | None,
        root: Path,
        source: str = DEFAULT_CONFIG_FILE,
        lines: dict | None = None,
        docs_dir: Path | None = None,
    ) -> Config:
        """Validate the plugin block; raise InvalidData with every problem (field, line).
        ``docs_dir``: MkDocs' (default ``docs`` beside mkdocs.yml), which must not hold the store."""
        data = dict(data or {})
        lines = lines or {}
        problems = schema.problems("config", data, source, lines, prefix="curator.")
        if problems:
            raise InvalidData(problems)
        config = _typed(cls, data, root=root)
        problems = config.problems_with_docs_dir(docs_dir or root / "docs", source, lines)
        problems += config.problems_with_time_zone(source, lines)
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
                problems.append(
                    Problem(
                        source,
                        yamlio.line_of(lines, ("store",)),
                        "curator.store",
                        f"the {name} ({inside}) is inside docs_dir ({docs}), so MkDocs would publish "
                        f"every raw record; keep the store beside mkdocs.yml (store: testimonials) "
                        "and docs_dir apart from it",
                    )
                )
        return problems

    def problems_with_time_zone(self, source: str, lines: dict) -> list[Problem]:
        """A zone name the schema cannot check: whether this machine's time zone data knows it."""
        try:
            ZoneInfo(self.cards.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            return [
                Problem(
                    source,
                    yamlio.line_of(lines, ("cards", "timezone")),
                    "curator.cards.timezone",
                    f"unknown time zone {self.cards.timezone!r}; use an IANA name such as UTC, "
                    "Europe/Paris or Asia/Tokyo",
                )
            ]
        return []


def _typed(cls: type, data: dict[str, Any], **extra: Any) -> Any:
    """``cls`` built from a block the schema has validated: a nested block becomes its own
    dataclass, a YAML list a tuple (the config is frozen, and hashable where it can be)."""
    types = _field_types(cls)
    values = {}
    for name, given in data.items():
        if is_dataclass(types[name]):
            values[name] = _typed(types[name], given)
        else:
            values[name] = tuple(given) if isinstance(given, list) else given
    return cls(**values, **extra)


@functools.cache
def _field_types(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


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
    block: Any = None
    where: tuple[str | int, ...] = ()
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
    lines = {key[len(where) :]: line for key, line in yamlio.line_map(text).items() if key[: len(where)] == where}
    root = path.parent.resolve()
    docs_dir = data.get("docs_dir") if isinstance(data.get("docs_dir"), str) else "docs"
    return Config.from_mapping(block, root, str(path), lines, docs_dir=root / docs_dir)
