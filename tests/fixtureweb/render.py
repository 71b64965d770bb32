"""Rendering of the fixture outlets: article pages, feeds, sitemaps, listings, robots, configs.

Everything is rendered against the base URL the outlet's server got at start, so canonical
links, feed links and sitemap locations are absolute URLs that really resolve on 127.0.0.1.
"""

from __future__ import annotations

import gzip
import html
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import format_datetime
from xml.sax.saxutils import escape as _xml_escape

from . import content as c
from .content import Article, Outlet

LISTING_PAGE_SIZE = 2
NEWS_SITEMAP_WINDOW = timedelta(hours=48)
_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MONTHS_RU = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)
_MONTHS_UK = (
    "січня",
    "лютого",
    "березня",
    "квітня",
    "травня",
    "червня",
    "липня",
    "серпня",
    "вересня",
    "жовтня",
    "листопада",
    "грудня",
)


@dataclass(frozen=True)
class Resource:
    """One servable document: encoded body, media type and its modification time."""

    body: bytes
    content_type: str
    last_modified: datetime | None = None
    compressible: bool = True


@dataclass(frozen=True)
class SiteState:
    """What an outlet's pages are rendered from; re-rendered whenever an article is published."""

    outlet: Outlet
    articles: tuple[Article, ...]  # newest first
    base_url: str
    changed_at: datetime  # last content change: Last-Modified of feeds, sitemaps, listings
    created_at: datetime  # Last-Modified of documents that never change (robots.txt)
    now: datetime

    def url(self, path: str) -> str:
        """The absolute URL of `path` on this outlet."""
        return self.base_url + path


# --------------------------------------------------------------------------- small helpers


def esc(text: str) -> str:
    """HTML-escape text and attribute values."""
    return html.escape(text, quote=True)


def xesc(text: str) -> str:
    """XML-escape element text."""
    return _xml_escape(text)


def iso(moment: datetime) -> str:
    """ISO 8601 date and time with offset, seconds precision (2026-11-20T14:35:00+03:00)."""
    return moment.isoformat(timespec="seconds")


def http_date(moment: datetime) -> str:
    """RFC 822/1123 date as used by RSS 2.0 pubDate and HTTP headers."""
    return format_datetime(moment)


def _meta(name: str, value: str) -> str:
    return f'<meta name="{name}" content="{esc(value)}">'


def _prop(prop: str, value: str) -> str:
    return f'<meta property="{prop}" content="{esc(value)}">'


def _link(rel: str, href: str, extra: str = "") -> str:
    return f'<link rel="{rel}" href="{esc(href)}"{extra}>'


def _image_url(state: SiteState, article: Article) -> str:
    return state.url(f"/media/{c.slug_words(article.title)[:40]}.jpg")


def _jsonld(state: SiteState, article: Article) -> str:
    """A schema.org NewsArticle script block with author and datePublished."""
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "datePublished": iso(article.published_at),
        "dateModified": iso(article.published_at),
        "author": [{"@type": "Person", "name": name} for name in article.authors],
        "image": [_image_url(state, article)],
        "inLanguage": article.language,
        "mainEntityOfPage": {"@type": "WebPage", "@id": state.url(article.path)},
        "publisher": {"@type": "Organization", "name": state.outlet.name},
    }
    text = json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")
    return f'<script type="application/ld+json">\n{text}\n</script>'


def _document(
    lang: str, head: list[str], body: str, *, charset: str = "utf-8", html_attrs: str = ""
) -> str:
    """A complete HTML document with `head` lines and `body` markup."""
    head_html = "\n".join([f'<meta charset="{charset}">', *head])
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"{html_attrs}>\n<head>\n{head_html}\n</head>\n'
        f"{body}\n</html>\n"
    )


def _body_paragraphs(article: Article, insert: Callable[[str], str]) -> str:
    """The body paragraphs, with each in-body insert rendered by `insert` after its paragraph."""
    parts: list[str] = []
    for index, paragraph in enumerate(article.paragraphs):
        parts.append(f"<p>{esc(paragraph)}</p>")
        parts.extend(insert(text) for at, text in article.inserts if at == index)
    return "\n".join(parts)


def _no_insert(text: str) -> str:
    return f"<p>{esc(text)}</p>"


def _date_en(moment: datetime) -> str:
    return f"{_MONTHS_EN[moment.month - 1]} {moment.day:02d}, {moment.year}"


def _date_local(moment: datetime, months: tuple[str, ...]) -> str:
    return f"{moment.day} {months[moment.month - 1]} {moment.year}, {moment:%H:%M}"


FEED_MEDIA_TYPES: dict[str, str] = {
    "steppe-herald": "application/rss+xml",
    "ural-vestnik": "application/rss+xml",
    "broken-feeds": "application/rss+xml",
    "borderland-press": "application/atom+xml",
    "rhine-wire": "application/rdf+xml",
    "dnipro-digest": "application/feed+json",
}


def _feed_alternate(state: SiteState) -> str:
    """The feed autodiscovery <link> for outlets that have a feed."""
    media_type = FEED_MEDIA_TYPES.get(state.outlet.id)
    if media_type is None:
        return ""
    url = state.url(state.outlet.discovery_path)
    return _link("alternate", url, f' type="{media_type}"')


