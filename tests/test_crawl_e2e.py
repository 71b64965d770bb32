"""`newsmon crawl` end to end against the fixture web: two passes, then the analysts' commands.

One module-scoped fixture runs the whole thing once (two crawls of nine outlets, one of them
dead); the tests then read the store and the fixture server's request log.
"""

from __future__ import annotations

import gzip
import json
import re
import sqlite3
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner, Result

from crawler.config import OutletConfig, load_config
from crawler.content.article import ExtractedArticle
from crawler.content.extraction import extract_article
from crawler.content.gate import Gate
from crawler.content.relevance import CompiledTopic
from crawler.fetch import gatewords
from daemonkit import write_config
from fixtureweb import DEAD_OUTLET, Article, FixtureWeb, LoggedRequest
from scheduler.cli import main
from scheduler.cli.outlets import furniture_left
from scheduler.golden import expected_fields
from storage.queries import EXPORT_FIELDS


@dataclass
class Crawled:
    web: FixtureWeb
    config: Path
    db: Path
    first: Result
    first_log: list[LoggedRequest]
    second: Result
    second_log: list[LoggedRequest]
    published: Article
    third_log: list[LoggedRequest]


def crawl(config: Path) -> Result:
    return CliRunner().invoke(main, ["crawl", "--config", str(config)], catch_exceptions=False)


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    root = tmp_path_factory.mktemp("e2e")
    with FixtureWeb() as web:
        setup = write_config(root, web, include_dead=True, parallel=9)
        config, db = setup.config, setup.db
        first = crawl(config)
        first_log = web.requests
        web.clear_log()
        second = crawl(config)
        second_log = web.requests
        web.clear_log()
        published = web.new_article("steppe-herald", on_topic=True, seq=1)
        web.publish("steppe-herald", published)
        crawl(config)
        yield Crawled(
            web, config, db, first, first_log, second, second_log, published, web.requests
        )


def query(crawled: Crawled, sql: str, *params: object) -> list[sqlite3.Row]:
    conn = sqlite3.connect(crawled.db)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def path_of(url: str) -> str:
    return urlsplit(url).path


def expected(crawled: Crawled, *expects: str) -> list[Article]:
    return [a for a in crawled.web.articles if a.expect in expects]


def stored_by_path(crawled: Crawled) -> dict[tuple[str, str], sqlite3.Row]:
    rows = query(crawled, "select * from articles")
    return {(row["outlet_id"], path_of(row["canonical_url"])): row for row in rows}


def words(text: str) -> str:
    return " ".join(text.split())


# -- the first crawl -------------------------------------------------------------------------


def test_a_dead_outlet_fails_alone_and_the_exit_code_says_so(crawled):
    assert crawled.first.exit_code == 1
    assert f"these outlets failed: {DEAD_OUTLET}" in crawled.first.stderr
    runs = {row["outlet_id"]: row for row in query(crawled, "select * from runs where id <= 9")}
    assert runs[DEAD_OUTLET]["status"] == "failed"
    assert "Connection" in runs[DEAD_OUTLET]["error"]
    assert all(run["status"] == "ok" for oid, run in runs.items() if oid != DEAD_OUTLET)


def test_an_interactive_crawl_shows_progress_and_keeps_library_messages_out_of_the_table(
    crawled,
):
    stderr, stdout = crawled.first.stderr, crawled.first.stdout
    assert "crawling 9 outlet(s), 9 at a time" in stderr
    assert f"  {DEAD_OUTLET}: crawling…" in stderr and "  steppe-herald: crawling…" in stderr
    assert not re.search(r"^\d{4}-\d\d-\d\dT", stdout + stderr, re.MULTILINE)  # no log line
    log = crawled.config.parent / "newsmon.db.crawl.log"
    assert f"messages of the crawl processes: {log}" in stderr
    assert "malformed feed" in log.read_text()  # broken-feeds: a warning, kept out of the table


def test_every_on_topic_article_is_stored_and_no_other(crawled):
    stored = stored_by_path(crawled)
    on_topic = {(a.outlet_id, a.path) for a in expected(crawled, "on_topic", "duplicate")}
    borderline = {(a.outlet_id, a.path) for a in expected(crawled, "borderline")}
    assert borderline and set(stored) == on_topic | borderline
    status = {key: row["topic_status"] for key, row in stored.items()}
    assert {status[key] for key in borderline} == {"borderline"}
    assert {status[key] for key in on_topic} == {"on_topic"}


