"""The warm worker ("zygote"): pays a crawl process's start-up once, then forks one child per
crawl.

A fresh crawl process spends about 1.3 s of CPU before it does anything useful: importing
Scrapy, trafilatura and newsmon, loading py3langid's model, loading dateparser's locale data.
``python -m crawler.fetch.zygote`` (one per newsmon process, started by ``scheduler.warm`` on
the first crawl) does all of that once. For each crawl it then forks a child that runs
``crawler.fetch.worker.main`` exactly as a fresh crawl process would: same arguments, the
settings JSON handed over instead of stdin, newsmon's working directory and environment of
that moment, its stderr the pipe newsmon sent along, a session of its own, and SIGTERM (a
graceful stop) if the zygote dies. Each child still has a process of its own, so the Twisted
reactor is installed once per crawl, in the child: the zygote installs none, and it stays
single-threaded so that forking is safe (it refuses to serve otherwise).

The zygote is the children's parent: it reaps them and reports each exit code to newsmon
(``crawler.fetch.zygote_wire`` describes the messages). It dies with newsmon (SIGKILL when its
parent dies) and exits when newsmon closes the socket.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import logging
import os
import re
import select
import signal
import socket
import sys
import threading
import traceback
from pathlib import Path
from typing import NoReturn

import dateparser
from courlan import extract_domain
from dateparser.languages.loader import default_loader
from scrapy.settings import BaseSettings, Settings
from scrapy.utils.misc import load_object
from trafilatura.external import jt_stoplist_init

from crawler.content.extraction import extract_article
from crawler.content.lemmas import analyser_versions, normaliser
from crawler.errors import EXIT_CRAWL_BUSY
from crawler.fetch import refresh, retry, robots, worker  # noqa: F401 (Scrapy loads three by name)
from crawler.fetch.zygote_wire import Message, close_all, receive, send

_CLASS_PATH = re.compile(r"[a-z_]\w*(?:\.[A-Za-z_]\w*)+")
_REACTOR_MODULE = "twisted.internet.reactor"
# a page of the kind every crawl extracts: trafilatura, htmldate and py3langid's model
_SAMPLE_PAGE = """<html lang="en"><head><title>Council approves the town budget</title>
<meta property="og:site_name" content="Sample Gazette"></head><body><article>
<h1>Council approves the town budget</h1><p class="byline">By A. Writer, 3 March 2024</p>
<p>The town council approved the budget on Tuesday after a long debate about roads, schools
and the library. Members said the plan keeps local taxes level while it pays for repairs.</p>
<p>The mayor thanked residents for their comments and promised a report on spending in the
autumn, when the first of the repairs is due to be finished and the roads reopen.</p>
</article></body></html>"""


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m crawler.fetch.zygote", description=__doc__)
    parser.add_argument("--socket-fd", type=int, required=True, help="newsmon's socket")
    parser.add_argument("--parent", type=int, required=True, help="newsmon's process id")
    parser.add_argument(
        "--every-date-locale",
        action="store_true",
        help="compile dateparser's patterns for every locale while warming up (about 1.2 s)",
    )
    return parser.parse_args(argv)


# -- warming up ------------------------------------------------------------------------------


# languages whose word analysers are loaded once here (the shipped topic's); others load in
# the crawl that first needs them
WARM_LANGUAGES = ("en", "ru", "uk", "de")


def warm_up(every_date_locale: bool = False) -> None:
    """Import and load, once, what every crawl needs beyond ``crawler.fetch.worker``'s own
    imports: the components Scrapy loads by name, trafilatura and htmldate, py3langid's model,
    justext's stop words, tld's suffix list, dateparser's locale data and the word analysers
    (their dictionaries, and their versions that the gate's fingerprint names).

    dateparser compiles a locale's patterns the first time it tries the locale on a date,
    and a date no locale can read has it try them all (about 1.2 s). A crawl that extracts
    pages meets such dates, so with ``every_date_locale`` that is done here, once, rather
    than in every crawl: worth it where many pages are extracted (the daemon, whose warm
    worker serves every poll, or a topic with the gate off), not for a one-off crawl whose
    gate leaves a few pages."""
    _import_scrapy_components()
    extract_article(_SAMPLE_PAGE, "http://example.org/news/council-budget")
    # read on first use, by extraction: justext's stop words of every language (when it
    # falls back on justext) and tld's list of public suffixes (for a page naming no site):
    # 0.15 s and 0.18 s of CPU that every crawl paid again
    jt_stoplist_init()
    extract_domain("https://www.example.org/")
    list(default_loader.get_locales())
    parser = dateparser.DateDataParser(settings={"NORMALIZE": True})
    parser.get_date_data("13 Qxzv 2024" if every_date_locale else "5. März 2024")
    for language in WARM_LANGUAGES:  # the gate's and the scorer's analysers and dictionaries
        normaliser(language)("warm")
    analyser_versions()  # read from the packages' metadata for each gate's fingerprint


def _import_scrapy_components() -> None:
    """Import every class Scrapy's default settings name (middlewares, extensions, download
    handlers, queues...): a crawl loads most of them by name when it starts."""
    for path in sorted(_component_paths(Settings())):
        with contextlib.suppress(Exception):  # an optional one may need a missing package
            load_object(path)


def _component_paths(settings: BaseSettings) -> set[str]:
    paths: set[str] = set()
    for name in settings:
        value = settings[name]
        if isinstance(value, BaseSettings):
            value = value.copy_to_dict()
        candidates = [*value.keys(), *value.values()] if isinstance(value, dict) else [value]
        paths.update(c for c in candidates if isinstance(c, str) and _CLASS_PATH.fullmatch(c))
    return paths


def fork_hazard() -> str | None:
    """Why this process cannot serve, or None: a Twisted reactor installed (the children must
    each install their own), no pidfds, or a thread running (only the forking one survives a
    fork, and a lock another one held stays locked for ever in the child)."""
    if _REACTOR_MODULE in sys.modules:
        return "a Twisted reactor was installed while warming up"
    try:  # newsmon follows and signals each child through a pidfd (Linux 5.3 and later)
        os.close(os.pidfd_open(os.getpid()))
    except OSError as exc:
        return f"no pidfd: {exc}"
    threads = len(os.listdir("/proc/self/task")) if Path("/proc/self/task").is_dir() else 1
    if threads > 1 or threading.active_count() > 1:
        return f"{threads} threads run after warming up (OPENBLAS_NUM_THREADS=1 not set?)"
    return None


# -- serving ---------------------------------------------------------------------------------


class Zygote:
    """Forks a crawl per request and reports how each one ended."""

    def __init__(self, control: socket.socket) -> None:
        self.control = control
        self.children: dict[int, int] = {}  # pidfd -> pid

    def serve(self) -> None:
        """Answer requests and reap children until newsmon closes the socket."""
        control = self.control.fileno()
        while True:
            readable, _, _ = select.select([control, *self.children], [], [])
            for pidfd in readable:
                if pidfd != control:
                    self._reap(pidfd)
            if control in readable and not self._answer():
                return

    def _reap(self, pidfd: int) -> None:
        pid = self.children.pop(pidfd)
        os.close(pidfd)
        _, status = os.waitpid(pid, 0)
        send(self.control, {"pid": pid, "exit_code": os.waitstatus_to_exitcode(status)})

    def _answer(self) -> bool:
        """Fork the crawl newsmon asks for; False once newsmon has closed the socket."""
        request, fds = receive(self.control)
        if request is None:
            return False
        try:
            pid, pidfd = self._fork(request, fds[0])
        except (OSError, LookupError) as exc:
            send(self.control, {"id": request.get("id"), "error": f"cannot fork a crawl: {exc}"})
            return True
        finally:
            close_all(fds)
        self.children[pidfd] = pid
        send(self.control, {"id": request["id"], "pid": pid}, [pidfd])
        return True

    def _fork(self, request: Message, stderr_fd: int) -> tuple[int, int]:
        _prepare(request)
        zygote = os.getpid()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            run_child(request, stderr_fd, zygote, [self.control.fileno(), *self.children])
        try:
            return pid, os.pidfd_open(pid)
        except OSError:  # a crawl nobody could follow must not run
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise


def _prepare(request: Message) -> None:
    """Compile the crawl's topics here, once for all the crawls that share them (about 0.1 s
    of CPU a crawl), and keep what that made out of the children's garbage collections.
    Settings that cannot be read are left to the crawl to report."""
    with contextlib.suppress(Exception):
        worker.compile_topics(request["settings"])
    gc.freeze()


# -- a child ---------------------------------------------------------------------------------


def run_child(request: Message, stderr_fd: int, zygote: int, zygote_fds: list[int]) -> NoReturn:
    """In a forked child: run one crawl and exit with its code, never returning into the
    zygote's code (an exception ends the child as an uncaught one ends a process)."""
    code = 1
    try:
        code = _crawl(request, stderr_fd, zygote, zygote_fds)
    except SystemExit as stop:
        code = _exit_code(stop)
    except BaseException:
        traceback.print_exc()
    finally:
        _exit(code)


