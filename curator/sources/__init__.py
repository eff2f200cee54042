"""Sources: where posts come from. The only package (with ``ask --send``) that touches the network.

``build(spec)`` makes the adapter a ``sources:`` entry describes; ``adapter_for_url`` picks the
adapter for ``curator add URL``. The pull pipeline lives in ``curator.sources.pull``.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from ..config import Config
from ..errors import UsageError
from .base import Adapter, Fetched, HttpFactory, SourceSpec, base_url, default_http
from .bluesky import Bluesky, parse_post_url
from .mastodon import Mastodon, status_id_from_url
from .mastodon import adapter_for_url as mastodon_for_url
from .tabular import Tabular
from .x import X, XArchive, post_id_from_url

ADAPTERS: dict[str, type[Adapter]] = {
    "mastodon": Mastodon, "bluesky": Bluesky, "x": X, "x-archive": XArchive, "csv": Tabular, "json": Tabular,
}


def build(spec: SourceSpec, http: HttpFactory = default_http) -> Adapter:
    return ADAPTERS[spec.type](spec, http)


def specs_from_config(config: Config) -> list[SourceSpec]:
    """The ``sources:`` entries; a relative ``path`` is relative to the folder of mkdocs.yml."""
    return [SourceSpec.from_mapping(item, config.root) for item in config.sources]


def adapter_for_url(url: str, specs: list[SourceSpec], http: HttpFactory = default_http) -> Adapter:
    """The configured source that can read this post URL (or a default one for its platform)."""
    def configured(kind: str, **defaults) -> Adapter:
        spec = next((s for s in specs if s.type == kind), None)
        return build(spec or SourceSpec(name=kind, type=kind, options=defaults), http)

    if parse_post_url(url):
        return configured("bluesky")
    if post_id_from_url(url):
        return configured("x")
    if urlsplit(url).scheme in ("http", "https") and status_id_from_url(url):
        host = urlsplit(url).netloc
        for spec in specs:
            if spec.type == "mastodon" and urlsplit(base_url(spec.options.get("instance", ""))).netloc == host:
                return build(spec, http)
        return mastodon_for_url(url, http)
    raise UsageError(
        f"{url}: not a post URL curator can read; use a Mastodon (https://host/@user/ID), "
        "Bluesky (https://bsky.app/profile/HANDLE/post/ID) or X (https://x.com/USER/status/ID) post URL")


__all__ = ["ADAPTERS", "Adapter", "Fetched", "SourceSpec", "adapter_for_url", "build", "specs_from_config"]
