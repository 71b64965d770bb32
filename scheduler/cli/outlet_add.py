"""``newsmon outlets add URL``: draft an outlet config from its homepage."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import click

from crawler.canonical import is_http_url
from crawler.config import load_config
from crawler.config.topics import ID_PATTERN, LANGUAGE_PATTERN
from crawler.discovery.autodiscover import Probe, outlet_id_for
from scheduler.cli.friendly import friendly_errors
from scheduler.cli.options import config_option
from scheduler.outlet_draft import Draft, Web, draft_outlet
from scheduler.outlet_toml import describe, refuse_existing, render_toml, write_new_outlet


def homepage_url(value: str) -> str | None:
    """The http(s) URL an argument means, or None: ``holod.media`` means
    ``https://holod.media/``, ``holod.media?lang=ru`` means ``https://holod.media/?lang=ru``
    (an empty path becomes ``/``; the query is kept)."""
    url = value.strip() if "://" in value else f"https://{value.strip()}"
    if not is_http_url(url):
        return None
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=parts.path or "/"))


def _homepage_url(ctx: click.Context, param: click.Parameter, value: str) -> str:
    url = homepage_url(value)
    if url is None:
        raise click.BadParameter(f"{value!r} is not an http(s) address", ctx, param)
    return url


def _matching(pattern: str, what: str) -> Callable[[click.Context, click.Parameter, Any], Any]:
    """An option callback that accepts only values matching ``pattern`` (or no value)."""

    def check(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(pattern, value):
            raise click.BadParameter(f"{value!r} is not {what}", ctx, param)
        return value

    return check


@click.command("add")
@click.argument("url", callback=_homepage_url)
@click.option(
    "--id",
    "outlet_id",
    callback=_matching(ID_PATTERN, "an id of lower-case letters, digits and dashes"),
    help="outlet id and file name; default: from the host (holod.media -> holod)",
)
@click.option(
    "--language",
    callback=_matching(LANGUAGE_PATTERN, "a two-letter ISO 639-1 code"),
    help="ISO 639-1 code of the outlet's main language; default: the homepage's <html lang>",
)
@config_option
@friendly_errors
def add_outlet(url: str, outlet_id: str | None, language: str | None, config_dir: str) -> None:
    """Draft config/outlets/<id>.toml from an outlet's homepage: find its feeds (linked, or at
    common paths), its sitemaps (robots.txt, common paths; news sitemaps preferred) or else
    its homepage links, keep those that parse to entries, derive the article URL rule, and
    write the file, validated, with comments on what was found. Never replaces a file."""
    config = load_config(config_dir, skip_broken_outlets=True)
    outlet_id = outlet_id or outlet_id_for(url)
    outlets_dir = Path(config_dir) / "outlets"
    refuse_existing(outlets_dir / f"{outlet_id}.toml")
    click.echo(f"reading {url} and the documents it points to")
    web = Web(config.settings.fetch)
    draft = draft_outlet(url, outlet_id, web, language=language, on_probe=_echo_probe)
    for line in _summary(draft):
        click.echo(line)
    written = write_new_outlet(outlets_dir, outlet_id, render_toml(draft, date.today()))
    click.echo(f"wrote {written}")
    elsewhere = "" if config_dir == "config" else f" --config {config_dir}"
    click.echo(f"next: newsmon outlets check {outlet_id}{elsewhere}")


def _echo_probe(probe: Probe) -> None:
    click.echo(f"  {probe.candidate.kind:<8} {describe(probe)}")


def _summary(draft: Draft) -> list[str]:
    sources = ", ".join(f"{s.candidate.kind} {s.candidate.url}" for s in draft.sources)
    allow = " ".join(draft.pattern.allow) if draft.pattern else "(none: no shared URL shape)"
    matched = f" ({draft.pattern.matched} of {draft.pattern.sample} URLs)" if draft.pattern else ""
    return [
        f"name:     {draft.name[0]} (from {draft.name[1]})",
        f"language: {draft.language[0]} (from {draft.language[1]})",
        f"sources:  {sources}",
        f"allow:    {allow}{matched}",
        f"domains:  {', '.join(draft.domains)}",
    ]
