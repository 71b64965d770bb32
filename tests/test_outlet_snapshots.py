"""Golden extraction cases (tests/outlets/<id>/, written by `newsmon outlets snapshot ID`):
extraction of each kept page still yields what it yielded when the case was saved, with the
outlet's current [extract] options."""

from __future__ import annotations

import gzip
import json
import tomllib
from pathlib import Path

import pytest

from crawler.config import ExtractOptions, OutletConfig
from crawler.content.extraction import extract_article
from fixtureweb import OUTLETS
from fixtureweb.render import render_outlet_config
from scheduler.golden import expected_fields

HERE = Path(__file__).resolve().parent
CASES = sorted((HERE / "outlets").glob("*/*.json"))
SHIPPED = HERE.parent / "config" / "outlets"


def extract_options(outlet_id: str) -> ExtractOptions:
    """The outlet's options: its shipped config, else the fixture web's config for it."""
    shipped = SHIPPED / f"{outlet_id}.toml"
    text = (
        shipped.read_text(encoding="utf-8")
        if shipped.exists()
        else render_outlet_config(OUTLETS[outlet_id], "http://127.0.0.1:1")
    )
    return OutletConfig(**tomllib.loads(text)).extract


@pytest.mark.parametrize("case", CASES, ids=lambda path: f"{path.parent.name}/{path.stem}")
def test_extraction_still_yields_the_golden_case(case):
    saved = json.loads(case.read_text(encoding="utf-8"))
    page = gzip.decompress(case.with_name(case.stem + ".html.gz").read_bytes()).decode("utf-8")
    article = extract_article(page, saved["url"], extract_options(saved["outlet"]))
    assert expected_fields(article) == saved["expected"]


def test_every_fixture_outlet_has_golden_cases():
    assert {path.parent.name for path in CASES} >= set(OUTLETS)
