"""The gate before extraction: it turns away pages no topic could keep, and never a page the
full path (extraction, then the scorer) keeps, on topic or borderline. Checked on the fixture
web's pages, on the seeds, and (when ../shared is present) on real article pages with
on-topic paragraphs put in at random places and in random forms."""

from __future__ import annotations

import gzip
import html
import json
import random
import re
from datetime import UTC, datetime
from pathlib import Path

import pymorphy3
import pytest

from crawler.config import load_config, resolve
from crawler.content import gate as gate_module
from crawler.content.article import NoArticleBody
from crawler.content.extraction import extract_article
from crawler.content.gate import Gate, Neighbours
from crawler.content.lemmas import lemmas
from crawler.content.rawtext import (
    PageText,
    _alternation,
    _pieces_with_entities,
    page_runs,
    page_text,
    page_tokens,
)
from crawler.content.relevance import CompiledTopic
from crawler.fetch.spider import CrawlJob, OutletSpider
from crawler.frontier import SqliteFrontier
from crawler.spool import Spool
from fixtureweb import ARTICLES, OUTLETS
from fixtureweb.content import local_news
from fixtureweb.render import SiteState, render_article

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
TOPIC = CompiledTopic(load_config(REPO / "config").topics["russian-military-desertion"])
GATE = Gate([TOPIC])
# a gate for each outlet's domains (.ru names the shipped topic's russian_outlet on every page)
GATES = {
    (): GATE,
    ("ngs.ru",): Gate([TOPIC], ["ngs.ru"]),
    ("meduza.io",): Gate([TOPIC], ["meduza.io"]),
}
NOW = datetime(2026, 11, 30, tzinfo=UTC)


def kept(page: str, url: str = "https://example.org/a", sites: tuple[str, ...] = ()) -> bool:
    """What the full path decides for an outlet with these domains: extracted, scored, on
    topic or borderline (and whenever it is kept, the outlet's gate lets its scoring fields
    through too: a crawl sends its HTML)."""
    try:
        article = extract_article(page, url)
    except NoArticleBody:
        return False
    fields = article.scoring_fields()
    relevance = TOPIC.score(*fields, article.language, sites)
    keep = relevance.on_topic or relevance.borderline
    assert not keep or GATES[sites].reject_extracted(fields) is None, fields
    return keep


def fixture_pages() -> list[tuple[str, str]]:
    pages = []
    for outlet_id, outlet in OUTLETS.items():
        articles = tuple(a for a in ARTICLES if a.outlet_id == outlet_id)
        state = SiteState(outlet, articles, f"https://{outlet_id}.example", NOW, NOW, NOW)
        pages += [(a.expect, render_article(state, a)) for a in articles]
    return pages


def simple_page(title: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (
        f"<html><head><title>{html.escape(title)}</title></head>"
        f"<body><article><h1>{html.escape(title)}</h1>{body}</article></body></html>"
    )


def test_every_fixture_page_the_full_path_keeps_passes_and_local_news_does_not():
    outcomes = [(expect, kept(page), GATE.reject(page)) for expect, page in fixture_pages()]
    assert sum(keep for _, keep, _ in outcomes) >= 20
    assert all(reason is None for _, keep, reason in outcomes if keep)
    turned_away = [reason for expect, _, reason in outcomes if expect == "off_topic" and reason]
    assert turned_away and all(r.startswith("gate: no term of") for r in turned_away)


@pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="../shared/seeds is absent")
def test_the_seeds_are_kept_and_pass_the_gate():
    for seed in sorted((SHARED / "seeds").glob("*.txt")):
        paragraphs = [p for p in seed.read_text().split("\n") if len(p.split()) > 12]
        page = simple_page(paragraphs[0][:80], paragraphs)
        assert kept(page) and GATE.reject(page) is None, seed.name


def test_words_split_by_inline_tags_entities_and_json_ld_escapes_are_read():
    split = "<p>A Rus<b>sian</b> soldier was a de&#115;erter.</p>"
    escaped = '<script type="application/ld+json">{"headline": "\\u0414\\u0435\\u0437"}</script>'
    tokens = page_tokens(split + escaped)
    assert {"Russian", "deserter", "Дез"} <= tokens
    described = '<meta name="description" content="Russian deserters"><p>Nothing here.</p>'
    assert GATE.reject(described) is None
    assert "Russian" not in page_tokens("<script>var x = 'Russian deserter';</script>")


