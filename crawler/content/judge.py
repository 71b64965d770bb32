"""What becomes of an extracted page: a decision value, computed without a database.

``Judge.judge`` decides freshness and topic relevance; ``dedupe`` checks a kept article
against what is already stored (same canonical URL, a copy on the same outlet, a
republication across outlets: ``crawler.content.copies``), and ``place_in_story`` finds the
story it tells (``crawler.content.stories``). Both read the store through a
``KnownArticles`` lookup that the writer backs with the store and a test backs with a dict.
The writer (``crawler.ingest``) only stores decisions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol

from crawler.config import Config, OutletConfig, resolve
from crawler.config.settings import DedupSettings
from crawler.content.article import ExtractedArticle
from crawler.content.copies import CopyFacts, Republication, StoredCopy, relate
from crawler.content.dedup import body_fingerprint
from crawler.content.neardup import band_keys, best_match, shingles
from crawler.content.relevance import Relevance, compiled_topic
from crawler.content.stories import (
    StoryCandidate,
    StoryMatch,
    TermWeights,
    Thresholds,
    match_story,
)
from storage import parse_timestamp


@dataclass(frozen=True)
class Decision:
    """What becomes of one extracted page: a URL state, its reason, the topics it is on.

    A stored article is on topic, or (none of its topics on topic) borderline on the
    topics in ``on_topics``, for an analyst's review: ``best.verdict`` says which."""

    state: str
    reason: str
    best: Relevance | None = None
    on_topics: tuple[Relevance, ...] = ()
    duplicate_of: int | None = None
    band_keys: tuple[int, ...] = ()  # the text's near-duplicate index keys
    story_terms: frozenset[str] = frozenset()  # what the story index files it under
    republication: Republication | None = None
    story: StoryMatch | None = None  # None for a kept article: it starts a story


@dataclass(frozen=True)
class Candidate:
    """A kept article as the duplicate and story checks see it."""

    canonical_url: str
    facts: CopyFacts
    title: str | None
    language: str | None
    story_terms: frozenset[str]
    common_terms: frozenset[str] = frozenset()  # the topic's common names


class KnownArticles(Protocol):
    """Lookups the duplicate and story checks need."""

    def by_canonical_url(self, canonical_url: str) -> int | None:
        """The stored article with this canonical URL."""
        ...

    def copies(self, fingerprint: str, keys: Iterable[int]) -> list[StoredCopy]:
        """Stored articles with this text fingerprint or sharing a near-duplicate key."""
        ...

    def article(self, article_id: int) -> StoredCopy:
        """A stored article, for the original of a republication."""
        ...

    def story_candidates(
        self, terms: frozenset[str], published_at: str | None, window_days: float
    ) -> list[StoryCandidate]:
        """Stored originals published within the window that share a rare term."""
        ...

    def term_weights(self, terms: frozenset[str]) -> TermWeights:
        """Weights of the terms from their frequencies in the store."""
        ...


class Judge:
    """Freshness and relevance decisions for an outlet's pages."""

    def __init__(self, config: Config, now: datetime) -> None:
        self.config = config
        self.now = now
        self._compiled = {tid: compiled_topic(t) for tid, t in config.topics.items()}
        self._settings = {oid: resolve(config, oid) for oid in config.outlets}

    def judge(self, outlet: OutletConfig, article: ExtractedArticle) -> Decision:
        settings = self._settings.get(outlet.id) or resolve(self.config, outlet.id)
        if is_too_old(article.published_at, settings.freshness_cutoff(self.now)):
            return Decision(
                "too_old",
                f"published {article.published_at}, "
                f"before the {settings.max_age_days}-day freshness window",
            )
        return self.relevance(outlet, article)

    def relevance(self, outlet: OutletConfig, article: ExtractedArticle) -> Decision:
        """The topic decision alone (stored, borderline among stored, or off_topic), without
        the freshness window: for pages judged again later."""
        fields = article.scoring_fields()
        scores = [
            self._compiled[t.id].score(*fields, article.language, outlet.domains)
            for t in self.config.topics_for(outlet)
        ]
        best = max(scores, key=lambda r: r.score)
        on = _ranked(r for r in scores if r.on_topic) or _ranked(r for r in scores if r.borderline)
        if not on:
            return Decision("off_topic", best.reason, best)
        return Decision("stored", on[0].reason, on[0], on)


def _ranked(relevances: Iterable[Relevance]) -> tuple[Relevance, ...]:
    return tuple(sorted(relevances, key=lambda r: -r.score))


def dedupe(
    decision: Decision, candidate: Candidate, known: KnownArticles, settings: DedupSettings
) -> Decision:
    """A kept article becomes a duplicate if one with its canonical URL, or a copy of its
    text on the same outlet, is stored already; a copy on another outlet makes it a
    republication (it or the stored copy being the original). Other decisions pass."""
    if decision.state != "stored":
        return decision
    same_url = known.by_canonical_url(candidate.canonical_url)
    if same_url is not None:
        return _duplicate(decision, same_url, f"same canonical URL as article {same_url}")
    mine = shingles(candidate.facts.text)
    keys = tuple(band_keys(mine))
    decision = replace(decision, band_keys=keys)
    copies = {c.article_id: c for c in known.copies(body_fingerprint(candidate.facts.text), keys)}
    pairs = [(ident, copy.shingles) for ident, copy in copies.items()]
    found = best_match(mine, pairs, settings.near_duplicate_threshold)
    if found is None:
        return decision
    matched, similarity = copies[found[0]], found[1]
    original = known.article(matched.original_id) if matched.original_id else matched
    if candidate.facts.outlet_id in (matched.facts.outlet_id, original.facts.outlet_id):
        reason = f"copies article {matched.article_id} of the same outlet ({similarity:.2f})"
        return _duplicate(decision, original.article_id, reason)
    relation = relate(
        candidate.facts, original.article_id, original.facts, matched.article_id, similarity
    )
    return replace(decision, republication=relation)


def _duplicate(decision: Decision, article_id: int, reason: str) -> Decision:
    return replace(decision, state="duplicate", reason=reason, duplicate_of=article_id)


def place_in_story(
    decision: Decision, candidate: Candidate, known: KnownArticles, settings: DedupSettings
) -> Decision:
    """The story a stored article joins: its original's, if it is a republication or
    replaces a stored original; else that of the most similar report of the same event
    (``crawler.content.stories``); else none (it starts its own)."""
    if decision.state != "stored":
        return decision
    decision = replace(decision, story_terms=candidate.story_terms)
    relation = decision.republication
    if relation is not None:
        source = relation.original_id or relation.demoted_id
        assert source is not None
        story_id = known.article(source).story_id
        if story_id is not None:
            inherited = StoryMatch(story_id, source, relation.similarity, ("same text",))
            return replace(decision, story=inherited)
    terms = candidate.story_terms
    others = known.story_candidates(terms, candidate.facts.published_at, settings.story_window_days)
    weights = known.term_weights(terms).with_common(candidate.common_terms)
    thresholds = Thresholds(
        settings.story_min_similarity, settings.story_min_similarity_across_languages
    )
    match = match_story(terms, candidate.language, others, weights, thresholds)
    return replace(decision, story=match)


def is_too_old(published_at: str | None, cutoff: datetime) -> bool:
    """True if the page's date is before the cutoff; a bare date counts as the end of that
    day, so "today" is never too old, and an unreadable date is never too old."""
    published = parse_timestamp(published_at)
    if published is None or published_at is None:
        return False
    if len(published_at) == 10:
        published = published.replace(hour=23, minute=59, second=59)
    return published < cutoff
