"""The store writer's decisions, on records made by hand."""

import json
from datetime import UTC, datetime, timedelta

import pytest
import sqlite_utils

from crawler.config import load_config
from crawler.content.article import ExtractedArticle
from crawler.ingest import Ingestor
from crawler.records import (
    DiscoveredEntry,
    FailureRecord,
    PageRecord,
    RecheckRecord,
    RunRecord,
    SourceRecord,
)
from crawler.spool import Spool
from fixtureweb.content import ARTICLES
from storage import Store
from storage.migrations import MIGRATIONS
from storage.outlets import sync_outlets
from storage.runs import get_run, start_run

ON_TOPIC = (
    "Verstka reported that Russian soldiers who went AWOL were forcibly sent back to the front "
    "at gunpoint. Deserters described torture in a pit. Mediazona counted hundreds of "
    "desertion cases in garrison courts, and suspended sentences sent men back to the army."
)
OFF_TOPIC = "The weather in Kyiv stays mild this week with light rain and gentle winds." * 3


def article(text: str = ON_TOPIC, title: str = "Russian deserters sent back", **extra):
    fields = {
        "title": title,
        "text": text,
        "description": None,
        "authors": ("A. Writer",),
        "published_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "language": "en",
        "canonical_url": None,
        "site_name": "Example",
        "image_url": None,
        "word_count": len(text.split()),
    }
    return ExtractedArticle(**(fields | extra))


def page(run_id, url, **extra) -> PageRecord:
    return PageRecord(
        run_id=run_id,
        outlet_id="example",
        url=url,
        final_url=url,
        http_status=200,
        content_type="text/html",
        fetched_at="t",
        source_url=None,
        article=extra.pop("article", article()),
        no_body_reason=extra.pop("no_body_reason", None),
        html_gzip=extra.pop("html_gzip", None),
        **extra,
    )


@pytest.fixture
def run(store):
    return start_run(store, "example", "cli")


def apply(store, config, tmp_path, *records):
    spool = Spool(tmp_path / "spool")
    for record in records:
        spool.put(record)
    stats = Ingestor(store, config).ingest(spool)
    assert spool.pending() == []
    return stats


def url_row(store, url):
    return store.db["urls"].get(url)


def test_an_on_topic_page_is_stored_with_its_explanation(store, example_config, tmp_path, run):
    apply(store, example_config, tmp_path, page(run, "https://www.example.org/a"))
    [stored] = list(store.db.query("select * from articles"))
    assert stored["canonical_url"] == "https://www.example.org/a"
    assert stored["topic_id"] == "russian-military-desertion"
    assert "AWOL" in stored["matched_terms"] and stored["relevance_score"] >= 12
    assert url_row(store, "https://www.example.org/a")["state"] == "stored"
    assert get_run(store, run)["stored"] == 1
    assert store.db["article_topics"].count == 1


def test_off_topic_is_recorded_with_its_score_not_stored(store, example_config, tmp_path, run):
    apply(
        store,
        example_config,
        tmp_path,
        page(run, "https://www.example.org/w", article=article(OFF_TOPIC, "Weather")),
    )
    row = url_row(store, "https://www.example.org/w")
    assert row["state"] == "off_topic" and "required concept" in row["reason"]
    assert store.db["articles"].count == 0 and get_run(store, run)["off_topic"] == 1


def test_duplicates_by_canonical_url_and_by_text(store, example_config, tmp_path, run):
    first = page(run, "https://www.example.org/a")
    amp = page(
        run,
        "https://www.example.org/amp/a",
        article=article(canonical_url="https://www.example.org/a"),
    )
    copy = page(
        run, "https://www.example.org/copy", article=article(ON_TOPIC.replace("Verstka", "VERSTKA"))
    )
    apply(store, example_config, tmp_path, first)
    apply(store, example_config, tmp_path, amp, copy)
    assert store.db["articles"].count == 1
    assert "same canonical URL as article 1" in url_row(store, amp.url)["reason"]
    assert "copies article 1 of the same outlet (1.00)" in url_row(store, copy.url)["reason"]
    assert url_row(store, copy.url)["article_id"] == 1
    assert get_run(store, run)["duplicates"] == 2


