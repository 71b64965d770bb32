"""What every discovery parser returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Entry:
    """One candidate article URL found in a source, with what the source said of it."""

    url: str
    title: str | None = None
    published_at: datetime | None = None


@dataclass
class Discovery:
    """A parsed discovery document.

    ``follow`` lists further documents of the same source to read (the child sitemaps of an
    index, the next page of a listing).
    """

    entries: list[Entry] = field(default_factory=list)
    follow: list[Entry] = field(default_factory=list)
    news: bool = False  # a sitemap whose entries use the Google News extension
