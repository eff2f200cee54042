"""Sources: the configured ``sources:`` entries as adapters of the platforms that read them.

``build(spec)`` makes the adapter a ``sources:`` entry describes; ``adapter_for_url`` picks the
adapter for ``curator add URL``. The pull pipeline lives in ``curator.sources.pull``.
"""

from __future__ import annotations

from .. import platforms
from ..config import Config
from ..errors import UsageError
from ..platforms.base import Adapter, Fetched, HttpFactory, SourceSpec, default_http


def build(spec: SourceSpec, http: HttpFactory = default_http) -> Adapter:
    return platforms.source_types()[spec.type](spec, http)


def specs_from_config(config: Config) -> list[SourceSpec]:
    """The ``sources:`` entries; a relative ``path`` is relative to the folder of mkdocs.yml."""
    return [SourceSpec.from_mapping(item, config.root) for item in config.sources]


def adapter_for_url(url: str, specs: list[SourceSpec], http: HttpFactory = default_http) -> Adapter:
    """The configured source that can read this post URL (or a default one for its platform)."""
    platform = platforms.for_url(url)
    if platform is None or platform.adapter_for_url is None:
        forms = "; ".join(" ".join(line.split()) for line in platforms.url_help())
        raise UsageError(f"{url}: not a post URL curator can read; use one of these forms: {forms}")
    return platform.adapter_for_url(url, specs, http)


__all__ = ["Adapter", "Fetched", "SourceSpec", "adapter_for_url", "build", "specs_from_config"]
