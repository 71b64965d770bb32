"""A hostile outlet: one server on 127.0.0.1 that does what the web does to crawlers.

Its feed lists articles that misbehave (a redirect loop, redirects to ``file://`` and to
another host, a page far over the size cap, binary served as HTML, a page that never ends,
Latin-1 and windows-1251 bodies declared as UTF-8, a 500 then a 200, a 429 with Retry-After)
and entries that are odd themselves (no link, relative and protocol-relative links,
duplicates, dates in the future or unreadable, a robots.txt-disallowed bait). Its sitemaps
are a gzip bomb and an XML entity attack. Every request is logged. Nothing here is copied
from anywhere; the texts are this project's own, written to be on topic.
"""

from __future__ import annotations

import random
import threading
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import cast
from urllib.parse import urlsplit

from .content import local_news

HOSTILE = "hostile-outlet"
ON_TOPIC_EN = (
    "Military police detained {name}, a contract soldier who deserted his unit near the front "
    "and went AWOL for three months, the independent outlet Verstka reported. Relatives said "
    "the deserter was held in a basement with other servicemen who had refused to fight, and "
    "that commanders threatened to send every runaway back to the assault units.",
    "A garrison court later opened a case for unauthorized abandonment of the unit. Lawyers "
    "for {name} say hundreds of Russian soldiers who deserted are caught every month and "
    "returned to the front instead of being tried, and that desertion cases keep rising.",
)
ON_TOPIC_RU = (
    "Военная полиция задержала {name}, контрактника, который дезертировал из части и "
    "самовольно оставил позиции. Родственники рассказали, что дезертира держали в подвале "
    "вместе с другими военнослужащими, отказавшимися воевать, и угрожали отправить обратно.",
    "Гарнизонный суд возбудил дело о самовольном оставлении части. По словам адвокатов, "
    "каждый месяц задерживают сотни дезертиров и возвращают их на фронт вместо суда.",
)
BOMB_BYTES = 200_000_000  # what the gzip bomb inflates to
HUGE_BYTES = 30_000_000  # the page far over the size cap


def article_html(title: str, paragraphs: tuple[str, ...], charset: str) -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!doctype html><html><head><meta charset="{charset}"><title>{title}</title></head>'
        f"<body><nav><a href='/'>Home</a></nav><article><h1>{title}</h1>\n{body}\n</article>"
        "<footer>Hostile Outlet</footer></body></html>"
    )


@dataclass(frozen=True)
class Answer:
    """What the server sends for one path."""

    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()


