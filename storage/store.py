"""Opening the store: WAL mode, pragmas, migrations, and translation of SQLite errors."""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlite_utils

from storage.errors import StoreBusy, StoreConstraint, StoreError, StoreFull, StoreNotFound
from storage.locks import LockFile
from storage.migrations import apply_migrations, check_current

BUSY_TIMEOUT_MS = 30_000
WAL_LIMIT_BYTES = 4_000_000
BUSY_ATTEMPTS = 3  # a write waits up to 90 s for another process's lock
_FULL_CODES = {sqlite3.SQLITE_FULL}
_BUSY_CODES = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}


def first_row(db: sqlite_utils.Database, sql: str, params: list[Any]) -> dict[str, Any] | None:
    """The first row a query returns, or None."""
    return next(iter(db.query(sql, params)), None)


def last_id(table: sqlite_utils.db.Table) -> int:
    """The rowid of the row a table object last inserted."""
    if table.last_rowid is None:
        raise StoreError(f"no row was inserted into {table.name}")
    return int(table.last_rowid)


class Store:
    """One connection to the newsmon SQLite store.

    ``Store.open(path)`` is for the single writer: it creates the file and applies pending
    migrations. ``Store.open_readonly(path)`` is for everything else (crawl processes,
    ``export``, ``search``, ``status``); it never writes and never blocks the writer (WAL).
    """

    def __init__(
        self, db: sqlite_utils.Database, path: Path, readonly: bool, lock: LockFile | None = None
    ) -> None:
        self.db = db
        self.path = path
        self.readonly = readonly
        self._lock = lock

    @classmethod
    def open(cls, path: str | Path) -> Store:
        """Open (creating if needed) for writing, in WAL mode, with all migrations applied.

        Only one process may hold a store open for writing: a second one gets StoreBusy
        naming the holder's pid."""
        file = Path(path)
        file.parent.mkdir(parents=True, exist_ok=True)
        lock = WriterLock.acquire(lock_path(file))
        try:
            with translate_errors():
                conn = sqlite3.connect(file, timeout=BUSY_TIMEOUT_MS / 1000)
                db = sqlite_utils.Database(conn)
                db.execute("PRAGMA journal_mode=WAL")
                # a long reader (a Datasette query, a backup) keeps checkpoints from resetting
                # the WAL; once it leaves, the WAL is cut back to this size, not left large
                db.execute(f"PRAGMA journal_size_limit={WAL_LIMIT_BYTES}")
                _set_pragmas(db)
                apply_migrations(db)
        except BaseException:
            lock.release()
            raise
        return cls(db, file, readonly=False, lock=lock)

    @classmethod
    def open_readonly(cls, path: str | Path) -> Store:
        """Open an existing store for reading only; raise StoreNotFound if it is missing."""
        file = Path(path)
        if not file.exists():
            raise StoreNotFound(f"no store at {file}")
        with translate_errors():
            conn = sqlite3.connect(f"{file.resolve().as_uri()}?mode=ro", uri=True)
            db = sqlite_utils.Database(conn)
            _set_pragmas(db)
            check_current(db)
        return cls(db, file, readonly=True)

    def close(self) -> None:
        self.db.close()
        if self._lock:
            self._lock.release()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite_utils.Database]:
        """All writes inside commit together or not at all (disk full included).

        The outermost one starts with ``BEGIN IMMEDIATE``: it takes the write lock first,
        waiting up to the busy timeout for another process (a sqlite3 shell, a backup) to
        release it, so a transaction that reads before it writes can never fail half-way
        for a lock. Nested ones are savepoints."""
        if self.db.conn.in_transaction:
            with translate_errors(), self.db.atomic():
                yield self.db
            return
        with translate_errors():
            self._begin_immediate()
            try:
                yield self.db
            except BaseException:
                self.db.rollback()
                raise
            try:
                self.db.conn.execute("COMMIT")
            except BaseException:
                self.db.rollback()
                raise

    def _begin_immediate(self) -> None:
        """Take the write lock: SQLite waits up to the busy timeout, and that wait is tried
        BUSY_ATTEMPTS times before the store counts as busy."""
        started = time.monotonic()
        for attempt in range(1, BUSY_ATTEMPTS + 1):
            try:
                self.db.conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                busy = getattr(exc, "sqlite_errorcode", None) in _BUSY_CODES or "locked" in str(exc)
                if not busy:
                    raise
                if attempt == BUSY_ATTEMPTS:
                    waited = time.monotonic() - started
                    raise StoreBusy(
                        f"another process held the store's write lock for {waited:.0f} s "
                        f"({BUSY_ATTEMPTS} waits of up to {BUSY_TIMEOUT_MS / 1000:.0f} s): {exc}"
                    ) from exc

    def writer_pid(self) -> int | None:
        """The pid of the process holding this store open for writing, if one does."""
        return WriterLock.holder(lock_path(self.path))

    def size_bytes(self) -> int:
        """Bytes on disk: the database file plus its write-ahead log."""
        wal = self.path.with_name(self.path.name + "-wal")
        return sum(p.stat().st_size for p in (self.path, wal) if p.exists())


def lock_path(store: Path) -> Path:
    """The writer lock of a store: next to the real file, whatever link names it, so two
    paths to one store share one lock."""
    real = store.resolve()
    return real.with_name(real.name + ".lock")


class WriterLock:
    """The lock held by the one process that writes a store (``storage.locks``)."""

    @staticmethod
    def acquire(path: Path) -> LockFile:
        lock = LockFile.try_acquire(path)
        if lock is None:
            holder = LockFile.holder(path) or "unknown"
            raise StoreBusy(f"another newsmon process (pid {holder}) is writing to this store")
        return lock

    @staticmethod
    def holder(path: Path) -> int | None:
        """The pid of the process writing the store whose lock file this is, if any."""
        note = LockFile.holder(path)
        if note is None:
            return None
        return int(note) if note.isdigit() else -1


def _set_pragmas(db: sqlite_utils.Database) -> None:
    db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA foreign_keys=ON")
    # NORMAL is durable against killed processes in WAL mode; only a power cut can lose
    # the last transactions, and it never corrupts the file.
    db.execute("PRAGMA synchronous=NORMAL")


@contextlib.contextmanager
def translate_errors() -> Iterator[None]:
    """Turn SQLite's disk-full and locked errors into StoreFull / StoreBusy."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        code = getattr(exc, "sqlite_errorcode", None)
        if code in _FULL_CODES or "disk is full" in str(exc):
            raise StoreFull(f"the disk holding the store is full: {exc}") from exc
        if code in _BUSY_CODES or "locked" in str(exc):
            raise StoreBusy(f"the store stayed locked by another writer: {exc}") from exc
        raise StoreError(f"SQLite error: {exc}") from exc
    except sqlite3.IntegrityError as exc:
        raise StoreConstraint(f"the write broke a rule of the schema: {exc}") from exc
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"the store file is not a usable SQLite database: {exc}") from exc
