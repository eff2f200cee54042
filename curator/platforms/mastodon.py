"""Mastodon (one instance per source): hashtag timelines, accounts' posts, mentions, one post by
URL, threads, and the permission request posted as a reply from the brand's account.

Pagination follows the ``Link`` header (``rel="next"`` walks to older posts); the cursor keeps
the newest status id seen per timeline, and paging stops once it reaches it.

Replying needs ``CURATOR_MASTODON_TOKEN`` (scopes ``write:statuses read:search``); the brand's
server comes from ``handles.mastodon`` (``CURATOR_MASTODON_URL`` overrides it).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import TYPE_CHECKING, Any, ClassVar
from collections.abc import Iterator, Mapping
from urllib.parse import quote, urlsplit

from slugify import slugify

from ..errors import CuratorError, SourceError
from ..identity import record_id
from ..model import Testimonial, ThreadPost, now_utc, parse_timestamp
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
    newer,
    origin,
    reply_url,
    same_origin,
    sending_http,
    Wanted,
)
from .text import html_to_text, is_http_url

if TYPE_CHECKING:
    from ..config import Config

TOKEN = Token("CURATOR_MASTODON_TOKEN", old="MASTODON_TOKEN", purpose="an access token of the brand's Mastodon account")
REPLY_LIMIT = 500
URL_LENGTH = 23  # every URL counts as 23 characters

PUBLIC = ("public", "unlisted")
URL_FORMS = (
    re.compile(r"^/@(?P<user>[^/@]+)(@[^/]+)?/(?P<id>\d+)/?$"),
    re.compile(r"^/users/(?P<user>[^/]+)/statuses/(?P<id>\d+)/?$"),
)


def status_id_from_url(url: str) -> str | None:
    path = urlsplit(url).path
    for form in URL_FORMS:
        match = form.match(path)
        if match:
            return match.group("id")
    return None


class Mastodon(Adapter):
    platform = "mastodon"
    options: ClassVar[dict[str, Any]] = {
        "instance": {"$ref": "#/$defs/baseUrl"},
        "hashtags": {"type": "array", "items": {"type": "string", "pattern": "^#?[^\\s#]+$"}},
        "accounts": {"type": "array", "items": {"type": "string", "pattern": "^@?[^\\s@]+(@[^\\s@]+)?$"}},
        "mentions": {"type": "boolean"},
        "token_env": {"$ref": "#/$defs/envName"},
    }
    required_options = ("instance",)

    def __init__(self, spec: SourceSpec, http: HttpFactory = default_http):
        super().__init__(spec, http)
        self.base = base_url(spec.options.get("instance", "mastodon.social"))
        self.host = urlsplit(self.base).netloc
        # Only the token `token_env` names: a source may read another server than the brand's.
        token = spec.token()
        if token:
            self.http.authorize(self.base, token)

    # --- pulling -------------------------------------------------------------------------------

    def pull(self, cursor: dict[str, str]) -> Iterator[list[Fetched]]:
        for hashtag in self.spec.options.get("hashtags", []):
            tag = hashtag.lstrip("#")
            url = f"{self.base}/api/v1/timelines/tag/{quote(tag)}?limit=40"
            yield from self._timeline(url, f"tag:{tag.lower()}", cursor)
        for acct in self.spec.options.get("accounts", []):
            account_id = self._lookup(acct.lstrip("@"))
            url = f"{self.base}/api/v1/accounts/{account_id}/statuses?limit=40&exclude_reblogs=true"
            yield from self._timeline(url, f"account:{acct.lstrip('@').lower()}", cursor)
        if self.spec.options.get("mentions"):
            self.spec.token(required_for="mentions (the brand account's notifications)")
            url = f"{self.base}/api/v1/notifications?types[]=mention&limit=40"
            yield from self._timeline(url, "mentions", cursor, unwrap="status")

    def _timeline(
        self, url: str, key: str, cursor: dict[str, str], unwrap: str | None = None
    ) -> Iterator[list[Fetched]]:
        since, newest = cursor.get(key), cursor.get(key)
        if since:
            url += f"&since_id={since}"
        for _ in range(self.max_pages):
            _, items, response = self.http.get_json(url)
            if not isinstance(items, list):
                raise SourceError(f"{self.name}: {url.split('?')[0]} did not return a list")
            fresh = [item for item in items if isinstance(item, dict) and newer(str(item.get("id")), since)]
            for item in fresh:
                newest = str(item["id"]) if newer(str(item["id"]), newest) else newest
            statuses = [item.get(unwrap) if unwrap else item for item in fresh]
            yield self.each_post([s for s in statuses if isinstance(s, dict)], self._fetched)
            next_url = response.links.get("next", {}).get("url")
            if not fresh or len(fresh) < len(items) or not next_url:
                break
            url = self._same_origin(next_url)
        if newest:
            cursor[key] = newest

    def _same_origin(self, next_url: str) -> str:
        """A page link must stay on the instance: another host or scheme is refused, not fetched
        (it would be a request the instance chose for us, and would see what we send)."""
        if not same_origin(next_url, self.base):
            raise SourceError(f"{self.name}: the next page is on {origin(next_url)!r}, not {self.base}; not followed")
        return next_url

    def _lookup(self, acct: str) -> str:
        _, account, _ = self.http.get_json(f"{self.base}/api/v1/accounts/lookup?acct={quote(acct)}")
        return str(account["id"])

    # --- one post, thread, re-check --------------------------------------------------------------

    def fetch_url(self, url: str) -> Fetched:
        status_id = status_id_from_url(url)
        if status_id is None:
            raise SourceError(f"{url}: not a Mastodon post URL (expected https://host/@user/ID)")
        status, data, _ = self.http.get_json(f"{self.base}/api/v1/statuses/{status_id}", ok=(200, 404, 401, 403))
        if status != 200:
            raise SourceError(f"{url}: the post is gone or not public (HTTP {status})")
        fetched = self._fetched(data)
        if fetched is None:
            raise SourceError(f"{url}: {self.notes[-1] if self.notes else 'not a public post'}")
        return fetched

    def thread(self, record: Testimonial) -> list[ThreadPost]:
        _, context, _ = self.http.get_json(f"{self.base}/api/v1/statuses/{record.source.post_id}/context")
        statuses = list(context.get("ancestors", [])) + list(context.get("descendants", []))
        # Every visibility the API lets us see: a #No is a #No even in a direct message.
        return [thread_post(s) for s in statuses if isinstance(s, dict)]

    def upstream_status(self, records: list[Testimonial]) -> dict[str, str]:
        result = {}
        for record in records:
            # a post this instance knows by its own id; otherwise the id in its URL on its home server
            status_id = record.source.post_id if self.owns(record) else status_id_from_url(record.source.url or "")
            if status_id is None:
                continue
            status, data, _ = self.http.get_json(
                f"{self.base}/api/v1/statuses/{status_id}", ok=(200, 401, 403, 404, 410)
            )
            if status in (404, 410):
                result[record.id] = DELETED
            elif status != 200 or not _public(data):
                result[record.id] = PRIVATE
            else:
                result[record.id] = LIVE
                self.signals[record.id] = status_signals(data)
                if edited_since(data, record.source.fetched_at):
                    self.keep_current(record.id, data, self._fetched)
        return result

    def owns(self, record: Testimonial) -> bool:
        return record.source.platform == self.platform and record.id.startswith(slugify(f"mastodon-{self.host}") + "-")

    @classmethod
    def token_need(cls, spec: SourceSpec) -> TokenNeed | None:
        mentions = bool(spec.options.get("mentions"))
        if not (mentions or spec.options.get("token_env")):
            return None
        return spec.token_need(None, mentions, "mentions need a read:notifications token")

    # --- normalising -----------------------------------------------------------------------------

    def _fetched(self, status: dict[str, Any]) -> Fetched | None:
        shown = f"{self.name}: status {status.get('id')}"
        if isinstance(status.get("reblog"), dict):
            original = status["reblog"].get("url") or status["reblog"].get("uri")
            self.notes.append(f"{shown}: skipped, a boost (repost) of {original}; add that post instead")
            return None
        if status.get("visibility") not in PUBLIC:
            self.notes.append(f"{shown}: skipped, visibility {status.get('visibility')}")
            return None
        account = status.get("account") or {}
        text, entities = html_to_text(status.get("content", ""))
        attachments = status.get("media_attachments") or []
        if unshown := [m.get("type") for m in attachments if m.get("type") not in MEDIA_TYPES]:
            self.notes.append(f"{shown}: skipped, it has {', '.join(map(str, unshown))} media, which cards cannot show")
            return None
        quote = self._quote(status.get("quote"))
        record = self.make_record(
            {
                "id": record_id("mastodon", str(status.get("id")), self.host),
                "source": {
                    "platform": "mastodon",
                    "url": status.get("url") or status.get("uri"),
                    "post_id": str(status.get("id")),
                    "fetched_at": now_utc(),
                },
                "author": {
                    "id": str(account.get("id")),
                    "name": account.get("display_name") or account.get("username") or "",
                    "handle": full_handle(account.get("acct", ""), self.host),
                    "url": account.get("url"),
                    "verified": False,
                },
                "posted_at": status.get("created_at"),
                "lang": status.get("language"),
                "text": text,
                "entities": entity_dicts(entities),
                **_shown_besides_text(status, quote, self.host),
                "metrics": {
                    "likes": status.get("favourites_count", 0),
                    "reposts": status.get("reblogs_count", 0),
                    "replies": status.get("replies_count", 0),
                },
                "upstream": {"status": LIVE, "checked_at": now_utc(), "signals": status_signals(status)},
            },
            shown,
        )
        if record is None:
            return None
        quoted: dict[str, Any] = quote["quoted_status"] if quote else {}
        return Fetched(
            record,
            account.get("avatar_static") or account.get("avatar"),
            media=_wanted(status.get("media_attachments")),
            quote_media=_wanted(quoted.get("media_attachments")) if quoted else [],
            link_image=Wanted(card["image"]) if (card := _card(status)) and is_http_url(card.get("image")) else None,
            emoji=_emoji(status, record, quoted),
        )

    def _quote(self, quote: Any) -> dict[str, Any] | None:
        """Mastodon 4.4+: a quote the quoted author accepted, with the quoted status (a pending,
        revoked or deleted quote shows no post; its "RE:" placeholder is dropped all the same).
        A shallow quote (``quoted_status_id`` only, as a quote inside a quote is sent) is looked up."""
        if not isinstance(quote, dict) or quote.get("state") != "accepted":
            return None
        if not isinstance(quote.get("quoted_status"), dict) and str(quote.get("quoted_status_id", "")).isdigit():
            url = f"{self.base}/api/v1/statuses/{quote['quoted_status_id']}"
            status, found, _ = self.http.get_json(url, ok=(200, 401, 403, 404, 410))
            quote = {**quote, "quoted_status": found} if status == 200 and _public(found) else quote
        return quote if isinstance(quote.get("quoted_status"), dict) else None


# A Mastodon attachment type → what the record keeps (a video or GIF is kept as its poster frame).
MEDIA_TYPES = {"image": "image", "video": "video", "gifv": "gif"}
SHORTCODE = re.compile(r"[A-Za-z0-9_]{1,100}")


def _wanted(attachments: Any) -> list[Wanted]:
    """The files to copy: an image's original, a video's or GIF's preview (its poster frame)."""
    wanted = []
    for item in attachments or []:
        kind = MEDIA_TYPES[item["type"]]
        copy_from = item.get("url") if kind == "image" else item.get("preview_url")
        original = item.get("remote_url") or item.get("url")
        wanted.append(Wanted(str(copy_from), kind, item.get("description") or "", original))
    return wanted


