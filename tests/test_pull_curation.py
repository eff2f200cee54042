"""`curator pull` end to end over HTTP on 127.0.0.1: new mentions are classified, a #YesAcme
reply in the request's thread grants, a #NoAcme reply revokes, and the summary says so."""
from __future__ import annotations

import copy

from sources_mock import mastodon_post
from test_sources_pull import fast, run, write_config

from curator import Store
from curator.model import now_utc

TAG_HTML = '<a href="{base}/tags/{tag}" class="mention hashtag" rel="tag">#<span>{tag}</span></a>'


def reply(mock, status: dict, number: int, account: dict, text_html: str, parent: str) -> dict:
    post = copy.deepcopy(status)
    post["id"] = str(115000000000000000 + number)
    post["url"] = f"{mock.base}/@{account['username']}/{post['id']}"
    post["uri"] = post["url"]
    post["in_reply_to_id"] = parent
    post["account"] = account
    post["content"] = f"<p>{text_html}</p>"
    post["created_at"] = f"2026-11-2{number}T10:00:00.000Z"
    post["mentions"], post["tags"] = [], []
    return post


def test_pull_classifies_then_grants_and_revokes_from_replies(tmp_path, mock) -> None:
    mock.mastodon = [mastodon_post(mock, 1, content="<p>I love Acme, it is wonderful and so fast! 😍</p>")]
    config = write_config(tmp_path, [fast({"name": "fedi", "type": "mastodon", "instance": mock.base, "hashtags": ["AcmeLove"]})])
    first = run(config, "pull")
    assert first.exit_code == 0, first.output
    store = Store.open(tmp_path / "testimonials")
    (record,) = store.records.values()
    assert record.kind in ("praise", "happy") and record.sentiment > 0.5

    # the brand asked in the thread; the author answers with the consent hashtag
    status = mock.mastodon[0]
    brand = {**status["account"], "id": "999", "username": "acme", "acct": "acme", "display_name": "Acme"}
    request = reply(mock, status, 1, brand, "Thank you! May we feature it? Reply #YesAcme ^JD", status["id"])
    record.permission.status, record.permission.request_url = "requested", request["url"]
    record.permission.requested_at = "2026-11-20T09:00:00Z"
    store.save(record)
    yes = reply(mock, status, 2, status["account"], "Sure! " + TAG_HTML.format(base=mock.base, tag="YesAcme"), request["id"])
    mock.mastodon_context[status["id"]] = {"ancestors": [], "descendants": [request, yes]}
    second = run(config, "pull", "--summary", str(tmp_path / "summary.md"))
    assert second.exit_code == 0, second.output
    granted = Store.open(tmp_path / "testimonials").records[record.id].permission
    assert granted.status == "granted" and granted.evidence_url == yes["url"]
    assert granted.granted_at.startswith("2026-11-22") and granted.granted_at <= now_utc()
    assert "permission granted by the author's reply" in (tmp_path / "summary.md").read_text("utf-8")

    no = reply(mock, status, 3, status["account"], TAG_HTML.format(base=mock.base, tag="NoAcme") + " changed my mind", request["id"])
    mock.mastodon_context[status["id"]]["descendants"].append(no)
    third = run(config, "pull", "--json")
    assert third.exit_code == 0, third.output
    store = Store.open(tmp_path / "testimonials")
    assert store.records[record.id].permission.status == "revoked" and record.id in store.suppressed
    assert store.records[record.id].text == ""
    assert '"change": "revoked"' in third.output
