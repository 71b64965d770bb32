"""Copies across outlets: which stored article a new one copies, and which is the original.

A copy on the same outlet is a duplicate (not stored again). A copy on another outlet is a
republication: it is stored, pointing at the original. Which copy was fetched first must not
decide which is the original, so both are weighed by the same rules, in order:

1. the text names one of the two outlets and not the other: that outlet is the source
   ("Newsweek has yet to verify these figures" in an aggregator's copy);
2. one was published earlier (on an earlier day when either gives only a date);
3. neither tells: the one stored first stays the original.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from storage import parse_timestamp


@dataclass(frozen=True)
class CopyFacts:
    """What the original rules look at: an article's outlet, its date, its text."""

    outlet_id: str
    outlet_name: str
    published_at: str | None
    text: str


@dataclass(frozen=True)
class StoredCopy:
    """A stored article that a new one may copy; ``original_id`` is set if it is itself a
    republication."""

    article_id: int
    facts: CopyFacts
    shingles: frozenset[int]
    original_id: int | None = None
    story_id: int | None = None


@dataclass(frozen=True)
class Republication:
    """How a new article relates to the stored one it copies (``matched_id``): it
    republishes ``original_id``, or (``original_id`` None) it is the original and the stored
    original ``demoted_id`` now republishes it."""

    matched_id: int
    similarity: float
    rule: str
    original_id: int | None = None
    demoted_id: int | None = None


def relate(
    new: CopyFacts, stored_id: int, stored: CopyFacts, matched_id: int, similarity: float
) -> Republication:
    """Weigh a new article against the stored original ``stored_id`` it copies (directly or
    through ``matched_id``, a republication of it)."""
    new_wins, rule = original_of(new, stored)
    if new_wins:
        return Republication(matched_id, similarity, rule, demoted_id=stored_id)
    return Republication(matched_id, similarity, rule, original_id=stored_id)


def original_of(new: CopyFacts, stored: CopyFacts) -> tuple[bool, str]:
    """Whether the new article is the original of the two, and the rule that says so."""
    named = _names_source(new, stored)
    if named is not None:
        return named
    earlier = _published_first(new, stored)
    if earlier is not None:
        return earlier
    return False, "stored first; neither text names the other outlet nor dates tell them apart"


def _names_source(new: CopyFacts, stored: CopyFacts) -> tuple[bool, str] | None:
    names_stored = _mentions(new.text, stored.outlet_name) or _mentions(
        stored.text, stored.outlet_name
    )
    names_new = _mentions(new.text, new.outlet_name) or _mentions(stored.text, new.outlet_name)
    if names_stored == names_new:
        return None
    source = new if names_new else stored
    return names_new, f"the text names {source.outlet_name} as its source"


def _mentions(text: str, name: str) -> bool:
    bare = re.sub(r"^(the|die|der|das)\s+", "", name.strip(), flags=re.IGNORECASE)
    if len(bare) < 3:
        return False
    return re.search(rf"(?<!\w){re.escape(bare)}(?!\w)", text, re.IGNORECASE) is not None


def _published_first(new: CopyFacts, stored: CopyFacts) -> tuple[bool, str] | None:
    a, b = parse_timestamp(new.published_at), parse_timestamp(stored.published_at)
    if a is None or b is None:
        return None
    if _bare(new.published_at) or _bare(stored.published_at):  # only the day can tell
        if a.date() == b.date():
            return None
    elif a == b:
        return None
    first = new if a < b else stored
    return a < b, f"published first ({first.outlet_name}, {first.published_at})"


def _bare(published_at: str | None) -> bool:
    return published_at is not None and len(published_at) == 10
