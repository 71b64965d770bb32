"""Drafting an outlet config from its homepage: the fetching half of ``newsmon outlets add``.

A few GETs with the standard library (the configured User-Agent, its timeout and size cap;
http(s) only, redirects included), each candidate that :mod:`crawler.discovery.autodiscover`
proposes checked with the discovery parser of its kind, and the findings gathered in a
:class:`Draft`. ``scheduler.outlet_toml`` writes it.

After the homepage, every request goes to a host whose robots.txt has been read (one per
host, at most ``MAX_ROBOTS_HOSTS``) and allows it, and waits out that host's ``Crawl-delay``
since the previous request to it. At most ``MAX_SITEMAP_DOCUMENTS`` sitemaps are read.
"""

from __future__ import annotations

import http.client
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, replace
from email.message import Message
from typing import IO, NoReturn
from urllib.parse import urlsplit

from protego import Protego

from crawler.canonical import is_http_url
from crawler.config.settings import FetchSettings
from crawler.content.decoding import decode_page
from crawler.discovery.autodiscover import (
    Candidate,
    Probe,
    UrlPattern,
    article_pattern,
    article_sample,
    children_to_read,
    choose_sources,
    deny_rules,
    domains_for,
    feed_candidates,
    listing_probe,
    matching,
    page_language,
    parsed_probe,
    robots_rules,
    robots_url,
    site_name,
    sitemap_candidates,
    sitemaps_in_robots,
)
from crawler.discovery.documents import parse_document
from crawler.discovery.entry import Discovery
from crawler.discovery.listing import parse_listing
from crawler.discovery.triage import host_allowed
from crawler.errors import FetchFailed, LanguageUnknown, NoSourceFound, SourceParseError

MAX_SITEMAP_DEPTH = 2  # an index is followed, and an index it lists, no deeper
MAX_SITEMAP_DOCUMENTS = 10  # sitemaps fetched per run, indexes and their children included
MAX_ROBOTS_HOSTS = 10  # hosts whose robots.txt is read per run; no other host is requested
_SITEMAPS_SPENT = f"not read: {MAX_SITEMAP_DOCUMENTS} sitemaps were read already (the limit)"


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to an http(s) address. urllib's own handler also follows one
    to ftp://, for which no handler is installed: the request then fails with the redirect's
    response already closed."""

    def redirect_request(  # noqa: PLR0917 (urllib's signature)
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        if not is_http_url(newurl):
            fp.close()
            raise FetchFailed(req.full_url, f"HTTP {code} redirects to {newurl}, not http(s)")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


# http(s) only: no file:// or ftp:// whatever a page links or a server redirects to; one
# instance of each per opener (a handler keeps a reference to its opener)
_HANDLERS: tuple[type[urllib.request.BaseHandler], ...] = (
    urllib.request.ProxyHandler,
    urllib.request.HTTPHandler,
    urllib.request.HTTPSHandler,
    _HttpOnlyRedirects,
    urllib.request.HTTPDefaultErrorHandler,
    urllib.request.HTTPErrorProcessor,
)


@dataclass(frozen=True)
class Page:
    """A fetched document: where it ended up, its status, its (capped) body."""

    url: str
    status: int
    body: bytes
    content_type: str | None

    def text(self) -> str:
        """The body as text, in its declared charset if its bytes fit it."""
        header = Message()
        header["Content-Type"] = self.content_type or "text/html"
        return decode_page(self.body, header.get_content_charset())


class Web:
    """Polite single GETs: the configured User-Agent, timeout and size cap."""

    def __init__(self, settings: FetchSettings) -> None:
        self.user_agent = settings.user_agent
        self.timeout_seconds = settings.download_timeout_seconds
        self.max_bytes = settings.max_page_bytes
        self._opener = urllib.request.OpenerDirector()
        for handler in _HANDLERS:
            self._opener.add_handler(handler())

    def get(self, url: str) -> Page:
        """The response to a GET, whatever its status; FetchFailed when none came (a network
        error, a timeout, an address or a redirect that is not http(s), a redirect loop)."""
        if not is_http_url(url):
            raise FetchFailed(url, "not an http(s) address")
        request = urllib.request.Request(url, headers={"User-Agent": self.user_agent})
        try:
            with self._opener.open(request, timeout=self.timeout_seconds) as response:
                body = response.read(self.max_bytes)
                return Page(
                    response.geturl(), response.status, body, response.headers["Content-Type"]
                )
        except urllib.error.HTTPError as error:
            return _error_page(url, error)
        except (OSError, http.client.HTTPException, ValueError) as error:
            _failed(url, error)


def _error_page(url: str, error: urllib.error.HTTPError) -> Page:
    """An HTTP error status as a page; a redirect that was not followed (a loop, a scheme
    urllib refuses, no Location) as FetchFailed. Its response may be closed already, so it
    is only closed, never entered."""
    error.close()
    if 300 <= error.code < 400:
        reason = " ".join(str(error.reason).split())
        raise FetchFailed(url, f"HTTP {error.code} not followed: {reason}") from None
    content_type = error.headers.get("Content-Type") if error.headers else None
    return Page(url, error.code, b"", content_type)


def _failed(url: str, error: Exception) -> NoReturn:
    reason = " ".join(str(getattr(error, "reason", None) or error).split())
    raise FetchFailed(url, reason or type(error).__name__) from error


class Pacer:
    """Spaces the requests to one host by its ``Crawl-delay``, from the start of one to the
    start of the next. The clock and the wait are injectable, so that tests need not sleep."""

    def __init__(
        self,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sleep = sleep
        self._clock = clock
        self._last_request_at: dict[str, float] = {}

    def turn(self, host: str, delay_seconds: float | None) -> None:
        """Wait until a request to ``host`` may start, and note that it starts now."""
        last = self._last_request_at.get(host)
        if delay_seconds and last is not None:
            wait = last + delay_seconds - self._clock()
            if wait > 0:
                self._sleep(wait)
        self._last_request_at[host] = self._clock()


@dataclass(frozen=True)
class _Host:
    """A host's robots.txt as fetched (an empty body when there is none) and parsed."""

    robots: Page
    rules: Protego
    crawl_delay_seconds: float | None


