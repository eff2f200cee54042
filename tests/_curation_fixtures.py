"""Shared set-up for the curation tests: a project folder, records, threads, a local fake API."""
from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from curator import intake
from curator.config import load_config
from curator.model import Entity, ThreadPost
from curator.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "sources" / "constructed"  # copies of the shared API fixtures (README there)
ALICE_MASTODON = "109318000000000001"

MKDOCS = """\
site_name: Acme wall
plugins:
  - curator:
      brand: Acme
      handles: {mastodon: "@acme@mastodon.example", bluesky: acme.example, x: acme_example}
      consent_tag: "#YesAcme"
      revoke_tag: "#NoAcme"
      terms_url: https://acme.example/ugc-terms
      terms_version: "2025-06"
      signature: ^JD
"""


def make_project(tmp_path: Path, extra: str = "") -> Path:
    (tmp_path / "testimonials").mkdir()
    (tmp_path / "mkdocs.yml").write_text(MKDOCS + extra, "utf-8")
    return tmp_path / "mkdocs.yml"


def open_project(config_file: Path):
    config = load_config(config_file)
    return config, Store.open(config.store_dir)


def add_record(store: Store, platform: str = "mastodon", post_id: str = "114620000000000001", **changes) -> str:
    data = {
        "source": {"platform": platform, "post_id": post_id,
                   "url": f"https://mastodon.example/@alice/{post_id}"},
        "author": {"name": "Alice Doe", "id": ALICE_MASTODON, "handle": "@alice@mastodon.example"},
        "posted_at": "2025-06-03T14:07:11Z",
        "lang": "en",
        "text": "Switched our team to @acme last week, onboarding took 10 minutes. Love it!",
    }
    for key, value in changes.items():
        if isinstance(value, dict):
            data.setdefault(key, {}).update(value)
        else:
            data[key] = value
    record = intake.record_from_mapping(data, "test")
    intake.admit(store, record)
    return record.id


def hashtag_entities(text: str) -> list[Entity]:
    """What a source adapter gives: a hashtag entity for each #tag that starts a word."""
    return [Entity("hashtag", m.start(), m.end()) for m in re.finditer(r"(?<![\w#])#\w+", text)]


def mastodon_thread() -> list[ThreadPost]:
    """The constructed Mastodon context (brand request + Alice's #YesACME), converted by hand."""
    context = json.loads((FIXTURES / "mastodon_context_with_permission_reply.json").read_text("utf-8"))
    texts = {  # the statuses' HTML content as plain text
        "114620000000000050": "@alice Love this! Can we feature it on acme.example? Reply #YesACME to agree: "
                              "https://acme.example/ugc-terms",
        "114620000000000077": "@acme #YesACME 🙌",
    }
    posts = [ThreadPost("114620000000000001", "https://mastodon.example/@alice/114620000000000001",
                        ALICE_MASTODON, "alice", "Switched our team to @acme last week", "2025-06-03T14:07:11Z")]
    for status in context["descendants"]:
        text = texts[status["id"]]
        posts.append(ThreadPost(status["id"], status["url"], status["account"]["id"], status["account"]["acct"],
                                text, status["created_at"], status["in_reply_to_id"], hashtag_entities(text)))
    return posts


REQUEST_URL = "https://mastodon.example/@acme/114620000000000050"
REQUESTED_AT = "2025-06-03T15:00:02Z"


@dataclass
class FakeApi:
    """A real HTTP server on 127.0.0.1 answering like the platforms' write APIs."""

    requests: list[dict] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def posts(self) -> list[dict]:
        return [r for r in self.requests if r["method"] == "POST" and "createSession" not in r["path"]]


def start_fake_api() -> FakeApi:
    api = FakeApi()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # keep test output clean
            pass

        def _record(self, method: str) -> dict:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode() if length else ""
            body = json.loads(raw) if "json" in (self.headers.get("Content-Type") or "") else parse_qs(raw)
            split = urlsplit(self.path)
            entry = {"method": method, "path": split.path, "query": parse_qs(split.query), "body": body,
                     "headers": dict(self.headers)}
            api.requests.append(entry)
            return entry

        def _answer(self, status: int, payload: dict) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            entry = self._record("GET")
            if entry["path"] == "/api/v2/search":
                self._answer(200, {"accounts": [], "hashtags": [], "statuses": [{"id": "555000000000000001"}]})
            elif entry["path"] == "/xrpc/app.bsky.feed.getPosts":
                uri = entry["query"]["uris"][0]
                self._answer(200, {"posts": [{"uri": uri, "cid": "bafyreiparentcid", "record": {"text": "hi"}}]})
            else:
                self._answer(404, {"error": "Record not found"})

        def do_POST(self):
            entry = self._record("POST")
            if entry["headers"].get("Authorization") == "Bearer expired":
                self._answer(401, {"error": "The access token is invalid"})
            elif entry["path"] == "/api/v1/statuses":
                self._answer(200, {"id": "555000000000000099", "url": "https://mastodon.example/@acme/555000000000000099",
                                   "created_at": "2025-06-03T15:00:02.004Z"})
            elif entry["path"] == "/xrpc/com.atproto.server.createSession":
                self._answer(200, {"accessJwt": "jwt", "refreshJwt": "r", "did": "did:plc:acmeacmeacmeacmeacmeacme",
                                   "handle": "acme.example"})
            elif entry["path"] == "/xrpc/com.atproto.repo.createRecord":
                self._answer(200, {"uri": "at://did:plc:acmeacmeacmeacmeacmeacme/app.bsky.feed.post/3lxq3efgh5s2b",
                                   "cid": "bafyreinew"})
            elif entry["path"] == "/2/tweets":
                self._answer(201, {"data": {"id": "1930000999999999999", "text": entry["body"]["text"]}})
            else:
                self._answer(404, {"error": "not found"})

    api.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=api.server.serve_forever, daemon=True).start()
    return api
