"""How the command line prints things: crawl tables, search hits, exports."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any

from scheduler.supervise import CrawlOutcome
from storage.runs import SUMMARY as CRAWL_COLUMNS

# the crawl table's column headings, in the order of CRAWL_COLUMNS
CRAWL_HEADINGS = tuple(column.replace("_", "-") for column in CRAWL_COLUMNS)


def crawl_header() -> str:
    return f"{'outlet':<24} {'status':<9}" + "".join(f"{h:>11}" for h in CRAWL_HEADINGS)


def crawl_line(outcome: CrawlOutcome, run: dict[str, Any]) -> str:
    counts = "".join(f"{run[c]:>11}" for c in CRAWL_COLUMNS)
    line = f"{outcome.outlet_id:<24} {run['status']:<9}{counts}"
    if run.get("error"):
        line += f"\n{'':<24} ↳ {run['error']}"
    return line


def crawl_totals(runs: Sequence[dict[str, Any]], store: Path) -> str:
    totals = {c: sum(r[c] for r in runs) for c in CRAWL_COLUMNS}
    failed = sum(1 for r in runs if r["status"] != "ok")
    summary = ", ".join(
        f"{totals[c]} {h}" for c, h in zip(CRAWL_COLUMNS, CRAWL_HEADINGS, strict=True)
    )
    return f"{len(runs)} outlets crawled ({failed} failed): {summary}; store: {store}"


def recent_line(row: dict[str, Any]) -> str:
    """``newsmon recent``: one article, when it was stored, where from, its headline."""
    band = " (borderline)" if row["topic_status"] == "borderline" else ""
    copies = f" +{row['republications']} republications" if row["republications"] else ""
    return (
        f"[{row['id']}] {row['stored_at']} {row['outlet']} {row['language'] or '?'}  "
        f"{row['title']}{band}{copies}\n    {row['url']}"
    )


def search_hit(hit: dict[str, Any]) -> str:
    published = (hit.get("published_at") or "")[:10]
    band = " (borderline)" if hit.get("topic_status") == "borderline" else ""
    return (
        f"[{hit['id']}] {hit['title']}{band} — {hit['outlet']} {published}\n    {hit['url']}\n"
        f"    {hit['snippet']}"
    )


def write_export(
    rows: Iterable[dict[str, Any]], out: IO[str], fmt: str, fields: Sequence[str], bom: bool = False
) -> int:
    """Write rows as JSON Lines or CSV; return how many. CSV: a header row, lists joined with
    '; ', every value quoted except a null, which is left empty (so null and "" differ, as
    PostgreSQL's COPY reads them); ``bom`` starts the file with a UTF-8 byte order mark."""
    count = 0
    if fmt == "csv":
        out.write(("\ufeff" if bom else "") + _csv_line(list(fields)))
    for row in rows:
        record = {name: row[name] for name in fields}
        if fmt == "csv":
            out.write(_csv_line([record[name] for name in fields]))
        else:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


def _csv_line(values: Sequence[Any]) -> str:
    return ",".join(_csv_cell(value) for value in values) + "\r\n"


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = "; ".join(map(str, value))
    return '"' + str(value).replace('"', '""') + '"'


def story_block(story: dict[str, Any], reports: Sequence[dict[str, Any]]) -> str:
    """A story and its reports, originals first."""
    copies = story["republications"]
    head = (
        f"story {story['story_id']} · first published {(story['first_published_at'] or '')[:10]}"
        f" · {story['reports']} report(s), {copies} republication(s) · "
        f"{story['outlets']} outlet(s) ({story['languages'] or '?'})\n  {story['title']}"
    )
    return "\n".join([head, *(f"    {report_line(r)}" for r in reports)]) + "\n"


def report_line(report: dict[str, Any]) -> str:
    line = (
        f"[{report['id']}] {report['outlet_id']} {report['language'] or '?'} "
        f"{(report['published_at'] or '')[:10]}  {report['title']}"
    )
    if report["duplicate_of"]:
        line += f"  (republishes [{report['duplicate_of']}], {report['duplicate_similarity']})"
    return line


def article_page(article: dict[str, Any], related: dict[str, list[dict[str, Any]]]) -> str:
    """``newsmon show``: an article, its relations, its versions, its text."""
    lines = [
        f"[{article['id']}] {article['title']}",
        f"{article['outlet_id']} · {article['language'] or '?'} · published "
        f"{article['published_at'] or 'unknown'} · stored {article['stored_at']}",
        article["url"],
        "",
    ]
    if article["duplicate_of"]:
        lines.append(
            f"Republishes [{article['duplicate_of']}] (similarity "
            f"{article['duplicate_similarity']}): {article['duplicate_rule']}"
        )
    lines += [f"Republished as {report_line(copy)}" for copy in related["republications"]]
    lines.append(_story_line(article))
    lines += [f"    {report_line(report)}" for report in related["story"]]
    lines += [_version_block(version) for version in related["versions"]]
    return "\n".join([*lines, "", f"Text (version {article['version']}):", article["text"]])


def _version_block(version: dict[str, Any]) -> str:
    head = f"Version {version['version']}, seen {version['seen_at']}"
    if not version["diff"]:
        return head + " (as first stored)"
    changes = f"+{version['added_lines']} -{version['removed_lines']} lines"
    return f"{head} ({changes}):\n" + "\n".join(
        f"    {line}" for line in version["diff"].splitlines()
    )


def _story_line(article: dict[str, Any]) -> str:
    if article["story_matched_id"] is None:
        return f"Story {article['story_id']}: started by this article"
    evidence = ", ".join(article["story_evidence"])
    return (
        f"Story {article['story_id']}: joined through [{article['story_matched_id']}] "
        f"(similarity {article['story_similarity']}; shared: {evidence})"
    )


REVIEW_HITS = 4  # evidence lines per article in ``newsmon review``


def review_item(item: dict[str, Any]) -> str:
    """``newsmon review``: an article in the review band, the decision and its best evidence."""
    details = item["relevance_details"]
    lines = [
        f"[{item['id']}] {item['topic_status']} · score {item['relevance_score']} "
        f"(threshold {details.get('threshold')}) · {item['outlet_id']} · "
        f"{item['language'] or '?'} · published {(item['published_at'] or 'unknown')[:10]}",
        f"  {item['title']}",
        f"  {item['url']}",
        f"  {details.get('reason', '')}",
    ]
    for hit in details.get("hits", [])[:REVIEW_HITS]:
        lines.append(f"    {hit['concept']}: {hit['term']} ({hit['field']} x{hit['count']})")
        lines.append(f"      {hit['snippet']}")
    lines.append(f"  verdict: newsmon label {item['id']} on|off")
    return "\n".join(lines) + "\n"
