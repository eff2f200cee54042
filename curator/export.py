"""Exports that are not the site: the consent log (proof of every permission, for audits)."""
from __future__ import annotations

import csv
import io
import json

from .store import Store

CONSENT_COLUMNS = (
    "id", "platform", "post_url", "author_id", "author_handle", "status", "scope", "method",
    "requested_at", "request_url", "granted_at", "evidence_url", "evidence_text", "terms_version",
    "expires", "revoked_at", "revoked_reason", "suppressed",
)


def consent_rows(store: Store) -> list[dict]:
    rows = []
    for record in sorted(store.records.values(), key=lambda t: t.id):
        permission = record.permission
        rows.append({
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
        })
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


def _cell(value: object) -> object:
    # Post text is untrusted: a cell starting with = + - @ would run as a spreadsheet formula.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