def _crawl(request: Message, stderr_fd: int, zygote: int, zygote_fds: list[int]) -> int:
    os.setsid()  # a session of its own, as newsmon starts a fresh crawl process
    worker.set_death_signal(signal.SIGTERM)
    if os.getppid() != zygote:  # the zygote died before prctl took effect
        return EXIT_CRAWL_BUSY
    close_all(zygote_fds)  # newsmon must see the zygote's socket close when the zygote dies
    os.dup2(stderr_fd, 2)
    os.close(stderr_fd)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    gc.enable()
    return worker.main(request["arguments"], request["settings"])


def _exit_code(stop: SystemExit) -> int:
    """The status ``sys.exit(value)`` gives a process (a message is printed, and means 1)."""
    if stop.code is None or isinstance(stop.code, int):
        return stop.code or 0
    print(stop.code, file=sys.stderr)
    return 1


def _exit(code: int) -> NoReturn:
    """End the child now: its logs and output flushed, none of the zygote's exit handlers."""
    with contextlib.suppress(Exception):
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
    os._exit(code)


# -- the process -----------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    worker.set_death_signal(signal.SIGKILL)  # nothing here is worth a graceful end
    if os.getppid() != args.parent:  # newsmon died before prctl took effect
        return 1
    gc.disable()  # no collection moves what the children share copy-on-write
    with socket.socket(fileno=args.socket_fd) as control:
        try:
            return _serve(control, args.every_date_locale)
        except (BrokenPipeError, ConnectionResetError):
            return 0  # newsmon closed the socket first: it went away, or needed no crawl


def _serve(control: socket.socket, every_date_locale: bool = False) -> int:
    try:
        warm_up(every_date_locale)
    except Exception as exc:
        send(control, {"error": f"warming up failed: {exc!r}"})
        raise
    hazard = fork_hazard()
    if hazard is not None:
        send(control, {"error": hazard})
        return 1
    gc.freeze()
    send(control, {"ready": os.getpid()})
    Zygote(control).serve()
    return 0


if __name__ == "__main__":
    exit_code = main()
    sys.stderr.flush()
    os._exit(exit_code)  # no finalising of a large, frozen heap: nothing is left to flush
