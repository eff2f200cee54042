"""The files behind a whole post: downloaded in add/pull with the avatar's limits, all or nothing;
checked by `curator check` (inside the store, present, the bytes their digest names); a record
whose media are missing is hidden by the gate; rejecting or revoking a post deletes them."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from curator import model, policy
from curator.store import Store

from sources_mock import Reply, bomb_png, png_bytes, rehost
from test_sources_pull import ENV, all_sources, run, write_config

PAYLOADS = Path(__file__).parent / "fixtures" / "whole_posts"
TODAY = policy.build_date()


def status(mock, name: str = "mastodon_gifv_emoji_cw.json") -> dict:
    found = rehost(json.loads((PAYLOADS / name).read_text("utf-8")), mock.base)
    mock.mastodon.append(found)
    return found


def store_of(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "testimonials")


def published(config: Path, tmp_path: Path, status_id: str) -> model.Testimonial:
    """Add the status, approve it and record its author's yes: on the wall."""
    assert run(config, "add", f"{status_url(config, status_id)}", env=ENV).exit_code == 0
    record = next(r for r in store_of(tmp_path).records.values() if r.source.post_id == status_id)
    assert run(config, "approve", record.id, "--force", "--by", "^T", env=ENV).exit_code == 0
    granted = run(config, "grant", record.id, "--evidence", "https://m.example/@a/1", env=ENV)
    assert granted.exit_code == 0, granted.output
    return store_of(tmp_path).records[record.id]


def status_url(config: Path, status_id: str) -> str:
    base = json.dumps(config.read_text())  # the mock's address is in the config
    host = base.split("instance: ")[1].split("\\n")[0]
    return f"{host}/@halcy/{status_id}"


@pytest.fixture
def config(tmp_path, mock):
    return write_config(tmp_path, all_sources(mock))


def files_under(tmp_path: Path, folder: str) -> list[str]:
    root = tmp_path / "testimonials" / folder
    return sorted(p.name for p in root.iterdir()) if root.is_dir() else []


@pytest.mark.parametrize("body, expected", [
    (b"<html>not an image</html>", "not a PNG, JPEG, WebP or GIF image"),
    (bomb_png(), "decompression bomb"),
    (png_bytes((64, 64)) + b"\0" * 17_000_000, "byte limit"),
    (None, "HTTP 404"),
])
def test_a_medium_that_cannot_be_stored_keeps_the_post_out_and_leaves_no_files(tmp_path, mock, config, body, expected):
    found = status(mock)
    preview = found["media_attachments"][0]["preview_url"].removeprefix(mock.base)
    mock.files[preview] = Reply(404, b"") if body is None else Reply(200, body, {"Content-Type": "image/png"})
    result = run(config, "add", f"{mock.base}/@halcy/{found['id']}", env=ENV)
    assert result.exit_code != 0 and expected in result.output
    assert "not added" in result.output and "curator add https://icosahedron.website/@halcy/" in result.output
    assert store_of(tmp_path).records == {}
    # The emoji and the avatar it had stored already are gone again: a refused post leaves nothing.
    assert files_under(tmp_path, "media") == files_under(tmp_path, "emoji") == files_under(tmp_path, "avatars") == []
    assert run(config, "check", env=ENV).exit_code == 0


def test_pull_reports_a_post_with_a_missing_medium_once_and_admits_the_others(tmp_path, mock, config):
    broken, poll = status(mock), status(mock, "mastodon_poll_emoji.json")
    mock.files[broken["media_attachments"][0]["preview_url"].removeprefix(mock.base)] = Reply(404, b"")
    mock.mastodon.sort(key=lambda s: -int(s["id"]))
    result = run(config, "pull", "--source", "fedi", env=ENV)
    assert result.exit_code == 0, result.output
    assert [r.source.post_id for r in store_of(tmp_path).records.values()] == [poll["id"]]
    assert result.output.count(f"{broken['url']}: not added") == 1 and "HTTP 404" in result.output


