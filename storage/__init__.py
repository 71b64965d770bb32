"""The SQLite store: migrations, documented schema (``schema.md``), reads and writes.

It knows nothing of the web or of configs; ``crawler`` and ``scheduler`` depend on it, never
the other way round.
"""

from storage.store import Store
from storage.timestamps import format_utc, parse_timestamp, utc_now

__all__ = ["Store", "format_utc", "parse_timestamp", "utc_now"]
