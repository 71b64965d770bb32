"""`newsmon outlets add URL`: autodiscovery as pure functions on small snippets, then the
command end to end against the fixture web (127.0.0.1 only)."""

import gzip
import json
import re
import threading
import urllib.request
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.config import load_config
from crawler.config.load import load_outlet
from crawler.config.settings import FetchSettings
from crawler.discovery.autodiscover import (
    COMMON_FEED_PATHS,
    COMMON_SITEMAP_PATHS,
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
    linked_feeds,
    listing_probe,
    outlet_id_for,
    page_language,
    robots_rules,
    site_name,
    sitemap_candidates,
)
from crawler.discovery.documents import SourceKind, parse_document
from crawler.discovery.entry import Entry
from crawler.discovery.sitemaps import parse_sitemap
from crawler.discovery.triage import UrlPolicy, url_key
from crawler.errors import ConfigError, FetchFailed, NoSourceFound, OutletExists, OutletIdUnknown
from fixtureweb import FixtureWeb, article_url
from scheduler.cli import main
from scheduler.cli.outlet_add import homepage_url
from scheduler.outlet_draft import MAX_SITEMAP_DOCUMENTS, Draft, Pacer, Web, draft_outlet
from scheduler.outlet_toml import render_toml, write_new_outlet

SITE = "https://www.example.org/"
NO_DELAY = "[fetch]\ndownload_delay_seconds = 0\n"

# --------------------------------------------------------------------------- the homepage


HOMEPAGE = """<!DOCTYPE html><html lang="en-GB"><head>
<title>Example News — all the news</title>
<meta property="og:site_name" content="Example News">
<link rel="alternate" type="application/rss+xml" title="Comments" href="/comments/feed/">
<link rel="alternate" type="application/rss+xml; charset=utf-8" href="/feed/">
<link rel="Alternate" type="application/atom+xml" href="https://www.example.org/atom.xml">
<link rel="alternate" hreflang="de" href="/de/">
<link rel="alternate" type="application/feed+json" href="feed.json">
<link rel="stylesheet" type="application/rss+xml" href="/not-a-feed">
</head><body></body></html>"""


def test_linked_feeds_in_page_order_with_comment_feeds_last():
    assert linked_feeds(HOMEPAGE, SITE) == [
        ("https://www.example.org/feed/", "application/rss+xml"),
        ("https://www.example.org/atom.xml", "application/atom+xml"),
        ("https://www.example.org/feed.json", "application/feed+json"),
        ("https://www.example.org/comments/feed/", "application/rss+xml"),
    ]


def test_a_base_element_resolves_linked_feeds():
    html = '<html><head><base href="https://cdn.example.org/x/"><link rel="alternate" '
    html += 'type="application/atom+xml" href="atom"></head></html>'
    assert linked_feeds(html, SITE) == [("https://cdn.example.org/x/atom", "application/atom+xml")]


def test_feed_candidates_are_the_linked_feeds_else_the_common_paths():
    linked = feed_candidates(HOMEPAGE, "https://www.example.org/en/")
    assert [c.url for c in linked][:2] == [SITE + "feed/", SITE + "atom.xml"]
    assert linked[0].found_by == "<link rel=alternate type=application/rss+xml> on the homepage"
    common = feed_candidates("<html><head></head></html>", "https://www.example.org/en/")
    assert [c.url for c in common] == [SITE + path.lstrip("/") for path in COMMON_FEED_PATHS]
    assert {c.found_by for c in common} == {"common path"} and {c.kind for c in common} == {"feed"}


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<html lang="en-GB"><head></head></html>', ("en", "<html lang>")),
        ('<html lang="RU"></html>', ("ru", "<html lang>")),
        ('<html xml:lang="uk"></html>', ("uk", "<html xml:lang>")),
        (
            '<html><head><meta http-equiv="Content-Language" content="de"></head></html>',
            ("de", '<meta http-equiv="content-language">'),
        ),
        (
            '<html><head><meta property="og:locale" content="ru_RU"></head></html>',
            ("ru", "og:locale"),
        ),
        ('<html lang="eng"></html>', None),
        ("<html><head><title>x</title></head></html>", None),
    ],
)
def test_the_language_a_page_says(html, expected):
    assert page_language(html) == expected


