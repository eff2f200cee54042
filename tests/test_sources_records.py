"""add URL on every platform, threads for consent detection, upstream re-checks, avatars."""
from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pytest
from PIL import Image

from curator import policy
from curator import model
from curator.sources import SourceSpec, build
from curator.images import AVATAR, ImageRejected, reencode
from curator.store import Store

from sources_mock import FIXTURES, Reply, bluesky_post, bomb_png, fixture, mastodon_post, png_bytes, x_post, x_user
from test_sources_pull import ENV, all_sources, run, write_config


@pytest.fixture
def mock(mock):
    """The shared fake platforms (conftest), each with one post."""
    mock.mastodon = [mastodon_post(mock, 1)]
    mock.bluesky = [bluesky_post(mock, 1)]
    mock.x, mock.x_users = [x_post(1)], [x_user(mock)]
    return mock


def added(tmp_path: Path) -> list[model.Testimonial]:
    return list(Store.open(tmp_path / "testimonials").records.values())


@pytest.mark.parametrize("form", ["{base}/@alice/{id}", "{base}/@alice@mastodon.example/{id}", "{base}/users/alice/statuses/{id}"])
def test_add_mastodon_url_forms(tmp_path, mock, form):
    config = write_config(tmp_path, all_sources(mock))
    url = form.format(base=mock.base, id=mock.mastodon[0]["id"])
    result = run(config, "add", url, env=ENV)
    assert result.exit_code == 0, result.output
    (record,) = added(tmp_path)
    assert record.source.platform == "mastodon" and record.author.handle == "@alice@127.0.0.1:" + mock.base.rsplit(":", 1)[1]
    assert record.review.status == "inbox" and record.author.avatar.startswith("avatars/")
    assert run(config, "add", url, env=ENV).output.startswith("unchanged:")  # merged, never doubled


@pytest.mark.parametrize("form", [
    "https://bsky.app/profile/alice.example.com/post/3lxq2abcd0001",
    "https://bsky.app/profile/did:plc:a1icea1icea1icea1icea1ic/post/3lxq2abcd0001",
    "at://did:plc:a1icea1icea1icea1icea1ic/app.bsky.feed.post/3lxq2abcd0001",
])
def test_add_bluesky_url_forms(tmp_path, mock, form):
    config = write_config(tmp_path, all_sources(mock))
    result = run(config, "add", form, env=ENV)
    assert result.exit_code == 0, result.output
    (record,) = added(tmp_path)
    assert record.source.post_id == mock.bluesky[0]["uri"] and record.author.id == "did:plc:a1icea1icea1icea1icea1ic"
    assert [(e.type, record.text[e.start:e.end]) for e in record.entities] == [
        ("mention", "@acme.example"), ("hashtag", "#acmelove"), ("url", "https://acme.example/blog/launch")]
    assert ("resolveHandle" in "".join(mock.requests_to("/xrpc/"))) == ("alice.example.com" in form)


@pytest.mark.parametrize("form", ["https://x.com/alice_doe/status/{id}", "https://twitter.com/alice_doe/status/{id}?s=20",
                                  "https://mobile.twitter.com/alice_doe/status/{id}", "https://x.com/i/web/status/{id}"])
def test_add_x_url_forms_through_the_api(tmp_path, mock, form):
    config = write_config(tmp_path, all_sources(mock))
    result = run(config, "add", form.format(id=mock.x[0]["id"]), env=ENV)
    assert result.exit_code == 0, result.output
    (record,) = added(tmp_path)
    assert record.author.id == "1500000000000000001" and record.author.handle == "@alice_doe"
    assert record.text[record.entities[-1].start:record.entities[-1].end] == "https://t.co/AbCdEf1234"
    assert record.author.avatar and len(mock.requests_to("/avatars/alice_400x400.png")) == 1


@pytest.fixture
def tokyo(monkeypatch):
    """The machine's clock in Tokyo (UTC+9): a day read as local midnight would become the day before."""
    import time

    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_add_x_url_without_a_token_uses_oembed(tmp_path, mock, tokyo):
    oembed = fixture("x_oembed_tweet_200.json")  # the post without its photo: oEmbed cannot give the photo
    oembed["html"] = oembed["html"].replace(' <a href="http://t.co/YuKy2rcjyU">pic.x.com/YuKy2rcjyU</a>', "")
    mock.files["/oembed"] = Reply(200, oembed)
    sources = all_sources(mock)
    sources[2]["oembed"] = mock.base
    config = write_config(tmp_path, sources)
    result = run(config, "add", "https://twitter.com/Interior/status/463440424141459456", env={})
    assert result.exit_code == 0, result.output
    (record,) = added(tmp_path)
    assert record.text.startswith("Sunsets don't get much better")
    # oEmbed gives the day alone: it is kept as a day (no invented time, not moved by the machine's zone).
    assert (record.author.name, record.author.handle, record.posted_at) == (
        "US Department of the Interior", "@Interior", "2014-05-05")
    from curator.render.card import card_data, date_line

    assert date_line(card_data(record, tmp_path)) == "May 5, 2014 · X"
    assert [(e.type, record.text[e.start:e.end]) for e in record.entities] == [
        ("mention", "@GrandTetonNPS"), ("hashtag", "#nature"), ("hashtag", "#sunset")]
    assert record.author.avatar is None and record.author.id is None


