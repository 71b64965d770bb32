"""The Atom feed of new on-topic articles: made on demand (``newsmon feed``) and kept fresh by
the daemon at ``[feed] path``, which a web server or a feed reader reads."""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from crawler.config import FeedSettings
from storage import Store, format_utc
from storage.atom import FeedInfo, atom_feed
from storage.queries import Filters, recent_articles

FEED_TITLE = FeedSettings().title
log = logging.getLogger(__name__)


def feed_document(
    store: Store, filters: Filters, limit: int, title: str, self_url: str | None
) -> tuple[bytes, int]:
    """The feed of the latest articles ``filters`` selects, and how many it holds."""
    articles = recent_articles(store, filters, limit)
    info = FeedInfo(
        feed_id=self_url or _store_urn(store.path),
        title=title,
        updated=format_utc(datetime.now(UTC)),
        self_url=self_url,
    )
    return atom_feed(info, articles), len(articles)


def _store_urn(path: Path) -> str:
    """A feed id that stays the same for one store (a reader keys its history on it)."""
    digest = hashlib.sha256(str(path.resolve()).encode("utf-8")).hexdigest()[:16]
    return f"urn:newsmon:feed:{digest}"


class FeedFile:
    """Rewrites ``[feed] path`` when the store has new articles since the last write."""

    def __init__(self, settings: FeedSettings, store_path: Path) -> None:
        self.settings = settings
        self.store_path = store_path
        self.written_for: tuple[object, ...] | None = None

    def refresh(self) -> bool:
        """Write the feed if it is configured and the store changed; True when written."""
        if self.settings.path is None:
            return False
        with Store.open_readonly(self.store_path) as store:
            marker = _latest(store)
            if marker == self.written_for and Path(self.settings.path).exists():
                return False
            document, count = feed_document(
                store,
                Filters(),
                self.settings.max_entries,
                self.settings.title,
                self.settings.self_url,
            )
        write_atomically(Path(self.settings.path), document)
        self.written_for = marker
        log.info("feed written", extra={"fields": {"path": self.settings.path, "entries": count}})
        return True


def _latest(store: Store) -> tuple[object, ...]:
    """What changes when an article is stored, relabelled or demoted."""
    row = store.db.execute(
        "SELECT MAX(stored_at), COUNT(*), MAX(labelled_at) FROM articles"
    ).fetchone()
    return tuple(row)


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` whole: a reader sees the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