def test_the_site_name_is_og_site_name_else_the_title():
    assert site_name(HOMEPAGE) == ("Example News", "og:site_name")
    assert site_name("<title>  Холод \n</title>") == ("Холод", "<title>")
    assert site_name("<html></html>") is None


# --------------------------------------------------------------------------- robots.txt, sitemaps


ROBOTS = b"""User-agent: *
Disallow: /private/
Crawl-delay: 4

Sitemap: https://www.example.org/sitemap_index.xml
Sitemap: /sitemaps/news.xml
"""


def test_sitemaps_are_the_robots_lines_news_first_else_the_common_paths():
    listed = sitemap_candidates(ROBOTS, SITE)
    assert [c.url for c in listed] == [
        SITE + "sitemaps/news.xml",
        SITE + "sitemap_index.xml",
    ]
    assert listed[0].found_by == "Sitemap: line in robots.txt"
    common = sitemap_candidates(b"User-agent: *\nDisallow:\n", SITE + "en/")
    assert [c.url for c in common] == [SITE + p.lstrip("/") for p in COMMON_SITEMAP_PATHS]
    assert common[0].url.endswith("/news-sitemap.xml")


def test_crawl_delay_is_read_for_our_user_agent():
    assert robots_rules(ROBOTS.decode()).crawl_delay("newsmon/0.1") == 4.0
    assert robots_rules("User-agent: *\nDisallow:\n").crawl_delay("newsmon/0.1") is None


def test_child_sitemaps_are_read_news_first_then_freshest():
    def child(url: str, day: int | None) -> Entry:
        return Entry(url, published_at=datetime(2026, 11, day, tzinfo=UTC) if day else None)

    children = [
        child("https://e.org/s/undated.xml", None),
        child("https://e.org/s/2026-10.xml", 1),
        child("https://e.org/s/2026-11.xml", 20),
        child("https://e.org/s/news.xml", None),
    ]
    assert [c.url.rsplit("/", 1)[1] for c in children_to_read(children, limit=3)] == [
        "news.xml",
        "2026-11.xml",
        "2026-10.xml",
    ]


def test_a_news_sitemap_is_recognised_by_its_news_entries():
    news = (
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        b' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        b"<url><loc>https://a.example/1</loc><news:news><news:title>T</news:title></news:news>"
        b"</url></urlset>"
    )
    plain = b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://a.example/1</loc></url></urlset>'
    assert parse_sitemap(gzip.compress(news), "https://a.example/").news
    assert not parse_sitemap(plain, "https://a.example/").news


# --------------------------------------------------------------------------- article URL shape


def allowed(pattern: UrlPattern, url: str) -> bool:
    return any(re.search(regex, url) for regex in pattern.allow)


def test_a_dated_slug_shape_becomes_one_allow_rule():
    urls = [
        f"https://www.holod.media/2026/{m:02d}/{d:02d}/story-{d}/" for m, d in ((10, 1), (11, 5))
    ]
    urls += ["https://holod.media/2026/11/30/another-story/?utm_source=rss"]
    pattern = article_pattern(urls)
    assert pattern is not None
    assert pattern.allow == (r"holod\.media/\d{4}/\d{1,2}/\d{1,2}/[^/?#]+/(?:$|[?#])",)
    assert (pattern.matched, pattern.sample) == (3, 3)
    assert allowed(pattern, "https://holod.media/2025/1/9/x/")
    for other in ("https://holod.media/tag/war/", "https://holod.media/2026/11/30/x/comments/"):
        assert not allowed(pattern, other)


def test_numbered_pages_and_id_suffixed_slugs():
    numbered = article_pattern([f"https://ural.example/news/{n}.html" for n in (48240, 48213)])
    assert numbered is not None and numbered.allow == (r"ural\.example/news/\d+\.html(?:$|[?#])",)
    suffixed = article_pattern(
        [f"https://dw.example/en/{slug}/a-{n}" for slug, n in (("x-y", 70415120), ("z", 7041))]
    )
    assert suffixed is not None
    assert suffixed.allow == (r"dw\.example/en/[^/?#]+/[^/?#]+-\d+(?:$|[?#])",)


