"""curator's benchmark: cards against the PNG encode floor and a headless browser, cores, build
scaling, memory and page weight, measured side by side in one run.

    python benchmarks/run.py [--quick] [--sizes 100,1000,10000] [--keep DIR]

Prints a table and writes ``benchmarks/results.json``. ``--quick`` is the CI smoke test: it
checks that the harness works, never the goals. See docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import compileall
import gzip
import http.server
import json
import multiprocessing
import os
import platform
import py_compile
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path
from typing import Callable, Iterator

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # `python benchmarks/run.py` from a checkout

import curator  # noqa: E402
from benchmarks import synth  # noqa: E402
from curator.config import Config  # noqa: E402
from curator.render import output  # noqa: E402
from curator.render.card import card_data, clear_picture_cache  # noqa: E402
from curator.render.batch import Job, Options, Settings, render_one, run as run_jobs  # noqa: E402
from curator.web.outputs import png_header_size  # noqa: E402
from curator.store import Store  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
SOCIAL = Options(size="social", theme="light")  # 1200×675, light: the per-card benchmark's image
# The browser draws the embed card (550 CSS px) at device scale 2 into the same 1200×675 pixels.
VIEWPORT, SCALE = {"width": 600, "height": 338}, 2
CLIP = {"x": 0, "y": 0, "width": 600, "height": 337.5}
GOALS = {"card_ratio": 1.5, "browser_speedup": 4.0, "cores_speedup": 1.8, "warm_vs_mkdocs": 1.3, "peak_rss_mb": 400}


@dataclass
class Stat:
    """Seconds (or any unit) of repeated runs: median and range, and every run in order."""

    median: float
    min: float
    max: float
    runs: int
    values: list[float] = field(default_factory=list)

    @classmethod
    def of(cls, values: list[float]) -> "Stat":
        return cls(statistics.median(values), min(values), max(values), len(values), list(values))

    def show(self, unit: str = "s", scale: float = 1) -> str:
        spread = f" ({_figure(self.min * scale)}–{_figure(self.max * scale)})" if self.runs > 1 else ""
        return f"{_figure(self.median * scale)}{'' if unit == '×' else ' '}{unit}{spread}"


def _figure(value: float) -> str:
    """Three significant digits, without the exponent ``:g`` gives a figure of 1,000 or more."""
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"


def repeat(action: Callable[[], object], runs: int, warmup: int = 1) -> Stat:
    for _ in range(warmup):
        action()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return Stat.of(times)


def interleave(actions: dict[str, Callable[[], object]], runs: int, warmup: int = 1) -> dict[str, Stat]:
    """Time each action ``runs`` times, taking turns: whatever else the machine is doing slows
    every action alike, so their ratio holds up better than from one batch after another."""
    for _ in range(warmup):
        for action in actions.values():
            action()
    times: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(runs):
        for name, action in actions.items():
            start = time.perf_counter()
            action()
            times[name].append(time.perf_counter() - start)
    return {name: Stat.of(values) for name, values in times.items()}


@dataclass
class Plan:
    quick: bool
    sizes: tuple[int, ...]
    card_runs: int
    browser_cards: int
    cold_launches: int
    core_jobs: int
    core_runs: int
    build_runs: Callable[[int], int]


def plan_for(quick: bool, sizes: tuple[int, ...] | None) -> Plan:
    if quick:
        # A smoke test of the harness (CI): small stores, so it ends in well under two minutes.
        return Plan(True, sizes or (40, 120), 5, 4, 2, 24, 1, lambda n: 1)
    return Plan(False, sizes or (100, 1000, 10000), 21, 20, 5, 120, 7, lambda n: 3 if n <= 100 else 2 if n <= 1000 else 1)


# --- 1. one card against the encode floor ---------------------------------------------------------


def settings_for(root: Path) -> Settings:
    return Settings.from_config(Config(root=root))


def bench_card(work: Path, plan: Plan, make: Callable[[Path], object] = synth.typical_record,
               name: str = "typical") -> dict:
    """``make``'s record (written into a store of its own) as a 1200×675 card: render + encode
    against encoding its finished pixels alone, taking turns."""
    store = work / name
    (store / "avatars").mkdir(parents=True, exist_ok=True)
    record = make(store)
    settings = settings_for(work)
    job = Job(card_data(record, store), SOCIAL, work / f"{name}.png")
    rendered = render_one(job, settings)
    finished = output.flatten(rendered.image)  # the final pixels, in the mode the PNG is written in

    def render_and_encode() -> None:
        # Every turn decodes the media files again: a build draws each record's pictures once per
        # process (the light and dark cards share them), never from an earlier turn's memory.
        clear_picture_cache()
        output.encode(render_one(job, settings), "png")

    def encode_only() -> None:
        output.png_bytes(output.Rendered(finished, []))

    timed = interleave({"full": render_and_encode, "floor": encode_only}, plan.card_runs)
    full, floor = timed["full"], timed["floor"]
    return {"text_chars": len(record.text), "images": len(record.media), "image": list(finished.size),
            "png_bytes": len(output.encode(rendered, "png")), "render_encode": asdict(full),
            "encode_only": asdict(floor), "ratio": full.median / floor.median, "goal": GOALS["card_ratio"]}


# --- 2. against a headless browser ----------------------------------------------------------------


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """The built site over HTTP on 127.0.0.1 (the iframe page's CSP wants a real origin)."""
    handler = partial(Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass


def bench_browser(project: Path, plan: Plan) -> dict:
    """Per card: curator's render + encode of 1200×675 vs Chromium screenshotting the same card's
    embed page (embed/t/<id>.html) at the same pixel size, three ways."""
    from playwright.sync_api import sync_playwright

    store = Store.open(project / "testimonials")
    records = sorted(store.records.values(), key=lambda r: r.id)[:plan.browser_cards]
    settings = settings_for(project)
    jobs = [Job(card_data(r, store.root), SOCIAL, project / "x.png") for r in records]
    cycle = _cycler(len(records))
    curator_stat = repeat(lambda: output.encode(render_one(jobs[next(cycle)], settings), "png"), len(records) * 2)
    result = {"cards": len(records), "curator": asdict(curator_stat)}
    with serve(project / "site") as base, sync_playwright() as p:
        urls = [f"{base}embed/t/{r.id}.html" for r in records]
        launch = partial(p.chromium.launch, executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        browser = launch()
        context = browser.new_context(viewport=VIEWPORT, device_scale_factor=SCALE)
        page = context.new_page()

        def warm() -> None:
            page.goto(urls[next(cycle)])
            page.screenshot(clip=CLIP)

        def new_page() -> None:
            fresh = context.new_page()
            fresh.goto(urls[next(cycle)])
            fresh.screenshot(clip=CLIP)
            fresh.close()

        def cold() -> None:
            cold_browser = launch()
            fresh = cold_browser.new_page(viewport=VIEWPORT, device_scale_factor=SCALE)
            fresh.goto(urls[next(cycle)])
            fresh.screenshot(clip=CLIP)
            cold_browser.close()

        shot = page.screenshot(clip=CLIP)
        result["browser_png"] = list(png_header_size(shot))
        for name, action, runs in (("warm_page", warm, len(records) * 2), ("new_page", new_page, len(records)),
                                   ("cold_launch", cold, plan.cold_launches)):
            stat = repeat(action, runs)
            result[name] = asdict(stat)
            result[f"{name}_ratio"] = stat.median / curator_stat.median
        browser.close()
    result["goal"] = GOALS["browser_speedup"]
    return result


def _cycler(count: int) -> Iterator[int]:
    while True:
        yield from range(count)


# --- 3. cores -------------------------------------------------------------------------------------


def bench_cores(project: Path, plan: Plan) -> dict:
    """Throughput of the batch renderer (no cache) with one worker and with every core, taking
    turns. In the same turns, the control: the same cards cut into equal shares, one forked
    process rendering each share, with no pool between. That is the most any batch could get from
    this machine at that moment (on a virtual machine, less than its core count)."""
    store = Store.open(project / "testimonials")
    records = sorted(store.records.values(), key=lambda r: r.id)
    settings = settings_for(project)
    out = project / "cores"
    out.mkdir(exist_ok=True)
    jobs = [Job(card_data(records[i % len(records)], store.root), SOCIAL, out / f"{i}.png") for i in range(plan.core_jobs)]
    cores = os.cpu_count() or 1
    timed = interleave({"one": lambda: run_jobs(jobs, settings, None, workers=1),
                        "every": lambda: run_jobs(jobs, settings, None, workers=cores),
                        "shares": lambda: render_in_shares(jobs, settings, cores)}, plan.core_runs)
    # Each turn's own ratios: the machine's speed drifts between turns, far less within one.
    speedups, controls = (Stat.of([one / other for one, other in zip(timed["one"].values, timed[name].values)])
                          for name in ("every", "shares"))
    return {"cores": cores, "cards": len(jobs), **{name: asdict(stat) for name, stat in timed.items()},
            "one_worker_cards_per_s": len(jobs) / timed["one"].median,
            "all_cores_cards_per_s": len(jobs) / timed["every"].median,
            "speedups": asdict(speedups), "speedup": speedups.median, "shares_speedups": asdict(controls),
            "goal": GOALS["cores_speedup"]}


def render_in_shares(jobs: list[Job], settings: Settings, processes: int) -> None:
    """Render every ``processes``-th job in each of ``processes`` forked processes."""
    fork = multiprocessing.get_context("fork")
    children = [fork.Process(target=run_jobs, args=(jobs[first::processes], settings, None, 1))
                for first in range(processes)]
    for child in children:
        child.start()
    for child in children:
        child.join()
    if any(child.exitcode for child in children):  # a crashed share would time nothing
        raise RuntimeError("a process rendering a share of the cards failed; see its traceback above")


# --- 4, 5. build scaling and memory ----------------------------------------------------------------


# Linux carries a process's peak RSS across fork and exec, so a build started from this process
# (hundreds of MB once it has opened a store of 10,000) would report this process's peak as its
# own. A small launcher starts the build instead, and reports its time and peak RSS.
LAUNCHER = """
import os, subprocess, sys, time
start = time.perf_counter()
child = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(child.pid, 0)
with open(sys.argv[1], "w") as report:
    report.write(f"{time.perf_counter() - start} {usage.ru_maxrss}")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def timed_process(args: list[str], cwd: Path) -> tuple[float, float]:
    """(seconds, peak RSS in MB of the process and every child it waited for: MkDocs included)."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(synth.BUILD_EPOCH), "NO_MKDOCS_2_WARNING": "1"}
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "usage"
        process = subprocess.run([sys.executable, "-c", LAUNCHER, str(report), *args], cwd=cwd, env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if process.returncode:
            raise SystemExit(f"{' '.join(args)} failed in {cwd}:\n{process.stdout.decode(errors='replace')[-3000:]}")
        seconds, peak_kb = report.read_text().split()
    return float(seconds), int(peak_kb) / 1024


def curator_build(project: Path, cold: bool) -> tuple[float, float]:
    if cold:
        shutil.rmtree(project / ".cache", ignore_errors=True)
    return timed_process([sys.executable, "-m", "curator", "-f", "mkdocs.yml", "build"], project)


def bare_mkdocs_project(target: Path, count: int) -> None:
    """A Material site with ``count`` plain pages outside the nav (the search plugin on, as on the wall)."""
    docs = target / "docs" / "p"
    docs.mkdir(parents=True)
    (target / "docs" / "index.md").write_text("# Home\n\nPlain pages.\n", "utf-8")
    (target / "mkdocs.yml").write_text("site_name: bare\nsite_url: https://bare.example/\n"
                                       "theme: {name: material, font: false}\nnav: [index.md]\n"
                                       "plugins: [search]\n", "utf-8")
    for index in range(count):
        text, _ = synth.post_text(random.Random(index), "x")
        (docs / f"page-{index}.md").write_text(f"# Page {index}\n\n{text}\n", "utf-8")


def bare_build(project: Path) -> tuple[float, float]:
    return timed_process([sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "--quiet"], project)


def compile_curator() -> None:
    """Bytecode for curator's modules, as installing a wheel writes it for every package (MkDocs
    too). An editable install under PYTHONDONTWRITEBYTECODE (set on this machine) has none, and
    each build compiled curator again: 0.1 s of a build that adds one testimonial to 100."""
    compileall.compile_dir(Path(curator.__file__).parent, quiet=1,
                           invalidation_mode=py_compile.PycInvalidationMode.TIMESTAMP)


def bench_builds(work: Path, plan: Plan, log: Callable[[str], None]) -> dict:
    compile_curator()
    rows = {}
    for count in plan.sizes:
        project, bare = work / f"wall-{count}", work / f"bare-{count}"
        synth.make_project(project, count)
        bare_mkdocs_project(bare, count)
        runs = plan.build_runs(count)
        # Opening the store: every file parsed and validated (first build), then with the cache of
        # validated files that every later build has.
        store_cache = project / ".cache" / "curator" / "store.json"
        store_cache.unlink(missing_ok=True)
        store_load = repeat(lambda: Store.open(project / "testimonials"), 1, warmup=0)
        store_load_cached = repeat(lambda: Store.open(project / "testimonials", store_cache), 1, warmup=1)
        cold, rss = [], []
        for _ in range(runs):
            seconds, peak = curator_build(project, cold=True)
            cold.append(seconds)
            rss.append(peak)
        log(f"  cold build of {count}: {statistics.median(cold):.1f} s")
        # Bare MkDocs and the build with one added take turns, so a drift in the machine's speed
        # (this one's drifts by a quarter from minute to minute) hits both sides alike.
        # The whole post (four photos) takes its turn too: its cards decode photos, its pages show them.
        bare_runs, warm, warm_photos = [], [], []
        for extra in range(runs):
            bare_runs.append(bare_build(bare))
            added = count + 2 * extra
            synth.add_testimonials(project / "testimonials", range(added, added + 1))
            warm.append(curator_build(project, cold=False)[0])
            synth.add_testimonials(project / "testimonials", range(added + 1, added + 2), photos=4)
            warm_photos.append(curator_build(project, cold=False)[0])
        bare_times = [seconds for seconds, _ in bare_runs]
        cold_stat, bare_stat, warm_stat = Stat.of(cold), Stat.of(bare_times), Stat.of(warm)
        photos_stat = Stat.of(warm_photos)
        rows[str(count)] = {
            "testimonials": count, "cold": asdict(cold_stat), "bare_mkdocs": asdict(bare_stat),
            "one_added": asdict(warm_stat), "cold_per_testimonial": cold_stat.median / count,
            "one_added_per_testimonial": warm_stat.median / count, "bare_per_page": bare_stat.median / count,
            "one_added_vs_bare": warm_stat.median / bare_stat.median, "peak_rss_mb": max(rss),
            "one_whole_post_added": asdict(photos_stat), "one_whole_post_added_vs_bare": photos_stat.median / bare_stat.median,
            "bare_peak_rss_mb": max(peak for _, peak in bare_runs),
            "store_load": asdict(store_load), "store_load_cached": asdict(store_load_cached),
        }
        log(f"  build of {count}: cold {cold_stat.show()}, +1 {warm_stat.show()}, +1 with four photos "
            f"{photos_stat.show()}, bare MkDocs {bare_stat.show()}")
    return rows


# --- 6. size --------------------------------------------------------------------------------------


def bench_size(project: Path) -> dict:
    """What a browser fetches to show the wall (HTML, CSS, JS and data; images and fonts excluded)."""
    from playwright.sync_api import sync_playwright

    fetched: dict[str, int] = {}
    with serve(project / "site") as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()

        def count(response) -> None:
            if response.request.resource_type not in ("image", "font", "media"):
                fetched[response.url.removeprefix(base)] = len(response.body())

        page.on("response", count)
        page.goto(f"{base}wall/", wait_until="networkidle")
        browser.close()
    site = project / "site"
    cards = sorted((site / "cards").glob("*.png"))
    social = [c for c in cards if c.name.endswith("-social.png")]
    files = [site / uri.split("?")[0].split("#")[0] for uri in fetched]
    files = [path / "index.html" if path.is_dir() else path for path in files]  # `wall/` is wall/index.html
    gzipped = sum(len(gzip.compress(path.read_bytes(), 9)) for path in files if path.is_file())
    return {"testimonials": len(list((project / "testimonials").glob("[!_]*.yml"))),
            "wall_first_load_bytes": sum(fetched.values()), "wall_first_load_gzip_bytes": gzipped,
            "wall_html_bytes": (site / "wall" / "index.html").stat().st_size, "first_load": fetched,
            "web_component_gzip_bytes": len(gzip.compress((site / "embed" / "curator.js").read_bytes(), 9)),
            "search_index_bytes": (site / "search" / "search_index.json").stat().st_size,
            "card_png_avg_bytes": sum(c.stat().st_size for c in cards) / max(1, len(cards)),
            "social_png_avg_bytes": sum(c.stat().st_size for c in social) / max(1, len(social)),
            "card_files": len(cards)}


# --- the table ------------------------------------------------------------------------------------


def table(results: dict) -> str:
    lines = [f"curator benchmark ({'quick' if results['quick'] else 'full'}) on {results['machine']['cores']} cores, "
             f"load average before {results['machine']['load_before']}"]

    def row(what: str, value: str, goal: str = "") -> None:
        lines.append(f"  {what:<44} {value:<36} {goal}")

    def verdict(ok: bool) -> str:
        return "ok" if ok else "MISSED"

    card = results["card"]
    row("1. card 1200×675: render + encode", Stat(**card["render_encode"]).show("ms", 1000))
    row("   encode alone (same PNG settings)", Stat(**card["encode_only"]).show("ms", 1000))
    row("   ratio", f"{card['ratio']:.2f}", f"goal ≤ {card['goal']}: {verdict(card['ratio'] <= card['goal'])}")
    if "media_card" in results:
        media = results["media_card"]
        row(f"1b. the same with {media['images']} photos: render + encode", Stat(**media["render_encode"]).show("ms", 1000))
        row("   encode alone (same PNG settings)", Stat(**media["encode_only"]).show("ms", 1000))
        row("   ratio", f"{media['ratio']:.2f}", f"goal ≤ {media['goal']}: {verdict(media['ratio'] <= media['goal'])}")
    if "browser" in results:
        browser = results["browser"]
        row("2. curator per card", Stat(**browser["curator"]).show("ms", 1000))
        for name in ("warm_page", "new_page", "cold_launch"):
            row(f"   Chromium, {name.replace('_', ' ')}", Stat(**browser[name]).show("ms", 1000),
                f"{browser[name + '_ratio']:.1f}× curator")
        ok = browser["warm_page_ratio"] >= browser["goal"]
        row("   curator vs warm page", f"{browser['warm_page_ratio']:.1f}× faster",
            f"goal ≥ {browser['goal']}×: {verdict(ok)}")
    cores = results["cores"]
    row(f"3. {cores['cards']} cards, 1 worker", f"{cores['one_worker_cards_per_s']:.1f} cards/s")
    row(f"   {cores['cores']} workers", f"{cores['all_cores_cards_per_s']:.1f} cards/s")
    row("   speed-up, median of the turns", Stat(**cores["speedups"]).show("×"),
        f"goal ≥ {cores['goal']}×: {verdict(cores['speedup'] >= cores['goal'])}")
    row(f"   control: {cores['cores']} forked shares, no pool", Stat(**cores["shares_speedups"]).show("×"),
        "what the machine gave, same turns")
    for count, build in results["builds"].items():
        row(f"4. build {count}: cold", Stat(**build["cold"]).show(), f"{build['cold_per_testimonial'] * 1000:.1f} ms/testimonial")
        row("   bare MkDocs, same number of pages", Stat(**build["bare_mkdocs"]).show(),
            f"{build['bare_per_page'] * 1000:.1f} ms/page")
        ok = build["one_added_vs_bare"] <= GOALS["warm_vs_mkdocs"]
        row("   one testimonial added", Stat(**build["one_added"]).show(),
            f"{build['one_added_vs_bare']:.2f}× bare, goal ≤ {GOALS['warm_vs_mkdocs']}×: {verdict(ok)}")
        if "one_whole_post_added" in build:
            ok = build["one_whole_post_added_vs_bare"] <= GOALS["warm_vs_mkdocs"]
            row("   one whole post added (four photos)", Stat(**build["one_whole_post_added"]).show(),
                f"{build['one_whole_post_added_vs_bare']:.2f}× bare, goal ≤ {GOALS['warm_vs_mkdocs']}×: {verdict(ok)}")
        for key, what in (("store_load", "opening the store, first build"), ("store_load_cached", "opening the store, later builds")):
            if key in build:
                row(f"   of which: {what}", Stat(**build[key]).show(),
                    f"{build[key]['median'] / build['testimonials'] * 1000:.2f} ms/testimonial")
        row("   peak RSS (cold)", f"{build['peak_rss_mb']:.0f} MB (bare MkDocs {build.get('bare_peak_rss_mb', 0):.0f} MB)",
            f"goal ≤ {GOALS['peak_rss_mb']} MB: {verdict(build['peak_rss_mb'] <= GOALS['peak_rss_mb'])}"
            if count == "10000" else "")
    if "size" in results:
        size = results["size"]
        row(f"6. wall first load ({size['testimonials']} testimonials)", f"{size['wall_first_load_bytes'] / 1e6:.2f} MB",
            f"{size['wall_first_load_gzip_bytes'] / 1e6:.2f} MB gzipped")
        row("   web component, gzipped", f"{size['web_component_gzip_bytes'] / 1e3:.1f} kB")
        row("   average card PNG (all variants)", f"{size['card_png_avg_bytes'] / 1e3:.1f} kB",
            f"social {size['social_png_avg_bytes'] / 1e3:.1f} kB")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, few runs: the CI smoke test")
    parser.add_argument("--sizes", help="comma-separated store sizes for the build scaling "
                        "(default 100,1000,10000; with --quick 40,120)")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    parser.add_argument("--out", type=Path, default=HERE / "results.json")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium comparisons")
    args = parser.parse_args(argv)
    plan = plan_for(args.quick, tuple(int(s) for s in args.sizes.split(",")) if args.sizes else None)
    browser = CHROMIUM.exists() and not args.no_browser
    work = args.keep or Path(tempfile.mkdtemp(prefix="curator-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f} s] {message}", file=sys.stderr, flush=True)

    results: dict = {"quick": plan.quick, "machine": {
        "cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
        "load_before": [round(v, 2) for v in os.getloadavg()]}}
    try:
        log("1. one card against the encode floor")
        results["card"] = bench_card(work, plan)
        log("1b. a card with four photos against the encode floor")
        results["media_card"] = bench_card(work, plan, synth.media_record, "media")
        # Before the builds: the harness opens their stores itself, and workers forked from a
        # process of hundreds of MB start slower (1.73-1.80x there, 1.93-2.21x from a fresh one).
        log("3. cores")
        synth.make_project(work / "cores", min(plan.sizes))
        results["cores"] = bench_cores(work / "cores", plan)
        log("4, 5. builds")
        results["builds"] = bench_builds(work, plan, log)
        smallest, middle = work / f"wall-{min(plan.sizes)}", work / f"wall-{sorted(plan.sizes)[len(plan.sizes) > 1]}"
        if browser:
            log("2. against Chromium")
            results["browser"] = bench_browser(smallest, plan)
            log("6. size")
            results["size"] = bench_size(middle)
        else:
            log("Chromium not found or --no-browser: skipping 2 and 6")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    results["machine"]["load_after"] = [round(v, 2) for v in os.getloadavg()]
    results["seconds"] = round(time.perf_counter() - started, 1)
    args.out.write_text(json.dumps(results, indent=2) + "\n", "utf-8")
    print(table(results))
    log(f"done; results in {args.out}")
    return results


if __name__ == "__main__":
    main()
