"""``topics/<id>.toml``: a topic as weighted concepts with multilingual terms."""

from __future__ import annotations

import re
from collections.abc import Iterable

from pydantic import Field, field_validator, model_validator

from crawler.config.base import Model as _Model

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
# a domain or the end of one: "ru", "xn--p1ai" (.рф), "example.org"
SITE_PATTERN = r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$"
LANGUAGE_PATTERN = r"^[a-z]{2}$"  # an ISO 639-1 code


class FieldWeights(_Model):
    title: float = Field(3.0, ge=0)
    lead: float = Field(2.0, ge=0)
    body: float = Field(1.0, ge=0)


class Concept(_Model):
    """A group of synonymous terms; a topic is a weighted set of concepts."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    description: str = ""
    weight: float | None = Field(None, description="required, unless the concept is part_of one")
    part_of: str | None = Field(
        None,
        description="another concept whose terms these are too: they count as its terms (its "
        "weight, cap and requirement), and proximity rules can also name this narrower "
        "concept on its own (the Russian army's soldiers, next to a word for fleeing)",
    )
    required: bool = False
    alternatives: list[str] = Field(
        default_factory=list,
        description="for a required concept: other concepts or proximity rules any of which "
        "also meets the requirement (surrender meets it as well as desertion does)",
    )
    review_alternatives: list[str] = Field(
        default_factory=list,
        description="for a required concept: concepts that meet the requirement only for "
        "review: an article that meets it this way is kept as borderline at best",
    )
    max_score: float | None = Field(
        None, gt=0, description="cap on what the concept adds, however often it matches"
    )
    terms: dict[str, list[str]] = Field(default_factory=dict)
    sites: list[str] = Field(
        default_factory=list,
        description="domains (or their ends, like ru) of outlets whose articles count as "
        "naming the concept once, in the body: the context an outlet's readers know (a "
        "Russian outlet's 'the serviceman' is Russia's); the reason names the domain",
    )

    @model_validator(mode="after")
    def _named_somehow(self) -> Concept:
        if not any(self.terms.values()) and not self.sites:
            raise ValueError(f"concept {self.id!r} needs terms (or sites)")
        return self

    @field_validator("sites")
    @classmethod
    def _domains(cls, sites: list[str]) -> list[str]:
        for site in sites:
            if not re.fullmatch(SITE_PATTERN, site):
                raise ValueError(f"site {site!r} is not a domain in lower case, like 'ru'")
        return sites

    @model_validator(mode="after")
    def _weighted_once(self) -> Concept:
        """A concept has its own weight, or is part of one that has it."""
        if self.part_of is None:
            if self.weight is None:
                raise ValueError(f"{self.id!r} needs a weight (or to be part_of a concept)")
            return self
        own = {
            "weight": self.weight is not None,
            "required": self.required,
            "alternatives": bool(self.alternatives),
            "review_alternatives": bool(self.review_alternatives),
            "max_score": self.max_score is not None,
        }
        if set_here := [name for name, given in own.items() if given]:
            raise ValueError(
                f"concept {self.id!r} is part of {self.part_of!r} and counts as it: "
                f"{', '.join(set_here)} belong(s) to {self.part_of!r}"
            )
        return self

    @field_validator("terms")
    @classmethod
    def _non_empty_terms(cls, terms: dict[str, list[str]]) -> dict[str, list[str]]:
        for language, words in terms.items():
            if not re.fullmatch(LANGUAGE_PATTERN, language):
                raise ValueError(f"language {language!r} is not an ISO 639-1 code like 'en'")
            if not all(re.search(r"\w", word) for word in words):
                raise ValueError(f"terms.{language} holds a term without a word")
            for word in words:
                _check_quotes(word.strip(), language)
        return terms


def _check_quotes(term: str, language: str) -> None:
    """A quoted term ('"Get Lost"') is quoted at both ends and has no ``*`` inside."""
    if '"' not in term:
        return
    if len(term) < 3 or term[0] != '"' or term[-1] != '"' or '"' in term[1:-1]:
        raise ValueError(f"terms.{language}: {term!r} must be quoted at both ends, or not at all")
    if "*" in term:
        raise ValueError(f"terms.{language}: {term!r} is quoted: it matches as written, no '*'")


class Proximity(_Model):
    """Two concepts found in one sentence: evidence that they are about each other (a
    desertion term next to a Russian-army term), added once per field like a concept, or
    subtracted when ``weight`` is negative (desertion next to the Ukrainian army)."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    description: str = ""
    concepts: tuple[str, str]
    weight: float
    unless_nearer: list[str] = Field(
        default_factory=list,
        description="concepts that, found nearer to the first concept than the second is, "
        "keep the sentence from counting (who surrendered: Russia's soldiers or Ukraine's)",
    )
    before: bool = Field(
        default=False,
        description="count only matches of the second concept and of rivals that come before "
        "the first: the side named before a verb is the one that acts (who gave up)",
    )


