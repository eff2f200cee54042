"""The date line of a card, image and HTML alike, in its own light module: the site's templates
use it without loading the image renderer (Pillow, the text engine)."""

from __future__ import annotations

import functools
from datetime import date
from zoneinfo import ZoneInfo

from ..model import has_time, parse_timestamp


@functools.lru_cache(maxsize=256)  # Babel is slow to format; a record's five cards and every fit attempt share it
def posted_when(posted_at: str, lang: str, timezone: str) -> str:
    """'10:24 AM · Mar 3, 2026' (or only the day when the source gave only a day), localised to
    ``lang``, the clock in ``timezone``: the date line of image and HTML cards alike."""
    from babel import Locale, UnknownLocaleError
    from babel.dates import format_date, format_time

    try:
        locale = Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        locale = Locale("en")
    if has_time(posted_at):
        moment = parse_timestamp(posted_at).astimezone(ZoneInfo(timezone))
        clock = format_time(moment, "short", tzinfo=moment.tzinfo, locale=locale)
        return f"{clock} · {format_date(moment, 'medium', locale=locale)}"
    return format_date(date.fromisoformat(posted_at), "medium", locale=locale)
