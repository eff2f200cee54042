"""CSV/JSON imports from listening tools, with a column mapping from config: records of the
``csv`` platform (shown as "Imported"; no replies: ask their authors by email or DM).

Tolerant of what real exports do: a UTF-8 BOM, UTF-16 (Meltwater), tab or comma separators,
and metadata rows before the header (Brandwatch's report preamble).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path
from typing import Any, ClassVar
from collections.abc import Iterator

from ..errors import CuratorError
from ..identity import record_id
from ..model import format_timestamp, now_utc, parse_timestamp
from . import Mark, Platform, manual
from .base import Adapter, Fetched, HttpFactory, SourceSpec, Wanted, default_http
from .text import is_http_url

# Ready-made mappings: record field → column name in the export.
PRESETS: dict[str, dict[str, str]] = {
    "generic": {
        "author": "author",
        "handle": "handle",
        "text": "text",
        "url": "url",
        "date": "date",
        "warning": "warning",
        "media": "media",
    },
    "brandwatch": {
        "author": "Full Name",
        "handle": "Author",
        "text": "Full Text",
        "url": "Url",
        "date": "Date",
        "lang": "Language",
        "avatar": "Avatar",
    },
    "meltwater": {
        "author": "Influencer",
        "handle": "Twitter Screen Name",
        "text": "Hit Sentence",
        "url": "URL",
        "date": "Date",
        "lang": "Language",
        "id": "Tweet Id",
    },
}
FIELDS = ("id", "author", "handle", "text", "url", "date", "lang", "avatar", "warning", "media")


def decode(raw: bytes) -> str:
    """Bytes of an export → text: UTF-16 and UTF-8 BOMs honoured, NULs (UTF-16 remnants) dropped."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return raw.decode("utf-16")
    if len(raw) > 1 and raw[1:2] == b"\x00" and raw[0:1] != b"\x00":
        return raw.decode("utf-16-le")
    return raw.decode("utf-8-sig", errors="replace").replace("\x00", "")


def rows_from_csv(text: str, mapping: dict[str, str], shown: str) -> list[dict[str, str]]:
    """Rows as dicts, starting at the first line that holds the mapped text column's header."""
    lines = text.splitlines()
    header_at = next((i for i, line in enumerate(lines) if mapping["text"] in line), None)
    if header_at is None:
        raise CuratorError(
            f"{shown}: no header row with the column {mapping['text']!r}; fix `mapping.text` in the source config"
        )
    body = "\n".join(lines[header_at:])
    delimiter = "\t" if lines[header_at].count("\t") > lines[header_at].count(",") else ","
    return [dict(row) for row in csv.DictReader(io.StringIO(body), delimiter=delimiter)]


class Tabular(Adapter):
    """``type: csv`` or ``type: json``: a file exported from a listening tool."""

    platform = "csv"
    options: ClassVar[dict[str, Any]] = {
        "path": {"type": "string", "minLength": 1},
        "preset": {"enum": list(PRESETS)},
        "mapping": {
            "type": "object",
            "additionalProperties": False,
            "properties": {name: {"type": "string"} for name in FIELDS},
        },
    }
    required_options = ("path",)
    uses_network = False

    def __init__(self, spec: SourceSpec, http: HttpFactory = default_http):
        super().__init__(spec, http)
        self.path = Path(spec.options["path"])
        self.mapping = {**PRESETS[spec.options.get("preset", "generic")], **spec.options.get("mapping", {})}

    def rows(self) -> list[dict[str, Any]]:
        if not self.path.is_file():
            raise CuratorError(f"{self.path}: no such file (source {self.name}); fix `path:` in the source config")
        text = decode(self.path.read_bytes())
        if self.spec.type == "json":
            try:
                data = json.loads(text)
            except json.JSONDecodeError as err:
                raise CuratorError(f"{self.path}:{err.lineno}: not valid JSON ({err.msg})") from None
            items = data if isinstance(data, list) else [data]
            return [item for item in items if isinstance(item, dict)]
        return rows_from_csv(text, self.mapping, str(self.path))

    def pull(self, cursor: dict[str, str]) -> Iterator[list[Fetched]]:
        fetched = []
        for number, row in enumerate(self.rows(), start=1):
            item = self._fetched(row, f"{self.path} row {number}")
            if item:
                fetched.append(item)
        yield fetched

    def _value(self, row: dict[str, Any], field: str) -> str:
        column = self.mapping.get(field)
        value = row.get(column) if column else None
        return str(value).strip() if value not in (None, "") else ""

    def _media(self, row: dict[str, Any]) -> list[Wanted]:
        """The ``media`` column: image URLs separated by spaces (CSV), or in JSON a list of URLs
        or of ``{url, alt}``. Downloaded like a platform's media (``pull`` refuses the row if
        one cannot be stored)."""
        column = self.mapping.get("media")
        value = row.get(column) if column else None
        items = value if isinstance(value, list) else str(value or "").split()
        wanted = []
        for item in items:
            url, alt = (item.get("url"), item.get("alt")) if isinstance(item, dict) else (item, "")
            if is_http_url(url):
                wanted.append(Wanted(str(url), "image", str(alt or "")))
        return wanted

    def _fetched(self, row: dict[str, Any], shown: str) -> Fetched | None:
        text, url = self._value(row, "text"), self._value(row, "url")
        media = self._media(row)
        if not text and not media:
            self.notes.append(f"{shown}: skipped, no text")
            return None
        author = self._value(row, "author") or self._value(row, "handle")
        post_id = self._value(row, "id") or hashlib.sha256(f"{url}\n{author}\n{text}".encode()).hexdigest()[:20]
        record = self.make_record(
            {
                "id": record_id("csv", post_id),
                "source": {
                    "platform": "csv",
                    "url": url if is_http_url(url) else None,
                    "post_id": post_id,
                    "fetched_at": now_utc(),
                },
                "author": {
                    "name": author or "Anonymous",
                    "handle": self._value(row, "handle") or None,
                    "verified": False,
                },
                "posted_at": _timestamp(self._value(row, "date")),
                "lang": (self._value(row, "lang") or None) and self._value(row, "lang").lower(),
                "text": text,
                **({"warning": warning} if (warning := self._value(row, "warning")) else {}),
            },
            shown,
        )
        if record is None:
            return None
        avatar = self._value(row, "avatar")
        return Fetched(record, avatar if is_http_url(avatar) else None, media=media)


def _timestamp(value: str) -> str | None:
    """Exports write dates many ways; the ISO ones and ``YYYY-MM-DD HH:MM[:SS]`` are understood."""
    if not value:
        return None
    try:
        return format_timestamp(parse_timestamp(value.replace(" ", "T", 1) if "T" not in value else value))
    except ValueError:
        return value  # the schema then names the row and the field


PLATFORM = Platform(
    name="csv",
    label="Imported",
    mark=Mark("#536471", "C", path=manual.MARK_PATH),
    sources={"csv": Tabular, "json": Tabular},
)
