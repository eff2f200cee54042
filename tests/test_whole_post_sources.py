"""Whole posts from real recorded payloads (tests/fixtures/whole_posts, README there): `curator add
URL` against the 127.0.0.1 mock keeps media, content warnings, polls, quoted posts, link cards and
custom emoji as the payload says; refuses withheld posts and reposts; never leaves the store unusable."""
from __future__ import annotations

import copy
import hashlib
import io
import json
import re
from pathlib import Path

import pytest
from PIL import Image

from curator import policy
from curator.images import MEDIUM, reencode
from curator.model import Testimonial as Record
from curator.sources import SourceSpec, build
from curator.store import Store

from sources_mock import Reply, png_bytes, rehost
from test_sources_pull import ENV, all_sources, run, write_config

PAYLOADS = Path(__file__).parent / "fixtures" / "whole_posts"


def payload(name: str) -> dict | list:
    return json.loads((PAYLOADS / name).read_text("utf-8"))


def stored(tmp_path: Path) -> dict[str, Record]:
    return {r.source.post_id: r for r in Store.open(tmp_path / "testimonials").records.values()}


@pytest.fixture
def wall(tmp_path, mock):
    """A store and a config whose sources read the mock."""
    return write_config(tmp_path, all_sources(mock))


def add(config: Path, url: str):
    result = run(config, "add", url, env=ENV)
    check = run(config, "check", env=ENV)
    assert check.exit_code == 0, check.output  # whatever add did, the store stays valid
    return result


# --- Mastodon -------------------------------------------------------------------------------------


def mastodon(mock, name: str) -> dict:
    status = rehost(payload(name), mock.base)
    mock.mastodon.append(status)
    return status


def test_mastodon_content_warning_gif_poster_and_custom_emoji_in_text_and_name(tmp_path, mock, wall):
    status = mastodon(mock, "mastodon_gifv_emoji_cw.json")
    result = add(wall, f"{mock.base}/@halcy/{status['id']}")
    assert result.exit_code == 0, result.output
    record = stored(tmp_path)[status["id"]]
    assert record.warning == "test post for mastodon.py stuff"
    (medium,) = record.media
    assert (medium.type, medium.alt) == ("gif", "a furry cube breakdancing")
    assert medium.url and medium.url.endswith(".mp4")  # the original is linked, its poster frame is stored
    assert medium.path.startswith("media/") and medium.path.endswith(".jpg")
    file = tmp_path / "testimonials" / medium.path
    assert medium.digest == "sha256-" + hashlib.sha256(file.read_bytes()).hexdigest()
    assert Image.open(file).format == "JPEG" and (medium.width, medium.height) == Image.open(file).size
    assert ":trans_heart:" in record.text and ":icosahedron:" in record.author.name
    assert {e.shortcode for e in record.emoji} == {"trans_heart", "icosahedron"}
    for emoji in record.emoji:
        image = Image.open(tmp_path / "testimonials" / emoji.path)
        assert emoji.path.startswith("emoji/") and image.format == "PNG"
    assert mock.requests_to("/cdn/files.mastodon.social/cache/media_attachments/")[0].endswith("/small/e6bdbd614788c2d1.png")


def test_mastodon_poll_with_emoji_options(tmp_path, mock, wall):
    status = mastodon(mock, "mastodon_poll_emoji.json")
    assert add(wall, f"{mock.base}/@halcy/{status['id']}").exit_code == 0
    record = stored(tmp_path)[status["id"]]
    assert record.text == "secret test poll :hecker:"
    assert [(o.title, o.votes) for o in record.poll.options] == [
        ("real", 8), ("fr fr", 17), ("so true", 14), (":hecker:", 25)]
    assert (record.poll.closed, record.poll.ends_at, record.poll.voters) == (True, "2023-05-29T12:51:38.000Z", 47)
    assert {e.shortcode for e in record.emoji} == {"hecker", "icosahedron"}


@pytest.mark.parametrize("name, quoted_text", [
    ("mastodon_quote_local.json", "Toot!"),
    ("mastodon_quote_cw.json", None),
    ("mastodon_quote_bridged.json", None),
])
def test_mastodon_quotes_keep_the_quoted_post_and_drop_the_re_placeholder(tmp_path, mock, wall, name, quoted_text):
    status = mastodon(mock, name)
    assert add(wall, f"{mock.base}/@someone/{status['id']}").exit_code == 0
    record = stored(tmp_path)[status["id"]]
    assert "RE:" not in record.text and not record.text.startswith("…")
    quoted = status["quote"]["quoted_status"]
    assert record.quote is not None and record.quote.url == quoted["url"]
    if quoted_text:
        assert record.quote.text == quoted_text and record.text == "yoooooooo"
    if name == "mastodon_quote_cw.json":
        assert record.warning == "politics, hungary"


