"""Consent: the request text and its limits, detection in the thread, revocation, edits, ask --send."""
from __future__ import annotations

import dataclasses
import json
from datetime import UTC, date, datetime, timedelta
from urllib.parse import quote

import pytest
from click.testing import CliRunner

from _curation_fixtures import (ALICE_MASTODON, FIXTURES, REQUEST_URL, REQUESTED_AT, add_record, hashtag_entities,
                                make_project, mastodon_thread, open_project, start_fake_api)
from curator import consent, intake, moderation, platforms, policy
from curator.config import LANGUAGE_ASK_TEMPLATES
from curator.cli import cli
from curator.errors import CuratorError
from curator.model import Entity, ThreadPost, format_timestamp
from curator.identity import content_version


@pytest.fixture
def project(tmp_path):
    config_file = make_project(tmp_path)
    config, store = open_project(config_file)
    return config_file, config, store


def requested(store, record_id, url=REQUEST_URL, at=REQUESTED_AT):
    record = store.get(record_id)
    record.permission.status, record.permission.request_url, record.permission.requested_at = "requested", url, at
    store.save(record)
    return store.get(record_id)


# --- the request text ---------------------------------------------------------------------------


def test_request_text_thanks_asks_and_signs(project):
    _, config, store = project
    record = store.get(add_record(store))
    text = consent.request_text(record, config)
    assert text.startswith("@alice@mastodon.example Thank you")
    assert "#YesAcme" in text and "#NoAcme" in text and "https://acme.example/ugc-terms" in text
    assert text.endswith("^JD")
    assert platforms.get("mastodon").count(text) <= 500


def test_request_text_respects_each_platform_limit(project):
    _, config, store = project
    # 150 CJK characters: 150 graphemes for Bluesky, but weight 300 on X (over 280).
    long_ask = dataclasses.replace(config, ask_template="ありがとう" * 30 + " {consent_tag} {terms_url} {signature}")
    bluesky = store.get(add_record(store, platform="bluesky", post_id="3lxq2abcd2k2a"))
    x_post = store.get(add_record(store, platform="x", post_id="1930000000000000001"))
    assert platforms.get("bluesky").count(consent.request_text(bluesky, long_ask)) <= 300
    with pytest.raises(CuratorError, match="over its limit of 280"):
        consent.request_text(x_post, long_ask)
    assert platforms.get("mastodon").count("see https://example.com/" + "a" * 100) == 4 + 23


def test_request_text_rejects_broken_templates(project):
    _, config, store = project
    record = store.get(add_record(store))
    with pytest.raises(CuratorError, match=r"must contain \{terms_url\}"):
        consent.request_text(record, dataclasses.replace(config, ask_template="Thanks! {consent_tag} {signature}"))
    with pytest.raises(CuratorError, match="is not a placeholder"):
        consent.request_text(record, dataclasses.replace(config, ask_template="{nope} {consent_tag} {terms_url} {signature}"))


def test_template_that_cannot_fit_is_a_clear_cli_error(tmp_path):
    config_file = make_project(tmp_path, "      ask_template: \"" + "Thank you! " * 50 + "{consent_tag} {terms_url} {signature}\"\n")
    _, store = open_project(config_file)
    record_id = add_record(store)
    result = CliRunner().invoke(cli, ["-f", str(config_file), "ask", record_id])
    assert result.exit_code == 1 and "over its limit of 500" in result.output and "Traceback" not in result.output


# --- detecting the answer -----------------------------------------------------------------------


def test_matching_reply_grants_with_evidence(project):
    _, config, store = project
    record = requested(store, add_record(store))
    assert consent.apply_thread(record, mastodon_thread(), config, store) == "granted"
    permission = store.get(record.id).permission
    assert permission.status == "granted"
    assert permission.evidence_url == "https://mastodon.example/@alice/114620000000000077"
    assert permission.evidence_text == "@acme #YesACME 🙌"
    assert permission.granted_at == "2025-06-03T15:42:40Z"
    assert (permission.method, permission.terms_version, permission.scope) == ("reply", "2025-06", list(config.default_scope))
    moderation.set_review(store, [record.id], "approved", "^JD")
    assert policy.publishable(store.get(record.id), "web", date(2026, 1, 1), store.suppressed)
    # Reading the same thread again changes nothing.
    assert consent.apply_thread(store.get(record.id), mastodon_thread(), config, store) is None


