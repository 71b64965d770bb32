"""Decisions as values: relevance, freshness and duplicates decided without a database."""

from dataclasses import replace
from datetime import UTC, datetime

from knownkit import Known

from crawler.config.settings import DedupSettings
from crawler.content.article import ExtractedArticle
from crawler.content.copies import CopyFacts
from crawler.content.judge import Candidate, Judge, dedupe
from crawler.content.stories import story_terms

SETTINGS = DedupSettings()

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


def test_on_off_topic_and_too_old_are_decided_with_reasons(example_config):
    judge = Judge(example_config, NOW)
    outlet = example_config.outlets["example"]
    kept = judge.judge(outlet, ON_TOPIC)
    assert kept.state == "stored" and kept.best is not None and kept.best.matched_terms
    weather = replace(ON_TOPIC, title="Weather", text="Mild and rainy in Kyiv this week. " * 8)
    assert judge.judge(outlet, weather).state == "off_topic"
    old = judge.judge(outlet, replace(ON_TOPIC, published_at="2026-10-01T00:00:00Z"))
    assert old.state == "too_old" and "freshness window" in old.reason


def test_a_kept_article_becomes_a_duplicate_of_the_same_url_or_of_its_outlets_copy(
    example_config,
):
    kept = Judge(example_config, NOW).judge(example_config.outlets["example"], ON_TOPIC)
    url = "https://www.example.org/a"
    mine = candidate("example", ON_TOPIC.text, url)
    assert dedupe(kept, mine, Known(), SETTINGS).state == "stored"
    same_url = dedupe(kept, mine, Known(urls={url: 7}), SETTINGS)
    assert (same_url.state, same_url.duplicate_of) == ("duplicate", 7)
    known = Known()
    known.add(9, mine.facts)
    copy = candidate("example", ON_TOPIC.text.upper().replace(".", " ."), "https://x.example/b")
    same_text = dedupe(kept, copy, known, SETTINGS)
    assert (same_text.state, same_text.duplicate_of) == ("duplicate", 9)
    assert "copies article 9 of the same outlet (1.00)" in same_text.reason


def candidate(outlet_id: str, text: str, url: str, published_at: str | None = None) -> Candidate:
    facts = CopyFacts(outlet_id, outlet_id.title(), published_at, text)
    return Candidate(url, facts, None, "en", story_terms(None, text))


def test_an_outlets_domains_give_the_topic_the_context_its_site_names(example_config):
    judge = Judge(example_config, NOW)
    outlet = example_config.outlets["example"]
    domestic = replace(
        ON_TOPIC,
        title="Военнослужащий получил срок",
        text="Военнослужащий самовольно оставил часть; суд приговорил его к пяти годам.",
        language="ru",
    )
    unplaced = judge.judge(outlet, domestic).best  # whose serviceman?
    assert unplaced is not None and unplaced.verdict == "borderline", unplaced
    local = outlet.model_copy(update={"domains": ["ngs.ru"]})
    decision = judge.judge(local, domestic)
    assert decision.best is not None and decision.best.on_topic, decision.reason
    assert "russian_outlet" in decision.reason
