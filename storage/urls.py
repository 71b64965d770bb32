"""Every URL newsmon has decided something about: its state and the reason for it.

A URL is filed under its canonical key (``crawler.canonical.canonicalize``). States:

* terminal (the URL is never requested again): ``stored``, ``off_topic``, ``duplicate``,
  ``no_body``, ``too_old``, ``gone`` (404/410), ``rejected`` (not HTML, too large, redirected
  off the outlet), ``failed`` (transient failures reached ``max_fetch_attempts``);
* retried by later crawls: ``retry`` (a transient failure), ``blocked`` (robots.txt said no;
  robots rules change).
"""

from __future__ import annotations

from typing import Any

import sqlite_utils

from storage.store import Store, utc_now

TERMINAL_STATES = frozenset(
    {"stored", "off_topic", "duplicate", "no_body", "too_old", "gone", "rejected", "failed"}
)
RETRY_STATES = frozenset({"retry", "blocked"})
STATES = TERMINAL_STATES | RETRY_STATES


def is_handled(store: Store, key: str) -> bool:
    """True if the URL reached a terminal state and must not be requested again."""
    row = store.db.execute("SELECT state FROM urls WHERE url = ?", [key]).fetchone()
    return row is not None and row[0] in TERMINAL_STATES


def get_url(db: sqlite_utils.Database, key: str) -> dict[str, Any] | None:
    rows = list(db.query("SELECT * FROM urls WHERE url = ?", [key]))
    return rows[0] if rows else None


def record_url(
    db: sqlite_utils.Database, key: str, outlet_id: str, state: str, reason: str, **fields: Any
) -> None:
    """Insert or update a URL's decision, keeping when it was first seen."""
    if state not in STATES:
        raise ValueError(f"unknown URL state {state!r}")
    now = utc_now()
    existing = get_url(db, key)
    row = {
        "url": key,
        "outlet_id": outlet_id,
        "state": state,
        "reason": reason,
        "updated_at": now,
        **fields,
    }
    if existing is None:
        db.table("urls").insert({"first_seen_at": now, "attempts": 0, **row})
    else:
        db.table("urls").update(key, row)