@dataclass
class HostileOutlet:
    """The hostile outlet's server. Use as a context manager."""

    requests: list[tuple[str, int | None]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _counts: dict[str, int] = field(default_factory=dict)
    _release: threading.Event = field(default_factory=threading.Event)

    def __enter__(self) -> HostileOutlet:
        self._server = _Server(self)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        self.routes = self._routes()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._release.set()
        self._server.shutdown()
        self._server.server_close()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def asked(self, path: str) -> int:
        """How many times a path was requested."""
        with self._lock:
            return sum(1 for asked, _ in self.requests if urlsplit(asked).path == path)

    def config(self, max_page_bytes: int) -> str:
        """config/outlets/hostile-outlet.toml for this server."""
        base = self.base_url
        return (
            "\n".join(
                [
                    f'id = "{HOSTILE}"',
                    'name = "Hostile Outlet"',
                    f'homepage = "{base}/"',
                    'language = "en"',
                    'domains = ["127.0.0.1"]',
                    "max_age_days = 30",
                    "",
                    *_source("feed", f"{base}/feed.xml"),
                    *_source("sitemap", f"{base}/bomb-sitemap.xml.gz"),
                    *_source("sitemap", f"{base}/entities-sitemap.xml"),
                    "",
                    "[urls]",
                    "allow = ['/a/']",
                    "",
                    "[fetch]",
                    "download_delay_seconds = 0",
                    "",
                ]
            )
            + f"# pages over {max_page_bytes} bytes are cut\n"
        )

    # -- routes -----------------------------------------------------------------------------

    def _routes(self) -> dict[str, Callable[[int], Answer]]:
        """Path -> (how many times it was asked before) -> answer."""
        fixed = {
            "/robots.txt": Answer(
                body=b"User-agent: *\nDisallow: /a/bait/\n", content_type="text/plain"
            ),
            "/feed.xml": Answer(body=self._feed(), content_type="application/rss+xml"),
            "/bomb-sitemap.xml.gz": Answer(body=_bomb(), content_type="application/x-gzip"),
            "/entities-sitemap.xml": Answer(body=self._entities(), content_type="application/xml"),
            "/a/plain": _page("A deserter caught", ON_TOPIC_EN, "Arkady Plain", "utf-8"),
            "/a/relative": _page("A runaway returned", ON_TOPIC_EN, "Boris Relative", "utf-8"),
            "/a/protocol-relative": _page("AWOL again", ON_TOPIC_EN, "Pavel Scheme", "utf-8"),
            "/a/latin1": _page(
                "Deserters in Köln", ON_TOPIC_EN, "Jürgen Weiß", "latin-1", declared="utf-8"
            ),
            "/a/cp1251": _page(
                "Дезертиры", ON_TOPIC_RU, "Сергея Шумова", "cp1251", declared="utf-8"
            ),
            "/a/binary": Answer(body=bytes(range(256)) * 400),
            "/a/huge": Answer(body=b"<html><body><p>" + b"deserter " * (HUGE_BYTES // 9) + b"</p>"),
            "/a/loop-1": _redirect("/a/loop-2"),
            "/a/loop-2": _redirect("/a/loop-1"),
            "/a/to-file": Answer(302, headers=(("Location", "file:///etc/passwd"),)),
            "/a/offsite": Answer(
                302,
                headers=(
                    ("Location", self.base_url.replace("127.0.0.1", "localhost") + "/a/plain"),
                ),
            ),
        }
        routes: dict[str, Callable[[int], Answer]] = {p: _always(a) for p, a in fixed.items()}
        routes["/a/flaky"] = _first_then(
            Answer(500, b"Internal error"),
            _page("A flaky page", ON_TOPIC_EN, "Fyodor Flaky", "utf-8"),
        )
        routes["/a/slow-down"] = _first_then(
            Answer(429, b"Slow down", headers=(("Retry-After", "1"),)),
            _page("Rate limited", ON_TOPIC_EN, "Lev Patient", "utf-8"),
        )
        return routes

    def _feed(self) -> bytes:
        base = self.base_url
        items = [
            _item("Plain", f"{base}/a/plain", "Sat, 28 Nov 2026 10:00:00 +0000"),
            _item("Plain again", f"{base}/a/plain", "Sat, 28 Nov 2026 10:00:00 +0000"),
            _item("Relative", "a/relative", "Sat, 28 Nov 2026 09:00:00 +0000"),
            _item("Protocol", f"//{base.removeprefix('http://')}/a/protocol-relative", None),
            _item("No link", None, "Sat, 28 Nov 2026 08:00:00 +0000"),
            _item("Future", f"{base}/a/latin1", "Mon, 01 Jan 2099 00:00:00 +0000"),
            _item("Unreadable date", f"{base}/a/cp1251", "the day after tomorrow"),
            *(
                _item(name, f"{base}/a/{name}", "Sat, 28 Nov 2026 07:00:00 +0000")
                for name in (
                    "binary",
                    "huge",
                    "loop-1",
                    "to-file",
                    "offsite",
                    "flaky",
                    "slow-down",
                    "never",
                    "bait/secret",
                )
            ),
        ]
        return (
            '<?xml version="1.0" encoding="utf-8"?>\n'
            f'<!DOCTYPE rss [{_laughs()}<!ENTITY ext SYSTEM "file:///etc/passwd">]>\n'
            '<rss version="2.0"><channel>'
            f"<title>Hostile Outlet &l9;</title><link>{base}/</link>"
            f"<item><title>Entities</title><link>{base}/a/&ext;</link></item>"
            + "".join(items)
            + "</channel></rss>"
        ).encode()

    def _entities(self) -> bytes:
        return (
            f'<?xml version="1.0"?>\n<!DOCTYPE urlset [{_laughs()}'
            '<!ENTITY ext SYSTEM "file:///etc/passwd">]>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<url><loc>{self.base_url}/a/plain</loc></url>"
            "<url><loc>&l9;</loc></url><url><loc>&ext;</loc></url></urlset>"
        ).encode()

    def _answer(self, path: str) -> Answer | None:
        with self._lock:
            before = self._counts.get(path, 0)
            self._counts[path] = before + 1
        if path == "/a/never":
            self._release.wait()
            return None
        route = self.routes.get(path)
        return route(before) if route else Answer(404, b"Not found", "text/plain")


def _laughs() -> str:
    """The "billion laughs": ten levels of entities, each ten of the one below (10^9 lols)."""
    return "".join(
        f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10 if i else "lol"}">' for i in range(10)
    )


def _source(kind: str, url: str) -> list[str]:
    return ["[[sources]]", f'kind = "{kind}"', f'url = "{url}"']


def _item(title: str, link: str | None, date: str | None) -> str:
    parts = [f"<title>{title}</title>"]
    if link is not None:
        parts.append(f"<link>{link}</link>")
    if date is not None:
        parts.append(f"<pubDate>{date}</pubDate>")
    return "<item>" + "".join(parts) + "</item>"


def _page(
    title: str, paragraphs: tuple[str, ...], name: str, encoding: str, declared: str | None = None
) -> Answer:
    """An on-topic page about ``name``, with local news of its own (so that no two pages are
    near-duplicates of each other)."""
    charset = declared or encoding
    language = "ru" if paragraphs is ON_TOPIC_RU else "en"
    own = tuple(local_news(language, random.Random(name)) for _ in range(2))
    text = article_html(title, tuple(p.format(name=name) for p in paragraphs) + own, charset)
    return Answer(body=text.encode(encoding), content_type=f"text/html; charset={charset}")


def _redirect(path: str) -> Answer:
    return Answer(302, headers=(("Location", path),))


def _always(answer: Answer) -> Callable[[int], Answer]:
    return lambda _before: answer


def _first_then(first: Answer, then: Answer) -> Callable[[int], Answer]:
    return lambda before: first if before == 0 else then


def _bomb() -> bytes:
    """A gzip file of zeros that inflates to BOMB_BYTES (about 200 KB on the wire)."""
    chunk = b"\0" * 1_000_000
    deflate = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: a gzip container
    parts = [deflate.compress(chunk) for _ in range(BOMB_BYTES // len(chunk))]
    return b"".join(parts) + deflate.flush()


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, outlet: HostileOutlet) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.outlet = outlet

    def handle_error(self, request: object, client_address: object) -> None:
        """Quiet: clients of this server go away mid-answer on purpose."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        outlet = cast(_Server, self.server).outlet
        path = urlsplit(self.path).path
        answer = outlet._answer(path)
        with outlet._lock:
            outlet.requests.append((self.path, answer.status if answer else None))
        if answer is None:
            self.close_connection = True
            return
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(answer.body)))
        for name, value in answer.headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(answer.body)
