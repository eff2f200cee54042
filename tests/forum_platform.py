"""A platform added the way a separate package would add one: this module plus one registry
line (``curator.platforms.MODULES`` here; an entry point in the ``curator.platforms`` group for
a package). It reads a Discourse-shaped forum: ``/search.json`` and ``/posts/ID.json``, post
URLs ``https://SITE/p/ID``. tests/test_platforms.py registers it and runs the whole flow.
"""
from __future__ import annotations

import re
from typing import Any, ClassVar
from collections.abc import Iterator
from urllib.parse import quote, urlsplit

from curator.errors import SourceError
from curator.identity import record_id
from curator.model import Testimonial, now_utc
from curator.platforms import Mark, Platform
from curator.platforms.base import (DELETED, LIVE, Adapter, Fetched, HttpFactory, SourceSpec, base_url, default_http,
                                    entity_dicts, newer, origin)
from curator.platforms.text import html_to_text

POST_PATH = re.compile(r"^/p/(?P<id>\d+)/?$")


class Forum(Adapter):
    platform = "forum"
    options: ClassVar[dict[str, Any]] = {"site": {"$ref": "#/$defs/baseUrl"}, "queries": {"$ref": "#/$defs/queries"}}
    required_options = ("site",)

    def __init__(self, spec: SourceSpec, http: HttpFactory = default_http):
        super().__init__(spec, http)
        self.site = base_url(spec.options["site"])
        self.host = urlsplit(self.site).netloc

    def pull(self, cursor: dict[str, str]) -> Iterator[list[Fetched]]:
        for query in self.spec.options.get("queries", []):
            key = f"q:{query}"
            _, data, _ = self.http.get_json(f"{self.site}/search.json?q={quote(query + ' order:latest')}")
            posts = [post for post in data.get("posts", []) if newer(str(post.get("id")), cursor.get(key))]
            yield self.each_post(posts, self._fetched)
            if posts:
                cursor[key] = str(max(int(post["id"]) for post in posts))

    def fetch_url(self, url: str) -> Fetched:
        match = POST_PATH.match(urlsplit(url).path)
        if match is None:
            raise SourceError(f"{url}: not a forum post URL (expected https://SITE/p/ID)")
        _, post, _ = self.http.get_json(f"{self.site}/posts/{match.group('id')}.json")
        fetched = self._fetched(post)
        if fetched is None:
            raise SourceError(f"{url}: {self.notes[-1]}")
        return fetched

    def upstream_status(self, records: list[Testimonial]) -> dict[str, str]:
        found = {}
        for record in records:
            status, _, _ = self.http.get_json(f"{self.site}/posts/{record.source.post_id}.json", ok=(200, 404))
            found[record.id] = LIVE if status == 200 else DELETED
        return found

    def _fetched(self, post: dict[str, Any]) -> Fetched | None:
        text, entities = html_to_text(post.get("cooked", ""))
        username = post.get("username", "")
        record = self.make_record({
            "id": record_id("forum", str(post["id"]), self.host),
            "source": {"platform": "forum", "url": f"{self.site}/p/{post['id']}", "post_id": str(post["id"]),
                       "fetched_at": now_utc()},
            "author": {"id": str(post.get("user_id")), "name": post.get("name") or username, "handle": f"@{username}",
                       "url": f"{self.site}/u/{username}", "verified": False},
            "posted_at": post.get("created_at"), "lang": None, "text": text, "entities": entity_dicts(entities),
        }, f"{self.name}: post {post.get('id')}")
        avatar = post.get("avatar_template", "").replace("{size}", "96")
        return Fetched(record, self.site + avatar if avatar else None) if record else None


def is_post_url(url: str) -> bool:
    return urlsplit(url).scheme in ("http", "https") and POST_PATH.match(urlsplit(url).path) is not None


def adapter_for_url(url: str, specs: list[SourceSpec], http: HttpFactory = default_http) -> Forum:
    host = urlsplit(url).netloc
    spec = next((s for s in specs if s.type == "forum" and urlsplit(base_url(s.options["site"])).netloc == host), None)
    return Forum(spec or SourceSpec(name=host, type="forum", options={"site": origin(url)}), http)


PLATFORM = Platform(
    name="forum", label="Forum", mark=Mark("#2E7D32", "F"), sources={"forum": Forum},
    url_help=("https://SITE/p/ID                    a forum post",),
    reads_url=is_post_url, adapter_for_url=adapter_for_url,
)
