"""The one generic spider: reads an outlet's sources, fetches its new articles, extracts them.

It stays thin: parsing is ``crawler.discovery``/``crawler.sources``, the fetch-or-skip decision
is ``crawler.discovery.Triage``, extraction is ``crawler.extraction``. What it produces are
spool records (``crawler.spool``), written by ``crawler.pipeline.SpoolPipeline``.
"""

from __future__ import annotations

import gzip
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.config import Config, OutletConfig, Source
from crawler.discovery import Triage, UrlPolicy, freshness_cutoff, parse_document
from crawler.errors import SourceParseError
from crawler.extraction import NoArticleBody, extract_article
from crawler.spool import FailureRecord, PageRecord, RunRecord, SourceRecord, Spool
from crawler.sources import Entry

SITEMAP_MAX_BYTES = 50_000_000
DEFAULT_MAX_PAGES = {"feed": 1, "sitemap": 20, "listing": 3}
MAX_SITEMAP_DEPTH = 3
_GONE = {404, 410}


@dataclass(frozen=True)
class Validators:
    """What a conditional GET of a discovery document may send."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass
class CrawlJob:
    """Everything one crawl of one outlet needs, resolved before Scrapy starts."""

    config: Config
    outlet: OutletConfig
    run_id: int
    is_known: Callable[[str], bool]  # handled in the store or waiting in the spool
    validators: Callable[[str], Validators]
    now: datetime


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class OutletSpider(scrapy.Spider):
    name = "newsmon-outlet"

    def __init__(self, job: CrawlJob, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.job = job
        self.allowed_domains = list(job.outlet.domains)
        max_age = job.outlet.max_age_days or job.config.settings.crawl.max_age_days
        self.triage = Triage(
            policy=UrlPolicy.for_outlet(job.outlet),
            is_known=job.is_known,
            cutoff=freshness_cutoff(job.now, max_age),
            max_requests=job.config.settings.crawl.max_new_urls_per_crawl,
        )
        self.source_failures: list[str] = []
        self.sources_read = 0
        self.callback_errors = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> OutletSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._on_spider_error, signal=signals.spider_error)
        return spider  # type: ignore[return-value]

    def _on_spider_error(self, failure: Failure, response: Response, spider: Any) -> None:
        self.callback_errors += 1
        self.logger.error("error in a callback for %s: %s", response.url, failure.value)

    def closed(self, reason: str) -> None:
        """Write the crawl's summary to the spool (the last record of the run)."""
        Spool(self.settings["NEWSMON_SPOOL_DIR"]).put(self.run_record(reason))

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for source in self.job.outlet.sources:
            yield self._source_request(source.url, source, page=1)

    # -- discovery --------------------------------------------------------------------------

    def _source_request(self, url: str, source: Source, page: int) -> scrapy.Request:
        known = self.job.validators(url)
        headers = {}
        if known.etag:
            headers["If-None-Match"] = known.etag
        if known.last_modified:
            headers["If-Modified-Since"] = known.last_modified
        return scrapy.Request(
            url, callback=self.parse_source, errback=self.source_failed, headers=headers,
            meta={"source": source, "page": page, "allow_offsite": True,
                  "handle_httpstatus_list": [304], "download_maxsize": SITEMAP_MAX_BYTES},
        )  # fmt: skip

    def parse_source(self, response: Response) -> Iterator[Any]:
        source: Source = response.meta["source"]
        self.sources_read += 1
        if response.status == 304:
            yield self._source_record(response, entries=None)
            return
        text = response.text if isinstance(response, TextResponse) else None
        content_type = response.headers.get("Content-Type", b"").decode("latin-1") or None
        try:
            discovery = parse_document(source.kind, response.url, response.body, text,
                                       content_type, SITEMAP_MAX_BYTES)  # fmt: skip
        except SourceParseError as exc:
            self.source_failures.append(f"{response.url}: {exc}")
            yield self._source_record(response, entries=None, error=str(exc))
            return
        yield self._source_record(response, entries=len(discovery.entries))
        yield from self._follow(discovery.follow, source, response.meta["page"])
        for entry in discovery.entries:
            yield from self._article_request(entry, response.url)

    def _follow(self, follow: list[Entry], source: Source, page: int) -> Iterator[scrapy.Request]:
        """Next listing page up to max_pages; child sitemaps up to MAX_SITEMAP_DEPTH levels,
        those updated inside the freshness window only, freshest first, max_pages of them."""
        if source.kind == "feed" or not follow:
            return
        if source.kind == "listing":
            if page < self._max_pages(source):
                yield self._source_request(follow[0].url, source, page + 1)
            return
        if page >= MAX_SITEMAP_DEPTH:
            return
        cutoff = self.triage.cutoff
        fresh = [c for c in follow if c.published_at is None or c.published_at >= cutoff]
        for child in sorted(fresh, key=_newest_first)[: self._max_pages(source)]:
            yield self._source_request(child.url, source, page + 1)

    def _max_pages(self, source: Source) -> int:
        return source.max_pages or DEFAULT_MAX_PAGES[source.kind]

    def _article_request(self, entry: Entry, source_url: str) -> Iterator[scrapy.Request]:
        verdict, key = self.triage.decide(entry)
        if verdict == "fetch":
            yield scrapy.Request(key, callback=self.parse_article, errback=self.article_failed,
                                 meta={"url_key": key, "source_url": source_url})  # fmt: skip

    def source_failed(self, failure: Failure) -> Iterator[Any]:
        request = failure.request  # type: ignore[attr-defined]
        reason = _failure_reason(failure)
        self.source_failures.append(f"{request.url}: {reason}")
        status = failure.value.response.status if failure.check(HttpError) else None
        yield SourceRecord(
            run_id=self.job.run_id, outlet_id=self.job.outlet.id, url=request.url,
            kind=request.meta["source"].kind, fetched_at=now_iso(), http_status=status,
            etag=None, last_modified=None, entries=None, error=reason,
        )  # fmt: skip

    def _source_record(self, response: Response, entries: int | None,
                       error: str | None = None) -> SourceRecord:  # fmt: skip
        header = response.headers.get
        return SourceRecord(
            run_id=self.job.run_id, outlet_id=self.job.outlet.id, url=response.url,
            kind=response.meta["source"].kind, fetched_at=now_iso(),
            http_status=response.status, etag=_header(header("ETag")),
            last_modified=_header(header("Last-Modified")), entries=entries, error=error,
        )  # fmt: skip

    # -- articles ---------------------------------------------------------------------------

    def parse_article(self, response: Response) -> Iterator[Any]:
        key = response.meta["url_key"]
        content_type = _header(response.headers.get("Content-Type"))
        if not isinstance(response, TextResponse) or "html" not in (content_type or "html"):
            yield self._failure(response.request, "rejected", f"not HTML ({content_type})",
                                response.status)  # fmt: skip
            return
        article, no_body = None, None
        try:
            extracted = extract_article(response.text, response.url, self.job.outlet.extract,
                                        self.job.config.settings.extract.min_words)  # fmt: skip
            article = extracted.__dict__ | {"authors": list(extracted.authors)}
        except NoArticleBody as exc:
            no_body = exc.reason
        yield PageRecord(
            run_id=self.job.run_id, outlet_id=self.job.outlet.id, url=key,
            final_url=response.url, http_status=response.status, content_type=content_type,
            fetched_at=now_iso(), source_url=response.meta.get("source_url"), article=article,
            no_body_reason=no_body, html_gzip=gzip.compress(response.text.encode("utf-8"), 6),
        )  # fmt: skip

    def article_failed(self, failure: Failure) -> Iterator[Any]:
        request = failure.request  # type: ignore[attr-defined]
        status = failure.value.response.status if failure.check(HttpError) else None
        reason = _failure_reason(failure)
        if status in _GONE:
            state = "gone"
        elif failure.check(IgnoreRequest) and "robots.txt" in str(failure.value):
            state = "blocked"
        elif failure.check(IgnoreRequest, DownloadCancelledError):
            state = "rejected"
        else:
            state = "retry"
        yield self._failure(request, state, reason, status)

    def _failure(self, request: scrapy.Request, state: Any, reason: str,
                 status: int | None) -> FailureRecord:  # fmt: skip
        return FailureRecord(
            run_id=self.job.run_id, outlet_id=self.job.outlet.id, url=request.meta["url_key"],
            fetched_at=now_iso(), state=state, reason=reason, http_status=status,
            source_url=request.meta.get("source_url"),
        )  # fmt: skip

    # -- closing ----------------------------------------------------------------------------

    def run_record(self, close_reason: str) -> RunRecord:
        """The crawl's summary; 'failed' when no source could be read at all."""
        counts = self.triage.counts
        status: Any = "ok"
        error = None
        if close_reason == "shutdown":
            status, error = "stopped", "stopped before finishing (shutdown requested)"
        elif self.source_failures and self.sources_read <= len(self.source_failures):
            status, error = "failed", "no source could be read: " + "; ".join(
                self.source_failures[:3])  # fmt: skip
        stats = self.crawler.stats
        retry_after = stats.get_value("newsmon/retry_after_seconds") if stats else None
        return RunRecord(
            run_id=self.job.run_id, outlet_id=self.job.outlet.id, finished_at=now_iso(),
            status=status, discovered=counts["discovered"], skipped_known=counts["known"],
            skipped_old=counts["old"], requested=counts["fetch"], errors=self.callback_errors,
            retry_after_seconds=retry_after, error=error,
        )  # fmt: skip


def _newest_first(entry: Entry) -> tuple[int, float]:
    if entry.published_at is None:
        return (1, 0.0)
    return (0, -entry.published_at.timestamp())


def _header(value: bytes | None) -> str | None:
    return value.decode("latin-1") if value else None


def _failure_reason(failure: Failure) -> str:
    if failure.check(HttpError):
        return f"HTTP {failure.value.response.status}"
    value = failure.value
    return f"{type(value).__name__}: {value}" if str(value) else type(value).__name__
