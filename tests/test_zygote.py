"""The warm worker: crawls forked by one long-lived helper process (``crawler.fetch.zygote``,
driven by ``scheduler.warm``) behave as crawls started afresh do.

Every wait is on something observable (a request hanging at the fixture web, a process gone,
an exit code reported), with bounds generous enough for a loaded two-core machine.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from crashkit import (
    crawl_command,
    decided,
    descendants,
    parent_of,
    running,
    stop_tree,
    stored_urls,
)

from crawler.config import load_config, resolve
from crawler.errors import EXIT_CRAWL_BUSY
from crawler.records import RunRecord
from crawler.spool import Spool
from daemonkit import Setup, eventually, query, write_config
from fixtureweb import Fault, FixtureWeb, bulk_articles
from scheduler import supervise
from scheduler.supervise import CrawlRunner, prepare_store, worker_command
from scheduler.warm import EXIT_UNKNOWN, SWITCH, ForkedCrawl, WarmWorker
from storage import Store
from storage.locks import LockFile

OUTLETS = ["steppe-herald", "capital-observer", "volga-bulletin"]  # feed, sitemap, listing
HUNG = "borderland-press"
BOUND = 120  # seconds: a loaded two-core machine may be slow, never this slow


@pytest.fixture(scope="module")
def warm() -> Iterator[WarmWorker]:
    """A warm worker of this module's own (not the test process's shared one)."""
    worker = WarmWorker()
    yield worker
    worker.close()


@pytest.fixture
def hung_web() -> Iterator[tuple[FixtureWeb, str]]:
    """A web where one outlet's last article never answers (until released)."""
    articles = bulk_articles([HUNG], 20, datetime.now(UTC))
    with FixtureWeb(articles=articles) as web:
        web.set_fault(HUNG, Fault.hang(path=articles[-1].path))
        yield web, articles[-1].path


class Output:
    """A crawl's stderr, read to its end on a thread of its own (as forward_log does)."""

    def __init__(self, crawl: ForkedCrawl) -> None:
        self.text = ""
        self._thread = threading.Thread(target=self._read, args=(crawl,), daemon=True)
        self._thread.start()

    def _read(self, crawl: ForkedCrawl) -> None:
        with crawl.stderr:
            self.text = crawl.stderr.read().decode("utf-8", "replace")

    def wait(self) -> str:
        self._thread.join(BOUND)
        return self.text


def fork_hanging(
    worker: WarmWorker, web: FixtureWeb, root: Path
) -> tuple[ForkedCrawl, Output, Setup]:
    """Fork a crawl of the hung outlet and wait until its request hangs."""
    setup = write_config(root, web, [HUNG])
    crawl, output = fork(worker, setup, HUNG)
    assert web.wait_until_hanging(1, timeout=BOUND)
    return crawl, output, setup


def fork(
    worker: WarmWorker, setup: Setup, outlet: str, *, settings: str | None = None
) -> tuple[ForkedCrawl, Output]:
    """Fork a dry-run crawl (no store) of `outlet`, spooling next to the config."""
    spool = Spool(setup.config.parent / "spool")
    arguments = worker_command(None, spool, outlet, 1)[3:]
    if settings is None:
        settings = resolve(load_config(setup.config), outlet).model_dump_json()
    crawl = worker.fork(arguments, settings)
    assert crawl is not None
    return crawl, Output(crawl)


def exit_code(crawl: ForkedCrawl) -> int:
    eventually(lambda: crawl.poll() is not None, BOUND, "the crawl's exit code")
    code = crawl.poll()
    assert code is not None
    return code


