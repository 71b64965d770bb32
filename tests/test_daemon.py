"""`newsmon run` as operators run it: a real process, real signals, the fixture web."""

from __future__ import annotations

import itertools
import json
import random
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections import defaultdict

import feedparser
import pytest
from crashkit import configure, crawl, decided

from crawler.records import DiscoveredEntry, SourceRecord
from crawler.spool import Spool
from daemonkit import (
    eventually,
    http_get,
    query,
    requests_to,
    running_daemon,
    start_daemon,
    status_json,
    stop,
    stored_paths,
    write_config,
)
from fixtureweb import Fault, FixtureWeb
from storage import parse_timestamp

FEEDS = {
    "steppe-herald": "/feed/",
    "borderland-press": "/atom.xml",
    "ural-vestnik": "/rss.xml",
    "dnipro-digest": "/feed.json",
    "volga-bulletin": "/news/",
}


@pytest.fixture
def web():
    with FixtureWeb() as fixture:
        yield fixture


def finished_runs(db, outlet_id, status="ok"):
    return query(
        db, "select * from runs where outlet_id = ? and status = ? order by id", outlet_id, status
    )


def gaps(requests):
    starts = [r.started_at for r in requests]
    return [later - earlier for earlier, later in itertools.pairwise(starts)]


def test_new_articles_are_stored_within_one_interval_and_an_outlet_never_crawls_twice_at_once(
    web, tmp_path
):
    interval, timeout = 3.0, 8.0
    setup = write_config(
        tmp_path,
        web,
        ["steppe-herald", "borderland-press", "ural-vestnik"],
        interval_seconds=interval,
        crawl_timeout=timeout,
    )
    web.set_fault("ural-vestnik", Fault.hang(times=1, path="/rss.xml"))
    with running_daemon(setup) as daemon:
        for outlet in ("steppe-herald", "borderland-press"):
            eventually(
                lambda o=outlet: finished_runs(setup.db, o), 20, f"a first crawl of {outlet}"
            )
        for seq, outlet in enumerate(["steppe-herald", "borderland-press", "steppe-herald"]):
            article = web.new_article(outlet, on_topic=True, seq=seq + 1)
            published = time.time()
            web.publish(outlet, article)
            eventually(lambda p=article.path: p in stored_paths(setup.db), 30, "the new article")
            # the crawl that stored it started within one interval of its publication, or
            # one more if the crawl before ran over its tick on a busy machine (how long the
            # crawl itself took is not the schedule's doing)
            started = _run_that_stored(setup.db, article.path)
            assert started.timestamp() - published <= 2 * interval + 1.5
        # the hung crawl: no second feed request of that outlet until it was killed
        feeds = eventually(
            lambda: (
                requests_to(web, "ural-vestnik", "/rss.xml")[1:]
                and requests_to(web, "ural-vestnik", "/rss.xml")
            ),
            timeout + 10,
            "a second crawl of the hung outlet",
        )
        assert feeds[1].started_at - feeds[0].started_at >= timeout - 0.5
        assert stop(daemon)[0] == 0
    # the hung crawl was stopped at its timeout (a later one may time out too on a busy
    # machine: each crawl has the same few seconds, that is no fault)
    timed_out = finished_runs(setup.db, "ural-vestnik", "timeout")
    first = query(setup.db, "select * from runs where outlet_id = 'ural-vestnik' order by id")[0]
    assert timed_out and first["id"] == timed_out[0]["id"]
    assert timed_out[0]["duration_seconds"] < timeout + 4
    for outlet in ("steppe-herald", "borderland-press", "ural-vestnik"):
        runs = query(
            setup.db,
            "select started_at, finished_at from runs where outlet_id = ? order by id",
            outlet,
        )
        for earlier, later in itertools.pairwise(runs):
            assert later["started_at"] >= earlier["finished_at"], outlet


def test_sigterm_during_a_crawl_exits_in_time_and_a_restart_polls_only_what_is_due(web, tmp_path):
    setup = write_config(
        tmp_path,
        web,
        ["steppe-herald", "borderland-press", "dnipro-digest"],
        interval_seconds=60,
        shutdown_grace=2,
    )
    web.set_fault("dnipro-digest", Fault.hang(path="/feed.json"))
    with running_daemon(setup) as daemon:
        for outlet in ("steppe-herald", "borderland-press"):
            eventually(
                lambda o=outlet: finished_runs(setup.db, o), 20, f"a first crawl of {outlet}"
            )
        assert web.wait_until_hanging(1, timeout=20)
        code, took = stop(daemon)
    assert code == 0
    assert took < 2 + 2 + 4  # shutdown grace + the crawl's stop grace + start-up slack
    assert query(setup.db, "pragma integrity_check")[0][0] == "ok"
    assert not query(setup.db, "select * from runs where status = 'running'")
    [stopped] = query(setup.db, "select * from runs where outlet_id = 'dnipro-digest'")
    assert stopped["status"] == "stopped"
    assert not list((setup.db.parent / "newsmon.db.spool").glob("*.json"))
    web.set_fault("dnipro-digest", None)
    web.release_hangs()
    web.clear_log()
    with running_daemon(setup) as daemon:
        eventually(lambda: finished_runs(setup.db, "dnipro-digest"), 20, "dnipro-digest again")
        assert stop(daemon)[0] == 0
    polled = {r.outlet_id for r in web.requests if r.path != "/robots.txt"}
    assert polled == {"dnipro-digest"}  # the others were not due yet


