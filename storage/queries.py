"""Reads for analysts' commands: full-text search and the export."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from typing import Any

from storage.store import Store, translate_errors

EXPORT_FIELDS = (
    "id",
    "url",
    "canonical_url",
    "outlet",
    "outlet_name",
    "title",
    "description",
    "text",
    "published_at",
    "authors",
    "language",
    "topic",
    "relevance_score",
    "matched_terms",
    "word_count",
    "fetched_at",
    "stored_at",
    "story_id",
    "duplicate_of",
    "republications",
    "version",
    "topic_status",
    "label",
)
_LIST_FIELDS = ("authors", "matched_terms")

_SEARCH_SQL = """
SELECT a.id, a.outlet_id AS outlet, a.title, a.url, a.published_at, a.relevance_score,
       a.topic_status, snippet(articles_fts, 1, '[', ']', ' … ', 16) AS snippet
FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
WHERE articles_fts MATCH :query AND a.duplicate_of IS NULL AND a.topic_status != 'off_topic'
ORDER BY rank LIMIT :limit
"""

_EXPORT_SQL = """
SELECT a.id, a.url, a.canonical_url, a.outlet_id AS outlet, o.name AS outlet_name, a.title,
       a.description, a.text, a.published_at, a.authors, a.language,
       COALESCE(t.topic_id, a.topic_id) AS topic,
       COALESCE(t.relevance_score, a.relevance_score) AS relevance_score,
       COALESCE(t.matched_terms, a.matched_terms) AS matched_terms,
       a.word_count, a.fetched_at, a.stored_at, a.story_id, a.duplicate_of,
       (SELECT COUNT(*) FROM articles c WHERE c.duplicate_of = a.id) AS republications,
       a.version, a.topic_status, a.label
FROM articles a
JOIN outlets o ON o.id = a.outlet_id
LEFT JOIN article_topics t ON t.article_id = a.id AND t.topic_id = :topic
WHERE (:since IS NULL OR COALESCE(a.published_at, a.fetched_at) >= :since)
  AND (:topic IS NULL OR t.topic_id IS NOT NULL)
  AND (:republications OR a.duplicate_of IS NULL)
  AND (a.topic_status = 'on_topic' OR (:borderline AND a.topic_status = 'borderline'))
ORDER BY COALESCE(a.published_at, a.fetched_at), a.id
"""


def search_articles(store: Store, query: str, limit: int = 20) -> list[dict[str, Any]]:
    """Articles matching an FTS5 query, best first, with a highlighted snippet; each report
    once (republications left out), borderline ones too, none an analyst labelled off. A
    query that is not valid FTS5 syntax is searched as plain words instead."""
    params = {"query": query, "limit": limit}
    try:
        return list(store.db.query(_SEARCH_SQL, params))
    except sqlite3.OperationalError:
        params["query"] = store.db.quote_fts(query)
        with translate_errors():
            return list(store.db.query(_SEARCH_SQL, params))


def export_articles(
    store: Store,
    since: str | None = None,
    topic: str | None = None,
    republications: bool = False,
    borderline: bool = False,
) -> Iterator[dict[str, Any]]:
    """Stored on-topic articles in publication order, list columns decoded from JSON; each
    report once (its republications counted) unless ``republications`` asks for the copies
    too; ``borderline`` adds the unlabelled ones in the review band."""
    params = {
        "since": since,
        "topic": topic,
        "republications": republications,
        "borderline": borderline,
    }
    with translate_errors():
        for row in store.db.query(_EXPORT_SQL, params):
            yield {**row, **{name: json.loads(row[name] or "[]") for name in _LIST_FIELDS}}
