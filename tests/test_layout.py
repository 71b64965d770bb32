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


# inside crawler: the leaves and config <- discovery, content <- the hand-over <- fetch, ingest
# <- reextract (a maintenance pass built on the writer)
CRAWLER_LAYERS = [
    {"errors", "canonical", "config"},
    {"discovery", "content"},
    {"records", "spool", "frontier", "known"},
    {"fetch", "ingest"},
    {"reextract"},
]


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def crawler_layer(module: str) -> int | None:
    """The layer of a crawler module ('crawler.fetch.spider' -> 3), None outside crawler."""
    parts = module.split(".")
    if parts[0] != "crawler" or len(parts) < 2:
        return None
    return next(i for i, layer in enumerate(CRAWLER_LAYERS) if parts[1] in layer)


@pytest.mark.parametrize("package", PACKAGES)
def test_dependencies_point_one_way(package):
    forbidden = set(PACKAGES) - MAY_IMPORT[package] - {package}
    offenders = {
        str(path.relative_to(REPO)): sorted(imported_top_levels(path) & forbidden)
        for path in (REPO / package).rglob("*.py")
        if imported_top_levels(path) & forbidden
    }
    assert offenders == {}


def test_inside_crawler_dependencies_point_down_the_data_flow():
    offenders = []
    for path in (REPO / "crawler").rglob("*.py"):
        module = ".".join(path.relative_to(REPO).with_suffix("").parts)
        own = crawler_layer(module.removesuffix(".__init__"))
        if own is None:
            continue
        for imported in imported_modules(path):
            layer = crawler_layer(imported)
            if layer is None:
                continue
            same_package = imported.split(".")[1] == module.split(".")[1]
            if layer > own and not same_package:
                offenders.append(f"{module} imports {imported}")
            if layer == own and not same_package and own in (1, 3):
                offenders.append(f"{module} imports its sibling {imported}")
    assert offenders == []


def test_only_crawler_fetch_imports_scrapy():
    offenders = [
        str(path.relative_to(REPO))
        for package in PACKAGES
        for path in (REPO / package).rglob("*.py")
        if {"scrapy", "twisted"} & imported_top_levels(path)
        and "crawler/fetch" not in path.relative_to(REPO).as_posix()
    ]
    assert offenders == []


def test_every_crawler_module_has_a_layer():
    modules = {
        p.stem if p.parent.name == "crawler" else p.parent.name
        for p in (REPO / "crawler").rglob("*.py")
    }
    known = set().union(*CRAWLER_LAYERS) | {"__init__"}
    assert modules - known == set()


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
        "crawler/discovery/feeds.py",
        "crawler/fetch/spider.py",
        "scheduler/cli/__init__.py",
        "storage/migrations.py",
        "storage/schema.md",
    ):
        assert needed in files or any(f.endswith(needed) for f in files), needed


def readme_layout() -> list[str]:
    """The paths named in the README's code-layout block, nested by indentation."""
    readme = (REPO / "README.md").read_text()
    block = readme.split("### Code layout", 1)[1].split("```", 2)[1]
    paths, parent = [], ""
    for line in block.splitlines():
        if not line.strip() or line.startswith(" " * 10):
            continue  # blank, or a continued description
        indented = line.startswith("  ")
        names = [n for n in line.strip().split("  ")[0].split() if n.endswith(("/", ".py"))]
        if not indented:
            parent = names[0] if names else ""
            paths += names
        else:
            paths += [parent + name for name in names]
    return paths


def test_the_readme_layout_names_what_exists_and_every_package():
    named = readme_layout()
    assert [p for p in named if not (REPO / p).exists()] == []
    packages = {
        str(init.parent.relative_to(REPO)) + "/"
        for package in PACKAGES
        for init in (REPO / package).rglob("__init__.py")
    }
    top_modules = {str(p.relative_to(REPO)) for p in (REPO / "crawler").glob("*.py")}
    assert packages - set(named) == set()
    assert top_modules - set(named) - {"crawler/__init__.py"} == set()