def test_a_failing_outlet_backs_off_while_the_others_keep_their_schedule(web, tmp_path):
    setup = write_config(tmp_path, web, ["steppe-herald", "borderland-press"], interval_seconds=1)
    web.set_fault("borderland-press", Fault.retry_after(503, seconds=6, times=1, path="/atom.xml"))
    with running_daemon(setup, "--metrics-port", "0", "--log-format", "json") as daemon:
        eventually(lambda: requests_to(web, "borderland-press", "/atom.xml"), 20, "a first poll")
        web.set_fault("borderland-press", Fault.error(500, path="/atom.xml"))
        failing = eventually(
            lambda: _crawl_starts(web, "borderland-press", 4),
            40,
            "four polls of the failing outlet",
        )
        status = eventually(  # between two of its crawls (it may be crawling right now)
            lambda: _backing_off(status_json(setup), "borderland-press"), 30, "a backing-off status"
        )
        assert stop(daemon)[0] == 0
    plans = _planned_waits(setup)
    waits = plans["borderland-press"][:3]
    assert waits[0] >= 6  # the Retry-After, longer than the first back-off
    assert waits[2] == 2 * waits[1] >= 4  # then 2^failures x 1 s
    for gap, wait in zip(gaps(failing)[:3], waits, strict=True):
        assert gap >= wait - 0.5  # a crawl starts no sooner than planned (later on a busy machine)
    healthy = [
        r
        for r in requests_to(web, "steppe-herald", "/feed/")
        if r.started_at > failing[0].started_at
    ]
    assert len(healthy) >= 3 and set(plans["steppe-herald"]) == {1}  # its interval, unchanged
    border = next(o for o in status["outlets"] if o["outlet"] == "borderland-press")
    assert border["state"] == "backing_off" and border["consecutive_failures"] >= 2
    assert "backing off" in border["plan_reason"]


def _backing_off(status, outlet_id):
    outlet = next(o for o in status["outlets"] if o["outlet"] == outlet_id)
    return status if outlet["state"] == "backing_off" else None


def _run_that_stored(db, path):
    """When the crawl that stored the article at ``path`` started."""
    [row] = query(
        db,
        "select r.started_at from articles a join runs r on r.id = a.run_id where a.url like ?",
        f"%{path}",
    )
    return parse_timestamp(row["started_at"])


def _planned_waits(setup):
    """Each outlet's planned waits after its crawls, in order, from the daemon's JSON log."""
    plans = defaultdict(list)
    for line in setup.log.read_text().splitlines():
        entry = json.loads(line)
        if entry["message"] == "crawl finished":
            plans[entry["outlet"]].append(entry["next_in_seconds"])
    return plans


def _crawl_starts(web, outlet, count):
    """First feed request of each crawl (a failed feed is retried once within a crawl)."""
    starts = []
    for request in requests_to(web, outlet, FEEDS[outlet]):
        if not starts or request.started_at - starts[-1].started_at > 0.8:
            starts.append(request)
    return starts if len(starts) >= count else None