def test_sections_become_alternatives_and_navigation_is_left_out():
    urls = [
        "https://e.org/world/deserter-jailed-1894610",
        "https://e.org/world/court-sentences-1894620",
        "https://e.org/business/ruble-slides-1894350",
        "https://e.org/tag/army-news/",
        "https://e.org/author/jane-roe/",
        "https://e.org/about/",
        "https://e.org/",
        "https://e.org/world/",
    ]
    pattern = article_pattern(urls)
    assert pattern is not None
    assert pattern.allow == (r"e\.org/(?:business|world)/[^/?#]+-\d+(?:$|[?#])",)
    assert (pattern.matched, pattern.sample) == (3, 8)


def test_a_minor_second_shape_gets_its_own_rule_a_stray_url_does_not():
    urls = [f"https://e.org/2026/11/story-{n}/" for n in range(8)]
    urls += [f"https://e.org/live/blog-{n}" for n in (20561, 20562)]
    urls += ["https://e.org/special/one-off.html"]
    pattern = article_pattern(urls)
    assert pattern is not None
    assert pattern.allow == (
        r"e\.org/\d{4}/\d{1,2}/[^/?#]+/(?:$|[?#])",
        r"e\.org/live/[^/?#]+-\d+(?:$|[?#])",
    )


def test_no_shape_without_two_article_like_urls():
    assert article_pattern(["https://e.org/2026/11/story/"]) is None
    assert (
        article_pattern(["https://e.org/", "https://e.org/news/", "https://e.org/about/"]) is None
    )


def test_deny_rules_keep_only_what_no_article_matches():
    denied = deny_rules(["https://e.org/video/2026/clip-1/", "https://e.org/2026/11/story/"])
    assert "/video/" not in denied and "/tags?/" in denied and "/live/" in denied


def test_the_homepage_as_a_listing_needs_three_article_links():
    home = Candidate("listing", SITE, "the homepage's links")
    links = [f"https://e.org/news/2026/11/30/story-{n}/" for n in range(3)]
    assert listing_probe(home, [*links, "https://e.org/about/"]).usable
    few = listing_probe(home, links[:2])
    assert not few.usable and few.problem == "only 2 of its 2 links look like articles"


# --------------------------------------------------------------------------- choosing, identity


def probe(kind: str, url: str, entries: int, news: bool = False) -> Probe:
    candidate = Candidate(kind, url, "test")  # type: ignore[arg-type]
    urls = tuple(f"{url}#{n}" for n in range(entries))
    return Probe(candidate, urls, None if entries else "lists no entries", news)


def test_a_feed_and_a_news_sitemap_are_chosen_else_the_first_usable_sitemap():
    empty_feed, feed = probe("feed", "f0", 0), probe("feed", "f1", 5)
    index, news = probe("sitemap", "index", 9), probe("sitemap", "news", 4, news=True)
    assert choose_sources([empty_feed, feed], [index, news]) == [feed, news]
    assert choose_sources([empty_feed], [probe("sitemap", "s0", 0), index]) == [index]
    assert choose_sources([empty_feed], [probe("sitemap", "s0", 0)]) == []


@pytest.mark.parametrize(
    ("url", "outlet_id"),
    [
        ("https://holod.media/", "holod"),
        ("https://www.bbc.co.uk/russian", "bbc"),
        ("https://ru.euronews.com/", "ru-euronews"),
        ("https://www.kyivindependent.com/", "kyivindependent"),
        ("http://127.0.0.1:8123/", "127-0-0-1-8123"),
        ("http://localhost/", "localhost"),
    ],
)
def test_the_outlet_id_comes_from_the_host(url, outlet_id):
    assert outlet_id_for(url) == outlet_id


def test_domains_drop_www_and_subdomains_already_covered():
    articles = ["https://www.dw.com/en/x/a-1", "https://amp.dw.com/a-2", "https://dw.de/b"]
    assert domains_for("https://www.dw.com/en/", articles) == ["dw.com", "dw.de"]


# --------------------------------------------------------------------------- writing the file


def draft(**changes: object) -> Draft:
    feed = probe("feed", "https://e.org/feed/", 2)
    values: dict[str, object] = {
        "outlet_id": "e",
        "homepage": "https://e.org/",
        "name": ('The "E" Times', "<title>"),
        "language": ("en", "<html lang>"),
        "robots": "HTTP 200, 0 Sitemap: lines",
        "crawl_delay_seconds": 4.0,
        "probes": (probe("feed", "https://e.org/rss", 0), feed),
        "sources": (feed,),
        "pattern": UrlPattern((r"e\.org/it's/\d+",), 2, 2),
        "domains": ("e.org",),
        "deny": ("/tags?/",),
    }
    return Draft(**{**values, **changes})  # type: ignore[arg-type]


