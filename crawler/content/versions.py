"""Article versions: whether a rechecked page changed, the diff, and when to look again.

Outlets edit articles after publication: a paragraph added, a figure corrected, a headline
sharpened. A stored article is fetched again on a decaying schedule (``[crawl]
recheck_after_hours``, counted from when it was stored); a body that changed beyond
formatting (its normalised fingerprint differs) is a new version, kept with a line diff
against the previous one.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from crawler.content.article import ExtractedArticle
from crawler.content.dedup import body_fingerprint
from storage import format_utc, parse_timestamp


@dataclass(frozen=True)
class Revision:
    """A changed article: its new title and text, their fingerprint, the diff, and how many
    paragraphs were added and removed."""

    title: str | None
    text: str
    body_sha256: str
    diff: str
    added: int
    removed: int


def revise(title: str | None, text: str, fetched: ExtractedArticle) -> Revision | None:
    """The revision a refetched page makes, or None if its text did not change."""
    digest = body_fingerprint(fetched.text)
    if digest == body_fingerprint(text) and (fetched.title or title) == title:
        return None
    before = _lines(title, text)
    after = _lines(fetched.title or title, fetched.text)
    lines = list(difflib.unified_diff(before, after, "previous", "current", n=1, lineterm=""))
    added = sum(1 for line in lines if line.startswith("+") and not line.startswith("+++"))
    removed = sum(1 for line in lines if line.startswith("-") and not line.startswith("---"))
    return Revision(fetched.title or title, fetched.text, digest, "\n".join(lines), added, removed)


def _lines(title: str | None, text: str) -> list[str]:
    return [f"# {title or ''}", *text.split("\n")]


def next_recheck(stored_at: str, done: int, schedule_hours: Sequence[float]) -> str | None:
    """When the article is due again after ``done`` rechecks, or None when the schedule is
    over."""
    if done >= len(schedule_hours):
        return None
    stored = parse_timestamp(stored_at)
    if stored is None:
        return None
    return format_utc(stored + timedelta(hours=schedule_hours[done]))
