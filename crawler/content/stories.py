"""Stories: reports of one event, in different words and languages, grouped together.

An event is told with the same particulars: the people, places and organisations named, the
figures given ("at least 170 men"). Two reports of different events on the same subject (two
desertion trials) share the subject's vocabulary but not its particulars. So an article's
story terms are of three kinds, each a plain string so that the store can index them:

* ``e:`` names: capitalised words inside a sentence, transliterated to Latin and cut to
  their first five letters, so that "Verstka", "Вёрстка" and "Вёрстки" are one term;
* ``n:`` figures: numbers of two digits or more, years left out;
* ``w:`` words: longer lower-case words cut to six letters (crude stems), which only match
  within one language.

Two articles are compared by the cosine of their term sets, each term weighted by its rarity
in the store (inverse document frequency) and by its kind; across languages only names and
figures count (and the threshold is lower: there are fewer terms to share). Two reports
match when the cosine reaches the threshold *and* the rare names
and figures they share (the particulars: in at most a fifth of the store) add up to
``MIN_EVIDENCE`` points: a name is worth one, a figure of three digits or more three (a round
one like 900 only one), a smaller figure half. That is what keeps two trials in one town
apart: they share the town and the charge, not the defendant or the figures. An article
joins the story of its best match only if it also matches at least ``STORY_LINK_SHARE`` of
that story's candidate reports, so a story does not grow by a chain of reports each like the
last (measured by ``bench/dedup.py`` on labelled real reports). The topic's
``story_common_names`` (Russia, Moscow, the Defence Ministry...) are never particulars.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass

NAME, FIGURE, WORD = "e:", "n:", "w:"
NAME_OR_FIGURE = (NAME, FIGURE)
KIND_WEIGHT = {NAME: 2.0, FIGURE: 2.0, WORD: 1.0}
MIN_EVIDENCE = 3.0
BIG_FIGURE_POINTS = 3.0  # "at least 170 men"
SMALL_FIGURE_POINTS = 0.5  # ages, days, counts of two digits: often shared by chance
COMMON_WEIGHT = 0.1  # of a common name's weight in the similarity
STORY_LINK_SHARE = 2 / 3  # of a story's candidate reports an article must match to join it
RARE_SHARE = 0.2  # a name or figure in more than this share of the store is not particular,
RARE_FLOOR = 3  # unless it is in this few articles (a young store knows little of rarity)
_NAME_LETTERS = 5
_WORD_LETTERS = 6
# English day and month names are capitalised but tell no event apart
_CALENDAR = frozenset(
    NAME + name
    for name in (
        *("monda", "tuesd", "wedne", "thurs", "frida", "satur", "sunda"),
        *("janua", "febru", "march", "april", "june", "july", "augus", "septe", "octob"),
        *("novem", "decem"),
    )
)
_TOKEN = re.compile(r"\d[\d,.\u00a0\u202f ]*\d|\d|[^\W\d_]+(?:[-'’][^\W\d_]+)*|[.!?:;«»\"“”]")
_SENTENCE_END = frozenset('.!?:;«»"“”')
_YEAR = re.compile(r"^(19|20)\d\d$")
_TRANSLIT = str.maketrans(
    {
        **dict(zip("абвгдезийклмнопрстуфцыэёіґ", "abvgdeziyklmnoprstufcyeeig", strict=True)),
        **{"х": "kh", "ж": "zh", "ч": "ch", "ш": "sh", "щ": "sh", "ю": "yu", "я": "ya"},
        **{"ї": "yi", "є": "ye", "ъ": "", "ь": "", "’": "", "'": ""},
    }
)


@dataclass(frozen=True)
class Thresholds:
    """The least similarity of two reports of one event: within one language (names,
    figures and words) and across languages (names and figures only)."""

    same_language: float
    across_languages: float

    def __call__(self, cross_language: bool) -> float:
        return self.across_languages if cross_language else self.same_language


@dataclass(frozen=True)
class StoryMatch:
    """Why an article joins a story: the article it matched, their similarity, what they
    share."""

    story_id: int
    article_id: int
    similarity: float
    shared: tuple[str, ...]


@dataclass(frozen=True)
class StoryCandidate:
    """A stored article that might tell the same story."""

    article_id: int
    story_id: int
    language: str | None
    terms: frozenset[str]


def story_terms(title: str | None, text: str) -> frozenset[str]:
    """The names, figures and words an article's title and text tell its story with."""
    terms = {t for t in _paragraph_terms(title or "", headline=True) if t.startswith(WORD)}
    for paragraph in text.split("\n"):
        terms.update(_paragraph_terms(paragraph))
    return frozenset(terms - _CALENDAR)


def _paragraph_terms(paragraph: str, headline: bool = False) -> Iterable[str]:
    """Terms of one paragraph; a headline's capitals (title case) name nothing."""
    sentence_start = True
    for token in _TOKEN.findall(paragraph):
        if token in _SENTENCE_END:
            sentence_start = True
            continue
        term = _term(token, sentence_start)
        sentence_start = headline
        if term:
            yield term


