"""Reading a config directory: ``newsmon.toml``, ``topics/*.toml``, ``outlets/*.toml``.

Every file is parsed with :mod:`tomllib` and validated into frozen pydantic models; unknown
fields are errors (a typo must not silently fall back to a default). Any problem raises
:class:`~crawler.errors.ConfigError` naming the file, the field and what is allowed.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, Field, ValidationError

from crawler.config.base import Model as _Model
from crawler.config.outlets import OutletConfig
from crawler.config.settings import Settings
from crawler.config.topics import TopicConfig
from crawler.errors import ConfigError, ConfigErrors


class Config(_Model):
    """Everything in one config directory, validated and cross-checked."""

    directory: str
    settings: Settings
    topics: dict[str, TopicConfig]
    outlets: dict[str, OutletConfig]
    # outlets whose file is broken, left out when loading with skip_broken_outlets:
    # id -> its problems as (line, field, message)
    skipped: dict[str, list[tuple[int | None, str | None, str]]] = Field(default_factory=dict)

    def skipped_error(self, outlet_id: str) -> ConfigErrors:
        """Why an outlet was left out, as the error its file raised."""
        path = str(Path(self.directory) / "outlets" / f"{outlet_id}.toml")
        problems = self.skipped[outlet_id]
        return ConfigErrors([ConfigError(path, m, field, line) for line, field, m in problems])

    def topics_for(self, outlet: OutletConfig) -> list[TopicConfig]:
        """The topics an outlet is scored against (all topics unless it names some)."""
        ids = outlet.topics if outlet.topics else list(self.topics)
        return [self.topics[topic_id] for topic_id in ids]


_M = TypeVar("_M", bound=BaseModel)
_Item = TypeVar("_Item", TopicConfig, OutletConfig)
# where each kind of file is documented, named in its errors
_DOCS = {
    OutletConfig: "docs/outlet-config.md",
    TopicConfig: "the README's Topics section",
    Settings: "config/newsmon.example.toml",
}


def load_config(directory: str | Path, skip_broken_outlets: bool = False) -> Config:
    """Read and validate a config directory; raise ConfigErrors listing every problem. With
    ``skip_broken_outlets``, a broken outlet file is left out (in ``Config.skipped``) so that
    it does not stop the others; a broken topic or settings file still stops everything."""
    root = Path(directory)
    if not root.is_dir():
        raise ConfigError(str(root), "config directory not found")
    problems: list[ConfigError] = []
    settings_file = root / "newsmon.toml"
    settings = _collect(settings_file, Settings, problems) if settings_file.exists() else None
    topics = _load_dir(root / "topics", TopicConfig, problems)
    if not topics and not problems:
        problems.append(ConfigError(str(root / "topics"), "no topic defined: add topics/<id>.toml"))
    outlet_problems: list[ConfigError] = []
    outlets = _load_dir(root / "outlets", OutletConfig, outlet_problems)
    outlet_problems += _unknown_topics(root, outlets, topics)
    if problems or (outlet_problems and not skip_broken_outlets):
        raise ConfigErrors(problems + outlet_problems)
    skipped: dict[str, list[tuple[int | None, str | None, str]]] = {}
    for problem in outlet_problems:
        where = (problem.line, problem.field, problem.message)
        skipped.setdefault(Path(problem.path).stem, []).append(where)
    return Config(
        directory=str(root),
        settings=settings or Settings(),
        topics=topics,
        outlets={oid: o for oid, o in outlets.items() if oid not in skipped},
        skipped=skipped,
    )


def load_outlet(path: str | Path) -> OutletConfig:
    """Read and validate one outlet file, whose id must equal its file name; raise
    ConfigError(s) as ``load_config`` would for it."""
    path = Path(path)
    outlet = _load(path, OutletConfig)
    if outlet.id != path.stem:
        raise ConfigError(str(path), f"must equal the file name {path.stem!r}", "id")
    return outlet


def _unknown_topics(
    root: Path, outlets: dict[str, OutletConfig], topics: dict[str, TopicConfig]
) -> list[ConfigError]:
    return [
        ConfigError(
            str(root / "outlets" / f"{outlet_id}.toml"),
            f"unknown topic {topic_id!r}; defined topics: {sorted(topics)}",
            field="topics",
        )
        for outlet_id, outlet in outlets.items()
        for topic_id in outlet.topics or []
        if topics and topic_id not in topics
    ]


def _load_dir(directory: Path, model: type[_Item], problems: list[ConfigError]) -> dict[str, _Item]:
    loaded: dict[str, _Item] = {}
    for path in sorted(directory.glob("*.toml")):
        item = _collect(path, model, problems)
        if item is None:
            continue
        if item.id != path.stem:
            problems.append(ConfigError(str(path), f"must equal the file name {path.stem!r}", "id"))
            continue
        loaded[item.id] = item
    return loaded


def _collect(path: Path, model: type[_M], problems: list[ConfigError]) -> _M | None:
    """The file's model, or None with its problems added to ``problems``."""
    try:
        return _load(path, model)
    except ConfigErrors as errors:
        problems.extend(errors.problems)
    except ConfigError as error:
        problems.append(error)
    return None


