"""The only Scrapy code: the crawl process, its one generic spider, middlewares and settings.

Nothing outside this package imports Scrapy (``tests/test_layout.py`` checks it).
"""
