"""Bluesky: search (needs an app-password session), one post by bsky.app URL, its thread, and
the permission request posted as a reply from the brand's account.

Facets count UTF-8 *bytes*; they are converted to code points exactly. Posts or authors labelled
``!no-unauthenticated`` asked not to be shown to logged-out viewers: never imported, and a
published one is marked ``upstream: private`` (and ``noindex``). A post's postgate with a
``disableRule`` (embedding disabled) is read for each post stored or re-checked.

One app password (``CURATOR_BLUESKY_APP_PASSWORD``) serves search and replies; replies go from
``handles.bluesky`` (or ``CURATOR_BLUESKY_HANDLE``) through ``https://bsky.social``
(``CURATOR_BLUESKY_URL``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar
from collections.abc import Iterator, Mapping
from urllib.parse import quote

from ..errors import CuratorError, SourceError
from ..identity import record_id
from ..model import Entity, Testimonial, ThreadPost, now_utc
from . import Mark, Platform, SentReply, Token
from .base import (
    DELETED,
    LIVE,
    MALFORMED,
    PRIVATE,
    Adapter,
    Fetched,
    HttpFactory,
    SourceSpec,
    TokenNeed,
    base_url,
    default_http,
    entity_dicts,
    is_secure,
    newer,
    sending_http,
    Wanted,
)
from .text import clean_entities, is_http_url

if TYPE_CHECKING:
    from ..config import Config
    from .http import Http

TOKEN = Token(
    "CURATOR_BLUESKY_APP_PASSWORD", old="BLUESKY_APP_PASSWORD", purpose="an app password of the brand's Bluesky account"
)
REPLY_LIMIT = 300
HIDDEN_LABELS = {"!no-unauthenticated", "!hide", "!takedown"}
POSTGATE_DISABLE = "app.bsky.feed.postgate#disableRule"
WEB_URL = re.compile(
    r"^https://(?:www\.)?bsky\.app/profile/(?P<actor>[^/?#]+)/post/(?P<rkey>[A-Za-z0-9._:~-]+)/?(?:[?#].*)?$"
)
AT_URI = re.compile(r"^at://(?P<actor>[^/]+)/app\.bsky\.feed\.post/(?P<rkey>[A-Za-z0-9._:~-]+)$")


def parse_post_url(url: str) -> tuple[str, str] | None:
    """(handle or DID, rkey) from a bsky.app URL or an at:// URI."""
    match = WEB_URL.match(url) or AT_URI.match(url)
    return (match.group("actor"), match.group("rkey")) if match else None


