"""Consent integrity (issue 16): a post reaches the public only as its author posted it, only
where they said yes. Each test replays one attack against the real commands."""
from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from curator import consent, identity, moderation, policy
from curator.config import load_config
from curator.model import CHANNELS, Entity, ThreadPost
from curator.platforms.mastodon import thread_post
from curator.store import Store

from conftest import reconsent
from sources_mock import Reply, fixture, mastodon_post
from _curation_fixtures import add_record, make_project, open_project
from test_consent import requested
from test_sources_pull import ENV, fast, write_config
from test_sources_pull import run as run_cli

TODAY = date(2026, 11, 23)


def published_anywhere(store: Store, record_id: str) -> list[str]:
    record = store.records[record_id]
    return [channel for channel in CHANNELS if policy.publishable(record, channel, TODAY, store.suppressed)]


def site_files(site: Path) -> dict[str, str]:
    return {str(p.relative_to(site)): p.read_bytes().decode("utf-8", "replace") for p in sorted(site.rglob("*")) if p.is_file()}


# --- 1. edits lose consent, everywhere ---------------------------------------------------------------


def grant_everything(config_file: Path, record_id: str) -> None:
    config, store = load_config(config_file), None
    store = Store.open(config.store_dir)
    moderation.set_review(store, [record_id], "approved", "^JD", force=True)  # whatever the classifier said
    moderation.grant(store, config, record_id, "https://mastodon.example/@alice/1", scope=list(CHANNELS))


def test_add_url_of_an_edited_post_takes_it_down_until_a_new_yes(tmp_path, mock):
    mock.mastodon = [mastodon_post(mock, 1)]
    config = write_config(tmp_path, [fast({"name": "fedi", "type": "mastodon", "instance": mock.base})])
    url = mock.mastodon[0]["url"]
    assert run_cli(config, "add", url, env=ENV).exit_code == 0
    (record_id,) = Store.open(tmp_path / "testimonials").records
    grant_everything(config, record_id)
    assert published_anywhere(Store.open(tmp_path / "testimonials"), record_id) == list(CHANNELS)
    mock.mastodon[0]["content"] = "<p>Acme lost all my notes. Never again.</p>"
    result = run_cli(config, "add", url, env=ENV)
    assert result.exit_code == 0 and result.output.startswith(f"edited: {record_id}")
    store = Store.open(tmp_path / "testimonials")
    assert published_anywhere(store, record_id) == []
    assert store.records[record_id].permission.status == "requested"
    listed = run_cli(config, "list", "--json")
    (row,) = json.loads(listed.stdout)
    assert row["published"] == [] and row["hidden_because"]


def test_pull_sees_an_edit_even_when_the_thread_cannot_be_read(tmp_path, mock):
    mock.mastodon = [mastodon_post(mock, 1)]
    config = write_config(tmp_path, [fast({"name": "fedi", "type": "mastodon", "instance": mock.base,
                                           "hashtags": ["AcmeLove"]})])
    assert run_cli(config, "pull", env=ENV).exit_code == 0
    (record_id,) = Store.open(tmp_path / "testimonials").records
    grant_everything(config, record_id)
    (tmp_path / "testimonials" / "_cursors.yml").unlink()  # the post comes round again in the results
    mock.mastodon[0]["content"] = "<p>Acme lost all my notes. #AcmeLove</p>"
    mock.fault(f"/api/v1/statuses/{mock.mastodon[0]['id']}/context", Reply(500, {"error": "boom"}), times=10)
    result = run_cli(config, "pull", "--json", env=ENV)
    report = json.loads(result.stdout)
    assert [t["reason"] for t in report["takedowns"]] == ["edited"]
    assert published_anywhere(Store.open(tmp_path / "testimonials"), record_id) == []


def test_a_hand_edit_is_published_nowhere_and_check_says_why(project, run):
    path = project / "testimonials" / "x-188000000000000013.yml"
    path.write_text(path.read_text("utf-8").replace("chaussettes propres", "chaussettes sales"), "utf-8")
    checked = run("check")
    assert checked.exit_code == 0 and "x-188000000000000013.yml:" in checked.stderr
    assert "consented" in checked.stderr and "warning(s)" in checked.output
    listed = json.loads(run("list", "--json").stdout)
    assert any("consented" in why for row in listed if row["id"] == "x-188000000000000013" for why in row["hidden_because"])
    assert run("build").exit_code == 0
    everything = "".join(site_files(project / "site").values())
    assert "chaussettes sales" not in everything and "chaussettes propres" not in everything


# --- 2. ids are unique per post ---------------------------------------------------------------------


def test_ids_never_merge_two_posts() -> None:
    assert identity.record_id("csv", "FORM_009") != identity.record_id("csv", "form-009")
    long_did = "did:web:" + "a" * 110 + ".example"
    assert identity.record_id("bluesky", "3l1", long_did + "1") != identity.record_id("bluesky", "3l1", long_did + "2")
    assert identity.record_id("mastodon", "109876543210", "mastodon.social") == "mastodon-mastodon-social-109876543210"
    assert identity.record_id("x", "188000000000000013") == "x-188000000000000013"  # readable ids stay as they were
    for post_id in ("FORM_009", "form-009", "a" * 300, "ünïcode"):
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", identity.record_id("csv", post_id))
        assert len(identity.record_id("csv", post_id)) <= identity.ID_MAX