def _shown_besides_text(status: dict[str, Any], quote: dict[str, Any] | None, host: str) -> dict[str, Any]:
    """Content warning, poll, quoted post and link card as record fields (media and emoji are
    added once their files are stored)."""
    shown: dict[str, Any] = {}
    if status.get("spoiler_text"):
        shown["warning"] = status["spoiler_text"]
    if isinstance(poll := status.get("poll"), dict) and poll.get("options"):
        shown["poll"] = {
            "options": [{"title": o.get("title", ""), "votes": o.get("votes_count")} for o in poll["options"]],
            "closed": bool(poll.get("expired")),
            "ends_at": poll.get("expires_at"),
            "voters": poll.get("voters_count"),
        }
    if quote:
        quoted = quote["quoted_status"]
        account = quoted.get("account") or {}
        quoted_text, _ = html_to_text(quoted.get("content", ""))
        shown["quote"] = {
            "author": {
                "id": str(account.get("id")),
                "name": account.get("display_name") or account.get("username") or "",
                "handle": full_handle(str(account.get("acct", "")), host),
                "url": account.get("url") if is_http_url(account.get("url")) else None,
            },
            "text": quoted_text,
            "url": next((u for u in (quoted.get("url"), quoted.get("uri")) if is_http_url(u)), None),
            "posted_at": quoted.get("created_at"),
        }
    if card := _card(status):
        shown["link"] = {key: card.get(key) or "" for key in ("url", "title", "description")}
    return shown