def test_a_page_without_the_required_concepts_is_turned_away_with_the_reason():
    page = simple_page("Harvest festival", [local_news("en", random.Random(1)) for _ in range(3)])
    reason = GATE.reject(page)
    assert reason is not None and "desertion" in reason and "russian_military" in reason
    assert Gate([]).reject(page) is None  # no topic gated: every page is extracted


def test_a_phrase_needs_its_words_where_extraction_could_put_them_side_by_side():
    apart = simple_page("Note", ["They left the room.", "His unit of measure: the Russian metre."])
    reason = GATE.reject(apart)  # "left his unit": its words are on the page, never together
    assert reason is not None and "'left his unit' are on it, but never next to" in reason
    tagged = "<html><body><p>He left <b>his</b> unit, the Russian metre.</p></body></html>"
    assert GATE.reject(tagged) is None
    # "left" ends a piece of text and "his" starts one: extraction may drop what is between
    dropped = simple_page(
        "Note", ["They say he left", "Share this", "his unit. The Russian metre."]
    )
    assert GATE.reject(dropped) is None
    missing = simple_page("Note", ["They left the room.", "The Russian metre is long."])
    assert GATE.reject(missing) is not None and "never next to" not in GATE.reject(missing)


def test_unprintable_characters_that_extraction_drops_do_not_split_a_word():
    page = simple_page("Note", ["A Russian de\u00adserter, a Rus\u200bsian soldier."])
    assert {"Russian", "deserter"} <= page_tokens(page)
    assert GATE.reject(page) is None
    entity = "<html><body><p>A Russian de&shy;serter, a Russian sol&#8203;dier.</p></body></html>"
    assert {"deserter", "soldier"} <= page_tokens(entity)


def test_a_quoted_term_passes_the_gate_only_as_written():
    named = simple_page("Помощь", ['Проект "Идите лесом" помог российскому контрактнику.'])
    walked = simple_page("Поход", ["Российский контрактник шёл лесом."])
    assert GATE.reject(named) is None
    assert GATE.reject(walked) is not None


def test_a_lemmatiser_leaves_a_word_of_another_script_as_it_is():
    """Why the gate lemmatises a word only in the languages of its script."""
    for word in ("Deserters", "AWOL", "Kriegsdienstverweigerer", "fled", "1337"):
        assert {f for language in ("ru", "uk") for f in lemmas(word, language)} == {word.lower()}
    for word in ("Дезертиров", "самовольщики", "втекли", "СОЧ"):
        assert {f for language in ("en", "de") for f in lemmas(word, language)} == {word.lower()}


def test_words_disguised_with_latin_look_alikes_pass_the_gate_as_the_scorer_reads_them():
    """A page that writes Cyrillic words with Latin e, o, i, y... (seen on a real outlet)."""
    sentence = "Пiд Ізюмoм 200 oкyпaнтiв-дeзeртирiв хoвaютьcя y лici, їх рoзшyкyють кoмaндири."
    more = "Прo цe пoвiдoмилa влaдa грoмaди, якa нaрaзi пeрeбyвaє пiд oкyпaцiєю. " * 4
    page = simple_page("Дeзeртири", [sentence, "Рociйcькi oкyпaнти тiкaють з фрoнтy.", more])
    assert kept(page)
    assert GATE.reject(page) is None


def test_a_word_with_two_likely_lemmas_passes_the_gate_by_either():
    """The verb of "перешли" is "перейти" (a surrender phrase's) as often as "переслать"."""
    page = simple_page("Переход", ["Российские солдаты перешли на сторону Украины."])
    assert GATE.reject(page) is None
    assert "перейти" in lemmas("перешли", "ru")


