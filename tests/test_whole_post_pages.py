"""Whole posts on the site (issue 21): pages, embeds and feeds show the content warning, media,
poll, quoted post, link card and custom emoji; only published records' files reach site/."""
from __future__ import annotations

import json
import re
from pathlib import Path

import markupsafe
import pytest

from curator import Store, model, yamlio
from curator.identity import content_version
from curator.store import record_files
from curator.web import markup, whole

from test_site import site_text
from sample_pictures import emoji, encoded, scene, store_file


def post_files(record: model.Testimonial) -> list[str]:
    """The store paths of the media and custom emoji files a post shows, each once, sorted."""
    return sorted({path for path, _ in record_files(record)})

HOSTILE = '"><script>alert(1)</script><img src=x onerror=alert(2)>'


def write_record(store: Path, data: dict) -> model.Testimonial:
    """A consented record file of ``data`` in ``store`` (its version is what it shows now)."""
    record = model.Testimonial.from_dict(data)
    record.source.version = content_version(record)
    (store / f"{record.id}.yml").write_text(yamlio.dump(record.to_dict()), "utf-8")
    return record


def media(store: Path, hue: int, kind: str = "image", alt: str = "") -> dict:
    path, digest = store_file(store, "media", encoded(scene(320, 240, hue), "JPEG"), "jpg")
    return {"type": kind, "path": path, "digest": digest, "alt": alt, "width": 320, "height": 240,
            "url": f"https://files.mastodon.example/{hue}.mp4" if kind != "image" else None}


def whole_post(store: Path, record_id: str, scope: list[str], status: str = "granted", hue: int = 0) -> dict:
    """A Mastodon post with everything: CW, three media (one without alt, one a video), a poll,
    a quoted post, a link card and a custom emoji in its text and its author's name."""
    emoji_path, emoji_digest = store_file(store, "emoji", encoded(emoji(32 + hue % 7), "PNG"), "png")
    link_path, link_digest = store_file(store, "media", encoded(scene(240, 126, hue + 5), "JPEG"), "jpg")
    return {
        "id": record_id,
        "source": {"platform": "mastodon", "url": f"https://mastodon.example/@ann/{record_id}", "post_id": record_id},
        "author": {"name": "Ann :blobcat:", "id": "77", "handle": "@ann@mastodon.example"},
        "posted_at": "2026-10-01T10:00:00Z", "lang": "en",
        "text": f"Look at my desk :blobcat: {record_id}",
        "warning": f"Desk mess {HOSTILE}",
        "media": [media(store, hue, alt=f"A tablet on a desk {HOSTILE}"), media(store, hue + 1),
                  media(store, hue + 2, "video", alt="A short clip of the app")],
        "poll": {"options": [{"title": "Offline sync", "votes": 3}, {"title": f"Lists {HOSTILE}", "votes": 1}],
                 "closed": True, "voters": 4},
        "quote": {"author": {"name": "Bo", "handle": "@bo@mastodon.example"}, "text": "the quoted words\nline two",
                  "url": "https://mastodon.example/@bo/2"},
        "link": {"url": "https://acme.example/blog/desk", "title": f"Desk setups {HOSTILE}", "description": "How we work",
                 "image": {"type": "image", "path": link_path, "digest": link_digest, "width": 240, "height": 126}},
        "emoji": [{"shortcode": "blobcat", "path": emoji_path, "digest": emoji_digest}],
        "review": {"status": "approved", "by": "^JD"},
        "permission": {"status": status, "scope": scope, "method": "reply", "granted_at": "2026-10-02T10:00:00Z" if status == "granted" else None,
                       "evidence_url": "https://mastodon.example/@ann/9" if status == "granted" else None},
        "upstream": {"status": "live"},
    }


@pytest.fixture
def whole_site(project: Path, run) -> tuple[Path, dict[str, model.Testimonial]]:
    """The sample wall plus a whole post on every channel, one on embed only and one not yet
    consented to, each with its own generated files."""
    store = project / "testimonials"
    records = {
        "web": write_record(store, whole_post(store, "mastodon-whole-1", ["web", "embed"])),
        "embed": write_record(store, whole_post(store, "mastodon-whole-2", ["embed"], hue=40)),
        "none": write_record(store, whole_post(store, "mastodon-whole-3", ["web", "embed"], status="requested", hue=80)),
    }
    result = run("build")
    assert result.exit_code == 0, result.output
    return project / "site", records


