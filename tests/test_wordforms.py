"""Search finds every form of a Russian or Ukrainian word: the query is rewritten with the
word's dictionary forms (crawler/content/wordforms.py)."""

import json
from datetime import UTC, datetime

from click.testing import CliRunner

from crawler.content.article import ExtractedArticle
from crawler.content.wordforms import expand_query, forms_of
from crawler.ingest import Ingestor
from crawler.records import PageRecord
from crawler.spool import Spool
from scheduler.cli import main
from storage.runs import start_run

RUSSIAN = (
    "Гарнизонный военный суд в Самаре приговорил двух дезертиров из Российской армии к пяти "
    "годам колонии за самовольное оставление части. Российские военнослужащие сбежали с "
    "фронта летом; правозащитники говорят, что дезертиров держат в подвалах."
)


def russian_article() -> ExtractedArticle:
    """An on-topic Russian article, published today."""
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    return ExtractedArticle(
        "Дезертиров приговорили", RUSSIAN, None, (), today, "ru", None, None, None, 40
    )


def test_a_word_gets_its_forms_in_both_languages():
    forms = forms_of("Дезертиры")
    assert {"дезертир", "дезертиров", "дезертирами", "дезертирів"} <= set(forms)
    assert forms_of("Xyzzyqq") == ("xyzzyqq",)


def test_only_plain_cyrillic_words_are_rewritten():
    query = expand_query('Дезертиры AND "самовольное оставление" суд* title:Самара NOT Kyiv')
    assert query.startswith('("дезертир" OR ') and ' AND "самовольное оставление" ' in query
    assert " суд* title:Самара NOT Kyiv" in query


def test_search_finds_another_form_of_the_word(store, example_config, tmp_path):
    run = start_run(store, "example", "cli")
    spool = Spool(tmp_path / "spool")
    article = russian_article()
    url = "https://www.example.org/ru"
    spool.put(PageRecord(run, "example", url, url, 200, "text/html", "t", None, article, None))
    Ingestor(store, example_config).ingest(spool)
    assert store.db["articles"].count == 1
    db = ["--db", str(store.path)]
    found = CliRunner().invoke(main, ["search", "Дезертиры", "--json", *db])
    assert [json.loads(line)["url"] for line in found.stdout.splitlines()] == [url]
    as_written = CliRunner().invoke(main, ["search", '"Дезертиры"', *db])
    assert as_written.stdout == ""  # a quoted word is searched as written
