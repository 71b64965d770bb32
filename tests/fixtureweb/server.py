"""The fixture web: one quiet ThreadingHTTPServer per fictional outlet, all on 127.0.0.1.

Each outlet gets its own ephemeral port (so its own base URL and robots.txt). The web keeps a
thread-safe log of every request, answers conditional GETs, serves gzip on request, and can be
told to misbehave per outlet (error status, Retry-After, hang, dropped connection).
"""

from __future__ import annotations

import gzip
import hashlib
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from email.message import Message
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import cast
from urllib.parse import urlsplit

from .content import ARTICLES, OUTLETS, Article, articles_for, make_article
from .render import Resource, SiteState, render_dead_config, render_outlet_config, render_site

DEAD_OUTLET = "dead-outlet"


@dataclass(frozen=True)
class LoggedRequest:
    """One request as the fixture web saw it.

    `status` and `finished_at` are None while the request is still being handled (for example
    while it hangs); `status` stays None when the connection was closed without an answer.
    """

    outlet_id: str
    method: str
    path: str  # with query string
    headers: dict[str, str]  # lower-case names
    status: int | None
    started_at: float  # time.monotonic()
    finished_at: float | None


@dataclass
class _LogEntry:
    outlet_id: str
    method: str
    path: str
    headers: dict[str, str]
    started_at: float
    status: int | None = None
    finished_at: float | None = None

    def freeze(self) -> LoggedRequest:
        return LoggedRequest(
            self.outlet_id,
            self.method,
            self.path,
            dict(self.headers),
            self.status,
            self.started_at,
            self.finished_at,
        )


@dataclass(frozen=True)
class Fault:
    """A misbehaviour of one outlet, for every request or the first `times` ones.

    `path` limits the fault to requests for that exact path (query string ignored).
    """

    kind: str  # "error" | "retry_after" | "hang" | "close"
    status: int = 500
    seconds: int = 0
    times: int | None = None
    path: str | None = None

    @classmethod
    def error(
        cls, status: int = 500, *, times: int | None = None, path: str | None = None
    ) -> Fault:
        """Answer every affected request with `status` and a short text body."""
        return cls("error", status=status, times=times, path=path)

    @classmethod
    def retry_after(
        cls,
        status: int = 503,
        *,
        seconds: int = 30,
        times: int | None = None,
        path: str | None = None,
    ) -> Fault:
        """Answer with `status` (429 or 503) and a `Retry-After: seconds` header."""
        if status not in (429, 503):
            raise ValueError("Retry-After faults answer 429 or 503")
        return cls("retry_after", status=status, seconds=seconds, times=times, path=path)

    @classmethod
    def hang(cls, *, times: int | None = None, path: str | None = None) -> Fault:
        """Block the request until release_hangs() or stop(); then answer normally."""
        return cls("hang", times=times, path=path)

    @classmethod
    def close(cls, *, times: int | None = None, path: str | None = None) -> Fault:
        """Close the connection without sending any response."""
        return cls("close", times=times, path=path)


@dataclass
class _ActiveFault:
    fault: Fault
    remaining: int | None


