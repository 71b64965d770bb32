"""Article data of the fixture web: fictional outlets, their page furniture and their articles.

Every outlet, person, group and article here is fictional; the topic is the one of the seed
articles (Russian servicemen who desert, go AWOL or refuse to fight, and what the state does to
them). Dates are relative to the moment `build_articles` runs, so the articles are always fresh
except the one deliberately old archive entry.
"""

from __future__ import annotations

import hashlib
import random
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .server import FixtureWeb

EXPECTS = frozenset(
    {
        "on_topic",
        "borderline",
        "near_topic",
        "off_topic",
        "duplicate",
        "no_body",
        "robots_blocked",
        "too_old",
        "gone",
    }
)


@dataclass(frozen=True)
class Article:
    """One article of one fixture outlet, with what a correct pipeline should decide about it."""

    outlet_id: str
    path: str  # e.g. "/2026/11/deserters-sent-back/" (no host)
    title: str
    authors: tuple[str, ...]
    published_at: datetime  # timezone-aware
    language: str  # "en", "ru", "uk", "de"
    paragraphs: tuple[str, ...]  # the body, in order
    furniture: tuple[str, ...]  # strings on the page that are NOT body: extraction drops them
    expect: str  # one of EXPECTS
    duplicate_of: str | None = None  # "outlet_id:path" of the original for republications
    amp_path: str | None = None  # if the article also has an AMP variant
    story: str | None = None  # reports with one label tell one event (None: not labelled)
    modified_at: datetime | None = None  # set when the outlet edits it after publication
    # Extensions of the brief's model, both already counted in `furniture`:
    caption: str | None = None  # photo or video caption shown with the article
    inserts: tuple[tuple[int, str], ...] = ()  # (after paragraph i, teaser text) inside the body


@dataclass(frozen=True)
class Outlet:
    """A fictional outlet: identity, discovery document and the URL rules of its config."""

    id: str
    name: str
    language: str
    utc_offset_hours: int
    source_kind: str  # "feed" | "sitemap" | "listing"
    discovery_path: str  # the feed, robots.txt or first listing page
    allow: tuple[str, ...]
    deny: tuple[str, ...] = ()
    prune_xpath: tuple[str, ...] = ()
    charset: str = "utf-8"
    max_pages: int | None = None

    @property
    def tz(self) -> timezone:
        """The outlet's fixed UTC offset as a tzinfo."""
        return timezone(timedelta(hours=self.utc_offset_hours))


_END = r"(?:$|[?#])"

OUTLETS: dict[str, Outlet] = {
    o.id: o
    for o in (
        Outlet(
            id="steppe-herald",
            name="The Steppe Herald",
            language="en",
            utc_offset_hours=-5,
            source_kind="feed",
            discovery_path="/feed/",
            allow=(r"/\d{4}/\d{2}/[a-z0-9-]+/" + _END,),
            deny=(r"/category/", r"/books/", r"/tag/"),
            prune_xpath=("//aside", "//figcaption"),
        ),
        Outlet(
            id="borderland-press",
            name="Borderland Press",
            language="en",
            utc_offset_hours=2,
            source_kind="feed",
            discovery_path="/atom.xml",
            allow=(r"/\d{4}/\d{2}/\d{2}/[a-z0-9-]+/" + _END,),
            prune_xpath=("//p[@class='read-also']", "//div[@class='donate-appeal']"),
        ),
        Outlet(
            id="rhine-wire",
            name="Rhine Wire",
            language="en",
            utc_offset_hours=1,
            source_kind="feed",
            discovery_path="/rdf/news.rdf",
            allow=(r"/(?:a|video)-\d+" + _END,),
            prune_xpath=("//div[contains(@class, 'teaser-embed')]", "//figcaption"),
        ),
        Outlet(
            id="capital-observer",
            name="The Capital Observer",
            language="en",
            utc_offset_hours=-5,
            source_kind="sitemap",
            discovery_path="/robots.txt",
            allow=(r"-\d{7}" + _END,),
            prune_xpath=("//div[@class='tipline']", "//div[@class='disclaimer']"),
        ),
        Outlet(
            id="volga-bulletin",
            name="Volga Bulletin",
            language="en",
            utc_offset_hours=4,
            source_kind="listing",
            discovery_path="/news/",
            allow=(r"/news/\d{4}/\d{2}/\d{2}/[a-z0-9-]+/" + _END,),
            deny=(r"/tag/", r"/about/", r"/section/", r"/news/page/"),
            max_pages=3,
        ),
        Outlet(
            id="ural-vestnik",
            name="Уральский вестник",
            language="ru",
            utc_offset_hours=5,
            source_kind="feed",
            discovery_path="/rss.xml",
            allow=(r"/news/\d+\.html" + _END,),
            charset="windows-1251",
        ),
        Outlet(
            id="dnipro-digest",
            name="Дніпровський дайджест",
            language="uk",
            utc_offset_hours=2,
            source_kind="feed",
            discovery_path="/feed.json",
            allow=(r"/novyny/[a-z0-9-]+-\d+/" + _END,),
        ),
        Outlet(
            id="broken-feeds",
            name="The Harbour Gazette",
            language="en",
            utc_offset_hours=0,
            source_kind="feed",
            discovery_path="/rss",
            allow=(r"/stories/[a-z0-9-]+\.html" + _END,),
        ),
    )
}

# --------------------------------------------------------------------------- page furniture
# Template text shown on every article page of an outlet (render.py lays it out).

STEPPE_TEASERS: tuple[tuple[str, str, str], ...] = (
    (
        "Puppets on the Permafrost",
        "Nov 02",
        "A touring marionette troupe reaches Arctic villages by snowmobile.",
    ),
    (
        "The Last Tram of Tver",
        "Oct 28",
        "The trams are gone, but the drivers still remember every stop.",
    ),
    (
        "Why Samovars Came Back",
        "Oct 21",
        "Young Muscovites are buying brass samovars again, and not only for tea.",
    ),
)
STEPPE_PROMO = "Enjoyed this story? Get our Sunday letter plus subscriber-only offers"
STEPPE_BOOKS: tuple[tuple[str, str], ...] = (
    (
        "The Ice Road Ledger",
        "A trucker's diary from the frozen river roads of Yakutia, with maps and a glossary.",
    ),
    (
        "A Grammar of Birch Bark",
        "Letters scratched on bark by medieval Novgorodians, translated with notes.",
    ),
    (
        "Samara Nights",
        "A noir novel of jazz clubs, black-market records and one very stubborn detective.",
    ),
)
STEPPE_ABOUT = (
    "The Steppe Herald is an independent quarterly and website about the people, places and "
    "letters of Eurasia, published by a small press since 1994."
)
STEPPE_ADDRESS = ("118 Orchard Lane, Suite 7", "Burlington VT 05401", "802-555-0148")

BORDERLAND_APPEAL = (
    "You could close this tab now. Or you could help us keep reporting from the border.",
    "Our newsroom is small and runs on readers: every story about Russia's war and Ukraine's "
    "recovery stays free to read because people like you chip in.",
    "For the price of one coffee a month you become a member and vote on what we cover next.",
)
BORDERLAND_NEWSLETTER = "Get the Borderland morning briefing in your inbox"

RHINE_SKIP_LINKS = ("Skip to content", "Skip to main menu", "Skip to more Rhine Wire sites")
RHINE_FOOTER = "Rhine Wire reports from Europe and the world in nine languages."

CAPITAL_TIPLINE = (
    "Got a tip about the war or Russia's military that our world desk should look into? "
    "Email worlddesk@capital-observer.example."
)
CAPITAL_DISCLAIMER = (
    "Notice: This story is carried under a content-sharing arrangement and all rights remain "
    "with its author. It is provided for general information only. Rights holders who object "
    "may write to us and the story will be amended or taken down."
)

VOLGA_COOKIES = (
    "We use cookies to count visitors and remember your settings. By browsing on you agree."
)
VOLGA_NEWSLETTER = "Get the Volga Bulletin in your inbox every morning, free and without spam."
VOLGA_MOST_READ = (
    "Samara's new bridge opens to traffic a year late",
    "Pensioner grows 40-kilo pumpkin on a Tolyatti balcony",
    "Tram route 5 to run through the night from December",
)
VOLGA_FOOTER = "Reprinting Volga Bulletin material requires a hyperlink to the source."

URAL_COOKIES = (
    "Мы используем файлы cookie, чтобы сайт работал лучше. "
    "Продолжая пользоваться сайтом, вы соглашаетесь с этим."
)
URAL_TELEGRAM = (
    "Подписывайтесь на «Уральский вестник» в Telegram: главные новости региона за пять минут"
)
URAL_READ_ALSO = (
    "В Екатеринбурге открылся новый каток на набережной",
    "Цены на гречку в Свердловской области выросли на 12%",
    "Трамвай до Верхней Пышмы запустят в декабре",
)
URAL_FOOTER = (
    "Сетевое издание «Уральский вестник». Перепечатка материалов разрешена только "
    "с активной ссылкой на источник."
)

DNIPRO_SUPPORT = "Підтримайте незалежну журналістику: станьте меценатом «Дніпровського дайджесту»"
DNIPRO_READ_ALSO = (
    "У Дніпрі відкрили новий укриттєвий центр для школярів",
    "Як отримати компенсацію за зруйноване житло: покрокова інструкція",
    "Дніпровські бібліотеки продовжать роботу в неділю",
)
DNIPRO_COOKIES = "Ми використовуємо файли cookie для коректної роботи сайту."
DNIPRO_FOOTER = "Використання матеріалів дозволено лише з посиланням на «Дніпровський дайджест»."

HARBOUR_SHARE = "Share this story with a friend"
HARBOUR_FOOTER = "The Harbour Gazette is printed every Thursday and online every day."

CAPITAL_REPUBLISHED_NOTE = "Republished from The Capital Observer under a content partnership"


def rhine_short_link(path: str) -> str:
    """The DW-style short link Rhine Wire prints under an article (stable for a path)."""
    digest = hashlib.sha1(path.encode()).hexdigest()
    return f"https://p.rhine-wire.example/p/4{digest[:4]}"


_OUTLET_FURNITURE: dict[str, tuple[str, ...]] = {
    "steppe-herald": (
        *(t[0] for t in STEPPE_TEASERS),
        *(t[2] for t in STEPPE_TEASERS),
        STEPPE_PROMO,
        *(b[1] for b in STEPPE_BOOKS),
        STEPPE_ABOUT,
        *STEPPE_ADDRESS,
    ),
    "borderland-press": (*BORDERLAND_APPEAL, BORDERLAND_NEWSLETTER),
    "rhine-wire": (*RHINE_SKIP_LINKS, RHINE_FOOTER),
    "capital-observer": (CAPITAL_TIPLINE, CAPITAL_DISCLAIMER),
    "volga-bulletin": (VOLGA_COOKIES, VOLGA_NEWSLETTER, *VOLGA_MOST_READ, VOLGA_FOOTER),
    "ural-vestnik": (URAL_COOKIES, URAL_TELEGRAM, *URAL_READ_ALSO, URAL_FOOTER),
    "dnipro-digest": (DNIPRO_SUPPORT, *DNIPRO_READ_ALSO, DNIPRO_COOKIES, DNIPRO_FOOTER),
    "broken-feeds": (HARBOUR_SHARE, HARBOUR_FOOTER),
}


def page_furniture(outlet_id: str, path: str, expect: str) -> tuple[str, ...]:
    """Template strings an article page at `path` of `outlet_id` shows outside its body."""
    extra: tuple[str, ...] = ()
    if outlet_id == "rhine-wire":
        extra = (rhine_short_link(path),)
    if outlet_id == "borderland-press" and expect == "duplicate":
        extra = (CAPITAL_REPUBLISHED_NOTE,)
    return extra + _OUTLET_FURNITURE[outlet_id]


# --------------------------------------------------------------------------- article drafts


@dataclass(frozen=True)
class _Draft:
    """An article before its dates are fixed: `path` may hold {y} {m} {d} placeholders."""

    outlet_id: str
    path: str
    title: str
    authors: tuple[str, ...]
    age_hours: float
    expect: str
    paragraphs: tuple[str, ...]
    language: str = "en"
    caption: str | None = None
    inserts: tuple[tuple[int, str], ...] = ()
    duplicate_of: str | None = None
    amp_path: str | None = None
    story: str | None = None


