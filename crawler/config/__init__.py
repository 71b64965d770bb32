"""Configuration as data: ``newsmon.toml``, ``topics/<id>.toml`` and ``outlets/<id>.toml``,
validated into frozen models (``load``), and an outlet's settings resolved once (``resolved``).
"""

from crawler.config.load import Config, load_config
from crawler.config.outlets import ExtractOptions, OutletConfig, Source
from crawler.config.paths import spool_dir, store_path
from crawler.config.resolved import OutletSettings, resolve
from crawler.config.settings import FeedSettings, NotifySettings, Settings
from crawler.config.topics import TopicConfig

__all__ = [
    "Config",
    "ExtractOptions",
    "FeedSettings",
    "NotifySettings",
    "OutletConfig",
    "OutletSettings",
    "Settings",
    "Source",
    "TopicConfig",
    "load_config",
    "resolve",
    "spool_dir",
    "store_path",
]
