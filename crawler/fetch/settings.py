"""Scrapy settings for one outlet's crawl, built from newsmon's validated config.

Polite by default: robots.txt obeyed, AutoThrottle, a per-host delay and concurrency cap, a
User-Agent that names the project, retries with backoff. Scrapy's remote-control HTTP server
(which runs arbitrary Python) and its telnet console are switched off, and only http(s)
download handlers exist, so no other scheme can ever be requested.
"""

from __future__ import annotations

from typing import Any

from crawler.config import OutletSettings

_NO_HANDLER: dict[str, None] = {"data": None, "file": None, "s3": None, "ftp": None}


def scrapy_settings(settings: OutletSettings) -> dict[str, Any]:
    """The Scrapy settings dict for crawling one outlet."""
    fetch = settings.fetch
    return {
        "BOT_NAME": "newsmon",
        "USER_AGENT": fetch.user_agent,
        "ROBOTSTXT_OBEY": fetch.obey_robots_txt,
        "ROBOTSTXT_USER_AGENT": "newsmon",
        "NEWSMON_ROBOTS_CACHE_HOURS": fetch.robots_txt_cache_hours,
        "DOWNLOAD_DELAY": fetch.download_delay_seconds,
        "CONCURRENT_REQUESTS": fetch.concurrent_requests,
        "CONCURRENT_REQUESTS_PER_DOMAIN": fetch.concurrent_requests_per_host,
        "AUTOTHROTTLE_ENABLED": fetch.autothrottle,
        "AUTOTHROTTLE_START_DELAY": max(fetch.download_delay_seconds, 0.1),
        "AUTOTHROTTLE_MAX_DELAY": fetch.autothrottle_max_delay_seconds,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(fetch.concurrent_requests_per_host),
        "DOWNLOAD_TIMEOUT": fetch.download_timeout_seconds,
        "DOWNLOAD_MAXSIZE": fetch.max_page_bytes,
        "DOWNLOAD_WARNSIZE": 0,
        "RETRY_TIMES": fetch.retry_times,
        # giving up is recorded in the store (the URL's state and reason), not an error here
        "RETRY_GIVE_UP_LOG_LEVEL": "INFO",
        "RETRY_HTTP_CODES": [500, 502, 503, 504, 522, 524, 408, 429],
        "NEWSMON_RETRY_BACKOFF_BASE_SECONDS": fetch.retry_backoff_base_seconds,
        "NEWSMON_MAX_RETRY_AFTER_SECONDS": fetch.max_retry_after_seconds,
        "DOWNLOADER_MIDDLEWARES": {
            "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
            "crawler.fetch.retry.BackoffRetryMiddleware": 550,
            "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
            "crawler.fetch.robots.CachedRobotsTxtMiddleware": 100,
            "scrapy.downloadermiddlewares.httpauth.HttpAuthMiddleware": None,
            "scrapy.downloadermiddlewares.stats.DownloaderStats": None,
            # Scrapy's decodes every page to look for a meta refresh (crawler/fetch/refresh.py)
            "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
            "crawler.fetch.refresh.ScannedMetaRefreshMiddleware": 580,
        },
        # what no newsmon crawl uses, each a step more for every request or response: depth
        # counts (no depth limit), Referer headers, copied-meta warnings, HTTP auth,
        # downloader byte counts (about 5 % of a crawl's CPU together, bench/throughput.py)
        "SPIDER_MIDDLEWARES": {
            "scrapy.spidermiddlewares.referer.RefererMiddleware": None,
            "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
            "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware": None,
        },
        "ITEM_PIPELINES": {"crawler.fetch.pipeline.SpoolPipeline": 100},
        # how many of a response's outputs are processed at once: Scrapy starts that many
        # asyncio tasks for every response (100 by default); newsmon's only pipeline writes
        # a file and never waits, so one does the same work (about 0.4 ms a page less)
        "CONCURRENT_ITEMS": 1,
        "DOWNLOAD_HANDLERS": _NO_HANDLER,
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "REMOTE_CONTROL_ENABLED": False,
        "LOG_LEVEL": settings.crawl_log_level,
        # the parent re-logs each line in its own format (plain or JSON), with the outlet id
        "LOG_FORMAT": "%(levelname)s [%(name)s] %(message)s",
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
        # Scrapy reads a callback's source to warn about `return value` in a generator; it
        # remembers the answer by the bound method, which is new for every response, so it
        # parsed parse_article's source once per page (about 0.5 ms); newsmon's callbacks
        # only yield
        "WARN_ON_GENERATOR_RETURN_VALUE": False,
    }
