"""Growth: does deciding and storing an article, and a full-text search, stay cheap as the
store grows? Measured at each ``--sizes`` (default 10,000 and 1,000,000 stored articles).

For each size the script builds a store with the project's migrations, fills it in bulk with
that many synthetic articles (about 250 words each from a Zipf-distributed vocabulary of
50,000 words, so the FTS index has realistic posting lists; each with its near-duplicate
bands, story terms and URL row, as the writer leaves them; published over the last year),
then:

- **decide and store**: the same 300 new articles (on-topic sentences from the fixture web's
  reports, mixed with vocabulary, so none duplicates another) go through the real writer
  (``Ingestor.ingest`` over a spool): CPU ms per article, median of 3 rounds;
- **FTS**: 100 searches (common, middling and rare words, prefixes, a phrase) through
  ``storage.queries.search_articles``: median and p95 wall ms.

    PYTHONPATH=. python bench/growth.py [--sizes 10000,1000000] [--keep DIR]

The 1,000,000-article store takes about 3 GB of disk and several minutes to build.
"""

from __future__ import annotations

import argparse
import itertools
import random
import resource
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from crawler.config import OutletConfig, load_config  # noqa: E402
from crawler.ingest import Ingestor  # noqa: E402
from crawler.records import PageRecord  # noqa: E402
from crawler.spool import Spool  # noqa: E402
from fixtureweb.content import ARTICLES  # noqa: E402
from storage import Store  # noqa: E402
from storage.outlets import sync_outlets  # noqa: E402
from storage.queries import search_articles  # noqa: E402
from storage.runs import start_run  # noqa: E402

VOCABULARY = 50_000
WORDS_PER_ARTICLE = 250
BATCH = 20_000
NEW_ARTICLES = 300
SEED = 20261130


def vocabulary(rng: random.Random) -> list[str]:
    consonants, vowels = "bdfgklmnprstvz", "aeiou"
    syllables = [c + v for c in consonants for v in vowels] + list(vowels)  # 75: 5.6M words
    words: set[str] = set()
    while len(words) < VOCABULARY:
        words.add("".join(rng.choices(syllables, k=rng.randint(2, 4))))
    return sorted(words, key=lambda w: (len(w), w))


def zipf_text(rng: random.Random, words: list[str], cumulative: list[float], count: int) -> str:
    return " ".join(rng.choices(words, cum_weights=cumulative, k=count)) + "."


def fill(store: Store, size: int, rng: random.Random, words: list[str]) -> None:
    """``size`` stored articles in bulk, with the rows the writer keeps beside each."""
    weights = list(itertools.accumulate(1 / rank for rank in range(1, len(words) + 1)))
    now = datetime.now(UTC)
    triggers = [
        row[0]
        for row in store.db.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'articles'"
        )
    ]
    with store.transaction() as db:  # the FTS index is built once at the end: far faster
        for name in [r[0] for r in db.execute(_TRIGGER_NAMES)]:
            db.execute(f"DROP TRIGGER [{name}]")
    for start in range(0, size, BATCH):
        rows = [_row(n, rng, words, weights, now) for n in range(start, min(size, start + BATCH))]
        with store.transaction() as db:
            db.conn.executemany(_INSERT_ARTICLE, [r["article"] for r in rows])
            db.conn.executemany(_INSERT_URL, [r["url"] for r in rows])
            db.conn.executemany(_INSERT_BAND, [b for r in rows for b in r["bands"]])
            db.conn.executemany(_INSERT_TERM, [t for r in rows for t in r["terms"]])
    with store.transaction() as db:
        db.execute("INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')")
        for sql in triggers:
            db.execute(sql)


_TRIGGER_NAMES = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'articles'"


_INSERT_ARTICLE = (
    "INSERT INTO articles (id, outlet_id, url, canonical_url, title, text, word_count,"
    " body_sha256, topic_id, relevance_score, extractor, fetched_at, stored_at, published_at,"
    " story_id, indexed) VALUES (?, 'bench', ?, ?, ?, ?, ?, ?, 'russian-military-desertion',"
    " 12.0, 'bench', ?, ?, ?, ?, 1)"
)
_INSERT_URL = (
    "INSERT INTO urls (url, outlet_id, state, reason, canonical_url, article_id, first_seen_at,"
    " updated_at) VALUES (?, 'bench', 'stored', 'on topic', ?, ?, ?, ?)"
)
_INSERT_BAND = "INSERT OR IGNORE INTO article_bands (band_key, article_id) VALUES (?, ?)"
_INSERT_TERM = "INSERT OR IGNORE INTO story_terms (term, day, article_id) VALUES (?, ?, ?)"


