"""Duplicate detection that needs no store: content fingerprints.

The store side (looking fingerprints and canonical URLs up) is in ``crawler.ingest``.
Near-duplicates and stories across outlets build on these functions in a later step.
"""

from __future__ import annotations

import hashlib
import re

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalise_text(text: str) -> str:
    """Text reduced to lower-case words separated by single spaces: formatting, quotes,
    punctuation and line breaks do not make two copies of an article differ."""
    return _NON_WORD.sub(" ", text.casefold()).strip()


def body_fingerprint(text: str) -> str:
    """SHA-256 of the normalised text: equal for copies that differ only in formatting."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()
