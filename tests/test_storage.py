import errno
import os
import sqlite3
import threading
import uuid

import pytest
import sqlite_utils

from storage import Store
from storage import store as store_module
from storage.errors import (
    SchemaTooNew,
    SchemaTooOld,
    StoreBusy,
    StoreError,
    StoreFull,
    StoreNotFound,
)
from storage.locks import LockFile
from storage.migrations import MIGRATIONS, applied_migrations
from storage.runs import add_counts, finish_run, get_run, interrupt_stale_runs, start_run
from storage.store import translate_errors
from storage.urls import TERMINAL_STATES, record_url, state_of


def test_a_new_store_is_in_wal_mode_with_every_migration(store):
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert applied_migrations(store.db) == [name for name, _ in MIGRATIONS]
    assert {"articles", "urls", "runs", "sources", "pages", "outlets", "articles_fts"} <= set(
        store.db.table_names()
    )


def test_reopening_applies_nothing_twice(tmp_path):
    Store.open(tmp_path / "s.db").close()
    with Store.open(tmp_path / "s.db") as again:
        assert len(applied_migrations(again.db)) == len(MIGRATIONS)


def test_only_one_writer_at_a_time_but_readers_always(tmp_path, store):
    with pytest.raises(StoreBusy, match="pid"):
        Store.open(store.path)
    with Store.open_readonly(store.path) as reader:
        assert reader.db["outlets"].count == 1


def test_a_reader_cannot_write(store):
    with (
        Store.open_readonly(store.path) as reader,
        pytest.raises(StoreError),
        reader.transaction() as db,
    ):
        db.execute("DELETE FROM outlets")


def test_missing_store_for_reading(tmp_path):
    with pytest.raises(StoreNotFound):
        Store.open_readonly(tmp_path / "none.db")


def test_a_store_from_a_newer_newsmon_is_refused(tmp_path):
    Store.open(tmp_path / "s.db").close()
    conn = sqlite3.connect(tmp_path / "s.db")
    conn.execute("INSERT INTO _migrations VALUES ('9999_future', 'x')")
    conn.commit()
    conn.close()
    with pytest.raises(SchemaTooNew, match="9999_future"):
        Store.open(tmp_path / "s.db")


def test_reading_a_store_an_older_newsmon_wrote_says_how_to_upgrade_it(tmp_path, monkeypatch):
    older = MIGRATIONS[:-1]
    monkeypatch.setattr("storage.migrations.MIGRATIONS", older)
    Store.open(tmp_path / "s.db").close()
    monkeypatch.undo()
    with pytest.raises(SchemaTooOld, match=MIGRATIONS[-1][0]):
        Store.open_readonly(tmp_path / "s.db")
    Store.open(tmp_path / "s.db").close()  # a writer applies what is missing
    Store.open_readonly(tmp_path / "s.db").close()


def test_a_file_that_is_not_sqlite_is_reported(tmp_path):
    (tmp_path / "junk.db").write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="not a usable SQLite database"):
        Store.open(tmp_path / "junk.db")


def test_disk_full_becomes_store_full_and_keeps_nothing_of_the_transaction(store):
    store.db.execute(
        "PRAGMA max_page_count = " + str(store.db.execute("PRAGMA page_count").fetchone()[0] + 2)
    )
    with pytest.raises(StoreFull), store.transaction() as db:
        for n in range(200):
            db["pages"].insert(
                {
                    "url": f"u{n}",
                    "fetched_at": "x",
                    "http_status": 200,
                    "size_bytes": 1,
                    "html_gzip": b"x" * 4000,
                }
            )
    assert store.db["pages"].count == 0


def test_translate_errors_passes_other_errors_as_store_errors():
    with pytest.raises(StoreError, match="SQLite error"), translate_errors():
        raise sqlite3.OperationalError("no such table: nope")


def test_url_decisions_keep_first_seen_and_terminal_states_are_handled(store):
    with store.transaction() as db:
        record_url(db, "https://www.example.org/a", "example", "retry", "HTTP 503")
    first = store.db["urls"].get("https://www.example.org/a")
    assert state_of(store, "https://www.example.org/a") not in TERMINAL_STATES
    with store.transaction() as db:
        record_url(db, "https://www.example.org/a", "example", "off_topic", "score 2 < 12")
    row = store.db["urls"].get("https://www.example.org/a")
    assert row["first_seen_at"] == first["first_seen_at"] and row["state"] == "off_topic"
    assert state_of(store, "https://www.example.org/a") in TERMINAL_STATES
    assert "retry" not in TERMINAL_STATES and "blocked" not in TERMINAL_STATES
    with pytest.raises(ValueError, match="unknown URL state"), store.transaction() as db:
        record_url(db, "https://www.example.org/b", "example", "maybe", "?")


def test_runs_count_and_close_once(store):
    run_id = start_run(store, "example", "cli")
    with store.transaction() as db:
        add_counts(db, run_id, stored=2, errors=1)
        add_counts(db, run_id, stored=1)
    finish_run(store, run_id, "ok")
    finish_run(store, run_id, "failed", "late")  # no effect: the run is closed
    run = get_run(store, run_id)
    assert (run["stored"], run["errors"], run["status"], run["error"]) == (3, 1, "ok", None)
    with pytest.raises(ValueError), store.transaction() as db:
        add_counts(db, run_id, bogus=1)


