"""The notification outbox: one row per new on-topic article to announce, until delivered.

The writer queues a row in the same transaction as the article, so a notification is never
lost to a crash; a sender (``scheduler.notify``) delivers due rows and records each attempt.
"""

from __future__ import annotations

from typing import Any

import sqlite_utils

_DUE = """
SELECT n.article_id AS id, n.attempts, a.url, a.title, a.description, a.outlet_id AS outlet,
       o.name AS outlet_name, a.language, a.published_at, a.stored_at, a.topic_id AS topic,
       a.relevance_score, a.matched_terms, a.story_id
FROM notifications n
JOIN articles a ON a.id = n.article_id
JOIN outlets o ON o.id = a.outlet_id
WHERE n.sent_at IS NULL AND n.given_up_at IS NULL AND n.next_attempt_at <= :now
ORDER BY n.next_attempt_at, n.article_id
LIMIT :limit
"""


def queue(db: sqlite_utils.Database, article_id: int, now: str) -> None:
    db.execute(
        "INSERT OR IGNORE INTO notifications (article_id, created_at, next_attempt_at)"
        " VALUES (?, ?, ?)",
        [article_id, now, now],
    )


def due(db: sqlite_utils.Database, now: str, limit: int = 100) -> list[dict[str, Any]]:
    """Notifications to send now, oldest first, with the article fields they carry."""
    return list(db.query(_DUE, {"now": now, "limit": limit}))


def mark_sent(db: sqlite_utils.Database, article_id: int, now: str) -> None:
    db.execute(
        "UPDATE notifications SET sent_at = ?, attempts = attempts + 1, last_error = NULL"
        " WHERE article_id = ?",
        [now, article_id],
    )


def mark_failed(
    db: sqlite_utils.Database, article_id: int, error: str, retry_at: str | None, now: str
) -> None:
    """A failed attempt: tried again at ``retry_at``, or given up (None)."""
    db.execute(
        "UPDATE notifications SET attempts = attempts + 1, last_error = ?,"
        " next_attempt_at = COALESCE(?, next_attempt_at),"
        " given_up_at = CASE WHEN ? IS NULL THEN ? END WHERE article_id = ?",
        [error, retry_at, retry_at, now, article_id],
    )
