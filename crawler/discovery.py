"""Which URLs of a discovery document a crawl should fetch, and why it skips the others.

``parse_document`` dispatches to the parser of a source kind. ``UrlPolicy`` applies an
outlet's hosts and ``[urls]`` rules; ``Triage`` adds what the store already knows and the
freshness window, and counts every decision for the run's summary.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal
from urllib.parse import urlsplit

from crawler.canonical import canonicalize, is_http_url
from crawler.config import OutletConfig
from crawler.sources import Discovery, Entry
from crawler.sources.feeds import parse_feed
from crawler.sources.listing import parse_listing
from crawler.sources.sitemaps import parse_sitemap

SourceKind = Literal["feed", "sitemap", "listing"]
Verdict = Literal["fetch", "filtered", "repeat", "known", "old", "capped"]
_NOT_DISCOVERED = ("filtered", "repeat")


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


def host_allowed(url: str, domains: list[str]) -> bool:
    """True if the URL's host is one of the domains or a subdomain of one."""
    host = (urlsplit(url).hostname or "").lower()
    return any(host == d.lower() or host.endswith("." + d.lower()) for d in domains)


@dataclass
class UrlPolicy:
    """An outlet's rules for which URLs are its articles."""

    domains: list[str]
    allow: list[re.Pattern[str]]
    deny: list[re.Pattern[str]]

    @classmethod
    def for_outlet(cls, outlet: OutletConfig) -> UrlPolicy:
        return cls(
            domains=list(outlet.domains),
            allow=[re.compile(p) for p in outlet.urls.allow],
            deny=[re.compile(p) for p in outlet.urls.deny],
        )

    def rejects(self, url: str) -> str | None:
        """Why this URL is not an article of the outlet, or None if it may be one."""
        if not is_http_url(url):
            return "not an http(s) URL"
        if not host_allowed(url, self.domains):
            return "offsite"
        if any(p.search(url) for p in self.deny):
            return "matches a deny pattern"
        if self.allow and not any(p.search(url) for p in self.allow):
            return "matches no allow pattern"
        return None


@dataclass
class Triage:
    """Decides, entry by entry, what one crawl fetches; keeps the counts for its summary."""

    policy: UrlPolicy
    is_known: Callable[[str], bool]
    cutoff: datetime
    max_requests: int
    counts: Counter[str] = field(default_factory=Counter)
    _seen: set[str] = field(default_factory=set)

    def decide(self, entry: Entry) -> tuple[Verdict, str]:
        """The verdict for an entry and the URL key it is filed under."""
        key = canonicalize(entry.url) if is_http_url(entry.url) else entry.url
        verdict = self._verdict(entry, key)
        if verdict not in _NOT_DISCOVERED:
            self.counts["discovered"] += 1
        self.counts[verdict] += 1
        return verdict, key

    def _verdict(self, entry: Entry, key: str) -> Verdict:
        if key in self._seen:
            return "repeat"  # the same article listed twice (or in two sources) counts once
        if self.policy.rejects(key):
            return "filtered"
        self._seen.add(key)
        if self.is_known(key):
            return "known"
        if entry.published_at is not None and entry.published_at < self.cutoff:
            return "old"
        if self.counts["fetch"] >= self.max_requests:
            return "capped"
        return "fetch"


def freshness_cutoff(now: datetime, max_age_days: int) -> datetime:
    """The oldest publication time still inside an outlet's freshness window."""
    return now - timedelta(days=max_age_days)
