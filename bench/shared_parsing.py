"""Discovery parsing on inputs nobody here wrote: ../shared/data/feeds and sitemaps.

Every file of both folders (their MANIFEST.json lists them) goes through the parser of its
kind. Prints, per folder, files read, entries recovered (well-formed and malformed files
apart), the slowest file, and every file that yielded nothing with the reason.

    python bench/shared_parsing.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from crawler.discovery.entry import Discovery
from crawler.discovery.feeds import parse_feed
from crawler.discovery.sitemaps import parse_sitemap
from crawler.errors import SourceParseError

REPO = Path(__file__).resolve().parent.parent
BASE = "http://example.com/"
PARSERS: dict[str, Callable[[bytes], Discovery]] = {
    "feeds": lambda body: parse_feed(body, BASE, None, max_bytes=50_000_000),
    "sitemaps": lambda body: parse_sitemap(body, BASE, max_bytes=50_000_000),
}


def run(data: Path, folder: str) -> None:
    manifest = json.loads((data / folder / "MANIFEST.json").read_text())
    entries = {"well-formed": 0, "malformed": 0}
    empty: list[str] = []
    slowest = (0.0, "")
    for item in manifest:
        body = (data / item["file"]).read_bytes()
        started = time.perf_counter()
        try:
            discovery = PARSERS[folder](body)
            found, why = len(discovery.entries) + len(discovery.follow), "no entries"
        except SourceParseError as exc:
            found, why = 0, str(exc)
        slowest = max(slowest, (time.perf_counter() - started, item["file"]))
        entries["malformed" if item.get("malformed") else "well-formed"] += found
        if not found:
            kind = "malformed" if item.get("malformed") else "well-formed"
            empty.append(f"  {item['file']} ({kind}): {why[:120]}")
    print(
        f"{folder}: {len(manifest)} files read; entries recovered: {entries['well-formed']} from "
        f"well-formed files, {entries['malformed']} from malformed ones; slowest "
        f"{slowest[0] * 1000:.0f} ms ({slowest[1]}); {len(empty)} yielded nothing:"
    )
    print("\n".join(empty))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"no {args.data}: nothing to read", file=sys.stderr)
        return 2
    for folder in PARSERS:
        run(args.data, folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
