"""Where the store and its spool live: the config's paths, unless the command line says."""

from __future__ import annotations

from pathlib import Path

from crawler.config.settings import Settings


def store_path(settings: Settings, override: str | Path | None = None) -> Path:
    """``--db`` if given, else ``[store] path``."""
    return Path(override) if override else Path(settings.store.path)


def spool_dir(settings: Settings, store: Path) -> Path:
    """``[store] spool_dir``, or next to the store (``newsmon.db.spool``)."""
    configured = settings.store.spool_dir
    return Path(configured) if configured else store.with_name(store.name + ".spool")
