"""Topic relevance: an explainable score from weighted concepts matched in title, lead and body.

A topic (``config/topics/<id>.toml``) is a set of concepts, each a list of terms and phrases
per language. Words are compared in normalised form (``crawler.content.lemmas``: lemmas for English,
Russian and Ukrainian, stems for German), so "дезертиров", "дезертирів" and "deserters" match
the terms "дезертир", "дезертир" and "deserter". Term syntax:

* ``phrase of words`` — the words in this order, each compared by lemma or as written;
* ``prefix*`` — any word starting with the prefix (German compounds: ``Fahnenflucht*``);
* ``AWOL``, ``СОЧ`` — a term written in capitals (2-6 letters) matches only in capitals, so
  the acronym "СОЧ" does not match the word "соч";
* ``"Get Lost"`` — a term in double quotes matches its words only as written, case included:
  a name that is also an everyday phrase ("get lost", "шли лесом") is not found in its forms.

Each concept contributes ``weight × Σ_fields field_weight × (1 + ln hits)``: more hits count,
with diminishing returns, and synonyms of one concept share that budget. A proximity rule
(two concepts in one sentence: "deserters" next to "Russian army") contributes the same way,
counting the sentences where both are found (with ``before``, the second named before the
first: who gave up); a negative one subtracts. A balance rule adds its
weight once when one side is named at least as often as the other (Ukraine's army at least as
often as Russia's: Ukrainian desertion, not the topic). A concept may cap
what it adds (``max_score``): context such as "the Russian army" gates a topic but must not
carry it. A concept ``part_of`` another is a narrower set of its terms: they count as the
other's, and proximity rules can also name the narrower one (Russia's forces, not Russians at
large, next to a word for fleeing). A concept's ``sites`` name outlets whose articles count
as naming it once, in the body (a Russian domestic outlet's "the serviceman" is Russia's):
``score`` is told the outlet's domains. Exclusions subtract the same way. A text is on topic
when every ``required`` concept is found and the score reaches the threshold. Every decision
carries the hits, with a snippet each, that made it.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, NamedTuple, overload

from crawler.config.topics import Balance, Concept, Proximity, TopicConfig
from crawler.content.lemmas import lemma, lemmas

FIELDS = ("title", "lead", "body")
WORD = re.compile(r"\w+")  # a word, for the scorer and for the gate's reading of raw pages
_ACRONYM = re.compile(r"^[^\W\d_a-zа-яёіїєґ]{2,6}$")
_SNIPPET_CHARS = 80
_PREFIX_KEY = 3  # letters of a prefix term's stem it is looked up by
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")
_REMEMBERED_WORDS = 50_000  # distinct words whose candidate terms a topic keeps
# Latin letters drawn like Cyrillic ones, and those Cyrillic ones (for ``in_cyrillic``)
_LOOK_ALIKES = ("aceiopxyABCEHIKMOPTXY", "асеіорхуАВСЕНІКМОРТХУ")
_CYRILLIC_TWIN = str.maketrans(*_LOOK_ALIKES)
_TWINS_OF = frozenset(_LOOK_ALIKES[0])
_LATIN = re.compile(r"[A-Za-z]")
# a Cyrillic letter (the gate lemmatises a word with one in the Cyrillic languages)
CYRILLIC = re.compile(r"[\u0400-\u04ff]")


class Token(NamedTuple):
    """A word of a text (a named tuple: texts have thousands, made quickly)."""

    raw: str
    forms: frozenset[str]
    start: int
    end: int


@dataclass(frozen=True)
class Match:
    """Where a concept matched in a sentence: tokens ``start`` to ``end`` (exclusive)."""

    names: tuple[str, ...]  # the term's concept, and the narrower one it is part of, if any
    start: int
    end: int
    token: Token

    def distance(self, other: Match) -> int:
        """Tokens between two matches (0: adjacent)."""
        return other.start - self.end if other.start >= self.end else self.start - other.end


@dataclass(frozen=True)
class TermPattern:
    """One compiled term: a sequence of word matchers."""

    text: str
    concept: str  # what it counts as
    words: tuple[frozenset[str], ...]
    as_written: bool = False  # an acronym or a "quoted" term: words compared case included
    prefix: bool = False
    narrower: str | None = None  # the concept that is ``part_of`` ``concept`` it was listed in

    @property
    def names(self) -> tuple[str, ...]:
        """The concepts a match of the term is a match of."""
        return (self.concept,) if self.narrower is None else (self.concept, self.narrower)

    @property
    def stem(self) -> str:
        """A prefix term's stem: its last word, without the star."""
        return next(iter(self.words[-1]))

    def matches_at(self, tokens: Tokens, index: int) -> bool:
        if index + len(self.words) > len(tokens):
            return False
        return all(self.word_matches(*tokens.word(index + k), k) for k in range(len(self.words)))

    def word_matches(self, raw: str, forms: frozenset[str], k: int) -> bool:
        """Whether a word (as written, and its forms) can be this term's ``k``th word."""
        if self.as_written:
            return raw in self.words[k]
        if self.prefix and k == len(self.words) - 1:
            stem = self.stem
            return any(form.startswith(stem) for form in forms)
        return not forms.isdisjoint(self.words[k])