class _OutletServer(ThreadingHTTPServer):
    """The HTTP server of one outlet; handler threads are daemons."""

    daemon_threads = True

    def __init__(self, web: FixtureWeb, outlet_id: str) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.web = web
        self.outlet_id = outlet_id

    def handle_error(self, request: object, client_address: object) -> None:
        """Stay quiet about clients that went away; report real bugs."""
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class _Handler(BaseHTTPRequestHandler):
    """Serves one request of one outlet from the web's current routes."""

    protocol_version = "HTTP/1.1"
    server_version = "FixtureWeb/1.0"
    sys_version = ""
    timeout = 30

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: no stderr line per request."""

    def do_GET(self) -> None:
        self._serve(head=False)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    @property
    def _server(self) -> _OutletServer:
        return cast(_OutletServer, self.server)

    def _serve(self, *, head: bool) -> None:
        web, outlet_id = self._server.web, self._server.outlet_id
        headers = {k.lower(): v for k, v in self.headers.items()}
        entry = web._log_start(outlet_id, self.command, self.path, headers)
        status: int | None = None
        try:
            status = self._answer(head)
        finally:
            web._log_finish(entry, status)

    def _answer(self, head: bool) -> int | None:
        """Apply a pending fault or serve the route; returns the status sent (None: none)."""
        web, outlet_id = self._server.web, self._server.outlet_id
        path = urlsplit(self.path).path
        fault = web._take_fault(outlet_id, path)
        if fault is not None:
            handled, status = self._apply_fault(fault, head)
            if handled:
                return status
        resource = web._resource(outlet_id, path)
        if resource is None:
            return self._send_text(404, "Not Found", head)
        return self._send_resource(resource, head)

    def _apply_fault(self, fault: Fault, head: bool) -> tuple[bool, int | None]:
        """Misbehave as `fault` says: (True, status) if that answered the request."""
        if fault.kind == "error":
            return True, self._send_text(fault.status, "Injected failure", head)
        if fault.kind == "retry_after":
            extra = {"Retry-After": str(fault.seconds)}
            return True, self._send_text(fault.status, "Slow down", head, extra)
        if fault.kind == "hang" and self._server.web._hang():
            return False, None
        self.close_connection = True  # "close", or a hang ended by stop()
        return True, None

    def _send_text(
        self, status: int, text: str, head: bool, extra: dict[str, str] | None = None
    ) -> int:
        body = f"{status} {text}\n".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)
        return status

    def _send_resource(self, resource: Resource, head: bool) -> int:
        """Send a route with validators; 304 when the client's copy is current."""
        tag = '"' + hashlib.sha256(resource.body).hexdigest()[:24]
        etags = (tag + '"', tag + '-gz"')
        use_gzip = resource.compressible and accepts_gzip(self.headers.get("Accept-Encoding"))
        validators = {"ETag": etags[1] if use_gzip else etags[0]}
        if resource.last_modified is not None:
            validators["Last-Modified"] = format_datetime(
                resource.last_modified.astimezone(UTC), usegmt=True
            )
        if not self._server.web.sends_validators(self._server.outlet_id):
            validators = {}  # a server that knows nothing of conditional requests
        if resource.compressible:
            validators["Vary"] = "Accept-Encoding"
        if validators.get("ETag") and not_modified(self.headers, etags, resource.last_modified):
            self._send_head(304, validators)
            return 304
        body = gzip.compress(resource.body, mtime=0) if use_gzip else resource.body
        headers = {
            **validators,
            "Content-Type": resource.content_type,
            "Content-Length": str(len(body)),
        }
        if use_gzip:
            headers["Content-Encoding"] = "gzip"
        self._send_head(200, headers)
        if not head:
            self.wfile.write(body)
        return 200

    def _send_head(self, status: int, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()


def accepts_gzip(accept_encoding: str | None) -> bool:
    """True if an Accept-Encoding header value allows gzip (q=0 forbids it)."""
    for part in (accept_encoding or "").split(","):
        token, _, params = part.partition(";")
        if token.strip().lower() not in ("gzip", "x-gzip", "*"):
            continue
        quality = params.replace(" ", "").removeprefix("q=")
        try:
            return not params or float(quality) > 0
        except ValueError:
            return True
    return False


def not_modified(headers: Message, etags: tuple[str, ...], modified: datetime | None) -> bool:
    """RFC 9110 conditional GET: If-None-Match wins over If-Modified-Since."""
    if_none_match = headers.get("If-None-Match")
    if if_none_match is not None:
        tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
        return "*" in tags or any(t in tags for t in etags)
    if_modified_since = headers.get("If-Modified-Since")
    if if_modified_since is None or modified is None:
        return False
    try:
        since = parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError):
        return False
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return modified.replace(microsecond=0) <= since