class Prober:
    """Fetches candidates that their host's robots.txt allows, paced by its Crawl-delay, and
    checks each with its kind's parser; ``on_probe`` hears of every probe as it is done."""

    def __init__(
        self, web: Web, on_probe: Callable[[Probe], None], pacer: Pacer | None = None
    ) -> None:
        self.web = web
        self.on_probe = on_probe
        self.pacer = pacer or Pacer()
        self.sitemaps_fetched = 0
        self._hosts: dict[str, _Host] = {}  # by robots.txt URL: one per scheme, host and port

    def robots(self, url: str) -> Page | None:
        """The robots.txt of the URL's host, read on first use; None once MAX_ROBOTS_HOSTS
        other hosts' have been read."""
        host = self._host(url)
        return host.robots if host else None

    def crawl_delay(self, url: str) -> float | None:
        """The Crawl-delay the URL's host asks of newsmon's User-Agent, in seconds."""
        host = self._host(url)
        return host.crawl_delay_seconds if host else None

    def allowed(self, url: str) -> bool:
        """Whether the robots.txt of the URL's host lets newsmon's User-Agent fetch it
        (False for a host whose robots.txt is not read)."""
        host = self._host(url)
        return host is not None and host.rules.can_fetch(url, self.web.user_agent)

    def get(self, url: str) -> Page:
        """A GET, once the host's Crawl-delay has passed since the last request to it."""
        self.pacer.turn(robots_url(url), self.crawl_delay(url))
        return self.web.get(url)

    def _host(self, url: str) -> _Host | None:
        address = robots_url(url)
        if address not in self._hosts:
            if len(self._hosts) >= MAX_ROBOTS_HOSTS:
                return None
            self.pacer.turn(address, None)
            robots = _robots(self.web, address)
            rules = robots_rules(robots.text())
            delay = rules.crawl_delay(self.web.user_agent)
            self._hosts[address] = _Host(robots, rules, delay)
        return self._hosts[address]

    def feeds(self, candidates: list[Candidate]) -> list[Probe]:
        """Probe feeds in order until one lists entries."""
        probes: list[Probe] = []
        for candidate in candidates:
            probes.append(self._told(self._feed(candidate)))
            if probes[-1].usable:
                break
        return probes

    def sitemaps(self, candidates: list[Candidate]) -> list[Probe]:
        """Probe sitemaps (and the children of indexes) in order until a news sitemap
        lists entries."""
        probes: list[Probe] = []
        for candidate in candidates:
            if self._sitemaps_spent():
                probes.append(self._told(Probe(candidate, problem=_SITEMAPS_SPENT)))
                continue
            probes += self._sitemap(candidate, depth=0)
            if any(probe.usable and probe.news for probe in probes):
                break
        return probes

    def homepage_listing(self, home_url: str, html: str) -> Probe:
        """The homepage as a listing: its links on the site that robots.txt allows, usable
        when enough of them share an article shape."""
        site = domains_for(home_url, [])
        links = [e.url for e in parse_listing(html, home_url).entries]
        on_site = [url for url in links if host_allowed(url, site) and self.allowed(url)]
        homepage = Candidate("listing", home_url, "the homepage's links")
        return self._told(listing_probe(homepage, on_site))

    def _sitemaps_spent(self) -> bool:
        return self.sitemaps_fetched >= MAX_SITEMAP_DOCUMENTS

    def _told(self, probe: Probe) -> Probe:
        self.on_probe(probe)
        return probe

    def _feed(self, candidate: Candidate) -> Probe:
        read = self._read(candidate)
        if isinstance(read, str):
            return Probe(candidate, problem=read)
        return parsed_probe(candidate, (entry.url for entry in read.entries))

    def _sitemap(self, candidate: Candidate, depth: int) -> list[Probe]:
        found = self._read(candidate)
        if isinstance(found, str):
            return [self._told(Probe(candidate, problem=found))]
        if not found.follow or depth >= MAX_SITEMAP_DEPTH:
            listed = (e.url for e in found.entries)
            return [self._told(parsed_probe(candidate, listed, found.news))]
        children = children_to_read(found.follow)
        below: list[Probe] = []
        children_read = 0
        for child in children:
            if self._sitemaps_spent():
                break
            listed_in = Candidate("sitemap", child.url, f"listed in {candidate.url}")
            below += self._sitemap(listed_in, depth + 1)
            children_read += 1
        urls = [entry.url for entry in found.entries] + [u for p in below for u in p.urls]
        detail = f"index: {children_read} of its {len(found.follow)} sitemaps read"
        if children_read < len(children):
            detail += f" (at most {MAX_SITEMAP_DOCUMENTS} sitemaps are read in all)"
        return [self._told(replace(parsed_probe(candidate, urls), detail=detail)), *below]

    def _read(self, candidate: Candidate) -> Discovery | str:
        """The parsed document, or why there is none."""
        if self._host(candidate.url) is None:
            return f"not read: robots.txt is read on at most {MAX_ROBOTS_HOSTS} hosts per run"
        if not self.allowed(candidate.url):
            return "robots.txt disallows it"
        if candidate.kind == "sitemap":
            self.sitemaps_fetched += 1
        try:
            page = self.get(candidate.url)
        except FetchFailed as error:
            return error.reason
        if page.status != 200:
            return f"HTTP {page.status}"
        try:
            found = parse_document(
                candidate.kind,
                page.url,
                page.body,
                text=None,
                content_type=page.content_type,
                max_bytes=self.web.max_bytes,
            )
        except SourceParseError as error:
            return str(error)
        return found