def test_the_raw_html_of_every_stored_article_and_of_no_other_page_is_kept(crawled):
    rows = query(crawled, "select state, page_id from urls")
    stored = [row for row in rows if row["state"] == "stored"]
    assert stored and all(row["page_id"] is not None for row in stored)
    assert all(row["page_id"] is None for row in rows if row["state"] != "stored")


def test_republications_point_at_their_original_and_say_why(crawled):
    stored = stored_by_path(crawled)
    copies = expected(crawled, "duplicate")
    assert copies
    for copy in copies:
        row = stored[(copy.outlet_id, copy.path)]
        original = stored[tuple(copy.duplicate_of.split(":", 1))]
        assert (row["duplicate_of"], original["duplicate_of"]) == (original["id"], None)
        assert 0.5 <= row["duplicate_similarity"] <= 1.0 and row["duplicate_rule"]
        assert row["story_id"] == original["story_id"]


def test_reports_of_one_event_share_a_story_and_other_events_do_not(crawled):
    stored = stored_by_path(crawled)
    labels = {
        stored[(a.outlet_id, a.path)]["id"]: a.story
        for a in crawled.web.articles
        if a.story and (a.outlet_id, a.path) in stored
    }
    story_of = {row["id"]: row["story_id"] for row in stored.values()}
    for one, label in labels.items():
        for other, other_label in labels.items():
            assert (story_of[one] == story_of[other]) == (label == other_label), (one, other)
    view = {row["story_id"]: row for row in query(crawled, "select * from stories")}
    for story_id, row in view.items():
        members = [r for r in stored.values() if r["story_id"] == story_id]
        originals = [r for r in members if r["duplicate_of"] is None]
        assert (row["reports"], row["republications"]) == (
            len(originals),
            len(members) - len(originals),
        )
        assert row["outlets"] == len({r["outlet_id"] for r in members})
    pskov = view[story_of[next(i for i, s in labels.items() if s == "pskov-trial")]]
    assert pskov["republications"] == 1 and set(pskov["languages"].split(",")) >= {"en", "ru"}


def test_stored_text_has_every_body_paragraph_and_no_furniture(crawled):
    stored = stored_by_path(crawled)
    checked = 0
    for article in crawled.web.articles:
        row = stored.get((article.outlet_id, article.path))
        if row is None:
            continue
        text = words(row["text"])
        for paragraph in article.paragraphs:
            assert words(paragraph) in text, (article.path, paragraph[:60])
        for furniture in article.furniture:
            assert words(furniture) not in text, (article.path, furniture[:60])
        checked += 1
    assert checked >= 14


def test_metadata_is_extracted(crawled):
    stored = stored_by_path(crawled)
    for article in expected(crawled, "on_topic"):
        row = stored.get((article.outlet_id, article.path))
        if row is None:
            continue
        assert row["title"] == article.title
        assert json.loads(row["authors"]) == list(article.authors)
        assert row["language"] == article.language
        published = row["published_at"]
        assert published.startswith(article.published_at.date().isoformat()) or re.match(
            r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", published
        )


def test_the_windows_1251_site_is_decoded(crawled):
    russian = [a for a in expected(crawled, "on_topic") if a.outlet_id == "ural-vestnik"]
    stored = stored_by_path(crawled)
    for article in russian:
        assert words(article.paragraphs[0]) in words(stored[("ural-vestnik", article.path)]["text"])


def test_no_tracking_or_amp_variant_is_stored_twice(crawled):
    rows = query(crawled, "select url, canonical_url from articles")
    canonical = [row["canonical_url"] for row in rows]
    assert len(canonical) == len(set(canonical))
    assert not any(re.search(r"utm_|maca=|[?&]amp|/amp/", url) for url in canonical)
    amp_articles = [a for a in crawled.web.articles if a.amp_path]
    assert amp_articles
    for article in amp_articles:
        amp_row = query(
            crawled,
            "select state, reason from urls where url like ?",
            f"%{article.amp_path.rstrip('/')}%",
        )
        assert amp_row, "the AMP variant was never decided"
        assert sum(1 for url in canonical if path_of(url) == article.path) == 1


