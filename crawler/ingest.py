"""The store writer: applies spooled crawl results to the store, one transaction each.

For every fetched page it decides — freshness, topic relevance, duplicate by canonical URL or
by body fingerprint — and records the outcome of the URL with its reason. It is the only code
that writes articles; it runs right after each crawl (``newsmon crawl``) or as the daemon's
own job. Applying a record twice changes nothing, so a killed writer simply starts again.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from crawler.canonical import canonicalize
from crawler.config import Config, OutletConfig
from crawler.dedup import body_fingerprint
from crawler.discovery import freshness_cutoff
from crawler.extraction import EXTRACTOR
from crawler.relevance import CompiledTopic, Relevance
from crawler.spool import FailureRecord, PageRecord, Record, RunRecord, SourceRecord, Spool
from storage import Store, articles, runs, sources, urls, utc_now

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Decision:
    """What becomes of one extracted page: a URL state, its reason, the topics it is on."""

    state: str
    reason: str
    best: Relevance | None = None
    on_topics: tuple[Relevance, ...] = ()
    duplicate_of: int | None = None


@dataclass
class IngestStats:
    applied: int = 0
    quarantined: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)


class Judge:
    """Freshness and relevance decisions for an outlet's pages (no store access)."""

    def __init__(self, config: Config, now: datetime | None = None) -> None:
        self.config = config
        self.now = now or datetime.now(UTC)
        self._compiled = {tid: CompiledTopic(t) for tid, t in config.topics.items()}

    def judge(self, outlet: OutletConfig, article: dict[str, Any]) -> Decision:
        if _is_too_old(article.get("published_at"), self._cutoff(outlet)):
            return Decision(
                "too_old",
                f"published {article['published_at']}, "
                f"before the {self._max_age(outlet)}-day freshness window",
            )
        scores = [
            self._compiled[t.id].score(*_fields(article), article.get("language"))
            for t in self.config.topics_for(outlet)
        ]
        best = max(scores, key=lambda r: r.score)
        on = tuple(sorted((r for r in scores if r.on_topic), key=lambda r: -r.score))
        if not on:
            return Decision("off_topic", best.reason, best)
        return Decision("stored", on[0].reason, on[0], on)

    def _max_age(self, outlet: OutletConfig) -> int:
        return outlet.max_age_days or self.config.settings.crawl.max_age_days

    def _cutoff(self, outlet: OutletConfig) -> datetime:
        return freshness_cutoff(self.now, self._max_age(outlet))


def _fields(article: dict[str, Any]) -> tuple[str, str, str]:
    """Title, lead and body for scoring: the lead is the description, or else the first
    paragraph (which then leaves the body, so it is not counted twice)."""
    paragraphs = article["text"].split("\n")
    if article.get("description"):
        return article.get("title") or "", article["description"], article["text"]
    return article.get("title") or "", paragraphs[0], "\n".join(paragraphs[1:])


def _is_too_old(published_at: str | None, cutoff: datetime) -> bool:
    if not published_at:
        return False
    try:
        published = datetime.fromisoformat(published_at)
    except ValueError:
        return False
    if published.tzinfo is None:
        published = published.replace(tzinfo=UTC)
    # a bare date counts as the end of that day, so "today" is never too old
    if len(published_at) == 10:
        published = published.replace(hour=23, minute=59, second=59)
    return published < cutoff


