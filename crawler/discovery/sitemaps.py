"""Sitemaps: urlsets, sitemap indexes, Google News sitemaps, text sitemaps, gzip, robots.txt.

XML is parsed with lxml with entity expansion and network access off, so an entity attack
stays a few bytes; gzip is decompressed with a byte cap, so a gzip bomb stops at the cap.
"""

from __future__ import annotations

import re
import zlib

from lxml import etree

from crawler.canonical import absolute_url, is_http_url
from crawler.discovery.entry import Discovery, Entry
from crawler.errors import SourceParseError
from storage import parse_timestamp

GZIP_MAGIC = b"\x1f\x8b"
_SITEMAP_LINE = re.compile(rb"^\s*sitemap\s*:\s*(\S+)", re.IGNORECASE | re.MULTILINE)
_ROBOTS_LINE = re.compile(rb"^\s*(user-agent|sitemap|disallow)\s*:", re.IGNORECASE | re.MULTILINE)


def gunzip_capped(body: bytes, max_bytes: int) -> bytes:
    """Decompress gzip data, refusing to produce more than ``max_bytes``."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = inflater.decompress(body, max_bytes + 1)
    except zlib.error as exc:
        raise SourceParseError(f"corrupt gzip data: {exc}") from exc
    if len(data) > max_bytes:
        raise SourceParseError(f"gzip data inflates beyond {max_bytes} bytes; not read")
    return data


def parse_sitemap(body: bytes, base_url: str, max_bytes: int = 50_000_000) -> Discovery:
    """Entries of a urlset (news extensions included), children of an index, or text lines."""
    if body[:2] == GZIP_MAGIC:
        body = gunzip_capped(body, max_bytes)
    stripped = body.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not stripped:
        raise SourceParseError("empty document")
    if not stripped.startswith(b"<"):
        if _ROBOTS_LINE.search(stripped):
            return parse_robots(stripped, base_url)
        return _parse_text_sitemap(stripped, base_url)
    root = _xml_root(stripped)
    kind = _localname(root).lower()
    if kind == "sitemapindex":
        return Discovery(
            follow=[_entry(element, url) for url, element in _locations(root, base_url, "sitemap")]
        )
    if kind == "urlset":
        located = _locations(root, base_url, "url")
        return Discovery(
            entries=[_entry(element, url) for url, element in located],
            news=any(_child(element, "news") is not None for _, element in located),
        )
    raise SourceParseError(f"not a sitemap: root element is <{_localname(root)}>")


def parse_robots(body: bytes, base_url: str) -> Discovery:
    """The sitemaps a robots.txt lists, as documents to follow."""
    listed = (line.decode("utf-8", "replace").strip() for line in _SITEMAP_LINE.findall(body))
    follow = [url for url in (absolute_url(u, base_url) for u in listed) if url]
    if not follow:
        raise SourceParseError("robots.txt lists no Sitemap: lines")
    return Discovery(follow=[Entry(url=url) for url in follow])


def _xml_root(body: bytes) -> etree._Element:
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        recover=True,
        remove_comments=True,
        remove_pis=True,
        huge_tree=False,
        load_dtd=False,
    )
    try:
        root = etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise SourceParseError(f"not readable XML: {exc}") from exc
    if root is None:
        raise SourceParseError("not readable XML: empty document")
    return root


def _locations(root: etree._Element, base_url: str, tag: str) -> list[tuple[str, etree._Element]]:
    found = []
    for element in root:
        if _localname(element) != tag:
            continue
        # some indexes put the URL straight into <sitemap> without a <loc>
        loc = _child_text(element, "loc") or (element.text or "").strip()
        url = absolute_url(loc, base_url) if loc else None
        if url:
            found.append((url, element))
    return found


def _entry(element: etree._Element, url: str) -> Entry:
    news = _child(element, "news")
    published = _child_text(news, "publication_date") if news is not None else None
    title = _child_text(news, "title") if news is not None else None
    return Entry(
        url=url,
        title=title,
        published_at=parse_timestamp(published or _child_text(element, "lastmod")),
    )


def _localname(element: etree._Element) -> str:
    """An element's name without its namespace; "" for comments and processing
    instructions. (lxml's QName refuses the odd names a recovering parser produces.)"""
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child(element: etree._Element, localname: str) -> etree._Element | None:
    for child in element:
        if _localname(child) == localname:
            return child
    return None


def _child_text(element: etree._Element, localname: str) -> str | None:
    child = _child(element, localname)
    text = child.text if child is not None else None
    return text.strip() if text and text.strip() else None


def _parse_text_sitemap(body: bytes, base_url: str) -> Discovery:
    lines = body.decode("utf-8", errors="replace").splitlines()
    urls = [line.strip() for line in lines if is_http_url(line.strip())]
    if not urls:
        raise SourceParseError("not a sitemap: neither XML nor lines of URLs")
    return Discovery(entries=[Entry(url=url) for url in urls])