def post_file(tmp: Path, post_id: str, text: str, **extra) -> Path:
    data = {"source": {"platform": "csv", "post_id": post_id}, "author": {"name": "Priya N."},
            "posted_at": "2026-10-01T10:00:00Z", "text": text, **extra}
    path = tmp / f"post-{len(list(tmp.glob('post-*')))}.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return path


def test_a_post_whose_id_slugifies_like_a_granted_one_gets_its_own_record(project, run, tmp_path):
    granted = Store.open(project / "testimonials").records["csv-form-009"]
    result = run("add", str(post_file(tmp_path, "FORM_009", "Acme is terrible, do not buy.")))
    assert result.exit_code == 0, result.output
    store = Store.open(project / "testimonials")
    assert store.records["csv-form-009"].text == granted.text
    (new_id,) = set(store.records) - {"csv-form-009"} - set(Store.open(Path(__file__).parents[1] / "testimonials").records)
    assert store.records[new_id].review.status == "inbox" and published_anywhere(store, new_id) == []


def test_an_id_that_belongs_to_another_post_is_an_error_not_a_merge(project, run, tmp_path):
    before = (project / "testimonials" / "csv-form-009.yml").read_bytes()
    result = run("add", str(post_file(tmp_path, "other-1", "Acme is terrible.", id="csv-form-009")))
    assert result.exit_code == 1 and "belongs to another post" in result.stderr
    assert (project / "testimonials" / "csv-form-009.yml").read_bytes() == before


def test_a_post_stored_under_an_older_id_is_found_by_what_it_is(project, run, tmp_path):
    record = Store.open(project / "testimonials").records["bluesky-3lacme0002xyz"]
    new_style = identity.record_id("bluesky", "3lacme0002xyz", record.author.id)
    assert new_style != record.id
    data = {"id": new_style, "source": {"platform": "bluesky", "post_id": "3lacme0002xyz", "url": record.source.url},
            "author": {"name": record.author.name, "id": record.author.id}, "posted_at": record.posted_at,
            "text": record.text}
    path = tmp_path / "again.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    result = run("add", str(path))
    assert result.exit_code == 0 and result.output.startswith("updated: bluesky-3lacme0002xyz")  # no handle in the file
    assert not (project / "testimonials" / f"{new_style}.yml").exists()
    assert published_anywhere(Store.open(project / "testimonials"), record.id)  # same words: consent stands


# --- 3. withdrawal always wins ----------------------------------------------------------------------


def thread_record(tmp_path):
    config, store = open_project(make_project(tmp_path))
    return config, store, requested(store, add_record(store))


def reply(record, text: str, *, public: bool = True, entity: bool = True, number: int = 200) -> ThreadPost:
    tag = re.search(r"[#＃]\w+", text)
    entities = [Entity("hashtag", tag.start(), tag.end())] if entity and tag else []
    return ThreadPost(str(114620000000000000 + number), f"https://mastodon.example/@alice/{number}", record.author.id,
                      "alice", text, "2025-06-05T10:00:00Z", record.permission.request_url.rsplit("/", 1)[1],
                      entities, public=public)


@pytest.mark.parametrize("text,public,entity", [
    ("＃ＮｏＡｃｍｅ please take it down", True, True),   # full width, as Mastodon makes an entity of it
    ("#noacme", False, True),                          # followers-only or direct
    ("#NOACME thanks", False, False),                  # no entity made of it: still a withdrawal
])
def test_a_withdrawal_counts_in_any_visibility_and_width(tmp_path, text, public, entity):
    config, store, record = thread_record(tmp_path)
    assert consent.apply_thread(record, [reply(record, text, public=public, entity=entity)], config, store) == "revoked"
    assert record.id in store.suppressed


@pytest.mark.parametrize("text,public", [("#YesАcme", True), ("#YesAcme", False)])  # Cyrillic А; direct message
def test_look_alikes_and_private_replies_never_grant(tmp_path, text, public):
    config, store, record = thread_record(tmp_path)
    assert consent.apply_thread(record, [reply(record, text, public=public)], config, store) is None
    assert record.permission.status == "requested"


def test_the_mastodon_thread_keeps_direct_replies_as_not_public() -> None:
    status = fixture("mastodon_status_entity_example.json")  # a real recorded status
    status["visibility"] = "direct"
    assert thread_post(status).public is False
    status["visibility"] = "unlisted"
    assert thread_post(status).public is True


# --- 4. add FILE never presets a decision ------------------------------------------------------------