def test_a_rule_naming_a_narrower_concept_passes_the_gate_only_with_its_terms():
    lines = [
        "Border guards in the far north said the man had crossed on foot at night, carrying "
        "nothing but a small bag and his papers.",
        "A Russian soldier fled to Norway and asked for asylum there.",
        "He is held in a reception centre near the town while officials decide on his request, "
        "which may take several months.",
    ]
    soldier = simple_page("Asylum request in Kirkenes", lines)
    civilians = simple_page(
        "Asylum request in Kirkenes", [lines[0], "Many Russians fled to Norway.", lines[2]]
    )
    assert kept(soldier) and GATE.reject(soldier) is None
    assert not kept(civilians) and GATE.reject(civilians) is not None


# -- real pages with on-topic paragraphs put in (../shared/data) ------------------------------


REAL_PAGES = sorted((SHARED / "data" / "scrapinghub_aeb").glob("*/page.html"))
ON_TOPIC = [
    " ".join(article.paragraphs[:3])
    for article in ARTICLES
    if article.expect == "on_topic" and article.language in ("en", "ru", "uk", "de")
]
_WORD = re.compile(r"\w{4,}")
_ANALYSERS = {language: pymorphy3.MorphAnalyzer(lang=language) for language in ("ru", "uk")}


def vary(paragraph: str, rng: random.Random) -> str:
    """The paragraph in another form: a word split by an inline tag or a soft hyphen, a letter
    written as an entity, another inflection of a Russian or Ukrainian word, or the paragraph
    cut in two after a word, with a share button between the halves."""
    words = list(_WORD.finditer(paragraph))
    match = rng.choice(words)
    word, cut = match.group(), rng.randint(1, len(match.group()) - 1)
    choice = rng.randrange(5)
    if choice == 0:
        new = f"{word[:cut]}<em>{word[cut:]}</em>"
    elif choice == 1:
        new = f"{word[:cut]}&#{ord(word[cut])};{word[cut + 1 :]}"
    elif choice == 2:
        new = f"{word[:cut]}\u00ad{word[cut:]}"
    elif choice == 3:
        new = f'{word}</p><div class="share"><a href="/share">Share</a></div><p>'
    else:
        new = _inflected(word, rng)
    return paragraph[: match.start()] + new + paragraph[match.end() :]


def _inflected(word: str, rng: random.Random) -> str:
    if not re.search("[а-яіїєґ]", word.lower()):
        return word.upper() if rng.random() < 0.5 else word.capitalize()
    analyser = _ANALYSERS["uk" if re.search("[іїєґ]", word) else "ru"]
    forms = [form.word for form in analyser.parse(word)[0].lexeme]
    return rng.choice(forms) if forms else word


def insert(page: str, paragraphs: list[str], rng: random.Random) -> str:
    """The page with each paragraph put in after a random paragraph end (else before the
    body's end)."""
    for paragraph in paragraphs:
        ends = [m.end() for m in re.finditer(r"</p>", page)] or [page.rfind("</body>")]
        at = rng.choice(ends)
        page = page[:at] + f"<p>{paragraph}</p>" + page[at:]
    return page


@pytest.mark.skipif(not REAL_PAGES, reason="../shared/data/scrapinghub_aeb is absent")
def test_real_pages_with_on_topic_paragraphs_inserted_pass_whenever_they_are_kept():
    rng = random.Random(20261130)
    kept_count = 0
    for case in range(60):
        source = rng.choice(REAL_PAGES)
        paragraphs = [vary(p, rng) for p in rng.sample(ON_TOPIC, rng.randint(1, 3))]
        page = insert(source.read_text(errors="replace"), paragraphs, rng)
        sites = rng.choice(list(GATES))
        if kept(page, sites=sites):
            kept_count += 1
            assert GATES[sites].reject(page) is None, (case, sites, source.parent.name, paragraphs)
    assert kept_count >= 15  # enough cases reach the scorer's threshold to mean something


def test_most_extracted_articles_the_full_path_does_not_keep_are_turned_away_by_their_fields():
    off = []
    for _, page in fixture_pages():
        try:
            article = extract_article(page, "https://example.org/a")
        except NoArticleBody:
            continue
        fields = article.scoring_fields()
        relevance = TOPIC.score(*fields, article.language)
        if not (relevance.on_topic or relevance.borderline):
            off.append(GATE.reject_extracted(fields))
    assert len(off) >= 10 and sum(reason is not None for reason in off) >= len(off) // 2


