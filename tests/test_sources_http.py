"""Rate limits as each platform says them, over a real socket, with an injected clock."""
from __future__ import annotations

import pytest

from curator.errors import InvalidData, SourceError
from curator.sources import SourceSpec, build
from curator.sources.http import Http, HttpSettings, seconds_until_reset
from curator.sources.cursors import Cursors

from sources_mock import MockPlatforms, Reply, bluesky_post, fixture, mastodon_post, serve, x_post, x_user

NOW = 1_748_965_000.0  # 2025-06-03T15:36:40Z


@pytest.fixture
def mock():
    state = MockPlatforms()
    server = serve(state)
    yield state
    server.shutdown()
    server.server_close()


class Clock:
    """A fake clock: ``pause`` records the wait and moves time forward instantly."""

    def __init__(self) -> None:
        self.now, self.waits, self.lines = NOW, [], []

    def time(self) -> float:
        return self.now

    def pause(self, seconds: float) -> None:
        self.waits.append(round(seconds, 3))
        self.now += seconds


def adapter(spec: dict, clock: Clock):
    http = lambda name, settings: Http(name, settings, clock=clock.time, pause=clock.pause, notify=clock.lines.append)
    return build(SourceSpec.from_mapping(spec), http)


def pull_all(source) -> list:
    cursor: dict[str, str] = {}
    return [item for page in source.pull(cursor) for item in page]


def test_mastodon_429_waits_until_the_iso_reset(mock, monkeypatch):
    mock.mastodon = [mastodon_post(mock, 1)]
    mock.fault("/api/v1/timelines/tag/", Reply(429, fixture("constructed/mastodon_429.json"), {
        "X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "2025-06-03T15:37:10.000000Z"}))
    clock = Clock()
    source = adapter({"name": "fedi", "type": "mastodon", "instance": mock.base, "hashtags": ["acme"], "backoff": 0}, clock)
    assert len(pull_all(source)) == 1
    assert clock.waits == [30.0]
    assert clock.lines == ["fedi: waiting 30s (rate limit or retry backoff)"]


def test_bluesky_429_waits_retry_after(mock, monkeypatch):
    monkeypatch.setenv("BSKY_PW", "app-pass-1234")
    mock.bluesky = [bluesky_post(mock, 1)]
    mock.fault("/xrpc/app.bsky.feed.searchPosts", Reply(429, fixture("constructed/bluesky_429.json"), {
        "RateLimit-Limit": "3000", "RateLimit-Remaining": "0", "RateLimit-Reset": str(int(NOW) + 42),
        "RateLimit-Policy": "3000;w=300", "Retry-After": "42"}))
    clock = Clock()
    source = adapter({"name": "sky", "type": "bluesky", "queries": ["acme"], "handle": "acme.example",
                      "token_env": "BSKY_PW", "appview": mock.base, "pds": mock.base, "backoff": 0}, clock)
    assert len(pull_all(source)) == 1
    assert clock.waits == [42.0]


def test_x_429_waits_until_the_epoch_reset(mock, monkeypatch):
    monkeypatch.setenv("XT", "x-token")
    mock.x, mock.x_users = [x_post(1)], [x_user(mock)]
    mock.fault("/2/tweets/search/recent", Reply(429, {"errors": [{"code": 88, "message": "Rate limit exceeded"}]}, {
        "x-rate-limit-limit": "450", "x-rate-limit-remaining": "0", "x-rate-limit-reset": str(int(NOW) + 77)}))
    clock = Clock()
    source = adapter({"name": "bird", "type": "x", "queries": ["acme"], "token_env": "XT", "api": mock.base, "backoff": 0}, clock)
    assert len(pull_all(source)) == 1
    assert clock.waits == [77.0]


def test_an_exhausted_window_waits_before_the_next_request_without_a_429(mock, monkeypatch):
    monkeypatch.setenv("XT", "x-token")
    mock.x, mock.x_users = [x_post(n) for n in (3, 2, 1)], [x_user(mock)]
    mock.page_size = 2
    original = mock.handle

    def last_of_window(method, target, headers, body):
        reply = original(method, target, headers, body)
        if "next_token" not in target:
            reply.headers.update({"x-rate-limit-remaining": "0", "x-rate-limit-reset": str(int(NOW) + 600)})
        return reply

    mock.handle = last_of_window
    clock = Clock()
    source = adapter({"name": "bird", "type": "x", "queries": ["acme"], "token_env": "XT", "api": mock.base}, clock)
    assert len(pull_all(source)) == 3
    assert clock.waits == [600.0]


def test_repeated_429s_give_up_with_a_clear_message(mock):
    mock.fault("/api/v1/timelines/tag/", Reply(429, {"error": "Too many requests"}, {"X-RateLimit-Reset": "2025-06-03T15:37:00Z"}), times=5)
    clock = Clock()
    source = adapter({"name": "fedi", "type": "mastodon", "instance": mock.base, "hashtags": ["acme"], "retries": 2}, clock)
    with pytest.raises(SourceError, match=r"fedi: .* answered HTTP 429: Too many requests"):
        pull_all(source)
    assert len(clock.waits) == 2


def test_500s_back_off_exponentially(mock):
    mock.mastodon = [mastodon_post(mock, 1)]
    mock.fault("/api/v1/timelines/tag/", Reply(500, {"error": "oops"}), times=3)
    clock = Clock()
    source = adapter({"name": "fedi", "type": "mastodon", "instance": mock.base, "hashtags": ["acme"], "backoff": 1}, clock)
    assert len(pull_all(source)) == 1
    assert clock.waits == [2.0, 4.0]  # urllib3: no sleep before the first retry, then backoff·2^n


def test_reset_header_parsing():
    assert seconds_until_reset({"X-RateLimit-Reset": "2025-06-03T15:37:40.000000Z"}, NOW) == 60.0
    assert seconds_until_reset({"RateLimit-Reset": str(int(NOW) + 5)}, NOW) == 5.0
    assert seconds_until_reset({"Retry-After": "7"}, NOW) == 7.0
    assert seconds_until_reset({"x-rate-limit-reset": str(int(NOW) - 5)}, NOW) == 0.0
    assert seconds_until_reset({"X-RateLimit-Reset": "soon"}, NOW) is None


def test_user_agent_names_curator(mock):
    mock.mastodon = [mastodon_post(mock, 1)]
    http = Http("fedi", HttpSettings())
    http.get_json(f"{mock.base}/api/v1/statuses/{mock.mastodon[0]['id']}")
    assert mock.log[-1][2]["user-agent"].startswith("curator/")


def test_cursors_file_is_rejected_when_hand_edited_wrong(tmp_path):
    (tmp_path / "_cursors.yml").write_text("fedi: [1, 2]\n")
    with pytest.raises(InvalidData) as caught:
        Cursors.load(tmp_path)
    assert "must map source names" in str(caught.value.problems[0])
