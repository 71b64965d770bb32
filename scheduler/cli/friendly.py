"""Errors to messages: the one place where exceptions become advice for people."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from crawler.errors import (
    ConfigError,
    CrawlerError,
    FetchFailed,
    LanguageUnknown,
    NoSourceFound,
    OutletExists,
    OutletIdUnknown,
)
from storage.errors import (
    InvalidQuery,
    SchemaTooNew,
    SchemaTooOld,
    StoreBusy,
    StoreError,
    StoreFull,
    StoreNotFound,
)

F = TypeVar("F", bound=Callable[..., Any])
EXIT_FAILED, EXIT_USAGE, EXIT_STORE = 1, 2, 3


# most specific first: the advice that follows each kind of error
_ADVICE: list[tuple[type[Exception], str, int]] = [
    (ConfigError, "fix that file; `newsmon outlets list` validates every config", EXIT_USAGE),
    (OutletExists, "choose another id with --id, or edit or remove that file", EXIT_USAGE),
    (
        OutletIdUnknown,
        "give one with --id (lower-case letters, digits and dashes); nothing was fetched",
        EXIT_USAGE,
    ),
    (FetchFailed, "check the address (and that the site is up) and try again", EXIT_FAILED),
    (LanguageUnknown, "give it with --language (an ISO 639-1 code such as en)", EXIT_USAGE),
    (
        NoSourceFound,
        "find its feed, sitemap or a section page by hand and write the config "
        "(docs/outlet-config.md)",
        EXIT_FAILED,
    ),
    (StoreNotFound, "run `newsmon crawl` first, or point --db at an existing store", EXIT_STORE),
    (StoreBusy, "wait for it to finish or stop it; readers need no lock", EXIT_STORE),
    (StoreFull, "free disk space and run again: nothing was half-written", EXIT_STORE),
    (SchemaTooNew, "upgrade newsmon (pip install -U .) before using this store", EXIT_STORE),
    (
        SchemaTooOld,
        "a command that writes upgrades it: run `newsmon crawl` once (or start `newsmon run`)",
        EXIT_STORE,
    ),
    (
        InvalidQuery,
        'search syntax (SQLite FTS5): words, "a phrase", prefix*, AND, OR, NOT, NEAR(a b); '
        "put the whole query in double quotes to search it as written",
        EXIT_USAGE,
    ),
    (StoreError, "check the store path and its file permissions", EXIT_STORE),
]


def _hint(exc: Exception) -> tuple[str, int]:
    """The message and exit code for an error the libraries raise on purpose."""
    for kind, advice, code in _ADVICE:
        if isinstance(exc, kind):
            return f"{exc}\n  {advice}", code
    return str(exc), EXIT_FAILED


def friendly_errors(command: F) -> F:
    """Turn newsmon's own exceptions into one clear line on stderr and an exit code."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (CrawlerError, StoreError) as exc:
            message, code = _hint(exc)
            click.echo(f"error: {message}", err=True)
            sys.exit(code)

    return wrapper  # type: ignore[return-value]