def test_the_permalink_page_shows_the_whole_post(whole_site) -> None:
    site, records = whole_site
    record = records["web"]
    page = (site / "t" / record.id / "index.html").read_text("utf-8")
    card = page[page.index('<figure class="curator-card"') : page.index("</figure>")]
    escaped = str(markupsafe.escape(HOSTILE))
    # The content warning is the summary; the text and everything else are inside, closed.
    assert f'<details class="curator-card__warning"><summary dir="auto">Desk mess {escaped}</summary>' in card
    inside = card[card.index("<details") : card.index("</details>")]
    for part in ("curator-card__text", "curator-card__media", "curator-card__poll", "curator-card__quote", "curator-card__link"):
        assert part in inside, part
    # Poll options over bars as long as their shares of the votes, and the closed line.
    assert re.search(r'<li class="curator-card__leading"><meter min="0" max="100" value="75" aria-hidden="true"></meter>'
                     r'<span class="curator-card__percent">75%</span> <span class="curator-card__option">Offline sync</span></li>', card)
    assert f'<span class="curator-card__percent">25%</span> <span class="curator-card__option">Lists {escaped}</span>' in card
    assert "4 votes · Closed" in card
    # Custom emoji as images at text size, in the text and in the name; their files are in the site.
    emoji_tags = re.findall(r'<img class="curator-card__emoji emoji" src="([^"]+)" alt=":blobcat:"', card)
    assert len(emoji_tags) == 2 and "Ann <img" in card and ":blobcat: " not in card
    assert (site / "t" / record.id / emoji_tags[0]).resolve().read_bytes() == (site.parent / "testimonials" / record.emoji[0].path).read_bytes()
    # Media: the author's alt (escaped), size attributes, site copies; all lazy, even the first:
    # behind the content warning nothing is painted until the reader opens it.
    images = re.findall(r'<img src="([^"]+)" alt="([^"]*)" width="320" height="240"( loading="lazy")? decoding="async">', card)
    assert [(alt, lazy) for _, alt, lazy in images] == [
        (f"A tablet on a desk {escaped}", ' loading="lazy"'),
        ("Image with no description", ' loading="lazy"'),
        ("A short clip of the app", ' loading="lazy"'),
    ]
    for src, _, _ in images:
        assert (site / "t" / record.id / src).resolve().is_file()
    # The video is its poster with a play mark, linking to the post; the platform's file is never used.
    assert f'<a class="curator-card__play" href="{record.source.url}" rel="nofollow ugc noopener"><img' in card
    assert "Play the video on Mastodon" in card and "<video" not in page and "files.mastodon.example" not in page
    # The quoted post in its box with a link to it; the link card to its URL, marked as not ours.
    assert '<span class="curator-card__name">Bo</span> <span class="curator-card__handle">@bo@mastodon.example</span>' in card
    assert "the quoted words<br>line two" in card and 'href="https://mastodon.example/@bo/2" rel="nofollow ugc noopener">The quoted post' in card
    assert '<a class="curator-card__link" href="https://acme.example/blog/desk" rel="nofollow ugc noopener">' in card
    assert f'<span class="curator-card__link-domain">acme.example</span><span class="curator-card__link-title">Desk setups {escaped}</span>' in card
    assert "<script>alert" not in page and "<img src=x" not in page
    assert page.count('<img class="curator-card__emoji emoji"') == 3  # and in the page's heading
    # The static snippet names the site's copies by their absolute URLs.
    assert f"src=&#34;https://curator.example/{whole.site_file(record.media[0].path)}&#34;" in page
    # Shared previews say the warning, not the hidden words.
    assert f'<meta property="og:description" content="Content warning: Desk mess {escaped}">' in page


