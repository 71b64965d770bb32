from crawler.canonical import absolute_url, canonicalize, is_http_url


def test_tracking_parameters_are_removed_and_the_rest_kept_sorted():
    url = "https://www.dw.com/en/story/a-1?utm_source=rss&b=2&maca=en-rss&a=1&fbclid=x"
    assert canonicalize(url) == "https://www.dw.com/en/story/a-1?a=1&b=2"


def test_scheme_and_host_case_default_port_and_fragment_are_normalised():
    assert canonicalize("HTTP://Example.COM:80/a#top") == "http://example.com/a"
    assert canonicalize("https://example.com:443/a") == "https://example.com/a"
    assert canonicalize("http://127.0.0.1:8080/a") == "http://127.0.0.1:8080/a"


def test_amp_variants_resolve_to_the_article():
    assert canonicalize("https://x.org/2026/11/story/amp/") == "https://x.org/2026/11/story/"
    assert canonicalize("https://x.org/2026/11/story/amp") == "https://x.org/2026/11/story"
    assert canonicalize("https://x.org/news/1.amp.html") == "https://x.org/news/1.html"
    assert canonicalize("https://x.org/news/1?amp=1") == "https://x.org/news/1"
    assert canonicalize("https://x.org/a?outputType=amp&id=5") == "https://x.org/a?id=5"


def test_parameters_that_look_like_amp_but_are_not_stay():
    assert canonicalize("https://x.org/a?outputType=json") == "https://x.org/a?outputType=json"
    assert canonicalize("https://x.org/ampersand-story") == "https://x.org/ampersand-story"


def test_only_http_urls_are_requestable():
    assert is_http_url("https://x.org/a")
    for bad in (
        "ftp://x.org/a",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "mailto:a@b",
        "/relative",
        "https://",
    ):
        assert not is_http_url(bad)


def test_absolute_url_resolves_links_and_drops_other_schemes():
    assert absolute_url("/news/1", "https://x.org/list/") == "https://x.org/news/1"
    assert absolute_url("  ../a ", "https://x.org/list/page/") == "https://x.org/list/a"
    assert absolute_url("mailto:desk@x.org", "https://x.org/") is None
    assert absolute_url("javascript:void(0)", "https://x.org/") is None
