"""What becomes of an extracted page: a decision value, computed without a database.

``Judge.judge`` decides freshness and topic relevance; ``dedupe`` checks a kept article
against what is already stored, through a ``KnownArticles`` lookup that the writer backs with
the store and a test backs with a dict. The writer (``crawler.ingest``) only stores decisions.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol

from crawler.config import Config, OutletConfig, resolve
from crawler.content.dedup import body_fingerprint
from crawler.content.extraction import ExtractedArticle
from crawler.content.relevance import CompiledTopic, Relevance
from storage import parse_timestamp


@dataclass(frozen=True)
class Decision:
    """What becomes of one extracted page: a URL state, its reason, the topics it is on."""

    state: str
    reason: str
    best: Relevance | None = None
    on_topics: tuple[Relevance, ...] = ()
    duplicate_of: int | None = None


class KnownArticles(Protocol):
    """Lookups the duplicate check needs: the id of a stored article, or None."""

    def by_canonical_url(self, canonical_url: str) -> int | None: ...

    def by_body_fingerprint(self, fingerprint: str) -> int | None: ...


class Judge:
    """Freshness and relevance decisions for an outlet's pages."""

    def __init__(self, config: Config, now: datetime) -> None:
        self.config = config
        self.now = now
        self._compiled = {tid: CompiledTopic(t) for tid, t in config.topics.items()}
        self._settings = {oid: resolve(config, oid) for oid in config.outlets}

    def judge(self, outlet: OutletConfig, article: ExtractedArticle) -> Decision:
        settings = self._settings.get(outlet.id) or resolve(self.config, outlet.id)
        if is_too_old(article.published_at, settings.freshness_cutoff(self.now)):
            return Decision(
                "too_old",
                f"published {article.published_at}, "
                f"before the {settings.max_age_days}-day freshness window",
            )
        scores = [
            self._compiled[t.id].score(*scoring_fields(article), article.language)
            for t in self.config.topics_for(outlet)
        ]
        best = max(scores, key=lambda r: r.score)
        on = tuple(sorted((r for r in scores if r.on_topic), key=lambda r: -r.score))
        if not on:
            return Decision("off_topic", best.reason, best)
        return Decision("stored", on[0].reason, on[0], on)


def dedupe(decision: Decision, canonical_url: str, text: str, known: KnownArticles) -> Decision:
    """A kept article becomes a duplicate if one with its canonical URL or its text (after
    normalisation) is stored already; other decisions pass unchanged."""
    if decision.state != "stored":
        return decision
    same_url = known.by_canonical_url(canonical_url)
    if same_url is not None:
        reason = f"same canonical URL as article {same_url}"
        return replace(decision, state="duplicate", reason=reason, duplicate_of=same_url)
    same_text = known.by_body_fingerprint(body_fingerprint(text))
    if same_text is not None:
        reason = f"same text as article {same_text}"
        return replace(decision, state="duplicate", reason=reason, duplicate_of=same_text)
    return decision


def scoring_fields(article: ExtractedArticle) -> tuple[str, str, str]:
    """Title, lead and body for scoring: the lead is the description, or else the first
    paragraph (which then leaves the body, so it is not counted twice)."""
    if article.description:
        return article.title or "", article.description, article.text
    paragraphs = article.text.split("\n")
    return article.title or "", paragraphs[0], "\n".join(paragraphs[1:])


def is_too_old(published_at: str | None, cutoff: datetime) -> bool:
    """True if the page's date is before the cutoff; a bare date counts as the end of that
    day, so "today" is never too old, and an unreadable date is never too old."""
    published = parse_timestamp(published_at)
    if published is None or published_at is None:
        return False
    if len(published_at) == 10:
        published = published.replace(hour=23, minute=59, second=59)
    return published < cutoff