def _with_reply(**changes) -> list[ThreadPost]:
    thread = mastodon_thread()
    thread[-1] = dataclasses.replace(thread[-1], **changes)
    return thread


@pytest.mark.parametrize("thread", [
    pytest.param(_with_reply(author_id="109318000000000666"), id="someone-else"),
    pytest.param(_with_reply(posted_at="2025-06-03T14:59:59Z"), id="before-the-request"),
    pytest.param(_with_reply(in_reply_to="114620000000000001"), id="outside-the-request-thread"),
    pytest.param(_with_reply(text="@acme #YesAcmeNot", entities=hashtag_entities("@acme #YesAcmeNot")), id="longer-tag"),
    pytest.param(_with_reply(text="@acme yes#YesAcme", entities=[Entity("hashtag", 9, 17)]), id="tag-inside-a-word"),
    pytest.param(_with_reply(text="@acme YesAcme!", entities=[]), id="no-hashtag-entity"),
])
def test_replies_that_do_not_grant(project, thread):
    _, config, store = project
    record = requested(store, add_record(store))
    assert consent.apply_thread(record, thread, config, store) is None
    assert store.get(record.id).permission.status == "requested"


def test_nothing_is_granted_without_a_request(project):
    _, config, store = project
    record = store.get(add_record(store))
    assert consent.apply_thread(record, mastodon_thread(), config, store) is None
    assert record.permission.status == "none"


def test_revoke_tag_from_the_author_takes_the_post_down(project):
    config_file, config, store = project
    record = requested(store, add_record(store))
    consent.apply_thread(record, mastodon_thread(), config, store)
    text = "@acme changed my mind #NoAcme"
    thread = mastodon_thread() + [ThreadPost("114620000000000099", "https://mastodon.example/@alice/114620000000000099",
                                             ALICE_MASTODON, "alice", text, "2025-07-01T08:00:00Z",
                                             "114620000000000001", hashtag_entities(text))]
    someone_else = [dataclasses.replace(thread[-1], author_id="109318000000000666")]
    assert consent.apply_thread(store.get(record.id), mastodon_thread() + someone_else, config, store) is None
    assert consent.apply_thread(store.get(record.id), thread, config, store) == "revoked"
    revoked = store.get(record.id)
    assert revoked.permission.status == "revoked" and revoked.text == "" and record.id in store.suppressed
    assert "114620000000000099" in revoked.permission.revoked_reason
    assert consent.apply_thread(revoked, thread, config, store) is None  # final
    log = json.loads(CliRunner().invoke(cli, ["-f", str(config_file), "consent-log", "--format", "json"]).output)
    row = log[0]
    assert row["request_url"] == REQUEST_URL and row["evidence_url"].endswith("/114620000000000077")
    assert row["scope"] and row["revoked_at"] and row["suppressed"] is True and "expires" in row


def test_edited_post_loses_its_grant_until_confirmed_again(project):
    _, config, store = project
    record = requested(store, add_record(store))
    consent.apply_thread(record, mastodon_thread(), config, store)
    moderation.set_review(store, [record.id], "approved", "^JD")
    edited = dataclasses.replace(store.get(record.id), text="Switched our team to @acme. Meh, it is fine.")
    assert intake.admit(store, edited) == intake.EDITED
    current = store.get(record.id)
    assert current.permission.status == "requested" and "edited" in current.review.note
    assert not policy.publishable(current, "web", date(2026, 1, 1), store.suppressed)
    assert consent.apply_thread(current, mastodon_thread(), config, store) is None  # the old yes was for the old text
    text = "@acme still #YesAcme for the new text"
    confirm = ThreadPost("114620000000000120", "https://mastodon.example/@alice/114620000000000120", ALICE_MASTODON,
                         "alice", text, "2025-06-05T10:00:00Z", "114620000000000050", hashtag_entities(text))
    assert consent.apply_thread(current, mastodon_thread() + [confirm], config, store) == "granted"
    assert current.permission.evidence_url.endswith("/114620000000000120")
    assert current.source.version == content_version(current)
    assert policy.publishable(current, "web", date(2026, 1, 1), store.suppressed)


def test_consent_valid_days_sets_the_expiry(tmp_path):
    config_file = make_project(tmp_path, "      consent_valid_days: 730\n")
    config, store = open_project(config_file)
    record = requested(store, add_record(store))
    future_thread = _with_reply(posted_at="2099-01-01T00:00:00Z")
    assert consent.apply_thread(record, future_thread, config, store) == "granted"
    assert store.get(record.id).permission.expires == "2101-01-01"