@dataclass(frozen=True)
class TermHit:
    term: str
    concept: str
    field: str
    count: int
    snippet: str
    # "proximity": two concepts in one sentence; "balance": one side named more; "context":
    # the outlet's site (the term names it, the snippet is the domain)
    kind: str = "term"


@dataclass(frozen=True)
class Relevance:
    """A topic decision and everything that explains it."""

    topic_id: str
    score: float
    threshold: float
    on_topic: bool
    reason: str
    hits: tuple[TermHit, ...]
    concept_scores: dict[str, float]
    borderline: bool = False  # not on topic, but near enough to keep for an analyst's review
    review_band: float = 0.0  # the topic's: how far below the threshold borderline reaches

    @property
    def verdict(self) -> str:
        """``on_topic``, ``borderline`` or ``off_topic``."""
        return "on_topic" if self.on_topic else "borderline" if self.borderline else "off_topic"

    @property
    def matched_terms(self) -> list[str]:
        """Distinct terms that matched, positive concepts first, in order of first match
        (proximity and balance evidence is in ``hits``, not here)."""
        return list(dict.fromkeys(hit.term for hit in self.hits if hit.kind == "term"))

    def details(self) -> dict[str, Any]:
        """A JSON-ready account of the decision (stored as ``relevance_details``)."""
        return {
            "topic_id": self.topic_id,
            "score": self.score,
            "threshold": self.threshold,
            "on_topic": self.on_topic,
            "borderline": self.borderline,
            "review_band": self.review_band,
            "reason": self.reason,
            "concepts": self.concept_scores,
            "hits": [hit.__dict__ for hit in self.hits],
        }