def test_every_decision_is_recorded_with_its_reason(crawled):
    states = {(r["outlet_id"], path_of(r["url"])): r for r in query(crawled, "select * from urls")}
    mapping = {
        "near_topic": "off_topic",
        "off_topic": "off_topic",
        "no_body": "no_body",
        "gone": "gone",
        "robots_blocked": "blocked",
    }
    gated = []
    for article in expected(crawled, *mapping):
        row = states[(article.outlet_id, article.path)]
        if row["reason"].startswith("gate: "):  # turned away before extraction (no topic term)
            gated.append(article.expect)
            assert row["state"] == "off_topic", article.path
        else:
            assert row["state"] == mapping[article.expect], article.path
        assert row["reason"]
    assert "near_topic" in gated
    off = [states[(a.outlet_id, a.path)] for a in expected(crawled, "near_topic")]
    assert all(re.search(r"^(off topic: (score|required)|gate: )", row["reason"]) for row in off)


def test_robots_blocked_and_too_old_articles_are_never_requested(crawled):
    never = expected(crawled, "robots_blocked", "too_old")
    requested = {(r.outlet_id, path_of(r.path)) for r in crawled.first_log + crawled.second_log}
    assert never
    for article in never:
        assert (article.outlet_id, article.path) not in requested


def test_only_article_urls_of_the_listing_are_requested(crawled):
    listing = {path_of(r.path) for r in crawled.first_log if r.outlet_id == "volga-bulletin"}
    assert all(p == "/robots.txt" or p.startswith("/news/") for p in listing)
    assert not any(p.startswith(("/tag", "/about")) for p in listing)


# -- the second crawl ------------------------------------------------------------------------


def article_paths(crawled: Crawled) -> set[tuple[str, str]]:
    return {(a.outlet_id, a.path) for a in crawled.web.articles} | {
        (a.outlet_id, a.amp_path) for a in crawled.web.articles if a.amp_path
    }


def test_the_second_crawl_requests_no_article_again(crawled):
    assert crawled.second.exit_code == 1  # the dead outlet is still dead
    articles = article_paths(crawled)
    again = [
        (r.outlet_id, r.path)
        for r in crawled.second_log
        if (r.outlet_id, path_of(r.path)) in articles
    ]
    assert again == []
    first = [
        (r.outlet_id, r.path)
        for r in crawled.first_log
        if (r.outlet_id, path_of(r.path)) in articles
    ]
    assert len(first) >= 30


def test_the_second_crawl_sends_conditional_requests_for_feeds_and_sitemaps(crawled):
    documents = [r for r in crawled.second_log if re.search(r"(feed|atom|rdf|rss|sitemap)", r.path)]
    assert {r.outlet_id for r in documents} >= {
        "steppe-herald",
        "borderland-press",
        "rhine-wire",
        "ural-vestnik",
        "dnipro-digest",
        "capital-observer",
    }
    for request in documents:
        assert "if-none-match" in request.headers or "if-modified-since" in request.headers
    assert any(r.status == 304 for r in documents)


def test_an_idle_poll_asks_each_source_document_once_and_no_article(crawled):
    documents = {
        (row["outlet_id"], path_of(row["url"]))
        for row in query(crawled, "select outlet_id, url from sources")
    }
    asked = Counter((r.outlet_id, path_of(r.path)) for r in crawled.second_log)
    assert set(asked) <= documents  # no article, no robots.txt of its own (it is cached)
    assert max(asked.values()) == 1
    # one source per outlet; Capital Observer's (robots.txt) names a sitemap index, whose
    # child sitemaps are not asked: their lastmod in the unchanged index is unchanged
    per_outlet = Counter(outlet for outlet, _ in asked)
    assert per_outlet.pop("capital-observer") == 2
    assert set(per_outlet.values()) == {1}
    assert all(r.status == 304 for r in crawled.second_log)


def test_the_gate_words_a_crawl_learnt_are_left_for_the_next_crawl(crawled):
    """Every outlet gates with the one topic: one file, named by the gate's fingerprint."""
    gate = Gate([CompiledTopic(load_config(crawled.config).topics["russian-military-desertion"])])
    folder = crawled.db.with_name(crawled.db.name + ".spool") / "gate"
    assert [path.stem for path in folder.glob("*.json")] == [gate.fingerprint]
    gatewords.recall(gate, folder)
    assert gate.words_seen > 300  # the words of the fixture web's pages