def test_add_x_url_of_a_photo_post_without_a_token_is_refused_not_added_without_its_photo(tmp_path, mock):
    mock.files["/oembed"] = Reply(200, fixture("x_oembed_tweet_200.json"))
    sources = all_sources(mock)
    sources[2]["oembed"] = mock.base
    config = write_config(tmp_path, sources)
    result = run(config, "add", "https://twitter.com/Interior/status/463440424141459456", env={})
    assert result.exit_code != 0 and "has photos or a video" in result.output and "CURATOR_X_TOKEN" in result.output
    assert added(tmp_path) == []


def test_add_url_of_an_unknown_site_is_a_clear_error(tmp_path, mock):
    config = write_config(tmp_path, all_sources(mock))
    result = run(config, "add", "https://example.com/some/page")
    assert result.exit_code == 2
    assert "not a post URL curator can read" in result.output and "Traceback" not in result.output


def test_add_url_of_a_deleted_post(tmp_path, mock):
    config = write_config(tmp_path, all_sources(mock))
    result = run(config, "add", f"{mock.base}/@alice/999", env=ENV)
    assert result.exit_code == 3 and "gone or not public" in result.output


def test_threads_are_normalised_with_hashtag_entities(mock, monkeypatch):
    monkeypatch.setenv("TEST_X_TOKEN", "x-token")
    specs = [SourceSpec.from_mapping(s) for s in all_sources(mock)]
    fedi, sky, bird = (build(s) for s in specs)

    status = mock.mastodon[0]
    mock.mastodon_context[status["id"]] = fixture("constructed/mastodon_context_with_permission_reply.json")
    record = fedi.fetch_url(status["url"]).record
    request, consent = fedi.thread(record)
    assert consent.in_reply_to == request.post_id and consent.hashtags() == ["#YesACME"]
    assert consent.author_id == record.author.id

    mock.bluesky_thread = fixture("constructed/bluesky_getPostThread_with_permission_reply_200.json")
    mock.bluesky = [mock.bluesky_thread["thread"]["post"]]
    record = sky.fetch_url("https://bsky.app/profile/alice.example.com/post/3lxq2abcd2k2a").record
    posts = sky.thread(record)
    assert [p.hashtags() for p in posts] == [["#YesACME"], ["#YesACME"]]  # the request and the reply; deleted one skipped
    assert posts[1].author_id == record.author.id and posts[1].in_reply_to == posts[0].post_id

    conversation = fixture("constructed/x_v2_search_recent_conversation_with_permission_reply_200.json")
    mock.x = conversation["data"]
    record = bird.fetch_url("https://x.com/alice_doe/status/1930000000000000001").record
    (reply,) = bird.thread(record)
    assert reply.hashtags() == ["#YesACME"] and reply.author_id == record.author.id
    assert reply.in_reply_to == "1930000999999999999"


def publish(store: Store, record: model.Testimonial) -> None:
    record.review.status = "approved"
    record.permission.status, record.permission.scope, record.permission.method = "granted", ["web"], "reply"
    record.permission.granted_at = "2025-06-04T00:00:00Z"
    record.permission.evidence_url = "https://example.org/evidence"
    store.save(record)


