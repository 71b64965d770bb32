"""What a failed fetch means for its URL: retry later, or give it up, and why."""

from __future__ import annotations

from dataclasses import dataclass

from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError

from crawler.records import FailureState

_GONE = frozenset({404, 410})
_TRANSIENT_4XX = frozenset({403, 408, 425, 429})  # rate limits and blocks that may lift


@dataclass(frozen=True)
class FetchFailure:
    state: FailureState
    reason: str
    http_status: int | None = None


def classify_failure(error: BaseException | None) -> FetchFailure:
    """Map an exception from a Scrapy errback to a URL state with a readable reason."""
    if isinstance(error, HttpError):
        status = int(error.response.status)
        return FetchFailure(_http_state(status), f"HTTP {status}", status)
    if isinstance(error, IgnoreRequest):
        state: FailureState = "blocked" if "robots.txt" in str(error) else "rejected"
        return FetchFailure(state, str(error) or "request ignored")
    if isinstance(error, DownloadCancelledError):
        return FetchFailure("rejected", f"too large: {error}")
    name = type(error).__name__
    return FetchFailure("retry", f"{name}: {error}" if str(error) else name)


def _http_state(status: int) -> FailureState:
    if status in _GONE:
        return "gone"
    if status >= 500 or status in _TRANSIENT_4XX:
        return "retry"
    return "rejected"
