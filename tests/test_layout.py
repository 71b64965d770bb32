"""The house rules that code review would otherwise have to catch."""

import ast
import importlib.metadata
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("storage", "crawler", "scheduler")
# storage <- crawler <- scheduler: a package may import only those to its left
MAY_IMPORT = {"storage": set(), "crawler": {"storage"}, "scheduler": {"storage", "crawler"}}


def imported_top_levels(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", PACKAGES)
def test_dependencies_point_one_way(package):
    forbidden = set(PACKAGES) - MAY_IMPORT[package] - {package}
    offenders = {
        str(path.relative_to(REPO)): sorted(imported_top_levels(path) & forbidden)
        for path in (REPO / package).rglob("*.py")
        if imported_top_levels(path) & forbidden
    }
    assert offenders == {}


def test_every_package_directory_is_listed_in_pyproject():
    listed = set(
        tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    on_disk = {
        ".".join(init.parent.relative_to(REPO).parts)
        for package in PACKAGES
        for init in (REPO / package).rglob("__init__.py")
    }
    assert on_disk == listed


def test_the_installed_distribution_carries_the_packages_and_schema_docs():
    try:
        files = {str(f) for f in importlib.metadata.distribution("newsmon").files or []}
    except importlib.metadata.PackageNotFoundError:
        pytest.fail("newsmon is not installed: run the README's test command")
    for needed in (
        "crawler/__init__.py",
        "crawler/sources/feeds.py",
        "scheduler/cli.py",
        "storage/migrations.py",
        "storage/schema.md",
    ):
        assert needed in files or any(f.endswith(needed) for f in files), needed