def test_the_rendered_file_says_what_was_found_and_loads(tmp_path):
    text = render_toml(draft(), date(2026, 11, 30))
    assert "# found: https://e.org/feed/ (test): 2 entries" in text
    assert "#   https://e.org/rss (test): lists no entries" in text
    assert "# robots.txt asks for Crawl-delay: 4" in text
    path = tmp_path / "e.toml"
    path.write_text(text)
    outlet = load_outlet(path)
    assert outlet.name == 'The "E" Times' and outlet.urls.allow == [r"e\.org/it's/\d+"]
    assert outlet.fetch.download_delay_seconds == 4.0 and outlet.fetch.obey_robots_txt


def test_an_invalid_draft_leaves_nothing_behind(tmp_path):
    text = render_toml(draft(language=("eng", "--language")), date(2026, 11, 30))
    with pytest.raises(ConfigError) as caught:
        write_new_outlet(tmp_path, "e", text)
    assert caught.value.path == str(tmp_path / "e.toml") and caught.value.field == "language"
    assert list(tmp_path.iterdir()) == []


def test_an_existing_file_is_never_replaced(tmp_path):
    (tmp_path / "e.toml").write_text("# mine\n")
    with pytest.raises(OutletExists):
        write_new_outlet(tmp_path, "e", render_toml(draft(), date(2026, 11, 30)))
    assert (tmp_path / "e.toml").read_text() == "# mine\n"
    assert [p.name for p in tmp_path.iterdir()] == ["e.toml"]


# --------------------------------------------------------------------------- end to end


@pytest.fixture(scope="module")
def web():
    with FixtureWeb() as fixture:
        yield fixture


def add(config_dir: Path, url: str, *options: str):
    return CliRunner().invoke(main, ["outlets", "add", url, "--config", str(config_dir), *options])


def listed_urls(kind: SourceKind, url: str) -> list[str]:
    """The article URLs a fixture document lists, read with the project's own parsers."""
    with urllib.request.urlopen(url, timeout=10) as response:
        body, content_type = response.read(), response.headers["Content-Type"]
    found = parse_document(kind, url, body, text=None, content_type=content_type, max_bytes=10**7)
    return [entry.url for entry in found.entries]


@pytest.mark.parametrize(
    ("outlet_id", "feed_path", "media_type"),
    [
        ("steppe-herald", "/feed/", "application/rss+xml"),
        ("dnipro-digest", "/feed.json", "application/feed+json"),  # at no common path
    ],
)
def test_a_linked_feed_is_found_and_its_articles_allowed(
    web, make_config_dir, outlet_id, feed_path, media_type
):
    config = make_config_dir(outlets={})
    base = web.base_url(outlet_id)
    result = add(config, base + "/", "--id", outlet_id)
    assert result.exit_code == 0, result.output
    path = config / "outlets" / f"{outlet_id}.toml"
    assert f"wrote {path}" in result.stdout
    assert f"next: newsmon outlets check {outlet_id}" in result.stdout
    text = path.read_text()
    assert (
        f"# found: {base}{feed_path} (<link rel=alternate type={media_type}> on the homepage)"
        in text
    )
    outlet = load_config(config).outlets[outlet_id]
    assert [(s.kind, s.url) for s in outlet.sources] == [("feed", base + feed_path)]
    assert outlet.language == ("uk" if outlet_id == "dnipro-digest" else "en")
    policy = UrlPolicy.for_outlet(outlet)
    assert all(
        policy.rejects(url_key(url)) is None for url in listed_urls("feed", base + feed_path)
    )


def test_a_sitemap_listed_only_in_robots_txt_is_found_news_sitemap_preferred(web, make_config_dir):
    config = make_config_dir(outlets={})
    base = web.base_url("capital-observer")
    result = add(config, base, "--id", "capital")  # no path: the site's root
    assert result.exit_code == 0, result.output
    assert "Sitemap: line in robots.txt" in result.stdout
    text = (config / "outlets" / "capital.toml").read_text()
    news = f"{base}/sitemaps/news.xml"
    assert f"# found: {news} (listed in {base}/sitemap_index.xml): Google News sitemap" in text
    outlet = load_config(config).outlets["capital"]
    assert [(s.kind, s.url) for s in outlet.sources] == [("sitemap", news)]
    policy = UrlPolicy.for_outlet(outlet)
    verdicts = {url: policy.rejects(url_key(url)) for url in listed_urls("sitemap", news)}
    # the draft robots.txt disallows is no article; every other URL is
    assert [u for u, why in verdicts.items() if why] == [f"{base}{p}" for p in private(web)]


