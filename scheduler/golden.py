"""Golden extraction cases: a few real pages of an outlet, kept gzip-compressed with what
extraction made of them, so that a change of trafilatura, of newsmon or of the outlet's
``[extract]`` options that extracts them differently is noticed by a test.

``newsmon outlets snapshot ID`` writes them (never edited by hand); ``expected_fields`` says
what is compared.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

from crawler.content.article import EXTRACTOR, ExtractedArticle
from crawler.records import PageRecord

FIELDS = ("title", "description", "text", "published_at", "authors", "language")
_SLUG = re.compile(r"[^a-z0-9]+")


def expected_fields(article: ExtractedArticle) -> dict[str, Any]:
    """What a golden case keeps of an extraction (the URL-dependent fields left out)."""
    return {name: _plain(getattr(article, name)) for name in FIELDS}


def write_cases(folder: Path, outlet_id: str, pages: list[PageRecord]) -> list[Path]:
    """Replace ``folder`` with one case per page: ``<slug>.html.gz`` and ``<slug>.json``."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    written = []
    for number, page in enumerate(pages, start=1):
        assert page.article is not None and page.html_gzip is not None
        slug = f"{number}-{_slug(page.final_url)}"
        (folder / f"{slug}.html.gz").write_bytes(page.html_gzip)
        case = {
            "outlet": outlet_id,
            "url": page.final_url,
            "fetched_at": page.fetched_at,
            "extractor": EXTRACTOR,
            "expected": expected_fields(page.article),
        }
        path = folder / f"{slug}.json"
        path.write_text(json.dumps(case, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written


def _slug(url: str) -> str:
    tail = url.rstrip("/").rsplit("/", 1)[-1].lower()
    return _SLUG.sub("-", tail).strip("-")[:60] or "page"


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value