def test_a_phrase_split_between_two_fields_of_an_extracted_article_does_not_pass():
    lead = "They say he was absent"
    body = "without leave for a year, a Russian soldier in Belgorod."
    assert GATE.reject_extracted(("A soldier", lead, body)) is not None
    assert GATE.reject_extracted(("A soldier", f"{lead} without leave", body)) is None
    assert Gate([]).reject_extracted(("", "", "")) is None


def test_a_crawl_gates_its_pages_unless_a_topic_turns_the_gate_off_or_it_is_a_dry_run(
    make_config_dir, tmp_path
):
    config = load_config(make_config_dir())
    settings = resolve(config, "example")
    spool = Spool(tmp_path / "spool")
    frontier = SqliteFrontier.__new__(SqliteFrontier)  # never read: no request is made
    crawl = OutletSpider(job=CrawlJob(settings, 1, frontier, spool, NOW))
    dry_run = OutletSpider(job=CrawlJob(settings, 1, None, spool, NOW))
    off = [topic.model_copy(update={"gate": False}) for topic in settings.topics]
    ungated = settings.model_copy(update={"topics": off})
    open_crawl = OutletSpider(job=CrawlJob(ungated, 1, frontier, spool, NOW))
    assert crawl.gated and not dry_run.gated and not open_crawl.gated
    # each still compiles the gate that says which extracted articles could be kept
    for spider in (crawl, dry_run, open_crawl):
        assert [t.topic.id for t in spider.gate.topics] == ["russian-military-desertion"]


@pytest.mark.parametrize(
    ("keep", "dry_run", "sent"),
    [
        ("stored", False, {"on"}),
        ("all", False, {"on", "off", "gated"}),
        ("none", False, set()),
        # what ``newsmon outlets snapshot`` saves as test cases: every page
        ("stored", True, {"on", "off", "gated", "no body"}),
    ],
)
def test_a_crawl_sends_the_html_of_the_pages_the_store_may_keep(
    make_config_dir, tmp_path, keep, dry_run, sent
):
    settings = resolve(load_config(make_config_dir()), "example")
    settings = settings.model_copy(update={"keep_raw_html": keep})
    frontier = None if dry_run else SqliteFrontier.__new__(SqliteFrontier)  # never read
    spider = OutletSpider(job=CrawlJob(settings, 1, frontier, Spool(tmp_path / "spool"), NOW))
    pages = dict(fixture_pages())
    on, off = pages["on_topic"], pages["off_topic"]
    html_of = {
        name: spider._raw_html(page, None, extract_article(page, f"https://a.example/{name}"))
        for name, page in (("on", on), ("off", off))
    }
    html_of["gated"] = spider._raw_html(off, "gate: no term", None)
    html_of["no body"] = spider._raw_html(off, None, None)
    assert {name for name, data in html_of.items() if data is not None} == sent
    if "on" in sent:
        assert gzip.decompress(html_of["on"] or b"").decode() == on


def test_a_gate_starts_from_what_a_gate_of_its_fingerprint_learnt_and_decides_the_same():
    pages = [page for _, page in fixture_pages()[:12]]
    first = Gate([TOPIC])
    decisions = [first.reject(page) for page in pages]
    second = Gate([TOPIC])
    second.learn(first.learnt())
    assert second.fingerprint == first.fingerprint and second.words_seen == first.words_seen
    assert [second.reject(page) for page in pages] == decisions
    assert second.words_seen == first.words_seen  # nothing left to learn
    config = TOPIC.topic.model_copy(update={"threshold": TOPIC.topic.threshold + 1})
    assert Gate([CompiledTopic(config)]).fingerprint == first.fingerprint  # same words
    fewer = TOPIC.topic.model_copy(update={"concepts": TOPIC.topic.concepts[1:]})
    assert Gate([CompiledTopic(fewer)]).fingerprint != first.fingerprint


COURT = [
    "A Russian soldier who {phrase} in the Belgorod region last spring was sentenced by a "
    "garrison court on Monday, according to the court's press service and local media reports.",
    "The Russian soldier, a contract serviceman of the Russian army, told the court he {phrase} "
    "because he had not been allowed home for a year and his family needed him at home.",
    "The court sentenced him to five years in a penal colony. His lawyer said he would appeal "
    "the verdict in the coming weeks, citing the defendant's health and his record of service.",
]


