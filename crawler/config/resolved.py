"""An outlet's settings with every default resolved once, in one place.

An outlet config may override a few daemon-wide settings (its freshness window, poll interval,
politeness); everything downstream reads the resolved values from ``OutletSettings`` and
never looks at both. It is also all a crawl process receives: its outlet, not the whole config.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from pydantic import Field

from crawler.config.base import Model
from crawler.config.load import Config
from crawler.config.outlets import OutletConfig
from crawler.config.settings import CrawlSettings, ExtractSettings, FetchSettings
from crawler.config.topics import TopicConfig


class OutletSettings(Model):
    """One outlet and the settings that apply to it."""

    outlet: OutletConfig
    fetch: FetchSettings
    crawl: CrawlSettings
    extract: ExtractSettings
    crawl_log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"]
    interval_minutes: float
    silent_after_hours: float
    topics: list[TopicConfig] = Field(default_factory=list)  # what its pages are scored on
    keep_raw_html: Literal["stored", "all", "none"] = "stored"  # [store] keep_raw_html

    @property
    def max_age_days(self) -> int:
        return self.crawl.max_age_days

    def freshness_cutoff(self, now: datetime) -> datetime:
        """The oldest publication time still inside the outlet's freshness window."""
        return now - timedelta(days=self.crawl.max_age_days)


def resolve(config: Config, outlet_id: str) -> OutletSettings:
    """The settings of ``outlet_id``: the outlet's own values where it sets them."""
    settings = config.settings
    outlet = config.outlets[outlet_id]
    overrides = {k: v for k, v in outlet.fetch.model_dump().items() if v is not None}
    return OutletSettings(
        outlet=outlet,
        fetch=settings.fetch.model_copy(update=overrides),
        crawl=settings.crawl.model_copy(
            update={"max_age_days": outlet.max_age_days or settings.crawl.max_age_days}
        ),
        extract=settings.extract,
        crawl_log_level=settings.crawl_log_level,
        interval_minutes=outlet.interval_minutes or settings.daemon.interval_minutes,
        silent_after_hours=outlet.silent_after_hours or settings.daemon.silent_after_hours,
        topics=config.topics_for(outlet),
        keep_raw_html=settings.store.keep_raw_html,
    )
