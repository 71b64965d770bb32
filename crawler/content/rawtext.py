"""The words a raw page could give its extraction, read without extracting it (for the gate).

Two readings, a cheap one for every page and a closer one for the few that need it:

* ``page_tokens``: every distinct word, in any order, from the page's text with tags removed
  (as a space, and as nothing: a word split by inline tags is whole there), its meta tags
  (the title and description extraction may take from them) and JSON-LD (``\\uXXXX`` escapes
  read); entities decoded, scripts and styles left out.
* ``page_text``: which of those words extraction could put next to each other. It parses the
  page as trafilatura does and reads its text pieces (an element's text or tail), each meta
  tag's content and each JSON-LD block. Extraction keeps or drops whole elements and joins
  what it keeps, so two words can end up side by side only if they are side by side in one
  piece, in the pieces joined without a space (a word split by inline tags), or if the first
  ends a piece and the second starts one (what lay between was dropped).

Both drop the characters extraction drops (soft hyphens, zero-width spaces and the other
unprintable ones), which would otherwise split a word it reads whole.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from lxml import etree
from trafilatura.utils import load_html

_TOKEN = re.compile(r"\w+")
_WORD_OR_BREAK = re.compile(r"\w+|\x00")
_TAG = re.compile(r"<[^>]*>")
_META = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
# a script (not JSON-LD) or a style element, to its end tag; "[^<]*(?:<(?!end)[^<]*)*" runs
# over the code a stretch at a time (a lazy ".*?" tried the end tag at every character)
_CODE = re.compile(
    r"<(?:script\b(?![^>]*ld\+json)[^>]*>[^<]*(?:<(?!/script\s*>)[^<]*)*</script"
    r"|style\b[^>]*>[^<]*(?:<(?!/style\s*>)[^<]*)*</style)\s*>",
    re.IGNORECASE,
)
_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_NOT_TEXT = frozenset({"script", "style"})


BREAK = "\x00"  # between two pieces in ``PageText.pieces`` (never a character of text)


@dataclass(frozen=True)
class PageText:
    """A page's words in the runs extraction can only keep whole: ``pieces``, the words of
    its text pieces, meta contents and JSON-LD blocks in order, with ``BREAK`` between two
    pieces; ``joined``, the words of every text piece joined without a space."""

    pieces: tuple[str, ...]
    joined: tuple[str, ...]

    def tokens(self) -> set[str]:
        """Every distinct word of the page's pieces and of its joined text."""
        return set(self.pieces).union(self.joined) - {BREAK}


def page_tokens(page: str) -> set[str]:
    """Every distinct word a page's extraction could hold, in any order."""
    page = _CODE.sub(" ", page)
    if "\\u" in page:
        page = _unescape_json(page)
    between_tags = _TAG.split(page)
    spaced = html.unescape(" ".join(between_tags))
    dropped = _unprintable(spaced)  # the text without tags has no other characters
    tokens = _distinct_words(spaced.translate(dropped) if dropped else spaced)
    joined = html.unescape("".join(between_tags))
    tokens |= _distinct_words(joined.translate(dropped) if dropped else joined)
    for meta in _META.findall(page):
        tokens.update(_TOKEN.findall(_printable(html.unescape(meta))))
    return tokens


def page_text(page: str) -> PageText | None:
    """The page's words in the runs extraction could keep; None if lxml cannot parse it."""
    tree = load_html(page)
    if tree is None:
        return None
    texts: list[str] = []
    others: list[str] = []
    for event, element in etree.iterwalk(tree, events=("start", "end")):
        if event == "end":
            texts.append(element.tail or "")
        elif element.tag == "meta":
            others.append(element.get("content") or "")
        elif element.tag not in _NOT_TEXT:
            texts.append(element.text or "")
        elif "ld+json" in (element.get("type") or ""):
            others.append(_unescape_json(element.text or ""))
    dropped = _unprintable("".join(texts + others))  # NUL too, though lxml never leaves one
    if dropped:
        texts = [text.translate(dropped) for text in texts]
        others = [text.translate(dropped) for text in others]
    pieces = _WORD_OR_BREAK.findall(BREAK.join(texts + others))
    return PageText(tuple(pieces), tuple(_TOKEN.findall("".join(texts))))


def _distinct_words(text: str) -> set[str]:
    """The distinct words (``\\w+``) of a text: a chunk between spaces that is all letters
    and digits (``str.isalnum``, the class ``\\w`` uses, less "_") is a word whole, and only
    the other chunks are searched for words (twice as fast as searching the whole text)."""
    chunks = set(text.split())
    whole = {chunk for chunk in chunks if chunk.isalnum()}
    return whole.union(_TOKEN.findall(" ".join(chunks - whole)))


def _printable(text: str) -> str:
    """``text`` without the characters trafilatura removes from what it extracts."""
    dropped = _unprintable(text)
    return text.translate(dropped) if dropped else text


def _unprintable(text: str) -> dict[int, None]:
    """A ``str.translate`` table that deletes the characters of ``text`` that are neither
    printable nor white space (soft hyphen, zero-width space, control characters); empty if
    there are none."""
    common = text.replace("\n", "").replace("\t", "").replace("\r", "").replace("\xa0", "")
    if common.isprintable():  # the usual case, found quickly (those spaces are not printable)
        return {}
    return {ord(c): None for c in set(text) if not c.isprintable() and not c.isspace()}


def _unescape_json(text: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