DESERTERS = "eserters from the Russian army were tried by a garrison court in the Belgorod region."


def court_page(phrase: str, head: str = "", before: str = "<h1>Court news</h1>") -> str:
    body = "".join(f"<p>{p.format(phrase=phrase)}</p>" for p in COURT)
    return (
        f"<html><head><title>Court news</title>{head}</head>"
        f"<body><article>{before}{body}</article></body></html>"
    )


def ld_headline(headline: str) -> str:
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": headline}
    return f'<script type="application/ld+json">{json.dumps(ld)}</script>'


@pytest.mark.parametrize(
    "page",
    [
        court_page("left&amp;nbsp;his&amp;nbsp;unit"),  # entities escaped twice
        court_page("left&amp;#32;his unit"),
        court_page(
            "was absent", '<meta name="description" content="He left &lt;b&gt;his&lt;/b&gt; unit">'
        ),
        court_page("was absent", ld_headline("A soldier left \nhis unit"), before=""),
        court_page("was absent", ld_headline("A soldier left&nbsp;his unit"), before=""),
        # a drop cap straight after a heading, in HTML written without white space
        court_page("was absent", before=f"<h2>Why</h2><p><b>D</b>{DESERTERS}</p>"),
        court_page("was absent", before=f"<H2>Why</H2><P><B>D</B>{DESERTERS}</P>"),
        # a word split by an inline tag, ending a paragraph; a dropped figure; the phrase goes on
        court_page("was absent").replace(
            "he was absent because",
            "he le<b>ft</b></p><figure><figcaption>Photo</figcaption></figure><p>his unit because",
        ),
    ],
    ids=[
        *("nbsp-twice", "space-twice", "meta-tag", "json-newline", "json-entity"),
        *("cap", "cap-in-capitals", "split"),
    ],
)
def test_what_trafilatura_reads_a_second_time_or_glues_passes_the_gate(page):
    assert kept(page)
    assert GATE.reject(page) is None


@pytest.mark.parametrize(
    "page",
    [
        # a "<!--" in a script is text, not a comment running to the next "-->"
        court_page("left his unit", head='<script>var tpl = "<!--";</script>').replace(
            "</article>", "<!-- end article --></article>"
        ),
        # a custom element is not a script running to the next "</script>"
        court_page("left his unit", before="<h1>News</h1><script-loader></script-loader>").replace(
            "</article>", "</article><script>var x;</script>"
        ),
        # "data-content" is not the description's "content"
        court_page(
            "was absent",
            head='<meta name="description" data-content="x" '
            'content="A Russian soldier left his unit and was sentenced.">',
        ),
        # a "<" that starts no tag is text, not a tag running to the next ">"
        court_page("left his unit").replace(
            "A Russian soldier who", "A soldier (<30, Russian) who"
        ),
        # a vertical tab, which the parser drops, inside a word
        court_page("was absent", before=f"<p>Two D\x0b{DESERTERS}</p>"),
        # a JSON-LD block inside a word: extraction drops it and joins the halves
        court_page(
            "was absent",
            before=f'<p>D<script type="application/ld+json">{{}}</script>{DESERTERS}</p>',
        ),
    ],
    ids=["comment-in-script", "custom-element", "data-content", "less-than", "tab", "json-ld"],
)
def test_markup_that_only_looks_like_a_comment_script_or_tag_hides_no_text(page):
    assert kept(page)
    assert GATE.reject(page) is None


def _looser(loose: PageText, close: PageText) -> list[str]:
    """What the parse lets stand together that the reading without a parse does not."""
    missing = close.tokens() - loose.tokens()
    words = close.tokens() & loose.tokens()
    wide, narrow = Neighbours.of(loose, words), Neighbours.of(close, words)
    apart = [f"{a} {b}" for a in words for b in narrow.following(a) - wide.following(a)]
    return sorted(missing)[:5] + apart[:5]


