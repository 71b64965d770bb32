"""Everything a user can touch is documented: commands, settings, store columns, export."""

import configparser
import re
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest

from crawler.config import Settings, load_config
from scheduler.cli import main
from storage import Store
from storage.queries import EXPORT_FIELDS

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text()
SCHEMA = (REPO / "storage" / "schema.md").read_text()


def command_paths(group: click.Group, prefix: str = "newsmon") -> list[str]:
    paths = []
    for name, command in group.commands.items():
        path = f"{prefix} {name}"
        if isinstance(command, click.Group):
            paths += command_paths(command, path)
        else:
            paths.append(path)
    return paths


def setting_names() -> list[str]:
    names = []
    for field, info in Settings.model_fields.items():
        section = info.annotation
        if isinstance(section, type) and hasattr(section, "model_fields"):
            names += [f"[{field}] {name}" for name in section.model_fields]
        else:
            names.append(field)
    return names


@pytest.mark.parametrize("command", command_paths(main))
def test_every_command_is_in_the_readme(command):
    assert command in README


@pytest.mark.parametrize("setting", setting_names())
def test_every_setting_is_in_the_readme(setting):
    assert f"| `{setting}` |" in README


def test_every_table_view_and_column_of_a_new_store_is_documented(tmp_path):
    with Store.open(tmp_path / "s.db") as store:
        tables = [t for t in store.db.table_names() if not t.startswith("articles_fts")]
        tables += store.db.view_names()
        missing = [
            f"{table}.{column}"
            for table in tables
            for column in store.db[table].columns_dict
            if not re.search(
                rf"^## {table}( \(view\))?$[\s\S]*?^\| {column} \|", SCHEMA, re.MULTILINE
            )
        ]
    assert missing == []


@pytest.mark.parametrize("field", EXPORT_FIELDS)
def test_every_export_field_is_documented(field):
    assert f"| `{field}` |" in README


def test_the_example_settings_file_lists_every_setting_at_its_default(tmp_path):
    example = (REPO / "config" / "newsmon.example.toml").read_text()
    (tmp_path / "topics").mkdir()
    (tmp_path / "topics" / "russian-military-desertion.toml").write_text(
        (REPO / "config" / "topics" / "russian-military-desertion.toml").read_text()
    )
    (tmp_path / "outlets").mkdir()
    (tmp_path / "newsmon.toml").write_text(example)
    assert load_config(tmp_path).settings == Settings()
    for setting in setting_names():
        name = setting.split()[-1]
        assert re.search(rf"^#? ?{name} = ", example, re.MULTILINE), setting


def test_the_systemd_unit_runs_the_daemon_and_lets_it_stop_its_crawls():
    unit = configparser.ConfigParser(interpolation=None, strict=False)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read(REPO / "deploy" / "newsmon.service")
    service = unit["Service"]
    assert service["ExecStart"].split()[1:3] == ["run", "--config"]
    assert service["ExecStart"].split()[0].endswith("/newsmon")
    assert service["ExecReload"].endswith("-HUP $MAINPID")
    assert service["KillMode"] == "mixed"
    assert unit["Install"]["WantedBy"] == "multi-user.target"


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not here")
def test_systemd_accepts_the_unit(tmp_path):
    """systemd's own check, with the paths an operator sets pointed at this machine's: it
    checks that ExecStart runs, and warns (on stderr) about any key or value it ignores."""
    newsmon = Path(sys.executable).with_name("newsmon")
    if not newsmon.exists():
        pytest.skip("newsmon is not installed beside this Python")
    text = (REPO / "deploy" / "newsmon.service").read_text(encoding="utf-8")
    text = text.replace("/srv/newsmon/.venv/bin/newsmon", str(newsmon))
    text = text.replace("WorkingDirectory=/srv/newsmon", f"WorkingDirectory={tmp_path}")
    unit = tmp_path / "newsmon.service"
    unit.write_text(text, encoding="utf-8")
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", str(unit)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0 and result.stderr.strip() == "", result.stderr
