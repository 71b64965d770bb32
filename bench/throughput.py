"""Throughput: one ``newsmon crawl`` of a local web of real-sized pages, against the
extraction floor and a plain trafilatura pipeline, side by side in one run.

The web (served on 127.0.0.1 by this script, HTTP/1.1 with connections kept open) has
``--pages`` article pages over 8 outlets: three behind RSS feeds, three behind news sitemaps,
two behind paginated listing pages. Each
page is a real article page from ``../shared/data/scrapinghub_aeb`` of 50-300 KB, furniture and
all (its canonical links removed and a paragraph of local news added, so that every page is
its own); ``--share`` of them (3 %) get two or three on-topic paragraphs and an on-topic
headline from the fixture web's reports. Politeness delays are 0, 8 requests in flight per
crawl, as many crawls at once as there are cores.

Rows, all over the same pages (fixed seed):

- ``newsmon crawl, gate off`` and ``gate on``: from an empty store;
- ``extraction floor``: ``crawler.content.extraction.extract_article`` over the pages in a
  process pool of as many workers as cores (the extraction newsmon cannot avoid for a page it
  extracts);
- ``trafilatura pipeline``: the links of the feeds, sitemaps and listing pages (read with a
  regular expression: trafilatura's own discovery refuses 127.0.0.1 addresses), fetching with
  8 threads over kept-open connections (as ``trafilatura.fetch_url`` does),
  ``trafilatura.bare_extraction`` of every page in a pool of as many workers as
  cores, then newsmon's topic scorer on each.

Each row: wall time, CPU of every process involved (this script's server included: "of it
serving" is what answering the requests cost it, which the floor does not pay), pages per
second, and the peak resident
memory of the largest process and of all of them together (sampled every 0.2 s). "kept"
counts on-topic pages kept (stored on topic, or scored on topic by the pipeline);
recall is over the pages given on-topic paragraphs.

    python bench/throughput.py [--pages 2200] [--share 0.03] [--repeat 1]
                               [--rows crawl-off,crawl-on,floor,pipeline]

Then the issue's two ratios: the gate-off crawl's pages per second over the floor's, and the
pipeline's CPU per on-topic article kept over the gate-on crawl's. This machine's speed
drifts by 10-30 % over minutes, so ``--repeat N`` measures the rows N times in turn and prints
each row's medians, and each ratio within each cycle with their median.
"""

from __future__ import annotations

import argparse
import functools
import html
import multiprocessing
import os
import random
import re
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

import trafilatura  # noqa: E402
import urllib3  # noqa: E402
from crashkit import descendants, parent_of, stat_fields  # noqa: E402

from crawler.config.topics import TopicConfig  # noqa: E402
from crawler.content.article import NoArticleBody  # noqa: E402
from crawler.content.extraction import extract_article  # noqa: E402
from crawler.content.relevance import CompiledTopic  # noqa: E402
from fixtureweb.content import ARTICLES, local_news  # noqa: E402

