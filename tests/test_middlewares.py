from datetime import UTC, datetime
from pathlib import Path

from scrapy.utils.test import get_crawler

from crawler.fetch.retry import backoff_delay, parse_retry_after
from crawler.fetch.robots import CachedRobotsTxtMiddleware


def test_retry_after_in_seconds():
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after(" 7 ") == 7.0


def test_retry_after_as_http_date_counts_from_now():
    now = datetime(2026, 11, 22, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("Sun, 22 Nov 2026 12:01:30 GMT", now=now) == 90.0
    assert parse_retry_after("Sun, 22 Nov 2026 11:00:00 GMT", now=now) == 0.0


def test_unusable_retry_after_is_ignored():
    assert parse_retry_after(None) is None
    assert parse_retry_after("") is None
    assert parse_retry_after("soon") is None


def test_backoff_doubles_with_bounded_jitter():
    assert backoff_delay(1, 2.0, rand=lambda: 0.0) == 2.0
    assert backoff_delay(2, 2.0, rand=lambda: 0.0) == 4.0
    assert backoff_delay(3, 2.0, rand=lambda: 0.0) == 8.0
    assert backoff_delay(3, 2.0, rand=lambda: 1.0) == 12.0


def _robots_middleware(spool_dir: Path) -> CachedRobotsTxtMiddleware:
    settings = {
        "ROBOTSTXT_OBEY": True,
        "NEWSMON_SPOOL_DIR": str(spool_dir),
        "NEWSMON_ROBOTS_CACHE_HOURS": 24,
    }
    return CachedRobotsTxtMiddleware(get_crawler(settings_dict=settings))


def test_a_robots_txt_is_cached_whole_and_a_cache_that_cannot_be_written_is_skipped(tmp_path):
    kept = _robots_middleware(tmp_path / "spool")
    kept._store("a.example", b"User-agent: *\nDisallow: /private/\n")
    assert kept._cached("a.example") == b"User-agent: *\nDisallow: /private/\n"
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the spool should be")
    unwritable = _robots_middleware(blocked)
    unwritable._store("a.example", b"User-agent: *\n")  # logs, does not raise
    assert unwritable._cached("a.example") is None
    assert sorted(p.name for p in tmp_path.rglob(".*.tmp")) == []
