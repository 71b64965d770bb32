"""Re-extraction: extraction and the topic decision run again over the raw HTML kept for stored
articles, after an outlet's ``[extract]`` options or the topic changed.

``reconsider`` decides (a pure function of the page, the outlet and the topic); the
``Reextractor`` stores what changed: a text that changed beyond formatting becomes the
article's next version (the previous one kept with its diff, as a recheck would), and a
changed decision updates the article's score, terms and status, unless an analyst's label
stands on it. The freshness window does not apply: these articles were fresh when stored.
"""

from __future__ import annotations

import gzip
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from crawler.config import Config
from crawler.content.article import NoArticleBody
from crawler.content.extraction import extract_article
from crawler.content.judge import Judge
from crawler.content.versions import Revision, revise
from crawler.ingest import store_revision
from storage import Store, articles, utc_now
from storage.queries import Filters, with_raw_html


@dataclass(frozen=True)
class Change:
    """What extracting and judging an article again came to."""

    article_id: int
    revision: Revision | None  # None: the text did not change
    decision: dict[str, Any] | None  # score, terms, details; None: no body any more
    status_before: str
    status_after: str
    score_before: float
    reason: str

    @property
    def changed(self) -> bool:
        score = self.decision["relevance_score"] if self.decision else None
        moved = self.status_after != self.status_before or score != self.score_before
        return self.revision is not None or moved


def reconsider(config: Config, judge: Judge, row: dict[str, Any], html: str) -> Change:
    """Extract and judge a stored article's page again; the label, if any, keeps its status."""
    outlet = config.outlets[row["outlet_id"]]
    before = (row["id"], row["topic_status"], row["relevance_score"])
    try:
        article = extract_article(
            html, row["url"], outlet.extract, config.settings.extract.min_words
        )
    except NoArticleBody as exc:
        return Change(before[0], None, None, before[1], before[1], before[2], exc.reason)
    decision = judge.relevance(outlet, article)
    best = decision.best
    assert best is not None
    status = best.verdict if decision.state == "stored" else "off_topic"
    kept = row["topic_status"] if row["label"] else status
    recorded = {
        "relevance_score": best.score,
        "matched_terms": best.matched_terms,
        "relevance_details": best.details(),
    }
    revision = revise(row["title"], row["text"], article)
    return Change(before[0], revision, recorded, before[1], kept, before[2], decision.reason)


class Reextractor:
    """Runs ``reconsider`` over the stored articles with kept HTML and stores the changes."""

    def __init__(self, store: Store, config: Config) -> None:
        self.store = store
        self.config = config
        self.judge = Judge(config, datetime.now(UTC))

    def run(self, outlets: Sequence[str] = (), since: str | None = None) -> list[Change]:
        changes = []
        wanted = Filters(stored_since=since, outlets=tuple(outlets), republications=True)
        for row in with_raw_html(self.store, wanted):
            if row["outlet_id"] not in self.config.outlets:
                continue
            html = gzip.decompress(row["html_gzip"]).decode("utf-8", errors="replace")
            change = reconsider(self.config, self.judge, row, html)
            if change.changed:
                with self.store.transaction() as db:
                    _store(db, row, change)
            changes.append(change)
        return changes


def _store(db: Any, row: dict[str, Any], change: Change) -> None:
    if change.revision is not None:
        store_revision(db, row, change.revision, utc_now())
    if change.decision is not None:
        articles.set_decision(db, change.article_id, change.decision, change.status_after)