class CompiledTopic:
    """A topic config turned into matchers; ``score`` is cheap to call per article."""

    def __init__(self, topic: TopicConfig) -> None:
        self.topic = topic
        self.languages = sorted({lang for c in _all_concepts(topic) for lang in c.terms})
        self.concepts = {c.id: c for c in _all_concepts(topic)}
        self.excluded = {c.id for c in topic.exclusions}
        self.proximity = {rule.id: rule for rule in topic.proximity}
        self.balance = {rule.id: rule for rule in topic.balance}
        self.patterns = [p for c in _all_concepts(topic) for p in _compile_concept(c)]
        self._sites = [(site, c.part_of or c.id) for c in _all_concepts(topic) for site in c.sites]
        # of two terms as long that match at one place, the one listed first wins: a word's
        # candidates are kept in this order (they are found through sets, whose order changes
        # from one process to the next)
        self._rank = {id(pattern): rank for rank, pattern in enumerate(self.patterns)}
        self._candidates: dict[tuple[str, tuple[str, ...]], tuple[TermPattern, ...]] = {}
        self._by_first_word: dict[str, list[TermPattern]] = defaultdict(list)
        # one-word prefix terms by their stem's first letters; shorter stems are always tried
        self._by_prefix: dict[str, list[TermPattern]] = defaultdict(list)
        self._short_prefixes: list[TermPattern] = []
        for pattern in self.patterns:
            if pattern.prefix and len(pattern.words) == 1:
                self._file_prefix(pattern)
            else:
                for form in pattern.words[0]:
                    self._by_first_word[form].append(pattern)

    def _file_prefix(self, pattern: TermPattern) -> None:
        stem = pattern.stem
        if len(stem) < _PREFIX_KEY:
            self._short_prefixes.append(pattern)
        else:
            self._by_prefix[stem[:_PREFIX_KEY]].append(pattern)

    def score(
        self, title: str, lead: str, body: str, language: str | None, sites: Sequence[str] = ()
    ) -> Relevance:
        """Score one text; ``language`` picks the lemmatizer (None: every topic language);
        ``sites`` are the domains of the outlet that published it."""
        languages = [language] if language in self.languages else self.languages
        fields = {"title": title, "lead": lead, "body": body}
        hits = [hit for name in FIELDS for hit in self._field_hits(name, fields[name], languages)]
        hits += self.context(sites)
        return self._decide(hits + self._balance_hits(hits))

    def context(self, sites: Sequence[str]) -> list[TermHit]:
        """A hit for each concept whose ``sites`` hold one of these domains (an outlet's), or a
        domain they end in: the concept counts as named once in the body."""
        hits: dict[str, TermHit] = {}
        domains = [_ascii_domain(domain) for domain in sites]
        for site, concept in self._sites:
            for domain in domains:
                if domain == site or domain.endswith(f".{site}"):
                    term = f"outlet under {site}"
                    hits.setdefault(concept, TermHit(term, concept, "body", 1, domain, "context"))
        return list(hits.values())

    def _field_hits(self, field: str, text: str, languages: list[str]) -> list[TermHit]:
        tokens = Tokens(text, tuple(languages))
        starting = {word for word in set(tokens.words) if self._starting(word, tokens.languages)}
        if not starting:  # most texts' words start few terms, or none
            return []
        counts: dict[TermPattern, int] = defaultdict(int)
        first: dict[TermPattern, Token] = {}
        sentences = _sentence_starts(text)
        found: dict[int, list[Match]] = defaultdict(list)  # sentence -> its matches
        end = 0
        for index in [k for k, word in enumerate(tokens.words) if word in starting]:
            if index < end:
                continue  # inside the term matched before
            pattern = self._longest_match(tokens, index)
            if pattern is None:
                continue
            counts[pattern] += 1
            first.setdefault(pattern, tokens[index])
            sentence = bisect.bisect_right(sentences, tokens[index].start)
            end = index + len(pattern.words)
            found[sentence].append(Match(pattern.names, index, end, tokens[index]))
        hits = [
            TermHit(p.text, p.concept, field, n, _snippet(text, first[p]))
            for p, n in counts.items()
        ]
        return hits + self._proximity_hits(field, text, found)

    def _proximity_hits(
        self, field: str, text: str, found: dict[int, list[Match]]
    ) -> list[TermHit]:
        """One hit per proximity rule whose two concepts share a sentence (and, if the rule
        names rivals, whose second concept is the nearer to the first), counting those
        sentences; the snippet shows the first."""
        hits = []
        for rule in self.proximity.values():
            shared = [
                match for matches in found.values() if (match := _pair(matches, rule)) is not None
            ]
            if shared:
                a, b = rule.concepts
                term = f"{a} + {b} in one sentence"
                snippet = _snippet(text, shared[0].token)
                hits.append(TermHit(term, rule.id, field, len(shared), snippet, "proximity"))
        return hits

    def _balance_hits(self, hits: list[TermHit]) -> list[TermHit]:
        """One hit per balance rule that applies (``_tips``); the snippet shows the first
        ``more`` match."""
        found = []
        for rule in self.balance.values():
            named, than = _count(hits, "term", rule.more), _count(hits, "term", rule.than)
            if _tips(rule, named, than, hits):
                first = next(h for h in hits if h.kind == "term" and h.concept in rule.more)
                sides = f"{'/'.join(rule.more)} named {named}x, {'/'.join(rule.than)} {than}x"
                found.append(TermHit(sides, rule.id, first.field, 1, first.snippet, "balance"))
        return found

    def _longest_match(self, tokens: Tokens, index: int) -> TermPattern | None:
        """The longest term that matches here; of two as long, the one with the longer prefix
        (``_prefix_length``), then the one listed first."""
        candidates = self._starting(tokens.words[index], tokens.languages)
        matching = [p for p in candidates if p.matches_at(tokens, index)]
        return max(matching, key=lambda p: (len(p.words), _prefix_length(p)), default=None)

    def _starting(self, word: str, languages: tuple[str, ...]) -> tuple[TermPattern, ...]:
        """The terms that can start at this word (remembered per word: texts repeat their
        words, and most words start no term)."""
        key = (word, languages)
        candidates = self._candidates.get(key)
        if candidates is None:
            if len(self._candidates) >= _REMEMBERED_WORDS:
                self._candidates.clear()
            candidates = self._candidates[key] = self._candidates_for(word, languages)
        return candidates

    def _candidates_for(self, word: str, languages: tuple[str, ...]) -> tuple[TermPattern, ...]:
        forms = word_forms(word, languages)
        found = [p for form in forms for p in self._by_first_word.get(form, ())]
        found += self._by_first_word.get(word, [])
        found += [p for form in forms for p in self._by_prefix.get(form[:_PREFIX_KEY], ())]
        unique = {id(p): p for p in found + self._short_prefixes}  # a term found by two forms
        return tuple(sorted(unique.values(), key=lambda p: self._rank[id(p)]))

    def _decide(self, hits: list[TermHit]) -> Relevance:
        concept_scores = self._concept_scores(hits)
        score = round(sum(concept_scores.values()), 3)
        rounded = {name: round(value, 3) for name, value in concept_scores.items()}
        found = {name for name, value in concept_scores.items() if value > 0}
        missing, for_review = self._requirements(found)
        threshold, band = self.topic.threshold, self.topic.review_band
        on_topic = not missing and not for_review and score >= threshold
        borderline = not missing and not on_topic and score >= threshold - band
        verdict = "on topic" if on_topic else "borderline" if borderline else "off topic"
        reason = f"{verdict}: {self._because(score, missing, for_review)} ({_parts(rounded)})"
        ordered = tuple(
            sorted(hits, key=lambda h: (h.concept in self.excluded, FIELDS.index(h.field)))
        )
        return Relevance(
            self.topic.id, score, threshold, on_topic, reason, ordered, rounded, borderline, band
        )

    def _concept_scores(self, hits: list[TermHit]) -> dict[str, float]:
        """Each concept's, proximity rule's and balance rule's share of the score."""
        weights = self.topic.field_weights.model_dump()
        per_field: dict[tuple[str, str], int] = defaultdict(int)
        scores: dict[str, float] = defaultdict(float)
        for hit in hits:
            if hit.kind == "balance":
                scores[hit.concept] += self.balance[hit.concept].weight
            else:
                per_field[(hit.concept, hit.field)] += hit.count
        for (concept, field), count in per_field.items():
            sign = -1.0 if concept in self.excluded else 1.0
            scores[concept] += sign * self._weight(concept) * weights[field] * (1 + math.log(count))
        for concept, value in scores.items():
            cap = self.concepts[concept].max_score if concept in self.concepts else None
            if cap is not None:
                scores[concept] = max(-cap, min(cap, value))
        return scores

    def _requirements(self, found: set[str]) -> tuple[list[str], dict[str, list[str]]]:
        """Required concepts not found at all, and those met only by a review alternative,
        with the ones that met them (the article can be no more than borderline)."""
        missing, for_review = [], {}
        for concept in (c for c in self.topic.concepts if c.required):
            if found & {concept.id, *concept.alternatives}:
                continue
            if by := [name for name in concept.review_alternatives if name in found]:
                for_review[concept.id] = by
            else:
                missing.append(concept.id)
        return missing, for_review

    def _weight(self, concept: str) -> float:
        if concept in self.proximity:
            return self.proximity[concept].weight
        weight = self.concepts[concept].weight
        assert weight is not None, concept  # a part_of concept's hits count as its whole's
        return weight

    def _because(self, score: float, missing: list[str], for_review: dict[str, list[str]]) -> str:
        if missing:
            return f"required concept(s) {', '.join(missing)} not found"
        threshold, band = self.topic.threshold, self.topic.review_band
        if for_review:
            met = ", ".join(f"{c} ({', '.join(by)})" for c, by in for_review.items())
            return (
                f"required concept(s) met only by a review alternative: {met}; "
                f"score {score:.1f}, review band from {threshold - band:.1f}"
            )
        if score >= threshold:
            return f"score {score:.1f} >= threshold {threshold:.1f}"
        if band and score >= threshold - band:
            return f"score {score:.1f} < threshold {threshold:.1f}, in the review band of {band:g}"
        return f"score {score:.1f} < threshold {threshold:.1f}"


