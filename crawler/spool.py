"""The spool: where crawl processes leave what they produced for the single store writer.

A crawl never writes to SQLite; it writes one small JSON file per result into the spool
directory, atomically (temporary file, fsync, rename), so a killed crawl loses nothing it had
already produced and never leaves half a record. The store writer (``crawler.ingest``) applies
each file in a transaction and only then deletes it; applying a file twice changes nothing.

File names say what a file is about: ``url-<hash>.json`` (one article URL: a fetched page or
a failure), ``source-<hash>.json`` (a feed/sitemap/listing fetch and its validators),
``run-<id>.json`` (a crawl's closing counts). A URL's file name is a hash of its key, so
"is this URL waiting in the spool?" is one ``stat``.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

RecordType = Literal["page", "failure", "source", "run"]
_PREFIX = {"page": "url", "failure": "url", "source": "source", "run": "run"}
_ORDER = {"url": 0, "source": 1, "run": 2}


@dataclass(frozen=True)
class PageRecord:
    """A fetched article page: its extraction, or why it has no body."""

    run_id: int
    outlet_id: str
    url: str
    final_url: str
    http_status: int
    content_type: str | None
    fetched_at: str
    source_url: str | None
    article: dict[str, Any] | None
    no_body_reason: str | None
    html_gzip: bytes | None = field(default=None, repr=False)


@dataclass(frozen=True)
class FailureRecord:
    """An article URL that could not be fetched; ``state`` is what the store should record."""

    run_id: int
    outlet_id: str
    url: str
    fetched_at: str
    state: Literal["retry", "gone", "rejected", "blocked"]
    reason: str
    http_status: int | None = None
    source_url: str | None = None


@dataclass(frozen=True)
class SourceRecord:
    """One fetch of a discovery document and the validators for the next conditional GET."""

    run_id: int
    outlet_id: str
    url: str
    kind: str
    fetched_at: str
    http_status: int | None
    etag: str | None
    last_modified: str | None
    entries: int | None
    error: str | None


@dataclass(frozen=True)
class RunRecord:
    """A crawl's own counts, written when the crawl closes."""

    run_id: int
    outlet_id: str
    finished_at: str
    status: Literal["ok", "failed", "stopped"]
    discovered: int = 0
    skipped_known: int = 0
    skipped_old: int = 0
    requested: int = 0
    errors: int = 0
    retry_after_seconds: float | None = None
    error: str | None = None


Record = PageRecord | FailureRecord | SourceRecord | RunRecord
_TYPES: dict[str, type[Record]] = {
    "page": PageRecord,
    "failure": FailureRecord,
    "source": SourceRecord,
    "run": RunRecord,
}


def spool_dir_for(configured: str | None, store_path: Path) -> Path:
    """The spool directory: as configured, or next to the store (``newsmon.db.spool``)."""
    return Path(configured) if configured else store_path.with_name(store_path.name + ".spool")


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
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        data = json.dumps(_encode(record), ensure_ascii=False).encode("utf-8")
        with tmp.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        tmp.replace(path)
        return path

    def has_url(self, key: str) -> bool:
        """True if a record for this URL key is waiting to be written to the store."""
        return (self.directory / f"url-{url_hash(key)}.json").exists()

    def pending(self) -> list[Path]:
        """Files to apply, URLs first, then sources, then runs (so run counts end complete)."""
        files = [p for p in self.directory.glob("*.json") if not p.name.startswith(".")]
        return sorted(files, key=lambda p: (_ORDER.get(p.name.split("-")[0], 9), _mtime(p)))

    def read(self, path: Path) -> Record:
        """Parse one spool file; raise ValueError if it is not a record."""
        document = json.loads(path.read_bytes())
        return _decode(document)

    def remove(self, path: Path) -> None:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()

    def quarantine(self, path: Path) -> Path:
        """Move an unreadable file aside (kept for inspection, never applied again)."""
        target = self.directory / "rejected" / path.name
        target.parent.mkdir(exist_ok=True)
        path.replace(target)
        return target

    def remove_orphaned_temporaries(self) -> None:
        """Delete half-written files whose writer process no longer exists."""
        for tmp in self.directory.glob(".*.tmp"):
            pid = tmp.name.rsplit(".", 2)[-2]
            if pid.isdigit() and not _process_alive(int(pid)):
                tmp.unlink(missing_ok=True)


def _file_name(record: Record) -> str:
    kind = _record_type(record)
    if isinstance(record, PageRecord | FailureRecord):
        return f"url-{url_hash(record.url)}.json"
    if isinstance(record, SourceRecord):
        return f"source-{url_hash(record.outlet_id + ' ' + record.url)}.json"
    return f"{_PREFIX[kind]}-{record.run_id}.json"


def _record_type(record: Record) -> RecordType:
    for name, cls in _TYPES.items():
        if isinstance(record, cls):
            return name  # type: ignore[return-value]
    raise TypeError(f"not a spool record: {record!r}")


def _encode(record: Record) -> dict[str, Any]:
    document = asdict(record)
    if isinstance(record, PageRecord) and record.html_gzip is not None:
        document["html_gzip"] = base64.b64encode(record.html_gzip).decode("ascii")
    return {"type": _record_type(record), **document}


def _decode(document: Any) -> Record:
    if not isinstance(document, dict) or document.get("type") not in _TYPES:
        raise ValueError("not a spool record")
    cls = _TYPES[document.pop("type")]
    if cls is PageRecord and document.get("html_gzip") is not None:
        document["html_gzip"] = base64.b64decode(document["html_gzip"])
    try:
        return cls(**document)
    except TypeError as exc:
        raise ValueError(f"not a {cls.__name__}: {exc}") from exc


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return 0.0


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
