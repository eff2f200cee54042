"""A pull against broken or hostile servers (real HTTP on 127.0.0.1): one bad answer is reported
and skipped; every other source, the re-check, the consent threads and the takedowns still run;
and what a killed pull left half done is finished by the next one."""
from __future__ import annotations

import json

from curator.sources.pull import Puller
from curator.store import Store

from sources_mock import Reply, mastodon_post, x_post, x_user
from test_pull_curation import TAG_HTML, reply
from test_sources_pull import ENV, all_sources, run, write_config

DEEP = b'{"posts": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"  # valid JSON past any recursion limit


def test_a_malformed_post_and_a_malformed_page_block_nothing_else(tmp_path, mock, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the takedowns file lists paths from here
    mock.mastodon = [mastodon_post(mock, n) for n in (2, 1)]
    mock.x, mock.x_users = [x_post(1)], [x_user(mock)]
    fedi, sky, bird = all_sources(mock)
    config = write_config(tmp_path, [fedi, bird])
    assert run(config, "pull", env=ENV).exit_code == 0
    store = Store.open(tmp_path / "testimonials")
    asked, answered = sorted(r for r in store.records if r.startswith("mastodon-"))
    published = next(r for r in store.records if r.startswith("x-"))
    assert run(config, "approve", published, "--force").exit_code == 0  # whatever the classifier said
    assert run(config, "grant", published, "--evidence", "https://x.com/alice/status/1").exit_code == 0
    status = mock.mastodon[0]  # `answered`: its author will say yes in its thread
    brand = {**status["account"], "id": "999", "username": "acme", "acct": "acme"}
    request = reply(mock, status, 1, brand, "May we feature it? Reply #YesAcme ^JD", status["id"])
    for record_id in (asked, answered):
        record = store.records[record_id]
        record.permission.status, record.permission.requested_at = "requested", "2026-11-20T09:00:00Z"
        record.permission.request_url = request["url"]
        store.save(record)

    # the next run: each server is broken in its own way, and there is news in each
    yes = reply(mock, status, 2, status["account"], "Sure! " + TAG_HTML.format(base=mock.base, tag="YesAcme"), request["id"])
    mock.mastodon_context[status["id"]] = {"ancestors": [], "descendants": [request, yes]}
    mock.mastodon_context[mock.mastodon[1]["id"]] = ["not", "a", "context"]  # `asked`: a malformed thread
    junk = mastodon_post(mock, 4)
    junk["account"], junk["content"] = "a string, not an account", ["not", "html"]
    mock.mastodon = [junk, mastodon_post(mock, 3), *mock.mastodon]
    mock.fault("/xrpc/app.bsky.feed.searchPosts", Reply(200, DEEP, {"Content-Type": "application/json"}))
    mock.x_gone.add(published.rsplit("-", 1)[1])  # deleted upstream: a takedown

    config = write_config(tmp_path, [fedi, sky, bird])
    takedowns = tmp_path / "takedowns.txt"
    result = run(config, "pull", "--takedowns", str(takedowns), env=ENV)

    assert result.exit_code == 3, result.output
    assert "error: sky: " in result.output and "nested too deeply" in result.output
    assert "error: fedi: thread of " + asked + ": a malformed response (AttributeError); skipped" in result.output
    assert "note: fedi: post 1 of a page skipped, malformed (TypeError)" in result.output
    store = Store.open(tmp_path / "testimonials")
    post_ids = {r.source.post_id for r in store.records.values()}
    assert mastodon_post(mock, 3)["id"] in post_ids and junk["id"] not in post_ids  # the page's good post only
    assert store.records[answered].permission.status == "granted"  # consent read past the broken thread
    assert store.records[published].upstream.status == "deleted"  # the re-check ran
    assert f"takedown (deleted): {published}" in result.output
    assert takedowns.read_text() == f"testimonials/{published}.yml\n"


def test_a_page_of_the_wrong_shape_fails_only_its_source(tmp_path, mock):
    mock.mastodon = [mastodon_post(mock, 1)]
    mock.x, mock.x_users = [x_post(1)], [x_user(mock)]
    mock.fault("/2/tweets/search/recent", Reply(200, {"data": [], "meta": ["not", "a", "mapping"]}))
    fedi, _, bird = all_sources(mock)
    result = run(write_config(tmp_path, [bird, fedi]), "pull", env=ENV)
    assert result.exit_code == 3
    assert "error: bird: a malformed response (AttributeError); skipped" in result.output
    assert [r.split("-")[0] for r in Store.open(tmp_path / "testimonials").records] == ["mastodon"]


def test_what_a_killed_pull_admitted_is_classified_and_listed_by_the_next(tmp_path, mock, monkeypatch):
    mock.mastodon = [mastodon_post(mock, n, content="<p>I love Acme, it is wonderful! 😍</p>") for n in (2, 1)]
    config = write_config(tmp_path, all_sources(mock)[:1])

    def killed(self):
        raise KeyboardInterrupt  # the process dies after admitting, before classifying

    with monkeypatch.context() as patch:
        patch.setattr(Puller, "classify_new", killed)
        assert run(config, "pull").exit_code != 0
    left = Store.open(tmp_path / "testimonials").records
    assert len(left) == 2 and {r.kind for r in left.values()} == {None}

    result = run(config, "pull", "--summary", str(tmp_path / "summary.md"))
    assert result.exit_code == 0, result.output
    records = Store.open(tmp_path / "testimonials").records
    assert all(r.kind in ("praise", "happy") for r in records.values())
    listed = [line[5:].split("\t")[0] for line in result.output.splitlines() if line.startswith("new: mastodon")]
    assert sorted(listed) == sorted(records)
    assert "## New in the inbox (2)" in (tmp_path / "summary.md").read_text()


def test_add_by_url_refuses_a_malformed_post_with_a_clear_line(tmp_path, mock):
    post = mastodon_post(mock, 1)
    post["account"] = ["not", "an", "account"]
    mock.mastodon = [post]
    result = run(write_config(tmp_path, []), "add", post["url"])
    assert result.exit_code == 3
    assert f"error: 127.0.0.1:{mock.base.rsplit(':', 1)[1]}: {post['url']}: a malformed response (AttributeError); skipped" in result.output
    assert list((tmp_path / "testimonials").glob("*.yml")) == []


def test_pull_prints_each_error_once_and_says_which_posts_it_rechecks_and_why(tmp_path, mock):
    mock.mastodon = [mastodon_post(mock, 1)]
    fedi, _, bird = all_sources(mock)
    config = write_config(tmp_path, [fedi])
    assert run(config, "pull", env=ENV).exit_code == 0
    (record_id,) = Store.open(tmp_path / "testimonials").records
    assert run(config, "approve", record_id, "--force").exit_code == 0
    assert run(config, "grant", record_id, "--evidence", "https://example.org/yes").exit_code == 0
    # now only an X source is configured: the Mastodon post is re-checked where it lives, unowned
    config = write_config(tmp_path, [bird])
    mock.fault("/2/tweets/search/recent", Reply(500, {"title": "Internal Error"}), times=5)
    mock.fault("/api/v1/statuses/", Reply(400, {"error": "boom"}))  # not retried: the test does not wait
    result = run(config, "pull", env=ENV)
    assert result.exit_code == 3
    assert result.output.count("/2/tweets/search/recent") == 1  # the failing source: one line, the error
    assert result.output.count("answered HTTP 400: boom") == 1
    host = mock.base.removeprefix("http://")
    assert f"{host}: re-checking 1 post(s) upstream ({record_id}), published or signals unread:" in result.output
    assert "no configured source owns them (added by URL): set `recheck_unowned: false`" in result.output
    assert f"error: {host}: re-check: http://{host}/api/v1/statuses/" in result.output
    assert "recheck_unowned: false" in next(line for line in result.output.splitlines() if line.startswith(f"error: {host}"))
    again = run(config, "pull", "--json", env=ENV)
    rechecks = json.loads(again.stdout)["rechecks"]
    assert len(rechecks) == 1 and record_id in rechecks[0] and "recheck_unowned: false" in rechecks[0]