_C1_PATH = "/world/russia-forcing-awol-soldiers-back-combat-1894417"
_C1_TITLE = "Russia Is Forcing AWOL Soldiers Back Into Combat, Investigation Finds"
_C1_PARAGRAPHS = (
    "Russia is sending soldiers who left their units without permission back into combat "
    "instead of putting them on trial, according to an investigation published by the "
    "independent Russian outlet Perimetr.",
    "Perimetr, which was launched by exiled journalists after the full-scale invasion of "
    "Ukraine, reported on Monday that military prosecutors in at least four regions had "
    "suspended criminal cases against servicemen accused of unauthorized abandonment of their "
    "units. The men were then transferred to assault detachments.",
    "The Capital Observer has contacted Russia's Defense Ministry for comment by email.",
    "Desertion and going AWOL have become a persistent problem for Moscow's forces. Russian law "
    "sets a maximum sentence of 10 years in prison for desertion during mobilization or "
    "wartime, but courts increasingly hand down suspended terms that allow commanders to "
    "redeploy convicted soldiers.",
    "The Centre for Conflict Tracking, a U.S.-based research group, said in its assessment on "
    'Monday that the practice would allow Russia "to recycle personnel who have already '
    'refused once" into units suffering heavy losses near Pokrovsk and Kupiansk.',
    "Perimetr said at least 310 servicemen were moved to the front in this way between August "
    "and October. Relatives described men being forced onto buses at gunpoint after a list of "
    "names was read out in the barracks.",
    '"Nobody showed them a court decision. Nobody told their lawyers. One evening they were '
    'simply gone," the sister of one serviceman told the outlet.',
    "Ukraine's military intelligence agency said last month that more than 20,000 Russian "
    "servicemen had abandoned their units since 2022. The Capital Observer could not "
    "independently verify the figure.",
)

_STEPPE: tuple[_Draft, ...] = (
    _Draft(
        "steppe-herald",
        "/{y}/{m}/caught-held-sent-back/",
        "Caught, Held, Sent Back",
        ("Maria Ellery",),
        26,
        "on_topic",
        caption="Recruits board a train at a provincial station. Steppe Herald archive.",
        paragraphs=(
            "Servicemen who slipped away from their units and were later caught by military "
            "police are being confined at assembly points in several Russian regions and then "
            "shipped back to the front, according to relatives and a lawyer who spoke to the "
            "independent outlet Perimetr.",
            "The men are not being tried. Instead, they are told that their criminal cases for "
            "unauthorized abandonment of a unit will be shelved if they agree to join assault "
            "detachments, and those who refuse are put on the transport anyway, the relatives "
            "said.",
            "One mother from Chelyabinsk said her son had been held for eleven weeks in a "
            'barracks gym with some ninety other men. "They were counted every morning like '
            'sacks of flour," she said. "One day a list was read out, and by the evening they '
            'were on a train south."',
            "The lawyer, who asked not to be named because she still represents servicemen in "
            "garrison courts, said at least 230 men had been moved this way from assembly "
            "points in Chelyabinsk, Orenburg and Tyumen since late summer. Several of them had "
            "medical exemptions that were never reviewed.",
            "Court statistics suggest the pool of such men keeps growing. The court-data "
            "project Docket Watch counted more than 900 new AWOL cases in garrison courts last "
            "month, the highest monthly figure it has recorded, while cases of outright "
            "desertion remained far rarer.",
            "The Defense Ministry did not respond to a request for comment. Relatives say they "
            "learn of the transfers only when the phone calls stop.",
        ),
    ),
    _Draft(
        "steppe-herald",
        "/{y}/{m}/docket-of-the-deserters/",
        "The Docket of the Deserters",
        ("Nikolai Brandt",),
        70,
        "on_topic",
        caption="A garrison courthouse on the Volga. Photo: Steppe Herald.",
        paragraphs=(
            "Garrison courts across Russia have become a quiet conveyor belt for soldiers who "
            "left their posts. Since the full-scale invasion began, judges have heard well over "
            "fifteen thousand cases of unauthorized abandonment of a unit, and the pace has "
            "only quickened this year.",
            "The Volga and Southern military districts lead the count. A single garrison court "
            "in Kamyshin handled more than three hundred such cases in ten months, most of them "
            "involving contract soldiers who failed to return from leave or walked out of field "
            "hospitals.",
            "Yet the sentences are often strikingly mild. Roughly four in ten convicted "
            "servicemen receive suspended terms, a far higher share than among civilian "
            "defendants. Lawyers say the reason is practical rather than merciful: a man with a "
            "suspended sentence can be returned to his unit within days, while a man in a penal "
            "colony is lost to the army.",
            "Defendants tend to give similar explanations: a sick parent, a harvest to bring in, "
            "a wife about to give birth. Many insist they always meant to go back. Prosecutors "
            "rarely push for the heavier charge of desertion, which requires proof that a "
            "soldier intended to leave service for good.",
            '"The verdict is just a ticket back to the trenches," said a defense attorney in '
            'Saratov who has represented more than forty soldiers. "My clients are not afraid '
            'of prison. They are afraid of the assault units."',
            "Rights groups note that the court figures capture only part of the picture. "
            "Commanders frequently handle absences informally, and soldiers who refuse to fight "
            "are sometimes held in unofficial detention sites without any case being opened.",
        ),
    ),
    _Draft(
        "steppe-herald",
        "/{y}/{m}/bonus-money-empty-budgets/",
        "Bonus Money, Empty Budgets",
        ("Maria Ellery",),
        50,
        "near_topic",
        caption="A recruitment billboard in Ufa. Photo: Steppe Herald.",
        paragraphs=(
            "Regional governments in Russia are paying ever larger sums to lure men into "
            "signing military contracts, and the bill is starting to show in their budgets. In "
            "at least a dozen regions, one-time enlistment bonuses now exceed a year of average "
            "local wages.",
            "Bashkortostan raised its payment twice in six months, while the Belgorod region "
            "added a monthly supplement for the families of contract soldiers. Smaller regions, "
            "unable to match the offers, complain that recruiters from wealthier neighbors are "
            "poaching their volunteers.",
            "Economists at a Moscow university estimate that regional spending on recruitment "
            "and veterans' benefits has tripled since 2023, crowding out road repairs and school "
            "maintenance. Several regions have quietly postponed hospital construction.",
            "The federal defense budget for next year is set to rise again, to more than six "
            "percent of GDP, according to the draft approved by the State Duma. Social spending "
            "will shrink in real terms.",
            '"Every enlistment bonus is a loan against the future," said one regional finance '
            'official, who asked not to be named. "We are paying for the army today with the '
            'schools of tomorrow."',
        ),
    ),
    _Draft(
        "steppe-herald",
        "/{y}/{m}/deserted-villages-of-kostroma/",
        "The Deserted Villages of Kostroma",
        ("Olga Varnes",),
        90,
        "off_topic",
        caption="An abandoned house near the Unzha river. Photo: Steppe Herald.",
        paragraphs=(
            "Drive two hours north of Kostroma and the map begins to lie. Villages marked in "
            "bold type turn out to be a handful of leaning log houses, their windows boarded, "
            "their gardens swallowed by birch saplings.",
            "The region has hundreds of such deserted villages, emptied over half a century as "
            "young people left for the cities and collective farms closed. Some still have a "
            "single winter resident; many have none at all.",
            "A group of photographers from Yaroslavl has spent three summers documenting them. "
            '"We find icons still hanging in the corners, calendars from 1987, a school '
            "register with every child's name,\" said Olga Sennikova, who leads the project. "
            '"It is as if the people stepped out for bread and never came back."',
            "Local historians are racing to record what remains. In the village of Pustosh, "
            "whose name itself means wasteland, they found a carved wooden gate that experts "
            "believe dates to the 1890s, and arranged for it to be moved to a museum in "
            "Kostroma.",
            "Not everyone sees only decline. A few families from Moscow have bought abandoned "
            'houses for the price of a used car and spend their summers restoring them. "The '
            'silence here is the luxury," one of them said.',
        ),
    ),
    _Draft(
        "steppe-herald",
        "/{y}/{m}/winter-borscht-worth-the-wait/",
        "A Winter Borscht Worth the Wait",
        ("Irina Holt",),
        110,
        "off_topic",
        caption="Borscht with rye bread and sour cream. Photo: Steppe Herald kitchen.",
        paragraphs=(
            "Every family has its borscht, and every family is certain that theirs is the right "
            "one. This version, from a cook in Tambov who has made it every Sunday for forty "
            "years, asks for patience rather than skill.",
            "Start with a good beef broth: a kilogram of beef shin, an onion, a bay leaf and a "
            "few peppercorns, simmered gently for two and a half hours. Skim it often and do not "
            "let it boil hard, or it will turn cloudy.",
            "Meanwhile, grate two medium beets and soften them in a pan with a spoonful of "
            "tomato paste, a splash of vinegar and a pinch of sugar. The vinegar keeps the color "
            "bright; without it the soup fades to brown.",
            "Add diced potatoes and shredded cabbage to the broth, cook for fifteen minutes, "
            "then stir in the beets along with a carrot and an onion fried in sunflower oil. "
            "Season with salt, a crushed clove of garlic and plenty of dill.",
            "Here is the secret: turn off the heat, cover the pot and leave it overnight. "
            "Borscht on the second day is deeper, sweeter and rounder. Serve it with sour cream "
            "and dark rye bread rubbed with garlic.",
        ),
    ),
)

