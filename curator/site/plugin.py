"""The MkDocs plugin: the only module that imports MkDocs.

It reads the store, asks the publish gate which records each channel may show (``web`` for the
wall, pages and feed; ``embed`` for snippets, widgets and oEmbed), plans the outputs with the
plain modules in this package, and adds them to the build as in-memory ``File.generated``
files: nothing is written into ``docs/`` (that would make ``mkdocs serve`` rebuild forever).
"""
from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path
from typing import Any

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException, PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from .. import policy, render
from ..config import Config
from ..errors import CuratorError, InvalidData
from ..store import Store
from . import html, outputs
from .parts import PartCache

log = get_plugin_logger(__name__)

EXTRA_CSS = ("embed/embed.css", "assets/curator/curator.css")
EXTRA_JS = ("assets/curator/site.js",)


def build(config_file: Path, site_dir: Path, store: Store | None = None) -> None:
    """``mkdocs build --strict`` of ``config_file`` into ``site_dir``, in this process.

    ``store``: the store the caller has opened (and so validated) already; the build uses it
    instead of reading every record file a second time. Raises CuratorError with MkDocs'
    warnings and errors when the build fails."""
    messages = _Collect()
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(messages)
    try:
        mkdocs_config = load_config(str(config_file), strict=True, site_dir=str(site_dir))
        for plugin in mkdocs_config.plugins.values():
            if isinstance(plugin, CuratorPlugin):
                plugin.preloaded = store
        mkdocs_build(mkdocs_config)
    except MkDocsException as err:
        detail = "\n".join([*messages.lines[-30:], f"Error: {err.format_message()}"])
        raise CuratorError(f"mkdocs build failed; the previous site was left untouched:\n{detail}") from None
    finally:
        mkdocs_log.removeHandler(messages)


