"""The base of every config model: frozen, and unknown fields are errors."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    """A validated, immutable piece of configuration; a typo in a field name is an error."""

    model_config = ConfigDict(extra="forbid", frozen=True)
