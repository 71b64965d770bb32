"""Discovery sources (feeds, sitemaps, listings): validators, body hash, what they point to."""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from storage.store import Store

_KEPT_WHEN_UNCHANGED = ("etag", "last_modified", "body_sha256", "follow", "last_entries")


def last_fetch(store: Store, outlet_id: str, url: str) -> dict[str, Any] | None:
    """What the last successful fetch of a document left: its ETag, Last-Modified, body hash
    and the documents it pointed to (``follow``, decoded)."""
    row = store.db.execute(
        "SELECT etag, last_modified, body_sha256, follow FROM sources"
        " WHERE outlet_id = ? AND url = ?",
        [outlet_id, url],
    ).fetchone()
    if row is None:
        return None
    return {
        "etag": row[0],
        "last_modified": row[1],
        "body_sha256": row[2],
        "follow": json.loads(row[3] or "[]"),
    }


def record_source(db: sqlite_utils.Database, row: dict[str, Any], *, unchanged: bool) -> None:
    """Store one fetch of a source. An unchanged document or a failure keeps what the last
    successful fetch left (validators, body hash, follow list)."""
    keep = {k: v for k, v in row.items() if v is not None or k == "last_error"}
    if "follow" in keep:
        keep["follow"] = json.dumps(keep["follow"], ensure_ascii=False)
    if unchanged or row.get("last_error"):
        for name in _KEPT_WHEN_UNCHANGED:
            keep.pop(name, None)
    elif "last_fetched_at" in keep:
        keep["last_changed_at"] = keep["last_fetched_at"]
    db.table("sources").upsert(keep, pk=("outlet_id", "url"))
