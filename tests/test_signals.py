"""The authors' signals (issue 23): read from each platform's real payload shapes, kept on the
record, shown in `list`/`review`, obeyed by the publish gate, auto-approve and `ask`, refreshed by
the re-check (a signal that closes a channel is a takedown).

Payloads: tests/fixtures/sources/README.md, "The authors' signals". Where a test sets a field the
recording does not have, it says so.
"""
from __future__ import annotations

import copy
import json
from datetime import date

import pytest

from click.testing import CliRunner

from curator import intake, model, policy, triage
from curator.cli import cli
from curator.config import AutoApprove, Config
from curator.store import Store
from curator.web import markup

from sources_mock import Reply, bluesky_post, fixture
from test_policy import make
from test_sources_pull import ENV, all_sources, fast, run, write_config

TODAY = date(2026, 11, 23)
NOBOT_BIO = (  # Mastodon's hashtag HTML, as in the documented account's `note` (mastodon_status_entity_example.json)
    '<p>I review coffee gear. <a href="http://localhost:3000/tags/nobot" class="mention hashtag" rel="tag">'
    "#<span>NoBot</span></a></p>"
)
DISABLED = fixture("constructed/bluesky_getRecord_postgate_disable_200.json")


def store_of(tmp_path) -> Store:
    return Store.open(tmp_path / "testimonials")


def grant_everything(store: Store, record: model.Testimonial) -> None:
    record.review.status = "approved"
    record.permission.status, record.permission.scope, record.permission.method = "granted", list(model.CHANNELS), "reply"
    record.permission.granted_at, record.permission.evidence_url = "2026-09-01T00:00:00Z", "https://example.org/yes"
    store.save(record)


# --- the gate, auto-approve, the intake -------------------------------------------------------------


@pytest.mark.parametrize("signal, still_open", [
    ("protected", ()), ("embedding-disabled", ()), ("noindex", model.CHANNELS), ("nobot", model.CHANNELS),
    ("noquote", model.CHANNELS), ("signals-unknown", model.CHANNELS)])
def test_the_gate_closes_the_channels_a_signal_names_whatever_the_grant(signal, still_open):
    record = make("approved", "granted", model.CHANNELS, None, "live")
    assert all(policy.publishable(record, channel, TODAY) for channel in model.CHANNELS)
    record.upstream.signals = [signal]
    assert tuple(c for c in model.CHANNELS if policy.publishable(record, c, TODAY)) == still_open
    if not still_open:
        assert policy.why_not(record, "embed", TODAY) == [f"the author's signal {signal} closes embed"]


def test_a_signal_keeps_a_post_from_auto_approve():
    config = Config(brand="Acme", auto_approve=AutoApprove(enabled=True, require_consent=False))
    record = make("inbox", "none", (), None, "live")
    record.kind, record.sentiment = "praise", 0.9
    assert triage.auto_approve(record, config)
    for signal in model.SIGNAL_NAMES:
        record.upstream.signals = [signal]
        assert not triage.auto_approve(record, config), signal


def test_a_file_adds_signals_but_never_lifts_one_a_platform_does(tmp_path):
    store = Store.open(tmp_path)
    stored = make("inbox", "none", (), None, "live")
    stored.upstream.signals = ["embedding-disabled"]
    store.save(stored)
    again = copy.deepcopy(stored)
    again.upstream.signals = ["nobot"]
    intake.admit(store, again)
    assert store.get(stored.id).upstream.signals == ["embedding-disabled", "nobot"]
    again.upstream.signals = []
    intake.admit(store, copy.deepcopy(again), read_upstream=True)
    assert store.get(stored.id).upstream.signals == []


def test_signals_are_written_only_when_there_are_some():
    record = make("inbox", "none", (), None, "live")
    assert "signals" not in record.to_dict()["upstream"]  # a file from before signals stays byte-identical
    record.upstream.signals = ["noindex"]
    assert record.to_dict()["upstream"]["signals"] == ["noindex"]
    assert model.Testimonial.from_dict(json.loads(json.dumps(record.to_dict()))).upstream.signals == ["noindex"]


def test_a_noindex_post_page_is_kept_out_of_search_engines():
    record = make("approved", "granted", model.CHANNELS, None, "live")
    head = lambda: markup.render("head.html", None, t=record, urls=markup.Urls(""), card=None, site_name="Acme",
                                 json_ld="{}")
    assert 'name="robots"' not in head()
    record.upstream.signals = ["noindex"]
    assert '<meta name="robots" content="noindex">' in head()


# --- Mastodon: a recorded timeline (Mastodon.py's cassette) ----------------------------------------


def mastodon_source(mock) -> dict:
    return fast({"name": "fedi", "type": "mastodon", "instance": mock.base, "hashtags": ["hoot"]})


