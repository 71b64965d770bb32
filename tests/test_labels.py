"""The review band and analysts' labels: borderline articles are stored apart, a label
promotes or demotes one (through the spool, so it works while a daemon holds the store), and
the labels come back out as an evaluation set that bench/topic.py reads."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_ingest import article, page

from crawler.ingest import Ingestor
from crawler.records import LabelRecord
from crawler.spool import Spool
from scheduler.cli import main
from storage import Store
from storage.outlets import sync_outlets
from storage.runs import get_run, start_run

REPO = Path(__file__).resolve().parent.parent
# a surrender in one sentence with the Russian army and nothing else: in the review band
BORDERLINE = "Russian soldiers surrendered near the village.\nThe weather stayed mild all week."


def put(store, config, tmp_path, *records):
    spool = Spool(tmp_path / "spool")
    for record in records:
        spool.put(record)
    return Ingestor(store, config).ingest(spool).outcomes


def status(store, article_id):
    return store.db["articles"].get(article_id)["topic_status"]


@pytest.fixture
def borderline_id(store, example_config, tmp_path):
    run = start_run(store, "example", "cli")
    record = page(run, "https://www.example.org/b", article=article(BORDERLINE, "Front report"))
    put(store, example_config, tmp_path, record)
    [row] = store.db["articles"].rows
    assert get_run(store, run)["borderline"] == 1 and get_run(store, run)["stored"] == 0
    return row["id"]


def test_a_page_in_the_review_band_is_stored_as_borderline(store, borderline_id):
    row = store.db["articles"].get(borderline_id)
    details = json.loads(row["relevance_details"])
    assert row["topic_status"] == "borderline" and details["borderline"]
    assert details["threshold"] - details["review_band"] <= row["relevance_score"]
    assert row["relevance_score"] < details["threshold"]
    [url] = store.db.query("select state, reason from urls")
    assert url["state"] == "stored" and url["reason"].startswith("borderline:")


def test_a_label_promotes_or_demotes_and_every_label_is_kept(
    store, example_config, tmp_path, borderline_id
):
    on = LabelRecord(borderline_id, "on", "2026-11-30T10:00:00Z", "l1", "a Russian unit")
    outcomes = put(store, example_config, tmp_path, on)
    assert outcomes == {"labelled_on": 1} and status(store, borderline_id) == "on_topic"
    assert put(store, example_config, tmp_path, on) == {"already_applied": 1}
    off = LabelRecord(borderline_id, "off", "2026-11-30T11:00:00Z", "l2")
    late = LabelRecord(borderline_id, "on", "2026-11-30T10:30:00Z", "l3")
    put(store, example_config, tmp_path, off)
    put(store, example_config, tmp_path, late)  # given before `off`, applied after it
    assert status(store, borderline_id) == "off_topic"
    history = [
        (r["label"], r["status_before"], r["status_after"], r["note"])
        for r in store.db.query("select * from labels order by id")
    ]
    assert history == [
        ("on", "borderline", "on_topic", "a Russian unit"),
        ("off", "on_topic", "off_topic", None),
        ("on", "off_topic", "off_topic", None),
    ]
    assert store.db["articles"].get(borderline_id)["label"] == "off"


def test_a_label_for_an_unknown_article_is_reported_not_kept(store, example_config, tmp_path):
    record = LabelRecord(999, "on", "2026-11-30T10:00:00Z", "x")
    assert put(store, example_config, tmp_path, record) == {"label_of_unknown_article": 1}
    assert store.db["labels"].count == 0


def cli(config_dir, db, *args):
    return CliRunner().invoke(main, [*args, "--config", str(config_dir), "--db", str(db)])


@pytest.fixture
def closed_store(tmp_path, example_config):
    """A store on disk with one borderline article, held by no process."""
    path = tmp_path / "closed" / "newsmon.db"
    with Store.open(path) as store:
        sync_outlets(store, [o.model_dump(mode="json") for o in example_config.outlets.values()])
        run = start_run(store, "example", "cli")
        record = page(run, "https://www.example.org/b", article=article(BORDERLINE, "Front"))
        spool = Spool(path.with_name("newsmon.db.spool"))
        spool.put(record)
        Ingestor(store, example_config).ingest(spool)
    return path


def test_label_applies_at_once_when_no_process_holds_the_store(closed_store, example_config):
    config = Path(example_config.directory)
    before = cli(config, closed_store, "export")
    assert before.stdout == ""
    result = cli(config, closed_store, "label", "1", "on", "--note", "Russian unit")
    assert result.exit_code == 0, result.output
    assert "article 1: borderline -> on_topic (label on)" in result.stdout
    exported = [
        json.loads(line) for line in cli(config, closed_store, "export").stdout.splitlines()
    ]
    assert [(row["id"], row["label"]) for row in exported] == [(1, "on")]
    unknown = cli(config, closed_store, "label", "7", "on")
    assert unknown.exit_code == 1 and "no article 7" in unknown.output


def test_label_while_a_process_holds_the_store_waits_in_the_spool(
    store, example_config, tmp_path, borderline_id
):
    config = Path(example_config.directory)
    result = cli(config, store.path, "label", str(borderline_id), "off")
    assert result.exit_code == 0, result.output
    assert "recorded" in result.stdout and status(store, borderline_id) == "borderline"
    spool = Spool(store.path.with_name("newsmon.db.spool"))
    [waiting] = spool.pending()
    assert waiting.name.startswith(f"label-{borderline_id}-")
    Ingestor(store, example_config).ingest(spool)  # what the daemon's next pass does
    assert status(store, borderline_id) == "off_topic"


def test_review_lists_the_band_with_reasons_and_labels_export_a_set_bench_reads(
    closed_store, example_config, tmp_path
):
    config = Path(example_config.directory)
    listed = cli(config, closed_store, "review")
    assert "[1] borderline" in listed.stdout and "review band" in listed.stdout
    assert "surrender_near_russian_military" in listed.stdout
    assert "verdict: newsmon label 1 on|off" in listed.stdout
    [item] = [
        json.loads(line)
        for line in cli(config, closed_store, "review", "--json").stdout.split("\n")
        if line
    ]
    assert item["id"] == 1 and item["relevance_details"]["borderline"]
    cli(config, closed_store, "label", "1", "off", "--note", "no unit named")
    assert cli(config, closed_store, "review").stdout == ""
    out = tmp_path / "labels.jsonl"
    exported = cli(config, closed_store, "labels", "-o", str(out))
    assert "1 labelled articles exported" in exported.output
    [row] = [json.loads(line) for line in out.read_text().splitlines()]
    assert (row["label"], row["why"], row["kind"]) == ("off", "no unit named", "analyst")
    bench = subprocess.run(
        [sys.executable, str(REPO / "bench" / "topic.py"), "--labels", str(out)],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
        env={"PYTHONPATH": str(REPO), "PATH": ""},
    )
    assert "| all | 1 | 1.000 |" in bench.stdout  # nothing kept: no false alarm
    assert "review (on/off)" in bench.stdout and "| 0/1 |" in bench.stdout
