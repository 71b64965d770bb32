import json
import subprocess
import sys

from crawler.config import Config, OutletConfig, Settings, resolve
from crawler.fetch.settings import scrapy_settings

OUTLET = OutletConfig.model_validate(
    {
        "id": "example",
        "name": "Example",
        "homepage": "https://www.example.org/",
        "language": "en",
        "sources": [{"kind": "feed", "url": "https://www.example.org/feed"}],
        "fetch": {"download_delay_seconds": 4.0, "obey_robots_txt": False},
    }
)

RESOLVED = resolve(
    Config(directory=".", settings=Settings(), topics={}, outlets={"example": OUTLET}), "example"
)

# Build a real Crawler in a fresh process (it needs its own reactor) and list the extensions
# Scrapy actually enables with newsmon's settings, and with the two dangerous ones left at
# Scrapy's defaults, to show that the setting is what turns them off.
PROBE = """
import json, sys
from scrapy.utils.reactor import install_reactor
install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")
from scrapy.crawler import Crawler
from scrapy.settings import Settings
from crawler.fetch.spider import OutletSpider
result = {}
for name, settings in json.loads(sys.stdin.read()).items():
    crawler = Crawler(OutletSpider, Settings(settings))
    crawler._apply_settings()
    result[name] = [type(m).__name__ for m in crawler.extensions.middlewares]
print(json.dumps(result))
"""


def test_outlet_overrides_and_polite_defaults():
    settings = scrapy_settings(RESOLVED)
    assert settings["DOWNLOAD_DELAY"] == 4.0
    assert settings["ROBOTSTXT_OBEY"] is False
    assert settings["AUTOTHROTTLE_ENABLED"] is True
    assert settings["USER_AGENT"].startswith("newsmon/")
    assert settings["DOWNLOAD_MAXSIZE"] == 5_000_000
    assert 429 in settings["RETRY_HTTP_CODES"] and 503 in settings["RETRY_HTTP_CODES"]


def test_only_http_handlers_exist():
    handlers = scrapy_settings(RESOLVED)["DOWNLOAD_HANDLERS"]
    assert all(handlers[scheme] is None for scheme in ("file", "ftp", "s3", "data"))


def test_remote_control_and_telnet_console_are_off():
    ours = scrapy_settings(RESOLVED)
    defaults = {
        k: v
        for k, v in ours.items()
        if k not in ("TELNETCONSOLE_ENABLED", "REMOTE_CONTROL_ENABLED")
    }
    probe = subprocess.run(
        [sys.executable, "-c", PROBE],
        input=json.dumps({"newsmon": ours, "scrapy_defaults": defaults}),
        capture_output=True,
        text=True,
        check=True,
    )
    enabled = json.loads(probe.stdout)
    assert "RemoteControl" in enabled["scrapy_defaults"]
    assert "TelnetConsole" in enabled["scrapy_defaults"]
    assert "RemoteControl" not in enabled["newsmon"]
    assert "TelnetConsole" not in enabled["newsmon"]
