"""Article requests Scrapy drops without telling the spider, so that none stays undecided.

Scrapy silently drops a request whose redirect leads outside the outlet (its offsite filter)
or back to a URL already requested (its duplicate filter): no callback, no errback; and a
callback that raises produces no record either. Left alone, such a URL would wait in the
frontier forever. ``Outstanding`` keeps the article URLs
asked for and not yet answered, remembers where each was redirected, and at the end of a
crawl that finished says why each one left was dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from scrapy import Request


@dataclass
class Outstanding:
    """Article URL keys requested and not yet answered (by a callback or an errback)."""

    sources: dict[str, str | None] = field(default_factory=dict)
    redirected_to: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def asked(self, key: str, source_url: str | None) -> None:
        self.sources[key] = source_url

    def answered(self, key: str) -> None:
        self.sources.pop(key, None)

    def failed(self, key: str, error: str) -> None:
        """Note that reading the URL's page raised an error (a spider_error signal)."""
        if key in self.sources:
            self.errors[key] = error

    def scheduled(self, request: Request) -> None:
        """Note where a redirected article request now goes (a request_scheduled signal)."""
        key = request.meta.get("url_key")
        if key in self.sources and request.meta.get("redirect_urls"):
            self.redirected_to[key] = request.url

    def left(self, rejects: Callable[[str], str | None]) -> list[tuple[str, str | None, str]]:
        """(key, source URL, why it was dropped) for every request never answered."""
        return [(key, source, self._why(key, rejects)) for key, source in self.sources.items()]

    def _why(self, key: str, rejects: Callable[[str], str | None]) -> str:
        if key in self.errors:
            return f"error while reading the page: {self.errors[key]}"
        target = self.redirected_to.get(key)
        if target is None:
            return "dropped before it was fetched"
        problem = rejects(target)
        if problem:
            return f"redirected to {target}, which is not the outlet's ({problem})"
        return f"redirected in a loop (to {target}, already requested)"
