"""`newsmon crawl`'s runner keeps the writer's work beside the crawls: what a running crawl
spools is written while it runs, and the next crawl starts before one that ended is settled.

The crawls here are stand-ins (``supervise`` is replaced) that end when the test says so, or
when the runner asks them to stop; every wait is on an observable event (a crawl started, a
writer pass ended), with a generous bound."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

import scheduler.supervise as supervise_module
from crawler.config import load_config
from crawler.records import DiscoveredEntry, SourceRecord
from crawler.spool import Spool
from daemonkit import write_config
from fixtureweb import FixtureWeb
from scheduler.supervise import CrawlOutcome, CrawlRunner, prepare_store
from storage import Store
from storage.errors import StoreError

OUTLETS = ["steppe-herald", "capital-observer"]
BOUND_SECONDS = 120


class StandIns:
    """Crawls that end when ``ends[outlet]`` is set or the runner stops them; the order
    things happened in; the writer's passes, counted as they end."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str]] = []
        self.started = {outlet: threading.Event() for outlet in OUTLETS}
        self.ends = {outlet: threading.Event() for outlet in OUTLETS}
        self.passes = 0
        self.passed = threading.Condition()

    def counting(self, ingest: Callable[[Spool], object]) -> Callable[[Spool], object]:
        def counted(spool: Spool) -> object:
            try:
                return ingest(spool)
            finally:
                with self.passed:
                    self.passes += 1
                    self.passed.notify_all()

        return counted

    def wait_for_passes(self, count: int) -> bool:
        with self.passed:
            return self.passed.wait_for(lambda: self.passes >= count, BOUND_SECONDS)

    def new_crawl(self, config, path, spool, outlet_id: str, run_id: int) -> SimpleNamespace:
        self.events.append(("start", outlet_id))
        return SimpleNamespace(outlet_id=outlet_id, run_id=run_id)

    def supervise(self, crawl: SimpleNamespace, stop_now: Callable[[], bool]) -> int:
        """Like the real one: end with the crawl, or stop it when ``stop_now()`` says so."""
        self.started[crawl.outlet_id].set()
        deadline = time.monotonic() + BOUND_SECONDS
        while not self.ends[crawl.outlet_id].wait(supervise_module.POLL_SECONDS):
            if stop_now():
                self.events.append(("stopped", crawl.outlet_id))
                return 143
            if time.monotonic() > deadline:
                self.events.append(("gave up", crawl.outlet_id))
                return 1
        return 0

    def settle(self, store, ingestor, spool, crawl, code) -> CrawlOutcome:
        self.events.append(("settle", crawl.outlet_id))
        return CrawlOutcome(crawl.outlet_id, crawl.run_id, "ok", code, 0.0)


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    stand_ins = StandIns()
    monkeypatch.setattr(supervise_module, "supervise", stand_ins.supervise)
    monkeypatch.setattr(supervise_module, "settle_crawl", stand_ins.settle)
    monkeypatch.setattr(supervise_module, "new_crawl", stand_ins.new_crawl)
    with FixtureWeb() as web:
        setup = write_config(tmp_path, web, OUTLETS, parallel=1)
        config = load_config(setup.config)
        with Store.open(setup.db) as store:
            prepare_store(store, config)
            crawl_runner = CrawlRunner(store, config, Spool(tmp_path / "spool"))
            crawl_runner.ingestor.ingest = stand_ins.counting(crawl_runner.ingestor.ingest)
            yield crawl_runner, stand_ins


def test_a_running_crawls_results_are_written_before_it_ends(runner):
    crawl_runner, stand_ins = runner
    spool, url = crawl_runner.spool, "http://127.0.0.1:1/2026/11/a-story/"
    seen: dict[str, object] = {}

    def while_it_runs() -> None:  # the runner keeps the store's connection on this thread
        try:
            seen["started"] = stand_ins.started[OUTLETS[0]].wait(BOUND_SECONDS)
            passes = stand_ins.passes
            spool.put(_source(1, url))
            # the second pass to end after the record was put began after it
            seen["passed"] = stand_ins.wait_for_passes(passes + 2)
            seen["written"] = not spool.pending()
            seen["events"] = list(stand_ins.events)
        finally:
            stand_ins.ends[OUTLETS[0]].set()

    driver = threading.Thread(target=while_it_runs)
    driver.start()
    crawl_runner.run(OUTLETS[:1])
    driver.join(BOUND_SECONDS)
    assert not driver.is_alive()
    expected = {"started": True, "passed": True, "written": True, "events": [("start", OUTLETS[0])]}
    assert seen == expected
    rows = crawl_runner.store.db.execute("SELECT url FROM urls WHERE url = ?", [url]).fetchall()
    assert rows == [(url,)]


def test_the_next_crawl_starts_before_the_one_that_ended_is_settled(runner):
    crawl_runner, stand_ins = runner

    def end_each_once_started() -> None:
        for outlet in OUTLETS:
            stand_ins.started[outlet].wait(BOUND_SECONDS)
            stand_ins.ends[outlet].set()

    driver = threading.Thread(target=end_each_once_started)
    driver.start()
    crawl_runner.run(OUTLETS)
    driver.join(BOUND_SECONDS)
    assert not driver.is_alive()
    first, second = OUTLETS
    assert stand_ins.events.index(("start", second)) < stand_ins.events.index(("settle", first))
    assert stand_ins.events.count(("settle", first)) == 1


def _source(run_id: int, url: str) -> SourceRecord:
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return SourceRecord(
        run_id,
        OUTLETS[0],
        "http://127.0.0.1:1/feed/",
        "feed",
        now,
        200,
        entries=1,
        discovered=(DiscoveredEntry(url, "A story", now),),
    )


def test_a_store_error_while_crawls_run_stops_them_and_is_raised(runner):
    crawl_runner, stand_ins = runner
    ingest = crawl_runner.ingestor.ingest

    def failing_after_the_first(spool: Spool) -> object:
        if stand_ins.passes:
            raise StoreError("database or disk is full")
        return ingest(spool)

    crawl_runner.ingestor.ingest = stand_ins.counting(failing_after_the_first)
    with pytest.raises(StoreError, match="disk is full"):
        crawl_runner.run(OUTLETS[:1])
    assert crawl_runner.stopping.is_set()
    assert ("stopped", OUTLETS[0]) in stand_ins.events
