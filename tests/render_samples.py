"""Fictitious test records for the card renderer tests (people and brands are made up)."""
from __future__ import annotations

import re

from curator.identity import content_version
from curator.model import Testimonial

_ENTITY = re.compile(r"(?P<url>https?://\S+)|(?P<hashtag>#\w+)|(?P<mention>@\w+)")


def entities(text: str) -> list[dict]:
    found = []
    for match in _ENTITY.finditer(text):
        kind = match.lastgroup
        entity = {"type": kind, "start": match.start(), "end": match.end()}
        if kind == "url":
            entity |= {"url": match.group(), "display": match.group().split("://", 1)[1]}
        found.append(entity)
    return found


def record(record_id: str, text: str, lang: str = "en", name: str = "Mira Quill", handle: str = "@mira@social.example",
           platform: str = "mastodon", scope=("web", "embed", "print", "social"), **extra) -> Testimonial:
    data = {
        "id": record_id,
        "source": {"platform": platform, "url": f"https://social.example/@mira/{record_id}", "post_id": record_id,
                   "version": None},
        "author": {"name": name, "id": f"author-{record_id}", "handle": handle, "verified": extra.pop("verified", False)},
        "posted_at": "2026-03-03T10:24:00Z",
        "lang": lang,
        "text": text,
        "entities": entities(text),
        "review": {"status": "approved", "by": "^JD", "at": "2026-03-04T09:00:00Z"},
        "permission": {"status": "granted", "scope": list(scope), "method": "reply",
                       "granted_at": "2026-03-04T08:00:00Z", "evidence_url": "https://social.example/@mira/2"},
        **extra,
    }
    made = Testimonial.from_dict(data)
    made.source.version = content_version(made)  # consented to as it is
    return made


JAPANESE_280 = ("このツールを導入してから、チームのドキュメント作成がとても楽になりました。"
                "「最高」としか言いようがありません！設定は五分で終わり、サポートも丁寧でした。") * 4
JAPANESE_280 = JAPANESE_280[:280]
TEXT_280 = ("Honestly the best purchase we made this year. Setup was quick, the docs are clear, and support "
            "answered within the hour. We moved three teams over in a week and nobody asked to go back. The cards "
            "look great on our site too. Thanks for building something this calm and fast!! #acme")
SAMPLES = {
    "en-emoji": record("en-emoji", "Switched our whole docs pipeline to @acme last week and builds dropped from 9 min "
                                   "to 40 s 🤩🔥 #devtools https://acme.example/launch", verified=True),
    "ja": record("ja", "新しいカードがとても素敵です。チーム全員が気に入っています！🎉 #acme", lang="ja", name="山田 花子",
                 handle="@hanako"),
    "ar": record("ar", "منتج رائع جدا! أنصح به للجميع 100٪ شكرا @acme", lang="ar", name="ليلى حسن",
                 handle="@layla"),
    "hi": record("hi", "यह उत्पाद बहुत अच्छा है। हमारी टीम को क्षमता और गति दोनों पसंद आए। #acme", lang="hi",
                 name="अनीता शर्मा", handle="@anita"),
    "zwj-family": record("zwj-family", "Our whole family uses it now 👨‍👩‍👧 👍🏽 🇯🇵 1️⃣", platform="bluesky",
                         handle="@family.example"),
    "long-280": record("long-280", TEXT_280,
                       platform="x", handle="@quill", disclosure="Received a free sample"),
    "long-url": record("long-url", "Read the write-up: https://acme.example/blog/2026/03/how-we-cut-our-build-times-"
                                   "from-nine-minutes-to-forty-seconds-with-acme-and-a-little-patience?utm_source=x"),
}
