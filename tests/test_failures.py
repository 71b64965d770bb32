import pytest
from scrapy.exceptions import CannotResolveHostError, DownloadCancelledError, IgnoreRequest
from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError

from crawler.fetch.failures import classify_failure


def http_error(status: int) -> HttpError:
    return HttpError(
        Response("https://x.example/a", status=status, request=Request("https://x.example/a")),
        "bad",
    )


@pytest.mark.parametrize(
    ("status", "state"),
    [
        (404, "gone"),
        (410, "gone"),
        (500, "retry"),
        (503, "retry"),
        (429, "retry"),
        (403, "retry"),
        (400, "rejected"),
        (401, "rejected"),
    ],
)
def test_http_statuses(status, state):
    failure = classify_failure(http_error(status))
    assert (failure.state, failure.reason, failure.http_status) == (state, f"HTTP {status}", status)


def test_robots_offsite_too_large_and_network_errors():
    assert classify_failure(IgnoreRequest("Forbidden by robots.txt")).state == "blocked"
    assert classify_failure(IgnoreRequest("Filtered offsite request to 'x'")).state == "rejected"
    too_large = classify_failure(DownloadCancelledError("Expected to receive 9 bytes"))
    assert too_large.state == "rejected" and too_large.reason.startswith("too large")
    dns = classify_failure(CannotResolveHostError("no such host"))
    assert dns.state == "retry" and "CannotResolveHostError" in dns.reason
