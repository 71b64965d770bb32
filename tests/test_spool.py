import gzip
import os

import pytest

from crawler.content.article import ExtractedArticle
from crawler.records import (
    DiscoveredEntry,
    FailureRecord,
    FollowedLink,
    PageRecord,
    RecheckRecord,
    RunRecord,
    SourceRecord,
    from_document,
)
from crawler.spool import Spool

ARTICLE = ExtractedArticle(
    title="T",
    text="Body",
    description=None,
    authors=("A", "B"),
    published_at="2026-11-22",
    language="en",
    canonical_url=None,
    site_name=None,
    image_url=None,
    word_count=1,
)


def page(url: str = "https://www.example.org/a") -> PageRecord:
    return PageRecord(
        run_id=1,
        outlet_id="example",
        url=url,
        final_url=url,
        http_status=200,
        content_type="text/html",
        fetched_at="2026-11-22T10:00:00Z",
        source_url=None,
        article=ARTICLE,
        no_body_reason=None,
        html_gzip=gzip.compress(b"<html>\xd0\x94</html>"),
    )


def test_records_round_trip_with_their_raw_html(tmp_path):
    spool = Spool(tmp_path)
    records = [
        page(),
        FailureRecord(1, "example", "https://www.example.org/b", "t", "gone", "HTTP 404", 404),
        RecheckRecord(1, "example", 7, "https://www.example.org/a", "t", 304, not_modified=True),
        RecheckRecord(2, "example", 7, "https://www.example.org/a", "t", 200, article=ARTICLE),
        SourceRecord(
            1,
            "example",
            "https://www.example.org/feed",
            "feed",
            "t",
            200,
            etag='"e"',
            entries=3,
            discovered=(DiscoveredEntry("https://www.example.org/n", "N", None),),
            follow=(FollowedLink("https://www.example.org/s.xml", "2026-11-22T10:00:00Z"),),
        ),
        RunRecord(1, "example", "t", "ok", discovered=3, requested=2),
    ]
    for record in records:
        spool.put(record)
    # in the order written (URLs' records first, then sources', then runs'), though all were
    # written within a few milliseconds
    assert [spool.read(path) for path in spool.pending()] == records


def test_a_url_waiting_in_the_spool_is_known_by_its_key(tmp_path):
    spool = Spool(tmp_path)
    spool.put(page("https://www.example.org/a"))
    assert spool.has_url("https://www.example.org/a")
    assert not spool.has_url("https://www.example.org/other")


def test_writes_are_atomic_no_temporary_file_remains(tmp_path):
    spool = Spool(tmp_path)
    spool.put(page())
    assert [p.name for p in tmp_path.iterdir()] == [spool.pending()[0].name]


def test_temporaries_of_dead_writers_are_removed_those_of_live_ones_kept(tmp_path):
    spool = Spool(tmp_path)
    dead = tmp_path / ".url-x.json.999999999.tmp"
    live = tmp_path / f".url-y.json.{os.getpid()}.tmp"
    dead.write_text("{")
    live.write_text("{")
    spool.remove_orphaned_temporaries()
    assert not dead.exists() and live.exists()
    assert spool.pending() == []


def test_unreadable_files_are_quarantined_not_lost(tmp_path):
    spool = Spool(tmp_path)
    broken = tmp_path / "url-broken.json"
    broken.write_text('{"type": "page", "url": ')
    moved = spool.quarantine(broken)
    assert moved.read_text().startswith('{"type"') and spool.pending() == []


@pytest.mark.parametrize(
    "document",
    [
        {"type": "page", "url": "x"},  # fields missing
        {"type": "page", **{k: None for k in PageRecord.__dataclass_fields__}},  # nulls
        {"type": "nonsense"},
        ["not", "a", "record"],
    ],
)
def test_documents_that_are_not_records_raise_value_error(document):
    with pytest.raises(ValueError):
        from_document(document)


def test_two_fetches_of_one_source_in_two_runs_are_both_kept(tmp_path):
    spool = Spool(tmp_path)
    for run_id in (1, 2):
        spool.put(SourceRecord(run_id, "example", "https://www.example.org/f", "feed", "t", 200))
    assert len(spool.pending()) == 2
