"""Logging for the daemon: one line per event on stderr, plain or JSON.

Structured fields go in ``extra={"fields": {...}}``: the plain format appends them as
``key=value``, the JSON format puts them at the top level of the line's object.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

from storage import format_utc


class PlainFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        stamp = format_utc(datetime.fromtimestamp(record.created, UTC))
        fields = getattr(record, "fields", {})
        tail = "".join(f" {key}={_plain(value)}" for key, value in fields.items())
        line = f"{stamp} {record.levelname:<7} {record.getMessage()}{tail}"
        if record.exc_info:
            line += " | " + self.formatException(record.exc_info).replace("\n", " | ")
        return line


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        document: dict[str, Any] = {
            "time": format_utc(datetime.fromtimestamp(record.created, UTC)),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            **getattr(record, "fields", {}),
        }
        if record.exc_info:
            document["exception"] = self.formatException(record.exc_info)
        return json.dumps(document, ensure_ascii=False, default=str)


def _plain(value: Any) -> str:
    text = f"{value:.1f}" if isinstance(value, float) else str(value)
    return f'"{text}"' if " " in text else text


def setup_logging(fmt: str, level: str) -> None:
    """Send every log record to stderr, one line each, in the chosen format."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else PlainFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # the daemon logs skipped and missed polls itself, once, at the right level
    logging.getLogger("apscheduler").setLevel(max(logging.ERROR, root.level))
