"""Every article URL newsmon knows: listed and waiting (the frontier), or decided, and why.

A URL is filed under its canonical key (``crawler.canonical.canonicalize``). States:

* waiting to be fetched (the frontier): ``pending`` (a source listed it; no crawl has
  decided it yet) and ``retry`` (a transient failure; fetched again up to
  ``max_fetch_attempts``);
* terminal (the URL is never requested again): ``stored``, ``off_topic``, ``duplicate``,
  ``no_body``, ``too_old`` (also: left the freshness window while waiting), ``gone``
  (404/410), ``rejected`` (not HTML, too large, redirected off the outlet), ``failed``
  (transient failures reached ``max_fetch_attempts``);
* ``blocked``: robots.txt said no; looked at again whenever a source lists it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlite_utils

from storage.store import Store
from storage.timestamps import utc_now

TERMINAL_STATES = frozenset(
    {"stored", "off_topic", "duplicate", "no_body", "too_old", "gone", "rejected", "failed"}
)
WAITING_STATES = frozenset({"pending", "retry"})
STATES = TERMINAL_STATES | WAITING_STATES | {"blocked"}
_WAITING_SQL = "('pending', 'retry')"
_FRONTIER_ORDER = "listed_published_at IS NULL, listed_published_at DESC, first_seen_at DESC, url"


def state_of(store: Store, key: str) -> str | None:
    """The URL's state, or None if it was never listed."""
    row = store.db.execute("SELECT state FROM urls WHERE url = ?", [key]).fetchone()
    return str(row[0]) if row else None


def attempts(store: Store, key: str) -> int:
    """How many crawls failed on the URL so far."""
    row = store.db.execute("SELECT attempts FROM urls WHERE url = ?", [key]).fetchone()
    return int(row[0]) if row else 0


def record_url(
    db: sqlite_utils.Database, key: str, outlet_id: str, state: str, reason: str, **fields: Any
) -> None:
    """Insert or update a URL's state, keeping when it was first seen."""
    if state not in STATES:
        raise ValueError(f"unknown URL state {state!r}")
    now = utc_now()
    row = {"outlet_id": outlet_id, "state": state, "reason": reason, "updated_at": now, **fields}
    new = {"url": key, "first_seen_at": now, "attempts": 0, **row}
    updates = ", ".join(f"[{column}] = excluded.[{column}]" for column in row)
    db.execute(  # one statement (was a lookup, then sqlite-utils' insert or update)
        f"INSERT INTO urls ({', '.join(f'[{column}]' for column in new)})"
        f" VALUES ({', '.join('?' * len(new))}) ON CONFLICT (url) DO UPDATE SET {updates}",
        list(new.values()),
    )


def add_listed(
    db: sqlite_utils.Database, outlet_id: str, source_url: str, entries: Iterable[dict[str, Any]]
) -> int:
    """Put URLs a source listed into the frontier as 'pending'; URLs already known keep
    their state. Returns how many were new."""
    now = utc_now()
    added = 0
    for entry in entries:
        cursor = db.execute(
            "INSERT OR IGNORE INTO urls (url, outlet_id, state, reason, source_url, listed_title,"
            " listed_published_at, attempts, first_seen_at, updated_at)"
            " VALUES (?, ?, 'pending', ?, ?, ?, ?, 0, ?, ?)",
            [
                entry["url"],
                outlet_id,
                f"listed by {source_url}",
                source_url,
                entry.get("title"),
                entry.get("published_at"),
                now,
                now,
            ],
        )
        added += cursor.rowcount
    return added


def waiting(store: Store, outlet_id: str, max_attempts: int, limit: int) -> list[dict[str, Any]]:
    """An outlet's waiting URLs, newest listed first (then most recently discovered)."""
    return list(
        store.db.query(
            "SELECT url, source_url, listed_title, listed_published_at, first_seen_at, attempts"
            f" FROM urls WHERE outlet_id = ? AND state IN {_WAITING_SQL} AND attempts < ?"
            f" ORDER BY {_FRONTIER_ORDER} LIMIT ?",
            [outlet_id, max_attempts, limit],
        )
    )


def expire_waiting(db: sqlite_utils.Database, outlet_id: str, cutoff: str) -> int:
    """Close an outlet's waiting URLs listed as published (or, without a date, first seen)
    before ``cutoff``: they left the freshness window before a crawl reached them."""
    cursor = db.execute(
        "UPDATE urls SET state = 'too_old', updated_at = ?,"
        " reason = 'left the freshness window before it was fetched (listed as published '"
        " || COALESCE(listed_published_at, 'on an unknown date') || ')'"
        f" WHERE outlet_id = ? AND state IN {_WAITING_SQL}"
        " AND COALESCE(listed_published_at, first_seen_at) < ?",
        [utc_now(), outlet_id, cutoff],
    )
    return cursor.rowcount


def backlog(store: Store) -> dict[str, dict[str, int]]:
    """Per outlet, how many URLs wait in the frontier, by state."""
    counts: dict[str, dict[str, int]] = {}
    rows = store.db.execute(
        f"SELECT outlet_id, state, COUNT(*) FROM urls WHERE state IN {_WAITING_SQL}"
        " GROUP BY outlet_id, state"
    )
    for outlet_id, state, count in rows:
        counts.setdefault(outlet_id, {})[state] = int(count)
    return counts
