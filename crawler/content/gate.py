"""The gate: a cheap scan of a raw page that says whether its topics could keep it at all.

Most pages an outlet lists are off topic, and extracting them is the largest cost of a crawl. A
topic keeps a page (on topic or borderline) only if each of its required concepts is met: by
one of its terms, an alternative concept, a proximity rule (both of its concepts found) or a
review alternative. The scorer only finds a term whose words are tokens of the extracted title,
description or text, compared as written (lower case; case included for acronyms and quoted
terms), as lemmas, or by prefix. The gate compares the same way over the tokens of the raw
page: its text with tags removed (also without a space, so a word split by inline tags is
whole), its meta tags (the title and description extraction may take from them) and JSON-LD
(``\\uXXXX`` escapes read), entities decoded; it only asks that a term's words are all on the
page, in any order. Extraction only ever takes a subset of those tokens, so a page the gate
rejects is a page the scorer would not keep; the gate's reason names the required concepts not
found.

A word's lemma is computed for the languages of its script (Cyrillic: Russian, Ukrainian;
other letters: the rest); a lemmatiser returns a word of another script unchanged, which the
lower-case form already covers. A topic sets ``gate = false`` to have every page extracted.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from crawler.content.relevance import CompiledTopic, TermPattern, word_forms

_TOKEN = re.compile(r"\w+")
_TAG = re.compile(r"<[^>]*>")
_META = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_CODE = re.compile(
    r"<(script|style)\b(?![^>]*ld\+json)[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL
)
_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_CYRILLIC_LANGUAGES = frozenset({"ru", "uk", "be", "bg", "sr", "mk", "kk"})
_REMEMBERED_TOKENS = 100_000  # distinct words whose relevant forms a gate keeps


@dataclass(frozen=True)
class Requirement:
    """One required concept of a topic and what meets it: each option a set of concepts
    that must all be found (a concept alone, or a proximity rule's two)."""

    topic_id: str
    concept: str
    options: tuple[frozenset[str], ...]


class Gate:
    """Compiled from an outlet's topics; ``reject`` returns why a raw page cannot be kept."""

    def __init__(self, topics: Iterable[CompiledTopic]) -> None:
        self.topics = list(topics)
        self.requirements = [r for topic in self.topics for r in _requirements(topic)]
        needed = {c for r in self.requirements for option in r.options for c in option}
        self._patterns = [p for t in self.topics for p in t.patterns if p.concept in needed]
        languages = {language for topic in self.topics for language in topic.languages}
        self._cyrillic = tuple(sorted(languages & _CYRILLIC_LANGUAGES))
        self._other = tuple(sorted(languages - _CYRILLIC_LANGUAGES))
        self._words = {form for p in self._patterns for word in p.words for form in word}
        self._stems = tuple(sorted({_stem(p) for p in self._patterns if p.prefix}))
        self._relevant: dict[str, frozenset[str]] = {}  # a token's forms that terms use

    def reject(self, page: str) -> str | None:
        """None if some topic could keep the page; else why none can (for ``urls.reason``)."""
        if not self.topics:
            return None
        found = self.concepts_found(page_tokens(page))
        missing: dict[str, list[str]] = defaultdict(list)
        for requirement in self.requirements:
            if not any(option <= found for option in requirement.options):
                missing[requirement.topic_id].append(requirement.concept)
        if len(missing) < len(self.topics):
            return None
        parts = "; ".join(f"{topic}: {', '.join(names)}" for topic, names in missing.items())
        return f"gate: no term of a required concept on the page ({parts})"

    def concepts_found(self, tokens: Iterable[str]) -> set[str]:
        """The concepts with a term all of whose words are among these tokens (in any order:
        the scorer needs them in order, in one field)."""
        raw = set(tokens)
        forms: set[str] = set()
        for token in raw:
            forms |= self._relevant_forms(token)
        return {p.concept for p in self._patterns if _present(p, raw, forms)}

    def _relevant_forms(self, token: str) -> frozenset[str]:
        """The token's forms (as written, lemmas) that a term's word is, or starts with a
        prefix term's stem; remembered, since pages repeat most of their words."""
        found = self._relevant.get(token)
        if found is None:
            if len(self._relevant) >= _REMEMBERED_TOKENS:
                self._relevant.clear()
            forms = self._forms(token)
            found = (
                frozenset(f for f in forms if f in self._words or f.startswith(self._stems))
                if self._stems
                else frozenset(forms & self._words)
            )
            self._relevant[token] = found
        return found

    def _forms(self, token: str) -> frozenset[str]:
        languages = self._cyrillic if _CYRILLIC.search(token) else self._other
        return word_forms(token, languages)


def _present(pattern: TermPattern, raw: set[str], forms: set[str]) -> bool:
    """Whether each word of the pattern matches some token: as written for an acronym or a
    quoted term, by prefix for a final ``prefix*`` word, else by a form (``forms`` holds
    only the page's forms that some term can match: a handful)."""
    if pattern.as_written:
        return all(not raw.isdisjoint(word) for word in pattern.words)
    last = len(pattern.words) - 1
    for k, word in enumerate(pattern.words):
        if pattern.prefix and k == last:
            stem = _stem(pattern)
            if not any(form.startswith(stem) for form in forms):
                return False
        elif forms.isdisjoint(word):
            return False
    return True


def _stem(pattern: TermPattern) -> str:
    """A prefix term's stem: its last word, without the star."""
    return next(iter(pattern.words[-1]))


def _requirements(topic: CompiledTopic) -> list[Requirement]:
    proximity = topic.proximity
    found = []
    for concept in (c for c in topic.topic.concepts if c.required):
        names = [concept.id, *concept.alternatives, *concept.review_alternatives]
        options = tuple(
            frozenset(proximity[name].concepts) if name in proximity else frozenset({name})
            for name in names
        )
        found.append(Requirement(topic.topic.id, concept.id, options))
    return found


def page_tokens(page: str) -> set[str]:
    """Every distinct word a page's extraction could hold: of its text with tags removed (as
    a space, and as nothing: a word split by inline tags is whole there) and of its meta tags
    (title and description), entities decoded; scripts and styles left out, JSON-LD kept."""
    page = _CODE.sub(" ", page)
    if "\\u" in page:
        page = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), page)
    tokens = set(_TOKEN.findall(html.unescape(_TAG.sub(" ", page))))
    tokens.update(_TOKEN.findall(html.unescape(_TAG.sub("", page))))
    for meta in _META.findall(page):
        tokens.update(_TOKEN.findall(html.unescape(meta)))
    return tokens
