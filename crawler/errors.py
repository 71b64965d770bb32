"""Exceptions raised by the crawler package.

::

    CrawlerError
    ├── ConfigError            a config file is missing, not TOML, or fails validation
    ├── SourceParseError       a feed / sitemap / listing could not be parsed at all
    ├── SpoolWriteError        a result could not be written to the spool (disk full...)
    └── NoArticleBody          (crawler.content.extraction) a page has no article body

Library code raises these; only the CLI turns them into one line that says what to do next.
"""

from __future__ import annotations

# A crawl process (crawler.fetch.worker) exits with this when its outlet's crawl lock is taken;
# scheduler.supervise records such a run as "skipped". EX_TEMPFAIL from sysexits.h.
EXIT_CRAWL_BUSY = 75
# ... and with this when it could not write its results to the spool (EX_IOERR); the run
# is recorded as failed, and what it did not write waits in the frontier.
EXIT_SPOOL_FAILED = 74


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


class SpoolWriteError(CrawlerError):
    """A record could not be written to the spool (disk full, permissions); nothing of it
    was left behind."""
