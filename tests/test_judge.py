"""Decisions as values: relevance, freshness and duplicates decided without a database."""

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from crawler.content.dedup import body_fingerprint
from crawler.content.extraction import ExtractedArticle
from crawler.content.judge import Judge, dedupe

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
ON_TOPIC = ExtractedArticle(
    title="Russian deserters sent back to the front",
    text=(
        "Verstka reported that Russian soldiers who went AWOL were forcibly sent back to the "
        "front at gunpoint. Deserters described torture in a pit. Mediazona counted hundreds "
        "of desertion cases in garrison courts, and suspended sentences sent men back."
    ),
    description=None,
    authors=(),
    published_at="2026-11-29T08:00:00Z",
    language="en",
    canonical_url="https://www.example.org/a",
    site_name=None,
    image_url=None,
    word_count=40,
)


@dataclass
class Known:
    """A dict-backed KnownArticles."""

    urls: dict[str, int] = field(default_factory=dict)
    texts: dict[str, int] = field(default_factory=dict)

    def by_canonical_url(self, canonical_url: str) -> int | None:
        return self.urls.get(canonical_url)

    def by_body_fingerprint(self, fingerprint: str) -> int | None:
        return self.texts.get(fingerprint)


def test_on_off_topic_and_too_old_are_decided_with_reasons(example_config):
    judge = Judge(example_config, NOW)
    outlet = example_config.outlets["example"]
    kept = judge.judge(outlet, ON_TOPIC)
    assert kept.state == "stored" and kept.best is not None and kept.best.matched_terms
    weather = replace(ON_TOPIC, title="Weather", text="Mild and rainy in Kyiv this week. " * 8)
    assert judge.judge(outlet, weather).state == "off_topic"
    old = judge.judge(outlet, replace(ON_TOPIC, published_at="2026-10-01T00:00:00Z"))
    assert old.state == "too_old" and "freshness window" in old.reason


def test_a_kept_article_becomes_a_duplicate_of_the_same_url_or_text(example_config):
    kept = Judge(example_config, NOW).judge(example_config.outlets["example"], ON_TOPIC)
    url = "https://www.example.org/a"
    assert dedupe(kept, url, ON_TOPIC.text, Known()) == kept
    same_url = dedupe(kept, url, ON_TOPIC.text, Known(urls={url: 7}))
    assert (same_url.state, same_url.duplicate_of) == ("duplicate", 7)
    copy = ON_TOPIC.text.upper().replace(".", " .")
    same_text = dedupe(
        kept, "https://copy.example/x", copy, Known(texts={body_fingerprint(ON_TOPIC.text): 9})
    )
    assert (same_text.state, same_text.duplicate_of) == ("duplicate", 9)
    assert "same text as article 9" in same_text.reason