def test_mastodon_images_and_video(tmp_path, mock, wall):
    images = mastodon(mock, "mastodon_two_images.json")
    video = mastodon(mock, "mastodon_video.json")
    for status in (images, video):
        assert add(wall, f"{mock.base}/@someone/{status['id']}").exit_code == 0
    records = stored(tmp_path)
    assert records[images["id"]].text == "LOL check this out"
    assert [m.type for m in records[images["id"]].media] == ["image", "image"]
    assert [m.type for m in records[video["id"]].media] == ["video"]
    assert len({m.path for m in records[images["id"]].media}) == 2


def test_mastodon_link_card(tmp_path, mock, wall):
    status = mastodon(mock, "mastodon_card.json")
    assert add(wall, f"{mock.base}/@halcy/{status['id']}").exit_code == 0
    link = stored(tmp_path)[status["id"]].link
    assert (link.url, link.title, link.description) == ("https://halcy.itch.io/cat-game", "cat game by halcy", "a game about cats")
    assert link.image is None  # the card has none


def test_mastodon_boost_is_refused_naming_the_original(tmp_path, mock, wall):
    status = mastodon(mock, "mastodon_reblog.json")
    result = add(wall, f"{mock.base}/@mastodonpy_test/{status['id']}")
    assert result.exit_code != 0 and "a boost (repost) of" in result.output
    assert status["reblog"]["url"] in result.output and stored(tmp_path) == {}


# --- Bluesky --------------------------------------------------------------------------------------


def snapshot_post(mock, data: dict, snapshot: str = "a") -> dict:
    """The atproto snapshot's placeholders as real identifiers (``record(N)`` → an at-uri; each
    snapshot numbers its records from 0, so ``snapshot`` keeps two apart)."""
    text = json.dumps(data)
    text = re.sub(r"record\((\d+)\)", rf"at://did:plc:snapshot/app.bsky.feed.post/3ksnap{snapshot}\1", text)
    text = re.sub(r"user\((\d+)\)", r"did:plc:snapshotuser\1", text)
    post = rehost(json.loads(text), mock.base)
    mock.bluesky.append(post)
    return post


def test_bluesky_images_video_gallery_and_quotes(tmp_path, mock, wall):
    posts = payload("bluesky_posts_quotes_and_images.json")
    carol = snapshot_post(mock, next(p for p in posts if p["record"]["text"] == "hi im carol"))
    quoting = snapshot_post(mock, next(p for p in posts if p.get("embed", {}).get("$type", "").endswith("record#view")))
    gallery = snapshot_post(mock, payload("bluesky_gallery_with_quote.json"), "b")
    video = snapshot_post(mock, payload("bluesky_video.json"), "c")
    for post in (carol, quoting, gallery, video):
        result = add(wall, post["uri"])
        assert result.exit_code == 0, result.output
    records = stored(tmp_path)
    assert [(m.type, m.alt) for m in records[carol["uri"]].media] == [
        ("image", "../dev-env/assets/key-landscape-small.jpg"), ("image", "../dev-env/assets/key-alt.jpg")]
    assert records[carol["uri"]].quote.text == carol["embed"]["record"]["record"]["value"]["text"]
    quote = records[quoting["uri"]].quote
    assert quote.text == "hi im carol" and len(quote.media) == 2  # the quoted post's own images
    assert [(m.type, m.alt) for m in records[gallery["uri"]].media] == [("image", "landscape")]
    assert records[gallery["uri"]].quote.text == "embedded"
    (poster,) = records[video["uri"]].media
    assert (poster.type, poster.alt, poster.url) == ("video", "alt text", None)


def test_bluesky_link_card_with_its_picture(tmp_path, mock, wall):
    post = copy.deepcopy(payload("bluesky_video.json"))
    post["embed"] = payload("bluesky_external_view.json")
    post["embed"]["external"]["thumb"] = "https://cdn.bsky.app/img/feed_thumbnail/plain/user(1)/cids(9)@jpeg"
    post = snapshot_post(mock, post)
    assert add(wall, post["uri"]).exit_code == 0
    link = stored(tmp_path)[post["uri"]].link
    assert (link.url, link.title, link.description) == ("https://example.com", "TestImage", "testLink")
    assert link.image is not None and (tmp_path / "testimonials" / link.image.path).is_file()


