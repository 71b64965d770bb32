"""Meta-refresh redirects, without decoding every page to look for one.

Scrapy's MetaRefreshMiddleware decodes each HTML response's whole body (``response.text``)
to read its first 4,096 characters for a ``<meta http-equiv="refresh">``; the spider then
decodes the page again. In a crawl whose gate turns most pages away, that first decoding was
about 8 % of what Scrapy cost (bench/throughput.py, profiled). Those characters take at most
16 KB, and the encodings of web pages write the letters of "refresh" as their ASCII bytes
(UTF-8, the legacy single-byte and CJK ones), or with NUL bytes between them (UTF-16,
UTF-32). So a page whose first 16 KB hold neither "refresh" in any case nor a NUL byte has no
meta refresh Scrapy would find (EBCDIC pages aside), and is passed on undecoded; every other
page goes to Scrapy's middleware.
"""

from __future__ import annotations

from scrapy import Spider
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.http import HtmlResponse, Request, Response

# 4,096 characters (what Scrapy reads) at most 4 bytes each
_SCANNED_BYTES = 4 * 4096


class ScannedMetaRefreshMiddleware(MetaRefreshMiddleware):
    """MetaRefreshMiddleware that first rules a refresh out in the page's bytes."""

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Request | Response:
        """(``spider`` is there for Scrapy's signature: Scrapy passes none.)"""
        if isinstance(response, HtmlResponse) and not may_refresh(response.body):
            return response
        return super().process_response(request, response)


def may_refresh(body: bytes) -> bool:
    """Whether the first characters Scrapy reads of this page may hold a meta refresh."""
    head = body[:_SCANNED_BYTES]
    return b"\0" in head or b"refresh" in head.lower()
