"""The gate: a cheap scan of a raw page that says whether its topics could keep it at all.

Most pages an outlet lists are off topic, and extracting them is the largest cost of a crawl. A
topic keeps a page (on topic or borderline) only if each of its required concepts is met: by
one of its terms, an alternative concept, a proximity rule (both of its concepts found) or a
review alternative (a concept whose ``sites`` hold the outlet's domain is met on every page
of the outlet). The scorer only finds a term whose words are consecutive tokens of the
extracted title, description or text, compared as written (lower case; case included for
acronyms and quoted terms), as lemmas, or by prefix. The gate compares the same way, in two
steps (``crawler.content.rawtext`` reads the page for both):

1. over every word of the raw page, in any order: a required concept none of whose terms has
   all its words on the page cannot be met;
2. only if the required concepts are then met through a phrase: over the words extraction
   could put next to each other, asking that a phrase's words can follow one another; read
   first without a parse (every tag a break, looser), then, for the few pages that reading
   lets through, as parsed.

Extraction only ever keeps whole pieces of a page's text and joins them, so a page the gate
rejects is a page the scorer would not keep; the gate's reason names the required concepts not
found (and the phrases whose words are on the page, but apart).

A word's lemma is computed for the languages of its script (Cyrillic: Russian, Ukrainian;
other letters: the rest); a lemmatiser returns a word of another script unchanged, which the
lower-case form already covers. A topic sets ``gate = false`` to have every page extracted.

``reject_extracted`` asks the same of an extracted article's scoring fields (a crawl sends the
raw HTML of only the articles some topic could keep to a store that keeps no other).
"""

from __future__ import annotations

import hashlib
import sys
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence, Set
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from crawler.content.lemmas import analyser_versions
from crawler.content.rawtext import APART, BREAK, PageText, page_runs, page_text, page_tokens
from crawler.content.relevance import CYRILLIC, WORD, CompiledTopic, TermPattern, word_forms

_CYRILLIC_LANGUAGES = frozenset({"ru", "uk", "be", "bg", "sr", "mk", "kk"})
# the modules whose code decides a word's relevant forms (a gate's fingerprint covers them)
_CODE = ("crawler.content.gate", "crawler.content.relevance", "crawler.content.lemmas")
_REMEMBERED_TOKENS = 300_000  # distinct words a gate remembers having seen (~30 MB)


@dataclass(frozen=True)
class Requirement:
    """One required concept of a topic and what meets it: each option a set of concepts
    that must all be found (a concept alone, or a proximity rule's two)."""

    topic_id: str
    concept: str
    options: tuple[frozenset[str], ...]


@dataclass(frozen=True)
class GateWords:
    """What a gate has learnt about words: every word it has seen, and the relevant ones
    (a term's word as written, or with forms that terms use) with those forms."""

    seen: frozenset[str]
    relevant: dict[str, frozenset[str]]