def _card(status: dict[str, Any]) -> dict[str, Any] | None:
    card = status.get("card")
    return card if isinstance(card, dict) and is_http_url(card.get("url")) else None


def _emoji(status: dict[str, Any], record: Testimonial, quoted: dict[str, Any]) -> dict[str, str]:
    """Custom emoji the post shows (in its text, warning, poll, quoted post or author's name):
    shortcode → the static image (an animated emoji's first frame)."""
    sources = [status, status.get("poll") or {}, status.get("account") or {}]
    if quoted:
        sources += [quoted, quoted.get("account") or {}]
    shown = " ".join(
        [record.text, record.warning or "", record.author.name]
        + [option.title for option in (record.poll.options if record.poll else [])]
        + ([record.quote.text, record.quote.author.name] if record.quote else [])
    )
    found: dict[str, str] = {}
    for source in sources:
        for emoji in source.get("emojis") or []:
            code, url = emoji.get("shortcode"), emoji.get("static_url") or emoji.get("url")
            if isinstance(code, str) and SHORTCODE.fullmatch(code) and f":{code}:" in shown and is_http_url(url):
                found.setdefault(code, url)
    return found


def _public(status: Any) -> bool:
    """Public and its account not suspended; an answer of another shape cannot show that."""
    if not isinstance(status, dict) or status.get("visibility") not in PUBLIC:
        return False
    account = status.get("account") or {}
    return isinstance(account, dict) and not account.get("suspended")