def test_bluesky_self_labels_are_said_to_the_reviewer_not_made_a_content_warning(tmp_path, mock, wall):
    post = snapshot_post(mock, next(p for p in payload("bluesky_posts_quotes_and_images.json") if p["record"].get("labels")))
    result = add(wall, post["uri"])
    assert result.exit_code == 0 and "labelled it self-label" in result.output
    assert stored(tmp_path)[post["uri"]].warning is None


# --- X --------------------------------------------------------------------------------------------


def x_response(mock, name: str) -> dict:
    data = rehost(payload(name), mock.base)
    mock.x += data["data"]
    mock.x_users += data.get("includes", {}).get("users", [])
    for kind, items in data.get("includes", {}).items():
        if kind != "users":
            mock.x_includes[kind] = mock.x_includes.get(kind, []) + items
    return data["data"][0]


def test_x_video_and_link_card_and_trailing_media_link_dropped(tmp_path, mock, wall):
    post = x_response(mock, "x_v2_tweet_with_media_payload.json")
    assert add(wall, f"https://x.com/TwitterDev/status/{post['id']}").exit_code == 0
    record = stored(tmp_path)[post["id"]]
    assert record.text.endswith("https://t.co/32VrwpGaJw") and "KaFSbjWUA8" not in record.text
    assert all(e.end <= len(record.text) for e in record.entities)
    (medium,) = record.media
    assert medium.type == "video" and medium.url == record.source.url  # a video is linked through its post
    assert record.link.title == "Introducing a new and improved X API"
    assert record.link.image is not None  # the largest of the card's pictures


def test_x_quote_drops_the_quoted_posts_link(tmp_path, mock, wall):
    post = x_response(mock, "x_v2_quote_tweet_payload.json")
    assert add(wall, f"https://x.com/TwitterDev/status/{post['id']}").exit_code == 0
    record = stored(tmp_path)[post["id"]]
    assert "t.co/JaxttUMmjX" not in record.text and record.text.endswith("with the X API v2!")
    assert record.quote.url == "https://x.com/TwitterDev/status/1327011423252144128"
    assert record.quote.text.startswith("👋 Friendly reminder") and record.quote.author.handle == "@TwitterDev"


def test_x_poll(tmp_path, mock, wall):
    data = payload("x_v2_poll_docs.json")  # the docs' default fields: the author and time added
    data["data"][0].update(author_id="2244994945", created_at="2019-11-27T20:26:41.000Z")
    data["includes"]["users"] = payload("x_v2_quote_tweet_payload.json")["includes"]["users"]
    mock.x += data["data"]
    mock.x_users += data["includes"]["users"]
    mock.x_includes = {"polls": data["includes"]["polls"]}
    assert add(wall, "https://x.com/TwitterDev/status/1199786642791452673").exit_code == 0
    poll = stored(tmp_path)["1199786642791452673"].poll
    assert [(o.title, o.votes) for o in poll.options] == [("“C Sharp”", 795), ("“C Hashtag”", 156)]
    assert poll.closed and poll.ends_at == "2019-11-28T20:26:41.000Z"


def test_x_withheld_author_and_post_are_refused_saying_where(tmp_path, mock, wall):
    post = x_response(mock, "x_v2_quote_tweet_payload.json")
    withheld_user = payload("x_v2_user_withheld_tweepy.json")
    post["author_id"] = withheld_user["id"]
    mock.x_users.append(withheld_user)
    result = add(wall, f"https://x.com/PeriscopeCo/status/{post['id']}")
    assert result.exit_code != 0 and "withheld by X in TR" in result.output and "account" in result.output
    post["author_id"] = "2244994945"
    post["withheld"] = {"copyright": False, "country_codes": ["DE", "FR"]}  # the shape of X's TweetWithheld
    result = add(wall, f"https://x.com/TwitterDev/status/{post['id']}")
    assert result.exit_code != 0 and "post is withheld by X in DE, FR" in result.output
    assert stored(tmp_path) == {}


def test_x_repost_is_refused_pointing_at_the_original(tmp_path, mock, wall):
    post = x_response(mock, "x_v2_retweet_payload.json")
    result = add(wall, f"https://x.com/TwitterDev/status/{post['id']}")
    assert result.exit_code != 0 and "a repost of https://x.com/i/status/1229843515603144704" in result.output