def _ascii_domain(domain: str) -> str:
    """A domain as DNS compares it: lower case, no final dot, and in its ASCII form ("мвд.рф"
    is "xn--b1aew.xn--p1ai"); as given if it has no such form."""
    name = domain.lower().rstrip(".")
    try:
        return name.encode("idna").decode("ascii")
    except UnicodeError:
        return name


def _parts(concepts: dict[str, float]) -> str:
    return ", ".join(f"{name} {value:+.1f}" for name, value in concepts.items()) or "none"


class Tokens(Sequence[Token]):
    """A text's words, each made a token (with the forms it can match: as written, lower
    case, and its lemmas) only when asked for: most words start no term, so their forms are
    never needed."""

    def __init__(self, text: str, languages: tuple[str, ...]) -> None:
        self.words: list[str] = WORD.findall(text)
        self.languages = languages
        self._text = text
        self._found: list[re.Match[str]] | None = None  # where each word is, once asked

    def __len__(self) -> int:
        return len(self.words)

    def word(self, index: int) -> tuple[str, frozenset[str]]:
        """The word at ``index`` as written, and its forms: what matching a term needs, found
        without making a token (most words tried are no term's, and need no place)."""
        word = self.words[index]
        return word, word_forms(word, self.languages)

    @overload
    def __getitem__(self, index: int) -> Token: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Token]: ...
    def __getitem__(self, index: int | slice) -> Token | Sequence[Token]:
        if isinstance(index, slice):
            return [self[k] for k in range(len(self))[index]]
        if self._found is None:
            self._found = list(WORD.finditer(self._text))
        word, place = self.words[index], self._found[index]
        return Token(word, word_forms(word, self.languages), place.start(), place.end())


