"""A synthetic, fictitious testimonial store, reproducible from a seed.

Everything is invented (brand "Bench", people, handles, posts); nothing is fetched. The store is
written with curator's own code (``curator init`` scaffold, ``Store.save``, initials avatars), so
it passes ``curator check`` and the publish gate lets every record through on every channel.
"""
from __future__ import annotations

import hashlib
import io
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

from curator import avatars, scaffold
from PIL import Image

from curator.model import (Author, Entity, Media, Permission, Review, Source, Testimonial, Upstream,
                           format_timestamp)
from curator.identity import content_version, record_id
from curator.store import AVATAR_DIR, Store

BRAND = "Bench"
MEDIA_DIR = "media"  # testimonials/media/<sha256>.<ext>, content-addressed like avatars
BUILD_EPOCH = 1795392000  # 2026-11-23, the build date (SOURCE_DATE_EPOCH) of every benchmark build
FIRST = ("Ada", "Bo", "Chen", "Dara", "Eli", "Femi", "Gus", "Hana", "Ivo", "Jun", "Kai", "Lena", "Mo",
         "Noor", "Otto", "Pia", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Vik", "Wren", "Yuki", "Zoe")
LAST = ("Abbot", "Brandt", "Costa", "Dumont", "Ekwueme", "Fischer", "Garcia", "Holm", "Ibarra", "Jensen",
        "Kowal", "Larsen", "Moreau", "Nakamura", "Okafor", "Petrov", "Quist", "Rossi", "Silva", "Tanaka")
OPENERS = ("Finally", "Honestly", "Just tried", "Two weeks in with", "Switched the whole team to",
           "Did not expect much from", "Can confirm", "Week three of")
SUBJECTS = ("the offline sync", "the new editor", "the export to PDF", "the keyboard shortcuts", "dark mode",
            "the search", "the mobile app", "the calendar view", "the onboarding", "the API")
PRAISE = ("works without any drama", "saved me an hour today", "is exactly what I needed",
          "feels fast even on my old laptop", "just works, every single time", "made my Monday less awful",
          "is the first one my parents could use", "beats everything I used before")
CLOSERS = ("Thanks", "Big thanks", "Kudos", "Hats off", "Well done")
EMOJI = ("🙌", "🎉", "❤️", "🚀", "😍", "👏", "🔥", "✨", "💯", "☕")
TAGS = ("sync", "editor", "export", "mobile", "search", "design", "support", "speed")
PLATFORMS = {"mastodon": "@bench@mastodon.example", "bluesky": "@bench.example", "x": "@bench_example"}
TYPICAL = ("Finally switched the whole team to the new editor and it just works, every single time 🙌 "
           "Offline sync without drama, search that finds things, dark mode that is easy on the eyes 😍 "
           "Thanks @bench.example #sync")


def post_text(rng: random.Random, platform: str) -> tuple[str, list[Entity]]:
    """Sentences until about 120–260 characters, an emoji or two, a mention and maybe a hashtag."""
    target = rng.randint(120, 260)
    parts: list[str] = []
    while sum(len(p) + 1 for p in parts) < target - 40:
        parts.append(f"{rng.choice(OPENERS)} {rng.choice(SUBJECTS)}: it {rng.choice(PRAISE)}"
                     f"{rng.choice(('.', '!', ' ' + rng.choice(EMOJI)))}")
    text = " ".join(parts) + f" {rng.choice(CLOSERS)} "
    entities = [_entity(text, PLATFORMS[platform], "mention", "https://bench.example/")]
    text += PLATFORMS[platform] + f" {rng.choice(EMOJI)}"
    if rng.random() < 0.6:
        tag = "#" + rng.choice(TAGS)
        entities.append(_entity(text + " ", tag, "hashtag", f"https://bench.example/tags/{tag[1:]}"))
        text += " " + tag
    return text, entities


def _entity(prefix: str, token: str, kind: str, url: str) -> Entity:
    return Entity(kind, len(prefix), len(prefix) + len(token), url)


def testimonial(rng: random.Random, index: int, store_root: Path, text: str | None = None,
                entities: list[Entity] | None = None) -> Testimonial:
    """One fictitious, approved, consented record (with an initials avatar file for 4 in 5 authors)."""
    platform = ("mastodon", "bluesky", "x")[index % 3]
    first, last = rng.choice(FIRST), rng.choice(LAST)
    name, handle = f"{first} {last}", f"@{first.lower()}{index}"
    if text is None:
        text, entities = post_text(rng, platform)
    post_id = str(900000000 + index)
    host = "mastodon.example" if platform == "mastodon" else None
    rid = record_id(platform, post_id, host)
    posted = datetime(2025, 1, 1, tzinfo=timezone.utc) + timedelta(minutes=rng.randrange(0, 600 * 24 * 60))
    granted = posted + timedelta(days=1)
    author_id = f"{platform}:user{index}"
    avatar = None
    if rng.random() < 0.8:
        avatar = f"{AVATAR_DIR}/synth-{index}.png"
        avatars.initials_avatar(name, 96, author_id).save(store_root / avatar, "PNG", optimize=False)
    record = Testimonial(
        id=rid,
        source=Source(platform, f"https://{platform}.example/posts/{post_id}", post_id, None, format_timestamp(granted)),
        author=Author(name, author_id, handle, f"https://{platform}.example/{handle}", avatar, index % 17 == 0),
        posted_at=format_timestamp(posted), lang="en", text=text, entities=entities or [],
        metrics={"likes": rng.randrange(200), "reposts": rng.randrange(40), "replies": rng.randrange(20)},
        kind="happy", sentiment=0.8, tags=[rng.choice(TAGS)], featured=index % 97 == 0,
        review=Review("approved", "^BE", format_timestamp(granted), ""),
        permission=Permission("granted", ["web", "embed", "print", "social"], "reply", format_timestamp(posted),
                              f"https://{platform}.example/posts/req{post_id}", format_timestamp(granted),
                              f"https://{platform}.example/posts/yes{post_id}", "#YesBench happy to!", "1",
                              "2028-12-31"),
        upstream=Upstream("live", format_timestamp(granted)),
    )
    record.source.version = content_version(record)  # consented to as it is
    return record


def make_project(target: Path, count: int, seed: int = 8, press_kit: bool = False) -> Path:
    """A new wall at ``target`` (``curator init`` layout) with ``count`` synthetic testimonials.

    Returns the path of its ``mkdocs.yml``. Same seed and count, same files.
    """
    scaffold.scaffold(target, BRAND)
    config = target / "mkdocs.yml"
    text = config.read_text("utf-8").replace("site_url: https://example.com/", "site_url: https://bench.example/")
    if not press_kit:
        text = text.replace("      signature:", "      press_kit: false\n      signature:")
    config.write_text(text, "utf-8")
    add_testimonials(target / "testimonials", range(count), seed)
    return config


def add_testimonials(store_root: Path, indexes: range, seed: int = 8, photos: int = 0) -> None:
    """Save the testimonials ``indexes``; ``photos``: each a whole post with that many photos."""
    store = Store(store_root)
    for index in indexes:
        record = testimonial(random.Random(f"{seed}-{index}"), index, store_root)
        if photos:
            add_photos(record, store_root, photos)
        store.save(record)


def typical_record(store_root: Path) -> Testimonial:
    """The per-card benchmark's post: 200 characters with emoji, a mention and a hashtag."""
    mention, tag = "@bench.example", "#sync"
    entities = [_entity(TYPICAL[:TYPICAL.index(mention)], mention, "mention", "https://bench.example/"),
                _entity(TYPICAL[:TYPICAL.index(tag)], tag, "hashtag", "https://bench.example/tags/sync")]
    return testimonial(random.Random("typical"), 0, store_root, TYPICAL, entities)


PHOTO_SIZE = (1600, 1200)  # what a platform's "large" image typically is


def photo(index: int, size: tuple[int, int] = PHOTO_SIZE) -> Image.Image:
    """A deterministic picture with a photo's detail (a Mandelbrot region, tinted by gradients):
    flat shapes would make the card cheaper to encode than a real photo does."""
    width, height = size
    detail = Image.effect_mandelbrot(size, (-2.0 + 0.2 * index, -1.1, 0.8 + 0.1 * index, 1.1), 100)
    across = Image.linear_gradient("L").rotate(90 * index).resize(size)
    around = Image.radial_gradient("L").resize(size)
    return Image.merge("RGB", (detail, across, around)).resize((width, height))


def media_record(store_root: Path, count: int = 4) -> Testimonial:
    """The typical post with ``count`` photos."""
    return add_photos(typical_record(store_root), store_root, count)


def add_photos(record: Testimonial, store_root: Path, count: int) -> Testimonial:
    """``count`` photos (JPEG, 1600×1200, a platform's large size) written to the store and added
    to ``record``, consented to as they are."""
    (store_root / MEDIA_DIR).mkdir(parents=True, exist_ok=True)
    for index in range(count):
        data = io.BytesIO()
        photo(index).save(data, "JPEG", quality=85)
        digest = hashlib.sha256(data.getvalue()).hexdigest()
        path = f"{MEDIA_DIR}/{digest}.jpg"
        (store_root / path).write_bytes(data.getvalue())
        record.media.append(Media("image", path, f"sha256-{digest}", f"Photo {index + 1}", *PHOTO_SIZE))
    record.source.version = content_version(record)
    return record
