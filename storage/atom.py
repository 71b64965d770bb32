"""The Atom export (RFC 4287): the latest stored articles as a feed a reader can subscribe to.

Each entry is one article: its id is the article's canonical URL (stable across crawls and
stores, so a reader never shows a report twice), ``updated`` is when newsmon stored it (a
reader sorts by it), ``published`` the outlet's own date when the page gave one.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree as ET

ATOM = "http://www.w3.org/2005/Atom"
SUMMARY_CHARS = 600  # an entry's summary: the page's description, else the text's start


@dataclass(frozen=True)
class FeedInfo:
    """What the feed says of itself."""

    feed_id: str  # a permanent IRI: the self URL when the feed is served, else a URN
    title: str
    updated: str  # ISO 8601 UTC, when nothing is in the feed
    self_url: str | None = None


def atom_feed(info: FeedInfo, articles: Iterable[dict[str, Any]]) -> bytes:
    """The feed document, UTF-8, for rows shaped like ``storage.queries.EXPORT_FIELDS``,
    latest first."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(_tag("feed"))
    entries = [_entry(article) for article in articles]
    _text(feed, "id", info.feed_id)
    _text(feed, "title", info.title)
    _text(
        feed,
        "updated",
        max((e.findtext(_tag("updated")) or "" for e in entries), default="") or info.updated,
    )
    ET.SubElement(feed, _tag("generator")).text = "newsmon"
    if info.self_url:
        ET.SubElement(feed, _tag("link"), rel="self", href=info.self_url)
    feed.extend(entries)
    document: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return document


def _entry(article: dict[str, Any]) -> ET.Element:
    entry = ET.Element(_tag("entry"))
    _text(entry, "id", article["canonical_url"] or article["url"])
    _text(entry, "title", article["title"] or article["url"])
    ET.SubElement(entry, _tag("link"), rel="alternate", href=article["url"])
    _text(entry, "updated", article["stored_at"])
    if article["published_at"]:
        _text(entry, "published", article["published_at"])
    for name in article["authors"] or [article["outlet_name"]]:
        _text(ET.SubElement(entry, _tag("author")), "name", name)
    ET.SubElement(entry, _tag("category"), term=article["outlet"], label=article["outlet_name"])
    summary = _text(entry, "summary", _summary(article))
    if article["language"]:
        summary.set("{http://www.w3.org/XML/1998/namespace}lang", article["language"])
    return entry


def _summary(article: dict[str, Any]) -> str:
    source = article["description"] or article["text"] or ""
    return textwrap.shorten(source, SUMMARY_CHARS, placeholder=" …")


def _text(parent: ET.Element, name: str, value: str) -> ET.Element:
    element = ET.SubElement(parent, _tag(name))
    element.text = _xml_safe(value)
    return element


def _xml_safe(value: str) -> str:
    """XML 1.0 cannot carry most control characters, which scraped text sometimes holds."""
    return "".join(c for c in value if c in "\t\n\r" or ord(c) >= 0x20)


def _tag(name: str) -> str:
    return f"{{{ATOM}}}{name}"