class Bluesky(Adapter):
    platform = "bluesky"
    options: ClassVar[dict[str, Any]] = {
        "queries": {"$ref": "#/$defs/queries"},
        "handle": {"type": "string", "pattern": "^@?[A-Za-z0-9.-]+$"},
        "token_env": {"$ref": "#/$defs/envName"},
        "appview": {"$ref": "#/$defs/baseUrl"},
        "pds": {"$ref": "#/$defs/baseUrl"},
    }

    def __init__(self, spec: SourceSpec, http: HttpFactory = default_http):
        super().__init__(spec, http)
        self.appview = base_url(spec.options.get("appview", "https://public.api.bsky.app"))
        self.pds = base_url(spec.options.get("pds", "https://bsky.social"))
        self._session_token: str | None = None

    def _xrpc(self, method: str, params: str, *, auth: bool = False, ok: tuple[int, ...] = (200,)) -> tuple[int, Any]:
        if auth:
            self._login()
        host = self.pds if auth else self.appview
        status, data, _ = self.http.get_json(f"{host}/xrpc/{method}?{params}", ok=ok)
        return status, data

    def _login(self) -> None:
        """An app-password session (search needs one); the password comes from the environment
        and goes, like the session token, only to the configured PDS over https."""
        if self._session_token:
            return
        handle = str(self.spec.options.get("handle", "")).lstrip("@")
        password = self.spec.token(TOKEN, required_for="search (an app-password session)")
        if not handle:
            raise SourceError(f"{self.name}: search needs `handle:` (the account the app password belongs to)")
        if not is_secure(self.pds):
            raise SourceError(
                f"{self.name}: refusing to send the app password to {self.pds} over plain http; use https"
            )
        _, session, _ = self.http.send_json(
            "POST",
            f"{self.pds}/xrpc/com.atproto.server.createSession",
            json={"identifier": handle, "password": password},
        )
        token = session.get("accessJwt") if isinstance(session, dict) else None
        if not isinstance(token, str) or not token:
            raise SourceError(f"{self.name}: createSession returned no accessJwt")
        self._session_token = token
        self.http.authorize(self.pds, token)

    # --- pulling -------------------------------------------------------------------------------

    def pull(self, cursor: dict[str, str]) -> Iterator[list[Fetched]]:
        for query in self.spec.options.get("queries", []):
            yield from self._search(query, cursor)

    def _search(self, query: str, cursor: dict[str, str]) -> Iterator[list[Fetched]]:
        key = f"q:{query}"
        since = newest = cursor.get(key)
        page_cursor = None
        for _ in range(self.max_pages):
            params = f"q={quote(query)}&sort=latest&limit=100" + (f"&since={quote(since)}" if since else "")
            params += f"&cursor={quote(page_cursor)}" if page_cursor else ""
            _, data = self._xrpc("app.bsky.feed.searchPosts", params, auth=True)
            posts = [p for p in data.get("posts", []) if isinstance(p, dict)]
            fresh = [p for p in posts if newer(p.get("indexedAt"), since)]
            for post in fresh:
                newest = post["indexedAt"] if newer(post["indexedAt"], newest) else newest
            yield self.each_post(fresh, self._fetched)
            page_cursor = data.get("cursor")
            if not fresh or len(fresh) < len(posts) or not page_cursor:
                break
        if newest:
            cursor[key] = newest

    # --- one post, thread, re-check --------------------------------------------------------------

    def _at_uri(self, url: str) -> str:
        parsed = parse_post_url(url)
        if parsed is None:
            raise SourceError(f"{url}: not a Bluesky post URL (expected https://bsky.app/profile/HANDLE/post/ID)")
        actor, rkey = parsed
        if not actor.startswith("did:"):
            status, data = self._xrpc("com.atproto.identity.resolveHandle", f"handle={quote(actor)}", ok=(200, 400))
            if status != 200 or not data.get("did"):
                raise SourceError(f"{url}: the handle {actor} does not resolve to an account")
            actor = data["did"]
        return f"at://{actor}/app.bsky.feed.post/{rkey}"

    def fetch_url(self, url: str) -> Fetched:
        uri = self._at_uri(url)
        _, data = self._xrpc("app.bsky.feed.getPosts", f"uris={quote(uri)}")
        posts = data.get("posts") or []
        if not posts:
            raise SourceError(f"{url}: the post is gone (deleted or taken down)")
        fetched = self._fetched(posts[0])
        if fetched is None:
            raise SourceError(f"{url}: {self.notes[-1]}")
        return fetched

    def thread(self, record: Testimonial) -> list[ThreadPost]:
        params = f"uri={quote(record.source.post_id or '')}&depth=10&parentHeight=80"
        status, data = self._xrpc("app.bsky.feed.getPostThread", params, ok=(200, 400))
        if status != 200:
            return []
        found: list[ThreadPost] = []
        _walk(data.get("thread") or {}, found)
        return [post for post in found if post.post_id != record.source.post_id]

    def upstream_status(self, records: list[Testimonial]) -> dict[str, str]:
        result = {}
        for start in range(0, len(records), 25):  # getPosts takes at most 25 uris
            batch = records[start : start + 25]
            params = "&".join(f"uris={quote(r.source.post_id or '')}" for r in batch)
            _, data = self._xrpc("app.bsky.feed.getPosts", params)
            seen = {p.get("uri"): p for p in data.get("posts", []) if isinstance(p, dict)}
            for record in batch:
                post = seen.get(record.source.post_id)
                result[record.id] = DELETED if post is None else PRIVATE if _hidden(post) else LIVE
                if post is not None:
                    self._read_signals(record.id, post)
        return result

    def _read_signals(self, record_id: str, post: dict[str, Any]) -> None:
        """A re-checked post's signals; if its postgate cannot be read, the stored ones stay."""
        postgate = self._postgate(post.get("uri", ""))
        if postgate is None:
            self.notes.append(f"{self.name}: {record_id}: its postgate could not be read; signals kept as they were")
        else:
            self.signals[record_id] = _label_signals(post) + postgate

    def _postgate(self, uri: str) -> list[str] | None:
        """``embedding-disabled`` if the post's author disabled embedding (an
        ``app.bsky.feed.postgate`` record of the post's rkey with a ``disableRule``); None if
        the record could not be read. One request per post: made only for a post about to be
        stored or re-checked."""
        parsed = AT_URI.match(uri)
        if not parsed:
            return None
        params = f"repo={quote(parsed.group('actor'))}&collection=app.bsky.feed.postgate&rkey={parsed.group('rkey')}"
        try:
            status, data = self._xrpc("com.atproto.repo.getRecord", params, ok=(200, 400))
            if status == 400:  # RecordNotFound: no postgate, no rule; another error: not read
                return [] if data.get("error") == "RecordNotFound" else None
            rules = data["value"].get("embeddingRules") or []
            disabled = any(isinstance(r, dict) and r.get("$type") == POSTGATE_DISABLE for r in rules)
        except (CuratorError, *MALFORMED):
            return None
        return ["embedding-disabled"] if disabled else []

    @classmethod
    def token_need(cls, spec: SourceSpec) -> TokenNeed:
        return spec.token_need(TOKEN, True, "search needs an app password")

    # --- normalising -----------------------------------------------------------------------------

    def _fetched(self, post: dict[str, Any]) -> Fetched | None:
        uri = post.get("uri", "")
        shown = f"{self.name}: {uri}"
        if _hidden(post):
            self.notes.append(f"{shown}: skipped, the author asked not to be shown to logged-out viewers")
            return None
        parsed = AT_URI.match(uri)
        author, record = post.get("author") or {}, post.get("record") or {}
        if not parsed:
            self.notes.append(f"{shown}: skipped, not a post uri")
            return None
        text = record.get("text", "")
        handle = author.get("handle", "")
        postgate = self._postgate(uri)
        if postgate is None:
            self.notes.append(f"{shown}: its postgate could not be read; kept, not auto-approved until a pull reads it")
        signals = _label_signals(post) + (["signals-unknown"] if postgate is None else postgate)
        embed = Embed.of(post.get("embed"))
        if labels := _self_labels(record):
            self.notes.append(f"{shown}: its author labelled it {', '.join(labels)}; review its media before approving")
        built = self.make_record(
            {
                "id": record_id("bluesky", parsed.group("rkey"), author.get("did")),
                "source": {
                    "platform": "bluesky",
                    "url": f"https://bsky.app/profile/{handle}/post/{parsed.group('rkey')}",
                    "post_id": uri,
                    "version": None,
                    "fetched_at": now_utc(),
                },
                "author": _author(author),
                "posted_at": record.get("createdAt") or post.get("indexedAt"),
                "lang": (record.get("langs") or [None])[0],
                "text": text,
                "entities": entity_dicts(facet_entities(text, record.get("facets") or [])),
                **embed.fields(),
                "metrics": {
                    "likes": post.get("likeCount", 0),
                    "reposts": post.get("repostCount", 0),
                    "replies": post.get("replyCount", 0),
                    "quotes": post.get("quoteCount", 0),
                },
                "upstream": {"status": LIVE, "checked_at": now_utc(), "signals": signals},
            },
            shown,
        )
        if built is None:
            return None
        return Fetched(
            built, author.get("avatar"), media=embed.media, quote_media=embed.quote_media, link_image=embed.link_image
        )


