"""The ``newsmon`` command line. The only place where errors become messages for people.

Exit codes: 0 success; 1 the command ran but something failed (an outlet's crawl, a check);
2 wrong usage or an invalid config; 3 the store cannot be used (missing, locked, disk full).
"""

from __future__ import annotations

import json
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Any

import click

from crawler.config import Config, load_config
from crawler.errors import ConfigError
from crawler.runner import CrawlRunner
from crawler.spool import Spool, spool_dir_for
from scheduler import commands_outlets, output
from scheduler import status as status_report
from scheduler.daemon import Daemon, DaemonOptions
from scheduler.friendly import EXIT_FAILED, friendly_errors
from scheduler.logs import setup_logging
from scheduler.options import config_option, db_option
from storage import Store
from storage.outlets import sync_outlets
from storage.queries import EXPORT_FIELDS, export_articles, search_articles
from storage.runs import get_run, interrupt_stale_runs


def store_path(config_dir: str, db_path: str | None) -> Path:
    """--db if given, else the config's store path, else ./newsmon.db."""
    if db_path:
        return Path(db_path)
    if Path(config_dir, "newsmon.toml").exists():
        return Path(load_config(config_dir).settings.store.path)
    return Path("newsmon.db")


def spool_for(config: Config, path: Path) -> Spool:
    return Spool(spool_dir_for(config.settings.store.spool_dir, path))


@click.group()
@click.version_option(package_name="newsmon")
@click.option("-v", "--verbose", is_flag=True, help="log what newsmon does to stderr")
def main(verbose: bool) -> None:
    """newsmon: a news monitor for one topic at a time."""
    setup_logging("plain", "INFO" if verbose else "WARNING")


@main.command()
@config_option
@db_option
@click.option("--outlet", "outlet_ids", multiple=True, help="crawl only this outlet (repeatable)")
@friendly_errors
def crawl(config_dir: str, db_path: str | None, outlet_ids: tuple[str, ...]) -> None:
    """One pass over the outlets: discover, fetch, extract, score, dedupe, store."""
    config = load_config(config_dir)
    ids = _select_outlets(config, outlet_ids)
    path = Path(db_path) if db_path else Path(config.settings.store.path)
    with Store.open(path) as store:
        sync_outlets(store, [o.model_dump(mode="json") for o in config.outlets.values()])
        interrupt_stale_runs(store)
        click.echo(output.crawl_header())
        runner = CrawlRunner(
            store,
            config,
            spool_for(config, path),
            trigger="cli",
            on_outcome=lambda o: click.echo(output.crawl_line(o, get_run(store, o.run_id))),
        )
        with _stop_on_signals(runner):
            outcomes = runner.run(ids)
        rows = [get_run(store, o.run_id) for o in outcomes]
    click.echo(output.crawl_totals(rows, path))
    failed = [row["outlet_id"] for row in rows if row["status"] not in ("ok", "skipped")]
    if failed:
        click.echo(
            f"error: these outlets failed: {', '.join(failed)} (see the runs table)", err=True
        )
        sys.exit(EXIT_FAILED)


def _select_outlets(config: Config, requested: tuple[str, ...]) -> list[str]:
    unknown = [outlet_id for outlet_id in requested if outlet_id not in config.outlets]
    if unknown:
        raise ConfigError(
            str(Path(config.directory) / "outlets"),
            f"no outlet {', '.join(map(repr, unknown))}; known: {', '.join(config.outlets)}",
        )
    if not config.outlets:
        raise ConfigError(str(Path(config.directory) / "outlets"), "no outlet configured")
    return list(requested) or list(config.outlets)


class _stop_on_signals:
    """While crawling, SIGINT/SIGTERM stop the crawls gracefully instead of killing newsmon."""

    def __init__(self, runner: CrawlRunner) -> None:
        self.runner = runner
        self.previous: dict[int, Any] = {}

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        click.echo(f"stopping: {signal.Signals(signum).name} received", err=True)
        self.runner.request_stop()

    def __enter__(self) -> None:
        for signum in (signal.SIGINT, signal.SIGTERM):
            self.previous[signum] = signal.signal(signum, self._handle)

    def __exit__(self, *exc_info: object) -> None:
        for signum, handler in self.previous.items():
            signal.signal(signum, handler)


@main.command()
@config_option
@db_option
@click.option(
    "--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True
)
@click.option("--since", help="published (or, if unknown, fetched) on or after this date")
@click.option("--topic", help="only articles on this topic id")
@click.option(
    "--output",
    "-o",
    "out_file",
    type=click.File("w", encoding="utf-8"),
    default="-",
    help="file to write (default: stdout)",
)
@friendly_errors
def export(
    *,
    config_dir: str,
    db_path: str | None,
    fmt: str,
    since: str | None,
    topic: str | None,
    out_file: Any,
) -> None:
    """Stored on-topic articles, one per line (the export format is documented in README)."""
    try:
        since_value = output.parse_since(since) if since else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--since") from exc
    with Store.open_readonly(store_path(config_dir, db_path)) as store:
        rows = export_articles(store, since=since_value, topic=topic)
        count = output.write_export(rows, out_file, fmt, EXPORT_FIELDS)
    click.echo(f"{count} articles exported", err=True)


@main.command()
@config_option
@db_option
@click.argument("query")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000))
@friendly_errors
def search(config_dir: str, db_path: str | None, query: str, limit: int) -> None:
    """Full-text search (SQLite FTS5 syntax) over stored titles and texts."""
    with Store.open_readonly(store_path(config_dir, db_path)) as store:
        hits = search_articles(store, query, limit)
    for hit in hits:
        click.echo(output.search_hit(hit))
    if not hits:
        click.echo("no matching article", err=True)


@main.command()
@config_option
@db_option
@click.option(
    "--metrics-port",
    type=click.IntRange(0, 65535),
    help="serve /metrics (Prometheus) and /healthz on this port",
)
@click.option(
    "--metrics-host", default="127.0.0.1", show_default=True, help="address for --metrics-port"
)
@click.option(
    "--log-format",
    type=click.Choice(["plain", "json"]),
    default="plain",
    show_default=True,
    help="one line per event on stderr, as text or JSON",
)
@friendly_errors
def run(
    config_dir: str,
    db_path: str | None,
    metrics_port: int | None,
    metrics_host: str,
    log_format: str,
) -> None:
    """Keep monitoring: poll every outlet on its own schedule until SIGTERM/SIGINT."""
    options = DaemonOptions(config_dir, db_path, metrics_host, metrics_port)
    daemon = Daemon(options)
    setup_logging(log_format, daemon.config.settings.log_level)
    sys.exit(daemon.run())


@main.command()
@config_option
@db_option
@click.option("--json", "as_json", is_flag=True, help="print the status as JSON")
@friendly_errors
def status(config_dir: str, db_path: str | None, as_json: bool) -> None:
    """Per outlet: state, last run, last new article, next run, interval, failures."""
    config = load_config(config_dir)
    path = Path(db_path) if db_path else Path(config.settings.store.path)
    now = datetime.now(UTC)
    with Store.open_readonly(path) as store:
        report = status_report.collect(store, config, spool_for(config, path), now)
    if as_json:
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        click.echo(status_report.render(report, now))


main.add_command(commands_outlets.outlets)