def test_a_redirect_target_and_canonical_are_filed_too(store, example_config, tmp_path, run):
    record = page(
        run,
        "https://www.example.org/short/1",
        article=article(canonical_url="https://www.example.org/story-1"),
    )
    apply(store, example_config, tmp_path, record)
    assert url_row(store, "https://www.example.org/story-1")["state"] == "stored"


def test_too_old_and_no_body(store, example_config, tmp_path, run):
    old = (datetime.now(UTC) - timedelta(days=400)).strftime("%Y-%m-%d")
    apply(
        store,
        example_config,
        tmp_path,
        page(run, "https://www.example.org/old", article=article(published_at=old)),
        page(
            run,
            "https://www.example.org/video",
            article=None,
            no_body_reason="main text has 3 words, fewer than 40",
        ),
    )
    assert url_row(store, "https://www.example.org/old")["state"] == "too_old"
    video = url_row(store, "https://www.example.org/video")
    assert video["state"] == "no_body" and "3 words" in video["reason"]
    assert store.db["articles"].count == 0


def test_today_as_a_bare_date_is_not_too_old(store, example_config, tmp_path, run):
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    apply(
        store,
        example_config,
        tmp_path,
        page(run, "https://www.example.org/t", article=article(published_at=today)),
    )
    assert url_row(store, "https://www.example.org/t")["state"] == "stored"


def test_transient_failures_are_retried_until_the_attempt_limit(
    store, example_config, tmp_path, run
):
    url = "https://www.example.org/flaky"
    states = []
    for _ in range(example_config.settings.fetch.max_fetch_attempts):
        apply(
            store,
            example_config,
            tmp_path,
            FailureRecord(run, "example", url, "t", "retry", "HTTP 503", 503),
        )
        states.append(url_row(store, url)["state"])
    assert states == ["retry", "retry", "failed"]
    assert "gave up after 3 attempts" in url_row(store, url)["reason"]


def test_applying_a_record_twice_changes_nothing(store, example_config, tmp_path, run):
    record = page(run, "https://www.example.org/a")
    apply(store, example_config, tmp_path, record)
    apply(store, example_config, tmp_path, record)  # e.g. killed after commit, before unlink
    assert store.db["articles"].count == 1 and get_run(store, run)["stored"] == 1


def test_source_and_run_records(store, example_config, tmp_path, run):
    apply(
        store,
        example_config,
        tmp_path,
        SourceRecord(
            run,
            "example",
            "https://www.example.org/feed/",
            "feed",
            "t",
            200,
            etag='"v1"',
            last_modified="Sun, 22 Nov 2026 10:00:00 GMT",
            entries=5,
        ),
        RunRecord(run, "example", "t", "ok", discovered=5, skipped_known=1, requested=4),
    )
    source = store.db["sources"].get(("example", "https://www.example.org/feed/"))
    assert (source["etag"], source["last_entries"]) == ('"v1"', 5)
    apply(
        store,
        example_config,
        tmp_path,
        SourceRecord(
            run, "example", "https://www.example.org/feed/", "feed", "t", 304, unchanged=True
        ),
    )
    source = store.db["sources"].get(("example", "https://www.example.org/feed/"))
    assert (source["etag"], source["last_status"]) == ('"v1"', 304)
    summary = get_run(store, run)
    assert (summary["status"], summary["discovered"], summary["requested"]) == ("ok", 5, 4)