def edited_since(status: dict[str, Any], fetched_at: str | None) -> bool:
    """Whether the author edited ``status`` after curator last took its content: Mastodon edits
    a post in place and says when (``edited_at``). Only such a post is compared again, so an
    upgrade of curator's own reading of posts never looks like an author's edit."""
    edited = status.get("edited_at")
    if not isinstance(edited, str) or not edited:
        return False
    try:
        return fetched_at is None or parse_timestamp(edited) > parse_timestamp(fetched_at)
    except ValueError:
        return True  # a date that does not parse: compare, the content decides


def status_signals(status: dict[str, Any]) -> list[str]:
    """The author's signals for one status: their account's, and ``noquote`` when the post's
    quote policy (``quote_approval``, Mastodon 4.5) lets nobody outside their followers quote it."""
    approval = status.get("quote_approval")  # absent before 4.5: no policy said
    closed = isinstance(approval, dict) and not any(
        "public" in (approval.get(how) or []) for how in ("automatic", "manual")
    )
    return account_signals(status.get("account") or {}) + (["noquote"] if closed else [])


BIO_SIGNALS = re.compile(r"(?<![\w#])#(nobot|noquote)(?!\w)")


def account_signals(account: dict[str, Any]) -> list[str]:
    """The author's opt-outs as their account says them: ``indexable: false`` (posts kept out of
    search) or ``noindex: true`` (profile kept out of search engines) mean ``noindex``; the
    ``#nobot`` and ``#noquote`` hashtags in the bio (its HTML ``note``, any case or width)."""
    found = ["noindex"] if account.get("indexable") is False or account.get("noindex") is True else []
    bio, _ = html_to_text(account.get("note") or "")
    found += BIO_SIGNALS.findall(unicodedata.normalize("NFKC", bio).casefold())
    return found