def crawl_in_process(setup: Setup, outlets: list[str]) -> list[supervise.CrawlChild]:
    """What `newsmon crawl` does, in this process; the crawl processes it started."""
    children: list[supervise.CrawlChild] = []
    start = supervise.start_child

    def recording(command: list[str], settings_json: str) -> supervise.CrawlChild:
        children.append(start(command, settings_json))
        return children[-1]

    config = load_config(setup.config)
    with pytest.MonkeyPatch.context() as patch, Store.open(setup.db) as store:
        patch.setattr(supervise, "start_child", recording)
        prepare_store(store, config)
        outcomes = CrawlRunner(store, config, Spool(setup.config.parent / "spool")).run(outlets)
    assert [o.status for o in outcomes] == ["ok"] * len(outlets)
    return children


# -- the same crawl --------------------------------------------------------------------------


def test_a_forked_crawl_stores_what_a_crawl_in_a_fresh_process_stores(tmp_path, monkeypatch):
    with FixtureWeb() as web:
        warm = write_config(tmp_path / "warm", web, OUTLETS, parallel=3)
        forked = crawl_in_process(warm, OUTLETS)
        monkeypatch.setenv(SWITCH, "off")
        fresh = write_config(tmp_path / "fresh", web, OUTLETS, parallel=3)
        started = crawl_in_process(fresh, OUTLETS)
    assert all(isinstance(child, ForkedCrawl) for child in forked)
    assert all(isinstance(child, subprocess.Popen) for child in started)
    assert decided(warm.db) == decided(fresh.db) and decided(warm.db)
    assert sorted(stored_urls(warm.db)) == sorted(stored_urls(fresh.db))
    assert stored_urls(warm.db)


def test_a_forked_crawl_is_a_child_of_a_single_threaded_zygote_in_a_session_of_its_own(
    warm, hung_web, tmp_path
):
    web, _ = hung_web
    crawl, output, _ = fork_hanging(warm, web, tmp_path)
    assert warm.pid is not None and parent_of(crawl.pid) == warm.pid
    assert os.getsid(crawl.pid) == crawl.pid
    assert os.listdir(f"/proc/{warm.pid}/task") == [str(warm.pid)]  # one thread
    crawl.kill()
    web.release_hangs()
    assert exit_code(crawl) == -signal.SIGKILL
    output.wait()


# -- signals and exit codes ------------------------------------------------------------------


def test_sigterm_stops_a_forked_crawl_gracefully_and_its_summary_is_written(
    warm, hung_web, tmp_path
):
    web, _ = hung_web
    crawl, output, setup = fork_hanging(warm, web, tmp_path)
    crawl.send_signal(signal.SIGTERM)
    web.release_hangs()  # the request in flight finishes, as a graceful stop lets it
    assert exit_code(crawl) == 0
    spool = Spool(setup.config.parent / "spool")
    summaries = [r for r in map(spool.read, spool.pending()) if isinstance(r, RunRecord)]
    assert [s.status for s in summaries] == ["stopped"] and summaries[0].discovered > 0
    assert "Traceback" not in output.wait()


@pytest.mark.parametrize(
    ("case", "expected", "said"),
    [
        ("crawls", 0, ""),
        ("bad arguments", 2, "the following arguments are required: --outlet"),
        ("bad settings", 1, "ValidationError"),
        ("outlet locked", EXIT_CRAWL_BUSY, "is still running"),
    ],
)
def test_the_exit_code_and_stderr_of_a_forked_crawl_reach_newsmon(
    warm, tmp_path, case, expected, said
):
    with FixtureWeb() as web:
        setup = write_config(tmp_path, web, ["steppe-herald"])
        locks = setup.config.parent / "spool" / "locks"
        locks.mkdir(parents=True)
        lock = (
            LockFile.try_acquire(locks / "steppe-herald.lock") if case == "outlet locked" else None
        )
        if case == "bad arguments":
            crawl = warm.fork(["--settings-stdin", "--spool", str(locks.parent)], "{}")
            assert crawl is not None
            output = Output(crawl)
        else:
            settings = "{}" if case == "bad settings" else None
            crawl, output = fork(warm, setup, "steppe-herald", settings=settings)
        code = exit_code(crawl)
        if lock is not None:
            lock.release()
    assert code == expected
    assert said in output.wait()


