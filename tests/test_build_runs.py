"""Builds that are killed, or that other commands and hand edits run into: nothing is left
behind, a revoke waits for a running build, and a build never publishes what the store took
back while it ran."""
from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

from test_site import digest, forms, site_text

from curator import Store
from curator.lock import LOCK_FILE
from curator.web import plugin

PUBLISHED = "mastodon-mastodon-example-113100000001"


def start(project: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "curator", "-f", str(project / "mkdocs.yml"), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def staging_of(project: Path) -> list[Path]:
    return sorted(project.glob(".site-*"))


def wait_for_staging(project: Path, build: subprocess.Popen) -> None:
    """Until the build is under way (its staging folder exists): an event, not a duration."""
    deadline = time.monotonic() + 120
    while not staging_of(project) and build.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert staging_of(project), "the build never started staging"


def first_line(stream, timeout: float = 120) -> str:
    ready, _, _ = select.select([stream], [], [], timeout)
    return stream.readline() if ready else ""


def test_a_killed_build_leaves_nothing_that_the_next_build_keeps(project: Path, run) -> None:
    build = start(project, "build")
    wait_for_staging(project, build)
    os.kill(build.pid, signal.SIGKILL)
    build.wait()
    (project / ".site-old-k1ll3d").mkdir()  # a build killed between its two renames leaves the old site too
    assert staging_of(project)
    result = run("build")
    assert result.exit_code == 0, result.output
    assert staging_of(project) == []
    assert (project / "site" / "wall" / "index.html").is_file()


def test_init_makes_git_ignore_staging_folders_and_the_lock(tmp_path: Path, run) -> None:
    assert run("init", str(tmp_path / "wall")).exit_code == 0
    wall = tmp_path / "wall"
    subprocess.run(["git", "init", "--quiet"], cwd=wall, check=True)
    for name in (".site-new-abc123", ".site-old-abc123", ".cache"):
        (wall / name).mkdir()
    (wall / LOCK_FILE).touch()
    ignored = subprocess.run(["git", "check-ignore", ".site-new-abc123", ".site-old-abc123", str(LOCK_FILE)],
                             cwd=wall, capture_output=True, text=True)
    assert ignored.stdout.split() == [".site-new-abc123", ".site-old-abc123", str(LOCK_FILE)]


def test_a_revoke_waits_for_the_running_build_then_takes_the_post_down(project: Path, run) -> None:
    text = Store.open(project / "testimonials").records[PUBLISHED].text
    build = start(project, "build")
    wait_for_staging(project, build)
    os.kill(build.pid, signal.SIGSTOP)  # the build holds still, mid-way, holding the lock
    try:
        revoke = start(project, "revoke", PUBLISHED)
        assert first_line(revoke.stderr).startswith("waiting for another curator command to finish (curator build, process")
        assert revoke.poll() is None
        assert Store.open(project / "testimonials").records[PUBLISHED].text == text  # not yet revoked
    finally:
        os.kill(build.pid, signal.SIGCONT)
    assert build.wait() == 0, build.stderr.read()
    assert revoke.wait() == 0, revoke.stderr.read()
    assert PUBLISHED in (project / "testimonials" / "_suppressed.yml").read_text("utf-8")
    assert run("build").exit_code == 0
    assert not any(form in site_text(project / "site") for form in forms(text[:40]))


def test_a_build_refuses_to_publish_what_the_store_took_back_while_it_ran(project: Path, run, monkeypatch) -> None:
    assert run("build").exit_code == 0
    before = digest(project / "site")
    original = plugin.build

    def revoked_meanwhile(*args, **kwargs):  # as a `git pull` bringing a takedown would, mid-build
        original(*args, **kwargs)
        store = Store.open(project / "testimonials")
        store.suppress(store.records[PUBLISHED])

    monkeypatch.setattr(plugin, "build", revoked_meanwhile)
    result = run("build")
    assert result.exit_code == 1
    assert f"the store changed during the build and no longer publishes {PUBLISHED} as built" in result.output
    assert digest(project / "site") == before and staging_of(project) == []


def test_a_change_to_a_hidden_post_during_the_build_does_not_stop_it(project: Path, run, monkeypatch) -> None:
    store = Store.open(project / "testimonials")
    hidden = next(r for r in sorted(store.records) if not store.records[r].review.status == "approved")
    original = plugin.build

    def edited_meanwhile(*args, **kwargs):
        original(*args, **kwargs)
        record = Store.open(project / "testimonials").records[hidden]
        record.tags = [*record.tags, "edited-meanwhile"]
        Store.open(project / "testimonials").save(record)

    monkeypatch.setattr(plugin, "build", edited_meanwhile)
    result = run("build")
    assert result.exit_code == 0, result.output
