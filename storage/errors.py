"""Exceptions raised by the storage package.

::

    StoreError
    ├── StoreNotFound      a read-only command was pointed at a store that does not exist
    ├── SchemaTooNew       the store was written by a newer newsmon (unknown migrations)
    ├── SchemaTooOld       a read-only command met a store an older newsmon wrote
    ├── StoreFull          the disk (or SQLite's size limit) is full; the transaction was undone
    ├── StoreBusy          another writer held the store for longer than the busy timeout
    ├── StoreConstraint    a write broke the schema's rules (a reference to a missing row...)
    └── InvalidQuery       a full-text search that is not valid FTS5 syntax
"""

from __future__ import annotations


class StoreError(Exception):
    """Base class of every error the storage package raises on purpose."""


class StoreNotFound(StoreError):
    """The store file does not exist (and the caller asked not to create it)."""


class SchemaTooNew(StoreError):
    """The store holds migrations this version of newsmon does not know."""


class SchemaTooOld(StoreError):
    """The store lacks migrations and was opened read-only, so they cannot be applied."""


class StoreFull(StoreError):
    """A write failed because the disk is full; nothing of that transaction was kept."""


class StoreBusy(StoreError):
    """The store stayed locked by another writer for longer than the busy timeout."""


class StoreConstraint(StoreError):
    """A write broke a constraint of the schema; the transaction was undone. The data was
    wrong, not the store."""


class InvalidQuery(StoreError):
    """A full-text search query is not valid FTS5 syntax; the message says where."""