def test_add_file_ignores_a_preset_grant(project, run, tmp_path):
    path = post_file(tmp_path, "form-777", "Acme changed my life, buy it now!",
                     review={"status": "approved", "by": "^XX"},
                     permission={"status": "granted", "scope": list(CHANNELS), "granted_at": "2026-10-02T00:00:00Z",
                                 "evidence_url": "https://evil.example/"},
                     upstream={"status": "live"})
    result = run("add", str(path))
    assert result.exit_code == 0 and "ignored" in result.stderr
    store = Store.open(project / "testimonials")
    record = store.records[identity.record_id("csv", "form-777")]
    assert (record.review.status, record.permission.status, record.permission.scope) == ("inbox", "none", [])
    assert published_anywhere(store, record.id) == []


# --- 5. a revoked post stays out, whatever source brings it back ---------------------------------------


def test_a_revoked_post_cannot_come_back_through_an_export(project, run, tmp_path):
    record = Store.open(project / "testimonials").records["mastodon-mastodon-example-113100000001"]
    assert run("revoke", record.id).exit_code == 0
    by_url = post_file(tmp_path, "row-1", "anything at all, reworded", source={"platform": "csv", "post_id": "row-1",
                                                                                 "url": record.source.url + "/"})
    by_words = post_file(tmp_path, "row-2", record.text.upper().replace(" ", "  ") + " https://t.co/x")
    for path in (by_url, by_words):
        result = run("add", str(path))
        assert result.exit_code == 1 and "revoked" in result.stderr, result.output
    suppressed = (project / "testimonials" / "_suppressed.yml").read_text("utf-8")
    assert record.text[:30] not in suppressed  # prints are hashes: no words are kept


# --- 6. every file on every channel passes the gate --------------------------------------------------


SCOPES = [["web"], ["web", "embed"], ["web", "social"], ["web", "print"], ["embed"], ["social"], ["print"],
          list(CHANNELS), ["web", "embed", "print"], ["embed", "social"]]


def channel_of(path: str) -> str | None:
    """The channel a site file belongs to (None: site chrome, no testimonial)."""
    if path.startswith("cards/"):
        return "social" if path.endswith("-social.png") else "web"
    if path.startswith("press/"):
        return "print"
    if path.startswith(("embed/", "oembed/")):
        return "embed"
    return "web"


def test_every_file_of_the_site_passes_the_gate_for_its_channel(project, run):
    store = Store.open(project / "testimonials")
    granted = sorted(r.id for r in store.records.values() if published_anywhere(store, r.id))
    for record_id, scope in zip(granted, SCOPES * 3):
        path = project / "testimonials" / f"{record_id}.yml"
        text = path.read_text("utf-8")
        path.write_text(re.sub(r"(?ms)^  scope:\n(  - \w+\n)+", "  scope:\n" + "".join(f"  - {c}\n" for c in scope), text), "utf-8")
    store = Store.open(project / "testimonials")
    allowed = {r.id: set(published_anywhere(store, r.id)) for r in store.records.values()}
    assert any(a == {"web"} for a in allowed.values()) and any("social" in a for a in allowed.values())
    assert run("build").exit_code == 0
    site = project / "site"
    for name, content in site_files(site).items():
        channel = channel_of(name)
        for record_id, channels in allowed.items():
            named = record_id in name
            quoted = len(store.records[record_id].text) > 30 and store.records[record_id].text[:30] in content
            if named or quoted:
                # press pages and cards are on the public site: their web grant is needed too
                needs = {channel, "web"} if channel in ("print", "social") else {channel}
                if channel == "web" and name.startswith("embed"):
                    needs = {"embed"}
                assert needs <= channels, (name, record_id, channels)
    for record_id, channels in allowed.items():
        page = site / "t" / record_id / "index.html"
        if not page.exists():
            continue
        head = page.read_text("utf-8")
        image = re.search(r'<meta property="og:image" content="[^"]*/cards/([^"]+)"', head).group(1)
        width = int(re.search(r'og:image:width" content="(\d+)"', head).group(1))
        height = int(re.search(r'og:image:height" content="(\d+)"', head).group(1))
        assert image.endswith("-social.png") == ("social" in channels), (record_id, image)
        from PIL import Image

        with Image.open(site / "cards" / image) as drawn:
            assert drawn.size == (width, height), (record_id, image)
        oembed = site / "oembed" / f"{record_id}.json"
        if oembed.exists():
            thumbnail = json.loads(oembed.read_text("utf-8"))
            assert thumbnail["thumbnail_url"].endswith("/cards/" + image)
            assert (thumbnail["thumbnail_width"], thumbnail["thumbnail_height"]) == (width, height)


# --- 7. the store never leaks through the site ----------------------------------------------------------


def test_a_store_inside_docs_is_refused(project, run):
    (project / "testimonials").rename(project / "docs" / "testimonials")
    config = project / "mkdocs.yml"
    config.write_text(re.sub(r"(?m)^(\s+store:).*$", r"\1 docs/testimonials", config.read_text("utf-8")), "utf-8")
    for command in ("check", "build"):
        result = run(command)
        assert result.exit_code == 1 and "inside docs_dir" in result.stderr, (command, result.output)
    assert not (project / "site").exists()
