"""Exceptions raised by the crawler package.

::

    CrawlerError
    ├── ConfigError            a config file is missing, not TOML, or fails validation
    │   └── ConfigErrors       every problem of a config directory at once
    ├── SourceParseError       a feed / sitemap / listing could not be parsed at all
    ├── SpoolWriteError        a result could not be written to the spool (disk full...)
    ├── NoArticleBody          (crawler.content.article) a page has no article body
    ├── OutletExists           (outlets add) a config file for that outlet id exists already
    └── AutodiscoveryError     (outlets add) a site gave nothing to draft an outlet config from
        ├── FetchFailed        a page could not be fetched (network error, timeout, HTTP error)
        ├── NoSourceFound      no feed, sitemap or listing page that lists articles
        ├── LanguageUnknown    the homepage does not say its language
        └── OutletIdUnknown    the URL's host gives no valid outlet id (and --id gives none)

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


class OutletExists(CrawlerError):
    """A config file for the outlet id exists already; it is never overwritten."""

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(f"{path} exists already; nothing was written")


class AutodiscoveryError(CrawlerError):
    """A site could not be turned into a draft outlet config."""


class FetchFailed(AutodiscoveryError):
    """A page could not be fetched: a network error, a timeout or an HTTP error status."""

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"cannot fetch {url}: {reason}")


class NoSourceFound(AutodiscoveryError):
    """Neither a feed, nor a sitemap, nor the homepage's links list the outlet's articles."""


class LanguageUnknown(AutodiscoveryError):
    """The homepage does not say its language (no ``<html lang>`` or equivalent)."""


class OutletIdUnknown(AutodiscoveryError):
    """No valid outlet id can be derived from a URL's host; raised before anything is fetched."""

    def __init__(self, url: str, derived: str) -> None:
        self.url = url
        self.derived = derived
        super().__init__(
            f"cannot make an outlet id from the host of {url}: {derived!r} is not lower-case"
            " letters, digits and dashes"
        )
