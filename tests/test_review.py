"""Interactive triage (click's runner as the terminal), the --json listing, the auto-approve policy."""
from __future__ import annotations

import dataclasses
import json
import re

import pytest
from click.testing import CliRunner

from _curation_fixtures import add_record, make_project, open_project, start_fake_api
from curator import triage
from curator.cli import cli
from curator.config import AutoApprove


@pytest.fixture
def project(tmp_path):
    config_file = make_project(tmp_path)
    _, store = open_project(config_file)
    ids = {}
    for post_id, text in (("1", "Acme support fixed my issue quickly, thanks 🙂"),
                          ("2", "Acme charged me twice this month and nobody answers."),
                          ("3", "Acme is the BEST thing that happened to my team. Absolutely incredible!!! 🤩")):
        record = store.get(add_record(store, post_id=post_id, text=text))
        triage.classify_record(record)
        store.save(record)
        ids[record.kind] = record.id
    return config_file, ids


def run(config_file, *args, **kwargs):
    return CliRunner().invoke(cli, ["-f", str(config_file), *args], **kwargs)


def test_review_approves_rejects_and_quits(project):
    config_file, ids = project
    result = run(config_file, "review", "--by", "^JD", input="a\nr\nq\n")
    assert result.exit_code == 0, result.output
    # Wall candidates come first: praise, then happy; the complaint is never reached.
    first, second = result.output.index(ids["praise"]), result.output.index(ids["happy"])
    assert first < second
    assert re.search(r"kind: praise \(.+\)  sentiment: \+0\.", result.output) and "permission: none" in result.output
    assert "approve: 1, reject: 1, ask: 0, skip: 0; 1 not seen" in result.output
    store = open_project(config_file)[1]
    assert store.get(ids["praise"]).review.status == "approved" and store.get(ids["praise"]).review.by == "^JD"
    assert store.get(ids["happy"]).review.status == "rejected"
    assert store.get(ids["complaint"]).review.status == "inbox"


def test_review_skip_is_the_default_and_bad_keys_are_asked_again(project):
    config_file, ids = project
    result = run(config_file, "review", input="\nx\ns\ns\n")
    assert result.exit_code == 0 and "'x' is not one of" in result.output
    assert "approve: 0, reject: 0, ask: 0, skip: 3; 0 not seen" in result.output
    assert all(record.review.status == "inbox" for record in open_project(config_file)[1].records.values())


def test_review_ask_prints_the_request_and_sends_nothing_without_send(project):
    config_file, _ = project
    api = start_fake_api()
    try:
        env = {"CURATOR_MASTODON_URL": api.url, "CURATOR_MASTODON_TOKEN": "token"}
        result = run(config_file, "review", input="k\nq\n", env=env)
        assert "#YesAcme" in result.output and "not sent" in result.output and api.requests == []
        sent = run(config_file, "review", "--send", input="k\nq\n", env=env)
        assert sent.exit_code == 0 and len(api.posts()) == 1 and "asked: https://mastodon.example/" in sent.output
    finally:
        api.server.shutdown()
        api.server.server_close()
    assert [r.permission.status for r in open_project(config_file)[1].records.values()].count("requested") == 1


def test_review_json_lists_the_inbox_for_scripts(project):
    config_file, ids = project
    rows = json.loads(run(config_file, "review", "--json").output)
    assert [row["id"] for row in rows] == [ids["praise"], ids["happy"], ids["complaint"]]
    assert {"text", "kind", "sentiment", "permission", "url"} <= set(rows[0])


def test_review_never_lets_post_text_drive_the_terminal(tmp_path):
    config_file = make_project(tmp_path)
    add_record(open_project(config_file)[1], text="nice \x1b[2J\x1b]0;pwned\x07 work \u202e")
    result = run(config_file, "review", input="q\n")
    assert "\x1b" not in result.output and "\u202e" not in result.output and "nice" in result.output


def test_auto_approve_is_off_by_default_and_follows_the_policy(project):
    config_file, ids = project
    config, store = open_project(config_file)
    praise = store.get(ids["praise"])
    assert not triage.auto_approve(praise, config)
    on = dataclasses.replace(config, auto_approve=AutoApprove(enabled=True))
    assert not triage.auto_approve(praise, on), "consent is required by default"
    praise.permission.status = "granted"
    assert triage.auto_approve(praise, on)
    assert not triage.auto_approve(store.get(ids["complaint"]), dataclasses.replace(on, auto_approve=AutoApprove(
        enabled=True, require_consent=False))), "a complaint is never auto-approved"
    strict = dataclasses.replace(config, auto_approve=AutoApprove(enabled=True, min_sentiment=0.99))
    assert not triage.auto_approve(praise, strict)
    praise.text = "Acme is the best thing that happened to my team. Edited."
    assert not triage.auto_approve(praise, on), "consent was for the old text"
    happy = store.get(ids["happy"])
    assert triage.auto_approve(happy, dataclasses.replace(config, auto_approve=AutoApprove(
        enabled=True, require_consent=False, min_sentiment=0.0)))


def test_auto_approve_never_takes_an_unrated_or_negative_kind_whatever_the_policy(project):
    config_file, ids = project
    config, store = open_project(config_file)
    record = store.get(ids["praise"])
    record.permission.status = "granted"
    # A policy built in Python skips the config schema that allows only wall kinds.
    lax = dataclasses.replace(config, auto_approve=AutoApprove(
        enabled=True, kinds=("praise", "unrated", "complaint", "skeptic"), min_sentiment=-1.0, require_consent=False))
    assert triage.auto_approve(record, lax)
    for kind in ("unrated", "complaint", "skeptic"):
        record.kind = kind
        assert not triage.auto_approve(record, lax), kind


def test_auto_approve_config_is_validated(tmp_path):
    config_file = make_project(tmp_path, "      auto_approve: {enabled: true, kinds: [praise, complaint]}\n")
    result = run(config_file, "review", "--json")
    assert result.exit_code == 1 and "curator.auto_approve.kinds.1" in result.output


def test_needs_reply_lists_unanswered_complaints_and_unthanked_praise(project):
    from _curation_fixtures import mastodon_thread
    config_file, ids = project
    config, store = open_project(config_file)
    thread = mastodon_thread()  # contains a reply by @acme (the brand's request)
    without_brand = [post for post in thread if post.author_handle != "acme"]
    assert triage.needs_reply(store.get(ids["complaint"]), without_brand, config) == "answer"
    assert triage.needs_reply(store.get(ids["praise"]), without_brand, config) == "thank"
    assert triage.needs_reply(store.get(ids["happy"]), without_brand, config) is None
    assert triage.needs_reply(store.get(ids["complaint"]), thread, config) is None
    impostor = [dataclasses.replace(post, author_handle="acme@evil.example") for post in thread]
    assert triage.needs_reply(store.get(ids["complaint"]), impostor, config) == "answer"

