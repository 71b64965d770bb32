"""Near-duplicates and story clustering (the decide-and-store cost as the store grows is
``bench/growth.py``).

Two tables, each from a fixed seed:

1. **Near-duplicates** on a synthetic corpus: N documents of ~400 words drawn from a Zipf
   vocabulary, and N/10 lightly edited copies (about 5 % of words replaced, a sentence
   dropped, a few words inserted). Recall of the copies at the configured threshold, false
   matches among unrelated documents, and the fingerprint cost per document.
2. **Stories** on a labelled set of real reports (``bench/stories_manifest.csv``: address,
   language, story label): pair precision, recall and F1 of the shipped story rule. The texts
   are not in the repository; pass a folder holding ``texts.jsonl`` (one JSON object per
   report: ``url``, ``language``, ``title``, ``text``), e.g. excerpts of the manifest's pages.

    python bench/dedup.py [--docs 10000] [--stories DIR] [--parts near,stories]
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import random
import sys
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from knownkit import Known  # noqa: E402

from crawler.config.settings import DedupSettings  # noqa: E402
from crawler.content.copies import CopyFacts  # noqa: E402
from crawler.content.judge import Candidate, Decision, dedupe, place_in_story  # noqa: E402
from crawler.content.neardup import band_keys, jaccard, shingles  # noqa: E402
from crawler.content.stories import common_terms, story_terms  # noqa: E402

SETTINGS = DedupSettings()
MANIFEST = REPO / "bench" / "stories_manifest.csv"
TOPIC = REPO / "config" / "topics" / "russian-military-desertion.toml"


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


# -- 2. stories ---------------------------------------------------------------------------------


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
    parser.add_argument("--docs", type=int, default=10_000, help="synthetic near-duplicate corpus")
    parser.add_argument("--stories", type=Path, default=REPO.parent / "bench-data" / "stories")
    parser.add_argument("--parts", default="near,stories", help="which tables to print")
    args = parser.parse_args()
    parts = args.parts.split(",")
    if "near" in parts:
        near_duplicates(args.docs)
    if "stories" in parts:
        stories(args.stories)
    return 0


if __name__ == "__main__":
    sys.exit(main())
