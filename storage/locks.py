"""Lock files that exist only while they are held.

An exclusive, non-blocking ``flock`` on a file next to what it guards; the holder writes its
pid into it and removes it on release, so a clean exit leaves nothing behind. A process that
opened the file just as its holder removed it finds, after locking, that the path names
another file (or none) and starts again, so two processes never both believe they hold it.
A killed holder's lock is released by the kernel; its file stays until the next holder
takes it over.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path
from typing import IO


class LockFile:
    """A held lock; ``release`` gives it up and removes the file."""

    def __init__(self, path: Path, handle: IO[str]) -> None:
        self.path = path
        self._handle = handle

    @classmethod
    def try_acquire(cls, path: Path) -> LockFile | None:
        """The lock, or None if another process holds it."""
        while True:
            handle = path.open("a+")
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                return None
            if _names(path, handle):
                _write_pid(handle)
                return cls(path, handle)
            handle.close()  # its holder removed it as we opened it: take the new one

    @staticmethod
    def holder(path: Path) -> str | None:
        """What the holder wrote (its pid) if the lock is held now, else None."""
        try:
            with path.open("r") as handle:
                try:
                    fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
                except BlockingIOError:
                    return handle.read().strip() or "unknown"
                fcntl.flock(handle, fcntl.LOCK_UN)
        except FileNotFoundError:
            pass
        return None

    def release(self) -> None:
        if self._handle.closed:
            return
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()  # while still held, so no one can take the old file
        fcntl.flock(self._handle, fcntl.LOCK_UN)
        self._handle.close()


def _write_pid(handle: IO[str]) -> None:
    """Put the holder's pid in the lock file, unbuffered. On a full disk the file stays empty:
    the lock holds all the same (``holder`` then says "unknown")."""
    handle.truncate(0)
    with contextlib.suppress(OSError):
        os.pwrite(handle.fileno(), str(os.getpid()).encode(), 0)


def _names(path: Path, handle: IO[str]) -> bool:
    """True if ``path`` still names the open file."""
    try:
        return os.stat(path).st_ino == os.fstat(handle.fileno()).st_ino
    except FileNotFoundError:
        return False
