"""The store writer: applies spooled crawl records to the store, one transaction each.

Deciding is ``crawler.content.judge`` (freshness, relevance, duplicates: decision values);
this module only stores what was decided: the article, the URL's outcome with its reason (in
the frontier, under the URL and its aliases), a source's validators together with the new
entries it listed, a run's counts. It is the only code that writes articles; it runs while
crawls run and right after each (``newsmon crawl``), or as the daemon's own job. Applying a
record twice changes nothing, so a killed writer simply starts again.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from crawler.canonical import canonicalize
from crawler.config import Config
from crawler.content.article import EXTRACTOR
from crawler.content.copies import CopyFacts
from crawler.content.dedup import body_fingerprint
from crawler.content.judge import Candidate, Decision, Judge, dedupe, place_in_story
from crawler.content.neardup import band_keys, shingles
from crawler.content.stories import common_terms, particulars, story_terms
from crawler.content.versions import Revision, next_recheck, revise
from crawler.frontier import TERMINAL_STATES, SqliteFrontier
from crawler.known import StoredArticles, story_day
from crawler.records import (
    FailureRecord,
    LabelRecord,
    PageRecord,
    RecheckRecord,
    Record,
    RunRecord,
    SourceRecord,
    keeps_raw_html,
)
from crawler.spool import Spool
from storage import (
    Store,
    articles,
    fingerprints,
    labels,
    notifications,
    runs,
    utc_now,
    versions,
)
from storage import story_terms as stored_terms
from storage.errors import StoreConstraint

log = logging.getLogger(__name__)
INDEX_BATCH = 500  # older articles filed in the new indexes per writer pass
# which run counter a decision adds to
_COUNTER = {"stored": "stored", "off_topic": "off_topic", "duplicate": "duplicates"}


@dataclass
class IngestStats:
    applied: int = 0
    quarantined: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)


def _quarantine(spool: Spool, path: Path, reason: str) -> str:
    target = spool.quarantine(path, reason)
    log.error("spool file %s %s; moved to %s", path.name, reason, target)
    return "quarantined"


def canonical_url_of(record: PageRecord) -> str:
    """The page's declared canonical URL, else its final URL, normalised."""
    declared = record.article.canonical_url if record.article else None
    return declared or canonicalize(record.final_url)


