"""``newsmon export`` and ``newsmon search``: what analysts read from the store."""

from __future__ import annotations

from typing import Any

import click

from scheduler.cli import output
from scheduler.cli.friendly import friendly_errors
from scheduler.cli.options import config_option, db_option, output_option, resolve_store_path
from storage import Store
from storage.queries import EXPORT_FIELDS, export_articles, search_articles


@click.command()
@config_option
@db_option
@click.option(
    "--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True
)
@click.option("--since", help="published (or, if unknown, fetched) on or after this date")
@click.option("--topic", help="only articles on this topic id")
@click.option(
    "--with-republications",
    "republications",
    is_flag=True,
    help="also export copies of other outlets' articles (default: each report once)",
)
@click.option(
    "--with-borderline",
    "borderline",
    is_flag=True,
    help="also export articles in the review band that no analyst has labelled yet",
)
@output_option
@friendly_errors
def export(
    *,
    config_dir: str,
    db_path: str | None,
    fmt: str,
    since: str | None,
    topic: str | None,
    republications: bool,
    borderline: bool,
    out_file: Any,
) -> None:
    """Stored on-topic articles, one per line (the export format is documented in README)."""
    try:
        since_value = output.parse_since(since) if since else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--since") from exc
    with Store.open_readonly(resolve_store_path(config_dir, db_path)) as store:
        rows = export_articles(store, since_value, topic, republications, borderline)
        count = output.write_export(rows, out_file, fmt, EXPORT_FIELDS)
    click.echo(f"{count} articles exported", err=True)


@click.command()
@config_option
@db_option
@click.argument("query")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000))
@friendly_errors
def search(config_dir: str, db_path: str | None, query: str, limit: int) -> None:
    """Full-text search (SQLite FTS5 syntax) over stored titles and texts."""
    with Store.open_readonly(resolve_store_path(config_dir, db_path)) as store:
        hits = search_articles(store, query, limit)
    for hit in hits:
        click.echo(output.search_hit(hit))
    if not hits:
        click.echo("no matching article", err=True)
