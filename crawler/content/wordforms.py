"""Every form of a Russian or Ukrainian word, for full-text search.

The store's full-text index holds words as written, so "Дезертиры" would not find
"дезертиров". ``expand_query`` rewrites an FTS5 query so that each plain Cyrillic word
matches any form of it: ``Дезертиры суд`` becomes ``(дезертир OR дезертира OR … OR
дезертиры) (суд OR суда OR …)``, with the forms from pymorphy3's dictionaries (both
languages: a form is kept if either knows it). Phrases in double quotes, prefixes
(``дезертир*``), operators and column filters are left as they are.
"""

from __future__ import annotations

import re
from functools import cache

import pymorphy3

_PIECE = re.compile(r'"[^"]*"?|\w+\*?|[^\w"]+')
_CYRILLIC = re.compile(r"^[а-яёіїєґ'ʼ-]+$", re.IGNORECASE)
_OPERATORS = {"AND", "OR", "NOT", "NEAR"}
_LANGUAGES = ("ru", "uk")
MAX_FORMS = 60  # a word with more forms than this is searched as written


@cache
def _analyser(language: str) -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer(lang=language)


@cache
def forms_of(word: str) -> tuple[str, ...]:
    """The word's dictionary forms in Russian and Ukrainian (lower case, sorted), the word
    itself included: the forms of its normal forms in both languages, so that a Russian
    query also finds the Ukrainian forms of the same word; just the word if neither
    dictionary knows it."""
    lowered = word.lower()
    normal = {p.normal_form for language in _LANGUAGES for p in _known(language, lowered)}
    forms = {lowered}
    for language in _LANGUAGES:
        for lemma in normal:
            forms.update(f.word for p in _known(language, lemma) for f in p.lexeme)
    return tuple(sorted(forms))


def _known(language: str, word: str) -> list[pymorphy3.analyzer.Parse]:
    return [parse for parse in _analyser(language).parse(word) if parse.is_known]


def expand_query(query: str) -> str:
    """The FTS5 query with each plain Cyrillic word replaced by all its forms."""
    pieces = _PIECE.findall(query)
    expanded = []
    for index, piece in enumerate(pieces):
        after_column = index > 0 and pieces[index - 1].rstrip().endswith(":")
        if after_column or piece in _OPERATORS or not _CYRILLIC.match(piece):
            expanded.append(piece)
            continue
        forms = forms_of(piece)
        if len(forms) == 1 or len(forms) > MAX_FORMS:
            expanded.append(piece)
        else:
            expanded.append("(" + " OR ".join(f'"{form}"' for form in forms) + ")")
    return "".join(expanded)