_BORDERLAND: tuple[_Draft, ...] = (
    _Draft(
        "borderland-press",
        "/{y}/{m}/{d}/russia-sends-refusers-back-to-zaporizhzhia-front/",
        "Russia sends soldiers who refused to fight back to Zaporizhzhia front, outlet reports",
        ("Taras Melnyk",),
        30,
        "on_topic",
        inserts=(
            (1, "Drone strike cuts power to three districts of Kherson"),
            (3, "Polish volunteers rebuild a school in Irpin"),
        ),
        paragraphs=(
            "Russian military authorities have forcibly returned dozens of servicemen who had "
            "refused to take part in combat to the front in Zaporizhzhia Oblast, the independent "
            "Russian outlet Perimetr reported on Tuesday, citing relatives and internal "
            "documents.",
            "According to the report, the men had been held for weeks at a holding point in "
            "Rostov Oblast while awaiting trial for refusing orders. Their criminal cases were "
            "then suspended without explanation, and the men were loaded onto trucks under "
            "armed guard.",
            "Perimetr said at least 64 men were moved in this way in the second half of October "
            "alone. Relatives told the outlet that some of them had been beaten when they "
            "protested and that two had been declared fit for combat despite serious injuries.",
            "The Centre for Conflict Tracking, a US-based research group, said the practice is "
            "consistent with Moscow's efforts to replenish assault units without announcing a "
            'new wave of mobilization. "Refuseniks are being treated as a manpower reserve," '
            "the group wrote in its daily assessment.",
            "Ukrainian military intelligence has previously claimed that thousands of Russian "
            "servicemen have fled their units since 2022. Such figures cannot be independently "
            "verified.",
            "A lawyer who represents several of the men said that none had been given a copy of "
            'the order cancelling their cases. "Legally, they are still defendants. In '
            'practice, they are infantry," she said.',
        ),
    ),
    _Draft(
        "borderland-press",
        "/{y}/{m}/{d}/refuseniks-held-in-pits-intelligence-says/",
        "Refuseniks held in pits at Russian rear base, Ukrainian intelligence says",
        ("Oksana Lytvyn",),
        60,
        "on_topic",
        inserts=((2, "Ukraine's grain corridor handles record tonnage in October"),),
        paragraphs=(
            "Russian commanders in occupied Luhansk Oblast are holding soldiers who refused to "
            "go on assault missions in open pits dug into the ground, Ukraine's military "
            "intelligence said on Thursday, publishing what it described as intercepted phone "
            "calls.",
            "In one of the recordings, a man who identifies himself as a private from a "
            'motorized rifle brigade tells his wife that he has spent nine days in a pit "the '
            'depth of two men" with four others. "They throw down bread once a day. When it '
            'rains we stand in water," he says.',
            "Ukrainian intelligence said the pits are located on the grounds of a former "
            "agricultural enterprise used as a rear base. Soldiers who refuse orders are kept "
            "there until they agree to sign statements that they are ready to return to the "
            "front, it said.",
            "Similar accounts have surfaced in Russian independent media. Relatives of "
            "servicemen from Buryatia and Tuva have described basements where refuseniks were "
            "beaten with pipes and shocked with field telephones, and a human rights group in "
            "Moscow has collected more than sixty such complaints this year.",
            "Russia's Defense Ministry has never acknowledged the existence of such sites. "
            "Complaints filed with military prosecutors are usually returned with a note that "
            "no violations were found.",
            "Through the Woods, a volunteer group that helps Russian servicemen leave the army, "
            "said it had received a sharp rise in messages from soldiers who fear being sent to "
            "such places after refusing to fight.",
        ),
    ),
    _Draft(
        "borderland-press",
        "/{y}/{m}/{d}/russia-forcing-awol-soldiers-back-into-combat/",
        _C1_TITLE,
        ("Daniel Mercer",),
        31,
        "duplicate",
        paragraphs=_C1_PARAGRAPHS,
        inserts=((3, "EU agrees new package of sanctions against Russian shipping"),),
        duplicate_of=f"capital-observer:{_C1_PATH}",
        story="perimetr-310",
    ),
    _Draft(
        "borderland-press",
        "/{y}/{m}/{d}/russian-forces-press-on-pokrovsk/",
        "Russian forces press on Pokrovsk as drone war intensifies",
        ("Taras Melnyk",),
        20,
        "near_topic",
        inserts=((1, "Kyiv's metro stations to host winter classes for children"),),
        paragraphs=(
            "Russian forces intensified attacks on the approaches to Pokrovsk over the weekend, "
            "launching more than forty assaults along a narrow stretch of the front, the "
            "General Staff of Ukraine's Armed Forces said on Sunday.",
            "Ukrainian units reported repelling most of the attacks, which relied on small "
            "infantry groups moving under cover of fog and supported by glide bombs. Commanders "
            "said Russian losses were heavy but that pressure on supply roads into the town was "
            "growing.",
            "Both sides now depend on drones for almost everything: reconnaissance, artillery "
            "spotting, mining roads and hunting vehicles. A brigade commander said his unit had "
            "intercepted over a hundred Russian drones in a single day.",
            "Military analysts said Moscow appeared willing to accept significant casualties to "
            "gain ground before winter. The Centre for Conflict Tracking estimated that Russian "
            "forces had advanced about 12 square kilometers in the sector over the past week.",
            "Meanwhile, Ukrainian long-range drones struck an oil depot in Russia's Bryansk "
            "Oblast overnight, according to regional officials who reported a fire but no "
            "casualties.",
        ),
    ),
    _Draft(
        "borderland-press",
        "/{y}/{m}/{d}/shakhtar-edge-dynamo-in-rain-soaked-derby/",
        "Shakhtar edge Dynamo in rain-soaked Kyiv derby",
        ("Andrii Koval",),
        40,
        "off_topic",
        inserts=((2, "Ukrainian boxer defends world title in Wroclaw"),),
        paragraphs=(
            "Shakhtar Donetsk beat Dynamo Kyiv 2-1 on Saturday in a derby played in driving "
            "rain, moving three points clear at the top of the Ukrainian Premier League.",
            "The visitors took the lead after twelve minutes when a low cross from the right "
            "flank slipped through a crowded penalty area and into the far corner. Dynamo "
            "equalized just before half-time with a header from a corner kick.",
            "The decisive moment came in the 78th minute. A substitute, making only his third "
            "appearance for the club, curled a free kick over the wall and inside the post, "
            "sending the traveling supporters into celebration.",
            "Sirens delayed the second half by twenty minutes, with players and fans taking "
            "shelter before the match resumed. Such interruptions have become routine in a "
            "league that plays most of its matches with limited attendance.",
            "Dynamo's coach said his team had created enough chances to win. \"We lost "
            'concentration for one set piece, and at this level one set piece is enough," he '
            "told reporters.",
        ),
    ),
    _Draft(
        "borderland-press",
        "/{y}/{m}/{d}/interview-russian-deserter-in-georgia/",
        "Exclusive: a Russian deserter in Georgia tells his story",
        ("Oksana Lytvyn",),
        12,
        "gone",
        paragraphs=(),
    ),
)

_RHINE_R1 = "/en/russian-deserters-caught-beaten-sent-back/a-70412345"

_RHINE: tuple[_Draft, ...] = (
    _Draft(
        "rhine-wire",
        _RHINE_R1,
        "Russian deserters: Caught, beaten and sent back to the front",
        ("Katja Brenner",),
        14,
        "on_topic",
        amp_path="/amp" + _RHINE_R1,
        caption="Soldiers who flee face harsh treatment if caught, rights groups say. "
        "Image: Rhine Wire",
        inserts=(
            (1, "Russia's draft now reaches men up to 30: What changes?"),
            (4, "Why Russia's autumn offensive has slowed"),
            (6, "Ukraine's deminers race to clear farmland before spring"),
        ),
        paragraphs=(
            "Since the start of Russia's full-scale war against Ukraine, the number of Russian "
            "servicemen who leave their units without permission has risen year after year. "
            "Rights groups now say that many of those who are caught end up back at the front "
            "within weeks, often after being beaten or locked up.",
            "According to the court-data project Docket Watch, garrison courts handed down "
            "around 7,900 verdicts against servicemen in the first ten months of this year. "
            "Unauthorized abandonment of a unit accounted for the vast majority, while "
            "convictions for desertion remained in the low hundreds.",
            "Most verdicts were suspended sentences, said Pavel Ilyin, a volunteer with the "
            'assistance group Through the Woods. "A suspended sentence is not freedom. It means '
            "the soldier goes straight back to his commander, and the commander decides where "
            'he goes next," Ilyin told Rhine Wire.',
            "Ilyin said that nearly two-thirds of the people who contacted the group this year "
            "were contract soldiers rather than mobilized men, a shift from the first year of "
            "the war, when mostly conscripts and reservists asked for help.",
            "Several former soldiers have described being held after their capture in "
            "basements and in metal shipping containers near the front line. One man from the "
            "Perm region told Rhine Wire he spent three weeks in a container with eleven other "
            "men, with a bucket for a toilet, before being sent to an assault unit.",
            '"They told us: either you go forward, or you stay here until you rot," he said. '
            "He fled a second time after being wounded and eventually crossed into Kazakhstan "
            "with the help of volunteers.",
            "His wife had spent months writing to prosecutors and the Defense Ministry. Each "
            "reply, she said, was the same: the information she requested was classified.",
            "Through the Woods said it helped more than 600 servicemen leave Russia this year. "
            "The group's lawyers warn that leaving a unit remains a serious crime and that "
            "soldiers who return home voluntarily are almost always found.",
        ),
    ),
    _Draft(
        "rhine-wire",
        "/de/fahnenflucht-russische-deserteure-front/a-70413377",
        "Fahnenflucht: Russische Deserteure werden an die Front zurückgeschickt",
        ("Jonas Hartmann",),
        38,
        "on_topic",
        language="de",
        caption="Russische Rekruten auf einem Truppenübungsplatz. Bild: Rhine Wire",
        inserts=(
            (1, "Warum Russland die Wehrpflicht bis 30 ausweitet"),
            (3, "Drohnenkrieg: Wie sich die Front verändert"),
            (4, "Minenräumung in der Ukraine: Feld für Feld"),
        ),
        paragraphs=(
            "Immer mehr russische Soldaten verlassen ohne Erlaubnis ihre Einheiten. Nach "
            "Angaben unabhängiger Medien landen viele von ihnen jedoch nicht vor Gericht, "
            "sondern nach wenigen Wochen wieder an der Front.",
            "Das Rechercheprojekt Docket Watch zählte in diesem Jahr mehr als 8000 "
            "Strafverfahren wegen unerlaubten Verlassens der Einheit. Die Zahl der Verfahren "
            "wegen Fahnenflucht ist deutlich geringer, weil die Staatsanwaltschaft dafür "
            "nachweisen muss, dass ein Soldat den Dienst dauerhaft verlassen wollte.",
            "Eine Anwältin aus Jekaterinburg berichtet, dass ihre Mandanten in Sammelstellen "
            'festgehalten und dann ohne Urteil in Sturmeinheiten versetzt würden. "Die '
            "Strafverfahren werden einfach eingestellt, und am nächsten Morgen steht ein "
            'Lastwagen vor der Tür", sagt sie.',
            "Wer sich weigert, riskiert Gewalt. Angehörige schildern Keller und Gruben, in "
            "denen sogenannte Verweigerer tagelang festgehalten und geschlagen würden. Das "
            "russische Verteidigungsministerium äußert sich zu solchen Vorwürfen nicht.",
            'Freiwillige Helfer der Gruppe "Durch den Wald" unterstützen Soldaten, die das '
            "Land verlassen wollen. Nach eigenen Angaben erhielt die Gruppe in diesem Jahr mehr "
            "als 3000 Anfragen, vor allem von Vertragssoldaten.",
            "Viele Deserteure fliehen zunächst nach Kasachstan oder Armenien. Eine sichere "
            "Zukunft haben sie dort nicht: Russland stellt Auslieferungsanträge, und "
            "Asylverfahren in der EU dauern oft Jahre.",
        ),
    ),
    _Draft(
        "rhine-wire",
        "/en/russia-conscription-age-30/a-70409021",
        "Why is Russia extending conscription to men up to 30?",
        ("Lena Fischer",),
        80,
        "near_topic",
        caption="Young men at a draft office in Moscow. Image: Rhine Wire",
        inserts=(
            (1, "Russia's war economy: Who pays for the tanks?"),
            (3, "Kazakhstan's border towns, three years on"),
            (4, "Inside Ukraine's drone pilot schools"),
        ),
        paragraphs=(
            "Russian men can now be called up for compulsory military service until the age of "
            "30, after a law raising the upper limit from 27 took effect. The lower limit "
            "remains at 18.",
            "The Kremlin says the change is about fairness and planning rather than the war in "
            "Ukraine. Officials argue that many men used to postpone service through university "
            "and then simply aged out of the draft.",
            "Critics see it differently. Military analysts say the reform enlarges the pool of "
            "men who can be pressed into signing contracts during their year of service, since "
            "conscripts themselves are formally barred from fighting in Ukraine.",
            "The twice-yearly call-up is also becoming a year-round process. Draft offices now "
            "send summonses electronically, and men who ignore them can be banned from leaving "
            "the country or registering property.",
            "Demographers note that Russia's cohorts of young men are small, a legacy of the low "
            "birth rates of the late 1990s. Extending the age range partly compensates for that "
            "shortfall.",
            "For now, the number of conscripts called up each season, about 150,000, has not "
            "changed dramatically. But lawyers who advise young men say the questions they "
            "receive have shifted from how to defer service to whether it is safe to travel.",
        ),
    ),
    _Draft(
        "rhine-wire",
        "/en/sahara-dust-alpine-snow/a-70410552",
        "Sahara dust turns Alpine snow orange",
        ("Marco Keller",),
        56,
        "off_topic",
        caption="Orange-tinted snow above Davos. Image: Rhine Wire",
        inserts=(
            (1, "Europe's ski resorts bet on snow cannons"),
            (3, "Why the Mediterranean is warming faster than the oceans"),
            (4, "Morocco's solar farms on the edge of the dunes"),
        ),
        paragraphs=(
            "Skiers in the Swiss and Austrian Alps woke up to an orange sky on Tuesday as a "
            "plume of dust from the Sahara desert swept across central Europe, tinting fresh "
            "snow the color of apricots.",
            "Meteorologists said a low-pressure system over the western Mediterranean had "
            "lifted fine sand from Algeria and Morocco high into the atmosphere, where southerly "
            "winds carried it north across the sea in less than two days.",
            "Such events are not unusual in spring, but forecasters said this episode was one "
            "of the strongest recorded in late autumn. Air quality monitors in Geneva and "
            "Innsbruck showed particulate levels several times above normal.",
            "Glaciologists are watching closely. Dust-darkened snow absorbs more sunlight and "
            "melts faster, which can shorten the lifespan of glaciers already shrinking from "
            "rising temperatures.",
            "The desert dust also carries nutrients such as iron and phosphorus, which can "
            'fertilize forests and the ocean far from their source. "The Sahara is constantly '
            'moving, just slowly and in small pieces," said a researcher at the University of '
            "Bern.",
            "The dust is expected to clear by the weekend, when a cold front from the Atlantic "
            "brings rain to much of the region.",
        ),
    ),
    _Draft(
        "rhine-wire",
        "/en/nato-allies-record-military-spending/a-70411808",
        "NATO allies pledge record military spending",
        ("Lena Fischer",),
        100,
        "near_topic",
        caption="Tanks at a training range in Lower Saxony. Image: Rhine Wire",
        inserts=(
            (1, "Germany's Bundeswehr struggles to find recruits"),
            (2, "How Europe's shell factories are scaling up"),
            (3, "Poland's new tank brigades take shape"),
        ),
        paragraphs=(
            "NATO's European members and Canada will spend a combined 2.3% of their economic "
            "output on defense this year, the alliance said on Wednesday, the highest share "
            "since the end of the Cold War.",
            "Germany's military budget alone is set to exceed €90 billion next year once a "
            "special fund for the armed forces is included, making it the largest in Europe. "
            "Poland plans to spend more than 4.5% of GDP, the highest ratio in the alliance.",
            "The increases have been driven by Russia's war against Ukraine and by pressure "
            "from Washington for European allies to take more responsibility for their own "
            "security. Air defense, artillery ammunition and drones top the shopping lists.",
            "Finance ministers face hard choices. In several countries, higher military budgets "
            "are being paid for with new borrowing, while others are trimming development aid "
            "and cultural spending.",
            "Defense manufacturers are struggling to keep up. Order books for shells and air "
            "defense missiles stretch several years into the future, and new factories in "
            "Germany and Lithuania will not reach full production before 2028.",
        ),
    ),
    _Draft(
        "rhine-wire",
        "/en/night-trains-frontline-towns/video-70414460",
        "Video: Night trains to the front-line towns",
        ("Rhine Wire video desk",),
        8,
        "no_body",
        paragraphs=(),
        caption="Ukraine's railway workers keep trains running to towns near the front line.",
    ),
)

