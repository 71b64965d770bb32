"""Retries that wait: Retry-After when the server sends one, exponential backoff otherwise.

Scrapy's own RetryMiddleware retries at once, which hammers a server that is already failing
and ignores Retry-After. This subclass keeps its settings and bookkeeping (RETRY_TIMES,
RETRY_HTTP_CODES, stats) and only adds the wait. A Retry-After longer than
NEWSMON_MAX_RETRY_AFTER_SECONDS ends the attempts at that URL for this crawl; the longest one
seen is kept in the stats (``newsmon/retry_after_seconds``) so the scheduler can back off.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Request, Response
from scrapy.utils.response import response_status_message


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def backoff_delay(attempt: int, base: float, rand: Callable[[], float] = random.random) -> float:
    """Exponential backoff with jitter: base × 2^(attempt-1) × (1 + up to 50 %)."""
    return base * 2 ** max(attempt - 1, 0) * (1 + rand() / 2)


class BackoffRetryMiddleware(RetryMiddleware):
    """RetryMiddleware that waits between attempts and honours Retry-After."""

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        settings = self.crawler.settings
        retry_after = parse_retry_after(response.headers.get("Retry-After", b"").decode("latin-1"))
        if retry_after is not None:
            self._note_retry_after(retry_after)
            if retry_after > settings.getfloat("NEWSMON_MAX_RETRY_AFTER_SECONDS"):
                return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        await self._wait(retry, retry_after)
        return retry

    async def process_exception(self, request: Request, exception: Exception) -> Request | None:
        retry = super().process_exception(request, exception)
        if isinstance(retry, Request):
            await self._wait(retry, None)
        return retry

    async def _wait(self, retry: Request, retry_after: float | None) -> None:
        base = self.crawler.settings.getfloat("NEWSMON_RETRY_BACKOFF_BASE_SECONDS")
        delay = retry_after if retry_after is not None else backoff_delay(
            retry.meta.get("retry_times", 1), base)  # fmt: skip
        if delay > 0:
            await asyncio.sleep(delay)

    def _note_retry_after(self, seconds: float) -> None:
        stats = self.crawler.stats
        assert stats is not None
        stats.max_value("newsmon/retry_after_seconds", seconds)
