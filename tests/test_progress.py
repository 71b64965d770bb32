"""scheduler.cli.progress: the live table of an interactive crawl, the plain lines elsewhere.

The live table is drawn on a rich Console that writes to a StringIO as it would to a terminal;
its clock is a fake one, so the elapsed times are known without waiting.
"""

from __future__ import annotations

import io
import logging
import re
import sys
from typing import Any

from rich.console import Console

from scheduler.cli import output
from scheduler.cli.progress import LiveProgress, PlainProgress, crawl_progress
from scheduler.supervise import CrawlOutcome
from storage.runs import SUMMARY

OUTLETS = ["alpha-news", "beta-daily", "gamma-post"]
MESSAGE = "a warning from a library"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class TerminalBuffer(io.StringIO):
    def isatty(self) -> bool:
        return True


def terminal() -> Console:
    return Console(file=io.StringIO(), force_terminal=True, width=160)


def ended(outlet_id: str, status: str, seconds: float, *counts: int) -> tuple[CrawlOutcome, Any]:
    error = None if status == "ok" else "crawl process exited with code 1"
    outcome = CrawlOutcome(outlet_id, 1, status, 0, seconds, error)
    return outcome, {"status": status, "error": error, **dict(zip(SUMMARY, counts, strict=True))}


def rendered(console: Console) -> str:
    """What the console wrote, without colours and cursor moves."""
    assert isinstance(console.file, io.StringIO)
    return ANSI.sub("", console.file.getvalue())


def last_frame(console: Console) -> dict[str, list[str]]:
    """The cells of each outlet's row in the table as last drawn."""
    text = rendered(console)
    frame = text[text.rindex("outlet") :].splitlines()
    return {
        cells[0]: cells[1:] for line in frame if (cells := line.split()) and cells[0] in OUTLETS
    }


def test_on_a_terminal_each_outlet_shows_its_state_then_its_counts(capsys):
    console, clock = terminal(), Clock()
    with LiveProgress(OUTLETS, console, clock=clock) as progress:
        assert last_frame(console) == {oid: ["waiting"] for oid in OUTLETS}
        progress.started("alpha-news", 1)
        progress.started("beta-daily", 2)
        clock.now = 107.4
        progress.finished(*ended("beta-daily", "ok", 65.2, 12, 10, 3, 1, 5, 1, 0))
        assert last_frame(console) == {
            "alpha-news": ["crawling", "0:07"],
            "beta-daily": ["done", "12", "10", "3", "1", "5", "1", "0", "1:05"],
            "gamma-post": ["waiting"],
        }
        assert capsys.readouterr().out == ""  # the crawl table waits for the live one to go
    assert all(heading in rendered(console) for heading in output.CRAWL_HEADINGS)


def test_a_crawl_that_did_not_end_well_says_how_it_ended():
    console = terminal()
    with LiveProgress(OUTLETS, console, clock=Clock()) as progress:
        progress.started("gamma-post", 3)
        progress.finished(*ended("gamma-post", "failed", 2.0, 0, 0, 0, 0, 0, 0, 1))
        progress.finished(*ended("alpha-news", "timeout", 300.0, 40, 20, 2, 0, 9, 0, 0))
        rows = last_frame(console)
    assert rows["gamma-post"] == ["failed", "0", "0", "0", "0", "0", "0", "1", "0:02"]
    assert rows["alpha-news"] == ["timeout", "40", "20", "2", "0", "9", "0", "0", "5:00"]
    assert rows["beta-daily"] == ["waiting"]


def test_when_the_live_table_closes_the_crawl_table_goes_to_stdout(capsys):
    beta, gamma = (
        ended("beta-daily", "ok", 5, *range(7)),
        ended("gamma-post", "failed", 1, *[0] * 7),
    )
    with LiveProgress(OUTLETS, terminal(), clock=Clock()) as progress:
        progress.finished(*beta)
        progress.finished(*gamma)
    expected = [output.crawl_header(), output.crawl_line(*beta), output.crawl_line(*gamma)]
    assert capsys.readouterr().out == "\n".join(expected) + "\n"


def test_log_lines_print_above_the_live_table_not_inside_it(capsys):
    console = terminal()
    handler = logging.StreamHandler(sys.stderr)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        with LiveProgress(OUTLETS, console, clock=Clock()) as progress:
            progress.started("alpha-news", 1)
            logging.getLogger("newsmon.test").warning(MESSAGE)
            progress.started("beta-daily", 2)
        assert handler.stream is sys.stderr  # pointed back as the table closed
    finally:
        root.removeHandler(handler)
    [line] = [line for line in rendered(console).splitlines() if MESSAGE in line]
    assert line.strip() == MESSAGE  # a line of its own, not inside a row
    assert MESSAGE not in capsys.readouterr().err


def test_without_a_terminal_the_plain_lines_are_printed(capsys):
    console = Console(file=io.StringIO(), force_terminal=True)  # colours, but not a tty
    beta = ended("beta-daily", "ok", 5, *range(7))
    with crawl_progress(OUTLETS, console) as progress:
        assert isinstance(progress, PlainProgress)
        progress.started("beta-daily", 2)
        progress.finished(*beta)
    captured = capsys.readouterr()
    assert captured.err == "  beta-daily: crawling…\n"
    assert captured.out == f"{output.crawl_header()}\n{output.crawl_line(*beta)}\n"
    assert rendered(console) == ""


def test_a_terminal_gets_the_live_table_unless_it_is_dumb(monkeypatch):
    assert isinstance(crawl_progress(OUTLETS, Console(file=TerminalBuffer())), LiveProgress)
    monkeypatch.setenv("TERM", "dumb")
    assert isinstance(crawl_progress(OUTLETS, Console(file=TerminalBuffer())), PlainProgress)
