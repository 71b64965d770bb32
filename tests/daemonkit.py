"""Helpers for tests that run `newsmon run` as a real process against the fixture web."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fixtureweb import FixtureWeb, LoggedRequest

REPO = Path(__file__).resolve().parent.parent
SETTINGS = """
log_level = "INFO"
[store]
path = "{db}"
[fetch]
download_delay_seconds = 0
autothrottle = false
concurrent_requests_per_host = 8
retry_times = 1
retry_backoff_base_seconds = 0.05
max_retry_after_seconds = 1
download_timeout_seconds = 20
[crawl]
max_parallel_crawls = {parallel}
crawl_timeout_seconds = {crawl_timeout}
stop_grace_seconds = 2
[daemon]
interval_minutes = {interval_minutes}
adaptive_polling = false
jitter_seconds = 0
ingest_interval_seconds = 1
shutdown_grace_seconds = {shutdown_grace}
misfire_grace_seconds = 60
backoff_max_minutes = 1
"""


@dataclass
class Setup:
    config: Path
    db: Path
    log: Path


def write_config(
    root: Path,
    web: FixtureWeb,
    outlets: list[str] | None = None,
    *,
    include_dead: bool = False,
    interval_seconds: float = 3,
    crawl_timeout: float = 30,
    shutdown_grace: float = 3,
    parallel: int = 4,
) -> Setup:
    """A config directory with the shipped topic, fixture outlets (all, or those named) and
    fast settings."""
    config = root / "config"
    (config / "topics").mkdir(parents=True, exist_ok=True)
    for topic in (REPO / "config" / "topics").glob("*.toml"):
        (config / "topics" / topic.name).write_text(topic.read_text())
    web.write_configs(config, include_dead=include_dead)
    for path in (config / "outlets").glob("*.toml"):
        if outlets is not None and path.stem not in outlets:
            path.unlink()
    db = root / "newsmon.db"
    settings = SETTINGS.format(
        db=db,
        parallel=parallel,
        crawl_timeout=crawl_timeout,
        shutdown_grace=shutdown_grace,
        interval_minutes=interval_seconds / 60,
    )
    (config / "newsmon.toml").write_text(settings)
    return Setup(config, db, root / "daemon.log")


def start_daemon(setup: Setup, *args: str) -> subprocess.Popen[bytes]:
    """`newsmon run` in its own session, logging to setup.log."""
    with setup.log.open("ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "scheduler", "run", "--config", str(setup.config), *args],
            stdout=log,
            stderr=log,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            cwd=setup.config.parent,
        )


@contextmanager
def running_daemon(setup: Setup, *args: str) -> Iterator[subprocess.Popen[bytes]]:
    process = start_daemon(setup, *args)
    try:
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def stop(process: subprocess.Popen[bytes], timeout: float = 30) -> tuple[int, float]:
    """SIGTERM the daemon; return its exit code and how long it took to exit."""
    started = time.monotonic()
    process.send_signal(signal.SIGTERM)
    code = process.wait(timeout)
    return code, time.monotonic() - started


def eventually(check: Callable[[], Any], timeout: float, what: str) -> Any:
    """Re-check an observable condition until it holds (bounded); fail saying what."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def query(db: Path, sql: str, *params: object) -> list[sqlite3.Row]:
    if not db.exists():
        return []
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError:  # the daemon has not created the tables yet
        return []
    finally:
        conn.close()


def stored_paths(db: Path) -> list[str]:
    return [
        urllib.parse.urlsplit(row["canonical_url"]).path
        for row in query(db, "select canonical_url from articles")
    ]


def requests_to(web: FixtureWeb, outlet_id: str, path: str) -> list[LoggedRequest]:
    return [r for r in web.requests_for(outlet_id) if r.path.split("?")[0] == path]


def status_json(setup: Setup) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-m", "scheduler", "status", "--json", "--config", str(setup.config)],
        capture_output=True,
        text=True,
        check=True,
        cwd=setup.config.parent,
    )
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def http_get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=15) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except urllib.error.URLError as error:  # not listening (yet)
        return 0, str(error.reason)
