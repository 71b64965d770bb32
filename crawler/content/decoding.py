"""Turning a page's bytes into text when its declared charset is wrong.

A page may declare UTF-8 (in its header and its meta tag) and be Latin-1 or windows-1251;
decoded as declared, every non-ASCII letter becomes U+FFFD. When the bytes are not valid in
the declared charset, charset-normalizer (already what Scrapy and trafilatura rely on)
picks the charset they fit; only when nothing fits is the declared one used with
replacement characters. Binary data served as HTML is recognised by its control bytes.
"""

from __future__ import annotations

import codecs

import charset_normalizer

_CONTROL = frozenset(range(32)) - {9, 10, 12, 13}
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL)  # deleted to count the rest


def decode_page(body: bytes, declared: str | None) -> str:
    """The page's text: in its declared charset if its bytes are valid there, else in the
    charset they fit best."""
    charset = _known(declared) or "utf-8"
    try:
        return body.decode(charset)
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(body).best()
    if best is not None and best.encoding:
        return str(best)
    return body.decode(charset, "replace")


def looks_binary(body: bytes) -> bool:
    """True for bytes that are not text: NUL bytes, or many control bytes, in the first 4 KB."""
    head = body[:4096]
    if b"\0" in head:
        return True
    return len(head.translate(None, _NOT_CONTROL)) > len(head) // 20


def _known(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None
