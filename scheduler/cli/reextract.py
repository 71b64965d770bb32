"""``newsmon reextract``: extraction and topic decisions run again over the kept raw HTML."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from crawler.config import load_config, store_path
from scheduler.cli.friendly import friendly_errors
from scheduler.cli.options import config_option, db_option, to_since
from storage import Store

if TYPE_CHECKING:
    from crawler.reextract import Change


@click.command()
@config_option
@db_option
@click.option("--outlet", "outlets", multiple=True, help="only this outlet (repeatable)")
@click.option("--since", callback=to_since, help="stored since: a date, today, 24h, 7d...")
@friendly_errors
def reextract(
    config_dir: str, db_path: str | None, outlets: tuple[str, ...], since: str | None
) -> None:
    """Run extraction (with the outlets' current [extract] options) and the topic decision
    again over the raw HTML kept for stored articles; a changed text becomes a new version,
    a changed decision updates the article (an analyst's label stands). Needs the store to
    itself: stop the daemon first."""
    from crawler.reextract import Reextractor  # noqa: PLC0415 (trafilatura: only here)

    config = load_config(config_dir, skip_broken_outlets=True)
    with Store.open(store_path(config.settings, db_path)) as store:
        changes = Reextractor(store, config).run(outlets, since)
    for change in changes:
        if change.changed:
            click.echo(_line(change))
    changed = sum(change.changed for change in changes)
    click.echo(f"{len(changes)} articles extracted again, {changed} changed", err=True)


def _line(change: Change) -> str:
    parts = []
    if change.revision is not None:
        revision = change.revision
        parts.append(f"text changed (+{revision.added} -{revision.removed} lines): new version")
    if change.decision is None:
        parts.append(f"no body any more ({change.reason}); kept as it was")
    else:
        score = change.decision["relevance_score"]
        parts.append(f"score {change.score_before} -> {score}")
    if change.status_after != change.status_before:
        parts.append(f"{change.status_before} -> {change.status_after}")
    return f"[{change.article_id}] " + "; ".join(parts)
