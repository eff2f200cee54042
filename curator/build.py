"""``curator build``: a strict MkDocs build into a temporary folder, swapped into place on success.

MkDocs runs in this process (through ``web.plugin.build``, so nothing else imports MkDocs) and
is handed the store opened here: a build reads every record file once. A failed build can
never leave a half-written ``site/``: the old site stays until the new one is complete.

A build holds the project's lock (``.cache/curator.lock``): no other command writes the store while it
runs, and staging folders left by a killed build (``.site-new-*``, ``.site-old-*``) are its
own to delete. Before the swap it checks that the store did not change under it (a hand edit,
a ``git pull``) in a way that takes a post it built off the wall.
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from pathlib import Path

from . import policy, render, yamlio
from .config import Config
from .errors import CuratorError, UsageError
from .lock import project_lock
from .model import CHANNELS
from .progress import Phases
from .store import Store

SITE_MARKER = ".curator-site"  # in every site curator builds: only such a folder is replaced
StoreState = list[tuple[str, int, int]]  # (file name, modified ns, size) of every store file


def build_site(
    config: Config,
    config_file: Path,
    site_dir: Path | None = None,
    waiting: Callable[[str], None] = lambda line: None,
    phases: Phases | None = None,
) -> Path:
    """Validate the store, build, and atomically replace ``site_dir``. Returns the site path.

    ``waiting`` is told when another command holds the project's lock (the build waits for it);
    ``phases`` is told where the build is (store, cards, pages, site) and what changed."""
    site_dir = (site_dir or config.root / "site").resolve()
    refuse_site_dir(config, site_dir)
    phases = phases or Phases()
    with project_lock(config.root, "curator build", waiting):
        with phases.phase("store") as step:  # every store problem, listed, before MkDocs starts
            store = Store.open(config.store_dir, config.store_cache)
            opened = _store_state(store.root)
            step.count(records=len(store.records))
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        _remove_staging_of_killed_builds(site_dir)
        staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-new-", dir=site_dir.parent))
        staging.chmod(0o755)  # mkdtemp's 0700 would hide the site from a web server's user
        try:
            _build_into(staging, config, config_file, store, phases)
            _refuse_if_withdrawn(config, store, opened)
            with phases.phase("site") as step:
                shown = _shown(config, store)
                step.count(**_changes(config.cache_dir / "built.json", site_dir, shown))
                _swap(staging, site_dir)
                _remember(config.cache_dir / "built.json", site_dir, shown)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return site_dir


def refuse_site_dir(config: Config, site_dir: Path) -> None:
    """The build replaces ``site_dir`` whole: refuse a folder that holds anything else.

    Refused: the project or a folder above it, the store, ``docs/`` or ``.git`` or a folder
    inside them, a folder holding ``mkdocs.yml``, the store, ``docs/`` or ``.git``, and a
    non-empty folder without curator's marker (except the default ``site/``, which MkDocs
    owns: sites built before the marker existed are replaced there)."""
    root = config.root.resolve()
    precious = [root / ".git", root / "docs", config.store_dir.resolve()]
    why = None
    if site_dir == root or site_dir in root.parents:
        why = "is the project folder or holds it"
    elif any(site_dir == folder or folder in site_dir.parents for folder in precious):
        why = "is the store, docs/ or .git, or inside one of them"
    elif site_dir.is_dir():
        held = sorted(name for name in ("mkdocs.yml", ".git", "docs", config.store) if (site_dir / name).exists())
        if held:
            why = f"holds {', '.join(held)}"
        elif any(site_dir.iterdir()) and not (site_dir / SITE_MARKER).exists() and site_dir != root / "site":
            why = f"is not empty and is not a site curator built (no {SITE_MARKER} file in it)"
    if why:
        raise UsageError(
            f"--site-dir {site_dir}: {why}; the build replaces that folder whole. "
            "Choose a new or empty folder (or a site curator built before)"
        )


def _shown(config: Config, store: Store) -> dict[str, str]:
    """Each testimonial on the web wall → the digest of its file: what "updated" compares."""
    if not config.enabled:
        return {}
    today = policy.build_date()
    return {record.id: store.versions[record.id] for record in policy.published(store, "web", today)}


def _changes(manifest: Path, site_dir: Path, shown: dict[str, str]) -> dict[str, int]:
    """Testimonials added, updated and removed since the site in ``site_dir``: its permalink
    pages (``t/<id>/``) say which were on it; the digests the last build remembered, which
    changed (none known after a takedown emptied the cache)."""
    pages = site_dir / "t"
    before = {entry.name for entry in os.scandir(pages) if entry.is_dir()} if pages.is_dir() else set()
    try:
        remembered = json.loads(manifest.read_text("utf-8"))
        digests = remembered["testimonials"] if remembered["site"] == str(site_dir) else {}
    except (OSError, ValueError, KeyError, TypeError):
        digests = {}
    return {
        "added": len(shown.keys() - before),
        "updated": sum(1 for key, digest in shown.items() if key in before and digests.get(key, digest) != digest),
        "removed": len(before - shown.keys()),
    }


def _remember(manifest: Path, site_dir: Path, shown: dict[str, str]) -> None:
    """What the site now shows, for the next build's ``_changes`` (in the cache, not the site)."""
    manifest.parent.mkdir(parents=True, exist_ok=True)
    yamlio.write_atomic(manifest, json.dumps({"site": str(site_dir), "testimonials": shown}, sort_keys=True), False)


