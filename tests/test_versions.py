"""Article versions: stored articles are fetched again on a schedule with a conditional GET;
an unchanged page costs a 304, an edited one becomes version 2 with its diff."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from crawler.content.article import ExtractedArticle
from crawler.content.versions import next_recheck, revise
from daemonkit import query, write_config
from fixtureweb import FixtureWeb
from scheduler.cli import main

OUTLET = "steppe-herald"
ADDED = (
    "Update: after this article was published, the regional prosecutor's office said it had "
    "opened an inquiry into the conditions at the assembly point."
)


def fetched(title: str, text: str) -> ExtractedArticle:
    return ExtractedArticle(title, text, None, (), None, "en", None, None, None, len(text.split()))


def test_a_changed_text_is_a_revision_with_a_diff_and_formatting_is_not():
    text = "First paragraph.\nSecond paragraph."
    assert revise("T", text, fetched("T", "First  paragraph.\nSECOND paragraph")) is None
    revision = revise("T", text, fetched("T", text + "\n" + ADDED))
    assert revision is not None and (revision.added, revision.removed) == (1, 0)
    assert f"+{ADDED}" in revision.diff.splitlines()
    retitled = revise("T", text, fetched("T, updated", text))
    assert retitled is not None and "+# T, updated" in retitled.diff


def test_rechecks_follow_the_schedule_from_the_time_stored():
    schedule = (1.0, 6.0, 24.0)
    assert next_recheck("2026-11-30T10:00:00Z", 0, schedule) == "2026-11-30T11:00:00Z"
    assert next_recheck("2026-11-30T10:00:00Z", 2, schedule) == "2026-12-01T10:00:00Z"
    assert next_recheck("2026-11-30T10:00:00Z", 3, schedule) is None


def crawl(config: Path) -> None:
    result = CliRunner().invoke(main, ["crawl", "--config", str(config)], catch_exceptions=False)
    assert result.exit_code == 0, result.output


def article_requests(web: FixtureWeb, paths: set[str]) -> dict[str, int | None]:
    return {r.path: r.status for r in web.requests_for(OUTLET) if r.path in paths}


def test_an_edited_article_becomes_version_2_and_unchanged_ones_cost_a_304(tmp_path: Path):
    with FixtureWeb() as web:
        setup = write_config(tmp_path, web, [OUTLET], crawl_timeout=120)
        settings = setup.config / "newsmon.toml"
        recheck = "[crawl]\nrecheck_after_hours = [0, 0]\n"
        settings.write_text(settings.read_text().replace("[crawl]\n", recheck))
        crawl(setup.config)
        stored = {
            r["url"].removeprefix(web.base_url(OUTLET)): r["id"]
            for r in query(setup.db, "select * from articles")
        }
        edited_path = next(p for p in stored if "caught-held" in p)
        article = next(a for a in web.articles_for(OUTLET) if a.path == edited_path)
        web.revise(OUTLET, edited_path, (*article.paragraphs, ADDED))
        web.clear_log()
        crawl(setup.config)  # the first recheck: the edited page changed, the others did not
        first = article_requests(web, set(stored))
        assert first == {path: 200 if path == edited_path else 304 for path in stored}
        web.clear_log()
        crawl(setup.config)  # the second recheck: nothing changed since
        assert set(article_requests(web, set(stored)).values()) == {304}
        web.clear_log()
        crawl(setup.config)  # the schedule is over
        assert article_requests(web, set(stored)) == {}
        row = query(setup.db, "select * from articles where id = ?", stored[edited_path])[0]
        assert row["version"] == 2 and ADDED in row["text"] and row["rechecks"] == 2
        assert row["recheck_due_at"] is None
        versions = query(setup.db, "select * from article_versions order by version")
        assert [v["version"] for v in versions] == [1, 2]
        assert ADDED not in versions[0]["text"] and f"+{ADDED}" in versions[1]["diff"]
        others = query(setup.db, "select version from articles where id != ?", stored[edited_path])
        assert {r["version"] for r in others} == {1}
        shown = CliRunner().invoke(
            main, ["show", "--config", str(setup.config), str(stored[edited_path])]
        )
        assert "Version 2" in shown.stdout and f"+{ADDED}" in shown.stdout