_CAPITAL: tuple[_Draft, ...] = (
    _Draft(
        "capital-observer",
        _C1_PATH,
        _C1_TITLE,
        ("Daniel Mercer",),
        34,
        "on_topic",
        paragraphs=_C1_PARAGRAPHS,
        story="perimetr-310",
        caption="Servicemen march during a ceremony in Rostov-on-Don. A new investigation "
        "says soldiers who left their units are being redeployed without trial. "
        "Capital Observer/Archive",
    ),
    _Draft(
        "capital-observer",
        "/world/kremlin-clean-slate-awol-soldiers-contracts-1894532",
        "Kremlin Offers Clean Slate to AWOL Soldiers Who Sign New Contracts",
        ("Rachel Stone",),
        18,
        "on_topic",
        caption="The State Duma building in Moscow, where lawmakers approved the amendments "
        "on Wednesday. Capital Observer/Archive",
        paragraphs=(
            "Russian servicemen facing prosecution for leaving their units without permission "
            "can have their cases dropped if they sign a new one-year contract and return to "
            "the front, under amendments approved by the State Duma on Wednesday.",
            "The measure formalizes a practice that lawyers and rights groups say has been "
            "widespread for months: soldiers charged with going AWOL or refusing orders are "
            "offered a choice between a prison term and a return to combat.",
            "Under the amendments, the criminal case is paused while the soldier serves and "
            "closed once he is discharged or killed. Men who are wounded can also have their "
            "cases closed, according to the text published on the Duma's website.",
            'Supporters of the bill said it would "give a second chance" to men who made a '
            'mistake. Critics said it turned the criminal code into a recruitment tool. "It is '
            'not amnesty. It is a sentence to the assault units," a Moscow defense lawyer told '
            "the Capital Observer.",
            "Court data suggest the pool of eligible men is large. The court-data project "
            "Docket Watch counted more than 9,000 cases of unauthorized abandonment of a unit "
            "in the first ten months of the year, up from about 6,000 in the same period a year "
            "earlier.",
            "The bill now goes to the Federation Council, Russia's upper house, which is "
            "expected to approve it next week.",
        ),
    ),
    _Draft(
        "capital-observer",
        "/world/russia-losses-kupiansk-winter-1894288",
        "Russia's Losses Near Kupiansk Mount as Winter Approaches",
        ("Rachel Stone",),
        40,
        "near_topic",
        caption="A destroyed armored vehicle on a road outside Kupiansk, Kharkiv Oblast, "
        "photographed last week. Capital Observer/Archive",
        paragraphs=(
            "Russian forces have suffered some of their heaviest losses of the autumn around "
            "the northeastern city of Kupiansk, according to Ukrainian military officials and "
            "open-source analysts tracking the fighting.",
            "Ukraine's General Staff said Russia lost more than 1,300 troops killed or wounded "
            "across the front on Tuesday alone, a figure that could not be independently "
            "confirmed. Russia does not publish casualty figures.",
            "Open-source analysts who count confirmed equipment losses from photographs said "
            "Russia had lost at least 40 armored vehicles in the Kupiansk sector since the start "
            "of October, many of them to first-person-view drones.",
            "Western intelligence officials estimate that Russia's total casualties in the war "
            "now exceed 900,000 killed and wounded. Moscow has compensated with high enlistment "
            "bonuses and a steady flow of contract recruits rather than a new round of "
            "mobilization.",
            "Ukrainian commanders warn that Russian assaults are likely to continue despite the "
            "losses, as Moscow seeks to improve its negotiating position before winter slows "
            "operations.",
        ),
    ),
    _Draft(
        "capital-observer",
        "/private/draft-deserters-hotline-investigation-1894600",
        "DRAFT: Inside the Hotline Helping Russian Deserters Escape",
        ("Daniel Mercer",),
        6,
        "robots_blocked",
        paragraphs=(
            "The calls come at night, mostly. A soldier on a hospital ward in Rostov, a "
            "contract serviceman on leave in Krasnoyarsk, a mobilized father of three who has "
            "not been paid in two months. They all want to know the same thing: how to leave "
            "the army and stay alive.",
            "On the other end are volunteers of Through the Woods, a group that has spent three "
            "years helping Russian servicemen who desert or refuse to fight. Its coordinators "
            "say requests have doubled since the summer.",
            "Most callers are not yet deserters. They are men considering unauthorized "
            "abandonment of their unit, asking what happens if they are caught and whether a "
            "suspended sentence means they will be sent back.",
            'The honest answer, the volunteers say, is usually yes. "We tell them the truth: if '
            'you stay in Russia, they will find you," one coordinator said. The group helps '
            "those who decide to leave reach countries that rarely extradite.",
            "Editor's note: this draft is embargoed and must not be published before legal and "
            "editorial review is complete.",
        ),
    ),
    _Draft(
        "capital-observer",
        "/world/russian-garrison-courts-awol-surge-1721904",
        "Garrison Courts See Surge in AWOL Cases",
        ("Rachel Stone",),
        400 * 24,
        "too_old",
        caption="A military courthouse in Rostov-on-Don. Capital Observer/Archive",
        paragraphs=(
            "Russian garrison courts are handling a record number of cases against soldiers who "
            "leave their units without permission, according to an analysis of court records "
            "by the data project Docket Watch.",
            "The project counted 612 verdicts for unauthorized abandonment of a unit last "
            "month, almost twice as many as a year earlier. Cases for outright desertion "
            "remained rare, at fewer than twenty a month.",
            "Most of those convicted were mobilized men and contract soldiers who did not "
            "return from leave or from hospital treatment. Nearly half received suspended "
            "sentences, which allow their commanders to return them to service.",
            "Lawyers say the rise reflects both exhaustion at the front and stricter "
            "enforcement at home, where police now routinely check the documents of men of "
            "military age at railway stations and bus terminals.",
            "The Defense Ministry does not publish data on desertion. The Capital Observer has "
            "asked the ministry for comment and will update this story if it responds.",
        ),
    ),
    _Draft(
        "capital-observer",
        "/business/ruble-slides-oil-revenues-fall-short-1894350",
        "Ruble Slides as Oil Revenues Fall Short",
        ("Evan Price",),
        72,
        "off_topic",
        caption="Currency exchange rates displayed in central Moscow on Thursday. "
        "Capital Observer/Archive",
        paragraphs=(
            "The Russian ruble slid to its weakest level against the U.S. dollar in seven "
            "months on Thursday, as falling oil prices and a widening budget gap unsettled "
            "traders in Moscow.",
            "The currency lost nearly 2% in a single session before the central bank stepped "
            "in with foreign currency sales. Analysts said exporters had been slow to convert "
            "their earnings ahead of the month-end tax period.",
            "Oil and gas revenues, which account for roughly a third of federal income, fell "
            "18% year on year in October, according to Finance Ministry data. The price of "
            "Urals crude has hovered near $55 a barrel, well below the level assumed in the "
            "budget.",
            "A weaker ruble helps the budget in the short term by increasing the ruble value of "
            "dollar-denominated exports. But it also feeds inflation, which the central bank is "
            "struggling to bring down with a key interest rate of 17%.",
            "Economists at a Moscow investment bank expect the ruble to stay under pressure "
            'through the end of the year. "The market is pricing in lower oil and more '
            'borrowing," one of them wrote in a note to clients.',
        ),
    ),
)

