"""X: API v2 recent search and lookup (bearer token), a post by URL (API, or oEmbed without a
token), threads by ``conversation_id``, the brand's own data archive (``tweets.js``), and the
permission request posted as a reply.

One token, ``CURATOR_X_TOKEN``, serves reading and replying: an OAuth 2.0 user token of the
brand's account (``tweet.read users.read tweet.write``). An app-only bearer token reads but
cannot reply. ``CURATOR_X_URL`` overrides ``https://api.x.com`` for replies.

Entities are code points on the HTML-escaped text; ``unescape_with_entities`` keeps them right
after ``&amp;`` becomes ``&``.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from collections.abc import Iterator, Mapping
from urllib.parse import quote

from ..errors import CuratorError, SourceError
from ..identity import record_id
from ..model import Entity, Testimonial, ThreadPost, format_timestamp, now_utc
from . import Mark, Platform, SentReply, Token
from .base import (
    DELETED,
    LIVE,
    PRIVATE,
    Adapter,
    Fetched,
    HttpFactory,
    SourceSpec,
    TokenNeed,
    base_url,
    default_http,
    entity_dicts,
    sending_http,
    Wanted,
)
from .text import clean_entities, html_to_text, is_http_url

if TYPE_CHECKING:
    from ..config import Config

TOKEN = Token(
    "CURATOR_X_TOKEN", old="X_BEARER_TOKEN", purpose="an OAuth 2.0 user token of the brand's X account with tweet.write"
)
REPLY_LIMIT = 280
HOSTS = ("x.com", "twitter.com")  # one site: a post is the same post under either name
POST_URL = re.compile(
    r"^https?://(?:www\.|mobile\.)?(?:x|twitter)\.com/(?:(?P<user>[A-Za-z0-9_]{1,15})/status(?:es)?|i/web/status)/(?P<id>\d+)"
)
TWEET_FIELDS = (
    "tweet.fields=created_at,author_id,conversation_id,in_reply_to_user_id,referenced_tweets,entities,lang,"
    "public_metrics,note_tweet,attachments,withheld"
    "&expansions=author_id,attachments.media_keys,attachments.poll_ids,referenced_tweets.id,referenced_tweets.id.author_id"
    "&user.fields=name,username,profile_image_url,verified,protected,withheld"
    "&media.fields=type,url,preview_image_url,alt_text,width,height"
    "&poll.fields=options,voting_status,end_datetime"
)
# X's problem type for a post that does not exist (deleted); its API has said it under both hosts.
GONE = ("https://api.x.com/2/problems/resource-not-found", "https://api.twitter.com/2/problems/resource-not-found")
MEDIA_TYPES = {"photo": "image", "video": "video", "animated_gif": "gif"}


def post_id_from_url(url: str) -> str | None:
    match = POST_URL.match(url)
    return match.group("id") if match else None


class X(Adapter):
    platform = "x"
    options: ClassVar[dict[str, Any]] = {
        "queries": {"$ref": "#/$defs/queries"},
        "token_env": {"$ref": "#/$defs/envName"},
        "api": {"$ref": "#/$defs/baseUrl"},
        "oembed": {"$ref": "#/$defs/baseUrl"},
    }

    def __init__(self, spec: SourceSpec, http: HttpFactory = default_http):
        super().__init__(spec, http)
        self.api = base_url(spec.options.get("api", "https://api.x.com"))
        self.oembed = base_url(spec.options.get("oembed", "https://publish.x.com"))
        self.token = spec.token(TOKEN)
        if self.token:
            self.http.authorize(self.api, self.token)

    def _need_token(self, what: str) -> None:
        if not self.token:
            self.spec.token(TOKEN, required_for=what)

    @classmethod
    def token_need(cls, spec: SourceSpec) -> TokenNeed:
        return spec.token_need(TOKEN, True, "recent search needs a bearer token")

    # --- pulling -------------------------------------------------------------------------------

    def pull(self, cursor: dict[str, str]) -> Iterator[list[Fetched]]:
        for query in self.spec.options.get("queries", []):
            self._need_token("recent search")
            yield from self._search(query, cursor, f"q:{query}")

    def _search(self, query: str, cursor: dict[str, str], key: str) -> Iterator[list[Fetched]]:
        since, newest, next_token = cursor.get(key), cursor.get(key), None
        for _ in range(self.max_pages):
            url = f"{self.api}/2/tweets/search/recent?query={quote(query)}&max_results=100&{TWEET_FIELDS}"
            url += (f"&since_id={since}" if since else "") + (f"&next_token={quote(next_token)}" if next_token else "")
            _, data, _ = self.http.get_json(url)
            meta = data.get("meta") or {}
            if str(meta.get("newest_id")).isdigit() and (newest is None or int(meta["newest_id"]) > int(newest)):
                newest = str(meta["newest_id"])  # only an id: a cursor of junk would be sent back for ever
            yield self._page(data)
            next_token = meta.get("next_token")
            if not next_token or not data.get("data"):
                break
        if newest:
            cursor[key] = newest

    def _page(self, data: dict[str, Any]) -> list[Fetched]:
        includes = Includes.of(data)
        posts = [p for p in data.get("data") or [] if isinstance(p, dict)]
        return self.each_post(posts, lambda post: self._fetched(post, includes))

    # --- one post, thread, re-check --------------------------------------------------------------

    def fetch_url(self, url: str) -> Fetched:
        post_id = post_id_from_url(url)
        if post_id is None:
            raise SourceError(f"{url}: not an X post URL (expected https://x.com/USER/status/ID)")
        if not self.token:
            return self._from_oembed(url, post_id)
        _, data, _ = self.http.get_json(f"{self.api}/2/tweets/{post_id}?{TWEET_FIELDS}", ok=(200, 404))
        data = data or {}
        page = self._page(data)
        if page:
            return page[0]
        if data.get("data"):  # there, but refused: a repost, withheld, protected (the note says which)
            raise SourceError(f"{url}: {self.notes[-1] if self.notes else 'not a post curator can keep'}")
        if _gone(data, post_id):
            raise SourceError(f"{url}: the post is deleted (X: {_error_detail(data)})")
        raise SourceError(f"{url}: the post is gone or not visible ({_error_detail(data)})")

    def thread(self, record: Testimonial) -> list[ThreadPost]:
        self._need_token("reading a thread")
        query = quote(f"conversation_id:{record.source.post_id}")
        url = f"{self.api}/2/tweets/search/recent?query={query}&max_results=100&{TWEET_FIELDS}"
        _, data, _ = self.http.get_json(url)
        users = {u.get("id"): u for u in (data.get("includes") or {}).get("users", [])}
        return [
            api_thread_post(p, users.get(p.get("author_id"), {}))
            for p in data.get("data") or []
            if p.get("id") != record.source.post_id
        ]

    def upstream_status(self, records: list[Testimonial]) -> dict[str, str]:
        if not self.token:
            return {r.id: self._oembed_status(r) for r in records}
        result = {}
        for start in range(0, len(records), 100):
            batch = records[start : start + 100]
            ids = ",".join(r.source.post_id or "" for r in batch)
            _, data, _ = self.http.get_json(f"{self.api}/2/tweets?ids={ids}&expansions=author_id&user.fields=protected")
            alive = {p.get("id") for p in data.get("data") or []}
            protected = {u.get("id") for u in (data.get("includes") or {}).get("users", []) if u.get("protected")}
            authors = {p.get("id"): p.get("author_id") for p in data.get("data") or []}
            for record in batch:
                post_id = record.source.post_id
                if post_id in alive:
                    closed = authors.get(post_id) in protected  # the user field `protected: true`
                    result[record.id] = PRIVATE if closed else LIVE
                    self.signals[record.id] = ["protected"] if closed else []
                else:
                    # Left out of the answer with no word on it: gone as well.
                    result[record.id] = PRIVATE if _gone(data, post_id or "") is False else DELETED
        return result

    # --- oEmbed (no token) ---------------------------------------------------------------------

    def _from_oembed(self, url: str, post_id: str) -> Fetched:
        oembed = f"{self.oembed}/oembed?url={quote(url, safe='')}&omit_script=true&dnt=true"
        status, data, _ = self.http.get_json(oembed, ok=(200, 403, 404))
        if status != 200:
            raise SourceError(f"{url}: the post is gone, protected or suspended (oEmbed HTTP {status})")
        return self._oembed_record(data, post_id)

    def _oembed_status(self, record: Testimonial) -> str:
        post_url = quote(record.source.url or "", safe="")
        status, _, _ = self.http.get_json(f"{self.oembed}/oembed?url={post_url}&omit_script=true", ok=(200, 403, 404))
        return {200: LIVE, 404: DELETED}.get(status, PRIVATE)

    def _oembed_record(self, data: dict[str, Any], post_id: str) -> Fetched:
        """Text, name and handle from the oEmbed blockquote (no author id, no avatar, date only)."""
        markup = data.get("html", "")
        paragraph = re.search(r"<p[^>]*>(.*?)</p>", markup, re.S)
        text, entities = html_to_text(paragraph.group(1) if paragraph else "")
        if any(_MEDIA_LINK.search(text[e.start : e.end]) for e in entities):
            raise SourceError(
                f"{self.name}: post {post_id} has photos or a video, which X's oEmbed does not give: "
                f"set {TOKEN.env} (an X API token) and add it again"
            )
        entities = [_oembed_entity(e, text) for e in entities]
        handle = re.search(r"\(@([A-Za-z0-9_]{1,15})\)", markup)
        day = re.search(r">([A-Z][a-z]+ \d{1,2}, \d{4})</a>\s*</blockquote>", markup)
        username = handle.group(1) if handle else (data.get("author_url") or "").rstrip("/").rsplit("/", 1)[-1]
        # The blockquote says only the day: keep the day, and no time (none is known).
        posted = datetime.strptime(day.group(1), "%B %d, %Y").date().isoformat() if day else now_utc()
        built = self.make_record(
            {
                "id": record_id("x", post_id),
                "source": {
                    "platform": "x",
                    "url": f"https://x.com/{username}/status/{post_id}",
                    "post_id": post_id,
                    "fetched_at": now_utc(),
                },
                "author": {
                    "id": None,
                    "name": data.get("author_name") or username,
                    "handle": f"@{username}",
                    "url": f"https://x.com/{username}",
                    "verified": False,
                },
                "posted_at": posted,
                "lang": None,
                "text": text,
                "entities": entity_dicts(clean_entities(text, entities)),
            },
            f"{self.name}: oEmbed {post_id}",
        )
        if built is None:
            raise SourceError(f"{self.name}: {self.notes[-1]}")
        return Fetched(built, None)

    # --- normalising -----------------------------------------------------------------------------

    def _fetched(self, post: dict[str, Any], includes: Includes) -> Fetched | None:
        shown = f"{self.name}: post {post.get('id')}"
        user = includes.users.get(post.get("author_id"), {})
        if refused := _refusal(post, user):
            self.notes.append(f"{shown}: {refused}")
            return None
        text, entities = api_text(post)
        references = {ref.get("type"): str(ref.get("id")) for ref in post.get("referenced_tweets") or []}
        quoted = includes.tweets.get(references.get("quoted", ""))
        text, entities, link = _without_attachment_links(post, text, entities, quoted)
        username = user.get("username", "i")
        metrics = post.get("public_metrics") or {}
        media_keys = (post.get("attachments") or {}).get("media_keys") or []
        built = self.make_record(
            {
                "id": record_id("x", str(post.get("id"))),
                "source": {
                    "platform": "x",
                    "url": f"https://x.com/{username}/status/{post.get('id')}",
                    "post_id": str(post.get("id")),
                    "fetched_at": now_utc(),
                },
                "author": _author(post.get("author_id"), user, username),
                "posted_at": post.get("created_at"),
                "lang": _lang(post.get("lang")),
                "text": text,
                "entities": entity_dicts(entities),
                **_shown_besides_text(post, includes, quoted, link),
                "metrics": {
                    "likes": metrics.get("like_count", 0),
                    "reposts": metrics.get("retweet_count", 0),
                    "replies": metrics.get("reply_count", 0),
                    "quotes": metrics.get("quote_count", 0),
                },
            },
            shown,
        )
        if built is None:
            return None
        if missing := [key for key in media_keys if key not in includes.media]:
            self.notes.append(f"{shown}: skipped, X sent no details of its media {', '.join(map(str, missing))}")
            return None
        avatar = (user.get("profile_image_url") or "").replace("_normal.", "_400x400.") or None
        quote_keys = ((quoted or {}).get("attachments") or {}).get("media_keys") or []
        return Fetched(
            built,
            avatar,
            media=[includes.wanted(key, built.source.url) for key in media_keys],
            quote_media=[includes.wanted(key, None) for key in quote_keys if key in includes.media],
            link_image=_link_image(link),
        )


@dataclass
class Includes:
    """A response's ``includes``: users, media, polls and referenced posts by id."""

    users: dict[Any, dict[str, Any]] = field(default_factory=dict)
    media: dict[Any, dict[str, Any]] = field(default_factory=dict)
    polls: dict[Any, dict[str, Any]] = field(default_factory=dict)
    tweets: dict[Any, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def of(cls, data: dict[str, Any]) -> Includes:
        found = data.get("includes") or {}

        def by(key: str, name: str) -> dict[Any, dict[str, Any]]:
            return {item.get(key): item for item in found.get(name) or [] if isinstance(item, dict)}

        return cls(by("id", "users"), by("media_key", "media"), by("id", "polls"), by("id", "tweets"))

    def wanted(self, key: str, post_url: str | None) -> Wanted:
        """A photo itself; a video or GIF by its preview image (the poster frame)."""
        item = self.media[key]
        kind = MEDIA_TYPES.get(str(item.get("type")), "image")
        copy_from = item.get("url") if kind == "image" else item.get("preview_image_url")
        if kind == "image" and is_http_url(copy_from) and "name=" not in str(copy_from):
            copy_from = f"{copy_from}?name=large"  # up to 2048 px: what a medium is stored at (print resolution)
        return Wanted(str(copy_from), kind, item.get("alt_text") or "", post_url if kind != "image" else None)


def _refusal(post: dict[str, Any], user: dict[str, Any]) -> str | None:
    """Why a post is not a testimonial curator may keep: a repost (someone else's words),
    withheld (X hides it in some countries at a legal demand), a protected account."""
    for ref in post.get("referenced_tweets") or []:
        if ref.get("type") == "retweeted":
            return f"skipped, a repost of https://x.com/i/status/{ref.get('id')}; add that post instead"
    for what, withheld in (("post", post.get("withheld")), ("author's account", user.get("withheld"))):
        if isinstance(withheld, dict) and (withheld.get("country_codes") or withheld.get("copyright")):
            where = ", ".join(map(str, withheld.get("country_codes") or [])) or "some countries"
            reason = " (a copyright claim)" if withheld.get("copyright") else ""
            return f"refused, the {what} is withheld by X in {where}{reason}: not a post to publish"
    if user.get("protected"):
        return "skipped, protected account"
    return None


def _shown_besides_text(
    post: dict[str, Any], includes: Includes, quoted: dict[str, Any] | None, link: dict[str, Any] | None
) -> dict[str, Any]:
    """Poll, quoted post and link card as record fields (media once their files are stored)."""
    shown: dict[str, Any] = {}
    poll_ids = (post.get("attachments") or {}).get("poll_ids") or []
    if poll_ids and (poll := includes.polls.get(poll_ids[0])) and poll.get("options"):
        options = sorted(poll["options"], key=lambda o: o.get("position", 0))
        shown["poll"] = {
            "options": [{"title": str(o.get("label", "")), "votes": o.get("votes")} for o in options],
            "closed": poll.get("voting_status") == "closed",
            "ends_at": poll.get("end_datetime"),
        }
    if quoted is not None:
        author = includes.users.get(quoted.get("author_id"), {})
        username = author.get("username", "i")
        quoted_text, quoted_entities = api_text(quoted)
        quoted_text, _, _ = _without_attachment_links(quoted, quoted_text, quoted_entities, None)
        shown["quote"] = {
            "author": _author(quoted.get("author_id"), author, username),
            "text": quoted_text,
            "url": f"https://x.com/{username}/status/{quoted.get('id')}",
            "posted_at": quoted.get("created_at"),
        }
    if link is not None:
        shown["link"] = {key: link[key] for key in ("url", "title", "description")}
    return shown


# A link X adds for an attached photo or video: pic.x.com/…, pic.twitter.com/…, …/status/ID/photo/1.
_MEDIA_LINK = re.compile(r"^(?:https?://)?pic\.(?:x|twitter)\.com/|/status/\d+/(?:photo|video)/\d+$")


def _without_attachment_links(
    post: dict[str, Any], text: str, entities: list[Entity], quoted: dict[str, Any] | None
) -> tuple[str, list[Entity], dict[str, Any] | None]:
    """X ends the text with a link to each attached medium and to the quoted post: shown as
    the media and the quote, they go from the text (with their entities). The first other link
    with a title (X's link card) is returned as the link card."""
    found = (post.get("note_tweet") or post).get("entities") or {}
    urls = [u for u in found.get("urls") or [] if isinstance(u, dict) and isinstance(u.get("url"), str)]
    quoted_id = str((quoted or {}).get("id", "")) or None
    has_media = bool((post.get("attachments") or {}).get("media_keys"))

    def attachment(url: dict[str, Any]) -> bool:
        shown, target = str(url.get("display_url") or ""), str(url.get("expanded_url") or "")
        if has_media and (_MEDIA_LINK.search(shown) or _MEDIA_LINK.search(target)):
            return True
        return quoted_id is not None and re.search(rf"/status(?:es)?/{quoted_id}(?:[/?#]|$)", target) is not None

    # By the short link's text, not the entity's offsets: X's offsets are sometimes off (the
    # entity is then dropped by clean_entities), the trailing link is still there.
    trailing = [u["url"] for u in urls if attachment(u)]
    described = {u["url"] for u in urls}
    if has_media and (last := re.search(r"https://t\.co/\w+$", text.rstrip())) and last.group(0) not in described:
        trailing.append(last.group(0))  # no entity says what it is (fields not asked for): X's media link
    while (end := next((t for t in trailing if text.rstrip().endswith(t)), None)) is not None:
        text = text.rstrip()[: -len(end)].rstrip()
    kept = [entity for entity in entities if entity.end <= len(text)]
    card = next((u for u in urls if u.get("title") and not attachment(u) and u["url"] in text), None)
    link = None
    if card is not None:
        target = card.get("unwound_url") or card.get("expanded_url")
        if is_http_url(target):
            images = sorted(card.get("images") or [], key=lambda i: -(i.get("width") or 0))
            link = {
                "url": target,
                "title": str(card.get("title") or ""),
                "description": str(card.get("description") or ""),
                "image": images[0].get("url") if images else None,
            }
    return text, kept, link


def _link_image(link: dict[str, Any] | None) -> Wanted | None:
    return Wanted(link["image"]) if link and is_http_url(link.get("image")) else None


def _gone(data: dict[str, Any], post_id: str) -> bool | None:
    """Does X say the post does not exist (deleted: True) or that it cannot be seen (False)?
    None: X said nothing about it."""
    for error in data.get("errors") or []:
        if isinstance(error, dict) and str(error.get("resource_id") or error.get("value")) == post_id:
            return error.get("type") in GONE
    return True if data.get("type") in GONE else None


def unescape_with_entities(text: str, entities: list[Entity]) -> tuple[str, list[Entity]]:
    """X escapes ``&amp; &lt; &gt;`` but counts offsets on the escaped text: unescape, shift spans."""
    pieces: list[str] = []
    mapping: list[int] = []
    index = 0
    for match in re.finditer(r"&(amp|lt|gt|quot|#39);", text):
        pieces.append(text[index : match.start()])
        mapping.extend(range(index, match.start()))
        pieces.append(html.unescape(match.group(0)))
        mapping.append(match.start())
        index = match.end()
    pieces.append(text[index:])
    mapping.extend(range(index, len(text) + 1))
    plain = "".join(pieces)
    # position in escaped text → position in plain text
    to_plain = {escaped: plain_index for plain_index, escaped in enumerate(mapping)}
    shifted = []
    for entity in entities:
        start, end = to_plain.get(entity.start), to_plain.get(entity.end)
        if start is not None and end is not None:
            shifted.append(Entity(entity.type, start, end, entity.url, entity.display))
    return plain, shifted


def api_text(post: dict[str, Any]) -> tuple[str, list[Entity]]:
    """Full text (``note_tweet`` for long posts) unescaped, with code-point entities."""
    source = post.get("note_tweet") or post
    raw, found = source.get("text", ""), source.get("entities") or {}
    entities = [
        Entity("mention", m["start"], m["end"], f"https://x.com/{m.get('username')}") for m in found.get("mentions", [])
    ]
    entities += [
        Entity("hashtag", h["start"], h["end"], f"https://x.com/hashtag/{quote(str(h.get('tag')))}")
        for h in found.get("hashtags", [])
    ]
    entities += [
        Entity("url", u["start"], u["end"], u.get("expanded_url") or u.get("url"), u.get("display_url"))
        for u in found.get("urls", [])
    ]
    text, entities = unescape_with_entities(raw, entities)
    return text, clean_entities(text, entities)


def api_thread_post(post: dict[str, Any], user: dict[str, Any]) -> ThreadPost:
    text, entities = api_text(post)
    parent = next((r.get("id") for r in post.get("referenced_tweets") or [] if r.get("type") == "replied_to"), None)
    username = user.get("username")
    return ThreadPost(
        post_id=str(post.get("id")),
        url=f"https://x.com/{username or 'i'}/status/{post.get('id')}",
        author_id=str(post.get("author_id")),
        author_handle=f"@{username}" if username else None,
        text=text,
        posted_at=post.get("created_at", ""),
        in_reply_to=parent,
        entities=entities,
    )


def _oembed_entity(found: Entity, text: str) -> Entity:
    shown = text[found.start : found.end]
    if shown.startswith("@"):
        return Entity("mention", found.start, found.end, f"https://x.com/{shown[1:]}")
    if shown.startswith("#"):
        return Entity("hashtag", found.start, found.end, f"https://x.com/hashtag/{quote(shown[1:])}")
    return found


def _author(author_id: str | None, user: dict[str, Any], username: str) -> dict[str, Any]:
    """A user object as the record's ``author`` (the post's, or a quoted post's)."""
    return {
        "id": author_id,
        "name": user.get("name") or username,
        "handle": f"@{username}",
        "url": f"https://x.com/{username}",
        "verified": bool(user.get("verified")),
    }


def _lang(value: str | None) -> str | None:
    return value if value and re.match(r"^[a-z]{2,3}$", value) else None  # X uses "und", "qme"... for unknown


def _error_detail(data: dict[str, Any]) -> str:
    errors = data.get("errors") or [{}]
    return str(errors[0].get("detail") or errors[0].get("title") or "no data")


# --- the data archive (tweets.js) -----------------------------------------------------------------


def read_archive(path: Path) -> list[ThreadPost]:
    """The brand's own posts from an X archive's ``data/tweets.js`` (``window.YTD.tweets.part0 = [...]``)."""
    if not path.is_file():
        raise CuratorError(f"{path}: no such file; point `path:` at data/tweets.js of your X archive")
    text = path.read_text("utf-8-sig")
    start = text.find("[")
    try:
        items = json.loads(text[start:].rstrip().rstrip(";")) if start >= 0 else None
    except json.JSONDecodeError as err:
        raise CuratorError(f"{path}:{err.lineno}: not an X archive tweets.js ({err.msg})") from None
    if not isinstance(items, list):
        raise CuratorError(f"{path}: not an X archive tweets.js (expected `window.YTD.tweets.part0 = [ ... ]`)")
    owner_id, owner_handle = _archive_owner(path.parent / "account.js")
    return [archive_post(item.get("tweet") or item, owner_id, owner_handle) for item in items if isinstance(item, dict)]


def _archive_owner(account_js: Path) -> tuple[str, str | None]:
    """The archive owner's id and handle from ``data/account.js`` next to tweets.js, when present."""
    if not account_js.is_file():
        return "", None
    text = account_js.read_text("utf-8-sig")
    try:
        items = json.loads(text[text.find("[") :].rstrip().rstrip(";"))
        account = items[0]["account"]
        return str(account["accountId"]), f"@{account['username']}"
    except (ValueError, LookupError, TypeError):
        return "", None


def archive_post(tweet: dict[str, Any], owner_id: str = "", owner_handle: str | None = None) -> ThreadPost:
    """Archive entities use v1.1 shapes with string ``indices`` in code points."""
    found = tweet.get("entities") or {}

    def span(item: dict[str, Any]) -> tuple[int, int]:
        start, end = item.get("indices", ["0", "0"])
        return int(start), int(end)

    entities = [
        Entity("mention", *span(m), f"https://x.com/{m.get('screen_name')}") for m in found.get("user_mentions", [])
    ]
    entities += [
        Entity("hashtag", *span(h), f"https://x.com/hashtag/{quote(str(h.get('text')))}")
        for h in found.get("hashtags", [])
    ]
    entities += [Entity("url", *span(u), u.get("expanded_url"), u.get("display_url")) for u in found.get("urls", [])]
    text, entities = unescape_with_entities(tweet.get("full_text", ""), entities)
    posted = datetime.strptime(tweet["created_at"], "%a %b %d %H:%M:%S %z %Y")
    post_id = str(tweet.get("id_str") or tweet.get("id"))
    return ThreadPost(
        post_id=post_id,
        url=f"https://x.com/i/web/status/{post_id}",
        author_id=owner_id,
        author_handle=owner_handle,
        text=text,
        posted_at=format_timestamp(posted),
        in_reply_to=tweet.get("in_reply_to_status_id_str"),
        entities=clean_entities(text, entities),
    )


class XArchive(X):
    """The brand's archive: the posts it replied to (thanks, permission requests) are candidates.

    The archive holds only the brand's words; the customers' posts are looked up through the API.
    ``thread`` adds the brand's own replies from the archive (proof that a request was sent).
    """

    options: ClassVar[dict[str, Any]] = {
        "path": {"type": "string", "minLength": 1},
        "token_env": {"$ref": "#/$defs/envName"},
        "api": {"$ref": "#/$defs/baseUrl"},
    }
    required_options = ("path",)

    def __init__(self, spec: SourceSpec, http: HttpFactory = default_http):
        super().__init__(spec, http)
        self.path = Path(spec.options["path"])

    def pull(self, cursor: dict[str, str]) -> Iterator[list[Fetched]]:
        posts = read_archive(self.path)
        newest = cursor.get("archive")
        fresh = [p for p in posts if newest is None or int(p.post_id) > int(newest)]
        wanted = sorted({p.in_reply_to for p in fresh if p.in_reply_to})
        if wanted:
            self._need_token("looking up the posts the archive replied to")
        for start in range(0, len(wanted), 100):
            ids = ",".join(wanted[start : start + 100])
            _, data, _ = self.http.get_json(f"{self.api}/2/tweets?ids={ids}&{TWEET_FIELDS}")
            yield self._page(data)
        if posts:
            cursor["archive"] = str(max(int(p.post_id) for p in posts))

    def thread(self, record: Testimonial) -> list[ThreadPost]:
        own = [p for p in read_archive(self.path) if p.in_reply_to == record.source.post_id]
        return own + (super().thread(record) if self.token else [])

    @classmethod
    def token_need(cls, spec: SourceSpec) -> TokenNeed:
        return spec.token_need(TOKEN, False, "looks up the posts the archive replied to")


# --- URL forms ---------------------------------------------------------------------------------------

_STATUS_PATH = re.compile(r"^/(?:[^/]+|i(?:/web)?)/status(?:es)?/(\d+)")


def is_post_url(url: str) -> bool:
    return post_id_from_url(url) is not None


def adapter_for_url(url: str, specs: list[SourceSpec], http: HttpFactory = default_http) -> X:
    spec = next((s for s in specs if s.type == "x"), None)
    return X(spec or SourceSpec(name="x", type="x"), http)


def canonical_url(host: str, path: str) -> str | None:
    """A status is known by its number alone (user names change), under either host name."""
    if host not in HOSTS:
        return None
    status = _STATUS_PATH.match(path)
    return f"x.com/i/status/{status.group(1)}" if status else f"x.com{path.lower()}"


# --- the permission request ------------------------------------------------------------------------


def post_length(text: str) -> int:
    """X's weighted length: CJK and emoji count 2, every URL 23."""
    from twitter_text import parse_tweet  # 0.25 s to import: only `ask` for an X post needs it

    return parse_tweet(text).weightedLength


def send_reply(record: Testimonial, text: str, config: Config, env: Mapping[str, str]) -> SentReply:
    """Post ``text`` as the brand's reply to ``record``'s post."""
    base = env.get("CURATOR_X_URL", "https://api.x.com").rstrip("/")
    token = TOKEN.require(env)
    with sending_http("x") as http:
        http.authorize(base, token)
        reply = {"text": text, "reply": {"in_reply_to_tweet_id": record.source.post_id}}
        _, created, _ = http.send_json("POST", f"{base}/2/tweets", ok=(200, 201), json=reply)
    post_id = str((created.get("data") or {}).get("id") or "")
    if not post_id.isdigit():
        raise SourceError("x: the reply was posted but X gave no id for it")
    account = config.handles.get("x", "").lstrip("@") or "i"  # x.com/i/status/ID works for any account
    return SentReply(f"https://x.com/{account}/status/{post_id}", post_id, now_utc())


# The HTML card's mark: X logo from Simple Icons (icons/x.svg, CC0 1.0); the brand toolkit:
# https://about.x.com/en/who-we-are/brand-toolkit. A trademark of its owner: CC0 covers the
# drawing, not the mark.
MARK_PATH = (
    "M18.9 0h3.7l-8 10.2L24 24h-7.4l-5.8-8.4L4.2 24H.5l8.6-10.9L0 0h7.6l5.2 7.7L18.9 0zm-1.3 21.6h2L6.5 2"
    ".3H4.3l13.3 19.3z"
)


def compose_url(record: Testimonial, text: str, config: Config, env: Mapping[str, str]) -> str | None:
    """X's web intent: the reply to the post, prepared, for a person to post."""
    if not record.source.post_id:
        return None
    return f"https://x.com/intent/tweet?in_reply_to={quote(record.source.post_id)}&text={quote(text, safe='')}"


PLATFORM = Platform(
    name="x",
    label="X",
    mark=Mark("#0F1419", "X", monochrome=True, path=MARK_PATH),
    sources={"x": X, "x-archive": XArchive},
    url_help=("https://x.com/USER/status/ID        X (twitter.com too; oEmbed when no X token is set)",),
    source_example='{name: bird, type: x, queries: ["$brand -is:retweet"]}',
    source_example_env=TOKEN.env,
    reads_url=is_post_url,
    adapter_for_url=adapter_for_url,
    canonical_url=canonical_url,
    token=TOKEN,
    reply_limit=REPLY_LIMIT,
    count=post_length,
    send_reply=send_reply,
    compose_url=compose_url,
    compose_replies=True,
)
