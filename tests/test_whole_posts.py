"""Whole posts: what a post shows besides its text is part of the record and of the consent."""

import copy
import hashlib

from curator.identity import content_version, edited_since_consent
from curator import model

DIGEST = "sha256-" + "0" * 64


def whole_post() -> model.Testimonial:
    return model.Testimonial.from_dict({
        "id": "mastodon-1", "source": {"platform": "mastodon"}, "author": {"name": "Ann", "id": "1"},
        "posted_at": "2026-01-01T00:00:00Z", "text": "",
        "warning": "spoilers",
        "media": [{"type": "image", "path": "media/mastodon-1-1.webp", "digest": DIGEST, "alt": "a cat"}],
        "poll": {"options": [{"title": "yes", "votes": 3}, {"title": "no", "votes": 1}]},
        "quote": {"author": {"name": "Bo"}, "text": "the quoted words", "url": "https://m.example/@bo/2"},
        "link": {"url": "https://acme.example/", "title": "Acme"},
        "emoji": [{"shortcode": "blobcat", "path": "emoji/blobcat.png", "digest": DIGEST}],
    })


def test_a_text_post_keeps_the_version_it_always_had_and_its_file_shape():
    record = model.Testimonial.from_dict({"id": "x-1", "source": {"platform": "x"}, "author": {"name": "A", "id": "9"},
                                    "posted_at": "2026-01-01", "text": " Great! "})
    assert content_version(record) == "sha256-" + hashlib.sha256(b"9\nGreat!").hexdigest()
    assert not {"warning", "media", "poll", "quote", "link", "emoji"} & set(record.to_dict())


def test_the_whole_post_round_trips_and_every_shown_part_is_consented_to():
    record = whole_post()
    assert model.Testimonial.from_dict(record.to_dict()) == record
    record.source.version = content_version(record)
    record.poll.options[0].votes = 40  # people voting is not an edit by the author
    record.link.title = "Acme, now with a new page title"  # nor is the linked page's title
    assert not edited_since_consent(record)
    edits = [
        lambda r: setattr(r, "warning", None),
        lambda r: setattr(r.media[0], "digest", "sha256-" + "1" * 64),  # another image
        lambda r: setattr(r.media[0], "alt", "a dog"),
        lambda r: r.media.pop(),
        lambda r: setattr(r.poll.options[1], "title", "never"),
        lambda r: setattr(r.quote, "text", "other words"),
        lambda r: setattr(r.link, "url", "https://elsewhere.example/"),
        lambda r: setattr(r.emoji[0], "digest", "sha256-" + "2" * 64),
    ]
    for edit in edits:
        edited = copy.deepcopy(record)
        edit(edited)
        assert edited_since_consent(edited)