def test_only_published_records_files_reach_the_site(whole_site, project: Path) -> None:
    site, records = whole_site
    store = project / "testimonials"
    everything = [p.read_bytes() for p in site.rglob("*") if p.is_file()]
    text = site_text(site)
    hidden = records["none"]
    assert not (site / "t" / hidden.id).exists() and hidden.id not in text
    for path in post_files(hidden):  # its images, its link card's, its emoji: none in any file
        data = (store / path).read_bytes()
        assert data not in everything and Path(path).name not in text, path
    for channel in ("web", "embed"):
        for path in post_files(records[channel]):
            assert (site / whole.site_file(path)).read_bytes() == (store / path).read_bytes(), path
    assert not (site / "t" / records["embed"].id).exists()  # on embeds only: no page of the wall
    # Nothing else: the files of every other record with any (all published) and no more.
    copied = {p.relative_to(site).as_posix() for folder in ("media", "emoji") for p in (site / "assets" / "curator" / folder).iterdir()}
    others = [r for r in Store.open(store).records.values() if r.id != hidden.id]
    assert copied == {whole.site_file(path) for record in others for path in post_files(record)}


def test_feed_and_oembed_carry_only_their_channels_images(whole_site) -> None:
    site, records = whole_site
    feed = json.loads((site / "testimonials.json").read_text("utf-8"))
    items = {item["id"].rstrip("/").rsplit("/", 1)[1]: item for item in feed["items"]}
    item = items[records["web"].id]
    assert item["summary"] == f"Desk mess {HOSTILE}"
    assert [a["title"] for a in item["attachments"]] == [f"A tablet on a desk {HOSTILE}", "Image with no description", "A short clip of the app"]
    for attachment in item["attachments"]:
        assert attachment["mime_type"] == "image/jpeg"
        assert (site / attachment["url"].removeprefix("https://curator.example/")).is_file()
    assert item["image"] == item["attachments"][0]["url"]
    assert records["embed"].id not in items and records["none"].id not in items  # the feed is the web channel's
    # Embedded only: no card, so the post's own first picture is the oEmbed thumbnail.
    oembed = json.loads((site / "oembed" / f"{records['embed'].id}.json").read_text("utf-8"))
    assert oembed["thumbnail_url"] == "https://curator.example/" + whole.site_file(records["embed"].media[0].path)
    assert (oembed["thumbnail_width"], oembed["thumbnail_height"]) == (320, 240)
    assert not (site / "oembed" / f"{records['none'].id}.json").exists()
    frame = (site / "embed" / "t" / f"{records['embed'].id}.html").read_text("utf-8")
    assert '<details class="curator-card__warning">' in frame and 'src="../../assets/curator/media/' in frame
    data = (site / "embed" / "data.js").read_text("utf-8")
    payload = json.loads(data[data.index("(") + 1 : data.rindex(")")])
    embedded = {entry["id"]: entry for entry in payload["items"]}
    assert records["none"].id not in embedded
    entry = embedded[records["embed"].id]
    assert entry["warning"] == [["text", f"Desk mess {HOSTILE}", ""]]
    assert entry["nameSegments"][1] == ["emoji", ":blobcat:", "", whole.site_file(records["embed"].emoji[0].path)]
    assert [option[1:] for option in entry["poll"]["options"]] == [[75, True], [25, False]]
    assert [m["type"] for m in entry["media"]] == ["image", "image", "video"] and entry["link"]["image"]["alt"] == ""
    assert "<" not in data  # escaped for a script


def test_a_media_file_that_is_not_what_the_author_consented_to_fails_the_build(project: Path, run) -> None:
    store = project / "testimonials"
    record = write_record(store, whole_post(store, "mastodon-whole-1", ["web", "embed"]))
    swapped = store / record.media[1].path
    swapped.write_bytes(encoded(scene(320, 240, 99), "JPEG"))  # same name, other picture
    result = run("build")
    assert result.exit_code == 1
    assert f"{record.media[1].path}: is not the file the author consented to" in result.output + result.stderr
    assert not (project / "site").exists()


@pytest.mark.parametrize(("text", "expected"), [
    ("at 10:30:blobcat: ok", [("text", "at 10:30"), ("emoji", ":blobcat:"), ("text", " ok")]),
    (":unknown: and :blobcat", [("text", ":unknown: and :blobcat")]),
    ("a\n:blobcat::blobcat:", [("text", "a"), ("break", ""), ("emoji", ":blobcat:"), ("emoji", ":blobcat:")]),
])
def test_only_the_posts_own_shortcodes_become_images(text: str, expected: list) -> None:
    found = markup.plain_segments(text, {"blobcat": "assets/curator/emoji/x.png"})
    assert [(s.kind, s.text) for s in found] == expected


