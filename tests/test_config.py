from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.config import load_config
from crawler.errors import ConfigError, ConfigErrors
from fixtureweb import FixtureWeb
from scheduler.cli import main

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


BROKEN_A = """id = "a"
name = "A"
homepage = "https://a.example/"
language = "en"
max_age_day = 3
[[sources]]
kind = "feed"
url = "https://a.example/feed"
[[sources]]
kind = "rss"
url = "https://a.example/rss"
[fetch]
download_delay = 2
"""
BROKEN_B = '[[sources]\nkind = "feed"\n'


def two_broken(tmp_path: Path) -> Path:
    root = make_config(tmp_path)
    (root / "outlets" / "a.toml").write_text(BROKEN_A)
    (root / "outlets" / "b.toml").write_text(BROKEN_B)
    return root


def test_every_problem_is_reported_at_once_with_its_line_and_a_suggestion(tmp_path):
    with pytest.raises(ConfigErrors) as caught:
        load_config(two_broken(tmp_path))
    found = {(Path(p.path).name, p.line, p.field) for p in caught.value.problems}
    assert found == {
        ("a.toml", 5, "max_age_day"),
        ("a.toml", 10, "sources[1].kind"),
        ("a.toml", 13, "fetch.download_delay"),
        ("b.toml", 1, None),
    }
    text = str(caught.value)
    assert text.startswith("4 problems in the config:")
    assert "did you mean 'max_age_days'?" in text and "'download_delay_seconds'" in text
    assert "(see docs/outlet-config.md)" in text and "not valid TOML" in text


def test_a_misspelt_setting_names_its_example_file(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_config(make_config(tmp_path, settings="[crawl]\nmax_age = 3\n"))
    assert "did you mean 'max_age_days'?" in caught.value.message
    assert "config/newsmon.example.toml" in caught.value.message and caught.value.line == 2


def test_broken_outlets_can_be_skipped_so_the_others_still_load(tmp_path):
    config = load_config(two_broken(tmp_path), skip_broken_outlets=True)
    assert list(config.outlets) == ["example"] and sorted(config.skipped) == ["a", "b"]
    assert (5, "max_age_day") in [problem[:2] for problem in config.skipped["a"]]
    assert "a.toml:5: max_age_day: unknown field" in str(config.skipped_error("a"))
    error = config.skipped_error("b")
    assert error.path.endswith("outlets/b.toml") and "not valid TOML" in str(error)
    (tmp_path / "t").mkdir()
    broken_topic = make_config(tmp_path / "t")
    (broken_topic / "topics" / "russian-military-desertion.toml").write_text("id = 1\n")
    with pytest.raises(ConfigErrors):  # a broken topic stops everything
        load_config(broken_topic, skip_broken_outlets=True)


def test_a_broken_outlet_never_stops_another_outlets_crawl(tmp_path):
    with FixtureWeb() as web:
        root = tmp_path / "config"
        (root / "topics").mkdir(parents=True)
        (root / "topics" / "russian-military-desertion.toml").write_text(TOPIC)
        web.write_configs(root)
        for path in (root / "outlets").glob("*.toml"):
            if path.stem != "steppe-herald":
                path.unlink()
        (root / "outlets" / "a.toml").write_text(BROKEN_A)
        db = ["--db", str(tmp_path / "newsmon.db"), "--config", str(root)]
        everything = CliRunner().invoke(main, ["crawl", *db])
        assert everything.exit_code == 1, everything.output
        assert "steppe-herald" in everything.stdout and "max_age_day" in everything.stderr
        assert "a is not crawled until that is fixed" in everything.stderr
        one = CliRunner().invoke(main, ["crawl", *db, "--outlet", "steppe-herald"])
        assert one.exit_code == 0, one.output
        broken = CliRunner().invoke(main, ["crawl", *db, "--outlet", "a"])
        assert broken.exit_code == 2 and "outlets/a.toml" in broken.stderr
    listed = CliRunner().invoke(main, ["outlets", "list", "--config", str(root)])
    assert listed.exit_code == 2 and "max_age_day" in listed.stderr
