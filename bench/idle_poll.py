"""Idle polls: what a crawl costs when an outlet has published nothing new.

Serves the fixture web (``tests/fixtureweb``: 8 outlets behind feeds, sitemaps, a sitemap
index and listing pages, some sending ETag/Last-Modified and some not) on 127.0.0.1, crawls
it once from an empty store, then crawls it ``--polls`` more times with nothing new. For the
idle polls it prints, per outlet, the requests per source (goal: at most 1) and what they
were answered with, and the CPU of the whole poll per outlet (goal: at most 0.3 s), next to
the CPU of the bare start-up of a crawl process (Python and the imports a crawl needs).

    python bench/idle_poll.py [--polls 3]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from fixtureweb import FixtureWeb  # noqa: E402
from fixtureweb.content import OUTLETS  # noqa: E402

TOPIC = REPO / "config" / "topics" / "russian-military-desertion.toml"
SETTINGS = "[fetch]\ndownload_delay_seconds = 0.0\nautothrottle = false\n"


def cpu_of(command: list[str]) -> float:
    """CPU seconds (user + system) of a command and everything it started."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, check=False, capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def sources(config: Path) -> dict[str, int]:
    """How many sources each outlet's config lists."""
    return {
        path.stem: path.read_text(encoding="utf-8").count("[[sources]]")
        for path in sorted((config / "outlets").glob("*.toml"))
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--polls", type=int, default=3)
    args = parser.parse_args()
    with FixtureWeb() as web, tempfile.TemporaryDirectory() as folder:
        config = Path(folder) / "config"
        (config / "topics").mkdir(parents=True)
        (config / "topics" / TOPIC.name).write_text(TOPIC.read_text(encoding="utf-8"))
        (config / "newsmon.toml").write_text(SETTINGS)
        web.write_configs(config)
        db = Path(folder) / "newsmon.db"
        crawl = [
            sys.executable,
            "-m",
            "scheduler",
            "crawl",
            "--config",
            str(config),
            "--db",
            str(db),
        ]
        first = cpu_of(crawl)
        web.clear_log()
        idle = [cpu_of(crawl) for _ in range(args.polls)]
        requests = [r for r in web.requests if r.path != "/robots.txt"]
        listed = sources(config)
    startup = cpu_of([sys.executable, "-c", "import crawler.fetch.worker, scrapy.crawler"])
    outlets = len(OUTLETS)
    print(f"first crawl (empty store): {first:.1f} s CPU for {outlets} outlets\n")
    print("| outlet | sources | requests per source per poll | answers |")
    print("|---|---|---|---|")
    per_outlet: dict[str, list[int]] = defaultdict(list)
    for request in requests:
        per_outlet[request.outlet_id].append(request.status or 0)
    for outlet, count in listed.items():
        statuses = Counter(per_outlet.get(outlet, []))
        rate = sum(statuses.values()) / count / args.polls if count else 0.0
        answers = ", ".join(f"{code}: {n}" for code, n in sorted(statuses.items()))
        print(f"| {outlet} | {count} | {rate:.2f} | {answers} |")
    mean = sum(idle) / len(idle)
    print(
        f"\nidle poll of all {outlets} outlets: {mean:.2f} s CPU (mean of {len(idle)}), "
        f"{mean / outlets:.2f} s per outlet; a crawl process's start-up alone: {startup:.2f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