_VOLGA: tuple[_Draft, ...] = (
    _Draft(
        "volga-bulletin",
        "/news/{y}/{m}/{d}/samara-court-suspended-sentence-soldier/",
        "Samara court gives suspended sentence to soldier who left his unit",
        ("Denis Orlov",),
        4,
        "on_topic",
        story="samara-trial",
        paragraphs=(
            "The Samara garrison military court on Monday sentenced a 34-year-old contract "
            "soldier to four years of suspended imprisonment for unauthorized abandonment of "
            "his unit, the court's press service said.",
            "According to the case file, the soldier, a junior sergeant from Syzran, failed to "
            "return to his unit after a two-week leave in June and spent almost three months at "
            "his mother's house in a village in the Shigonsky district, where police found him "
            "in September.",
            "At the hearing, he said he had stayed to look after his mother, who had suffered a "
            "stroke, and that he had planned to return once his sister arrived from Tolyatti. "
            "The prosecution asked for five years in a penal colony.",
            "The judge took into account his guilty plea, his service in the combat zone and "
            "two state awards. The suspended sentence comes with a probation period of three "
            "years, which he will serve in his unit.",
            "It is the eleventh such verdict handed down by the Samara garrison court since the "
            "beginning of the year. Lawyers say that in practice a suspended term means a swift "
            "return to the front.",
        ),
    ),
    _Draft(
        "volga-bulletin",
        "/news/{y}/{m}/{d}/first-snow-expected-in-samara/",
        "First snow expected in Samara this weekend",
        ("Yulia Petrenko",),
        9,
        "off_topic",
        paragraphs=(
            "The first proper snow of the season is expected to fall on Samara and the "
            "surrounding region on Saturday night, forecasters at the Volga weather service said "
            "on Thursday.",
            "Temperatures will drop to minus six degrees overnight and stay around freezing "
            "during the day, with a northwesterly wind gusting up to 15 meters per second. Up to "
            "five centimeters of snow could settle by Sunday morning.",
            "City authorities said 180 snowplows and gritters were ready, and asked drivers to "
            "switch to winter tires if they had not done so already. Bus operators said "
            "timetables could be disrupted on the Moscow Highway and in the hilly districts "
            "near the river.",
            "Forecasters expect a brief thaw early next week, with rain and temperatures up to "
            "plus three degrees, before a colder spell returns at the end of the month.",
            "The region's emergency services reminded residents to stay off the ice on ponds "
            "and backwaters, which is still far too thin to bear the weight of a person.",
        ),
    ),
    _Draft(
        "volga-bulletin",
        "/news/{y}/{m}/{d}/mothers-of-held-servicemen-appeal-to-governor/",
        "Mothers of servicemen held at Kinel assembly point appeal to governor",
        ("Denis Orlov",),
        28,
        "on_topic",
        paragraphs=(
            "Twenty-three women whose sons and husbands are being held at a military assembly "
            "point near Kinel have written to the governor of the Samara region asking him to "
            "intervene, saying the men are being pressured to return to the front without any "
            "court decision.",
            "All of the men are accused of unauthorized abandonment of a unit or of refusing to "
            "fight. Some have been held for more than two months, the women wrote, in a former "
            "warehouse where they sleep on the floor and are allowed one phone call a week.",
            '"Our men are not criminals in hiding. They came back themselves, or they were '
            'brought back, and they are ready to answer in court," the letter says. "Instead '
            'they are told that if they do not sign, they will be sent anyway."',
            "Two of the women told the Volga Bulletin that their relatives had been beaten after "
            "refusing to sign new contracts. One said her husband's hand had been broken.",
            "The governor's office confirmed it had received the letter and forwarded it to the "
            "military prosecutor's office. The regional military commissariat did not answer "
            "questions.",
        ),
    ),
    _Draft(
        "volga-bulletin",
        "/news/{y}/{m}/{d}/recruitment-office-opens-in-shopping-centre/",
        "Recruitment office opens in Samara shopping centre",
        ("Yulia Petrenko",),
        36,
        "near_topic",
        paragraphs=(
            "A military recruitment office has opened on the ground floor of one of Samara's "
            "largest shopping centres, between a phone shop and a café, offering passers-by "
            "contracts with the armed forces.",
            "Posters at the stand promise a regional bonus of 1.6 million rubles on signing, on "
            "top of federal payments and a monthly salary of at least 210,000 rubles. Recruiters "
            "in uniform hand out leaflets and answer questions about medical checks.",
            "The regional government said similar points would open in Tolyatti and Syzran "
            "before the end of the year. Officials say the region has fulfilled its recruitment "
            "plan for the year ahead of schedule.",
            "Shoppers' reactions were mixed. Some stopped to ask about the payments; others "
            'hurried past. "My neighbour signed in spring. His family bought a car," said one '
            'pensioner. "Whether he comes back to drive it is another question."',
            "The contracts are for a minimum of one year, though lawyers note that under current "
            'rules they are effectively extended until the end of the "special military '
            'operation".',
        ),
    ),
    _Draft(
        "volga-bulletin",
        "/news/{y}/{m}/{d}/volga-sturgeons-snap-losing-streak/",
        "Volga Sturgeons snap five-game losing streak",
        ("Artem Lukin",),
        75,
        "off_topic",
        paragraphs=(
            "The Volga Sturgeons ended a five-game losing streak on Wednesday night, beating "
            "visitors from Chelyabinsk 4-2 in front of nearly six thousand fans at the Samara "
            "Ice Palace.",
            "Captain Roman Yefremov opened the scoring midway through the first period with a "
            "wrist shot from the blue line that flew through a crowd of players. Chelyabinsk "
            "equalized on a power play early in the second.",
            "The game turned in a four-minute spell late in the second period, when the "
            "Sturgeons scored twice: first on a rebound by the 19-year-old forward Ilya Danilin, "
            "then on a breakaway by veteran winger Artur Salikhov.",
            "Chelyabinsk pulled a goal back with their goalkeeper on the bench, but an empty-net "
            'goal with 40 seconds left sealed the win. "We finally played sixty minutes instead '
            "of forty,\" the Sturgeons' coach told reporters afterwards.",
            "The Sturgeons remain eleventh in the conference and travel to Kazan on Saturday "
            "for the first of three away games.",
        ),
    ),
    _Draft(
        "volga-bulletin",
        "/news/{y}/{m}/{d}/police-detain-awol-serviceman-at-station/",
        "Police detain AWOL serviceman at Samara railway station",
        ("Artem Lukin",),
        96,
        "on_topic",
        story="samara-detention",
        paragraphs=(
            "Transport police detained a 27-year-old serviceman at Samara's main railway "
            "station on Sunday who had been wanted for unauthorized abandonment of his unit "
            "since August, the regional interior ministry said.",
            "The man, a contract soldier from the Orenburg region, was stopped during a routine "
            "document check on the platform of a train to Moscow. A database search showed that "
            "his unit had reported him missing after he failed to return from leave.",
            "Police said he did not resist and told officers he had been working on "
            "construction sites in Tolyatti under a friend's name. He was handed over to the "
            "military commandant's office the same evening.",
            "Document checks of men of military age at stations and bus terminals have become "
            "routine in the region. According to the interior ministry, transport police "
            "detained 34 servicemen who had gone AWOL in the first ten months of the year.",
            "A criminal case has been opened against the soldier. Leaving a unit for more than "
            "a month during mobilization carries a sentence of up to ten years. In practice, "
            "lawyers say, such cases often end in suspended sentences and a return to the "
            "front.",
        ),
    ),
)

_URAL: tuple[_Draft, ...] = (
    _Draft(
        "ural-vestnik",
        "/news/48213.html",
        "В Екатеринбурге контрактнику дали условный срок за самовольное оставление части",
        ("Анна Коренева",),
        12,
        "on_topic",
        language="ru",
        caption="Здание гарнизонного военного суда. Фото: «Уральский вестник»",
        story="yekaterinburg-trial",
        paragraphs=(
            "Екатеринбургский гарнизонный военный суд приговорил 29-летнего контрактника к "
            "пяти годам лишения свободы условно за самовольное оставление части (СОЧ) в период "
            "мобилизации. Об этом сообщила пресс-служба суда.",
            "По данным следствия, военнослужащий не вернулся в часть после лечения в госпитале "
            "в Ростове-на-Дону и почти четыре месяца жил у родственников в Каменске-Уральском. "
            "В августе его задержали сотрудники военной полиции.",
            "В суде подсудимый полностью признал вину и объяснил, что уехал домой, чтобы "
            "ухаживать за больной матерью. Сторона обвинения просила назначить ему реальный "
            "срок: шесть лет колонии общего режима.",
            "Суд учёл признание вины, наличие государственной награды и участие в боевых "
            "действиях. Испытательный срок составит четыре года; всё это время осуждённый "
            "должен продолжать службу в своей части.",
            "По подсчётам проекта «Судебный дозор», только за октябрь гарнизонные суды "
            "Уральского региона рассмотрели более 120 дел о СОЧ. Юристы отмечают, что условный "
            "приговор почти всегда означает скорое возвращение на фронт.",
            "Ранее тот же суд вынес похожий приговор военнослужащему из Первоуральска, который "
            "не вернулся из отпуска и был задержан на железнодорожном вокзале в Челябинске.",
        ),
    ),
    _Draft(
        "ural-vestnik",
        "/news/48190.html",
        "Правозащитники: дезертиров и отказников принудительно отправляют на фронт",
        ("Игорь Сыромятников",),
        46,
        # names soldiers, units and small towns, never Russia, its military districts or a
        # city the topic knows: as a Ukrainian report on Ukraine's own deserters would; kept
        # for an analyst's review
        "borderline",
        language="ru",
        caption="Пункт временного содержания военнослужащих. Фото из архива редакции",
        paragraphs=(
            "Военнослужащих, задержанных за самовольное оставление части, массово отправляют "
            "обратно в зону боевых действий без суда, сообщают правозащитники и родственники "
            "солдат. По их данным, только из пункта временного содержания под Чебаркулем за "
            "осень вывезли не менее 150 человек.",
            "Отказников, которые не соглашаются возвращаться в штурмовые подразделения, держат "
            "в подвалах и ямах, рассказывают жёны и матери военнослужащих. Некоторых избивают, "
            "других запугивают расстрелом.",
            "«Мужу сказали: или подписываешь, или останешься здесь навсегда. Через неделю он "
            "позвонил уже из Донецкой области», — рассказала «Уральскому вестнику» жительница "
            "Златоуста.",
            "Уголовные дела против дезертиров и «сочинцев», как таких солдат называют в армии, "
            "часто приостанавливают, чтобы не терять людей. Адвокаты говорят, что их подзащитные "
            "узнают о прекращении своего дела уже на передовой.",
            "Волонтёры группы «Через лес», помогающей военнослужащим покинуть армию, сообщили, "
            "что за год к ним обратились более 4000 человек. Большинство из них — контрактники, "
            "а не мобилизованные.",
            "В Министерстве обороны на запрос редакции не ответили. В военной прокуратуре "
            "округа заявили, что нарушений не выявлено.",
        ),
    ),
    _Draft(
        "ural-vestnik",
        "/news/48102.html",
        "В Свердловской области начался осенний призыв",
        ("Анна Коренева",),
        70,
        "near_topic",
        language="ru",
        caption="Сборный пункт областного военного комиссариата. Фото: «Уральский вестник»",
        paragraphs=(
            "В Свердловской области начался осенний призыв на военную службу. До конца декабря "
            "в армию планируется направить около 3800 жителей региона в возрасте от 18 до 30 "
            "лет, сообщили в областном военном комиссариате.",
            "Это первый призыв, который проходит по новым правилам: верхняя граница призывного "
            "возраста повышена с 27 до 30 лет, а повестки теперь приходят в электронном виде "
            "через портал госуслуг. Повестка считается врученной через семь дней после "
            "размещения в реестре.",
            "В военкомате подчеркнули, что призывники будут проходить службу только на "
            "территории России и не будут направляться в зону специальной военной операции. "
            "При этом срочникам на протяжении службы будут предлагать заключить контракт.",
            "Юристы советуют молодым людям заранее проверять свои данные в реестре и не "
            "игнорировать медицинское освидетельствование. За неявку по повестке могут "
            "запретить выезд за границу, регистрацию автомобиля и оформление кредита.",
            "Сборный пункт в Екатеринбурге, по данным комиссариата, готов к приёму призывников: "
            "там отремонтировали казармы и столовую. Первые команды отправятся в войска в "
            "середине ноября.",
        ),
    ),
    _Draft(
        "ural-vestnik",
        "/news/48055.html",
        "Оперный театр Екатеринбурга открыл сезон премьерой «Снегурочки»",
        ("Вера Лисицына",),
        100,
        "off_topic",
        language="ru",
        caption="Сцена из спектакля «Снегурочка». Фото: пресс-служба театра",
        paragraphs=(
            "Екатеринбургский театр оперы и балета открыл новый сезон премьерой оперы Николая "
            "Римского-Корсакова «Снегурочка». Постановку осуществил молодой режиссёр из "
            "Петербурга, для которого это первая работа на уральской сцене.",
            "Действие весенней сказки перенесено в условный северный посёлок: вместо терема — "
            "деревянные бараки, вместо царя Берендея — председатель поссовета. Художник "
            "спектакля построил на сцене огромный ледяной купол, который во втором акте "
            "медленно тает.",
            "Партию Снегурочки исполнила солистка театра, выпускница Уральской консерватории. "
            "Публика несколько раз прерывала спектакль аплодисментами, а после финала зал "
            "аплодировал стоя почти десять минут.",
            "Музыкальный руководитель постановки признался, что партитура «Снегурочки» — одна "
            "из самых сложных для оркестра: «Римский-Корсаков написал не оперу, а целую "
            "энциклопедию русского пейзажа в звуках».",
            "Следующие показы пройдут в конце месяца. Билеты на декабрьские спектакли почти "
            "распроданы, поэтому театр планирует добавить дневные показы для школьников и "
            "студентов.",
            "Костюмы для спектакля шили полгода в мастерских театра. Только для хора "
            "понадобилось больше двухсот нарядов, расшитых вручную по мотивам северных "
            "народных узоров.",
        ),
    ),
)

