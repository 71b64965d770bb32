"""Analysts' labels: verdicts that promote or demote stored articles, and the review band.

An article is stored ``on_topic`` or ``borderline`` (below its topic's threshold, within the
review band). A label ``on`` makes it ``on_topic``, ``off`` makes it ``off_topic``; the
article keeps its latest label, ``labels`` keeps every one. A label applied late (after a
newer one) is recorded but does not change the article.
"""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from storage.store import Store, first_row, translate_errors

STATUS_FOR_LABEL = {"on": "on_topic", "off": "off_topic"}

_REVIEW_SQL = """
SELECT a.id, a.outlet_id, a.language, a.title, a.url, a.published_at, a.stored_at,
       a.topic_id, a.relevance_score, a.topic_status, a.relevance_details
FROM articles a
WHERE a.label IS NULL AND a.duplicate_of IS NULL
  AND (a.topic_status = 'borderline'
       OR (a.topic_status = 'on_topic' AND :above AND a.relevance_score
           < json_extract(a.relevance_details, '$.threshold')
             + COALESCE(json_extract(a.relevance_details, '$.review_band'), 0)))
ORDER BY a.stored_at DESC, a.id DESC
LIMIT :limit
"""

_LABELLED_SQL = """
SELECT l.id AS label_id, l.article_id AS id, a.url, a.language, l.label, 'analyst' AS kind,
       l.note AS why, l.labelled_at, l.topic_id AS topic, l.score, l.status_before,
       a.title, a.description, a.text
FROM labels l JOIN articles a ON a.id = l.article_id
WHERE l.id = (SELECT MAX(m.id) FROM labels m WHERE m.article_id = l.article_id)
ORDER BY l.labelled_at, l.id
"""


def label_target(db: sqlite_utils.Database, article_id: int) -> dict[str, Any] | None:
    """What a label changes on an article: its status, latest label time, topic and score."""
    return first_row(
        db,
        "SELECT topic_status, labelled_at, topic_id, relevance_score FROM articles WHERE id = ?",
        [article_id],
    )


def has_label(db: sqlite_utils.Database, label_id: str) -> bool:
    return any(True for _ in db.query("SELECT 1 FROM labels WHERE label_id = ?", [label_id]))


def add_label(
    db: sqlite_utils.Database,
    article_id: int,
    label: str,
    *,
    labelled_at: str,
    label_id: str,
    note: str | None = None,
) -> str:
    """Record a label; change the article unless a newer label is on it. Return the article's
    status after the label (its status now, if the label came late)."""
    target = label_target(db, article_id)
    assert target is not None
    before = target["topic_status"]
    late = target["labelled_at"] is not None and labelled_at < target["labelled_at"]
    after = before if late else STATUS_FOR_LABEL[label]
    db.table("labels").insert(
        {
            "label_id": label_id,
            "article_id": article_id,
            "topic_id": target["topic_id"],
            "label": label,
            "note": note,
            "labelled_at": labelled_at,
            "status_before": before,
            "status_after": after,
            "score": target["relevance_score"],
        }
    )
    if not late:
        db.execute(
            "UPDATE articles SET topic_status = ?, label = ?, labelled_at = ? WHERE id = ?",
            [after, label, labelled_at, article_id],
        )
    return after


def review_queue(store: Store, above: bool, limit: int) -> list[dict[str, Any]]:
    """Unlabelled originals to review, latest first: the borderline ones, and with ``above``
    also those kept on topic by less than their topic's review band above its threshold."""
    params = {"above": above, "limit": limit}
    with translate_errors():
        rows = list(store.db.query(_REVIEW_SQL, params))
    for row in rows:
        row["relevance_details"] = json.loads(row["relevance_details"] or "{}")
    return rows


def labelled(store: Store) -> list[dict[str, Any]]:
    """Each labelled article with its latest label and its text: a labelled evaluation set
    in the format ``bench/topic.py --labels`` reads."""
    with translate_errors():
        return list(store.db.query(_LABELLED_SQL))