def tokenize(text: str, languages: list[str]) -> list[Token]:
    """Words of a text with the forms they can match: as written (lower-cased) and lemmas."""
    return list(Tokens(text, tuple(languages)))


def compiled_topic(topic: TopicConfig) -> CompiledTopic:
    """The topic compiled, once per process for each version of its config (compiling the
    shipped topic lemmatises its terms: about 0.1 s of CPU). A crawl's gate and the writer's
    judge start from it, and newsmon's warm worker compiles a crawl's topics before it forks
    the crawl, so that a daemon pays for it once, not in every poll."""
    return _compiled(topic.model_dump_json())


@lru_cache(maxsize=8)
def _compiled(topic_json: str) -> CompiledTopic:
    return CompiledTopic(TopicConfig.model_validate_json(topic_json))


@lru_cache(maxsize=50_000)
def word_forms(word: str, languages: tuple[str, ...]) -> frozenset[str]:
    """The forms a word is compared in: as written (lower-cased) and its lemmas in each
    language (remembered: texts repeat their words), read in Cyrillic if it is written in
    Cyrillic with Latin look-alikes (``in_cyrillic``). A term's word is compared in its
    likeliest lemma only, a text's word in each of its likely ones."""
    word = in_cyrillic(word)
    return frozenset({word.lower(), *(f for language in languages for f in lemmas(word, language))})