def full_handle(acct: str, host: str) -> str:
    """``@user@instance`` for local and remote accounts alike."""
    return f"@{acct}" if "@" in acct else f"@{acct}@{host}"


def thread_post(status: dict[str, Any]) -> ThreadPost:
    text, entities = html_to_text(status.get("content", ""))
    account = status.get("account") or {}
    return ThreadPost(
        post_id=str(status.get("id")),
        url=status.get("url"),
        author_id=str(account.get("id")),
        author_handle="@" + account.get("acct", ""),
        text=text,
        posted_at=status.get("created_at", ""),
        in_reply_to=status.get("in_reply_to_id"),
        entities=entities,
        public=status.get("visibility") in PUBLIC,
    )


def is_post_url(url: str) -> bool:
    return urlsplit(url).scheme in ("http", "https") and status_id_from_url(url) is not None


def adapter_for_url(url: str, specs: list[SourceSpec], http: HttpFactory = default_http) -> Mastodon:
    """The configured source on the post's instance, else an ad-hoc one for that instance."""
    host = urlsplit(url).netloc
    for spec in specs:
        if spec.type == "mastodon" and urlsplit(base_url(spec.options.get("instance", ""))).netloc == host:
            return Mastodon(spec, http)
    return Mastodon(SourceSpec(name=host, type="mastodon", options={"instance": origin(url)}), http)


# --- the permission request ------------------------------------------------------------------------


def post_length(text: str) -> int:
    """What Mastodon counts: code points, every URL as 23, a mention without its domain."""
    import regex  # here: only `ask` needs it, and it costs the other commands their start-up

    counted = regex.sub(r"https?://\S+", "0" * URL_LENGTH, text)
    return len(regex.sub(r"(?<!\w)(@\w+)@[\w.-]+\w", r"\1", counted))


def _brand_server(config: Config, env: Mapping[str, str]) -> str:
    if env.get("CURATOR_MASTODON_URL"):
        return env["CURATOR_MASTODON_URL"].rstrip("/")
    match = re.fullmatch(r"@?[\w.]+@([\w.-]+)", config.handles.get("mastodon", ""))
    if not match:
        raise CuratorError("set handles.mastodon in mkdocs.yml (e.g. '@acme@mastodon.social') or CURATOR_MASTODON_URL")
    return f"https://{match.group(1)}"


