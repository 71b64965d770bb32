"""The crawl processes' own messages in newsmon's log.

A crawl process (and the warm worker that forks them) writes log lines to its stderr, a pipe
newsmon reads; each line is logged again here, at its level, tagged with fields that say
whose it is, so the daemon's plain or JSON log format applies to crawls too.
"""

from __future__ import annotations

import logging
import re
from typing import IO

_LEVEL = re.compile(r"^(DEBUG|INFO|WARNING|ERROR|CRITICAL) ")
_LEVELS = logging.getLevelNamesMapping()


def forward_log(stream: IO[bytes], fields: dict[str, object]) -> None:
    """Re-log a process's stderr line by line through ``newsmon.crawl`` until it closes (the
    process ended), then close it; lines without a level continue the previous record
    (tracebacks), and are warnings before any level was seen."""
    level = logging.WARNING
    crawl_log = logging.getLogger("newsmon.crawl")
    with stream:
        for raw in stream:
            line = raw.decode("utf-8", "replace").rstrip()
            found = _LEVEL.match(line)
            if found:
                level = _LEVELS[found.group(1)]
                line = line[found.end() :]
            if line:
                crawl_log.log(level, line, extra={"fields": fields})
