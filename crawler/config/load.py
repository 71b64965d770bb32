"""Reading a config directory: ``newsmon.toml``, ``topics/*.toml``, ``outlets/*.toml``.

Every file is parsed with :mod:`tomllib` and validated into frozen pydantic models; unknown
fields are errors (a typo must not silently fall back to a default). Any problem raises
:class:`~crawler.errors.ConfigError` naming the file, the field and what is allowed.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from crawler.config.base import Model as _Model
from crawler.config.outlets import OutletConfig
from crawler.config.settings import Settings
from crawler.config.topics import TopicConfig
from crawler.errors import ConfigError


class Config(_Model):
    """Everything in one config directory, validated and cross-checked."""

    directory: str
    settings: Settings
    topics: dict[str, TopicConfig]
    outlets: dict[str, OutletConfig]

    def topics_for(self, outlet: OutletConfig) -> list[TopicConfig]:
        """The topics an outlet is scored against (all topics unless it names some)."""
        ids = outlet.topics if outlet.topics else list(self.topics)
        return [self.topics[topic_id] for topic_id in ids]


_M = TypeVar("_M", bound=BaseModel)
_Item = TypeVar("_Item", TopicConfig, OutletConfig)


def load_config(directory: str | Path) -> Config:
    """Read and validate a config directory; raise ConfigError on the first problem."""
    root = Path(directory)
    if not root.is_dir():
        raise ConfigError(str(root), "config directory not found")
    settings_file = root / "newsmon.toml"
    settings = _load(settings_file, Settings) if settings_file.exists() else Settings()
    topics = _load_dir(root / "topics", TopicConfig)
    outlets = _load_dir(root / "outlets", OutletConfig)
    if not topics:
        raise ConfigError(str(root / "topics"), "no topic defined: add topics/<id>.toml")
    for outlet_id, outlet in outlets.items():
        for topic_id in outlet.topics or []:
            if topic_id not in topics:
                raise ConfigError(
                    str(root / "outlets" / f"{outlet_id}.toml"),
                    f"unknown topic {topic_id!r}; defined topics: {sorted(topics)}",
                    field="topics",
                )
    return Config(directory=str(root), settings=settings, topics=topics, outlets=outlets)


def _load_dir(directory: Path, model: type[_Item]) -> dict[str, _Item]:
    loaded: dict[str, _Item] = {}
    for path in sorted(directory.glob("*.toml")):
        item = _load(path, model)
        if item.id != path.stem:
            raise ConfigError(str(path), f"must equal the file name {path.stem!r}", field="id")
        loaded[item.id] = item
    return loaded


def _load(path: Path, model: type[_M]) -> _M:
    try:
        with path.open("rb") as handle:
            data: dict[str, Any] = tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(str(path), f"cannot read: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(path), f"not valid TOML: {exc}") from exc
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = _field_path(error["loc"])
        raise ConfigError(str(path), _explain(error), field=field) from exc


def _field_path(location: tuple[Any, ...]) -> str | None:
    """('sources', 0, 'kind') -> 'sources[0].kind'."""
    path = ""
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or None


def _explain(error: Any) -> str:
    if error["type"] == "extra_forbidden":
        return "unknown field (check its spelling against the README's configuration section)"
    if error["type"] == "missing":
        return "required field is missing"
    message: str = error["msg"]
    return message.removeprefix("Value error, ")
