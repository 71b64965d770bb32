from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.http import HtmlResponse, Request
from scrapy.utils.response import get_meta_refresh
from scrapy.utils.test import get_crawler

from crawler.fetch.refresh import ScannedMetaRefreshMiddleware, may_refresh
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


REFRESH = '<meta http-equiv="{}" content="0; url=/next">'


def _page(head: str, encoding: str = "utf-8", url: str = "https://a.example/old") -> HtmlResponse:
    body = f"<html><head>{head}</head><body><p>Текст статьи.</p></body></html>"
    headers = {"Content-Type": f"text/html; charset={encoding}"}
    return HtmlResponse(url, body=body.encode(encoding), headers=headers, encoding=encoding)


@pytest.mark.parametrize(
    ("head", "encoding"),
    [
        (REFRESH.format("refresh"), "utf-8"),
        (REFRESH.format("REFRESH"), "cp1251"),
        (REFRESH.format("Refresh"), "utf-16"),  # no ASCII bytes: left to Scrapy to read
    ],
)
def test_a_meta_refresh_is_still_followed_as_scrapy_follows_it(head, encoding):
    ours = ScannedMetaRefreshMiddleware.from_crawler(get_crawler())
    scrapys = MetaRefreshMiddleware.from_crawler(get_crawler())
    page = _page(head, encoding)
    followed = ours.process_response(Request(page.url), _page(head, encoding))
    expected = scrapys.process_response(Request(page.url), _page(head, encoding))
    assert isinstance(followed, Request) and isinstance(expected, Request)
    assert followed.url == expected.url and followed.url.startswith("https://a.example/next")


def test_a_page_without_a_meta_refresh_is_passed_on_undecoded():
    middleware = ScannedMetaRefreshMiddleware.from_crawler(get_crawler())
    page = _page('<meta charset="utf-8"><title>Новости</title>')
    assert middleware.process_response(Request(page.url), page) is page
    assert page._cached_ubody is None  # Scrapy's own middleware decodes every page


ENCODINGS = ["utf-8", "cp1251", "koi8-r", "iso-8859-1", "shift_jis", "gb18030", "utf-16"]


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(max_size=3000),
    refresh=st.sampled_from(["", REFRESH.format("refresh"), REFRESH.format("REFRESH")]),
    at=st.integers(min_value=0, max_value=3000),
    encoding=st.sampled_from(ENCODINGS),
)
def test_a_page_ruled_out_in_its_bytes_has_no_meta_refresh_scrapy_would_find(
    text, refresh, at, encoding
):
    head = text[:at] + refresh + text[at:]
    body = f"<html><head>{head}</head></html>".encode(encoding, "replace")
    page = HtmlResponse("https://a.example/", body=body, encoding=encoding)
    if not may_refresh(page.body):
        assert get_meta_refresh(page) == (None, None)
