"""What extraction makes of a page: an article, or the reason there is none.

Kept apart from ``crawler.content.extraction`` so that the records and the crawl process can
name these without importing trafilatura: a poll with nothing new never loads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import version

from crawler.errors import CrawlerError

# the extractor each stored article names (read from the package's metadata: no import of it)
EXTRACTOR = f"trafilatura {version('trafilatura')}"


class NoArticleBody(CrawlerError):
    """The page has no article body worth storing; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True)
class ExtractedArticle:
    """What extraction found on one page. ``published_at`` is ISO 8601: UTC with time when
    the page gives a time, a bare date when it gives only a date."""

    title: str | None
    text: str
    description: str | None
    authors: tuple[str, ...]
    published_at: str | None
    language: str | None
    canonical_url: str | None
    site_name: str | None
    image_url: str | None
    word_count: int

    def scoring_fields(self) -> tuple[str, str, str]:
        """Title, lead and body for scoring: the lead is the description, or else the first
        paragraph (which then leaves the body, so it is not counted twice)."""
        if self.description:
            return self.title or "", self.description, self.text
        paragraphs = self.text.split("\n")
        return self.title or "", paragraphs[0], "\n".join(paragraphs[1:])