class Gate:
    """Compiled from an outlet's topics; ``reject`` returns why a raw page cannot be kept."""

    def __init__(self, topics: Iterable[CompiledTopic], sites: Sequence[str] = ()) -> None:
        """A gate for an outlet with these domains (``sites``) and topics."""
        self.topics = list(topics)
        # concepts the outlet's site names on every page (the scorer's "context" hits)
        self._context = {hit.concept for topic in self.topics for hit in topic.context(sites)}
        self.requirements = [r for topic in self.topics for r in _requirements(topic)]
        needed = {c for r in self.requirements for option in r.options for c in option}
        self._patterns = [
            p for t in self.topics for p in t.patterns if not needed.isdisjoint(p.names)
        ]
        self._first_words = FirstWords.of(self._patterns)
        languages = {language for topic in self.topics for language in topic.languages}
        self._cyrillic = tuple(sorted(languages & _CYRILLIC_LANGUAGES))
        self._other = tuple(sorted(languages - _CYRILLIC_LANGUAGES))
        self._words = {form for p in self._patterns for word in p.words for form in word}
        self._written = {
            w for p in self._patterns if p.as_written for word in p.words for w in word
        }
        self._stems = tuple(sorted({p.stem for p in self._patterns if p.prefix}))
        # what it has learnt (GateWords), since pages repeat most of their words
        self._seen: set[str] = set()
        self._relevant: dict[str, frozenset[str]] = {}

    @cached_property
    def fingerprint(self) -> str:
        """Names all that decides which forms of a word are relevant: the terms' words,
        stems and words taken as written, the languages, the analysers' versions, Python's
        (its Unicode tables lower-case words) and the code that normalises and compares.
        Words learnt by a gate hold for a gate of the same fingerprint."""
        digest = hashlib.sha256(repr((sys.version, analyser_versions())).encode())
        for part in (self._words, self._written, self._stems, self._cyrillic, self._other):
            digest.update(repr(sorted(part)).encode())
        for module in _CODE:
            digest.update(_source_of(module))
        return digest.hexdigest()[:20]

    @property
    def words_seen(self) -> int:
        return len(self._seen)

    def learnt(self) -> GateWords:
        return GateWords(frozenset(self._seen), dict(self._relevant))

    def learn(self, words: GateWords) -> None:
        """Take words another gate of the same ``fingerprint`` learnt (the caller checks)."""
        if len(self._seen) + len(words.seen) <= _REMEMBERED_TOKENS:
            self._relevant.update((t, f) for t, f in words.relevant.items() if t in words.seen)
            self._seen |= words.seen

    def reject(self, page: str) -> str | None:
        """None if some topic could keep the page; else why none can (for ``urls.reason``)."""
        readings = (reading(page) for reading in (page_runs, page_text))
        return self._reject(page_tokens(page), readings)

    def reject_extracted(self, fields: Sequence[str]) -> str | None:
        """The same for an extracted article, from the fields the scorer reads (title, lead,
        body): their words, in order, a phrase's words only side by side in one field."""
        words = tuple(w for field in fields for w in (*WORD.findall(field), APART))
        text = PageText(words, words)  # extraction has decided what stands next to what
        return self._reject(text.tokens(), iter([text]))

    def _reject(self, raw: set[str], readings: Iterator[PageText | None]) -> str | None:
        """Why no topic can keep a text with these words (``raw``, in any order) and, read
        closer, these runs (``readings``, each asked for only if the one before lets the
        text through), or None."""
        if not self.topics:
            return None
        forms = set().union(*self._relevant_among(raw).values())
        candidates = self._first_words.candidates(raw, forms)
        present = [p for p in candidates if _present(p, raw, forms)]
        missing = self._missing({name for p in present for name in p.names} | self._context)
        if missing:
            return f"gate: no term of a required concept on the page ({missing})"
        return self._apart(present, readings)

    def _apart(self, present: list[TermPattern], readings: Iterator[PageText | None]) -> str | None:
        """Why no topic can keep the text when its phrases are read closer (their words must
        be able to stand together in what extraction takes), or None: for a page, read
        without a parse first, then, for the pages that reading lets through, as parsed."""
        by_words = {name for p in present if len(p.words) == 1 for name in p.names}
        by_words |= self._context
        if not self._missing(by_words):
            return None  # met by single words
        phrases = [p for p in present if len(p.words) > 1]
        for text in readings:
            if text is None:
                return None  # unreadable: extraction decides
            after = Neighbours.of(text, self._relevant_among(text.tokens()).keys())
            together = [p for p in phrases if self._together(p, after)]
            found = by_words | {name for p in together for name in p.names}
            if missing := self._missing(found):
                apart = [p.text for p in phrases if p not in together]
                return (
                    f"gate: no term of a required concept on the page ({missing}); the words "
                    f"of {_listed(apart)} are on it, but never next to each other"
                )
        return None

    def _missing(self, found: set[str]) -> str:
        """The required concepts each topic lacks (``topic: a, b; other: c``), or "" if some
        topic has them all."""
        missing: dict[str, list[str]] = defaultdict(list)
        for requirement in self.requirements:
            if not any(option <= found for option in requirement.options):
                missing[requirement.topic_id].append(requirement.concept)
        if len(missing) < len(self.topics):
            return ""
        return "; ".join(f"{topic}: {', '.join(names)}" for topic, names in missing.items())

    def _together(self, pattern: TermPattern, after: Neighbours) -> bool:
        """Whether extraction could put the pattern's words next to each other: a chain of
        words, each matching the pattern's next word and able to follow the one before."""
        chain = {t for t in after.relevant if self._matches(pattern, 0, t)}
        for k in range(1, len(pattern.words)):
            chain = {b for a in chain for b in after.following(a) if self._matches(pattern, k, b)}
            if not chain:
                return False
        return True

    def _matches(self, pattern: TermPattern, k: int, token: str) -> bool:
        """Whether the token can be the pattern's ``k``th word."""
        return pattern.word_matches(token, self._relevant[token], k)

    def _relevant_among(self, tokens: set[str]) -> dict[str, frozenset[str]]:
        """The relevant tokens among these, with their forms that terms use."""
        new = tokens - self._seen
        if len(self._seen) + len(new) > _REMEMBERED_TOKENS:
            self._seen.clear()
            self._relevant.clear()
            new = tokens
        for token in new:
            forms = self._relevant_forms(token)
            if forms or token in self._written:
                self._relevant[token] = forms
        self._seen |= new
        return {token: self._relevant[token] for token in tokens & self._relevant.keys()}

    def _relevant_forms(self, token: str) -> frozenset[str]:
        """The token's forms (as written, lemmas) that a term's word is, or that start with
        a prefix term's stem."""
        forms = self._forms(token)
        if self._stems:
            return frozenset(f for f in forms if f in self._words or f.startswith(self._stems))
        return frozenset(forms & self._words)

    def _forms(self, token: str) -> frozenset[str]:
        languages = self._cyrillic if CYRILLIC.search(token) else self._other
        return word_forms(token, languages)


