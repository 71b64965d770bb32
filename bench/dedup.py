"""Near-duplicates, the decide-and-store cost as the store grows, and story clustering.

Three tables, each from a fixed seed:

1. **Near-duplicates** on a synthetic corpus: N documents of ~400 words drawn from a Zipf
   vocabulary, and N/10 lightly edited copies (about 5 % of words replaced, a sentence
   dropped, a few words inserted). Recall of the copies at the configured threshold, false
   matches among unrelated documents, and the fingerprint cost per document.
2. **Growth**: stores pre-filled with 10k and 1M synthetic articles (rows, near-duplicate
   band keys and story terms written directly, as the writer would leave them), then the
   real writer (``Ingestor.apply``) decides and stores new on-topic pages: ms per article at
   each size and the ratio (goal: at most 1.2×).
3. **Stories** on a labelled set of real reports (``bench/stories_manifest.csv``: address,
   language, story label): pair precision, recall and F1 of the shipped story rule. The texts
   are not in the repository; pass a folder holding ``texts.jsonl`` (one JSON object per
   report: ``url``, ``language``, ``title``, ``text``), e.g. excerpts of the manifest's pages.

    python bench/dedup.py [--sizes 10000,1000000] [--new 300] [--docs 10000]
                          [--stories DIR] [--workdir DIR] [--parts near,stories,growth]
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import random
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from knownkit import Known  # noqa: E402

from crawler.config import Config, load_config  # noqa: E402
from crawler.config.settings import DedupSettings  # noqa: E402
from crawler.content.article import ExtractedArticle  # noqa: E402
from crawler.content.copies import CopyFacts  # noqa: E402
from crawler.content.judge import Candidate, Decision, dedupe, place_in_story  # noqa: E402
from crawler.content.neardup import band_keys, jaccard, shingles  # noqa: E402
from crawler.content.stories import common_terms, story_terms  # noqa: E402
from crawler.ingest import Ingestor  # noqa: E402
from crawler.records import PageRecord  # noqa: E402
from storage import Store  # noqa: E402
from storage.outlets import sync_outlets  # noqa: E402
from storage.runs import start_run  # noqa: E402

SETTINGS = DedupSettings()
MANIFEST = REPO / "bench" / "stories_manifest.csv"
TOPIC = REPO / "config" / "topics" / "russian-military-desertion.toml"
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
ON_TOPIC = (
    "A garrison court in {place} sentenced {name}, a {age}-year-old contract soldier who "
    "deserted his unit, to {years} years in a penal colony for desertion; he had gone AWOL "
    "after refusing to fight and was forcibly sent back to the front before he fled again."
)


# -- 1. near-duplicates ------------------------------------------------------------------------


def zipf_words(rng: np.random.Generator, vocabulary: int, count: int) -> list[str]:
    ranks = rng.zipf(1.15, size=count * 2)
    return [f"w{r}" for r in ranks[ranks <= vocabulary][:count]]


def edited(words: list[str], rng: random.Random) -> list[str]:
    """A light edit: ~5 % of words replaced, one 20-word stretch dropped, a few inserted."""
    copy = list(words)
    for i in rng.sample(range(len(copy)), len(copy) // 20):
        copy[i] = f"edit{rng.randrange(10**6)}"
    start = rng.randrange(len(copy) - 20)
    del copy[start : start + 20]
    for _ in range(5):
        copy.insert(rng.randrange(len(copy)), f"new{rng.randrange(10**6)}")
    return copy


def near_duplicates(docs: int) -> None:
    nrng, rng = np.random.default_rng(7), random.Random(7)
    originals = [zipf_words(nrng, 20_000, 400) for _ in range(docs)]
    index: dict[int, list[int]] = {}
    sets: list[frozenset[int]] = []
    started = time.perf_counter()
    for ident, words in enumerate(originals):
        sets.append(shingles(" ".join(words)))
        for key in band_keys(sets[-1]):
            index.setdefault(key, []).append(ident)
    per_doc_ms = (time.perf_counter() - started) / docs * 1000
    found = false = 0
    copies = docs // 10
    for ident in range(copies):
        mine = shingles(" ".join(edited(originals[ident], rng)))
        candidates = {c for key in band_keys(mine) for c in index.get(key, ())}
        matched = {
            c for c in candidates if jaccard(mine, sets[c]) >= SETTINGS.near_duplicate_threshold
        }
        found += ident in matched
        false += len(matched - {ident})
    similarity = np.mean(
        [
            jaccard(shingles(" ".join(edited(o, rng))), s)
            for o, s in zip(originals[:200], sets, strict=False)
        ]
    )
    table(
        "Near-duplicates (synthetic)",
        ("documents", "edited copies", "mean Jaccard of a copy", "found", "false matches"),
        [(docs, copies, f"{similarity:.2f}", f"{found / copies:.1%}", false)],
    )
    print(f"fingerprint cost: {per_doc_ms:.2f} ms per document\n")


# -- 2. growth ---------------------------------------------------------------------------------


def bench_config(root: Path) -> Config:
    (root / "config" / "topics").mkdir(parents=True, exist_ok=True)
    (root / "config" / "outlets").mkdir(exist_ok=True)
    (root / "config" / "topics" / TOPIC.name).write_text(TOPIC.read_text())
    (root / "config" / "outlets" / "bench.toml").write_text(OUTLET)
    return load_config(root / "config")


def filler_rows(count: int, rng: random.Random) -> Iterator[tuple[object, ...]]:
    for ident in range(1, count + 1):
        day = f"20{24 + ident * 2 // count:02d}-{1 + ident % 12:02d}-{1 + ident % 28:02d}"
        yield (
            ident,
            "bench",
            f"https://bench.example/a/{ident}",
            f"https://bench.example/a/{ident}",
            f"Filler {ident}",
            f"filler text {ident} " + " ".join(f"w{rng.randrange(50_000)}" for _ in range(30)),
            f"{day}T10:00:00Z",
            "en",
            40,
            f"{ident:064x}",
            "t",
            1.0,
            "x",
            f"{day}T11:00:00Z",
            f"{day}T11:00:00Z",
            ident,
        )


def fill(store: Store, count: int) -> None:
    """``count`` articles with band keys and story terms, written in bulk."""
    rng = random.Random(count)
    db = store.db
    with store.transaction():
        db.conn.executemany(
            "INSERT INTO articles (id, outlet_id, url, canonical_url, title, text, published_at,"
            " language, word_count, body_sha256, topic_id, relevance_score, extractor,"
            " fetched_at, stored_at, story_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            filler_rows(count, rng),
        )
        db.conn.executemany(
            "INSERT OR IGNORE INTO article_bands (band_key, article_id) VALUES (?, ?)",
            ((rng.getrandbits(63), ident) for ident in range(1, count + 1) for _ in range(32)),
        )
        terms = (
            (
                ident,
                [f"e:{rng.randrange(200_000)}" for _ in range(10)]
                + [f"n:{rng.randrange(5000)}" for _ in range(4)],
            )
            for ident in range(1, count + 1)
        )
        db.conn.executemany(
            "INSERT OR IGNORE INTO story_terms (term, day, article_id) VALUES (?, ?, ?)",
            (
                (
                    term,
                    f"20{24 + ident * 2 // count:02d}-{1 + ident % 12:02d}-{1 + ident % 28:02d}",
                    ident,
                )
                for ident, ts in terms
                for term in ts
            ),
        )
        db.execute(
            "INSERT INTO story_term_counts (term, articles)"
            " SELECT term, COUNT(*) FROM story_terms GROUP BY term"
        )


def new_pages(run_id: int, count: int, offset: int) -> list[PageRecord]:
    rng = random.Random(offset)
    pages = []
    for n in range(count):
        values = {
            "place": rng.choice(["Pskov", "Tver", "Omsk", "Kursk", "Perm"]),
            "name": f"Ivan Petrov{offset + n}",
            "age": 20 + n % 40,
            "years": 2 + n % 9,
        }
        body = (
            ON_TOPIC.format(**values)
            + " "
            + " ".join(f"z{rng.randrange(90_000)}" for _ in range(300))
        )
        article = ExtractedArticle(
            f"Deserter {offset + n} sentenced",
            body,
            None,
            (),
            "2026-11-29T10:00:00Z",
            "en",
            None,
            None,
            None,
            340,
        )
        url = f"https://bench.example/new/{offset + n}"
        pages.append(
            PageRecord(run_id, "bench", url, url, 200, "text/html", "t", None, article, None)
        )
    return pages


def decide_and_store_ms(root: Path, size: int, count: int) -> float:
    config = bench_config(root)
    with Store.open(root / f"growth-{size}.db") as store:
        sync_outlets(store, [o.model_dump(mode="json") for o in config.outlets.values()])
        started = time.perf_counter()
        fill(store, size)
        print(f"  filled {size} articles in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        run_id = start_run(store, "bench", "bench")
        ingestor = Ingestor(store, config)
        pages = new_pages(run_id, count, size)
        ingestor.apply(store.db, pages[0])  # warm the analysers
        started = time.perf_counter()
        for page in pages[1:]:
            with store.transaction() as db:
                ingestor.apply(db, page)
        return (time.perf_counter() - started) / (count - 1) * 1000


def growth(sizes: list[int], count: int, workdir: Path) -> None:
    results = [(size, decide_and_store_ms(workdir, size, count)) for size in sizes]
    table(
        "Decide-and-store cost as the store grows",
        ("articles stored", "ms per new article (judge, copies, story, write)", "ratio"),
        [(f"{size:,}", f"{ms:.2f}", f"{ms / results[0][1]:.2f}×") for size, ms in results],
    )


# -- 3. stories ---------------------------------------------------------------------------------


def load_reports(folder: Path) -> list[dict[str, str]]:
    labels = {row["url"]: row for row in csv.DictReader(MANIFEST.open(encoding="utf-8"))}
    texts = {}
    for line in (folder / "texts.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        texts[item["url"]] = item
    return [{**labels[url], **texts[url]} for url in labels if url in texts]


def cluster(reports: list[dict[str, str]]) -> dict[str, int]:
    """Each report's story id when the reports arrive one by one, as a crawl stores them."""
    known, story_of = Known(), {}
    topic = tomllib.loads(TOPIC.read_text(encoding="utf-8"))
    common = common_terms(topic.get("story_common_names", []))
    for ident, report in enumerate(reports, 1):
        facts = CopyFacts(report["url"], report["url"].split("/")[2], None, report["text"])
        terms = story_terms(report.get("title"), report["text"])
        candidate = Candidate(
            report["url"], facts, report.get("title"), report["language"], terms, common
        )
        decision = dedupe(Decision("stored", "bench"), candidate, known, SETTINGS)
        decision = place_in_story(decision, candidate, known, SETTINGS)
        story_of[report["url"]] = decision.story.story_id if decision.story else ident
        original = decision.republication.original_id if decision.republication else None
        known.add(
            ident,
            facts,
            title=report.get("title") or "",
            language=report["language"],
            original_id=original,
            story_id=story_of[report["url"]],
        )
    return story_of


