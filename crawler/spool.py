"""The spool: where crawl processes leave what they produced for the single store writer.

A crawl never writes to SQLite; it writes one small JSON file per result into the spool
directory, atomically (temporary file, fsync, rename), so a killed crawl loses nothing it had
already produced and never leaves half a record. The store writer (``crawler.ingest``) applies
each file in a transaction and only then deletes it; applying a file twice changes nothing.

File names say what a file is about: ``url-<hash>.json`` (one article URL: a fetched page or
a failure), ``source-<run>-<hash>.json`` (a feed/sitemap/listing fetch, its validators and the
new entries it listed), ``recheck-<article>-<run>.json`` (a stored article fetched again),
``run-<id>.json`` (a crawl's closing counts), ``label-<article>-<id>.json`` (an analyst's
label). A URL's file name is a hash of its key, so "is this URL waiting in the spool?" is one
``stat``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path

from crawler.errors import SpoolWriteError
from crawler.records import (
    FailureRecord,
    LabelRecord,
    PageRecord,
    RecheckRecord,
    Record,
    SourceRecord,
    from_document,
    to_document,
)
from storage.atomic import write_atomically

_ORDER = {"url": 0, "recheck": 0, "source": 1, "run": 2, "label": 3}


def url_hash(key: str) -> str:
    return hashlib.sha1(key.encode("utf-8"), usedforsecurity=False).hexdigest()


class Spool:
    """A directory of pending records. Safe for several writer processes and one reader."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)

    def put(self, record: Record) -> Path:
        """Write a record atomically and durably; return its file."""
        path = self.directory / _file_name(record)
        data = json.dumps(to_document(record), ensure_ascii=False).encode("utf-8")
        try:
            write_atomically(path, data)
        except OSError as exc:
            raise SpoolWriteError(f"cannot write to the spool {self.directory}: {exc}") from exc
        return path

    def has_url(self, key: str) -> bool:
        """True if a record for this URL key is waiting to be written to the store."""
        return (self.directory / f"url-{url_hash(key)}.json").exists()

    def pending(self) -> list[Path]:
        """Files to apply, URLs first, then sources, then runs (so run counts end complete),
        each kind in the order written (``write_atomically`` stamps each to the nanosecond)."""
        files = [p for p in self.directory.glob("*.json") if not p.name.startswith(".")]
        return sorted(files, key=lambda p: (_ORDER.get(p.name.split("-")[0], 9), _mtime(p)))

    def read(self, path: Path) -> Record:
        """Parse one spool file; raise ValueError if it is not a record."""
        try:
            document = json.loads(path.read_bytes())
        except UnicodeDecodeError as exc:
            raise ValueError(f"not UTF-8: {exc}") from exc
        return from_document(document)

    def remove(self, path: Path) -> None:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()

    def quarantine(self, path: Path, reason: str = "") -> Path:
        """Move a file that cannot be applied aside, with the reason in ``<name>.reason``
        next to it (kept for inspection, never applied again)."""
        target = self.directory / "rejected" / path.name
        target.parent.mkdir(exist_ok=True)
        path.replace(target)
        if reason:
            target.with_name(target.name + ".reason").write_text(reason + "\n", "utf-8")
        return target

    def rejected(self) -> list[Path]:
        """Files moved aside as unreadable or inapplicable."""
        return sorted((self.directory / "rejected").glob("*.json"))

    def remove_orphaned_temporaries(self) -> None:
        """Delete half-written files whose writer process no longer exists."""
        for tmp in self.directory.glob(".*.tmp"):
            pid = tmp.name.rsplit(".", 2)[-2]
            if pid.isdigit() and not _process_alive(int(pid)):
                tmp.unlink(missing_ok=True)


def _file_name(record: Record) -> str:
    if isinstance(record, PageRecord | FailureRecord):
        return f"url-{url_hash(record.url)}.json"
    if isinstance(record, RecheckRecord):
        return f"recheck-{record.article_id}-{record.run_id}.json"
    if isinstance(record, SourceRecord):  # one per run: a later fetch never hides an earlier
        return f"source-{record.run_id}-{url_hash(record.outlet_id + ' ' + record.url)}.json"
    if isinstance(record, LabelRecord):
        return f"label-{record.article_id}-{record.label_id}.json"
    return f"run-{record.run_id}.json"


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:
        return 0


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
