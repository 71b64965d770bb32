"""Killed crawls lose nothing: articles expected / fetched / lost, at a larger size.

Serves a fixture web of large outlets (a sitemap, a feed and a paginated listing outlet by
default), crawls it once without interruption to learn what a crawl decides, then, on a fresh
store with a small cap, starts `newsmon crawl` and SIGKILLs it (its process group and its crawl
processes) at random moments, and finally crawls until a crawl fetches nothing new. Prints how
many URLs the uninterrupted crawl decided, how many of those the killed-then-resumed store
decided the same way, and how many were lost; also duplicates and the integrity check.

    python bench/crash.py [--per-outlet 400] [--kills 20] [--cap 25] [--seed N]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from crashkit import (  # noqa: E402
    configure,
    crawl_until_quiet,
    decided,
    kill_at_random,
    stored_urls,
)

from daemonkit import query  # noqa: E402
from fixtureweb import FixtureWeb, bulk_articles  # noqa: E402

OUTLETS = ["capital-observer", "steppe-herald", "volga-bulletin", "borderland-press"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--per-outlet", type=int, default=400)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--cap", type=int, default=25)
    parser.add_argument("--seed", type=int, default=random.randrange(1_000_000))
    parser.add_argument("--window", type=float, nargs=2, default=(1.0, 8.0))
    args = parser.parse_args()
    articles = bulk_articles(OUTLETS, args.per_outlet, datetime.now(UTC), spacing_minutes=3)
    with FixtureWeb(articles=articles) as web, tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        started = time.monotonic()
        baseline = configure(root / "baseline", web, OUTLETS, cap=1_000_000, listing_pages=1000)
        crawl_until_quiet(baseline, max_crawls=5)
        expected = decided(baseline.setup.db)
        print(f"uninterrupted: {len(expected)} URLs decided in {time.monotonic() - started:.0f} s")
        if not expected:
            print("the uninterrupted crawl decided nothing: is newsmon installed here?")
            return 2
        killed = configure(root / "killed", web, OUTLETS, cap=args.cap, listing_pages=1000)
        hits = kill_at_random(killed, args.kills, random.Random(args.seed), tuple(args.window))
        crawls = crawl_until_quiet(killed, max_crawls=10 + 2 * len(articles) // args.cap)
        got = decided(killed.setup.db)
        lost = [url for url, state in expected.items() if got.get(url) != state]
        stored = stored_urls(killed.setup.db)
        integrity = query(killed.setup.db, "pragma integrity_check")[0][0]
    print(
        f"seed {args.seed}: {hits} of {args.kills} kills hit a running crawl; "
        f"resumed in {crawls} crawls"
    )
    print(
        f"articles expected {len(expected)}  fetched {len(expected) - len(lost)}  lost {len(lost)}"
    )
    twice = len(stored) - len(set(stored))
    print(f"stored {len(stored)}, stored twice {twice}, integrity {integrity}")
    for url in lost[:20]:
        print(f"  lost: {url} (expected {expected[url]}, got {got.get(url)})")
    return 0 if not lost and integrity == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
