"""Prometheus metrics of the daemon, and the small HTTP server for /metrics and /healthz."""

from __future__ import annotations

import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

Health = Callable[[], tuple[bool, str]]
RUN_COUNTS = ("discovered", "requested", "stored", "off_topic", "duplicates", "no_body")


class Metrics:
    """Everything /metrics exposes; updated by the daemon after each crawl."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.crawls = Counter(
            "newsmon_crawls",
            "Crawls by outlet and outcome",
            ["outlet", "status"],
            registry=self.registry,
        )
        self.pages = Counter(
            "newsmon_pages",
            "Article URLs by outlet and what became of them",
            ["outlet", "kind"],
            registry=self.registry,
        )
        self.articles = Counter(
            "newsmon_articles_stored",
            "Articles stored, by outlet",
            ["outlet"],
            registry=self.registry,
        )
        self.errors = Counter(
            "newsmon_errors",
            "Errors by outlet and kind",
            ["outlet", "kind"],
            registry=self.registry,
        )
        self.duration = Histogram(
            "newsmon_crawl_duration_seconds",
            "Crawl durations",
            ["outlet"],
            buckets=(1, 2, 5, 10, 30, 60, 120, 300, 600, 1800),
            registry=self.registry,
        )
        self.running = Gauge("newsmon_crawls_running", "Crawls running now", registry=self.registry)
        self.interval = Gauge(
            "newsmon_outlet_interval_seconds",
            "Current poll interval",
            ["outlet"],
            registry=self.registry,
        )
        self.failures = Gauge(
            "newsmon_outlet_consecutive_failures",
            "Failed crawls in a row",
            ["outlet"],
            registry=self.registry,
        )
        self.spool = Gauge(
            "newsmon_spool_pending", "Results waiting for the store writer", registry=self.registry
        )

    def observe_crawl(self, outlet: str, run: dict[str, Any]) -> None:
        """Count one finished crawl from its row in the runs table."""
        self.crawls.labels(outlet, run["status"]).inc()
        for kind in RUN_COUNTS:
            if run.get(kind):
                self.pages.labels(outlet, kind).inc(run[kind])
        self.articles.labels(outlet).inc(run.get("stored") or 0)
        if run.get("errors"):
            self.errors.labels(outlet, "fetch").inc(run["errors"])
        if run["status"] not in ("ok", "skipped"):
            self.errors.labels(outlet, run["status"]).inc()
        self.duration.labels(outlet).observe(run.get("duration_seconds") or 0.0)

    def render(self) -> bytes:
        return generate_latest(self.registry)


def serve(host: str, port: int, metrics: Metrics, health: Health) -> ThreadingHTTPServer:
    """Start /metrics and /healthz on a background thread; return the server (for shutdown)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/metrics":
                self._send(200, metrics.render(), CONTENT_TYPE_LATEST)
            elif self.path == "/healthz":
                ok, reason = health()
                self._send(200 if ok else 503, (reason + "\n").encode(), "text/plain")
            else:
                self._send(404, b"not found: try /metrics or /healthz\n", "text/plain")

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            """Requests are not logged: scrapers poll often."""

    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="metrics-http", daemon=True).start()
    return server
