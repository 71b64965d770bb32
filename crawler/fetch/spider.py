"""The one generic spider: fetches an outlet's waiting URLs, reads its sources, extracts.

It stays thin: parsing is ``crawler.discovery``, what is new is ``Triage``, extraction is
``crawler.content.extraction``, and what it produces are ``crawler.records`` written to the
spool by ``crawler.fetch.pipeline.SpoolPipeline``.

A crawl first requests its outlet's waiting URLs from the frontier (newest listed first), then
reads the sources, and fetches again its stored articles due for a recheck (conditional GET
with the validators the page sent last time, at a lower priority). Every new entry a source
lists goes into that source's record, so the writer puts it into the frontier together with
the source's validators; the crawl fetches new entries while its cap allows, and the rest wait
for a later crawl. A document that did not change (304, or the same body as last time) is not
parsed again: its entries are in the frontier already.
"""

from __future__ import annotations

import gzip
import hashlib
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Any

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawler.config import OutletSettings, Source
from crawler.content.article import ExtractedArticle, NoArticleBody
from crawler.content.decoding import decode_page, looks_binary
from crawler.content.gate import Gate
from crawler.content.relevance import compiled_topic
from crawler.discovery.documents import parse_document
from crawler.discovery.entry import Discovery, Entry
from crawler.discovery.triage import Triage, UrlPolicy
from crawler.errors import SourceParseError, SpoolWriteError
from crawler.fetch import gatewords
from crawler.fetch.dropped import Outstanding
from crawler.fetch.failures import FetchFailure, classify_failure
from crawler.frontier import Frontier, FrontierEntry, RecheckEntry, SourceState
from crawler.records import (
    DiscoveredEntry,
    DroppedEntries,
    FailureRecord,
    FollowedLink,
    PageRecord,
    RecheckRecord,
    RunRecord,
    SourceRecord,
    keeps_raw_html,
)
from crawler.spool import Spool
from storage import format_utc, utc_now

SITEMAP_MAX_BYTES = 50_000_000
DEFAULT_MAX_PAGES = {"feed": 1, "sitemap": 20, "listing": 3}
MAX_SITEMAP_DEPTH = 3


@dataclass
class CrawlJob:
    """Everything one crawl of one outlet needs, resolved before Scrapy starts. Without a
    frontier (a dry run) nothing is known and every document is fetched in full."""

    settings: OutletSettings
    run_id: int
    frontier: Frontier | None
    spool: Spool
    now: datetime

    def state_of(self, key: str) -> str | None:
        if self.spool.has_url(key):
            return "stored"  # decided by this or an earlier crawl, not yet written
        return self.frontier.state_of(key) if self.frontier else None

    def source_state(self, url: str) -> SourceState:
        if self.frontier is None:
            return SourceState()
        return self.frontier.source_state(self.settings.outlet.id, url)

    def waiting(self) -> list[FrontierEntry]:
        if self.frontier is None:
            return []
        crawl, fetch = self.settings.crawl, self.settings.fetch
        outlet_id = self.settings.outlet.id
        return self.frontier.take(outlet_id, crawl.max_new_urls_per_crawl, fetch.max_fetch_attempts)

    def rechecks(self) -> list[RecheckEntry]:
        if self.frontier is None:
            return []
        limit = self.settings.crawl.max_rechecks_per_crawl
        return self.frontier.due_rechecks(self.settings.outlet.id, self.now, limit)


