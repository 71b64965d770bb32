"""Webhook notifications: each new on-topic article POSTed as JSON to ``[notify] webhook_url``.

The writer queues them with the articles (``storage.notifications``); ``Notifier.send_due``
delivers the due ones. It reads and records through ``call`` (the daemon passes its store
writer, so a slow or dead webhook never holds the store: the POSTs happen between two short
store tasks) and never raises for a failed delivery: the attempt is recorded, retried after
1, 2, 4… minutes, and given up after ``max_attempts``.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any, TypeVar

from crawler.config import NotifySettings
from storage import Store, format_utc
from storage import notifications as outbox

T = TypeVar("T")
StoreCall = Callable[[Callable[[Store], T]], T]
log = logging.getLogger(__name__)
FIRST_RETRY_SECONDS = 60.0


@dataclass
class Delivery:
    sent: int = 0
    failed: int = 0


class Notifier:
    def __init__(self, settings: NotifySettings, user_agent: str) -> None:
        self.settings = settings
        self.user_agent = user_agent

    def send_due(self, call: StoreCall[Any], now: datetime) -> Delivery:
        """POST every due notification once; record each outcome."""
        delivery = Delivery()
        url = self.settings.webhook_url
        if url is None:
            return delivery
        stamp = format_utc(now)
        for item in call(partial(_due, stamp=stamp)):
            error = self._post(url, payload(item))
            if error is None:
                delivery.sent += 1
                call(partial(_sent, article_id=item["id"], stamp=stamp))
                continue
            delivery.failed += 1
            retry = self._retry_at(item["attempts"] + 1, now)
            fields = {"article": item["id"], "error": error, "retry_at": retry or "given up"}
            log.warning("notification failed", extra={"fields": fields})
            call(partial(_failed, article_id=item["id"], error=error, retry=retry, stamp=stamp))
        return delivery

    def _retry_at(self, attempts: int, now: datetime) -> str | None:
        if attempts >= self.settings.max_attempts:
            return None
        return format_utc(now + timedelta(seconds=FIRST_RETRY_SECONDS * 2 ** (attempts - 1)))

    def _post(self, url: str, document: dict[str, Any]) -> str | None:
        """None if the webhook took it (2xx), else why not."""
        request = urllib.request.Request(
            url,
            data=json.dumps(document, ensure_ascii=False).encode("utf-8"),
            headers={"Content-Type": "application/json", "User-Agent": self.user_agent},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.settings.timeout_seconds):
                return None
        except urllib.error.HTTPError as exc:
            return f"HTTP {exc.code}"
        except (urllib.error.URLError, OSError) as exc:
            return f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}"


def _due(store: Store, stamp: str) -> list[dict[str, Any]]:
    return outbox.due(store.db, stamp)


def _sent(store: Store, article_id: int, stamp: str) -> None:
    with store.transaction() as db:
        outbox.mark_sent(db, article_id, stamp)


def _failed(store: Store, article_id: int, error: str, retry: str | None, stamp: str) -> None:
    with store.transaction() as db:
        outbox.mark_failed(db, article_id, error, retry, stamp)


def payload(item: dict[str, Any]) -> dict[str, Any]:
    """What a webhook receives for one article."""
    document = {key: value for key, value in item.items() if key != "attempts"}
    document["matched_terms"] = json.loads(item["matched_terms"] or "[]")
    return {"event": "new_article", **document}
