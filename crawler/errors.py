"""Exceptions raised by the crawler package.

::

    CrawlerError
    ├── ConfigError            a config file is missing, not TOML, or fails validation
    │   └── ConfigErrors       every problem of a config directory at once
    ├── SourceParseError       a feed / sitemap / listing could not be parsed at all
    ├── SpoolWriteError        a result could not be written to the spool (disk full...)
    └── NoArticleBody          (crawler.content.article) a page has no article body

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
    """A configuration file is invalid; says which file (and line, where known), which field
    and what is allowed."""

    def __init__(
        self, path: str, message: str, field: str | None = None, line: int | None = None
    ) -> None:
        self.path = path
        self.field = field
        self.message = message
        self.line = line
        place = f"{path}:{line}" if line else path
        where = f"{place}: {field}" if field else place
        super().__init__(f"{where}: {message}")


class ConfigErrors(ConfigError):
    """Every problem found in a config directory at once; the first is also this error's
    path, field and message."""

    def __init__(self, problems: list[ConfigError]) -> None:
        first = problems[0]
        super().__init__(first.path, first.message, first.field, first.line)
        self.problems = problems

    def __str__(self) -> str:
        if len(self.problems) == 1:
            return str(self.problems[0])
        lines = "\n".join(f"  {problem}" for problem in self.problems)
        return f"{len(self.problems)} problems in the config:\n{lines}"


class SourceParseError(CrawlerError):
    """A discovery document (feed, sitemap, listing) yielded nothing usable."""


class SpoolWriteError(CrawlerError):
    """A record could not be written to the spool (disk full, permissions); nothing of it
    was left behind."""
