"""The store's descriptions as data, and as Datasette metadata.

``storage/schema.md`` is the one place where every table, view and column is described (a
test checks that none is missing); ``read_schema`` reads its sections back, and
``datasette_metadata`` renders them for Datasette, with what makes a store pleasant to browse:
full-text search in raw FTS5 mode (so ``дезертир*`` works), facets on the columns people
filter by, the newest rows first, and the writer's internal indexes hidden.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

SCHEMA = Path(__file__).with_name("schema.md")
_SECTION = re.compile(r"^## (\w+)( \(view\))?\n(.*?)(?=^## |\Z)", re.MULTILINE | re.DOTALL)
_ROW = re.compile(r"^\| (\w+) \| ([^|]+) \| (.+) \|$", re.MULTILINE)
# how each table or view is best browsed
_BROWSING: dict[str, dict[str, Any]] = {
    "articles": {
        "searchmode": "raw",
        "facets": ["outlet_id", "language", "topic_id", "topic_status"],
        "sort_desc": "stored_at",
        "label_column": "title",
    },
    "current_articles": {"facets": ["outlet_id", "language"], "sort_desc": "stored_at"},
    "stories": {"sort_desc": "last_seen_at"},
    "daily_counts": {"facets": ["outlet_id"], "sort_desc": "day"},
    "runs": {"facets": ["outlet_id", "status", "trigger"], "sort_desc": "started_at"},
    "urls": {"facets": ["outlet_id", "state"], "sort_desc": "updated_at"},
    "not_stored": {"facets": ["outlet_id", "state"], "sort_desc": "updated_at"},
    "labels": {"facets": ["label"], "sort_desc": "labelled_at"},
    "outlets": {"label_column": "name"},
}
# the writer's own bookkeeping: hidden from the table list (still reachable by URL)
_HIDDEN = ("_migrations", "article_bands", "story_terms", "story_term_counts", "pages")


@dataclass(frozen=True)
class TableDoc:
    """One table or view as schema.md describes it."""

    name: str
    view: bool
    description: str
    columns: dict[str, str]  # column -> "meaning (type)"


def read_schema(text: str | None = None) -> dict[str, TableDoc]:
    """Every table and view of schema.md (the installed file unless ``text`` is given)."""
    source = SCHEMA.read_text(encoding="utf-8") if text is None else text
    found = {}
    for name, view, body in _SECTION.findall(source):
        prose = body.split("\n| column |")[0]
        description = " ".join(prose.split())
        columns = {
            column: f"{meaning.strip()} ({kind.strip()})"
            for column, kind, meaning in _ROW.findall(body)
            if column != "column"
        }
        found[name] = TableDoc(name, bool(view), description, columns)
    return found


# A table's column descriptions fill the first screen of its page (30 columns): keep them in
# a scrolling box of a few lines, so that the rows show without scrolling. Inline, so no file
# has to be served.
_COMPACT_DESCRIPTIONS = "data:text/css," + quote(
    "dl.column-descriptions{max-height:8.5em;overflow-y:auto;border:1px solid #ccc;"
    "padding:0.3em 0.6em}"
)


def datasette_metadata(database: str = "newsmon", text: str | None = None) -> dict[str, Any]:
    """Datasette metadata for a store opened under the name ``database``."""
    tables: dict[str, dict[str, Any]] = {
        doc.name: {"description": doc.description, "columns": doc.columns}
        | _BROWSING.get(doc.name, {})
        for doc in read_schema(text).values()
    }
    for name in _HIDDEN:
        tables.setdefault(name, {})["hidden"] = True
    return {
        "title": "newsmon",
        "extra_css_urls": [_COMPACT_DESCRIPTIONS],
        "description": "Articles on one topic from the configured outlets, with every decision "
        "explained; each table and column is described below its name.",
        "databases": {database: {"tables": tables}},
    }
