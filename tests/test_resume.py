"""Nothing discovered is lost: crawls killed, capped, timed out, stopped or failing resume.

Each test runs `newsmon crawl` as a real process against the fixture web; what a crawl did is
read from the store and from the web's request log, never from timings.
"""

from __future__ import annotations

import random
import signal
import subprocess
import threading
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest
from crashkit import (
    configure,
    crawl,
    crawl_command,
    crawl_until_quiet,
    decided,
    fetched,
    kill_at_random,
    stored_urls,
)

from crawler.config import load_config
from crawler.spool import Spool
from daemonkit import query
from fixtureweb import ARTICLES, Fault, FixtureWeb, bulk_articles
from scheduler.supervise import CrawlRunner, prepare_store
from storage import Store

MIXED = ["capital-observer", "steppe-herald", "volga-bulletin"]  # sitemap, feed, listing


@pytest.fixture(scope="module")
def big_web():
    articles = ARTICLES + bulk_articles(MIXED, 100, datetime.now(UTC))
    with FixtureWeb(articles=articles) as web:
        yield web


def test_killed_at_random_moments_a_crawl_loses_nothing_and_stores_nothing_twice(big_web, tmp_path):
    assert sum(len(big_web.articles_for(o)) for o in MIXED) >= 300
    baseline = configure(tmp_path / "baseline", big_web, MIXED, cap=100_000)
    crawl_until_quiet(baseline, max_crawls=5)
    expected = decided(baseline.setup.db)
    killed = configure(tmp_path / "killed", big_web, MIXED, cap=25)
    seed = random.randrange(1_000_000)
    hits = kill_at_random(killed, kills=10, rng=random.Random(seed), window=(1.0, 6.0))
    crawl_until_quiet(killed, max_crawls=40)
    got = decided(killed.setup.db)
    lost = {url: state for url, state in expected.items() if got.get(url) != state}
    assert lost == {}, f"seed {seed}"
    stored = stored_urls(killed.setup.db)
    assert sorted(stored) == sorted(stored_urls(baseline.setup.db))
    assert len(stored) == len(set(stored))
    assert query(killed.setup.db, "pragma integrity_check")[0][0] == "ok"
    interrupted = query(killed.setup.db, "select id from runs where status = 'interrupted'")
    assert hits >= 1 and interrupted, f"the kills hit no running crawl (seed {seed})"


def test_entries_beyond_the_cap_are_fetched_by_later_crawls(tmp_path):
    articles = bulk_articles(["capital-observer"], 300, datetime.now(UTC), spacing_minutes=5)
    every = {(a.outlet_id, a.path) for a in articles}
    with FixtureWeb(articles=articles) as web:
        target = configure(tmp_path, web, ["capital-observer"], cap=10)
        config = load_config(target.setup.config)
        crawls = 0
        # `newsmon crawl` without its own process start-up: the same runner, in this process
        with Store.open(target.setup.db) as store:
            prepare_store(store, config)
            runner = CrawlRunner(store, config, Spool(target.spool))
            while fetched(web, ["capital-observer"]) != every and crawls < 31:
                runner.run(["capital-observer"])
                crawls += 1
        sitemaps = [r for r in web.requests if "sitemap" in r.path]
    assert fetched(web, ["capital-observer"]) == every
    assert crawls <= 31
    first_crawl = {r.path for r in sitemaps[:3]}
    later = [r for r in sitemaps if r.path in first_crawl][len(first_crawl) :]
    assert later and all(r.status == 304 for r in later)  # nothing listed them again
    runs = query(target.setup.db, "select requested from runs")
    assert max(run["requested"] for run in runs) == 10


