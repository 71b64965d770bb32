import json
import logging
import re

from scheduler.logs import JsonFormatter, PlainFormatter


def record(message: str, **fields) -> logging.LogRecord:
    made = logging.LogRecord("newsmon.daemon", logging.INFO, __file__, 1, message, None, None)
    made.fields = fields
    return made


def test_plain_lines_carry_fields_as_key_value():
    line = PlainFormatter().format(record("crawl finished", outlet="dw", why="nothing new"))
    assert line.endswith('INFO    crawl finished outlet=dw why="nothing new"')


def test_json_lines_are_one_object_each():
    line = JsonFormatter().format(record("crawl finished", outlet="dw", stored=3))
    document = json.loads(line)
    assert (document["message"], document["outlet"], document["stored"]) == (
        "crawl finished",
        "dw",
        3,
    )
    assert "\n" not in line
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", document["time"])  # the store's form
