from datetime import UTC, datetime, timedelta

import pytest

from scheduler.policy import Bounds, RunResult, first_run_delay, plan_next

BOUNDS = Bounds(base=1800, minimum=300, maximum=21600, backoff_max=43200)


def test_new_urls_shorten_the_interval_within_the_floor():
    plan = plan_next(RunResult("ok", new_urls=4), 1800, 0, BOUNDS)
    assert plan.delay_seconds == plan.interval_seconds == 1350
    assert "4 new URLs" in plan.reason
    assert plan_next(RunResult("ok", new_urls=1), 310, 0, BOUNDS).interval_seconds == 300


def test_nothing_new_lengthens_it_within_the_ceiling():
    assert plan_next(RunResult("ok", new_urls=0), 1800, 0, BOUNDS).interval_seconds == 2250
    assert plan_next(RunResult("ok", new_urls=0), 21000, 0, BOUNDS).interval_seconds == 21600


def test_fixed_intervals_when_adaptive_polling_is_off():
    fixed = Bounds(base=60, minimum=30, maximum=600, backoff_max=3600, adaptive=False)
    assert plan_next(RunResult("ok", new_urls=9), 45, 0, fixed).delay_seconds == 60


def test_failures_back_off_exponentially_with_a_cap_and_success_resets():
    failures, delays = 0, []
    for _ in range(6):
        plan = plan_next(RunResult("failed", new_urls=0), 1800, failures, BOUNDS)
        failures = plan.consecutive_failures
        delays.append(plan.delay_seconds)
    assert delays == [3600, 7200, 14400, 28800, 43200, 43200]
    assert "failure 6 in a row" in plan.reason
    recovered = plan_next(RunResult("ok", new_urls=0), plan.interval_seconds, failures, BOUNDS)
    assert recovered.consecutive_failures == 0 and recovered.delay_seconds == 2250


@pytest.mark.parametrize("status", ["failed", "timeout"])
def test_retry_after_longer_than_the_backoff_wins(status):
    plan = plan_next(RunResult(status, 0, retry_after_seconds=20000), 1800, 0, BOUNDS)
    assert plan.delay_seconds == 20000 and "Retry-After 20000 s" in plan.reason


def test_retry_after_on_a_successful_crawl_is_honoured_too():
    plan = plan_next(RunResult("ok", 2, retry_after_seconds=5000), 1800, 0, BOUNDS)
    assert plan.delay_seconds == 5000 and plan.interval_seconds == 1350


def test_a_skipped_crawl_keeps_everything():
    plan = plan_next(RunResult("skipped", 0), 900, 2, BOUNDS)
    assert (plan.delay_seconds, plan.consecutive_failures) == (900, 2)


def test_after_a_restart_a_due_time_ahead_is_kept_and_overdue_runs_soon():
    now = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
    assert first_run_delay(now + timedelta(minutes=28), now, 30, rand=lambda: 0.5) == 1680
    assert first_run_delay(now - timedelta(days=3), now, 30, rand=lambda: 0.5) == 15
    assert first_run_delay(None, now, 30, rand=lambda: 0.0) == 0
