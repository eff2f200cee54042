"""pull end to end over real HTTP (127.0.0.1): pagination, incremental cursors, failures, SIGKILL."""
from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import yaml
from PIL import Image
from click.testing import CliRunner

from curator import yamlio
from curator.cli import cli
from curator.store import Store

from sources_mock import MockPlatforms, Reply, bluesky_post, mastodon_post, x_post, x_user


def write_config(root: Path, sources: list[dict]) -> Path:
    (root / "testimonials").mkdir(exist_ok=True)
    config = {"site_name": "Acme", "plugins": [{"curator": {"brand": "Acme", "sources": sources}}]}
    path = root / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), "utf-8")
    return path


def fast(options: dict) -> dict:
    return {"timeout": 1.0, "retries": 1, "backoff": 0, **options}


def run(config: Path, *args: str, env: dict | None = None):
    return CliRunner().invoke(cli, ["-f", str(config), *args], env=env or {}, catch_exceptions=False)


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def all_sources(mock: MockPlatforms) -> list[dict]:
    return [
        fast({"name": "fedi", "type": "mastodon", "instance": mock.base, "hashtags": ["AcmeLove"]}),
        fast({"name": "sky", "type": "bluesky", "queries": ["acme"], "handle": "acme.example",
              "token_env": "TEST_BSKY_PASSWORD", "appview": mock.base, "pds": mock.base}),
        fast({"name": "bird", "type": "x", "queries": ["@acme -is:retweet"], "token_env": "TEST_X_TOKEN", "api": mock.base}),
    ]


ENV = {"TEST_BSKY_PASSWORD": "app-pass-1234", "TEST_X_TOKEN": "x-token"}


def fill(mock: MockPlatforms, count: int = 5) -> None:
    mock.mastodon = [mastodon_post(mock, n) for n in range(count, 0, -1)]
    mock.bluesky = [bluesky_post(mock, n) for n in range(count, 0, -1)]
    mock.x = [x_post(n) for n in range(count, 0, -1)]
    mock.x_users = [x_user(mock, "/avatars/alice_normal.png")]


def test_pull_pages_through_every_platform_then_an_incremental_pull_changes_nothing(tmp_path, mock):
    fill(mock, 5)  # page size 2 → 3 pages per source
    config = write_config(tmp_path, all_sources(mock))
    first = run(config, "pull", env=ENV)
    assert first.exit_code == 0, first.output
    store = Store.open(tmp_path / "testimonials")
    by_platform = {p: [r for r in store.records.values() if r.source.platform == p] for p in ("mastodon", "bluesky", "x")}
    assert {p: len(rs) for p, rs in by_platform.items()} == {"mastodon": 5, "bluesky": 5, "x": 5}
    # Mastodon links "next" from every non-empty page, so the walk ends on an empty fourth page
    assert len(mock.requests_to("/api/v1/timelines/tag/AcmeLove")) == 4
    assert len(mock.requests_to("/xrpc/app.bsky.feed.searchPosts")) == 3
    assert len(mock.requests_to("/2/tweets/search/recent")) == 3
    # avatars: one download per URL, stored by content hash, records point at them
    assert len(mock.requests_to("/avatars/alice.png")) == 1
    assert all(r.author.avatar and r.author.avatar.startswith("avatars/") for r in store.records.values())
    for avatar in {store.root / r.author.avatar for r in store.records.values()}:
        assert avatar.name == hashlib.sha256(avatar.read_bytes()).hexdigest() + ".png"
        assert Image.open(avatar).format == "PNG"
    assert len(list((store.root / "avatars").iterdir())) == 2  # alice on Mastodon/Bluesky, alice on X
    cursors = yamlio.parse((tmp_path / "testimonials" / "_cursors.yml").read_text(), "")[0]
    assert cursors["fedi"] == {"tag:acmelove": "114620000000000005"}
    assert cursors["bird"] == {"q:@acme -is:retweet": "1930000000000000005"}
    assert cursors["sky"] == {"q:acme": "2025-06-03T14:05:13.201Z"}

    before = snapshot(tmp_path / "testimonials")
    mock.log.clear()
    second = run(config, "pull", "--json", env=ENV)
    assert second.exit_code == 0, second.output
    assert '"new": []' in second.output
    assert snapshot(tmp_path / "testimonials") == before  # byte-identical
    assert "since_id=114620000000000005" in mock.requests_to("/api/v1/timelines/tag/")[0]
    assert "since_id=1930000000000000005" in mock.requests_to("/2/tweets/search/recent")[0]
    assert not mock.requests_to("/avatars/")

    # a new post upstream: only it comes in
    mock.mastodon.insert(0, mastodon_post(mock, 6))
    third = run(config, "pull", "--source", "fedi", env=ENV)
    assert third.exit_code == 0 and "new: mastodon-127-0-0-1" in third.output