def _figure(state: SiteState, article: Article, caption_class: str = "") -> str:
    """The lead photo with its caption (nothing when the article has no caption)."""
    if not article.caption:
        return ""
    attr = f' class="{caption_class}"' if caption_class else ""
    return (
        f'<figure class="lead-image"><img src="{esc(_image_url(state, article))}" alt="">\n'
        f"<figcaption{attr}>{esc(article.caption)}</figcaption></figure>"
    )


def _common_head(state: SiteState, article: Article, title: str) -> list[str]:
    """Title, viewport, canonical and feed autodiscovery: the head lines every page has."""
    return [
        f"<title>{esc(title)}</title>",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        _link("canonical", state.url(article.path)),
        _feed_alternate(state),
    ]


# --------------------------------------------------------------------------- steppe-herald


def _steppe_related() -> str:
    items = "\n".join(
        f'<div class="related-item"><h4><a href="/2026/10/{c.slug_words(t)}/">{esc(t)}</a>'
        f'</h4>\n<span class="related-date">{esc(d)}</span>\n<p>{esc(b)}</p></div>'
        for t, d, b in c.STEPPE_TEASERS
    )
    return f'<section class="related-posts">\n<h3>You Might Also Like</h3>\n{items}\n</section>'


def _steppe_books() -> str:
    books = "\n".join(
        f'<div class="book"><h4><a href="/books/{c.slug_words(t)}/">{esc(t)}</a></h4>'
        f"\n<p>{esc(b)}</p></div>"
        for t, b in c.STEPPE_BOOKS
    )
    return f'<section class="book-catalogue">\n<h3>Some of our Books</h3>\n{books}\n</section>'


def _steppe_footer() -> str:
    lines = "<br>\n".join(esc(line) for line in c.STEPPE_ADDRESS)
    return (
        '<aside class="widget-area">\n<section class="widget widget-about"><h3>About Us</h3>\n'
        f"<p>{esc(c.STEPPE_ABOUT)}</p></section>\n</aside>\n"
        '<footer class="site-footer">\n<h3>Our Contacts</h3>\n<address>The Steppe Herald<br>\n'
        f"{lines}</address>\n<p>&copy; 1994&ndash;2026 The Steppe Herald</p>\n</footer>"
    )


def steppe_article(state: SiteState, article: Article) -> str:
    """A Russian-Life-like WordPress post: caption, teasers, promo, books, about, address."""
    head = [
        *_common_head(state, article, f"{article.title} | The Steppe Herald"),
        _meta("author", ", ".join(article.authors)),
        _prop("og:type", "article"),
        _prop("og:title", article.title),
        _prop("og:image", _image_url(state, article)),
        _prop("article:published_time", iso(article.published_at)),
    ]
    body = f"""<body class="post-template-default single single-post">
<header class="site-header"><a class="custom-logo-link" href="/">The Steppe Herald</a>
<nav class="main-navigation"><ul><li><a href="/category/news/">News</a></li>
<li><a href="/category/culture/">Culture</a></li><li><a href="/category/travel/">Travel</a></li>
<li><a href="/books/">Books</a></li><li><a href="/subscribe/">Subscribe</a></li></ul></nav>
</header>
<main id="primary" class="site-main">
<article class="post type-post">
<div class="entry-date">{_date_en(article.published_at)}</div>
<h1 class="entry-title">{esc(article.title)}</h1>
{_figure(state, article, "wp-element-caption")}
<div class="entry-content">
{_body_paragraphs(article, _no_insert)}
</div>
<div class="sharedaddy">Share this: <a href="#share-facebook">Facebook</a>
<a href="#share-x">X</a> <a href="#share-email">Email</a></div>
</article>
{_steppe_related()}
<div class="promo-box"><p>{esc(c.STEPPE_PROMO)}</p>
<a class="button" href="/subscribe/">Sign me up</a></div>
{_steppe_books()}
</main>
{_steppe_footer()}
</body>"""
    return _document("en-US", head, body)


# --------------------------------------------------------------------------- borderland-press


def _borderland_read_also(text: str) -> str:
    return (
        f'<p class="read-also"><strong>Read also:</strong> '
        f'<a href="/{c.slug_words(text)}/">{esc(text)}</a></p>'
    )


def borderland_article(state: SiteState, article: Article) -> str:
    """A Euromaidan-Press-like post: JSON-LD, in-body "Read also:" links, donation appeal."""
    head = [
        *_common_head(state, article, f"{article.title} - Borderland Press"),
        _prop("og:title", article.title),
        _prop("og:site_name", "Borderland Press"),
        _prop("og:image", _image_url(state, article)),
        _jsonld(state, article),
    ]
    note = ""
    if article.expect == "duplicate":
        note = f'<div class="republished-note">{esc(c.CAPITAL_REPUBLISHED_NOTE)}</div>\n'
    appeal = "\n".join(f"<p>{esc(line)}</p>" for line in c.BORDERLAND_APPEAL)
    body = f"""<body>
<div class="cookie-notice" role="dialog">This website uses cookies. <button>Accept</button></div>
<header><div class="top-bar"><a class="logo" href="/">Borderland Press</a></div>
<nav class="menu"><a href="/category/war/">War</a> <a href="/category/politics/">Politics</a>
<a href="/category/society/">Society</a> <a href="/category/opinion/">Opinion</a></nav></header>
<div class="container"><main class="content">
<article class="post-article">
<h1 class="post-title">{esc(article.title)}</h1>
<div class="byline"><span class="byline__author">{esc(", ".join(article.authors))}</span>
<time datetime="{iso(article.published_at)}">{article.published_at:%d/%m/%Y}</time></div>
{note}<div class="post-body">
{_body_paragraphs(article, _borderland_read_also)}
</div>
<div class="donate-appeal">
{appeal}
<a class="donate-button" href="/support/">Become a patron</a></div>
<div class="post-tags">Tags: <a href="/tag/russia/">Russia</a> <a href="/tag/war/">war</a></div>
</article></main>
<aside class="sidebar"><div class="newsletter"><h4>{esc(c.BORDERLAND_NEWSLETTER)}</h4>
<form action="/subscribe/"><input type="email" name="email"><button>Subscribe</button></form>
</div></aside></div>
<footer><p>&copy; 2014&ndash;2026 Borderland Press. All rights reserved.</p></footer>
</body>"""
    return _document("en", head, body)


