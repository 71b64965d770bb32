"""Configuration as data: ``newsmon.toml``, ``topics/<id>.toml`` and ``outlets/<id>.toml``.

Every file is parsed with :mod:`tomllib` and validated into frozen pydantic models; unknown
fields are errors (a typo must not silently fall back to a default). Any problem raises
:class:`~crawler.errors.ConfigError` naming the file, the field and what is allowed.
Each setting is declared once, with its unit in its name and its help in ``description``;
``tests/test_docs.py`` checks that the README documents every one of them.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any, Literal, TypeVar
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from crawler.errors import ConfigError

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
DEFAULT_USER_AGENT = "newsmon/0.1 (+https://github.com/newsmon/newsmon; topic news monitor)"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --------------------------------------------------------------------------- newsmon.toml


class StoreSettings(_Model):
    path: str = Field("newsmon.db", description="SQLite store; relative to the working directory")
    spool_dir: str | None = Field(
        None,
        description="where crawls leave extracted candidates for the store writer; "
        "default: the store path plus '.spool'",
    )
    keep_raw_html: Literal["stored", "all", "none"] = Field(
        "stored",
        description="raw HTML kept gzip-compressed: of stored articles, of every extracted "
        "page (so off-topic pages can be re-scored), or none",
    )


class FetchSettings(_Model):
    user_agent: str = Field(DEFAULT_USER_AGENT, description="User-Agent sent with every request")
    max_page_bytes: int = Field(5_000_000, gt=0, description="larger responses are dropped")
    download_timeout_seconds: float = Field(30.0, gt=0, description="per request")
    download_delay_seconds: float = Field(1.0, ge=0, description="pause between requests to a host")
    concurrent_requests: int = Field(8, gt=0, description="requests in flight per crawl")
    concurrent_requests_per_host: int = Field(2, gt=0, description="requests in flight per host")
    autothrottle: bool = Field(True, description="adapt the delay to the server's latency")
    autothrottle_max_delay_seconds: float = Field(30.0, gt=0, description="AutoThrottle ceiling")
    retry_times: int = Field(2, ge=0, description="retries of a 5xx/429/network failure")
    retry_backoff_base_seconds: float = Field(
        2.0, ge=0, description="first retry waits this long, doubling each time (plus jitter)"
    )
    max_retry_after_seconds: float = Field(
        120.0, ge=0, description="a longer Retry-After ends the crawl's attempts at that URL"
    )
    max_fetch_attempts: int = Field(
        3, gt=0, description="crawls that may fail on a URL before it is given up for good"
    )
    obey_robots_txt: bool = Field(True, description="default for outlets that don't say")


class CrawlSettings(_Model):
    max_age_days: int = Field(7, gt=0, description="default freshness window of an outlet")
    max_new_urls_per_crawl: int = Field(
        300, gt=0, description="cap on article requests per outlet and crawl (backfill safety)"
    )
    max_parallel_crawls: int = Field(4, gt=0, description="outlets crawled at the same time")
    crawl_timeout_seconds: float = Field(900.0, gt=0, description="a longer crawl is stopped")
    stop_grace_seconds: float = Field(
        15.0, ge=0, description="a stopped crawl may finish in-flight requests this long"
    )


class ExtractSettings(_Model):
    min_words: int = Field(
        40, ge=0, description="a page whose main text is shorter is recorded as no_body"
    )


class DaemonSettings(_Model):
    interval_minutes: float = Field(30.0, gt=0, description="default poll interval of an outlet")
    adaptive_polling: bool = Field(
        True, description="poll outlets that publish often more often, quiet ones less"
    )
    min_interval_minutes: float = Field(5.0, gt=0, description="adaptive polling's floor")
    max_interval_minutes: float = Field(360.0, gt=0, description="adaptive polling's ceiling")
    jitter_seconds: float = Field(30.0, ge=0, description="random delay added to each poll")
    misfire_grace_seconds: float = Field(
        300.0, gt=0, description="a poll more than this late is skipped (the next one runs)"
    )
    backoff_max_minutes: float = Field(
        720.0, gt=0, description="a failing outlet waits at most this long between attempts"
    )
    ingest_interval_seconds: float = Field(
        60.0, gt=0, description="the store writer also runs on its own at this interval"
    )
    shutdown_grace_seconds: float = Field(
        30.0, ge=0, description="on SIGTERM, running crawls may finish this long, then stop"
    )
    silent_after_hours: float = Field(
        72.0, gt=0, description="status warns when an outlet stored nothing new this long"
    )

    @model_validator(mode="after")
    def _bounds_in_order(self) -> DaemonSettings:
        if self.min_interval_minutes > self.max_interval_minutes:
            raise ValueError("min_interval_minutes must not exceed max_interval_minutes")
        return self


class Settings(_Model):
    store: StoreSettings = StoreSettings()
    fetch: FetchSettings = FetchSettings()
    crawl: CrawlSettings = CrawlSettings()
    extract: ExtractSettings = ExtractSettings()
    daemon: DaemonSettings = DaemonSettings()
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        "INFO", description="log level of newsmon itself"
    )
    crawl_log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        "WARNING", description="log level of the crawl processes (Scrapy is chatty at INFO)"
    )


# --------------------------------------------------------------------------- topics


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


# --------------------------------------------------------------------------- outlets


class Source(_Model):
    kind: Literal["feed", "sitemap", "listing"]
    url: str
    max_pages: int | None = Field(None, gt=0)
    note: str = ""

    @field_validator("url")
    @classmethod
    def _http_url(cls, url: str) -> str:
        return _check_http_url(url)


class UrlRules(_Model):
    allow: list[str] = Field(default_factory=list)
    deny: list[str] = Field(default_factory=list)

    @field_validator("allow", "deny")
    @classmethod
    def _regexes_compile(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"{pattern!r} is not a valid regular expression: {exc}") from exc
        return patterns


class FetchOverrides(_Model):
    download_delay_seconds: float | None = Field(None, ge=0)
    obey_robots_txt: bool | None = None
    concurrent_requests_per_host: int | None = Field(None, gt=0)


class ExtractOptions(_Model):
    prune_xpath: list[str] = Field(default_factory=list)
    favor: Literal["balanced", "precision", "recall"] = "balanced"


class OutletConfig(_Model):
    id: str = Field(pattern=ID_PATTERN)
    name: str
    homepage: str
    language: str = Field(pattern=r"^[a-z]{2}$")
    domains: list[str] = Field(default_factory=list)
    topics: list[str] | None = None
    max_age_days: int | None = Field(None, gt=0)
    interval_minutes: float | None = Field(None, gt=0)
    silent_after_hours: float | None = Field(None, gt=0)
    sources: list[Source] = Field(min_length=1)
    urls: UrlRules = UrlRules()
    fetch: FetchOverrides = FetchOverrides()
    extract: ExtractOptions = ExtractOptions()

    @field_validator("homepage")
    @classmethod
    def _http_homepage(cls, url: str) -> str:
        return _check_http_url(url)

    @model_validator(mode="after")
    def _default_domains(self) -> OutletConfig:
        if not self.domains:
            host = urlsplit(self.homepage).hostname or ""
            object.__setattr__(self, "domains", [host.removeprefix("www.")])
        return self


def _check_http_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{url!r} is not an absolute http(s) URL")
    return url


# --------------------------------------------------------------------------- loading


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