class Ingestor:
    """Applies a spool to a store: the single writer of articles and URL decisions."""

    def __init__(self, store: Store, config: Config, now: datetime | None = None) -> None:
        self.store = store
        self.config = config
        self.frontier = SqliteFrontier(store)
        self.judge = Judge(config, now or datetime.now(UTC))
        self.keep_raw_html = config.settings.store.keep_raw_html
        self.max_attempts = config.settings.fetch.max_fetch_attempts
        self.recheck_after_hours = config.settings.crawl.recheck_after_hours
        self.notify = config.settings.notify.webhook_url is not None
        self.common_names = {
            tid: common_terms(topic.story_common_names) for tid, topic in config.topics.items()
        }

    def ingest(self, spool: Spool) -> IngestStats:
        """Apply every pending record; unreadable files are moved to ``rejected/``."""
        stats = IngestStats()
        spool.remove_orphaned_temporaries()
        self.index_older_articles()
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
            return _quarantine(spool, path, f"unreadable: {exc}")
        try:
            with self.store.transaction() as db:
                outcome = self.apply(db, record)
        except StoreConstraint as exc:  # the record is wrong (a run the store does not have)
            return _quarantine(spool, path, f"cannot be applied: {exc}")
        spool.remove(path)
        return outcome

    def apply(self, db: sqlite_utils.Database, record: Record) -> str:
        """Apply one record inside the caller's transaction; return what it came to."""
        if isinstance(record, PageRecord):
            return self._apply_page(db, record)
        if isinstance(record, FailureRecord):
            return self._apply_failure(db, record)
        if isinstance(record, SourceRecord):
            return self._apply_source(db, record)
        if isinstance(record, RecheckRecord):
            return self._apply_recheck(db, record)
        if isinstance(record, LabelRecord):
            return _apply_label(db, record)
        return self._apply_run(db, record)

    # -- pages ------------------------------------------------------------------------------

    def decide(self, db: sqlite_utils.Database, record: PageRecord) -> Decision:
        """What becomes of a fetched page (reads the store for duplicates, writes nothing)."""
        outlet = self.config.outlets.get(record.outlet_id)
        if record.gate_reason and outlet is not None:
            return Decision("off_topic", record.gate_reason)
        if record.article is None or outlet is None:
            reason = record.no_body_reason or f"outlet {record.outlet_id!r} is not configured"
            return Decision("no_body", reason)
        decision = self.judge.judge(outlet, record.article)
        if decision.state != "stored":
            return decision
        common = self.common_names.get(decision.best.topic_id if decision.best else "")
        candidate = self._candidate(record, outlet.name, common or frozenset())
        known, settings = StoredArticles(db), self.config.settings.dedup
        decision = dedupe(decision, candidate, known, settings)
        return place_in_story(decision, candidate, known, settings)

    def _candidate(self, record: PageRecord, outlet_name: str, common: frozenset[str]) -> Candidate:
        article = record.article
        assert article is not None
        facts = CopyFacts(record.outlet_id, outlet_name, article.published_at, article.text)
        terms = story_terms(article.title, article.text)
        url = canonical_url_of(record)
        return Candidate(url, facts, article.title, article.language, terms, common)

    def _apply_page(self, db: sqlite_utils.Database, record: PageRecord) -> str:
        if self.frontier.state_of(record.url) in TERMINAL_STATES:
            return "already_applied"
        decision = self.decide(db, record)
        page_id = self._keep_page(db, record, decision.state)
        article_id = decision.duplicate_of
        if decision.state == "stored":
            article_id = self._insert_article(db, record, decision, page_id)
            self._index(db, article_id, record, decision)
            if self.notify and _announced(decision):
                notifications.queue(db, article_id, utc_now())
        score = decision.best.score if decision.best else None
        self._mark(
            record,
            decision.state,
            decision.reason,
            article_id=article_id,
            relevance_score=score,
            page_id=page_id,
        )
        counter = _COUNTER.get(decision.state, decision.state)
        if decision.state == "stored" and decision.best and decision.best.borderline:
            counter = "borderline"
        if counter in runs.COUNTERS:
            runs.add_counts(db, record.run_id, **{counter: 1})
        return decision.state

    def _keep_page(self, db: sqlite_utils.Database, record: PageRecord, state: str) -> int | None:
        judged = record.article is not None or record.gate_reason is not None  # not no_body
        if record.html_gzip is None or not keeps_raw_html(
            self.keep_raw_html, judged, state == "stored"
        ):
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
        extracted, best = record.article, decision.best
        assert extracted is not None and best is not None
        stored_at = utc_now()
        row = {
            "outlet_id": record.outlet_id,
            "url": record.final_url,
            "canonical_url": canonical_url_of(record),
            "title": extracted.title,
            "description": extracted.description,
            "text": extracted.text,
            "authors": list(extracted.authors),
            "published_at": extracted.published_at,
            "language": extracted.language,
            "site_name": extracted.site_name,
            "image_url": extracted.image_url,
            "word_count": extracted.word_count,
            "body_sha256": body_fingerprint(extracted.text),
            "topic_id": best.topic_id,
            "relevance_score": best.score,
            "topic_status": best.verdict,
            "matched_terms": best.matched_terms,
            "relevance_details": best.details(),
            "extractor": EXTRACTOR,
            "fetched_at": record.fetched_at,
            "stored_at": stored_at,
            "run_id": record.run_id,
            "page_id": page_id,
            "etag": record.etag,
            "last_modified": record.last_modified,
            "version_seen_at": record.fetched_at,
            "recheck_due_at": next_recheck(stored_at, 0, self.recheck_after_hours),
            **_provenance(decision),
        }
        topics = [
            {"topic_id": r.topic_id, "relevance_score": r.score, "matched_terms": r.matched_terms}
            for r in decision.on_topics
        ]
        return articles.insert_article(db, row, topics)

    def _index(
        self, db: sqlite_utils.Database, article_id: int, record: PageRecord, decision: Decision
    ) -> None:
        """File a new article in the near-duplicate index and, if it is an original, under
        its story terms; a new original replacing a stored one takes over its role."""
        relation = decision.republication
        if relation is not None and relation.demoted_id is not None:
            articles.demote(db, relation.demoted_id, article_id, relation.similarity, relation.rule)
        if decision.story is None:
            articles.set_story(db, article_id, article_id)
        assert record.article is not None
        original = relation is None or relation.demoted_id is not None
        terms = decision.story_terms if original else frozenset()
        _file(db, article_id, decision.band_keys, terms, record.article.published_at)

    def index_older_articles(self, limit: int = INDEX_BATCH) -> int:
        """File up to ``limit`` articles stored before the near-duplicate and story indexes
        existed (an upgraded store), in one transaction; return how many."""
        rows = articles.unindexed(self.store.db, limit)
        if not rows:
            return 0
        with self.store.transaction() as db:
            for row in rows:
                keys = band_keys(shingles(row["text"]))
                original = row["duplicate_of"] is None
                terms = story_terms(row["title"], row["text"]) if original else frozenset()
                _file(db, row["id"], keys, terms, row["published_at"])
        return len(rows)

    def _mark(self, record: PageRecord, state: str, reason: str, **fields: Any) -> None:
        """File the decision under the URL's key and under its aliases (the redirect target
        and the declared canonical URL) unless those are decided already, so none of them
        is fetched again."""
        canonical = canonical_url_of(record) if record.article else None
        row = {
            "http_status": record.http_status,
            "final_url": record.final_url,
            "run_id": record.run_id,
            "canonical_url": canonical,
            **fields,
        }
        self.frontier.mark(record.url, record.outlet_id, state, reason, **row)
        alias_reason = f"alias of {record.url}: {reason}"
        for alias in {canonicalize(record.final_url), canonical} - {record.url, None}:
            if alias and self.frontier.state_of(alias) not in TERMINAL_STATES:
                self.frontier.mark(alias, record.outlet_id, state, alias_reason, **row)

    # -- rechecks of stored articles ----------------------------------------------------------

    def _apply_recheck(self, db: sqlite_utils.Database, record: RecheckRecord) -> str:
        """A new version if the text changed; in any case count the recheck and set the next."""
        article = versions.recheck_state(db, record.article_id)
        if article is None:
            return "recheck_of_unknown_article"
        if _recheck_applied(article, record):
            return "already_applied"
        outcome = "recheck_failed" if record.error else "unchanged"
        revision = (
            revise(article["title"], article["text"], record.article) if record.article else None
        )
        if revision is not None:
            store_revision(db, article, revision, record.fetched_at)
            outcome = "revised"
        done = int(article["rechecks"]) + 1
        next_due = next_recheck(article["stored_at"], done, self.recheck_after_hours)
        versions.record_recheck(
            db,
            record.article_id,
            record.fetched_at,
            record.run_id,
            next_due,
            etag=record.etag,
            last_modified=record.last_modified,
        )
        return outcome

    # -- failures, sources, runs ------------------------------------------------------------

    def _apply_failure(self, db: sqlite_utils.Database, record: FailureRecord) -> str:
        if self.frontier.state_of(record.url) in TERMINAL_STATES:
            return "already_applied"
        state: str = record.state
        reason, attempts = record.reason, 0
        if state == "retry":
            attempts = self.frontier.attempts(record.url) + 1
            if attempts >= self.max_attempts:
                state, reason = "failed", f"gave up after {attempts} attempts: {reason}"
        self.frontier.mark(
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
        self.frontier.record_source(record)
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


def store_revision(
    db: sqlite_utils.Database, article: dict[str, Any], revision: Revision, seen_at: str
) -> None:
    """Make a changed text the article's new version (the previous one kept with the diff)
    and file its near-duplicate keys."""
    row = {
        "title": revision.title,
        "text": revision.text,
        "body_sha256": revision.body_sha256,
        "diff": revision.diff,
        "added_lines": revision.added,
        "removed_lines": revision.removed,
    }
    versions.add_version(db, article, row, seen_at)
    fingerprints.replace_bands(db, article["id"], band_keys(shingles(revision.text)))


def _file(
    db: sqlite_utils.Database,
    article_id: int,
    keys: Iterable[int],
    terms: frozenset[str],
    published_at: str | None,
) -> None:
    """Put an article in the near-duplicate index and (an original) the story index."""
    fingerprints.add_bands(db, article_id, keys)
    if terms:
        stored_terms.add_terms(db, article_id, story_day(published_at), particulars(terms), terms)
    articles.mark_indexed(db, article_id)


def _announced(decision: Decision) -> bool:
    """Whether a stored article is news to announce: on topic, and not a copy of another."""
    relation = decision.republication
    on_topic = decision.best is not None and decision.best.on_topic
    return on_topic and (relation is None or relation.original_id is None)


def _apply_label(db: sqlite_utils.Database, record: LabelRecord) -> str:
    """An analyst's label: recorded, and the article promoted or demoted (``storage.labels``)."""
    if labels.label_target(db, record.article_id) is None:
        return "label_of_unknown_article"
    if labels.has_label(db, record.label_id):
        return "already_applied"
    labels.add_label(
        db,
        record.article_id,
        record.label,
        labelled_at=record.labelled_at,
        label_id=record.label_id,
        note=record.note,
    )
    return f"labelled_{record.label}"


def _provenance(decision: Decision) -> dict[str, Any]:
    """The article columns that say what it copies and which story it tells."""
    row: dict[str, Any] = {}
    relation, story = decision.republication, decision.story
    if relation is not None and relation.original_id is not None:
        row.update(
            duplicate_of=relation.original_id,
            duplicate_similarity=round(relation.similarity, 3),
            duplicate_rule=relation.rule,
        )
    if story is not None:
        row.update(
            story_id=story.story_id,
            story_matched_id=story.article_id,
            story_similarity=story.similarity,
            story_evidence=list(story.shared),
        )
    return row


def _recheck_applied(article: dict[str, Any], record: RecheckRecord) -> bool:
    """Whether the article already had this recheck or a later one: told by the run (runs
    only grow); for a recheck recorded before runs were kept, by its time."""
    if article["rechecked_run_id"] is not None:
        return record.run_id <= int(article["rechecked_run_id"])
    return bool(article["rechecked_at"]) and record.fetched_at <= article["rechecked_at"]
