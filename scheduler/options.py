"""Command-line options shared by several commands."""

from __future__ import annotations

import click

config_option = click.option(
    "--config",
    "config_dir",
    default="config",
    show_default=True,
    type=click.Path(file_okay=False),
    help="config directory",
)
db_option = click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False),
    help="SQLite store; default: [store] path in newsmon.toml, else ./newsmon.db",
)
