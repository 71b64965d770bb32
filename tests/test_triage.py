"""Triage: which listed entries are new, and why each of the others is not taken."""

import re
from datetime import UTC, datetime

from crawler.discovery.entry import Entry
from crawler.discovery.triage import Triage, UrlPolicy

CUTOFF = datetime(2026, 11, 1, tzinfo=UTC)
STATES = {
    "https://news.example/2026/11/decided": "stored",
    "https://news.example/2026/11/w": "retry",
}


def triage() -> Triage:
    policy = UrlPolicy(
        domains=["news.example"],
        allow=[re.compile(r"/20\d\d/")],
        deny=[re.compile(r"/video/")],
    )
    return Triage(policy, STATES.get, CUTOFF)


def reasons(entries: list[Entry]) -> list[str]:
    judge = triage()
    found = []
    for entry in entries:
        verdict, key = judge.decide(entry)
        found.append("new" if verdict == "new" else judge.why_not(verdict, key))
    return found


def test_every_entry_not_taken_says_which_rule_or_state_kept_it_out():
    old = datetime(2026, 10, 1, tzinfo=UTC)
    assert reasons(
        [
            Entry("https://news.example/2026/11/fresh"),
            Entry("https://news.example/2026/11/fresh#comments"),
            Entry("https://elsewhere.example/2026/11/x"),
            Entry("https://news.example/video/2026/clip"),
            Entry("https://news.example/about"),
            Entry("https://news.example/2026/11/decided"),
            Entry("https://news.example/2026/11/w"),
            Entry("https://news.example/2026/10/stale", published_at=old),
        ]
    ) == [
        "new",
        "listed twice",
        "filtered: offsite",
        "filtered: matches a deny pattern",
        "filtered: matches no allow pattern",
        "known: already decided",
        "known: already waiting to be fetched",
        "too old (outside max_age_days)",
    ]
