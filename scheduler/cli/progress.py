"""How ``newsmon crawl`` shows its crawls while they run.

On a terminal, a live table (rich) on stderr: one row per outlet with its state (waiting,
crawling, done, or how its run ended: failed, timeout, stopped, skipped) and how long it has
run. An outlet's counts appear when its crawl ends: only then are they known, because the
crawl process hands its records over through the spool, and newsmon, which writes them as they
come, counts them once the process has ended. When the display closes, the crawl table goes
to stdout as always.

Anywhere else (a pipe, a log file, a dumb terminal), the plain lines: the crawl table's
header and a row per ended crawl on stdout, ``<outlet>: crawling…`` on stderr as each starts.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any, Self

import click
from rich import box
from rich.console import Console
from rich.live import Live
from rich.table import Table
from rich.text import Text

from scheduler.cli import output
from scheduler.cli.output import CRAWL_HEADINGS
from scheduler.supervise import CrawlOutcome
from storage.runs import SUMMARY as CRAWL_COLUMNS

REFRESH_PER_SECOND = 2  # the elapsed column counts whole seconds
STATE_STYLES = {
    "waiting": "dim",
    "crawling": "cyan",
    "done": "green",
    "stopped": "yellow",
    "skipped": "yellow",
}


class CrawlProgress:
    """What ``newsmon crawl`` says about its crawls, as a context manager around them:
    ``started`` as a crawl begins, ``finished`` with its run row as it ends."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None

    def started(self, outlet_id: str, run_id: int) -> None:
        raise NotImplementedError

    def finished(self, outcome: CrawlOutcome, run: dict[str, Any]) -> None:
        raise NotImplementedError


def crawl_progress(outlet_ids: list[str], console: Console | None = None) -> CrawlProgress:
    """The live table if ``console`` (default: stderr) is a terminal that can redraw, the
    plain lines otherwise."""
    console = console or Console(stderr=True)
    if not can_redraw(console):
        return PlainProgress()
    # when stdout is the same terminal, the crawl table printed at the end takes its place
    return LiveProgress(outlet_ids, console, transient=_isatty(sys.stdout))


def can_redraw(console: Console) -> bool:
    """A terminal the cursor can move on: a tty (FORCE_COLOR alone would put cursor moves
    in a log file), and not TERM=dumb."""
    return _isatty(console.file) and console.is_terminal and not console.is_dumb_terminal


def _isatty(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


class PlainProgress(CrawlProgress):
    """The lines for a pipe or a log: the crawl table row by row on stdout, and on stderr a
    line as each crawl starts."""

    def __enter__(self) -> Self:
        click.echo(output.crawl_header())
        return self

    def started(self, outlet_id: str, run_id: int) -> None:
        click.echo(f"  {outlet_id}: crawling…", err=True)

    def finished(self, outcome: CrawlOutcome, run: dict[str, Any]) -> None:
        click.echo(output.crawl_line(outcome, run))


@dataclass(frozen=True)
class OutletRow:
    """What the live table knows about one outlet's crawl."""

    state: str = "waiting"
    started_at: float | None = None  # the clock's reading as the crawl started
    duration_seconds: float | None = None  # once it has ended
    counts: tuple[int, ...] = ()  # the values of CRAWL_COLUMNS, once it has ended

    def elapsed_seconds(self, now: float) -> float | None:
        if self.duration_seconds is not None:
            return self.duration_seconds
        return None if self.started_at is None else now - self.started_at


class LiveProgress(CrawlProgress):
    """The live table on ``console``, redrawn as crawls start and end and every half second
    (for the elapsed time). Log lines written to stderr meanwhile print above it. On exit the
    crawl table goes to stdout; ``transient`` clears the live table first."""

    def __init__(
        self,
        outlet_ids: list[str],
        console: Console,
        *,
        transient: bool = True,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        # the keys never change: rich's refresh thread iterates this while crawls update it
        self.rows = {outlet_id: OutletRow() for outlet_id in outlet_ids}
        self.lines: list[str] = []  # the crawl table's rows, printed on exit
        self.clock = clock
        self.live = Live(
            console=console,
            get_renderable=self.table,
            transient=transient,
            redirect_stdout=False,  # stdout carries the crawl table only
            refresh_per_second=REFRESH_PER_SECOND,
        )
        self.exits = ExitStack()

    def __enter__(self) -> Self:
        self.live.start(refresh=True)
        self.exits.callback(self._print_crawl_table)  # last, once the live table is gone
        self.exits.callback(self.live.stop)
        self.exits.enter_context(logs_above_the_table())
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.exits.close()

    def started(self, outlet_id: str, run_id: int) -> None:
        self.rows[outlet_id] = OutletRow("crawling", started_at=self.clock())
        self.live.refresh()

    def finished(self, outcome: CrawlOutcome, run: dict[str, Any]) -> None:
        state = "done" if run["status"] == "ok" else run["status"]
        counts = tuple(run[column] for column in CRAWL_COLUMNS)
        self.rows[outcome.outlet_id] = OutletRow(
            state, duration_seconds=outcome.duration_seconds, counts=counts
        )
        self.lines.append(output.crawl_line(outcome, run))
        self.live.refresh()

    def table(self) -> Table:
        return progress_table(self.rows, self.clock())

    def _print_crawl_table(self) -> None:
        click.echo(output.crawl_header())
        for line in self.lines:
            click.echo(line)


def progress_table(rows: dict[str, OutletRow], now: float) -> Table:
    """Per outlet: its state, its counts once known, how long it has run (minutes:seconds)."""
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column("outlet", no_wrap=True)
    table.add_column("state", no_wrap=True)
    for heading in (*CRAWL_HEADINGS, "elapsed"):
        table.add_column(heading, justify="right")
    for outlet_id, row in rows.items():
        counts = [str(count) for count in row.counts] or [""] * len(CRAWL_COLUMNS)
        elapsed = row.elapsed_seconds(now)
        minutes = "" if elapsed is None else f"{int(elapsed) // 60}:{int(elapsed) % 60:02d}"
        state = Text(row.state, style=STATE_STYLES.get(row.state, "bold red"))
        table.add_row(outlet_id, state, *counts, minutes)
    return table


@contextmanager
def logs_above_the_table() -> Iterator[None]:
    """While the live table is shown, stderr is rich's proxy, which prints above the table;
    point the log handlers that write to the real stderr at it, so that no log line lands
    inside the table."""
    real = getattr(sys.stderr, "rich_proxied_file", None)
    handlers = [
        handler
        for handler in logging.getLogger().handlers
        if isinstance(handler, logging.StreamHandler)
        and real is not None
        and handler.stream is real
    ]
    for handler in handlers:
        handler.setStream(sys.stderr)
    try:
        yield
    finally:
        for handler in handlers:
            handler.setStream(real)
