"""``newsmon export``, ``newsmon search`` and ``newsmon recent``: what analysts read."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from pydantic import ValidationError

from crawler.config import FeedSettings
from crawler.content.wordforms import expand_query
from scheduler.cli import output
from scheduler.cli.friendly import friendly_errors
from scheduler.cli.options import (
    config_option,
    db_option,
    output_option,
    resolve_store_path,
    to_since,
)
from scheduler.feed import FEED_TITLE, feed_document
from storage import Store
from storage.atomic import write_atomically
from storage.queries import (
    EXPORT_FIELDS,
    Filters,
    export_articles,
    recent_articles,
    search_articles,
)

F = TypeVar("F", bound=Callable[..., Any])

outlet_option = click.option(
    "--outlet", "outlets", multiple=True, help="only this outlet's articles (repeatable)"
)
since_option = click.option(
    "--since", callback=to_since, help="published (else fetched) since: a date, today, 24h, 7d..."
)


def stored_since_option(default: str) -> Callable[[F], F]:
    """``--since`` by the time articles were stored (what is new), ``default`` back from now."""
    return click.option(
        "--since",
        "stored_since",
        callback=to_since,
        default=default,
        show_default=True,
        help="stored since: a date, today, yesterday, 24h, 7d...",
    )


borderline_option = click.option(
    "--with-borderline",
    "borderline",
    is_flag=True,
    help="also articles in the review band that no analyst has labelled yet",
)


@click.command()
@config_option
@db_option
@click.option(
    "--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True
)
@since_option
@click.option("--stored-since", callback=to_since, help="stored since: a date, today, 24h, 7d...")
@outlet_option
@click.option("--topic", help="only articles on this topic id")
@click.option(
    "--with-republications",
    "republications",
    is_flag=True,
    help="also export copies of other outlets' articles (default: each report once)",
)
@borderline_option
@click.option("--bom", is_flag=True, help="CSV: start with a UTF-8 byte order mark (for Excel)")
@output_option
@friendly_errors
def export(
    *, config_dir: str, db_path: str | None, fmt: str, bom: bool, out_file: Any, **chosen: Any
) -> None:
    """Stored on-topic articles, one per line (the export format is documented in README)."""
    filters = Filters(**{**chosen, "outlets": tuple(chosen["outlets"])})
    with Store.open_readonly(resolve_store_path(config_dir, db_path)) as store:
        rows = export_articles(store, filters)
        count = output.write_export(rows, out_file, fmt, EXPORT_FIELDS, bom=bom)
    click.echo(f"{count} articles exported", err=True)


@click.command()
@config_option
@db_option
@click.argument("query")
@since_option
@outlet_option
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000))
@click.option("--json", "as_json", is_flag=True, help="one JSON object per article")
@friendly_errors
def search(
    *,
    config_dir: str,
    db_path: str | None,
    query: str,
    since: str | None,
    outlets: tuple[str, ...],
    limit: int,
    as_json: bool,
) -> None:
    """Full-text search (SQLite FTS5 syntax) over stored titles and texts; a Russian or
    Ukrainian word finds all its forms."""
    filters = Filters(since=since, outlets=outlets)
    with Store.open_readonly(resolve_store_path(config_dir, db_path)) as store:
        hits = search_articles(store, query, filters, limit, rewrite=expand_query)
    for hit in hits:
        click.echo(json.dumps(hit, ensure_ascii=False) if as_json else output.search_hit(hit))
    if not hits:
        click.echo("no matching article", err=True)


@click.command()
@config_option
@db_option
@stored_since_option("24h")
@outlet_option
@borderline_option
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 10000))
@click.option("--json", "as_json", is_flag=True, help="one JSON object per article")
@friendly_errors
def recent(
    *,
    config_dir: str,
    db_path: str | None,
    stored_since: str,
    outlets: tuple[str, ...],
    borderline: bool,
    limit: int,
    as_json: bool,
) -> None:
    """What is new: on-topic articles stored since a time, the latest first, each report once."""
    filters = Filters(stored_since=stored_since, outlets=outlets, borderline=borderline)
    with Store.open_readonly(resolve_store_path(config_dir, db_path)) as store:
        rows = recent_articles(store, filters, limit)
    for row in rows:
        click.echo(json.dumps(row, ensure_ascii=False) if as_json else output.recent_line(row))
    click.echo(f"{len(rows)} articles stored since {stored_since}", err=True)


def _checked_self_url(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """The address as ``[feed] self_url`` accepts it (one rule for both)."""
    try:
        return FeedSettings(self_url=value).self_url
    except ValidationError as exc:
        raise click.BadParameter(exc.errors()[0]["msg"], ctx, param) from None


@click.command()
@config_option
@db_option
@stored_since_option("7d")
@outlet_option
@borderline_option
@click.option("--limit", default=100, show_default=True, type=click.IntRange(1, 10000))
@click.option("--title", default=FEED_TITLE, show_default=True, help="the feed's title")
@click.option(
    "--self-url",
    callback=_checked_self_url,
    help="the address the feed is served at (its id and self link)",
)
@click.option(
    "--output",
    "-o",
    "out_path",
    type=click.Path(dir_okay=False, allow_dash=True),
    default="-",
    help="file to write, replaced whole so a reader never sees half a feed (default: stdout)",
)
@friendly_errors
def feed(
    *,
    config_dir: str,
    db_path: str | None,
    limit: int,
    title: str,
    self_url: str | None,
    out_path: str,
    **chosen: Any,
) -> None:
    """An Atom feed of the latest on-topic articles (each report once), for a feed reader."""
    filters = Filters(**{**chosen, "outlets": tuple(chosen["outlets"])})
    path = resolve_store_path(config_dir, db_path)
    with Store.open_readonly(path) as store:
        document, count = feed_document(store, filters, limit, title, self_url)
    if out_path == "-":
        with click.open_file("-", "wb") as stdout:
            stdout.write(document)
    else:
        try:
            write_atomically(Path(out_path), document, mode=0o644)
        except OSError as exc:
            raise click.ClickException(f"cannot write {out_path} ({exc}); it is unchanged") from exc
    click.echo(f"{count} articles in the feed", err=True)
