"""Republications across outlets, crawled one outlet at a time: whichever copy is fetched
first, the original is the same, and the store says why."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from crashkit import CRAWL_TIMEOUT_SECONDS

from daemonkit import Setup, query, write_config
from fixtureweb import FixtureWeb

ORDER = ["borderland-press", "capital-observer", "rhine-wire"]


def crawl_outlet(setup: Setup, outlet_id: str) -> None:
    command = [sys.executable, "-m", "scheduler", "crawl", "--config", str(setup.config)]
    done = subprocess.run(
        [*command, "--outlet", outlet_id],
        check=False,
        capture_output=True,
        timeout=CRAWL_TIMEOUT_SECONDS,
    )
    assert done.returncode == 0, done.stderr.decode()


def test_the_original_does_not_depend_on_which_copy_arrives_first(tmp_path: Path) -> None:
    with FixtureWeb() as web:
        setup = write_config(tmp_path, web, ORDER, crawl_timeout=120)
        for outlet_id in ORDER:  # each copy is stored before its original is crawled
            crawl_outlet(setup, outlet_id)
        rows = {row["url"]: row for row in query(setup.db, "select * from articles")}
        checked = 0
        for copy in (a for a in web.articles if a.expect == "duplicate"):
            row = next(r for url, r in rows.items() if url.endswith(copy.path))
            outlet_id, path = copy.duplicate_of.split(":", 1)
            original = next(r for url, r in rows.items() if url.endswith(path))
            assert original["outlet_id"] == outlet_id
            assert (row["duplicate_of"], original["duplicate_of"]) == (original["id"], None)
            assert row["id"] < original["id"]  # stored first, yet the republication
            assert "became their original" not in (row["duplicate_rule"] or "")
            checked += 1
        assert checked == 2
        rules = sorted(row["duplicate_rule"] for row in rows.values() if row["duplicate_of"])
        assert rules[0].startswith("published first (Rhine Wire")
        assert rules[1] == "the text names The Capital Observer as its source"
