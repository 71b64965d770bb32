"""The command line on stores filled by the ingest step (crawls are tested end to end)."""

import csv
import io
import json
import re
import sqlite3
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner

from crawler.config import FeedSettings
from crawler.ingest import Ingestor
from crawler.spool import PageRecord, Spool
from scheduler.cli import main
from scheduler.feed import FeedFile
from storage.atom import FeedInfo, atom_feed
from storage.atom import entry_summary as summary_of
from storage.runs import start_run

TEXT = (
    "Verstka reported that Russian soldiers who went AWOL were forcibly sent back to the "
    "front at gunpoint; deserters described torture in a pit, and garrison courts handed "
    "down suspended sentences to men who refused to fight."
)
SECOND_TEXT = (
    "Mediazona counted more AWOL cases in Russian garrison courts this autumn; a deserter "
    "from Buryatia who refused to fight was given a suspended sentence and sent back to his "
    "unit within a week."
)


@pytest.fixture
def filled(store, example_config, tmp_path):
    """A store with two on-topic articles, published on different days."""
    run = start_run(store, "example", "cli")
    spool = Spool(tmp_path / "spool")
    for n, day in ((1, "2026-11-19T10:00:00Z"), (2, "2026-11-21")):
        article = {
            "title": f"Russian deserters, part {n}",
            "text": TEXT if n == 1 else SECOND_TEXT,
            "description": None,
            "authors": ["Jane Roe", "John Doe"],
            "published_at": day,
            "language": "en",
            "canonical_url": None,
            "site_name": None,
            "image_url": None,
            "word_count": 40,
        }
        spool.put(
            PageRecord(
                run,
                "example",
                f"https://www.example.org/{n}",
                f"https://www.example.org/{n}",
                200,
                "text/html",
                "t",
                None,
                article,
                None,
            )
        )
    Ingestor(
        store,
        example_config.model_copy(
            update={
                "settings": example_config.settings.model_copy(
                    update={
                        "crawl": example_config.settings.crawl.model_copy(
                            update={"max_age_days": 5000}
                        )
                    }
                )
            }
        ),
    ).ingest(spool)
    return store.path


def invoke(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_export_jsonl_has_the_documented_fields(filled):
    result = invoke("export", "--db", str(filled))
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["title"] for r in rows] == ["Russian deserters, part 1", "Russian deserters, part 2"]
    assert rows[0]["authors"] == ["Jane Roe", "John Doe"]
    assert "AWOL" in rows[0]["matched_terms"]
    assert {
        "url",
        "canonical_url",
        "outlet",
        "title",
        "text",
        "published_at",
        "authors",
        "language",
        "relevance_score",
        "matched_terms",
        "fetched_at",
    } <= set(rows[0])
    assert "2 articles exported" in result.stderr


def test_export_csv_and_since(filled):
    result = invoke("export", "--db", str(filled), "--format", "csv", "--since", "2026-11-20")
    [row] = list(csv.DictReader(io.StringIO(result.stdout)))
    assert row["title"] == "Russian deserters, part 2"
    assert row["authors"] == "Jane Roe; John Doe"


def test_csv_tells_null_from_empty_and_can_start_with_a_bom(filled):
    with sqlite3.connect(filled) as conn:
        conn.execute("UPDATE articles SET description = '' WHERE id = 2")
    plain = invoke("export", "--db", str(filled), "--format", "csv")
    first, second = plain.stdout.splitlines()[1:3]
    assert first.startswith('"1","https://') and '"Russian deserters, part 1",,"' in first
    assert '"Russian deserters, part 2","","' in second  # an empty description, not a null
    assert not plain.stdout.startswith("\ufeff")
    marked = invoke("export", "--db", str(filled), "--format", "csv", "--bom")
    assert marked.stdout.startswith("\ufeff") and marked.stdout[1:] == plain.stdout
    rows = list(csv.DictReader(io.StringIO(marked.stdout[1:])))
    assert rows[0]["title"] == "Russian deserters, part 1"


def test_export_rejects_a_bad_date(filled):
    result = CliRunner().invoke(main, ["export", "--db", str(filled), "--since", "someday"])
    assert result.exit_code == 2 and "not a date" in result.stderr


def stored_later(path, article_id, when):
    """Pretend an article was stored at ``when`` (a test cannot wait for days to pass)."""
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE articles SET stored_at = ? WHERE id = ?", [when, article_id])


