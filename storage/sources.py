"""Discovery sources (feeds, sitemaps, listings) and their HTTP validators."""

from __future__ import annotations

from typing import Any

import sqlite_utils

from storage.store import Store


def validators(store: Store, outlet_id: str, url: str) -> tuple[str | None, str | None]:
    """The ETag and Last-Modified last seen for a document, for a conditional GET.

    Only documents that listed articles get them: a sitemap index or robots.txt is always
    fetched in full, since the sitemaps it lists change without it changing."""
    row = store.db.execute(
        "SELECT etag, last_modified FROM sources WHERE outlet_id = ? AND url = ? "
        "AND last_entries > 0",
        [outlet_id, url],
    ).fetchone()
    return (row[0], row[1]) if row else (None, None)


def record_source(db: sqlite_utils.Database, row: dict[str, Any]) -> None:
    """Store one fetch of a source; a 304 or a failure keeps the previous validators."""
    keep = {k: v for k, v in row.items() if v is not None or k in ("last_error",)}
    if row.get("last_status") == 304 or row.get("last_error"):
        keep.pop("etag", None)
        keep.pop("last_modified", None)
        keep.pop("last_entries", None)
    db.table("sources").upsert(keep, pk=("outlet_id", "url"))
