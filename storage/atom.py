"""The Atom export (RFC 4287): the latest stored articles as a feed a reader can subscribe to.

Each entry is one article: its id is the article's canonical URL (stable across crawls and
stores, so a reader never shows a report twice), ``updated`` is when newsmon stored it (a
reader sorts by it), ``published`` the outlet's own date when the page gave one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree as ET

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ET.register_namespace("", ATOM)
# what XML 1.0 cannot carry (scraped text sometimes holds it): control characters but tab and
# line breaks, lone surrogates, U+FFFE and U+FFFF
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
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
        _element(feed, "link", rel="self", href=info.self_url)
    feed.extend(entries)
    document: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return document


def _entry(article: dict[str, Any]) -> ET.Element:
    entry = ET.Element(_tag("entry"))
    _text(entry, "id", article["canonical_url"] or article["url"])
    _text(entry, "title", article["title"] or article["url"])
    _element(entry, "link", rel="alternate", href=article["url"])
    _text(entry, "updated", article["stored_at"])
    if article["published_at"]:
        _text(entry, "published", article["published_at"])
    for name in article["authors"] or [article["outlet_name"]]:
        _text(ET.SubElement(entry, _tag("author")), "name", name)
    _element(entry, "category", term=article["outlet"], label=article["outlet_name"])
    summary = _text(entry, "summary", entry_summary(article))
    if article["language"]:
        summary.set(XML_LANG, _xml_safe(article["language"]))
    return entry


def entry_summary(article: dict[str, Any]) -> str:
    source = " ".join((article["description"] or article["text"] or "").split())
    if len(source) <= SUMMARY_CHARS:
        return source
    cut = source[:SUMMARY_CHARS].rsplit(" ", 1)[0]  # a text without spaces (CJK) is sliced
    return (cut if len(cut) > SUMMARY_CHARS // 2 else source[:SUMMARY_CHARS]) + " …"


def _text(parent: ET.Element, name: str, value: str) -> ET.Element:
    element = ET.SubElement(parent, _tag(name))
    element.text = _xml_safe(value)
    return element


def _element(parent: ET.Element, name: str, **attributes: str) -> ET.Element:
    cleaned = {key: _xml_safe(value) for key, value in attributes.items()}
    return ET.SubElement(parent, _tag(name), cleaned)


def _xml_safe(value: str) -> str:
    return _NOT_XML.sub("", value)


def _tag(name: str) -> str:
    return f"{{{ATOM}}}{name}"
