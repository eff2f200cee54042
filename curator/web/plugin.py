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
import site as python_site
from functools import partial
from pathlib import Path
from typing import Any
from collections.abc import Callable

import jinja2
import markdown
import markupsafe
import mkdocs
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException, PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_themes

from .. import moderation, policy, render
from ..config import Config
from ..errors import CuratorError, InvalidData
from ..progress import Phases, Step
from ..store import Store
from . import markup, outputs, theme_markup, whole
from .pagecache import PageCache, site_digest
from .parts import PartCache

log = get_plugin_logger(__name__)

EXTRA_CSS = ("assets/curator/curator.css",)  # the card stylesheet and the wall's, one request
SITE_JS = "assets/curator/site.js"
EXTRA_JS = (SITE_JS,)
# Plugin events that can change a page's HTML. A finished page is reused only when curator and
# Material's search are all that handle them: another plugin (or hook) could make it differ.
PAGE_EVENTS = ("pre_page", "page_read_source", "page_markdown", "page_content", "page_context", "post_page", "env")


def build(
    config_file: Path,
    site_dir: Path,
    store: Store | None = None,
    cards: render.EarlyCards | None = None,
    phases: Phases | None = None,
) -> None:
    """``mkdocs build --strict`` of ``config_file`` into ``site_dir``, in this process.

    ``store``: the store the caller has opened (and so validated) already; the build uses it
    instead of reading every record file a second time. ``cards``: the web cards, already being
    rendered; ``phases``: told when the cards and the pages are done. Raises CuratorError with
    MkDocs' warnings and errors when the build fails."""
    messages = _Collect()
    mkdocs_log, build_log = logging.getLogger("mkdocs"), logging.getLogger("mkdocs.commands.build")
    mkdocs_log.addHandler(messages)
    build_log.addFilter(_not_the_dirty_warning)
    try:
        mkdocs_config = load_config(str(config_file), strict=True, site_dir=str(site_dir))
        for plugin in mkdocs_config.plugins.values():
            if isinstance(plugin, CuratorPlugin):
                plugin.preloaded, plugin.early_cards, plugin.reuse_pages = store, cards, True
                plugin.phases = phases
        # A dirty build asks each page's File whether it changed, which lets the page cache answer
        # for a finished page (_ReusableFile). ``site_dir`` is a new, empty folder: nothing stale
        # can be left in it, which is what MkDocs' warning about dirty builds is about.
        mkdocs_build(mkdocs_config, dirty=True)
    except MkDocsException as err:
        detail = "\n".join([*messages.lines[-30:], f"Error: {err.format_message()}"])
        raise CuratorError(f"mkdocs build failed; the previous site was left untouched:\n{detail}") from None
    finally:
        mkdocs_log.removeHandler(messages)
        build_log.removeFilter(_not_the_dirty_warning)
        if phases is not None:  # a failed build leaves its pages' bar open: close it (none open after a build)
            phases.abandon()