class Ingestor:
    """Applies a spool to a store: the single writer of articles and URL decisions."""

    def __init__(self, store: Store, config: Config, now: datetime | None = None) -> None:
        self.store = store
        self.config = config
        self.judge = Judge(config, now)
        self.keep_raw_html = config.settings.store.keep_raw_html
        self.max_attempts = config.settings.fetch.max_fetch_attempts

    def ingest(self, spool: Spool) -> IngestStats:
        """Apply every pending record; unreadable files are moved to ``rejected/``."""
        stats = IngestStats()
        spool.remove_orphaned_temporaries()
        for path in spool.pending():
            outcome = self._apply_file(spool, path)
            stats.outcomes[outcome] += 1
            if outcome == "quarantined":
                stats.quarantined += 1
            else:
                stats.applied += 1
        return stats

    def _apply_file(self, spool: Spool, path: Path) -> str:
        try:
            record = spool.read(path)
        except FileNotFoundError:
            return "vanished"
        except (ValueError, OSError) as exc:
            target = spool.quarantine(path)
            log.error("spool file %s is unreadable (%s); moved to %s", path.name, exc, target)
            return "quarantined"
        with self.store.transaction() as db:
            outcome = self._apply(db, record)
        spool.remove(path)
        return outcome

    def _apply(self, db: sqlite_utils.Database, record: Record) -> str:
        if isinstance(record, PageRecord):
            return self._apply_page(db, record)
        if isinstance(record, FailureRecord):
            return self._apply_failure(db, record)
        if isinstance(record, SourceRecord):
            return self._apply_source(db, record)
        return self._apply_run(db, record)

    # -- pages ------------------------------------------------------------------------------

    def _apply_page(self, db: sqlite_utils.Database, record: PageRecord) -> str:
        existing = urls.get_url(db, record.url)
        if existing and existing["state"] in urls.TERMINAL_STATES:
            return "already_applied"
        outlet = self.config.outlets.get(record.outlet_id)
        if record.article is None or outlet is None:
            reason = record.no_body_reason or f"outlet {record.outlet_id!r} is not configured"
            self._record(db, record, "no_body", reason)
            runs.add_counts(db, record.run_id, no_body=1)
            return "no_body"
        decision = self.judge.judge(outlet, record.article)
        if decision.state == "stored":
            decision = self._dedupe(db, record, decision)
        return self._write_decision(db, record, decision)

    def _dedupe(
        self, db: sqlite_utils.Database, record: PageRecord, decision: Decision
    ) -> Decision:
        assert record.article is not None
        canonical = self._canonical_url(record)
        same_url = articles.find_by_canonical_url(db, canonical)
        if same_url is not None:
            reason = f"same canonical URL as article {same_url}"
            return Decision("duplicate", reason, decision.best, duplicate_of=same_url)
        same_text = articles.find_by_body_hash(db, body_fingerprint(record.article["text"]))
        if same_text is not None:
            reason = f"same text as article {same_text}"
            return Decision("duplicate", reason, decision.best, duplicate_of=same_text)
        return decision

    def _write_decision(
        self, db: sqlite_utils.Database, record: PageRecord, decision: Decision
    ) -> str:
        page_id = self._keep_page(db, record, decision.state)
        article_id = decision.duplicate_of
        if decision.state == "stored":
            article_id = self._insert_article(db, record, decision, page_id)
        score = decision.best.score if decision.best else None
        self._record(
            db,
            record,
            decision.state,
            decision.reason,
            article_id=article_id,
            relevance_score=score,
            page_id=page_id,
        )
        counter = {"stored": "stored", "off_topic": "off_topic", "duplicate": "duplicates"}
        if decision.state in counter:
            runs.add_counts(db, record.run_id, **{counter[decision.state]: 1})
        return decision.state

    def _keep_page(self, db: sqlite_utils.Database, record: PageRecord, state: str) -> int | None:
        wanted = self.keep_raw_html == "all" or (
            self.keep_raw_html == "stored" and state == "stored"
        )
        if not wanted or record.html_gzip is None:
            return None
        return articles.insert_page(
            db,
            url=record.final_url,
            fetched_at=record.fetched_at,
            http_status=record.http_status,
            content_type=record.content_type,
            html_gzip=record.html_gzip,
        )

    def _insert_article(
        self, db: sqlite_utils.Database, record: PageRecord, decision: Decision, page_id: int | None
    ) -> int:
        assert record.article is not None and decision.best is not None
        extracted = record.article
        row = {
            "outlet_id": record.outlet_id,
            "url": record.final_url,
            "canonical_url": self._canonical_url(record),
            "title": extracted["title"],
            "description": extracted["description"],
            "text": extracted["text"],
            "authors": list(extracted["authors"]),
            "published_at": extracted["published_at"],
            "language": extracted["language"],
            "site_name": extracted["site_name"],
            "image_url": extracted["image_url"],
            "word_count": extracted["word_count"],
            "body_sha256": body_fingerprint(extracted["text"]),
            "topic_id": decision.best.topic_id,
            "relevance_score": decision.best.score,
            "matched_terms": decision.best.matched_terms,
            "relevance_details": decision.best.details(),
            "extractor": EXTRACTOR,
            "fetched_at": record.fetched_at,
            "stored_at": utc_now(),
            "run_id": record.run_id,
            "page_id": page_id,
        }
        topics = [
            {"topic_id": r.topic_id, "relevance_score": r.score, "matched_terms": r.matched_terms}
            for r in decision.on_topics
        ]
        return articles.insert_article(db, row, topics)

    @staticmethod
    def _canonical_url(record: PageRecord) -> str:
        declared = (record.article or {}).get("canonical_url")
        return str(declared) if declared else canonicalize(record.final_url)

    def _record(
        self, db: sqlite_utils.Database, record: PageRecord, state: str, reason: str, **fields: Any
    ) -> None:
        """File the decision under the URL's key and under its aliases (the redirect target
        and the declared canonical URL), so none of them is fetched again."""
        canonical = self._canonical_url(record) if record.article else None
        row = {
            "http_status": record.http_status,
            "final_url": record.final_url,
            "run_id": record.run_id,
            "canonical_url": canonical,
            **fields,
        }
        urls.record_url(db, record.url, record.outlet_id, state, reason, **row)
        alias_reason = f"alias of {record.url}: {reason}"
        for alias in {canonicalize(record.final_url), canonical} - {record.url, None}:
            if alias and urls.get_url(db, alias) is None:
                urls.record_url(db, alias, record.outlet_id, state, alias_reason, **row)

    # -- failures, sources, runs ------------------------------------------------------------

    def _apply_failure(self, db: sqlite_utils.Database, record: FailureRecord) -> str:
        existing = urls.get_url(db, record.url)
        if existing and existing["state"] in urls.TERMINAL_STATES:
            return "already_applied"
        state: str = record.state
        reason, attempts = record.reason, 0
        if state == "retry":
            attempts = (existing["attempts"] if existing else 0) + 1
            if attempts >= self.max_attempts:
                state, reason = "failed", f"gave up after {attempts} attempts: {reason}"
        urls.record_url(
            db,
            record.url,
            record.outlet_id,
            state,
            reason,
            http_status=record.http_status,
            attempts=attempts,
            run_id=record.run_id,
        )
        if state != "blocked":
            runs.add_counts(db, record.run_id, errors=1)
        return state

    def _apply_source(self, db: sqlite_utils.Database, record: SourceRecord) -> str:
        sources.record_source(
            db,
            {
                "outlet_id": record.outlet_id,
                "url": record.url,
                "kind": record.kind,
                "etag": record.etag,
                "last_modified": record.last_modified,
                "last_fetched_at": record.fetched_at,
                "last_status": record.http_status,
                "last_entries": record.entries,
                "last_error": record.error,
            },
        )
        if record.error:
            runs.add_counts(db, record.run_id, errors=1)
            return "source_error"
        return "source"

    def _apply_run(self, db: sqlite_utils.Database, record: RunRecord) -> str:
        runs.set_summary(
            db,
            record.run_id,
            status=record.status,
            finished_at=record.finished_at,
            discovered=record.discovered,
            skipped_known=record.skipped_known,
            skipped_old=record.skipped_old,
            requested=record.requested,
            retry_after_seconds=record.retry_after_seconds,
            error=record.error,
        )
        if record.errors:
            runs.add_counts(db, record.run_id, errors=record.errors)
        return "run"
