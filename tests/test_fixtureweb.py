"""Behavioural tests of the fixture web (tests/fixtureweb) itself, over real HTTP on 127.0.0.1."""

from __future__ import annotations

import gzip
import json
import re
import threading
import tomllib
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import Message
from html.parser import HTMLParser
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit

import feedparser
import pytest

from fixtureweb import (
    ARTICLES,
    DEAD_OUTLET,
    EXPECTS,
    OUTLETS,
    Article,
    Fault,
    FixtureWeb,
    article_url,
    articles_for,
)

DISCOVERY_TYPES = {
    "steppe-herald": "application/rss+xml",
    "borderland-press": "application/atom+xml",
    "rhine-wire": "application/rdf+xml",
    "capital-observer": "text/plain",
    "volga-bulletin": "text/html",
    "ural-vestnik": "application/rss+xml",
    "dnipro-digest": "application/feed+json",
    "broken-feeds": "application/rss+xml",
}
NOT_IN_FEEDS = ("robots_blocked", "too_old")


@dataclass
class Reply:
    status: int
    headers: Message
    body: bytes


def fetch(url: str, headers: dict[str, str] | None = None, method: str = "GET") -> Reply:
    """One urllib request; HTTP error statuses come back as a Reply too."""
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return Reply(response.status, response.headers, response.read())
    except HTTPError as error:
        try:
            return Reply(error.code, error.headers, error.read())
        finally:
            error.close()


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def page_text(markup: str) -> str:
    """The visible text of an HTML page, whitespace collapsed."""
    collector = _TextCollector()
    collector.feed(markup)
    return norm(" ".join(collector.parts))


def norm(text: str) -> str:
    return " ".join(text.split())


def feed_paths(entries: list[dict[str, str]]) -> set[str]:
    return {urlsplit(e["link"]).path for e in entries if e.get("link")}


def expected_feed_paths(web: FixtureWeb, outlet_id: str) -> set[str]:
    return {a.path for a in web.articles_for(outlet_id) if a.expect not in NOT_IN_FEEDS}


@pytest.fixture(scope="module")
def web() -> Iterator[FixtureWeb]:
    """A shared, read-only fixture web (tests that change it use `fresh_web`)."""
    with FixtureWeb() as running:
        yield running


@pytest.fixture
def fresh_web() -> Iterator[FixtureWeb]:
    with FixtureWeb() as running:
        yield running


# --------------------------------------------------------------------------- content model


def test_article_set_covers_every_case() -> None:
    counts = Counter(a.expect for a in ARTICLES)
    assert set(counts) == EXPECTS
    assert 30 <= len(ARTICLES) <= 45
    assert counts["near_topic"] >= 5 and counts["off_topic"] >= 5
    on_topic = Counter(a.language for a in ARTICLES if a.expect == "on_topic")
    assert on_topic["en"] > sum(on_topic.values()) / 2
    assert on_topic["ru"] >= 2 and on_topic["uk"] >= 1 and on_topic["de"] >= 1
    assert len({(a.outlet_id, a.path) for a in ARTICLES}) == len(ARTICLES)
    assert set(OUTLETS) == {a.outlet_id for a in ARTICLES}


@pytest.mark.parametrize("article", [a for a in ARTICLES if a.paragraphs], ids=lambda a: a.path)
def test_bodies_are_news_sized_and_recent(article: Article) -> None:
    words = sum(len(p.split()) for p in article.paragraphs)
    assert 4 <= len(article.paragraphs) <= 10 and 150 <= words <= 700
    age = datetime.now(UTC) - article.published_at
    if article.expect == "too_old":
        assert timedelta(days=390) < age < timedelta(days=410)
    else:
        assert timedelta(0) <= age < timedelta(days=6)
    assert article.published_at.utcoffset() is not None
    assert not any(norm(f) in norm(" ".join(article.paragraphs)) for f in article.furniture)


def test_republications_repeat_the_original_word_for_word_or_lightly_edited() -> None:
    kinds = []
    for copy in (a for a in ARTICLES if a.expect == "duplicate"):
        outlet_id, path = (copy.duplicate_of or "").split(":", 1)
        original = next(a for a in ARTICLES if (a.outlet_id, a.path) == (outlet_id, path))
        assert copy.outlet_id != original.outlet_id and copy.story == original.story
        edited = sum(c != o for c, o in zip(copy.paragraphs, original.paragraphs, strict=True))
        kinds.append("verbatim" if edited == 0 else "edited")
        if edited == 0:
            assert "Capital Observer" in " ".join(copy.paragraphs)
    assert sorted(kinds) == ["edited", "verbatim"]


