"""``newsmon crawl``: one pass over the outlets, in the foreground."""

from __future__ import annotations

import logging
import signal
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Any

import click

from crawler.config import Config, load_config, spool_dir, store_path
from crawler.errors import ConfigError
from crawler.spool import Spool
from scheduler.cli import output
from scheduler.cli.friendly import EXIT_FAILED, friendly_errors
from scheduler.cli.options import config_option, db_option
from scheduler.cli.progress import crawl_progress
from scheduler.logs import PlainFormatter
from scheduler.notify import Notifier
from scheduler.supervise import CrawlRunner, prepare_store
from scheduler.warm import start_warm_worker, warm_every_date_locale
from storage import Store
from storage.runs import get_run


@click.command()
@config_option
@db_option
@click.option("--outlet", "outlet_ids", multiple=True, help="crawl only this outlet (repeatable)")
@friendly_errors
def crawl(config_dir: str, db_path: str | None, outlet_ids: tuple[str, ...]) -> None:
    """One pass over the outlets: discover, fetch, extract, score, dedupe, store."""
    config = load_config(config_dir, skip_broken_outlets=True)
    for outlet_id in config.skipped:
        error = config.skipped_error(outlet_id)
        click.echo(f"error: {error}\n  {outlet_id} is not crawled until that is fixed", err=True)
    with StopOnSignals() as stop:
        rows, path = _crawl(config, db_path, outlet_ids, stop.requested)
    click.echo(output.crawl_totals(rows, path))
    if stop.signal is not None:  # what the crawls produced is written; the rest waits
        sys.exit(128 + stop.signal)
    failed = [row["outlet_id"] for row in rows if row["status"] not in ("ok", "skipped")]
    failed += [] if outlet_ids else list(config.skipped)
    if failed:
        click.echo(
            f"error: these outlets failed: {', '.join(failed)} (see the runs table)", err=True
        )
        sys.exit(EXIT_FAILED)


def _crawl(
    config: Config, db_path: str | None, outlet_ids: tuple[str, ...], stopping: threading.Event
) -> tuple[list[dict[str, Any]], Path]:
    ids = _select_outlets(config, outlet_ids)
    if any(not topic.gate for topic in config.topics.values()):
        warm_every_date_locale()  # every page is extracted
    start_warm_worker()  # it warms up while the store is opened and the topics compiled
    path = store_path(config.settings, db_path)
    with Store.open(path) as store, CrawlMessages(path) as messages:
        prepare_store(store, config)
        parallel = min(len(ids), config.settings.crawl.max_parallel_crawls)
        click.echo(f"crawling {len(ids)} outlet(s), {parallel} at a time", err=True)
        with crawl_progress(ids) as progress:
            runner = CrawlRunner(
                store,
                config,
                Spool(spool_dir(config.settings, path)),
                trigger="cli",
                on_outcome=lambda o: progress.finished(o, get_run(store, o.run_id)),
                on_start=progress.started,
                stopping=stopping,
            )
            outcomes = runner.run(ids)
        messages.report()
        _notify(store, config)
        return [get_run(store, o.run_id) for o in outcomes], path


def _notify(store: Store, config: Config) -> None:
    """Send the notifications due (new articles): once each; failures wait for the next run."""
    settings = config.settings
    if settings.notify.webhook_url is None:
        return
    notifier = Notifier(settings.notify, settings.fetch.user_agent)
    delivery = notifier.send_due(lambda task: task(store), datetime.now(UTC))
    if delivery.sent or delivery.failed:
        failed = f", {delivery.failed} failed (tried again later)" if delivery.failed else ""
        click.echo(f"notifications: {delivery.sent} sent{failed}", err=True)


def _select_outlets(config: Config, requested: tuple[str, ...]) -> list[str]:
    broken = [outlet_id for outlet_id in requested if outlet_id in config.skipped]
    if broken:
        raise config.skipped_error(broken[0])
    unknown = [outlet_id for outlet_id in requested if outlet_id not in config.outlets]
    if unknown:
        raise ConfigError(
            str(Path(config.directory) / "outlets"),
            f"no outlet {', '.join(map(repr, unknown))}; known: {', '.join(config.outlets)}",
        )
    if not config.outlets:
        raise ConfigError(str(Path(config.directory) / "outlets"), "no outlet configured")
    return list(requested) or list(config.outlets)


class CrawlMessages:
    """Where the crawl processes' own messages (Scrapy's warnings and errors) go during an
    interactive crawl: a log file next to the store, not between the table's rows, unless
    newsmon runs with -v. ``report`` names the file if anything was written."""

    def __init__(self, store: Path) -> None:
        self.path = store.with_name(store.name + ".crawl.log")
        self.logger = logging.getLogger("newsmon.crawl")
        self.handler: logging.Handler | None = None
        self.count = 0

    def __enter__(self) -> CrawlMessages:
        if logging.getLogger().level > logging.INFO:  # without -v
            self.handler = logging.FileHandler(self.path, encoding="utf-8")
            self.handler.setFormatter(PlainFormatter())
            self.handler.addFilter(self._count)
            self.logger.addHandler(self.handler)
            self.logger.propagate = False
        return self

    def _count(self, record: logging.LogRecord) -> bool:
        self.count += 1
        return True

    def report(self) -> None:
        if self.count:
            click.echo(f"{self.count} messages of the crawl processes: {self.path}", err=True)

    def __exit__(self, *exc_info: object) -> None:
        if self.handler is not None:
            self.logger.removeHandler(self.handler)
            self.logger.propagate = True
            self.handler.close()


class StopOnSignals:
    """From the start of a crawl command: SIGINT, SIGTERM and SIGHUP stop the crawls
    gracefully (no new crawl starts, running ones finish in-flight requests) instead of
    killing newsmon; ``signal`` says which one came."""

    SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

    def __init__(self) -> None:
        self.requested = threading.Event()
        self.signal: int | None = None
        self.previous: dict[int, Any] = {}

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        # the handler runs on the main thread between any two bytecodes, possibly in the
        # middle of a write to stderr (a redraw of the live table): a thread of its own
        # writes the message once that write is done
        message = f"stopping: {signal.Signals(signum).name} received"
        threading.Thread(target=_tell, args=(message,)).start()
        self.signal = self.signal or signum
        self.requested.set()

    def __enter__(self) -> StopOnSignals:
        for signum in self.SIGNALS:
            self.previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(self, *exc_info: object) -> None:
        for signum, handler in self.previous.items():
            signal.signal(signum, handler)


def _tell(message: str) -> None:
    """Write a line to stderr as it is now: while the live table is shown, rich's stand-in
    prints it above the table (click.echo would bypass that for the stream underneath)."""
    print(message, file=sys.stderr, flush=True)