def private(web: FixtureWeb) -> list[str]:
    articles = web.articles_for("capital-observer")
    return [a.path for a in articles if a.expect == "robots_blocked"]


def test_homepage_links_make_a_listing_when_there_is_no_feed_or_sitemap(web, make_config_dir):
    config = make_config_dir(outlets={})
    result = add(config, web.base_url("volga-bulletin") + "/")
    assert result.exit_code == 0, result.output
    written = (
        config
        / "outlets"
        / "127-0-0-1-{}.toml".format(web.base_url("volga-bulletin").rsplit(":", 1)[1])
    )
    outlet = load_outlet(written)
    assert [s.kind for s in outlet.sources] == ["listing"] and outlet.sources[0].max_pages == 1
    policy = UrlPolicy.for_outlet(outlet)
    for article in web.articles_for("volga-bulletin"):
        assert policy.rejects(url_key(article_url(web, article))) is None
    assert policy.rejects(web.base_url("volga-bulletin") + "/tag/army/")


def test_nothing_usable_exits_1_and_writes_nothing(make_config_dir):
    config = make_config_dir(outlets={})
    with FixtureWeb(articles=[]) as empty:  # a linked feed that lists nothing, no links
        result = add(config, empty.base_url("steppe-herald") + "/", "--id", "steppe")
    assert result.exit_code == 1, result.output
    assert "lists no entries" in result.stdout
    assert "found no feed, sitemap or listing of articles" in result.stderr
    assert "Traceback" not in result.output
    assert list((config / "outlets").iterdir()) == []


def test_an_unreachable_site_exits_1(web, make_config_dir):
    config = make_config_dir(outlets={})
    result = add(config, f"http://127.0.0.1:{web.dead_port}/", "--id", "dead")
    assert result.exit_code == 1 and "cannot fetch" in result.stderr
    assert list((config / "outlets").iterdir()) == []


def test_an_existing_config_is_refused_before_anything_is_fetched(web, make_config_dir):
    config = make_config_dir(outlets={"steppe-herald": "# a maintainer's file\n"})
    before = len(web.requests_for("steppe-herald"))
    result = add(config, web.base_url("steppe-herald") + "/", "--id", "steppe-herald")
    assert result.exit_code == 2
    assert "steppe-herald.toml exists already" in result.stderr and "--id" in result.stderr
    assert (config / "outlets" / "steppe-herald.toml").read_text() == "# a maintainer's file\n"
    assert len(web.requests_for("steppe-herald")) == before


@pytest.mark.parametrize(
    "options", [("--id", "Not_An_Id"), ("--language", "english"), ("--language", "EN")]
)
def test_bad_options_are_usage_errors(web, make_config_dir, options):
    config = make_config_dir(outlets={})
    result = add(config, web.base_url("steppe-herald") + "/", *options)
    assert result.exit_code == 2 and list((config / "outlets").iterdir()) == []


def test_the_language_option_overrides_the_page(web, make_config_dir):
    config = make_config_dir(outlets={})
    result = add(config, web.base_url("ural-vestnik"), "--id", "ural", "--language", "uk")
    assert result.exit_code == 0, result.output
    assert load_outlet(config / "outlets" / "ural.toml").language == "uk"
    assert "language uk from --language" in (config / "outlets" / "ural.toml").read_text()


def test_outlets_check_finds_articles_with_the_written_config(web, make_config_dir):
    config = make_config_dir(outlets={}, settings=NO_DELAY)
    assert add(config, web.base_url("steppe-herald") + "/", "--id", "steppe").exit_code == 0
    check = ["outlets", "check", "steppe", "--config", str(config), "--sample", "1", "--json"]
    result = CliRunner().invoke(main, check)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["ok"] and report["sources"][0]["entries"] > 0
    assert report["run"]["discovered"] > 0 and len(report["articles"]) == 1


# --------------------------------------------------------------------------- review findings

UA = "newsmon/0.1 (+https://github.com/newsmon/newsmon; topic news monitor)"