@dataclass(frozen=True)
class Draft:
    """Everything ``outlets add`` found out about an outlet, ready to be written."""

    outlet_id: str
    homepage: str
    name: tuple[str, str]  # (name, where it was found)
    language: tuple[str, str]  # (ISO 639-1 code, where it was found)
    robots: str  # what robots.txt said, in words
    crawl_delay_seconds: float | None
    probes: tuple[Probe, ...]  # every candidate tried, in order
    sources: tuple[Probe, ...]  # the ones to configure
    pattern: UrlPattern | None
    domains: tuple[str, ...]
    deny: tuple[str, ...]


def draft_outlet(
    url: str,
    outlet_id: str,
    web: Web,
    *,
    language: str | None = None,
    on_probe: Callable[[Probe], None] = lambda probe: None,
    pacer: Pacer | None = None,
) -> Draft:
    """Fetch a homepage and its robots.txt, probe the feeds, sitemaps and links they point
    to, and draft the outlet's config; raise FetchFailed when the homepage cannot be read,
    LanguageUnknown when it does not say its language (and none is given), NoSourceFound
    when nothing lists articles."""
    home, html = _homepage(web, url)
    said = _language(home.url, html, language)
    prober = Prober(web, on_probe, pacer)
    robots = prober.robots(home.url) or Page(robots_url(home.url), 0, b"", None)
    probes, sources = _probe_sources(prober, home.url, html, robots.body)
    if not sources:
        raise NoSourceFound(f"found no feed, sitemap or listing of articles at {home.url}")
    articles, pattern = _articles(prober, home.url, sources)
    return Draft(
        outlet_id=outlet_id,
        homepage=home.url,
        name=site_name(html) or (urlsplit(home.url).hostname or home.url, "the host name"),
        language=said,
        robots=_robots_summary(robots),
        crawl_delay_seconds=prober.crawl_delay(home.url),
        probes=tuple(probes),
        sources=tuple(sources),
        pattern=pattern,
        domains=tuple(domains_for(home.url, articles)),
        deny=tuple(deny_rules(articles)),
    )


