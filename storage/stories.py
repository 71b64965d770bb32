"""Reads about stories and one article's relations: for ``newsmon stories`` and ``show``."""

from __future__ import annotations

import json
from typing import Any

from storage.store import Store, translate_errors

_REPORT_COLUMNS = (
    "a.id, a.outlet_id, a.language, a.title, a.url, a.published_at, a.stored_at,"
    " a.duplicate_of, a.duplicate_similarity, a.duplicate_rule, a.story_id,"
    " a.story_matched_id, a.story_similarity, a.story_evidence"
)


def recent_stories(store: Store, since: str | None, limit: int) -> list[dict[str, Any]]:
    """Stories whose latest report was stored on or after ``since``, latest first."""
    with translate_errors():
        return list(
            store.db.query(
                "SELECT * FROM stories WHERE (:since IS NULL OR last_seen_at >= :since)"
                " ORDER BY last_seen_at DESC, story_id DESC LIMIT :limit",
                {"since": since, "limit": limit},
            )
        )


def reports(store: Store, story_id: int) -> list[dict[str, Any]]:
    """A story's reports, originals first, each with what made it join."""
    with translate_errors():
        rows = store.db.query(
            f"SELECT {_REPORT_COLUMNS} FROM articles a WHERE a.story_id = ?"
            " ORDER BY a.duplicate_of IS NOT NULL, COALESCE(a.published_at, a.stored_at), a.id",
            [story_id],
        )
        return [_decoded(row) for row in rows]


def article(store: Store, article_id: int) -> dict[str, Any] | None:
    """One article with its text and relations (not its raw page)."""
    with translate_errors():
        rows = list(
            store.db.query(
                f"SELECT {_REPORT_COLUMNS}, a.text, a.relevance_score, a.matched_terms, a.version"
                " FROM articles a WHERE a.id = ?",
                [article_id],
            )
        )
    return _decoded(rows[0]) if rows else None


def republications(store: Store, article_id: int) -> list[dict[str, Any]]:
    with translate_errors():
        rows = store.db.query(
            f"SELECT {_REPORT_COLUMNS} FROM articles a WHERE a.duplicate_of = ? ORDER BY a.id",
            [article_id],
        )
        return [_decoded(row) for row in rows]


def _decoded(row: dict[str, Any]) -> dict[str, Any]:
    decoded = dict(row)
    for name in ("story_evidence", "matched_terms"):
        if name in decoded:
            decoded[name] = json.loads(decoded[name] or "[]")
    return decoded