def test_unreadable_spool_files_are_quarantined_and_the_rest_applied(
    store, example_config, tmp_path, run
):
    spool = Spool(tmp_path / "spool")
    (spool.directory / "url-garbage.json").write_text("{not json")
    spool.put(page(run, "https://www.example.org/a"))
    stats = Ingestor(store, example_config).ingest(spool)
    assert (stats.applied, stats.quarantined) == (1, 1)
    assert (spool.directory / "rejected" / "url-garbage.json").exists()


def listed(run, *urls, status=200, etag='"v2"'):
    entries = tuple(DiscoveredEntry(u, f"title of {u}", "2026-11-29T10:00:00Z") for u in urls)
    return SourceRecord(
        run,
        "example",
        "https://www.example.org/feed/",
        "feed",
        "2026-11-29T11:00:00Z",
        status,
        etag=etag,
        entries=len(urls),
        discovered=entries,
    )


def test_listed_entries_enter_the_frontier_with_their_source_and_hints(
    store, example_config, tmp_path, run
):
    apply(store, example_config, tmp_path, listed(run, "https://www.example.org/n1"))
    row = url_row(store, "https://www.example.org/n1")
    assert (row["state"], row["source_url"]) == ("pending", "https://www.example.org/feed/")
    assert row["listed_title"] == "title of https://www.example.org/n1"
    assert row["listed_published_at"] == "2026-11-29T10:00:00Z"
    source = store.db["sources"].get(("example", "https://www.example.org/feed/"))
    assert source["etag"] == '"v2"'


def test_a_page_decided_before_its_source_is_applied_stays_decided(
    store, example_config, tmp_path, run
):
    url = "https://www.example.org/a"
    # the spool applies pages first; the source's record then lists the same URL
    apply(store, example_config, tmp_path, page(run, url), listed(run, url))
    assert url_row(store, url)["state"] == "stored"


def test_a_broken_source_keeps_its_validators_and_adds_nothing(
    store, example_config, tmp_path, run
):
    apply(store, example_config, tmp_path, listed(run, "https://www.example.org/n1"))
    broken = SourceRecord(
        run, "example", "https://www.example.org/feed/", "feed", "t", 200, error="not a feed"
    )
    apply(store, example_config, tmp_path, broken)
    source = store.db["sources"].get(("example", "https://www.example.org/feed/"))
    assert (source["etag"], source["last_error"]) == ('"v2"', "not a feed")


def test_records_that_cannot_be_applied_are_set_aside_with_their_reason(
    store, example_config, tmp_path, run
):
    spool = Spool(tmp_path / "spool")
    spool.put(page(run + 99, "https://www.example.org/no-such-run"))  # names no run
    without_text = spool.put(page(run, "https://www.example.org/no-text"))
    document = json.loads(without_text.read_text())
    del document["article"]["text"]
    without_text.write_text(json.dumps(document))
    spool.put(page(run, "https://www.example.org/good"))
    stats = Ingestor(store, example_config).ingest(spool)
    assert (stats.applied, stats.quarantined) == (1, 2)
    assert url_row(store, "https://www.example.org/good")["state"] == "stored"
    reasons = sorted(p.read_text() for p in (spool.directory / "rejected").glob("*.reason"))
    assert "cannot be applied" in reasons[0] and "FOREIGN KEY" in reasons[0]
    assert "unreadable" in reasons[1] and "text" in reasons[1]
    assert len(spool.rejected()) == 2 and spool.pending() == []


