"""The words a raw page could give its extraction, read without extracting it (for the gate).

Two readings, a cheap one for every page and a closer one for the few that need it:

* ``page_tokens``: every distinct word, in any order, from the page's text with tags removed
  (as a space, and as nothing where they are not block elements: a word split by inline tags
  is whole there), its meta contents (the title and description extraction may take from
  them) and JSON-LD (``\\uXXXX`` escapes read); entities decoded, scripts and styles left out.
* ``page_text``: which of those words extraction could put next to each other. It parses the
  page as trafilatura does and reads its text pieces (an element's text or tail), each meta
  tag's content and each JSON-LD block. Extraction keeps or drops whole elements and joins
  what it keeps, so two words can end up side by side only if they are side by side in one
  piece, in the pieces joined without a space (a word split by inline tags), or if the first
  ends a piece and the second starts one (what lay between was dropped).

Both drop the characters extraction drops (soft hyphens, zero-width spaces and the other
unprintable ones), which would otherwise split a word it reads whole, and both also read the
text as trafilatura may read it a second time: entities decoded again (a CMS that escaped
them twice), and in meta contents and JSON-LD, tags and JSON's \\n, \\r, \\t escapes
removed with nothing in their place.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from lxml import etree
from trafilatura.utils import load_html

from crawler.content.relevance import WORD

_WORD_OR_BREAK = re.compile(rf"{WORD.pattern}|\x00")
_TAG = re.compile(r"<[^>]*>")
_META = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_META_CONTENT = re.compile(
    r"""<meta\b[^>]*?\bcontent\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]*))""", re.IGNORECASE
)
# a script (not JSON-LD) or a style element, to its end tag; "[^<]*(?:<(?!end)[^<]*)*" runs
# over the code a stretch at a time (a lazy ".*?" tried the end tag at every character)
_CODE = re.compile(
    r"<(?:script\b(?![^>]*ld\+json)[^>]*>[^<]*(?:<(?!/script\s*>)[^<]*)*</script"
    r"|style\b[^>]*>[^<]*(?:<(?!/style\s*>)[^<]*)*</style)\s*>",
    re.IGNORECASE,
)
_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_JSON_SPACE = re.compile(r"\\[nrt]")  # trafilatura removes these escapes from JSON-LD
_JSON_LD = re.compile(r"<script\b[^>]*ld\+json[^>]*>([^<]*)", re.IGNORECASE)
_NOT_TEXT = frozenset({"script", "style"})
# elements that extraction keeps apart from the text around them (a line or cell of their own)
_BLOCKS = frozenset(
    {"p", "div", "br", "hr", "li", "ul", "ol", "dl", "dt", "dd", "tr", "td", "th", "table"}
    | {"h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "title"}
    | {"section", "article", "header", "footer", "aside", "nav", "main"}
)
# in lower case, as pages write them: twice as fast as ignoring case (a block element written
# in capitals only has its neighbours' words glued to it, as every tag had before)
_BLOCK_TAG = re.compile(rf"</?(?:{'|'.join(sorted(_BLOCKS))})\b[^>]*>")


BREAK = "\x00"  # between two pieces in ``PageText.pieces`` (never a character of text)
# where a tag was, in ``page_tokens``: control characters no entity decodes to (and no
# text keeps)
_MARKS = tuple(map(chr, range(1, 9)))


@dataclass(frozen=True)
class PageText:
    """A page's words in the runs extraction can only keep whole: ``pieces``, the words of
    its text pieces, meta contents and JSON-LD blocks in order (and of those read again),
    with ``BREAK`` between two pieces; ``joined``, the words of its text pieces joined
    without a space, with ``BREAK`` at the edges of block elements."""

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
    tokens = _text_words(page)
    metas = " ".join(_META.findall(page))  # every attribute's words: a superset of contents'
    tokens.update(WORD.findall(_printable(html.unescape(metas))))
    contents = ["".join(found) for found in _META_CONTENT.findall(page)]
    for text in [html.unescape(content) for content in contents] + _JSON_LD.findall(page):
        for variant in _read_again(text, markup=True):
            tokens.update(WORD.findall(_printable(variant)))
    return tokens


def _text_words(page: str) -> set[str]:
    """The words of the page's text, tags removed: each tag read as a space and, unless it
    is a block element's, as nothing (a word split by inline tags made whole); entities
    decoded, and decoded again.

    Each tag becomes a mark, a control character the page lacks, and the text is cut at
    white space: a chunk of letters and digits only is a word in every reading, so only the
    other chunks are read (twice as fast as reading the whole text twice). No reading
    crosses white space: an entity is never longer than a chunk."""
    mark = next((c for c in _MARKS if c not in page), None)
    if mark is None:  # a page with every one of them: they are dropped from the text anyway
        mark, page = _MARKS[0], page.replace(_MARKS[0], "")
    chunks = set(_TAG.sub(mark, _BLOCK_TAG.sub(" ", page)).split())
    whole = {chunk for chunk in chunks if chunk.isalnum()}
    rest = " ".join(chunks - whole)
    spaced = html.unescape(rest).replace(mark, " ")
    joined = html.unescape(rest.replace(mark, ""))
    for text in (spaced, joined, *_read_again(spaced), *_read_again(joined)):
        whole.update(WORD.findall(_printable(text)))
    return whole


def page_text(page: str) -> PageText | None:
    """The page's words in the runs extraction could keep; None if lxml cannot parse it."""
    tree = load_html(page)
    if tree is None:
        return None
    texts, joined, others = _read_tree(tree)
    again = [v for text in texts for v in _read_again(text)]
    again += [v for text in others for v in _read_again(text, markup=True)]
    runs = [*texts, *others, *again]
    dropped = _unprintable("".join(runs))  # lxml never leaves a NUL (BREAK) in a text
    if dropped:
        runs = [text.translate(dropped) for text in runs]
        joined = [text.translate(dropped) for text in joined]
    pieces = _WORD_OR_BREAK.findall(BREAK.join(runs))
    return PageText(tuple(pieces), tuple(_WORD_OR_BREAK.findall("".join(joined))))


def _read_tree(tree: etree._Element) -> tuple[list[str], list[str], list[str]]:
    """The tree's text pieces (texts and tails) in order; the same with ``BREAK`` at the
    edges of block elements, to be joined without a space; meta contents and JSON-LD."""
    texts: list[str] = []
    joined: list[str] = []
    others: list[str] = []
    for event, element in etree.iterwalk(tree, events=("start", "end")):
        if element.tag in _BLOCKS:
            joined.append(BREAK)
        if event == "end":
            text = element.tail or ""
        elif element.tag == "meta":
            others.append(element.get("content") or "")
            continue
        elif element.tag in _NOT_TEXT:
            if "ld+json" in (element.get("type") or ""):
                others.append(_unescape_json(element.text or ""))
            continue
        else:
            text = element.text or ""
        texts.append(text)
        joined.append(text)
    return texts, joined, others


def _read_again(text: str, markup: bool = False) -> list[str]:
    """How trafilatura may read a text once more: its entities decoded a second time (a CMS
    that escaped them twice) and, for meta contents and JSON-LD (``markup``), tags removed
    with nothing in their place and JSON's \\n, \\r, \\t escapes removed."""
    found = [html.unescape(text)] if "&" in text else []
    if markup:
        plain = html.unescape(_JSON_SPACE.sub("", text))
        found += [plain, _TAG.sub("", plain)]
    return [variant for variant in found if variant != text]


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