@dataclass
class Embed:
    """What a post view's ``embed`` shows: images, a video (its thumbnail), a quoted post, a
    link card; ``recordWithMedia`` is a quoted post with media of the quoting post's own."""

    media: list[Wanted] = field(default_factory=list)
    quote: dict[str, Any] | None = None
    quote_media: list[Wanted] = field(default_factory=list)
    link: dict[str, Any] | None = None
    link_image: Wanted | None = None

    @classmethod
    def of(cls, view: Any) -> Embed:
        embed = cls()
        if not isinstance(view, dict):
            return embed
        kind = _view_type(view)
        if kind == "recordWithMedia":
            embed._add_media(view.get("media") or {})
            embed._add_quote((view.get("record") or {}).get("record"))
        elif kind == "record":
            embed._add_quote(view.get("record"))
        else:
            embed._add_media(view)
        return embed

    def fields(self) -> dict[str, Any]:
        """The record fields known before any file is stored."""
        return {name: value for name, value in (("quote", self.quote), ("link", self.link)) if value}

    def _add_media(self, view: dict[str, Any]) -> None:
        if (kind := _view_type(view)) == "external":
            external = view.get("external") or {}
            if is_http_url(external.get("uri")):
                self.link = {
                    "url": external["uri"],
                    "title": external.get("title") or "",
                    "description": external.get("description") or "",
                }
                self.link_image = Wanted(external["thumb"]) if is_http_url(external.get("thumb")) else None
        else:
            self.media = media_of(view, kind)

    def _add_quote(self, quoted: Any) -> None:
        """A quoted post as the record keeps it; one not found, blocked or detached shows nothing."""
        if not isinstance(quoted, dict) or _view_type(quoted) != "viewRecord":
            return
        author, value = quoted.get("author") or {}, quoted.get("value") or {}
        parsed = AT_URI.match(str(quoted.get("uri", "")))
        if not parsed or value.get("$type", "app.bsky.feed.post") != "app.bsky.feed.post":
            return  # a feed, list or labeler "quoted": not a post
        handle = author.get("handle", "")
        self.quote = {
            "author": _author(author),
            "text": value.get("text", ""),
            "url": f"https://bsky.app/profile/{handle}/post/{parsed.group('rkey')}",
            "posted_at": value.get("createdAt") or quoted.get("indexedAt"),
        }
        for inner in quoted.get("embeds") or []:
            inner_kind = _view_type(inner)
            self.quote_media += media_of(inner.get("media") or {} if inner_kind == "recordWithMedia" else inner)


