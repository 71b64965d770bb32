"""A crawl process: ``python -m crawler.fetch.worker`` crawls one outlet and exits.

It receives its outlet and that outlet's resolved settings (``OutletSettings``), not the whole
config: as JSON on stdin from newsmon, or from ``--config`` when run by hand. newsmon's warm
worker (``crawler.fetch.zygote``) runs ``main`` in a forked child instead, with the same
arguments and the settings JSON handed over directly.

Each crawl runs in its own process because the Twisted reactor cannot be restarted within a
process, and because a process isolates what a crawl may do wrong (a crash, a leak, a hang
that has to be killed) from the daemon and from other outlets. It reads the store's frontier
(read-only): waiting URLs, what is known, validators; and writes only to the spool.
SIGTERM stops it gracefully: in-flight requests finish and the run summary is still written.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import logging
import os
import signal
import sys
from collections.abc import Iterator
from datetime import UTC, datetime

from scrapy.crawler import AsyncCrawlerProcess

from crawler.config import OutletSettings, load_config, resolve
from crawler.content.relevance import compiled_topic
from crawler.errors import EXIT_CRAWL_BUSY, EXIT_SPOOL_FAILED
from crawler.fetch.pipeline import SPOOL_FAILED_STAT
from crawler.fetch.settings import scrapy_settings
from crawler.fetch.spider import CrawlJob, OutletSpider
from crawler.frontier import SqliteFrontier
from crawler.spool import Spool
from storage import Store
from storage.locks import LockFile

PR_SET_PDEATHSIG = 1


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m crawler.fetch.worker", description=__doc__)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--config", help="config directory")
    source.add_argument(
        "--settings-stdin",
        action="store_true",
        help="read the outlet's resolved settings as JSON from stdin (what newsmon does)",
    )
    parser.add_argument("--store", help="SQLite store (read only); without it nothing is known")
    parser.add_argument("--spool", required=True, help="spool directory to write results to")
    parser.add_argument("--outlet", required=True, help="outlet id")
    parser.add_argument("--run-id", required=True, type=int, help="run id created by the writer")
    parser.add_argument("--max-articles", type=int, help="fetch at most this many articles")
    return parser.parse_args(argv)


def crawl(job: CrawlJob) -> int:
    """Run one crawl to its end in this process (the reactor cannot be started twice); the
    exit code: 0, or EXIT_SPOOL_FAILED if its results could not all be written."""
    settings = scrapy_settings(job.settings)
    settings["NEWSMON_SPOOL_DIR"] = str(job.spool.directory)
    process = AsyncCrawlerProcess(settings)
    # after Scrapy configured logging, which resets its loggers
    _quiet_duplicate_loggers()
    _skip_unwritten_records(settings["LOG_LEVEL"])
    crawler = process.create_crawler(OutletSpider)
    process.crawl(crawler, job=job)
    process.start()
    failed = crawler.stats.get_value(SPOOL_FAILED_STAT) if crawler.stats else None
    return EXIT_SPOOL_FAILED if failed else 0


def read_settings(args: argparse.Namespace, settings_json: str | None = None) -> OutletSettings:
    """The outlet's settings, from stdin (or ``settings_json`` in its place) or a config
    directory; ``--max-articles`` caps it."""
    if args.settings_stdin:
        text = sys.stdin.read() if settings_json is None else settings_json
        settings = OutletSettings.model_validate_json(text)
    else:
        config = load_config(args.config, skip_broken_outlets=True)
        if args.outlet in config.skipped:
            raise config.skipped_error(args.outlet)
        settings = resolve(config, args.outlet)
    if args.max_articles is None:
        return settings
    crawl_settings = settings.crawl.model_copy(update={"max_new_urls_per_crawl": args.max_articles})
    return settings.model_copy(update={"crawl": crawl_settings})


def compile_topics(settings_json: str) -> None:
    """Compile the topics of these settings in this process (``compiled_topic``): newsmon's
    warm worker does it before it forks a crawl, so that each crawl finds them compiled."""
    for topic in OutletSettings.model_validate_json(settings_json).topics:
        compiled_topic(topic)


def _quiet_duplicate_loggers() -> None:
    """Scrapy logs a failed robots.txt or feed fetch as an ERROR with a traceback, and
    trafilatura logs a page without a usable tree as an ERROR; the store records each with
    its reason in one line, so these loggers only speak when critical."""
    for name in ("scrapy.downloadermiddlewares.robotstxt", "trafilatura"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def _skip_unwritten_records(level: str) -> None:
    """Scrapy writes records at ``level`` and above, but leaves its loggers at DEBUG and the
    root at NOTSET, so each page's DEBUG lines ("Crawled", "Scraped from") are still made and
    then dropped (about 2 % of a crawl's CPU); at ``level``, they are never made."""
    for logger in (logging.root, logging.getLogger("scrapy")):
        logger.setLevel(level)


def set_death_signal(signum: int) -> None:
    """Ask Linux to send ``signum`` to this process when its parent dies (no-op elsewhere)."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signum)


def die_with_parent() -> None:
    """Ask Linux to SIGTERM this process when its parent dies, so a crawl never outlives a
    killed daemon (which would then find it still holding the outlet's lock)."""
    set_death_signal(signal.SIGTERM)
    if os.getppid() == 1:  # the parent died before prctl took effect
        sys.exit(EXIT_CRAWL_BUSY)


@contextlib.contextmanager
def outlet_lock(spool: Spool, outlet_id: str) -> Iterator[bool]:
    """Hold the outlet's crawl lock for the duration; yield False if another crawl has it."""
    folder = spool.directory / "locks"
    folder.mkdir(exist_ok=True)
    lock = LockFile.try_acquire(folder / f"{outlet_id}.lock")
    try:
        yield lock is not None
    finally:
        if lock is not None:
            lock.release()


def main(argv: list[str] | None = None, settings_json: str | None = None) -> int:
    """Crawl one outlet; the exit code. ``settings_json`` stands in for stdin (the warm
    worker's forked children have no stdin of their own)."""
    args = _arguments(argv)
    die_with_parent()
    settings = read_settings(args, settings_json)
    spool = Spool(args.spool)
    with outlet_lock(spool, args.outlet) as acquired:
        if not acquired:
            print(f"a crawl of {args.outlet} is still running", file=sys.stderr)
            return EXIT_CRAWL_BUSY
        now = datetime.now(UTC)
        if args.store is None:
            return crawl(CrawlJob(settings, args.run_id, None, spool, now))
        with Store.open_readonly(args.store) as store:
            return crawl(CrawlJob(settings, args.run_id, SqliteFrontier(store), spool, now))


if __name__ == "__main__":
    sys.exit(main())
