"""Autodiscovery: from an outlet's homepage and robots.txt to candidate sources and URL rules.

Pure functions for ``newsmon outlets add``: text in, candidates out; fetching them is the
caller's business. A candidate becomes a source only once the caller has fetched it and the
discovery parser of its kind found entries in it (a :class:`Probe`).

- feeds: ``<link rel="alternate">`` of a feed media type on the homepage; when none is
  linked, the common paths (``/feed/``, ``/rss``, ...);
- sitemaps: the ``Sitemap:`` lines of robots.txt, else the common paths; news sitemaps
  (Google News extension) are preferred, and the children of an index are read news first,
  then freshest first;
- article URLs: the shape most of the listed URLs share (``/YYYY/MM/slug/``,
  ``/news/NNNNN.html``), written as an ``[urls] allow`` regex;
- robots.txt: read with Protego, the parser the crawl uses (``*`` and ``$`` wildcards,
  fractional ``Crawl-delay``).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import SplitResult, urljoin, urlsplit

from parsel import Selector
from protego import Protego

from crawler.canonical import absolute_url
from crawler.config.topics import ID_PATTERN
from crawler.discovery.documents import SourceKind
from crawler.discovery.entry import Entry
from crawler.discovery.sitemaps import parse_robots
from crawler.discovery.triage import host_allowed
from crawler.errors import OutletIdUnknown, SourceParseError

FEED_MEDIA_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/feed+json",
)
COMMON_FEED_PATHS = ("/feed/", "/rss", "/rss.xml", "/atom.xml", "/feed.xml", "/index.xml")
COMMON_SITEMAP_PATHS = ("/news-sitemap.xml", "/sitemap.xml", "/sitemap_index.xml")
# sections that are not articles: left out when inferring the article URL shape, and denied
# (those of them that no article URL found matches)
NON_ARTICLE_WORDS = frozenset(
    {
        "tag",
        "tags",
        "author",
        "authors",
        "category",
        "categories",
        "page",
        "search",
        "about",
        "contact",
        "contacts",
        "subscribe",
        "login",
        "account",
        "privacy",
        "terms",
        "amp",
    }
)
CONVENTIONAL_DENY = (
    r"/tags?/",
    r"/authors?/",
    r"/category/",
    r"/page/\d+",
    r"/video/",
    r"/live/",
    r"/podcasts?/",
)
MAX_LINKED_FEEDS = 4  # linked feeds probed (a site may link one per section)
MAX_SITEMAPS = 5  # sitemaps probed from robots.txt, and children read of an index
MIN_LISTING_LINKS = 3  # article links a homepage needs to serve as a listing
_URL_END = r"(?:$|[?#])"
_ANY_SEGMENT = "[^/?#]+"
_WORD_SLOT = "\0word"
_MAX_ALTERNATIVES = 6  # literal section names kept in an allow regex before it generalises
_MAX_PATTERNS = 3
_LANGUAGE_PLACES = (
    ("<html lang>", "/html/@lang"),
    ("<html xml:lang>", "/html/@*[name()='xml:lang']"),
    (
        '<meta http-equiv="content-language">',
        "//meta[translate(@http-equiv, 'CONTENTLAGU', 'contentlagu')='content-language']/@content",
    ),
    ("og:locale", "//meta[@property='og:locale']/@content"),
)
_NAME_PLACES = (
    ("og:site_name", "normalize-space(//meta[@property='og:site_name']/@content)"),
    ("<title>", "normalize-space(//title)"),
)
_ALTERNATE_LINKS = (
    "//link[contains(concat(' ', translate(normalize-space(@rel), 'ALTERNATE', 'alternate'),"
    " ' '), ' alternate ')]"
)
_PRIMARY_SUBTAG = re.compile(r"^\s*([A-Za-z]{2})(?:[-_]|\s*$)")
_EXTENSION = re.compile(r"^(?P<stem>.+?)(?P<ext>\.(?:html?|shtml|php|aspx?))$", re.IGNORECASE)
_WORD = re.compile(r"^[A-Za-z]{1,24}$")
# an id after the slug ("...-1894610"); not a small number ("top-10") or a year ("-2024")
_ID_SUFFIX = re.compile(r"([-_])(?!(?:19|20)\d\d$)\d{4,}$", re.ASCII)
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "gov", "ac", "edu"})


@dataclass(frozen=True)
class Candidate:
    """A document that may be one of the outlet's sources, and how it was found."""

    kind: SourceKind
    url: str
    found_by: str


