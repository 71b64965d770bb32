import pytest

from crawler.config import ExtractOptions
from crawler.content.extraction import (
    NoArticleBody,
    detect_language,
    extract_article,
    normalise_date,
)

BODY = [
    "Russian soldiers who left their units without permission are being sent back to the "
    "front, the independent outlet Verstka reported on Monday, citing relatives and lawyers.",
    "At least 170 men held at a military base near Yekaterinburg were loaded onto buses at "
    "gunpoint after their trials were abruptly cancelled, according to the report.",
    "Human rights groups say those who refuse are beaten and kept in pits for weeks, and "
    "that lawyers learn of the transfers only after the men are already at the front.",
]
PAGE = """<!doctype html><html lang="en"><head>
<title>Deserters sent back to the front | Example News</title>
<meta property="og:title" content="Deserters sent back to the front">
<meta property="article:published_time" content="2026-11-20T14:35:00+03:00">
<meta name="author" content="Jane Roe; John Doe">
<meta name="description" content="Verstka reports forced returns.">
<meta property="og:site_name" content="Example News">
<meta property="og:image" content="https://news.example/lead.jpg">
<link rel="canonical" href="https://news.example/2026/11/deserters?utm_source=x">
</head><body>
<div class="cookie-banner">We use cookies to improve your experience. Accept all cookies</div>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Deserters sent back to the front</h1>
<p>{0}</p><aside class="related"><a href="/x">Read also: Moscow raises conscription age</a>
</aside><p>{1}</p><p>{2}</p></article>
<section id="comments"><h3>Comments</h3><div class="comment"><p>Reader: this is a
long and angry reader comment that should never be part of the stored article text.</p>
</div></section>
<footer>Support independent journalism: donate today. © Example News</footer>
</body></html>"""


@pytest.fixture(scope="module")
def extracted():
    return extract_article(
        PAGE.format(*BODY),
        "https://news.example/2026/11/deserters",
        ExtractOptions(prune_xpath=["//aside"]),
    )


def test_body_is_kept_and_furniture_dropped(extracted):
    assert extracted.text.startswith(BODY[0][:60])
    assert BODY[2][-40:] in extracted.text
    for furniture in ("cookies", "Read also", "reader comment", "donate", "Home"):
        assert furniture not in extracted.text
    assert not extracted.text.startswith("Deserters sent back")  # the headline is not body


def test_metadata(extracted):
    assert extracted.title == "Deserters sent back to the front"
    assert extracted.authors == ("Jane Roe", "John Doe")
    assert extracted.published_at == "2026-11-20T11:35:00Z"
    assert extracted.canonical_url == "https://news.example/2026/11/deserters"
    assert extracted.site_name == "Example News"
    assert extracted.image_url == "https://news.example/lead.jpg"
    assert extracted.language == "en"
    assert extracted.description == "Verstka reports forced returns."
    assert extracted.word_count > 60


def test_a_page_without_body_raises_with_a_reason():
    video = "<html><body><nav>Menu</nav><div class='player'>Video: a short clip</div></body></html>"
    with pytest.raises(NoArticleBody) as caught:
        extract_article(video, "https://news.example/video/1")
    assert caught.value.reason


def test_a_short_text_is_no_body():
    short = PAGE.format("Too short to be an article.", "", "")
    with pytest.raises(NoArticleBody, match="fewer than 40"):
        extract_article(short, "https://news.example/s")


def test_a_homepage_canonical_is_ignored():
    page = PAGE.format(*BODY).replace(
        "https://news.example/2026/11/deserters?utm_source=x", "https://news.example/"
    )
    result = extract_article(page, "https://news.example/2026/11/deserters")
    assert result.canonical_url == "https://news.example/2026/11/deserters"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-11-20T14:35:00+0300", "2026-11-20T11:35:00Z"),
        ("2026-11-20T00:00:00", "2026-11-20"),
        ("2026-11-20T09:15:00", "2026-11-20T09:15:00"),
        ("2026-11-20", "2026-11-20"),
        (None, None),
        ("garbage", None),
    ],
)
def test_dates_keep_time_and_zone_when_given(raw, expected):
    assert normalise_date(raw) == expected


def test_language_is_detected_for_russian_and_ukrainian():
    assert (
        detect_language(
            "Военнослужащие, самовольно оставившие часть, отправлены на фронт "
            "после отмены судебных заседаний"
        )
        == "ru"
    )
    assert (
        detect_language(
            "Військовослужбовців, які самовільно залишили частину, відправили "
            "на фронт після скасування судових засідань"
        )
        == "uk"
    )
    assert detect_language("Too short") is None
