"""Listing pages: the links of an HTML section page and its ``rel=next`` page.

Which links are articles is decided later by the outlet's ``[urls]`` rules; this function only
collects absolute http(s) links (so ``mailto:``, ``javascript:`` and fragments drop out here).
"""

from __future__ import annotations

from urllib.parse import urldefrag

from parsel import Selector

from crawler.canonical import absolute_url
from crawler.discovery.entry import Discovery, Entry

_NEXT_XPATH = (
    "//link[contains(concat(' ', normalize-space(@rel), ' '), ' next ')]/@href"
    " | //a[contains(concat(' ', normalize-space(@rel), ' '), ' next ')]/@href"
)


def parse_listing(html: str, base_url: str) -> Discovery:
    """Every distinct http(s) link with its anchor text, and the next page if declared."""
    page = Selector(text=html, type="html")  # never guessed: "[]" would be JSON
    base = page.xpath("//base/@href").get()
    base_url = absolute_url(base, base_url) or base_url if base else base_url
    seen: dict[str, Entry] = {}
    for anchor in page.xpath("//a[@href]"):
        url = absolute_url(urldefrag(anchor.attrib["href"]).url, base_url)
        if url and url not in seen:
            title = " ".join(anchor.xpath("normalize-space(.)").get("").split()) or None
            seen[url] = Entry(url=url, title=title)
    next_href = page.xpath(_NEXT_XPATH).get()
    next_url = absolute_url(next_href, base_url) if next_href else None
    follow = [Entry(url=next_url)] if next_url else []
    return Discovery(entries=list(seen.values()), follow=follow)