def media_of(view: dict[str, Any], kind: str | None = None) -> list[Wanted]:
    """Images (full size), gallery items, or a video's thumbnail (its poster frame)."""
    kind = kind or _view_type(view)
    if kind in ("images", "gallery"):
        items = view.get("images" if kind == "images" else "items") or []
        return [
            Wanted(str(i.get("fullsize") or i.get("thumb") or i.get("thumbnail")), "image", i.get("alt") or "")
            for i in items
        ]
    if kind == "video" and view.get("thumbnail"):
        return [Wanted(str(view["thumbnail"]), "video", view.get("alt") or "")]  # pages link the post, not the stream
    return []


def _view_type(view: Any) -> str:
    """``app.bsky.embed.images#view`` → ``images``; ``app.bsky.embed.record#viewRecord`` → ``viewRecord``."""
    if not isinstance(view, dict):
        return ""
    name, _, part = str(view.get("$type", "")).partition("#")
    return part if part != "view" else name.rsplit(".", 1)[-1]


def _self_labels(record: dict[str, Any]) -> list[str]:
    """The author's own content labels (nudity, graphic media...): a flag for media, not a
    written content warning, so they are said to the reviewer and not shown as one."""
    labels = record.get("labels")
    values = labels.get("values") if isinstance(labels, dict) else None
    return [str(item.get("val")) for item in values or [] if isinstance(item, dict)]


def byte_span_to_code_points(text: str, byte_start: int, byte_end: int) -> tuple[int, int] | None:
    """Facet offsets (UTF-8 bytes) → code-point offsets; None if they cut a character."""
    encoded = text.encode("utf-8")
    if not (0 <= byte_start < byte_end <= len(encoded)):
        return None
    try:
        start = len(encoded[:byte_start].decode("utf-8"))
        end = start + len(encoded[byte_start:byte_end].decode("utf-8"))
    except UnicodeDecodeError:
        return None
    return start, end


def facet_entities(text: str, facets: list[dict[str, Any]]) -> list[Entity]:
    """Facets (UTF-8 byte offsets) → entities in code points; invalid or overlapping ones are dropped."""
    entities = []
    for facet in facets:
        index = facet.get("index") or {}
        span = byte_span_to_code_points(text, int(index.get("byteStart", -1)), int(index.get("byteEnd", -1)))
        features = facet.get("features") or []
        if span is None or not features or not isinstance(features[0], dict):
            continue
        feature, (start, end) = features[0], span
        kind = feature.get("$type", "").rsplit("#", 1)[-1]
        if kind == "mention":
            entities.append(Entity("mention", start, end, f"https://bsky.app/profile/{feature.get('did')}"))
        elif kind == "tag":
            entities.append(Entity("hashtag", start, end, f"https://bsky.app/hashtag/{quote(str(feature.get('tag')))}"))
        elif kind == "link":
            entities.append(Entity("url", start, end, feature.get("uri"), text[start:end]))
    return clean_entities(text, entities)


