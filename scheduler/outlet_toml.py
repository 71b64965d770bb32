"""Writing a drafted outlet config: the writing half of ``newsmon outlets add``.

The TOML says in comments what was found and how. It is written to a staging file next to
its place, validated with the config loader, then moved into place with a hard link, which
never replaces a file; on any failure nothing is left behind.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from datetime import date
from pathlib import Path

from crawler.config.load import load_outlet
from crawler.discovery.autodiscover import Probe
from crawler.errors import ConfigError, OutletExists
from scheduler.outlet_draft import Draft

# the control characters TOML forbids unescaped in strings and comments: all but tab
_CONTROLS = r"\x00-\x08\x0a-\x1f\x7f"
_CONTROL = re.compile(f"[{_CONTROLS}]")
_BASIC_ESCAPED = re.compile(f'["\\\\{_CONTROLS}]')  # ... and the quotation mark, the backslash
_NOT_LITERAL = re.compile(f"['{_CONTROLS}]")  # what a literal string cannot hold at all
_SHORT_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def describe(probe: Probe) -> str:
    """One line on a probe: the document, how it was found, what it gave (fit for a TOML
    comment)."""
    where = f"{probe.candidate.url} ({probe.candidate.found_by})"
    if probe.problem is not None:
        return _one_line(f"{where}: {probe.problem}")
    kind = "Google News sitemap, " if probe.news else ""
    detail = f"{probe.detail}, " if probe.detail else ""
    noun = "article links" if probe.candidate.kind == "listing" else "entries"
    return _one_line(f"{where}: {kind}{detail}{len(probe.urls)} {noun}")


def render_toml(draft: Draft, today: date) -> str:
    """The outlet's config file, with comments on where each value came from."""
    lines = [*_header(draft, today), "", *_identity(draft)]
    for source in draft.sources:
        lines += ["", *_source(source)]
    lines += ["", *_url_rules(draft), "", *_fetch(draft)]
    return "\n".join(lines) + "\n"


def refuse_existing(path: Path) -> None:
    """Raise OutletExists if a config file is already there."""
    if path.exists():
        raise OutletExists(str(path))


def write_new_outlet(outlets_dir: Path, outlet_id: str, text: str) -> Path:
    """Write ``<outlets_dir>/<outlet_id>.toml`` once it validates; never replace a file.
    Raise OutletExists, or ConfigError when the text does not validate."""
    target = outlets_dir / f"{outlet_id}.toml"
    refuse_existing(target)
    outlets_dir.mkdir(exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".outlets-add-", dir=outlets_dir))
    try:
        _validate_and_move(staging / target.name, text, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _validate_and_move(staged: Path, text: str, target: Path) -> None:
    staged.write_text(text, encoding="utf-8")
    try:
        load_outlet(staged)
    except ConfigError as error:
        problem = f"the draft is not valid, nothing was written: {error.message}"
        raise ConfigError(str(target), problem, error.field, error.line) from error
    try:
        os.link(staged, target)  # fails, rather than replaces, if the file appeared meanwhile
    except FileExistsError:
        raise OutletExists(str(target)) from None


def _header(draft: Draft, today: date) -> list[str]:
    name, name_from = draft.name
    language, language_from = draft.language
    tried = [f"#   {describe(p)}" for p in draft.probes if p not in draft.sources]
    return [
        f"# {_one_line(name)}: drafted by `newsmon outlets add {draft.homepage}` on {today}.",
        f"# Check it with `newsmon outlets check {draft.outlet_id}`, then say here how each",
        "# source address was confirmed.",
        f"# name from {name_from}; language {language} from {language_from}.",
        f"# robots.txt: {draft.robots}.",
        *(["# tried and not used:", *tried] if tried else []),
    ]


def _identity(draft: Draft) -> list[str]:
    return [
        f"id = {_basic(draft.outlet_id)}",
        f"name = {_basic(draft.name[0])}",
        f"homepage = {_basic(draft.homepage)}",
        f"language = {_basic(draft.language[0])}",
        f"domains = [{', '.join(_basic(domain) for domain in draft.domains)}]",
    ]


def _source(probe: Probe) -> list[str]:
    lines = [
        f"# found: {describe(probe)}",
        "[[sources]]",
        f"kind = {_basic(probe.candidate.kind)}",
        f"url = {_basic(probe.candidate.url)}",
    ]
    if probe.candidate.kind == "listing":
        lines.append("max_pages = 1")
    return lines


def _url_rules(draft: Draft) -> list[str]:
    pattern = draft.pattern
    if pattern is None:
        said = "# allow: the URLs the sources list share no shape; add a rule by hand if needed"
        allow = "allow = []"
    else:
        said = f"# allow: the shape {pattern.matched} of the {pattern.sample} URLs listed share"
        allow = f"allow = {_literals(pattern.allow)}"
    return [
        "[urls]",
        said,
        allow,
        "# deny: common non-article sections that none of the article URLs found is in",
        f"deny = {_literals(draft.deny)}",
    ]


def _fetch(draft: Draft) -> list[str]:
    lines = ["[fetch]", "obey_robots_txt = true"]
    if draft.crawl_delay_seconds is not None:
        lines += [
            f"# robots.txt asks for Crawl-delay: {draft.crawl_delay_seconds!r}",
            # repr: the shortest form that reads back as the same float (0.25, not 0.2)
            f"download_delay_seconds = {draft.crawl_delay_seconds!r}",
        ]
    return lines


def _basic(value: str) -> str:
    """A TOML basic string: the quotation mark, the backslash and every control character
    but tab escaped (JSON's escaping misses U+007F, which TOML forbids)."""
    return '"' + _BASIC_ESCAPED.sub(_escape, value) + '"'


def _escape(match: re.Match[str]) -> str:
    char = match[0]
    return _SHORT_ESCAPES.get(char) or f"\\u{ord(char):04X}"


def _literals(values: tuple[str, ...]) -> str:
    """A TOML array of literal strings, so that regexes stay unescaped."""
    return "[" + ", ".join(_literal(value) for value in values) + "]"


def _literal(value: str) -> str:
    return _basic(value) if _NOT_LITERAL.search(value) else f"'{value}'"


def _one_line(text: str) -> str:
    """Text for a TOML comment: one line, with no control character TOML forbids there."""
    return _CONTROL.sub(_escape, " ".join(text.split()))
