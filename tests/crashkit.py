"""Crawl a web to quiescence, with or without killing `newsmon crawl` at random moments.

Used by tests/test_resume.py and bench/crash.py. A kill is SIGKILL to the crawl's process
group and to every process under it (the crawl processes run in sessions of their own, forked
by the warm worker or started afresh), so nothing gets to finish gracefully.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from daemonkit import Setup, query, write_config
from fixtureweb import FixtureWeb

CRAWL_TIMEOUT_SECONDS = 600


@dataclass
class Web:
    """A config for some outlets of a fixture web, with a cap and deep listings."""

    setup: Setup
    web: FixtureWeb
    outlets: list[str]

    @property
    def spool(self) -> Path:
        return self.setup.db.with_name(self.setup.db.name + ".spool")


def configure(
    root: Path, web: FixtureWeb, outlets: list[str], *, cap: int, listing_pages: int = 100
) -> Web:
    """Config for `outlets` with `max_new_urls_per_crawl = cap`; listings walk deep."""
    setup = write_config(root, web, outlets, parallel=len(outlets), crawl_timeout=300)
    settings = setup.config / "newsmon.toml"
    text = settings.read_text().replace("[crawl]\n", f"[crawl]\nmax_new_urls_per_crawl = {cap}\n")
    settings.write_text(text)
    for path in (setup.config / "outlets").glob("*.toml"):
        text = path.read_text().replace("max_pages = 3", f"max_pages = {listing_pages}")
        path.write_text(text)
    return Web(setup, web, outlets)


def crawl_command(setup: Setup) -> list[str]:
    return [sys.executable, "-m", "scheduler", "crawl", "--config", str(setup.config)]


def crawl(setup: Setup) -> subprocess.CompletedProcess[bytes]:
    """One `newsmon crawl` to its end."""
    return subprocess.run(
        crawl_command(setup),
        capture_output=True,
        timeout=CRAWL_TIMEOUT_SECONDS,
        check=False,
        cwd=setup.config.parent,
    )


def killed_crawl(target: Web, after_seconds: float) -> bool:
    """Start `newsmon crawl` and SIGKILL it and every process under it after `after_seconds`
    (the moment of the crash, not a synchronisation); True if it was still running."""
    process = subprocess.Popen(
        crawl_command(target.setup),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        cwd=target.setup.config.parent,
    )
    try:
        process.wait(after_seconds)
        return False
    except subprocess.TimeoutExpired:
        pass
    tree = stop_tree(process.pid)
    os.killpg(process.pid, signal.SIGKILL)
    for pid in tree:
        _signal(pid, signal.SIGKILL)
    process.wait()
    wait_until_gone(tree)
    return True


def stop_tree(root: int) -> list[int]:
    """SIGSTOP `root` and every process under it, again until no new one appears (a stopped
    process starts none); the pids under `root`."""
    stopped: set[int] = set()
    while found := ({root} | set(descendants(root))) - stopped:
        for pid in found:
            _signal(pid, signal.SIGSTOP)
        stopped |= found
    return sorted(stopped - {root})


def stat_fields(pid: int | str) -> list[str]:
    """A process's /proc/<pid>/stat after its name: state, parent pid, ... (OSError if it is
    gone)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def parent_of(pid: int) -> int:
    return int(stat_fields(pid)[1])


def descendants(root: int) -> list[int]:
    """Pids of the processes under `root` (children, theirs, ...) as /proc shows them now."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = parent_of(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(stat.parent.name))
    found, stack = [], list(children.get(root, []))
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack += children.get(pid, [])
    return found


def running(pid: int) -> bool:
    """Whether a process exists and has not ended (a zombie has ended)."""
    try:
        state = stat_fields(pid)[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def _signal(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signum)


def wait_until_gone(pids: list[int], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while any(running(pid) for pid in pids):
        if time.monotonic() > deadline:
            raise AssertionError("killed processes did not go away")
        time.sleep(0.05)


def article_paths(web: FixtureWeb, outlets: Iterable[str]) -> set[tuple[str, str]]:
    return {(a.outlet_id, a.path) for outlet in outlets for a in web.articles_for(outlet)}


def fetched(web: FixtureWeb, outlets: list[str]) -> set[tuple[str, str]]:
    """The articles of `outlets` the web has served (200) so far."""
    known = article_paths(web, outlets)
    return {
        (r.outlet_id, urlsplit(r.path).path)
        for r in web.requests
        if r.status == 200 and (r.outlet_id, urlsplit(r.path).path) in known
    }


def crawl_until_quiet(target: Web, max_crawls: int) -> int:
    """Crawl until a crawl fetches no article; return how many crawls that took."""
    for count in range(1, max_crawls + 1):
        before = len(fetched(target.web, target.outlets))
        before_requests = len(target.web.requests)
        crawl(target.setup)
        requests = target.web.requests[before_requests:]
        articles = article_paths(target.web, target.outlets)
        asked = [r for r in requests if (r.outlet_id, urlsplit(r.path).path) in articles]
        if not asked and len(fetched(target.web, target.outlets)) == before:
            return count
    raise AssertionError(f"still fetching articles after {max_crawls} crawls")


def kill_at_random(target: Web, kills: int, rng: random.Random, window: tuple[float, float]) -> int:
    """Start and kill `newsmon crawl` `kills` times at random moments; return how many kills
    hit a running crawl."""
    return sum(killed_crawl(target, rng.uniform(*window)) for _ in range(kills))


def decided(db: Path) -> dict[str, str]:
    """Every URL the store decided, with its state (the waiting ones left out)."""
    rows = query(db, "select url, state from urls where state not in ('pending', 'retry')")
    return {row["url"]: row["state"] for row in rows}


def stored_urls(db: Path) -> list[str]:
    return [row["canonical_url"] for row in query(db, "select canonical_url from articles")]
