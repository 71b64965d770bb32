"""The one timestamp format of the store, and reading it back.

Every time the store writes is ISO 8601 in UTC with a 'Z' suffix, ``YYYY-MM-DDTHH:MM:SSZ``,
so that times sort and compare as text in SQL. An article's ``published_at`` may also be a
bare date, ``YYYY-MM-DD``, when its page gave no time of day.
"""

from __future__ import annotations

from datetime import UTC, datetime

FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def format_utc(moment: datetime) -> str:
    """``moment`` in the store's format (a naive datetime is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime(FORMAT)


def utc_now() -> str:
    """The current time in the store's format."""
    return format_utc(datetime.now(UTC))


def parse_timestamp(value: str | None) -> datetime | None:
    """An aware UTC datetime from an ISO 8601 text (the store's format, an offset, or a bare
    date, read as midnight UTC); None for None or text that is not a time."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)