class TinySite:
    """One host on 127.0.0.1: fixed answers by path (query included), 404 for any other
    path, and the paths asked, in order."""

    def __init__(self) -> None:
        self.answers: dict[str, tuple[int, str, bytes, dict[str, str]]] = {}
        self.asked: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                """Quiet."""

            def do_GET(self) -> None:
                site.asked.append(self.path)
                missing = (404, "text/plain", b"not here", {})
                status, content_type, body, headers = site.answers.get(self.path, missing)
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.01,))
        self.base = f"http://127.0.0.1:{self._server.server_address[1]}"

    def serve(
        self,
        path: str,
        body: str = "",
        status: int = 200,
        content_type: str = "text/html; charset=utf-8",
        **headers: str,
    ) -> None:
        self.answers[path] = (status, content_type, body.encode(), headers)

    def __enter__(self) -> "TinySite":
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


@pytest.fixture
def site():
    with TinySite() as tiny:
        yield tiny


@pytest.fixture
def other_site():
    with TinySite() as tiny:
        yield tiny


class FakeTime:
    """A clock that moves only when slept on: the waits a Pacer asks for, without waiting."""

    def __init__(self) -> None:
        self.now = 0.0
        self.waits: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


def homepage_html(feeds: tuple[str, ...] = ()) -> str:
    """A homepage in English that links the given feeds and three dated articles."""
    links = "".join(
        f'<link rel="alternate" type="application/rss+xml" href="{feed}">' for feed in feeds
    )
    stories = "".join(f'<a href="/2026/11/story-{n}/">Story {n}</a>' for n in range(3))
    return f'<html lang="en"><head><title>Tiny</title>{links}</head><body>{stories}</body></html>'


def rss(urls: list[str]) -> str:
    items = "".join(f"<item><title>{url}</title><link>{url}</link></item>" for url in urls)
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'
    )


def index(urls: list[str]) -> str:
    listed = "".join(f"<sitemap><loc>{url}</loc></sitemap>" for url in urls)
    return (
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{listed}</sitemapindex>'
    )


# 1. a redirect to another scheme


@pytest.mark.parametrize(
    "target", ["ftp://127.0.0.1/feed", "file:///etc/passwd", "gopher://127.0.0.1/"]
)
def test_a_redirect_to_another_scheme_is_one_line_not_a_traceback(site, make_config_dir, target):
    site.serve("/", status=302, Location=target)
    config = make_config_dir(outlets={})
    result = add(config, site.base + "/", "--id", "moved")
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit) and "Traceback" not in result.output
    assert f"error: cannot fetch {site.base}/: HTTP 302" in result.stderr
    assert target in result.stderr and len(result.stderr.splitlines()) == 2  # + the advice
    assert list((config / "outlets").iterdir()) == []


def test_a_feed_redirecting_to_ftp_is_a_candidate_not_used(site):
    site.serve("/", homepage_html(feeds=("/feed/",)))
    site.serve("/feed/", status=302, Location="ftp://127.0.0.1/feed")
    probes: list[Probe] = []
    drafted = draft_outlet(site.base + "/", "tiny", Web(FetchSettings()), on_probe=probes.append)
    feed = next(probe for probe in probes if probe.candidate.kind == "feed")
    assert feed.problem == "HTTP 302 redirects to ftp://127.0.0.1/feed, not http(s)"
    assert [s.candidate.kind for s in drafted.sources] == ["listing"]


def test_fetch_errors_of_every_kind_are_fetch_failed(site):
    web = Web(FetchSettings())
    site.serve("/loop", status=302, Location="/loop")
    with pytest.raises(FetchFailed, match=r"HTTP 302 not followed: .*infinite loop"):
        web.get(site.base + "/loop")
    with pytest.raises(FetchFailed, match="not an http\\(s\\) address"):
        web.get("ftp://127.0.0.1/feed")
    assert web.get(site.base + "/missing").status == 404  # a status is an answer, not an error


# 2. robots.txt: Protego, one per host


def test_robots_txt_wildcards_and_a_fractional_crawl_delay_are_honoured():
    text = "User-agent: *\nDisallow: /*/feed/\nDisallow: /*.xml$\nCrawl-delay: 1.5\n"
    rules = robots_rules(text)
    assert not rules.can_fetch("https://e.org/news/feed/", UA)
    assert not rules.can_fetch("https://e.org/sitemap.xml", UA)
    assert rules.can_fetch("https://e.org/sitemap.xml.gz", UA)
    assert rules.can_fetch("https://e.org/feed/", UA)
    assert robots_rules(text).crawl_delay(UA) == 1.5
    assert robots_rules("User-agent: *\nCrawl-delay: soon\n").crawl_delay(UA) is None


