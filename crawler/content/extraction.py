"""Article extraction: trafilatura for text and metadata, py3langid for the language.

Reader comments are excluded (trafilatura keeps them by default), the outlet's
``prune_xpath`` removes known furniture first, and publication dates keep their time of day
and offset where the page gives them. A page without a usable body raises
:class:`NoArticleBody` with the reason, so it is recorded rather than stored.
"""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urlsplit

import py3langid
import trafilatura
from trafilatura.settings import Document

from crawler.canonical import canonicalize, is_http_url
from crawler.config import ExtractOptions
from crawler.content.article import ExtractedArticle, NoArticleBody
from storage import format_utc

_DATE_PARAMS = {
    "extensive_search": True,
    "original_date": True,
    "outputformat": "%Y-%m-%dT%H:%M:%S%z",
}
_WORD = re.compile(r"\w+")
_MIDNIGHT_NO_ZONE = re.compile(r"^(\d{4}-\d{2}-\d{2})T00:00:00$")
_BYLINE_PREFIX = re.compile(r"^(by|von|par|автор|авторка)\s*:?\s+", re.IGNORECASE)
_BYLINE_EDGES = re.compile(r"^[\W_]+|[\W_]+$")
_BARE_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})$")


def extract_article(
    html: str, url: str, options: ExtractOptions | None = None, min_words: int = 40
) -> ExtractedArticle:
    """Extract the main text and metadata of an article page; raise NoArticleBody if none."""
    document = _run_trafilatura(html, url, options or ExtractOptions())
    title = _clean(document.title)
    text = _drop_leading_title(document.text or "", title)
    words = len(_WORD.findall(text))
    if words < min_words:
        raise NoArticleBody(f"main text has {words} words, fewer than {min_words}")
    return ExtractedArticle(
        title=title,
        text=text,
        description=_clean(document.description),
        authors=_split_authors(document.author),
        published_at=normalise_date(document.date),
        language=detect_language(f"{title or ''}\n{text}"),
        canonical_url=_usable_canonical(document.url) or canonicalize(url),
        site_name=_clean(document.sitename),
        image_url=document.image if document.image and is_http_url(document.image) else None,
        word_count=words,
    )


def _run_trafilatura(html: str, url: str, options: ExtractOptions) -> Document:
    document = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        favor_precision=options.favor == "precision",
        favor_recall=options.favor == "recall",
        prune_xpath=list(options.prune_xpath) or None,
        date_extraction_params=_DATE_PARAMS,
    )
    if not isinstance(document, Document) or not (document.text or "").strip():
        raise NoArticleBody("trafilatura found no main text")
    return document


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when there is too little text."""
    sample = text[:4000]
    if len(_WORD.findall(sample)) < 5:
        return None
    language, _ = py3langid.classify(sample)
    return str(language)


def normalise_date(value: str | None) -> str | None:
    """A date with time and offset becomes UTC ``YYYY-MM-DDTHH:MM:SSZ``; a date without a
    time (htmldate reports it as midnight with no offset) stays ``YYYY-MM-DD``."""
    if not value:
        return None
    bare = _MIDNIGHT_NO_ZONE.match(value) or _BARE_DATE.match(value)
    if bare:
        return bare.group(1)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return value[:10] if re.match(r"\d{4}-\d{2}-\d{2}", value) else None
    if parsed.tzinfo is None:
        return parsed.strftime("%Y-%m-%dT%H:%M:%S")
    return format_utc(parsed)


def _usable_canonical(declared: str | None) -> str | None:
    """The page's declared canonical URL (normalised), unless it is not http(s) or points at
    a site root (some sites declare their homepage as every page's canonical)."""
    if not declared or not is_http_url(declared):
        return None
    if urlsplit(declared).path in ("", "/"):
        return None
    return canonicalize(declared)


def _drop_leading_title(text: str, title: str | None) -> str:
    lines = text.strip().split("\n")
    if title and lines and lines[0].strip() == title and len(lines) > 1:
        lines = lines[1:]
    return "\n".join(line.strip() for line in lines if line.strip())


def _split_authors(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    names = (_clean_author(name) for name in value.split(";"))
    return tuple(name for name in names if name)


def _clean_author(name: str) -> str:
    """A byline without its decoration: "By Jane Roe ·" -> "Jane Roe"."""
    name = _BYLINE_PREFIX.sub("", name.strip())
    return _BYLINE_EDGES.sub("", name)


def _clean(value: str | None) -> str | None:
    return " ".join(value.split()) if value and value.strip() else None
