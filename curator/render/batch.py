"""Rendering many cards: settings from config, the content-hash cache, threads, progress.

The cache key holds everything that changes pixels: renderer version, Pillow version, text
engine (HarfBuzz and FreeType versions), the emoji images and rasteriser versions, the sha256
of every font file in the chain, the theme tokens, size/scale/print options, every record field
drawn, and the sha256 of the avatar and of every media and custom emoji file drawn.
A hit copies the cached bytes; a miss renders, encodes and stores them.

Many misses are rendered in worker processes (see ``_executor``), a few in threads. Fonts,
glyph bitmaps, word widths and emoji images are cached per process and shared by its threads;
each worker process loads its own.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import cast

import PIL

from .. import yamlio
from ..config import Cards, Config
from ..errors import CuratorError
from ..progress import no_bar
from . import card as cards
from . import emoji, fonts, glyphs, output, uax
from .fonts import file_digest
from .forked import can_fork
from .text import Unsupported
from .theme import SIZES, Theme, theme, theme_key

RENDERER_VERSION = "6"  # 2: PNG zlib level 4, default strategy; 3: initials in any script; 4: UAX #9/#14 by ICU;
# 5: whole posts (content warning, images, poll, quoted post, link card, custom emoji); 6: right to left,
# a post's warning and poll are mirrored


@dataclass(frozen=True)
class Settings:
    """What rendering takes from config: the typed ``cards`` block, and the folder its font paths
    are relative to (the folder of mkdocs.yml). Small, so it travels to worker processes cheaply."""

    cards: Cards = field(default_factory=Cards)
    root: Path = Path(".")

    @classmethod
    def from_config(cls, config: Config) -> Settings:
        return cls(config.cards, config.root)

    def resolve_theme(self, name: str | None = None) -> Theme:
        return theme(name or self.cards.theme, self.cards.brand)


@dataclass(frozen=True)
class Options:
    """How one image is made (the part of the cache key that is not the record)."""

    size: str = "embed"
    theme: str = "light"
    scale: float = 1
    fmt: str = "png"
    width_mm: float = 100
    dpi: int = 300
    bleed_mm: float = 3
    cmyk_profile: str | None = None


@dataclass(frozen=True)
class Job:
    card: cards.CardData
    options: Options
    out: Path | None  # None: the image stays in the cache (``Outcome.file``); the site links it from there


@dataclass
class Outcome:
    job: Job
    cached: bool = False
    unsupported: list[Unsupported] = field(default_factory=list)  # why the card could not be drawn
    error: str | None = None
    notes: list[str] = field(default_factory=list)
    file: Path | None = None  # where the image is: the job's ``out``, or its cache entry


def render_one(job: Job, settings: Settings) -> cards.Rendered:
    options, size = job.options, SIZES[job.options.size]
    chosen = settings.resolve_theme(options.theme)
    faces = _faces(job.card, chosen, settings)
    if size.name == "print":
        return cards.render_print(job.card, chosen, size, faces, options.width_mm, options.dpi, options.bleed_mm)
    if size.canvas:
        return cards.render_canvas(job.card, chosen, size, faces)
    return cards.render_fit(job.card, chosen, size, faces, options.scale)


def _faces(card: cards.CardData, chosen: Theme, settings: Settings) -> cards.Fonts:
    return cards.fonts_for(card, chosen, settings.cards.fonts, settings.cards.fallback_fonts, settings.root, None)


def cache_key(
    job: Job, settings: Settings, memo: dict | None = None, digest: Callable[[str], str] = file_digest
) -> str:
    """The job's content hash. ``memo`` (one per batch) spares recomputing the parts jobs share:
    a record's five site cards have one card part; every card of a language, size and theme
    has one environment part (font files are hashed once per batch, not once per job)."""
    memo = {} if memo is None else memo
    environment = memo.get((job.card.lang, job.options))
    if environment is None:
        environment = memo[(job.card.lang, job.options)] = _environment_key(job, settings, digest)
    card = memo.get(id(job.card))
    if card is None or card[0] is not job.card:
        card = memo[id(job.card)] = (job.card, json.dumps(job.card.key(digest), sort_keys=True, default=str))
    return hashlib.sha256(f"{environment}\n{card[1]}".encode()).hexdigest()


def _environment_key(job: Job, settings: Settings, digest: Callable[[str], str]) -> str:
    """Everything but the record that changes pixels (fonts_for only reads the card's language)."""
    chosen = settings.resolve_theme(job.options.theme)
    faces = _faces(job.card, chosen, settings)
    chain = faces.regular.chain + faces.bold.chain
    options = asdict(job.options)
    if options["cmyk_profile"]:
        options["cmyk_profile"] = digest(options["cmyk_profile"])
    material = {
        "renderer": RENDERER_VERSION,
        "pillow": PIL.__version__,
        "engine": glyphs.versions(),
        "text": uax.version(),
        "emoji": emoji.source_version(),
        "fonts": sorted({(face.path, face.index, face.weight, digest(face.path)) for face in chain}),
        "theme": theme_key(chosen),
        "options": options,
    }
    return json.dumps(material, sort_keys=True, default=str)


class Manifest:
    """The cache's index, like mkdocs-material's social plugin: content key → what rendering
    reported (graphemes no font covers, print notes). One file read per batch tells which
    images are cached, instead of a file-system round trip per image."""

    def __init__(self, cache_dir: Path) -> None:
        self.folder = cache_dir
        self.path = cache_dir / "manifest.json"
        self.entries: dict[str, dict] = yamlio.read_cache(self.path)  # none, or damaged: images are rendered again
        self.changed = False
        # path → [size, mtime_ns, sha256] of the fonts (and CMYK profiles) in keys, from earlier batches.
        self.digests_path = cache_dir / "digests.json"
        self.digests: dict[str, list] = yamlio.read_cache(self.digests_path)
        self.digests_changed = False

    def file_digest(self, path: str) -> str:
        """sha256 of a file in the keys, hashed again only when its size or mtime changed: a
        CJK font collection is tens of megabytes, and hashing a build's fonts on every build shows."""
        stat = os.stat(path)
        known = self.digests.get(path)
        if known and known[:2] == [stat.st_size, stat.st_mtime_ns]:
            return known[2]
        self.digests[path] = [stat.st_size, stat.st_mtime_ns, file_digest(path)]
        self.digests_changed = True
        return self.digests[path][2]

    def file(self, key: str, fmt: str) -> Path:
        return self.folder / f"{key}.{fmt}"

    def get(self, key: str, fmt: str) -> dict | None:
        entry = self.entries.get(key)
        # os.path, not pathlib: 50,000 lookups on a wall of 10,000.
        return entry if entry is not None and os.path.isfile(os.path.join(self.folder, f"{key}.{fmt}")) else None

    def add(self, key: str, entry: dict) -> None:
        self.entries[key] = entry  # by the parent only: workers return what they rendered
        self.changed = True

    def save(self) -> None:
        if self.changed:
            output.write_atomic(self.path, json.dumps(self.entries, sort_keys=True, ensure_ascii=False))
        if self.digests_changed:
            output.write_atomic(self.digests_path, json.dumps(self.digests, sort_keys=True, ensure_ascii=False))


ProgressBar = Callable[[int], AbstractContextManager]  # steps → a context whose value has update(steps)


def run(
    jobs: list[Job],
    settings: Settings,
    cache_dir: Path | None,
    workers: int | None = None,
    progress: ProgressBar | None = None,
    link: bool = False,
) -> list[Outcome]:
    """Render (or fetch from cache) every job; outcomes come back in the jobs' order.

    ``progress``: given the number of steps, a context manager whose value has ``update(steps)``
    (the command line passes click's bar on a terminal; rendering knows nothing of terminals).

    ``link``: outputs become hard links to their cache entries (no bytes copied or compared on a
    hit). Only for folders curator owns: editing a linked file in place would edit the cache
    entry too."""
    workers = workers or os.cpu_count() or 1
    memo: dict = {}
    manifest = Manifest(cache_dir) if cache_dir is not None else None
    keys = [cache_key(job, settings, memo, manifest.file_digest) for job in jobs] if manifest else []
    # Cache hits are settled here: a hit is a dictionary lookup and a stat, less than a trip
    # through the pool (a rebuild of 1,000 testimonials has 5,000 hits and often no miss).
    outcomes: list[Outcome | None] = (
        [_cached(job, manifest, key, link) for job, key in zip(jobs, keys, strict=True)]
        if manifest
        else [None] * len(jobs)
    )
    misses = [index for index, outcome in enumerate(outcomes) if outcome is None]
    pool = _executor(workers, len(misses))
    # Threads share their process's caches, so a record's variants gain nothing from staying in
    # one task there; apart, one thread encodes a PNG (zlib lets go of the GIL) while another lays
    # out the next image: a build that adds one testimonial renders its five images faster.
    tasks = _tasks(misses, jobs, workers) if isinstance(pool, ProcessPoolExecutor) else [[index] for index in misses]
    try:
        with pool, (progress or no_bar)(len(tasks)) as bar:

            def submit(task: list[int]) -> Future:
                entries = [manifest.file(keys[i], jobs[i].options.fmt) if manifest else None for i in task]
                return pool.submit(_run_jobs, [jobs[i] for i in task], settings, entries, link)

            failure = None
            for task, future in _in_turn(submit, tasks, limit=4 * workers):
                error = future.exception()
                bar.update(1)
                if error is not None:  # the other images are still recorded, then it is raised
                    failure = failure or error
                    continue
                for index, outcome in zip(task, future.result(), strict=True):
                    outcomes[index] = outcome
                    if manifest and not outcome.error:
                        manifest.add(keys[index], {"notes": outcome.notes})
            if failure is not None:
                raise failure
    finally:
        if manifest:
            manifest.save()  # what was rendered before a failure stays usable
    return cast(list[Outcome], outcomes)  # every miss was filled in, or its failure raised above


# Rendering holds the GIL (FreeType and HarfBuzz calls, layout in Python), so threads contend
# for it: on two cores, processes gain more than threads on a large batch. A forked worker
# starts quickly with every module loaded, but loads its fonts and emoji again: below this
# many renders, threads win.
PROCESS_MIN_RENDERS = 16


def _executor(workers: int, renders: int) -> Executor:
    if workers > 1 and renders >= PROCESS_MIN_RENDERS and can_fork():
        return ProcessPoolExecutor(min(workers, renders), mp_context=multiprocessing.get_context("fork"))
    return ThreadPoolExecutor(max_workers=workers)


def _cached(job: Job, manifest: Manifest, key: str, link: bool) -> Outcome | None:
    """The job's outcome from the cache, its output placed; None when it must be rendered."""
    recorded = manifest.get(key, job.options.fmt)
    if recorded is None:
        return None
    cached = manifest.file(key, job.options.fmt)
    if job.out is not None:
        if link:
            _place(cached, job.out)
        else:
            _write_if_changed(job.out, cached.read_bytes())
    return Outcome(job, True, notes=recorded.get("notes", []), file=job.out or cached)


def _in_turn(
    submit: Callable[[list[int]], Future], tasks: list[list[int]], limit: int
) -> Iterator[tuple[list[int], Future]]:
    """(task, future) in task order, never more than ``limit`` submitted and not yet collected:
    a cold build of 10,000 would otherwise queue every task, avatars included, at once."""
    queue: deque[tuple[list[int], Future]] = deque()
    for task in tasks:
        queue.append((task, submit(task)))
        if len(queue) >= limit:
            yield queue.popleft()
    while queue:
        yield queue.popleft()


# A task is one trip through the pool, which costs the parent process CPU (pickling,
# its pool threads waking up): CPU taken from the workers when they use every core. Tasks of a
# few jobs cut that, as long as each worker gets many of them, or one would idle at the end.
TASK_JOBS = 4
TASKS_PER_WORKER = 16


def _tasks(indexes: list[int], jobs: list[Job], workers: int) -> list[list[int]]:
    """The misses as tasks. Consecutive jobs of one record (a site's five variants) stay in one
    task: one worker then splits its text into graphemes and measures its words once, not once
    per worker. Records of one job each are packed a few to a task."""
    size = max(1, min(TASK_JOBS, len(indexes) // (TASKS_PER_WORKER * workers)))
    tasks: list[list[int]] = []
    for index in indexes:
        if tasks and (len(tasks[-1]) < size or jobs[tasks[-1][-1]].card == jobs[index].card):
            tasks[-1].append(index)
        else:
            tasks.append([index])
    return tasks


def _run_jobs(jobs: list[Job], settings: Settings, cached: list[Path | None], link: bool) -> list[Outcome]:
    return [_run_job(job, settings, entry, link) for job, entry in zip(jobs, cached, strict=True)]


def _run_job(job: Job, settings: Settings, cached: Path | None, link: bool = False) -> Outcome:
    """Render, encode and store one image (in a worker thread or process); ``cached`` is its
    cache entry, which the caller records in the manifest."""
    try:
        rendered = render_one(job, settings)
    except cards.DoesNotFit as err:
        return Outcome(job, error=str(err))
    except cards.MissingGlyphs as err:
        return Outcome(job, unsupported=err.unsupported, error=str(err))
    data = output.encode(
        rendered, job.options.fmt, Path(job.options.cmyk_profile) if job.options.cmyk_profile else None
    )
    file = job.out
    if cached is not None:
        output.write_atomic(cached, data)
        if job.out is None:
            file = cached
        elif link:
            _place(cached, job.out)
        else:
            _write_if_changed(job.out, data)
    elif job.out is not None:
        _write_if_changed(job.out, data)
    return Outcome(job, False, notes=rendered.notes, file=file)


def _place(cached: Path, out: Path) -> None:
    """``out`` becomes a hard link to the cache entry, atomically; a copy where links fail."""
    try:
        if os.path.samefile(cached, out):
            return
    except OSError:
        pass  # no output yet
    temporary = out.with_name(f".{out.name}.link")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        temporary.unlink(missing_ok=True)
        os.link(cached, temporary)
        os.replace(temporary, out)
    except OSError:  # another file system, or links not supported
        temporary.unlink(missing_ok=True)
        _write_if_changed(out, cached.read_bytes())


def _write_if_changed(path: Path, data: bytes) -> None:
    if not (path.is_file() and path.read_bytes() == data):
        output.write_atomic(path, data)


def refuse_missing_glyphs(outcomes: list[Outcome]) -> None:
    """Raise if a card could not be drawn for want of a glyph: a site or press kit without it
    would quietly drop a testimonial the build was asked to publish. One line per script no
    font covers (a Japanese wall without a CJK font is one line, not one per character or card)."""
    lines = missing_glyph_lines(outcomes)
    if lines:
        raise CuratorError(
            "\n".join(
                lines
                + [
                    "`curator doctor` checks every published record; the build stopped, "
                    "the previous site was left untouched"
                ]
            )
        )


@dataclass
class _Missing:
    clusters: dict[str, None] = field(default_factory=dict)  # in order of first use, once each
    cards: dict[str, None] = field(default_factory=dict)


def missing_glyph_lines(outcomes: list[Outcome], shown: int = cards.MissingGlyphs.SHOWN) -> list[str]:
    """The characters no font draws, grouped by script across every card of ``outcomes``: which
    (the first ``shown``), in which cards, and what to install. A character shared by scripts
    (``、``) goes with its card's first script; one in no card's script (a private-use code
    point) makes a line of its own."""
    by_script: dict[str, _Missing] = {}
    for outcome in outcomes:
        in_card = uax.script_names("".join(u.cluster for u in outcome.unsupported))[:1] or [""]
        for unsupported in outcome.unsupported:
            for script in uax.script_names(unsupported.cluster) or in_card:
                missing = by_script.setdefault(script, _Missing())
                missing.clusters[unsupported.cluster] = None
                missing.cards[outcome.job.card.id] = None
    return [_missing_line(script, missing, shown) for script, missing in by_script.items()]


def _missing_line(script: str, missing: _Missing, shown: int) -> str:
    chars, ids = list(missing.clusters), list(missing.cards)
    more_chars = f" and {len(chars) - shown} more" if len(chars) > shown else ""
    more_cards = f" and {len(ids) - 3} more" if len(ids) > 3 else ""
    points = " ".join(Unsupported(cluster).code_points for cluster in chars[:shown])
    glyphs = f"{script.replace('_', ' ')} glyphs" if script else "glyphs for these characters"
    return (
        f"no available font has {glyphs}: {''.join(chars[:shown])!r}{more_chars} ({points}{more_chars}) "
        f"in {len(ids)} card(s), not published: {', '.join(ids[:3])}{more_cards}; "
        f"{fonts.how_to_cover([script] if script else [])}"
    )
