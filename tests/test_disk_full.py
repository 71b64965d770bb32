"""A full disk stops a crawl cleanly and loses nothing: the next crawl, once there is space,
ends with what a crawl without the fault stores.

The store and spool live on a tiny tmpfs mounted for the test (root only; skipped elsewhere).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from crashkit import configure, crawl, crawl_until_quiet, decided, stored_urls

from daemonkit import query
from fixtureweb import FixtureWeb, bulk_articles

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