@dataclass(frozen=True)
class Probe:
    """What fetching and parsing a candidate gave: its entries' URLs, or why it is not usable."""

    candidate: Candidate
    urls: tuple[str, ...] = ()
    problem: str | None = None
    news: bool = False  # a Google News sitemap
    detail: str = ""  # e.g. "sitemap index: 2 of 2 sitemaps read"

    @property
    def usable(self) -> bool:
        """Parsed, and lists at least one entry."""
        return self.problem is None and bool(self.urls)


@dataclass(frozen=True)
class UrlPattern:
    """``[urls] allow`` regexes for the article URLs, and how many of the sample they match."""

    allow: tuple[str, ...]
    matched: int
    sample: int


def parsed_probe(candidate: Candidate, urls: Iterable[str], news: bool = False) -> Probe:
    """The probe of a parsed candidate; one that lists nothing is not usable."""
    found = tuple(dict.fromkeys(urls))
    return Probe(candidate, found, None if found else "lists no entries", news)


# --------------------------------------------------------------------------- the homepage


def page_language(html: str) -> tuple[str, str] | None:
    """The page's ISO 639-1 language code and where it was said, or None."""
    page = Selector(text=html, type="html")
    for place, xpath in _LANGUAGE_PLACES:
        match = _PRIMARY_SUBTAG.match(page.xpath(xpath).get("") or "")
        if match:
            return match[1].lower(), place
    return None


def site_name(html: str) -> tuple[str, str] | None:
    """The site's name (``og:site_name``, else the ``<title>``) and where it was found."""
    page = Selector(text=html, type="html")
    for place, xpath in _NAME_PLACES:
        name = page.xpath(xpath).get("")
        if name:
            return name, place
    return None


def linked_feeds(html: str, base_url: str) -> list[tuple[str, str]]:
    """The feeds a page links with ``<link rel="alternate">``: (absolute URL, media type),
    in page order, comment feeds last."""
    page = Selector(text=html, type="html")
    base = page.xpath("//base/@href").get()
    base_url = (absolute_url(base, base_url) or base_url) if base else base_url
    found: dict[str, str] = {}
    for link in page.xpath(_ALTERNATE_LINKS):
        media_type = link.attrib.get("type", "").split(";")[0].strip().lower()
        url = absolute_url(link.attrib.get("href", ""), base_url)
        if media_type in FEED_MEDIA_TYPES and url and url not in found:
            found[url] = media_type
    return sorted(found.items(), key=lambda item: "comments" in item[0].lower())


def feed_candidates(html: str, base_url: str) -> list[Candidate]:
    """The homepage's linked feeds or, when it links none, the common feed paths."""
    linked = linked_feeds(html, base_url)
    if linked:
        return [
            Candidate("feed", url, f"<link rel=alternate type={media_type}> on the homepage")
            for url, media_type in linked[:MAX_LINKED_FEEDS]
        ]
    return [Candidate("feed", urljoin(base_url, path), "common path") for path in COMMON_FEED_PATHS]


# --------------------------------------------------------------------------- robots.txt, sitemaps


def robots_url(url: str) -> str:
    """The robots.txt of a URL's site."""
    return urljoin(url, "/robots.txt")


def robots_rules(robots_txt: str) -> Protego:
    """A robots.txt, parsed as the crawl parses it: ``*`` and ``$`` in paths, the group of
    the longest matching User-agent token, fractional ``Crawl-delay`` (an empty text allows
    everything). Ask it ``can_fetch(url, user_agent)`` and ``crawl_delay(user_agent)``."""
    return Protego.parse(robots_txt)


def sitemaps_in_robots(robots_txt: bytes, url: str) -> list[str]:
    """The sitemaps a robots.txt lists in its ``Sitemap:`` lines."""
    try:
        return [entry.url for entry in parse_robots(robots_txt, url).follow]
    except SourceParseError:
        return []


def sitemap_candidates(robots_txt: bytes, site_url: str) -> list[Candidate]:
    """The sitemaps robots.txt lists (news ones first) or, when it lists none, the common
    sitemap paths (the news sitemap first)."""
    listed = sitemaps_in_robots(robots_txt, robots_url(site_url))
    if listed:
        ordered = sorted(listed, key=lambda url: "news" not in url.lower())[:MAX_SITEMAPS]
        return [Candidate("sitemap", url, "Sitemap: line in robots.txt") for url in ordered]
    return [
        Candidate("sitemap", urljoin(site_url, path), "common path")
        for path in COMMON_SITEMAP_PATHS
    ]