def test_the_second_crawl_stores_nothing_new(crawled):
    second = query(crawled, "select * from runs where id between 10 and 18")
    assert len(second) == 9
    assert all(run["stored"] == 0 and run["requested"] == 0 for run in second)


def test_after_a_new_article_appears_only_it_is_fetched_and_stored(crawled):
    articles = article_paths(crawled) | {("steppe-herald", crawled.published.path)}
    fetched = [r.path for r in crawled.third_log if (r.outlet_id, path_of(r.path)) in articles]
    assert fetched == [crawled.published.path]
    [run] = query(crawled, "select * from runs where id > 18 and outlet_id = 'steppe-herald'")
    assert (run["requested"], run["stored"]) == (1, 1)
    assert run["skipped_known"] == len(crawled.web.articles_for("steppe-herald")) - 1


# -- the analysts' commands ------------------------------------------------------------------


def test_export_validates_against_its_documented_fields(crawled):
    result = CliRunner().invoke(main, ["export", "--config", str(crawled.config)])
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    copies = len(expected(crawled, "duplicate"))
    borderline = len(expected(crawled, "borderline"))
    # each report once; the borderline ones only on request
    assert len(rows) == len(stored_by_path(crawled)) - copies - borderline
    assert sum(row["republications"] for row in rows) == copies
    assert all(row["duplicate_of"] is None for row in rows)
    assert {row["topic_status"] for row in rows} == {"on_topic"}
    asked = CliRunner().invoke(
        main, ["export", "--config", str(crawled.config), "--with-borderline"]
    )
    statuses = [json.loads(line)["topic_status"] for line in asked.stdout.splitlines()]
    assert statuses.count("borderline") == borderline and len(statuses) == len(rows) + borderline
    types = {
        "story_id": int,
        "republications": int,
        "id": int,
        "url": str,
        "canonical_url": str,
        "outlet": str,
        "outlet_name": str,
        "text": str,
        "authors": list,
        "topic": str,
        "relevance_score": float,
        "matched_terms": list,
        "word_count": int,
        "fetched_at": str,
        "stored_at": str,
    }
    topics = load_config(crawled.config).topics
    for row in rows:
        assert list(row) == list(EXPORT_FIELDS)
        for field, kind in types.items():
            assert isinstance(row[field], kind), field
        assert row["relevance_score"] >= topics[row["topic"]].threshold and row["matched_terms"]


def test_export_with_republications_adds_the_copies_pointing_at_their_originals(crawled):
    result = CliRunner().invoke(
        main, ["export", "--config", str(crawled.config), "--with-republications"]
    )
    rows = {row["id"]: row for row in map(json.loads, result.stdout.splitlines())}
    assert len(rows) == len(stored_by_path(crawled)) - len(expected(crawled, "borderline"))
    copies = [row for row in rows.values() if row["duplicate_of"] is not None]
    assert len(copies) == len(expected(crawled, "duplicate"))
    for copy in copies:
        original = rows[copy["duplicate_of"]]
        assert original["republications"] >= 1 and copy["story_id"] == original["story_id"]


def test_stories_lists_reports_across_outlets_and_show_explains_an_article(crawled):
    command = ["stories", "--config", str(crawled.config), "--json", "--limit", "100"]
    result = CliRunner().invoke(main, command)
    found = [json.loads(line) for line in result.stdout.splitlines()]
    pskov = next(s for s in found if any("pskov-court" in a["url"] for a in s["articles"]))
    outlets = {a["outlet_id"] for a in pskov["articles"]}
    assert outlets >= {"rhine-wire", "capital-observer", "steppe-herald", "ural-vestnik"}
    originals = [a for a in pskov["articles"] if a["duplicate_of"] is None]
    assert pskov["title"] == min(originals, key=lambda a: (a["published_at"], a["id"]))["title"]
    copy = next(a for a in pskov["articles"] if a["duplicate_of"])
    shown = CliRunner().invoke(main, ["show", "--config", str(crawled.config), str(copy["id"])])
    assert f"Republishes [{copy['duplicate_of']}]" in shown.stdout
    assert "published first (Rhine Wire" in shown.stdout
    assert shown.stdout.count("\n    [") == len(pskov["articles"]) - 1  # the other reports
    missing = CliRunner().invoke(main, ["show", "--config", str(crawled.config), "99999"])
    assert missing.exit_code == 1 and "no article 99999" in missing.output