_DNIPRO: tuple[_Draft, ...] = (
    _Draft(
        "dnipro-digest",
        "/novyny/rosiiski-vidmovnyky-v-iamakh-18342/",
        "Російських відмовників тримають у ямах і примусово відправляють на штурм — розвідка",
        ("Олена Гончаренко",),
        22,
        "on_topic",
        language="uk",
        caption="Окупована частина Луганщини. Фото з відкритих джерел",
        paragraphs=(
            "Російське командування утримує військовослужбовців, які відмовилися йти в атаку, "
            "у викопаних у землі ямах на тимчасово окупованій території Луганщини. Про це "
            "повідомила українська військова розвідка, оприлюднивши перехоплені телефонні "
            "розмови.",
            "В одному із записів чоловік розповідає дружині, що вже понад тиждень сидить у ямі "
            "разом із п'ятьма іншими відмовниками. «Хліб кидають раз на день. Коли йде дощ, "
            "стоїмо у воді», — каже він.",
            "За даними розвідки, тих, хто погоджується підписати заяву про повернення на "
            "передову, одразу відправляють у штурмові підрозділи. Решту тримають далі або "
            "переводять до підвалів колишнього заводу.",
            "Російські незалежні медіа також повідомляють про масові випадки самовільного "
            "залишення частини. Лише за жовтень гарнізонні суди Росії розглянули понад 900 "
            "таких справ, а кількість дезертирів, за оцінками правозахисників, значно більша.",
            "Волонтери групи «Через ліс», яка допомагає російським військовим залишити армію, "
            "кажуть, що кількість звернень від контрактників зросла вдвічі з початку літа.",
            "Міністерство оборони Росії ніколи не визнавало існування таких місць утримання, а "
            "скарги родичів до військової прокуратури залишаються без відповіді.",
        ),
    ),
    _Draft(
        "dnipro-digest",
        "/novyny/rada-demobilizatsiia-zakonoproiekt-18297/",
        "Рада розглядає законопроєкт про демобілізацію тих, хто служить понад три роки",
        ("Максим Бондар",),
        52,
        "near_topic",
        language="uk",
        caption="Сесійна зала Верховної Ради. Фото: пресслужба парламенту",
        paragraphs=(
            "Верховна Рада України розпочала розгляд законопроєкту, який має визначити порядок "
            "звільнення зі служби військових, мобілізованих у перші місяці повномасштабного "
            "вторгнення. Документ підтримали у профільному комітеті з питань національної "
            "безпеки.",
            "Згідно з проєктом, військовослужбовці, які безперервно служать понад 36 місяців, "
            "матимуть право на звільнення за умови, що їх буде ким замінити. Для цього "
            "Міністерство оборони має щомісяця звітувати про кількість новобранців.",
            "Родини військових давно вимагають чітких строків служби. Біля будівлі парламенту в "
            "Києві минулої суботи зібралися кілька сотень людей із плакатами «Три роки — це "
            "досить».",
            "Командири попереджають, що без нових мобілізованих звільнення досвідчених бійців "
            "може послабити оборону на найскладніших ділянках фронту, зокрема на Покровському "
            "напрямку.",
            "Голосування в першому читанні заплановане на наступний пленарний тиждень. Якщо "
            "закон ухвалять, він набуде чинності через три місяці після публікації.",
            "Паралельно уряд обговорює підвищення грошового забезпечення для тих, хто підписує "
            "контракт на один рік, зокрема для молоді віком від 18 до 24 років.",
            "Експерти нагадують, що питання строків служби безпосередньо пов'язане з тим, "
            "наскільки ефективно працюють територіальні центри комплектування та як швидко "
            "новобранці проходять навчання.",
        ),
    ),
    _Draft(
        "dnipro-digest",
        "/novyny/pohoda-dnipro-zamorozky-18366/",
        "Погода в Дніпрі: перші заморозки та мокрий сніг",
        ("Ірина Коваль",),
        16,
        "off_topic",
        language="uk",
        caption="Набережна Дніпра в листопаді. Фото: «Дніпровський дайджест»",
        paragraphs=(
            "Найближчими днями в Дніпрі та області різко похолоднішає. За прогнозом "
            "Українського гідрометцентру, вночі температура опуститься до мінус п'яти градусів, "
            "а вдень коливатиметься від нуля до плюс трьох.",
            "У суботу очікується мокрий сніг, місцями з дощем. На дорогах утворюватиметься "
            "ожеледиця, тому водіїв просять не виїжджати без зимових шин і дотримуватися "
            "дистанції.",
            "Комунальні служби міста повідомили, що на лінію готові вийти 60 одиниць "
            "снігоприбиральної техніки, а на складах зберігається понад дві тисячі тонн "
            "піщано-сольової суміші.",
            "Синоптики радять дніпрянам стежити за оновленнями прогнозу: у неділю "
            "північно-західний вітер посилиться до 15–20 метрів за секунду, можливі обриви "
            "ліній електропередачі.",
            "Потепління очікується лише наприкінці наступного тижня, коли температура вдень "
            "знову підніметься до плюс шести градусів.",
            "Лікарі нагадують, що в холодну погоду варто одягатися шарами, пити теплі напої та "
            "обмежити тривалі прогулянки для людей похилого віку та маленьких дітей.",
            "Енергетики попереджають про можливі графіки відключень світла в разі сильних "
            "морозів і просять мешканців заздалегідь зарядити павербанки та ліхтарики.",
        ),
    ),
)

_HARBOUR: tuple[_Draft, ...] = (
    _Draft(
        "broken-feeds",
        "/stories/deserter-walked-to-kazakhstan.html",
        "'I walked for two nights': a deserter's route to Kazakhstan",
        ("Sam Whitlock",),
        10,
        "on_topic",
        paragraphs=(
            "Andrei, which is not his real name, left his unit on a rainy night in September, "
            "when the guards at a field hospital in Belgorod were watching a football match on "
            "a phone. He walked for two nights, hitchhiked for a third, and a week later crossed "
            "the border into Kazakhstan with his internal passport.",
            "He had signed a contract in spring for the money: a bonus that paid off his "
            "mother's debts and a salary three times what he earned as a welder. After six "
            "weeks in an assault unit, he said, the money had stopped meaning anything.",
            '"Out of the twelve men who went with me to the first position, four came back," '
            'he said. "After that I understood that if I stayed, I would be the next one '
            'carried out in a bag."',
            "Volunteers from the group Through the Woods arranged a place for him to sleep in "
            "Almaty and advised him on how to apply for a humanitarian visa. They warn deserters "
            "that Russia can request extradition and that crossing borders remains risky.",
            "In Russia, Andrei is now wanted for desertion. Military police have visited his "
            "mother twice. He says he does not regret leaving, only that he did not leave "
            "sooner.",
        ),
    ),
    _Draft(
        "broken-feeds",
        "/stories/lantern-festival-record-crowds.html",
        "Lantern festival draws record crowds to the harbour",
        ("Nell Garside",),
        30,
        "off_topic",
        paragraphs=(
            "More than forty thousand people visited the harbour over the weekend for the "
            "annual Lantern Festival, a record for the event, which began twenty years ago as a "
            "small gathering of fishermen's families.",
            "Boats decorated with paper lanterns sailed in a slow procession from the "
            "lighthouse to the old customs house on Saturday evening, followed by a fireworks "
            "display over the breakwater.",
            "Food stalls along the quay sold grilled mackerel, smoked mussels and the "
            "festival's traditional honey cakes. Several vendors ran out of stock before "
            "nightfall on both days.",
            "The organizers said the event had been made possible by volunteers, who spent "
            'three months building the lantern boats in a shed at the shipyard. "We start in '
            'August and finish the night before," said one of them, a retired schoolteacher.',
            "Next year's festival will add a children's regatta and a second stage for local "
            "bands, the organizers said. Tickets for the evening cruise go on sale in June.",
        ),
    ),
)

# -- one event in several reports: a Pskov desertion trial (story "pskov-trial") -------------
# Told by Rhine Wire (a wire report), by The Capital Observer (Rhine Wire's text lightly
# edited: a republication), by The Steppe Herald in its own words and by Uralsky Vestnik in
# Russian; The Capital Observer also reports an unrelated desertion trial in Tver.

_PSKOV_WIRE_PATH = "/en/pskov-court-jails-deserter-kazakhstan/a-70415120"
_PSKOV_WIRE = (
    "A garrison military court in Pskov on Tuesday sentenced Sergei Voronin, a 41-year-old "
    "contract soldier, to six and a half years in a penal colony for desertion, the court's "
    "press service said.",
    "Voronin, who served as a driver in a motorized rifle brigade, left his unit near Kursk "
    "in March and crossed into Kazakhstan on foot. He was detained in Uralsk in July at "
    "Russia's request and handed over to Russian border guards after 112 days in a Kazakh "
    "detention centre.",
    "His lawyer, Marina Gusakova, said the defence would appeal. She said Voronin had asked "
    "for asylum in Kazakhstan and that his extradition had been illegal because he faced "
    "prosecution for refusing to fight.",
    "Rights groups say it is the first time Kazakhstan has handed a Russian deserter back to "
    "Moscow since the full-scale invasion began. A volunteer group that helps servicemen leave "
    "the army said it was advising men who fled to Central Asia to move on to third "
    "countries as quickly as they can.",
    "Kazakhstan's foreign ministry did not respond to a request for comment. Hundreds of "
    "Russian men who fled mobilization live in Kazakhstan, most of them in the two largest cities.",
)
_PSKOV_EDITED = (
    _PSKOV_WIRE[0].replace("on Tuesday sentenced", "has sentenced"),
    _PSKOV_WIRE[1].replace(
        "crossed into Kazakhstan on foot", "walked across the border into Kazakhstan"
    ),
    _PSKOV_WIRE[2].replace("the defence would appeal", "her client would appeal the verdict"),
    _PSKOV_WIRE[3],
    _PSKOV_WIRE[4].replace("did not respond to", "has not answered"),
)

_PSKOV: tuple[_Draft, ...] = (
    _Draft(
        "rhine-wire",
        _PSKOV_WIRE_PATH,
        "Pskov court jails Russian deserter handed back by Kazakhstan",
        ("Lena Hartmann",),
        10,
        "on_topic",
        paragraphs=_PSKOV_WIRE,
        story="pskov-trial",
    ),
    _Draft(
        "capital-observer",
        "/world/deserter-handed-back-by-kazakhstan-jailed-1894610",
        "Deserter Handed Back by Kazakhstan Gets Six and a Half Years",
        ("Staff and wire reports",),
        7,
        "duplicate",
        paragraphs=_PSKOV_EDITED,
        duplicate_of=f"rhine-wire:{_PSKOV_WIRE_PATH}",
        story="pskov-trial",
    ),
    _Draft(
        "steppe-herald",
        "/{y}/{m}/the-road-back-from-uralsk/",
        "The Road Back from Uralsk",
        ("Olga Brandt",),
        5,
        "on_topic",
        paragraphs=(
            "Sergei Voronin thought the steppe would save him. In March the 41-year-old driver "
            "walked away from his brigade's positions near Kursk, and weeks later he was in "
            "Kazakhstan, sleeping in a rented room in Uralsk and waiting for an answer to his "
            "asylum request.",
            "The answer never came. Kazakh police picked him up in July, and after 112 days in "
            "a detention centre he was driven to the border and handed to the Russian side. "
            "This week a garrison court in Pskov gave him six and a half years for desertion.",
            "Marina Gusakova, who represents him, calls the handover a breach of Kazakhstan's "
            "own asylum rules. Volunteers who help soldiers "
            "escape the army now tell men in Central Asia not to stay there long.",
            "For the thousands of Russians who crossed the same border in 2022 to avoid the "
            "draft, the case is a warning that the road south may no longer lead to safety.",
        ),
        story="pskov-trial",
    ),
    _Draft(
        "ural-vestnik",
        "/news/48240.html",
        "Псковский гарнизонный суд приговорил выданного Казахстаном дезертира",
        ("Анна Лебедева",),
        8,
        "on_topic",
        language="ru",
        paragraphs=(
            "Псковский гарнизонный военный суд приговорил 41-летнего контрактника Сергея "
            "Воронина к шести с половиной годам колонии за дезертирство, сообщила "
            "пресс-служба суда.",
            "По данным следствия, Воронин служил водителем в мотострелковой бригаде, в марте "
            "покинул часть под Курском и пешком ушёл в Казахстан. В июле его задержали в "
            "Уральске по запросу российской стороны, а после 112 дней в изоляторе передали "
            "российским пограничникам.",
            "Адвокат Марина Гусакова заявила, что защита обжалует приговор: Воронин просил в "
            "Казахстане убежища, и его выдача была незаконной.",
            "Правозащитники говорят, что Казахстан впервые с начала полномасштабного вторжения "
            "выдал России дезертира. Волонтёры, которые помогают военным покинуть "
            "армию, советуют бежавшим в Центральную Азию как можно скорее уезжать дальше.",
            "МИД Казахстана на запрос не ответил. По оценкам правозащитников, в Казахстане "
            "живут сотни россиян, уехавших от мобилизации; большинство из них обосновались в "
            "крупных городах и боятся, что их тоже могут выдать.",
            "В Псковской области за этот год вынесено больше двадцати приговоров по делам о "
            "самовольном оставлении части, но приговоры за дезертирство остаются редкостью: "
            "следствию нужно доказать, что военный не собирался возвращаться в часть.",
        ),
        story="pskov-trial",
    ),
    _Draft(
        "capital-observer",
        "/world/tver-court-sentences-soldier-desertion-1894620",
        "Tver Court Sentences Soldier Who Hid in a Forest Cabin for Desertion",
        ("Rachel Okafor",),
        12,
        "on_topic",
        paragraphs=(
            "A military court in Tver has sentenced Ilya Kuzmin, a 33-year-old mobilized "
            "soldier, to five years in a penal colony for desertion after he spent seven months "
            "hiding in a hunting cabin in the forests of the Vologda region.",
            "Kuzmin left a military hospital in Rostov-on-Don in February, according to the "
            "verdict published on the court's website. Police found him in September when a "
            "forester reported smoke from a cabin that had stood empty for years.",
            "At trial Kuzmin said he had been wounded twice and could not face a third return "
            "to an assault unit. Prosecutors had asked for seven years.",
            "Desertion cases remain rarer than charges of leaving a unit without permission, "
            "because prosecutors must prove that a soldier intended never to return.",
            "His mother, who brought him food twice a month on a borrowed snowmobile, was "
            "questioned as a witness but not charged. Kuzmin's lawyer said he would not appeal, "
            "because a higher court could hand down a longer term.",
        ),
        story="tver-trial",
    ),
)

