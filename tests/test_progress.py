"""Issue 25: a build tells where it is (a bar per phase on a terminal, a plain line per phase in a
log), says at the end what changed, prints only errors with --quiet and a JSON summary with --json."""

from __future__ import annotations

import json
import os
import re
import subprocess
from contextlib import contextmanager, nullcontext
import sys
from pathlib import Path

from conftest import reconsent

from curator.progress import Finished, Phases, Step

PUBLISHED = "mastodon-mastodon-example-113100000001"
PHASES = ["store", "cards", "pages", "site"]
LINE = re.compile(r"^(store|cards|pages|site): [^\x00-\x1f\x7f]* \(\d+\.\d s\)$")


def summary(run) -> dict:
    result = run("build", "--json")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""  # no progress in the way of a script
    return json.loads(result.stdout)


def counts(summary: dict) -> dict:
    return {key: value for phase in summary["phases"] for key, value in phase.items() if key not in ("name", "seconds")}


def test_json_summary_counts_each_phase_and_what_changed_since_the_previous_site(project: Path, run) -> None:
    first = summary(run)
    assert [phase["name"] for phase in first["phases"]] == PHASES
    assert all(phase["seconds"] >= 0 for phase in first["phases"]) and first["seconds"] > 0
    assert first["site"] == str((project / "site").resolve()) and first["warnings"] == []
    published = counts(first)["added"]
    assert published > 1 and counts(first)["removed"] == counts(first)["updated"] == 0
    assert counts(first)["pages"] > published and counts(first)["records"] >= published

    again = counts(summary(run))
    assert (again["added"], again["updated"], again["removed"], again["drawn"]) == (0, 0, 0, 0)
    assert again["cached"] > 0

    path = project / "testimonials" / f"{PUBLISHED}.yml"
    path.write_text(path.read_text("utf-8").replace("text: '", "text: 'Edited: ", 1), "utf-8")
    reconsent(path)
    edited = counts(summary(run))
    assert (edited["added"], edited["updated"], edited["removed"]) == (0, 1, 0) and edited["drawn"] > 0

    assert run("revoke", PUBLISHED, "--reason", "asked by email").exit_code == 0
    after = counts(summary(run))
    assert (after["added"], after["updated"], after["removed"]) == (0, 0, 1)


def test_a_build_in_a_log_prints_one_plain_line_per_phase_and_what_changed(run) -> None:
    result = run("build")
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert [line.split(":")[0] for line in lines] == PHASES
    assert all(LINE.match(line) for line in lines), lines
    changed = r"\d+ testimonial\(s\) added, 0 updated, 0 removed; \d+ card\(s\) drawn"
    assert re.fullmatch(rf"built .*: {changed}\n", result.stdout)


def test_quiet_prints_nothing_but_errors(run) -> None:
    result = run("build", "--quiet")
    assert result.exit_code == 0 and result.output == ""


def test_a_build_on_a_terminal_draws_bars_and_ends_with_the_summary(project: Path) -> None:
    import pty

    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": "100"}
    build = subprocess.Popen(
        [sys.executable, "-m", "curator", "-f", "mkdocs.yml", "build"],
        cwd=project,
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
    )
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the build is over
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert build.wait(timeout=300) == 0, shown
    text = shown.decode("utf-8", "replace")
    assert "\r" in text and "%" in text  # click's bar, drawn in place over the pages
    for phase in PHASES:
        assert re.search(rf"^{phase}: .* \(\d+\.\d s\)\r?$", text, re.MULTILINE), text
    assert re.search(r"testimonial\(s\) added, 0 updated, 0 removed; \d+ card\(s\) drawn", text)


def test_phases_time_and_count_without_showing_anything() -> None:
    shown: list[str] = []
    phases = Phases(done=lambda finished: shown.append(finished.line()))
    with phases.phase("cards", 3) as step:
        step.update(3)
        step.count(drawn=1, cached=2)
    step = phases.start("pages")
    phases.stop()
    assert [finished.name for finished in phases.finished] == ["cards", "pages"]
    assert shown[0].startswith("cards: 1 drawn, 2 cached (") and shown[1].startswith("pages: (")
    assert isinstance(phases.finished[0], Finished) and phases.to_json()["phases"][0]["drawn"] == 1


