"""The typed contract between a crawl process and the store writer.

A crawl produces four kinds of record; the writer (``crawler.ingest``) applies them. They cross
the process boundary through the spool as JSON (``to_document`` / ``from_document``), and a
document that is not a valid record raises ``ValueError`` rather than half-decoding.

* ``SourceRecord``: one fetch of a discovery document, the new validators for the next
  conditional GET, and every new entry it listed (``DiscoveredEntry``). The writer records
  the entries in the frontier in the same transaction as the validators, so validators never
  run ahead of what is recorded.
* ``PageRecord``: a fetched article page and its ``ExtractedArticle`` (or why it has none).
* ``FailureRecord``: an article URL that could not be fetched, and what that means for it.
* ``RecheckRecord``: a stored article fetched again (conditional GET): unchanged, its new
  extraction, or why the fetch failed.
* ``RunRecord``: a crawl's own counts, written when it closes.

One record comes from an analyst, not a crawl, and takes the same way so that it reaches the
store while a daemon holds the writer:

* ``LabelRecord``: an analyst's verdict on a stored article (``newsmon label``).
"""

from __future__ import annotations

import base64
import dataclasses
import functools
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, get_args

from crawler.content.article import ExtractedArticle

FailureState = Literal["retry", "gone", "rejected", "blocked"]
RunStatus = Literal["ok", "failed", "stopped"]
Label = Literal["on", "off"]


@dataclass(frozen=True)
class DiscoveredEntry:
    """A candidate article URL as a source listed it: its URL key and the source's hints."""

    url: str
    title: str | None = None
    published_at: str | None = None  # UTC, ``YYYY-MM-DDTHH:MM:SSZ``


@dataclass(frozen=True)
class DroppedEntries:
    """How many entries a source listed that a crawl did not take, for one reason."""

    reason: str
    count: int


@dataclass(frozen=True)
class FollowedLink:
    """A further document a source pointed to (a child sitemap, a sitemap index), with the
    modification time the source gave for it."""

    url: str
    lastmod: str | None = None


@dataclass(frozen=True)
class SourceRecord:
    """One fetch of a discovery document.

    ``unchanged`` is true for a 304, or a 200 whose body hash equals the last one; then the
    writer keeps the previous validators and ``follow`` list."""

    run_id: int
    outlet_id: str
    url: str
    kind: str
    fetched_at: str
    http_status: int | None
    etag: str | None = None
    last_modified: str | None = None
    body_sha256: str | None = None
    unchanged: bool = False
    entries: int | None = None  # how many entries the document listed in all
    discovered: tuple[DiscoveredEntry, ...] = ()  # the new ones, for the frontier
    follow: tuple[FollowedLink, ...] = ()
    error: str | None = None
    dropped: tuple[DroppedEntries, ...] = ()  # entries not taken, counted by reason


@dataclass(frozen=True)
class PageRecord:
    """A fetched article page: its extraction, or why it has no body."""

    run_id: int
    outlet_id: str
    url: str
    final_url: str
    http_status: int
    content_type: str | None
    fetched_at: str
    source_url: str | None
    article: ExtractedArticle | None
    no_body_reason: str | None
    html_gzip: bytes | None = field(default=None, repr=False)
    gate_reason: str | None = None  # not extracted: its topics' gate says none could keep it
    etag: str | None = None  # the page's validators, for rechecking it later
    last_modified: str | None = None


def keeps_raw_html(keep: str, judged: bool, stored: bool) -> bool:
    """Whether the store keeps a page's raw HTML (``[store] keep_raw_html``): with "all", a
    judged page's (one with a body, or turned away by the gate); with "stored", a stored
    article's; with "none", no page's. The crawl asks it with ``stored`` meaning "some topic
    could keep it", so that it sends no HTML the store would throw away."""
    return judged and (keep == "all" or (keep == "stored" and stored))


@dataclass(frozen=True)
class RecheckRecord:
    """A stored article's page fetched again: ``not_modified`` (a 304), else its new
    extraction (``article``, None if it has no body any more), or ``error``."""

    run_id: int
    outlet_id: str
    article_id: int
    url: str
    fetched_at: str
    http_status: int | None
    not_modified: bool = False
    article: ExtractedArticle | None = None
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class FailureRecord:
    """An article URL that could not be fetched; ``state`` is what the store should record."""

    run_id: int
    outlet_id: str
    url: str
    fetched_at: str
    state: FailureState
    reason: str
    http_status: int | None = None
    source_url: str | None = None