def test_deleted_upstream_posts_are_marked_and_leave_the_next_build(tmp_path, mock):
    extra_bsky = bluesky_post(mock, 2)
    mock.bluesky.append(extra_bsky)
    mock.x.insert(0, x_post(2))  # newest first, as the API answers
    config = write_config(tmp_path, all_sources(mock))
    for url in (mock.mastodon[0]["url"], "https://bsky.app/profile/alice.example.com/post/3lxq2abcd0001",
                "https://bsky.app/profile/alice.example.com/post/3lxq2abcd0002",
                "https://x.com/alice_doe/status/1930000000000000001", "https://x.com/alice_doe/status/1930000000000000002"):
        assert run(config, "add", url, env=ENV).exit_code == 0
    store = Store.open(tmp_path / "testimonials")
    for record in store.records.values():
        publish(store, record)
    today = policy.build_date()
    assert len(policy.published(store, "web", today)) == 5

    mock.mastodon_gone.add(mock.mastodon[0]["id"])
    mock.bluesky.remove(extra_bsky)
    mock.x_gone.add("1930000000000000002")
    labelled = mock.bluesky[0]
    labelled["author"]["labels"] = [{"src": labelled["author"]["did"], "uri": "x", "val": "!no-unauthenticated", "cts": "2025-06-04T00:00:00Z"}]
    mock.bluesky, mock.mastodon, mock.x = [labelled], [], mock.x  # nothing new to pull
    result = run(config, "pull", "--json", env=ENV)
    assert result.exit_code == 0, result.output
    store = Store.open(tmp_path / "testimonials")
    statuses = {r.id.split("-")[0] + ":" + r.source.post_id[-4:]: r.upstream.status for r in store.records.values()}
    assert statuses == {"mastodon:0001": "deleted", "bluesky:0001": "private", "bluesky:0002": "deleted",
                        "x:0001": "live", "x:0002": "deleted"}
    assert [r.source.post_id for r in policy.published(store, "web", today)] == ["1930000000000000001"]
    before = {p.name: p.read_bytes() for p in (tmp_path / "testimonials").glob("*.yml")}
    assert run(config, "pull", env=ENV).exit_code == 0  # marks stay, nothing is rewritten
    assert {p.name: p.read_bytes() for p in (tmp_path / "testimonials").glob("*.yml")} == before


def test_pull_recheck_asks_upstream_about_published_posts_only(tmp_path, mock):
    mock.x.insert(0, x_post(2))
    config = write_config(tmp_path, all_sources(mock))
    for url in (mock.mastodon[0]["url"], "https://x.com/alice_doe/status/1930000000000000001",
                "https://x.com/alice_doe/status/1930000000000000002"):
        assert run(config, "add", url, env=ENV).exit_code == 0
    store = Store.open(tmp_path / "testimonials")
    inbox = next(r for r in store.records.values() if r.source.post_id == "1930000000000000002")
    for record in store.records.values():
        if record is not inbox:
            publish(store, record)
    mock.mastodon_gone.add(mock.mastodon[0]["id"])
    mock.x_gone.update({"1930000000000000001", "1930000000000000002"})
    mock.bluesky = [bluesky_post(mock, 3)]  # new upstream: the re-check does not fetch it
    mock.log.clear()
    takedowns = tmp_path / "takedowns.txt"
    result = run(config, "pull", "--recheck", "--takedowns", str(takedowns), env=ENV)
    assert result.exit_code == 0, result.output
    store = Store.open(tmp_path / "testimonials")
    assert {r.source.post_id[-4:]: r.upstream.status for r in store.records.values()} == {
        "0001": "deleted", "0002": "live"}  # the inbox post is not asked about
    assert len(store.records) == 3 and len(takedowns.read_text().splitlines()) == 2
    assert mock.requests_to("/xrpc/") == [] and len(mock.requests_to("/2/tweets")) == 1  # one batch lookup
    assert not [t for t in mock.requests_to("/api/v1/") if "timelines" in t or "context" in t]


def test_pull_skips_posts_labelled_no_unauthenticated(tmp_path, mock):
    mock.bluesky[0]["labels"] = [{"val": "!no-unauthenticated", "src": "did:plc:x", "uri": "x", "cts": "2025-06-04T00:00:00Z"}]
    config = write_config(tmp_path, all_sources(mock)[1:2])
    result = run(config, "pull", env=ENV)
    assert result.exit_code == 0
    assert added(tmp_path) == [] and "logged-out viewers" in result.output


@pytest.mark.parametrize("body, expected", [
    (png_bytes((64, 64)) + b"\0" * 3_000_000, "byte limit"),
    (b"<html>not an image</html>", "not a PNG, JPEG, WebP or GIF image"),
    (bomb_png(), "decompression bomb"),
])
def test_bad_avatars_are_rejected_and_the_record_keeps_initials(tmp_path, mock, body, expected):
    mock.files["/avatars/alice.png"] = Reply(200, body, {"Content-Type": "image/png"})
    config = write_config(tmp_path, all_sources(mock)[:1])
    result = run(config, "add", mock.mastodon[0]["url"])
    assert result.exit_code == 0, result.output
    assert expected in result.output and "initials" in result.output
    (record,) = added(tmp_path)
    assert record.author.avatar is None
    assert not (tmp_path / "testimonials" / "avatars").exists()


def test_good_avatars_are_re_encoded_png_of_bounded_size():
    png = reencode(png_bytes((900, 600))).data
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == (400, 267)
    assert reencode(png_bytes((900, 600))).data == png  # deterministic
    with pytest.raises(ImageRejected, match="pixel limit"):
        reencode(png_bytes((300, 300)), dataclasses.replace(AVATAR, max_pixels=10_000))


