"""Feeds: RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom through feedparser; JSON Feed by hand.

feedparser is used because it recovers entries from malformed XML (its loose parser) and
handles every RSS dialect, encodings and dates; JSON Feed (which feedparser 6 does not read)
is plain JSON and needs a few lines.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime
from time import struct_time
from typing import Any

import feedparser

from crawler.canonical import absolute_url, is_http_url
from crawler.discovery.entry import Discovery, Entry
from crawler.discovery.sitemaps import GZIP_MAGIC, gunzip_capped
from crawler.errors import SourceParseError
from storage import parse_timestamp

log = logging.getLogger(__name__)
_XML_DECLARATION = re.compile(rb"^\s*<\?xml[^>]{0,200}\?>")


def parse_feed(
    body: bytes, base_url: str, content_type: str | None = None, max_bytes: int = 50_000_000
) -> Discovery:
    """Entries of a feed of any supported format; raise SourceParseError if there are none
    and the document is not a well-formed, empty feed."""
    if body[:2] == GZIP_MAGIC:
        body = gunzip_capped(body, max_bytes)
    if body.lstrip()[:1] == b"{":
        return parse_json_feed(body, base_url)
    parsed = _feedparser(body, base_url, content_type)
    if parsed.bozo and not parsed.entries:
        raise SourceParseError(f"not a readable feed: {parsed.bozo_exception}")
    if not parsed.get("version") and not parsed.entries:
        raise SourceParseError("not a feed (no RSS, RDF or Atom root element)")
    if parsed.bozo:
        log.warning("malformed feed %s, recovered: %s", base_url, parsed.bozo_exception)
    entries = [e for e in (_feedparser_entry(item, base_url) for item in parsed.entries) if e]
    return Discovery(entries=entries)


def _feedparser(body: bytes, base_url: str, content_type: str | None) -> Any:
    """feedparser's result; a garbled encoding declaration (which feedparser trips over)
    is dropped and the document read again, as UTF-8 or what its bytes say."""
    headers = {"content-location": base_url, "content-type": content_type or "application/xml"}
    for attempt in (body, _XML_DECLARATION.sub(b"", body, count=1)):
        try:
            return feedparser.parse(
                attempt, response_headers=headers, resolve_relative_uris=False, sanitize_html=False
            )
        except (UnicodeError, ValueError, LookupError) as exc:
            problem = exc
    raise SourceParseError(f"not a readable feed: {problem}")


def _feedparser_entry(item: Any, base_url: str) -> Entry | None:
    href = item.get("link") or _alternate_link(item) or _id_if_url(item.get("id"))
    url = absolute_url(href, base_url) if isinstance(href, str) else None
    if url is None:
        return None
    # plain dict lookups: FeedParserDict maps a missing updated_parsed to published_parsed
    # with a DeprecationWarning
    stamp = dict.get(item, "published_parsed") or dict.get(item, "updated_parsed")
    return Entry(url=url, title=item.get("title") or None, published_at=_from_struct(stamp))


def _id_if_url(value: Any) -> str | None:
    """An entry id is only a link when it is itself an absolute http(s) URL."""
    return value if isinstance(value, str) and is_http_url(value.strip()) else None


def _alternate_link(item: Any) -> str | None:
    for link in item.get("links", []):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return str(link["href"])
    return None


def _from_struct(stamp: struct_time | None) -> datetime | None:
    if stamp is None:
        return None
    try:
        return datetime(*stamp[:6], tzinfo=UTC)
    except (TypeError, ValueError):
        return None


def parse_json_feed(body: bytes, base_url: str) -> Discovery:
    """Entries of a JSON Feed (version 1 or 1.1)."""
    try:
        document = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SourceParseError(f"not a readable JSON Feed: {exc}") from exc
    if not isinstance(document, dict) or not isinstance(document.get("items"), list):
        raise SourceParseError("not a JSON Feed: no 'items' list")
    entries = [_json_entry(item, base_url) for item in document["items"]]
    return Discovery(entries=[entry for entry in entries if entry])


def _json_entry(item: object, base_url: str) -> Entry | None:
    if not isinstance(item, dict):
        return None
    href = item.get("url") or item.get("external_url") or _id_if_url(item.get("id"))
    url = absolute_url(href, base_url) if isinstance(href, str) else None
    if url is None:
        return None
    published = item.get("date_published") or item.get("date_modified")
    title = item.get("title")
    return Entry(
        url=url,
        title=title if isinstance(title, str) else None,
        published_at=parse_timestamp(published) if isinstance(published, str) else None,
    )