def test_recent_lists_what_was_stored_since_a_time_latest_first(filled):
    stored_later(filled, 1, "2026-01-01T08:00:00Z")
    today = invoke("recent", "--db", str(filled), "--since", "today")
    assert "[2] " in today.stdout and "[1] " not in today.stdout
    assert "1 articles stored since" in today.stderr
    both = invoke("recent", "--db", str(filled), "--since", "2026-01-01", "--json")
    assert [json.loads(line)["id"] for line in both.stdout.splitlines()] == [2, 1]
    assert invoke("recent", "--db", str(filled), "--since", "90m").stdout.count("[2] ") == 1
    assert invoke("recent", "--db", str(filled), "--outlet", "other").stdout == ""


def test_export_by_stored_time_and_outlet(filled):
    stored_later(filled, 1, "2026-01-01T08:00:00Z")
    since = invoke("export", "--db", str(filled), "--stored-since", "yesterday")
    assert [json.loads(line)["id"] for line in since.stdout.splitlines()] == [2]
    mine = invoke("export", "--db", str(filled), "--outlet", "example", "--outlet", "other")
    assert len(mine.stdout.splitlines()) == 2
    assert invoke("export", "--db", str(filled), "--outlet", "other").stdout == ""


def test_search_prints_snippets_filters_and_says_why_a_query_is_invalid(filled):
    result = invoke("search", "--db", str(filled), "gunpoint")
    assert "[gunpoint]" in result.stdout and "Russian deserters" in result.stdout
    found = invoke("search", "--db", str(filled), "AWOL", "--json", "--since", "2026-11-20")
    assert [json.loads(line)["id"] for line in found.stdout.splitlines()] == [2]
    assert invoke("search", "--db", str(filled), "AWOL", "--outlet", "other").stdout == ""
    odd = CliRunner().invoke(main, ["search", "--db", str(filled), "AWOL AND"])
    assert odd.exit_code == 2 and "'AWOL AND' is not a valid search" in odd.stderr
    assert "double quotes" in odd.stderr
    quoted = invoke("search", "--db", str(filled), '"AWOL AND"')
    assert quoted.exit_code == 0


