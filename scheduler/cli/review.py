"""``newsmon review``, ``newsmon label`` and ``newsmon labels``: an analyst works through the
review band, records verdicts, and exports them as a labelled set for ``bench/topic.py``."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import click

from crawler.config import Config, load_config, spool_dir, store_path
from crawler.ingest import Ingestor
from crawler.records import LabelRecord
from crawler.spool import Spool
from scheduler.cli import output
from scheduler.cli.friendly import friendly_errors
from scheduler.cli.options import config_option, db_option, output_option, resolve_store_path
from storage import Store, labels, utc_now
from storage.errors import StoreBusy


@click.command()
@config_option
@db_option
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10000))
@click.option(
    "--above",
    is_flag=True,
    help="also articles kept on topic by less than the review band above the threshold",
)
@click.option("--json", "as_json", is_flag=True, help="one JSON object per article")
@friendly_errors
def review(config_dir: str, db_path: str | None, limit: int, above: bool, as_json: bool) -> None:
    """Unlabelled articles in the review band, latest first, each with why it scored so."""
    with Store.open_readonly(resolve_store_path(config_dir, db_path)) as store:
        queue = labels.review_queue(store, above, limit)
    for item in queue:
        click.echo(json.dumps(item, ensure_ascii=False) if as_json else output.review_item(item))
    if not queue:
        click.echo("nothing to review", err=True)


@click.command()
@config_option
@db_option
@click.argument("article_id", type=int)
@click.argument("verdict", type=click.Choice(["on", "off"]))
@click.option("--note", help="why: kept with the label and exported with it")
@friendly_errors
def label(
    config_dir: str, db_path: str | None, article_id: int, verdict: str, note: str | None
) -> None:
    """Record an analyst's verdict on a stored article: ``on`` promotes it to on topic (a
    borderline one is exported from then on), ``off`` demotes it (left out of export, search,
    stories). Works while a daemon runs: the label goes through the spool to its writer."""
    config = load_config(config_dir, skip_broken_outlets=True)
    path = store_path(config.settings, db_path)
    with Store.open_readonly(path) as store:
        before = labels.label_target(store.db, article_id)
    if before is None:
        raise click.ClickException(f"no article {article_id} in the store")
    record = LabelRecord(article_id, "on" if verdict == "on" else "off", utc_now(), _new_id(), note)
    spool = Spool(spool_dir(config.settings, path))
    spool.put(record)
    after = _apply_now(config, path, spool, article_id)
    if after is None:
        click.echo(
            f"article {article_id}: label {verdict} recorded; the newsmon process that holds "
            "the store applies it at its next pass over the spool"
        )
    else:
        click.echo(f"article {article_id}: {before['topic_status']} -> {after} (label {verdict})")


@click.command("labels")
@config_option
@db_option
@output_option
@friendly_errors
def labels_command(config_dir: str, db_path: str | None, out_file: Any) -> None:
    """Every labelled article with its latest label and text, one JSON object per line: an
    evaluation set (``python bench/topic.py --labels FILE``)."""
    with Store.open_readonly(resolve_store_path(config_dir, db_path)) as store:
        rows = labels.labelled(store)
    for row in rows:
        out_file.write(json.dumps(row, ensure_ascii=False) + "\n")
    click.echo(f"{len(rows)} labelled articles exported", err=True)


def _apply_now(config: Config, path: Path, spool: Spool, article_id: int) -> str | None:
    """Apply the spool now if no other process holds the store; the article's status after,
    or None if another process holds it (and will apply the label)."""
    try:
        store = Store.open(path)
    except StoreBusy:
        return None
    with store:
        Ingestor(store, config).ingest(spool)
        target = labels.label_target(store.db, article_id)
    assert target is not None
    return str(target["topic_status"])


def _new_id() -> str:
    return uuid.uuid4().hex