_DRAFTS: tuple[_Draft, ...] = (
    *_STEPPE,
    *_BORDERLAND,
    *_RHINE,
    *_CAPITAL,
    *_VOLGA,
    *_URAL,
    *_DNIPRO,
    *_HARBOUR,
    *_PSKOV,
)


def _materialise(draft: _Draft, now: datetime) -> Article:
    """Fix a draft's publication time (now minus its age, in the outlet's zone) and path."""
    published = (now - timedelta(hours=draft.age_hours)).astimezone(OUTLETS[draft.outlet_id].tz)
    path = draft.path.format(y=f"{published:%Y}", m=f"{published:%m}", d=f"{published:%d}")
    furniture: tuple[str, ...] = ()
    if draft.expect != "gone":
        own = ((draft.caption,) if draft.caption else ()) + tuple(t for _, t in draft.inserts)
        furniture = own + page_furniture(draft.outlet_id, path, draft.expect)
    return Article(
        outlet_id=draft.outlet_id,
        path=path,
        title=draft.title,
        authors=draft.authors,
        published_at=published,
        language=draft.language,
        paragraphs=draft.paragraphs,
        furniture=furniture,
        expect=draft.expect,
        duplicate_of=draft.duplicate_of,
        amp_path=draft.amp_path,
        story=draft.story,
        caption=draft.caption,
        inserts=draft.inserts,
    )


def build_articles(now: datetime | None = None) -> tuple[Article, ...]:
    """All fixture articles, published relative to `now` (default: the current UTC time)."""
    moment = (now or datetime.now(UTC)).replace(second=0, microsecond=0)
    return tuple(_materialise(d, moment) for d in _DRAFTS)


ARTICLES: tuple[Article, ...] = build_articles()


def articles_for(outlet_id: str, articles: Iterable[Article] = ARTICLES) -> list[Article]:
    """The articles of one outlet, newest first."""
    own = [a for a in articles if a.outlet_id == outlet_id]
    return sorted(own, key=lambda a: a.published_at, reverse=True)


def article_url(web: FixtureWeb, article: Article) -> str:
    """The absolute URL of `article` on a started fixture web."""
    return web.base_url(article.outlet_id) + article.path


# --------------------------------------------------------------------------- fresh articles
# Built at run time by FixtureWeb.new_article for the daemon tests: every `seq` gives a
# different combination of sentences, names, places and numbers.

_FIRST = ("Ivan", "Sergei", "Maxim", "Oleg", "Pavel", "Yuri", "Anton", "Kirill", "Roman", "Gleb")
_LAST = (
    "Sokolov",
    "Morozov",
    "Volkov",
    "Zaitsev",
    "Belov",
    "Kozlov",
    "Orlov",
    "Gusev",
    "Titov",
    "Frolov",
)
_PLACES = (
    "Penza",
    "Kurgan",
    "Tambov",
    "Omsk",
    "Bryansk",
    "Kirov",
    "Tula",
    "Ulyanovsk",
    "Barnaul",
    "Vologda",
    "Chita",
    "Kostroma",
)
_RU_NAMES = ("Иван", "Сергей", "Максим", "Олег", "Павел", "Юрий", "Антон", "Кирилл")
_RU_PLACES = ("Курган", "Тобольск", "Миасс", "Сургут", "Ирбит", "Нижний Тагил", "Серов")
_UK_NAMES = ("Іван", "Сергій", "Максим", "Олег", "Павло", "Юрій", "Антон", "Кирило")
_CYR_LAST = (
    "Соколов",
    "Морозов",
    "Волков",
    "Зайцев",
    "Белов",
    "Козлов",
    "Орлов",
    "Гусев",
    "Титов",
    "Фролов",
)
_UK_PLACES = ("Курськ", "Бєлгород", "Брянськ", "Ростов", "Воронеж", "Орел", "Тамбов")

_EN_ON = (
    (
        "A garrison court in {place} has sentenced {name}, a {age}-year-old contract soldier, to "
        "{years} years of suspended imprisonment for unauthorized abandonment of his unit, court "
        "records published on {weekday} show.",
        "Military police in {place} detained {name}, a {age}-year-old serviceman who had been "
        "absent from his unit for {months} months, his relatives told reporters on {weekday}.",
        "{name}, a {age}-year-old mobilized soldier from {place}, refused to return to his assault "
        "unit after a hospital stay and now faces trial, his lawyer said on {weekday}.",
    ),
    (
        "According to case file No. {case}, he left a field hospital in {place2} and travelled "
        "home by bus, staying with relatives until police came to the door.",
        "Investigators say he was one of {n} servicemen from the same brigade who failed to "
        "return from leave this autumn; case No. {case} names all of them.",
        "His family said he had been held for {weeks} weeks at an assembly point with other men "
        "accused of going AWOL before he was told that case No. {case} would be dropped if he "
        "signed a new contract.",
    ),
    (
        "Lawyers say suspended sentences like this one usually mean a quick return to the front, "
        "because the convicted soldier must serve his probation in his unit.",
        "Rights groups have documented dozens of similar cases in which soldiers who refused to "
        "fight were beaten or locked in basements until they agreed to go back.",
        "The volunteer group Through the Woods said it had received {n2} requests for help from "
        "servicemen in the {place} region alone this year.",
    ),
    (
        "Court statistics compiled by Docket Watch show {n3} new cases of unauthorized "
        "abandonment of a unit in garrison courts last month, a record.",
        "Prosecutors rarely bring the heavier charge of desertion, which requires proof that a "
        "soldier intended to leave the army for good.",
        "Relatives say deserters and refuseniks are often moved to assault detachments within "
        "days of their cases being suspended.",
    ),
    (
        '"He is not a criminal. He is exhausted," {name}\'s mother said. She learned of his '
        "transfer only when he called from a number in occupied territory.",
        "His lawyer said she would appeal, arguing that a medical exemption her client received "
        "in {place2} had never been reviewed by the military.",
        "The Defense Ministry did not respond to a request for comment. The regional military "
        "prosecutor's office said it could not discuss an ongoing case.",
    ),
)
_EN_OFF = (
    (
        "The city of {place} opened a renovated public library on {weekday}, {years} years after "
        "the old building closed for repairs, the mayor's office said.",
        "Farmers around {place} finished the sugar beet harvest on {weekday}, reporting yields of "
        "{n} tonnes per hectare, the best in a decade.",
        "A jazz festival in {place} drew {n2} visitors over the weekend, its organizers said on "
        "{weekday}, more than twice last year's number.",
    ),
    (
        "The project cost {n3} million rubles and includes a reading room for children, a "
        "recording studio and a café on the ground floor.",
        "Agronomists credit a warm, wet September and new seed varieties from a breeding station "
        "near {place2}.",
        "Bands from {place2} and three other cities played on two stages set up in the old "
        "river port.",
    ),
    (
        "Local residents had collected {n} signatures asking the authorities to keep the building "
        "open in the evenings, and the new schedule does exactly that.",
        "Processing plants are working around the clock, and trucks queue for hours at the gates "
        "of the largest one.",
        "Tickets sold out within a week, and hotels in the city centre were fully booked.",
    ),
    (
        '"People want a warm place to read, talk and meet," said {name}, who runs the library\'s '
        "programme of evening lectures.",
        '"We have not seen a season like this since I started farming," said {name}, who grows '
        "beets on {n2} hectares.",
        '"The city finally sounds alive in November," said {name}, one of the organizers.',
    ),
    (
        "Next year the city plans to renovate two more branches, in the districts of {place2} "
        "street and the railway settlement.",
        "Prices for sugar are expected to stay stable through the winter despite higher costs for "
        "fuel and fertiliser.",
        "The organizers said they would apply for a regional grant to make the festival an annual "
        "event from next year.",
    ),
)
_RU_ON = (
    (
        "Военнослужащий {name} приговорён гарнизонным военным судом в городе {place} к {years} "
        "годам лишения свободы условно за самовольное оставление части.",
        "В городе {place} задержан военнослужащий {name}, которого с весны разыскивали за "
        "самовольное оставление части (СОЧ).",
    ),
    (
        "По материалам дела № {case}, он не вернулся в часть из отпуска и несколько месяцев жил "
        "у родственников, пока его не нашли сотрудники военной полиции.",
        "Как следует из дела № {case}, вместе с ним часть покинули ещё {n} военнослужащих той же "
        "бригады.",
    ),
    (
        "Адвокаты отмечают, что условный срок почти всегда означает скорое возвращение на фронт, "
        "потому что отбывать его приходится в своей части.",
        "Правозащитники сообщают, что отказников и дезертиров перед отправкой на фронт держат в "
        "подвалах, а некоторых избивают.",
    ),
    (
        "По подсчётам проекта «Судебный дозор», за прошлый месяц гарнизонные суды рассмотрели "
        "более {n3} дел о СОЧ. Это рекордный показатель с начала года.",
        "Волонтёры группы «Через лес» говорят, что за год к ним обратились более {n2} "
        "военнослужащих, желающих покинуть армию.",
    ),
    (
        "Мать военнослужащего рассказала, что узнала о приговоре из сообщения в мессенджере. "
        "В Министерстве обороны на запрос редакции не ответили.",
        "Защита намерена обжаловать решение суда, указывая на непроведённую медицинскую "
        "комиссию. В прокуратуре от комментариев отказались.",
    ),
)
_RU_OFF = (
    (
        "В городе {place} после ремонта открылась центральная библиотека. Работы заняли "
        "несколько лет, а новое здание проектировали местные архитекторы.",
        "В городе {place} прошёл фестиваль уличной еды, который за выходные посетили более "
        "{n2} человек.",
    ),
    (
        "В новом здании появились детский читальный зал, студия звукозаписи и кафе. Читатели "
        "собрали более {n} подписей за то, чтобы библиотека работала по вечерам.",
        "Повара из {n} городов готовили пельмени, уху и пироги прямо на набережной.",
    ),
    (
        "«Людям нужно тёплое место, где можно читать, спорить и встречаться», — говорит "
        "сотрудник библиотеки {name}.",
        "«Мы впервые увидели такие очереди у палаток», — рассказал один из организаторов, {name}.",
    ),
    (
        "В следующем году планируется отремонтировать ещё два филиала, в том числе в посёлке "
        "при железнодорожной станции.",
        "Организаторы обещают сделать фестиваль ежегодным и добавить детскую программу.",
    ),
    (
        "Библиотека работает ежедневно, кроме понедельника, с десяти утра до девяти вечера. "
        "Вход свободный, записаться можно по паспорту.",
        "Следующий фестиваль пройдёт в мае. Приём заявок от участников откроется в марте.",
    ),
)
_UK_ON = (
    (
        "Військовослужбовець {name} отримав умовний вирок за самовільне залишення частини, так "
        "вирішив військовий суд у місті {place}, повідомляють російські незалежні медіа.",
        "У місті {place} затримано російського військового. Це {name}, якого з весни "
        "розшукували за самовільне залишення частини.",
    ),
    (
        "Згідно зі справою № {case}, він не повернувся з відпустки і кілька місяців "
        "переховувався у родичів.",
        "За матеріалами справи № {case}, разом із ним частину покинули щонайменше {n} військових.",
    ),
    (
        "Юристи зазначають, що умовний термін майже завжди означає швидке повернення на фронт.",
        "Правозахисники повідомляють, що відмовників і дезертирів перед відправкою на фронт "
        "тримають у підвалах і ямах.",
    ),
    (
        "За минулий місяць гарнізонні суди Росії розглянули понад {n3} таких справ, це рекорд з "
        "початку року.",
        "Волонтери групи «Через ліс» кажуть, що цього року до них звернулися понад {n2} "
        "російських військових, які хочуть залишити армію.",
    ),
    (
        "Міністерство оборони Росії на запити журналістів не відповідає, а родичі дізнаються "
        "про вироки з повідомлень у месенджерах.",
        "Захист має намір оскаржити вирок, посилаючись на непроведену медичну комісію.",
    ),
)
_UK_OFF = (
    (
        "У Дніпрі після ремонту відкрилася бібліотека на вулиці {place}. Роботи тривали кілька "
        "років, а нову будівлю проєктували місцеві архітектори.",
        "У Дніпрі пройшов фестиваль вуличної їжі, який за вихідні відвідали понад {n2} "
        "відвідувачів.",
    ),
    (
        "У новій будівлі є дитяча читальня, студія звукозапису та кав'ярня. Читачі зібрали понад "
        "{n} підписів за вечірній графік роботи.",
        "Кухарі з {n} міст готували вареники, юшку й пироги просто на набережній.",
    ),
    (
        "«Людям потрібне тепле місце, де можна читати й зустрічатися», — каже бібліотекар {name}.",
        "«Таких черг біля наметів ми ще не бачили», — розповів один з організаторів, {name}.",
    ),
    (
        "Наступного року планують відремонтувати ще дві філії, зокрема на лівому березі.",
        "Організатори обіцяють зробити фестиваль щорічним і додати дитячу програму.",
    ),
    (
        "Бібліотека працює щодня, крім понеділка, з десятої ранку до дев'ятої вечора.",
        "Наступний фестиваль відбудеться у травні, заявки прийматимуть з березня.",
    ),
)