def _load(path: Path, model: type[_M]) -> _M:
    try:
        text = path.read_text(encoding="utf-8")
        data: dict[str, Any] = tomllib.loads(text)
    except OSError as exc:
        raise ConfigError(str(path), f"cannot read: {exc.strerror}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), f"not valid TOML: {exc}", line=_toml_line(exc)) from exc
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ConfigErrors([_problem(path, text, model, error) for error in exc.errors()]) from exc


def _problem(path: Path, text: str, model: type[BaseModel], error: Any) -> ConfigError:
    location = tuple(error["loc"])
    message = _explain(error, model, location)
    if error["type"] in ("extra_forbidden", "missing") or message.endswith("is not valid"):
        message += f" (see {_DOCS.get(model, 'the README')})"
    return ConfigError(str(path), message, _field_path(location), _line_of(text, location))


def _toml_line(exc: Exception) -> int | None:
    match = re.search(r"at line (\d+)", str(exc))
    return int(match.group(1)) if match else None


def _line_of(text: str, location: tuple[Any, ...]) -> int | None:
    """The line where a field is set: the key's line, inside the table the location names
    (``sources[1].kind``: the second ``[[sources]]`` table); None if it is not there."""
    lines = text.splitlines()
    start, keys = 0, [part for part in location if isinstance(part, str)]
    for position, part in enumerate(location[:-1]):
        index = location[position + 1] if position + 1 < len(location) else None
        header = re.compile(rf"^\s*\[\[?\s*{re.escape(str(part))}\s*\]\]?\s*$")
        found = [n for n, line in enumerate(lines) if n >= start and header.match(line)]
        if found:
            start = found[index if isinstance(index, int) and index < len(found) else 0]
    key = re.compile(rf"^\s*{re.escape(keys[-1])}\s*=") if keys else None
    for number in range(start, len(lines)):
        if key and key.match(lines[number]):
            return number + 1
    return None


def _field_path(location: tuple[Any, ...]) -> str | None:
    """('sources', 0, 'kind') -> 'sources[0].kind'."""
    path = ""
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or None


def _explain(error: Any, model: type[BaseModel], location: tuple[Any, ...]) -> str:
    if error["type"] == "extra_forbidden":
        name = str(location[-1])
        guess = difflib.get_close_matches(name, _field_names(model, location[:-1]), n=1)
        return f"unknown field{f'; did you mean {guess[0]!r}?' if guess else ''}"
    if error["type"] == "missing":
        return "required field is missing"
    message: str = error["msg"]
    return message.removeprefix("Value error, ")


def _field_names(model: type[BaseModel], location: tuple[Any, ...]) -> list[str]:
    """The fields allowed at a location of a model (nested models and lists followed)."""
    current: Any = model
    for part in location:
        if isinstance(part, int):
            continue
        is_model = isinstance(current, type) and issubclass(current, BaseModel)
        field = current.model_fields.get(part) if is_model else None
        if field is None:
            return []
        current = _inner_model(field.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _inner_model(annotation: Any) -> Any:
    """The pydantic model inside an annotation like ``list[Source]`` or ``FetchOverrides``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in getattr(annotation, "__args__", ()):
        inner = _inner_model(argument)
        if inner is not None:
            return inner
    return None
