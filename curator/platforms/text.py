"""Turning a platform's text into ``text`` + code-point entities (what the store keeps): the
helpers platforms share. Converters of one platform's own shapes live in its module.
Every converter ends with ``clean_entities`` so a bad offset from a client never reaches the store.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from ..model import Entity

ELLIPSIS = "…"
_BLOCKS = {"p", "li", "blockquote", "pre", "ul", "ol"}
# ``invisible``: the parts of a long link Mastodon hides; ``quote-inline``: the "RE: <link>"
# paragraph Mastodon 4.4+ writes for clients that cannot show a quoted post (we show it).
HIDDEN_CLASSES = {"invisible", "quote-inline"}


def is_http_url(url: str | None) -> bool:
    return url is not None and re.match(r"^https?://[^\s]+$", url) is not None


def clean_entities(text: str, entities: list[Entity]) -> list[Entity]:
    """Sorted, inside the text, non-overlapping, non-http links dropped (untrusted input)."""
    kept: list[Entity] = []
    for entity in sorted(entities, key=lambda e: (e.start, e.end)):
        if not (0 <= entity.start < entity.end <= len(text)):
            continue
        if kept and entity.start < kept[-1].end:
            continue
        if entity.url is not None and not is_http_url(entity.url):
            entity.url = None
            if entity.type == "url":
                continue
        kept.append(entity)
    return kept


@dataclass
class _Link:
    start: int
    href: str | None
    classes: set[str]


class HtmlText(HTMLParser):
    """A post's sanitised HTML → plain text and entities.

    ``invisible`` spans and ``quote-inline`` paragraphs are dropped from what is shown, an
    ``ellipsis`` span gets "…" appended, ``<br>`` and paragraph breaks become newlines. Mentions
    and hashtags are ``<a>`` with class ``mention``/``hashtag``; every other ``<a>`` is a link
    whose display is the visible text.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text = ""
        self.entities: list[Entity] = []
        self._stack: list[tuple[str, set[str]]] = []
        self._link: _Link | None = None
        self._pending_break = ""

    def _emit(self, chunk: str) -> None:
        if self._pending_break and self.text:
            self.text += self._pending_break
        self._pending_break = ""
        self.text += chunk

    def _hidden(self) -> bool:
        return any(classes & HIDDEN_CLASSES for _, classes in self._stack)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        classes = set((attributes.get("class") or "").split())
        if tag == "br":
            if not self._hidden():
                self._emit("\n")
            return
        if tag in _BLOCKS and self.text:
            self._pending_break = "\n\n" if tag == "p" else "\n"
        if tag == "a" and self._link is None:
            self._emit("")
            self._link = _Link(len(self.text), attributes.get("href"), classes)
        self._stack.append((tag, classes))

    def handle_endtag(self, tag: str) -> None:
        if tag == "br" or not any(open_tag == tag for open_tag, _ in self._stack):
            return
        while self._stack:
            open_tag, classes = self._stack.pop()
            if "ellipsis" in classes and self._link is not None and not self._hidden():
                self._emit(ELLIPSIS)
            if open_tag == tag:
                break
        if tag == "a" and self._link is not None:
            self._close_link()

    def handle_data(self, data: str) -> None:
        if self._hidden() or (self._pending_break and not data.strip()):
            return
        self._emit(data)

    def _close_link(self) -> None:
        link, self._link = self._link, None
        if link is None:
            return
        start, end = link.start, len(self.text)
        if end <= start:
            return
        shown = self.text[start:end]
        if "hashtag" in link.classes:
            self.entities.append(Entity("hashtag", start, end, link.href))
        elif "mention" in link.classes:
            self.entities.append(Entity("mention", start, end, link.href))
        else:
            self.entities.append(Entity("url", start, end, link.href, shown))

    def result(self) -> tuple[str, list[Entity]]:
        self.close()
        text = self.text.rstrip()
        return text, clean_entities(text, self.entities)


def html_to_text(content: str) -> tuple[str, list[Entity]]:
    parser = HtmlText()
    parser.feed(content or "")
    return parser.result()
