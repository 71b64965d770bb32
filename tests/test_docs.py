"""Everything a user can touch is documented: commands, settings, store columns, export."""

import re
from pathlib import Path

import click
import pytest

from crawler.config import Settings
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


def test_every_table_and_column_of_a_new_store_is_documented(tmp_path):
    with Store.open(tmp_path / "s.db") as store:
        tables = [t for t in store.db.table_names() if not t.startswith("articles_fts")]
        missing = [
            f"{table}.{column}"
            for table in tables
            for column in store.db[table].columns_dict
            if not re.search(rf"^## {table}$[\s\S]*?^\| {column} \|", SCHEMA, re.MULTILINE)
        ]
    assert missing == []


@pytest.mark.parametrize("field", EXPORT_FIELDS)
def test_every_export_field_is_documented(field):
    assert f"| `{field}` |" in README
