"""``newsmon.toml``: the daemon-wide settings, each declared once with its unit and help.

``tests/test_docs.py`` checks that the README documents every one of them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from crawler.canonical import is_http_url
from crawler.config.base import Model as _Model

DEFAULT_USER_AGENT = "newsmon/0.1 (+https://github.com/newsmon/newsmon; topic news monitor)"


class StoreSettings(_Model):
    path: str = Field("newsmon.db", description="SQLite store; relative to the working directory")
    spool_dir: str | None = Field(
        None,
        description="where crawls leave extracted candidates for the store writer; "
        "default: the store path plus '.spool'",
    )
    keep_raw_html: Literal["stored", "all", "none"] = Field(
        "stored",
        description="raw HTML kept gzip-compressed: of stored articles, of every page with a "
        "body or turned away by the topic gate (so off-topic pages can be re-scored), or none",
    )


class FetchSettings(_Model):
    user_agent: str = Field(DEFAULT_USER_AGENT, description="User-Agent sent with every request")
    max_page_bytes: int = Field(5_000_000, gt=0, description="larger responses are dropped")
    download_timeout_seconds: float = Field(30.0, gt=0, description="per request")
    download_delay_seconds: float = Field(1.0, ge=0, description="pause between requests to a host")
    concurrent_requests: int = Field(8, gt=0, description="requests in flight per crawl")
    concurrent_requests_per_host: int = Field(2, gt=0, description="requests in flight per host")
    autothrottle: bool = Field(True, description="adapt the delay to the server's latency")
    autothrottle_max_delay_seconds: float = Field(30.0, gt=0, description="AutoThrottle ceiling")
    retry_times: int = Field(2, ge=0, description="retries of a 5xx/429/network failure")
    retry_backoff_base_seconds: float = Field(
        2.0, ge=0, description="first retry waits this long, doubling each time (plus jitter)"
    )
    max_retry_after_seconds: float = Field(
        120.0, ge=0, description="a longer Retry-After ends the crawl's attempts at that URL"
    )
    max_fetch_attempts: int = Field(
        3, gt=0, description="crawls that may fail on a URL before it is given up for good"
    )
    obey_robots_txt: bool = Field(True, description="default for outlets that don't say")
    robots_txt_cache_hours: float = Field(
        24.0, ge=0, description="a host's robots.txt is reused this long before it is fetched again"
    )


class CrawlSettings(_Model):
    max_age_days: int = Field(7, gt=0, description="default freshness window of an outlet")
    max_new_urls_per_crawl: int = Field(
        300, gt=0, description="cap on article requests per outlet and crawl (backfill safety)"
    )
    max_parallel_crawls: int = Field(4, gt=0, description="outlets crawled at the same time")
    crawl_timeout_seconds: float = Field(900.0, gt=0, description="a longer crawl is stopped")
    stop_grace_seconds: float = Field(
        15.0, ge=0, description="a stopped crawl may finish in-flight requests this long"
    )
    recheck_after_hours: tuple[float, ...] = Field(
        (1.0, 6.0, 24.0, 72.0),
        description="a stored article is fetched again (conditional GET) this long after it "
        "was stored, once per entry; a changed text becomes a new version; [] turns it off",
    )
    max_rechecks_per_crawl: int = Field(
        100, ge=0, description="cap on stored articles fetched again per outlet and crawl"
    )

    @model_validator(mode="after")
    def _recheck_schedule_in_order(self) -> CrawlSettings:
        hours = self.recheck_after_hours
        if any(h < 0 for h in hours) or list(hours) != sorted(hours):
            raise ValueError("recheck_after_hours must be hours of 0 or more, in rising order")
        return self


class ExtractSettings(_Model):
    min_words: int = Field(
        40, ge=0, description="a page whose main text is shorter is recorded as no_body"
    )


class DedupSettings(_Model):
    near_duplicate_threshold: float = Field(
        0.5,
        gt=0,
        le=1,
        description="word-shingle Jaccard similarity from which an article is a copy of another "
        "(republication, lightly edited copy)",
    )
    story_min_similarity: float = Field(
        0.2,
        ge=0,
        le=1,
        description="weighted term cosine from which two reports in one language that share "
        "particulars (names, figures) are one story",
    )
    story_min_similarity_across_languages: float = Field(
        0.1,
        ge=0,
        le=1,
        description="the same for reports in two languages (compared on names and figures only)",
    )
    story_window_days: float = Field(
        30.0, gt=0, description="reports published further apart are never one story"
    )


class DaemonSettings(_Model):
    interval_minutes: float = Field(30.0, gt=0, description="default poll interval of an outlet")
    adaptive_polling: bool = Field(
        True, description="poll outlets that publish often more often, quiet ones less"
    )
    min_interval_minutes: float = Field(5.0, gt=0, description="adaptive polling's floor")
    max_interval_minutes: float = Field(360.0, gt=0, description="adaptive polling's ceiling")
    jitter_seconds: float = Field(30.0, ge=0, description="random delay added to each poll")
    misfire_grace_seconds: float = Field(
        300.0, gt=0, description="a poll more than this late is skipped (the next one runs)"
    )
    backoff_max_minutes: float = Field(
        720.0, gt=0, description="a failing outlet waits at most this long between attempts"
    )
    ingest_interval_seconds: float = Field(
        60.0, gt=0, description="the store writer also runs on its own at this interval"
    )
    shutdown_grace_seconds: float = Field(
        30.0, ge=0, description="on SIGTERM, running crawls may finish this long, then stop"
    )
    silent_after_hours: float = Field(
        72.0, gt=0, description="status warns when an outlet stored nothing new this long"
    )

    @model_validator(mode="after")
    def _bounds_in_order(self) -> DaemonSettings:
        if self.min_interval_minutes > self.max_interval_minutes:
            raise ValueError("min_interval_minutes must not exceed max_interval_minutes")
        return self


class NotifySettings(_Model):
    webhook_url: str | None = Field(
        None,
        description="POST a JSON object here for each new on-topic article; none: no notifications",
    )
    timeout_seconds: float = Field(10.0, gt=0, description="per POST")
    max_attempts: int = Field(
        8, ge=1, description="POSTs per article before it is given up (waits 1, 2, 4... min)"
    )

    @field_validator("webhook_url")
    @classmethod
    def _http_webhook(cls, url: str | None) -> str | None:
        return _http_or_none(url)


class FeedSettings(_Model):
    path: str | None = Field(
        None,
        description="the daemon keeps an Atom feed of the latest on-topic articles in this file;"
        " none: no feed file",
    )
    max_entries: int = Field(100, gt=0, description="articles in the feed, the latest stored")
    title: str = Field("newsmon: new on-topic articles", description="the feed's title")
    self_url: str | None = Field(None, description="the address a web server serves the file at")

    @field_validator("self_url")
    @classmethod
    def _http_self_url(cls, url: str | None) -> str | None:
        return _http_or_none(url)


def _http_or_none(url: str | None) -> str | None:
    """One rule for every address newsmon is given: ``crawler.canonical.is_http_url``."""
    if url is not None and not is_http_url(url):
        raise ValueError(f"{url!r} is not an absolute http(s) URL")
    return url


class Settings(_Model):
    store: StoreSettings = StoreSettings()
    fetch: FetchSettings = FetchSettings()
    crawl: CrawlSettings = CrawlSettings()
    extract: ExtractSettings = ExtractSettings()
    dedup: DedupSettings = DedupSettings()
    daemon: DaemonSettings = DaemonSettings()
    notify: NotifySettings = NotifySettings()
    feed: FeedSettings = FeedSettings()
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        "INFO", description="log level of newsmon itself"
    )
    crawl_log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        "WARNING", description="log level of the crawl processes (Scrapy is chatty at INFO)"
    )