def recorded_timeline(mock) -> list[dict]:
    statuses = fixture("mastodonpy_timelines_public_200.json")  # recorded: admin is indexable false
    for status in statuses:  # set here: avatars from the mock server, not the recording's localhost:3000
        status["account"]["avatar"] = status["account"]["avatar_static"] = mock.base + "/avatars/missing.png"
    return statuses


def test_mastodon_indexable_false_and_a_nobot_bio_are_read_marked_and_listed(tmp_path, mock):
    mock.mastodon = recorded_timeline(mock)
    mock.mastodon[0]["account"]["note"] = NOBOT_BIO  # set here: no recording has a #nobot bio
    config = write_config(tmp_path, [mastodon_source(mock)])
    assert run(config, "pull").exit_code == 0
    signals = {r.source.post_id: (r.author.handle.split("@")[1], r.upstream.signals) for r in store_of(tmp_path).records.values()}
    assert signals["117020593378945190"] == ("mastodonpy_test_2", ["nobot"])
    assert signals["117020586180926938"] == ("mastodonpy_test_2", [])
    assert [s for handle, s in signals.values() if handle == "admin"] == [["noindex"]] * 6
    listed = run(config, "list").output
    assert listed.count("[author's signals: noindex]") == 6 and listed.count("[author's signals: nobot]") == 1
    review = json.loads(run(config, "review", "--json").output)
    assert sorted(tuple(r["signals"]) for r in review).count(("noindex",)) == 6
    card = CliRunner().invoke(cli, ["-f", str(config), "review"], input="q\n").output
    assert "author's signal noindex: the author opted out of search indexing" in card


def test_mastodon_recheck_refreshes_signals_and_a_signal_that_closes_nothing_is_a_note(tmp_path, mock):
    mock.mastodon = recorded_timeline(mock)[:1]  # mastodonpy_test_2: indexable true
    config = write_config(tmp_path, [mastodon_source(mock)])
    assert run(config, "pull").exit_code == 0
    store = store_of(tmp_path)
    (record,) = store.records.values()
    assert record.upstream.signals == []
    grant_everything(store, record)
    account = mock.mastodon[0]["account"]
    account["noindex"], account["note"] = True, NOBOT_BIO  # set here: the author opts out since
    takedowns = tmp_path / "takedowns.txt"
    result = run(config, "pull", "--recheck", "--takedowns", str(takedowns))
    assert result.exit_code == 0, result.output
    assert store_of(tmp_path).get(record.id).upstream.signals == ["noindex", "nobot"]
    assert "the author's signal nobot appeared" in result.output and takedowns.read_text() == ""
    before = (store.root / f"{record.id}.yml").read_bytes()
    assert run(config, "pull", "--recheck").exit_code == 0
    assert (store.root / f"{record.id}.yml").read_bytes() == before  # unchanged signals: no write


def test_mastodon_quote_policy_nobody_or_followers_is_noquote(tmp_path, mock):
    recorded = fixture("mastodonpy_status_quote_policies_200.json")  # one status, its policy set three ways
    for status in recorded.values():  # set here: the avatar from the mock server
        status["account"]["avatar"] = status["account"]["avatar_static"] = mock.base + "/avatars/missing.png"
    mock.mastodon = [recorded["public"]]
    config = write_config(tmp_path, [mastodon_source(mock)])
    assert run(config, "pull").exit_code == 0
    store = store_of(tmp_path)
    (record,) = store.records.values()
    assert record.upstream.signals == []
    grant_everything(store, record)
    for policy_name, expected in (("followers", ["noquote"]), ("nobody", ["noquote"]), ("public", [])):
        mock.mastodon = [recorded[policy_name]]
        assert run(config, "pull", "--recheck").exit_code == 0
        assert store_of(tmp_path).get(record.id).upstream.signals == expected, policy_name


# --- Bluesky: the postgate ------------------------------------------------------------------------


def sky(mock) -> list[dict]:
    return [all_sources(mock)[1]]


