"""Parse a fetched discovery document with the parser of its source kind."""

from __future__ import annotations

from typing import Literal

from crawler.discovery.entry import Discovery
from crawler.discovery.feeds import parse_feed
from crawler.discovery.listing import parse_listing
from crawler.discovery.sitemaps import parse_sitemap

SourceKind = Literal["feed", "sitemap", "listing"]


def parse_document(
    kind: SourceKind,
    url: str,
    body: bytes,
    *,
    text: str | None,
    content_type: str | None,
    max_bytes: int,
) -> Discovery:
    """Parse a fetched discovery document of the given source kind."""
    if kind == "feed":
        return parse_feed(body, url, content_type, max_bytes=max_bytes)
    if kind == "sitemap":
        return parse_sitemap(body, url, max_bytes=max_bytes)
    return parse_listing(text if text is not None else body.decode("utf-8", "replace"), url)