AEB = REPO.parent / "shared" / "data" / "scrapinghub_aeb"
TOPIC = REPO / "config" / "topics" / "russian-military-desertion.toml"
OUTLETS = 8
KINDS = ("feed", "feed", "feed", "sitemap", "sitemap", "sitemap", "listing", "listing")
PER_LISTING_PAGE = 50
_CANONICAL = re.compile(
    r"<link[^>]*rel=[\"']?(canonical|amphtml)[^>]*>|<meta[^>]*og:url[^>]*>", re.IGNORECASE
)
_LONG_P = re.compile(r"<p[ >](?:(?!</p>).){200,}?</p>", re.IGNORECASE | re.DOTALL)
_TITLE = re.compile(r"<title[^>]*>.*?</title>", re.IGNORECASE | re.DOTALL)
_OG_TITLE = re.compile(r"<meta[^>]*(?:og|twitter):title[^>]*>", re.IGNORECASE)
_H1 = re.compile(r"<h1[^>]*>.*?</h1>", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Page:
    outlet: int
    path: str
    html: str
    on_topic: bool
    published: datetime


# -- the web ---------------------------------------------------------------------------------


def templates() -> list[str]:
    """Real article pages of 50-300 KB, without the canonical links that would make them one."""
    pages = []
    for path in sorted(AEB.glob("*/page.html")):
        if 50_000 <= path.stat().st_size <= 300_000:
            pages.append(_CANONICAL.sub("", path.read_text(encoding="utf-8", errors="replace")))
    return pages


def build(count: int, share: float, seed: int) -> list[Page]:
    rng = random.Random(seed)
    bases = templates()
    reports = [
        a
        for a in ARTICLES
        if a.expect == "on_topic" and a.language == "en" and _on_topic_alone(a.paragraphs)
    ]
    on_topic = set(rng.sample(range(count), max(1, round(count * share))))
    now = datetime.now(UTC).replace(microsecond=0)
    pages = []
    own = dict(zip(sorted(on_topic), rng.sample(range(len(bases)), len(on_topic)), strict=False))
    for index in range(count):
        base = bases[own.get(index, index % len(bases))]  # an on-topic page has its own
        page = _put_paragraphs(base, [local_news("en", rng)], first=False)
        if index in on_topic:
            report = rng.choice(reports)
            page = _headline(page, report.title)
            page = _put_paragraphs(page, list(report.paragraphs[: rng.randint(2, 3)]), first=True)
        published = now - timedelta(minutes=7 * index)
        pages.append(
            Page(
                index % OUTLETS,
                f"/o{index % OUTLETS}/a/{index}.html",
                page,
                index in on_topic,
                published,
            )
        )
    return pages


def _on_topic_alone(paragraphs: tuple[str, ...]) -> bool:
    """Whether a report's first two paragraphs are on topic by themselves."""
    return _scorer().score("", paragraphs[0], paragraphs[1], "en").on_topic


def _headline(page: str, title: str) -> str:
    """The page with ``title`` as its headline: in <title>, og:title and its first <h1>."""
    text = html.escape(title)
    page = _TITLE.sub(f"<title>{text}</title>", page, count=1)
    page = _OG_TITLE.sub(f'<meta property="og:title" content="{text}">', page)
    return _H1.sub(f"<h1>{text}</h1>", page, count=1)


def _put_paragraphs(page: str, paragraphs: list[str], *, first: bool) -> str:
    """The paragraphs at the start of the article's text (before its first long paragraph),
    or in its middle; before the body's end if it has no long paragraph."""
    block = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    long = [m.start() for m in _LONG_P.finditer(page)] or [max(page.rfind("</body>"), 0)]
    at = long[0] if first else long[len(long) // 2]
    return page[:at] + block + page[at:]


def documents(pages: list[Page], port: int) -> dict[str, bytes]:
    """Every path the web serves: pages, feeds, sitemaps, listing pages."""
    served = {p.path: p.html.encode("utf-8") for p in pages}
    base = f"http://127.0.0.1:{port}"
    for outlet in range(OUTLETS):
        mine = [p for p in pages if p.outlet == outlet]
        kind = KINDS[outlet]
        if kind == "feed":
            served[f"/o{outlet}/feed.xml"] = _rss(mine, base).encode()
        elif kind == "sitemap":
            served[f"/o{outlet}/sitemap.xml"] = _sitemap(mine, base).encode()
        else:
            served.update(_listing(outlet, mine))
    return served


def _rss(pages: list[Page], base: str) -> str:
    items = "".join(
        f"<item><title>Article {p.path}</title><link>{base}{p.path}</link>"
        f"<pubDate>{p.published.strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate></item>"
        for p in pages
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>o</title>{items}</channel></rss>'
    )


def _sitemap(pages: list[Page], base: str) -> str:
    urls = "".join(
        f"<url><loc>{base}{p.path}</loc><lastmod>{p.published.isoformat()}</lastmod></url>"
        for p in pages
    )
    return (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{urls}</urlset>"
    )


def _listing(outlet: int, pages: list[Page]) -> dict[str, bytes]:
    chunks = [pages[i : i + PER_LISTING_PAGE] for i in range(0, len(pages), PER_LISTING_PAGE)]
    served = {}
    for number, chunk in enumerate(chunks, start=1):
        links = "".join(f'<li><a href="{p.path}">Article {p.path}</a></li>' for p in chunk)
        after = f'<a rel="next" href="/o{outlet}/list/{number + 1}.html">next</a>'
        more = after if number < len(chunks) else ""
        served[f"/o{outlet}/list/{number}.html"] = (
            f"<html><body><ul>{links}</ul>{more}</body></html>".encode()
        )
    return served


SERVING = {"cpu": 0.0}  # CPU seconds this script's server has spent answering requests
_SERVING_LOCK = threading.Lock()


def serve(served: dict[str, bytes]) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # connections kept open, as news sites keep them

        def handle_one_request(self) -> None:  # a thread per connection: its CPU is ours
            started = time.thread_time()
            super().handle_one_request()
            with _SERVING_LOCK:
                SERVING["cpu"] += time.thread_time() - started

        def do_GET(self) -> None:
            body = served.get(self.path.split("?")[0])
            self.send_response(200 if body is not None else 404)
            kind = "application/xml" if self.path.endswith(".xml") else "text/html; charset=utf-8"
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# -- newsmon ---------------------------------------------------------------------------------


def configure(root: Path, port: int, pages: int, gate: bool) -> Path:
    config = root / "config"
    (config / "topics").mkdir(parents=True)
    (config / "outlets").mkdir()
    topic = TOPIC.read_text(encoding="utf-8").replace("gate = true", f"gate = {str(gate).lower()}")
    (config / "topics" / TOPIC.name).write_text(topic, encoding="utf-8")
    base = f"http://127.0.0.1:{port}"
    for outlet in range(OUTLETS):
        kind = KINDS[outlet]
        url = {"feed": "feed.xml", "sitemap": "sitemap.xml", "listing": "list/1.html"}[kind]
        pages_line = (
            f"max_pages = {pages // OUTLETS // PER_LISTING_PAGE + 2}\n" if kind == "listing" else ""
        )
        (config / "outlets" / f"o{outlet}.toml").write_text(
            f'id = "o{outlet}"\nname = "Outlet {outlet}"\nhomepage = "{base}/o{outlet}/"\n'
            f'language = "en"\nmax_age_days = 36500\n[[sources]]\nkind = "{kind}"\n'
            f"url = \"{base}/o{outlet}/{url}\"\n{pages_line}[urls]\nallow = ['/o{outlet}/a/']\n"
        )
    cores = os.cpu_count() or 1
    (config / "newsmon.toml").write_text(
        f"[fetch]\ndownload_delay_seconds = 0.0\nautothrottle = false\nconcurrent_requests = 8\n"
        f"concurrent_requests_per_host = 8\nobey_robots_txt = false\n"
        f"[crawl]\nmax_new_urls_per_crawl = {pages}\nmax_parallel_crawls = {cores}\n"
        f"crawl_timeout_seconds = 7200\nrecheck_after_hours = []\n"
    )
    return config


class Measured:
    """Wall time, CPU (this process, less its sampling thread, and every process it started
    and waited for) and the peak resident memory of the processes it started (sampled every
    0.2 s from /proc: a forked child's copy-on-write pages would make ``ru_maxrss`` count this
    script's pages)."""

    def __enter__(self) -> Measured:
        self._self = resource.getrusage(resource.RUSAGE_SELF)
        self._children = resource.getrusage(resource.RUSAGE_CHILDREN)
        self._serving = SERVING["cpu"]
        self._started = time.monotonic()
        self.peak_total = self.peak_largest = 0
        self.processes: dict[int, tuple[str, float]] = {}  # pid: its role, CPU s last seen
        self._done = threading.Event()
        self._sampler = threading.Thread(target=self._sample, daemon=True)
        self._sampler.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.monotonic() - self._started
        self._done.set()
        self._sampler.join()
        now_self = resource.getrusage(resource.RUSAGE_SELF)
        now_children = resource.getrusage(resource.RUSAGE_CHILDREN)
        # the sampler's own reading of /proc is the bench's cost, not the measured run's
        self.own_cpu = _cpu(self._self, now_self) - self._sampling
        self.cpu = self.own_cpu + _cpu(self._children, now_children)
        self.serving = SERVING["cpu"] - self._serving

    def _sample(self) -> None:
        try:
            self._sample_until_done()
        finally:
            self._sampling = time.thread_time()

    def _sample_until_done(self) -> None:
        while not self._done.wait(0.2):
            pids = descendants(os.getpid())
            sizes = [_rss_mb(pid) for pid in pids]
            for pid in pids:
                if (seen := _role_cpu(pid)) is not None:
                    self.processes[pid] = seen
            self.peak_total = max(self.peak_total, sum(sizes))
            self.peak_largest = max(self.peak_largest, max(sizes, default=0))


def _rss_mb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) // 1024
    except OSError:
        pass
    return 0


def _role_cpu(pid: int) -> tuple[str, float] | None:
    """A process's role (this script's child, the warm worker under it, or a crawl under
    that) and the CPU seconds it has used so far."""
    try:
        fields = stat_fields(pid)
        parent = int(fields[1])
        grandparent = parent_of(parent) if parent != os.getpid() else 0
        ticks = int(fields[11]) + int(fields[12])  # utime, stime
    except (OSError, IndexError, ValueError):
        return None
    role = "child" if parent == os.getpid() else "warm" if grandparent == os.getpid() else "crawl"
    return role, ticks / os.sysconf("SC_CLK_TCK")


def _cpu(before: resource.struct_rusage, after: resource.struct_rusage) -> float:
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _figures(
    pages: list[Page], measured: Measured, handled: int, kept: set[str] | None
) -> dict[str, float]:
    truth = {p.path for p in pages if p.on_topic}
    found = len(truth & kept) if kept is not None else float("nan")
    return {
        "wall": measured.wall,
        "cpu": measured.cpu,
        "serving": measured.serving,
        "pages": handled,
        "kept": found,
        "false": len(kept - truth) if kept is not None else float("nan"),
        "recall": found / len(truth) if truth else 1.0,
        "peak_largest": measured.peak_largest,
        "peak_total": measured.peak_total,
        "own": measured.own_cpu,
        **{
            role: sum(cpu for kind, cpu in measured.processes.values() if kind == role)
            for role in ("child", "warm", "crawl")
        },
    }


def newsmon_crawl(pages: list[Page], port: int, gate: bool) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        config = configure(root, port, len(pages), gate)
        db = root / "newsmon.db"
        command = [sys.executable, "-m", "scheduler", "crawl"]
        with Measured() as measured:
            subprocess.run(
                [*command, "--config", str(config), "--db", str(db)],
                check=True,
                capture_output=True,
            )
        with sqlite3.connect(db) as conn:
            stored = conn.execute("SELECT url FROM articles WHERE topic_status = 'on_topic'")
            kept = {re.sub(r"^http://[^/]+", "", row[0]) for row in stored}
            fetched = conn.execute(
                "SELECT COUNT(*) FROM urls WHERE state NOT IN ('pending', 'retry')"
            ).fetchone()[0]
    return _figures(pages, measured, fetched, kept)


# -- the floor and the plain pipeline ---------------------------------------------------------


def _extract_floor(page: str) -> bool:
    try:
        extract_article(page, "http://127.0.0.1/a")
    except NoArticleBody:
        return False
    return True


def _pool() -> ProcessPoolExecutor:
    """As many fresh worker processes as cores (spawned: nothing of this script inherited)."""
    return ProcessPoolExecutor(os.cpu_count() or 1, mp_context=multiprocessing.get_context("spawn"))


def floor(pages: list[Page]) -> dict[str, float]:
    with Measured() as measured, _pool() as pool:
        list(pool.map(_extract_floor, [p.html for p in pages], chunksize=8))
    return _figures(pages, measured, len(pages), None)


@functools.cache
def _scorer() -> CompiledTopic:
    return CompiledTopic(TopicConfig(**tomllib.loads(TOPIC.read_text(encoding="utf-8"))))


def _extract_and_score(item: tuple[str, str]) -> str | None:
    """The pipeline's worker: trafilatura extraction, then the topic scorer; the path if kept."""
    path, page = item
    document = trafilatura.bare_extraction(page, with_metadata=True, include_comments=False)
    if document is None or not document.text:
        return None
    paragraphs = document.text.split("\n")
    relevance = _scorer().score(
        document.title or "", paragraphs[0], "\n".join(paragraphs[1:]), "en"
    )
    return path if relevance.on_topic else None


def pipeline(pages: list[Page], port: int) -> dict[str, float]:
    base = f"http://127.0.0.1:{port}"
    with Measured() as measured:
        links: list[str] = []
        for outlet in range(OUTLETS):
            document = {"feed": "feed.xml", "sitemap": "sitemap.xml"}.get(KINDS[outlet])
            if document:
                body = _get(f"{base}/o{outlet}/{document}") or ""
                links += re.findall(r"<(?:link|loc)>([^<]+)</(?:link|loc)>", body)
            else:
                links += _listing_links(base, outlet)
        with ThreadPoolExecutor(8) as threads:
            bodies = list(threads.map(_get, links))
        paths = [re.sub(r"^http://[^/]+", "", u) for u in links]
        items = [(path, body) for path, body in zip(paths, bodies, strict=True) if body]
        with _pool() as pool:
            kept = {path for path in pool.map(_extract_and_score, items, chunksize=8) if path}
    return _figures(pages, measured, len(items), kept)


def _listing_links(base: str, outlet: int) -> list[str]:
    links, number = [], 1
    while True:
        body = _get(f"{base}/o{outlet}/list/{number}.html")
        found = re.findall(r'href="(/o\d+/a/[^"]+)"', body or "")
        if not found:
            return links
        links += [base + path for path in found]
        number += 1


# connections kept open and reused, as trafilatura.fetch_url's urllib3 pool does
_POOL = urllib3.PoolManager(maxsize=8, retries=False, timeout=30)


def _get(url: str) -> str | None:
    try:
        response = _POOL.request("GET", url)
    except urllib3.exceptions.HTTPError:
        return None
    return response.data.decode("utf-8", errors="replace") if response.status == 200 else None


# -- the table -------------------------------------------------------------------------------


def row(name: str, f: dict[str, float]) -> str:
    rate = f["pages"] / f["wall"] if f["wall"] else 0.0
    per_page = f["cpu"] / f["pages"] * 1000 if f["pages"] else 0.0
    per_kept = f["cpu"] / f["kept"] if f["kept"] == f["kept"] and f["kept"] else float("nan")
    return (
        f"| {name} | {f['wall']:.1f} | {f['cpu']:.1f} | {f['serving']:.1f} | {rate:.1f} "
        f"| {per_page:.0f} | "
        f"{f['kept']:.0f} | {f['recall']:.2f} | {per_kept:.2f} | {f['false']:.0f} | "
        f"{f['peak_largest']:.0f} / {f['peak_total']:.0f} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=2200)
    parser.add_argument("--share", type=float, default=0.03)
    parser.add_argument("--seed", type=int, default=20261130)
    parser.add_argument("--rows", default="crawl-off,crawl-on,floor,pipeline")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="measure the rows this many times, in turn, then print each row's medians",
    )
    args = parser.parse_args()
    if not AEB.is_dir():
        print(f"{AEB} is absent: the pages come from ../shared/data")
        return 1
    pages = build(args.pages, args.share, args.seed)
    port = _serve_on(pages).server_address[1]
    sizes = sorted(len(p.html) for p in pages)
    print(
        f"{len(pages)} pages on {OUTLETS} outlets, median {sizes[len(sizes) // 2] // 1024} KB, "
        f"{sum(p.on_topic for p in pages)} on topic; {os.cpu_count()} cores\n"
    )
    _header()
    wanted = args.rows.split(",")
    runs = {
        "crawl-off": ("newsmon crawl, gate off", lambda: newsmon_crawl(pages, port, gate=False)),
        "crawl-on": ("newsmon crawl, gate on", lambda: newsmon_crawl(pages, port, gate=True)),
        "floor": ("extraction floor", lambda: floor(pages)),
        "pipeline": ("trafilatura pipeline", lambda: pipeline(pages, port)),
    }
    cycles: list[dict[str, dict[str, float]]] = []
    for cycle in range(args.repeat):
        figures = {}
        for key in wanted:
            name, run = runs[key]
            figures[name] = run()
            label = name if args.repeat == 1 else f"{name} ({cycle + 1})"
            print(row(label, figures[name]), flush=True)
        cycles.append(figures)
    if len(cycles) > 1:
        medians(cycles)
    goals(cycles)
    by_process(cycles[-1])
    return 0


def _header() -> None:
    print(
        "| | wall s | CPU s | of it serving s | pages/s | CPU ms/page | on-topic kept | recall "
        "| CPU s per on-topic kept | kept off topic | peak MB (largest / all) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")


def medians(cycles: list[dict[str, dict[str, float]]]) -> None:
    """Each row's median over the cycles, column by column."""
    print("\nMedians:\n")
    _header()
    for name in cycles[0]:
        keys = cycles[0][name].keys()
        print(row(name, {k: statistics.median(c[name][k] for c in cycles) for k in keys}))


def goals(cycles: list[dict[str, dict[str, float]]]) -> None:
    """The issue's two ratios, within each cycle (its rows measured minutes apart, so a
    machine whose speed drifts moves them less than it moves the rows), and their median."""
    pairs = (
        ("gate off / floor, pages per s", "newsmon crawl, gate off", "extraction floor", _rate),
        ("trafilatura pipeline / gate on, CPU s per on-topic kept",
         "trafilatura pipeline", "newsmon crawl, gate on", _cpu_per_kept),
    )  # fmt: skip
    for label, a, b, measure in pairs:
        found = [measure(c[a]) / measure(c[b]) for c in cycles if a in c and b in c]
        if found:
            each = ", ".join(f"{ratio:.2f}" for ratio in found)
            print(f"\n{label}: {statistics.median(found):.2f} (each cycle: {each})")


def _rate(f: dict[str, float]) -> float:
    return f["pages"] / f["wall"]


def _cpu_per_kept(f: dict[str, float]) -> float:
    return f["cpu"] / f["kept"]


def by_process(figures: dict[str, dict[str, float]]) -> None:
    """Each row's CPU split by process: this script (serving), the processes it started
    (``newsmon crawl``: the store writer), the warm worker under one, the crawls under that;
    "not seen" is what ended between two samples."""
    print("\nCPU s by process (each as last sampled, every 0.2 s):\n")
    print("| | this script | its children | warm worker | crawls | not seen |")
    print("|---|---|---|---|---|---|")
    for name, f in figures.items():
        seen = f["own"] + f["child"] + f["warm"] + f["crawl"]
        print(
            f"| {name} | {f['own']:.1f} | {f['child']:.1f} | {f['warm']:.1f} | {f['crawl']:.1f} "
            f"| {f['cpu'] - seen:.1f} |"
        )


def _serve_on(pages: list[Page]) -> ThreadingHTTPServer:
    """Serve the web; feeds and sitemaps name the port, so it is bound first."""
    served: dict[str, bytes] = {}
    server = serve(served)
    served.update(documents(pages, server.server_address[1]))
    return server


if __name__ == "__main__":
    sys.exit(main())
