"""The re-check finds an author's edit of a published post (Mastodon edits posts in place and says
when: `edited_at`), and the edit hides the post until its author confirms the new version.
Payloads: tests/fixtures/sources/README.md, "Edits found by the re-check"."""
from __future__ import annotations

import copy

from curator import policy
from curator.model import now_utc
from curator.platforms.mastodon import edited_since
from sources_mock import fixture
from test_signals import grant_everything, store_of
from test_sources_pull import run, write_config

RECORDED = fixture("mastodonpy_status_edit.json")  # a real post, then the same post after an edit


def served(mock, status: dict) -> dict:
    status = copy.deepcopy(status)
    status["account"]["avatar"] = status["account"]["avatar_static"] = mock.base + "/avatars/missing.png"  # set here
    return status


def published(tmp_path, mock):
    mock.mastodon = [served(mock, RECORDED["posted"])]
    config = write_config(tmp_path, [{"name": "fedi", "type": "mastodon", "instance": mock.base, "hashtags": ["Acme"]}])
    assert run(config, "pull").exit_code == 0, "pull"
    store = store_of(tmp_path)
    (record,) = store.records.values()
    grant_everything(store, record)
    assert policy.publishable(store_of(tmp_path).get(record.id), "web", policy.build_date())
    return config, record


def test_a_post_edited_after_consent_is_hidden_and_taken_down_by_the_recheck(tmp_path, mock, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # the takedowns file lists paths from here, as CI runs it
    config, record = published(tmp_path, mock)
    assert "VS Code" in record.text
    edited = served(mock, RECORDED["edited"])
    edited["edited_at"] = "2099-01-01T00:00:00.000Z"  # set here: after this test's pull
    mock.mastodon = [edited]
    takedowns = tmp_path / "takedowns.txt"
    result = run(config, "pull", "--recheck", "--takedowns", str(takedowns), "--json")
    assert result.exit_code == 0, result.output
    now = store_of(tmp_path).get(record.id)
    assert "KDE Advanced Text Editor, Kate" in now.text  # the store holds what the author posts now
    assert not any(policy.publishable(now, channel, policy.build_date()) for channel in ("web", "embed", "social", "print"))
    assert takedowns.read_text().splitlines() == [f"testimonials/{record.id}.yml"]
    before = (tmp_path / "testimonials" / f"{record.id}.yml").read_bytes()
    assert run(config, "pull", "--recheck").exit_code == 0  # taken in: the next re-check changes nothing
    assert (tmp_path / "testimonials" / f"{record.id}.yml").read_bytes() == before


def test_an_edit_curator_already_has_is_not_read_again(tmp_path, mock) -> None:
    """The recorded edit (2026-08-01) came before this test's pull: nothing to compare, no write,
    even though the stored text is the earlier one (so a change in how curator reads posts
    never looks like an author's edit)."""
    config, record = published(tmp_path, mock)
    mock.mastodon = [served(mock, RECORDED["edited"])]
    before = (tmp_path / "testimonials" / f"{record.id}.yml").read_bytes()
    assert run(config, "pull", "--recheck").exit_code == 0
    assert (tmp_path / "testimonials" / f"{record.id}.yml").read_bytes() == before


def test_edited_since_reads_mastodons_edited_at() -> None:
    edited = RECORDED["edited"]
    assert edited_since(edited, "2026-08-01T13:00:00Z") and not edited_since(edited, now_utc())
    assert not edited_since(RECORDED["posted"], "2020-01-01T00:00:00Z")  # never edited: edited_at null
    assert edited_since(edited, None) and edited_since({"edited_at": "yesterday"}, "2026-08-01T13:00:00Z")