def _hidden(post: dict[str, Any]) -> bool:
    labels = list(post.get("labels") or []) + list((post.get("author") or {}).get("labels") or [])
    return any(
        isinstance(label, dict) and label.get("val") in HIDDEN_LABELS and not label.get("neg") for label in labels
    )


def _label_signals(post: dict[str, Any]) -> list[str]:
    """``noindex`` when the author opted out of logged-out visibility (``!no-unauthenticated`` on
    their account: such a post is also kept out, or marked private, see ``_hidden``)."""
    labels = [label for label in (post.get("author") or {}).get("labels") or [] if isinstance(label, dict)]
    opted_out = any(label.get("val") == "!no-unauthenticated" and not label.get("neg") for label in labels)
    return ["noindex"] if opted_out else []


def _author(author: dict[str, Any]) -> dict[str, Any]:
    """A profile view as the record's ``author`` (the post's, or a quoted post's)."""
    handle = author.get("handle", "")
    return {
        "id": author.get("did"),
        "name": author.get("displayName") or handle,
        "handle": f"@{handle}",
        "url": f"https://bsky.app/profile/{handle}",
        "verified": _verified(author),
    }


def _verified(author: dict[str, Any]) -> bool:
    verification = author.get("verification") or {}
    return verification.get("verifiedStatus") == "valid"


def _walk(node: dict[str, Any], found: list[ThreadPost]) -> None:
    """Flatten a getPostThread tree (parents and replies); deleted/blocked nodes are skipped."""
    if node.get("$type", "").endswith("#threadViewPost") and isinstance(node.get("post"), dict):
        post = node["post"]
        record, author = post.get("record") or {}, post.get("author") or {}
        text = record.get("text", "")
        parsed = AT_URI.match(post.get("uri", ""))
        found.append(
            ThreadPost(
                post_id=post.get("uri", ""),
                url=f"https://bsky.app/profile/{author.get('handle')}/post/{parsed.group('rkey')}" if parsed else None,
                author_id=author.get("did", ""),
                author_handle=f"@{author.get('handle', '')}",
                text=text,
                posted_at=record.get("createdAt") or post.get("indexedAt", ""),
                in_reply_to=((record.get("reply") or {}).get("parent") or {}).get("uri"),
                entities=facet_entities(text, record.get("facets") or []),
            )
        )
    if isinstance(node.get("parent"), dict):
        _walk(node["parent"], found)
    for reply in node.get("replies") or []:
        if isinstance(reply, dict):
            _walk(reply, found)


def is_post_url(url: str) -> bool:
    return parse_post_url(url) is not None


def adapter_for_url(url: str, specs: list[SourceSpec], http: HttpFactory = default_http) -> Bluesky:
    spec = next((s for s in specs if s.type == "bluesky"), None)
    return Bluesky(spec or SourceSpec(name="bluesky", type="bluesky"), http)


# --- the permission request ------------------------------------------------------------------------


def post_length(text: str) -> int:
    """What Bluesky counts: grapheme clusters."""
    import regex  # here: only `ask` needs it, and it costs the other commands their start-up

    return len(regex.findall(r"\X", text))


def reply_facets(text: str) -> list[dict]:
    """Hashtags and links as facets (UTF-8 byte offsets), so they work in the Bluesky app."""
    facets = []
    for match in re.finditer(r"(?<![\w#])#(\w+)|https?://[^\s)]+", text):
        start = len(text[: match.start()].encode())
        end = start + len(match.group(0).encode())
        feature = (
            {"$type": "app.bsky.richtext.facet#tag", "tag": match.group(1)}
            if match.group(1)
            else {"$type": "app.bsky.richtext.facet#link", "uri": match.group(0)}
        )
        facets.append({"index": {"byteStart": start, "byteEnd": end}, "features": [feature]})
    return facets


