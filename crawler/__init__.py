"""Everything that touches the web: configs, discovery, fetching, extraction, relevance, dedup.

The decisions are plain functions (``crawler.sources``, ``crawler.extraction``,
``crawler.relevance``, ``crawler.canonical``, ``crawler.dedup``); the Scrapy classes in
``crawler.spider`` and ``crawler.middlewares`` are thin glue around them.
"""
