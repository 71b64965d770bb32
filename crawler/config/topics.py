"""``topics/<id>.toml``: a topic as weighted concepts with multilingual terms."""

from __future__ import annotations

import re
from collections.abc import Iterable

from pydantic import Field, field_validator, model_validator

from crawler.config.base import Model as _Model

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"


class FieldWeights(_Model):
    title: float = Field(3.0, ge=0)
    lead: float = Field(2.0, ge=0)
    body: float = Field(1.0, ge=0)


class Concept(_Model):
    """A group of synonymous terms; a topic is a weighted set of concepts."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    description: str = ""
    weight: float
    required: bool = False
    alternatives: list[str] = Field(
        default_factory=list,
        description="for a required concept: other concepts any of which also meets the "
        "requirement (surrender meets it as well as desertion does)",
    )
    max_score: float | None = Field(
        None, gt=0, description="cap on what the concept adds, however often it matches"
    )
    terms: dict[str, list[str]] = Field(min_length=1)

    @field_validator("terms")
    @classmethod
    def _non_empty_terms(cls, terms: dict[str, list[str]]) -> dict[str, list[str]]:
        for language, words in terms.items():
            if not re.fullmatch(r"[a-z]{2}", language):
                raise ValueError(f"language {language!r} is not an ISO 639-1 code like 'en'")
            if not all(word.strip() for word in words):
                raise ValueError(f"terms.{language} holds an empty term")
        return terms


class Proximity(_Model):
    """Two concepts found in one sentence: evidence that they are about each other (a
    desertion term next to a Russian-army term), added once per field like a concept, or
    subtracted when ``weight`` is negative (desertion next to the Ukrainian army)."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    description: str = ""
    concepts: tuple[str, str]
    weight: float


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
    story_common_names: list[str] = Field(
        default_factory=list,
        description="names nearly every report on the topic mentions (countries, capitals, "
        "ministries): never evidence that two reports tell one event",
    )

    @model_validator(mode="after")
    def _references_name_concepts(self) -> TopicConfig:
        concepts = {concept.id for concept in self.concepts}
        scored = concepts | {concept.id for concept in self.exclusions}
        for rule in self.proximity:
            _known(f"proximity {rule.id!r}", "concepts", rule.concepts, scored)
        for concept in self.concepts:
            _known(f"concept {concept.id!r}", "alternatives", concept.alternatives, concepts)
        return self


def _known(owner: str, what: str, names: Iterable[str], known: set[str]) -> None:
    """Raise if ``names`` holds one not in ``known``."""
    unknown = set(names) - known
    if unknown:
        raise ValueError(f"{owner} names unknown {what}: {', '.join(sorted(unknown))}")