def in_cyrillic(word: str) -> str:
    """The word with its Latin letters made Cyrillic, if it has Cyrillic letters and each of
    its Latin ones is drawn like a Cyrillic letter: a page that disguises its words
    ("дeзeртирiв" with Latin e and i) or a slip of the keyboard. Else the word as it is (an
    English word with one Cyrillic letter in it keeps its Latin ones)."""
    if word.isascii():  # most words a gate learns: no Cyrillic letter to read them by
        return word
    latin = set(_LATIN.findall(word))
    if not latin or not latin <= _TWINS_OF or not CYRILLIC.search(word):
        return word
    return word.translate(_CYRILLIC_TWIN)


def _all_concepts(topic: TopicConfig) -> list[Concept]:
    return [*topic.concepts, *topic.exclusions]


def _compile_concept(concept: Concept) -> list[TermPattern]:
    """Its terms; those of a concept that is ``part_of`` another count as the other's."""
    counts_as = concept.part_of or concept.id
    narrower = concept.id if concept.part_of else None
    return [
        replace(_compile_term(term, counts_as, language), narrower=narrower)
        for language, terms in concept.terms.items()
        for term in terms
    ]


def _compile_term(term: str, concept: str, language: str) -> TermPattern:
    text = term.strip()
    if _ACRONYM.match(text):
        return TermPattern(text, concept, (frozenset({text}),), as_written=True)
    if len(text) > 2 and text[0] == text[-1] == '"':
        words = WORD.findall(text[1:-1])
        return TermPattern(text, concept, tuple(frozenset({w}) for w in words), as_written=True)
    prefix = text.endswith("*")
    words = WORD.findall(text.rstrip("*"))
    matchers = [frozenset({word.lower(), lemma(word, language)}) for word in words]
    if prefix:
        matchers[-1] = frozenset({words[-1].lower()})
    return TermPattern(text, concept, tuple(matchers), prefix=prefix)


def _prefix_length(pattern: TermPattern) -> int:
    """A prefix term's stem length, 0 for other terms: of two terms that match one word, a
    prefix is the narrower ("Verweigerer*" rather than "verweigern", whose stem "verweig" the
    word "Verweigerer" has), and a longer prefix more so ("Kampfjet*" rather than "Kampf*")."""
    return len(pattern.stem) if pattern.prefix else 0


def _pair(matches: list[Match], rule: Proximity) -> Match | None:
    """The first match of the rule's first concept in a sentence that also has its second,
    nearer to it than any match of a rival concept (ties go to the rival); with ``before``,
    only matches before it count. None if there is none."""
    a, b = rule.concepts
    if all(b not in m.names for m in matches):
        return None
    for match in (m for m in matches if a in m.names):
        around = [m for m in matches if m.end <= match.start] if rule.before else matches
        partners = [m.distance(match) for m in around if b in m.names]
        if not partners:
            continue
        nearest = min(partners)
        rivals = (m for m in around if not set(m.names).isdisjoint(rule.unless_nearer))
        if all(nearest < rival.distance(match) for rival in rivals):
            return match
    return None


def _tips(rule: Balance, named: int, than: int, hits: list[TermHit]) -> bool:
    """Whether a balance rule applies: its ``more`` side named at least once and more often
    than its ``than`` side (or as often, with ``ties``), unless its ``unless_more`` proximity
    rules matched in more sentences than its ``unless_than`` ones."""
    if named == 0 or named < than or (named == than and not rule.ties):
        return False
    acts = _count(hits, "proximity", rule.unless_more)
    return acts == 0 or acts <= _count(hits, "proximity", rule.unless_than)


def _count(hits: list[TermHit], kind: str, names: list[str]) -> int:
    """How many matches (sentences, for proximity rules) the hits of this kind under these
    names have."""
    return sum(hit.count for hit in hits if hit.kind == kind and hit.concept in names)


def _sentence_starts(text: str) -> list[int]:
    """Offsets where the text's second, third… sentences start (paragraph breaks end one)."""
    return [match.end() for match in _SENTENCE_END.finditer(text)]


def _snippet(text: str, token: Token) -> str:
    start = max(0, token.start - _SNIPPET_CHARS)
    end = min(len(text), token.end + _SNIPPET_CHARS)
    prefix = "…" if start else ""
    suffix = "…" if end < len(text) else ""
    return prefix + " ".join(text[start:end].split()) + suffix
