"""Reads for analysts' commands: full-text search, the export and the latest articles."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from storage.errors import InvalidQuery
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

# which articles a read returns; every condition is off when its parameter is null
_FILTERS = """
  (:since IS NULL OR COALESCE(a.published_at, a.fetched_at) >= :since)
  AND (:stored_since IS NULL OR a.stored_at >= :stored_since)
  AND (:outlets IS NULL OR a.outlet_id IN (SELECT value FROM json_each(:outlets)))
  AND (:republications OR a.duplicate_of IS NULL)
"""
_KEPT = "(a.topic_status = 'on_topic' OR (:borderline AND a.topic_status = 'borderline'))"

_SEARCH_SQL = f"""
SELECT a.id, a.outlet_id AS outlet, a.title, a.url, a.published_at, a.stored_at,
       a.relevance_score, a.topic_status,
       snippet(articles_fts, 1, '[', ']', ' … ', 16) AS snippet
FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
WHERE articles_fts MATCH :query AND a.topic_status != 'off_topic' AND {_FILTERS}
ORDER BY rank LIMIT :limit
"""

_EXPORT_SELECT = """
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
"""
_EXPORT_SQL = f"""{_EXPORT_SELECT}
WHERE {_FILTERS} AND {_KEPT} AND (:topic IS NULL OR t.topic_id IS NOT NULL)
ORDER BY COALESCE(a.published_at, a.fetched_at), a.id
"""
_WITH_RAW_HTML = f"""
SELECT a.id, a.outlet_id, a.url, a.title, a.text, a.version, a.fetched_at, a.body_sha256,
       a.topic_status, a.label, a.relevance_score, p.html_gzip
FROM articles a JOIN pages p ON p.id = a.page_id
WHERE {_FILTERS}
ORDER BY a.id
"""
_RECENT_SQL = f"""{_EXPORT_SELECT}
WHERE {_FILTERS} AND {_KEPT} AND (:topic IS NULL OR t.topic_id IS NOT NULL)
ORDER BY a.stored_at DESC, a.id DESC LIMIT :limit
"""


@dataclass(frozen=True)
class Filters:
    """Which stored articles a read returns; the defaults return every on-topic report once."""

    since: str | None = None  # published (or, if the page gave no date, fetched) on or after
    stored_since: str | None = None  # stored on or after
    outlets: tuple[str, ...] = ()  # only these outlets
    topic: str | None = None  # only articles on this topic (and its score)
    republications: bool = False  # also the copies of other outlets' articles
    borderline: bool = False  # also unlabelled articles in the review band

    def params(self) -> dict[str, Any]:
        return {
            "since": self.since,
            "stored_since": self.stored_since,
            "outlets": json.dumps(list(self.outlets)) if self.outlets else None,
            "topic": self.topic,
            "republications": self.republications,
            "borderline": self.borderline,
        }


def search_articles(
    store: Store,
    query: str,
    filters: Filters = Filters(),
    limit: int = 20,
    rewrite: Callable[[str], str] | None = None,
) -> list[dict[str, Any]]:
    """Articles matching an FTS5 query, best first, with a highlighted snippet; each report
    once (republications left out), borderline ones too, none an analyst labelled off.
    ``rewrite`` turns the query into the FTS5 expression searched (word forms added).
    Raise InvalidQuery, saying why, for a query that is not valid FTS5 syntax."""
    match = rewrite(query) if rewrite else query
    params = {**filters.params(), "query": match, "limit": limit}
    try:
        return list(store.db.query(_SEARCH_SQL, params))
    except sqlite3.OperationalError as exc:
        if any(sign in str(exc) for sign in ("fts5", "no such column", "unterminated")):
            raise InvalidQuery(f"{query!r} is not a valid search: {exc}") from exc
        with translate_errors():
            raise


def export_articles(store: Store, filters: Filters = Filters()) -> Iterator[dict[str, Any]]:
    """Stored articles in publication order, list columns decoded from JSON (see
    ``Filters`` for which)."""
    with translate_errors():
        for row in store.db.query(_EXPORT_SQL, filters.params()):
            yield _decoded(row)


def recent_articles(store: Store, filters: Filters, limit: int) -> list[dict[str, Any]]:
    """The latest stored articles first (see ``Filters`` for which)."""
    with translate_errors():
        rows = store.db.query(_RECENT_SQL, {**filters.params(), "limit": limit})
        return [_decoded(row) for row in rows]


def _decoded(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, **{name: json.loads(row[name] or "[]") for name in _LIST_FIELDS}}


def with_raw_html(store: Store, filters: Filters) -> list[dict[str, Any]]:
    """Stored articles whose raw HTML is kept (see ``Filters`` for which), oldest first."""
    with translate_errors():
        return list(store.db.query(_WITH_RAW_HTML, filters.params()))
