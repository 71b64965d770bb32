"""Near-duplicates and republications as decision values, without a store."""

from __future__ import annotations

import random

from knownkit import Known

from crawler.config.settings import DedupSettings
from crawler.content.copies import CopyFacts, original_of
from crawler.content.judge import Candidate, Decision, dedupe
from crawler.content.neardup import band_keys, jaccard, shingles
from crawler.content.stories import story_terms
from fixtureweb.content import ARTICLES

SETTINGS = DedupSettings()
WIRE = next(a for a in ARTICLES if a.outlet_id == "rhine-wire" and a.story == "pskov-trial")
EDITED = next(a for a in ARTICLES if a.outlet_id == "capital-observer" and a.story == "pskov-trial")
OTHER = next(a for a in ARTICLES if a.story == "tver-trial")


def text(article) -> str:
    return "\n".join(article.paragraphs)


def facts(outlet: str, body: str, published_at: str | None = None) -> CopyFacts:
    return CopyFacts(
        outlet,
        {"wire": "Rhine Wire", "paper": "The Capital Observer"}.get(outlet, outlet),
        published_at,
        body,
    )


def test_band_keys_are_stable_and_an_edited_copy_shares_some_an_unrelated_text_none():
    wire, edited, other = (shingles(text(a)) for a in (WIRE, EDITED, OTHER))
    assert band_keys(wire) == band_keys(shingles(text(WIRE)))  # stored keys stay valid
    assert 0.5 <= jaccard(wire, edited) < 1.0
    assert set(band_keys(wire)) & set(band_keys(edited))
    assert not set(band_keys(wire)) & set(band_keys(other)) and jaccard(wire, other) < 0.05


def test_shuffled_words_are_not_a_copy():
    words = text(WIRE).split()
    random.Random(1).shuffle(words)
    assert jaccard(shingles(text(WIRE)), shingles(" ".join(words))) < 0.1


def test_the_original_is_the_outlet_the_text_names_else_the_first_published():
    body = "Sources said the man was sentenced. The Capital Observer could not verify this."
    named = original_of(facts("aggregator", body), facts("paper", body))
    assert named == (False, "the text names The Capital Observer as its source")
    assert original_of(facts("paper", body), facts("aggregator", body))[0] is True
    plain = "Sources said the man was sentenced to six years."
    earlier = original_of(
        facts("wire", plain, "2026-11-29T08:00:00Z"), facts("paper", plain, "2026-11-29T09:30:00Z")
    )
    assert earlier == (True, "published first (Rhine Wire, 2026-11-29T08:00:00Z)")
    same_day = original_of(
        facts("wire", plain, "2026-11-29"), facts("paper", plain, "2026-11-29T09:30:00Z")
    )
    assert same_day[0] is False and same_day[1].startswith("stored first")


def candidate(outlet: str, article, published_at: str) -> Candidate:
    body = text(article)
    return Candidate(
        article.path,
        facts(outlet, body, published_at),
        article.title,
        "en",
        story_terms(article.title, body),
    )


def test_a_copy_stored_first_is_demoted_when_its_original_arrives():
    known = Known()
    copy = candidate("paper", EDITED, "2026-11-29T12:00:00Z")
    known.add(4, copy.facts)
    decision = dedupe(
        Decision("stored", "on topic"),
        candidate("wire", WIRE, "2026-11-29T09:00:00Z"),
        known,
        SETTINGS,
    )
    relation = decision.republication
    assert decision.state == "stored" and relation is not None
    assert (relation.original_id, relation.demoted_id, relation.matched_id) == (None, 4, 4)
    assert (
        relation.rule.startswith("published first (Rhine Wire") and 0.5 <= relation.similarity < 1
    )


def test_a_copy_of_a_republication_points_at_the_original():
    known = Known()
    known.add(1, candidate("wire", WIRE, "2026-11-29T09:00:00Z").facts)
    known.add(2, candidate("paper", EDITED, "2026-11-29T12:00:00Z").facts, original_id=1)
    third = candidate("digest", EDITED, "2026-11-29T15:00:00Z")
    relation = dedupe(Decision("stored", "on topic"), third, known, SETTINGS).republication
    assert relation is not None and (relation.original_id, relation.matched_id) == (1, 2)
