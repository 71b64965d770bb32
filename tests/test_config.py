from pathlib import Path

import pytest

from crawler.config import load_config
from crawler.errors import ConfigError

REPO = Path(__file__).resolve().parent.parent
TOPIC = (REPO / "config" / "topics" / "russian-military-desertion.toml").read_text()
OUTLET = """
id = "example"
name = "Example"
homepage = "https://www.example.org/"
language = "en"
[[sources]]
kind = "feed"
url = "https://www.example.org/feed/"
"""


def make_config(
    tmp_path: Path, outlet: str = OUTLET, name: str = "example", settings: str | None = None
) -> Path:
    (tmp_path / "topics").mkdir()
    (tmp_path / "outlets").mkdir()
    (tmp_path / "topics" / "russian-military-desertion.toml").write_text(TOPIC)
    (tmp_path / "outlets" / f"{name}.toml").write_text(outlet)
    if settings is not None:
        (tmp_path / "newsmon.toml").write_text(settings)
    return tmp_path


def test_the_shipped_config_is_valid_and_covers_the_seed_outlets():
    config = load_config(REPO / "config")
    assert {"dw", "russian-life", "euromaidan-press", "newsweek"} <= set(config.outlets)
    assert len(config.outlets) >= 12
    assert config.settings.store.path == "newsmon.db"
    topic = config.topics["russian-military-desertion"]
    languages = {lang for concept in topic.concepts for lang in concept.terms}
    assert {"en", "ru", "uk", "de"} <= languages


def test_defaults_apply_when_newsmon_toml_is_absent(tmp_path):
    config = load_config(make_config(tmp_path))
    assert config.settings.fetch.max_page_bytes == 5_000_000
    outlet = config.outlets["example"]
    assert outlet.domains == ["example.org"]
    assert outlet.fetch.obey_robots_txt is None
    assert [t.id for t in config.topics_for(outlet)] == ["russian-military-desertion"]


@pytest.mark.parametrize(
    ("broken", "field", "words"),
    [
        (
            OUTLET.replace('kind = "feed"', 'kind = "rss"'),
            "sources[0].kind",
            "'feed', 'sitemap' or 'listing'",
        ),
        (OUTLET.replace('language = "en"', 'language = "English"'), "language", "pattern"),
        ("intreval_minutes = 5\n" + OUTLET, "intreval_minutes", "unknown field"),
        (
            OUTLET.replace('url = "https://www.example.org/feed/"', 'url = "ftp://x/feed"'),
            "sources[0].url",
            "http(s)",
        ),
        (OUTLET + "[urls]\nallow = ['(unclosed']\n", "urls.allow", "regular expression"),
        (OUTLET.replace('name = "Example"\n', ""), "name", "missing"),
    ],
)
def test_an_invalid_outlet_names_file_field_and_what_is_allowed(tmp_path, broken, field, words):
    with pytest.raises(ConfigError) as caught:
        load_config(make_config(tmp_path, broken))
    error = caught.value
    assert error.path.endswith("outlets/example.toml")
    assert error.field == field
    assert words in error.message


def test_the_id_must_equal_the_file_name(tmp_path):
    with pytest.raises(ConfigError, match="must equal the file name 'other'"):
        load_config(make_config(tmp_path, name="other"))


def test_not_toml_is_reported_with_its_file(tmp_path):
    with pytest.raises(ConfigError, match="not valid TOML") as caught:
        load_config(make_config(tmp_path, OUTLET + "this is not toml"))
    assert caught.value.path.endswith("example.toml")


def test_an_unknown_topic_reference_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="unknown topic 'weather'"):
        load_config(
            make_config(
                tmp_path, OUTLET.replace("[[sources]]", 'topics = ["weather"]\n[[sources]]')
            )
        )


def test_a_wrong_setting_is_reported(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_config(make_config(tmp_path, settings="[fetch]\nmax_page_bytes = -1\n"))
    assert caught.value.field == "fetch.max_page_bytes"
    assert caught.value.path.endswith("newsmon.toml")


def test_a_missing_directory_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="config directory not found"):
        load_config(tmp_path / "nope")
