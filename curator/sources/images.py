"""Downloading the images a post shows: the author's avatar, its media (a video's or GIF's
poster frame, never the video) and custom emoji. One downloader for all of them, in ``pull``
and ``add`` only (a build never touches the network): capped, verified and re-encoded by
``curator.images``, stored by content hash. Never hot-linked: cards and pages read
``testimonials/avatars|media|emoji/<hash>.<ext>``.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import SourceError
from ..images import Encoded, ImageKind, ImageRejected, store_image
from ..platforms.http import Http
from ..platforms.text import is_http_url


def fetch_image(http: Http, url: str, store_root: Path, kind: ImageKind) -> tuple[str, Encoded]:
    """Download ``url`` and store it; returns (its path under the store, the stored image).
    Raises ImageRejected with one line saying why."""
    if not is_http_url(url):
        raise ImageRejected(f"{kind.name} {url!r} is not an http(s) URL")
    data = _download(http, url, kind)
    try:
        return store_image(data, store_root, kind)
    except ImageRejected as err:
        raise ImageRejected(f"{err} ({url})") from None


def _download(http: Http, url: str, kind: ImageKind) -> bytes:
    max_bytes = kind.max_bytes
    try:
        response = http.request("GET", url, stream=True)
    except SourceError as err:
        raise ImageRejected(f"{kind.name}: {err}") from None  # the client's message names the URL
    with response:
        if response.status_code != 200:
            raise ImageRejected(f"{kind.name} {url}: HTTP {response.status_code}")
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise ImageRejected(f"{kind.name} {url}: {int(declared)} bytes, more than the {max_bytes}-byte limit")
        chunks, size = [], 0
        try:
            for chunk in response.iter_content(64 * 1024):
                size += len(chunk)
                if size > max_bytes:
                    raise ImageRejected(f"{kind.name} {url}: more than the {max_bytes}-byte limit")
                chunks.append(chunk)
        except OSError as err:  # requests' streaming errors derive from IOError
            raise ImageRejected(f"{kind.name} {url}: download failed ({type(err).__name__})") from None
    return b"".join(chunks)
