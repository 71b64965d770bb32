"""The warm worker, from newsmon's side: crawls forked by one long-lived helper process
instead of started afresh.

A fresh crawl process pays about 1.3 s of CPU to import Scrapy, trafilatura and newsmon and to
load py3langid's and dateparser's data before it does anything. The warm worker
(``crawler.fetch.zygote``, one per newsmon process, started on the first crawl) pays that once
and forks a child per crawl that runs ``crawler.fetch.worker`` as a fresh process would.
``fork_crawl`` returns a ``ForkedCrawl``, a handle with what ``CrawlProcess`` uses of a Popen:
``pid``, ``stderr`` (the crawl's own pipe, which newsmon created and handed to the zygote),
``poll()`` (the exit code the zygote relays, negative when a signal killed it),
``send_signal()`` and ``kill()`` (through a pidfd, so never to a reused pid).

Nothing is lost to the optimisation: if the warm worker is switched off
(``NEWSMON_WARM_WORKER=off``), cannot start, or fails, ``fork_crawl`` returns None (with a
warning, but for the switch) and the caller starts a fresh process as before. A warm worker
that dies is replaced on the next crawl (at most ``MAX_STARTS`` times per newsmon process);
the crawls it had forked get SIGTERM, stop gracefully, and end with ``EXIT_UNKNOWN``.

The zygote dies with newsmon (SIGKILL when newsmon dies; its children then get SIGTERM, as a
crawl does when newsmon dies) and exits when newsmon closes the socket: at exit newsmon does
and waits for it, so the zygote's CPU and its children's count as newsmon's children's.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import select
import signal
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from typing import IO

from crawler.fetch.zygote_wire import Message, WireError, close_all, receive, send, socket_pair
from scheduler.crawllog import forward_log

log = logging.getLogger(__name__)

ZYGOTE_MODULE = "crawler.fetch.zygote"
SWITCH = "NEWSMON_WARM_WORKER"  # "off", "0", "false" or "no": every crawl starts afresh
READY_TIMEOUT_SECONDS = 120.0  # warming up takes ~1.5 s of CPU (2.7 s with every date locale)
REPLY_TIMEOUT_SECONDS = 60.0
EXIT_TIMEOUT_SECONDS = 15.0
MAX_STARTS = 5
# not an exit status: the warm worker died before it could say how this crawl ended
EXIT_UNKNOWN = 256
# numpy's BLAS would start threads at import; the zygote must stay single-threaded to fork
_ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def enabled() -> bool:
    """Whether crawls may be forked by the warm worker here (switch, platform)."""
    if os.environ.get(SWITCH, "").strip().lower() in ("off", "0", "false", "no"):
        return False
    needed = (hasattr(os, "pidfd_open"), hasattr(signal, "pidfd_send_signal"))
    return sys.platform.startswith("linux") and all(needed) and hasattr(socket, "send_fds")


class ForkedCrawl:
    """A crawl process forked by the warm worker; Popen's ``pid``, ``stderr``, ``poll``,
    ``send_signal`` and ``kill``, the exit code relayed by the zygote."""

    def __init__(self, pid: int, pidfd: int, stderr: IO[bytes]) -> None:
        self.pid = pid
        self.stderr = stderr
        self._pidfd: int | None = pidfd
        self._returncode: int | None = None
        self._orphaned = False
        self._lock = threading.Lock()

    def poll(self) -> int | None:
        """The exit code once the crawl has ended, else None."""
        with self._lock:
            if self._returncode is None and self._orphaned and self._pidfd_readable():
                self._end(EXIT_UNKNOWN)
            return self._returncode

    def send_signal(self, signum: int) -> None:
        with self._lock:
            if self._pidfd is not None:
                with contextlib.suppress(ProcessLookupError):  # ended, not reported yet
                    signal.pidfd_send_signal(self._pidfd, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def ended(self, exit_code: int) -> None:
        """The zygote reported the crawl's end."""
        with self._lock:
            self._end(exit_code)

    def orphan(self) -> None:
        """The zygote died first: the crawl's end is seen on its pidfd, its code is lost."""
        with self._lock:
            self._orphaned = True

    def _pidfd_readable(self) -> bool:  # a pidfd becomes readable when its process ends
        return self._pidfd is not None and bool(select.select([self._pidfd], [], [], 0)[0])

    def _end(self, exit_code: int) -> None:
        if self._returncode is None:
            self._returncode = exit_code
        if self._pidfd is not None:
            os.close(self._pidfd)
            self._pidfd = None


@dataclass
class _Reply:
    """Where the zygote's answer to one request lands."""

    stderr: IO[bytes]
    done: threading.Event = field(default_factory=threading.Event)
    crawl: ForkedCrawl | None = None
    error: str = "no answer"