def send_reply(record: Testimonial, text: str, config: Config, env: Mapping[str, str]) -> SentReply:
    """Post ``text`` as the brand's reply to ``record``'s post."""
    base = _brand_server(config, env)
    token = TOKEN.require(env)
    with sending_http("mastodon") as http:
        http.authorize(base, token)
        # A status has a different id on every server: find the brand server's copy of the post.
        if record.source.url and urlsplit(record.source.url).netloc == urlsplit(base).netloc:
            local_id = record.source.post_id
        else:
            query = {"q": record.source.url, "type": "statuses", "resolve": "true", "limit": 1}
            _, found, _ = http.get_json(f"{base}/api/v2/search", params=query)
            statuses = found.get("statuses") or []
            if not statuses:
                raise SourceError(f"mastodon: {base} could not find {record.source.url}; is the post still public?")
            local_id = statuses[0]["id"]
        # Mastodon drops a second POST with the same key: a retried request posts once.
        idempotency = hashlib.sha256(f"{record.id}\n{text}".encode()).hexdigest()
        _, status, _ = http.send_json(
            "POST",
            f"{base}/api/v1/statuses",
            headers={"Idempotency-Key": idempotency},
            data={"status": text, "in_reply_to_id": local_id},
        )
    return SentReply(reply_url(status.get("url"), "mastodon"), str(status.get("id")), now_utc())


# The HTML card's mark: Mastodon logo from Simple Icons (icons/mastodon.svg, CC0 1.0); trademark
# policy: https://joinmastodon.org/trademark. A trademark of its owner: CC0 covers the drawing,
# not the mark.
MARK_PATH = (
    "M23.1932 7.8795c0-5.2063-3.4112-6.7324-3.4112-6.7324C18.062.357 15.1077.025 12.0405 0h-.076C8.8963.0"
    "25 5.9442.357 4.2241 1.147c0 0-3.4112 1.5262-3.4112 6.7325 0 1.192-.023 2.6181.015 4.1292.124 5.0923"
    ".934 10.1096 5.6413 11.3557 2.1701.574 4.0342.695 5.5353.612 2.7222-.15 4.2503-.972 4.2503-.972l-.09"
    "-1.9751s-1.9451.613-4.1293.539c-2.165-.074-4.4492-.233-4.7992-2.8912a5.4993 5.4993 0 01-.048-.745s2."
    "125.52 4.8172.643c1.6461.075 3.1902-.097 4.7583-.283 3.0072-.359 5.6254-2.2121 5.9544-3.9052.517-2.6"
    "652.475-6.5074.475-6.5074zm-4.0242 6.7094h-2.4972V8.4695c0-1.29-.543-1.9441-1.628-1.9441-1.2002 0-1."
    "8022.776-1.8022 2.3121v3.3492h-2.4831V8.8365c0-1.536-.602-2.3121-1.8021-2.3121-1.0851 0-1.6281.655-1"
    ".6281 1.9441v6.1194H4.831V8.2845c0-1.289.328-2.3131.987-3.0702.6801-.758 1.5692-1.146 2.6742-1.146 1"
    ".2781 0 2.2462.491 2.8862 1.474l.621 1.0431.622-1.043c.6401-.9831 1.6082-1.4742 2.8862-1.4742 1.1041"
    " 0 1.9942.388 2.6742 1.1461.658.757.986 1.7811.986 3.0702v6.3044z"
)


def compose_url(record: Testimonial, text: str, config: Config, env: Mapping[str, str]) -> str | None:
    """The brand's instance's share page with the text (a new post: paste it as the reply)."""
    try:
        base = _brand_server(config, env)
    except CuratorError:
        return None  # no brand account known: the text alone is printed
    return f"{base}/share?text={quote(text, safe='')}"


PLATFORM = Platform(
    name="mastodon",
    label="Mastodon",
    mark=Mark("#6364FF", "M", path=MARK_PATH),
    sources={"mastodon": Mastodon},
    url_help=("https://HOST/@USER/ID               Mastodon (any instance)",),
    source_example="{name: fedi, type: mastodon, instance: mastodon.social, hashtags: [$tag]}",
    reads_url=is_post_url,
    adapter_for_url=adapter_for_url,
    token=TOKEN,
    reply_limit=REPLY_LIMIT,
    count=post_length,
    reply_mentions_author=True,
    send_reply=send_reply,
    compose_url=compose_url,
)