def test_labelled_stories_span_outlets_and_languages() -> None:
    stories: dict[str, list[Article]] = {}
    for article in ARTICLES:
        if article.story:
            stories.setdefault(article.story, []).append(article)
    pskov = stories["pskov-trial"]
    assert len({a.outlet_id for a in pskov}) == 4 and {a.language for a in pskov} == {"en", "ru"}
    assert sum(len(reports) == 1 for reports in stories.values()) >= 3  # unrelated trials


def test_new_articles_differ_by_seq(fresh_web: FixtureWeb) -> None:
    for outlet_id in fresh_web.outlet_ids:
        for on_topic in (True, False):
            made = [fresh_web.new_article(outlet_id, on_topic=on_topic, seq=s) for s in range(6)]
            assert len({a.path for a in made}) == 6
            assert len({a.title for a in made}) == 6
            assert len({a.paragraphs for a in made}) == 6
            assert all(a.language == OUTLETS[outlet_id].language for a in made)


# --------------------------------------------------------------------------- serving


@pytest.mark.parametrize("outlet_id", list(OUTLETS))
def test_each_outlet_serves_its_discovery_document(web: FixtureWeb, outlet_id: str) -> None:
    reply = fetch(web.base_url(outlet_id) + OUTLETS[outlet_id].discovery_path)
    assert reply.status == 200
    assert reply.headers.get_content_type() == DISCOVERY_TYPES[outlet_id]
    assert reply.headers["ETag"] and reply.headers["Last-Modified"]
    assert fetch(web.base_url(outlet_id) + "/robots.txt").status == 200


def test_unknown_paths_are_404_and_head_has_no_body(web: FixtureWeb) -> None:
    base = web.base_url("steppe-herald")
    assert fetch(base + "/no/such/page/").status == 404
    gone = next(a for a in ARTICLES if a.expect == "gone")
    assert fetch(article_url(web, gone)).status == 404
    head = fetch(base + "/feed/", method="HEAD")
    assert head.status == 200 and head.body == b""
    assert int(head.headers["Content-Length"]) == len(fetch(base + "/feed/").body)


@pytest.mark.parametrize(
    ("outlet_id", "path"),
    [
        ("steppe-herald", "/feed/"),
        ("rhine-wire", "/rdf/news.rdf"),
        ("dnipro-digest", "/feed.json"),
        ("capital-observer", "/sitemaps/news.xml"),
        ("capital-observer", "/sitemaps/archive.xml.gz"),
        ("capital-observer", "/robots.txt"),
        ("volga-bulletin", "/news/"),
    ],
)
def test_repeated_conditional_request_gets_304(web: FixtureWeb, outlet_id: str, path: str) -> None:
    url = web.base_url(outlet_id) + path
    first = fetch(url)
    by_etag = fetch(url, {"If-None-Match": first.headers["ETag"]})
    by_date = fetch(url, {"If-Modified-Since": first.headers["Last-Modified"]})
    assert (first.status, by_etag.status, by_date.status) == (200, 304, 304)
    assert by_etag.body == b"" and by_etag.headers["ETag"] == first.headers["ETag"]
    assert fetch(url, {"If-None-Match": '"something-else"'}).status == 200


