"""Article versions and rechecks: which stored articles are due to be fetched again, and
what a recheck found (``articles`` columns and ``article_versions``)."""

from __future__ import annotations

from typing import Any

import sqlite_utils

from storage.store import Store, first_row


def due(store: Store, outlet_id: str, now: str, limit: int) -> list[dict[str, Any]]:
    """An outlet's articles due for a recheck, longest due first."""
    return list(
        store.db.query(
            "SELECT id, url, etag, last_modified FROM articles"
            " WHERE outlet_id = ? AND recheck_due_at <= ? ORDER BY recheck_due_at, id LIMIT ?",
            [outlet_id, now, limit],
        )
    )


def recheck_state(db: sqlite_utils.Database, article_id: int) -> dict[str, Any] | None:
    return first_row(
        db,
        "SELECT id, title, text, version, stored_at, fetched_at, rechecks, rechecked_at,"
        " rechecked_run_id,"
        " body_sha256 FROM articles WHERE id = ?",
        [article_id],
    )


def record_recheck(
    db: sqlite_utils.Database,
    article_id: int,
    checked_at: str,
    run_id: int,
    next_due: str | None,
    **validators: Any,
) -> None:
    """Count a recheck (of run ``run_id``), set the next one, keep the page's new validators
    (if it sent any)."""
    kept = {k: v for k, v in validators.items() if v is not None}
    assignments = "".join(f", {name} = :{name}" for name in kept)
    db.execute(
        "UPDATE articles SET rechecks = rechecks + 1, rechecked_at = :checked,"
        f" rechecked_run_id = :run, recheck_due_at = :due{assignments} WHERE id = :id",
        {"checked": checked_at, "run": run_id, "due": next_due, "id": article_id, **kept},
    )


def add_version(
    db: sqlite_utils.Database, article: dict[str, Any], revision: dict[str, Any], seen_at: str
) -> int:
    """Keep the first version if not kept yet, add the new one, make it the article's text;
    return its number."""
    db.execute(
        "INSERT OR IGNORE INTO article_versions (article_id, version, title, text, body_sha256,"
        " seen_at) VALUES (?, ?, ?, ?, ?, ?)",
        [
            article["id"],
            article["version"],
            article["title"],
            article["text"],
            article["body_sha256"],
            article["fetched_at"],
        ],
    )
    version = int(article["version"]) + 1
    db.table("article_versions").insert(
        {"article_id": article["id"], "version": version, "seen_at": seen_at, **revision}
    )
    db.execute(
        "UPDATE articles SET title = ?, text = ?, body_sha256 = ?, word_count = ?, version = ?,"
        " version_seen_at = ? WHERE id = ?",
        [
            revision["title"],
            revision["text"],
            revision["body_sha256"],
            len(revision["text"].split()),
            version,
            seen_at,
            article["id"],
        ],
    )
    return version


def versions(store: Store, article_id: int) -> list[dict[str, Any]]:
    return list(
        store.db.query(
            "SELECT version, title, seen_at, diff, added_lines, removed_lines"
            " FROM article_versions WHERE article_id = ? ORDER BY version",
            [article_id],
        )
    )
