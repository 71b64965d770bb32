"""The gate's words, kept between crawls.

Each crawl is a process of its own, and its gate learns the relevant forms of every word it
meets on the outlet's pages (a lemma per language: most of what the gate costs on a first
page). So that the next crawl does not learn them again, a crawl leaves what its gate learnt
in the spool's ``gate/<fingerprint>.json`` and the next gate of the same fingerprint (same
terms, languages, analysers and code) starts from it. A file that cannot be read is ignored
and one that cannot be written is skipped with a warning: the gate only goes slower.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import time
from pathlib import Path
from typing import Any

from crawler.content.gate import Gate, GateWords
from storage.atomic import write_atomically

log = logging.getLogger(__name__)
_KEPT_WORDS = 100_000  # a third of what a gate remembers: about 2 MB of JSON
_UNUSED_SECONDS = 7 * 24 * 3600


def recall(gate: Gate, folder: Path) -> None:
    """Give the gate the words a gate of its fingerprint left in ``folder``, if any."""
    try:
        document = json.loads((folder / f"{gate.fingerprint}.json").read_bytes())
    except (OSError, ValueError):
        return
    words = _words(document)
    if words is not None:
        gate.learn(words)


def keep(gate: Gate, folder: Path) -> None:
    """Leave the gate's words in ``folder`` for the next crawl (at most ``_KEPT_WORDS`` of
    them, so that a gate that starts from them has room to learn more)."""
    words = gate.learnt()
    others = itertools.islice(words.seen - words.relevant.keys(), _KEPT_WORDS)
    document = {
        "seen": sorted(others),
        "relevant": {token: sorted(forms) for token, forms in words.relevant.items()},
    }
    try:
        folder.mkdir(parents=True, exist_ok=True)
        data = json.dumps(document, ensure_ascii=False).encode("utf-8")
        write_atomically(folder / f"{gate.fingerprint}.json", data)
        _forget_unused(folder)
    except OSError as exc:
        log.warning("the gate's words are not kept for the next crawl: %s", exc)


def _forget_unused(folder: Path) -> None:
    """Delete the files no crawl has added words to for a week (mostly older topics and
    code; one still read but long complete is only learnt again)."""
    for path in folder.glob("*.json"):
        with contextlib.suppress(FileNotFoundError):  # another crawl was quicker
            if time.time() - path.stat().st_mtime > _UNUSED_SECONDS:
                path.unlink()


def _words(document: Any) -> GateWords | None:
    """The words in a file's document, or None if it is not what ``keep`` writes."""
    if not isinstance(document, dict):
        return None
    seen, relevant = document.get("seen"), document.get("relevant")
    if not isinstance(seen, list) or not isinstance(relevant, dict):
        return None
    if not all(isinstance(t, str) for t in seen) or not all(
        isinstance(forms, list) and all(isinstance(f, str) for f in forms)
        for forms in relevant.values()
    ):
        return None
    found = {token: frozenset(forms) for token, forms in relevant.items()}
    return GateWords(frozenset(seen) | found.keys(), found)
