"""Faults cost nothing: pages expected / stored / lost per fault, and a hostile crawl's memory.

For each fault, a fixture web of large outlets is crawled once without it (what a crawl
should decide), then on a fresh store with the fault, then again until a crawl fetches
nothing new; it prints how many URLs the clean crawl decided, how many the faulted store
decided the same way, and how many were lost.

* lock: another process holds the store's write lock (BEGIN IMMEDIATE) for 20 s while
  `newsmon crawl` runs;
* disk-full: store and spool on a 400 KB tmpfs (root only), then grown to 64 MB;
* sighup: `newsmon run` gets SIGHUP while it starts (writing a leftover spool).

Then it crawls the hostile outlet (tests/fixtureweb/hostile.py: a gzip bomb, a 30 MB page,
an entity attack...) and prints the crawl process's peak resident memory.

    python bench/faults.py [--per-outlet 150] [--hold 20]
"""

from __future__ import annotations

import argparse
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from crashkit import Web, configure, crawl, crawl_until_quiet, decided  # noqa: E402

from daemonkit import SETTINGS, start_daemon, stop  # noqa: E402
from fixtureweb import FixtureWeb, bulk_articles  # noqa: E402
from fixtureweb.hostile import HOSTILE, HostileOutlet  # noqa: E402
from storage import Store  # noqa: E402

OUTLETS = ["capital-observer", "steppe-herald", "volga-bulletin"]


def report(name: str, expected: dict[str, str], target: Web) -> None:
    got = decided(target.setup.db)
    lost = [url for url, state in expected.items() if got.get(url) != state]
    same = len(expected) - len(lost)
    print(f"{name:<10} expected {len(expected):>5}  decided alike {same:>5}  lost {len(lost)}")


def lock_fault(web: FixtureWeb, root: Path, expected: dict[str, str], hold: float) -> None:
    target = configure(root / "lock", web, OUTLETS, cap=100_000)
    Store.open(target.setup.db).close()
    holder = sqlite3.connect(target.setup.db, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    timer = threading.Timer(hold, lambda: holder.execute("ROLLBACK"))
    timer.start()
    started = time.monotonic()
    first = crawl(target.setup)
    timer.join()
    holder.close()
    took = time.monotonic() - started
    print(f"lock: the crawl under a {hold:.0f} s lock exited {first.returncode} after {took:.0f} s")
    crawl_until_quiet(target, max_crawls=5)
    report("lock", expected, target)


def disk_full_fault(web: FixtureWeb, root: Path, expected: dict[str, str]) -> None:
    folder = root / "small"
    folder.mkdir()
    if (
        os.geteuid() != 0
        or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", str(folder)], check=False
        ).returncode
    ):
        print("disk-full: skipped (needs root and tmpfs)")
        return
    try:
        target = configure(folder, web, OUTLETS, cap=100_000)
        first = crawl(target.setup)
        lines = first.stderr.decode().splitlines()
        print(f"disk-full: the crawl exited {first.returncode} with {len(lines)} lines on stderr")
        subprocess.run(["mount", "-o", "remount,size=64m", str(folder)], check=True)
        crawl_until_quiet(target, max_crawls=5)
        report("disk-full", expected, target)
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def sighup_fault(web: FixtureWeb, root: Path, expected: dict[str, str]) -> None:
    target = configure(root / "sighup", web, OUTLETS, cap=100_000)
    daemon = start_daemon(target.setup)
    lock = target.setup.db.with_name(target.setup.db.name + ".lock")
    while not (lock.exists() and lock.read_text() == str(daemon.pid)):
        time.sleep(0.01)
    daemon.send_signal(signal.SIGHUP)
    deadline = time.monotonic() + 600
    while len(decided(target.setup.db)) < len(expected) and time.monotonic() < deadline:
        if daemon.poll() is not None:
            print(f"sighup: the daemon died with {daemon.returncode}")
            break
        time.sleep(1)
    if daemon.poll() is None:
        stop(daemon)
    report("sighup", expected, target)


def hostile_memory(root: Path) -> None:
    config = root / "hostile" / "config"
    (config / "topics").mkdir(parents=True)
    (config / "outlets").mkdir()
    for topic in (REPO / "config" / "topics").glob("*.toml"):
        (config / "topics" / topic.name).write_text(topic.read_text())
    settings = SETTINGS.format(
        db=root / "hostile" / "newsmon.db",
        parallel=1,
        crawl_timeout=120,
        shutdown_grace=3,
        interval_minutes=1,
    )
    (config / "newsmon.toml").write_text(
        settings.replace("download_timeout_seconds = 20", "download_timeout_seconds = 3")
    )
    with HostileOutlet() as outlet:
        (config / "outlets" / f"{HOSTILE}.toml").write_text(outlet.config(5_000_000))
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        subprocess.run(
            [sys.executable, "-m", "scheduler", "crawl", "--config", str(config)],
            capture_output=True,
            check=False,
            timeout=300,
        )
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(
        f"hostile outlet: peak resident memory of its crawl's processes {peak / 1024:.0f} MB "
        f"(of any earlier child: {before / 1024:.0f} MB)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--per-outlet", type=int, default=150)
    parser.add_argument("--hold", type=float, default=20.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        hostile_memory(root)
        articles = bulk_articles(OUTLETS, args.per_outlet, datetime.now(UTC), spacing_minutes=3)
        with FixtureWeb(articles=articles) as web:
            baseline = configure(root / "baseline", web, OUTLETS, cap=100_000)
            crawl_until_quiet(baseline, max_crawls=3)
            expected = decided(baseline.setup.db)
            print(f"clean crawl: {len(expected)} URLs decided")
            lock_fault(web, root, expected, args.hold)
            disk_full_fault(web, root, expected)
            sighup_fault(web, root, expected)
    return 0


if __name__ == "__main__":
    sys.exit(main())