def test_status_and_metrics_reflect_the_daemon(web, tmp_path):
    setup = write_config(
        tmp_path, web, ["steppe-herald", "ural-vestnik"], interval_seconds=2, crawl_timeout=3
    )
    web.set_fault("ural-vestnik", Fault.hang(path="/rss.xml"))
    port = _free_port()
    with running_daemon(setup, "--metrics-port", str(port), "--log-format", "json") as daemon:
        eventually(lambda: finished_runs(setup.db, "ural-vestnik", "timeout"), 20, "a timeout")
        eventually(lambda: finished_runs(setup.db, "steppe-herald"), 20, "a crawl")
        health = http_get(f"http://127.0.0.1:{port}/healthz")
        metrics = http_get(f"http://127.0.0.1:{port}/metrics")[1]
        report = status_json(setup)
        assert stop(daemon)[0] == 0
        web.release_hangs()
    assert health[0] == 200 and health[1].startswith("ok")
    assert re.search(
        r'newsmon_crawls_total\{outlet="ural-vestnik",status="timeout"\} [1-9]', metrics
    )
    assert re.search(r'newsmon_articles_stored_total\{outlet="steppe-herald"\} [1-9]', metrics)
    assert "newsmon_crawl_duration_seconds_bucket" in metrics
    ural = next(o for o in report["outlets"] if o["outlet"] == "ural-vestnik")
    assert ural["consecutive_failures"] >= 1 and ural["last_run"]["status"] == "timeout"
    steppe = next(o for o in report["outlets"] if o["outlet"] == "steppe-herald")
    assert steppe["last_new_article_at"] and steppe["interval_seconds"] == 2
    assert report["articles_total"] >= 2 and report["daemon_pid"]
    lines = [json.loads(line) for line in setup.log.read_text().splitlines()]
    summaries = [line for line in lines if line["message"] == "crawl finished"]
    assert {"outlet", "status", "stored", "next_in_seconds"} <= set(summaries[0])


def test_healthz_is_503_when_the_store_is_not_writable(web, tmp_path):
    setup = write_config(tmp_path, web, ["steppe-herald"], interval_seconds=60)
    port = _free_port()
    with running_daemon(setup, "--metrics-port", str(port)) as daemon:
        eventually(lambda: http_get(f"http://127.0.0.1:{port}/healthz")[0] == 200, 20, "health")
        blocker = sqlite3.connect(setup.db, timeout=1)
        blocker.execute("BEGIN EXCLUSIVE")  # another process holding the write lock
        try:
            code, reason = http_get(f"http://127.0.0.1:{port}/healthz")
        finally:
            blocker.rollback()
            blocker.close()
        assert code == 503 and "not writable" in reason
        assert stop(daemon, timeout=60)[0] == 0


def test_sighup_reloads_a_valid_config_and_refuses_an_invalid_one(web, tmp_path):
    setup = write_config(tmp_path, web, ["steppe-herald", "dnipro-digest"], interval_seconds=2)
    added = (setup.config / "outlets" / "dnipro-digest.toml").read_text()
    (setup.config / "outlets" / "dnipro-digest.toml").unlink()
    with running_daemon(setup) as daemon:
        eventually(lambda: finished_runs(setup.db, "steppe-herald"), 20, "a first crawl")
        (setup.config / "outlets" / "dnipro-digest.toml").write_text(added)
        daemon.send_signal(signal.SIGHUP)
        eventually(lambda: finished_runs(setup.db, "dnipro-digest"), 20, "the added outlet")
        (setup.config / "outlets" / "dnipro-digest.toml").write_text(
            added.replace('kind = "feed"', 'kind = "rss"')
        )
        daemon.send_signal(signal.SIGHUP)
        eventually(lambda: "outlet config broken" in setup.log.read_text(), 20, "the report")
        before = len(finished_runs(setup.db, "dnipro-digest"))
        eventually(  # the broken file's outlet goes on with the config it had
            lambda: len(finished_runs(setup.db, "dnipro-digest")) >= before + 2,
            20,
            "polling to go on",
        )
        (setup.config / "newsmon.toml").write_text("[fetch]\nmax_page_bytes = -1\n")
        daemon.send_signal(signal.SIGHUP)
        eventually(lambda: "config reload refused" in setup.log.read_text(), 20, "a refusal")
        assert stop(daemon)[0] == 0
    log = setup.log.read_text()
    assert "config reloaded" in log
    assert "outlet config broken; its previous config stays" in log and "sources[0].kind" in log
    assert "fetch.max_page_bytes" in log  # a broken settings file: the whole reload is refused


def test_a_sighup_while_the_daemon_starts_is_kept_and_reloads(web, tmp_path):
    setup = write_config(tmp_path, web, ["steppe-herald"], interval_seconds=60)
    spool = Spool(setup.db.with_name(setup.db.name + ".spool"))
    for number in range(300):  # a leftover spool: start-up writes it first
        entries = tuple(
            DiscoveredEntry(f"http://127.0.0.1:9/old/{number}/{i}", None, "2001-01-01T00:00:00Z")
            for i in range(40)
        )
        spool.put(
            SourceRecord(
                1,
                "steppe-herald",
                f"http://127.0.0.1:9/s{number}",
                "feed",
                "t",
                200,
                discovered=entries,
            )
        )
    baseline = configure(tmp_path / "baseline", web, ["steppe-herald"], cap=300)
    crawl(baseline.setup)
    expected = decided(baseline.setup.db)
    lock = setup.db.with_name(setup.db.name + ".lock")
    with running_daemon(setup) as daemon:
        eventually(
            lambda: lock.exists() and lock.read_text() == str(daemon.pid), 30, "the store open"
        )
        daemon.send_signal(signal.SIGHUP)  # while it writes the leftover spool, or just after
        eventually(lambda: "config reloaded" in setup.log.read_text(), 60, "the reload")
        eventually(  # and it then decides what a crawl without the signal decides
            lambda: {url: s for url, s in decided(setup.db).items() if url in expected} == expected,
            60,
            "the outlet's articles",
        )
        assert daemon.poll() is None
        assert stop(daemon)[0] == 0
    assert "daemon started" in setup.log.read_text()