def test_x_conversation_where_the_brand_request_is_not_returned(project):
    """X search returns the customer's posts only; the reply's parent is the request's id."""
    _, config, store = project
    payload = json.loads((FIXTURES / "x_v2_search_recent_conversation_with_permission_reply_200.json").read_text("utf-8"))
    thread = []
    for tweet in payload["data"]:
        parent = next((ref["id"] for ref in tweet.get("referenced_tweets", []) if ref["type"] == "replied_to"), None)
        tags = [Entity("hashtag", tag["start"], tag["end"]) for tag in tweet.get("entities", {}).get("hashtags", [])]
        thread.append(ThreadPost(tweet["id"], f"https://x.com/alice_doe/status/{tweet['id']}", tweet["author_id"],
                                 "alice_doe", tweet["text"], tweet["created_at"], parent, tags))
    record_id = add_record(store, platform="x", post_id="1930000000000000001",
                           author={"id": "1500000000000000001", "handle": "@alice_doe"},
                           source={"url": "https://x.com/alice_doe/status/1930000000000000001"})
    record = requested(store, record_id, url="https://x.com/acme_example/status/1930000999999999999")
    assert consent.apply_thread(record, thread, config, store) == "granted"
    assert record.permission.evidence_url == "https://x.com/alice_doe/status/1930001111111111112"


def test_bluesky_thread_with_at_uris(project):
    _, config, store = project
    payload = json.loads((FIXTURES / "bluesky_getPostThread_with_permission_reply_200.json").read_text("utf-8"))
    thread = []

    def walk(node, parent=None):
        post = node.get("post")
        if not post:
            return
        record_text = post["record"]["text"]
        raw = record_text.encode()
        tags = [Entity("hashtag", len(raw[:f["index"]["byteStart"]].decode()), len(raw[:f["index"]["byteEnd"]].decode()))
                for f in post["record"].get("facets", []) if f["features"][0]["$type"].endswith("#tag")]
        rkey = post["uri"].rsplit("/", 1)[-1]
        thread.append(ThreadPost(post["uri"], f"https://bsky.app/profile/{post['author']['handle']}/post/{rkey}",
                                 post["author"]["did"], post["author"]["handle"], record_text,
                                 post["record"]["createdAt"], parent, tags))
        for reply in node.get("replies", []):
            walk(reply, post["uri"])

    walk(payload["thread"])
    root = thread[0]
    record_id = add_record(store, platform="bluesky", post_id=root.post_id,
                           author={"id": root.author_id, "handle": "@" + root.author_handle},
                           source={"url": root.url})
    record = requested(store, record_id, url="https://bsky.app/profile/acme.example/post/3lxq3efgh5s2b")
    assert consent.apply_thread(record, thread, config, store) == "granted"
    assert record.permission.evidence_url.endswith("/post/3lxq4ijkl6d2c")


# --- ask / ask --send against a local fake API ----------------------------------------------------


@pytest.fixture
def api():
    fake = start_fake_api()
    yield fake
    fake.server.shutdown()
    fake.server.server_close()


def _env(api, **extra):
    return {"CURATOR_MASTODON_URL": api.url, "CURATOR_MASTODON_TOKEN": "token", "CURATOR_X_URL": api.url,
            "CURATOR_X_TOKEN": "token", "CURATOR_BLUESKY_URL": api.url, "CURATOR_BLUESKY_APP_PASSWORD": "pw", **extra}


def test_ask_without_send_only_prints(project, api):
    config_file, _, store = project
    record_id = add_record(store)
    result = CliRunner().invoke(cli, ["-f", str(config_file), "ask", record_id], env=_env(api))
    assert result.exit_code == 0 and "#YesAcme" in result.output and "not sent" in result.output
    assert api.requests == []
    _, reopened = open_project(config_file)
    assert reopened.get(record_id).permission.status == "none"