def test_feeds_are_gzipped_on_request(web: FixtureWeb) -> None:
    url = web.base_url("rhine-wire") + "/rdf/news.rdf"
    plain = fetch(url)
    zipped = fetch(url, {"Accept-Encoding": "gzip, deflate"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert plain.headers["Content-Encoding"] is None
    assert gzip.decompress(zipped.body) == plain.body
    again = fetch(url, {"Accept-Encoding": "gzip", "If-None-Match": zipped.headers["ETag"]})
    assert again.status == 304


def test_archive_sitemap_is_raw_gzip_with_an_old_entry(web: FixtureWeb) -> None:
    reply = fetch(
        web.base_url("capital-observer") + "/sitemaps/archive.xml.gz", {"Accept-Encoding": "gzip"}
    )
    assert reply.headers.get_content_type() == "application/x-gzip"
    assert reply.headers["Content-Encoding"] is None
    xml = gzip.decompress(reply.body).decode()
    old = next(a for a in ARTICLES if a.expect == "too_old")
    assert article_url(web, old) in xml
    assert f"<lastmod>{old.published_at.isoformat()}</lastmod>" in xml
    assert "/private/" not in xml


def test_robots_lists_sitemap_index_and_news_sitemap(web: FixtureWeb) -> None:
    base = web.base_url("capital-observer")
    robots = fetch(base + "/robots.txt").body.decode()
    assert f"Sitemap: {base}/sitemap_index.xml" in robots and "Disallow: /private/" in robots
    index = fetch(base + "/sitemap_index.xml").body.decode()
    assert f"{base}/sitemaps/news.xml" in index and f"{base}/sitemaps/archive.xml.gz" in index
    news = fetch(base + "/sitemaps/news.xml").body.decode()
    blocked = next(a for a in ARTICLES if a.expect == "robots_blocked")
    assert article_url(web, blocked) in news and "<news:publication_date>" in news
    assert re.search(r"<news:publication_date>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d<", news)


@pytest.mark.parametrize(
    "outlet_id", ["steppe-herald", "borderland-press", "rhine-wire", "ural-vestnik"]
)
def test_feeds_parse_with_feedparser(web: FixtureWeb, outlet_id: str) -> None:
    url = web.base_url(outlet_id) + OUTLETS[outlet_id].discovery_path
    parsed = feedparser.parse(fetch(url).body)
    assert not parsed.bozo
    assert feed_paths(parsed.entries) >= expected_feed_paths(web, outlet_id)


def test_rhine_feed_has_tracking_links_and_an_amp_variant(web: FixtureWeb) -> None:
    parsed = feedparser.parse(fetch(web.base_url("rhine-wire") + "/rdf/news.rdf").body)
    links = [e["link"] for e in parsed.entries]
    assert any("maca=" in link for link in links)
    assert any("utm_source=rss" in link for link in links)
    article = next(a for a in ARTICLES if a.amp_path)
    paths = feed_paths(parsed.entries)
    assert {article.path, article.amp_path} <= paths
    amp_page = fetch(web.base_url("rhine-wire") + (article.amp_path or "")).body.decode()
    assert f'<link rel="canonical" href="{article_url(web, article)}">' in amp_page
    assert norm(article.paragraphs[-1]) in page_text(amp_page)


def test_broken_feed_still_yields_its_complete_items(web: FixtureWeb) -> None:
    parsed = feedparser.parse(fetch(web.base_url("broken-feeds") + "/rss").body)
    assert parsed.bozo
    assert feed_paths(parsed.entries) == expected_feed_paths(web, "broken-feeds")


def test_json_feed_lists_the_articles(web: FixtureWeb) -> None:
    # feedparser 6.0.x does not read JSON Feed, so this one is checked with json.
    feed = json.loads(fetch(web.base_url("dnipro-digest") + "/feed.json").body)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert {urlsplit(i["url"]).path for i in feed["items"]} == expected_feed_paths(
        web, "dnipro-digest"
    )
    assert all(datetime.fromisoformat(i["date_published"]).tzinfo for i in feed["items"])


def test_windows_1251_page_and_feed(web: FixtureWeb) -> None:
    article = next(a for a in ARTICLES if a.outlet_id == "ural-vestnik")
    reply = fetch(article_url(web, article))
    assert reply.headers.get_content_charset() == "windows-1251"
    with pytest.raises(UnicodeDecodeError):
        reply.body.decode("utf-8")
    markup = reply.body.decode("cp1251")
    assert '<meta charset="windows-1251">' in markup
    assert norm(article.paragraphs[0]) in page_text(markup)
    feed = fetch(web.base_url("ural-vestnik") + "/rss.xml").body
    assert feed.startswith(b'<?xml version="1.0" encoding="windows-1251"?>')
    titles = [e["title"] for e in feedparser.parse(feed).entries]
    assert article.title in titles


def test_listing_pages_chain_with_rel_next_and_carry_junk(web: FixtureWeb) -> None:
    base = web.base_url("volga-bulletin")
    first = fetch(base + "/news/").body.decode()
    assert f'<link rel="next" href="{base}/news/page/2/">' in first
    assert '<a rel="next" href="/news/page/2/">Older</a>' in first
    for junk in (
        'href="/tag/army/"',
        'href="/about/"',
        'href="mailto:',
        'href="javascript:',
        'href="tel:',
        'href="#top"',
        'href="http://example.com/',
    ):
        assert junk in first
    assert "?utm_campaign=" in first
    newest = web.articles_for("volga-bulletin")[0]
    assert len(set(re.findall(re.escape(newest.path) + r"\?[^\"]+", first))) >= 2
    third = fetch(base + "/news/page/3/").body.decode()
    assert 'rel="next"' not in third and 'rel="prev"' in third
    assert fetch(base + "/news/page/4/").status == 404
    second = fetch(base + "/news/page/2/").body.decode()
    listed = set(re.findall(r'href="(/news/\d{4}/[^"?]+)', first + second + third))
    assert listed >= {a.path for a in web.articles_for("volga-bulletin")}


SERVED = [a for a in ARTICLES if a.expect != "gone"]


@pytest.mark.parametrize("article", SERVED, ids=lambda a: a.path)
def test_article_page_shows_body_furniture_and_metadata(web: FixtureWeb, article: Article) -> None:
    reply = fetch(article_url(web, article))
    assert reply.status == 200
    markup = reply.body.decode(reply.headers.get_content_charset() or "utf-8")
    text = page_text(markup)
    if article.paragraphs:
        assert norm(article.paragraphs[0]) in text and norm(article.paragraphs[-1]) in text
    for piece in article.furniture:
        assert norm(piece) in text, piece
    assert f'<link rel="canonical" href="{article_url(web, article)}">' in markup
    assert re.search(r'<html lang="' + article.language, markup)
    assert article.title in text and "<title>" in markup
    has_time = article.published_at.isoformat() in markup
    assert has_time and any(name in markup for name in article.authors)


# --------------------------------------------------------------------------- changes at run time


@pytest.mark.parametrize(
    ("outlet_id", "path"),
    [
        ("steppe-herald", "/feed/"),
        ("capital-observer", "/sitemaps/news.xml"),
        ("volga-bulletin", "/news/"),
    ],
)
def test_publish_puts_a_new_entry_on_top_and_changes_validators(
    fresh_web: FixtureWeb, outlet_id: str, path: str
) -> None:
    url = fresh_web.base_url(outlet_id) + path
    before = fetch(url)
    article = fresh_web.new_article(outlet_id, on_topic=True, seq=7)
    fresh_web.publish(outlet_id, article)
    after = fetch(
        url,
        {
            "If-None-Match": before.headers["ETag"],
            "If-Modified-Since": before.headers["Last-Modified"],
        },
    )
    assert after.status == 200 and after.headers["ETag"] != before.headers["ETag"]
    assert after.headers["Last-Modified"] != before.headers["Last-Modified"]
    assert fetch(url, {"If-Modified-Since": before.headers["Last-Modified"]}).status == 200
    first_entry = r'(?:<item>\s*<title>[^<]*</title>\s*<link>|<url><loc>|<h2><a href=")'
    first_link = re.search(first_entry + r'([^<"]+)', after.body.decode())
    assert first_link and urlsplit(first_link.group(1)).path == article.path
    assert fetch(article_url(fresh_web, article)).status == 200
    assert fresh_web.articles_for(outlet_id)[0] == article


def test_publish_rejects_foreign_or_repeated_articles(fresh_web: FixtureWeb) -> None:
    article = fresh_web.new_article("ural-vestnik", on_topic=False, seq=1)
    with pytest.raises(ValueError, match="belongs to"):
        fresh_web.publish("steppe-herald", article)
    fresh_web.publish("ural-vestnik", article)
    with pytest.raises(ValueError, match="already has"):
        fresh_web.publish("ural-vestnik", article)


def test_error_and_retry_after_faults(fresh_web: FixtureWeb) -> None:
    base = fresh_web.base_url("borderland-press")
    fresh_web.set_fault("borderland-press", Fault.error(status=500))
    assert fetch(base + "/atom.xml").status == 500
    assert fetch(base + "/robots.txt").status == 500
    fresh_web.set_fault("borderland-press", Fault.retry_after(429, seconds=7))
    reply = fetch(base + "/atom.xml")
    assert (reply.status, reply.headers["Retry-After"]) == (429, "7")
    fresh_web.set_fault("borderland-press", None)
    assert fetch(base + "/atom.xml").status == 200
    assert fetch(fresh_web.base_url("rhine-wire") + "/rdf/news.rdf").status == 200


def test_fault_limited_to_first_requests_and_to_a_path(fresh_web: FixtureWeb) -> None:
    base = fresh_web.base_url("steppe-herald")
    fresh_web.set_fault("steppe-herald", Fault.retry_after(503, seconds=1, times=2, path="/feed/"))
    assert fetch(base + "/robots.txt").status == 200
    statuses = [fetch(base + "/feed/?x=1").status for _ in range(3)]
    assert statuses == [503, 503, 200]


def test_close_fault_drops_the_connection(fresh_web: FixtureWeb) -> None:
    fresh_web.set_fault("dnipro-digest", Fault.close(times=1))
    with pytest.raises((ConnectionError, URLError)):
        fetch(fresh_web.base_url("dnipro-digest") + "/feed.json")
    assert fetch(fresh_web.base_url("dnipro-digest") + "/feed.json").status == 200
    closed = fresh_web.requests_for("dnipro-digest")[0]
    assert closed.status is None and closed.finished_at is not None


def _fetch_in_thread(url: str, results: list[object]) -> threading.Thread:
    def run() -> None:
        try:
            results.append(fetch(url).status)
        except (OSError, URLError) as error:
            results.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_hang_blocks_until_released(fresh_web: FixtureWeb) -> None:
    fresh_web.set_fault("ural-vestnik", Fault.hang())
    results: list[object] = []
    thread = _fetch_in_thread(fresh_web.base_url("ural-vestnik") + "/rss.xml", results)
    assert fresh_web.wait_until_hanging(1, timeout=5)
    assert thread.is_alive() and results == []
    in_flight = fresh_web.requests_for("ural-vestnik")[0]
    assert in_flight.status is None and in_flight.finished_at is None
    fresh_web.set_fault("ural-vestnik", None)
    fresh_web.release_hangs()
    thread.join(timeout=5)
    assert not thread.is_alive() and results == [200]
    assert fresh_web.hanging == 0


def test_stop_releases_hanging_requests() -> None:
    results: list[object] = []
    with FixtureWeb() as running:
        running.set_fault("rhine-wire", Fault.hang())
        thread = _fetch_in_thread(running.base_url("rhine-wire") + "/rdf/news.rdf", results)
        assert running.wait_until_hanging(1, timeout=5)
    thread.join(timeout=5)
    assert not thread.is_alive() and len(results) == 1


def test_request_log_records_requests(fresh_web: FixtureWeb) -> None:
    base = fresh_web.base_url("capital-observer")
    fetch(base + "/sitemaps/news.xml?from=test", {"User-Agent": "fixture-test/1.0"})
    fetch(base + "/nothing-here")
    fetch(fresh_web.base_url("steppe-herald") + "/feed/", method="HEAD")
    # a request is logged as finished once its answer is sent, which the client may see first
    assert fresh_web.wait_for(lambda reqs: all(r.finished_at for r in reqs), timeout=60)
    logged = fresh_web.requests_for("capital-observer")
    assert [(r.method, r.path, r.status) for r in logged] == [
        ("GET", "/sitemaps/news.xml?from=test", 200),
        ("GET", "/nothing-here", 404),
    ]
    assert logged[0].headers["user-agent"] == "fixture-test/1.0"
    assert logged[0].started_at <= (logged[0].finished_at or 0) <= logged[1].started_at
    assert [r.method for r in fresh_web.requests] == ["GET", "GET", "HEAD"]
    assert fresh_web.wait_for(lambda reqs: len(reqs) == 3, timeout=1)
    fresh_web.clear_log()
    assert fresh_web.requests == []


# --------------------------------------------------------------------------- configs


def test_write_configs_match_the_served_urls(web: FixtureWeb, tmp_path: Path) -> None:
    written = web.write_configs(tmp_path, include_dead=True)
    assert {p.stem for p in written} == {*OUTLETS, DEAD_OUTLET}
    for outlet_id in OUTLETS:
        config = tomllib.loads((tmp_path / "outlets" / f"{outlet_id}.toml").read_text("utf-8"))
        assert config["id"] == outlet_id and config["domains"] == ["127.0.0.1"]
        assert config["max_age_days"] == 30 and config["fetch"]["download_delay_seconds"] == 0
        source = config["sources"][0]
        assert source["url"] == web.base_url(outlet_id) + OUTLETS[outlet_id].discovery_path
        assert fetch(source["url"]).status == 200
        for article in articles_for(outlet_id):
            assert url_allowed(config, article_url(web, article) + "?utm_source=x"), article.path


def url_allowed(config: dict[str, object], url: str) -> bool:
    rules = config["urls"]
    assert isinstance(rules, dict)
    return any(re.search(p, url) for p in rules["allow"]) and not any(
        re.search(p, url) for p in rules["deny"]
    )


def test_listing_config_rejects_junk_pages(web: FixtureWeb, tmp_path: Path) -> None:
    web.write_configs(tmp_path)
    config = tomllib.loads((tmp_path / "outlets" / "volga-bulletin.toml").read_text("utf-8"))
    base = web.base_url("volga-bulletin")
    for path in ("/tag/army/", "/about/", "/section/city/", "/news/page/2/", "/news/"):
        assert fetch(base + path).status == 200
        assert not url_allowed(config, base + path), path


def test_dead_outlet_refuses_connections(web: FixtureWeb) -> None:
    config = tomllib.loads(web.dead_outlet_config())
    assert config["id"] == DEAD_OUTLET
    with pytest.raises(URLError):
        fetch(config["sources"][0]["url"])