def free_port() -> int:
    """A 127.0.0.1 port nothing listens on: bound to port 0, read, and closed again."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class FixtureWeb:
    """The fictional outlets of tests.fixtureweb.content served on 127.0.0.1.

    Use as a context manager (or call start() and stop()). Safe to use from many threads.
    """

    def __init__(self, articles: Iterable[Article] | None = None) -> None:
        source = tuple(ARTICLES if articles is None else articles)
        self.outlet_ids: list[str] = list(OUTLETS)
        self._articles = {oid: articles_for(oid, source) for oid in self.outlet_ids}
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._servers: dict[str, _OutletServer] = {}
        self._threads: list[threading.Thread] = []
        self._routes: dict[str, dict[str, Resource]] = {}
        self._changed_at: dict[str, datetime] = {}
        self._faults: dict[str, _ActiveFault] = {}
        self._no_validators: set[str] = set()
        self._log: list[_LogEntry] = []
        self._release = threading.Event()
        self._hanging = 0
        self._state = "new"
        self._dead_port: int | None = None
        self._created_at = datetime.now(UTC).replace(microsecond=0)

    # ---------------------------------------------------------------- lifecycle

    def __enter__(self) -> FixtureWeb:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> FixtureWeb:
        """Bind one server per outlet on 127.0.0.1:0, render every site and start serving."""
        with self._lock:
            if self._state != "new":
                raise RuntimeError("a FixtureWeb can be started once")
            self._state = "running"
            for oid in self.outlet_ids:
                self._servers[oid] = _OutletServer(self, oid)
                self._changed_at[oid] = self._initial_change(oid)
                self._rerender(oid)
            self.dead_port  # noqa: B018  (pick it while our own ports are bound)
        for oid, server in self._servers.items():
            thread = threading.Thread(
                target=server.serve_forever,
                kwargs={"poll_interval": 0.1},
                name=f"fixtureweb-{oid}",
                daemon=True,
            )
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        """Release hanging handlers, shut every server down and close its socket."""
        with self._lock:
            if self._state != "running":
                return
            self._state = "stopped"
            self._release.set()
        stoppers = [threading.Thread(target=s.shutdown) for s in self._servers.values()]
        for thread in stoppers:
            thread.start()
        for thread in stoppers:
            thread.join()
        for server in self._servers.values():
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)

    # ---------------------------------------------------------------- outlets and content

    def base_url(self, outlet_id: str) -> str:
        """http://127.0.0.1:PORT of a started outlet."""
        server = self._servers[outlet_id]
        return f"http://127.0.0.1:{server.server_address[1]}"

    @property
    def dead_port(self) -> int:
        """A port on 127.0.0.1 where nothing listens (the dead outlet's)."""
        if self._dead_port is None:
            self._dead_port = free_port()
        return self._dead_port

    def dead_outlet_config(self) -> str:
        """TOML of outlet "dead-outlet", whose feed URL is refused by 127.0.0.1."""
        return render_dead_config(self.dead_port)

    def write_configs(self, config_dir: Path, *, include_dead: bool = False) -> list[Path]:
        """Write config_dir/outlets/<id>.toml for every outlet (and the dead one if asked)."""
        folder = Path(config_dir) / "outlets"
        folder.mkdir(parents=True, exist_ok=True)
        written: list[Path] = []
        for oid in self.outlet_ids:
            target = folder / f"{oid}.toml"
            target.write_text(render_outlet_config(OUTLETS[oid], self.base_url(oid)), "utf-8")
            written.append(target)
        if include_dead:
            target = folder / f"{DEAD_OUTLET}.toml"
            target.write_text(self.dead_outlet_config(), "utf-8")
            written.append(target)
        return written

    @property
    def articles(self) -> tuple[Article, ...]:
        """Every article currently on the web, published ones included."""
        with self._lock:
            return tuple(a for oid in self.outlet_ids for a in self._articles[oid])

    def articles_for(self, outlet_id: str) -> list[Article]:
        """The current articles of one outlet in feed order (newest or last published first)."""
        with self._lock:
            return list(self._articles[outlet_id])

    def new_article(self, outlet_id: str, *, on_topic: bool, seq: int) -> Article:
        """A fresh article for `outlet_id` dated now, different for every `seq` (not published)."""
        return make_article(outlet_id, on_topic=on_topic, seq=seq, now=datetime.now(UTC))

    def publish(self, outlet_id: str, article: Article) -> None:
        """Put `article` at the top of its outlet's feed, sitemap or listing and serve it."""
        if article.outlet_id != outlet_id:
            raise ValueError(f"article belongs to {article.outlet_id}, not {outlet_id}")
        with self._lock:
            if any(a.path == article.path for a in self._articles[outlet_id]):
                raise ValueError(f"{outlet_id} already has {article.path}")
            self._articles[outlet_id].insert(0, article)
            now = datetime.now(UTC).replace(microsecond=0)
            after_last = self._changed_at[outlet_id] + timedelta(seconds=1)
            self._changed_at[outlet_id] = max(now, after_last)
            if self._state == "running":
                self._rerender(outlet_id)

    def revise(self, outlet_id: str, path: str, paragraphs: tuple[str, ...]) -> Article:
        """Edit a served article's body in place (its page's ETag and Last-Modified change;
        its feed entry does not); return the edited article."""
        with self._lock:
            articles = self._articles[outlet_id]
            index = next(i for i, a in enumerate(articles) if a.path == path)
            now = datetime.now(UTC).replace(microsecond=0)
            articles[index] = replace(articles[index], paragraphs=paragraphs, modified_at=now)
            if self._state == "running":
                self._rerender(outlet_id)
            return articles[index]

    def _initial_change(self, outlet_id: str) -> datetime:
        dates = [a.published_at for a in self._articles[outlet_id]]
        newest = max(dates, default=self._created_at).astimezone(UTC)
        return min(newest, self._created_at).replace(microsecond=0)

    def _rerender(self, outlet_id: str) -> None:
        state = SiteState(
            outlet=OUTLETS[outlet_id],
            articles=tuple(self._articles[outlet_id]),
            base_url=self.base_url(outlet_id),
            changed_at=self._changed_at[outlet_id],
            created_at=self._created_at,
            now=datetime.now(UTC),
        )
        self._routes[outlet_id] = render_site(state)

    def _resource(self, outlet_id: str, path: str) -> Resource | None:
        with self._lock:
            return self._routes[outlet_id].get(path)

    # ---------------------------------------------------------------- faults

    def set_validators(self, outlet_id: str, sends: bool) -> None:
        """Whether `outlet_id` sends ETag/Last-Modified and answers 304 (default: yes)."""
        with self._lock:
            if sends:
                self._no_validators.discard(outlet_id)
            else:
                self._no_validators.add(outlet_id)

    def sends_validators(self, outlet_id: str) -> bool:
        with self._lock:
            return outlet_id not in self._no_validators

    def set_fault(self, outlet_id: str, fault: Fault | None) -> None:
        """Make `outlet_id` misbehave as `fault` says (None: behave again)."""
        if outlet_id not in OUTLETS:
            raise KeyError(outlet_id)
        with self._lock:
            if fault is None:
                self._faults.pop(outlet_id, None)
            else:
                self._faults[outlet_id] = _ActiveFault(fault, fault.times)

    def _take_fault(self, outlet_id: str, path: str) -> Fault | None:
        """The fault that applies to this request, counting it against `times`."""
        with self._lock:
            active = self._faults.get(outlet_id)
            if active is None or active.fault.path not in (None, path):
                return None
            if active.remaining is not None:
                active.remaining -= 1
                if active.remaining <= 0:
                    del self._faults[outlet_id]
            return active.fault

    def _hang(self) -> bool:
        """Block a handler until release_hangs() or stop(); False if stop() released it."""
        with self._changed:
            event = self._release
            self._hanging += 1
            self._changed.notify_all()
        event.wait()
        with self._changed:
            self._hanging -= 1
            self._changed.notify_all()
            return self._state == "running"

    def release_hangs(self) -> None:
        """Let every currently hanging request go on (later ones hang again if still faulted)."""
        with self._lock:
            self._release.set()
            if self._state == "running":
                self._release = threading.Event()

    @property
    def hanging(self) -> int:
        """How many requests are blocked by a hang fault right now."""
        with self._lock:
            return self._hanging

    def wait_until_hanging(self, count: int = 1, timeout: float = 5.0) -> bool:
        """Wait until at least `count` requests hang; False on timeout."""
        with self._changed:
            return self._changed.wait_for(lambda: self._hanging >= count, timeout)

    # ---------------------------------------------------------------- request log

    @property
    def requests(self) -> list[LoggedRequest]:
        """Every request so far, in arrival order (a snapshot)."""
        with self._lock:
            return [entry.freeze() for entry in self._log]

    def requests_for(self, outlet_id: str) -> list[LoggedRequest]:
        """The logged requests of one outlet."""
        return [r for r in self.requests if r.outlet_id == outlet_id]

    def clear_log(self) -> None:
        """Forget every logged request."""
        with self._lock:
            self._log.clear()

    def wait_for(
        self, predicate: Callable[[list[LoggedRequest]], bool], timeout: float = 5.0
    ) -> bool:
        """Wait until `predicate(requests)` holds; re-checked at every logged start or end."""
        with self._changed:
            return self._changed.wait_for(lambda: predicate(self.requests), timeout)

    def _log_start(
        self, outlet_id: str, method: str, path: str, headers: dict[str, str]
    ) -> _LogEntry:
        entry = _LogEntry(outlet_id, method, path, headers, time.monotonic())
        with self._changed:
            self._log.append(entry)
            self._changed.notify_all()
        return entry

    def _log_finish(self, entry: _LogEntry, status: int | None) -> None:
        with self._changed:
            entry.status = status
            entry.finished_at = time.monotonic()
            self._changed.notify_all()
