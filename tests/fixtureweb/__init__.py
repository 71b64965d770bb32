"""A fixture web of fictional news outlets served on 127.0.0.1 for newsmon's tests.

    from tests.fixtureweb import FixtureWeb, Fault, ARTICLES, article_url

    with FixtureWeb() as web:
        web.write_configs(tmp_path)          # tmp_path/outlets/<id>.toml
        ...                                  # crawl, then inspect web.requests

`content` holds the outlets and articles (with what a correct pipeline should decide about
each), `render` turns them into pages, feeds and sitemaps, `server` serves them.
"""

from .content import (
    ARTICLES,
    EXPECTS,
    OUTLETS,
    Article,
    Outlet,
    article_url,
    articles_for,
    build_articles,
    bulk_articles,
)
from .server import DEAD_OUTLET, Fault, FixtureWeb, LoggedRequest

__all__ = [
    "ARTICLES",
    "DEAD_OUTLET",
    "EXPECTS",
    "OUTLETS",
    "Article",
    "Fault",
    "FixtureWeb",
    "LoggedRequest",
    "Outlet",
    "article_url",
    "articles_for",
    "build_articles",
    "bulk_articles",
]
