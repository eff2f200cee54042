"""A real HTTP server on 127.0.0.1 that speaks the Mastodon, Bluesky and X shapes of the fixtures,
and a Discourse-shaped forum for the platform a test registers (tests/forum_platform.py).

Tests add posts to it, queue faults (429 with each platform's headers, 500s, slow or truncated
bodies) and read the request log. Nothing here mocks ``requests``: the client talks over a socket.
"""
from __future__ import annotations

import copy
import hashlib
import io
import json
import re
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable
from urllib.parse import parse_qs, urlsplit

from PIL import Image

FIXTURES = Path(__file__).parent / "fixtures" / "sources"  # copies of the shared API fixtures (README inside)


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text("utf-8"))


def png_bytes(size: tuple[int, int] = (64, 64), colour: str = "#1D6FA5") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


def bomb_png(side: int = 20000) -> bytes:
    """A small file that decodes to side² pixels (a decompression bomb for an avatar)."""
    out = io.BytesIO()
    Image.new("1", (side, side), 0).save(out, format="PNG", optimize=True)
    return out.getvalue()


@dataclass
class Reply:
    status: int = 200
    body: bytes | Any = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    truncate: bool = False  # send only half the body (and say the full length)
    drip: float = 0.0  # send the body a byte at a time, this many seconds apart
    drip_headers: bool = False  # with ``drip``: the status line and headers too
    endless: int = 0  # instead of ``body``: this many bytes of a JSON string, no Content-Length


@dataclass
class MockPlatforms:
    """State behind the handler: posts per platform, queued faults, the request log."""

    base: str = ""
    page_size: int = 2
    delay: float = 0.0  # every request waits this long (for the SIGKILL test)
    mastodon: list[dict] = field(default_factory=list)  # newest first
    mastodon_gone: set[str] = field(default_factory=set)
    mastodon_context: dict[str, dict] = field(default_factory=dict)
    bluesky: list[dict] = field(default_factory=list)  # newest first
    bluesky_thread: dict | None = None
    bluesky_postgates: dict[str, Any] = field(default_factory=dict)  # post rkey → getRecord body (or a Reply)
    x: list[dict] = field(default_factory=list)  # newest first
    x_users: list[dict] = field(default_factory=list)
    x_gone: set[str] = field(default_factory=set)
    x_includes: dict[str, list[dict]] = field(default_factory=dict)  # media, polls, tweets sent with every answer
    forum: list[dict] = field(default_factory=list)  # newest first
    files: dict[str, Reply] = field(default_factory=dict)  # path → fixed reply (avatars, oEmbed)
    faults: list[tuple[str, Reply]] = field(default_factory=list)  # (path prefix, reply), used once each
    log: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)  # (method, path?query, headers)
    sent: int = 0  # body bytes the last ``endless`` reply got out before the client hung up

    def fault(self, prefix: str, reply: Reply, times: int = 1) -> None:
        self.faults += [(prefix, reply)] * times

    def requests_to(self, prefix: str) -> list[str]:
        return [target for _, target, _ in self.log if target.startswith(prefix)]

    # --- routing --------------------------------------------------------------------------------

    def handle(self, method: str, target: str, headers: dict[str, str], body: bytes) -> Reply:
        self.log.append((method, target, headers))
        if self.delay:
            time.sleep(self.delay)
        parts = urlsplit(target)
        path, query = parts.path, parse_qs(parts.query)
        for index, (prefix, reply) in enumerate(self.faults):
            if path.startswith(prefix):
                del self.faults[index]
                return reply
        if path in self.files:
            return self.files[path]
        for prefix, route in ROUTES:
            if path.startswith(prefix):
                return route(self, path, query, headers, body)
        return Reply(404, {"error": "Record not found"})


