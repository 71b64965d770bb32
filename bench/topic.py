"""The shipped topic measured on real reporting: precision, recall and F1 of on/off decisions.

The evaluation set is ``bench/topic_manifest.csv`` (address, language, label, kind, why):
real reports on the topic of every kind the topic covers, near-topic negatives (war news,
mobilisation, Ukrainian desertion...) and a borderline group, labelled by the rules in
``docs/topic-labelling.md``. The texts are not in the repository; pass the folder holding
``*.jsonl`` files with one JSON object per page (``url``, ``language``, ``label``, ``kind``,
``title``, ``text``), e.g. excerpts of the manifest's pages. Each page is scored as an
article of an outlet whose domain is the page's host (a topic's ``sites`` count).

An analyst's verdicts, exported with ``newsmon labels -o FILE``, are such a file with the
labels in it: ``--labels FILE`` measures the topic on those instead of the manifest.

Prints the figures overall, per language, per kind and with or without the page's title (a
crawl always has it; many excerpts do not), pages labelled borderline reported, not counted;
then every miss and false alarm with its score and matched terms.
"kept" is what the topic keeps as on topic; "review" is what it keeps as borderline for an
analyst (the topic's ``review_band``): on-topic pages there are misses an analyst can still
catch, which "recall+review" counts.

    python bench/topic.py [--texts DIR | --labels FILE] [--manifest CSV]
                          [--topic config/topics/<id>.toml] [--quiet]

``bench/topic_holdout_manifest.csv`` is a second set, gathered after the topic was last tuned
on the first: its figures say how the topic does on reports it was not tuned on (see
``docs/topic-labelling.md``, "The held-out set").
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from crawler.config.topics import TopicConfig
from crawler.content.relevance import CompiledTopic, Relevance

REPO = Path(__file__).resolve().parents[1]
MANIFEST = REPO / "bench" / "topic_manifest.csv"
TOPIC = REPO / "config" / "topics" / "russian-military-desertion.toml"


@dataclass(frozen=True)
class Judged:
    url: str
    language: str
    label: str
    kind: str
    relevance: Relevance
    titled: bool  # the excerpt came with its page's title (a crawl always has it)


def load(folder: Path, manifest: Path = MANIFEST) -> list[dict[str, str]]:
    """The manifest's pages that have a text in ``folder`` (labels from the manifest)."""
    labels = {row["url"]: row for row in csv.DictReader(manifest.open(encoding="utf-8"))}
    texts: dict[str, dict[str, str]] = {}
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            texts[item["url"]] = item
    return [{**texts[url], **labels[url]} for url in labels if url in texts]


def load_labelled(path: Path) -> list[dict[str, str]]:
    """Pages with their labels from a ``newsmon labels`` export (JSON lines)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def score(topic: CompiledTopic, page: dict[str, str]) -> Relevance:
    """Score a page as a crawl would: title, first paragraph as the lead, the rest as body,
    published by an outlet whose domain is the page's host."""
    paragraphs = [p for p in page["text"].split("\n") if p.strip()]
    title = page.get("title") or ""
    lead = paragraphs[0] if paragraphs else ""
    host = urlsplit(page.get("url") or "").hostname
    sites = (host,) if host else ()
    return topic.score(title, lead, "\n".join(paragraphs[1:]), page["language"], sites)


def figures(judged: list[Judged]) -> tuple[int, float, float, float, float]:
    """Pages counted, precision, recall, F1, and recall counting the review band as found."""
    counted = [j for j in judged if j.label in ("on", "off")]
    tp = sum(j.label == "on" and j.relevance.on_topic for j in counted)
    fp = sum(j.label == "off" and j.relevance.on_topic for j in counted)
    fn = sum(j.label == "on" and not j.relevance.on_topic for j in counted)
    reviewed = sum(j.label == "on" and j.relevance.borderline for j in counted)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    with_review = (tp + reviewed) / (tp + fn) if tp + fn else 1.0
    return len(counted), precision, recall, f1, with_review


def table(title: str, groups: dict[str, list[Judged]]) -> None:
    print(f"## {title}\n")
    print("| group | pages | precision | recall | F1 | kept | review (on/off) | recall+review |")
    print("|---|---|---|---|---|---|---|---|")
    for name, judged in sorted(groups.items()):
        pages, precision, recall, f1, with_review = figures(judged)
        kept = sum(j.relevance.on_topic for j in judged)
        on = sum(j.relevance.borderline and j.label == "on" for j in judged)
        off = sum(j.relevance.borderline and j.label == "off" for j in judged)
        print(
            f"| {name} | {pages} | {precision:.3f} | {recall:.3f} | {f1:.3f} | {kept} "
            f"| {on}/{off} | {with_review:.3f} |"
        )
    print()


def errors(judged: list[Judged]) -> None:
    for title, wanted in (("Misses (on topic, not kept)", "on"), ("False alarms", "off")):
        wrong = [
            j for j in judged if j.label == wanted and j.relevance.on_topic != (wanted == "on")
        ]
        print(f"## {title}: {len(wrong)}\n")
        for j in sorted(wrong, key=lambda j: -j.relevance.score):
            terms = ", ".join(j.relevance.matched_terms[:8]) or "none"
            band = " (review)" if j.relevance.borderline else ""
            print(f"- {j.relevance.score:6.1f}{band} {j.language} {j.kind}: {j.url}")
            print(f"    terms: {terms}")
        print()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--texts", type=Path, default=REPO.parent / "bench-data" / "topic")
    parser.add_argument("--labels", type=Path, help="a `newsmon labels` export to measure on")
    parser.add_argument(
        "--manifest", type=Path, default=MANIFEST, help="the labels: address, language, label"
    )
    parser.add_argument("--topic", type=Path, default=TOPIC)
    parser.add_argument("--quiet", action="store_true", help="figures only, no error lists")
    args = parser.parse_args()
    pages = load_labelled(args.labels) if args.labels else load(args.texts, args.manifest)
    if not pages:
        print(f"no labelled texts in {args.labels or args.texts} (see the docstring)")
        return 1
    topic = CompiledTopic(TopicConfig(**tomllib.loads(args.topic.read_text(encoding="utf-8"))))
    judged = [
        Judged(
            p["url"], p["language"], p["label"], p["kind"], score(topic, p), bool(p.get("title"))
        )
        for p in pages
    ]
    report(judged, quiet=args.quiet)
    return 0


def report(judged: list[Judged], quiet: bool) -> None:
    """The tables overall, per language, per kind and with or without the page's title; then
    the errors unless ``quiet``."""
    table("All", {"all": judged})
    by_language: dict[str, list[Judged]] = defaultdict(list)
    by_kind: dict[str, list[Judged]] = defaultdict(list)
    by_title: dict[str, list[Judged]] = defaultdict(list)
    for j in judged:
        by_language[j.language].append(j)
        by_kind[f"{j.label}: {j.kind}"].append(j)
        by_title["with its title" if j.titled else "without"].append(j)
    table("Per language", by_language)
    table("Per kind", by_kind)
    table("With or without the page's title", by_title)
    if not quiet:
        errors(judged)


if __name__ == "__main__":
    sys.exit(main())
