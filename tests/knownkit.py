"""A dict-backed ``KnownArticles`` for decision tests: stored articles in a list."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from crawler.content.copies import CopyFacts, StoredCopy
from crawler.content.dedup import body_fingerprint
from crawler.content.neardup import band_keys, shingles
from crawler.content.stories import StoryCandidate, TermWeights, story_terms
from storage import parse_timestamp


@dataclass
class Known:
    urls: dict[str, int] = field(default_factory=dict)
    stored: dict[int, StoredCopy] = field(default_factory=dict)
    titles: dict[int, str] = field(default_factory=dict)
    languages: dict[int, str] = field(default_factory=dict)

    def add(
        self,
        article_id: int,
        facts: CopyFacts,
        *,
        title: str = "",
        language: str = "en",
        original_id: int | None = None,
        story_id: int | None = None,
    ) -> None:
        self.stored[article_id] = StoredCopy(
            article_id, facts, shingles(facts.text), original_id, story_id or article_id
        )
        self.titles[article_id] = title
        self.languages[article_id] = language

    def by_canonical_url(self, canonical_url: str) -> int | None:
        return self.urls.get(canonical_url)

    def copies(self, fingerprint: str, keys: Iterable[int]) -> list[StoredCopy]:
        wanted = set(keys)
        return [
            copy
            for copy in self.stored.values()
            if body_fingerprint(copy.facts.text) == fingerprint
            or wanted & set(band_keys(copy.shingles))
        ]

    def article(self, article_id: int) -> StoredCopy:
        return self.stored[article_id]

    def _terms(self, article_id: int) -> frozenset[str]:
        return story_terms(self.titles[article_id], self.stored[article_id].facts.text)

    def story_candidates(
        self, terms: frozenset[str], published_at: str | None, window_days: float
    ) -> list[StoryCandidate]:
        return [
            StoryCandidate(i, c.story_id or i, self.languages[i], self._terms(i))
            for i, c in self.stored.items()
            if c.original_id is None and _within(published_at, c.facts.published_at, window_days)
        ]

    def term_weights(self, terms: frozenset[str]) -> TermWeights:
        counts = Counter(t for i in self.stored for t in self._terms(i))
        return TermWeights(counts, len(self.stored))


def _within(one: str | None, other: str | None, days: float) -> bool:
    """True unless both dates are known and further apart than the window."""
    a, b = parse_timestamp(one), parse_timestamp(other)
    return a is None or b is None or abs(a - b) <= timedelta(days=days)