@dataclass(frozen=True)
class FirstWords:
    """Patterns by what can be their first word, so that a page's present patterns are
    looked for among the few its words can start (in the order given)."""

    patterns: tuple[TermPattern, ...]
    written: dict[str, list[int]]  # acronyms and quoted terms: by their first word's spellings
    forms: dict[str, list[int]]  # the others: by their first word's forms
    prefixed: tuple[int, ...]  # one-word prefix terms: any form may start with their stem

    @classmethod
    def of(cls, patterns: Iterable[TermPattern]) -> FirstWords:
        written: dict[str, list[int]] = defaultdict(list)
        forms: dict[str, list[int]] = defaultdict(list)
        prefixed = []
        ordered = tuple(patterns)
        for index, pattern in enumerate(ordered):
            if pattern.prefix and len(pattern.words) == 1 and not pattern.as_written:
                prefixed.append(index)
                continue
            for word in pattern.words[0]:
                (written if pattern.as_written else forms)[word].append(index)
        return cls(ordered, dict(written), dict(forms), tuple(prefixed))

    def candidates(self, raw: Set[str], forms: Set[str]) -> list[TermPattern]:
        """The patterns whose first word the page's words (``raw``) or their relevant
        forms (``forms``) can be."""
        found = set(self.prefixed)
        for words, index in ((raw, self.written), (forms, self.forms)):
            for word in index.keys() & words:
                found.update(index[word])
        return [self.patterns[k] for k in sorted(found)]


@dataclass(frozen=True)
class Neighbours:
    """A page's relevant words and which can follow which in extracted text: side by side in
    a run, or the first ending a text piece and the second starting one."""

    relevant: frozenset[str]
    follows: dict[str, set[str]]
    ends: frozenset[str]
    starts: frozenset[str]

    @classmethod
    def of(cls, text: PageText, relevant: Set[str]) -> Neighbours:
        follows: dict[str, set[str]] = defaultdict(set)
        joined_only = relevant - set(text.pieces)  # a word split by tags: anywhere
        ends, starts = set(joined_only), set(joined_only)
        for run in (text.pieces, text.joined):
            for k in [k for k, token in enumerate(run) if token in relevant]:
                after = run[k + 1] if k + 1 < len(run) else BREAK
                if after in relevant:
                    follows[run[k]].add(after)
                if after == BREAK:
                    ends.add(run[k])
                if k == 0 or run[k - 1] == BREAK:
                    starts.add(run[k])
        return cls(frozenset(relevant), follows, frozenset(ends), frozenset(starts))

    def following(self, token: str) -> set[str]:
        after = self.follows.get(token, set())
        return after | self.starts if token in self.ends else after


def _present(pattern: TermPattern, raw: set[str], forms: set[str]) -> bool:
    """Whether each word of the pattern matches some token: as written for an acronym or a
    quoted term, by prefix for a final ``prefix*`` word, else by a form (``forms`` holds
    only the page's forms that some term can match: a handful)."""
    if pattern.as_written:
        return all(not raw.isdisjoint(word) for word in pattern.words)
    last = len(pattern.words) - 1
    for k, word in enumerate(pattern.words):
        if pattern.prefix and k == last:
            stem = pattern.stem
            if not any(form.startswith(stem) for form in forms):
                return False
        elif forms.isdisjoint(word):
            return False
    return True


def _source_of(module: str) -> bytes:
    """A module's code; where its file cannot be read, a value no other process has (so no
    words are shared with a gate whose code may differ)."""
    try:
        return Path(str(sys.modules[module].__file__)).read_bytes()
    except OSError:
        return uuid.uuid4().bytes


def _listed(terms: list[str], most: int = 3) -> str:
    shown = ", ".join(repr(term) for term in terms[:most])
    return shown + (f" and {len(terms) - most} more" if len(terms) > most else "")


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