class OutletSpider(scrapy.Spider):
    name = "newsmon-outlet"

    def __init__(self, job: CrawlJob, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.job = job
        outlet = job.settings.outlet
        self.allowed_domains = list(outlet.domains)
        self.triage = Triage(
            policy=UrlPolicy.for_outlet(outlet),
            state_of=job.state_of,
            cutoff=job.settings.freshness_cutoff(job.now),
        )
        self.budget = job.settings.crawl.max_new_urls_per_crawl
        self.outstanding = Outstanding()
        self.source_failures: list[str] = []
        self.sources_read = 0
        self.callback_errors = 0
        self._gate: Gate | None = None
        self._words_recalled = 0

    @property
    def gate(self) -> Gate:
        """The outlet's topics' gate, compiled on the first article page (a poll with nothing
        new never pays for it). It turns pages away before extraction only if ``gated``; it
        always says whether an extracted article could be kept (see ``_raw_html``)."""
        if self._gate is None:
            topics = [compiled_topic(t) for t in self.job.settings.topics]
            self._gate = Gate(topics, self.job.settings.outlet.domains)
            gatewords.recall(self._gate, self._gate_folder)
            self._words_recalled = self._gate.words_seen
        return self._gate

    @cached_property
    def gated(self) -> bool:
        """Whether pages go through the gate before extraction: when every topic of the
        outlet has its gate on, and not in a dry run, which shows every extraction."""
        topics = self.job.settings.topics
        return self.job.frontier is not None and bool(topics) and all(t.gate for t in topics)

    @property
    def _gate_folder(self) -> Path:
        return self.job.spool.directory / "gate"

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> OutletSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        assert isinstance(spider, OutletSpider)
        crawler.signals.connect(spider._on_spider_error, signal=signals.spider_error)
        crawler.signals.connect(spider.outstanding.scheduled, signal=signals.request_scheduled)
        return spider

    def _on_spider_error(self, failure: Failure, response: Response, spider: Any) -> None:
        self.callback_errors += 1
        self.logger.error("error in a callback for %s: %s", response.url, failure.value)
        if "url_key" in response.meta:
            self.outstanding.failed(response.meta["url_key"], str(failure.value))

    def closed(self, reason: str) -> None:
        """Write what Scrapy dropped unseen and the crawl's summary (the last record); keep
        the words the gate learnt for the next crawl."""
        try:
            if reason == "finished":  # else what was not answered waits for the next crawl
                for record in self._dropped():
                    self.job.spool.put(record)
            self.job.spool.put(self.run_record(reason))
        except SpoolWriteError as exc:
            if reason != "spool_write_failed":  # else the pipeline said it already
                self.logger.error("%s; the crawl's summary is lost", exc)
        if self._gate is not None and self._gate.words_seen > self._words_recalled:
            gatewords.keep(self._gate, self._gate_folder)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for waiting in self.job.waiting():
            if self.budget <= 0:
                break
            yield self._article_request(waiting.url, waiting.source_url)
        for source in self.job.settings.outlet.sources:
            yield self._source_request(source.url, source, depth=1)
        for due in self.job.rechecks():
            yield self._recheck_request(due)

    # -- discovery --------------------------------------------------------------------------

    def _source_request(self, url: str, source: Source, depth: int) -> scrapy.Request:
        known = self.job.source_state(url)
        return scrapy.Request(
            url,
            callback=self.parse_source,
            errback=self.source_failed,
            headers=_conditional(known.etag, known.last_modified),
            meta={
                "source": source,
                "document_url": url,
                "depth_in_source": depth,
                "known": known,
                "allow_offsite": True,
                "handle_httpstatus_list": [304],
                "download_maxsize": SITEMAP_MAX_BYTES,
            },
        )

    def parse_source(self, response: Response) -> Iterator[Any]:
        self.sources_read += 1
        known: SourceState = response.meta["known"]
        digest = hashlib.sha256(response.body).hexdigest() if response.status != 304 else None
        if response.status == 304 or (digest is not None and digest == known.body_sha256):
            yield self._source_record(response, unchanged=True)
            yield from self._follow(response, known.follow, found_new=False)
            return
        try:
            discovery = self._parse_document(response)
        except SourceParseError as exc:
            self.source_failures.append(f"{response.url}: {exc}")
            yield self._source_record(response, error=str(exc))
            return
        dropped: Counter[str] = Counter()
        new = [self._triage(entry, dropped) for entry in discovery.entries]
        discovered = tuple(entry for entry in new if entry is not None)
        follow = tuple(FollowedLink(e.url, _utc(e.published_at)) for e in discovery.follow)
        requests = [
            self._article_request(e.url, response.url) for e in self._within_cap(discovered)
        ]
        dropped["cap: left for a later crawl"] += len(discovered) - len(requests)
        yield self._source_record(
            response,
            digest,
            entries=len(discovery.entries),
            discovered=discovered,
            follow=follow,
            dropped=tuple(DroppedEntries(why, n) for why, n in sorted(dropped.items()) if n),
        )
        yield from self._follow(response, follow, found_new=bool(discovered))
        yield from requests

    def _parse_document(self, response: Response) -> Discovery:
        source: Source = response.meta["source"]
        return parse_document(
            source.kind,
            response.url,
            response.body,
            text=response.text if isinstance(response, TextResponse) else None,
            content_type=_header(response.headers.get("Content-Type")),
            max_bytes=SITEMAP_MAX_BYTES,
        )

    def _triage(self, entry: Entry, dropped: Counter[str]) -> DiscoveredEntry | None:
        verdict, key = self.triage.decide(entry)
        if verdict != "new":
            dropped[self.triage.why_not(verdict, key)] += 1
            return None
        return DiscoveredEntry(key, entry.title, _utc(entry.published_at))

    def _within_cap(self, discovered: tuple[DiscoveredEntry, ...]) -> tuple[DiscoveredEntry, ...]:
        """The new entries this crawl still has room to fetch (the rest wait in the frontier)."""
        return discovered[: max(self.budget, 0)]

    def _follow(
        self, response: Response, links: tuple[FollowedLink, ...], found_new: bool
    ) -> Iterator[scrapy.Request]:
        """The further documents of a source to read now (see ``_listing_next`` and
        ``_children``)."""
        source: Source = response.meta["source"]
        depth = response.meta["depth_in_source"]
        if source.kind == "listing":
            yield from self._listing_next(source, links, depth, found_new)
        elif source.kind == "sitemap" and depth < MAX_SITEMAP_DEPTH:
            previous = {link.url: link.lastmod for link in response.meta["known"].follow}
            for child in self._children(source, links, previous):
                yield self._source_request(child.url, source, depth + 1)

    def _listing_next(
        self, source: Source, links: tuple[FollowedLink, ...], depth: int, found_new: bool
    ) -> Iterator[scrapy.Request]:
        """A listing's next page, up to max_pages, while pages yield new entries, or while a
        page further down was never read (an earlier walk was cut short)."""
        if not links or depth >= _max_pages(source):
            return
        if found_new or self._walk_unfinished(links[0].url, depth + 1, _max_pages(source)):
            yield self._source_request(links[0].url, source, depth + 1)

    def _walk_unfinished(self, url: str, depth: int, max_pages: int) -> bool:
        """True if this page, or one after it within max_pages, was never read in full."""
        while depth <= max_pages:
            known = self.job.source_state(url)
            if known.body_sha256 is None:
                return True
            if not known.follow:
                return False
            url, depth = known.follow[0].url, depth + 1
        return False

    def _children(
        self, source: Source, links: tuple[FollowedLink, ...], previous: dict[str, str | None]
    ) -> list[FollowedLink]:
        """Child sitemaps updated inside the freshness window, freshest first, max_pages of
        them, less those unchanged since they were last read in full (same lastmod)."""
        cutoff = format_utc(self.triage.cutoff)
        fresh = [link for link in links if link.lastmod is None or link.lastmod >= cutoff]
        fresh.sort(key=lambda link: link.lastmod or "", reverse=True)  # undated ones last
        chosen = fresh[: _max_pages(source)]
        return [link for link in chosen if not self._unchanged_child(link, previous)]

    def _unchanged_child(self, link: FollowedLink, previous: dict[str, str | None]) -> bool:
        if link.lastmod is None or previous.get(link.url) != link.lastmod:
            return False
        return self.job.source_state(link.url).body_sha256 is not None

    def source_failed(self, failure: Failure) -> Iterator[Any]:
        request: scrapy.Request = failure.request  # type: ignore[attr-defined]
        problem = classify_failure(failure.value)
        self.source_failures.append(f"{request.url}: {problem.reason}")
        yield self._source(request, problem.http_status, error=problem.reason)

    def _source_record(
        self, response: Response, digest: str | None = None, **fields: Any
    ) -> SourceRecord:
        return self._source(
            response, response.status, body_sha256=digest, **_validators(response), **fields
        )

    def _source(
        self, fetched: Response | scrapy.Request, status: int | None, **fields: Any
    ) -> SourceRecord:
        return SourceRecord(
            run_id=self.job.run_id,
            outlet_id=self.job.settings.outlet.id,
            url=fetched.meta["document_url"],  # as asked for, not a redirect's target
            kind=fetched.meta["source"].kind,
            fetched_at=utc_now(),
            http_status=status,
            **fields,
        )

    # -- articles ---------------------------------------------------------------------------

    def _dropped(self) -> list[FailureRecord]:
        policy = self.triage.policy
        return [
            self._failure({"url_key": key, "source_url": source}, FetchFailure("rejected", why))
            for key, source, why in self.outstanding.left(policy.rejects)
        ]

    def _article_request(self, key: str, source_url: str | None) -> scrapy.Request:
        self.outstanding.asked(key, source_url)
        self.budget -= 1
        self.triage.counts["fetch"] += 1
        return scrapy.Request(
            key,
            callback=self.parse_article,
            errback=self.article_failed,
            meta={"url_key": key, "source_url": source_url},
        )

    def parse_article(self, response: Response) -> Iterator[Any]:
        content_type = _header(response.headers.get("Content-Type"))
        if not isinstance(response, TextResponse) or "html" not in (content_type or "html"):
            failure = FetchFailure("rejected", f"not HTML ({content_type})", response.status)
            yield self._failure(response.meta, failure)
            return
        if looks_binary(response.body):
            failure = FetchFailure("rejected", f"binary data served as {content_type}")
            yield self._failure(response.meta, failure)
            return
        html = decode_page(response.body, response.encoding)
        gated = self.gate.reject(html) if self.gated else None
        article, no_body = (None, None) if gated else self._extract(html, response.url)
        self.outstanding.answered(response.meta["url_key"])
        yield PageRecord(
            run_id=self.job.run_id,
            outlet_id=self.job.settings.outlet.id,
            url=response.meta["url_key"],
            final_url=response.url,
            http_status=response.status,
            content_type=content_type,
            fetched_at=utc_now(),
            source_url=response.meta.get("source_url"),
            article=article,
            no_body_reason=no_body,
            gate_reason=gated,
            html_gzip=self._raw_html(html, gated, article),
            **_validators(response),
        )

    # -- rechecks of stored articles --------------------------------------------------------

    def _recheck_request(self, due: RecheckEntry) -> scrapy.Request:
        return scrapy.Request(
            due.url,
            callback=self.parse_recheck,
            errback=self.recheck_failed,
            headers=_conditional(due.etag, due.last_modified),
            priority=-1,
            dont_filter=True,
            meta={"recheck_of": due.article_id, "handle_httpstatus_list": [304]},
        )

    def parse_recheck(self, response: Response) -> Iterator[Any]:
        if response.status == 304:
            yield self._recheck(response, response.status, not_modified=True)
            return
        content_type = _header(response.headers.get("Content-Type"))
        if not isinstance(response, TextResponse) or looks_binary(response.body):
            yield self._recheck(response, response.status, error=f"not HTML ({content_type})")
            return
        article, no_body = self._extract(
            decode_page(response.body, response.encoding), response.url
        )
        yield self._recheck(
            response, response.status, article=article, error=no_body, **_validators(response)
        )

    def recheck_failed(self, failure: Failure) -> Iterator[Any]:
        request: scrapy.Request = failure.request  # type: ignore[attr-defined]
        problem = classify_failure(failure.value)
        yield self._recheck(request, problem.http_status, error=problem.reason)

    def _recheck(
        self, fetched: Response | scrapy.Request, status: int | None, **fields: Any
    ) -> RecheckRecord:
        return RecheckRecord(
            run_id=self.job.run_id,
            outlet_id=self.job.settings.outlet.id,
            article_id=fetched.meta["recheck_of"],
            url=fetched.url,
            fetched_at=utc_now(),
            http_status=status,
            **fields,
        )

    def _raw_html(
        self, html: str, gated: str | None, article: ExtractedArticle | None
    ) -> bytes | None:
        """The page's HTML, compressed, if the store may keep it (``keeps_raw_html``, where
        an article is "stored" if the gate lets its scoring fields through: judged with the
        topics this crawl started with); a dry run sends every page's, unless the settings
        keep none (``newsmon outlets snapshot`` saves them). Most articles cannot be kept,
        and compressing, sending and reading their pages would cost about 1 ms of CPU each."""
        keep = self.job.settings.keep_raw_html
        if self.job.frontier is None:
            sent = keep != "none"
        else:
            judged = article is not None or gated is not None
            could_keep = keep == "stored" and article is not None and self._could_keep(article)
            sent = keeps_raw_html(keep, judged, could_keep)
        # level 1: about 0.9 ms for a 111 KB page, 2.6x faster than level 6 for about a
        # fifth more bytes
        return gzip.compress(html.encode("utf-8"), 1) if sent else None

    def _could_keep(self, article: ExtractedArticle) -> bool:
        return self.gate.reject_extracted(article.scoring_fields()) is None

    def _extract(self, html: str, url: str) -> tuple[ExtractedArticle | None, str | None]:
        """The extracted article, or None and the reason there is no body."""
        # trafilatura is loaded on the first page to extract, not when a crawl starts
        from crawler.content.extraction import extract_article  # noqa: PLC0415

        settings = self.job.settings
        try:
            article = extract_article(
                html, url, settings.outlet.extract, settings.extract.min_words
            )
        except NoArticleBody as exc:
            return None, exc.reason
        return article, None

    def article_failed(self, failure: Failure) -> Iterator[Any]:
        request: scrapy.Request = failure.request  # type: ignore[attr-defined]
        yield self._failure(request.meta, classify_failure(failure.value))

    def _failure(self, meta: dict[str, Any], failure: FetchFailure) -> FailureRecord:
        self.outstanding.answered(meta["url_key"])
        return FailureRecord(
            run_id=self.job.run_id,
            outlet_id=self.job.settings.outlet.id,
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
            outlet_id=self.job.settings.outlet.id,
            finished_at=utc_now(),
            status=status,
            discovered=counts["discovered"],
            skipped_known=counts["known"] + counts["waiting"],
            skipped_old=counts["old"],
            requested=counts["fetch"],
            errors=self.callback_errors,
            retry_after_seconds=retry_after,
            error=error,
        )


def _validators(response: Response) -> dict[str, str | None]:
    """The ETag and Last-Modified a response sent, for the next conditional GET."""
    header = response.headers.get
    return {
        "etag": _header(header("ETag")),
        "last_modified": _header(header("Last-Modified")),
    }


def _conditional(etag: str | None, last_modified: str | None) -> dict[str, str]:
    """Headers of a conditional GET with the validators a document sent last time."""
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def _max_pages(source: Source) -> int:
    return source.max_pages or DEFAULT_MAX_PAGES[source.kind]


def _utc(moment: datetime | None) -> str | None:
    return format_utc(moment) if moment else None


def _header(value: bytes | None) -> str | None:
    return value.decode("latin-1") if value else None
