"""Files replaced whole: a reader sees the old content or the new, never half of it."""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

# os-level calls: a crawl writes a file per page, and file objects and paths cost about
# 0.1 ms of CPU each time on top of the write itself
_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC


def write_atomically(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write ``data`` to a temporary file beside ``path`` (``.<name>.<pid>.tmp``), flush it to
    disk, then rename it over ``path``. On any error (a full disk) the temporary file is
    removed, ``path`` keeps its old content, and the error is raised (``OSError``).

    The file's modification time is the clock's, to the nanosecond: a reader orders files
    by it (the spool applies them in the order they were written), and a kernel may
    otherwise stamp files written within a few milliseconds with one coarse time."""
    folder, name = os.path.split(path)
    tmp = os.path.join(folder, f".{name}.{os.getpid()}.tmp")
    try:
        handle = os.open(tmp, _FLAGS, 0o666)
        try:
            _write_all(handle, data)
            now = time.time_ns()
            os.utime(handle, ns=(now, now))
            os.fsync(handle)
        finally:
            os.close(handle)
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _write_all(handle: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(handle, view) :]
