"""The only item pipeline: every record a crawl yields goes into the spool."""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler

from crawler.records import Record
from crawler.spool import Spool


class SpoolPipeline:
    """Writes each record atomically to the spool named by the NEWSMON_SPOOL_DIR setting."""

    def __init__(self, spool: Spool) -> None:
        self.spool = spool

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SpoolPipeline:
        return cls(Spool(crawler.settings["NEWSMON_SPOOL_DIR"]))

    def process_item(self, item: Record) -> Any:
        self.spool.put(item)
        return item