def test_check_and_gate_on_missing_changed_and_escaping_files(tmp_path, mock, config):
    record = published(config, tmp_path, status(mock)["id"])
    assert policy.publishable(record, "web", TODAY, (), store_of(tmp_path).missing_files)
    medium = tmp_path / "testimonials" / record.media[0].path
    original = medium.read_bytes()

    medium.write_bytes(png_bytes((5, 5)))  # replaced: another picture than the one consented to
    check = run(config, "check", env=ENV)
    assert check.exit_code != 0 and "media.0.path" in check.output and "not the file its digest names" in check.output
    assert f"{record.id}.yml:" in check.output and "curator add" in check.output

    medium.unlink()  # gone: the store still opens, check says where, the gate hides it
    store = store_of(tmp_path)
    reasons = policy.why_not(store.records[record.id], "web", TODAY, store.suppressed, store.missing_files)
    assert reasons == [f"media not in the store ({record.media[0].path}); run `curator add` with its URL again"]
    assert record.id not in [r.id for r in policy.published(store, "web", TODAY)]
    check = run(config, "check", env=ENV)
    assert check.exit_code != 0 and "not found" in check.output
    listing = run(config, "list", "--status", "hidden", env=ENV)
    assert record.id in listing.output

    outside = tmp_path / "elsewhere.webp"
    outside.write_bytes(original)
    os.symlink(outside, medium)  # the right bytes, but outside the store: a build would publish that file
    store = store_of(tmp_path)
    assert store.missing_files(store.records[record.id]) == [record.media[0].path]
    assert "leads outside" in run(config, "check", env=ENV).output

    medium.unlink()
    medium.write_bytes(original)
    assert run(config, "check", env=ENV).exit_code == 0
    assert record.id in [r.id for r in policy.published(store_of(tmp_path), "web", TODAY)]


def test_reject_and_revoke_delete_the_files_a_shared_emoji_stays_while_used(tmp_path, mock, config):
    gif, poll = status(mock), status(mock, "mastodon_poll_emoji.json")  # both show :icosahedron:
    for found in (gif, poll):
        assert run(config, "add", f"{mock.base}/@halcy/{found['id']}", env=ENV).exit_code == 0
    records = {r.source.post_id: r for r in store_of(tmp_path).records.values()}
    shared = next(e.path for e in records[gif["id"]].emoji if e.shortcode == "icosahedron")
    assert len(files_under(tmp_path, "emoji")) == 3 and len(files_under(tmp_path, "media")) == 1

    assert run(config, "reject", records[gif["id"]].id, "--by", "^T", env=ENV).exit_code == 0
    assert files_under(tmp_path, "media") == []  # its poster frame
    assert files_under(tmp_path, "emoji") == sorted(Path(e.path).name for e in records[poll["id"]].emoji)
    assert (tmp_path / "testimonials" / shared).is_file()  # the poll still shows it
    rejected = store_of(tmp_path).records[records[gif["id"]].id]
    assert rejected.media and rejected.warning  # what it showed is still known, not its files
    assert run(config, "check", env=ENV).exit_code == 0

    # Added again: still rejected, and its files are not fetched back.
    assert run(config, "add", f"{mock.base}/@halcy/{gif['id']}", env=ENV).exit_code == 0
    assert files_under(tmp_path, "media") == []

    result = run(config, "revoke", records[poll["id"]].id, env=ENV)
    assert result.exit_code == 0, result.output
    assert files_under(tmp_path, "emoji") == [] and run(config, "check", env=ENV).exit_code == 0


def test_an_edited_image_is_an_edit_and_the_old_file_goes(tmp_path, mock, config):
    found = status(mock)
    record = published(config, tmp_path, found["id"])
    old = record.media[0].path
    found["media_attachments"][0]["preview_url"] += "-v2.png"  # the author replaced the picture
    result = run(config, "add", f"{mock.base}/@halcy/{found['id']}", env=ENV)
    assert result.exit_code == 0, result.output
    now = store_of(tmp_path).records[record.id]
    assert now.media[0].path != old and not (tmp_path / "testimonials" / old).exists()
    assert now.permission.status == "requested"  # hidden until the author confirms the new version


def test_the_gate_never_hashes_files_and_stats_each_once(tmp_path, mock, config, monkeypatch):
    """A build asks the gate for every record on every channel: no hashing there (check does it)."""
    published(config, tmp_path, status(mock)["id"])
    store = store_of(tmp_path)
    stats = []
    real_is_file = Path.is_file
    monkeypatch.setattr(Path, "is_file", lambda path: stats.append(path) or real_is_file(path))
    monkeypatch.setattr("curator.store.hashlib.sha256", lambda *a: pytest.fail("the gate hashed a file"))
    for _ in range(3):
        for channel in ("web", "embed", "social", "print"):
            assert len(policy.published(store, channel, TODAY)) == 1
    assert len(stats) == 3  # the medium and two emoji, once each


