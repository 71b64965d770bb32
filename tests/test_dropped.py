"""Outstanding article requests: why each one Scrapy dropped unseen was dropped."""

from scrapy import Request

from crawler.fetch.dropped import Outstanding


def rejects(url: str) -> str | None:
    return "offsite" if "elsewhere" in url else None


def test_every_unanswered_request_gets_a_reason():
    outstanding = Outstanding()
    for key in (
        "https://o.example/a",
        "https://o.example/b",
        "https://o.example/c",
        "https://o.example/d",
    ):
        outstanding.asked(key, "https://o.example/feed")
    outstanding.answered("https://o.example/d")
    outstanding.scheduled(
        Request(
            "https://elsewhere.example/x",
            meta={"url_key": "https://o.example/a", "redirect_urls": ["https://o.example/a"]},
        )
    )
    outstanding.scheduled(
        Request(
            "https://o.example/b",
            meta={"url_key": "https://o.example/b", "redirect_urls": ["https://o.example/b2"]},
        )
    )
    outstanding.failed("https://o.example/c", "boom")
    reasons = {key: why for key, _, why in outstanding.left(rejects)}
    assert set(reasons) == {"https://o.example/a", "https://o.example/b", "https://o.example/c"}
    assert "not the outlet's (offsite)" in reasons["https://o.example/a"]
    assert "loop" in reasons["https://o.example/b"]
    assert reasons["https://o.example/c"] == "error while reading the page: boom"
