"""The only writes curator makes to a platform: the permission request, posted as a reply.

One function per platform's write API, each with a ``requests`` session that retries only
what cannot have been posted (HTTP 429/503 and failed connections, never a lost response),
and with timeouts. Tokens come from the environment; base URLs can be overridden (tests,
self-hosted servers):

| platform | needs | base URL (override) |
|---|---|---|
| Mastodon | ``CURATOR_MASTODON_TOKEN`` (scope ``write:statuses read:search``) | the brand's instance from ``handles.mastodon`` (``CURATOR_MASTODON_URL``) |
| Bluesky | ``CURATOR_BLUESKY_APP_PASSWORD`` (+ ``CURATOR_BLUESKY_HANDLE`` or ``handles.bluesky``) | ``https://bsky.social`` (``CURATOR_BLUESKY_URL``) |
| X | ``CURATOR_X_TOKEN`` (OAuth 2.0 user token, ``tweet.write``) | ``https://api.x.com`` (``CURATOR_X_URL``) |
"""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping
from urllib.parse import urlsplit

from .config import Config
from .errors import CuratorError, SourceError
from .model import Testimonial
from .moderation import now_utc

if TYPE_CHECKING:
    import requests

TIMEOUT = (5, 30)  # connect, read (seconds)
USER_AGENT = "curator (testimonial permission request)"


@dataclass(frozen=True)
class SentReply:
    url: str  # the public URL of the brand's reply: permission.request_url
    post_id: str
    sent_at: str


def _session() -> requests.Session:
    # Imported here: requests costs every curator command 0.1 s of start-up, and only sending needs it.
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.util.retry import Retry

    # read=0: after a lost response the post may exist; retrying could ask the author twice.
    retry = Retry(total=3, connect=3, read=0, status=3, backoff_factor=0.5, status_forcelist=(429, 503),
                  allowed_methods=frozenset({"GET", "POST"}), respect_retry_after_header=True,
                  raise_on_status=False)
    session = requests.Session()
    session.mount("http://", HTTPAdapter(max_retries=retry))
    session.mount("https://", HTTPAdapter(max_retries=retry))
    session.headers["User-Agent"] = USER_AGENT
    return session


def _bearer(base: str, token: str, platform: str) -> requests.auth.AuthBase:
    """The token for ``base`` only, and only over https (as for pulling: curator.sources.http)."""
    from .sources.http import BearerFor

    return BearerFor(base, token, platform)


def _call(session: requests.Session, platform: str, method: str, url: str, **kwargs: Any) -> dict:
    import requests

    try:
        response = session.request(method, url, timeout=TIMEOUT, **kwargs)
    except requests.RequestException as err:
        raise SourceError(f"{platform}: {method} {url} failed: {err.__class__.__name__}") from None
    if not response.ok:
        raise SourceError(f"{platform}: {method} {urlsplit(url).path} answered HTTP {response.status_code}: "
                          f"{_error_message(response)}")
    try:
        return response.json()
    except ValueError:
        raise SourceError(f"{platform}: {method} {urlsplit(url).path} did not answer JSON") from None