def _row(n: int, rng: random.Random, words: list[str], weights: list[float], now: datetime):
    article_id = n + 1
    url = f"https://bench.example/{article_id}"
    when = (now - timedelta(days=rng.random() * 365)).strftime("%Y-%m-%dT%H:%M:%SZ")
    text = zipf_text(rng, words, weights, WORDS_PER_ARTICLE)
    title = zipf_text(rng, words, weights, 8)
    digest = f"{rng.getrandbits(128):032x}"
    return {
        "article": (
            article_id,
            url,
            url,
            title,
            text,
            WORDS_PER_ARTICLE,
            digest,
            when,
            when,
            when,
            article_id,
        ),
        "url": (url, url, article_id, when, when),
        "bands": [(rng.getrandbits(62), article_id) for _ in range(16)],
        "terms": [(rng.choice(words[:5000]), when[:10], article_id) for _ in range(5)],
    }


def new_records(run_id: int, batch: int, rng: random.Random, words: list[str]) -> list[PageRecord]:
    sentences = [
        s.strip() + "."
        for a in ARTICLES
        if a.language == "en" and a.expect == "on_topic"
        for p in a.paragraphs
        for s in p.split(". ")
        if len(s.split()) > 6
    ]
    records = []
    for n in range(NEW_ARTICLES):
        text = " ".join(rng.sample(sentences, 6)) + " " + " ".join(rng.sample(words, 120))
        url = f"https://bench.example/new/{batch}/{n}"
        article = {
            "title": f"Russian deserters sent back to the front, report {batch}-{n}",
            "text": text,
            "description": None,
            "authors": ["Bench"],
            "published_at": None,
            "language": "en",
            "canonical_url": None,
            "site_name": None,
            "image_url": None,
            "word_count": len(text.split()),
        }
        records.append(
            PageRecord(run_id, "bench", url, url, 200, "text/html", "t", None, article, None)
        )
    return records


def decide_and_store_ms(store: Store, folder: Path, rng: random.Random, words: list[str]) -> float:
    """CPU ms per article for the writer to decide and store the new articles."""
    config = load_config(REPO / "config")
    bench = OutletConfig(
        id="bench",
        name="Bench",
        homepage="https://bench.example/",
        language="en",
        sources=[{"kind": "feed", "url": "https://bench.example/feed"}],
    )
    config = config.model_copy(update={"outlets": {**config.outlets, "bench": bench}})
    rounds = []
    for attempt in range(3):
        spool = Spool(folder / f"spool-{attempt}")
        run_id = start_run(store, "bench", "bench")
        records = new_records(run_id, attempt, random.Random(attempt), words)
        for record in records:
            spool.put(record)
        before = _cpu()
        Ingestor(store, config).ingest(spool)
        rounds.append((_cpu() - before) * 1000 / len(records))
    return statistics.median(rounds)


def fts_ms(store: Store, words: list[str]) -> tuple[float, float]:
    queries = [words[rank] for rank in (3, 10, 30, 100, 300, 1000, 3000, 10000, 30000, 49000)]
    queries += [f"{w[:3]}*" for w in words[100:110]] + [f'"{words[5]} {words[7]}"']
    timings = []
    for query in (queries * 5)[:100]:
        start = time.perf_counter()
        search_articles(store, query, limit=20)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1]


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure(size: int, folder: Path) -> dict[str, float]:
    rng = random.Random(SEED)
    words = vocabulary(rng)
    with Store.open(folder / f"growth-{size}.db") as store:
        sync_outlets(store, [_OUTLET])
        start = time.perf_counter()
        fill(store, size, rng, words)
        built = time.perf_counter() - start
        store_ms = decide_and_store_ms(store, folder, rng, words)
        p50, p95 = fts_ms(store, words)
    return {"build_s": built, "store_ms": store_ms, "fts_p50": p50, "fts_p95": p95}


_OUTLET = {"id": "bench", "name": "Bench", "homepage": "https://bench.example/", "language": "en"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,1000000")
    parser.add_argument("--keep", type=Path, help="build the stores here and keep them")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    print("| stored articles | build s | decide+store CPU ms/article | FTS p50 ms | FTS p95 ms |")
    print("|---|---|---|---|---|")
    first = None
    with tempfile.TemporaryDirectory(dir=args.keep) as tmp:
        for size in sizes:
            f = measure(size, Path(tmp))
            first = first or f
            print(
                f"| {size:,} | {f['build_s']:.0f} | {f['store_ms']:.2f} | {f['fts_p50']:.2f} "
                f"| {f['fts_p95']:.2f} |",
                flush=True,
            )
            (Path(tmp) / f"growth-{size}.db").unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
