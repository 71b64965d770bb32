"""The SQLite frontier: what waits, in which order, and what leaves it."""

from datetime import UTC, datetime

import pytest

from crawler.frontier import FrontierEntry, SourceState, SqliteFrontier
from crawler.records import DiscoveredEntry, FollowedLink, SourceRecord

FEED = "https://www.example.org/feed/"


def source(*entries: DiscoveredEntry, run_id: int = 1, **fields) -> SourceRecord:
    return SourceRecord(
        run_id, "example", FEED, "feed", "2026-11-29T12:00:00Z", 200, discovered=entries, **fields
    )


@pytest.fixture
def frontier(store):
    store.db["runs"].insert(
        {"id": 1, "outlet_id": "example", "trigger": "t", "status": "running", "started_at": "t"}
    )
    return SqliteFrontier(store)


def record(frontier, *entries, **fields):
    with frontier.store.transaction():
        return frontier.record_source(source(*entries, **fields))


def test_new_entries_wait_and_are_taken_newest_listed_first(frontier):
    added = record(
        frontier,
        DiscoveredEntry("https://www.example.org/old", None, "2026-11-20T10:00:00Z"),
        DiscoveredEntry("https://www.example.org/undated", None, None),
        DiscoveredEntry("https://www.example.org/new", "New", "2026-11-28T10:00:00Z"),
    )
    assert added == 3
    taken = frontier.take("example", limit=10, max_attempts=3)
    assert [e.url.rsplit("/", 1)[1] for e in taken] == ["new", "old", "undated"]
    assert isinstance(taken[0], FrontierEntry) and taken[0].title == "New"
    assert taken[0].source_url == FEED
    assert [e.url for e in frontier.take("example", limit=1, max_attempts=3)] == [taken[0].url]


def test_listing_a_known_url_again_changes_nothing(frontier):
    url = "https://www.example.org/a"
    with frontier.store.transaction():
        frontier.mark(url, "example", "off_topic", "score 1 < 12")
    assert record(frontier, DiscoveredEntry(url)) == 0
    assert frontier.state_of(url) == "off_topic"
    assert frontier.take("example", limit=10, max_attempts=3) == []


def test_urls_that_failed_too_often_are_not_taken(frontier):
    url = "https://www.example.org/flaky"
    with frontier.store.transaction():
        frontier.mark(url, "example", "retry", "HTTP 503", attempts=2)
    assert [e.url for e in frontier.take("example", limit=10, max_attempts=3)] == [url]
    assert frontier.take("example", limit=10, max_attempts=2) == []
    assert frontier.attempts(url) == 2


def test_waiting_urls_that_leave_the_freshness_window_are_closed(frontier):
    record(
        frontier,
        DiscoveredEntry("https://www.example.org/stale", None, "2026-11-01T10:00:00Z"),
        DiscoveredEntry("https://www.example.org/fresh", None, "2026-11-28T10:00:00Z"),
    )
    with frontier.store.transaction():
        closed = frontier.expire("example", datetime(2026, 11, 22, tzinfo=UTC))
    assert closed == 1
    assert frontier.state_of("https://www.example.org/stale") == "too_old"
    assert frontier.backlog() == {"example": {"pending": 1}}


def test_a_source_keeps_validators_and_follow_list_while_unchanged(frontier):
    child = FollowedLink("https://www.example.org/news.xml", "2026-11-29T10:00:00Z")
    record(frontier, etag='"v1"', body_sha256="abc", follow=(child,))
    record(frontier, unchanged=True)
    assert frontier.source_state("example", FEED) == SourceState('"v1"', None, "abc", (child,))
    assert frontier.source_state("example", "https://www.example.org/other") == SourceState()
