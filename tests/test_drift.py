"""Extraction drift: an outlet whose pages extract worse this week than before is flagged."""

from datetime import UTC, datetime, timedelta

from crawler.spool import Spool
from scheduler.drift import check_drift, drift
from scheduler.status import collect, render
from storage import format_utc

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
USUAL = {"pages": 40, "no_body": 2, "articles": 10, "no_title": 0, "no_date": 1, "words": 600}


def test_a_sudden_rise_of_pages_without_a_body_or_a_fall_in_length_is_drift():
    assert drift(dict(USUAL), USUAL) == []
    broken = {**USUAL, "pages": 12, "no_body": 9}
    assert drift(broken, USUAL) == ["pages without a body 75% (usually 5%)"]
    shorter = {**USUAL, "words": 120, "no_date": 8}
    assert drift(shorter, USUAL) == [
        "articles without a date 80% (usually 10%)",
        "120 words an article (usually 600)",
    ]


def test_too_little_to_compare_says_nothing():
    assert drift({**USUAL, "pages": 3, "no_body": 3, "articles": 1, "words": 5}, USUAL) == []
    assert drift({**USUAL, "no_body": 30}, {**USUAL, "pages": 4}) == []


def add_pages(store, count: int, no_body: int, days_ago: float) -> None:
    when = format_utc(NOW - timedelta(days=days_ago))
    with store.transaction() as db:
        for n in range(count):
            state = "no_body" if n < no_body else "off_topic"
            db["urls"].insert(
                {
                    "url": f"https://www.example.org/{days_ago}/{n}",
                    "outlet_id": "example",
                    "state": state,
                    "reason": "main text has 3 words" if state == "no_body" else "off topic",
                    "first_seen_at": when,
                    "updated_at": when,
                }
            )


def test_status_warns_about_an_outlet_whose_extraction_got_worse(store, example_config, tmp_path):
    add_pages(store, 30, 1, days_ago=20)
    add_pages(store, 12, 10, days_ago=2)
    report = collect(store, example_config, Spool(tmp_path / "spool"), NOW)
    [outlet] = report["outlets"]
    assert outlet["extraction_drift"] == ["pages without a body 83% (usually 3%)"]
    assert "example: extraction worse than usual (pages without a body 83%" in render(report, NOW)
    add_pages(store, 40, 0, days_ago=1)  # most of this week looks like before again
    healed = collect(store, example_config, Spool(tmp_path / "spool"), NOW)
    assert healed["outlets"][0]["extraction_drift"] == []


def health(store):
    return next(iter(store.db.query("SELECT * FROM outlet_health WHERE outlet_id = 'example'")))


def test_the_health_view_flags_drift_as_of_the_last_check(store):
    add_pages(store, 30, 1, days_ago=20)
    assert check_drift(store, "example", NOW) == []
    assert health(store)["extraction_drift"] is None
    assert health(store)["drift_checked_at"] == format_utc(NOW)
    add_pages(store, 12, 10, days_ago=2)
    check_drift(store, "example", NOW)
    assert health(store)["extraction_drift"] == "pages without a body 83% (usually 3%)"
