"""Exceptions raised by the crawler package.

::

    CrawlerError
    ├── ConfigError            a config file is missing, not TOML, or fails validation
    └── SourceParseError       a feed / sitemap / listing could not be parsed at all

Library code raises these; only the CLI turns them into one line that says what to do next.
"""

from __future__ import annotations

# A crawl process (crawler.fetch.worker) exits with this when its outlet's crawl lock is taken;
# scheduler.supervise records such a run as "skipped". EX_TEMPFAIL from sysexits.h.
EXIT_CRAWL_BUSY = 75


class CrawlerError(Exception):
    """Base class of every error the crawler package raises on purpose."""


class ConfigError(CrawlerError):
    """A configuration file is invalid; says which file, which field and what is allowed."""

    def __init__(self, path: str, message: str, field: str | None = None) -> None:
        self.path = path
        self.field = field
        self.message = message
        where = f"{path}: {field}" if field else path
        super().__init__(f"{where}: {message}")


class SourceParseError(CrawlerError):
    """A discovery document (feed, sitemap, listing) yielded nothing usable."""
