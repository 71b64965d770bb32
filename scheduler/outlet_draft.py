"""Drafting an outlet config from its homepage: the fetching half of ``newsmon outlets add``.

A few GETs with the standard library (the configured User-Agent, its timeout and size cap;
after the homepage, only what robots.txt allows), each candidate that
:mod:`crawler.discovery.autodiscover` proposes checked with the discovery parser of its kind,
and the findings gathered in a :class:`Draft`. ``scheduler.outlet_toml`` writes it.
"""

from __future__ import annotations

import http.client
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, replace
from email.message import Message
from urllib.parse import urlsplit

from crawler.config.settings import FetchSettings
from crawler.content.decoding import decode_page
from crawler.discovery.autodiscover import (
    Candidate,
    Probe,
    UrlPattern,
    article_pattern,
    children_to_read,
    choose_sources,
    crawl_delay,
    deny_rules,
    domains_for,
    feed_candidates,
    is_news_sitemap,
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

_MAX_SITEMAP_DEPTH = 2  # robots.txt -> index -> sitemaps
# http(s) only: no file:// or ftp:// whatever a page links or a server redirects to
_HANDLERS = (
    urllib.request.ProxyHandler(),
    urllib.request.HTTPHandler(),
    urllib.request.HTTPSHandler(),
    urllib.request.HTTPRedirectHandler(),
    urllib.request.HTTPDefaultErrorHandler(),
    urllib.request.HTTPErrorProcessor(),
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
            self._opener.add_handler(handler)

    def get(self, url: str) -> Page:
        """The response to a GET, whatever its status; FetchFailed when none came."""
        request = urllib.request.Request(url, headers={"User-Agent": self.user_agent})
        try:
            with self._opener.open(request, timeout=self.timeout_seconds) as response:
                body = response.read(self.max_bytes)
                return Page(
                    response.geturl(), response.status, body, response.headers["Content-Type"]
                )
        except urllib.error.HTTPError as error:
            with error:
                return Page(url, error.code, b"", error.headers["Content-Type"])
        except (OSError, http.client.HTTPException, ValueError) as error:
            reason = getattr(error, "reason", None) or error
            raise FetchFailed(url, str(reason) or type(error).__name__) from error


class Prober:
    """Fetches candidates that robots.txt allows and checks each with its kind's parser;
    ``on_probe`` hears of every probe as it is done."""

    def __init__(self, web: Web, robots_txt: str, on_probe: Callable[[Probe], None]) -> None:
        self.web = web
        self.rules = robots_rules(robots_txt)
        self.on_probe = on_probe

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets newsmon's User-Agent fetch this URL."""
        return self.rules.can_fetch(self.web.user_agent, url)

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
            probes += self._sitemap(candidate, depth=0)
            if any(probe.usable and probe.news for probe in probes):
                break
        return probes

    def homepage_listing(self, home_url: str, html: str) -> Probe:
        """The homepage as a listing: its links on the site that robots.txt allows, usable
        when enough of them share an article shape."""
        links = [e.url for e in parse_listing(html, home_url).entries if self.allowed(e.url)]
        on_site = [url for url in links if host_allowed(url, domains_for(home_url, []))]
        homepage = Candidate("listing", home_url, "the homepage's links")
        return self._told(listing_probe(homepage, on_site))

    def _told(self, probe: Probe) -> Probe:
        self.on_probe(probe)
        return probe

    def _feed(self, candidate: Candidate) -> Probe:
        read = self._read(candidate)
        if isinstance(read, str):
            return Probe(candidate, problem=read)
        return parsed_probe(candidate, (entry.url for entry in read[0].entries))

    def _sitemap(self, candidate: Candidate, depth: int) -> list[Probe]:
        read = self._read(candidate)
        if isinstance(read, str):
            return [self._told(Probe(candidate, problem=read))]
        found, body = read
        if not found.follow or depth >= _MAX_SITEMAP_DEPTH:
            news = is_news_sitemap(body, self.web.max_bytes)
            return [self._told(parsed_probe(candidate, (e.url for e in found.entries), news))]
        children = children_to_read(found.follow)
        below = [
            probe
            for child in children
            for probe in self._sitemap(
                Candidate("sitemap", child.url, f"listed in {candidate.url}"), depth + 1
            )
        ]
        urls = [entry.url for entry in found.entries] + [u for p in below for u in p.urls]
        detail = f"index: {len(children)} of its {len(found.follow)} sitemaps read"
        return [self._told(replace(parsed_probe(candidate, urls), detail=detail)), *below]

    def _read(self, candidate: Candidate) -> tuple[Discovery, bytes] | str:
        """The parsed document and its body, or why there is none."""
        if not self.allowed(candidate.url):
            return "robots.txt disallows it"
        try:
            page = self.web.get(candidate.url)
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
        return found, page.body


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
    language: str | None = None,
    on_probe: Callable[[Probe], None] = lambda probe: None,
) -> Draft:
    """Fetch a homepage and its robots.txt, probe the feeds, sitemaps and links they point
    to, and draft the outlet's config; raise FetchFailed when the homepage cannot be read,
    LanguageUnknown when it does not say its language (and none is given), NoSourceFound
    when nothing lists articles."""
    home, html = _homepage(web, url)
    said = _language(home.url, html, language)
    robots = _robots(web, home.url)
    prober = Prober(web, robots.text(), on_probe)
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
        crawl_delay_seconds=crawl_delay(robots.text(), web.user_agent),
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


def _robots(web: Web, site_url: str) -> Page:
    """The site's robots.txt; an empty one (allowing everything) when there is none."""
    address = robots_url(site_url)
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
    """The article URLs the sources list (on the outlet's site, allowed by robots.txt) and
    the shape they share."""
    listed = [url for source in sources for url in source.urls if prober.allowed(url)]
    on_site = [url for url in listed if host_allowed(url, domains_for(home_url, []))] or listed
    pattern = article_pattern(on_site)
    return (matching(pattern, on_site) if pattern else on_site), pattern
