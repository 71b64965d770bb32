from datetime import UTC, datetime

from crawler.fetch.retry import backoff_delay, parse_retry_after


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
