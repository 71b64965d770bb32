"""Webhook notifications: queued by the writer with each new on-topic article, delivered to a
server on 127.0.0.1 with retries, never raising for a failed delivery."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner
from conftest import TOPIC_FILE
from test_ingest import OFF_TOPIC, apply, article, page
from test_labels import BORDERLINE

from crawler.config import NotifySettings
from fixtureweb import FixtureWeb
from fixtureweb.server import free_port
from scheduler.cli import main
from scheduler.notify import Notifier
from storage import format_utc
from storage.runs import start_run


def a_minute_later() -> datetime:
    """A minute after now: the notifications a test just queued are all due."""
    return datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=1)


class Webhook:
    """A webhook on 127.0.0.1 that answers with the statuses it is given, in turn."""

    def __init__(self, statuses: list[int]) -> None:
        self.statuses = statuses
        self.received: list[dict] = []
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                hook.received.append(json.loads(self.rfile.read(length)))
                self.send_response(hook.statuses.pop(0) if hook.statuses else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def webhook():
    hook = Webhook([500])
    yield hook
    hook.close()


def notifying(config, url: str, attempts: int = 8):
    notify = NotifySettings(webhook_url=url, max_attempts=attempts)
    return config.model_copy(
        update={"settings": config.settings.model_copy(update={"notify": notify})}
    )


def outbox(store):
    return {row["article_id"]: row for row in store.db.query("select * from notifications")}


def test_only_new_on_topic_originals_are_queued(store, example_config, tmp_path, webhook):
    run = start_run(store, "example", "cli")
    config = notifying(example_config, webhook.url)
    apply(store, config, tmp_path, page(run, "https://www.example.org/a"))
    apply(
        store,
        config,
        tmp_path,
        page(run, "https://www.example.org/b", article=article(BORDERLINE, "Front report")),
    )
    apply(
        store,
        config,
        tmp_path,
        page(run, "https://www.example.org/w", article=article(OFF_TOPIC, "Weather")),
    )
    queued = outbox(store)
    assert list(queued) == [1] and queued[1]["sent_at"] is None
    apply(
        store,
        example_config,
        tmp_path,
        page(run, "https://www.example.org/c", article=article(title="Another report")),
    )
    assert list(outbox(store)) == [1]  # no webhook configured: nothing queued


def test_a_failed_post_is_retried_later_and_then_sent(store, example_config, tmp_path, webhook):
    run = start_run(store, "example", "cli")
    config = notifying(example_config, webhook.url)
    apply(store, config, tmp_path, page(run, "https://www.example.org/a"))
    notifier = Notifier(config.settings.notify, "newsmon-test")
    call = lambda task: task(store)  # noqa: E731
    now = a_minute_later()
    first = notifier.send_due(call, now)
    row = outbox(store)[1]
    assert (first.sent, first.failed) == (0, 1) and row["last_error"] == "HTTP 500"
    assert row["next_attempt_at"] == format_utc(now + timedelta(minutes=1)) and row["attempts"] == 1
    assert notifier.send_due(call, now + timedelta(seconds=30)).sent == 0  # not due yet
    later = notifier.send_due(call, now + timedelta(seconds=61))
    sent_at = format_utc(now + timedelta(seconds=61))
    assert later.sent == 1 and outbox(store)[1]["sent_at"] == sent_at
    document = webhook.received[-1]
    assert document["event"] == "new_article" and document["url"] == "https://www.example.org/a"
    assert (
        document["title"] == "Russian deserters sent back" and "AWOL" in document["matched_terms"]
    )
    assert notifier.send_due(call, now + timedelta(hours=1)).sent == 0  # sent once


def test_a_dead_webhook_is_given_up_after_its_attempts(store, example_config, tmp_path):
    run = start_run(store, "example", "cli")
    config = notifying(example_config, f"http://127.0.0.1:{free_port()}/hook", attempts=2)
    apply(store, config, tmp_path, page(run, "https://www.example.org/a"))
    notifier = Notifier(config.settings.notify, "newsmon-test")
    call = lambda task: task(store)  # noqa: E731
    now = a_minute_later()
    assert notifier.send_due(call, now).failed == 1
    assert "Connection refused" in outbox(store)[1]["last_error"]
    assert notifier.send_due(call, now + timedelta(minutes=2)).failed == 1
    row = outbox(store)[1]
    assert row["given_up_at"] == format_utc(now + timedelta(minutes=2)) and row["attempts"] == 2
    assert notifier.send_due(call, now + timedelta(days=1)).failed == 0


def test_a_crawl_announces_its_new_articles(tmp_path, webhook):
    webhook.statuses.clear()
    with FixtureWeb() as web:
        root = tmp_path / "config"
        (root / "topics").mkdir(parents=True)
        (root / "topics" / TOPIC_FILE.name).write_text(TOPIC_FILE.read_text())
        web.write_configs(root)
        for path in (root / "outlets").glob("*.toml"):
            if path.stem != "steppe-herald":
                path.unlink()
        (root / "newsmon.toml").write_text(f'[notify]\nwebhook_url = "{webhook.url}"\n')
        db = tmp_path / "newsmon.db"
        result = CliRunner().invoke(main, ["crawl", "--config", str(root), "--db", str(db)])
        expected = [a for a in web.articles_for("steppe-herald") if a.expect == "on_topic"]
    assert result.exit_code == 0, result.output
    assert f"notifications: {len(expected)} sent" in result.stderr
    announced = {document["url"].split("/", 3)[3] for document in webhook.received}
    assert announced == {article.path.lstrip("/") for article in expected}