class Balance(_Model):
    """Which of two sides a text names more: when the concepts in ``more`` are found at
    least once and at least as often as those in ``than`` (more often, without ``ties``;
    term matches over title, lead and body), ``weight`` is added (subtracted when negative).
    A text that names Ukraine's army at least as often as Russia's is about Ukraine's army,
    unless it ties the act to Russia's forces more often than to Ukraine's (``unless_more``,
    ``unless_than``); one that names a past war more often than the war in Ukraine is
    history."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    description: str = ""
    more: list[str] = Field(min_length=1)
    than: list[str] = Field(min_length=1)
    weight: float
    ties: bool = Field(
        default=True,
        description="whether the rule applies when both sides are named equally often (false: "
        "only when more is named more often)",
    )
    unless_more: list[str] = Field(
        default_factory=list,
        description="proximity rules that, matched in more sentences than those in "
        "unless_than, keep this rule from applying: whichever army a text names more, the "
        "one it says deserted is the one it is about",
    )
    unless_than: list[str] = Field(
        default_factory=list,
        description="the proximity rules unless_more is counted against",
    )


class TopicConfig(_Model):
    id: str = Field(pattern=ID_PATTERN)
    name: str
    description: str = ""
    threshold: float = Field(gt=0)
    field_weights: FieldWeights = FieldWeights()
    concepts: list[Concept] = Field(min_length=1)
    exclusions: list[Concept] = Field(
        default_factory=list,
        description="concepts whose matches subtract their weight from the score",
    )
    proximity: list[Proximity] = Field(
        default_factory=list,
        description="pairs of concepts that count when found in one sentence",
    )
    balance: list[Balance] = Field(
        default_factory=list,
        description="rules that add or subtract when one side is named at least as often as "
        "the other",
    )
    gate: bool = Field(
        True,
        description="scan a raw page for the required concepts' terms before extracting it, "
        "and skip extraction when they are not there (crawler/content/gate.py)",
    )
    review_band: float = Field(
        0.0,
        ge=0,
        description="score points below the threshold within which an article that has every "
        "required concept is kept as borderline, for an analyst to review (0: none)",
    )
    story_common_names: list[str] = Field(
        default_factory=list,
        description="names nearly every report on the topic mentions (countries, capitals, "
        "ministries): never evidence that two reports tell one event",
    )

    @model_validator(mode="after")
    def _references_name_concepts(self) -> TopicConfig:
        parts = {c.id: c.part_of for c in self.concepts if c.part_of is not None}
        concepts = {concept.id for concept in self.concepts} - parts.keys()
        scored = concepts | {concept.id for concept in self.exclusions}
        for part, whole in parts.items():
            _known(f"concept {part!r}", "part_of", [whole], concepts, parts)
        for concept in self.exclusions:
            if concept.part_of is not None:
                raise ValueError(f"exclusion {concept.id!r} cannot be part_of a concept")
        for rule in self.proximity:
            named = scored | parts.keys()
            _known(f"proximity {rule.id!r}", "concepts", rule.concepts, named, parts)
            _known(f"proximity {rule.id!r}", "unless_nearer", rule.unless_nearer, named, parts)
            _apart(rule, parts)
        rules = {rule.id for rule in self.proximity}
        for side in self.balance:
            _known(f"balance {side.id!r}", "concepts", [*side.more, *side.than], scored, parts)
            waiving = [*side.unless_more, *side.unless_than]
            _known(f"balance {side.id!r}", "proximity rules", waiving, rules, {})
            if side.unless_than and not side.unless_more:
                raise ValueError(f"balance {side.id!r}: unless_than needs unless_more")
        meeting = concepts | rules
        for concept in self.concepts:
            for what in ("alternatives", "review_alternatives"):
                _known(f"concept {concept.id!r}", what, getattr(concept, what), meeting, parts)
        return self


def _known(
    owner: str, what: str, names: Iterable[str], known: set[str], parts: dict[str, str]
) -> None:
    """Raise if ``names`` holds one not in ``known`` (saying so of a concept that is part of
    another, which only proximity rules can name)."""
    for name in sorted(set(names) - known):
        if name in parts:
            raise ValueError(f"{owner}: {name!r} is part_of {parts[name]!r}; name that one")
        raise ValueError(f"{owner} names unknown {what}: {name}")


def _apart(rule: Proximity, parts: dict[str, str]) -> None:
    """A proximity rule's two concepts, and its rivals, must be of different concepts: a part
    and what it is part of match at one place (the rule would fire on one term, or never)."""
    whole = [parts.get(name, name) for name in (*rule.concepts, *rule.unless_nearer)]
    first, second, *rivals = whole
    if first == second and rule.concepts[0] != rule.concepts[1]:
        raise ValueError(f"proximity {rule.id!r}: {' and '.join(rule.concepts)} are one concept")
    if set(rivals) & {first, second}:
        raise ValueError(f"proximity {rule.id!r}: unless_nearer names one of its own concepts")