def test_each_host_is_probed_by_its_own_robots_txt_and_crawl_delay(site, other_site):
    home, other = site.base, other_site.base
    site.serve("/robots.txt", "User-agent: *\nDisallow: /*/feed/\n", content_type="text/plain")
    feeds = (f"{home}/news/feed/", f"{other}/feed.xml", f"{other}/rss")
    site.serve("/", homepage_html(feeds))
    robots = "User-agent: *\nDisallow: /*.xml$\nCrawl-delay: 1.5\n"
    other_site.serve("/robots.txt", robots, content_type="text/plain")
    articles = [f"{home}/2026/11/story-{n}/" for n in range(3)]
    other_site.serve("/rss", rss(articles), content_type="application/rss+xml")
    fake = FakeTime()
    pacer = Pacer(fake.sleep, fake.clock)
    drafted = draft_outlet(home + "/", "tiny", Web(FetchSettings()), pacer=pacer)
    assert [s.candidate.url for s in drafted.sources] == [f"{other}/rss"]
    refused = [p.candidate.url for p in drafted.probes if p.problem == "robots.txt disallows it"]
    assert refused == [f"{home}/news/feed/", f"{other}/feed.xml"]
    assert "/news/feed/" not in site.asked and site.asked.count("/robots.txt") == 1
    assert other_site.asked == ["/robots.txt", "/rss"]  # its robots.txt once, then the feed
    assert fake.waits == [1.5]  # the feed waited for the other host's delay; home has none
    assert drafted.crawl_delay_seconds is None  # the homepage's host asks for none


def test_a_host_past_the_robots_txt_limit_is_not_requested(site, other_site, monkeypatch):
    monkeypatch.setattr("scheduler.outlet_draft.MAX_ROBOTS_HOSTS", 1)
    site.serve("/", homepage_html(feeds=(f"{other_site.base}/rss",)))
    probes: list[Probe] = []
    draft_outlet(site.base + "/", "tiny", Web(FetchSettings()), on_probe=probes.append)
    assert other_site.asked == []
    assert probes[0].problem == "not read: robots.txt is read on at most 1 hosts per run"


def test_the_pacer_waits_only_what_is_left_of_a_hosts_delay():
    fake = FakeTime()
    pacer = Pacer(fake.sleep, fake.clock)
    pacer.turn("a", 1.5)  # a first request never waits
    fake.now += 1.0
    pacer.turn("a", 1.5)
    pacer.turn("b", 1.5)  # another host: its own first request
    pacer.turn("a", None)
    assert fake.waits == [0.5]


# 3. the outlet id


def test_a_non_ascii_host_gives_its_idna_name_as_id():
    assert outlet_id_for("https://президент.рф/") == "xn--d1abbgf6aiiy"
    assert outlet_id_for("https://www.ПРЕЗИДЕНТ.рф./news") == "xn--d1abbgf6aiiy"


@pytest.mark.parametrize("url", ["http://_/", "http://-.example/", "http://" + "a" * 70 + ".com/"])
def test_a_host_that_gives_no_valid_id_raises(url):
    with pytest.raises(OutletIdUnknown):
        outlet_id_for(url)


def test_without_a_valid_id_the_command_asks_for_one_before_fetching(make_config_dir, monkeypatch):
    def fetch(*args: object) -> None:
        raise AssertionError("nothing may be fetched")

    monkeypatch.setattr(Web, "get", fetch)
    config = make_config_dir(outlets={})
    result = add(config, "http://_/")
    assert result.exit_code == 2, result.output
    assert "cannot make an outlet id from the host of http://_/" in result.stderr
    assert "give one with --id" in result.stderr and "Traceback" not in result.output


# 4. the homepage URL


@pytest.mark.parametrize(
    ("given", "url"),
    [
        ("holod.media", "https://holod.media/"),
        ("holod.media?lang=ru", "https://holod.media/?lang=ru"),
        (" https://holod.media/ru/?a=1&b=2 ", "https://holod.media/ru/?a=1&b=2"),
        ("http://127.0.0.1:8123", "http://127.0.0.1:8123/"),
        ("ftp://holod.media/", None),
    ],
)
def test_the_homepage_argument_keeps_its_query(given, url):
    assert homepage_url(given) == url


