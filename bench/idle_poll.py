"""Idle polls: what a crawl costs when an outlet has published nothing new.

Serves the fixture web (``tests/fixtureweb``: 8 outlets behind feeds, sitemaps, a sitemap
index and listing pages, some sending ETag/Last-Modified and some not) on 127.0.0.1, crawls
it once from an empty store, then crawls it ``--polls`` more times with nothing new. For the
idle polls it prints, per outlet, the requests per source (goal: at most 1) and what they
were answered with, and the CPU of the whole poll per outlet (goal: at most 0.3 s), next to
the CPU of the bare start-up of a crawl process (Python and the imports a crawl needs).

Each poll is one ``newsmon crawl``: its CPU is that of newsmon and of every process under it
(the warm worker, which newsmon reaps at exit, and the crawl processes, which the warm worker
reaps), so a poll pays newsmon's start-up and the warm worker's once. The daemon pays those
once for all its polls: the last figure is the CPU one more idle poll adds in one long-lived
process, measured as the difference between a process making 1 + ``--polls`` passes over
the outlets (the daemon's crawl loop, ``CrawlRunner``) and one making 1, everything under
them included.

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


def passes_in_one_process(config: Path, db: Path, passes: int) -> None:
    """``passes`` crawls of every outlet by this process, as the daemon polls them."""
    from crawler.config import load_config, spool_dir  # noqa: PLC0415 (only in this child)
    from crawler.spool import Spool  # noqa: PLC0415
    from scheduler.supervise import CrawlRunner  # noqa: PLC0415
    from storage import Store  # noqa: PLC0415

    settings = load_config(config)
    with Store.open(db) as store:
        runner = CrawlRunner(store, settings, Spool(spool_dir(settings.settings, db)))
        for _ in range(passes):
            runner.run(list(settings.outlets))


def one_process(config: Path, db: Path, passes: int) -> float:
    """CPU of a process making ``passes`` passes, with every process under it."""
    script = Path(__file__).resolve()
    return cpu_of([sys.executable, str(script), "--one-process", str(config), str(db), str(passes)])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--polls", type=int, default=3)
    parser.add_argument("--one-process", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one_process:
        config, db, passes = args.one_process
        passes_in_one_process(Path(config), Path(db), int(passes))
        return 0
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
        longer = one_process(config, db, 1 + args.polls) - one_process(config, db, 1)
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
    print(
        f"one more idle poll in a long-lived process (the daemon's case): "
        f"{longer / args.polls / outlets:.2f} s CPU per outlet"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