def test_search_finds_russian_and_english_articles(crawled):
    english = CliRunner().invoke(main, ["search", "--config", str(crawled.config), "deserters"])
    assert english.exit_code == 0 and english.stdout.count("\n    http") >= 3
    russian = CliRunner().invoke(main, ["search", "--config", str(crawled.config), "дезертир*"])
    assert "ural-vestnik" in russian.stdout
    republished = CliRunner().invoke(
        main, ["search", "--config", str(crawled.config), '"recycle personnel"']
    )
    assert republished.stdout.count("\n    http") == 1  # the original, not its copy


def test_outlets_check_dry_runs_without_writing(crawled):
    before = query(crawled, "select count(*) as n from urls")[0]["n"]
    crawled.web.clear_log()
    result = CliRunner().invoke(
        main,
        ["outlets", "check", "steppe-herald", "--config", str(crawled.config), "--sample", "2"],
    )
    assert result.exit_code == 0, result.stdout
    assert "entries" in result.stdout and "decision:  " in result.stdout
    assert "matched:" in result.stdout and "title:" in result.stdout
    new = int(re.search(r"entries, (\d+) new", result.stdout)[1])
    assert f"  not taken: {new - 2} cap: left for a later crawl" in result.stdout
    assert len([r for r in crawled.web.requests if "/2026/" in r.path]) == 2
    assert query(crawled, "select count(*) as n from urls")[0]["n"] == before


def test_outlets_check_reports_as_json_and_fails_on_a_dead_source(crawled):
    command = ["outlets", "check", "steppe-herald", "--config", str(crawled.config), "--json"]
    result = CliRunner().invoke(main, [*command, "--sample", "1"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["ok"] and report["sources"][0]["entries"] > 0
    assert report["run"]["status"] == "ok" and report["run"]["requested"] == 1
    source = report["sources"][0]  # every entry is new or not taken for a stated reason
    cap = source["dropped"].pop("cap: left for a later crawl")  # new, fetched later
    assert source["new"] + sum(source["dropped"].values()) == source["entries"]
    assert cap == source["new"] - 1
    [article] = report["articles"]
    assert article["decision"] in ("stored", "off_topic") and article["furniture"] == []
    dead = ["outlets", "check", DEAD_OUTLET, "--config", str(crawled.config), "--json"]
    failed = CliRunner().invoke(main, dead)
    assert failed.exit_code == 1
    assert json.loads(failed.stdout)["sources"][0]["error"]


def test_leftover_furniture_is_flagged():
    outlet = OutletConfig(
        id="steppe-herald",
        name="Steppe Herald",
        homepage="https://steppe.example/",
        language="en",
        sources=[{"kind": "feed", "url": "https://steppe.example/feed/"}],
    )
    article = ExtractedArticle(
        "Deserters sent back — Steppe Herald, 2026-11-30",
        "Deserters sent back — Steppe Herald, 2026-11-30\nThe text.",
        None,
        (),
        None,
        "en",
        None,
        "Steppe Herald",
        None,
        10,
    )
    assert furniture_left(outlet, article) == [
        "the title carries the site's name",
        "the title carries a date",
        "the text starts with the title",
    ]


def test_outlets_snapshot_writes_golden_cases_that_extraction_yields(crawled, tmp_path):
    into = tmp_path / "outlets"
    command = ["outlets", "snapshot", "steppe-herald", "--config", str(crawled.config)]
    result = CliRunner().invoke(main, [*command, "--into", str(into), "--sample", "2"])
    assert result.exit_code == 0, result.output
    cases = sorted((into / "steppe-herald").glob("*.json"))
    assert len(cases) == 2 and result.stdout.count("wrote ") == 2
    for case in cases:
        saved = json.loads(case.read_text())
        page = gzip.decompress(case.with_name(case.stem + ".html.gz").read_bytes()).decode()
        assert expected_fields(extract_article(page, saved["url"])) == saved["expected"]
        assert saved["expected"]["title"] and saved["extractor"].startswith("trafilatura")