TRICKY = [
    f"<html><body>{body}</body></html>"
    for body in (
        # markup the parser keeps as text: an iframe's content (entities not decoded), JSON-LD
        "<p>Photo</p><iframe>&amp;lt;b&amp;gt;caption</iframe><p>text</p>",
        '<script type="application/ld+json">{"body": "<p>He left <a href=x>his</a>"}</script>',
        # a ">" inside a quoted attribute: the parser's piece starts after the real end of the tag
        '<p title="a>b" data-x>Soldiers left</p><p class="c>d">his unit</p>',
        # scripts, styles and comments between the halves of a word or of a phrase
        "<p>de<script>var x = 1;</script>serter left<!-- a > b -->his<style>p{}</style> unit</p>",
        "<p>left &lt;his&gt; unit &amp;amp; more</p><textarea>left &amp; his</textarea>",
        # an element the parser reads as written, with an entity and a "<" in it
        "<p>News</p><textarea>left&nbsp;<his> unit</textarea><p>soldiers (<30) left</p>",
        # markup that only looks like a script, and a comment never ended
        "<p>A <script-x>left</script-x> his <b>unit</b></p><p>x<!-- left",
    )
]


@pytest.mark.parametrize("page", [p for _, p in fixture_pages()] + TRICKY)
def test_reading_a_page_without_a_parse_is_looser_than_the_parse(page):
    close = page_text(page)
    assert close is not None
    assert _looser(page_runs(page), close) == []


def test_a_text_is_read_again_in_the_pieces_that_have_an_entity():
    # between the marks of tags ("\x01" inline, "\x02" block): at the start, the end, twice
    text = "&amp;a b\x01c d\x02e &lt;f &gt; g\x02h\x01&i"
    assert _pieces_with_entities(text) == ["&amp;a b", "e &lt;f &gt; g", "&i"]
    assert _pieces_with_entities("no entity\x01here") == []


@pytest.mark.parametrize(
    "words", [["p", "pre"], ["a", "ab", "abc"], ["dd", "div", "dl", "dt", "x"], ["h1", "hr"]]
)
def test_an_alternation_matches_its_words_and_no_other(words):
    pattern = re.compile(f"(?:{_alternation(words)})\\Z")
    near = {w[:k] for w in words for k in range(len(w))} | {w + "r" for w in words}
    assert all(pattern.match(w) for w in words)
    assert [w for w in near - set(words) if pattern.match(w)] == []


@pytest.mark.parametrize("words", [[], [""]])
def test_an_alternation_of_no_words_matches_nothing(words):
    assert re.search(_alternation(words), "any text") is None


@pytest.mark.skipif(not REAL_PAGES, reason="../shared/data/scrapinghub_aeb is absent")
def test_real_pages_read_without_a_parse_are_read_looser_than_the_parse():
    for path in REAL_PAGES:
        page = path.read_text(errors="replace")
        if (close := page_text(page)) is not None:
            assert _looser(page_runs(page), close) == [], path.parent.name


def test_the_gate_turns_pages_away_on_the_reading_without_a_parse(monkeypatch):
    apart = simple_page("Note", ["They left the room.", "His unit of measure: the Russian metre."])
    monkeypatch.setattr(gate_module, "page_text", _no_parse)
    reason = GATE.reject(apart)
    assert reason is not None and "'left his unit' are on it, but never next to" in reason


def _no_parse(page: str) -> PageText:
    raise AssertionError("parsed a page the reading without a parse turns away")


def test_a_concept_the_outlets_site_names_is_met_on_every_page_of_the_outlet():
    # a desertion word, and nothing that says whose army: a Russian outlet's readers know
    page = simple_page("Задержан дезертир", ["Дезертира задержали на вокзале и передали суду."])
    article = extract_article(page, "https://ngs.ru/news/1", min_words=1)
    relevance = TOPIC.score(*article.scoring_fields(), article.language, ["ngs.ru"])
    assert relevance.on_topic or relevance.borderline, relevance.reason
    assert Gate([TOPIC], ["ngs.ru"]).reject(page) is None
    assert Gate([TOPIC], ["ngs.ru"]).reject_extracted(article.scoring_fields()) is None
    elsewhere = TOPIC.score(*article.scoring_fields(), article.language, ["meduza.io"])
    assert not elsewhere.on_topic and not elsewhere.borderline, elsewhere.reason
    reason = Gate([TOPIC], ["meduza.io"]).reject(page)
    assert reason is not None and "russian_military" in reason
