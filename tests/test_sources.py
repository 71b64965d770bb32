"""Discovery parsers, on documents written here and (optional tier) on ../shared/data."""

import gzip
import json
import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree

from crawler.discovery.feeds import parse_feed
from crawler.discovery.listing import parse_listing
from crawler.discovery.sitemaps import gunzip_capped, parse_robots, parse_sitemap
from crawler.errors import SourceParseError

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
BASE = "https://news.example/"

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>One</title><link>/a/1?utm_source=rss</link>
<pubDate>Fri, 20 Nov 2026 14:35:00 +0300</pubDate></item>
<item><title>Two</title><guid isPermaLink="true">https://news.example/a/2</guid></item>
</channel></rss>"""
ATOM = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>t</title><entry><title>A</title><link rel="alternate" href="https://news.example/a"/>
<link rel="enclosure" href="https://news.example/a.mp3"/><updated>2026-11-20T10:00:00Z</updated>
</entry></feed>"""
RDF = b"""<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://news.example/"><title>t</title></channel>
<item rdf:about="https://news.example/r"><title>R</title><link>https://news.example/r</link>
<dc:date>2026-11-19T08:00:00Z</dc:date></item></rdf:RDF>"""
JSON_FEED = json.dumps(
    {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "t",
        "items": [
            {
                "id": "1",
                "url": "https://news.example/j",
                "title": "J",
                "date_published": "2026-11-18T12:00:00+02:00",
            },
            {"id": "no-url"},
            "junk",
        ],
    }
).encode()


def test_rss2_entries_with_relative_links_and_dates():
    entries = parse_feed(RSS, BASE).entries
    assert [e.url for e in entries] == [
        "https://news.example/a/1?utm_source=rss",
        "https://news.example/a/2",
    ]
    assert entries[0].published_at == datetime(2026, 11, 20, 11, 35, tzinfo=UTC)
    assert entries[0].title == "One"


def test_atom_uses_the_alternate_link():
    [entry] = parse_feed(ATOM, BASE).entries
    assert entry.url == "https://news.example/a"
    assert entry.published_at == datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def test_rss1_rdf():
    [entry] = parse_feed(RDF, BASE).entries
    assert entry.url == "https://news.example/r"
    assert entry.published_at == datetime(2026, 11, 19, 8, 0, tzinfo=UTC)


def test_json_feed_skips_items_without_an_http_url():
    [entry] = parse_feed(JSON_FEED, BASE).entries
    assert entry.url == "https://news.example/j"
    assert entry.published_at == datetime(2026, 11, 18, 10, 0, tzinfo=UTC)


def test_a_gzipped_feed_without_content_encoding_is_read():
    assert len(parse_feed(gzip.compress(RSS), BASE).entries) == 2


def test_a_truncated_feed_yields_its_complete_items_and_says_so(caplog):
    truncated = RSS[: RSS.index(b"<item><title>Two")] + b"<item><title>Tw"
    with caplog.at_level(logging.WARNING):
        discovery = parse_feed(truncated, BASE)
    assert [e.title for e in discovery.entries] == ["One"]
    assert any("malformed feed" in message for message in caplog.messages)


@pytest.mark.parametrize("body", [b"", b"<html><body>Not found</body></html>", b"{]", b"\x00\xff"])
def test_what_is_not_a_feed_raises(body):
    with pytest.raises(SourceParseError):
        parse_feed(body, BASE)


NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc> https://news.example/n1 </loc><news:news><news:publication>
<news:name>N</news:name><news:language>en</news:language></news:publication>
<news:publication_date>2026-11-20T14:35:00+03:00</news:publication_date>
<news:title>News one</news:title></news:news></url>
<url><loc>https://news.example/n2</loc><lastmod>2026-11-19</lastmod></url>
</urlset>"""
INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://news.example/s1.xml</loc><lastmod>2026-11-20</lastmod></sitemap>
<sitemap><loc>/s2.xml.gz</loc></sitemap></sitemapindex>"""


def test_news_sitemap_gives_publication_time_and_title():
    entries = parse_sitemap(NEWS_SITEMAP, BASE).entries
    assert [e.url for e in entries] == ["https://news.example/n1", "https://news.example/n2"]
    assert entries[0].published_at == datetime(2026, 11, 20, 11, 35, tzinfo=UTC)
    assert entries[0].title == "News one"
    assert entries[1].published_at == datetime(2026, 11, 19, tzinfo=UTC)


def test_sitemap_index_lists_children_to_follow():
    discovery = parse_sitemap(INDEX, BASE)
    assert discovery.entries == []
    assert [c.url for c in discovery.follow] == [
        "https://news.example/s1.xml",
        "https://news.example/s2.xml.gz",
    ]