def _term(token: str, sentence_start: bool) -> str | None:
    if token[0].isdigit():
        digits = re.sub(r"\D", "", token)
        if len(digits) < 2 or _YEAR.match(digits):
            return None
        return FIGURE + digits.lstrip("0")
    if token[0].isupper():
        if sentence_start or len(token) < 4:
            return None
        latin = token.lower().translate(_TRANSLIT).replace("-", "")
        return NAME + latin[:_NAME_LETTERS]
    if len(token) >= 7:
        return WORD + token.lower()[:_WORD_LETTERS]
    return None


def particulars(terms: Iterable[str]) -> list[str]:
    """The names and figures among the terms: what the store indexes for a story lookup."""
    return sorted(t for t in terms if t.startswith(NAME_OR_FIGURE))


def comparable(terms: frozenset[str], cross_language: bool) -> frozenset[str]:
    """The terms that can match: across languages only names and figures."""
    if not cross_language:
        return terms
    return frozenset(t for t in terms if not t.startswith(WORD))


def similarity(
    mine: frozenset[str], theirs: frozenset[str], weight: Callable[[str], float]
) -> tuple[float, frozenset[str]]:
    """Weighted cosine of two term sets and the terms they share."""
    shared = mine & theirs
    if not shared:
        return 0.0, shared
    dot = sum(weight(t) ** 2 for t in shared)
    norm_a = math.sqrt(sum(weight(t) ** 2 for t in mine))
    norm_b = math.sqrt(sum(weight(t) ** 2 for t in theirs))
    return dot / (norm_a * norm_b), shared


class TermWeights:
    """Term weights from document frequencies in the store: kind × smoothed IDF; the topic's
    common names weigh next to nothing and are never particular."""

    def __init__(
        self,
        document_frequency: Mapping[str, int],
        documents: int,
        common: frozenset[str] = frozenset(),
    ) -> None:
        self.df = document_frequency
        self.documents = documents
        self.common = common

    def __call__(self, term: str) -> float:
        idf = math.log((self.documents + 1) / (self.df.get(term, 0) + 1)) + 1.0
        weight = KIND_WEIGHT[term[:2]] * idf
        return weight * COMMON_WEIGHT if term in self.common else weight

    def with_common(self, common: frozenset[str]) -> TermWeights:
        return TermWeights(self.df, self.documents, self.common | common)

    def particular(self, term: str) -> bool:
        """A name or figure rare enough in the store to tell one event from another."""
        if term.startswith(WORD) or term in self.common:
            return False
        return self.df.get(term, 0) <= max(RARE_FLOOR, RARE_SHARE * self.documents)


def common_terms(names: Iterable[str]) -> frozenset[str]:
    """The name terms of a topic's ``story_common_names`` (every word of each name)."""
    return frozenset(
        term
        for name in names
        for word in _TOKEN.findall(name)
        if (term := _term(word[0].upper() + word[1:], sentence_start=False))
        and term.startswith(NAME)
    )


def evidence(particulars: Collection[str]) -> float:
    """Points for shared particulars (see the module docstring)."""
    return sum(_points(term) for term in particulars)


def _points(term: str) -> float:
    if not term.startswith(FIGURE):
        return 1.0
    digits = term[len(FIGURE) :]
    if len(digits) < 3:
        return SMALL_FIGURE_POINTS
    return 1.0 if digits.endswith("00") else BIG_FIGURE_POINTS  # 900, 1000: often by chance


def match(
    terms: frozenset[str],
    language: str | None,
    candidate: StoryCandidate,
    weights: TermWeights,
    thresholds: Thresholds,
) -> StoryMatch | None:
    """The candidate as a match for the article, or None if the two tell different events."""
    cross = language != candidate.language
    score, shared = similarity(
        comparable(terms, cross), comparable(candidate.terms, cross), weights
    )
    particulars = tuple(sorted(t for t in shared if weights.particular(t)))
    if score < thresholds(cross) or evidence(particulars) < MIN_EVIDENCE:
        return None
    return StoryMatch(candidate.story_id, candidate.article_id, round(score, 3), particulars)


def match_story(
    terms: frozenset[str],
    language: str | None,
    candidates: Iterable[StoryCandidate],
    weights: TermWeights,
    thresholds: Thresholds,
) -> StoryMatch | None:
    """The best match among the stories whose candidate reports the article mostly matches,
    or None for a new story."""
    by_story: dict[int, list[StoryMatch | None]] = {}
    for candidate in candidates:
        found = match(terms, language, candidate, weights, thresholds)
        by_story.setdefault(candidate.story_id, []).append(found)
    best: StoryMatch | None = None
    for results in by_story.values():
        matches = [m for m in results if m is not None]
        if len(matches) < STORY_LINK_SHARE * len(results):
            continue
        top = max(matches, key=lambda m: m.similarity, default=None)
        if top is not None and (best is None or top.similarity > best.similarity):
            best = top
    return best
