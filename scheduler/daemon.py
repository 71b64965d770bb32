"""`newsmon run`: polls every outlet on its own schedule for as long as it runs.

How crawls run (decided once): each crawl is a child process (``crawler.fetch.worker``), started
and waited for by a thread of APScheduler's ``BackgroundScheduler``. A process per crawl
isolates crashes and leaks and is the only thing that can be killed for sure when a crawl
hangs. A fresh process would cost about 1.3 s of CPU in imports and model loads per crawl,
paid again at every poll of every outlet; so the daemon's crawls are forked by its warm
worker (``scheduler.warm``), which pays that once for the daemon's lifetime, and are fresh
processes only when it is switched off or fails. At most ``max_parallel_crawls`` run at once
(the size of the crawl thread pool). Each outlet's job has an explicit id,
``max_instances=1`` (a poll that comes while the outlet's crawl still runs is skipped — and
the worker's per-outlet lock file keeps that true across daemon restarts), ``coalesce=True``
(missed polls run once) and a ``misfire_grace_time``.

Jobs are built from the config at every start (a memory job store); their timing lives in
the store's ``schedule`` table, so a restart resumes where the daemon was. The store has one
writer, the ``StoreWriter`` thread: crawl threads hand it their writes and never block on
SQLite locks. SIGTERM/SIGINT stop scheduling, let running crawls finish within
``shutdown_grace_seconds``, then stop them; SIGHUP reloads the configs.
"""

from __future__ import annotations

import functools
import logging
import signal
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import ThreadingHTTPServer
from typing import Any

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_MAX_INSTANCES, EVENT_JOB_MISSED
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from crawler.config import Config, OutletConfig, load_config, resolve, spool_dir, store_path
from crawler.errors import ConfigError
from crawler.ingest import Ingestor
from crawler.spool import Spool
from scheduler.feed import FeedFile
from scheduler.metrics import Metrics, serve
from scheduler.notify import Notifier
from scheduler.policy import Bounds, Plan, RunResult, due_at, first_run_delay, plan_next
from scheduler.supervise import (
    CrawlProcess,
    begin_run,
    new_crawl,
    prepare_store,
    settle_crawl,
    supervise,
    sync_config,
)
from scheduler.warm import warm_every_date_locale
from scheduler.writer import StoreWriter
from storage import Store, format_utc, parse_timestamp, utc_now
from storage.errors import StoreError
from storage.runs import SUMMARY, get_run
from storage.schedule import load_schedule, reset_running, save_schedule

log = logging.getLogger("newsmon.daemon")


@dataclass(frozen=True)
class DaemonOptions:
    config_dir: str
    db_path: str | None = None
    metrics_host: str = "127.0.0.1"
    metrics_port: int | None = None


def job_id(outlet_id: str) -> str:
    return f"crawl:{outlet_id}"


def bounds_for(config: Config, outlet: OutletConfig) -> Bounds:
    """An outlet's polling limits; a configured interval outside the global bounds widens
    them rather than being overridden."""
    daemon = config.settings.daemon
    base = resolve(config, outlet.id).interval_minutes * 60
    return Bounds(
        base=base,
        minimum=min(daemon.min_interval_minutes * 60, base),
        maximum=max(daemon.max_interval_minutes * 60, base),
        backoff_max=max(daemon.backoff_max_minutes * 60, base),
        adaptive=daemon.adaptive_polling,
    )


SIDE_JOB_INTERVAL_SECONDS = 30.0  # how often due notifications are sent and the feed file refreshed


def _fields(**fields: Any) -> dict[str, Any]:
    return {"fields": fields}


