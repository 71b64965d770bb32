"""``outlets/<id>.toml``: one outlet as data: sources, URL rules, fetch and extract options."""

from __future__ import annotations

import re
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator

from crawler.canonical import is_http_url
from crawler.config.base import Model as _Model
from crawler.config.topics import ID_PATTERN, LANGUAGE_PATTERN


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
    language: str = Field(pattern=LANGUAGE_PATTERN)
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
    if not is_http_url(url):
        raise ValueError(f"{url!r} is not an absolute http(s) URL")
    return url
