"""Faults lose nothing: after a held write lock or a full disk, crawls end with exactly what
a crawl without the fault stores.

For the full disk, the store and spool live on a tiny tmpfs mounted for the test (root only;
skipped elsewhere).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from crashkit import configure, crawl, crawl_until_quiet, decided, stored_urls

from daemonkit import query
from fixtureweb import FixtureWeb, bulk_articles
from storage import Store

OUTLETS = ["steppe-herald", "volga-bulletin"]


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "small"
    folder.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_full_disk_stops_the_crawl_cleanly_and_the_next_one_completes(small_disk, tmp_path):
    articles = bulk_articles(OUTLETS, 40, datetime.now(UTC))
    with FixtureWeb(articles=articles) as web:
        baseline = configure(tmp_path / "baseline", web, OUTLETS, cap=1000)
        crawl_until_quiet(baseline, max_crawls=3)
        full = configure(small_disk, web, OUTLETS, cap=1000)
        first = crawl(full.setup)
        stderr = first.stderr.decode()
        assert first.returncode in (1, 3), stderr
        assert "Traceback" not in stderr and len(stderr.splitlines()) <= 12, stderr
        assert "No space left on device" in stderr or "disk" in stderr
        subprocess.run(["mount", "-o", "remount,size=64m", str(small_disk)], check=True)
        crawl_until_quiet(full, max_crawls=4)
        assert decided(full.setup.db) == decided(baseline.setup.db)
        assert sorted(stored_urls(full.setup.db)) == sorted(stored_urls(baseline.setup.db))
        assert query(full.setup.db, "pragma integrity_check")[0][0] == "ok"


def test_a_crawl_waits_for_a_write_lock_held_by_another_process_and_loses_nothing(tmp_path):
    articles = bulk_articles(OUTLETS, 20, datetime.now(UTC))
    with FixtureWeb(articles=articles) as web:
        baseline = configure(tmp_path / "baseline", web, OUTLETS, cap=1000)
        crawl_until_quiet(baseline, max_crawls=3)
        target = configure(tmp_path / "locked", web, OUTLETS, cap=1000)
        Store.open(target.setup.db).close()
        holder = sqlite3.connect(target.setup.db, isolation_level=None, check_same_thread=False)
        holder.execute("BEGIN IMMEDIATE")  # a sqlite3 shell, a backup...
        release = threading.Timer(5, lambda: holder.execute("COMMIT"))
        release.start()
        try:
            first = crawl(target.setup)
        finally:
            release.join()
            holder.close()
        assert first.returncode == 0, first.stderr.decode()
        assert not query(target.setup.db, "select * from runs where status != 'ok'")
        crawl_until_quiet(target, max_crawls=2)
        assert decided(target.setup.db) == decided(baseline.setup.db)