def test_gzip_text_and_bom_sitemaps():
    assert len(parse_sitemap(gzip.compress(NEWS_SITEMAP), BASE).entries) == 2
    assert len(parse_sitemap(b"\xef\xbb\xbf  \n" + NEWS_SITEMAP, BASE).entries) == 2
    text = b"https://news.example/t1\n\nnot a url\nhttps://news.example/t2\n"
    assert [e.url for e in parse_sitemap(text, BASE).entries] == [
        "https://news.example/t1",
        "https://news.example/t2",
    ]


def test_robots_txt_means_the_sitemaps_it_lists():
    robots = b"User-agent: *\nDisallow: /private/\nSitemap: https://news.example/index.xml\n"
    assert [c.url for c in parse_sitemap(robots, BASE).follow] == ["https://news.example/index.xml"]
    with pytest.raises(SourceParseError, match="no Sitemap"):
        parse_robots(b"User-agent: *\nDisallow:\n", BASE)


def test_entities_are_never_expanded():
    attack = b"""<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY x SYSTEM "file:///etc/passwd">
    <!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
    <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <url><loc>https://news.example/&x;&b;</loc></url></urlset>"""
    urls = [e.url for e in parse_sitemap(attack, BASE).entries]
    assert all("root:" not in url and "aaaaaaaaaa" not in url for url in urls)


def test_gzip_bomb_stops_at_the_cap():
    bomb = gzip.compress(b"0" * 2_000_000)
    with pytest.raises(SourceParseError, match="inflates beyond 100000 bytes"):
        gunzip_capped(bomb, 100_000)


def test_corrupt_gzip_and_other_xml_raise():
    with pytest.raises(SourceParseError):
        parse_sitemap(b"\x1f\x8b\x08\x00garbage", BASE)
    with pytest.raises(SourceParseError, match="root element is <feed>"):
        parse_sitemap(ATOM, BASE)


LISTING = """<html><head><link rel="next" href="/news/page/2/"></head><body>
<a href="/news/2026/11/20/a/?utm_campaign=x">Story A</a> <a href="/news/2026/11/20/a/">A</a>
<a href="mailto:desk@news.example">mail</a> <a href="javascript:void(0)">js</a>
<a href="tel:+100">tel</a> <a href="#top">top</a> <a href="http://other.example/x">away</a>
</body></html>"""


def test_listing_collects_http_links_and_the_next_page():
    discovery = parse_listing(LISTING, "https://news.example/news/")
    urls = [e.url for e in discovery.entries]
    assert urls == [
        "https://news.example/news/2026/11/20/a/?utm_campaign=x",
        "https://news.example/news/2026/11/20/a/",
        "https://news.example/news/",
        "http://other.example/x",
    ]  # the fragment link is the page itself
    assert discovery.entries[0].title == "Story A"
    assert [f.url for f in discovery.follow] == ["https://news.example/news/page/2/"]


# -- optional tier: third-party feeds and sitemaps ------------------------------------------


def _manifest(kind: str) -> list[dict]:
    path = DATA / kind / "MANIFEST.json"
    return json.loads(path.read_text()) if path.exists() else []


def _items_with_links(body: bytes) -> int:
    """Items/entries that carry a <link> child, counted independently of the parser."""
    root = etree.fromstring(body, etree.XMLParser(resolve_entities=False, recover=True))
    if root is None:
        return 0
    query = "//*[local-name()='item' or local-name()='entry'][*[local-name()='link']]"
    return len(root.xpath(query))


@pytest.mark.skipif(not DATA.is_dir(), reason="../shared/data is absent")
def test_every_well_formed_shared_feed_yields_its_linked_items_and_none_crashes():
    failures = []
    for item in _manifest("feeds"):
        body = (DATA / item["file"]).read_bytes()
        try:
            found = len(parse_feed(body, "http://example.com/").entries)
        except SourceParseError:
            found = 0
        well_formed = item.get("xml_wellformed") and not item.get("malformed")
        if well_formed and found < min(_items_with_links(body), 1):
            failures.append(item["file"])
    assert failures == []


@pytest.mark.skipif(not DATA.is_dir(), reason="../shared/data is absent")
def test_shared_sitemaps_yield_their_urls_or_a_clear_error():
    for item in _manifest("sitemaps"):
        body = (DATA / item["file"]).read_bytes()
        try:
            discovery = parse_sitemap(body, "http://example.com/", max_bytes=5_000_000)
        except SourceParseError:
            assert item.get("malformed") or item.get("root") not in ("urlset", "sitemapindex")
            continue
        counts = item.get("counts") or {}
        if item.get("root") == "urlset" and not item.get("malformed"):
            assert discovery.entries, item["file"]
        if counts.get("sitemap_children") and item.get("root") == "sitemapindex":
            assert len(discovery.follow) == counts["sitemap_children"], item["file"]
