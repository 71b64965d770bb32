"""newsmon reextract: after an outlet's [extract] options or the topic change, the kept raw
HTML is extracted and judged again; what changed is stored and reported."""

from __future__ import annotations

import gzip
import html
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_ingest import ON_TOPIC, page

from crawler.config import load_config
from crawler.content.extraction import extract_article
from crawler.ingest import Ingestor
from crawler.spool import Spool
from scheduler.cli import main
from storage import Store
from storage.outlets import sync_outlets
from storage.runs import start_run

PROMO = "Subscribe to our weekly letter for more reports like this one and special offers."
PAGE = f"""<html><head><title>Russian deserters sent back</title></head><body>
<article><h1>Russian deserters sent back</h1>
<p>{html.escape(ON_TOPIC)}</p>
<p class="promo">{PROMO}</p>
<p>Relatives said the men were held for weeks before the commanders sent them back to the
front line, and lawyers said none of them had seen a court.</p>
</article></body></html>"""
URL = "https://www.example.org/a"


@pytest.fixture
def stored(make_config_dir, tmp_path):
    """A store with one article whose raw HTML is kept; the config directory."""
    root = make_config_dir()
    config = load_config(root)
    path = tmp_path / "newsmon.db"
    article = extract_article(PAGE, URL)
    assert PROMO in article.text  # the furniture a maintainer will prune
    with Store.open(path) as store:
        sync_outlets(store, [o.model_dump(mode="json") for o in config.outlets.values()])
        run = start_run(store, "example", "cli")
        spool = Spool(tmp_path / "spool")
        record = page(run, URL, article=article, html_gzip=gzip.compress(PAGE.encode()))
        spool.put(record)
        Ingestor(store, config).ingest(spool)
    return root, path


def reextract(root: Path, path: Path):
    return CliRunner().invoke(main, ["reextract", "--config", str(root), "--db", str(path)])


def article_row(path: Path):
    with Store.open_readonly(path) as store:
        return dict(store.db["articles"].get(1))


def test_a_pruned_element_makes_a_new_version_with_its_diff(stored):
    root, path = stored
    unchanged = reextract(root, path)
    assert unchanged.exit_code == 0 and unchanged.stdout == ""
    assert "1 articles extracted again, 0 changed" in unchanged.stderr
    outlet = root / "outlets" / "example.toml"
    outlet.write_text(outlet.read_text() + "[extract]\nprune_xpath = [\"//p[@class='promo']\"]\n")
    result = reextract(root, path)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("[1] text changed (+0 -1 lines): new version")
    row = article_row(path)
    assert row["version"] == 2 and PROMO not in row["text"]
    with Store.open_readonly(path) as store:
        [second] = store.db.query("select * from article_versions where version = 2")
    assert f"-{PROMO}" in second["diff"]


def test_a_stricter_topic_demotes_unless_an_analyst_labelled_it(stored):
    root, path = stored
    topic = next((root / "topics").glob("*.toml"))
    shipped = topic.read_text()
    topic.write_text(re.sub(r"(?m)^threshold = .*$", "threshold = 500.0", shipped, count=1))
    result = reextract(root, path)
    assert "[1] score" in result.stdout and "on_topic -> off_topic" in result.stdout
    row = article_row(path)
    assert row["topic_status"] == "off_topic"
    assert json.loads(row["relevance_details"])["threshold"] == 500.0
    CliRunner().invoke(main, ["label", "1", "on", "--config", str(root), "--db", str(path)])
    topic.write_text(topic.read_text().replace("threshold = 500.0", "threshold = 600.0", 1))
    reextract(root, path)
    assert article_row(path)["topic_status"] == "on_topic"  # the label stands
