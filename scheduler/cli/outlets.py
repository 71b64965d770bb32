"""``newsmon outlets``: list the configured outlets; check one with a dry run."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import textwrap
from datetime import UTC, datetime

import click

from crawler.config import Config, OutletConfig, load_config, resolve
from crawler.content.judge import Judge
from crawler.records import FailureRecord, PageRecord, Record, RunRecord, SourceRecord
from crawler.spool import Spool
from scheduler.cli.friendly import friendly_errors
from scheduler.cli.options import config_option
from scheduler.supervise import worker_command


@click.group()
def outlets() -> None:
    """List and check outlet configs (config/outlets/<id>.toml)."""


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
@friendly_errors
def check_outlet(outlet_id: str, config_dir: str, sample: int) -> None:
    """Validate one outlet and dry-run it; nothing is written to the store."""
    config = load_config(config_dir, skip_broken_outlets=True)
    if outlet_id in config.skipped:
        raise config.skipped_error(outlet_id)
    if outlet_id not in config.outlets:
        raise click.BadParameter(f"no outlet {outlet_id!r}; known: {', '.join(config.outlets)}")
    click.echo(f"config of {outlet_id}: valid")
    with tempfile.TemporaryDirectory(prefix="newsmon-check-") as tmp:
        spool = Spool(tmp)
        command = [*worker_command(None, spool, outlet_id, 0), "--max-articles", str(sample)]
        subprocess.run(
            command,
            input=resolve(config, outlet_id).model_dump_json().encode("utf-8"),
            check=False,
            timeout=config.settings.crawl.crawl_timeout_seconds,
        )
        records = [spool.read(path) for path in spool.pending()]
    ok = _report(config, outlet_id, records)
    sys.exit(0 if ok else 1)


def _report(config: Config, outlet_id: str, records: list[Record]) -> bool:
    judge = Judge(config, datetime.now(UTC))
    outlet = config.outlets[outlet_id]
    run: RunRecord | None = None
    for record in records:
        if isinstance(record, SourceRecord):
            click.echo(_source_line(record))
        elif isinstance(record, PageRecord):
            click.echo(_page_report(judge, outlet, record))
        elif isinstance(record, FailureRecord):
            click.echo(f"article {record.url}: {record.state}: {record.reason}")
        elif isinstance(record, RunRecord):
            run = record
    if run is None:
        click.echo("the dry run did not finish (see the messages above)")
        return False
    click.echo(
        f"summary: {run.discovered} article URLs discovered, {run.requested} fetched, "
        f"status {run.status}" + (f" ({run.error})" if run.error else "")
    )
    return run.status == "ok"


def _source_line(record: SourceRecord) -> str:
    if record.error:
        return f"source {record.url}: FAILED ({record.error})"
    return (
        f"source {record.url}: HTTP {record.http_status}, {record.entries} entries, "
        f"{len(record.discovered)} new"
    )


def _page_report(judge: Judge, outlet: OutletConfig, record: PageRecord) -> str:
    if record.article is None:
        return f"article {record.url}\n  no body: {record.no_body_reason}"
    article = record.article
    decision = judge.judge(outlet, article)
    terms = ", ".join(decision.best.matched_terms) if decision.best else ""
    preview = textwrap.shorten(article.text, 300, placeholder=" …")
    return "\n".join(
        [
            f"article {record.final_url}",
            f"  title:     {article.title}",
            f"  published: {article.published_at}   authors: {', '.join(article.authors)}",
            f"  language:  {article.language}   words: {article.word_count}",
            f"  canonical: {article.canonical_url}",
            f"  text:      {preview}",
            f"  decision:  {decision.state}: {decision.reason}",
            f"  matched:   {terms or '(nothing)'}",
        ]
    )