# --------------------------------------------------------------------------- rhine-wire


def _rhine_teaser(text: str) -> str:
    return (
        f'<div class="teaser-embed"><a href="/en/{c.slug_words(text)}/a-70400001">'
        f'<span class="teaser-label">Related</span>\n<h3>{esc(text)}</h3></a></div>'
    )


def _rhine_frame(head: list[str], lang: str, main: str) -> str:
    """The Rhine Wire page frame: skip links, menu and footer around `main`."""
    skips = "\n".join(
        f'<li><a href="#{target}">{esc(text)}</a></li>'
        for target, text in zip(
            ("content", "main-menu", "more-sites"), c.RHINE_SKIP_LINKS, strict=True
        )
    )
    body = f"""<body>
<ul class="skip-links">
{skips}
</ul>
<header><a class="logo" href="/en/">Rhine Wire</a>
<nav id="main-menu"><a href="/en/germany/">Germany</a> <a href="/en/europe/">Europe</a>
<a href="/en/world/">World</a> <a href="/en/business/">Business</a></nav></header>
<main id="content">
{main}
</main>
<footer id="more-sites"><p>{esc(c.RHINE_FOOTER)}</p>
<p><a href="/de/">Deutsch</a> <a href="/ru/">Русский</a> <a href="/uk/">Українська</a></p>
</footer>
</body>"""
    return _document(lang, head, body)


def _rhine_head(state: SiteState, article: Article) -> list[str]:
    head = [
        *_common_head(state, article, f"{article.title} \N{EN DASH} Rhine Wire"),
        _prop("og:title", article.title),
        _prop("og:image", _image_url(state, article)),
        _prop("article:published_time", iso(article.published_at)),
    ]
    if article.amp_path:
        head.append(_link("amphtml", state.url(article.amp_path)))
    return head


def _rhine_header(article: Article) -> str:
    return (
        f'<header class="article-header"><span class="kicker">Conflicts</span>\n'
        f"<h1>{esc(article.title)}</h1>\n"
        f'<div class="author-details"><span class="author">{esc(", ".join(article.authors))}'
        f'</span>\n<time datetime="{iso(article.published_at)}">'
        f"{article.published_at:%m/%d/%Y}</time></div></header>\n"
        f'<div class="share-tools"><span class="short-link">'
        f"{esc(c.rhine_short_link(article.path))}</span> <button>Copy link</button></div>"
    )


def rhine_article(state: SiteState, article: Article) -> str:
    """A DW-like article: skip links, short link, caption, in-body related-story teasers."""
    if article.expect == "no_body":
        return rhine_video(state, article)
    main = f"""<article>
{_rhine_header(article)}
{_figure(state, article)}
<div class="rich-text">
{_body_paragraphs(article, _rhine_teaser)}
</div>
</article>"""
    return _rhine_frame(_rhine_head(state, article), article.language, main)


def rhine_video(state: SiteState, article: Article) -> str:
    """A video page: a player and a one-line caption, no article body."""
    main = f"""<article class="video-page">
{_rhine_header(article)}
<div class="video-player"><video controls preload="none"
 poster="{esc(_image_url(state, article))}" src="/media/video-{article.path[-8:]}.mp4"></video>
</div>
<p class="video-caption">{esc(article.caption or "")}</p>
</article>"""
    return _rhine_frame(_rhine_head(state, article), article.language, main)


def rhine_amp(state: SiteState, article: Article) -> str:
    """The AMP variant: lean markup whose canonical link points at the normal article."""
    head = [
        f"<title>{esc(article.title)} \N{EN DASH} Rhine Wire</title>",
        '<meta name="viewport" content="width=device-width,minimum-scale=1">',
        _link("canonical", state.url(article.path)),
        _prop("og:title", article.title),
        _prop("article:published_time", iso(article.published_at)),
        "<style amp-boilerplate>body{visibility:hidden}</style>",
    ]
    body = f"""<body>
<header class="amp-header"><a href="/en/">Rhine Wire</a></header>
<article>
<h1>{esc(article.title)}</h1>
<p class="amp-byline">{esc(", ".join(article.authors))} · {article.published_at:%m/%d/%Y}</p>
{_body_paragraphs(article, lambda _text: "")}
</article>
<footer><a href="{esc(state.url(article.path))}">View the full site</a></footer>
</body>"""
    return _document(article.language, head, body, html_attrs=" amp")


# --------------------------------------------------------------------------- capital-observer