@pytest.mark.parametrize(("level", "logged"), [("DEBUG", True), ("WARNING", False)])
def test_a_crawl_logs_each_page_only_at_debug(warm, tmp_path, level, logged):
    # at WARNING Scrapy's per-page DEBUG records are not even made; at DEBUG they are written
    with FixtureWeb() as web:
        setup = write_config(tmp_path, web, ["steppe-herald"])
        settings = resolve(load_config(setup.config), "steppe-herald")
        settings = settings.model_copy(update={"crawl_log_level": level})
        crawl, output = fork(warm, setup, "steppe-herald", settings=settings.model_dump_json())
        assert exit_code(crawl) == 0
    assert ("Crawled (200)" in output.wait()) is logged


# -- death of newsmon or of the zygote -------------------------------------------------------


def test_when_newsmon_is_killed_its_zygote_and_forked_crawls_end(hung_web, tmp_path):
    web, _ = hung_web
    setup = write_config(tmp_path, web, [HUNG])
    settings = setup.config / "newsmon.toml"
    settings.write_text(
        settings.read_text().replace(
            "download_timeout_seconds = 20", "download_timeout_seconds = 3"
        )
    )
    environment = {k: v for k, v in os.environ.items() if k != SWITCH}
    newsmon = subprocess.Popen(
        crawl_command(setup),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        cwd=tmp_path,
        env=environment,
    )
    tree: list[int] = []
    try:
        assert web.wait_until_hanging(1, timeout=BOUND)
        tree = descendants(newsmon.pid)
        [zygote] = [pid for pid in tree if parent_of(pid) == newsmon.pid]
        assert [pid for pid in tree if parent_of(pid) == zygote]  # the crawl is forked
        newsmon.send_signal(signal.SIGKILL)
        newsmon.wait(BOUND)
        # the zygote at once (SIGKILL); the crawl stops gracefully: its hung request times out
        eventually(lambda: not any(map(running, tree)), BOUND, "the crawl processes to end")
    finally:
        for pid in stop_tree(newsmon.pid) + tree:  # a failed test leaves nothing running
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        newsmon.wait(BOUND)


def test_a_crawl_outlives_the_death_of_its_zygote_as_unknown_and_the_next_is_forked_anew(
    hung_web, tmp_path
):
    web, _ = hung_web
    setup = write_config(tmp_path, web, [HUNG])
    worker = WarmWorker()
    try:
        crawl, output = fork(worker, setup, HUNG)
        assert web.wait_until_hanging(1, timeout=BOUND)
        first = worker.pid
        assert first is not None
        os.kill(first, signal.SIGKILL)  # the crawl gets SIGTERM and stops gracefully
        web.release_hangs()
        assert exit_code(crawl) == EXIT_UNKNOWN
        output.wait()
        web.set_fault(HUNG, None)
        again, again_output = fork(worker, setup, HUNG)
        assert exit_code(again) == 0 and worker.pid not in (None, first)
        again_output.wait()
    finally:
        worker.close()


def test_a_warm_worker_started_ahead_forks_the_first_crawl_once_it_is_ready(tmp_path):
    """``newsmon crawl`` starts its warm worker before it opens the store: the first crawl
    is forked by that zygote, not by another one started on demand."""
    with FixtureWeb() as web:
        setup = write_config(tmp_path, web, ["steppe-herald"])
        worker = WarmWorker()
        try:
            worker.start()
            worker.start()  # already starting: no second zygote
            started = eventually(lambda: worker.pid, BOUND, "the zygote to be started")
            crawl, output = fork(worker, setup, "steppe-herald")
            assert exit_code(crawl) == 0 and worker.pid == started
            output.wait()
        finally:
            worker.close()