class WarmWorker:
    """newsmon's end of one zygote at a time: started on the first ``fork``, asked for crawls
    by any thread, its reports read by a thread of its own (the ``keeper``)."""

    def __init__(self, module: str = ZYGOTE_MODULE) -> None:
        self.module = module  # what ``python -m`` runs as the zygote
        self._requests = threading.Lock()  # one start or request at a time
        self._table = threading.Lock()  # the state the keeper shares with requests
        self._channel: socket.socket | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._keeper: threading.Thread | None = None
        self._ready = threading.Event()
        self._replies: dict[int, _Reply] = {}
        self._crawls: dict[int, ForkedCrawl] = {}
        self._last_id = 0
        self._starts = 0
        self._given_up = False
        self._announced = False  # "ready" logged for the zygote started last
        self.every_date_locale = False  # see warm_every_date_locale

    @property
    def pid(self) -> int | None:
        """The running zygote's process id."""
        process = self._process
        return process.pid if process is not None and self._channel is not None else None

    def fork(self, arguments: list[str], settings_json: str) -> ForkedCrawl | None:
        """A crawl of ``python -m crawler.fetch.worker ARGUMENTS`` forked by the zygote
        (started first if need be), or None if it cannot be (said in a warning)."""
        with self._requests:
            if self._channel is None and not self._launch():
                return None
            if not self._wait_ready():
                return None
            try:
                return self._request(arguments, settings_json)
            except (OSError, TimeoutError) as exc:
                log.warning("warm worker failed (%s); this crawl starts a fresh process", exc)
                self._kill()  # nothing it forks late may run beside the fresh process
                return None

    def close(self) -> None:
        """Let the zygote exit (it does when the socket closes) and wait for it; one still
        warming up (started ahead, then not needed) has forked nothing and is killed."""
        with self._table:
            channel = self._channel
            if channel is not None:
                with contextlib.suppress(OSError):  # the zygote may have closed it already
                    channel.shutdown(socket.SHUT_RDWR)
        process = self._process
        if process is not None and not self._ready.is_set() and process.poll() is None:
            process.kill()
        keeper = self._keeper
        if keeper is not None and keeper is not threading.current_thread():
            keeper.join(EXIT_TIMEOUT_SECONDS * 2)

    # -- starting ----------------------------------------------------------------------------

    def start(self) -> None:
        """Start the zygote now and return at once: it warms up while the caller sets itself
        up, and the first ``fork`` waits for it."""
        with self._requests:
            if self._channel is None:
                self._launch()

    def _launch(self) -> bool:
        """Start a zygote (not waiting for it); False if no more may be started."""
        if self._given_up or self._starts >= MAX_STARTS:
            return False
        if self._keeper is not None:  # the previous zygote's keeper ends as it is reaped
            self._keeper.join(EXIT_TIMEOUT_SECONDS * 2)
        self._starts += 1
        ours, theirs = socket_pair()
        self._channel, self._ready, self._announced = ours, threading.Event(), False
        self._keeper = threading.Thread(
            target=self._keep, args=(ours, theirs), name="warm-worker", daemon=True
        )
        self._keeper.start()
        return True

    def _wait_ready(self) -> bool:
        """Whether the zygote started last is ready to fork (waiting for it to warm up);
        if it never gets ready, no other is started."""
        channel = self._channel  # None if it ended since fork looked
        if (
            channel is not None
            and self._ready.wait(READY_TIMEOUT_SECONDS)
            and self._channel is channel
        ):
            if not self._announced:
                self._announced = True
                log.info("warm worker ready", extra={"fields": {"pid": self.pid}})
            return True
        if not self._announced:
            log.warning("the warm worker did not start; crawls start fresh processes")
            self._given_up = True
        self._kill()
        return False

    def _keep(self, ours: socket.socket, theirs: socket.socket) -> None:
        """The zygote's whole life, on one thread: started from it (its death signal follows
        the thread that started it), its reports read until it closes, then reaped."""
        try:
            self._process = _spawn(self.module, theirs, self.every_date_locale)
        except OSError as exc:
            log.warning("cannot start the warm worker: %s", exc)
            self._gone(ours)
            return
        try:
            self._read_reports(ours)
        except (OSError, ValueError) as exc:
            log.warning("warm worker's report unreadable (%s); it is stopped", exc)
        finally:
            self._gone(ours)
            _reap(self._process)

    # -- reports -----------------------------------------------------------------------------

    def _read_reports(self, channel: socket.socket) -> None:
        while True:
            message, fds = receive(channel)
            if message is None:
                return
            if "exit_code" in message:
                self._crawl_ended(message)
            elif "id" in message:
                self._answered(message, fds)
            elif "ready" in message:
                self._ready.set()
            elif "error" in message:
                log.warning("warm worker: %s", message["error"])

    def _crawl_ended(self, message: Message) -> None:
        with self._table:
            crawl = self._crawls.pop(message["pid"], None)
        if crawl is not None:
            crawl.ended(int(message["exit_code"]))

    def _answered(self, message: Message, fds: list[int]) -> None:
        with self._table:
            reply = self._replies.pop(message["id"], None)
            if reply is not None and "pid" in message and fds:
                reply.crawl = self._crawls[message["pid"]] = ForkedCrawl(
                    message["pid"], fds.pop(0), reply.stderr
                )
            elif reply is not None:
                reply.error = str(message.get("error", "the answer carried no pidfd"))
        close_all(fds)
        if reply is not None:
            reply.done.set()

    def _gone(self, channel: socket.socket) -> None:
        """The zygote has ended (or is being stopped): its crawls are orphans, the requests
        waiting for it fail, the next crawl starts another."""
        with self._table:
            if self._channel is channel:
                self._channel = None
            channel.close()
            crawls, self._crawls = list(self._crawls.values()), {}
            replies, self._replies = list(self._replies.values()), {}
        for crawl in crawls:
            crawl.orphan()
        for reply in replies:
            reply.error = "the warm worker ended"
            reply.done.set()
        self._ready.set()

    # -- requests ----------------------------------------------------------------------------

    def _request(self, arguments: list[str], settings_json: str) -> ForkedCrawl:
        read_end, write_end = os.pipe()
        reply = _Reply(os.fdopen(read_end, "rb"))
        try:
            self._send(reply, arguments, settings_json, write_end)
        finally:
            os.close(write_end)  # the child holds the only copy: EOF when it ends
        if not reply.done.wait(REPLY_TIMEOUT_SECONDS) or reply.crawl is None:
            reply.stderr.close()
            why = reply.error if reply.done.is_set() else "no answer in time"
            raise WireError(f"no crawl forked: {why}")
        return reply.crawl

    def _send(self, reply: _Reply, arguments: list[str], settings_json: str, fd: int) -> None:
        with self._table:
            if self._channel is None:
                reply.stderr.close()
                raise WireError("the warm worker has ended")
            self._last_id += 1
            self._replies[self._last_id] = reply
            request = {
                "id": self._last_id,
                "arguments": arguments,
                "settings": settings_json,
                "cwd": os.getcwd(),
                "env": dict(os.environ),
            }
            try:
                send(self._channel, request, [fd])
            except OSError:
                del self._replies[self._last_id]
                reply.stderr.close()
                raise

    def _kill(self) -> None:
        """Stop the zygote now (its crawls get SIGTERM); the keeper reaps it."""
        process = self._process
        if process is not None and process.poll() is None:
            process.kill()
        self.close()