def test_a_missing_store_is_one_line_with_advice(tmp_path):
    result = CliRunner().invoke(main, ["export", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 3
    assert "no store at" in result.stderr and "newsmon crawl" in result.stderr


def test_an_invalid_config_names_file_and_field(make_config_dir):
    config = make_config_dir({"example": 'id = "example"\nname = "E"\nhomepage = "x"\n'})
    result = CliRunner().invoke(main, ["crawl", "--config", str(config)])
    assert result.exit_code == 2
    assert "outlets/example.toml:3: homepage:" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_second_writer_is_refused(store, example_config):
    result = CliRunner().invoke(
        main, ["crawl", "--config", example_config.directory, "--db", str(store.path)]
    )
    assert result.exit_code == 3 and "is writing to this store" in result.stderr


def test_an_unknown_outlet_is_a_usage_error(example_config, tmp_path):
    result = CliRunner().invoke(
        main,
        [
            "crawl",
            "--config",
            example_config.directory,
            "--db",
            str(tmp_path / "x.db"),
            "--outlet",
            "nope",
        ],
    )
    assert result.exit_code == 2 and "no outlet 'nope'" in result.stderr


def test_outlets_list_validates_everything(example_config):
    result = invoke("outlets", "list", "--config", example_config.directory)
    assert "example" in result.stdout and "all configs are valid" in result.stdout


README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def test_the_readmes_example_queries_run_on_a_store(filled):
    blocks = re.findall(r"```sql\n(.*?)```", README, re.DOTALL)
    assert len(blocks) >= 5
    with sqlite3.connect(filled) as conn:
        for block in blocks:
            for statement in (s for s in block.split(";") if s.strip()):
                conn.execute(statement).fetchall()  # runs without an error
        current = conn.execute(blocks[0].split(";")[0]).fetchall()
    assert len(current) == 2  # both stored articles are on topic now


def _feed(result):
    parsed = feedparser.parse(result.stdout_bytes)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def test_feed_is_atom_a_reader_parses_latest_first(filled, tmp_path):
    stored_later(filled, 1, "2026-01-01T08:00:00Z")
    parsed = _feed(invoke("feed", "--db", str(filled), "--since", "2026-01-01"))
    assert parsed.version == "atom10"
    assert [e.link for e in parsed.entries] == [
        "https://www.example.org/2",
        "https://www.example.org/1",
    ]
    first = parsed.entries[0]
    assert first.title == "Russian deserters, part 2" and first.id == first.link
    assert [a.name for a in first.authors] == ["Jane Roe", "John Doe"]
    assert first.summary.startswith("Mediazona counted") and first.published.startswith(
        "2026-11-21"
    )
    assert parsed.feed.updated == first.updated  # the feed changes when an entry is added
    assert len(_feed(invoke("feed", "--db", str(filled))).entries) == 1  # 7 days by default
    assert _feed(invoke("feed", "--db", str(filled), "--outlet", "other")).entries == []


def test_feed_written_to_a_file_carries_its_self_address(filled, tmp_path):
    target = tmp_path / "www" / "feed.atom"
    target.parent.mkdir()
    url = "https://news.example.net/feed.atom"
    result = invoke("feed", "--db", str(filled), "-o", str(target), "--self-url", url)
    assert "2 articles in the feed" in result.stderr
    parsed = feedparser.parse(target.read_bytes())
    assert parsed.feed.id == url and parsed.feed.links[0].href == url
    assert list(target.parent.iterdir()) == [target]  # no temporary file left


def test_the_feed_file_is_rewritten_only_when_the_store_changes(filled, tmp_path):
    target = tmp_path / "feed.atom"
    feed = FeedFile(FeedSettings(path=str(target), max_entries=1), filled)
    assert feed.refresh() and len(feedparser.parse(target.read_bytes()).entries) == 1
    assert not feed.refresh()
    stored_later(filled, 1, "2027-01-01T08:00:00Z")
    assert feed.refresh()
    assert feedparser.parse(target.read_bytes()).entries[0].link.endswith("/1")
    with sqlite3.connect(filled) as conn:  # an analyst demotes the article: it leaves the feed
        conn.execute("UPDATE articles SET topic_status = 'off_topic' WHERE id = 1")
    assert feed.refresh()
    assert feedparser.parse(target.read_bytes()).entries[0].link.endswith("/2")
    assert not FeedFile(FeedSettings(), filled).refresh()  # no path: no feed file


def test_a_failed_feed_write_leaves_the_served_file_whole(filled, tmp_path, monkeypatch):
    target = tmp_path / "feed.atom"
    target.write_bytes(b"the feed served until now")

    def full_disk(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("storage.atomic.os.fsync", full_disk)
    result = CliRunner().invoke(main, ["feed", "--db", str(filled), "-o", str(target)])
    assert result.exit_code == 1 and "No space left on device" in result.stderr
    assert "it is unchanged" in result.stderr
    assert target.read_bytes() == b"the feed served until now"
    assert list(tmp_path.glob(".feed.atom.*")) == []


def test_feed_self_url_must_be_http(filled):
    result = CliRunner().invoke(main, ["feed", "--db", str(filled), "--self-url", "ftp://x"])
    assert result.exit_code == 2 and "--self-url" in result.stderr


def test_feed_entries_drop_characters_xml_cannot_carry():
    row = {
        "url": "https://a.example/1",
        "canonical_url": None,
        "title": "Bad\x0b title",
        "stored_at": "2026-11-30T10:00:00Z",
        "published_at": None,
        "authors": [],
        "outlet": "a",
        "outlet_name": "A",
        "description": None,
        "text": "text\x01 here",
        "language": None,
    }
    info = FeedInfo("urn:x", "t", "2026-11-30T10:00:00Z")
    parsed = feedparser.parse(atom_feed(info, [row]))
    assert not parsed.bozo and parsed.entries[0].title == "Bad title"
    assert parsed.entries[0].author == "A"  # no author named: the outlet
    odd = {**row, "outlet_name": "Site\x02 \ufffe name", "url": "https://a.example/\x01"}
    assert not feedparser.parse(atom_feed(info, [odd])).bozo  # attributes are cleaned too


def test_a_feed_summary_of_a_text_without_spaces_is_not_empty():
    row = {"description": None, "text": "漢" * 2000}
    assert summary_of(row).startswith("漢" * 100) and len(summary_of(row)) < 700
