"""The store in Datasette: descriptions from storage/schema.md, raw FTS5 search, hidden
bookkeeping tables. The Datasette tier runs where Datasette is installed
(pip install 'newsmon[datasette]')."""

import asyncio
import json

import pytest
from click.testing import CliRunner
from test_wordforms import RUSSIAN, russian_article

from crawler.ingest import Ingestor
from crawler.records import PageRecord
from crawler.spool import Spool
from scheduler.cli import main
from storage import Store
from storage.catalog import datasette_metadata, read_schema
from storage.outlets import sync_outlets
from storage.runs import start_run


@pytest.fixture
def russian_store(tmp_path, example_config):
    """A store no process holds, with one Russian article."""
    path = tmp_path / "newsmon.db"
    with Store.open(path) as store:
        sync_outlets(store, [o.model_dump(mode="json") for o in example_config.outlets.values()])
        run = start_run(store, "example", "cli")
        spool = Spool(tmp_path / "spool")
        url = "https://www.example.org/ru"
        spool.put(
            PageRecord(
                run, "example", url, url, 200, "text/html", "t", None, russian_article(), None
            )
        )
        Ingestor(store, example_config).ingest(spool)
    return path


def test_every_documented_table_and_column_reaches_the_metadata():
    docs = read_schema()
    tables = datasette_metadata()["databases"]["newsmon"]["tables"]
    assert {"articles", "current_articles", "stories", "urls"} <= set(tables)
    for name, doc in docs.items():
        assert tables[name]["description"] == doc.description and doc.description
        assert tables[name]["columns"] == doc.columns
    assert tables["articles"]["searchmode"] == "raw" and "outlet_id" in tables["articles"]["facets"]
    assert tables["_migrations"]["hidden"] and tables["article_bands"]["hidden"]
    assert "the outlet" in tables["articles"]["columns"]["outlet_id"]


def test_browse_writes_the_metadata_for_a_datasette_elsewhere(russian_store):
    result = CliRunner().invoke(main, ["browse", "--db", str(russian_store), "--metadata", "-"])
    assert result.exit_code == 0, result.output
    assert "articles" in json.loads(result.stdout)["databases"]["newsmon"]["tables"]
    missing = CliRunner().invoke(main, ["browse", "--db", str(russian_store.with_name("x.db"))])
    assert missing.exit_code == 3


def test_datasette_shows_the_descriptions_and_finds_a_cyrillic_prefix(russian_store):
    app = pytest.importorskip("datasette.app")
    datasette = app.Datasette([str(russian_store)], metadata=datasette_metadata())

    async def fetch(path):
        response = await datasette.client.get(path)
        assert response.status_code == 200, (path, response.text[:300])
        return response

    async def run():
        page = await fetch("/newsmon/articles")
        metadata = (await fetch("/-/metadata.json")).json()
        found = (await fetch("/newsmon/articles.json?_search=дезертир*&_shape=array")).json()
        tables = (await fetch("/newsmon.json")).json()["tables"]
        return page.text, metadata, found, tables

    page, metadata, found, tables = asyncio.run(run())
    assert "the outlet (`outlets.id`) it was found on" in page  # a column's description
    assert metadata["databases"]["newsmon"]["tables"]["articles"]["searchmode"] == "raw"
    assert [row["url"] for row in found] == ["https://www.example.org/ru"]
    assert RUSSIAN[:40] in found[0]["text"]
    hidden = {table["name"] for table in tables if table["hidden"]}
    assert {"_migrations", "article_bands"} <= hidden