def test_a_homepage_with_a_query_is_fetched_and_written_with_it(site, make_config_dir):
    site.serve("/?lang=en", homepage_html())
    config = make_config_dir(outlets={})
    result = add(config, site.base + "?lang=en", "--id", "tiny")
    assert result.exit_code == 0, result.output
    assert site.asked[0] == "/?lang=en"
    assert load_outlet(config / "outlets" / "tiny.toml").homepage == site.base + "/?lang=en"


# 5, 6. writing the delay and the name


@pytest.mark.parametrize("delay", [0.25, 0.125, 1.5, 4.0, 2.675])
def test_the_crawl_delay_is_written_exactly(tmp_path, delay):
    text = render_toml(draft(crawl_delay_seconds=delay), date(2026, 11, 30))
    path = tmp_path / "e.toml"
    path.write_text(text)
    assert load_outlet(path).fetch.download_delay_seconds == delay


@pytest.mark.parametrize(
    "name", ["Caf\x7f News", "Bell\x07\x00 Times\x1b", 'Tab\tand "quotes", \\ and\r\nlines']
)
def test_control_characters_in_a_scraped_name_are_escaped(tmp_path, name):
    text = render_toml(draft(name=(name, "<title>")), date(2026, 11, 30))
    path = tmp_path / "e.toml"
    path.write_text(text, encoding="utf-8")
    assert load_outlet(path).name == name


# 7. sitemap fan-out


def test_sitemap_documents_are_capped_per_run_and_paced_by_crawl_delay(site):
    sitemaps = [f"/s{i}.xml" for i in range(1, 6)]
    robots = "User-agent: *\nCrawl-delay: 0.5\n" + "".join(
        f"Sitemap: {site.base}{path}\n" for path in sitemaps
    )
    site.serve("/robots.txt", robots, content_type="text/plain")
    site.serve("/", '<html lang="en"><head><title>Tiny</title></head><body></body></html>')
    level = sitemaps
    for _ in range(3):  # every index lists five more: 5 + 25 + 125 documents
        below = []
        for path in level:
            children = [f"{path.removesuffix('.xml')}-{j}.xml" for j in range(1, 6)]
            site.serve(path, index([site.base + c for c in children]), content_type="text/xml")
            below += children
        level = below
    fake = FakeTime()
    probes: list[Probe] = []
    with pytest.raises(NoSourceFound):
        draft_outlet(
            site.base + "/",
            "tiny",
            Web(FetchSettings()),
            on_probe=probes.append,
            pacer=Pacer(fake.sleep, fake.clock),
        )
    asked = [path for path in site.asked if path.startswith("/s")]
    assert len(asked) == MAX_SITEMAP_DOCUMENTS == 10
    assert asked[:3] == ["/s1.xml", "/s1-1.xml", "/s1-1-1.xml"]
    top = next(p for p in probes if p.candidate.url == site.base + "/s1.xml")
    assert top.detail == "index: 2 of its 5 sitemaps read (at most 10 sitemaps are read in all)"
    skipped = [
        p.candidate.url.rsplit("/", 1)[1]
        for p in probes
        if p.problem and p.problem.startswith("not read")
    ]
    assert skipped == ["s2.xml", "s3.xml", "s4.xml", "s5.xml"]
    # every request after robots.txt waited the delay: the common feed paths and the sitemaps
    assert site.asked[:2] == ["/", "/robots.txt"]
    assert fake.waits == [0.5] * (len(site.asked) - 2)


# 8. which hosts the article URLs and domains come from


def test_article_urls_on_other_hosts_are_left_out_unless_none_is_on_the_site():
    home = "https://www.dw.com/en/"
    on_site = ["https://www.dw.com/en/x/a-1", "https://amp.dw.com/a-2"]
    elsewhere = ["https://t.me/dw/1", "https://dw.de/b"]
    assert article_sample(home, [*on_site, *elsewhere]) == on_site
    assert domains_for(home, article_sample(home, [*on_site, *elsewhere])) == ["dw.com"]
    assert article_sample(home, elsewhere) == elsewhere
    assert domains_for(home, article_sample(home, elsewhere)) == ["dw.com", "dw.de", "t.me"]