def test_csv_and_json_imports_take_media_and_a_content_warning(tmp_path, mock):
    (tmp_path / "export.json").write_text(json.dumps([
        {"author": "Ann", "text": "", "url": "https://forum.example/p/1", "date": "2026-01-02",
         "cw": "food", "pictures": [{"url": f"{mock.base}/cdn/files.example/a.png", "alt": "a cake"}]},
        {"author": "Bo", "text": "Look", "url": "https://forum.example/p/2", "date": "2026-01-03",
         "pictures": [f"{mock.base}/cdn/files.example/b.png", f"{mock.base}/cdn/files.example/c.png"]},
    ]), "utf-8")
    (tmp_path / "export.csv").write_text(
        f"author,text,url,date,media\nCy,Nice,https://forum.example/p/3,2026-01-04,{mock.base}/cdn/files.example/d.png\n", "utf-8")
    mapping = {"warning": "cw", "media": "pictures"}
    config = write_config(tmp_path, [
        {"name": "export", "type": "json", "path": "export.json", "mapping": mapping},
        {"name": "sheet", "type": "csv", "path": "export.csv"},
    ])
    result = run(config, "pull", env=ENV)
    assert result.exit_code == 0, result.output
    records = {r.author.name: r for r in store_of(tmp_path).records.values()}
    assert (records["Ann"].text, records["Ann"].warning) == ("", "food")
    assert [(m.type, m.alt) for m in records["Ann"].media] == [("image", "a cake")]
    assert len(records["Bo"].media) == 2 and len(records["Cy"].media) == 1
    assert run(config, "check", env=ENV).exit_code == 0


def test_x_photo_with_alt_text_is_fetched_at_its_large_size(tmp_path, mock, config):
    data = json.loads((PAYLOADS / "x_v2_video_media_docs.json").read_text("utf-8"))
    post = dict(data["data"][0], author_id="2244994945", created_at="2020-05-20T16:31:15.000Z")
    medium = dict(data["includes"]["media"][0], type="photo", alt_text="a chat bubble",
                  url=f"{mock.base}/cdn/pbs.twimg.com/media/EYeX7akWsAIP1_1.jpg")  # a photo has `url`, not a preview
    mock.x.append(post)
    mock.x_users.append(json.loads((PAYLOADS / "x_v2_quote_tweet_payload.json").read_text("utf-8"))["includes"]["users"][0])
    mock.x_includes = {"media": [medium]}
    result = run(config, "add", f"https://x.com/TwitterDev/status/{post['id']}", env=ENV)
    assert result.exit_code == 0, result.output
    (record,) = store_of(tmp_path).records.values()
    assert [(m.type, m.alt, m.url) for m in record.media] == [("image", "a chat bubble", None)]
    assert "t.co/pV53mvjAVT" not in record.text
    assert mock.requests_to("/cdn/pbs.twimg.com/media/EYeX7akWsAIP1_1.jpg?name=large")


def test_photos_are_stored_upright_as_jpeg_and_transparent_pictures_as_png(tmp_path: Path) -> None:
    import io

    from PIL import Image

    from curator.images import MEDIUM, store_image

    photo = Image.new("RGB", (40, 20), "navy")
    photo.paste((255, 200, 0), (0, 0, 10, 20))  # a yellow band on the left, as shot
    exif = Image.Exif()
    exif[0x0112] = 6  # the camera was turned: view it rotated 90° clockwise
    shot = io.BytesIO()
    photo.save(shot, "JPEG", exif=exif, quality=95)
    name, encoded = store_image(shot.getvalue(), tmp_path, MEDIUM)
    assert name.endswith(".jpg") and (encoded.width, encoded.height) == (20, 40)  # upright, as browsers show it
    with Image.open(tmp_path / name) as stored:
        assert stored.format == "JPEG" and not stored.getexif().get(0x0112)
        assert stored.convert("RGB").getpixel((10, 2))[2] < 100  # the yellow band is now on top
    sticker = io.BytesIO()
    Image.new("RGBA", (8, 8), (255, 0, 0, 0)).save(sticker, "PNG")
    name, _ = store_image(sticker.getvalue(), tmp_path, MEDIUM)
    assert name.endswith(".png")
