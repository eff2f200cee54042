"""The MkDocs plugin: the only module that imports MkDocs.

It reads the store, asks the publish gate which records the ``web`` channel may show, and adds
the wall page and its assets to the build as in-memory ``File.generated`` files: nothing is
written into ``docs/`` (that would make ``mkdocs serve`` rebuild forever).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from .. import policy
from ..config import Config
from ..errors import CuratorError, InvalidData
from ..model import Testimonial
from ..store import Store
from . import html

log = get_plugin_logger(__name__)

WALL_MARKER = "<!-- curator:wall -->"
CSS_URI = "assets/curator/curator.css"
ASSETS = Path(__file__).parent / "assets"


class CuratorPlugin(BasePlugin):
    """``plugins: [curator: {...}]``. Options are validated by curator's own JSON Schema, the same
    one ``curator check`` uses, so the CLI and the build never disagree about the config."""

    def load_config(self, options: dict[str, Any], config_file_path: str | None = None):
        self.options = dict(options)
        self.config_file_path = config_file_path
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
        if CSS_URI not in config.extra_css:
            config.extra_css.append(CSS_URI)
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        if not self.curator.enabled:
            return files
        try:
            store = Store.open(self.curator.store_dir)
        except InvalidData as err:
            raise PluginError("the testimonial store has problems:\n" + "\n".join(map(str, err.problems))) from None
        except CuratorError as err:
            raise PluginError(str(err)) from None
        # The one decision point: only what the gate lets through reaches any page or file.
        self.published: list[Testimonial] = store.published("web", policy.build_date())
        self.avatar_uris = self._add_avatars(files, config, store)
        files.append(File.generated(config, CSS_URI, abs_src_path=str(ASSETS / "curator.css")))
        if files.get_file_from_path(self.curator.wall_page) is None:
            page = (f"---\ntitle: {self.curator.wall_title}\nhide: [navigation, toc]\n---\n\n"
                    f"# {self.curator.wall_title}\n\n{WALL_MARKER}\n")
            files.append(File.generated(config, self.curator.wall_page, content=page))
        return files

    def _add_avatars(self, files: Files, config: MkDocsConfig, store: Store) -> dict[str, str]:
        uris: dict[str, str] = {}
        for record in self.published:
            source = store.avatar_path(record)
            if source is None:
                continue
            uri = f"assets/curator/{record.author.avatar}"
            if files.get_file_from_path(uri) is None:
                files.append(File.generated(config, uri, abs_src_path=str(source)))
            uris[record.id] = uri
        return uris

    def on_page_content(self, html_text: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if not self.curator.enabled or page.file.src_uri != self.curator.wall_page:
            return html_text
        if WALL_MARKER not in html_text:
            log.warning(f"{page.file.src_uri} has no {WALL_MARKER} marker; the wall was not inserted")
            return html_text
        avatars = {rid: get_relative_url(uri, page.url) for rid, uri in self.avatar_uris.items()}
        wall = html.render("wall.html", self.curator.root / "overrides", records=self.published, avatars=avatars,
                           note=f"Selected posts by customers of {self.curator.brand}, shared with the authors' permission.")
        return html_text.replace(WALL_MARKER, wall)

    def on_serve(self, server, /, *, config: MkDocsConfig, builder):
        server.watch(str(self.curator.store_dir))
        return server