def _homepage(web: Web, url: str) -> tuple[Page, str]:
    home = web.get(url)
    if home.status != 200:
        raise FetchFailed(url, f"HTTP {home.status}")
    return home, home.text()


def _language(home_url: str, html: str, given: str | None) -> tuple[str, str]:
    said = (given, "--language") if given else page_language(html)
    if said is None:
        raise LanguageUnknown(f"{home_url} does not say its language (no <html lang>)")
    return said


def _robots(web: Web, address: str) -> Page:
    """A robots.txt; an empty one (allowing everything) when there is none."""
    try:
        robots = web.get(address)
    except FetchFailed:
        return Page(address, 0, b"", None)
    return robots if robots.status == 200 else replace(robots, body=b"")


def _robots_summary(robots: Page) -> str:
    if robots.status != 200:
        return f"HTTP {robots.status}" if robots.status else "no answer"
    listed = len(sitemaps_in_robots(robots.body, robots.url))
    return f"HTTP 200, {listed} Sitemap: line{'s' if listed != 1 else ''}"


def _probe_sources(
    prober: Prober, home_url: str, html: str, robots_txt: bytes
) -> tuple[list[Probe], list[Probe]]:
    """Every probe made and the sources chosen: a feed and a news sitemap, else a sitemap,
    else the homepage as a listing."""
    feeds = prober.feeds(feed_candidates(html, home_url))
    sitemaps = prober.sitemaps(sitemap_candidates(robots_txt, home_url))
    chosen = choose_sources(feeds, sitemaps)
    if chosen:
        return feeds + sitemaps, chosen
    listing = prober.homepage_listing(home_url, html)
    return [*feeds, *sitemaps, listing], [listing] if listing.usable else []


def _articles(
    prober: Prober, home_url: str, sources: list[Probe]
) -> tuple[list[str], UrlPattern | None]:
    """The article URLs the sources list (on the outlet's site, else all of them; allowed by
    their host's robots.txt) and the shape they share."""
    listed = [url for source in sources for url in source.urls]
    sample = [url for url in article_sample(home_url, listed) if prober.allowed(url)]
    pattern = article_pattern(sample)
    return (matching(pattern, sample) if pattern else sample), pattern
