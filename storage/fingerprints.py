"""The near-duplicate index: each article's MinHash band keys (``article_bands``)."""

from __future__ import annotations

from collections.abc import Iterable

import sqlite_utils

CANDIDATE_LIMIT = 20


def add_bands(db: sqlite_utils.Database, article_id: int, keys: Iterable[int]) -> None:
    db.conn.executemany(
        "INSERT OR IGNORE INTO article_bands (band_key, article_id) VALUES (?, ?)",
        [(key, article_id) for key in keys],
    )


def replace_bands(db: sqlite_utils.Database, article_id: int, keys: Iterable[int]) -> None:
    """The article's text changed: index its new keys instead of the old ones."""
    db.execute("DELETE FROM article_bands WHERE article_id = ?", [article_id])
    add_bands(db, article_id, keys)


def sharing_bands(db: sqlite_utils.Database, keys: Iterable[int]) -> list[int]:
    """Articles sharing at least one band key, those sharing most first (an index probe
    per key)."""
    keys = list(keys)
    if not keys:
        return []
    marks = ", ".join("?" * len(keys))
    rows = db.execute(
        f"SELECT article_id FROM article_bands WHERE band_key IN ({marks})"
        " GROUP BY article_id ORDER BY COUNT(*) DESC, article_id LIMIT ?",
        [*keys, CANDIDATE_LIMIT],
    )
    return [int(row[0]) for row in rows]