def capital_article(state: SiteState, article: Article) -> str:
    """A Newsweek-like story as an aggregator shows it: section label, "Post At:", tip line."""
    head = [
        *_common_head(state, article, f"{article.title} - The Capital Observer"),
        _meta("author", ", ".join(article.authors)),
        _prop("og:title", article.title),
        _prop("og:image", _image_url(state, article)),
        _jsonld(state, article),
    ]
    posted = article.published_at.strftime("%b %d/%Y %I:%M%p")
    caption = _figure(state, article, "caption")
    section = "Business" if article.path.startswith("/business/") else "World"
    body = f"""<body>
<header class="masthead"><a class="brand" href="/">The Capital Observer</a>
<nav><a href="/world/">World</a> <a href="/us/">U.S.</a> <a href="/business/">Business</a>
<a href="/opinion/">Opinion</a></nav></header>
<main><article class="story">
<div class="section-label"><a href="/{section.lower()}/">{section}</a></div>
<h1 class="headline">{esc(article.title)}</h1>
<div class="byline">By <span class="author-name">{esc(", ".join(article.authors))}</span></div>
<div class="post-at">Post At: {posted}</div>
{caption}
<div class="article-body">
{_body_paragraphs(article, _no_insert)}
</div>
<div class="tipline"><p>{esc(c.CAPITAL_TIPLINE)}</p></div>
<div class="disclaimer"><p>{esc(c.CAPITAL_DISCLAIMER)}</p></div>
</article></main>
<footer><p>&copy; 2026 The Capital Observer</p><a href="/terms/">Terms of use</a></footer>
</body>"""
    return _document("en", head, body)


# --------------------------------------------------------------------------- volga-bulletin


def _volga_chrome_top() -> str:
    return f"""<div class="cookie-banner">{esc(c.VOLGA_COOKIES)} <button>OK</button></div>
<header><a href="/" class="brand">Volga Bulletin</a>
<nav><a href="/news/">News</a> <a href="/section/city/">City</a>
<a href="/section/sport/">Sport</a> <a href="/section/culture/">Culture</a>
<a href="/about/">About us</a></nav></header>"""


def _volga_chrome_bottom() -> str:
    most_read = "\n".join(
        f'<li><a href="/section/city/?story={c.slug_words(t)}">{esc(t)}</a></li>'
        for t in c.VOLGA_MOST_READ
    )
    return f"""<aside class="sidebar"><h3>Most read</h3><ol>
{most_read}
</ol></aside>
<div class="newsletter-box"><p>{esc(c.VOLGA_NEWSLETTER)}</p>
<form action="/subscribe/"><input type="email" name="email"><button>Sign up</button></form></div>
<footer><p>{esc(c.VOLGA_FOOTER)}</p>
<p>&copy; 2026 Volga Bulletin &middot;
<a href="mailto:desk@volga-bulletin.example">desk@volga-bulletin.example</a></p></footer>"""


def volga_article(state: SiteState, article: Article) -> str:
    """A local-news story: cookie banner, byline link, <time>, most-read box, newsletter."""
    head = [
        *_common_head(state, article, f"{article.title} — Volga Bulletin"),
        _prop("article:published_time", iso(article.published_at)),
        _prop("og:image", _image_url(state, article)),
    ]
    author = ", ".join(article.authors)
    body = f"""<body>
{_volga_chrome_top()}
<div class="layout"><main>
<article class="story">
<h1>{esc(article.title)}</h1>
<p class="meta">By <a rel="author" href="/about/#staff">{esc(author)}</a> &middot;
<time datetime="{iso(article.published_at)}">{_date_local(article.published_at, _MONTHS_EN)}
</time></p>
<div class="story-text">
{_body_paragraphs(article, _no_insert)}
</div>
<div class="share">Share: <a href="#vk">VK</a> <a href="#tg">Telegram</a></div>
<div class="tags"><a href="/tag/samara/">Samara</a> <a href="/tag/region/">Region</a></div>
</article></main>
{_volga_chrome_bottom()}
</div>
</body>"""
    return _document("en", head, body)


def _volga_item(article: Article, index: int) -> str:
    """One listing entry; the same article is linked twice with different tracking params."""
    headline_href = article.path + ("?utm_campaign=listing" if index % 2 else "")
    more_href = f"{article.path}?utm_campaign=readmore&utm_source=news-page"
    lead = article.paragraphs[0] if article.paragraphs else article.title
    teaser = lead.split(". ")[0].rstrip(".")
    return (
        f'<div class="news-item"><h2><a href="{esc(headline_href)}">{esc(article.title)}</a>'
        f'</h2>\n<time datetime="{iso(article.published_at)}">'
        f"{_date_local(article.published_at, _MONTHS_EN)}</time>\n<p>{esc(teaser)}.</p>\n"
        f'<a class="more" href="{esc(more_href)}">Read more</a></div>'
    )


def _volga_pager(state: SiteState, page: int, pages: int) -> tuple[list[str], str]:
    """rel=prev/next <link>s for the head and the "Newer"/"Older" anchors."""

    def page_path(n: int) -> str:
        return "/news/" if n == 1 else f"/news/page/{n}/"

    head: list[str] = []
    anchors: list[str] = []
    if page > 1:
        head.append(_link("prev", state.url(page_path(page - 1))))
        anchors.append(f'<a rel="prev" href="{page_path(page - 1)}">Newer</a>')
    if page < pages:
        head.append(_link("next", state.url(page_path(page + 1))))
        anchors.append(f'<a rel="next" href="{page_path(page + 1)}">Older</a>')
    return head, '<nav class="pager">' + " ".join(anchors) + "</nav>"


