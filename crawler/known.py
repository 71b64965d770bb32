"""The store side of the judge's lookups (``crawler.content.judge.KnownArticles``): stored
articles by canonical URL, text fingerprint and near-duplicate keys, and story candidates.
It reads inside the writer's transaction, so a decision sees every article stored before."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

import sqlite_utils

from crawler.content.copies import CopyFacts, StoredCopy
from crawler.content.neardup import shingles
from crawler.content.stories import NAME_OR_FIGURE, StoryCandidate, TermWeights
from crawler.content.stories import story_terms as terms_of
from storage import articles, fingerprints, parse_timestamp, story_terms, utc_now


class StoredArticles:
    """``KnownArticles`` backed by the store."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def by_canonical_url(self, canonical_url: str) -> int | None:
        return articles.find_by_canonical_url(self.db, canonical_url)

    def copies(self, fingerprint: str, keys: Iterable[int]) -> list[StoredCopy]:
        ids = articles.find_by_body_hash(self.db, fingerprint)
        ids += [i for i in fingerprints.sharing_bands(self.db, keys) if i not in ids]
        return [_stored_copy(row) for row in articles.copies(self.db, ids)]

    def article(self, article_id: int) -> StoredCopy:
        (row,) = articles.copies(self.db, [article_id])
        return _stored_copy(row)

    def story_candidates(
        self, terms: frozenset[str], published_at: str | None, window_days: float
    ) -> list[StoryCandidate]:
        first, last = _window(published_at, window_days)
        seen = story_terms.counts(self.db, [t for t in terms if t.startswith(NAME_OR_FIGURE)])
        probe = sorted(seen, key=lambda term: (seen[term], term))[: story_terms.PROBE_TERMS]
        rows = story_terms.sharing_terms(self.db, probe, first, last)
        return [
            StoryCandidate(
                row["id"], row["story_id"], row["language"], _terms_of(row["title"], row["text"])
            )
            for row in rows
        ]

    def term_weights(self, terms: frozenset[str]) -> TermWeights:
        return TermWeights(story_terms.counts(self.db, terms), story_terms.article_total(self.db))


@functools.lru_cache(maxsize=1024)
def _terms_of(title: str | None, text: str) -> frozenset[str]:
    """A stored article's story terms, kept for the next lookups: a story's articles are
    candidates for each new article that may join it."""
    return terms_of(title, text)


def story_day(published_at: str | None) -> str:
    """The day a story term is filed under: the publication day, else today."""
    return (published_at or utc_now())[:10]


def _window(published_at: str | None, days: float) -> tuple[str, str]:
    moment = parse_timestamp(published_at or utc_now()) or parse_timestamp(utc_now())
    assert moment is not None
    span = timedelta(days=days)
    return f"{moment - span:%Y-%m-%d}", f"{moment + span:%Y-%m-%d}"


def _stored_copy(row: dict[str, Any]) -> StoredCopy:
    facts = CopyFacts(row["outlet_id"], row["outlet_name"], row["published_at"], row["text"])
    return StoredCopy(row["id"], facts, shingles(row["text"]), row["duplicate_of"], row["story_id"])
