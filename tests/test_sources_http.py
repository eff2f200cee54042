"""Rate limits as each platform says them, over a real socket, with an injected clock."""
from __future__ import annotations

import pytest

from curator.errors import InvalidData, SourceError
from curator.sources import SourceSpec, build
from curator.platforms.http import Http, HttpSettings, seconds_until_reset
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


# --- limits are totals: a deadline per request, a size limit while streaming ---------------------------
# Limits come from the source's config, as a user sets them (and a client without them fails here).


def client(**options) -> Http:
    return Http("fedi", SourceSpec.from_mapping({"name": "fedi", "type": "mastodon", **options}).http_settings())


def test_a_body_dripped_a_byte_at_a_time_ends_at_the_deadline(mock):
    mock.fault("/api/v1/timelines/tag/", Reply(200, b"[]" + b" " * 38, drip=0.25))  # 40 bytes: 10 s
    source = adapter({"name": "fedi", "type": "mastodon", "instance": mock.base, "hashtags": ["acme"],
                      "deadline": 1, "retries": 0}, Clock())
    with pytest.raises(SourceError, match=r"fedi: .*/api/v1/timelines/tag/acme: took longer than the 1s deadline"):
        pull_all(source)


def test_headers_dripped_a_byte_at_a_time_end_at_the_deadline_and_are_not_retried(mock):
    mock.fault("/drip", Reply(200, {"posts": []}, drip=0.25, drip_headers=True), times=3)
    with pytest.raises(SourceError, match=r"fedi: .*/drip took longer than the 1s deadline"):
        client(deadline=1, retries=2, backoff=0).get_json(f"{mock.base}/drip")
    assert len(mock.requests_to("/drip")) == 1  # a server that drips once drips again


def test_a_deadline_does_not_cut_a_fast_request_that_follows_a_slow_one(mock):
    mock.files["/drip"] = Reply(200, b"[]" + b" " * 38, drip=0.25)
    mock.mastodon = [mastodon_post(mock, 1)]
    http = client(deadline=1, retries=0)
    with pytest.raises(SourceError, match="deadline"):
        http.get_json(f"{mock.base}/drip")
    status, data, _ = http.get_json(f"{mock.base}/api/v1/statuses/{mock.mastodon[0]['id']}")
    assert status == 200 and data["id"] == mock.mastodon[0]["id"]


def test_a_body_over_the_size_limit_is_refused_while_it_streams(mock):
    mock.files["/huge"] = Reply(200, endless=100_000_000)  # no Content-Length to refuse it by
    with pytest.raises(SourceError, match=r"fedi: .*/huge: the response passed the 1000000-byte limit; refused"):
        client(max_bytes=1_000_000).get_json(f"{mock.base}/huge")
    assert mock.sent < 20_000_000  # the client hung up early (socket buffers hold a few MB at most)


def test_a_declared_length_over_the_limit_is_refused_before_the_body(mock):
    mock.files["/big"] = Reply(200, b"[" + b"0," * 600_000 + b"0]")
    with pytest.raises(SourceError, match="says it has 1200003 bytes, more than the 1000000-byte limit"):
        client(max_bytes=1_000_000).get_json(f"{mock.base}/big")


# --- tokens stay with their host -------------------------------------------------------------------------


def test_a_next_page_link_to_another_host_is_refused_and_never_gets_the_token(mock, monkeypatch):
    monkeypatch.setenv("MASTO", "masto-token")
    mock.mastodon = [mastodon_post(mock, n) for n in (3, 2, 1)]
    other = mock.base.replace("127.0.0.1", "localhost")  # the same server under another host name
    original = mock.handle

    def link_elsewhere(method, target, headers, body):
        reply = original(method, target, headers, body)
        if "Link" in reply.headers and headers.get("host", "").startswith("127.0.0.1"):
            reply.headers["Link"] = reply.headers["Link"].replace(mock.base, other)
        return reply

    mock.handle = link_elsewhere
    source = adapter({"name": "fedi", "type": "mastodon", "instance": mock.base, "hashtags": ["acme"],
                      "token_env": "MASTO"}, Clock())
    with pytest.raises(SourceError, match=r"fedi: the next page is on 'http://localhost:\d+', not http://127.0.0.1:\d+; not followed"):
        pull_all(source)
    assert [h.get("host", "").split(":")[0] for _, _, h in mock.log] == ["127.0.0.1"]
    assert mock.log[0][2]["authorization"] == "Bearer masto-token"  # the token went to its own host


def test_a_redirect_to_another_host_drops_the_token(mock, monkeypatch):
    monkeypatch.setenv("MASTO", "masto-token")
    mock.files["/moved"] = Reply(302, b"", {"Location": f"{mock.base.replace('127.0.0.1', 'localhost')}/landing"})
    mock.files["/landing"] = Reply(200, {"ok": True})
    source = adapter({"name": "fedi", "type": "mastodon", "instance": mock.base, "token_env": "MASTO"}, Clock())
    assert source.http.get_json(f"{mock.base}/moved")[1] == {"ok": True}
    assert mock.log[0][2]["authorization"] == "Bearer masto-token"
    assert "authorization" not in mock.log[1][2]


def test_a_token_is_never_sent_over_plain_http_to_another_machine(monkeypatch):
    monkeypatch.setenv("XT", "x-token")
    source = adapter({"name": "bird", "type": "x", "queries": ["acme"], "token_env": "XT", "api": "http://api.x.example",
                      "retries": 0}, Clock())
    with pytest.raises(SourceError, match=r"bird: refusing to send the token to http://api.x.example over plain http; use https"):
        pull_all(source)


def test_tokens_go_to_the_api_host_only(mock, monkeypatch):
    monkeypatch.setenv("XT", "x-token")
    mock.x, mock.x_users = [x_post(1)], [x_user(mock)]
    source = adapter({"name": "bird", "type": "x", "queries": ["acme"], "token_env": "XT", "api": mock.base,
                      "oembed": mock.base.replace("127.0.0.1", "localhost")}, Clock())
    pull_all(source)
    source.http.get_json(f"{source.oembed}/oembed?url=x", ok=(200, 404))
    assert [bool(h.get("authorization")) for _, _, h in mock.log] == [True, False]


def test_bluesky_never_sends_the_app_password_over_plain_http(monkeypatch):
    monkeypatch.setenv("BSKY_PW", "app-pass-1234")
    source = adapter({"name": "sky", "type": "bluesky", "queries": ["acme"], "handle": "acme.example",
                      "token_env": "BSKY_PW", "pds": "http://pds.example", "retries": 0}, Clock())
    with pytest.raises(SourceError, match="refusing to send the app password to http://pds.example over plain http"):
        pull_all(source)
