"""Runs: one row per crawl of one outlet, with its counts and outcome."""

from __future__ import annotations

from typing import Any

import sqlite_utils

from storage.store import Store, last_id
from storage.timestamps import utc_now

COUNTERS = (
    "discovered",
    "skipped_known",
    "skipped_old",
    "requested",
    "stored",
    "borderline",
    "off_topic",
    "duplicates",
    "no_body",
    "errors",
)
# what a crawl's one-line summary shows (CLI table, daemon log line, status)
SUMMARY = ("discovered", "requested", "stored", "borderline", "off_topic", "duplicates", "errors")
RUN_STATUSES = ("running", "ok", "failed", "timeout", "stopped", "interrupted", "skipped")


def start_run(store: Store, outlet_id: str, trigger: str) -> int:
    """Create a run in state 'running' and return its id."""
    with store.transaction() as db:
        table = db.table("runs")
        table.insert(
            {
                "outlet_id": outlet_id,
                "trigger": trigger,
                "status": "running",
                "started_at": utc_now(),
            }
        )
        return last_id(table)


def add_counts(db: sqlite_utils.Database, run_id: int, **deltas: int) -> None:
    """Add to a run's counters (inside the caller's transaction)."""
    unknown = set(deltas) - set(COUNTERS)
    if unknown:
        raise ValueError(f"unknown run counters: {sorted(unknown)}")
    assignments = ", ".join(f"{name} = {name} + :{name}" for name in deltas)
    db.execute(f"UPDATE runs SET {assignments} WHERE id = :run_id", {**deltas, "run_id": run_id})


def set_summary(db: sqlite_utils.Database, run_id: int, **fields: Any) -> None:
    """Overwrite a run's crawl-side counts and outcome (discovered, requested, status...)."""
    db.table("runs").update(run_id, fields)


def finish_run(store: Store, run_id: int, status: str, error: str | None = None) -> None:
    """Close a run that is still 'running' with the given status (a no-op otherwise)."""
    if status not in RUN_STATUSES:
        raise ValueError(f"unknown run status {status!r}")
    with store.transaction() as db:
        db.execute(
            "UPDATE runs SET status = ?, error = COALESCE(?, error), "
            "finished_at = COALESCE(finished_at, ?) WHERE id = ? AND status = 'running'",
            [status, error, utc_now(), run_id],
        )


def set_duration(store: Store, run_id: int, seconds: float) -> None:
    with store.transaction() as db:
        db.table("runs").update(run_id, {"duration_seconds": round(seconds, 3)})


def get_run(store: Store, run_id: int) -> dict[str, Any]:
    return dict(store.db.table("runs").get(run_id))


def interrupt_stale_runs(store: Store) -> int:
    """Mark runs left 'running' by a killed process as 'interrupted'; return how many."""
    with store.transaction() as db:
        cursor = db.execute(
            "UPDATE runs SET status = 'interrupted', finished_at = ? WHERE status = 'running'",
            [utc_now()],
        )
        return cursor.rowcount