def test_reports_of_one_event_share_a_story_only_within_the_story_window(
    store, make_config_dir, tmp_path, run
):
    config = load_config(make_config_dir(settings="[dedup]\nstory_window_days = 10\n"))
    wire, own_words, russian = (
        next(a for a in ARTICLES if a.story == "pskov-trial" and a.outlet_id == outlet)
        for outlet in ("rhine-wire", "steppe-herald", "ural-vestnik")
    )
    now = datetime.now(UTC)

    def report(source, url, days_ago, part=slice(None)):
        published = (now - timedelta(days=days_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")
        body = article(
            "\n".join(source.paragraphs[part]),
            source.title,
            published_at=published,
            language=source.language,
        )
        return page(run, url, article=body)

    base = "https://www.example.org/"
    apply(
        store, config, tmp_path, report(wire, base + "wire", 1), report(own_words, base + "own", 0)
    )
    late = report(russian, base + "late", 20, slice(0, 2))  # outside the window
    apply(store, config, tmp_path, late, report(russian, base + "russian", 2, slice(2, None)))
    rows = {row["url"].removeprefix(base): row for row in store.db.query("select * from articles")}
    assert rows["own"]["story_id"] == rows["wire"]["story_id"] == rows["wire"]["id"]
    assert rows["own"]["story_matched_id"] == rows["wire"]["id"]
    assert "e:voron" in json.loads(rows["own"]["story_evidence"])
    assert rows["late"]["story_id"] == rows["late"]["id"]
    assert rows["russian"]["story_id"] == rows["wire"]["id"]  # across languages, in the window


def test_articles_of_an_upgraded_store_are_indexed_so_their_copies_are_found(
    tmp_path, example_config, make_config_dir
):
    path = tmp_path / "old.db"
    old = sqlite_utils.Database(path)
    old.execute("CREATE TABLE _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    for name, migration in MIGRATIONS[:3]:  # a store written before copies and stories
        migration(old)
        old.execute("INSERT INTO _migrations VALUES (?, 't')", [name])
    old.execute("INSERT INTO outlets VALUES ('wire', 'Rhine Wire', 'h', 'en', '{}', 't', 't')")
    wire = next(a for a in ARTICLES if a.story == "pskov-trial" and a.outlet_id == "rhine-wire")
    old.table("articles").insert(
        {
            "outlet_id": "wire",
            "url": "https://w.example/a",
            "canonical_url": "https://w.example/a",
            "title": wire.title,
            "text": "\n".join(wire.paragraphs),
            "word_count": 300,
            "body_sha256": "x",
            "topic_id": "t",
            "relevance_score": 20.0,
            "extractor": "t",
            "published_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "fetched_at": "t",
            "stored_at": "t",
        }
    )
    old.conn.commit()
    old.close()
    edited = next(a for a in ARTICLES if a.story == "pskov-trial" and a.duplicate_of)
    with Store.open(path) as store:
        sync_outlets(store, [o.model_dump(mode="json") for o in example_config.outlets.values()])
        run_id = start_run(store, "example", "cli")
        copy = page(
            run_id,
            "https://www.example.org/copy",
            article=article("\n".join(edited.paragraphs), edited.title),
        )
        apply(store, example_config, tmp_path, copy)
        rows = list(store.db.query("select id, duplicate_of, indexed from articles order by id"))
    assert [(r["duplicate_of"], r["indexed"]) for r in rows] == [(None, 1), (rows[0]["id"], 1)]


def test_a_recheck_is_applied_once_per_run_even_within_one_second(
    store, example_config, tmp_path, run
):
    url = "https://www.example.org/rechecked"
    apply(store, example_config, tmp_path, page(run, url))
    [stored] = list(store.db.query("select id from articles"))
    later = start_run(store, "example", "cli")
    moment = "2026-11-30T12:00:00Z"  # both crawls fetched the page within this second

    def recheck(run_id):
        return RecheckRecord(run_id, "example", stored["id"], url, moment, 304, not_modified=True)

    first = apply(store, example_config, tmp_path, recheck(run))
    second = apply(store, example_config, tmp_path, recheck(later))
    again = apply(store, example_config, tmp_path, recheck(run))
    assert first.outcomes["unchanged"] == second.outcomes["unchanged"] == 1
    assert again.outcomes["already_applied"] == 1
    [row] = list(store.db.query("select rechecks, rechecked_run_id from articles"))
    assert row == {"rechecks": 2, "rechecked_run_id": later}
