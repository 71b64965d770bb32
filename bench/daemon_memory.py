"""The daemon's memory over many poll cycles against the fixture web.

Starts the fixture web (tests/fixtureweb) and `newsmon run` with one-second intervals, keeps
publishing new articles, and samples the daemon's resident memory (VmRSS of its process; the
crawl processes come and go) until CYCLES crawls have finished. Prints the memory after the
warm-up, at the end, the peak, and the change — the goal is flat within 10 %.

    python bench/daemon_memory.py [--cycles 500] [--parallel 2]
"""

from __future__ import annotations

import argparse
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from daemonkit import Setup, write_config  # noqa: E402
from fixtureweb import FixtureWeb  # noqa: E402

WARM_UP_CRAWLS = 20


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def finished_crawls(db: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            return int(
                conn.execute("select count(*) from runs where status != 'running'").fetchone()[0]
            )
        finally:
            conn.close()
    except sqlite3.OperationalError:
        return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cycles", type=int, default=500, help="crawls to run in all")
    parser.add_argument("--parallel", type=int, default=2, help="max_parallel_crawls")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="newsmon-bench-"))
    try:
        with FixtureWeb() as web:
            setup = write_config(
                root, web, web.outlet_ids, interval_seconds=1, parallel=args.parallel
            )
            return run(web, setup, args.cycles)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def run(web: FixtureWeb, setup: Setup, cycles: int) -> int:
    db, log = setup.db, setup.log
    command = [sys.executable, "-m", "scheduler", "run", "--config", str(setup.config)]
    with log.open("ab") as out:
        daemon = subprocess.Popen(command, stdout=out, stderr=out, start_new_session=True)
    started, samples, seq = time.monotonic(), [], 0
    try:
        while (done := finished_crawls(db)) < cycles:
            if daemon.poll() is not None:
                print(f"the daemon exited early ({daemon.returncode}); see {log}")
                return 1
            if done >= WARM_UP_CRAWLS:
                samples.append((done, rss_kib(daemon.pid)))
            seq += 1
            outlet = web.outlet_ids[seq % len(web.outlet_ids)]
            if outlet != "volga-bulletin" and seq % 5 == 0:
                web.publish(outlet, web.new_article(outlet, on_topic=seq % 2 == 0, seq=seq))
            time.sleep(1)
        samples.append((finished_crawls(db), rss_kib(daemon.pid)))
    finally:
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(60)
    report(samples, time.monotonic() - started, db)
    return 0


def report(samples: list[tuple[int, int]], seconds: float, db: Path) -> None:
    first, last = samples[0], samples[-1]
    peak = max(kib for _, kib in samples)
    change = (last[1] - first[1]) / first[1] * 100
    conn = sqlite3.connect(db)
    articles = conn.execute("select count(*) from articles").fetchone()[0]
    conn.close()
    print(
        f"{last[0]} crawls in {seconds:.0f} s ({last[0] / seconds:.2f} crawls/s); "
        f"{articles} articles stored"
    )
    print(f"daemon RSS after {first[0]} crawls: {first[1] / 1024:.1f} MiB")
    print(f"daemon RSS after {last[0]} crawls: {last[1] / 1024:.1f} MiB")
    print(f"peak {peak / 1024:.1f} MiB; change {change:+.1f} % (goal: within 10 %)")


if __name__ == "__main__":
    sys.exit(main())
