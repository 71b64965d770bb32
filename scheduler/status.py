"""`newsmon status`: is it healthy, and what has it found? Built from the store alone, so it
works whether the daemon runs or not, and never disturbs it."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from crawler.config import Config, Settings, resolve
from crawler.frontier import SqliteFrontier
from crawler.spool import Spool
from scheduler.drift import outlet_drift
from storage import Store, format_utc
from storage import parse_timestamp as _parse
from storage.runs import SUMMARY
from storage.status import outlet_rows, totals


def collect(store: Store, config: Config | None, spool: Spool, now: datetime) -> dict[str, Any]:
    """The whole status as plain data (what ``--json`` prints). Without a config (``status
    --db`` alone) it covers the outlets the store knows, with the default settings."""
    rows = outlet_rows(store)
    backlog = SqliteFrontier(store).backlog()
    daemon = store.writer_pid()
    outlet_ids = list(config.outlets) if config else sorted(rows)
    outlets = [
        _outlet(outlet_id, rows.get(outlet_id, {}), _silent_hours(config, outlet_id), now)
        | {
            "backlog": backlog.get(outlet_id, {}),
            "extraction_drift": outlet_drift(store, outlet_id, now),
        }
        for outlet_id in outlet_ids
    ]
    if not daemon:  # nothing will run them: a planned time would mislead
        outlets = [outlet | {"next_run_at": None} for outlet in outlets]
    counts = totals(store, format_utc(now - timedelta(hours=24)))
    return {
        "generated_at": format_utc(now),
        "store": str(store.path),
        "store_bytes": store.size_bytes(),
        "daemon_pid": daemon,
        "articles_total": counts["articles_total"],
        "articles_last_24h": counts["articles_recent"],
        "spool_pending": len(spool.pending()),
        "spool_rejected": len(spool.rejected()),
        "backlog_total": sum(sum(by_state.values()) for by_state in backlog.values()),
        "outlets": outlets,
        "warnings": [o["warning"] for o in outlets if o["warning"]]
        + [_drift_warning(o) for o in outlets if o["extraction_drift"]]
        + _rejected_warning(spool),
    }


def _drift_warning(outlet: dict[str, Any]) -> str:
    signs = "; ".join(outlet["extraction_drift"])
    return (
        f"{outlet['outlet']}: extraction worse than usual ({signs}): a redesigned site? "
        f"see `newsmon outlets check {outlet['outlet']}`"
    )


def _silent_hours(config: Config | None, outlet_id: str) -> float:
    if config is None or outlet_id not in config.outlets:
        return Settings().daemon.silent_after_hours
    return resolve(config, outlet_id).silent_after_hours


def _state(row: dict[str, Any]) -> tuple[str, str | None]:
    """What the outlet is doing and since when: running, backing off or idle (as the daemon
    last planned it, else idle after a crawl), or never polled."""
    run = row.get("last_run") or {}
    if row.get("running_since"):
        return "running", row["running_since"]
    schedule_state = (row.get("schedule") or {}).get("state")
    if schedule_state or run:
        return schedule_state or "idle", run.get("finished_at")
    return "never polled", None


def _outlet(
    outlet_id: str, row: dict[str, Any], silent_hours: float, now: datetime
) -> dict[str, Any]:
    schedule = row.get("schedule") or {}
    run = row.get("last_run") or {}
    state, since = _state(row)
    return {
        "outlet": outlet_id,
        "state": state,
        "state_since": since,
        "last_run": _run_summary(run) if run else None,
        "last_error": row.get("last_error"),
        "last_new_article_at": row.get("last_article_at"),
        "next_run_at": schedule.get("next_due_at"),
        "interval_seconds": schedule.get("interval_seconds"),
        "consecutive_failures": schedule.get("consecutive_failures", 0),
        "plan_reason": schedule.get("plan_reason"),
        "warning": _silence(outlet_id, row, silent_hours, now),
    }


def _rejected_warning(spool: Spool) -> list[str]:
    rejected = spool.rejected()
    if not rejected:
        return []
    folder = rejected[0].parent
    return [f"{len(rejected)} spool files could not be applied: see {folder} (*.reason)"]


def _run_summary(run: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "status", "started_at", "finished_at", "duration_seconds", *SUMMARY, "error")
    return {key: run.get(key) for key in keys}


def _silence(outlet_id: str, row: dict[str, Any], hours: float, now: datetime) -> str | None:
    """A warning when the outlet stored nothing new for longer than its window."""
    since = _parse(row.get("last_article_at")) or _parse(
        (row.get("outlet") or {}).get("first_seen_at")
    )
    if since is None or now - since <= timedelta(hours=hours):
        return None
    silent = (now - since).total_seconds() / 3600
    return f"{outlet_id}: no new article for {silent:.0f} h (window {hours:g} h)"


def _ago(value: str | None, now: datetime) -> str:
    moment = _parse(value)
    if moment is None:
        return "-"
    return _duration(abs((now - moment).total_seconds())) + (" ago" if moment <= now else "")


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f}s"
    if seconds < 5400:
        return f"{seconds / 60:.0f}m"
    if seconds < 172800:
        return f"{seconds / 3600:.1f}h"
    return f"{seconds / 86400:.1f}d"


def render(status: dict[str, Any], now: datetime) -> str:
    """The status as a table for people."""
    pid = status["daemon_pid"]
    daemon = f"daemon running (pid {pid})" if pid else "no daemon running"
    lines = [
        f"store {status['store']} ({status['store_bytes'] / 1e6:.1f} MB), {daemon}",
        f"articles: {status['articles_total']} stored, {status['articles_last_24h']} in the "
        f"last 24 h; {status['spool_pending']} results waiting to be written; "
        f"{status['backlog_total']} URLs waiting to be fetched",
        "",
        f"{'outlet':<22} {'state (since)':<18} {'last run':<22} {'found':>5} {'fetch':>5} "
        f"{'new':>4} {'err':>4}  {'last new article':<16} {'next run':<12} {'every':>6} "
        f"{'fails':>5} {'backlog':>7}",
    ]
    lines += [_outlet_line(outlet, now) for outlet in status["outlets"]]
    errors = [o for o in status["outlets"] if o["last_error"]]
    if errors:
        lines += ["", "last errors:", *(_error_line(outlet, now) for outlet in errors)]
    if status["warnings"]:
        lines += ["", "warnings:", *(f"  {warning}" for warning in status["warnings"])]
    return "\n".join(lines)


def _error_line(outlet: dict[str, Any], now: datetime) -> str:
    error = outlet["last_error"]
    return f"  {outlet['outlet']} ({_ago(error['at'], now)}, run {error['run']}): {error['error']}"


def _outlet_line(outlet: dict[str, Any], now: datetime) -> str:
    run = outlet["last_run"] or {}
    last = f"{_ago(run.get('started_at'), now)} {run.get('status', '')}".strip() if run else "-"
    if run.get("duration_seconds") is not None:
        last += f" {run['duration_seconds']:.0f}s"
    due = _parse(outlet["next_run_at"])
    next_run = (
        "-"
        if due is None
        else ("due now" if due <= now else "in " + _duration((due - now).total_seconds()))
    )
    every = _duration(outlet["interval_seconds"]) if outlet["interval_seconds"] else "-"
    since = _parse(outlet["state_since"])
    state = outlet["state"] + (f" {_duration((now - since).total_seconds())}" if since else "")
    return (
        f"{outlet['outlet']:<22} {state:<18} {last:<22} {run.get('discovered', '-'):>5} "
        f"{run.get('requested', '-'):>5} {run.get('stored', '-'):>4} {run.get('errors', '-'):>4}  "
        f"{_ago(outlet['last_new_article_at'], now):<16} {next_run:<12} {every:>6} "
        f"{outlet['consecutive_failures']:>5} {sum(outlet['backlog'].values()):>7}"
    )