def pair_scores(
    reports: list[dict[str, str]], predicted: dict[str, int], keep: Callable[[bool], bool]
) -> tuple[float, float, float, int]:
    """Pair precision, recall, F1 and the number of true pairs, over the pairs whose
    "same language" flag ``keep`` accepts."""
    tp = fp = fn = 0
    for a, b in itertools.combinations(reports, 2):
        if not keep(a["language"] == b["language"]):
            continue
        same, joined = a["story"] == b["story"], predicted[a["url"]] == predicted[b["url"]]
        tp, fp, fn = tp + (same and joined), fp + (joined and not same), fn + (same and not joined)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, tp + fn


def stories(folder: Path) -> None:
    if not (folder / "texts.jsonl").is_file():
        print(f"## Stories\n\nskipped: no {folder / 'texts.jsonl'} (see the docstring)\n")
        return
    reports = load_reports(folder)
    random.Random(3).shuffle(reports)
    predicted = cluster(reports)
    rows = []
    for name, keep in (
        ("all pairs", lambda _: True),
        ("same language", lambda same: same),
        ("across languages", lambda same: not same),
    ):
        precision, recall, f1, pairs = pair_scores(reports, predicted, keep)
        rows.append((name, pairs, *(f"{x:.2f}" for x in (precision, recall, f1))))
    labels = {r["story"] for r in reports}
    table(
        f"Stories ({len(reports)} labelled real reports, {len(labels)} events)",
        ("pairs", "pairs of one event", "pair precision", "pair recall", "F1"),
        rows,
    )


def table(title: str, headings: tuple[str, ...], rows: list[tuple[object, ...]]) -> None:
    print(f"## {title}\n")
    print("| " + " | ".join(headings) + " |")
    print("|" + "---|" * len(headings))
    for row in rows:
        print("| " + " | ".join(str(cell) for cell in row) + " |")
    print()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,1000000")
    parser.add_argument("--new", type=int, default=300, help="new articles timed per size")
    parser.add_argument("--docs", type=int, default=10_000, help="synthetic near-duplicate corpus")
    parser.add_argument("--stories", type=Path, default=REPO.parent / "bench-data" / "stories")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--parts", default="near,stories,growth", help="which tables to print")
    args = parser.parse_args()
    parts = args.parts.split(",")
    if "near" in parts:
        near_duplicates(args.docs)
    if "stories" in parts:
        stories(args.stories)
    if "growth" in parts:
        with tempfile.TemporaryDirectory(dir=args.workdir) as work:
            growth([int(s) for s in args.sizes.split(",")], args.new, Path(work))
    return 0


if __name__ == "__main__":
    sys.exit(main())
