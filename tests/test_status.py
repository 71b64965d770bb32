"""`newsmon status` from a store filled by hand (the daemon tests cover it live)."""

from datetime import UTC, datetime, timedelta

from click.testing import CliRunner

from crawler.records import FailureRecord
from crawler.spool import Spool
from scheduler.cli import main
from scheduler.status import collect, render
from storage import Store
from storage.outlets import sync_outlets
from storage.runs import finish_run, start_run
from storage.schedule import save_schedule
from storage.urls import record_url

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_an_outlet_silent_longer_than_its_window_is_warned_about(store, example_config, tmp_path):
    store.db.execute("UPDATE outlets SET first_seen_at = ?", [stamp(NOW - timedelta(days=5))])
    report = collect(store, example_config, Spool(tmp_path / "spool"), NOW)
    [outlet] = report["outlets"]
    assert outlet["state"] == "never polled"
    assert report["warnings"] == ["example: no new article for 120 h (window 72 h)"]


def test_schedule_and_last_run_are_reported(store, example_config, tmp_path):
    run_id = start_run(store, "example", "daemon")
    finish_run(store, run_id, "failed", "no source could be read")
    save_schedule(
        store,
        "example",
        state="backing_off",
        interval_seconds=1800,
        next_due_at=stamp(NOW + timedelta(minutes=40)),
        consecutive_failures=2,
        plan_reason="failed, failure 2 in a row: backing off",
    )
    spool = Spool(tmp_path / "spool")
    (spool.directory / "url-x.json").write_text("{}")
    report = collect(store, example_config, spool, NOW)
    [outlet] = report["outlets"]
    assert (outlet["state"], outlet["consecutive_failures"]) == ("backing_off", 2)
    assert outlet["last_run"]["status"] == "failed"
    assert report["spool_pending"] == 1 and report["daemon_pid"] is not None
    text = render(report, NOW)
    assert "backing_off" in text and "in 40m" in text and "30m" in text
    assert "1 results waiting to be written" in text


def test_each_outlet_shows_its_backlog_and_rejected_files_are_warned_about(
    store, example_config, tmp_path
):
    with store.transaction() as db:
        for number in range(3):
            record_url(db, f"https://www.example.org/{number}", "example", "pending", "listed")
        record_url(db, "https://www.example.org/flaky", "example", "retry", "HTTP 503")
    spool = Spool(tmp_path / "spool")
    spool.quarantine(spool.put(FailureRecord(1, "example", "u", "t", "gone", "x")), "bad")
    report = collect(store, example_config, spool, NOW)
    [outlet] = report["outlets"]
    assert outlet["backlog"] == {"pending": 3, "retry": 1}
    assert report["backlog_total"] == 4 and report["spool_rejected"] == 1
    text = render(report, NOW)
    assert "4 URLs waiting to be fetched" in text and "could not be applied" in text


def test_an_outlet_crawled_by_hand_is_idle_since_its_run_with_its_last_error(
    store, example_config, tmp_path
):
    run_id = start_run(store, "example", "cli")
    finish_run(store, run_id, "failed", "no source could be read: HTTP 500 at /feed/")
    report = collect(store, example_config, Spool(tmp_path / "spool"), NOW)
    [outlet] = report["outlets"]
    assert outlet["state"] == "idle" and outlet["state_since"] == outlet["last_run"]["finished_at"]
    assert outlet["last_error"]["error"] == "no source could be read: HTTP 500 at /feed/"
    assert outlet["last_error"]["run"] == run_id
    text = render(report, NOW)
    assert "last errors:" in text and "example (" in text and "HTTP 500 at /feed/" in text


def closed_store(tmp_path, example_config):
    """A store on disk that no process holds (no daemon), with a planned next run."""
    path = tmp_path / "closed" / "newsmon.db"
    with Store.open(path) as store:
        sync_outlets(store, [o.model_dump(mode="json") for o in example_config.outlets.values()])
        save_schedule(
            store,
            "example",
            state="idle",
            interval_seconds=1800,
            next_due_at=stamp(NOW + timedelta(minutes=18)),
        )
    return path


def test_next_run_is_shown_only_while_a_daemon_runs(tmp_path, example_config):
    path = closed_store(tmp_path, example_config)
    with Store.open_readonly(path) as store:
        report = collect(store, example_config, Spool(tmp_path / "spool"), NOW)
    [outlet] = report["outlets"]
    assert report["daemon_pid"] is None and outlet["next_run_at"] is None
    assert "in 18m" not in render(report, NOW)


def test_status_with_a_store_and_no_config_directory(tmp_path, example_config):
    path = closed_store(tmp_path, example_config)
    missing = tmp_path / "no-config-here"
    result = CliRunner().invoke(main, ["status", "--db", str(path), "--config", str(missing)])
    assert result.exit_code == 0, result.output
    assert "example" in result.stdout and "no daemon running" in result.stdout
    without = CliRunner().invoke(main, ["status", "--config", str(missing)])
    assert without.exit_code == 2 and str(missing) in without.stderr
