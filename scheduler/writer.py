"""The daemon's single store writer: one thread, one connection, a queue of tasks.

Every write of the daemon — creating a run, applying the spool, saving schedule state — is a
function handed to ``StoreWriter.call``; they run one after another on the writer's own thread
and connection, so the store has exactly one writer and crawl threads never contend for it.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any, TypeVar

from storage import Store
from storage.errors import StoreError

T = TypeVar("T")
log = logging.getLogger(__name__)
_STOP = object()


class StoreWriter:
    """Owns the store's write connection on a dedicated thread."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._tasks: queue.Queue[Any] = queue.Queue()
        self._thread = threading.Thread(target=self._serve, name="store-writer", daemon=True)
        self._opened: Future[None] = Future()
        self.store: Store | None = None
        self.last_error: str | None = None

    def start(self) -> None:
        """Open the store on the writer thread; raise what opening raised (StoreBusy...)."""
        self._thread.start()
        self._opened.result()

    def call(
        self, task: Callable[[Store], T], timeout: float | None = None, probe: bool = False
    ) -> T:
        """Run ``task(store)`` on the writer thread and return its result (or raise). A
        ``probe`` (a health check) does not clear the last write error when it succeeds."""
        if not self._thread.is_alive():
            raise StoreError("the store writer is not running")
        future: Future[T] = Future()
        self._tasks.put((task, future, probe))
        return future.result(timeout)

    def stop(self) -> None:
        """Finish queued tasks, close the store, end the thread."""
        if self._thread.is_alive():
            self._tasks.put(_STOP)
            self._thread.join()

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def _serve(self) -> None:
        try:
            self.store = Store.open(self.path)
        except BaseException as exc:
            self._opened.set_exception(exc)
            return
        self._opened.set_result(None)
        try:
            self._loop(self.store)
        finally:
            self.store.close()

    def _loop(self, store: Store) -> None:
        while (item := self._tasks.get()) is not _STOP:
            task, future, probe = item
            try:
                future.set_result(task(store))
                if not probe:
                    self.last_error = None
            except BaseException as exc:
                if isinstance(exc, StoreError):
                    self.last_error = str(exc)
                future.set_exception(exc)
