"""``newsmon outlets``: list the configured outlets; check one with a dry run."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import textwrap
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from crawler.config import Config, OutletConfig, load_config, resolve
from crawler.content.article import ExtractedArticle
from crawler.content.judge import Judge
from crawler.records import FailureRecord, PageRecord, Record, RunRecord, SourceRecord
from crawler.spool import Spool
from scheduler import golden
from scheduler.cli.friendly import friendly_errors
from scheduler.cli.options import config_option
from scheduler.cli.outlet_add import add_outlet
from scheduler.supervise import worker_command

_DATE = re.compile(r"\b(19|20)\d\d[-./]\d\d?[-./]\d\d?\b|\b\d\d?[./]\d\d?[./](19|20)\d\d\b")


@click.group()
def outlets() -> None:
    """List, check and add outlet configs (config/outlets/<id>.toml)."""


outlets.add_command(add_outlet)


@outlets.command("list")
@config_option
@friendly_errors
def list_outlets(config_dir: str) -> None:
    """Validate every config and list the outlets."""
    config = load_config(config_dir)
    click.echo(f"{'id':<24} {'lang':<5} {'sources':<28} name")
    for outlet in config.outlets.values():
        kinds = ", ".join(sorted({s.kind for s in outlet.sources}))
        click.echo(
            f"{outlet.id:<24} {outlet.language:<5} "
            f"{f'{len(outlet.sources)} ({kinds})':<28} {outlet.name}"
        )
    click.echo(
        f"{len(config.outlets)} outlets, {len(config.topics)} topic(s): "
        f"{', '.join(config.topics)}; all configs are valid"
    )


@outlets.command("check")
@click.argument("outlet_id")
@config_option
@click.option(
    "--sample",
    default=3,
    show_default=True,
    type=click.IntRange(1, 50),
    help="how many articles to fetch and extract",
)
@click.option("--json", "as_json", is_flag=True, help="the whole report as one JSON object")
@friendly_errors
def check_outlet(outlet_id: str, config_dir: str, sample: int, as_json: bool) -> None:
    """Validate one outlet and dry-run it: what each source yields, what sample articles
    extract to and the topic decision; nothing is written to the store. Exits 1 when a
    source fails or lists nothing, or the dry run does not finish."""
    config = _config_with(config_dir, outlet_id)
    records = dry_run(config, outlet_id, sample, quiet=as_json)
    report = dry_run_report(config, outlet_id, records)
    click.echo(json.dumps(report, ensure_ascii=False, indent=2) if as_json else _render(report))
    sys.exit(0 if report["ok"] else 1)


@outlets.command("snapshot")
@click.argument("outlet_id")
@config_option
@click.option("--sample", default=3, show_default=True, type=click.IntRange(1, 20))
@click.option(
    "--into",
    default="tests/outlets",
    show_default=True,
    type=click.Path(file_okay=False),
    help="folder of the golden cases; the outlet's own folder in it is replaced",
)
@friendly_errors
def snapshot(outlet_id: str, config_dir: str, sample: int, into: str) -> None:
    """Save a few of the outlet's pages (gzip) with what extraction makes of them (JSON) as
    golden cases, which tests/test_outlet_snapshots.py checks extraction still yields."""
    config = _config_with(config_dir, outlet_id)
    pages = [
        r
        for r in dry_run(config, outlet_id, sample, quiet=True)
        if isinstance(r, PageRecord) and r.article is not None and r.html_gzip is not None
    ]
    if not pages:
        raise click.ClickException(f"the dry run of {outlet_id} fetched no article to keep")
    written = golden.write_cases(Path(into) / outlet_id, outlet_id, pages)
    for path in written:
        click.echo(f"wrote {path}")


def _config_with(config_dir: str, outlet_id: str) -> Config:
    """The config, checked to hold a valid ``outlet_id``."""
    config = load_config(config_dir, skip_broken_outlets=True)
    if outlet_id in config.skipped:
        raise config.skipped_error(outlet_id)
    if outlet_id not in config.outlets:
        raise click.BadParameter(f"no outlet {outlet_id!r}; known: {', '.join(config.outlets)}")
    return config


def dry_run(config: Config, outlet_id: str, sample: int, quiet: bool) -> list[Record]:
    """The records of a crawl of ``sample`` articles that writes to no store."""
    with tempfile.TemporaryDirectory(prefix="newsmon-check-") as tmp:
        spool = Spool(tmp)
        command = [*worker_command(None, spool, outlet_id, 0), "--max-articles", str(sample)]
        subprocess.run(
            command,
            input=resolve(config, outlet_id).model_dump_json().encode("utf-8"),
            check=False,
            capture_output=quiet,
            timeout=config.settings.crawl.crawl_timeout_seconds,
        )
        return [spool.read(path) for path in spool.pending()]


def dry_run_report(config: Config, outlet_id: str, records: list[Record]) -> dict[str, Any]:
    """What a dry run found, as data: sources, sample articles with their decisions,
    failures, the run's counts, and whether all went well."""
    judge = Judge(config, datetime.now(UTC))
    outlet = config.outlets[outlet_id]
    sources = [_source(r) for r in records if isinstance(r, SourceRecord)]
    runs = [r for r in records if isinstance(r, RunRecord)]
    run = runs[0] if runs else None
    return {
        "outlet": outlet_id,
        "config": "valid",
        "sources": sources,
        "articles": [_article(judge, outlet, r) for r in records if isinstance(r, PageRecord)],
        "failures": [
            {"url": r.url, "state": r.state, "reason": r.reason}
            for r in records
            if isinstance(r, FailureRecord)
        ],
        "run": _run(run),
        "ok": run is not None
        and run.status == "ok"
        and all(source["error"] is None and source["entries"] for source in sources),
    }