def test_a_crawl_stopped_by_its_timeout_is_resumed_by_the_next(tmp_path):
    articles = bulk_articles(["steppe-herald"], 60, datetime.now(UTC))
    with FixtureWeb(articles=articles) as web:
        target = configure(tmp_path, web, ["steppe-herald"], cap=1000)
        settings = target.setup.config / "newsmon.toml"
        slow = settings.read_text().replace(
            "crawl_timeout_seconds = 300", "crawl_timeout_seconds = 6"
        )
        settings.write_text(
            slow.replace("concurrent_requests_per_host = 8", "concurrent_requests_per_host = 1")
        )
        web.set_fault("steppe-herald", Fault.hang(path=articles[-1].path))  # never finishes
        first = crawl(target.setup)
        web.release_hangs()
        web.set_fault("steppe-herald", None)
        [run] = query(target.setup.db, "select status, requested from runs")
        assert first.returncode == 1 and run["status"] == "timeout"
        assert query(target.setup.db, "select count(*) as n from urls where state = 'pending'")[0][
            "n"
        ]
        settings.write_text(
            slow.replace("crawl_timeout_seconds = 6", "crawl_timeout_seconds = 300")
        )
        crawl_until_quiet(target, max_crawls=3)
        assert fetched(web, ["steppe-herald"]) == {(a.outlet_id, a.path) for a in articles}
    assert not query(target.setup.db, "select * from urls where state in ('pending', 'retry')")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_a_crawl_stopped_by_a_signal_is_resumed_by_the_next(tmp_path, signum):
    articles = bulk_articles(["borderland-press"], 60, datetime.now(UTC))
    with FixtureWeb(articles=articles) as web:
        baseline = configure(tmp_path / "baseline", web, ["borderland-press"], cap=1000)
        crawl(baseline.setup)
        target = configure(tmp_path / "stopped", web, ["borderland-press"], cap=1000)
        settings = target.setup.config / "newsmon.toml"  # the crawl process says it was told
        settings.write_text('crawl_log_level = "INFO"\n' + settings.read_text())
        web.set_fault("borderland-press", Fault.hang(path=articles[-1].path))
        command = crawl_command(target.setup)
        process = subprocess.Popen(
            [*command[:3], "-v", *command[3:]],
            cwd=target.setup.config.parent,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        lines = StderrLines(process)
        assert web.wait_until_hanging(1, timeout=120)
        process.send_signal(signum)
        # the last page is let through only once the crawl process has the stop (newsmon
        # passes it on as SIGTERM): else the crawl could end with every page fetched
        assert lines.wait_for(b"Received SIGTERM", timeout=120)
        web.release_hangs()
        process.wait(timeout=120)
        stderr = lines.all()
        web.set_fault("borderland-press", None)
        [run] = query(target.setup.db, "select status from runs")
        assert run["status"] == "stopped" and signal.Signals(signum).name.encode() in stderr
        assert process.returncode == 128 + signum  # 130 for Ctrl-C
        crawl_until_quiet(target, max_crawls=3)
    # the crawls after the signal end with exactly what a crawl without it decides
    assert decided(target.setup.db) == decided(baseline.setup.db)
    assert sorted(stored_urls(target.setup.db)) == sorted(stored_urls(baseline.setup.db))


class StderrLines:
    """A process's stderr read line by line as it comes, so a test can wait for a line."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.lines: list[bytes] = []
        self.changed = threading.Condition()
        self.reader = threading.Thread(target=self._read, args=(process,), daemon=True)
        self.reader.start()

    def _read(self, process: subprocess.Popen[bytes]) -> None:
        assert process.stderr is not None
        with process.stderr:
            for line in process.stderr:
                with self.changed:
                    self.lines.append(line)
                    self.changed.notify_all()

    def wait_for(self, text: bytes, timeout: float) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: any(text in x for x in self.lines), timeout)

    def all(self) -> bytes:
        self.reader.join(timeout=120)
        with self.changed:
            return b"".join(self.lines)


def test_articles_that_failed_are_retried_although_their_feed_answers_304(tmp_path):
    articles = bulk_articles(["steppe-herald"], 5, datetime.now(UTC))
    flaky = articles[2]
    with FixtureWeb(articles=articles) as web:
        target = configure(tmp_path, web, ["steppe-herald"], cap=1000)
        web.set_fault("steppe-herald", Fault.error(503, path=flaky.path))
        crawl(target.setup)
        key = web.base_url("steppe-herald") + flaky.path
        assert query(target.setup.db, "select state from urls where url = ?", key)[0][0] == "retry"
        web.set_fault("steppe-herald", None)
        web.clear_log()
        crawl(target.setup)
        feed = [r for r in web.requests if r.path.startswith("/feed/")]
        again = [r for r in web.requests if urlsplit(r.path).path == flaky.path]
    assert [r.status for r in feed] == [304]
    assert [r.status for r in again] == [200]
    state = query(target.setup.db, "select state from urls where url = ?", key)[0][0]
    assert state in ("stored", "off_topic")


def test_a_server_without_validators_costs_one_request_per_document_when_nothing_changed(
    tmp_path,
):
    outlets = ["capital-observer", "steppe-herald"]
    articles = bulk_articles(outlets, 20, datetime.now(UTC))
    with FixtureWeb(articles=articles) as web:
        for outlet in outlets:
            web.set_validators(outlet, False)
        target = configure(tmp_path, web, outlets, cap=1000)
        crawl(target.setup)
        web.clear_log()
        crawl(target.setup)
        asked = sorted((r.outlet_id, r.path, r.status) for r in web.requests)
    # the feed, robots.txt (a source) and the index it names come back with the same body:
    # they count as unchanged and are not parsed again, and the index's child sitemaps
    # (same lastmod) are not asked for
    assert asked == [
        ("capital-observer", "/robots.txt", 200),
        ("capital-observer", "/sitemap_index.xml", 200),
        ("steppe-herald", "/feed/", 200),
    ]
    second = query(target.setup.db, "select discovered, requested from runs where id > 2")
    assert [(run["discovered"], run["requested"]) for run in second] == [(0, 0), (0, 0)]
