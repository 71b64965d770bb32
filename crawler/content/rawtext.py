"""The words a raw page could give its extraction, read without extracting it (for the gate).

Three readings, a cheap one for every page and closer ones for the few that need them:

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
* ``page_runs``: the same runs, read without a parse, as ``page_tokens`` reads the page:
  looser (each of the parser's pieces is one or several of its runs) and three times
  cheaper, so a page it turns away is never parsed.

Comments are read as the parser reads them: dropped, the text around one joined. All three
drop the characters extraction drops (soft hyphens, zero-width spaces and the other
unprintable ones), which would otherwise split a word it reads whole, and all three also read
the text as trafilatura may read it a second time: entities decoded again (a CMS that escaped
them twice), and in meta contents and JSON-LD, tags and JSON's \\n, \\r, \\t escapes
removed with nothing in their place.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from lxml import etree
from trafilatura.utils import load_html

from crawler.content.relevance import WORD

_WORD_OR_BREAK = re.compile(rf"{WORD.pattern}|\x00")
# a tag, or other markup the parser drops ("<!...>", "<?...>", "</...>"); any other "<" is text
_TAG = re.compile(r"<[A-Za-z!?/][^>]*>")
_ANY_TAG = re.compile(r"<[^>]*>")  # how trafilatura takes tags out of metadata
_META = re.compile(r"<meta(?=[\s/>])[^>]*>", re.IGNORECASE)
_META_CONTENT = re.compile(
    r"""<meta(?=[\s/>])[^>]*?(?<=[\s"'/])content\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]*))""",
    re.IGNORECASE,
)
# where markup that hides text starts: a comment, a script or a style element (read in one
# pass from the start, so that a "<!--" in a script or a "<script" in a comment is text)
_HIDING = re.compile(r"<(?:!--|(script|style)(?=[\s/>]))", re.IGNORECASE)
# the rest of a comment, as HTML ends one ("<!-->" and "<!--->" are empty ones, "--!>" ends
# one too, and one never ended runs to the end); "[^-]*" runs up to each "-"
_COMMENT_END = re.compile(r">|->|[^-]*(?:-(?!-!?>)[^-]*)*(?:--!?>|\Z)")
# the rest of a script or style element, to its end tag: its content, a stretch at a time
_CODE_END = {
    name: re.compile(
        rf"[^>]*>([^<]*(?:<(?!/{name}[\s/>])[^<]*)*)</{name}(?=[\s/>])[^>]*>", re.IGNORECASE
    )
    for name in ("script", "style")
}
# the characters trafilatura deletes from a page before parsing it; of them, the ones that
# would split a word (white space to str.split) or be taken for a mark
_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SPLITTING = "\x00\x01\x02\x0b\x0c\x1c\x1d\x1e\x1f"
_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_JSON_SPACE = re.compile(r"\\[nrt]")  # trafilatura removes these escapes from JSON-LD
# an element whose content the parser may keep as it is written (entities not decoded, tags
# not read): its content whole
_RAW_TEXT = re.compile(
    r"<(iframe|noembed|noframes|noscript|plaintext|textarea|title|xmp)(?=[\s/>])[^>]*>"
    r"([^<]*(?:<(?!/\1)[^<]*)*)",
    re.IGNORECASE,
)
_NOT_TEXT = frozenset({"script", "style"})


def _alternation(words: Iterable[str]) -> str:
    """A pattern that matches any of these (non-empty) words, as a tree of their shared
    beginnings ("d(?:d|iv|l|t)" rather than "dd|div|dl|dt"): Python's engine tries a plain
    list of alternatives one by one at every "<" of a page, a tree only along one path."""
    first: dict[str, list[str]] = {}
    for word in sorted(set(words) - {""}):
        first.setdefault(word[:1], []).append(word[1:])
    if not first:
        return "(?!)"  # no word: a pattern that matches nothing, not the empty string
    branches = []
    for letter, rests in first.items():
        optional = "" in rests
        rest = _alternation(r for r in rests if r) if len(rests) > optional else ""
        branches.append(re.escape(letter) + (f"(?:{rest})?" if optional and rest else rest))
    return branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"


# elements that extraction keeps apart from the text around them (a line or cell of their own)
_BLOCKS = frozenset(
    {"p", "div", "br", "hr", "li", "ul", "ol", "dl", "dt", "dd", "tr", "td", "th", "table"}
    | {"h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "title"}
    | {"section", "article", "header", "footer", "aside", "nav", "main"}
)
# in lower case, as pages write them, twice as fast as ignoring case; a page with a tag in
# capitals is read ignoring case
_BLOCK_TAG = re.compile(rf"</?{_alternation(_BLOCKS)}(?=[\s/>])[^>]*>")
_BLOCK_TAG_ANY_CASE = re.compile(_BLOCK_TAG.pattern, re.IGNORECASE)
_CAPITAL_TAG = re.compile(r"</?[A-Z]")


BREAK = "\x00"  # between two pieces in ``PageText.pieces`` (never a character of text)
# between two runs of words that nothing can join, unlike pieces (an extracted article's
# fields): no word before it can be followed by one after it
APART = "\x03"
# where a tag was, in ``page_tokens`` and ``page_runs`` (control characters the text never
# keeps: ``_visible`` deletes them first): an inline element's tag, a block element's
_INLINE, _BLOCK = "\x01", "\x02"
_MARK = re.compile(f"[{_INLINE}{_BLOCK}]")
_FEW = 8  # characters to delete one by one (``_without``)


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
        return set(self.pieces).union(self.joined) - {BREAK, APART}


def page_tokens(page: str) -> set[str]:
    """Every distinct word a page's extraction could hold, in any order."""
    read = _marked(page)
    tokens = _text_words(read.marked)
    metas = " ".join(_META.findall(read.visible))  # every attribute's words: contents' too
    tokens.update(WORD.findall(_printable(html.unescape(metas))))
    for text in (*read.contents, *read.json_ld):
        for variant in (text, *_read_again(text, markup=True)):
            tokens.update(WORD.findall(_printable(variant)))
    return tokens


def _text_words(marked: str) -> set[str]:
    """The words of the page's text, tags removed: each tag read as a space and, unless it
    is a block element's, as nothing (a word split by inline tags made whole); entities
    decoded, and decoded again.

    The text (each tag marked) is cut at white space and at block elements' tags: a chunk
    of letters and digits only is a word in every reading, so only the other chunks are
    read (twice as fast as reading the whole text twice). No reading crosses white space:
    an entity is never longer than a chunk."""
    chunks = set(marked.replace(_BLOCK, " ").split())
    whole = {chunk for chunk in chunks if chunk.isalnum()}
    rest = " ".join(chunks - whole)
    spaced = html.unescape(rest).replace(_INLINE, " ")
    joined = html.unescape(_glued(rest.replace(_INLINE, "")))
    for text in (spaced, joined, *_read_again(spaced), *_read_again(joined)):
        whole.update(WORD.findall(_printable(text)))
    return whole


def page_runs(page: str) -> PageText:
    """``page_text``'s runs, read the way ``page_tokens`` reads the page (no parse, three
    times cheaper): every tag, and every other "<" or ">", ends one piece and starts the next
    (a parser starts and ends elements only at markup, which runs from a "<" to a ">", so
    each of its pieces is one of these or several), and only block elements' tags keep the
    joined text apart. Meta contents and JSON-LD blocks (and both read again), and the
    content of elements the parser may keep as written, are runs of their own. Looser than
    ``page_text``: words it cannot put side by side, the parse cannot either."""
    read = _marked(page)
    text = html.unescape(read.marked.replace("<", _INLINE).replace(">", _INLINE))
    contents = [*read.contents, *read.json_ld]
    others = [v for t in contents for v in _read_again(t, markup=True)]
    raw = [content for _, content in _RAW_TEXT.findall(read.visible)]
    raw += [html.unescape(content) for content in raw if "&" in content]
    again = [v for piece in _pieces_with_entities(text) for v in _read_again(piece)]
    runs = [text, *again, *contents, *others, *raw]
    pieces = BREAK.join(runs).replace(_INLINE, BREAK).replace(_BLOCK, BREAK)
    joined = _glued(text.replace(_INLINE, "")).replace(_BLOCK, BREAK)
    dropped = _unprintable(pieces, marks=BREAK)
    pieces, joined = _without(pieces, dropped), _without(joined, dropped)
    return PageText(tuple(_WORD_OR_BREAK.findall(pieces)), tuple(_WORD_OR_BREAK.findall(joined)))


def _pieces_with_entities(text: str) -> list[str]:
    """The pieces of a marked text (between two tags' marks) that have an "&": those that
    reading the text again (its entities decoded once more) can change. No entity's name
    holds a mark, so the text read again is these pieces read again and the others as they
    are (which add no word and no neighbour). Linear: each stretch is searched once."""
    found: list[str] = []
    done, at = 0, text.find("&")
    while at != -1:
        start = max(text.rfind(_INLINE, done, at), text.rfind(_BLOCK, done, at)) + 1
        mark = _MARK.search(text, at)
        end = mark.start() if mark else len(text)
        found.append(text[max(start, done) : end])
        done, at = end, text.find("&", end)
    return found


class _Marked(NamedTuple):
    visible: str  # the page as ``_visible`` reads it
    marked: str  # that with each tag marked: ``_BLOCK`` for a block element's, else ``_INLINE``
    contents: tuple[str, ...]  # its meta tags' contents, entities decoded
    json_ld: tuple[str, ...]  # its JSON-LD blocks


@lru_cache(maxsize=1)  # the gate reads every page's tokens, then a few pages' runs
def _marked(page: str) -> _Marked:
    visible, json_ld = _visible(page)
    marked = _TAG.sub(_INLINE, _block_tag(visible).sub(_BLOCK, visible))
    contents = [html.unescape("".join(found)) for found in _META_CONTENT.findall(visible)]
    return _Marked(visible, marked, tuple(contents), tuple(json_ld))


def _visible(page: str) -> tuple[str, list[str]]:
    """The page as the parser reads it, with what hides text taken out: without the
    characters trafilatura deletes before parsing if one could split a word or be taken for
    ``_INLINE``, ``_BLOCK`` or ``BREAK`` (``_printable`` deletes the others), without
    comments (the parser joins the text around one into one piece), with ``_INLINE`` for
    each script and style element (extraction drops them, and may join the text around
    them); and the JSON-LD blocks, ``\\uXXXX`` escapes read.

    One pass from the start, as the parser reads: a "<!--" inside a script is not a comment,
    nor is a "<script" inside a comment. Linear: a script or style never ended is read as
    text (and so is every later one), a comment never ended runs to the end."""
    if any(c in page for c in _SPLITTING):  # the others only ever go with _printable
        page = _INVALID.sub("", page)
    parts: list[str] = []
    json_ld: list[str] = []
    unended: set[str] = set()  # kinds of element with no end tag left in the page
    done = start = 0
    while found := _HIDING.search(page, start):
        hidden = _hidden(page, found, unended)
        if hidden is None:  # never ended: text
            start = found.end()
            continue
        end, replacement, block = hidden
        parts += [page[done : found.start()], replacement]
        json_ld += [] if block is None else [_json_text(block)]
        done = start = end
    parts.append(page[done:])
    return "".join(parts), json_ld


def _hidden(
    page: str, found: re.Match[str], unended: set[str]
) -> tuple[int, str, str | None] | None:
    """Where the comment, script or style that starts at ``found`` ends, what replaces it,
    and its content if it is a JSON-LD block; None for a script or style never ended."""
    kind = (found.group(1) or "").lower()
    if not kind:
        comment = _COMMENT_END.match(page, found.end())
        return (comment.end() if comment else len(page)), "", None
    code = None if kind in unended else _CODE_END[kind].match(page, found.end())
    if code is None:
        unended.add(kind)
        return None
    opening = page[found.end() : code.start(1)].lower()
    return code.end(), _INLINE, code.group(1) if "ld+json" in opening else None


def _json_text(block: str) -> str:
    """A JSON-LD block's text, ``\\uXXXX`` escapes read (what they stand for that
    trafilatura deletes, deleted)."""
    if "\\u" not in block:
        return block
    return _INVALID.sub("", _unescape_json(block))


def _glued(text: str) -> str:
    """``text`` without the character trafilatura's clean-up deletes from extracted text
    (U+2424, which it uses itself to mark line breaks)."""
    return text.replace("\u2424", "") if "\u2424" in text else text


def _block_tag(page: str) -> re.Pattern[str]:
    return _BLOCK_TAG_ANY_CASE if _CAPITAL_TAG.search(page) else _BLOCK_TAG


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
        runs = [_without(text, dropped) for text in runs]
        joined = [_without(text, dropped) for text in joined]
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
        found += [plain, _ANY_TAG.sub("", plain)]
    return [variant for variant in found if variant != text]


def _printable(text: str) -> str:
    """``text`` without the characters trafilatura removes from what it extracts."""
    return _without(text, _unprintable(text))


def _without(text: str, dropped: Sequence[str]) -> str:
    """``text`` without these characters: one ``replace`` each if they are a few (the usual
    case: a ``translate`` table looks every character of the text up, ten times slower),
    else the table."""
    if len(dropped) > _FEW:
        return text.translate(dict.fromkeys(map(ord, dropped)))
    for character in dropped:
        text = text.replace(character, "")
    return text


def _unprintable(text: str, marks: str = "") -> tuple[str, ...]:
    """The characters of ``text`` other than ``marks`` that are neither printable nor white
    space (soft hyphen, zero-width space, control characters); none in the usual case, found
    quickly."""
    common = text.replace("\n", "").replace("\t", "").replace("\r", "").replace("\xa0", "")
    common = _without(common, marks)
    if common.isprintable():  # those spaces are not printable
        return ()
    return tuple(c for c in set(common) if not c.isprintable() and not c.isspace())


def _unescape_json(text: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