_VOLGA_JUNK = """<ul class="junk-links">
<li><a href="/tag/army/">#army</a></li> <li><a href="/tag/samara/">#samara</a></li>
<li><a href="/about/">About the Bulletin</a></li>
<li><a href="mailto:tips@volga-bulletin.example">Send us a tip</a></li>
<li><a href="javascript:window.print()">Print this page</a></li>
<li><a href="tel:+78462000000">Call the newsroom</a></li>
<li><a href="#top">Back to top</a></li>
<li><a href="http://example.com/partners/volga-bulletin">Our partners</a></li>
</ul>"""


def volga_listing(state: SiteState, page: int) -> str:
    """Listing page `page` (1-based) of /news/ with pager links and junk links."""
    stories = [a for a in state.articles if a.expect != "gone"]
    pages = max(1, -(-len(stories) // LISTING_PAGE_SIZE))
    chunk = stories[(page - 1) * LISTING_PAGE_SIZE : page * LISTING_PAGE_SIZE]
    pager_head, pager = _volga_pager(state, page, pages)
    items = "\n".join(_volga_item(a, i) for i, a in enumerate(chunk))
    head = [f"<title>News — page {page} — Volga Bulletin</title>", *pager_head]
    most_read = chunk[0].path + "?utm_source=sidebar" if chunk else "/news/"
    body = f"""<body id="top">
{_volga_chrome_top()}
<main class="listing"><h1>Latest news</h1>
{items}
{pager}
<p class="most-read-link"><a href="{esc(most_read)}">Most read today</a></p>
</main>
{_VOLGA_JUNK}
{_volga_chrome_bottom()}
</body>"""
    return _document("en", head, body)


def volga_listing_pages(state: SiteState) -> int:
    """How many /news/ listing pages the outlet currently has."""
    stories = [a for a in state.articles if a.expect != "gone"]
    return max(1, -(-len(stories) // LISTING_PAGE_SIZE))


def volga_misc_page(title: str, text: str) -> str:
    """A tag, section or about page: a trap for crawlers that follow every link."""
    body = f"""<body>
{_volga_chrome_top()}
<main><h1>{esc(title)}</h1><p>{esc(text)}</p></main>
{_volga_chrome_bottom()}
</body>"""
    return _document("en", [f"<title>{esc(title)} — Volga Bulletin</title>"], body)


# --------------------------------------------------------------------------- ural-vestnik


def ural_article(state: SiteState, article: Article) -> str:
    """A Russian regional-news page in windows-1251 with cookie, Telegram and read-also boxes."""
    head = [
        *_common_head(state, article, f"{article.title} — Уральский вестник"),
        _meta("author", ", ".join(article.authors)),
        _prop("og:title", article.title),
        _prop("og:image", _image_url(state, article)),
        _prop("article:published_time", iso(article.published_at)),
    ]
    also = "\n".join(
        f'<li><a href="/news/4{7000 + i}.html">{esc(t)}</a></li>'
        for i, t in enumerate(c.URAL_READ_ALSO)
    )
    figure = _figure(state, article)
    body = f"""<body>
<div class="cookie">{esc(c.URAL_COOKIES)} <button>Принять</button></div>
<header><a class="logo" href="/">Уральский вестник</a>
<nav><a href="/news/">Новости</a> <a href="/society/">Общество</a> <a href="/economy/">Экономика</a>
<a href="/culture/">Культура</a> <a href="/sport/">Спорт</a></nav></header>
<main><article class="news-item">
<h1>{esc(article.title)}</h1>
<div class="news-meta"><span class="date">{_date_local(article.published_at, _MONTHS_RU)}</span>
<span class="author">Автор: {esc(", ".join(article.authors))}</span></div>
{figure}
<div class="news-text">
{_body_paragraphs(article, _no_insert)}
</div>
<div class="telegram-promo"><a href="#telegram">{esc(c.URAL_TELEGRAM)}</a></div>
<div class="share">Поделиться: ВКонтакте · Одноклассники · Telegram</div>
</article>
<aside class="read-also"><h3>Читайте также</h3><ul>
{also}
</ul></aside></main>
<footer><p>{esc(c.URAL_FOOTER)}</p><p>18+</p></footer>
</body>"""
    return _document("ru", head, body, charset="windows-1251")


# --------------------------------------------------------------------------- dnipro-digest


def dnipro_article(state: SiteState, article: Article) -> str:
    """A Ukrainian news page: JSON-LD, support box, share line, read-also list."""
    head = [
        *_common_head(state, article, f"{article.title} | Дніпровський дайджест"),
        _prop("og:title", article.title),
        _prop("og:image", _image_url(state, article)),
        _jsonld(state, article),
    ]
    also = "\n".join(
        f'<li><a href="/novyny/chytaite-{i}-1700{i}/">{esc(t)}</a></li>'
        for i, t in enumerate(c.DNIPRO_READ_ALSO)
    )
    figure = _figure(state, article)
    body = f"""<body>
<div class="cookies">{esc(c.DNIPRO_COOKIES)} <button>Гаразд</button></div>
<header><a class="logo" href="/">Дніпровський дайджест</a>
<nav><a href="/novyny/">Новини</a> <a href="/misto/">Місто</a> <a href="/viina/">Війна</a>
<a href="/kultura/">Культура</a></nav></header>
<main><article>
<h1>{esc(article.title)}</h1>
<div class="meta"><time datetime="{iso(article.published_at)}">
{_date_local(article.published_at, _MONTHS_UK)}</time> ·
<span class="author">{esc(", ".join(article.authors))}</span></div>
{figure}
<div class="article-text">
{_body_paragraphs(article, _no_insert)}
</div>
<div class="support-box"><p>{esc(c.DNIPRO_SUPPORT)}</p></div>
<div class="share">Поділитися: Facebook · Telegram · Viber</div>
<aside class="read-also"><h3>Читайте також</h3><ul>
{also}
</ul></aside>
</article></main>
<footer><p>{esc(c.DNIPRO_FOOTER)}</p></footer>
</body>"""
    return _document("uk", head, body)


# --------------------------------------------------------------------------- broken-feeds


def harbour_article(state: SiteState, article: Article) -> str:
    """A plain small-town newspaper page."""
    head = [
        *_common_head(state, article, f"{article.title} | The Harbour Gazette"),
        _meta("author", ", ".join(article.authors)),
        _prop("article:published_time", iso(article.published_at)),
    ]
    body = f"""<body>
<header><h2 class="masthead"><a href="/">The Harbour Gazette</a></h2></header>
<main><article>
<h1>{esc(article.title)}</h1>
<p class="byline">By {esc(", ".join(article.authors))}</p>
<div class="story">
{_body_paragraphs(article, _no_insert)}
</div>
<p class="share">{esc(c.HARBOUR_SHARE)}: <a href="#email">Email</a> <a href="#fb">Facebook</a></p>
</article></main>
<footer><p>{esc(c.HARBOUR_FOOTER)}</p></footer>
</body>"""
    return _document("en-GB", head, body)


ARTICLE_TEMPLATES: dict[str, Callable[[SiteState, Article], str]] = {
    "steppe-herald": steppe_article,
    "borderland-press": borderland_article,
    "rhine-wire": rhine_article,
    "capital-observer": capital_article,
    "volga-bulletin": volga_article,
    "ural-vestnik": ural_article,
    "dnipro-digest": dnipro_article,
    "broken-feeds": harbour_article,
}


def render_article(state: SiteState, article: Article) -> str:
    """The HTML page of `article` in its outlet's template."""
    return ARTICLE_TEMPLATES[article.outlet_id](state, article)


def render_homepage(state: SiteState) -> str:
    """A minimal front page linking the latest articles (and its feed, if it has one)."""
    links = "\n".join(
        f'<li><a href="{esc(a.path)}">{esc(a.title)}</a></li>'
        for a in state.articles
        if a.expect not in ("gone", "robots_blocked")
    )
    body = f"<body>\n<h1>{esc(state.outlet.name)}</h1>\n<ul>\n{links}\n</ul>\n</body>"
    return _document(
        state.outlet.language,
        [f"<title>{esc(state.outlet.name)}</title>", _feed_alternate(state)],
        body,
        charset=state.outlet.charset,
    )


# --------------------------------------------------------------------------- feeds


def _summary(article: Article) -> str:
    if article.paragraphs:
        return article.paragraphs[0]
    return article.caption or article.title


def feed_entries(state: SiteState) -> list[tuple[Article, str]]:
    """The (article, link URL) pairs an outlet's feed lists, newest first.

    Rhine Wire adds tracking parameters to some links and lists the AMP variant of one
    article next to its normal URL.
    """
    entries: list[tuple[Article, str]] = []
    for index, article in enumerate(state.articles):
        if article.expect in ("robots_blocked", "too_old"):
            continue
        link = state.url(article.path)
        if state.outlet.id == "rhine-wire":
            link += _rhine_tracking(article, index)
            if article.amp_path:
                amp = state.url(article.amp_path) + "?utm_source=rss&utm_medium=feed"
                entries.append((article, amp))
        entries.append((article, link))
    return entries


def _rhine_tracking(article: Article, index: int) -> str:
    if index % 3 == 0:
        return f"?maca={article.language}-rss-{article.language}-all-1573-rdf"
    if index % 3 == 1:
        return "?utm_source=rss&utm_medium=feed"
    return ""


def render_rss2(state: SiteState, *, truncate: bool = False) -> str:
    """An RSS 2.0 channel; with `truncate` it stops mid-item like a broken upstream feed."""
    outlet = state.outlet
    items = "\n".join(_rss2_item(a, link) for a, link in feed_entries(state))
    header = f"""<?xml version="1.0" encoding="{outlet.charset}"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>{xesc(outlet.name)}</title>
<link>{xesc(state.url("/"))}</link>
<description>{xesc(outlet.name)}: latest stories</description>
<language>{outlet.language}</language>
<lastBuildDate>{http_date(state.changed_at)}</lastBuildDate>
<atom:link href="{xesc(state.url(outlet.discovery_path))}" rel="self"
 type="application/rss+xml"/>
{items}"""
    if truncate:
        return header + "\n<item>\n<title>Council approves new tram li"
    return header + "\n</channel>\n</rss>\n"


def _rss2_item(article: Article, link: str) -> str:
    return f"""<item>
<title>{xesc(article.title)}</title>
<link>{xesc(link)}</link>
<guid isPermaLink="true">{xesc(link)}</guid>
<pubDate>{http_date(article.published_at)}</pubDate>
<dc:creator>{xesc(", ".join(article.authors))}</dc:creator>
<description>{xesc(_summary(article))}</description>
</item>"""


def render_atom(state: SiteState) -> str:
    """An Atom 1.0 feed."""
    outlet = state.outlet
    entries = "\n".join(_atom_entry(state, a, link) for a, link in feed_entries(state))
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{outlet.language}">
<title>{xesc(outlet.name)}</title>
<id>{xesc(state.url("/"))}</id>
<updated>{iso(state.changed_at)}</updated>
<link rel="self" type="application/atom+xml" href="{xesc(state.url(outlet.discovery_path))}"/>
<link rel="alternate" type="text/html" href="{xesc(state.url("/"))}"/>
{entries}
</feed>
"""


def _atom_entry(state: SiteState, article: Article, link: str) -> str:
    authors = "".join(f"<author><name>{xesc(n)}</name></author>" for n in article.authors)
    return f"""<entry>
<title>{xesc(article.title)}</title>
<link rel="alternate" type="text/html" href="{xesc(link)}"/>
<id>tag:{state.outlet.id}.example,2026:{xesc(article.path)}</id>
<published>{iso(article.published_at)}</published>
<updated>{iso(article.published_at)}</updated>
{authors}
<summary type="text">{xesc(_summary(article))}</summary>
</entry>"""


def render_rdf(state: SiteState) -> str:
    """An RSS 1.0 (RDF) feed."""
    outlet = state.outlet
    entries = feed_entries(state)
    seq = "\n".join(f'<rdf:li rdf:resource="{xesc(link)}"/>' for _, link in entries)
    items = "\n".join(
        f"""<item rdf:about="{xesc(link)}">
<title>{xesc(a.title)}</title>
<link>{xesc(link)}</link>
<description>{xesc(_summary(a))}</description>
<dc:date>{iso(a.published_at)}</dc:date>
<dc:creator>{xesc(", ".join(a.authors))}</dc:creator>
<dc:language>{a.language}</dc:language>
</item>"""
        for a, link in entries
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
 xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="{xesc(state.url(outlet.discovery_path))}">
<title>{xesc(outlet.name)} | All news</title>
<link>{xesc(state.url("/en/"))}</link>
<description>News from Europe and the world</description>
<dc:date>{iso(state.changed_at)}</dc:date>
<items><rdf:Seq>
{seq}
</rdf:Seq></items>
</channel>
{items}
</rdf:RDF>
"""


def render_json_feed(state: SiteState) -> str:
    """A JSON Feed 1.1 document."""
    items = [
        {
            "id": state.url(a.path),
            "url": link,
            "title": a.title,
            "summary": _summary(a),
            "content_text": _summary(a),
            "date_published": iso(a.published_at),
            "authors": [{"name": n} for n in a.authors],
            "language": a.language,
        }
        for a, link in feed_entries(state)
    ]
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": state.outlet.name,
        "home_page_url": state.url("/"),
        "feed_url": state.url(state.outlet.discovery_path),
        "language": state.outlet.language,
        "items": items,
    }
    return json.dumps(feed, ensure_ascii=False, indent=1)


# --------------------------------------------------------------------------- sitemaps, robots


def render_sitemap_index(state: SiteState) -> str:
    """The sitemap index robots.txt points to: the news sitemap and the gzipped archive."""
    entries = "\n".join(
        f"<sitemap><loc>{xesc(state.url(p))}</loc><lastmod>{iso(state.changed_at)}</lastmod>"
        "</sitemap>"
        for p in ("/sitemaps/news.xml", "/sitemaps/archive.xml.gz")
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
{entries}
</sitemapindex>
"""


def render_news_sitemap(state: SiteState) -> str:
    """A Google News sitemap of the last 48 hours (including the robots-blocked draft)."""
    recent = [a for a in state.articles if state.now - a.published_at <= NEWS_SITEMAP_WINDOW]
    urls = "\n".join(
        f"""<url><loc>{xesc(state.url(a.path))}</loc>
<news:news><news:publication><news:name>{xesc(state.outlet.name)}</news:name>
<news:language>{a.language}</news:language></news:publication>
<news:publication_date>{iso(a.published_at)}</news:publication_date>
<news:title>{xesc(a.title)}</news:title></news:news></url>"""
        for a in recent
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
 xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
{urls}
</urlset>
"""


def render_archive_sitemap(state: SiteState) -> str:
    """A plain sitemap of every public article with its lastmod (one of them ~400 days old)."""
    public = [a for a in state.articles if not a.path.startswith("/private/")]
    urls = "\n".join(
        f"<url><loc>{xesc(state.url(a.path))}</loc><lastmod>{iso(a.published_at)}</lastmod>"
        "<changefreq>never</changefreq></url>"
        for a in public
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
{urls}
</urlset>
"""


def render_robots(state: SiteState) -> str:
    """The outlet's robots.txt (Capital Observer's lists its sitemap index)."""
    outlet_id = state.outlet.id
    if outlet_id == "capital-observer":
        return (
            "User-agent: *\nDisallow: /private/\nDisallow: /search\n\n"
            f"Sitemap: {state.url('/sitemap_index.xml')}\n"
        )
    if outlet_id == "steppe-herald":
        return "User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n"
    if outlet_id == "rhine-wire":
        return "User-agent: GPTBot\nDisallow: /\n\nUser-agent: *\nDisallow: /search/\n"
    return "User-agent: *\nDisallow: /search/\n"


# --------------------------------------------------------------------------- routes


def _html(text: str, charset: str, modified: datetime | None) -> Resource:
    return Resource(
        text.encode(charset, "xmlcharrefreplace"), f"text/html; charset={charset}", modified
    )


def _feed_routes(state: SiteState) -> dict[str, Resource]:
    outlet = state.outlet
    renderers: dict[str, Callable[[SiteState], str]] = {
        "steppe-herald": render_rss2,
        "ural-vestnik": render_rss2,
        "borderland-press": render_atom,
        "rhine-wire": render_rdf,
        "dnipro-digest": render_json_feed,
        "broken-feeds": lambda s: render_rss2(s, truncate=True),
    }
    renderer, media_type = renderers[outlet.id], FEED_MEDIA_TYPES[outlet.id]
    body = renderer(state).encode(outlet.charset, "xmlcharrefreplace")
    resource = Resource(body, f"{media_type}; charset={outlet.charset}", state.changed_at)
    return {outlet.discovery_path: resource}


def _sitemap_routes(state: SiteState) -> dict[str, Resource]:
    def xml(text: str) -> Resource:
        return Resource(text.encode(), "application/xml; charset=utf-8", state.changed_at)

    archive = gzip.compress(render_archive_sitemap(state).encode(), mtime=0)
    return {
        "/sitemap_index.xml": xml(render_sitemap_index(state)),
        "/sitemaps/news.xml": xml(render_news_sitemap(state)),
        "/sitemaps/archive.xml.gz": Resource(
            archive, "application/x-gzip", state.changed_at, compressible=False
        ),
    }


def _listing_routes(state: SiteState) -> dict[str, Resource]:
    routes = {"/news/": _html(volga_listing(state, 1), "utf-8", state.changed_at)}
    for page in range(2, volga_listing_pages(state) + 1):
        routes[f"/news/page/{page}/"] = _html(volga_listing(state, page), "utf-8", state.changed_at)
    for path, title in (
        ("/tag/army/", "Tag: army"),
        ("/tag/samara/", "Tag: samara"),
        ("/tag/region/", "Tag: region"),
        ("/about/", "About the Bulletin"),
        ("/section/city/", "City"),
        ("/section/sport/", "Sport"),
        ("/section/culture/", "Culture"),
    ):
        text = f"{title}: an index page of the Volga Bulletin, not an article."
        routes[path] = _html(volga_misc_page(title, text), "utf-8", state.created_at)
    return routes


def render_site(state: SiteState) -> dict[str, Resource]:
    """Every path the outlet serves (without query string) mapped to its resource."""
    charset = state.outlet.charset
    routes: dict[str, Resource] = {
        "/robots.txt": Resource(
            render_robots(state).encode(), "text/plain; charset=utf-8", state.created_at
        ),
        "/": _html(render_homepage(state), charset, state.changed_at),
    }
    for article in state.articles:
        if article.expect == "gone":
            continue
        modified = article.modified_at or article.published_at
        routes[article.path] = _html(render_article(state, article), charset, modified)
        if article.amp_path:
            routes[article.amp_path] = _html(
                rhine_amp(state, article), charset, article.published_at
            )
    extra = {"feed": _feed_routes, "sitemap": _sitemap_routes, "listing": _listing_routes}
    routes.update(extra[state.outlet.source_kind](state))
    return routes


# --------------------------------------------------------------------------- configs


def _toml_str(value: str) -> str:
    """A TOML basic string (JSON string syntax is a subset of it)."""
    return json.dumps(value, ensure_ascii=False)


def _toml_literal_list(values: tuple[str, ...]) -> str:
    """A TOML array of literal strings (regexes and XPaths stay unescaped)."""
    if any("'" in v for v in values):
        return "[" + ", ".join(_toml_str(v) for v in values) + "]"
    return "[" + ", ".join(f"'{v}'" for v in values) + "]"


def render_outlet_config(outlet: Outlet, base_url: str, *, max_age_days: int = 30) -> str:
    """The config/outlets/<id>.toml text for a fixture outlet served at `base_url`."""
    lines = [
        f"# Fixture outlet served by tests.fixtureweb at {base_url}",
        f"id = {_toml_str(outlet.id)}",
        f"name = {_toml_str(outlet.name)}",
        f"homepage = {_toml_str(base_url + '/')}",
        f"language = {_toml_str(outlet.language)}",
        'domains = ["127.0.0.1"]',
        f"max_age_days = {max_age_days}",
        "",
        "[[sources]]",
        f"kind = {_toml_str(outlet.source_kind)}",
        f"url = {_toml_str(base_url + outlet.discovery_path)}",
    ]
    if outlet.max_pages is not None:
        lines.append(f"max_pages = {outlet.max_pages}")
    lines += [
        "",
        "[urls]",
        f"allow = {_toml_literal_list(outlet.allow)}",
        f"deny = {_toml_literal_list(outlet.deny)}",
        "",
        "[fetch]",
        "download_delay_seconds = 0",
    ]
    if outlet.prune_xpath:
        lines += ["", "[extract]", f"prune_xpath = {_toml_literal_list(outlet.prune_xpath)}"]
    return "\n".join(lines) + "\n"


def render_dead_config(port: int) -> str:
    """An outlet config whose feed is on a 127.0.0.1 port where nothing listens."""
    base = f"http://127.0.0.1:{port}"
    return "\n".join(
        [
            "# Fixture outlet whose server is down: every request is refused.",
            'id = "dead-outlet"',
            'name = "Dead Outlet"',
            f"homepage = {_toml_str(base + '/')}",
            'language = "en"',
            'domains = ["127.0.0.1"]',
            "max_age_days = 30",
            "",
            "[[sources]]",
            'kind = "feed"',
            f"url = {_toml_str(base + '/feed/')}",
            "",
            "[fetch]",
            "download_delay_seconds = 0",
            "",
        ]
    )