def children_to_read(children: list[Entry], limit: int = MAX_SITEMAPS) -> list[Entry]:
    """The child sitemaps of an index worth reading: news ones first, then the freshest."""

    def order(child: Entry) -> tuple[bool, float]:
        stamp = child.published_at.timestamp() if child.published_at else float("-inf")
        return "news" not in child.url.lower(), -stamp

    return sorted(children, key=order)[:limit]


# --------------------------------------------------------------------------- choosing


def choose_sources(feeds: list[Probe], sitemaps: list[Probe]) -> list[Probe]:
    """The sources to configure: the first usable feed and the first usable news sitemap;
    without either, the first usable sitemap. Empty when nothing is usable."""
    feed = next((p for p in feeds if p.usable), None)
    news = next((p for p in sitemaps if p.usable and p.news), None)
    chosen = [probe for probe in (feed, news) if probe is not None]
    if chosen:
        return chosen
    return [p for p in sitemaps if p.usable][:1]


def listing_probe(candidate: Candidate, links: list[str]) -> Probe:
    """The homepage as a listing: usable when enough of its links share an article shape."""
    pattern = article_pattern(links)
    matched = matching(pattern, links) if pattern else []
    if len(matched) < MIN_LISTING_LINKS:
        found = f"only {len(matched)} of its {len(links)} links look like articles"
        return Probe(candidate, tuple(matched), found)
    return Probe(candidate, tuple(matched))


# --------------------------------------------------------------------------- identity


def outlet_id_for(url: str) -> str:
    """An outlet id from a URL's host: ``holod.media`` -> ``holod``, ``www.bbc.co.uk`` ->
    ``bbc``, ``ru.euronews.com`` -> ``ru-euronews``, ``президент.рф`` -> ``xn--d1abbgf6aiiy``
    (a non-ASCII host is IDNA-encoded); an address keeps its port. Raise OutletIdUnknown
    when the result does not match the config's id pattern."""
    parts = urlsplit(url)
    host = _ascii_host((parts.hostname or "").rstrip(".")).removeprefix("www.")
    if _is_address(host):
        labels = [host, str(parts.port)] if parts.port else [host]
    else:
        labels = host.split(".")
        labels = labels[:-1] if len(labels) > 1 else labels
        if len(labels) > 1 and labels[-1] in _SECOND_LEVEL:
            labels = labels[:-1]
    outlet_id = re.sub(r"[^a-z0-9-]+", "-", "-".join(labels)).strip("-")  # keeps "xn--"
    if not re.fullmatch(ID_PATTERN, outlet_id):
        raise OutletIdUnknown(url, outlet_id)
    return outlet_id


def _ascii_host(host: str) -> str:
    """The host in ASCII (IDNA, as DNS sees it), lower-case; empty when it has no IDNA form."""
    try:
        return host.encode("idna").decode("ascii").lower()
    except UnicodeError:  # an empty or over-long label
        return ""


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return host == "localhost"
    return True


def domains_for(homepage: str, article_urls: Iterable[str]) -> list[str]:
    """The hosts an outlet may request: the homepage's and its articles', without ``www.``
    and without those that another one already covers as a subdomain."""
    hosts = [_bare_host(urlsplit(homepage))]
    hosts += sorted({_bare_host(urlsplit(url)) for url in article_urls} - set(hosts))
    kept: list[str] = []
    for host in hosts:
        if host and not any(host == k or host.endswith("." + k) for k in kept):
            kept.append(host)
    return kept


def _bare_host(parts: SplitResult) -> str:
    return (parts.hostname or "").lower().removeprefix("www.")


def article_sample(homepage: str, urls: Iterable[str]) -> list[str]:
    """The listed URLs to derive the article shape and ``domains`` from: those on the
    homepage's site (its host without ``www.``, or a subdomain of it); all of them only when
    none is. URLs on other hosts are otherwise left out, and so are their hosts."""
    listed = list(urls)
    site = domains_for(homepage, [])
    return [url for url in listed if host_allowed(url, site)] or listed


# --------------------------------------------------------------------------- article URL shape


