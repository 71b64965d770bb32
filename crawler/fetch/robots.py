"""robots.txt, fetched once per host and kept for ``robots_txt_cache_hours``.

Scrapy's RobotsTxtMiddleware fetches every host's robots.txt at the start of every crawl;
for a monitor polling each outlet every few minutes that is one request per poll for a file
that rarely changes. This subclass keeps each host's robots.txt in a cache directory (the
spool's ``robots/``) and reuses it while it is younger than the setting (RFC 9309 asks
crawlers not to use a cached copy longer than 24 hours, the default). A robots.txt that could
not be fetched (a network error or a 5xx) is never cached.
"""

from __future__ import annotations

import hashlib
import logging
import time
from pathlib import Path

from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.http import Request, Response
from scrapy.robotstxt import RobotParser
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler

from storage.atomic import write_atomically

logger = logging.getLogger(__name__)


class CachedRobotsTxtMiddleware(RobotsTxtMiddleware):
    """RobotsTxtMiddleware with a per-host file cache shared by every crawl process."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        settings = crawler.settings
        self.max_age_seconds = settings.getfloat("NEWSMON_ROBOTS_CACHE_HOURS") * 3600
        self.folder = Path(settings["NEWSMON_SPOOL_DIR"]) / "robots"

    async def robot_parser(self, request: Request) -> RobotParser | None:
        netloc = urlparse_cached(request).netloc
        if netloc not in self._parsers:
            body = self._cached(netloc)
            if body is not None:
                self._parsers[netloc] = build_from_crawler(self._parserimpl, self.crawler, body)
        return await super().robot_parser(request)

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if response.status < 500:
            self._store(netloc, response.body if response.status == 200 else b"")
        await super()._parse_robots(response, netloc, request)

    def _path(self, netloc: str) -> Path:
        return self.folder / (hashlib.sha1(netloc.encode(), usedforsecurity=False).hexdigest())

    def _cached(self, netloc: str) -> bytes | None:
        path = self._path(netloc)
        try:
            if time.time() - path.stat().st_mtime > self.max_age_seconds:
                return None
            return path.read_bytes()
        except OSError:  # not cached, or the cache cannot be read: fetch it
            return None

    def _store(self, netloc: str, body: bytes) -> None:
        """Keep a robots.txt for later crawls; a full disk only means it is not kept."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_atomically(self._path(netloc), body)
        except OSError as exc:
            logger.warning("robots.txt of %s not cached: %s", netloc, exc)
