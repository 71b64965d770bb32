"""The daemon's schedule state per outlet: when it runs next, how often, how it went."""

from __future__ import annotations

from typing import Any

from storage.store import Store
from storage.timestamps import utc_now

SCHEDULE_STATES = ("idle", "running", "backing_off")


def load_schedule(store: Store) -> dict[str, dict[str, Any]]:
    """Every outlet's saved schedule state, by outlet id."""
    return {row["outlet_id"]: row for row in store.db.query("SELECT * FROM schedule")}


def save_schedule(store: Store, outlet_id: str, **fields: Any) -> None:
    """Insert or update an outlet's schedule state (fields not given are kept)."""
    if "state" in fields and fields["state"] not in SCHEDULE_STATES:
        raise ValueError(f"unknown schedule state {fields['state']!r}")
    row = {"outlet_id": outlet_id, **fields, "updated_at": utc_now()}
    with store.transaction() as db:
        table = db.table("schedule")
        if table.count_where("outlet_id = ?", [outlet_id]):
            table.update(outlet_id, row)
        else:
            table.insert({"state": "idle", "interval_seconds": 0.0, **row})


def reset_running(store: Store) -> None:
    """Outlets left 'running' by a killed daemon are idle again."""
    with store.transaction() as db:
        db.execute("UPDATE schedule SET state = 'idle' WHERE state = 'running'")
