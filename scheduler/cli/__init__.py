"""The ``newsmon`` command line: one module per command group. The only place where errors
become messages for people (``friendly``).

Exit codes: 0 success; 1 the command ran but something failed (an outlet's crawl, a check);
2 wrong usage or an invalid config; 3 the store cannot be used (missing, locked, disk full).
"""

from __future__ import annotations

import click

from scheduler.cli import browse, crawl, daemon, outlets, query, reextract, review, stories
from scheduler.logs import setup_logging


@click.group()
@click.version_option(package_name="newsmon")
@click.option("-v", "--verbose", is_flag=True, help="log what newsmon does to stderr")
def main(verbose: bool) -> None:
    """newsmon: a news monitor for one topic at a time."""
    setup_logging("plain", "INFO" if verbose else "WARNING")


main.add_command(crawl.crawl)
main.add_command(daemon.run)
main.add_command(daemon.status)
main.add_command(query.export)
main.add_command(query.search)
main.add_command(query.recent)
main.add_command(query.feed)
main.add_command(outlets.outlets)
main.add_command(stories.stories)
main.add_command(stories.show)
main.add_command(review.review)
main.add_command(review.label)
main.add_command(review.labels_command)
main.add_command(browse.browse)
main.add_command(reextract.reextract)
