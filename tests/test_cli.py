"""Every command through click's runner (and `serve` over real HTTP on 127.0.0.1)."""
from __future__ import annotations

import csv
import io
import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from curator import Store
from curator.cli import cli

INBOX = "x-188000000000000027"  # Mateo: granted for every channel but still in the inbox
REQUESTED = "bluesky-3lacme0026xyz"


def test_help_documents_every_command() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    for command in ("init", "add", "list", "approve", "reject", "grant", "revoke", "check", "consent-log", "build", "serve"):
        assert command in result.output
        sub = CliRunner().invoke(cli, [command, "--help"])
        assert sub.exit_code == 0 and len(sub.output.splitlines()) > 4, command


def test_list_json_and_filters(run) -> None:
    rows = json.loads(run("list", "--json").stdout)
    assert len(rows) == 30
    published = json.loads(run("list", "--status", "published", "--json").stdout)
    assert len(published) == 17 and all(row["published"] for row in published)
    hidden = json.loads(run("list", "--status", "hidden", "--json").stdout)
    assert {row["id"] for row in hidden} >= {"x-188000000000000020", "mastodon-mastodon-example-113100000022"}
    assert all(row["hidden_because"] for row in hidden)
    assert {row["kind"] for row in json.loads(run("list", "--kind", "humor", "--json").stdout)} == {"humor"}
    table = run("list", "--status", "inbox").stdout
    assert INBOX in table and "hidden: review is inbox" in table
    line = next(row for row in table.splitlines() if row.startswith(INBOX))
    assert line.count("\t") == 5 and ": " in line.split("\t")[5]  # the author and the start of the text


def test_approve_publishes_only_with_permission(run, project: Path) -> None:
    result = run("approve", INBOX, REQUESTED, "--by", "^AB")
    assert result.exit_code == 0
    assert f"approved: {INBOX}\n" in result.stdout
    assert "still hidden: permission is requested" in result.stdout
    record = Store.open(project / "testimonials").records[INBOX]
    assert record.review.status == "approved" and record.review.by == "^AB"
    assert INBOX in {row["id"] for row in json.loads(run("list", "--status", "published", "--json").stdout)}


def test_reject_and_unknown_id(run, project: Path) -> None:
    assert run("reject", INBOX, "--note", "off-topic").exit_code == 0
    assert Store.open(project / "testimonials").records[INBOX].review.note == "off-topic"
    missing = run("approve", "no-such-id")
    assert missing.exit_code == 1 and missing.stderr.startswith("error: no-such-id: no such testimonial")


def test_grant_records_evidence_scope_expiry(run, project: Path) -> None:
    result = run("grant", REQUESTED, "--evidence", "https://bsky.app/profile/yukit.bsky.example/post/3lyes",
                 "--scope", "web,print", "--expires", "2028-01-31", "--method", "reply", "--text", "#YesAcme sure")
    assert result.exit_code == 0, result.output
    permission = Store.open(project / "testimonials").records[REQUESTED].permission
    assert (permission.status, permission.scope, permission.expires) == ("granted", ["web", "print"], "2028-01-31")
    assert permission.terms_version == "2026-01" and permission.evidence_text == "#YesAcme sure"


@pytest.mark.parametrize("args, words", [
    (["--evidence", "javascript:alert(1)"], "http(s) URL"),
    (["--evidence", "https://x.example/1", "--scope", "billboard"], "comma-separated list"),
    (["--evidence", "https://x.example/1", "--expires", "31/01/2028"], "31/01/2028"),
    (["--evidence", "https://x.example/1", "--expires", "2020-01-01"], "not in the future"),
])
def test_grant_rejects_bad_input(run, args: list[str], words: str) -> None:
    result = run("grant", REQUESTED, *args)
    assert result.exit_code in (1, 2) and words in result.stderr
    assert "Traceback" not in result.output


def test_revoke_scrubs_and_suppresses(run, project: Path) -> None:
    record_id = "x-188000000000000003"
    avatar = project / "testimonials" / Store.open(project / "testimonials").records[record_id].author.avatar
    result = run("revoke", record_id, "--reason", "asked by DM")
    assert result.exit_code == 0
    record = Store.open(project / "testimonials").records[record_id]
    assert record.text == "" and record.author.avatar is None and record.permission.status == "revoked"
    assert record.permission.revoked_reason == "asked by DM" and not avatar.exists()
    assert run("grant", record_id, "--evidence", "https://x.example/1").exit_code == 1


def test_check_ok(run) -> None:
    result = run("check")
    assert result.exit_code == 0 and "30 records" in result.stdout
    assert json.loads(run("check", "--json").stdout) == []