def test_a_timeout_fails_that_source_with_exit_3_and_keeps_what_others_pulled(tmp_path, mock):
    fill(mock, 2)
    mock.fault("/2/tweets/search/recent", Reply(200, {"data": []}, delay=1.5), times=5)
    sources = all_sources(mock)
    sources[2].update(timeout=0.3)
    config = write_config(tmp_path, sources)
    summary = tmp_path / "summary.md"
    result = run(config, "pull", "--summary", str(summary), env=ENV)
    assert result.exit_code == 3
    assert "bird" in result.output and "timed out" in result.output
    store = Store.open(tmp_path / "testimonials")  # everything valid
    assert sorted({r.source.platform for r in store.records.values()}) == ["bluesky", "mastodon"]
    cursors = yamlio.parse((tmp_path / "testimonials" / "_cursors.yml").read_text(), "")[0]
    assert "bird" not in cursors and "fedi" in cursors
    text = summary.read_text()
    assert "## New in the inbox (4)" in text and "## Failed sources (1)" in text and "timed out" in text


def test_a_truncated_json_body_fails_the_source_cleanly(tmp_path, mock):
    fill(mock, 2)
    mock.fault("/xrpc/app.bsky.feed.searchPosts", Reply(200, b'{"posts": [{"uri": "at://did:plc:x/app.bsky.fe',
                                                            {"Content-Type": "application/json"}))
    config = write_config(tmp_path, all_sources(mock)[1:2])
    result = run(config, "pull", env=ENV)
    assert result.exit_code == 3
    assert "not complete JSON" in result.output
    assert list((tmp_path / "testimonials").iterdir()) == []  # nothing half-written


def test_a_body_cut_off_mid_transfer_fails_the_source_cleanly(tmp_path, mock):
    fill(mock, 2)
    mock.fault("/api/v1/timelines/tag/", Reply(200, mock.mastodon, truncate=True), times=3)
    config = write_config(tmp_path, all_sources(mock)[:1])
    result = run(config, "pull")
    assert result.exit_code == 3
    assert "error: fedi: " in result.output and "IncompleteRead" in result.output
    assert list((tmp_path / "testimonials").iterdir()) == []


def test_server_errors_are_retried_then_succeed(tmp_path, mock):
    fill(mock, 1)
    mock.fault("/api/v1/timelines/tag/", Reply(503, {"error": "busy"}))
    mock.fault("/api/v1/timelines/tag/", Reply(500, {"error": "oops"}))
    config = write_config(tmp_path, [fast({"name": "fedi", "type": "mastodon", "instance": mock.base,
                                           "hashtags": ["AcmeLove"], "retries": 3})])
    result = run(config, "pull")
    assert result.exit_code == 0, result.output
    assert len(mock.requests_to("/api/v1/timelines/tag/AcmeLove?limit=40")) == 3  # 503, 500, then 200
    assert len(Store.open(tmp_path / "testimonials").records) == 1


def test_a_missing_token_is_a_clear_source_failure(tmp_path, mock):
    config = write_config(tmp_path, all_sources(mock)[2:])
    result = run(config, "pull")
    assert result.exit_code == 3
    assert "set the environment variable TEST_X_TOKEN" in result.output


def test_unknown_source_name_is_a_usage_error(tmp_path, mock):
    config = write_config(tmp_path, all_sources(mock))
    result = run(config, "pull", "--source", "nope")
    assert result.exit_code == 2 and "fedi, sky, bird" in result.output


def test_sigkill_mid_pull_leaves_every_store_file_valid(tmp_path, mock):
    mock.page_size = 1
    mock.delay = 0.05
    mock.mastodon = [mastodon_post(mock, n) for n in range(40, 0, -1)]
    config = write_config(tmp_path, [fast({"name": "fedi", "type": "mastodon", "instance": mock.base,
                                           "hashtags": ["AcmeLove"], "max_pages": 100})])
    process = subprocess.Popen([sys.executable, "-m", "curator", "-f", str(config), "pull"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    store_dir = tmp_path / "testimonials"
    deadline = time.monotonic() + 30
    while len(list(store_dir.glob("mastodon-*.yml"))) < 5 and time.monotonic() < deadline:
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    written = list(store_dir.glob("*.yml"))
    assert 5 <= len(written) < 40
    store = Store.open(store_dir)  # raises if any file is invalid
    assert len(store.records) == len(written)
    assert all((store_dir / r.author.avatar).is_file() for r in store.records.values() if r.author.avatar)
    assert not (store_dir / "_cursors.yml").exists()  # the cursor moves only after a complete pull
    # the next pull finishes the job and merges, never doubles
    mock.delay = 0
    assert run(config, "pull").exit_code == 0
    assert len(Store.open(store_dir).records) == 40


def test_check_validates_the_sources_config(tmp_path, mock):
    config = write_config(tmp_path, [{"name": "fedi", "type": "mastodon", "instance": mock.base, "token": "secret"}])
    result = run(config, "check")
    assert result.exit_code == 1
    assert "curator.sources.0.token: unknown field" in result.output