def test_ask_send_mastodon_posts_exactly_one_reply(project, api):
    config_file, config, store = project
    record_id = add_record(store)
    result = CliRunner().invoke(cli, ["-f", str(config_file), "ask", record_id, "--send"], env=_env(api))
    assert result.exit_code == 0, result.output
    search = [r for r in api.requests if r["path"] == "/api/v2/search"]
    assert search[0]["query"]["q"] == ["https://mastodon.example/@alice/114620000000000001"]
    (post,) = api.posts()
    assert post["path"] == "/api/v1/statuses" and post["body"]["in_reply_to_id"] == ["555000000000000001"]
    assert post["headers"]["Authorization"] == "Bearer token" and post["headers"]["Idempotency-Key"]
    assert post["body"]["status"] == [consent.request_text(store.get(record_id), config)]
    permission = open_project(config_file)[1].get(record_id).permission
    assert permission.status == "requested" and permission.request_url == "https://mastodon.example/@acme/555000000000000099"
    assert permission.requested_at
    again = CliRunner().invoke(cli, ["-f", str(config_file), "ask", record_id, "--send"], env=_env(api))
    assert again.exit_code == 1 and "not asking again" in again.output and len(api.posts()) == 1


def test_ask_send_never_sends_a_token_or_password_over_plain_http(project, api):
    config_file, _, store = project
    x_id = add_record(store, platform="x", post_id="1930000000000000001")
    bsky_id = add_record(store, platform="bluesky", post_id="at://did:plc:a1icea1icea1icea1icea1ic/app.bsky.feed.post/3lxq2")
    plain = _env(api, CURATOR_X_URL="http://api.x.example", CURATOR_BLUESKY_URL="http://pds.example")
    for record_id, secret in ((x_id, "the token"), (bsky_id, "the app password")):
        result = CliRunner().invoke(cli, ["-f", str(config_file), "ask", record_id, "--send"], env=plain)
        assert result.exit_code == 3 and f"refusing to send {secret} to http://" in result.output


def test_ask_send_x_and_bluesky_reply_to_the_right_post(project, api):
    config_file, _, store = project
    x_id = add_record(store, platform="x", post_id="1930000000000000001")
    bsky_uri = "at://did:plc:a1icea1icea1icea1icea1ic/app.bsky.feed.post/3lxq2abcd2k2a"
    bsky_id = add_record(store, platform="bluesky", post_id=bsky_uri)
    config_file.write_text(config_file.read_text("utf-8") + "      ask_spacing_seconds: 0\n", "utf-8")
    runner = CliRunner()
    assert runner.invoke(cli, ["-f", str(config_file), "ask", x_id, "--send"], env=_env(api)).exit_code == 0
    assert runner.invoke(cli, ["-f", str(config_file), "ask", bsky_id, "--send"], env=_env(api)).exit_code == 0
    tweet, bsky = api.posts()
    assert tweet["path"] == "/2/tweets" and tweet["body"]["reply"] == {"in_reply_to_tweet_id": "1930000000000000001"}
    assert bsky["path"] == "/xrpc/com.atproto.repo.createRecord" and bsky["headers"]["Authorization"] == "Bearer jwt"
    reply = bsky["body"]["record"]["reply"]
    assert reply["parent"] == reply["root"] == {"uri": bsky_uri, "cid": "bafyreiparentcid"}
    tags = [f for f in bsky["body"]["record"]["facets"] if f["features"][0]["$type"].endswith("#tag")]
    text = bsky["body"]["record"]["text"].encode()
    assert {text[f["index"]["byteStart"]:f["index"]["byteEnd"]].decode() for f in tags} == {"#YesAcme", "#NoAcme"}
    reopened = open_project(config_file)[1]
    assert reopened.get(x_id).permission.request_url == "https://x.com/acme_example/status/1930000999999999999"
    assert reopened.get(bsky_id).permission.request_url == "https://bsky.app/profile/acme.example/post/3lxq3efgh5s2b"


def test_ask_send_failures_are_one_line_and_record_nothing(project, api):
    config_file, _, store = project
    record_id = add_record(store)
    runner = CliRunner()
    refused = runner.invoke(cli, ["-f", str(config_file), "ask", record_id, "--send"],
                            env=_env(api, CURATOR_MASTODON_TOKEN="expired"))
    assert refused.exit_code == 3 and "HTTP 401: The access token is invalid" in refused.output
    missing = runner.invoke(cli, ["-f", str(config_file), "ask", record_id, "--send"],
                            env=_env(api, CURATOR_MASTODON_TOKEN=""))
    assert missing.exit_code == 1 and "CURATOR_MASTODON_TOKEN" in missing.output
    assert len(api.posts()) == 1  # only the refused one reached the server
    assert open_project(config_file)[1].get(record_id).permission.status == "none"