def test_pull_shows_each_source_and_its_pages_in_a_log_and_nothing_but_errors_when_quiet(tmp_path, mock) -> None:
    from test_sources_pull import ENV, all_sources, fill, run, write_config

    fill(mock, 5)
    config = write_config(tmp_path, all_sources(mock))
    shown = run(config, "pull", env=ENV)
    assert shown.exit_code == 0
    for source in ("fedi", "sky", "bird"):
        assert re.search(rf"^{source}: done \(\d+ page\(s\)\)$", shown.stderr, re.MULTILINE), shown.stderr
    fill(mock, 7)
    quiet = run(config, "pull", "--quiet", env=ENV)
    assert quiet.exit_code == 0 and quiet.output == ""
    fill(mock, 9)
    summary = json.loads(run(config, "pull", "--json", env=ENV).stdout)
    assert len(summary["new"]) == 6 and summary["failed"] == [] and summary["seconds"] > 0


class Bar:
    """A ``render.batch.ProgressBar`` that remembers its length and steps."""

    def __init__(self) -> None:
        self.lengths: list[int] = []
        self.steps = 0

    def __call__(self, length: int):
        self.lengths.append(length)
        return nullcontext(self)

    def update(self, steps: int) -> None:
        self.steps += steps


def test_render_steps_a_bar_through_the_cards_and_another_through_the_brochure(project: Path, tmp_path: Path) -> None:
    import curator
    from curator.render import batch, output

    wall = curator.Wall.open(project / "mkdocs.yml")
    cards, brochure = Bar(), Bar()
    options = batch.Options(size="print", width_mm=85, dpi=300)
    sheet = output.Sheet("a4", 300)
    rendered = wall.render([], options, tmp_path / "out", sheet, progress=cards, brochure_progress=brochure)
    assert rendered.brochure is not None and rendered.brochure.read_bytes().startswith(b"%PDF")
    assert brochure.lengths == [len(rendered.outcomes)] and brochure.steps == len(rendered.outcomes) > 1
    assert cards.lengths and cards.steps == cards.lengths[0]


def test_an_abandoned_phase_closes_its_bar_and_is_not_recorded() -> None:
    closed: list[str] = []

    @contextmanager
    def bar(label: str, total: int):
        try:
            yield Step()
        finally:
            closed.append(label)

    phases = Phases(bar=bar)
    phases.start("pages", 10).update(3)
    phases.abandon()
    phases.abandon()  # nothing open: nothing to do
    assert closed == ["pages"] and phases.finished == []


DRAWING_STACK = """
import sys
from curator.cli import cli
try:
    cli(["build"], standalone_mode=False)
finally:
    print(sorted(name for name in sys.modules if name.startswith(("curator.render.batch", "uharfbuzz", "freetype", "icu"))))
"""


def test_a_build_whose_cards_are_drawn_elsewhere_never_loads_the_drawing_stack(project: Path, run) -> None:
    """The build process plans pages while a forked process draws the cards (or the cache has
    them): the pages' progress line must not load Pillow's drawing stack, HarfBuzz and ICU
    (70–95 ms of every build). The press kit's print cards are drawn in this process: off here."""
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("      signature:", "      press_kit: false\n      signature:", 1), "utf-8")
    (project / "docs" / "press").mkdir()
    (project / "docs" / "press" / "index.md").write_text("# Press kit\n\nAsk us.\n", "utf-8")  # the guide links it
    assert run("build").exit_code == 0  # the cards are in the cache now
    found = subprocess.run([sys.executable, "-c", DRAWING_STACK], cwd=project, capture_output=True, text=True,
                           stdin=subprocess.DEVNULL, check=True)
    assert found.stdout.strip().splitlines()[-1] == "[]", found.stdout + found.stderr
