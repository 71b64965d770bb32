"""Extraction drift: an outlet whose pages suddenly extract worse than they used to (a
redesigned site) is flagged, by comparing its last days with its own history.

``drift`` is a pure function of two sets of figures (``storage.status.extraction_figures``):
the share of extracted pages without a body, and of stored articles without a title or a
date, and the mean length of their text. It says nothing until both periods have enough
pages to compare.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from storage import Store, format_utc
from storage.outlets import record_drift
from storage.status import extraction_figures

RECENT_DAYS, USUAL_DAYS = 7, 60  # the last week against the weeks before
MIN_PAGES = 10  # pages extracted in each period before it is compared
MIN_ARTICLES = 5  # articles stored in each period before their figures are compared
SHARE_RISE = 0.25  # a share (no body, no title, no date) this much higher is drift
WORDS_FALL = 0.5  # a mean text length below this fraction of the usual is drift


def drift(recent: dict[str, Any], usual: dict[str, Any]) -> list[str]:
    """What got worse, in words; empty when nothing did (or there is too little to tell)."""
    found = []
    if recent["pages"] >= MIN_PAGES and usual["pages"] >= MIN_PAGES:
        before, now = _share(usual, "no_body", "pages"), _share(recent, "no_body", "pages")
        if now >= before + SHARE_RISE:
            found.append(f"pages without a body {now:.0%} (usually {before:.0%})")
    if recent["articles"] >= MIN_ARTICLES and usual["articles"] >= MIN_ARTICLES:
        for key, what in (("no_title", "without a title"), ("no_date", "without a date")):
            before, now = _share(usual, key, "articles"), _share(recent, key, "articles")
            if now >= before + SHARE_RISE:
                found.append(f"articles {what} {now:.0%} (usually {before:.0%})")
        if recent["words"] < WORDS_FALL * usual["words"]:
            found.append(f"{recent['words']:.0f} words an article (usually {usual['words']:.0f})")
    return found


def _share(figures: dict[str, Any], part: str, whole: str) -> float:
    return float(figures[part]) / figures[whole] if figures[whole] else 0.0


def outlet_drift(store: Store, outlet_id: str, now: datetime) -> list[str]:
    """How the outlet's extraction got worse this week than in the weeks before, if it did."""
    week, before = now - timedelta(days=RECENT_DAYS), now - timedelta(days=USUAL_DAYS)
    recent = extraction_figures(store, outlet_id, format_utc(week), format_utc(now))
    usual = extraction_figures(store, outlet_id, format_utc(before), format_utc(week))
    return drift(recent, usual)


def check_drift(store: Store, outlet_id: str, now: datetime) -> list[str]:
    """Compare, and record the result on the outlet's row (the outlet_health view shows it)."""
    signs = outlet_drift(store, outlet_id, now)
    record_drift(store, outlet_id, "; ".join(signs) or None, format_utc(now))
    return signs
