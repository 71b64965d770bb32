"""Shared fixtures: config directories, stores, the repository's shipped config."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from crawler.config import Config, load_config
from storage import Store
from storage.outlets import sync_outlets

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
TOPIC_FILE = REPO / "config" / "topics" / "russian-military-desertion.toml"
EXAMPLE_OUTLET = """
id = "example"
name = "Example"
homepage = "https://www.example.org/"
language = "en"
max_age_days = 30
[[sources]]
kind = "feed"
url = "https://www.example.org/feed/"
"""


@pytest.fixture
def make_config_dir(tmp_path: Path) -> Callable[..., Path]:
    """Write a config directory: the shipped topic, the given outlets and settings."""

    def make(outlets: dict[str, str] | None = None, settings: str | None = None) -> Path:
        root = tmp_path / "config"
        (root / "topics").mkdir(parents=True, exist_ok=True)
        (root / "outlets").mkdir(exist_ok=True)
        (root / "topics" / TOPIC_FILE.name).write_text(TOPIC_FILE.read_text())
        for name, text in (outlets if outlets is not None else {"example": EXAMPLE_OUTLET}).items():
            (root / "outlets" / f"{name}.toml").write_text(text)
        if settings is not None:
            (root / "newsmon.toml").write_text(settings)
        return root

    return make


@pytest.fixture
def example_config(make_config_dir: Callable[..., Path]) -> Config:
    return load_config(make_config_dir())


@pytest.fixture
def store(tmp_path: Path, example_config: Config) -> Iterator[Store]:
    """A writable store that knows the example outlet."""
    with Store.open(tmp_path / "newsmon.db") as opened:
        sync_outlets(opened, [o.model_dump(mode="json") for o in example_config.outlets.values()])
        yield opened