def test_bluesky_disable_rule_closes_every_channel_and_ask_refuses(tmp_path, mock):
    mock.bluesky = [bluesky_post(mock, n) for n in (3, 2, 1)]
    mock.bluesky_postgates = {"3lxq2abcd0001": DISABLED, "3lxq2abcd0002": Reply(502, {"error": "UpstreamFailure"})}
    config = write_config(tmp_path, sky(mock))
    result = run(config, "pull", env=ENV)
    assert result.exit_code == 0, result.output
    assert "3lxq2abcd0002: its postgate could not be read; kept, not auto-approved" in result.output
    store = store_of(tmp_path)
    by_rkey = {r.source.post_id[-4:]: r for r in store.records.values()}
    assert {k: r.upstream.signals for k, r in by_rkey.items()} == {
        "0001": ["embedding-disabled"], "0002": ["signals-unknown"], "0003": []}
    requested = mock.requests_to("/xrpc/com.atproto.repo.getRecord")
    assert len(set(requested)) == 3 and all("collection=app.bsky.feed.postgate" in t for t in requested)
    for record in by_rkey.values():
        grant_everything(store, record)
        record.permission.status = "none"
        store.save(record)
    refused = run(config, "ask", by_rkey["0001"].id, env=ENV)
    assert refused.exit_code != 0 and "not asking: embedding-disabled" in refused.output
    unsent = run(config, "ask", by_rkey["0002"].id, "--send", env={**ENV, "CURATOR_BLUESKY_URL": mock.base})
    assert unsent.exit_code != 0 and "not sending: signals-unknown" in unsent.output
    assert not mock.requests_to("/xrpc/com.atproto.repo.createRecord")
    printed = run(config, "ask", by_rkey["0002"].id, env=ENV)
    assert printed.exit_code == 0 and "note: author's signal signals-unknown" in printed.output
    for record in by_rkey.values():
        grant_everything(store, record)
    listed = {row["id"]: row for row in json.loads(run(config, "list", "--json").output)}
    assert listed[by_rkey["0001"].id]["published"] == [] and listed[by_rkey["0003"].id]["published"] == list(model.CHANNELS)
    assert "the author's signal embedding-disabled closes web" in listed[by_rkey["0001"].id]["hidden_because"]


def test_an_inbox_post_whose_postgate_was_not_read_is_read_again_by_the_next_pull(tmp_path, mock):
    mock.bluesky = [bluesky_post(mock, 1)]
    mock.bluesky_postgates = {"3lxq2abcd0001": Reply(502, {"error": "UpstreamFailure"})}
    config = write_config(tmp_path, sky(mock))
    assert run(config, "pull", env=ENV).exit_code == 0
    (record,) = store_of(tmp_path).records.values()
    assert record.review.status == "inbox" and record.upstream.signals == ["signals-unknown"]
    mock.bluesky_postgates = {"3lxq2abcd0001": DISABLED}
    result = run(config, "pull", env=ENV)  # nothing new in search: the re-check reads it
    assert "the author lifted the signal signals-unknown" in result.output
    assert store_of(tmp_path).get(record.id).upstream.signals == ["embedding-disabled"]


def test_a_postgate_appearing_on_a_published_post_is_a_takedown(tmp_path, mock):
    mock.bluesky = [bluesky_post(mock, 1)]
    config = write_config(tmp_path, sky(mock))
    assert run(config, "pull", env=ENV).exit_code == 0
    store = store_of(tmp_path)
    (record,) = store.records.values()
    grant_everything(store, record)
    mock.bluesky_postgates = {"3lxq2abcd0001": DISABLED}
    mock.log.clear()
    takedowns = tmp_path / "takedowns.txt"
    result = run(config, "pull", "--recheck", "--takedowns", str(takedowns), env=ENV)
    assert result.exit_code == 0, result.output
    assert "upstream embedding-disabled" in result.output
    assert takedowns.read_text().splitlines()[0].endswith(f"testimonials/{record.id}.yml")
    assert store_of(tmp_path).get(record.id).upstream.signals == ["embedding-disabled"]
    assert len(mock.requests_to("/xrpc/com.atproto.repo.getRecord")) == 1
    mock.bluesky_postgates = {"3lxq2abcd0001": Reply(502, {"error": "UpstreamFailure"})}
    failed = run(config, "pull", "--recheck", env=ENV)
    assert "could not be read; signals kept as they were" in failed.output
    assert store_of(tmp_path).get(record.id).upstream.signals == ["embedding-disabled"]
    mock.bluesky_postgates = {}  # the author deletes the postgate: the post comes back
    lifted = run(config, "pull", "--recheck", env=ENV)
    assert "the author lifted the signal embedding-disabled" in lifted.output
    assert policy.publishable(store_of(tmp_path).get(record.id), "embed", policy.build_date())


# --- X: a protected account (the data dictionary's payload) --------------------------------------


def test_x_protected_author_on_recheck_is_private_and_marked(tmp_path, mock, monkeypatch):
    payload = fixture("x_v2_tweet_payload.json")  # verbatim: TwitterDev, protected false
    mock.x, mock.x_users = payload["data"], payload["includes"]["users"]
    config = write_config(tmp_path, [all_sources(mock)[2]])
    assert run(config, "add", "https://x.com/TwitterDev/status/1307025659294674945", env=ENV).exit_code == 0
    store = store_of(tmp_path)
    (record,) = store.records.values()
    grant_everything(store, record)
    mock.x_users[0]["protected"] = True  # set here: the author protects the account since
    takedowns = tmp_path / "takedowns.txt"
    result = run(config, "pull", "--recheck", "--takedowns", str(takedowns), env=ENV)
    assert result.exit_code == 0, result.output
    after = store_of(tmp_path).get(record.id)
    assert (after.upstream.status, after.upstream.signals) == ("private", ["protected"])
    assert takedowns.read_text().splitlines()[0].endswith(f"testimonials/{record.id}.yml")
    assert "[author's signals: protected]" in run(config, "list").output
