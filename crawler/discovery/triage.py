"""Which entries of a discovery document are new to the frontier, and why the others are not.

``UrlPolicy`` applies an outlet's hosts and ``[urls]`` rules; ``Triage`` adds what the
frontier already knows and the freshness window, and counts every verdict for the run's
summary. Fetching is decided elsewhere: new entries all enter the frontier, and a crawl
fetches as many as its cap allows.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal
from urllib.parse import urlsplit

from crawler.canonical import canonicalize, is_http_url
from crawler.config import OutletConfig
from crawler.discovery.entry import Entry
from storage.urls import TERMINAL_STATES, WAITING_STATES

Verdict = Literal["new", "filtered", "repeat", "known", "waiting", "old"]
_NOT_DISCOVERED = ("filtered", "repeat")
_WHY_NOT: dict[str, str] = {
    "repeat": "listed twice",
    "known": "known: already decided",
    "waiting": "known: already waiting to be fetched",
    "old": "too old (outside max_age_days)",
}


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
    """Decides, entry by entry, what is new; keeps the counts for the crawl's summary.

    ``state_of`` is the frontier's state of a URL key (None if never listed)."""

    policy: UrlPolicy
    state_of: Callable[[str], str | None]
    cutoff: datetime
    counts: Counter[str] = field(default_factory=Counter)
    _seen: set[str] = field(default_factory=set)

    def decide(self, entry: Entry) -> tuple[Verdict, str]:
        """The verdict for an entry and the URL key it is filed under."""
        key = url_key(entry.url)
        verdict = self._verdict(entry, key)
        if verdict not in _NOT_DISCOVERED:
            self.counts["discovered"] += 1
        self.counts[verdict] += 1
        return verdict, key

    def why_not(self, verdict: Verdict, key: str) -> str:
        """Why an entry with this verdict is not new, in words (``filtered``: which rule)."""
        if verdict == "filtered":
            return f"filtered: {self.policy.rejects(key)}"
        return _WHY_NOT[verdict]

    def _verdict(self, entry: Entry, key: str) -> Verdict:
        if key in self._seen:
            return "repeat"  # the same article listed twice (or in two sources) counts once
        if self.policy.rejects(key):
            return "filtered"
        self._seen.add(key)
        state = self.state_of(key)
        if state in TERMINAL_STATES:
            return "known"
        if state in WAITING_STATES:
            return "waiting"
        if entry.published_at is not None and entry.published_at < self.cutoff:
            return "old"
        return "new"  # never listed, or blocked by robots.txt last time (rules change)


def url_key(url: str) -> str:
    """The key a URL is filed under: its canonical form."""
    return canonicalize(url) if is_http_url(url) else url
