"""Reads behind ``newsmon status``: per-outlet schedule and last run, store-wide counts."""

from __future__ import annotations

from typing import Any

from storage.store import Store, translate_errors

_LAST_RUNS = """
SELECT r.* FROM runs r
JOIN (SELECT outlet_id, MAX(id) AS id FROM runs WHERE status != 'running' GROUP BY outlet_id) last
  ON last.id = r.id
"""
_LAST_ARTICLES = "SELECT outlet_id, MAX(stored_at) AS at FROM articles GROUP BY outlet_id"
_LAST_ERRORS = """
SELECT r.outlet_id, r.id AS run, COALESCE(r.finished_at, r.started_at) AS at, r.error
FROM runs r
JOIN (SELECT outlet_id, MAX(id) AS id FROM runs WHERE error IS NOT NULL GROUP BY outlet_id) last
  ON last.id = r.id
"""


def outlet_rows(store: Store) -> dict[str, dict[str, Any]]:
    """For every outlet the store knows: its row, schedule state, last finished run, last
    run with an error and the time of its last stored article."""
    outlets = {row["id"]: {"outlet": row} for row in store.db.query("SELECT * FROM outlets")}
    for row in store.db.query("SELECT * FROM schedule"):
        outlets.setdefault(row["outlet_id"], {})["schedule"] = row
    for row in store.db.query(_LAST_RUNS):
        outlets.setdefault(row["outlet_id"], {})["last_run"] = row
    for row in store.db.query(_LAST_ARTICLES):
        outlets.setdefault(row["outlet_id"], {})["last_article_at"] = row["at"]
    for row in store.db.query(_LAST_ERRORS):
        outlets.setdefault(row.pop("outlet_id"), {})["last_error"] = row
    running = store.db.query("SELECT outlet_id, started_at FROM runs WHERE status = 'running'")
    for row in running:
        outlets.setdefault(row["outlet_id"], {})["running_since"] = row["started_at"]
    return outlets


def totals(store: Store, since: str) -> dict[str, int]:
    """Articles stored in all and since a time."""
    all_articles = store.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    recent = store.db.execute(
        "SELECT COUNT(*) FROM articles WHERE stored_at >= ?", [since]
    ).fetchone()[0]
    return {"articles_total": int(all_articles), "articles_recent": int(recent)}


_PAGES = """
SELECT COUNT(*) AS pages, SUM(state = 'no_body') AS no_body
FROM urls
WHERE outlet_id = :outlet AND updated_at >= :start AND updated_at < :end
  AND state IN ('stored', 'off_topic', 'duplicate', 'no_body', 'too_old')
  AND reason NOT LIKE 'gate:%'
"""
_ARTICLES = """
SELECT COUNT(*) AS articles, SUM(title IS NULL) AS no_title,
       SUM(published_at IS NULL) AS no_date, AVG(word_count) AS words
FROM articles
WHERE outlet_id = :outlet AND stored_at >= :start AND stored_at < :end
"""


def extraction_figures(store: Store, outlet_id: str, start: str, end: str) -> dict[str, Any]:
    """What extraction made of an outlet's pages decided in [start, end): pages extracted,
    those without a body; articles stored, without a title, without a date, mean words."""
    params = {"outlet": outlet_id, "start": start, "end": end}
    with translate_errors():
        pages = next(iter(store.db.query(_PAGES, params)))
        stored = next(iter(store.db.query(_ARTICLES, params)))
    return {key: value or 0 for key, value in {**pages, **stored}.items()}