def _page(items: list[dict], key: Callable[[dict], Any], query: dict, size: int) -> list[dict]:
    max_id, since_id = query.get("max_id", [None])[0], query.get("since_id", [None])[0]
    chosen = [i for i in items if (max_id is None or key(i) < int(max_id)) and (since_id is None or key(i) > int(since_id))]
    return chosen[:size]


def mastodon_timeline(m: MockPlatforms, path: str, query: dict, headers: dict, body: bytes) -> Reply:
    page = _page(m.mastodon, lambda s: int(s["id"]), query, m.page_size)
    link = {}
    if page:
        link["Link"] = (f'<{m.base}{path}?max_id={page[-1]["id"]}>; rel="next", '
                        f'<{m.base}{path}?min_id={page[0]["id"]}>; rel="prev"')
    return Reply(200, page, {**link, "X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "299",
                             "X-RateLimit-Reset": "2025-06-03T15:45:00.000000Z"})


def mastodon_status(m: MockPlatforms, path: str, query: dict, headers: dict, body: bytes) -> Reply:
    parts = path.strip("/").split("/")  # api v1 statuses ID [context]
    status_id = parts[3]
    if status_id in m.mastodon_gone:
        return Reply(404, {"error": "Record not found"})
    if len(parts) == 5 and parts[4] == "context":
        return Reply(200, m.mastodon_context.get(status_id, {"ancestors": [], "descendants": []}))
    found = next((s for s in m.mastodon if s["id"] == status_id), None)
    return Reply(200, found) if found else Reply(404, {"error": "Record not found"})


def mastodon_lookup(m: MockPlatforms, path: str, query: dict, headers: dict, body: bytes) -> Reply:
    acct = query.get("acct", [""])[0]
    account = next((s["account"] for s in m.mastodon if s["account"]["acct"] == acct), None)
    return Reply(200, account) if account else Reply(404, {"error": "Record not found"})


def bluesky_session(m: MockPlatforms, path: str, query: dict, headers: dict, body: bytes) -> Reply:
    login = json.loads(body or b"{}")
    if login.get("password") != "app-pass-1234":
        return Reply(401, {"error": "AuthenticationRequired", "message": "Invalid identifier or password"})
    return Reply(200, {"accessJwt": "jwt-access", "refreshJwt": "jwt-refresh", "did": "did:plc:acme", "handle": login["identifier"]})


def bluesky_search(m: MockPlatforms, path: str, query: dict, headers: dict, body: bytes) -> Reply:
    if headers.get("authorization") != "Bearer jwt-access":
        return Reply(403, fixture("constructed/bluesky_401_or_403_authmissing.json"))
    since = query.get("since", [""])[0]
    posts = [p for p in m.bluesky if p["indexedAt"] > since]
    start = int(query.get("cursor", ["0"])[0])
    page = posts[start:start + m.page_size]
    data: dict[str, Any] = {"posts": page}
    if start + m.page_size < len(posts):
        data["cursor"] = str(start + m.page_size)
    return Reply(200, data, {"RateLimit-Limit": "3000", "RateLimit-Remaining": "2999",
                             "RateLimit-Reset": "1748965500", "RateLimit-Policy": "3000;w=300"})


def bluesky_get_posts(m: MockPlatforms, path: str, query: dict, headers: dict, body: bytes) -> Reply:
    wanted = query.get("uris", [])
    return Reply(200, {"posts": [p for p in m.bluesky if p["uri"] in wanted]})


def bluesky_resolve(m: MockPlatforms, path: str, query: dict, headers: dict, body: bytes) -> Reply:
    handle = query.get("handle", [""])[0]
    post = next((p for p in m.bluesky if p["author"]["handle"] == handle), None)
    if post is None:
        return Reply(400, {"error": "InvalidRequest", "message": "Unable to resolve handle"})
    return Reply(200, {"did": post["author"]["did"]})


def bluesky_thread(m: MockPlatforms, path: str, query: dict, headers: dict, body: bytes) -> Reply:
    if m.bluesky_thread is None:
        return Reply(400, fixture("constructed/bluesky_getPostThread_400_notfound.json"))
    return Reply(200, m.bluesky_thread)