def article_pattern(urls: Iterable[str], min_urls: int = 2) -> UrlPattern | None:
    """The ``allow`` regexes of the URL shapes most of ``urls`` share (at most three, each
    shared by at least ``min_urls`` and a quarter as many as the commonest), or None."""
    sample = list(dict.fromkeys(urls))
    ranked = sorted(_shapes(sample).items(), key=lambda item: -len(item[1]))
    if not ranked or len(ranked[0][1]) < min_urls:
        return None
    floor = max(min_urls, len(ranked[0][1]) // 4)
    allow = tuple(
        _regex(key, words) for key, words in ranked[:_MAX_PATTERNS] if len(words) >= floor
    )
    pattern = UrlPattern(allow, 0, len(sample))
    return UrlPattern(allow, len(matching(pattern, sample)), len(sample))


def matching(pattern: UrlPattern, urls: Iterable[str]) -> list[str]:
    """The URLs that one of the pattern's regexes matches (searched, as ``[urls]`` does)."""
    compiled = [re.compile(regex) for regex in pattern.allow]
    return [url for url in urls if any(regex.search(url) for regex in compiled)]


def deny_rules(article_urls: list[str]) -> list[str]:
    """The conventional non-article sections that none of the article URLs falls in."""
    return [p for p in CONVENTIONAL_DENY if not any(re.search(p, url) for url in article_urls)]


_ShapeKey = tuple[str, tuple[str, ...], bool]


def _shapes(urls: list[str]) -> dict[_ShapeKey, list[tuple[str, ...]]]:
    """The article-like URLs grouped by shape, each with the words of its word slots; a
    shape that has a word where a more common one has a slug is folded into that one
    (``/en/ukraine/a-1`` into ``/en/<slug>/a-<id>``)."""
    groups: dict[_ShapeKey, list[tuple[str, ...]]] = {}
    for url in urls:
        shape = _shape(url)
        if shape is not None:
            groups.setdefault(shape[0], []).append(shape[1])
    folded: dict[_ShapeKey, list[tuple[str, ...]]] = {}
    for key, words in sorted(groups.items(), key=lambda item: -len(item[1])):
        into = next((general for general in folded if _covers(general, key)), key)
        folded.setdefault(into, []).extend(words)
    return folded


def _covers(general: _ShapeKey, specific: _ShapeKey) -> bool:
    (host, slots, slash), (other_host, other_slots, other_slash) = general, specific
    return (host, slash, len(slots)) == (other_host, other_slash, len(other_slots)) and all(
        mine == theirs or (mine == _ANY_SEGMENT and theirs == _WORD_SLOT)
        for mine, theirs in zip(slots, other_slots, strict=True)
    )


def _shape(url: str) -> tuple[_ShapeKey, tuple[str, ...]] | None:
    """A URL's shape key (host, a regex or a word slot per path segment, trailing slash) and
    the words in its word slots; None for a path without an article-like segment."""
    parts = urlsplit(url)
    segments = [segment for segment in parts.path.split("/") if segment]
    if any(segment.lower() in NON_ARTICLE_WORDS for segment in segments):
        return None
    tokens = [_segment_regex(segment) for segment in segments]
    if all(regex is None for regex in tokens):
        return None  # "/", "/news/", "/about/us/": sections, not articles
    host = _bare_host(parts) + (f":{parts.port}" if parts.port else "")
    slots = tuple(_WORD_SLOT if regex is None else regex for regex in tokens)
    words = tuple(s if regex is None else "" for s, regex in zip(segments, tokens, strict=True))
    return (host, slots, parts.path.endswith("/")), words


def _segment_regex(segment: str) -> str | None:
    """The regex of a variable path segment (a date part, an id, a slug); None for a word,
    which stays literal (``news``, ``world``)."""
    extension = _EXTENSION.match(segment)
    stem = extension["stem"] if extension else segment
    suffix = re.escape(extension["ext"]) if extension else ""
    if not suffix and _WORD.match(stem):
        return None
    if re.fullmatch(r"(?:19|20)\d\d", stem):
        return r"\d{4}" + suffix
    if re.fullmatch(r"\d{1,2}", stem, re.ASCII):
        return r"\d{1,2}" + suffix
    if re.fullmatch(r"\d+", stem, re.ASCII):
        return r"\d+" + suffix
    id_suffix = _ID_SUFFIX.search(stem)
    if id_suffix:
        return _ANY_SEGMENT + id_suffix[1] + r"\d+" + suffix  # "-" and "_" need no escape
    return _ANY_SEGMENT + suffix


def _regex(key: _ShapeKey, words: list[tuple[str, ...]]) -> str:
    host, slots, slash = key
    parts = [
        _alternatives(sorted({w[position] for w in words})) if slot == _WORD_SLOT else slot
        for position, slot in enumerate(slots)
    ]
    return re.escape(host) + "/" + "/".join(parts) + ("/" if slash else "") + _URL_END


def _alternatives(words: list[str]) -> str:
    if len(words) == 1:
        return re.escape(words[0])
    if len(words) <= _MAX_ALTERNATIVES:
        return "(?:" + "|".join(re.escape(word) for word in words) + ")"
    return _ANY_SEGMENT
