"""Command-line options shared by several commands."""

from __future__ import annotations

from pathlib import Path

import click

from crawler.config import load_config, store_path

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

output_option = click.option(
    "--output",
    "-o",
    "out_file",
    type=click.File("w", encoding="utf-8"),
    default="-",
    help="file to write (default: stdout)",
)


def resolve_store_path(config_dir: str, db_path: str | None) -> Path:
    """--db if given, else the config's store path; a reader needs no config directory."""
    if db_path or not Path(config_dir, "newsmon.toml").exists():
        return Path(db_path or "newsmon.db")
    return store_path(load_config(config_dir).settings)