def _error_message(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.reason or "no details"
    if isinstance(body, dict):
        for key in ("error_description", "error", "message", "detail", "title"):
            if isinstance(body.get(key), str):
                return body[key][:200]
    return response.reason or "no details"


def _need(env: Mapping[str, str], name: str, why: str) -> str:
    value = env.get(name, "").strip()
    if not value:
        raise CuratorError(f"set the environment variable {name} ({why}) to send requests; nothing was sent")
    return value


def _web_url(value: Any, platform: str) -> str:
    if not isinstance(value, str) or not value.startswith(("https://", "http://")):
        raise SourceError(f"{platform}: the reply was posted but the server gave no http(s) URL for it")
    return value


def send_reply(record: Testimonial, text: str, config: Config, env: Mapping[str, str] | None = None) -> SentReply:
    """Post ``text`` as a reply to ``record``'s post; return where it was published."""
    env = os.environ if env is None else env
    senders = {"mastodon": _send_mastodon, "bluesky": _send_bluesky, "x": _send_x}
    platform = record.source.platform
    if platform not in senders:
        raise CuratorError(f"{record.id}: came from {platform}, which has no reply API; ask by email or DM and "
                           "record the answer with `curator grant ID --evidence URL --method email`")
    return senders[platform](record, text, config, env)


# --- Mastodon ----------------------------------------------------------------------------------


def _mastodon_base(config: Config, env: Mapping[str, str]) -> str:
    if env.get("CURATOR_MASTODON_URL"):
        return env["CURATOR_MASTODON_URL"].rstrip("/")
    handle = config.handles.get("mastodon", "")
    match = re.fullmatch(r"@?[\w.]+@([\w.-]+)", handle)
    if not match:
        raise CuratorError("set handles.mastodon in mkdocs.yml (e.g. '@acme@mastodon.social') or CURATOR_MASTODON_URL")
    return f"https://{match.group(1)}"


def _send_mastodon(record: Testimonial, text: str, config: Config, env: Mapping[str, str]) -> SentReply:
    base = _mastodon_base(config, env)
    token = _need(env, "CURATOR_MASTODON_TOKEN", "an access token of the brand's Mastodon account")
    session = _session()
    session.auth = _bearer(base, token, "mastodon")
    # A status has a different id on every server: find the brand server's copy of the post.
    if record.source.url and urlsplit(record.source.url).netloc == urlsplit(base).netloc:
        local_id = record.source.post_id
    else:
        found = _call(session, "mastodon", "GET", f"{base}/api/v2/search",
                      params={"q": record.source.url, "type": "statuses", "resolve": "true", "limit": 1})
        statuses = found.get("statuses") or []
        if not statuses:
            raise SourceError(f"mastodon: {base} could not find {record.source.url}; is the post still public?")
        local_id = statuses[0]["id"]
    idempotency = hashlib.sha256(f"{record.id}\n{text}".encode()).hexdigest()  # Mastodon drops a duplicate POST
    status = _call(session, "mastodon", "POST", f"{base}/api/v1/statuses",
                   data={"status": text, "in_reply_to_id": local_id}, headers={"Idempotency-Key": idempotency})
    return SentReply(_web_url(status.get("url"), "mastodon"), str(status.get("id")), now_utc())


# --- Bluesky -----------------------------------------------------------------------------------

_BSKY_WEB = re.compile(r"https://bsky\.app/profile/([^/]+)/post/([^/?#]+)")


def _bluesky_facets(text: str) -> list[dict]:
    """Hashtags and links as facets (UTF-8 byte offsets), so they work in the Bluesky app."""
    facets = []
    for match in re.finditer(r"(?<![\w#])#(\w+)|https?://[^\s)]+", text):
        start = len(text[:match.start()].encode())
        end = start + len(match.group(0).encode())
        feature = ({"$type": "app.bsky.richtext.facet#tag", "tag": match.group(1)} if match.group(1)
                   else {"$type": "app.bsky.richtext.facet#link", "uri": match.group(0)})
        facets.append({"index": {"byteStart": start, "byteEnd": end}, "features": [feature]})
    return facets


def _send_bluesky(record: Testimonial, text: str, config: Config, env: Mapping[str, str]) -> SentReply:
    from .sources.http import is_secure

    base = env.get("CURATOR_BLUESKY_URL", "https://bsky.social").rstrip("/")
    identifier = env.get("CURATOR_BLUESKY_HANDLE") or config.handles.get("bluesky", "").lstrip("@")
    if not identifier:
        raise CuratorError("set handles.bluesky in mkdocs.yml or CURATOR_BLUESKY_HANDLE to send requests")
    password = _need(env, "CURATOR_BLUESKY_APP_PASSWORD", "an app password of the brand's Bluesky account")
    if not is_secure(base):
        raise SourceError(f"bluesky: refusing to send the app password to {base} over plain http; use https")
    session = _session()
    login = _call(session, "bluesky", "POST", f"{base}/xrpc/com.atproto.server.createSession",
                  json={"identifier": identifier, "password": password})
    session.auth = _bearer(base, login["accessJwt"], "bluesky")
    uri = _bluesky_uri(session, base, record)
    posts = _call(session, "bluesky", "GET", f"{base}/xrpc/app.bsky.feed.getPosts", params={"uris": uri}).get("posts") or []
    if not posts:
        raise SourceError(f"bluesky: {uri} was not found; is the post still there?")
    parent = {"uri": posts[0]["uri"], "cid": posts[0]["cid"]}
    root = (posts[0].get("record") or {}).get("reply", {}).get("root") or parent
    post = {"$type": "app.bsky.feed.post", "text": text, "createdAt": now_utc(),
            "reply": {"root": root, "parent": parent}, "facets": _bluesky_facets(text)}
    created = _call(session, "bluesky", "POST", f"{base}/xrpc/com.atproto.repo.createRecord",
                    json={"repo": login["did"], "collection": "app.bsky.feed.post", "record": post})
    rkey = str(created.get("uri", "")).rsplit("/", 1)[-1]
    return SentReply(f"https://bsky.app/profile/{login.get('handle') or login['did']}/post/{rkey}",
                     str(created.get("uri")), now_utc())


def _bluesky_uri(session: requests.Session, base: str, record: Testimonial) -> str:
    """The post's at-uri: stored as post_id, or built from its bsky.app URL."""
    if (record.source.post_id or "").startswith("at://"):
        return record.source.post_id
    match = _BSKY_WEB.match(record.source.url or "")
    if not match:
        raise CuratorError(f"{record.id}: needs an at:// post id or a bsky.app post URL to reply on Bluesky")
    actor, rkey = match.groups()
    if not actor.startswith("did:"):
        actor = _call(session, "bluesky", "GET", f"{base}/xrpc/com.atproto.identity.resolveHandle",
                      params={"handle": actor})["did"]
    return f"at://{actor}/app.bsky.feed.post/{rkey}"


# --- X -----------------------------------------------------------------------------------------


def _send_x(record: Testimonial, text: str, config: Config, env: Mapping[str, str]) -> SentReply:
    base = env.get("CURATOR_X_URL", "https://api.x.com").rstrip("/")
    token = _need(env, "CURATOR_X_TOKEN", "an OAuth 2.0 user token of the brand's X account with tweet.write")
    session = _session()
    session.auth = _bearer(base, token, "x")
    created = _call(session, "x", "POST", f"{base}/2/tweets",
                    json={"text": text, "reply": {"in_reply_to_tweet_id": record.source.post_id}})
    post_id = str((created.get("data") or {}).get("id") or "")
    if not post_id.isdigit():
        raise SourceError("x: the reply was posted but X gave no id for it")
    account = config.handles.get("x", "").lstrip("@") or "i"  # x.com/i/status/ID works for any account
    return SentReply(f"https://x.com/{account}/status/{post_id}", post_id, now_utc())