def _source(record: SourceRecord) -> dict[str, Any]:
    return {
        "url": record.url,
        "kind": record.kind,
        "http_status": record.http_status,
        "entries": record.entries,
        "new": len(record.discovered),
        "dropped": {item.reason: item.count for item in record.dropped},
        "error": record.error,
    }


def _run(run: RunRecord | None) -> dict[str, Any] | None:
    if run is None:
        return None
    counts = ("discovered", "skipped_known", "skipped_old", "requested", "errors")
    return {"status": run.status, "error": run.error} | {c: getattr(run, c) for c in counts}


def _article(judge: Judge, outlet: OutletConfig, record: PageRecord) -> dict[str, Any]:
    found: dict[str, Any] = {"url": record.final_url}
    article = record.article
    if article is None:
        return found | {"no_body": record.no_body_reason}
    decision = judge.judge(outlet, article)
    return found | {
        "title": article.title,
        "published_at": article.published_at,
        "authors": list(article.authors),
        "language": article.language,
        "words": article.word_count,
        "canonical_url": article.canonical_url,
        "text": textwrap.shorten(article.text, 300, placeholder=" …"),
        "decision": decision.state,
        "reason": decision.reason,
        "matched_terms": decision.best.matched_terms if decision.best else [],
        "furniture": furniture_left(outlet, article),
    }


def furniture_left(outlet: OutletConfig, article: ExtractedArticle) -> list[str]:
    """Signs that extraction kept some of the page's furniture, for a maintainer to fix with
    the outlet's prune_xpath: a title carrying the site's name or a date, a text that starts
    with the title."""
    title = article.title or ""
    signs = []
    names = {outlet.name, article.site_name or ""} - {""}
    if any(name.lower() in title.lower() for name in names):
        signs.append("the title carries the site's name")
    if _DATE.search(title):
        signs.append("the title carries a date")
    if title and article.text.startswith(title):
        signs.append("the text starts with the title")
    return signs


def _render(report: dict[str, Any]) -> str:
    lines = [f"config of {report['outlet']}: valid"]
    for source in report["sources"]:
        lines += _source_lines(source)
    for article in report["articles"]:
        lines += _article_lines(article)
    lines += [f"article {f['url']}: {f['state']}: {f['reason']}" for f in report["failures"]]
    run = report["run"]
    if run is None:
        lines.append("the dry run did not finish (see the messages above)")
        return "\n".join(lines)
    blocked = sum(1 for f in report["failures"] if f["state"] == "blocked")
    lines.append(
        f"summary: {run['discovered']} article URLs discovered ({run['skipped_old']} too old), "
        f"{run['requested']} fetched ({blocked} blocked by robots.txt), status {run['status']}"
        + (f" ({run['error']})" if run["error"] else "")
    )
    return "\n".join(lines)


def _source_lines(source: dict[str, Any]) -> list[str]:
    if source["error"]:
        return [f"source {source['url']}: FAILED ({source['error']})"]
    empty = (
        " (lists nothing: check the address and the [urls] rules)" if not source["entries"] else ""
    )
    line = (
        f"source {source['url']}: HTTP {source['http_status']}, {source['entries']} entries, "
        f"{source['new']} new{empty}"
    )
    return [line] + [f"  not taken: {n} {why}" for why, n in source["dropped"].items()]


def _article_lines(article: dict[str, Any]) -> list[str]:
    if "no_body" in article:
        return [f"article {article['url']}", f"  no body: {article['no_body']}"]
    terms = ", ".join(article["matched_terms"]) or "(nothing)"
    lines = [
        f"article {article['url']}",
        f"  title:     {article['title']}",
        f"  published: {article['published_at']}   authors: {', '.join(article['authors'])}",
        f"  language:  {article['language']}   words: {article['words']}",
        f"  canonical: {article['canonical_url']}",
        f"  text:      {article['text']}",
        f"  decision:  {article['decision']}: {article['reason']}",
        f"  matched:   {terms}",
    ]
    return lines + [f"  furniture: {sign}" for sign in article["furniture"]]
