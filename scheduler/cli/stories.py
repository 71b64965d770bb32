"""``newsmon stories`` and ``newsmon show``: reports of one event, and one article with its
versions, its republications and its story."""

from __future__ import annotations

import json
from typing import Any

import click

from scheduler.cli import output
from scheduler.cli.friendly import friendly_errors
from scheduler.cli.options import config_option, db_option, resolve_store_path, to_since
from storage import Store, versions
from storage import stories as story_reads


@click.command()
@config_option
@db_option
@click.option(
    "--since", callback=to_since, help="stories with a report stored since (a date, today, 24h...)"
)
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10000))
@click.option("--json", "as_json", is_flag=True, help="one JSON object per story")
@friendly_errors
def stories(
    config_dir: str, db_path: str | None, since: str | None, limit: int, as_json: bool
) -> None:
    """Stories, latest first: reports of one event across outlets and languages."""
    with Store.open_readonly(resolve_store_path(config_dir, db_path)) as store:
        found = story_reads.recent_stories(store, since, limit)
        for story in found:
            reports = story_reads.reports(store, story["story_id"])
            if as_json:
                click.echo(json.dumps({**story, "articles": reports}, ensure_ascii=False))
            else:
                click.echo(output.story_block(story, reports))
    if not found:
        click.echo("no story", err=True)


@click.command()
@config_option
@db_option
@click.argument("article_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="one JSON object")
@friendly_errors
def show(config_dir: str, db_path: str | None, article_id: int, as_json: bool) -> None:
    """One article: its versions, what it republishes or who republishes it, its story."""
    with Store.open_readonly(resolve_store_path(config_dir, db_path)) as store:
        article = story_reads.article(store, article_id)
        if article is None:
            raise click.ClickException(f"no article {article_id} in the store")
        related: dict[str, Any] = {
            "versions": versions.versions(store, article_id),
            "republications": story_reads.republications(store, article_id),
            "story": [
                r for r in story_reads.reports(store, article["story_id"]) if r["id"] != article_id
            ],
        }
    if as_json:
        click.echo(json.dumps({**article, **related}, ensure_ascii=False))
    else:
        click.echo(output.article_page(article, related))
