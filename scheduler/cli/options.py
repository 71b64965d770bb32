"""Command-line options shared by several commands."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import click

from crawler.config import load_config, store_path
from storage import format_utc

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


_SPAN = re.compile(r"^(\d+)([mhd])$")
_SPAN_UNITS = {"m": "minutes", "h": "hours", "d": "days"}


def to_since(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """An option's point in time (``callback=to_since``): ``YYYY-MM-DD``, an ISO 8601 time,
    ``today``, ``yesterday``, or a span back from now (``90m``, ``24h``, ``7d``), converted to
    the form the store compares with."""
    if value is None:
        return None
    now = datetime.now(UTC)
    text = value.strip().lower()
    if text in ("today", "yesterday"):
        return (now.date() - timedelta(days=text == "yesterday")).isoformat()
    span = _SPAN.match(text)
    if span:
        return format_utc(now - timedelta(**{_SPAN_UNITS[span[2]]: int(span[1])}))
    try:
        return (
            date.fromisoformat(text).isoformat()
            if len(text) == 10
            else format_utc(datetime.fromisoformat(value))
        )
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a date like 2026-11-01, today, yesterday or a span like 24h",
            ctx,
            param,
        ) from None


def resolve_store_path(config_dir: str, db_path: str | None) -> Path:
    """--db if given, else the config's store path; a reader needs no config directory."""
    if db_path or not Path(config_dir, "newsmon.toml").exists():
        return Path(db_path or "newsmon.db")
    return store_path(load_config(config_dir, skip_broken_outlets=True).settings)
