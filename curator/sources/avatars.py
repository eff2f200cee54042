"""Avatars: downloaded once, capped, verified and re-encoded to PNG, stored by content hash.

Never hot-linked: cards and pages read ``testimonials/avatars/<hash>.png``. Anything odd (too
big, not an image, a decompression bomb) is refused with a clear message; the record then keeps
``avatar: null`` and cards draw initials.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from .. import yamlio
from ..avatars import AvatarLimits, AvatarRejected, to_png
from ..errors import SourceError
from ..store import AVATAR_DIR
from ..platforms.http import Http
from ..platforms.text import is_http_url


DEFAULT_LIMITS = AvatarLimits()


def fetch_avatar(http: Http, url: str, store_root: Path, limits: AvatarLimits = DEFAULT_LIMITS) -> str:
    """Download ``url`` and store it; returns ``avatars/<sha256>.png``. Raises AvatarRejected."""
    if not is_http_url(url):
        raise AvatarRejected(f"avatar {url!r} is not an http(s) URL")
    data = _download(http, url, limits.max_bytes)
    png = to_png(data, limits)
    name = f"{AVATAR_DIR}/{hashlib.sha256(png).hexdigest()}.png"
    yamlio.write_atomic(store_root / name, png)
    return name


def _download(http: Http, url: str, max_bytes: int) -> bytes:
    try:
        response = http.request("GET", url, stream=True)
    except SourceError as err:
        raise AvatarRejected(f"avatar {url}: {err}") from None
    with response:
        if response.status_code != 200:
            raise AvatarRejected(f"avatar {url}: HTTP {response.status_code}")
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise AvatarRejected(f"avatar {url}: {int(declared)} bytes, more than the {max_bytes}-byte limit")
        chunks, size = [], 0
        try:
            for chunk in response.iter_content(64 * 1024):
                size += len(chunk)
                if size > max_bytes:
                    raise AvatarRejected(f"avatar {url}: more than the {max_bytes}-byte limit")
                chunks.append(chunk)
        except OSError as err:  # requests' streaming errors derive from IOError
            raise AvatarRejected(f"avatar {url}: download failed ({type(err).__name__})") from None
    return b"".join(chunks)
