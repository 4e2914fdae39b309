"""Act identity: one act from the portal, the Kremlin feed and the act page is one act."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from mobwatch.indicators.extract.act_identity import (
    resolve_act,
    same_act,
    title_words,
    with_identity,
)
from mobwatch.indicators.model import Confidence, Indicator, Observation

SIGNED = date(2022, 10, 19)
NAME_756 = (
    "О введении военного положения на территориях Донецкой Народной Республики, Луганской "
    "Народной Республики, Запорожской и Херсонской областей"
)
NAME_757 = (
    "О мерах, осуществляемых в субъектах Российской Федерации в связи с Указом Президента "
    "Российской Федерации от 19 октября 2022 г. № 756"
)


def act(title: str, number: str | None, url: str) -> Observation:
    return with_identity(
        Observation(
            indicator=Indicator.MARTIAL_LAW_DECREE,
            event_date=SIGNED,
            title=title,
            url=url,
            source="test",
            evidence="…",
            document_number=number,
            confidence=Confidence.OFFICIAL,  # the portal, the feed, the act page
        )
    )


PORTAL_757 = act(
    f'Указ Президента Российской Федерации от 19.10.2022 № 757 "{NAME_757}"', "757", "p"
)
FEED_757 = act(f"Указ «{NAME_757}»", None, "k")  # the feed entry: no number
PAGE_757 = act("Указ Президента Российской Федерации от 19.10.2022 г. № 757", "757", "a")
FEED_756 = act(f"Указ «{NAME_756}»", None, "k2")
PORTAL_756 = act(
    f'Указ Президента Российской Федерации от 19.10.2022 № 756 "{NAME_756}"', "756", "p2"
)


def test_titles_compare_without_heading_quotes_or_the_year_word() -> None:
    assert title_words(PORTAL_757.title) == title_words(FEED_757.title)
    assert title_words(PAGE_757.title) == ""  # a bare heading names nothing


def test_a_report_without_its_number_is_the_act_of_the_same_title() -> None:
    assert same_act(PORTAL_757, FEED_757) and same_act(FEED_757, PORTAL_757)
    assert same_act(PAGE_757, FEED_757)  # the act page gives the number, the feed the name
    assert same_act(PAGE_757, PORTAL_757)


def test_two_acts_of_one_day_stay_two() -> None:
    assert not same_act(FEED_756, FEED_757)
    assert not same_act(PORTAL_756, FEED_757)
    assert not same_act(PORTAL_756, PORTAL_757)


def test_the_later_report_takes_the_stored_identity() -> None:
    # The feed first: the portal's record joins it, whichever way round.
    resolved = resolve_act(PORTAL_757, [FEED_756, FEED_757])
    assert resolved.key == FEED_757.key
    assert resolve_act(FEED_757, [PORTAL_756, PORTAL_757]).key == PORTAL_757.key
    assert resolve_act(FEED_756, [PORTAL_757]).key == FEED_756.key  # no match: its own


def test_a_bare_heading_joins_only_the_one_act_of_its_day() -> None:
    assert resolve_act(PAGE_757, [FEED_757]).key == FEED_757.key
    # Two unnumbered acts that day: the bare heading cannot tell which; it stays its own.
    assert resolve_act(PAGE_757, [FEED_756, FEED_757]).key == PAGE_757.key
    # A number or a name settles it.
    assert resolve_act(PAGE_757, [FEED_756, PORTAL_757]).key == PORTAL_757.key


def test_a_news_report_joins_the_one_act_of_its_kind_and_day() -> None:
    news = replace(
        act("Путин ввел военное положение в четырех регионах", None, "n"),
        confidence=Confidence.REPORTED,
        source="news",
    )
    assert resolve_act(news, [PORTAL_756]).key == PORTAL_756.key
    assert resolve_act(news, [PORTAL_756, PORTAL_757]).key == news.key  # which one? neither
