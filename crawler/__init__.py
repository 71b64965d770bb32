"""From a configured outlet to a decided result.

Below the hand-over: ``config``, ``discovery`` and ``content`` (plain functions and decision
values). The hand-over: ``records`` (typed results a crawl produces), ``spool`` (moves them
between processes), ``frontier`` (what is known, pending and due) and ``ingest`` (the single
writer). Scrapy lives in ``fetch`` only.
"""