def test_ask_prints_a_compose_link_per_platform(project, api):
    config_file, config, store = project
    x_id = add_record(store, platform="x", post_id="1930000000000000001")
    bsky_id = add_record(store, platform="bluesky", post_id="at://did:plc:a1icea1icea1icea1icea1ic/app.bsky.feed.post/3lxq2",
                         source={"url": "https://bsky.app/profile/alice.example/post/3lxq2"})
    mastodon_id = add_record(store)
    runner = CliRunner()
    printed = {rid: runner.invoke(cli, ["-f", str(config_file), "ask", rid], env=_env(api, CURATOR_MASTODON_URL=""))
               for rid in (x_id, bsky_id, mastodon_id)}
    assert all(result.exit_code == 0 for result in printed.values())
    x_text = quote(consent.request_text(store.get(x_id), config), safe="")
    assert f"reply with it: https://x.com/intent/tweet?in_reply_to=1930000000000000001&text={x_text}" in printed[x_id].output
    bsky = printed[bsky_id].output
    assert "reply to https://bsky.app/profile/alice.example/post/3lxq2 with it" in bsky
    assert "https://bsky.app/intent/compose?text=" + quote(consent.request_text(store.get(bsky_id), config), safe="") in bsky
    share = "https://mastodon.example/share?text=" + quote(consent.request_text(store.get(mastodon_id), config), safe="")
    assert share in printed[mastodon_id].output and "reply to https://mastodon.example/@alice/" in printed[mastodon_id].output
    assert api.requests == []


def test_ask_send_refuses_under_ci(project, api):
    config_file, _, store = project
    record_id = add_record(store)
    result = CliRunner().invoke(cli, ["-f", str(config_file), "ask", record_id, "--send"], env=_env(api, CI="true"))
    assert result.exit_code == 2 and "CI is set" in result.output and len(result.output.strip().splitlines()) == 1
    assert api.posts() == [] and open_project(config_file)[1].get(record_id).permission.status == "none"


def _asked(store, count, minutes_apart):
    """``count`` records asked ``minutes_apart`` apart, the last one that many minutes ago."""
    now = datetime.now(UTC)
    for number in range(count):
        moment = format_timestamp(now - timedelta(minutes=minutes_apart * (number + 1)))
        add_record(store, post_id=f"11462000000000010{number}",
                   permission={"status": "requested", "requested_at": moment, "request_url": REQUEST_URL})


def test_ask_send_keeps_its_pace_per_hour(project, api):
    config_file, _, store = project
    config_file.write_text(config_file.read_text("utf-8") + "      ask_per_hour: 3\n      ask_spacing_seconds: 60\n", "utf-8")
    _asked(store, 3, minutes_apart=10)
    record_id = add_record(store)
    result = CliRunner().invoke(cli, ["-f", str(config_file), "ask", record_id, "--send"], env=_env(api))
    assert result.exit_code == 1 and "3 requests sent in the last hour (ask_per_hour: 3); try again in 3" in result.output
    assert result.output.rstrip().endswith(("30 min", "31 min"))  # when the oldest of the three is an hour old
    assert api.posts() == []


def test_ask_send_waits_between_two_requests(project, api):
    config_file, _, store = project
    config_file.write_text(config_file.read_text("utf-8") + "      ask_spacing_seconds: 900\n", "utf-8")
    _asked(store, 1, minutes_apart=10)
    record_id = add_record(store)
    refused = CliRunner().invoke(cli, ["-f", str(config_file), "ask", record_id, "--send"], env=_env(api))
    assert refused.exit_code == 1 and "(ask_spacing_seconds: 900); try again in 5 min" in refused.output
    config_file.write_text(config_file.read_text("utf-8").replace("900", "300"), "utf-8")
    sent = CliRunner().invoke(cli, ["-f", str(config_file), "ask", record_id, "--send"], env=_env(api))
    assert sent.exit_code == 0, sent.output
    assert len(api.posts()) == 1


