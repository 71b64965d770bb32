"""Supervising crawls: one child process per outlet, each with a timeout; the one loop that
both ``newsmon crawl`` and ``newsmon run`` use.

The parent is the store's single writer. It creates the run, closes the outlet's waiting URLs
that left the freshness window, starts ``crawler.fetch.worker`` with the outlet's resolved
settings, writes what the child spools as it goes (``crawler.ingest``), and when the child ends
applies the rest and closes the run with the child's outcome — also when the child crashed,
hung and was killed, or was stopped. Whatever the crawl did not get to stays in the frontier
for the next one.

The child is forked by the warm worker (``scheduler.warm``), which has paid a crawl process's
start-up once for all crawls of this process; if it is switched off or fails, the child is a
fresh ``python -m crawler.fetch.worker``. Either way it is the same crawl, supervised the
same way.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Protocol

from crawler.config import Config, resolve
from crawler.errors import EXIT_CRAWL_BUSY, EXIT_SPOOL_FAILED
from crawler.frontier import SqliteFrontier
from crawler.ingest import Ingestor
from crawler.spool import Spool
from scheduler.crawllog import forward_log
from scheduler.drift import check_drift
from scheduler.warm import EXIT_UNKNOWN, fork_crawl
from storage import Store, runs
from storage.errors import StoreError
from storage.outlets import sync_outlets

log = logging.getLogger(__name__)
INGEST_EVERY_SECONDS = 2.0  # how often `newsmon crawl` writes what running crawls spooled
POLL_SECONDS = 0.2
WORKER_MODULE = "crawler.fetch.worker"


class CrawlChild(Protocol):
    """What supervising needs of a crawl process: a ``subprocess.Popen``, or a crawl the
    warm worker forked (``scheduler.warm.ForkedCrawl``)."""

    @property
    def pid(self) -> int: ...

    @property
    def stderr(self) -> IO[bytes] | None: ...

    def poll(self) -> int | None: ...

    def send_signal(self, sig: int) -> None: ...

    def kill(self) -> None: ...


@dataclass
class CrawlOutcome:
    """How one crawl ended, as the parent saw it."""

    outlet_id: str
    run_id: int
    status: str
    exit_code: int | None
    duration_seconds: float
    error: str | None = None


@dataclass
class CrawlProcess:
    """One child crawl process and its deadline."""

    outlet_id: str
    run_id: int
    command: list[str]
    settings_json: str
    timeout_seconds: float
    grace_seconds: float
    process: CrawlChild | None = None
    started: float = 0.0
    terminated_at: float | None = None
    ended_at: float | None = None  # when ``poll`` first saw the child's exit code
    timed_out: bool = False
    stop_requested: bool = False

    def start(self) -> None:
        self.process = start_child(self.command, self.settings_json)
        self.started = time.monotonic()  # not counting a wait for the warm worker to warm up
        stderr = self.process.stderr
        assert stderr is not None
        fields = {"outlet": self.outlet_id, "run": self.run_id}
        threading.Thread(target=forward_log, args=(stderr, fields), daemon=True).start()

    def poll(self) -> int | None:
        """The exit code once the child has ended; enforces the timeout on the way."""
        assert self.process is not None
        code = self.process.poll()
        if code is not None:
            self.ended_at = self.ended_at or time.monotonic()
            return code
        elapsed = time.monotonic() - self.started
        if not self.terminated_at and elapsed > self.timeout_seconds:
            self.timed_out = True
            self.stop()
        if self.terminated_at and time.monotonic() - self.terminated_at > self.grace_seconds:
            self.process.kill()
        return None

    def stop(self) -> None:
        """Ask the child to finish gracefully (SIGTERM); it is killed after the grace."""
        if self.process and self.process.poll() is None and not self.terminated_at:
            self.stop_requested = True
            self.terminated_at = time.monotonic()
            self.process.send_signal(signal.SIGTERM)

    def outcome(self, exit_code: int) -> CrawlOutcome:
        duration = (self.ended_at or time.monotonic()) - self.started
        if self.timed_out:
            status, error = "timeout", f"stopped after the {self.timeout_seconds:g} s timeout"
        elif self.stop_requested:
            status, error = "stopped", "stopped before finishing"
        elif exit_code == EXIT_SPOOL_FAILED:
            status, error = "failed", "could not write its results to the spool (disk full?)"
        elif exit_code == EXIT_CRAWL_BUSY:
            status, error = "skipped", "the previous crawl of this outlet is still running"
        elif exit_code == EXIT_UNKNOWN:
            status, error = "failed", "the warm worker died: how the crawl ended is unknown"
        elif exit_code != 0:
            status, error = "failed", _exit_reason(exit_code)
        else:
            status, error = "ok", None
        return CrawlOutcome(self.outlet_id, self.run_id, status, exit_code, duration, error)


def start_child(command: list[str], settings_json: str) -> CrawlChild:
    """Start a crawl process: forked by the warm worker when ``command`` is a worker's and the
    warm worker can, else ``command`` itself. Either way the child has a session of its own
    (a terminal's Ctrl-C or a process-group signal reaches newsmon, which stops its crawls
    gracefully) and dies with newsmon (PR_SET_PDEATHSIG)."""
    if command[1:3] == ["-m", WORKER_MODULE]:
        forked = fork_crawl(command[3:], settings_json)
        if forked is not None:
            return forked
    process = subprocess.Popen(
        command, stdin=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    assert process.stdin is not None
    with process.stdin:  # the settings the parent validated, not what is on disk now
        process.stdin.write(settings_json.encode("utf-8"))
    return process


def _exit_reason(code: int) -> str:
    if code < 0:
        return f"crawl process killed by signal {signal.Signals(-code).name}"
    return f"crawl process exited with code {code}"


def worker_command(store_path: Path | None, spool: Spool, outlet_id: str, run_id: int) -> list[str]:
    """The command line of a crawl process; it reads its outlet's settings (JSON) from stdin.
    Without a store it is a dry run."""
    command = [
        sys.executable,
        "-m",
        WORKER_MODULE,
        "--settings-stdin",
        "--spool",
        str(spool.directory),
        "--outlet",
        outlet_id,
        "--run-id",
        str(run_id),
    ]
    return command + (["--store", str(store_path)] if store_path else [])


def new_crawl(
    config: Config, store_path: Path, spool: Spool, outlet_id: str, run_id: int
) -> CrawlProcess:
    """A crawl process for a run the writer has created (not started yet)."""
    settings = resolve(config, outlet_id)
    return CrawlProcess(
        outlet_id,
        run_id,
        worker_command(store_path, spool, outlet_id, run_id),
        settings.model_dump_json(),
        settings.crawl.crawl_timeout_seconds,
        settings.crawl.stop_grace_seconds,
    )


def sync_config(store: Store, config: Config) -> None:
    """Bring the store's outlets table in line with the config."""
    sync_outlets(store, [o.model_dump(mode="json") for o in config.outlets.values()])


