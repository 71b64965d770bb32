"""`newsmon crawl`'s runner keeps the writer's work beside the crawls: what a running crawl
spools is written while it runs, and the next crawl starts before one that ended is settled.

The crawls here are stand-ins (``supervise`` is replaced) that end when the test says so;
every wait is on an observable event, with a generous bound."""

from __future__ import annotations

import threading
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

OUTLETS = ["steppe-herald", "capital-observer"]
BOUND_SECONDS = 120


class StandIns:
    """Crawls that end when ``end(outlet)`` is called; the order things happened in."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str]] = []
        self.started = {outlet: threading.Event() for outlet in OUTLETS}
        self.ends = {outlet: threading.Event() for outlet in OUTLETS}

    def new_crawl(self, config, path, spool, outlet_id: str, run_id: int) -> SimpleNamespace:
        self.events.append(("start", outlet_id))
        return SimpleNamespace(outlet_id=outlet_id, run_id=run_id)

    def supervise(self, crawl: SimpleNamespace, stop_now: object) -> int:
        self.started[crawl.outlet_id].set()
        assert self.ends[crawl.outlet_id].wait(BOUND_SECONDS)
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
            yield CrawlRunner(store, config, Spool(tmp_path / "spool")), stand_ins


def test_a_running_crawls_results_are_written_before_it_ends(runner):
    crawl_runner, stand_ins = runner
    spool, url = crawl_runner.spool, "http://127.0.0.1:1/2026/11/a-story/"
    seen: dict[str, object] = {}

    def while_it_runs() -> None:  # the runner keeps the store's connection on this thread
        try:
            seen["started"] = stand_ins.started[OUTLETS[0]].wait(BOUND_SECONDS)
            spool.put(_source(1, url))
            seen["written"] = _eventually(lambda: not spool.pending())
            seen["events"] = list(stand_ins.events)
        finally:
            stand_ins.ends[OUTLETS[0]].set()

    driver = threading.Thread(target=while_it_runs)
    driver.start()
    crawl_runner.run(OUTLETS[:1])
    driver.join(BOUND_SECONDS)
    assert seen == {"started": True, "written": True, "events": [("start", OUTLETS[0])]}
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


def _eventually(check) -> bool:
    """Whether ``check()`` comes true within the bound, asked each time the runner has had
    a chance to write (the runner writes every INGEST_EVERY_SECONDS)."""
    done = threading.Event()
    for _ in range(int(BOUND_SECONDS / supervise_module.INGEST_EVERY_SECONDS)):
        if check():
            return True
        done.wait(supervise_module.INGEST_EVERY_SECONDS)
    return check()
