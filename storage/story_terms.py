"""Story terms: the names and figures of each original article by day (``story_terms``, the
index a new report probes) and in how many articles each term, words included, occurs
(``story_term_counts``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlite_utils

CANDIDATE_LIMIT = 20
PROBE_TERMS = 32
MIN_SHARED = 2  # a story needs at least two shared particulars (see crawler.content.stories)


def add_terms(
    db: sqlite_utils.Database,
    article_id: int,
    day: str,
    indexed: Iterable[str],
    counted: Iterable[str],
) -> None:
    """Index the ``indexed`` terms under the article and its day; count every term."""
    db.conn.executemany(
        "INSERT OR IGNORE INTO story_terms (term, day, article_id) VALUES (?, ?, ?)",
        [(term, day, article_id) for term in indexed],
    )
    db.conn.executemany(
        "INSERT INTO story_term_counts (term, articles) VALUES (?, 1)"
        " ON CONFLICT (term) DO UPDATE SET articles = articles + 1",
        [(term,) for term in counted],
    )


def counts(db: sqlite_utils.Database, terms: Iterable[str]) -> dict[str, int]:
    """How many articles each of the terms occurs in (absent: none)."""
    terms = list(terms)
    found: dict[str, int] = {}
    for start in range(0, len(terms), 500):
        chunk = terms[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        rows = db.execute(
            f"SELECT term, articles FROM story_term_counts WHERE term IN ({marks})", chunk
        )
        found.update((term, int(n)) for term, n in rows)
    return found


def article_total(db: sqlite_utils.Database) -> int:
    """The number of articles, for term rarity (the highest id: no count over the table)."""
    row = db.execute("SELECT MAX(id) FROM articles").fetchone()
    return int(row[0] or 0)


def sharing_terms(
    db: sqlite_utils.Database, probe: list[str], first_day: str, last_day: str
) -> list[dict[str, Any]]:
    """Original articles between two days sharing at least ``MIN_SHARED`` probe terms, most
    shared first, with their story, language, title and text."""
    if len(probe) < MIN_SHARED:
        return []
    marks = ", ".join("?" * len(probe))
    return list(
        db.query(
            "SELECT a.id, a.story_id, a.language, a.title, a.text FROM articles a JOIN ("
            f" SELECT article_id, COUNT(*) AS shared FROM story_terms WHERE term IN ({marks})"
            " AND day BETWEEN ? AND ? GROUP BY article_id HAVING shared >= ?"
            " ORDER BY shared DESC LIMIT ?"
            ") s ON s.article_id = a.id WHERE a.duplicate_of IS NULL",
            [*probe, first_day, last_day, MIN_SHARED, CANDIDATE_LIMIT],
        )
    )
