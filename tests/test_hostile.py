"""A crawl of the hostile outlet: nothing crashes, nothing leaks, every failure explained."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from daemonkit import REPO, SETTINGS, query
from fixtureweb.hostile import HOSTILE, HostileOutlet

MAX_PAGE_BYTES = 1_000_000


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("hostile")
    config = root / "config"
    (config / "topics").mkdir(parents=True)
    (config / "outlets").mkdir()
    for topic in (REPO / "config" / "topics").glob("*.toml"):
        (config / "topics" / topic.name).write_text(topic.read_text())
    settings = SETTINGS.format(
        db=root / "newsmon.db",
        parallel=1,
        crawl_timeout=120,
        shutdown_grace=3,
        interval_minutes=1,
    ).replace("download_timeout_seconds = 20", "download_timeout_seconds = 3")
    settings = settings.replace("[fetch]\n", f"[fetch]\nmax_page_bytes = {MAX_PAGE_BYTES}\n")
    (config / "newsmon.toml").write_text(settings)
    with HostileOutlet() as outlet:
        (config / "outlets" / f"{HOSTILE}.toml").write_text(outlet.config(MAX_PAGE_BYTES))
        result = subprocess.run(
            [sys.executable, "-m", "scheduler", "crawl", "--config", str(config)],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
            cwd=root,
        )
        yield outlet, root / "newsmon.db", result


def state(db: Path, outlet: HostileOutlet, path: str) -> tuple[str, str]:
    rows = query(db, "select state, reason from urls where url = ?", outlet.base_url + path)
    assert rows, f"{path} was never decided"
    return rows[0]["state"], rows[0]["reason"]


def test_the_crawl_ends_without_a_traceback_or_library_errors(crawled):
    _, db, result = crawled
    assert "Traceback" not in result.stderr, result.stderr
    assert "[trafilatura" not in result.stderr, result.stderr
    [run] = query(db, "select status from runs")
    assert run["status"] == "ok"


@pytest.mark.parametrize(
    "path", ["/a/plain", "/a/relative", "/a/protocol-relative", "/a/flaky", "/a/slow-down"]
)
def test_good_articles_behind_odd_links_and_transient_errors_are_stored(crawled, path):
    outlet, db, _ = crawled
    assert state(db, outlet, path)[0] == "stored"


def test_pages_whose_declared_charset_does_not_fit_their_bytes_are_decoded(crawled):
    _, db, _ = crawled
    texts = {row["title"]: row["text"] for row in query(db, "select title, text from articles")}
    assert "Jürgen Weiß" in texts["Deserters in Köln"]
    assert "Сергея Шумова" in texts["Дезертиры"]


def test_the_same_article_listed_twice_is_requested_once(crawled):
    outlet, _, _ = crawled
    assert outlet.asked("/a/plain") == 1


@pytest.mark.parametrize(
    ("path", "states", "why"),
    [
        ("/a/binary", ("no_body", "rejected"), ""),
        ("/a/huge", ("rejected",), "too large"),
        ("/a/loop-1", ("rejected", "failed", "retry"), "redirect"),
        ("/a/to-file", ("rejected",), ""),
        ("/a/offsite", ("rejected",), ""),
        ("/a/never", ("retry",), "Timeout"),
        ("/a/bait/secret", ("blocked",), "robots.txt"),
    ],
)
def test_hostile_articles_are_recorded_with_their_reason_and_nothing_stored(
    crawled, path, states, why
):
    outlet, db, _ = crawled
    got, reason = state(db, outlet, path)
    assert got in states and why in reason, (got, reason)


def test_the_robots_bait_and_redirect_targets_elsewhere_are_never_requested(crawled):
    outlet, _, _ = crawled
    assert outlet.asked("/a/bait/secret") == 0
    assert outlet.asked("/a/loop-1") <= 25  # bounded


def test_nothing_over_the_page_cap_reaches_the_store(crawled):
    _, db, _ = crawled
    biggest = query(db, "select max(size_bytes) as n from pages")[0]["n"] or 0
    assert biggest <= MAX_PAGE_BYTES


def test_a_gzip_bomb_is_capped_and_reported_and_entities_are_never_expanded(crawled):
    _, db, _ = crawled
    sources = {
        row["url"].rsplit("/", 1)[1]: row
        for row in query(db, "select url, last_error, last_entries from sources")
    }
    assert "inflates beyond" in sources["bomb-sitemap.xml.gz"]["last_error"]
    assert sources["entities-sitemap.xml"]["last_entries"] == 1  # the one real <loc>
    listed = [row["url"] for row in query(db, "select url from urls")]
    assert not any("lol" in url or "passwd" in url for url in listed)