def test_ask_templates_vary_the_wording_per_post(project):
    _, config, store = project
    other = "Could we feature this? {consent_tag} to agree, terms {terms_url} {signature}"
    varied = dataclasses.replace(config, ask_templates=(other,))
    texts = {consent.request_text(store.get(add_record(store, post_id=f"1146200000000002{n:02d}")), varied) for n in range(12)}
    assert len(texts) == 2 and any(text.startswith("Could we feature this?") for text in texts)
    record = store.get(add_record(store, post_id="114620000000000300"))
    assert consent.request_text(record, varied) == consent.request_text(record, varied)  # one post, one wording
    broken = dataclasses.replace(config, ask_template="{consent_tag} {terms_url}", ask_templates=("{consent_tag} {terms_url}",))
    with pytest.raises(CuratorError, match=r"ask_templates?(\[0\])?: must contain \{signature\}"):
        consent.request_text(record, broken)


def test_ask_posted_records_a_request_a_person_posted(project, api):
    config_file, _, store = project
    record_id = add_record(store)
    runner = CliRunner()
    wrong = runner.invoke(cli, ["-f", str(config_file), "ask", record_id, "--posted", "https://x.com/acme/status/1"])
    assert wrong.exit_code == 2 and "is not a Mastodon post URL" in wrong.output
    both = runner.invoke(cli, ["-f", str(config_file), "ask", record_id, "--send", "--posted", REQUEST_URL])
    assert both.exit_code == 2 and api.posts() == []
    result = runner.invoke(cli, ["-f", str(config_file), "ask", record_id, "--posted", REQUEST_URL])
    assert result.exit_code == 0 and f"recorded: {record_id} asked at {REQUEST_URL}" in result.output
    permission = open_project(config_file)[1].get(record_id).permission
    assert permission.status == "requested" and permission.request_url == REQUEST_URL and permission.requested_at
    again = runner.invoke(cli, ["-f", str(config_file), "ask", record_id, "--posted", REQUEST_URL])
    assert again.exit_code == 1 and "not asking again" in again.output


# --- the request in the post's language (issue 24, item 6) -------------------------------------


@pytest.mark.parametrize("lang, name, start", [
    ("es", "curator's es template", "@alice@mastodon.example ¡Muchas gracias"),
    ("fr-CA", "curator's fr template", "@alice@mastodon.example Merci beaucoup"),
    ("pt-BR", "curator's pt template", "@alice@mastodon.example Muito obrigado"),
    ("de", "curator's de template", "@alice@mastodon.example Vielen Dank"),
    ("en-GB", "ask_template", "@alice@mastodon.example Thank you so much"),
    ("ja", "ask_template (no template for ja)", "@alice@mastodon.example Thank you so much"),
    (None, "ask_template", "@alice@mastodon.example Thank you so much"),
])
def test_the_request_is_written_in_the_posts_language_where_a_template_exists(project, lang, name, start):
    _, config, store = project
    record = store.get(add_record(store, lang=lang))
    assert consent.chosen_template(record, config).name == name
    text = consent.request_text(record, config)
    assert text.startswith(start) and config.consent_tag in text and config.revoke_tag in text and config.terms_url in text


def test_configured_language_templates_win_and_ask_language_names_the_default(project):
    _, config, store = project
    record = store.get(add_record(store, lang="es"))
    mine = dataclasses.replace(config, ask_templates_by_language={"es": "¡Gracias! {consent_tag} {terms_url} {signature}"})
    assert consent.chosen_template(record, mine).name == "ask_templates_by_language.es"
    assert consent.request_text(record, mine).startswith("¡Gracias! #YesAcme")
    spanish_brand = dataclasses.replace(config, ask_language="es", ask_template="Hola {consent_tag} {terms_url} {signature}")
    assert consent.request_text(record, spanish_brand).startswith("Hola ")
    english = store.get(add_record(store, post_id="114620000000000002", lang="en"))
    assert consent.chosen_template(english, spanish_brand).name == "curator's en template"


@pytest.mark.parametrize("lang", sorted(LANGUAGE_ASK_TEMPLATES))
@pytest.mark.parametrize("platform", ["mastodon", "bluesky", "x"])
def test_every_shipped_template_fits_every_platform(project, lang, platform):
    _, config, store = project
    record = store.get(add_record(store, platform=platform, lang=lang, author={"handle": "@a_fifteen_chars"}))
    consent.request_text(record, config)  # raises if over the platform's limit


def test_ask_says_which_template_it_used(project, api):
    config_file, _, store = project
    record_id = add_record(store, lang="fr")
    result = CliRunner().invoke(cli, ["-f", str(config_file), "ask", record_id], env=_env(api))
    assert result.exit_code == 0 and "Merci beaucoup" in result.output
    assert "(template: curator's fr template)" in result.output
