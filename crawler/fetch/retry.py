"""Retries that wait: Retry-After when the server sends one, exponential backoff otherwise.

Scrapy's own RetryMiddleware retries at once, which hammers a server that is already failing
and ignores Retry-After. This one replaces it, keeping its settings (RETRY_TIMES,
RETRY_HTTP_CODES, RETRY_EXCEPTIONS) and its bookkeeping (Scrapy's ``get_retry_request``), and
adds the wait. A Retry-After longer than
NEWSMON_MAX_RETRY_AFTER_SECONDS ends the attempts at that URL for this crawl; the longest one
seen is kept in the stats (``newsmon/retry_after_seconds``) so the scheduler can back off.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.http import Request, Response
from scrapy.utils.misc import load_object
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
    return float(base * 2 ** max(attempt - 1, 0) * (1 + rand() / 2))


class BackoffRetryMiddleware:
    """Retries 5xx/429 responses and network errors, waiting between attempts."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.retry_http_codes = {int(code) for code in settings.getlist("RETRY_HTTP_CODES")}
        self.retry_exceptions = tuple(
            load_object(path) if isinstance(path, str) else path
            for path in settings.getlist("RETRY_EXCEPTIONS")
        )
        self.backoff_base = settings.getfloat("NEWSMON_RETRY_BACKOFF_BASE_SECONDS")
        self.max_retry_after = settings.getfloat("NEWSMON_MAX_RETRY_AFTER_SECONDS")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffRetryMiddleware:
        return cls(crawler)

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        header = response.headers.get("Retry-After")
        retry_after = parse_retry_after(header.decode("latin-1") if header else None)
        if retry_after is not None:
            self._note_retry_after(retry_after)
            if retry_after > self.max_retry_after:
                return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        await self._wait(retry, retry_after)
        return retry

    async def process_exception(self, request: Request, exception: Exception) -> Request | None:
        if request.meta.get("dont_retry", False) or not isinstance(
            exception, self.retry_exceptions
        ):
            return None
        retry = self._retry(request, exception)
        if retry is not None:
            await self._wait(retry, None)
        return retry

    def _retry(self, request: Request, reason: str | Exception) -> Request | None:
        assert self.crawler.spider is not None
        return get_retry_request(request, spider=self.crawler.spider, reason=reason)

    async def _wait(self, retry: Request, retry_after: float | None) -> None:
        if retry_after is None:
            retry_after = backoff_delay(retry.meta.get("retry_times", 1), self.backoff_base)
        if retry_after > 0:
            await asyncio.sleep(retry_after)

    def _note_retry_after(self, seconds: float) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.max_value("newsmon/retry_after_seconds", seconds)
