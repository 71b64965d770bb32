"""The only item pipeline: every record a crawl yields goes into the spool.

When the spool cannot be written (a full disk), the crawl stops at once with one message:
what it did not write was never recorded, so its sources' validators are not updated either
and the next crawl finds the same entries again.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_from_coro

from crawler.errors import SpoolWriteError
from crawler.records import Record
from crawler.spool import Spool

log = logging.getLogger(__name__)
SPOOL_FAILED_STAT = "newsmon/spool_failed"


class SpoolPipeline:
    """Writes each record atomically to the spool named by the NEWSMON_SPOOL_DIR setting."""

    def __init__(self, spool: Spool, crawler: Crawler) -> None:
        self.spool = spool
        self.crawler = crawler
        self.failed = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SpoolPipeline:
        return cls(Spool(crawler.settings["NEWSMON_SPOOL_DIR"]), crawler)

    def process_item(self, item: Record) -> Any:
        if self.failed:
            return item  # the crawl is closing; said once already
        try:
            self.spool.put(item)
        except SpoolWriteError as exc:
            self._stop(exc)
        return item

    def _stop(self, error: SpoolWriteError) -> None:
        self.failed = True
        log.error("%s; this crawl stops, the next one picks up what it did not write", error)
        assert self.crawler.stats is not None and self.crawler.engine is not None
        self.crawler.stats.set_value(SPOOL_FAILED_STAT, str(error))
        deferred_from_coro(self.crawler.engine.close_spider_async(reason="spool_write_failed"))
