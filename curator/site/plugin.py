"""The MkDocs plugin: the only module that imports MkDocs.

It reads the store, asks the publish gate which records each channel may show (``web`` for the
wall, pages and feed; ``embed`` for snippets, widgets and oEmbed), plans the outputs with the
plain modules in this package, and adds them to the build as in-memory ``File.generated``
files: nothing is written into ``docs/`` (that would make ``mkdocs serve`` rebuild forever).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from .. import policy, render
from ..config import Config
from ..errors import CuratorError, InvalidData
from ..store import Store
from . import outputs

log = get_plugin_logger(__name__)

EXTRA_CSS = ("embed/embed.css", "assets/curator/curator.css")
EXTRA_JS = ("assets/curator/site.js",)


class CuratorPlugin(BasePlugin):
    """``plugins: [curator: {...}]``. Options are validated by curator's own JSON Schema, the same
    one ``curator check`` uses, so the CLI and the build never disagree about the config."""

    def load_config(self, options: dict[str, Any], config_file_path: str | None = None):
        self.options = dict(options)
        return [], []

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps this instance alive across `mkdocs serve` rebuilds.
        pass

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        try:
            self.curator = Config.from_mapping(self.options, root, config.config_file_path or "mkdocs.yml")
        except InvalidData as err:
            raise PluginError("invalid curator config:\n" + "\n".join(map(str, err.problems))) from None
        if self.curator.enabled:
            # First, so a brand's own extra_css comes later and wins over curator's defaults.
            config.extra_css[:0] = [uri for uri in EXTRA_CSS if uri not in config.extra_css]
            config.extra_javascript.extend(uri for uri in EXTRA_JS if uri not in config.extra_javascript)
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        # src_uri → (body, head) as UTF-8: CPython stores a str holding one emoji at 4 bytes per
        # character, and a post's emoji end up in every page planned here.
        self.pages: dict[str, tuple[bytes, bytes]] = {}
        if not self.curator.enabled:
            return files
        try:
            store = Store.open(self.curator.store_dir)
        except InvalidData as err:
            raise PluginError("the testimonial store has problems:\n" + "\n".join(map(str, err.problems))) from None
        except CuratorError as err:
            raise PluginError(str(err)) from None
        # The one decision point: only what the gate lets through reaches any page or file.
        today = policy.build_date()
        web, embed = store.published("web", today), store.published("embed", today)
        avatars = {}
        for record in {t.id: t for t in web + embed}.values():
            if record.author.avatar:
                avatars[record.id] = f"assets/curator/{record.author.avatar}"
                self._add(files, config, avatars[record.id], store.avatar_path(record))
        cards = self._add_cards(files, config, store, web)
        # The press kit is on the public site, so a card needs both print and web permission.
        on_web = {record.id for record in web}  # by id: `record in web` would compare whole records, O(n²)
        printable = [record for record in store.published("print", today) if record.id in on_web]
        press, brochure = self._add_press_kit(files, config, store, printable)
        plan = outputs.plan_site(self.curator, config.site_url or "", web, embed, avatars, cards, press, brochure)
        for uri, content in plan.files.items():
            self._add(files, config, uri, content)
        for page in plan.pages:
            self.pages[page.src_uri] = (page.body.encode("utf-8"), page.head.encode("utf-8"))
            if files.get_file_from_path(page.src_uri) is None:  # a page in docs/ wins over ours
                inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
                files.append(File.generated(config, page.src_uri, content=page.markdown, inclusion=inclusion))
        return files

    def _add_cards(self, files: Files, config: MkDocsConfig, store: Store, web: list) -> dict[str, outputs.CardImages]:
        """Render (or take from the cache) every web card; they live outside docs/ in .cache/."""
        cache = self.curator.cache_dir
        written = render.render_site_cards(web, self.curator, store.root, cache / "cards", cache / "render")
        cards = {}
        for record in web:
            paths = written.get(record.id, [])
            for path in paths:
                self._add(files, config, f"cards/{path.name}", path)
            if card := outputs.card_images(record, paths, render.alt_text(record)):
                cards[record.id] = card
        return cards

    def _add_press_kit(self, files: Files, config: MkDocsConfig, store: Store, printable: list):
        """Print PDF/PNG of every card the print channel allows, and the brochure, under press/."""
        if not self.curator.press_kit:
            return None, None
        cache = self.curator.cache_dir
        written = render.render_press_kit(printable, self.curator, store.root, cache / "press", cache / "render")
        for paths in written.values():
            for path in paths:
                self._add(files, config, f"press/{path.name}", path)
        items = [outputs.PressItem(record, f"{record.id}-print.pdf", f"{record.id}-print.png")
                 for record in printable if len(written.get(record.id, [])) == 2]
        return items, ("brochure.pdf" if "brochure" in written else None)

    @staticmethod
    def _add(files: Files, config: MkDocsConfig, uri: str, content: str | bytes | Path) -> None:
        if files.get_file_from_path(uri) is not None:
            return
        if isinstance(content, Path):
            files.append(File.generated(config, uri, abs_src_path=str(content)))
        else:  # kept until written: UTF-8 bytes are a quarter of an emoji-holding str
            files.append(File.generated(config, uri, content=content.encode("utf-8") if isinstance(content, str) else content))

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        planned = self.pages.get(page.file.src_uri)
        if planned is None:
            return html
        if outputs.MARKER not in html:
            log.warning(f"{page.file.src_uri} has no {outputs.MARKER} line; curator's content was not inserted")
            return html
        body, head = planned
        self.pages[page.file.src_uri] = (b"", head)  # MkDocs keeps page.content; no second copy here
        return html.replace(outputs.MARKER, body.decode("utf-8"), 1)

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        planned = self.pages.get(page.file.src_uri)
        if planned is None or not planned[1]:
            return output
        return output.replace("</head>", planned[1].decode("utf-8") + "</head>", 1)

    def on_serve(self, server, /, *, config: MkDocsConfig, builder):
        server.watch(str(self.curator.store_dir))
        return server