class Daemon:
    """The long-running monitor. ``run()`` blocks until SIGTERM/SIGINT."""

    def __init__(self, options: DaemonOptions) -> None:
        """Signals are handled from here on (built in the main thread): a SIGHUP or SIGTERM
        while the daemon starts is kept and acted on as soon as it runs."""
        self._stop = threading.Event()
        self._reload = threading.Event()
        self._stop_requested_at = 0.0
        self._previous_handlers = self._handle_signals()
        self.options = options
        self.config = load_config(options.config_dir, skip_broken_outlets=True)
        self.store_path = store_path(self.config.settings, options.db_path)
        self.spool = Spool(spool_dir(self.config.settings, self.store_path))
        self.writer = StoreWriter(self.store_path)
        self.metrics = Metrics()
        self.active: dict[str, CrawlProcess] = {}
        self._unsettled: list[tuple[Config, CrawlProcess, int]] = []
        self.ingestor: Ingestor | None = None
        self._feed: FeedFile | None = None
        self.scheduler = BackgroundScheduler(
            timezone=UTC,
            executors={
                "crawls": ThreadPoolExecutor(self.config.settings.crawl.max_parallel_crawls),
                "default": ThreadPoolExecutor(2),
                # notifications and the feed file: a slow webhook never delays the writer
                "side": ThreadPoolExecutor(2),
            },
        )

    # -- lifecycle --------------------------------------------------------------------------

    def run(self) -> int:
        """Run until SIGTERM/SIGINT (also one that came while the daemon started)."""
        try:
            return self._run()
        finally:
            for signum, handler in self._previous_handlers.items():
                signal.signal(signum, handler)

    def _handle_signals(self) -> dict[int, Any]:
        handlers = {
            signal.SIGTERM: self._on_stop,
            signal.SIGINT: self._on_stop,
            signal.SIGHUP: self._on_reload,
        }
        return {signum: signal.signal(signum, handler) for signum, handler in handlers.items()}

    def _run(self) -> int:
        warm_every_date_locale()  # its warm worker serves every poll for as long as it runs
        self.writer.start()
        server = None
        try:
            self.writer.call(self._prepare)
            self._schedule_all(self.writer.call(load_schedule))
            if self.options.metrics_port is not None:
                server = serve(
                    self.options.metrics_host, self.options.metrics_port, self.metrics, self.health
                )
            self.scheduler.start()
            log.info(
                "daemon started",
                extra=_fields(outlets=len(self.config.outlets), store=str(self.store_path)),
            )
            self._report_skipped(self.config)
            self._main_loop()
        finally:
            self._shutdown(server)
        return 0

    def _prepare(self, store: Store) -> None:
        """Bring the store up to date before the first job: outlets, runs a killed daemon
        left 'running', and whatever crawls left in the spool."""
        stale = prepare_store(store, self.config)
        reset_running(store)
        self.ingestor = Ingestor(store, self.config)
        stats = self.ingestor.ingest(self.spool)
        log.info("store ready", extra=_fields(interrupted_runs=stale, spool_applied=stats.applied))

    def _main_loop(self) -> None:
        while not self._stop.wait(0.5):
            if self._reload.is_set():
                self._reload.clear()
                self.reload()

    def _on_stop(self, signum: int, frame: object) -> None:
        self._stop_requested_at = time.monotonic()
        self._stop.set()

    def _on_reload(self, signum: int, frame: object) -> None:
        self._reload.set()

    def stop(self) -> None:
        """Ask the daemon to stop, as SIGTERM does (for embedding and tests)."""
        self._on_stop(signal.SIGTERM, None)

    def _shutdown(self, server: ThreadingHTTPServer | None) -> None:
        grace = self.config.settings.daemon.shutdown_grace_seconds
        log.info("stopping", extra=_fields(running_crawls=len(self.active), grace_seconds=grace))
        if self.scheduler.running:
            self.scheduler.shutdown(wait=True)  # crawl jobs stop their crawls after the grace
        if self.writer.alive and self.ingestor is not None:
            self.writer.call(lambda store: self._ingest())
        self.writer.stop()
        if server is not None:
            server.shutdown()
        log.info("stopped")

    # -- jobs -------------------------------------------------------------------------------

    def _schedule_all(self, states: dict[str, dict[str, Any]]) -> None:
        self.scheduler.add_listener(
            self._on_job_event, EVENT_JOB_MAX_INSTANCES | EVENT_JOB_MISSED | EVENT_JOB_ERROR
        )
        for outlet in self.config.outlets.values():
            self._add_job(outlet, states.get(outlet.id))
        daemon = self.config.settings.daemon
        self.scheduler.add_job(
            self._ingest_job,
            IntervalTrigger(seconds=daemon.ingest_interval_seconds),
            id="ingest",
            name="store writer",
            max_instances=1,
            coalesce=True,
            misfire_grace_time=int(daemon.misfire_grace_seconds),
        )
        # added whether configured or not: each reads the settings when it runs, so a reload
        # that sets a webhook or a feed path takes effect
        for job, job_id_, name in (
            (self._notify_job, "notify", "notifications"),
            (self._feed_job, "feed", "feed file"),
        ):
            self.scheduler.add_job(
                job,
                IntervalTrigger(seconds=SIDE_JOB_INTERVAL_SECONDS),
                id=job_id_,
                name=name,
                executor="side",
                max_instances=1,
                coalesce=True,
                misfire_grace_time=int(SIDE_JOB_INTERVAL_SECONDS),
            )

    def _add_job(self, outlet: OutletConfig, state: dict[str, Any] | None) -> None:
        daemon = self.config.settings.daemon
        now = datetime.now(UTC)
        interval = (state or {}).get("interval_seconds") or bounds_for(self.config, outlet).base
        delay = first_run_delay(
            parse_timestamp((state or {}).get("next_due_at")), now, daemon.jitter_seconds
        )
        self.scheduler.add_job(
            self._crawl_job,
            IntervalTrigger(seconds=interval, jitter=daemon.jitter_seconds),
            args=[outlet.id],
            id=job_id(outlet.id),
            name=f"crawl {outlet.id}",
            executor="crawls",
            max_instances=1,
            coalesce=True,
            misfire_grace_time=int(daemon.misfire_grace_seconds),
            next_run_time=due_at(now, delay),
            replace_existing=True,
        )

    def _on_job_event(self, event: Any) -> None:
        what = "poll" if event.job_id.startswith(job_id("")) else "run"
        fields = _fields(job=event.job_id)
        if event.code == EVENT_JOB_MAX_INSTANCES:
            log.info(f"{what} skipped: the previous one still runs", extra=fields)
        elif event.code == EVENT_JOB_MISSED:
            log.warning(f"{what} missed its time", extra=fields)
        elif event.code == EVENT_JOB_ERROR:
            log.error("job failed", exc_info=event.exception, extra=_fields(job=event.job_id))

    def _ingest_job(self) -> None:
        if self._stop.is_set():
            return
        try:
            self.writer.call(lambda store: self._ingest())
            self._settle_leftovers()
        except StoreError as exc:  # said in one line; the next pass tries again
            log.warning(
                "store not writable now; results wait in the spool", extra=_fields(error=str(exc))
            )

    def _notify_job(self) -> None:
        """Deliver due notifications; the POSTs happen on this job's thread, between two short
        tasks of the store writer, so a slow webhook never holds the store or a crawl."""
        if self._stop.is_set():
            return
        settings = self.config.settings
        notifier = Notifier(settings.notify, settings.fetch.user_agent)
        try:
            notifier.send_due(self.writer.call, datetime.now(UTC))
        except StoreError as exc:
            log.warning("notifications wait: store not usable", extra=_fields(error=str(exc)))

    def _feed_job(self) -> None:
        """Rewrite the ``[feed] path`` file when the store has new articles."""
        if self._stop.is_set():
            return
        feed = self._feed
        if feed is None or feed.settings != self.config.settings.feed:
            feed = self._feed = FeedFile(self.config.settings.feed, self.store_path)
        try:
            feed.refresh()
        except (StoreError, OSError) as exc:
            log.warning("feed file not written", extra=_fields(error=str(exc)))

    def _settle_leftovers(self) -> None:
        """Close the runs whose results could not be written when their crawl ended, so no
        run stays 'running' because the store was busy or full for a while."""
        while self._unsettled:
            config, crawl, code = self._unsettled[0]
            settle = functools.partial(self._settle, config=config, crawl=crawl, code=code)
            run, plan = self.writer.call(settle)
            self._unsettled.pop(0)
            self._after(crawl.outlet_id, config, run, plan)

    def _ingest(self) -> None:
        assert self.ingestor is not None
        self.ingestor.ingest(self.spool)
        self.metrics.spool.set(len(self.spool.pending()))

    def _crawl_job(self, outlet_id: str) -> None:
        config = self.config
        if self._stop.is_set() or outlet_id not in config.outlets:
            return
        run_id = self.writer.call(lambda store: self._begin(store, outlet_id))
        crawl = new_crawl(config, self.store_path, self.spool, outlet_id, run_id)
        code = self._supervise(crawl)
        try:
            run, plan = self.writer.call(lambda store: self._settle(store, config, crawl, code))
        except StoreError as exc:  # a lock held too long, a full disk: try again later
            log.warning(
                "results not written yet; they stay in the spool and are written later",
                extra=_fields(outlet=outlet_id, run=run_id, error=str(exc)),
            )
            self._unsettled.append((config, crawl, code))
            return
        self._after(outlet_id, config, run, plan)

    def _after(self, outlet_id: str, config: Config, run: dict[str, Any], plan: Plan) -> None:
        """Reschedule an outlet's job after a settled crawl and report it."""
        if not self._stop.is_set() and self.scheduler.get_job(job_id(outlet_id)):
            trigger = IntervalTrigger(
                seconds=max(plan.delay_seconds, 1.0), jitter=config.settings.daemon.jitter_seconds
            )
            self.scheduler.reschedule_job(job_id(outlet_id), trigger=trigger)
        self._report(outlet_id, run, plan)

    def _begin(self, store: Store, outlet_id: str) -> int:
        run_id = begin_run(store, self.config, outlet_id, "daemon")
        save_schedule(
            store, outlet_id, state="running", last_run_id=run_id, last_started_at=utc_now()
        )
        return run_id

    def _supervise(self, crawl: CrawlProcess) -> int:
        """Run a crawl to its end; once a stop is requested it gets the shutdown grace, then
        SIGTERM, then (after its own stop grace) SIGKILL."""
        grace = self.config.settings.daemon.shutdown_grace_seconds

        def stop_now() -> bool:
            return self._stop.is_set() and time.monotonic() - self._stop_requested_at > grace

        self.active[crawl.outlet_id] = crawl
        self.metrics.running.inc()
        try:
            code = supervise(crawl, stop_now)
            if self._stop.is_set() and code != 0:
                crawl.stop_requested = True  # however it ended, a shutdown ended it
            return code
        finally:
            del self.active[crawl.outlet_id]
            self.metrics.running.dec()

    def _settle(
        self, store: Store, config: Config, crawl: CrawlProcess, code: int
    ) -> tuple[dict[str, Any], Plan]:
        assert self.ingestor is not None
        settle_crawl(store, self.ingestor, self.spool, crawl, code)
        run = get_run(store, crawl.run_id)
        state = load_schedule(store).get(crawl.outlet_id, {})
        plan = self._plan(config, crawl.outlet_id, run, state)
        now = datetime.now(UTC)
        save_schedule(
            store,
            crawl.outlet_id,
            state="backing_off" if plan.consecutive_failures else "idle",
            interval_seconds=plan.interval_seconds,
            next_due_at=format_utc(due_at(now, plan.delay_seconds)),
            consecutive_failures=plan.consecutive_failures,
            last_finished_at=utc_now(),
            last_status=run["status"],
            plan_reason=plan.reason,
            **({"last_new_article_at": utc_now()} if run["stored"] else {}),
        )
        return run, plan

    def _plan(
        self, config: Config, outlet_id: str, run: dict[str, Any], state: dict[str, Any]
    ) -> Plan:
        bounds = bounds_for(config, config.outlets[outlet_id])
        if run["status"] == "stopped":  # cut short by a shutdown: due again at once
            return Plan(
                0.0,
                state.get("interval_seconds") or bounds.base,
                state.get("consecutive_failures", 0),
                "stopped by a shutdown",
            )
        result = RunResult(run["status"], run["requested"], run["retry_after_seconds"])
        return plan_next(
            result,
            state.get("interval_seconds") or bounds.base,
            state.get("consecutive_failures", 0),
            bounds,
        )

    def _report(self, outlet_id: str, run: dict[str, Any], plan: Plan) -> None:
        self.metrics.observe_crawl(outlet_id, run)
        self.metrics.interval.labels(outlet_id).set(plan.interval_seconds)
        self.metrics.failures.labels(outlet_id).set(plan.consecutive_failures)
        level = logging.INFO if run["status"] in ("ok", "skipped", "stopped") else logging.WARNING
        log.log(
            level,
            "crawl finished",
            extra=_fields(
                outlet=outlet_id,
                run=run["id"],
                status=run["status"],
                duration_seconds=run["duration_seconds"],
                **{name: run[name] for name in SUMMARY},
                next_in_seconds=round(plan.delay_seconds),
                why=plan.reason,
                **({"error": run["error"]} if run["error"] else {}),
            ),
        )

    # -- reload and health ------------------------------------------------------------------

    def _report_skipped(self, config: Config) -> None:
        for outlet_id in config.skipped:
            kept = "its previous config stays" if outlet_id in config.outlets else "skipped"
            why = str(config.skipped_error(outlet_id))
            log.error(f"outlet config broken; {kept}", extra=_fields(outlet=outlet_id, error=why))

    def _keep_broken(self, new: Config) -> Config:
        """The new config, with the running config of each outlet whose file is now broken
        (a mistake in one file never stops an outlet that was running)."""
        kept = {oid: self.config.outlets[oid] for oid in new.skipped if oid in self.config.outlets}
        merged = new.model_copy(update={"outlets": {**new.outlets, **kept}})
        self._report_skipped(merged)
        return merged

    def reload(self) -> None:
        """Re-read the configs (SIGHUP); an invalid change is reported and the old kept."""
        try:
            new = self._keep_broken(load_config(self.options.config_dir, skip_broken_outlets=True))
        except ConfigError as exc:
            log.error(
                "config reload refused; the running config stays", extra=_fields(error=str(exc))
            )
            return
        self.writer.call(lambda store: self._adopt(store, new))
        old, self.config = self.config, new
        states = self.writer.call(load_schedule)
        for outlet_id in old.outlets.keys() - new.outlets.keys():
            self.scheduler.remove_job(job_id(outlet_id))
        for outlet in new.outlets.values():
            if outlet.id not in old.outlets or outlet != old.outlets[outlet.id]:
                self._add_job(outlet, states.get(outlet.id) if outlet.id in old.outlets else None)
        log.info(
            "config reloaded",
            extra=_fields(
                added=sorted(new.outlets.keys() - old.outlets.keys()),
                removed=sorted(old.outlets.keys() - new.outlets.keys()),
            ),
        )

    def _adopt(self, store: Store, config: Config) -> None:
        sync_config(store, config)
        self.ingestor = Ingestor(store, config)

    def health(self) -> tuple[bool, str]:
        """For /healthz: the scheduler runs and the store takes a write lock."""
        if not self.scheduler.running or self._stop.is_set():
            return False, "scheduler not running"
        if not self.writer.alive:
            return False, "store writer not running"
        try:
            self.writer.call(_ping, timeout=2, probe=True)
        except TimeoutError:
            return False, "store not writable: its write lock was not free within 2 s"
        except Exception as exc:
            return False, f"store not writable: {exc}"
        if self.writer.last_error:
            return False, f"last store write failed: {self.writer.last_error}"
        return True, f"ok: {len(self.active)} crawls running, {len(self.config.outlets)} outlets"


def _ping(store: Store) -> None:
    """Take and release the write lock: proves the store is writable right now."""
    store.db.conn.execute("BEGIN IMMEDIATE")
    store.db.conn.execute("ROLLBACK")