def prepare_store(store: Store, config: Config) -> int:
    """Before the first crawl of a process: outlets synced, runs a killed process left
    'running' marked 'interrupted' (returns how many)."""
    sync_config(store, config)
    return runs.interrupt_stale_runs(store)


def begin_run(store: Store, config: Config, outlet_id: str, trigger: str) -> int:
    """Create the run of a crawl and close the outlet's waiting URLs that have left its
    freshness window since (the crawl would not fetch them)."""
    run_id = runs.start_run(store, outlet_id, trigger)
    cutoff = resolve(config, outlet_id).freshness_cutoff(datetime.now(UTC))
    with store.transaction():
        expired = SqliteFrontier(store).expire(outlet_id, cutoff)
    if expired:
        log.info("%d waiting URLs of %s left the freshness window", expired, outlet_id)
    return run_id


def settle_crawl(
    store: Store, ingestor: Ingestor, spool: Spool, crawl: CrawlProcess, exit_code: int
) -> CrawlOutcome:
    """After a crawl process ended: write what it spooled, then close its run with the
    outcome the parent saw (a crash, timeout or stop overrides what the child reported)."""
    outcome = crawl.outcome(exit_code)
    ingestor.ingest(spool)
    if outcome.status == "ok":
        runs.finish_run(store, crawl.run_id, "failed", "crawl ended without a summary")
    else:
        runs.finish_run(store, crawl.run_id, outcome.status, outcome.error)
        _override_status(store, crawl.run_id, outcome)
    runs.set_duration(store, crawl.run_id, outcome.duration_seconds)
    _check_drift(store, crawl.outlet_id)
    return outcome


def _check_drift(store: Store, outlet_id: str) -> None:
    """Advisory: a store too busy or full to record it now never holds up a crawl's result."""
    try:
        check_drift(store, outlet_id, datetime.now(UTC))
    except StoreError as exc:
        log.warning("extraction drift of %s not checked: %s", outlet_id, exc)