class _Collect(logging.Handler):
    """MkDocs' warnings and errors, kept for the failure message (strict: any warning fails)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname}: {record.getMessage()}")


class CuratorPlugin(BasePlugin):
    """``plugins: [curator: {...}]``. Options are validated by curator's own JSON Schema, the same
    one ``curator check`` uses, so the CLI and the build never disagree about the config."""

    preloaded: Store | None = None  # set by `build` for one build

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
        html.forget_templates()  # `mkdocs serve` rebuilds: a brand may have edited an override
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        self.pages: dict[str, outputs.Page] = {}  # src_uri → the page's parts, made when MkDocs gets there
        # uri → (what to write, hard-link it?): written by on_post_build, not registered with MkDocs.
        # A wall of 10,000 has 90,000 such files; as MkDocs File objects they cost 100 MB.
        self.outputs: dict[str, tuple[str | Path | outputs.Part, bool]] = {}
        if not self.curator.enabled:
            return files
        store, self.preloaded = self.preloaded, None
        try:
            store = store or Store.open(self.curator.store_dir, self.curator.store_cache)
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
                self._output(files, avatars[record.id], store.avatar_path(record), link=True)
        cards = self._add_cards(files, store, web)
        # The press kit is on the public site, so a card needs both print and web permission.
        on_web = {record.id for record in web}  # by id: `record in web` would compare whole records, O(n²)
        printable = [record for record in store.published("print", today) if record.id in on_web]
        press, brochure = self._add_press_kit(files, store, printable)
        plan = outputs.plan_site(self.curator, config.site_url or "", web, embed, avatars, cards, press, brochure)
        # What an unchanged testimonial's pages looked like last time: read, not rendered again.
        self.parts = PartCache(self.curator.cache_dir / "parts", self.curator.root / "overrides")
        for uri, content in plan.files.items():
            self._output(files, uri, content)
        for page in plan.pages:
            if page.late:
                page.late = self.parts.wrap(page.late)
            if page.head:
                page.head = self.parts.wrap(page.head)
            self.pages[page.src_uri] = page
            if files.get_file_from_path(page.src_uri) is None:  # a page in docs/ wins over ours
                inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
                files.append(File.generated(config, page.src_uri, content=page.markdown, inclusion=inclusion))
        return files

    def _add_cards(self, files: Files, store: Store, web: list) -> dict[str, outputs.CardImages]:
        """Render (or take from the cache) every web card; the site links the cache's files."""
        written = render.render_site_cards(web, self.curator, store.root, self.curator.cache_dir / "render")
        cards = {}
        for record in web:
            made = dict(written.get(record.id, []))
            for name, path in made.items():
                self._output(files, f"cards/{name}", path, link=True)
            if card := outputs.card_images(record, made, render.alt_text(record)):
                cards[record.id] = card
        return cards

    def _add_press_kit(self, files: Files, store: Store, printable: list):
        """Print PDF/PNG of every card the print channel allows, and the brochure, under press/."""
        if not self.curator.press_kit:
            return None, None
        cache = self.curator.cache_dir
        written = render.render_press_kit(printable, self.curator, store.root, cache / "press", cache / "render")
        for paths in written.values():
            for path in paths:
                self._output(files, f"press/{path.name}", path, link=True)
        items = [outputs.PressItem(record, f"{record.id}-print.pdf", f"{record.id}-print.png")
                 for record in printable if len(written.get(record.id, [])) == 2]
        return items, ("brochure.pdf" if "brochure" in written else None)

    def _output(self, files: Files, uri: str, content: str | Path | outputs.Part, link: bool = False) -> None:
        """A file for on_post_build to write; ``link``: hard-link ``content`` (an image) instead of copying it."""
        if uri not in files.src_uris:  # a file in docs/ wins over ours (uris are already POSIX)
            self.outputs[uri] = (content, link)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if not self.curator.enabled:
            return
        site, folders = Path(config.site_dir), set()
        for uri, (content, link) in self.outputs.items():
            target = site / uri
            if target.parent not in folders:  # 9 files a testimonial, in a few folders
                target.parent.mkdir(parents=True, exist_ok=True)
                folders.add(target.parent)
            if isinstance(content, str):
                target.write_text(content, "utf-8")
            else:  # a file, or a part made into the part cache: both linked, not copied
                _copy(content if isinstance(content, Path) else self.parts.file(content), target, link or callable(content))
        self.outputs = {}
        self.parts.prune()

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        # A page written in docs/ keeps its own front matter; ours fills in what it leaves out.
        if planned := self.pages.get(page.file.src_uri):
            for key, value in planned.meta.items():
                page.meta.setdefault(key, value)
        return markdown

    def on_page_content(self, content: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        planned = self.pages.get(page.file.src_uri)
        if planned is None:
            return content
        if outputs.MARKER not in content:
            log.warning(f"{page.file.src_uri} has no {outputs.MARKER} line; curator's content was not inserted")
            return content
        return content.replace(outputs.MARKER, outputs.BODY_START + planned.body() + outputs.BODY_END, 1)

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        planned = self.pages.pop(page.file.src_uri, None)
        if planned is None:
            return output
        # MkDocs keeps every page's HTML until the build ends, and nothing reads ours again once
        # the search index has it: let it go (a wall of 10,000 has 10,000 permalink pages).
        page.content = ""
        start, end = output.find(outputs.BODY_START), output.find(outputs.BODY_END)
        if planned.late and 0 <= start < end:
            output = output[:start] + planned.late() + output[end + len(outputs.BODY_END):]
        return output.replace("</head>", planned.head() + "</head>", 1) if planned.head else output

    def on_serve(self, server, /, *, config: MkDocsConfig, builder):
        server.watch(str(self.curator.store_dir))
        return server


def _copy(source: Path, target: Path, link: bool) -> None:
    """Copy, or hard-link: a wall of 1,000 has 6,000 images (cards, avatars), and copying them (then
    deleting the previous site's copies) cost more than building every page. Links fall back to
    copies across file systems. Tools that rewrite site files in place (rare: most write a new
    file) would change the linked cache entry or avatar too."""
    if link:
        try:
            try:
                os.link(source, target)
            except FileExistsError:  # `mkdocs build --dirty`: the previous build's file
                target.unlink()
                os.link(source, target)
            return
        except OSError:
            pass
    shutil.copyfile(source, target)
