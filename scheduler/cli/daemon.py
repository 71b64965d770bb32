"""``newsmon run`` (the daemon) and ``newsmon status`` (what it is doing)."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from crawler.config import Settings, load_config, spool_dir, store_path
from crawler.spool import Spool
from scheduler import status as status_report
from scheduler.cli.friendly import friendly_errors
from scheduler.cli.options import config_option, db_option
from scheduler.daemon import Daemon, DaemonOptions
from scheduler.logs import setup_logging
from storage import Store


@click.command()
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


@click.command()
@config_option
@db_option
@click.option("--json", "as_json", is_flag=True, help="print the status as JSON")
@friendly_errors
def status(config_dir: str, db_path: str | None, as_json: bool) -> None:
    """Per outlet: state, last run, last new article, next run, interval, failures, last
    error. With --db and no config directory, the outlets the store knows."""
    config = (
        None
        if db_path and not Path(config_dir).is_dir()
        else load_config(config_dir, skip_broken_outlets=True)
    )
    settings = config.settings if config else Settings()
    path = store_path(settings, db_path)
    now = datetime.now(UTC)
    with Store.open_readonly(path) as store:
        spool = Spool(spool_dir(settings, path))
        report = status_report.collect(store, config, spool, now)
    if as_json:
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        click.echo(status_report.render(report, now))