def _build_into(staging: Path, config: Config, config_file: Path, store: Store, phases: Phases) -> None:
    # Everything loaded so far (modules, the store) lives until the build ends: leave it out
    # of the cyclic collector's full passes, which otherwise walk all of it again and again.
    gc.freeze()
    try:
        with _early_cards(config, store, phases) as cards:
            # Imported here: it imports MkDocs, which every other command can do without.
            from .web import plugin

            plugin.build(config_file, staging, store, cards, phases)
    finally:
        gc.unfreeze()  # a process that goes on (tests, a caller's script) collects them as before
    (staging / SITE_MARKER).write_text("Built by curator: `curator build` replaces this folder whole.\n", "utf-8")


def _remove_staging_of_killed_builds(site_dir: Path) -> None:
    """A killed build leaves its staging folder (with text revoked since, maybe) and a killed swap
    the old site; under the lock no running build owns any, so they all go."""
    for pattern in (f".{site_dir.name}-new-*", f".{site_dir.name}-old-*"):
        for folder in site_dir.parent.glob(pattern):
            if folder.is_dir() and not folder.is_symlink():
                _delete(folder)


def _store_state(root: Path) -> StoreState:
    """What changes when any record or the suppression list is written, by curator or by hand."""
    with os.scandir(root) as entries:
        files = [(entry.name, entry.stat()) for entry in entries if entry.name.endswith(".yml")]
    return sorted((name, stat.st_mtime_ns, stat.st_size) for name, stat in files)


def _refuse_if_withdrawn(config: Config, built: Store, opened: StoreState) -> None:
    """The store changed during the build (the lock keeps curator out; a hand edit or a git pull
    does not wait): refuse to publish a post it no longer allows, or allows with other words."""
    if _store_state(built.root) == opened:
        return  # the usual case: one scandir, nothing read
    now = Store.open(config.store_dir, config.store_cache)
    today = policy.build_date()
    changed = set()
    for channel in CHANNELS:
        allowed = {record.id: record for record in policy.published(now, channel, today)}
        changed |= {
            record.id
            for record in policy.published(built, channel, today)
            if record.id not in allowed or allowed[record.id].to_dict() != record.to_dict()
        }
    if changed:
        raise CuratorError(
            f"the store changed during the build and no longer publishes {', '.join(sorted(changed))} "
            "as built; the previous site is kept: run `curator build` again"
        )


def _early_cards(config: Config, store: Store, phases: Phases):
    """The web cards, drawn in a forked process while this one loads MkDocs and the theme and
    plans the pages (the plugin takes them when it gets to the cards): on two cores, a build
    that adds one testimonial is measurably faster. None when the plugin is disabled."""
    if not config.enabled:
        return nullcontext()
    today = policy.build_date()
    social = [record.id for record in policy.published(store, "social", today)]
    return render.EarlyCards(
        policy.published(store, "web", today),
        config,
        store.root,
        config.cache_dir / "render",
        social,
        progress=lambda cards: phases.bar("cards", cards),
    )


def serve(config_file: Path, dev_addr: str) -> None:
    """Become ``mkdocs serve``: exec, not a child process, so stopping curator stops the server."""
    command = [sys.executable, "-m", "mkdocs", "serve", "--config-file", str(config_file), "--dev-addr", dev_addr]
    os.execve(sys.executable, command, _mkdocs_env())


def _mkdocs_env() -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def _swap(staging: Path, site_dir: Path) -> None:
    """Replace ``site_dir`` with ``staging`` using renames only (never a half-deleted tree)."""
    old = None
    if site_dir.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-old-", dir=site_dir.parent))
        old.rmdir()
        site_dir.rename(old)
    staging.rename(site_dir)
    if old:
        _delete(old)


def _delete(folder: Path) -> None:
    """Delete a whole site, its top-level folders side by side: deleting is file-system work that
    threads overlap (a wall of 10,000 has 100,000 files)."""
    with ThreadPoolExecutor(4) as pool, os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                pool.submit(shutil.rmtree, entry.path, ignore_errors=True)
    shutil.rmtree(folder, ignore_errors=True)
