"""The gate's words kept between crawls: a file the next gate of the same fingerprint starts
from; a broken or unwritable one costs only speed."""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from crawler.config import load_config
from crawler.content.gate import Gate
from crawler.content.relevance import CompiledTopic
from crawler.fetch import gatewords

REPO = Path(__file__).resolve().parent.parent
TOPIC = CompiledTopic(load_config(REPO / "config").topics["russian-military-desertion"])
PAGE = "<html><body><p>Russian deserters fled the front; a soldier hid.</p></body></html>"


def learnt_gate() -> Gate:
    gate = Gate([TOPIC])
    gate.reject(PAGE)
    return gate


def test_the_words_kept_are_the_words_recalled(tmp_path):
    gate = learnt_gate()
    gatewords.keep(gate, tmp_path / "gate")
    fresh = Gate([TOPIC])
    gatewords.recall(fresh, tmp_path / "gate")
    assert fresh.learnt() == gate.learnt() and gate.learnt().relevant


def test_a_broken_file_is_ignored(tmp_path):
    gate = learnt_gate()
    for content in (b"{not json", b"[1, 2]", b'{"seen": [1], "relevant": {}}', b"\xff\xfe"):
        (tmp_path / f"{gate.fingerprint}.json").write_bytes(content)
        fresh = Gate([TOPIC])
        gatewords.recall(fresh, tmp_path)
        assert fresh.words_seen == 0


def test_a_folder_that_cannot_be_written_costs_a_warning(tmp_path, caplog):
    blocked = tmp_path / "gate"
    blocked.write_text("a file where the folder should be")
    with caplog.at_level(logging.WARNING):
        gatewords.keep(learnt_gate(), blocked)
    assert "not kept for the next crawl" in caplog.text


def test_words_no_crawl_used_for_a_week_are_forgotten(tmp_path):
    old, recent = tmp_path / "0123456789abcdef0123.json", tmp_path / "fedcba9876543210fedc.json"
    for path, days in ((old, 8), (recent, 6)):
        path.write_text("{}")
        then = time.time() - days * 24 * 3600
        os.utime(path, (then, then))
    gate = learnt_gate()
    gatewords.keep(gate, tmp_path)
    assert sorted(p.name for p in tmp_path.glob("*.json")) == sorted(
        [recent.name, f"{gate.fingerprint}.json"]
    )
