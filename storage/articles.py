"""Stored articles, their topics and their raw pages."""

from __future__ import annotations

import gzip
import json
from typing import Any

import sqlite_utils

from storage.store import last_id


def find_by_canonical_url(db: sqlite_utils.Database, canonical_url: str) -> int | None:
    row = db.execute("SELECT id FROM articles WHERE canonical_url = ?", [canonical_url]).fetchone()
    return int(row[0]) if row else None


def find_by_body_hash(db: sqlite_utils.Database, body_sha256: str, limit: int = 20) -> list[int]:
    """The first stored articles with this text fingerprint (a bounded lookup)."""
    rows = db.execute(
        "SELECT id FROM articles WHERE body_sha256 = ? ORDER BY id LIMIT ?", [body_sha256, limit]
    )
    return [int(row[0]) for row in rows]


_COPY_SQL = """
SELECT a.id, a.outlet_id, o.name AS outlet_name, a.published_at, a.text, a.duplicate_of,
       a.story_id
FROM articles a JOIN outlets o ON o.id = a.outlet_id
"""


def copies(db: sqlite_utils.Database, ids: list[int]) -> list[dict[str, Any]]:
    """What the copy checks need of these articles: outlet, its name, date, text, original
    and story."""
    if not ids:
        return []
    marks = ", ".join("?" * len(ids))
    return list(db.query(f"{_COPY_SQL} WHERE a.id IN ({marks}) ORDER BY a.id", ids))


def set_story(db: sqlite_utils.Database, article_id: int, story_id: int) -> None:
    db.execute("UPDATE articles SET story_id = ? WHERE id = ?", [story_id, article_id])


def demote(
    db: sqlite_utils.Database, original_id: int, new_original_id: int, similarity: float, rule: str
) -> None:
    """A stored original and its republications now republish ``new_original_id``."""
    note = f"; article {new_original_id} became their original ({rule})"
    db.execute(
        "UPDATE articles SET duplicate_of = ?, duplicate_rule = duplicate_rule || ?"
        " WHERE duplicate_of = ?",
        [new_original_id, note, original_id],
    )
    db.execute(
        "UPDATE articles SET duplicate_of = ?, duplicate_similarity = ?, duplicate_rule = ?"
        " WHERE id = ?",
        [new_original_id, similarity, rule, original_id],
    )


def insert_page(
    db: sqlite_utils.Database,
    *,
    url: str,
    fetched_at: str,
    http_status: int,
    content_type: str | None,
    html_gzip: bytes,
) -> int:
    """Keep a raw page (gzip-compressed, decoded to UTF-8) and return its id."""
    size = len(gzip.decompress(html_gzip))
    table = db.table("pages")
    table.insert(
        {
            "url": url,
            "fetched_at": fetched_at,
            "http_status": http_status,
            "content_type": content_type,
            "size_bytes": size,
            "html_gzip": html_gzip,
        }
    )
    return last_id(table)


def insert_article(
    db: sqlite_utils.Database, article: dict[str, Any], topics: list[dict[str, Any]]
) -> int:
    """Insert an article and the topics it is on; JSON-encode list and dict columns."""
    row = {key: _json(value) for key, value in article.items()}
    table = db.table("articles")
    table.insert(row)
    article_id = last_id(table)
    for topic in topics:
        db.table("article_topics").insert(
            {"article_id": article_id, **{k: _json(v) for k, v in topic.items()}}
        )
    return article_id


def _json(value: Any) -> Any:
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def unindexed(db: sqlite_utils.Database, limit: int) -> list[dict[str, Any]]:
    """Articles stored before the near-duplicate and story indexes existed, oldest first."""
    return list(
        db.query(
            "SELECT id, title, text, published_at, duplicate_of FROM articles"
            " WHERE indexed = 0 ORDER BY id LIMIT ?",
            [limit],
        )
    )


def mark_indexed(db: sqlite_utils.Database, article_id: int) -> None:
    db.execute("UPDATE articles SET indexed = 1 WHERE id = ?", [article_id])


def set_decision(
    db: sqlite_utils.Database, article_id: int, decision: dict[str, Any], status: str
) -> None:
    """Record a new topic decision on an article: score, terms, details, status."""
    db.execute(
        "UPDATE articles SET relevance_score = :relevance_score, matched_terms = :matched_terms,"
        " relevance_details = :relevance_details, topic_status = :status WHERE id = :id",
        {
            "relevance_score": decision["relevance_score"],
            "matched_terms": _json(decision["matched_terms"]),
            "relevance_details": _json(decision["relevance_details"]),
            "status": status,
            "id": article_id,
        },
    )