def test_without_a_zygote_crawls_start_fresh_processes_and_lose_nothing(
    tmp_path, monkeypatch, caplog
):
    broken = WarmWorker(module="tests_no_such_zygote")
    monkeypatch.setattr(supervise, "fork_crawl", broken.fork)
    with FixtureWeb() as web, caplog.at_level(logging.WARNING, logger="scheduler.warm"):
        setup = write_config(tmp_path, web, OUTLETS, parallel=3)
        started = crawl_in_process(setup, OUTLETS)
    assert all(isinstance(child, subprocess.Popen) for child in started)
    assert "the warm worker did not start" in caplog.text
    assert stored_urls(setup.db)
    assert not query(setup.db, "select id from runs where status != 'ok'")
    broken.close()


def test_the_switch_turns_the_warm_worker_off(monkeypatch, tmp_path):
    monkeypatch.setenv(SWITCH, "off")
    with FixtureWeb() as web:
        setup = write_config(tmp_path, web, ["steppe-herald"])
        command = worker_command(None, Spool(tmp_path / "spool"), "steppe-herald", 1)
        settings = resolve(load_config(setup.config), "steppe-herald").model_dump_json()
        child = supervise.start_child(command, settings)
        assert isinstance(child, subprocess.Popen)
        assert child.stderr is not None
        with child.stderr:
            child.stderr.read()
        assert child.wait(BOUND) == 0


_COMPILED_LOCALES = """
import sys
from dateparser.languages.dictionary import Dictionary
from crawler.fetch.zygote import warm_up
warm_up(every_date_locale=sys.argv[1] == "every")
print(sum(len(patterns) for patterns in Dictionary._split_regex_cache.values()))
"""


_LOADED_ONCE = """
import tld.utils
import trafilatura.external
from crawler.fetch.zygote import warm_up
warm_up()
print(trafilatura.external.JT_STOPLIST is not None, bool(tld.utils.tld_names))
"""


def test_the_warm_up_loads_what_extraction_would_read_in_every_crawl():
    """justext's stop words and tld's suffix list are read once, in the zygote."""
    loaded = subprocess.run(
        [sys.executable, "-c", _LOADED_ONCE], capture_output=True, text=True, check=True
    )
    assert loaded.stdout.split() == ["True", "True"]


def test_a_warm_up_for_many_pages_compiles_every_date_locale_once():
    """The daemon's warm worker (and one for a topic without its gate) compiles dateparser's
    patterns for every locale, so that its crawls do not each compile them again."""
    compiled = {
        mode: int(
            subprocess.run(
                [sys.executable, "-c", _COMPILED_LOCALES, mode],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        for mode in ("every", "few")
    }
    assert compiled["every"] > 10 * compiled["few"] > 0


def test_the_zygote_compiles_a_crawls_topics_before_forking_it_once_for_all_crawls(tmp_path):
    """A forked crawl finds its topics compiled (``compiled_topic``), and the zygote compiles
    a version of a topic once; settings it cannot read are left to the crawl to report."""
    from crawler.content import relevance  # noqa: PLC0415
    from crawler.fetch.zygote import _prepare  # noqa: PLC0415

    with FixtureWeb() as web:
        setup = write_config(tmp_path, web, ["steppe-herald"])
    settings = resolve(load_config(setup.config), "steppe-herald")
    relevance._compiled.cache_clear()
    try:
        _prepare({"settings": settings.model_dump_json()})
        _prepare({"settings": settings.model_dump_json()})
        _prepare({"settings": "{not json"})
    finally:
        gc.unfreeze()  # what the zygote froze for its children, this test process does not keep
    assert relevance._compiled.cache_info().misses == len(settings.topics) > 0
    compiled = [relevance.compiled_topic(topic) for topic in settings.topics]
    assert relevance._compiled.cache_info().misses == len(settings.topics)
    assert all(isinstance(c, relevance.CompiledTopic) for c in compiled)
    changed = settings.topics[0].model_copy(update={"threshold": settings.topics[0].threshold + 1})
    assert relevance.compiled_topic(changed) is not compiled[0]
