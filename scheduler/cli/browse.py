"""``newsmon browse``: the store in Datasette, described and ready to search."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import click

from scheduler.cli.friendly import friendly_errors
from scheduler.cli.options import config_option, db_option, resolve_store_path
from storage.catalog import datasette_metadata
from storage.errors import StoreNotFound

TRUNCATE_CELLS = 300  # characters of a long text shown in a table view


@click.command()
@config_option
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="address to serve on")
@click.option("--port", default=8001, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--metadata",
    "metadata_out",
    type=click.File("w", encoding="utf-8"),
    help="only write the Datasette metadata to this file ('-': stdout), for "
    "`datasette newsmon.db -m FILE`",
)
@friendly_errors
def browse(config_dir: str, db_path: str | None, host: str, port: int, metadata_out: Any) -> None:
    """Open the store in Datasette (pip install 'newsmon[datasette]'): every table and column
    described, full-text search that takes FTS5 syntax (дезертир*), facets, long texts cut."""
    path = resolve_store_path(config_dir, db_path)
    if not path.exists():
        raise StoreNotFound(f"no store at {path}")
    metadata = datasette_metadata(path.stem)
    if metadata_out is not None:
        json.dump(metadata, metadata_out, ensure_ascii=False, indent=2)
        return
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as file:
        json.dump(metadata, file, ensure_ascii=False)
        file.flush()
        command = [_datasette(), "serve", str(path), "--metadata", file.name, "--host", host]
        command += ["--port", str(port), "--setting", "truncate_cells_html", str(TRUNCATE_CELLS)]
        sys.exit(_serve(command))


def _serve(command: list[str]) -> int:
    """Run Datasette until it ends; a SIGTERM or SIGHUP to newsmon is passed on to it, so
    that stopping newsmon never leaves a server running (Ctrl-C reaches both anyway)."""
    with subprocess.Popen(command) as server:
        for signum in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, lambda received, frame: server.send_signal(received))
        return server.wait()


def _datasette() -> str:
    """The datasette command installed next to this Python, else on the PATH."""
    beside = Path(sys.executable).with_name("datasette")
    found = str(beside) if beside.exists() else shutil.which("datasette")
    if found is None:
        raise click.ClickException(
            "Datasette is not installed: pip install 'newsmon[datasette]' (or use "
            "--metadata FILE with a Datasette installed elsewhere)"
        )
    return found