def test_poll_shares_are_of_the_votes_as_on_the_card_and_absent_without_counts() -> None:
    multiple = model.Poll([model.PollOption("a", 3), model.PollOption("b", 3), model.PollOption("c", 2)], voters=4)
    assert [(r.percent, r.leading) for r in whole.poll_rows(multiple)] == [(38, True), (38, True), (25, False)]
    assert whole.poll_line(multiple, "en", "UTC") == "8 votes · Open"
    unknown = model.Poll([model.PollOption("a"), model.PollOption("b")], ends_at="2026-03-03T10:24:00Z")
    assert [r.percent for r in whole.poll_rows(unknown)] == [None, None]
    assert whole.poll_line(unknown, "en", "UTC") == "Ends 10:24\u202fAM · Mar 3, 2026"
    nobody = model.Poll([model.PollOption("a", 0)], closed=True)
    assert [r.percent for r in whole.poll_rows(nobody)] == [0] and whole.poll_line(nobody, "en", "UTC") == "0 votes · Closed"


def test_the_markdown_snippet_has_the_warning_and_the_poll(tmp_path: Path) -> None:
    record = model.Testimonial.from_dict(whole_post(tmp_path, "mastodon-whole-1", ["embed"]))
    quote = markup.markdown_quote(record, "https://curator.example/t/mastodon-whole-1/")
    lines = quote.splitlines()
    assert lines[0].startswith("> Content warning: Desk mess") and "\\<script\\>" in lines[0]
    assert "> - Offline sync (75%)" in lines and any(line.startswith('> - Lists "\\>\\<script\\>') for line in lines)


def test_an_iframes_first_height_counts_what_shows(tmp_path: Path) -> None:
    data = {**whole_post(tmp_path, "mastodon-whole-1", ["embed"]), "text": "Long words " * 30}
    behind_warning = markup.estimated_height(model.Testimonial.from_dict(data))
    shown = markup.estimated_height(model.Testimonial.from_dict({**data, "warning": None}))
    text_only = markup.estimated_height(model.Testimonial.from_dict(
        {**data, "warning": None, "media": [], "poll": None, "quote": None, "link": None}))
    assert behind_warning < text_only < shown and shown - text_only > 600  # grid, poll, quote and link card


def test_a_revoked_posts_pictures_leave_the_site(whole_site, project: Path, run) -> None:
    site, records = whole_site
    record = records["web"]
    pictures = [(project / "testimonials" / path).read_bytes() for path in post_files(record)]
    assert all(any(p.read_bytes() == data for p in site.rglob("*.jpg")) for data in pictures if data[:3] == b"\xff\xd8\xff")
    assert run("revoke", record.id, "--reason", "asked by email").exit_code == 0
    assert run("build").exit_code == 0
    everything = [p.read_bytes() for p in site.rglob("*") if p.is_file()]
    assert not any(data in everything for data in pictures)


def test_a_media_file_or_folder_leading_out_of_the_store_is_never_published(tmp_path: Path) -> None:
    store = tmp_path / "testimonials"
    record = model.Testimonial.from_dict(whole_post(store, "mastodon-whole-1", ["web"]))
    files = whole.PostFiles(store, tmp_path / "memo.json")
    assert files.site_files([record]) == ({whole.site_file(p): store / p for p in post_files(record)}, [])
    secret, target = tmp_path / "elsewhere.jpg", store / record.media[0].path
    target.rename(secret)  # the very bytes: only where they live is wrong
    target.symlink_to(secret)
    found, problems = files.site_files([record])
    assert problems == [f"{target}: leads outside the store (a symlink); store the picture itself"]
    assert whole.site_file(record.media[0].path) not in found
    target.unlink()
    target.symlink_to(store / record.media[1].path)  # inside the store: harmless, but not the consented bytes
    assert files.site_files([record])[1] == [f"{target}: is not the file the author consented to (its digest differs); restore it or ask again"]
    target.unlink()
    secret.rename(target)
    (store / "emoji").rename(tmp_path / "emoji")
    (store / "emoji").symlink_to(tmp_path / "emoji", target_is_directory=True)
    assert files.site_files([record])[1] == [
        f"{store / record.emoji[0].path}: its folder leads outside the store (a symlink); store the pictures in it"]
