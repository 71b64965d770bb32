"""From a fetched discovery document to candidate article URLs.

One small function per source kind, ``(body, base_url) -> Discovery``: ``feed`` covers RSS
0.9x/2.0, RSS 1.0 (RDF), Atom and JSON Feed, detected from the body; ``sitemap`` covers
sitemaps, sitemap indexes, Google News sitemaps, text sitemaps, gzip and robots.txt;
``listing`` covers HTML section pages with ``rel=next`` pagination. ``triage`` decides which
entries a crawl fetches.
"""
