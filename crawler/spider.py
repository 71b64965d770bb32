"""The one generic spider: reads an outlet's sources, fetches its new articles, extracts them.

It stays thin: parsing is ``crawler.discovery``/``crawler.sources``, the fetch-or-skip decision
is ``crawler.discovery.Triage``, extraction is ``crawler.extraction``. What it produces are
spool records (``crawler.spool``), written by ``crawler.pipeline.SpoolPipeline``.
"""

from __future__ import annotations

import gzip
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawler.config import Config, OutletConfig, Source
from crawler.discovery import Triage, UrlPolicy, freshness_cutoff, parse_document
from crawler.errors import SourceParseError
from crawler.extraction import NoArticleBody, extract_article
from crawler.failures import FetchFailure, classify_failure
from crawler.sources import Entry
from crawler.spool import FailureRecord, PageRecord, RunRecord, SourceRecord, Spool
from storage import utc_now

SITEMAP_MAX_BYTES = 50_000_000
DEFAULT_MAX_PAGES = {"feed": 1, "sitemap": 20, "listing": 3}
MAX_SITEMAP_DEPTH = 3


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
        assert isinstance(spider, OutletSpider)
        return spider

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
            url,
            callback=self.parse_source,
            errback=self.source_failed,
            headers=headers,
            meta={
                "source": source,
                "page": page,
                "allow_offsite": True,
                "handle_httpstatus_list": [304],
                "download_maxsize": SITEMAP_MAX_BYTES,
            },
        )

    def parse_source(self, response: Response) -> Iterator[Any]:
        source: Source = response.meta["source"]
        self.sources_read += 1
        if response.status == 304:
            yield self._source_record(response, entries=None)
            return
        text = response.text if isinstance(response, TextResponse) else None
        content_type = _header(response.headers.get("Content-Type"))
        try:
            discovery = parse_document(
                source.kind,
                response.url,
                response.body,
                text=text,
                content_type=content_type,
                max_bytes=SITEMAP_MAX_BYTES,
            )
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
            yield scrapy.Request(
                key,
                callback=self.parse_article,
                errback=self.article_failed,
                meta={"url_key": key, "source_url": source_url},
            )

    def source_failed(self, failure: Failure) -> Iterator[Any]:
        request: scrapy.Request = failure.request  # type: ignore[attr-defined]
        problem = classify_failure(failure.value)
        self.source_failures.append(f"{request.url}: {problem.reason}")
        yield self._source(request.url, request.meta, problem.http_status, error=problem.reason)

    def _source_record(
        self, response: Response, entries: int | None, error: str | None = None
    ) -> SourceRecord:
        header = response.headers.get
        return self._source(
            response.url,
            response.meta,
            response.status,
            etag=_header(header("ETag")),
            last_modified=_header(header("Last-Modified")),
            entries=entries,
            error=error,
        )

    def _source(
        self,
        url: str,
        meta: dict[str, Any],
        status: int | None,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        entries: int | None = None,
        error: str | None = None,
    ) -> SourceRecord:
        return SourceRecord(
            run_id=self.job.run_id,
            outlet_id=self.job.outlet.id,
            url=url,
            kind=meta["source"].kind,
            fetched_at=utc_now(),
            http_status=status,
            etag=etag,
            last_modified=last_modified,
            entries=entries,
            error=error,
        )

    # -- articles ---------------------------------------------------------------------------

    def parse_article(self, response: Response) -> Iterator[Any]:
        key = response.meta["url_key"]
        content_type = _header(response.headers.get("Content-Type"))
        if not isinstance(response, TextResponse) or "html" not in (content_type or "html"):
            failure = FetchFailure("rejected", f"not HTML ({content_type})", response.status)
            yield self._failure(response.meta, failure)
            return
        article, no_body = self._extract(response)
        yield PageRecord(
            run_id=self.job.run_id,
            outlet_id=self.job.outlet.id,
            url=key,
            final_url=response.url,
            http_status=response.status,
            content_type=content_type,
            fetched_at=utc_now(),
            source_url=response.meta.get("source_url"),
            article=article,
            no_body_reason=no_body,
            html_gzip=gzip.compress(response.text.encode("utf-8"), 6),
        )

    def _extract(self, response: TextResponse) -> tuple[dict[str, Any] | None, str | None]:
        """The extracted article as a dict, or None and the reason there is no body."""
        try:
            extracted = extract_article(
                response.text,
                response.url,
                self.job.outlet.extract,
                self.job.config.settings.extract.min_words,
            )
        except NoArticleBody as exc:
            return None, exc.reason
        return extracted.__dict__ | {"authors": list(extracted.authors)}, None

    def article_failed(self, failure: Failure) -> Iterator[Any]:
        request: scrapy.Request = failure.request  # type: ignore[attr-defined]
        yield self._failure(request.meta, classify_failure(failure.value))

    def _failure(self, meta: dict[str, Any], failure: FetchFailure) -> FailureRecord:
        return FailureRecord(
            run_id=self.job.run_id,
            outlet_id=self.job.outlet.id,
            url=meta["url_key"],
            fetched_at=utc_now(),
            state=failure.state,
            reason=failure.reason,
            http_status=failure.http_status,
            source_url=meta.get("source_url"),
        )

    # -- closing ----------------------------------------------------------------------------

    def run_record(self, close_reason: str) -> RunRecord:
        """The crawl's summary; 'failed' when no source could be read at all."""
        counts = self.triage.counts
        status: Any = "ok"
        error = None
        if close_reason == "shutdown":
            status, error = "stopped", "stopped before finishing (shutdown requested)"
        elif self.source_failures and self.sources_read <= len(self.source_failures):
            status, error = (
                "failed",
                "no source could be read: " + "; ".join(self.source_failures[:3]),
            )
        stats = self.crawler.stats
        retry_after = stats.get_value("newsmon/retry_after_seconds") if stats else None
        return RunRecord(
            run_id=self.job.run_id,
            outlet_id=self.job.outlet.id,
            finished_at=utc_now(),
            status=status,
            discovered=counts["discovered"],
            skipped_known=counts["known"],
            skipped_old=counts["old"],
            requested=counts["fetch"],
            errors=self.callback_errors,
            retry_after_seconds=retry_after,
            error=error,
        )


def _newest_first(entry: Entry) -> tuple[int, float]:
    if entry.published_at is None:
        return (1, 0.0)
    return (0, -entry.published_at.timestamp())


def _header(value: bytes | None) -> str | None:
    return value.decode("latin-1") if value else None
