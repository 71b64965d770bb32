"""Extraction quality and speed on the article-extraction-benchmark pages.

Runs newsmon's extraction (``crawler.content.extraction.extract_article`` with the default settings,
as a crawl runs it) and plain ``trafilatura.extract`` over ``../shared/data/scrapinghub_aeb``
and prints body F1 with that benchmark's metric, precision, recall and ms/page.

The metric, as the benchmark defines it: each text becomes the multiset of its 4-token
shingles (tokens are ``\\w+``); per page, true/false positives and false negatives are counted
over shingles and normalised to sum to 1; precision is averaged over pages that predicted
something, recall over pages that have a true body, and F1 is taken of those two means.

    python bench/extraction.py [DATA_DIR] [--limit N]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import trafilatura

from crawler.config import ExtractOptions, Settings
from crawler.content.article import NoArticleBody
from crawler.content.extraction import extract_article

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "scrapinghub_aeb"
TOKEN = re.compile(r"\w+")
Counts = tuple[float, float, float]


def shingles(text: str, size: int = 4) -> Counter[tuple[str, ...]]:
    tokens = TOKEN.findall(text or "")
    return Counter(
        tuple(tokens[i : i + size])
        for i in range(max(1, len(tokens) - size + 1))
        if tokens[i : i + size]
    )


def page_counts(true: str, predicted: str) -> Counts:
    """Normalised (tp, fp, fn) of one page's shingles."""
    expected, found = shingles(true), shingles(predicted)
    tp = sum((expected & found).values())
    fp = sum((found - expected).values())
    fn = sum((expected - found).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _precision(tp: float, fp: float, fn: float) -> float:
    return 1.0 if fp == fn == 0 else tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    return 1.0 if fp == fn == 0 else tp / (tp + fn)


def scores(counts: list[Counts]) -> dict[str, float]:
    precision = statistics.mean(_precision(*c) for c in counts if c[0] + c[1] > 0)
    recall = statistics.mean(_recall(*c) for c in counts if c[0] + c[2] > 0)
    return {
        "f1": 2 * precision * recall / (precision + recall),
        "precision": precision,
        "recall": recall,
    }


def newsmon_extract(html: str, url: str) -> str:
    try:
        return extract_article(html, url, ExtractOptions(), Settings().extract.min_words).text
    except NoArticleBody:
        return ""


def plain_trafilatura(html: str, url: str) -> str:
    return trafilatura.extract(html, url=url) or ""


def run(name: str, extractor: Callable[[str, str], str], pages: list[tuple[str, str, str]]) -> None:
    counts, times = [], []
    for html, url, true in pages:
        start = time.perf_counter()
        predicted = extractor(html, url)
        times.append((time.perf_counter() - start) * 1000)
        counts.append(page_counts(true, predicted))
    result = scores(counts)
    empty = sum(1 for c in counts if c[0] + c[1] == 0)
    print(
        f"{name:<26} F1={result['f1']:.3f}  precision={result['precision']:.3f}  "
        f"recall={result['recall']:.3f}  median {statistics.median(times):.1f} ms/page  "
        f"mean {statistics.mean(times):.1f} ms/page  pages with no body: {empty}"
    )


def load(data: Path, limit: int | None) -> list[tuple[str, str, str]]:
    pages = []
    for folder in sorted(p for p in data.iterdir() if p.is_dir())[:limit]:
        expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
        html = (folder / "page.html").read_text(encoding="utf-8", errors="replace")
        pages.append((html, expected.get("url") or "", expected.get("text") or ""))
    return pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, help="only the first N pages")
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"no benchmark data at {args.data}", file=sys.stderr)
        return 2
    pages = load(args.data, args.limit)
    print(f"{len(pages)} pages from {args.data}")
    run("newsmon extract_article", newsmon_extract, pages)
    run("trafilatura.extract()", plain_trafilatura, pages)
    return 0


if __name__ == "__main__":
    sys.exit(main())
