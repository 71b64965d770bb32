"""The Atom feed of new on-topic articles: made on demand (``newsmon feed``) and kept fresh by
the daemon at ``[feed] path``, which a web server or a feed reader reads."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from crawler.config import FeedSettings
from storage import Store
from storage.atom import FeedInfo, atom_feed
from storage.atomic import write_atomically
from storage.queries import Filters, recent_articles

FEED_TITLE = FeedSettings().title
# an empty feed's "updated" (Atom requires one): fixed, so that an unchanged empty store
# renders the same document every time
EMPTY_FEED_UPDATED = "1970-01-01T00:00:00Z"
log = logging.getLogger(__name__)


def feed_document(
    store: Store, filters: Filters, limit: int, title: str, self_url: str | None
) -> tuple[bytes, int]:
    """The feed of the latest articles ``filters`` selects, and how many it holds."""
    articles = recent_articles(store, filters, limit)
    info = FeedInfo(
        feed_id=self_url or _store_urn(store.path),
        title=title,
        updated=EMPTY_FEED_UPDATED,
        self_url=self_url,
    )
    return atom_feed(info, articles), len(articles)


def _store_urn(path: Path) -> str:
    """A feed id that stays the same for one store (a reader keys its history on it)."""
    digest = hashlib.sha256(str(path.resolve()).encode("utf-8")).hexdigest()[:16]
    return f"urn:newsmon:feed:{digest}"


class FeedFile:
    """Keeps ``[feed] path`` equal to the feed of the store's latest articles: rendered on
    every call (a query of ``max_entries`` rows), written only when it differs from the file
    (a new article, a label, a re-extraction or a new version all change it)."""

    def __init__(self, settings: FeedSettings, store_path: Path) -> None:
        self.settings = settings
        self.store_path = store_path

    def refresh(self) -> bool:
        """Write the feed if it is configured and changed; True when written."""
        if self.settings.path is None:
            return False
        path = Path(self.settings.path)
        with Store.open_readonly(self.store_path) as store:
            document, count = feed_document(
                store,
                Filters(),
                self.settings.max_entries,
                self.settings.title,
                self.settings.self_url,
            )
        if path.exists() and path.read_bytes() == document:
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, document, mode=0o644)
        log.info("feed written", extra={"fields": {"path": str(path), "entries": count}})
        return True