def _override_status(store: Store, run_id: int, outcome: CrawlOutcome) -> None:
    """A timeout, crash or skip is what the operator must see, even if the child managed to
    write a summary ('stopped') before it ended."""
    with store.transaction() as db:
        db.execute(
            "UPDATE runs SET status = ?, error = ? WHERE id = ? AND status IN ('stopped', 'ok')",
            [outcome.status, outcome.error, run_id],
        )


def supervise(crawl: CrawlProcess, stop_now: Callable[[], bool]) -> int:
    """Start a crawl process and wait for it to end; return its exit code. The one loop of
    ``newsmon crawl`` and ``newsmon run``: it enforces the crawl's timeout (``poll``) and
    stops the crawl gracefully once ``stop_now()`` says so (SIGTERM, SIGKILL after the
    crawl's stop grace)."""
    crawl.start()
    while (code := crawl.poll()) is None:
        if stop_now():
            crawl.stop()
        time.sleep(POLL_SECONDS)
    return code


@dataclass
class CrawlRunner:
    """Crawls outlets in child processes, ``max_parallel_crawls`` at a time, each watched by
    ``supervise`` on a thread; this thread creates the runs and writes the results (the
    store's connection stays on it). It writes what the running crawls spool every
    ``INGEST_EVERY_SECONDS`` (a crawl's articles reach the store as it goes), and starts the
    next crawl before it settles one that ended (no slot stays empty meanwhile). Setting
    ``stopping`` (a signal handler may), or an error, starts no further crawl and stops the
    running ones gracefully."""

    store: Store
    config: Config
    spool: Spool
    trigger: str = "cli"
    on_outcome: Callable[[CrawlOutcome], None] | None = None
    on_start: Callable[[str, int], None] | None = None  # (outlet, run) as a crawl starts
    waiting: deque[str] = field(default_factory=deque)
    stopping: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self.ingestor = Ingestor(self.store, self.config)

    def run(self, outlet_ids: list[str]) -> list[CrawlOutcome]:
        """Crawl the outlets; return how each crawl ended."""
        self.ingestor.ingest(self.spool)  # what a killed earlier run left behind
        self.waiting.extend(outlet_ids)
        outcomes: list[CrawlOutcome] = []
        limit = self.config.settings.crawl.max_parallel_crawls
        running: dict[Future[int], CrawlProcess] = {}
        with ThreadPoolExecutor(limit, thread_name_prefix="crawl") as pool:
            try:
                while running or (self.waiting and not self.stopping.is_set()):
                    outcomes += self._step(pool, running, limit)
            except BaseException:
                self.stopping.set()  # the running crawls stop gracefully; the pool waits
                raise
        return outcomes

    def _step(
        self, pool: ThreadPoolExecutor, running: dict[Future[int], CrawlProcess], limit: int
    ) -> list[CrawlOutcome]:
        """Start crawls into free slots, wait for one to end (or the ingest period to pass),
        start the next, then settle the ended ones, or write what the running ones spooled."""
        self._start_more(pool, running, limit)
        done, _ = wait(running, INGEST_EVERY_SECONDS, return_when=FIRST_COMPLETED)
        ended = [(running.pop(future), future.result()) for future in done]
        try:
            self._start_more(pool, running, limit)
            if not ended:
                self.ingestor.ingest(self.spool)
        finally:
            settled = [self._settle(crawl, code) for crawl, code in ended]
        return settled

    def _start_more(
        self, pool: ThreadPoolExecutor, running: dict[Future[int], CrawlProcess], limit: int
    ) -> None:
        while self.waiting and len(running) < limit and not self.stopping.is_set():
            crawl = self._new(self.waiting.popleft())
            running[pool.submit(supervise, crawl, self.stopping.is_set)] = crawl

    def _new(self, outlet_id: str) -> CrawlProcess:
        run_id = begin_run(self.store, self.config, outlet_id, self.trigger)
        log.info("crawl of %s starting (run %d)", outlet_id, run_id)
        if self.on_start:
            self.on_start(outlet_id, run_id)
        return new_crawl(self.config, self.store.path, self.spool, outlet_id, run_id)

    def _settle(self, crawl: CrawlProcess, code: int) -> CrawlOutcome:
        outcome = settle_crawl(self.store, self.ingestor, self.spool, crawl, code)
        if self.on_outcome:
            self.on_outcome(outcome)
        return outcome