@pytest.mark.parametrize("name", ["x_v2_not_found_api_twitter_com.json", "x_v2_partial_error_200_docs.json"])
def test_x_not_found_under_either_host_is_deleted_never_private(tmp_path, mock, wall, name, monkeypatch):
    error = payload(name)
    missing = error["errors"][0]["resource_id"]
    mock.files[f"/2/tweets/{missing}"] = Reply(200, {"errors": error["errors"]})
    result = add(wall, f"https://x.com/someone/status/{missing}")
    assert result.exit_code != 0 and "is deleted" in result.output

    monkeypatch.setenv("TEST_X_TOKEN", "x-token")
    adapter = build(SourceSpec.from_mapping(all_sources(mock)[2]))
    mock.files["/2/tweets"] = Reply(200, {"errors": [dict(error["errors"][0], resource_id="5")]})
    record = Record.from_dict({"id": "x-5", "source": {"platform": "x", "post_id": "5"},
                                    "author": {"name": "A"}, "posted_at": "2026-01-01", "text": "hi"})
    assert adapter.upstream_status([record]) == {"x-5": "deleted"}


# --- the whole wall -------------------------------------------------------------------------------


def test_adding_every_payload_to_the_sample_wall_leaves_check_and_build_working(project, mock):
    """Every recorded payload through `curator add` into the sample wall: refused or added, the
    wall still checks and builds (the build itself never downloads: the mock sees no request)."""
    config = project / "mkdocs.yml"
    text = config.read_text("utf-8").replace(
        "      brand: Acme\n", "      brand: Acme\n      sources:\n" + "".join(
            f"        - {json.dumps(source)}\n" for source in all_sources(mock)), 1)
    config.write_text(text, "utf-8")
    urls = [f"{mock.base}/@someone/{mastodon(mock, path.name)['id']}" for path in sorted(PAYLOADS.glob("mastodon_*.json"))]
    urls += [snapshot_post(mock, payload(name), name[8:12])["uri"] for name in (
        "bluesky_gallery.json", "bluesky_gallery_with_quote.json", "bluesky_video.json", "bluesky_video_with_quote.json")]
    for name in ("x_v2_tweet_with_media_payload.json", "x_v2_quote_tweet_payload.json", "x_v2_retweet_payload.json"):
        urls.append(f"https://x.com/TwitterDev/status/{x_response(mock, name)['id']}")
    refused = [(url, result.output) for url in urls if (result := run(config, "add", url, env=ENV)).exit_code]
    assert len(refused) == 2, "\n".join(out for _, out in refused)  # the boost and the repost
    assert run(config, "check", env=ENV).exit_code == 0
    mock.log.clear()
    build = run(config, "build", env={**ENV, "SOURCE_DATE_EPOCH": "1795392000"})
    assert build.exit_code == 0, build.output
    assert mock.log == []
    assert "secret test poll" not in (project / "site" / "wall" / "index.html").read_text("utf-8")  # not consented yet


def test_mastodon_shallow_quote_is_looked_up(tmp_path, mock, wall):
    """A quote inside a quote comes as ``quoted_status_id`` only: the quoted status is fetched."""
    nested = rehost(payload("mastodon_quote_bridged.json")["quote"]["quoted_status"], mock.base)
    assert nested["quote"] == {"state": "accepted", "quoted_status_id": "115044056977193502"}
    quoted = copy.deepcopy(payload("mastodon_quote_local.json")["quote"]["quoted_status"])
    quoted.update(id="115044056977193502", visibility="public")
    mock.mastodon += [nested, rehost(quoted, mock.base)]
    assert add(wall, f"{mock.base}/@h4lcy/{nested['id']}").exit_code == 0
    record = stored(tmp_path)[nested["id"]]
    assert record.quote.text == "Toot!" and "RE:" not in record.text
    assert mock.requests_to("/api/v1/statuses/115044056977193502")


def test_x_pull_notes_withheld_and_reposts_and_keeps_the_rest(tmp_path, mock, wall):
    keep = x_response(mock, "x_v2_quote_tweet_payload.json")
    repost = x_response(mock, "x_v2_retweet_payload.json")
    withheld = dict(keep, id="1328399838128467970", withheld={"country_codes": ["IN"]})
    mock.x = sorted([keep, repost, withheld], key=lambda p: -int(p["id"]))
    result = run(wall, "pull", "--source", "bird", env=ENV)
    assert result.exit_code == 0, result.output
    assert list(stored(tmp_path)) == [keep["id"]]
    assert "withheld by X in IN" in result.output and "a repost of https://x.com/i/status/" in result.output
