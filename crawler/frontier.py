"""The frontier: what is known, what waits to be fetched, and what a source last said.

``Frontier`` is the interface a crawl and the store writer use; ``SqliteFrontier`` implements
it on the store (the ``urls`` and ``sources`` tables). Only plain values cross it
(``FrontierEntry``, ``SourceState``, ``DiscoveredEntry``), so that a shared implementation on
another engine (Redis or PostgreSQL, for crawl workers on several machines) can replace it the
way scrapy-redis replaces Scrapy's scheduler.

The crawl side reads: ``state_of`` (known?), ``source_state`` (validators for a conditional
GET), ``take`` (an outlet's waiting URLs, newest listed first), ``due_rechecks`` (stored
articles to fetch again, with their pages' validators). The writer side records:
``record_source`` (a source's new entries together with its validators, so validators never
run ahead of what is recorded), ``mark`` (a URL's decision) and ``expire`` (waiting URLs that
left the freshness window).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from crawler.records import FollowedLink, SourceRecord
from storage import Store, format_utc, sources, urls, versions
from storage.urls import TERMINAL_STATES, WAITING_STATES

__all__ = [
    "TERMINAL_STATES",
    "WAITING_STATES",
    "Frontier",
    "FrontierEntry",
    "RecheckEntry",
    "SourceState",
    "SqliteFrontier",
]


@dataclass(frozen=True)
class FrontierEntry:
    """A URL waiting to be fetched, with what its source said of it."""

    url: str
    source_url: str | None
    title: str | None
    published_at: str | None
    first_seen_at: str
    attempts: int


@dataclass(frozen=True)
class RecheckEntry:
    """A stored article due to be fetched again, with its page's validators."""

    article_id: int
    url: str
    etag: str | None
    last_modified: str | None


@dataclass(frozen=True)
class SourceState:
    """What the last successful fetch of a discovery document left."""

    etag: str | None = None
    last_modified: str | None = None
    body_sha256: str | None = None
    follow: tuple[FollowedLink, ...] = ()


class Frontier(Protocol):
    """What crawls and the store writer need to know about URLs and sources."""

    def state_of(self, url: str) -> str | None:
        """The URL's state ('pending', 'retry', 'blocked' or a terminal one), None if new."""
        ...

    def attempts(self, url: str) -> int:
        """How many crawls failed on the URL so far (0 if none or never listed)."""
        ...

    def source_state(self, outlet_id: str, url: str) -> SourceState:
        """Validators, body hash and follow list of a document (empty if never fetched)."""
        ...

    def take(self, outlet_id: str, limit: int, max_attempts: int) -> list[FrontierEntry]:
        """Up to ``limit`` waiting URLs of an outlet, newest listed first."""
        ...

    def due_rechecks(self, outlet_id: str, now: datetime, limit: int) -> list[RecheckEntry]:
        """Up to ``limit`` stored articles of an outlet due to be fetched again."""
        ...

    def record_source(self, record: SourceRecord) -> int:
        """Record a source fetch and the new entries it listed, together; return how many
        entries were new to the frontier."""
        ...

    def mark(self, url: str, outlet_id: str, state: str, reason: str, **fields: object) -> None:
        """Record a URL's state and its reason (a decision, a failure to retry)."""
        ...

    def expire(self, outlet_id: str, cutoff: datetime) -> int:
        """Close waiting URLs of an outlet listed before ``cutoff``; return how many."""
        ...

    def backlog(self) -> dict[str, dict[str, int]]:
        """Per outlet, the number of waiting URLs by state."""
        ...


class SqliteFrontier:
    """The frontier in the store. Writer-side methods run inside the caller's transaction."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def state_of(self, url: str) -> str | None:
        return urls.state_of(self.store, url)

    def attempts(self, url: str) -> int:
        return urls.attempts(self.store, url)

    def source_state(self, outlet_id: str, url: str) -> SourceState:
        row = sources.last_fetch(self.store, outlet_id, url)
        if row is None:
            return SourceState()
        follow = tuple(FollowedLink(**link) for link in row["follow"])
        return SourceState(row["etag"], row["last_modified"], row["body_sha256"], follow)

    def take(self, outlet_id: str, limit: int, max_attempts: int) -> list[FrontierEntry]:
        rows = urls.waiting(self.store, outlet_id, max_attempts, limit)
        return [
            FrontierEntry(
                url=row["url"],
                source_url=row["source_url"],
                title=row["listed_title"],
                published_at=row["listed_published_at"],
                first_seen_at=row["first_seen_at"],
                attempts=row["attempts"],
            )
            for row in rows
        ]

    def due_rechecks(self, outlet_id: str, now: datetime, limit: int) -> list[RecheckEntry]:
        rows = versions.due(self.store, outlet_id, format_utc(now), limit)
        return [
            RecheckEntry(row["id"], row["url"], row["etag"], row["last_modified"]) for row in rows
        ]

    def record_source(self, record: SourceRecord) -> int:
        sources.record_source(
            self.store.db,
            {
                "outlet_id": record.outlet_id,
                "url": record.url,
                "kind": record.kind,
                "etag": record.etag,
                "last_modified": record.last_modified,
                "body_sha256": record.body_sha256,
                "follow": [link.__dict__ for link in record.follow],
                "last_fetched_at": record.fetched_at,
                "last_status": record.http_status,
                "last_entries": record.entries,
                "last_error": record.error,
            },
            unchanged=record.unchanged,
        )
        entries = (entry.__dict__ for entry in record.discovered)
        return urls.add_listed(self.store.db, record.outlet_id, record.url, entries)

    def mark(self, url: str, outlet_id: str, state: str, reason: str, **fields: object) -> None:
        urls.record_url(self.store.db, url, outlet_id, state, reason, **fields)

    def expire(self, outlet_id: str, cutoff: datetime) -> int:
        return urls.expire_waiting(self.store.db, outlet_id, format_utc(cutoff))

    def backlog(self) -> dict[str, dict[str, int]]:
        return urls.backlog(self.store)