def _spawn(module: str, theirs: socket.socket, every_date_locale: bool) -> subprocess.Popen[bytes]:
    """Start ``python -m MODULE`` (the zygote) with its end of the socket; its stderr is
    logged like a crawl's."""
    fd = theirs.fileno()
    command = [sys.executable, "-m", module, "--socket-fd", str(fd)]
    command += ["--every-date-locale"] if every_date_locale else []
    with theirs:
        process = subprocess.Popen(
            [*command, "--parent", str(os.getpid())],
            pass_fds=[fd],
            stdin=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,  # like a crawl: no terminal's signal reaches it
            env={**os.environ, **_ONE_THREAD},
        )
    assert process.stderr is not None
    fields: dict[str, object] = {"warm_worker": process.pid}
    threading.Thread(target=forward_log, args=(process.stderr, fields), daemon=True).start()
    return process


def _reap(process: subprocess.Popen[bytes]) -> None:
    """Wait for the zygote to exit (it does once its socket is closed); kill it if it
    does not."""
    try:
        process.wait(EXIT_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


_WARM = WarmWorker()
atexit.register(_WARM.close)


def fork_crawl(arguments: list[str], settings_json: str) -> ForkedCrawl | None:
    """A crawl forked by this process's warm worker, or None if it is switched off or
    cannot: then start a fresh crawl process."""
    return _WARM.fork(arguments, settings_json) if enabled() else None


def start_warm_worker() -> None:
    """Start this process's warm worker now, if it is on and not running, without waiting
    for it to warm up (a one-off crawl overlaps that with its own set-up)."""
    if enabled():
        _WARM.start()


def warm_every_date_locale() -> None:
    """Have this process's warm worker, from its next start, compile dateparser's patterns
    for every locale while it warms up (``crawler.fetch.zygote.warm_up``): for a process
    that will extract many pages."""
    _WARM.every_date_locale = True


def warm_worker() -> WarmWorker:
    """This process's warm worker (for tests and benchmarks)."""
    return _WARM