def test_runs_left_running_by_a_killed_process_are_marked_interrupted(store):
    run_id = start_run(store, "example", "daemon")
    assert interrupt_stale_runs(store) == 1
    assert get_run(store, run_id)["status"] == "interrupted"


def test_upgrading_to_the_frontier_forgets_validators_so_lost_entries_come_back(tmp_path):
    path = tmp_path / "old.db"
    old = sqlite_utils.Database(path)
    old.execute("CREATE TABLE _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    for name, migration in MIGRATIONS[:2]:
        migration(old)
        old.execute("INSERT INTO _migrations VALUES (?, 't')", [name])
    old.execute(
        "INSERT INTO outlets VALUES ('example', 'E', 'https://e.org/', 'en', '{}', 't', 't')"
    )
    old.execute(
        "INSERT INTO sources (outlet_id, url, kind, etag, last_modified, last_entries)"
        " VALUES ('example', 'https://e.org/feed', 'feed', '\"v1\"', 'Sun, 22 Nov 2026', 40)"
    )
    old.conn.commit()
    old.close()
    with Store.open(path) as store:
        source = store.db["sources"].get(("example", "https://e.org/feed"))
        assert (source["etag"], source["last_modified"], source["follow"]) == (None, None, "[]")
        assert {"source_url", "listed_title", "listed_published_at"} <= set(
            store.db["urls"].columns_dict
        )


def test_a_write_transaction_waits_for_another_process_holding_the_write_lock(store):
    """A transaction that reads before it writes must wait for the lock, not fail half-way
    (a deferred BEGIN cannot: its read snapshot goes stale when the other writer commits)."""
    holder = sqlite3.connect(store.path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE outlets SET name = 'held' WHERE id = 'example'")
    release = threading.Timer(1.0, lambda: holder.execute("COMMIT"))
    release.start()
    try:
        with store.transaction() as db:
            count = db.execute("SELECT COUNT(*) FROM runs").fetchone()[0]
            db.execute(
                "INSERT INTO runs (outlet_id, trigger, status, started_at) "
                "VALUES ('example', 'test', 'ok', 't')"
            )
    finally:
        release.join()
        holder.close()
    assert count == 0 and store.db["runs"].count == 1
    assert store.db["outlets"].get("example")["name"] == "held"


def test_a_lock_held_past_the_busy_timeout_says_how_long_it_waited(store, monkeypatch):
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 200)
    store.db.execute("PRAGMA busy_timeout=200")
    holder = sqlite3.connect(store.path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with (
            pytest.raises(StoreBusy, match="held the store's write lock for"),
            store.transaction(),
        ):
            pass
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert not store.db.conn.in_transaction


def test_a_second_writer_through_a_symlink_is_refused(store, tmp_path):
    link = tmp_path / "link.db"
    link.symlink_to(store.path)
    with pytest.raises(StoreBusy, match="is writing to this store"):
        Store.open(link)
    with Store.open_readonly(link) as reader:
        assert reader.writer_pid() is not None


_OUTLET_ROW = "(id, name, homepage, language, config_json, first_seen_at, updated_at)"


def test_the_wal_shrinks_back_after_a_long_reader_leaves(store):
    wal = store.path.with_name(store.path.name + "-wal")
    reader = sqlite3.connect(store.path)
    reader.execute("BEGIN")
    reader.execute("SELECT COUNT(*) FROM runs").fetchone()  # holds a snapshot
    blob = "x" * 100_000
    for _ in range(100):  # ~10 MB written while the reader stays
        with store.transaction() as db:
            db.execute(
                f"INSERT INTO outlets {_OUTLET_ROW} VALUES (?, 'n', 'h', 'en', ?, 't', 't')",
                [_uid(), blob],
            )
    grown = wal.stat().st_size
    reader.execute("COMMIT")
    reader.close()
    for _ in range(3):  # the next writes checkpoint and restart the WAL
        with store.transaction() as db:
            db.execute(
                f"INSERT INTO outlets {_OUTLET_ROW} VALUES (?, 'n', 'h', 'en', '{{}}', 't', 't')",
                [_uid()],
            )
        store.db.execute("PRAGMA wal_checkpoint(PASSIVE)")
    assert grown > store_module.WAL_LIMIT_BYTES
    assert wal.stat().st_size <= store_module.WAL_LIMIT_BYTES


def _uid() -> str:
    return uuid.uuid4().hex


def test_lock_files_exist_only_while_held(tmp_path):
    path = tmp_path / "x.lock"
    lock = LockFile.try_acquire(path)
    assert lock is not None and path.read_text() == str(os.getpid())
    assert LockFile.try_acquire(path) is None  # flock is per open file: held even here
    assert LockFile.holder(path) == str(os.getpid())
    lock.release()
    assert not path.exists() and LockFile.holder(path) is None
    again = LockFile.try_acquire(path)
    assert again is not None
    again.release()


def test_a_lock_taken_on_a_full_disk_holds_without_its_pid(tmp_path, monkeypatch):
    def full(fd, data, offset):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "pwrite", full)
    path = tmp_path / "x.lock"
    lock = LockFile.try_acquire(path)
    assert lock is not None and LockFile.try_acquire(path) is None
    assert LockFile.holder(path) == "unknown"
    lock.release()
    assert not path.exists()


def test_a_store_closed_cleanly_leaves_no_lock_file(tmp_path):
    with Store.open(tmp_path / "s.db") as store:
        assert store.writer_pid() == os.getpid()
    assert not (tmp_path / "s.db.lock").exists()
