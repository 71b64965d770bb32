"""Property-based tests: whatever bytes a server sends, whatever a maintainer types, the
parsers raise nothing but the project's documented exceptions."""

from __future__ import annotations

import contextlib
import json
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from crawler.canonical import absolute_url, canonicalize, is_http_url
from crawler.config import load_config
from crawler.discovery.feeds import parse_feed
from crawler.discovery.listing import parse_listing
from crawler.discovery.sitemaps import parse_sitemap
from crawler.discovery.triage import url_key
from crawler.errors import ConfigError, SourceParseError
from crawler.records import from_document
from fixtureweb import ARTICLES, OUTLETS
from fixtureweb.render import SiteState, render_atom, render_news_sitemap, render_rss2

BASE = "https://www.example.org/news/"
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
STATE = SiteState(
    outlet=OUTLETS["steppe-herald"],
    articles=tuple(a for a in ARTICLES if a.outlet_id == "steppe-herald"),
    base_url="https://steppe.example",
    changed_at=datetime(2026, 11, 22, tzinfo=UTC),
    created_at=datetime(2026, 11, 1, tzinfo=UTC),
    now=datetime(2026, 11, 23, tzinfo=UTC),
)
REAL = [
    render_rss2(STATE).encode(),
    render_atom(STATE).encode(),
    render_news_sitemap(STATE).encode(),
]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A real document with a slice cut out, bytes inserted, or both."""
    body = draw(st.sampled_from(REAL))
    start = draw(st.integers(0, len(body)))
    end = draw(st.integers(start, min(len(body), start + 400)))
    inserted = draw(st.binary(max_size=40))
    return body[:start] + inserted + body[end:]


documents = st.one_of(st.binary(max_size=2000), mutated())
urls = st.one_of(
    st.text(max_size=80),
    st.builds(
        lambda scheme, host, rest: f"{scheme}://{host}{rest}",
        st.sampled_from(["http", "https", "ftp", "HTTP", ""]),
        st.text(max_size=30),
        st.text(max_size=40),
    ),
)


@PROPERTY
@given(documents)
def test_feeds_raise_only_source_parse_errors(body):
    with contextlib.suppress(SourceParseError):
        parse_feed(body, BASE, "application/rss+xml", max_bytes=1_000_000)


@PROPERTY
@given(documents)
def test_sitemaps_raise_only_source_parse_errors(body):
    with contextlib.suppress(SourceParseError):
        parse_sitemap(body, BASE, max_bytes=1_000_000)


@PROPERTY
@given(st.one_of(st.text(max_size=2000), mutated().map(lambda b: b.decode("utf-8", "replace"))))
@example("[]")
@example('{"a": 1}')
def test_listings_never_raise_and_yield_only_http_links(html):
    discovery = parse_listing(html, BASE)
    assert all(is_http_url(entry.url) for entry in discovery.entries)


@PROPERTY
@given(urls)
@example("http://a:xyz/p")
@example("http://a:99999/")
@example("http://[::1/")
@example("http://a b/")
@example("http://\x00/")
def test_url_keys_never_raise_and_canonical_keys_are_stable(url):
    key = url_key(url)
    if is_http_url(key):
        assert canonicalize(key) == key


@PROPERTY
@given(urls, urls)
@example("", "A://[")
@example("//[::1/x", "https://www.example.org/")
def test_resolving_links_never_raises(href, base):
    resolved = absolute_url(href, base)
    assert resolved is None or is_http_url(resolved)


@pytest.fixture(scope="module")
def config_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("config")
    (root / "topics").mkdir()
    (root / "outlets").mkdir()
    topic = Path(__file__).resolve().parent.parent / "config" / "topics"
    for path in topic.glob("*.toml"):
        (root / "topics" / path.name).write_text(path.read_text())
    return root


@PROPERTY
@given(st.text(max_size=300))
def test_an_outlet_file_of_any_text_is_valid_or_a_config_error(config_root, text):
    (config_root / "outlets" / "fuzz.toml").write_text(text)
    try:
        load_config(config_root)
    except ConfigError as exc:
        assert "fuzz.toml" in str(exc)


@PROPERTY
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
        max_leaves=20,
    ),
    st.sampled_from(["page", "failure", "source", "run", "other"]),
)
def test_a_spool_document_is_a_record_or_a_value_error(document, kind):
    candidate = {"type": kind, **document} if isinstance(document, dict) else document
    json.dumps(candidate)  # what the spool could hold
    with contextlib.suppress(ValueError):
        from_document(candidate)


def test_mutations_reach_the_parsers():
    """The real documents used above parse, so mutations start from something valid."""
    assert parse_feed(REAL[0], BASE, None, max_bytes=1_000_000).entries
    assert parse_sitemap(REAL[2], BASE, max_bytes=1_000_000).entries
    assert tomllib.loads("id = 'x'") == {"id": "x"}