def send_reply(record: Testimonial, text: str, config: Config, env: Mapping[str, str]) -> SentReply:
    """Post ``text`` as the brand's reply to ``record``'s post (in its thread: same root)."""
    base = env.get("CURATOR_BLUESKY_URL", "https://bsky.social").rstrip("/")
    identifier = env.get("CURATOR_BLUESKY_HANDLE") or config.handles.get("bluesky", "").lstrip("@")
    if not identifier:
        raise CuratorError("set handles.bluesky in mkdocs.yml or CURATOR_BLUESKY_HANDLE to send requests")
    password = TOKEN.require(env)
    if not is_secure(base):
        raise SourceError(f"bluesky: refusing to send the app password to {base} over plain http; use https")
    with sending_http("bluesky") as http:
        _, login, _ = http.send_json(
            "POST",
            f"{base}/xrpc/com.atproto.server.createSession",
            json={"identifier": identifier, "password": password},
        )
        http.authorize(base, login["accessJwt"])
        uri = _reply_target(http, base, record)
        _, found, _ = http.get_json(f"{base}/xrpc/app.bsky.feed.getPosts", params={"uris": uri})
        posts = found.get("posts") or []
        if not posts:
            raise SourceError(f"bluesky: {uri} was not found; is the post still there?")
        parent = {"uri": posts[0]["uri"], "cid": posts[0]["cid"]}
        root = (posts[0].get("record") or {}).get("reply", {}).get("root") or parent
        post = {
            "$type": "app.bsky.feed.post",
            "text": text,
            "createdAt": now_utc(),
            "reply": {"root": root, "parent": parent},
            "facets": reply_facets(text),
        }
        created_record = {"repo": login["did"], "collection": "app.bsky.feed.post", "record": post}
        _, created, _ = http.send_json("POST", f"{base}/xrpc/com.atproto.repo.createRecord", json=created_record)
    rkey = str(created.get("uri", "")).rsplit("/", 1)[-1]
    return SentReply(
        f"https://bsky.app/profile/{login.get('handle') or login['did']}/post/{rkey}",
        str(created.get("uri")),
        now_utc(),
    )


def _reply_target(http: Http, base: str, record: Testimonial) -> str:
    """The post's at-uri: stored as post_id, or built from its bsky.app URL."""
    stored = record.source.post_id or ""
    if stored.startswith("at://"):
        return stored
    parsed = parse_post_url(record.source.url or "")
    if parsed is None:
        raise CuratorError(f"{record.id}: needs an at:// post id or a bsky.app post URL to reply on Bluesky")
    actor, rkey = parsed
    if not actor.startswith("did:"):
        _, resolved, _ = http.get_json(f"{base}/xrpc/com.atproto.identity.resolveHandle", params={"handle": actor})
        actor = resolved["did"]
    return f"at://{actor}/app.bsky.feed.post/{rkey}"


# The HTML card's mark: Bluesky butterfly from Simple Icons (icons/bluesky.svg, CC0 1.0); press
# kit: https://bsky.social/about/press. A trademark of its owner: CC0 covers the drawing, not the
# mark.
MARK_PATH = (
    "M5.202 2.857C7.954 4.922 10.913 9.11 12 11.358c1.087-2.247 4.046-6.436 6.798-8.501C20.783 1.366 24 ."
    "213 24 3.883c0 .732-.42 6.156-.667 7.037-.856 3.061-3.978 3.842-6.755 3.37 4.854.826 6.089 3.562 3.4"
    "22 6.299-5.065 5.196-7.28-1.304-7.847-2.97-.104-.305-.152-.448-.153-.327 0-.121-.05.022-.153.327-.56"
    "8 1.666-2.782 8.166-7.847 2.97-2.667-2.737-1.432-5.473 3.422-6.3-2.777.473-5.899-.308-6.755-3.369C.4"
    "2 10.04 0 4.615 0 3.883c0-3.67 3.217-2.517 5.202-1.026"
)


def compose_url(record: Testimonial, text: str, config: Config, env: Mapping[str, str]) -> str | None:
    """Bluesky's compose intent: a new post with the text (it cannot make a reply: paste it)."""
    return f"https://bsky.app/intent/compose?text={quote(text, safe='')}"


PLATFORM = Platform(
    name="bluesky",
    label="Bluesky",
    mark=Mark("#1185FE", "B", path=MARK_PATH),
    sources={"bluesky": Bluesky},
    url_help=("https://bsky.app/profile/HANDLE/post/ID   Bluesky (also at://DID/app.bsky.feed.post/ID)",),
    source_example='{name: sky, type: bluesky, queries: ["$brand"], handle: you.bsky.social}',
    source_example_env=TOKEN.env,
    reads_url=is_post_url,
    adapter_for_url=adapter_for_url,
    token=TOKEN,
    reply_limit=REPLY_LIMIT,
    count=post_length,
    send_reply=send_reply,
    compose_url=compose_url,
)
