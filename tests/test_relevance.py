from pathlib import Path

import pytest

from crawler.config import TopicConfig, load_config
from crawler.content.relevance import CompiledTopic, tokenize

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO.parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def topic() -> CompiledTopic:
    return CompiledTopic(load_config(REPO / "config").topics["russian-military-desertion"])


def test_inflected_russian_and_ukrainian_forms_match_their_lemma(topic):
    ru = topic.score(
        "Суды над дезертирами",
        "",
        "Число дезертиров выросло; военнослужащих судят за самовольное оставление части.",
        "ru",
    )
    assert {"дезертир", "самовольное оставление части", "военнослужащий"} <= set(ru.matched_terms)
    uk = topic.score("", "", "Кількість дезертирів зросла серед російських військових.", "uk")
    assert "дезертир" in uk.matched_terms


def test_acronyms_match_only_in_capitals(topic):
    hit = topic.score("", "", "Дела о СОЧ в военных судах", "ru")
    miss = topic.score("", "", "соч это не аббревиатура", "ru")
    assert "СОЧ" in hit.matched_terms
    assert "СОЧ" not in miss.matched_terms


def test_prefix_terms_match_german_compounds(topic):
    result = topic.score("", "", "Die Fahnenfluchtfälle in der russischen Armee nehmen zu.", "de")
    assert "Fahnenflucht*" in result.matched_terms


def test_phrases_need_their_words_in_order(topic):
    hit = topic.score("", "", "Soldiers refusing to fight were beaten.", "en")
    miss = topic.score("", "", "They fight, and nobody would refuse.", "en")
    assert "refuse to fight" in hit.matched_terms
    assert "refuse to fight" not in miss.matched_terms


def test_title_counts_more_than_body(topic):
    in_title = topic.score("Russian deserters sent back", "", "A report.", "en")
    in_body = topic.score("A report", "", "Russian deserters sent back.", "en")
    assert in_title.score > in_body.score


def test_the_desert_landscape_is_not_desertion(topic):
    result = topic.score(
        "Crossing the Sahara",
        "",
        "The desert was deserted; Russian tourists crossed the desert by camel.",
        "en",
    )
    assert not result.on_topic
    assert "required concept(s) desertion" in result.reason


def test_war_news_that_mentions_one_deserter_is_off_topic(topic):
    result = topic.score(
        "Russia raises the conscription age to 30",
        "The Russian army will call up more men as mobilisation continues.",
        "Russian troops advanced near Pokrovsk, the Russian Ministry of Defense said. A blogger "
        "mentioned one deserter. Conscription begins in October and military courts are busy.",
        "en",
    )
    assert not result.on_topic
    assert result.score < result.threshold
    assert "deserter" in result.matched_terms


def test_a_decision_is_explained_with_snippets(topic):
    result = topic.score(
        "Deserters forced back to the front",
        "",
        "Verstka reported that Russian soldiers who went AWOL were sent back "
        "to the front at gunpoint.",
        "en",
    )
    assert result.on_topic
    details = result.details()
    assert details["threshold"] == result.threshold
    assert {"desertion", "russian_military", "consequences", "monitors"} <= set(details["concepts"])
    awol = next(hit for hit in details["hits"] if hit["term"] == "AWOL")
    assert awol["field"] == "body" and "went AWOL were" in awol["snippet"]
    assert result.reason.startswith("on topic: score")


def test_exclusions_subtract(topic):
    text = "Ukrainian deserters were detained by the TCC, the Russian army said."
    result = topic.score("", "", text, "en")
    assert result.concept_scores["ukrainian_side"] < 0


def test_tokenize_keeps_positions():
    tokens = tokenize("Russia's army", ["en"])
    assert [t.raw for t in tokens] == ["Russia", "s", "army"]
    assert tokens[2].start == 9


SEED_TITLES = {
    "000": "Forced to Go Back to War",
    "001": "Farewell to Arms?",
    "002": "Russia's war in Ukraine: Forcing deserters to the front line",
    "003": "Russia Forcibly Sending Military Deserters to Front Line: Reports",
    "004": "Russia forcibly sends men who refused to fight to Kharkiv Oblast",
}


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is absent")
@pytest.mark.parametrize("prefix", sorted(SEED_TITLES))
def test_every_seed_article_is_on_topic(topic, prefix):
    seed = next(SEEDS.glob(f"{prefix}_*.txt"))
    paragraphs = [p for p in seed.read_text().split("\n") if len(p.split()) > 12]
    result = topic.score(SEED_TITLES[prefix], paragraphs[0], "\n".join(paragraphs[1:]), "en")
    assert result.on_topic, result.reason


def test_surrender_and_self_harm_meet_the_desertion_requirement(topic):
    surrender = topic.score(
        "Russian soldier surrendered to Ukrainian drone",
        "A Russian serviceman surrendered to Ukrainian troops after calling the I want to live "
        "hotline, the project said.",
        "He said his commander had threatened to send him back to the front.",
        "en",
    )
    assert surrender.on_topic and "surrender" in surrender.concept_scores, surrender.reason
    russian = topic.score(
        "Российский контрактник сдался в плен",
        "Контрактник из Бурятии сдался в плен, позвонив на линию «Хочу жить».",
        "Российская армия отправляла его на штурм трижды.",
        "ru",
    )
    assert russian.on_topic, russian.reason


def test_ukrainian_awol_cases_stay_out(topic):
    result = topic.score(
        "Військові можуть повернутися зі СЗЧ до 30 серпня",
        "Військовослужбовці ЗСУ, які самовільно залишили частину, можуть повернутися на службу.",
        "ДБР нагадало про порядок повернення на службу після СЗЧ.",
        "uk",
    )
    assert not result.on_topic, result.reason


def test_an_alternative_must_name_a_concept():
    with pytest.raises(ValueError, match="unknown alternatives: nothing"):
        TopicConfig(
            id="t",
            name="t",
            threshold=1.0,
            concepts=[
                {
                    "id": "a",
                    "weight": 1.0,
                    "required": True,
                    "alternatives": ["nothing"],
                    "terms": {"en": ["a"]},
                }
            ],
        )


def test_a_desertion_term_next_to_the_russian_army_counts_more_than_far_from_it(topic):
    near = topic.score(
        "Report",
        "The deserter said Russian troops had beaten him.",
        "He went home in spring. Nobody came for him for a month.",
        "en",
    )
    apart = topic.score(
        "Report",
        "The deserter went home in spring.",
        "Nobody came for him for a month. Russian troops had beaten him.",
        "en",
    )
    rule = "desertion_near_russian_military"
    assert rule in near.concept_scores and rule not in apart.concept_scores
    assert near.score > apart.score
    evidence = [hit for hit in near.hits if hit.kind == "proximity"]
    assert evidence and "deserter said Russian troops" in evidence[0].snippet
    assert not any("in one sentence" in term for term in near.matched_terms)


def test_desertion_next_to_ukraines_army_counts_against(topic):
    text = "Soldiers of the Armed Forces of Ukraine who went AWOL can return to service."
    result = topic.score("Deserters", text, "", "en")
    assert result.concept_scores["desertion_near_ukrainian_military"] < 0


def test_a_proximity_rule_must_name_concepts():
    with pytest.raises(ValueError, match="unknown concepts: nothing"):
        TopicConfig(
            id="t",
            name="t",
            threshold=1.0,
            concepts=[{"id": "a", "weight": 1.0, "terms": {"en": ["a"]}}],
            proximity=[{"id": "p", "concepts": ["a", "nothing"], "weight": 1.0}],
        )