def bluesky_get_record(m: MockPlatforms, path: str, query: dict, headers: dict, body: bytes) -> Reply:
    """``com.atproto.repo.getRecord`` of a postgate: the one set for the post's rkey, else RecordNotFound."""
    rkey = query.get("rkey", [""])[0]
    if query.get("collection") != ["app.bsky.feed.postgate"] or rkey not in m.bluesky_postgates:
        return Reply(400, fixture("constructed/bluesky_getRecord_400_recordnotfound.json"))
    found = m.bluesky_postgates[rkey]
    return found if isinstance(found, Reply) else Reply(200, found)


def _x_payload(m: MockPlatforms, posts: list[dict]) -> dict:
    quoted = m.x_includes.get("tweets", [])
    authors = {p.get("author_id") for p in posts + quoted}
    return {"data": posts, "includes": {**m.x_includes, "users": [u for u in m.x_users if u["id"] in authors]}}


def x_search(m: MockPlatforms, path: str, query: dict, headers: dict, body: bytes) -> Reply:
    if headers.get("authorization") != "Bearer x-token":
        return Reply(401, {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"})
    text = query.get("query", [""])[0]
    if text.startswith("conversation_id:"):
        conversation = text.split(":", 1)[1]
        return Reply(200, _x_payload(m, [p for p in m.x if p.get("conversation_id") == conversation]))
    since = int(query.get("since_id", ["0"])[0])
    posts = [p for p in m.x if int(p["id"]) > since]
    start = int(query.get("next_token", ["0"])[0])
    page = posts[start:start + m.page_size]
    data = _x_payload(m, page)
    data["meta"] = {"result_count": len(page)}
    if page:
        data["meta"].update(newest_id=page[0]["id"], oldest_id=page[-1]["id"])
    if start + m.page_size < len(posts):
        data["meta"]["next_token"] = str(start + m.page_size)
    return Reply(200, data, {"x-rate-limit-limit": "450", "x-rate-limit-remaining": "447", "x-rate-limit-reset": "1705420800"})


def x_lookup(m: MockPlatforms, path: str, query: dict, headers: dict, body: bytes) -> Reply:
    if headers.get("authorization") != "Bearer x-token":
        return Reply(401, {"title": "Unauthorized", "detail": "Unauthorized"})
    ids = query["ids"][0].split(",") if path == "/2/tweets" else [path.rsplit("/", 1)[1]]
    found = [p for p in m.x if p["id"] in ids and p["id"] not in m.x_gone]
    data = _x_payload(m, found)
    missing = [i for i in ids if i not in {p["id"] for p in found}]
    if missing:
        data["errors"] = [{"resource_id": i, "resource_type": "tweet", "title": "Not Found Error",
                           "detail": f"Could not find tweet with id: [{i}].",
                           "type": "https://api.x.com/2/problems/resource-not-found"} for i in missing]
    if not found:
        del data["data"]
    return Reply(200, data)


def mastodon_notifications(m: MockPlatforms, path: str, query: dict, headers: dict, body: bytes) -> Reply:
    if headers.get("authorization") != "Bearer masto-token":
        return Reply(401, {"error": "The access token is invalid"})
    mentions = [{"id": str(int(s["id"]) - 114620000000000000 + 500), "type": "mention", "status": s} for s in m.mastodon]
    page = _page(mentions, lambda n: int(n["id"]), query, m.page_size)
    link = {"Link": f'<{m.base}{path}?max_id={page[-1]["id"]}>; rel="next"'} if page else {}
    return Reply(200, page, link)


def cdn_image(m: MockPlatforms, path: str, query: dict, headers: dict, body: bytes) -> Reply:
    """Any picture a rehosted payload names (``/cdn/<host>/<path>``): a PNG whose colour and size
    come from the path, so two files differ and the same file is the same bytes."""
    digest = hashlib.sha256(path.encode()).digest()
    colour = "#" + digest[:3].hex()
    return Reply(200, png_bytes((40 + digest[3] % 60, 30 + digest[4] % 60), colour), {"Content-Type": "image/png"})


IMAGE_HOSTS = re.compile(r"https?://((?:cdn\.bsky\.app|bsky\.public\.url|files\.mastodon\.social|pbs\.twimg\.com|"
                         r"icosahedron\.website/system|mastodon\.social/media_proxy|localhost:3000/system|video\.bsky\.app)/[^\s\"]*)")


def rehost(payload: Any, base: str) -> Any:
    """A recorded payload with its picture URLs (CDNs of the platforms) pointing at ``/cdn/`` of
    this server: the test fetches every file the payload names, and never the internet."""
    return json.loads(IMAGE_HOSTS.sub(lambda m: f"{base}/cdn/{m.group(1)}", json.dumps(payload)))


def forum_search(m: MockPlatforms, path: str, query: dict, headers: dict, body: bytes) -> Reply:
    """Discourse's ``/search.json``: matching posts (here: all of them) and their topics."""
    return Reply(200, {"posts": m.forum, "topics": [], "grouped_search_result": {"post_ids": [p["id"] for p in m.forum]}})


def forum_post_json(m: MockPlatforms, path: str, query: dict, headers: dict, body: bytes) -> Reply:
    """Discourse's ``/posts/ID.json``."""
    wanted = path.removeprefix("/posts/").removesuffix(".json")
    post = next((p for p in m.forum if str(p["id"]) == wanted), None)
    if post is None:
        return Reply(404, {"errors": ["The requested URL or resource could not be found."], "error_type": "not_found"})
    return Reply(200, post)


ROUTES: list[tuple[str, Callable]] = [
    ("/cdn/", cdn_image),
    ("/search.json", forum_search),
    ("/posts/", forum_post_json),
    ("/api/v1/notifications", mastodon_notifications),
    ("/api/v1/timelines/tag/", mastodon_timeline),
    ("/api/v1/accounts/lookup", mastodon_lookup),
    ("/api/v1/accounts/", mastodon_timeline),
    ("/api/v1/statuses/", mastodon_status),
    ("/xrpc/com.atproto.server.createSession", bluesky_session),
    ("/xrpc/app.bsky.feed.searchPosts", bluesky_search),
    ("/xrpc/app.bsky.feed.getPosts", bluesky_get_posts),
    ("/xrpc/com.atproto.identity.resolveHandle", bluesky_resolve),
    ("/xrpc/app.bsky.feed.getPostThread", bluesky_thread),
    ("/xrpc/com.atproto.repo.getRecord", bluesky_get_record),
    ("/2/tweets/search/recent", x_search),
    ("/2/tweets", x_lookup),
]


def serve(state: MockPlatforms) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            reply = state.handle(self.command, self.path, headers, body)
            if reply.delay:
                time.sleep(reply.delay)
            if reply.drip or reply.endless:
                self._hostile(reply)
                return
            payload = reply.body if isinstance(reply.body, bytes) else json.dumps(reply.body).encode()
            try:
                self.send_response(reply.status)
                content_type = "application/json; charset=utf-8" if not isinstance(reply.body, bytes) else "application/octet-stream"
                self.send_header("Content-Type", reply.headers.get("Content-Type", content_type))
                for name, value in reply.headers.items():
                    if name != "Content-Type":
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                if reply.truncate:
                    self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(payload[: len(payload) // 2] if reply.truncate else payload)
                if reply.truncate:
                    self.close_connection = True
            except (BrokenPipeError, ConnectionResetError):
                pass

        def _hostile(self, reply: Reply) -> None:
            """A body dripped a byte at a time, or one that never ends (as slow or big servers do)."""
            payload = reply.body if isinstance(reply.body, bytes) else json.dumps(reply.body).encode()
            length = "" if reply.endless else f"Content-Length: {len(payload)}\r\n"
            head = f"HTTP/1.1 {reply.status} OK\r\nContent-Type: application/json\r\n{length}Connection: close\r\n\r\n".encode()
            self.close_connection = True
            try:
                if reply.endless:
                    self.wfile.write(head + b'"')
                    chunk = b"a" * 65536
                    for state.sent in range(0, reply.endless, len(chunk)):
                        self.wfile.write(chunk)
                    return
                dripped = head + payload if reply.drip_headers else payload
                if not reply.drip_headers:
                    self.wfile.write(head)
                for byte in dripped:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(reply.drip)
            except (BrokenPipeError, ConnectionResetError):
                pass

        do_GET = do_POST = _answer

    class Server(ThreadingHTTPServer):
        def handle_error(self, request: Any, client_address: Any) -> None:
            if not isinstance(sys.exc_info()[1], ConnectionError):  # a client that hung up on a refused body
                super().handle_error(request, client_address)

    server = Server(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    return server


# --- fixture-shaped posts -------------------------------------------------------------------------

def mastodon_post(state: MockPlatforms, number: int, content: str | None = None, avatar: str = "/avatars/alice.png") -> dict:
    status = fixture("constructed/mastodon_status_with_mention_hashtag_link.json")
    status["id"] = str(114620000000000000 + number)
    status["url"] = f"{state.base}/@alice/{status['id']}"
    status["uri"] = f"{state.base}/users/alice/statuses/{status['id']}"
    status["created_at"] = f"2025-06-03T14:{number:02d}:11.918Z"
    if content is not None:
        status["content"] = content
    status["account"]["avatar_static"] = status["account"]["avatar"] = state.base + avatar
    return status


def bluesky_post(state: MockPlatforms, number: int, text: str | None = None, facets: list | None = None,
                 avatar: str = "/avatars/alice.png") -> dict:
    post = fixture("constructed/bluesky_searchPosts_200.json")["posts"][0]
    rkey = f"3lxq2abcd{number:04d}"
    post["uri"] = f"at://did:plc:a1icea1icea1icea1icea1ic/app.bsky.feed.post/{rkey}"
    post["indexedAt"] = f"2025-06-03T14:{number:02d}:13.201Z"
    post["record"]["createdAt"] = f"2025-06-03T14:{number:02d}:11.918Z"
    if text is not None:
        post["record"]["text"], post["record"]["facets"] = text, facets or []
    post["author"]["avatar"] = state.base + avatar
    return rehost(post, state.base)


def x_post(number: int, text: str | None = None, entities: dict | None = None) -> dict:
    post = copy.deepcopy(fixture("constructed/x_v2_search_recent_conversation_with_permission_reply_200.json")["data"][1])
    post["id"] = post["conversation_id"] = str(1930000000000000000 + number)
    post["created_at"] = f"2025-06-03T14:{number:02d}:11.000Z"
    if text is not None:
        post["text"], post["entities"] = text, entities or {}
    return post


def forum_post(number: int, text: str = "Acme's espresso machine is the best thing in our office. Love it! #AcmeLove",
               avatar: str = "/avatars/alice.png") -> dict:
    """A post as Discourse's API returns it (the fields a client reads; ``cooked`` is its HTML)."""
    return {"id": 700 + number, "name": "Alice Martin", "username": "alice", "user_id": 41,
            "avatar_template": avatar, "created_at": f"2025-06-03T14:{number:02d}:11.918Z",
            "cooked": f"<p>{text}</p>", "post_number": 1, "topic_id": 90 + number, "topic_slug": "espresso"}


def x_user(state: MockPlatforms, avatar: str = "/avatars/alice_normal.png") -> dict:
    user = dict(fixture("constructed/x_v2_search_recent_conversation_with_permission_reply_200.json")["includes"]["users"][0])
    user["profile_image_url"] = state.base + avatar
    return user