_POOLS: dict[tuple[str, bool], tuple[tuple[str, ...], ...]] = {
    ("en", True): _EN_ON,
    ("en", False): _EN_OFF,
    ("ru", True): _RU_ON,
    ("ru", False): _RU_OFF,
    ("uk", True): _UK_ON,
    ("uk", False): _UK_OFF,
}
_TITLES: dict[tuple[str, bool], str] = {
    ("en", True): "Russian soldier {name} of {place} faces court over AWOL case {case}",
    ("en", False): "{place} celebrates as {name} opens season {case}",
    ("ru", True): "Российский военнослужащий {name} из города {place}: дело о СОЧ № {case}",
    ("ru", False): "В городе {place} открылся новый сезон: {name}, проект № {case}",
    ("uk", True): "Справа № {case}: військовий {name} постане перед судом за дезертирство",
    ("uk", False): "Дніпро: новий сезон фестивалю, проєкт № {case}",
}
_NEW_PATHS: dict[str, str] = {
    "steppe-herald": "/{y}/{m}/fresh-report-{seq}/",
    "borderland-press": "/{y}/{m}/{d}/fresh-report-{seq}/",
    "rhine-wire": "/en/fresh-report-{seq}/a-{num}",
    "capital-observer": "/world/fresh-report-{seq}-{num}",
    "volga-bulletin": "/news/{y}/{m}/{d}/fresh-report-{seq}/",
    "ural-vestnik": "/news/{num}.html",
    "dnipro-digest": "/novyny/novyna-{num}/",
    "broken-feeds": "/stories/fresh-report-{seq}.html",
}
_NEW_NUM_BASE = {
    "rhine-wire": 71000000,
    "capital-observer": 1900000,
    "ural-vestnik": 60000,
    "dnipro-digest": 20000,
}
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


def _fill_values(language: str, seq: int) -> dict[str, object]:
    """Names, places and numbers for article number `seq` (different for every seq)."""
    if language == "ru":
        name, places = f"{_RU_NAMES[seq % 8]} {_CYR_LAST[seq // 8 % 10]}", _RU_PLACES
    elif language == "uk":
        name, places = f"{_UK_NAMES[seq % 8]} {_CYR_LAST[seq // 8 % 10]}", _UK_PLACES
    else:
        name, places = f"{_FIRST[seq % 10]} {_LAST[seq // 10 % 10]}", _PLACES
    return {
        "name": name,
        "place": places[seq % len(places)],
        "place2": places[(seq * 5 + 3) % len(places)],
        "age": 21 + seq % 30,
        "years": 2 + seq % 5,
        "months": 2 + seq % 9,
        "weeks": 3 + seq % 7,
        "n": 7 + seq * 3,
        "n2": 140 + seq * 11,
        "n3": 650 + seq * 7,
        "case": f"1-{seq + 101:04d}/{seq % 97 + 2}",
        "weekday": _WEEKDAYS[seq % 5],
    }


def _compose(language: str, on_topic: bool, seq: int) -> tuple[str, tuple[str, ...]]:
    """Title and paragraphs of fresh article `seq`: one seeded variant per paragraph slot,
    then two paragraphs of local news put together sentence by sentence, so that no two
    fresh articles are near-duplicates of each other (as on a real site)."""
    lang = language if language in ("ru", "uk") else "en"
    rng = random.Random(f"{lang}:{on_topic}:{seq}")
    values = _fill_values(lang, seq)
    slots = _POOLS[(lang, on_topic)]
    paragraphs = tuple(rng.choice(slot).format(**values) for slot in slots)
    local = tuple(local_news(lang, rng) for _ in range(2))
    return _TITLES[(lang, on_topic)].format(**values), paragraphs + local


def local_news(lang: str, rng: random.Random) -> str:
    """Three sentences of everyday local news, each from random parts."""
    subjects, verbs, objects, times = _LOCAL[lang]
    return " ".join(
        f"{rng.choice(subjects)} {rng.choice(verbs)} {rng.choice(objects)} {rng.choice(times)}, "
        f"{_AND[lang]} {rng.choice(subjects).lower()} {rng.choice(verbs)} {rng.choice(objects)}."
        for _ in range(3)
    )


_AND = {"en": "and", "ru": "а", "uk": "а"}
_LOCAL: dict[str, tuple[tuple[str, ...], ...]] = {
    "en": (
        (
            *("The town council", "A bakery on Market Street", "The regional museum"),
            *("Local fishermen", "A school choir", "The bus depot", "Volunteers at the shelter"),
            *("The district library", "A family of beekeepers", "The football club"),
            *("Night-shift nurses", "The old cinema"),
        ),
        (
            *("reported", "announced", "complained about", "celebrated", "prepared for"),
            *("argued over", "photographed", "repaired", "counted", "postponed", "welcomed"),
            "remembered",
        ),
        (
            *("a broken heating main", "the first frost of the season"),
            *("a shortage of bread flour", "a record harvest of cabbages"),
            *("new timetables for suburban trains", "a leaking roof above the reading room"),
            *("an exhibition of wooden toys", "the return of migrating geese"),
            *("a charity concert for pensioners", "higher prices for firewood"),
            *("a stray dog adopted by the whole street", "a lost wallet handed in at a kiosk"),
        ),
        (
            *("on a grey morning", "late on Saturday", "after weeks of rain"),
            *("before the holidays", "during the power cut", "at the end of the month"),
            *("for the third time this year", "despite the wind", "to everyone's surprise"),
            "with little fuss",
        ),
    ),
    "ru": (
        (
            *("Городской совет", "Пекарня на Рыночной улице", "Краеведческий музей"),
            *("Местные рыбаки", "Школьный хор", "Автобусный парк", "Волонтёры приюта"),
            *("Районная библиотека", "Семья пасечников", "Футбольный клуб"),
            *("Медсёстры ночной смены", "Старый кинотеатр"),
        ),
        (
            *("сообщили про", "объявили про", "пожаловались на", "отпраздновали"),
            *("подготовились к", "поспорили про", "сфотографировали", "починили"),
            *("пересчитали", "отложили", "встретили", "вспомнили"),
        ),
        (
            *("прорыв теплотрассы", "первые заморозки", "нехватку муки"),
            *("рекордный урожай капусты", "новое расписание электричек"),
            *("протекающую крышу читального зала", "выставку деревянных игрушек"),
            *("возвращение перелётных гусей", "благотворительный концерт для пенсионеров"),
            *("подорожание дров", "бездомную собаку, которую приютила вся улица"),
            "потерянный кошелёк",
        ),
        (
            *("хмурым утром", "поздно в субботу", "после недели дождей", "перед праздниками"),
            *("во время отключения света", "в конце месяца", "уже в третий раз за год"),
            *("несмотря на ветер", "ко всеобщему удивлению", "без лишнего шума"),
        ),
    ),
    "uk": (
        (
            *("Міська рада", "Пекарня на Ринковій вулиці", "Краєзнавчий музей"),
            *("Місцеві рибалки", "Шкільний хор", "Автобусний парк", "Волонтери притулку"),
            *("Районна бібліотека", "Родина пасічників", "Футбольний клуб"),
            *("Медсестри нічної зміни", "Старий кінотеатр"),
        ),
        (
            *("повідомили про", "оголосили про", "поскаржилися на", "відсвяткували"),
            *("підготувалися до", "посперечалися про", "сфотографували", "полагодили"),
            *("перерахували", "відклали", "зустріли", "згадали"),
        ),
        (
            *("прорив тепломережі", "перші заморозки", "брак борошна"),
            *("рекордний урожай капусти", "новий розклад електричок"),
            *("дах читальної зали, що протікає", "виставку дерев'яних іграшок"),
            *("повернення перелітних гусей", "благодійний концерт для пенсіонерів"),
            *("подорожчання дров", "безпритульного пса, якого прихистила вся вулиця"),
            "загублений гаманець",
        ),
        (
            *("похмурого ранку", "пізно в суботу", "після тижня дощів", "перед святами"),
            *("під час відключення світла", "наприкінці місяця", "втретє за рік"),
            *("попри вітер", "на загальний подив", "без зайвого галасу"),
        ),
    ),
}


def make_article(outlet_id: str, *, on_topic: bool, seq: int, now: datetime) -> Article:
    """A fresh, unique article for `outlet_id` published at `now` (see FixtureWeb.new_article)."""
    outlet = OUTLETS[outlet_id]
    published = now.astimezone(outlet.tz).replace(microsecond=0)
    path = _NEW_PATHS[outlet_id].format(
        y=f"{published:%Y}",
        m=f"{published:%m}",
        d=f"{published:%d}",
        seq=seq,
        num=_NEW_NUM_BASE.get(outlet_id, 0) + seq,
    )
    title, paragraphs = _compose(outlet.language, on_topic, seq)
    expect = "on_topic" if on_topic else "off_topic"
    return Article(
        outlet_id=outlet_id,
        path=path,
        title=title,
        authors=("Newsroom staff",),
        published_at=published,
        language=outlet.language,
        paragraphs=paragraphs,
        furniture=page_furniture(outlet_id, path, expect),
        expect=expect,
    )


def slug_words(text: str) -> str:
    """A lower-case ASCII slug of `text` (used for tag and teaser links)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "item"


def bulk_articles(
    outlet_ids: Iterable[str], per_outlet: int, now: datetime, *, spacing_minutes: int = 8
) -> tuple[Article, ...]:
    """`per_outlet` fresh articles for each outlet, one every `spacing_minutes` back from
    `now` (every fifth on topic), each outlet's texts its own (no republications): a large
    web for resumption and crash tests."""
    return tuple(
        make_article(
            outlet_id,
            on_topic=index % 5 == 0,
            seq=1000 * (number + 1) + index,
            now=now - timedelta(minutes=spacing_minutes * index),
        )
        for number, outlet_id in enumerate(outlet_ids)
        for index in range(per_outlet)
    )