def test_killed_at_random_moments_it_loses_nothing_and_stores_nothing_twice(web, tmp_path):
    outlets = ["steppe-herald", "borderland-press", "volga-bulletin"]
    setup = write_config(tmp_path, web, outlets, interval_seconds=1)
    chance = random.Random(20261122)
    published = []
    for kill in range(10):
        runs_before = len(query(setup.db, "select id from runs"))
        daemon = start_daemon(setup)
        eventually(
            lambda n=runs_before: len(query(setup.db, "select id from runs")) > n,
            30,
            "the restarted daemon to start crawling",
        )
        outlet = outlets[kill % 2]  # the listing outlet keeps its pages as they are
        article = web.new_article(outlet, on_topic=kill % 3 != 2, seq=100 + kill)
        web.publish(outlet, article)
        published.append(article)
        time.sleep(chance.uniform(0.0, 2.5))  # the moment of the crash, not a synchronisation
        daemon.send_signal(signal.SIGKILL)
        daemon.wait()
    expected = _expected_paths(web, outlets)
    with running_daemon(setup) as daemon:
        eventually(lambda: set(stored_paths(setup.db)) >= expected, 60, "every article")
        assert stop(daemon)[0] == 0
    stored = stored_paths(setup.db)
    assert sorted(stored) == sorted(expected)  # none lost, none twice
    assert query(setup.db, "pragma integrity_check")[0][0] == "ok"
    assert not query(setup.db, "select * from runs where status = 'running'")
    cut_short = query(
        setup.db, "select count(*) as n from runs where status in ('interrupted', 'stopped')"
    )
    assert cut_short[0]["n"] >= 1  # the kills did hit crawls in progress


def _expected_paths(web: FixtureWeb, outlets: list[str]) -> set[str]:
    """What one uninterrupted run would store: the on-topic articles, and a republished story
    once (its original outlet is not crawled here)."""
    return {
        a.path
        for outlet in outlets
        for a in web.articles_for(outlet)
        if a.expect in ("on_topic", "duplicate")
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_second_daemon_on_the_same_store_is_refused(web, tmp_path):
    setup = write_config(tmp_path, web, ["steppe-herald"], interval_seconds=60)
    with running_daemon(setup) as daemon:
        eventually(lambda: finished_runs(setup.db, "steppe-herald"), 20, "a first crawl")
        second = subprocess.run(
            [sys.executable, "-m", "scheduler", "run", "--config", str(setup.config)],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        assert stop(daemon)[0] == 0
    assert second.returncode == 3 and "is writing to this store" in second.stderr


def test_status_without_a_daemon_shows_what_is_known(web, tmp_path):
    setup = write_config(tmp_path, web, ["steppe-herald"], interval_seconds=60)
    with running_daemon(setup) as daemon:
        eventually(lambda: finished_runs(setup.db, "steppe-herald"), 20, "a first crawl")
        assert stop(daemon)[0] == 0
    text = subprocess.run(
        [sys.executable, "-m", "scheduler", "status", "--config", str(setup.config)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "no daemon running" in text
    [line] = [line for line in text.splitlines() if line.startswith("steppe-herald")]
    assert " idle " in line and " ok " in line


def test_a_reload_that_sets_a_feed_path_makes_the_daemon_keep_the_feed_file(web, tmp_path):
    setup = write_config(tmp_path, web, ["steppe-herald"], interval_seconds=2)
    target = tmp_path / "www" / "feed.atom"
    with running_daemon(setup) as daemon:
        eventually(lambda: stored_paths(setup.db), 30, "a first stored article")
        with (setup.config / "newsmon.toml").open("a") as settings:
            settings.write(f'\n[feed]\npath = "{target}"\n')
        daemon.send_signal(signal.SIGHUP)
        eventually(target.exists, 120, "the feed file")  # the feed job runs every 30 s
        assert stop(daemon)[0] == 0
    parsed = feedparser.parse(target.read_bytes())
    stored = query(
        setup.db,
        "select url from articles where topic_status = 'on_topic' and duplicate_of is null",
    )
    assert not parsed.bozo and {e.link for e in parsed.entries} == {r["url"] for r in stored}