def test_mastodon_accounts_and_mentions(tmp_path, mock):
    mock.mastodon = [mastodon_post(mock, n) for n in (3, 2, 1)]
    config = write_config(tmp_path, [{"name": "fedi", "type": "mastodon", "instance": mock.base, "accounts": ["@alice"],
                                      "mentions": True, "token_env": "TEST_MASTO", "retries": 0}])
    assert run(config, "pull", env={"TEST_MASTO": "masto-token"}).exit_code == 0
    assert len(added(tmp_path)) == 3
    assert mock.requests_to("/api/v1/accounts/lookup?acct=alice")
    assert len(mock.requests_to("/api/v1/notifications")) == 3  # two pages and the empty end
    cursors = (tmp_path / "testimonials" / "_cursors.yml").read_text()
    assert "account:alice: '114620000000000003'" in cursors and "mentions: '503'" in cursors


def test_x_archive_pulls_the_posts_the_brand_replied_to(tmp_path, mock):
    archive = tmp_path / "data" / "tweets.js"
    archive.parent.mkdir()
    archive.write_bytes((FIXTURES / "x_archive_tweets_js_synthetic.js").read_bytes())
    (archive.parent / "account.js").write_text(
        'window.YTD.account.part0 = [{"account": {"accountId": "2244000000", "username": "acme_example"}}]')
    customer = x_post(1)
    customer["id"] = customer["conversation_id"] = "1930000000000000201"  # the post the brand asked permission for
    mock.x = [customer]
    config = write_config(tmp_path, [{"name": "archive", "type": "x-archive", "path": "data/tweets.js", "api": mock.base,
                                      "token_env": "TEST_X_TOKEN", "retries": 0}])
    result = run(config, "pull", env=ENV)
    assert result.exit_code == 0, result.output  # the other replied-to posts are gone: reported in errors[], skipped
    assert mock.requests_to("/2/tweets?ids=1930000000000000201,1930000000000000203")
    store = Store.open(tmp_path / "testimonials")
    assert list(store.records) == ["x-1930000000000000201"]
    bird = build(SourceSpec.from_mapping({"name": "archive", "type": "x-archive", "path": str(archive), "api": mock.base}))
    (request,) = bird.thread(store.records["x-1930000000000000201"])
    assert request.author_id == "2244000000" and request.hashtags() == ["#YesAcme"]


def test_summary_markdown_escapes_untrusted_text():
    from curator.sources.pull import PullReport, summary_markdown
    record = model.Testimonial.from_dict({
        "id": "x-1", "source": {"platform": "x", "url": "https://x.com/a/status/1", "post_id": "1"},
        "author": {"name": "Eve <script>"}, "posted_at": "2026-01-01T00:00:00Z",
        "text": "[click](javascript:alert(1)) @everyone # not a heading\nline 2"})
    text = summary_markdown(PullReport(new=[record], failed={"bird": "bird: timed out"}), "2026-01-02")
    assert "\\[click\\]\\(javascript:alert\\(1\\)\\)" in text and "\\@everyone" in text and "\\<script\\>" in text
    assert "## New in the inbox (1)" in text and "## Failed sources (1)" in text and "line 2" in text
    assert text.count("\n- ") == 2


def test_recheck_without_configured_sources_and_a_private_post_coming_back(tmp_path, mock):
    config = write_config(tmp_path, [])
    assert run(config, "add", mock.mastodon[0]["url"]).exit_code == 0  # read from the post's own server
    store = Store.open(tmp_path / "testimonials")
    (record,) = store.records.values()
    publish(store, record)
    mock.mastodon[0]["visibility"] = "private"
    assert "upstream private" in run(config, "pull").output
    mock.mastodon[0]["visibility"] = "public"
    assert "upstream live" in run(config, "pull").output
    mock.mastodon_gone.add(mock.mastodon[0]["id"])
    assert "upstream deleted" in run(config, "pull").output
    assert policy.published(Store.open(tmp_path / "testimonials"), "web", policy.build_date()) == []


def test_add_x_url_of_a_deleted_post_says_so(tmp_path, mock):
    config = write_config(tmp_path, all_sources(mock))
    mock.x_gone.add(mock.x[0]["id"])
    result = run(config, "add", f"https://x.com/alice_doe/status/{mock.x[0]['id']}", env=ENV)
    assert result.exit_code == 3 and "Could not find tweet" in result.output
    mock.fault("/2/tweets/", Reply(404, b"<html>gone</html>", {"Content-Type": "text/html"}))
    result = run(config, "add", f"https://x.com/alice_doe/status/{mock.x[0]['id']}", env=ENV)
    assert result.exit_code == 3 and "gone or not visible" in result.output