def _not_the_dirty_warning(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith("A 'dirty' build")


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
    early_cards: render.EarlyCards | None = None  # likewise
    phases: Phases | None = None  # where the build is: ``curator build`` shows it (likewise)
    reuse_pages = False  # set by `build`: its dirty build lets the page cache skip finished pages

    def load_config(self, options: dict[str, Any], config_file_path: str | None = None):
        self.options = dict(options)
        return [], []

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps this instance alive across `mkdocs serve` rebuilds.
        pass

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        try:
            self.curator = Config.from_mapping(
                self.options, root, config.config_file_path or "mkdocs.yml", docs_dir=Path(config.docs_dir)
            )
        except InvalidData as err:
            raise PluginError("invalid curator config:\n" + "\n".join(map(str, err.problems))) from None
        if not self.curator.enabled:
            return config
        # First, so a brand's own extra_css comes later and wins over curator's defaults.
        config.extra_css[:0] = [uri for uri in EXTRA_CSS if uri not in config.extra_css]
        config.extra_javascript.extend(uri for uri in EXTRA_JS if uri not in config.extra_javascript)
        # Compiling templates is a third of a small site's build, MkDocs' and curator's alike, and
        # it is done again in every process; Jinja keys each compiled template by its source.
        self.compiled = self.curator.cache_dir / "jinja"
        self.compiled.mkdir(parents=True, exist_ok=True)
        markup.forget_templates(self.compiled)  # `mkdocs serve` rebuilds: a brand may have edited an override
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        self.pages: dict[str, outputs.Page] = {}  # src_uri → the page's parts, made when MkDocs gets there
        # uri → (what to write, hard-link it?): written by on_post_build, not registered with MkDocs.
        # A wall of 10,000 has 90,000 such files; as MkDocs File objects they cost 100 MB.
        self.outputs: dict[str, tuple[str | Path | outputs.FilePart, bool]] = {}
        self.files, self.mkdocs_config = files, config
        self.page_cache: PageCache | None = None  # made when MkDocs first asks about a reusable page
        self.page_digests: dict[str, str] = {}  # src_uri → what a reusable page is made of
        self.page_keys: dict[str, str] = {}  # src_uri → its key in the page cache
        self.reused: dict[str, Path | None] = {}  # src_uri → its finished page in the cache, or None
        self.search = next((plugin for plugin in config.plugins.values() if _material_search(plugin)), None)
        self.search_entries: dict[str, list] | None = None  # src_uri → its search entries, in page order
        self.build_phases, self.phases = self.phases or Phases(), None
        self.pages_step = Step(None)
        if not self.curator.enabled:
            return files
        reusing = self.reuse_pages and _pages_reusable(config)
        if reusing and self.search:
            self.search_entries, self.indexed = {}, 0
        store, self.preloaded = self.preloaded, None
        try:
            store = store or Store.open(self.curator.store_dir, self.curator.store_cache)
        except InvalidData as err:
            raise PluginError("the testimonial store has problems:\n" + "\n".join(map(str, err.problems))) from None
        except CuratorError as err:
            raise PluginError(str(err)) from None
        # The one decision point: only what the gate lets through reaches any page or file.
        today = policy.build_date()
        web, embed = policy.published(store, "web", today), policy.published(store, "embed", today)
        shown = {t.id: t for t in web + embed}.values()
        for record in shown:  # approved with --force, or classified after approval: a person should look again
            if why := moderation.needs_force(record):
                logging.getLogger("curator.review").warning("published %s: %s", record.id, why)
        avatars = self._add_avatars(files, store, shown)
        self._add_post_files(files, store, shown)
        with self.build_phases.phase("cards") as step:
            cards = self._add_cards(files, store, web, [r.id for r in policy.published(store, "social", today)], step)
        # The press kit is on the public site, so a card needs both print and web permission.
        on_web = {record.id for record in web}  # by id: `record in web` would compare whole records, O(n²)
        printable = [record for record in policy.published(store, "print", today) if record.id in on_web]
        press, brochure = self._add_press_kit(files, store, printable)
        logo = self.curator.web.logo
        plan = outputs.plan_site(
            self.curator,
            config.site_url or "",
            web,
            embed,
            avatars,
            cards,
            press,
            brochure,
            config.site_name,
            logo_width=outputs.logo_width_at(Path(config.docs_dir) / logo) if logo else None,
        )
        self.share_image = self._share_image(config)
        # What an unchanged testimonial's pages looked like last time: read, not rendered again.
        self.parts = PartCache(self.curator.cache_dir / "parts", self.curator.root / "overrides")
        for uri, content in plan.files.items():
            self._output(files, uri, content)
        # Reusable pages last: whether one is reused depends on the nav, and the nav's titles are
        # known once MkDocs has read every other page.
        self._add_pages(files, config, plan.pages, reusing)
        pages = len(files.documentation_pages())
        self.pages_step = self.build_phases.start("pages", pages)
        self.pages_step.count(pages=pages)
        return files

    def _add_avatars(self, files: Files, store: Store, shown) -> dict[str, str]:
        """The avatars of the records shown, linked into the site: record id → site path."""
        if problems := store.avatar_problems(shown, decode=False):  # never publish a file that is no image
            raise PluginError("avatars that may not be published:\n" + "\n".join(map(str, problems)))
        avatars = {}
        for record in shown:
            if path := store.avatar_path(record):
                avatars[record.id] = whole.site_file(record.author.avatar)
                self._output(files, avatars[record.id], path, link=True)
        return avatars

    def _add_post_files(self, files: Files, store: Store, shown) -> None:
        """The media and custom emoji of the records shown, linked into the site beside the avatars:
        a record published on no page of the site has none of its files there."""
        checker = whole.PostFiles(store.root, self.curator.cache_dir / "post-files.json")
        found, problems = checker.site_files(shown)
        if problems:
            raise PluginError("media and emoji files that may not be published:\n" + "\n".join(problems))
        for uri, path in found.items():
            self._output(files, uri, path, link=True)

    def _add_pages(self, files: Files, config: MkDocsConfig, pages: list[outputs.Page], reusing: bool) -> None:
        """Register the planned pages with MkDocs (a page in docs/ wins over ours); a reusable
        one is kept whole in the page cache."""
        for page in sorted(pages, key=lambda page: page.reusable):
            ours = files.get_file_from_path(page.src_uri) is None  # a page in docs/ wins over ours
            reusable = reusing and page.reusable and ours
            if reusable:  # its finished page is kept whole: keeping its parts too would be a second copy
                self.page_digests[page.src_uri] = self.parts.page_key(page)
            else:
                page.late = page.late and self.parts.wrap(page.late)
                page.head = page.head and self.parts.wrap(page.head)
            self.pages[page.src_uri] = page
            if ours:
                inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
                kind = _ReusableFile if reusable else File
                file = kind.generated(config, page.src_uri, content=page.markdown, inclusion=inclusion)
                if isinstance(file, _ReusableFile):  # generated() makes one of the class it is called on
                    file.reused = partial(self._reused, page.src_uri)
                files.append(file)

    def on_env(self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        if self.curator.enabled:
            env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(self.compiled))  # see on_config
        return env

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        self.nav = nav
        return nav

    def _reused(self, uri: str) -> bool:
        """Whether the page cache has ``uri``'s finished page. MkDocs asks before it reads the page
        and before it renders it; True skips both, and on_post_build links the cached page."""
        if uri not in self.reused:
            if self.page_cache is None:
                self.page_cache = PageCache(self.curator.cache_dir / "pages", self._site_digest())
            self.page_keys[uri] = self.page_cache.key(self.page_digests[uri])
            self.reused[uri] = self.page_cache.find(self.page_keys[uri])
        return self.reused[uri] is not None

    def _site_digest(self) -> str:
        """Everything around a reusable page that shapes its HTML: config, theme, plugins, nav, versions."""
        config, theme = self.mkdocs_config, self.mkdocs_config.theme
        dist = get_themes()[theme.name].dist if theme.name in get_themes() else None
        state = {
            "versions": [
                mkdocs.__version__,
                markdown.__version__,
                jinja2.__version__,
                dist and f"{dist.name} {dist.version}",
            ],
            "config": {
                key: value for key, value in config.items() if key not in ("site_dir", "plugins", "theme", "nav")
            },
            "theme": [theme.name, dict(theme), theme.static_templates],
            "plugins": [[name, dict(plugin.config)] for name, plugin in config.plugins.items()],
            "curator": [self.options, self.parts.salt],
            "nav": _nav_state(self.nav.items),
        }
        # Installed themes are covered by their version; a custom_dir (overrides) by its files.
        installed = [Path(folder) for folder in (*python_site.getsitepackages(), python_site.getusersitepackages())]
        custom = [Path(folder) for folder in theme.dirs if not any(Path(folder).is_relative_to(i) for i in installed)]
        return site_digest(state, custom)

    def _share_image(self, config: MkDocsConfig) -> dict | None:
        """``web.share_image`` as og:image (absolute URL, pixel size of a PNG, alt text), or None."""
        name = self.curator.web.share_image
        if not name:
            return None
        path = Path(config.docs_dir) / name
        if not path.is_file():
            raise PluginError(f"curator.web.share_image: {path} does not exist")
        width, height = outputs.png_size(path) if path.suffix.lower() == ".png" else (None, None)
        return {
            "url": markup.Urls(config.site_url or "").absolute(name),
            "width": width,
            "height": height,
            "alt": self.curator.web.share_image_alt,
        }

    def _add_cards(
        self, files: Files, store: Store, web: list, social: list[str], step: Step
    ) -> dict[str, outputs.CardImages]:
        """Render (or take from the cache) every web card, and the social poster of the ``social``
        ids; the site links the cache's files."""
        early, self.early_cards = self.early_cards, None
        draw = early.render_site_cards if early else render.render_site_cards
        drawn = draw(web, self.curator, store.root, self.curator.cache_dir / "render", social)
        for line in drawn.warnings:  # on curator's logger, not MkDocs': a strict build still passes
            render.log.warning("%s", line)
        step.count(drawn=drawn.drawn, cached=drawn.cached)
        self.build_phases.warnings.extend(drawn.warnings)
        written = drawn.written
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
        items = [
            outputs.PressItem(record, f"{record.id}-print.pdf", f"{record.id}-print.png")
            for record in printable
            if len(written.get(record.id, [])) == 2
        ]
        return items, ("brochure.pdf" if "brochure" in written else None)

    def _output(self, files: Files, uri: str, content: str | Path | outputs.FilePart, link: bool = False) -> None:
        """A file for on_post_build to write; ``link``: hard-link ``content`` (an image) instead of copying it."""
        if uri not in files.src_uris:  # a file in docs/ wins over ours (uris are already POSIX)
            self.outputs[uri] = (content, link)

    @event_priority(50)  # before the search plugin writes its index: reused pages add their entries
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if not self.curator.enabled:
            return
        site = _Site(config.site_dir)
        if self.page_cache is not None:
            self._add_reused_pages(site, self.page_cache)
        for uri, (content, link) in self.outputs.items():
            # Text is written, a file copied (linked when ``link``), a part made into the part cache and linked.
            site.add(
                uri,
                content if isinstance(content, (str, Path)) else self.parts.file(content),
                link or callable(content),
            )
        self.outputs, self.pages = {}, {}
        self.parts.prune()
        self.build_phases.stop()

    def _add_reused_pages(self, site: _Site, page_cache: PageCache) -> None:
        """Link each reused page into the site, and put every page's search entries in page order
        (a reused page's were kept with it), as a build that rendered every page has them."""
        for uri, cached in self.reused.items():
            file = self.files.get_file_from_path(uri)
            if cached is not None and file is not None:
                site.add(file.dest_uri, cached, link=True)
                self.pages_step.update()
                if self.search_entries is not None:
                    self.search_entries[uri] = page_cache.entries(self.page_keys[uri])
        if self.search_entries is not None and self.search is not None:
            self.search.search_index.entries = [
                entry
                for file in self.files.documentation_pages()
                for entry in self.search_entries.get(file.src_uri, ())
            ]
        page_cache.save()

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
        uri = page.file.src_uri
        self.pages_step.update()
        if self.search_entries is not None and self.search is not None:  # the entries search made of this page
            entries = self.search.search_index.entries
            self.search_entries[uri], self.indexed = entries[self.indexed :], len(entries)
        planned = self.pages.pop(uri, None)
        if planned is None:
            return self._finished(output, page, config)
        # MkDocs keeps every page's HTML until the build ends, and nothing reads ours again once
        # the search index has it: let it go (a wall of 10,000 has 10,000 permalink pages).
        page.content = ""
        start, end = output.find(outputs.BODY_START), output.find(outputs.BODY_END)
        if planned.late and 0 <= start < end:
            output = output[:start] + planned.late() + output[end + len(outputs.BODY_END) :]
        if planned.head:
            output = output.replace("</head>", planned.head() + "</head>", 1)
        output = self._finished(output, page, config)
        if (key := self.page_keys.get(uri)) and self.page_cache is not None:  # rendered, not reused: keep it
            found = self.search_entries.get(uri, []) if self.search_entries is not None else []
            self.page_cache.put(key, output.encode("utf-8", errors="xmlcharrefreplace"), found)  # as MkDocs writes it
        return output

    def on_post_template(self, output: str, /, *, template_name: str, config: MkDocsConfig) -> str:
        return theme_markup.valid_html(output) if template_name.endswith(".html") else output

    def _finished(self, output: str, page: Page, config: MkDocsConfig) -> str:
        """Every page gets the theme's markup fixes and, with curator enabled, its theme script
        after the first paint (curator's script, on every page, runs it) and Open Graph and
        Twitter tags (one that has its own, a testimonial's page or a brand's override, keeps them)."""
        output = theme_markup.valid_html(output)
        if not self.curator.enabled:
            return output
        output = theme_markup.focusable_code(theme_markup.scripts_after_load(output, keep=SITE_JS))
        if 'property="og:title"' in output:
            return output
        title = markupsafe.Markup(page.title or "").striptags() or config.site_name
        description = page.meta.get("description") or config.site_description or ""
        tags = outputs.share_head(config.site_name, title, description, page.canonical_url or "", self.share_image)
        return output.replace("</head>", tags + "</head>", 1)

    def on_serve(self, server, /, *, config: MkDocsConfig, builder):
        server.watch(str(self.curator.store_dir))
        return server


class _ReusableFile(File):
    """A generated page that a dirty build skips when the page cache has it finished."""

    reused: Callable[[], bool]

    def is_modified(self) -> bool:
        return not self.reused()


def _material_search(plugin: object) -> bool:
    return type(plugin).__module__ == "material.plugins.search.plugin" and hasattr(plugin, "search_index")


def _pages_reusable(config: MkDocsConfig) -> bool:
    owners = {getattr(handler, "__self__", None) for event in PAGE_EVENTS for handler in config.plugins.events[event]}
    return all(isinstance(owner, CuratorPlugin) or _material_search(owner) for owner in owners)


def _nav_state(items: list) -> list:
    """Titles and URLs of the nav, as every page's sidebar shows them."""
    return [[item.title, getattr(item, "url", None), _nav_state(item.children or [])] for item in items]


class _Site:
    """The site folder, as on_post_build fills it: 100,000 files at 10,000 testimonials, so
    paths are strings (pathlib's parsing was a second of it) and folders are made once."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self.made: set[str] = set()

    def add(self, uri: str, content: str | Path, link: bool = False) -> None:
        """``content`` (text), or a copy of (``link``: a hard link to) the file ``content``, at ``uri``."""
        target = os.path.join(self.folder, uri)
        parent = os.path.dirname(target)
        if parent not in self.made:
            os.makedirs(parent, exist_ok=True)
            self.made.add(parent)
        if isinstance(content, str):
            with open(target, "w", encoding="utf-8") as handle:
                handle.write(content)
        else:
            _copy(content, target, link)


def _copy(source: Path, target: str, link: bool) -> None:
    """Copy, or hard-link: a wall of 1,000 has 6,000 images (cards, avatars), and copying them (then
    deleting the previous site's copies) cost more than building every page. Links fall back to
    copies across file systems. Tools that rewrite site files in place (rare: most write a new
    file) would change the linked cache entry or avatar too."""
    if link:
        try:
            try:
                os.link(source, target)
            except FileExistsError:  # `mkdocs build --dirty`: the previous build's file
                os.unlink(target)
                os.link(source, target)
            return
        except OSError:
            pass
    shutil.copyfile(source, target)
