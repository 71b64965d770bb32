"""The store in Datasette: descriptions from storage/schema.md, raw FTS5 search, hidden
bookkeeping tables. The Datasette tier runs where Datasette is installed
(pip install 'newsmon[datasette]')."""

import asyncio
import contextlib
import json
import queue
import re
import shutil
import struct
import subprocess
import sys
import threading
import zlib
from urllib.parse import quote, unquote

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


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# as Debian's probe starts it: headless, as root, and with no traffic to the outside world
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,1000",
]


@contextlib.contextmanager
def served(store_path):
    """``newsmon browse`` on a free port of 127.0.0.1; yields its address once it serves."""
    command = [sys.executable, "-m", "scheduler", "browse", "--db", str(store_path), "--port", "0"]
    server = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        with server.stderr:
            for line in server.stderr:
                lines.put(line)
        lines.put(None)  # newsmon and its Datasette have both ended

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        yield _address(lines)
    finally:
        server.terminate()  # newsmon passes it on to Datasette
        server.wait(timeout=60)
        reader.join(timeout=60)
        assert not reader.is_alive(), "Datasette outlived newsmon browse"


def _address(lines) -> str:
    said = []
    while (line := lines.get(timeout=120)) is not None:
        said.append(line)
        if address := re.search(r"running on (http://\S+)", line):
            return address[1]
    raise AssertionError("newsmon browse ended before serving: " + "".join(said))


def chromium(tmp_path, *args):
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    command = [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, check=True, timeout=180)


def png_pixels(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and the decompressed scanlines of a PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    chunks, at = [], 8
    while at < len(data):
        size, kind = struct.unpack(">I4s", data[at : at + 8])
        if kind == b"IDAT":
            chunks.append(data[at + 8 : at + 8 + size])
        at += size + 12
    return width, height, zlib.decompress(b"".join(chunks))


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")
def test_a_real_browser_shows_described_tables_and_finds_a_cyrillic_prefix(russian_store, tmp_path):
    pytest.importorskip("datasette")
    shot = tmp_path / "articles.png"
    with served(russian_store) as address:
        page = f"{address}/newsmon/articles?_search=" + quote("дезертир*")
        dom = chromium(tmp_path, "--dump-dom", page).stdout.decode("utf-8")
        chromium(tmp_path, f"--screenshot={shot}", page)
    assert "https://www.example.org/ru" in dom  # the search found the Russian article
    assert "1 row where search matches" in re.sub(r"\s+", " ", dom), dom[:2000]
    assert "One row per stored report" in dom  # the table's description from schema.md
    assert RUSSIAN[:60] in dom
    assert "dl.column-descriptions{max-height" in unquote(dom)  # rows show on the first screen
    width, height, pixels = png_pixels(shot.read_bytes())
    assert (width, height) == (1280, 1000)
    assert len(set(pixels[:: len(pixels) // 5000])) > 8  # a page was drawn, not a blank