def test_consent_log_csv_and_json(run) -> None:
    rows = json.loads(run("consent-log", "--format", "json").stdout)
    assert len(rows) == 30
    revoked = next(row for row in rows if row["status"] == "revoked")
    assert revoked["suppressed"] is True and revoked["revoked_at"]
    granted = next(row for row in rows if row["id"] == "mastodon-mastodon-example-113100000001")
    assert granted["evidence_url"].startswith("https://") and granted["scope"] == ["web", "embed", "print", "social"]
    table = list(csv.DictReader(io.StringIO(run("consent-log").stdout)))
    assert len(table) == 30 and table[0].keys() >= {"evidence_url", "expires", "revoked_at", "request_url"}
    # untrusted text cannot become a spreadsheet formula
    assert all(not (row["evidence_text"] or "").startswith(("=", "+", "-", "@")) for row in table)


def test_add_file_new_then_unchanged_then_invalid(run, project: Path) -> None:
    post = {"source": {"platform": "mastodon", "post_id": "999", "url": "https://mastodon.example/@zoe/999"},
            "author": {"name": "Zoë", "id": "42", "handle": "@zoe@mastodon.example"},
            "posted_at": "2026-11-01T10:00:00Z", "lang": "en", "text": "Acme is lovely ✨"}
    path = project / "post.json"
    path.write_text(json.dumps(post), "utf-8")
    first = json.loads(run("add", str(path), "--json").stdout)
    assert first == [{"id": "mastodon-999", "result": "new"}]
    record = Store.open(project / "testimonials").records["mastodon-999"]
    assert (record.review.status, record.permission.status) == ("inbox", "none")
    assert run("add", str(path)).stdout == "unchanged: mastodon-999\n"
    bad = project / "bad.yml"
    bad.write_text("source: {platform: myspace, post_id: '1'}\nauthor: {name: A}\nposted_at: yesterday\ntext: hi\n", "utf-8")
    result = run("add", str(bad))
    assert result.exit_code == 1
    assert "bad.yml:1: source.platform: 'myspace' is not allowed" in result.stderr
    assert "bad.yml:3: posted_at: 'yesterday' is not a valid date-time" in result.stderr


def test_bad_config_is_reported_with_line(run, project: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("      consent_tag: \"#YesAcme\"", "      consent_tag: YesAcme\n      colour: red"), "utf-8")
    result = run("check")
    assert result.exit_code == 1
    assert "mkdocs.yml:" in result.stderr and "curator.colour: unknown field" in result.stderr
    assert "curator.consent_tag" in result.stderr


def test_usage_error_exit_2(run) -> None:
    assert run("list", "--status", "maybe").exit_code == 2


def test_init_then_build(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["init", str(tmp_path / "wall"), "--brand", "Bolt Bikes"]).exit_code == 0
    config = tmp_path / "wall" / "mkdocs.yml"
    assert "#YesBoltBikes" in config.read_text("utf-8")
    again = runner.invoke(cli, ["init", str(tmp_path / "wall")])
    assert "kept existing" in again.output
    result = runner.invoke(cli, ["-f", str(config), "build"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "wall" / "site" / "wall" / "index.html").is_file()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, words: str, seconds: float = 60) -> str:
    deadline, page = time.monotonic() + seconds, ""
    while time.monotonic() < deadline and words not in page:
        try:
            page = urllib.request.urlopen(url, timeout=2).read().decode()
        except OSError:
            pass
        time.sleep(0.3)
    return page


def test_serve_previews_the_wall_and_rebuilds_when_the_store_changes(project: Path) -> None:
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "curator", "-f", str(project / "mkdocs.yml"), "serve",
                               "--dev-addr", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/wall/"
        docs_before = sorted((project / "docs").rglob("*"))
        assert "curator-card" in _wait_for(url, "curator-card")
        record = project / "testimonials" / "x-188000000000000013.yml"
        # A hand edit of what the author wrote would take the post down (it needs a new yes); a display name is not consented text.
        record.write_text(record.read_text("utf-8").replace("Camille Martin", "Camille Martin-Roy"), "utf-8")
        assert "Camille Martin-Roy" in _wait_for(url, "Camille Martin-Roy")
        assert sorted((project / "docs").rglob("*")) == docs_before  # generated in memory, never into docs/
    finally:
        server.terminate()
        server.wait(10)
    with pytest.raises(OSError):  # stopping curator stopped the server too (no orphan process)
        urllib.request.urlopen(url, timeout=2)