@dataclass(frozen=True)
class RunRecord:
    """A crawl's own counts, written when the crawl closes."""

    run_id: int
    outlet_id: str
    finished_at: str
    status: RunStatus
    discovered: int = 0
    skipped_known: int = 0
    skipped_old: int = 0
    requested: int = 0
    errors: int = 0
    retry_after_seconds: float | None = None
    error: str | None = None


@dataclass(frozen=True)
class LabelRecord:
    """An analyst's verdict on a stored article: on topic or not, with an optional note."""

    article_id: int
    label: Label
    labelled_at: str
    label_id: str  # unique: applying the record twice records it once
    note: str | None = None


Record = PageRecord | FailureRecord | SourceRecord | RunRecord | RecheckRecord | LabelRecord
RECORD_TYPES: dict[str, type[Record]] = {
    "page": PageRecord,
    "recheck": RecheckRecord,
    "failure": FailureRecord,
    "source": SourceRecord,
    "run": RunRecord,
    "label": LabelRecord,
}
_SCALARS: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "int": (int,),
    "float": (int, float),
    "bool": (bool,),
    "bytes": (bytes,),
    "None": (type(None),),
}
_CHOICES = {
    "FailureState": get_args(FailureState),
    "RunStatus": get_args(RunStatus),
    "Label": get_args(Label),
}
# fields holding nested values, rebuilt on decoding
_NESTED: dict[type[Record], dict[str, Any]] = {
    PageRecord: {"article": ExtractedArticle},
    RecheckRecord: {"article": ExtractedArticle},
    SourceRecord: {
        "discovered": DiscoveredEntry,
        "follow": FollowedLink,
        "dropped": DroppedEntries,
    },
}


def record_type(record: Record) -> str:
    """The type name a record is stored under ("page", "recheck", "failure", "source", "run",
    "label")."""
    for name, cls in RECORD_TYPES.items():
        if isinstance(record, cls):
            return name
    raise TypeError(f"not a crawl record: {record!r}")


def to_document(record: Record) -> dict[str, Any]:
    """A JSON-ready dict of the record, with its type."""
    document = asdict(record)
    if isinstance(record, PageRecord) and record.html_gzip is not None:
        document["html_gzip"] = base64.b64encode(record.html_gzip).decode("ascii")
    return {"type": record_type(record), **document}


def from_document(document: Any) -> Record:
    """The record a ``to_document`` dict describes; ValueError if it describes none."""
    kind = document.get("type") if isinstance(document, dict) else None
    if not isinstance(kind, str) or kind not in RECORD_TYPES:
        raise ValueError("not a crawl record")
    cls = RECORD_TYPES[kind]
    values = {k: v for k, v in document.items() if k != "type"}
    try:
        if values.get("html_gzip") is not None:
            values["html_gzip"] = base64.b64decode(values["html_gzip"])
        for name, nested in _NESTED.get(cls, {}).items():
            if name in values and values[name] is not None:
                values[name] = _rebuild(nested, values[name])
        record = cls(**values)
    except (TypeError, ValueError, AttributeError) as exc:
        raise ValueError(f"not a valid {cls.__name__}: {exc}") from exc
    _check_types(record)
    return record


def _rebuild(cls: Any, value: Any) -> Any:
    if isinstance(value, list | tuple):
        return tuple(cls(**item) for item in value)
    if cls is ExtractedArticle:
        return ExtractedArticle(**{**value, "authors": tuple(value.get("authors") or ())})
    return cls(**value)


def _check_types(value: Any) -> None:
    """Reject documents that decode but hold what the writer cannot use: a null where text or
    a number is required, text where a number is, an unknown state (here or nested)."""
    for name, allowed in _annotations(value.__class__):
        got = getattr(value, name)
        if not any(_fits(got, annotation) for annotation in allowed):
            raise ValueError(f"{type(value).__name__}.{name} cannot be {got!r:.60}")
        for element in got if isinstance(got, tuple) else (got,):
            if dataclasses.is_dataclass(element) and not isinstance(element, type):
                _check_types(element)


@functools.cache
def _annotations(cls: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each field of a record class with the types its annotation allows, as written."""
    fields = dataclasses.fields(cls)
    return tuple((f.name, tuple(p.strip() for p in str(f.type).split("|"))) for f in fields)


def _fits(value: Any, annotation: str) -> bool:
    if annotation in _CHOICES:
        return value in _CHOICES[annotation]
    if annotation.startswith("tuple["):
        inner = annotation.removeprefix("tuple[").split(",")[0]
        return isinstance(value, tuple) and all(_fits(element, inner) for element in value)
    if annotation in _SCALARS:
        if isinstance(value, bool) and annotation != "bool":
            return False  # JSON true is no run id
        return isinstance(value, _SCALARS[annotation])
    return type(value).__name__ == annotation  # a nested record
