"""When an outlet is polled next: adaptive intervals, backoff, and resuming after a restart.

Plain functions of the last run and the saved state, so every rule is tested directly:

* a crawl that found new article URLs shortens the outlet's interval (× 0.75), one that found
  none lengthens it (× 1.25), always within [min_interval, max_interval] — busy outlets are
  polled more often and quiet ones less, as Media Cloud's rss-fetcher does;
* a failed or timed-out crawl backs off exponentially (configured interval × 2^failures,
  capped), and a server's Retry-After is honoured if it asks for longer;
* after a restart an outlet runs at its saved due time; an overdue one runs once, soon, at a
  random point within the jitter, so a long outage does not end in a burst of crawls.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

SPEED_UP = 0.75
SLOW_DOWN = 1.25
FAILED = frozenset({"failed", "timeout", "interrupted"})


@dataclass(frozen=True)
class Bounds:
    """An outlet's polling limits, in seconds."""

    base: float
    minimum: float
    maximum: float
    backoff_max: float
    adaptive: bool = True


@dataclass(frozen=True)
class RunResult:
    """What the policy needs to know about the crawl that just ended."""

    status: str
    new_urls: int
    retry_after_seconds: float | None = None


@dataclass(frozen=True)
class Plan:
    """The next poll: after ``delay_seconds``; the adaptive interval and failure count to
    keep; ``reason`` says why, for the log and ``newsmon status``."""

    delay_seconds: float
    interval_seconds: float
    consecutive_failures: int
    reason: str


def plan_next(run: RunResult, interval: float, failures: int, bounds: Bounds) -> Plan:
    """Decide the next poll after a crawl."""
    interval = _clamp(interval or bounds.base, bounds)
    if run.status in FAILED:
        return _back_off(run, interval, failures + 1, bounds)
    if run.status == "skipped":
        return Plan(interval, interval, failures, "previous crawl still running")
    new_interval, why = _adapt(run, interval, bounds)
    if run.retry_after_seconds and run.retry_after_seconds > new_interval:
        return Plan(
            run.retry_after_seconds,
            new_interval,
            0,
            f"server asked to wait {run.retry_after_seconds:.0f} s (Retry-After)",
        )
    return Plan(new_interval, new_interval, 0, why)


def _adapt(run: RunResult, interval: float, bounds: Bounds) -> tuple[float, str]:
    if not bounds.adaptive:
        return bounds.base, "fixed interval"
    if run.new_urls > 0:
        return _clamp(interval * SPEED_UP, bounds), f"{run.new_urls} new URLs: polling sooner"
    return _clamp(interval * SLOW_DOWN, bounds), "nothing new: polling later"


def _back_off(run: RunResult, interval: float, failures: int, bounds: Bounds) -> Plan:
    delay = min(bounds.base * 2**failures, bounds.backoff_max)
    reason = f"{run.status}, failure {failures} in a row: backing off"
    if run.retry_after_seconds and run.retry_after_seconds > delay:
        delay = run.retry_after_seconds
        reason += f" (Retry-After {run.retry_after_seconds:.0f} s)"
    return Plan(delay, interval, failures, reason)


def _clamp(interval: float, bounds: Bounds) -> float:
    return max(bounds.minimum, min(bounds.maximum, interval))


def first_run_delay(
    next_due_at: datetime | None,
    now: datetime,
    jitter_seconds: float,
    rand: Callable[[], float] = random.random,
) -> float:
    """Seconds until an outlet's first poll after a (re)start: its saved due time if that is
    still ahead, otherwise a random moment within the jitter."""
    if next_due_at is not None and next_due_at > now:
        return (next_due_at - now).total_seconds()
    return jitter_seconds * rand()


def due_at(now: datetime, delay_seconds: float) -> datetime:
    return now + timedelta(seconds=delay_seconds)
