"""Growth: does deciding and storing an article, and a full-text search, stay cheap as the
store grows? Measured at each ``--sizes`` (default 10,000 and 1,000,000 stored articles).

For each size the script builds a store with the project's migrations, fills it in bulk with
that many synthetic articles (about 250 words each from a Zipf-distributed vocabulary of
50,000 words, so the FTS index has realistic posting lists; each with its near-duplicate
bands, story terms and URL row, as the writer leaves them; published over the last year),
then:

- **decide and store**: 3 rounds of 300 new on-topic reports (a trial of a named deserter,
  with words of the vocabulary, so none duplicates another) go through the real writer
  (``Ingestor.apply``, a transaction each): judged, checked for copies, placed in a story,
  written. CPU ms per article, the median round (goal: at most 1.2x at 1M of its cost at 10k);
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

from crawler.config import Config, load_config
from crawler.content.article import ExtractedArticle
from crawler.ingest import Ingestor
from crawler.records import PageRecord
from storage import Store
from storage.outlets import sync_outlets
from storage.queries import search_articles
from storage.runs import start_run

REPO = Path(__file__).resolve().parents[1]

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
    triggers = list(store.db.execute(_TRIGGERS))  # (name, sql)
    with store.transaction() as db:  # the FTS index is built once at the end: far faster
        for name, _ in triggers:
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
        db.execute(
            "INSERT INTO story_term_counts (term, articles)"
            " SELECT term, COUNT(*) FROM story_terms GROUP BY term"
        )
        for _, sql in triggers:
            db.execute(sql)


_TRIGGERS = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'articles'"


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
        "bands": [(rng.getrandbits(63), article_id) for _ in range(32)],
        "terms": [(f"e:{rng.randrange(200_000)}", when[:10], article_id) for _ in range(10)]
        + [(f"n:{rng.randrange(5000)}", when[:10], article_id) for _ in range(4)],
    }


ON_TOPIC = (
    "A garrison court in {place} sentenced {name}, a {age}-year-old contract soldier who "
    "deserted his unit, to {years} years in a penal colony for desertion; he had gone AWOL "
    "after refusing to fight and was forcibly sent back to the front before he fled again."
)
OUTLET = """
id = "bench"
name = "Bench Outlet"
homepage = "https://bench.example/"
language = "en"
max_age_days = 100000
[[sources]]
kind = "feed"
url = "https://bench.example/feed"
"""


def new_records(run_id: int, batch: int, rng: random.Random, words: list[str]) -> list[PageRecord]:
    """On-topic reports, each its own (a name and a place, and words of the vocabulary)."""
    records = []
    for n in range(NEW_ARTICLES):
        values = {
            "place": rng.choice(["Pskov", "Tver", "Omsk", "Kursk", "Perm"]),
            "name": f"Ivan Petrov{batch}x{n}",
            "age": 20 + n % 40,
            "years": 2 + n % 9,
        }
        text = ON_TOPIC.format(**values) + " " + " ".join(rng.sample(words, 200))
        url = f"https://bench.example/new/{batch}/{n}"
        article = ExtractedArticle(
            f"Deserter {batch}-{n} sentenced",
            text,
            None,
            (),
            "2026-11-29T10:00:00Z",
            "en",
            None,
            None,
            None,
            len(text.split()),
        )
        records.append(
            PageRecord(run_id, "bench", url, url, 200, "text/html", "t", None, article, None)
        )
    return records


def bench_config(folder: Path) -> Config:
    root = folder / "config"
    (root / "topics").mkdir(parents=True, exist_ok=True)
    (root / "outlets").mkdir(exist_ok=True)
    topic = REPO / "config" / "topics" / "russian-military-desertion.toml"
    (root / "topics" / topic.name).write_text(topic.read_text(encoding="utf-8"), encoding="utf-8")
    (root / "outlets" / "bench.toml").write_text(OUTLET, encoding="utf-8")
    return load_config(root)


def decide_and_store_ms(store: Store, config: Config, words: list[str]) -> float:
    """CPU ms per article for the writer to decide and store new on-topic articles, each in
    its own transaction as the writer does (median of 3 rounds of NEW_ARTICLES)."""
    ingestor = Ingestor(store, config)
    rounds = []
    for batch in range(3):
        records = new_records(
            start_run(store, "bench", "bench"), batch, random.Random(batch), words
        )
        ingestor.apply(store.db, records[0])  # the analysers warm up
        before = _cpu()
        for record in records[1:]:
            with store.transaction() as db:
                ingestor.apply(db, record)
        rounds.append((_cpu() - before) * 1000 / (len(records) - 1))
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
    config = bench_config(folder)
    with Store.open(folder / f"growth-{size}.db") as store:
        sync_outlets(store, [o.model_dump(mode="json") for o in config.outlets.values()])
        start = time.perf_counter()
        fill(store, size, rng, words)
        built = time.perf_counter() - start
        store_ms = decide_and_store_ms(store, config, words)
        p50, p95 = fts_ms(store, words)
    return {"build_s": built, "store_ms": store_ms, "fts_p50": p50, "fts_p95": p95}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,1000000")
    parser.add_argument("--keep", type=Path, help="build the stores here and keep them")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    print(
        "| stored articles | build s | decide+store CPU ms/article | ratio | FTS p50 ms "
        "| FTS p95 ms |"
    )
    print("|---|---|---|---|---|---|")
    first = None
    with tempfile.TemporaryDirectory(dir=args.keep) as tmp:
        for size in sizes:
            f = measure(size, Path(tmp))
            first = first or f
            print(
                f"| {size:,} | {f['build_s']:.0f} | {f['store_ms']:.2f} "
                f"| {f['store_ms'] / first['store_ms']:.2f}x | {f['fts_p50']:.2f} "
                f"| {f['fts_p95']:.2f} |",
                flush=True,
            )
            (Path(tmp) / f"growth-{size}.db").unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
