"""A crawl process: ``python -m crawler.worker`` crawls one outlet and exits.

Each crawl runs in its own process because the Twisted reactor cannot be restarted within a
process, and because a process isolates what a crawl may do wrong (a crash, a leak, a hang
that has to be killed) from the daemon and from other outlets. It reads the store (read-only)
to skip URLs already handled, and writes only to the spool. SIGTERM stops it gracefully:
in-flight requests finish and the run summary is still written.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import fcntl
import logging
import os
import signal
import sys
from collections.abc import Iterator
from datetime import UTC, datetime

from scrapy.crawler import AsyncCrawlerProcess

from crawler.config import Config, load_config
from crawler.errors import EXIT_CRAWL_BUSY
from crawler.scrapy_settings import scrapy_settings
from crawler.spider import CrawlJob, OutletSpider, Validators
from crawler.spool import Spool
from storage import Store
from storage.sources import validators as stored_validators
from storage.urls import is_handled

PR_SET_PDEATHSIG = 1


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m crawler.worker", description=__doc__)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--config", help="config directory")
    source.add_argument(
        "--config-stdin",
        action="store_true",
        help="read the validated config as JSON from stdin (what newsmon does)",
    )
    parser.add_argument("--store", help="SQLite store (read only); without it nothing is known")
    parser.add_argument("--spool", required=True, help="spool directory to write results to")
    parser.add_argument("--outlet", required=True, help="outlet id")
    parser.add_argument("--run-id", required=True, type=int, help="run id created by the writer")
    parser.add_argument("--max-articles", type=int, help="fetch at most this many articles")
    return parser.parse_args(argv)


def build_job(
    config: Config, store: Store | None, spool: Spool, outlet_id: str, run_id: int
) -> CrawlJob:
    """Resolve the known-URL lookup and conditional-GET validators for one crawl; without a
    store (a dry run) nothing is known and every document is fetched in full."""

    def is_known(key: str) -> bool:
        return spool.has_url(key) or (store is not None and is_handled(store, key))

    def validators(url: str) -> Validators:
        if store is None:
            return Validators()
        return Validators(*stored_validators(store, outlet_id, url))

    return CrawlJob(
        config=config,
        outlet=config.outlets[outlet_id],
        run_id=run_id,
        is_known=is_known,
        validators=validators,
        now=datetime.now(UTC),
    )


def crawl(
    config: Config,
    store: Store | None,
    spool: Spool,
    outlet_id: str,
    run_id: int,
    *,
    max_articles: int | None = None,
) -> None:
    """Run one crawl to its end in this process (the reactor cannot be started twice)."""
    if max_articles is not None:
        crawl_settings = config.settings.crawl.model_copy(
            update={"max_new_urls_per_crawl": max_articles}
        )
        config = config.model_copy(
            update={"settings": config.settings.model_copy(update={"crawl": crawl_settings})}
        )
    job = build_job(config, store, spool, outlet_id, run_id)
    settings = scrapy_settings(config.settings, job.outlet)
    settings["NEWSMON_SPOOL_DIR"] = str(spool.directory)
    process = AsyncCrawlerProcess(settings)
    _quiet_scrapy_duplicates()  # after Scrapy configured logging, which resets its loggers
    process.crawl(OutletSpider, job=job)
    process.start()


def _quiet_scrapy_duplicates() -> None:
    """Scrapy logs a failed robots.txt or feed fetch as an ERROR with a traceback; the run's
    summary already records it in one line, so these loggers only speak when critical."""
    logging.getLogger("scrapy.downloadermiddlewares.robotstxt").setLevel(logging.CRITICAL)


def die_with_parent() -> None:
    """Ask Linux to SIGTERM this process when its parent dies, so a crawl never outlives a
    killed daemon (which would then find it still holding the outlet's lock)."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() == 1:  # the parent died before prctl took effect
        sys.exit(EXIT_CRAWL_BUSY)


@contextlib.contextmanager
def outlet_lock(spool: Spool, outlet_id: str) -> Iterator[bool]:
    """Hold the outlet's crawl lock for the duration; yield False if another crawl has it."""
    folder = spool.directory / "locks"
    folder.mkdir(exist_ok=True)
    with (folder / f"{outlet_id}.lock").open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    die_with_parent()
    config = (
        Config.model_validate_json(sys.stdin.read())
        if args.config_stdin
        else load_config(args.config)
    )
    spool = Spool(args.spool)
    with outlet_lock(spool, args.outlet) as acquired:
        if not acquired:
            print(f"a crawl of {args.outlet} is still running", file=sys.stderr)
            return EXIT_CRAWL_BUSY
        if args.store is None:
            crawl(config, None, spool, args.outlet, args.run_id, max_articles=args.max_articles)
            return 0
        with Store.open_readonly(args.store) as store:
            crawl(config, store, spool, args.outlet, args.run_id, max_articles=args.max_articles)
    return 0


if __name__ == "__main__":
    sys.exit(main())
