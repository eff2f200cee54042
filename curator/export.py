"""Exports that are not the site: the consent log (proof of every permission, for audits), and
the manifest of the files ``curator render`` wrote, so a revocation can find every one of them."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path

from . import yamlio
from .config import Config
from .store import Store

CONSENT_COLUMNS = (
    "id",
    "platform",
    "post_url",
    "author_id",
    "author_handle",
    "status",
    "scope",
    "method",
    "requested_at",
    "request_url",
    "granted_at",
    "evidence_url",
    "evidence_text",
    "terms_version",
    "expires",
    "revoked_at",
    "revoked_reason",
    "suppressed",
)


def consent_rows(store: Store) -> list[dict]:
    rows = []
    for record in sorted(store.records.values(), key=lambda t: t.id):
        permission = record.permission
        rows.append(
            {
                "id": record.id,
                "platform": record.source.platform,
                "post_url": record.source.url,
                "author_id": record.author.id,
                "author_handle": record.author.handle,
                "status": permission.status,
                "scope": list(permission.scope),
                "method": permission.method,
                "requested_at": permission.requested_at,
                "request_url": permission.request_url,
                "granted_at": permission.granted_at,
                "evidence_url": permission.evidence_url,
                "evidence_text": permission.evidence_text,
                "terms_version": permission.terms_version,
                "expires": permission.expires,
                "revoked_at": permission.revoked_at,
                "revoked_reason": permission.revoked_reason,
                "suppressed": record.id in store.suppressed,
            }
        )
    return rows


def consent_log(store: Store, fmt: str) -> str:
    rows = consent_rows(store)
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CONSENT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        flat = {**row, "scope": " ".join(row["scope"]), "suppressed": str(row["suppressed"]).lower()}
        writer.writerow({key: _cell(value) for key, value in flat.items()})
    return out.getvalue()


def manifest_path(config: Config) -> Path:
    """Beside the render cache, not in it: a takedown empties the cache, and must still find these."""
    return config.root / ".cache" / "curator-exports.json"


def record_exports(config: Config, written: Iterable[tuple[Path, Iterable[str]]]) -> None:
    """Remember which records each exported file (a card, a brochure) holds."""
    manifest = _read_manifest(config)
    for path, record_ids in written:
        manifest[str(Path(path).resolve())] = sorted(set(record_ids))
    yamlio.write_atomic(manifest_path(config), json.dumps(manifest, indent=1, sort_keys=True) + "\n")


def purge_exports(config: Config, record_id: str) -> list[Path]:
    """Delete every exported file that holds ``record_id``; returns the paths that were deleted."""
    manifest = _read_manifest(config)
    holding = sorted(path for path, ids in manifest.items() if record_id in ids)
    deleted = []
    for path in holding:
        if Path(path).is_file():
            Path(path).unlink()
            deleted.append(Path(path))
        del manifest[path]
    if holding:
        yamlio.write_atomic(manifest_path(config), json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return deleted


def _read_manifest(config: Config) -> dict[str, list[str]]:
    found = yamlio.read_cache(manifest_path(config))
    return {path: ids for path, ids in found.items() if isinstance(ids, list)}


def _cell(value: object) -> object:
    # Post text is untrusted: a cell starting with = + - @ would run as a spreadsheet formula.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
