"""Outlets as configured: kept in the store so analysts can join on them."""

from __future__ import annotations

import json
from typing import Any

from storage.store import Store
from storage.timestamps import utc_now


def sync_outlets(store: Store, outlets: list[dict[str, Any]]) -> None:
    """Insert new outlets and refresh changed ones; outlets no longer configured stay
    (their articles still refer to them). ``updated_at`` changes only with the config."""
    now = utc_now()
    with store.transaction() as db:
        for outlet in outlets:
            row = {
                "id": outlet["id"],
                "name": outlet["name"],
                "homepage": outlet["homepage"],
                "language": outlet["language"],
                "config_json": json.dumps(outlet, sort_keys=True),
                "updated_at": now,
            }
            known = db.execute(
                "SELECT config_json FROM outlets WHERE id = ?", [outlet["id"]]
            ).fetchone()
            if known is None:
                db.table("outlets").insert({**row, "first_seen_at": now})
            elif known[0] != row["config_json"]:
                db.table("outlets").update(outlet["id"], row)


def record_drift(store: Store, outlet_id: str, signs: str | None, checked_at: str) -> None:
    """What got worse in the outlet's extraction (None: nothing), as of ``checked_at``."""
    with store.transaction() as db:
        db.execute(
            "UPDATE outlets SET extraction_drift = ?, drift_checked_at = ? WHERE id = ?",
            [signs, checked_at, outlet_id],
        )
