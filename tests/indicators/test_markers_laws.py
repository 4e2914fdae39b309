"""The markers of laws, bills, reservists and statements, from pages in the real formats.

- a law replacing «12 месяцев» with «24 месяца» in article 38 of 53-ФЗ, read from the
  Kremlin feed, is a critical `service_term_change` quoting the change; the bill on the
  same change, read from the Duma's API, was a warning first, escalating at its reading;
- a ministry statement that conscripts guard the border where fighting goes on fires
  `conscripts_in_combat`; three outlets on one episode are one episode; a denial fires
  nothing;
- a decree calling reservists to special assemblies fires `reservist_callup`; the yearly
  decree on training assemblies does not.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from mobwatch.fetching.page import Page
from mobwatch.indicators.extract.extraction import read_facts
from mobwatch.indicators.model import Alert, Indicator, Observation, Severity
from mobwatch.indicators.rules.config import load_marker_config
from mobwatch.indicators.rules.markers import MARKERS, evaluate
from mobwatch.parsers import duma_api, kremlin_feed
from mobwatch.parsers.base import Document

FIXTURES = Path(__file__).parents[1] / "fixtures"
AS_OF = date(2026, 12, 1)
CONFIG = load_marker_config()


def page(path: str, url: str, content_type: str) -> Page:
    return Page(url=url, body=(FIXTURES / path).read_bytes(), content_type=content_type)


def kremlin_acts() -> list[Observation]:
    feed = page(
        "kremlin_feed/law_markers_feed.xml",
        "http://kremlin.ru/acts/news/feed",
        "application/atom+xml; charset=utf-8",
    )
    return read_facts(kremlin_feed.parse(feed).documents, "kremlin-acts")


def duma_bills() -> list[Observation]:
    search = page(
        "duma_api/search-page-1.json",
        "http://api.duma.gov.ru/api/t/search.json?limit=3&page=1",
        "application/json; charset=utf-8",
    )
    return read_facts(duma_api.parse(search).documents, "duma-bills")


def fired(history: list[Observation], marker: str) -> list[Alert]:
    return [alert for alert in evaluate(history, CONFIG, as_of=AS_OF) if alert.marker == marker]


def test_all_three_markers_are_watched() -> None:
    assert {"service_term_change", "reservist_callup", "conscripts_in_combat"} <= set(MARKERS)


# --- service_term_change ---------------------------------------------------------------


def test_a_law_lengthening_service_is_critical_and_quotes_the_change() -> None:
    [alert] = fired(kremlin_acts(), "service_term_change")
    assert alert.severity is Severity.CRITICAL
    assert alert.fired_on == date(2026, 5, 20)
    assert alert.title == (
        "Law No. 212-ФЗ of 20 May 2026: conscript service term changed from 12 to 24 months"
    )
    assert "«12 месяцев» словами «24 месяца»" in alert.evidence[0].quote
    assert alert.evidence[0].url == "http://kremlin.ru/acts/news/80111"


def test_the_bill_on_the_same_change_was_a_warning_first_then_escalated() -> None:
    alerts = fired(duma_bills() + kremlin_acts(), "service_term_change")
    term = [a for a in alerts if "12 to 24 months" in a.title]
    assert [(a.fired_on, a.severity) for a in term] == [
        (date(2026, 2, 10), Severity.WARNING),  # introduced
        (date(2026, 3, 18), Severity.WARNING),  # first reading passed: the same episode
        (date(2026, 5, 20), Severity.CRITICAL),  # signed
    ]
    introduced, reading, _ = term
    assert introduced.observation_key == reading.observation_key == "service_bill:1123401-8"
    assert introduced.title.startswith("Bill No. 1123401-8 was introduced on 10 Feb 2026")
    assert "passed its first reading" in reading.title
    assert reading.evidence[0].url == "http://sozd.duma.gov.ru/bill/1123401-8"


def test_a_bill_on_reservists_only_is_left_to_reservist_callup() -> None:
    bill = Document(
        url="http://sozd.duma.gov.ru/bill/1000102-8",
        title="О внесении изменений в Федеральный закон «Об обороне» и статью 54 Федерального "
        "закона «О воинской обязанности и военной службе»",
        text="Законопроект предусматривает призыв граждан, пребывающих в мобилизационном людском "
        "резерве, на специальные сборы.",
        published=date(2025, 10, 28),
        act_type=duma_api.BILL,
        act_number="1000102-8",
        stage="third_reading",
    )
    [obs] = read_facts([bill], "duma-bills")
    assert obs.indicator is Indicator.SERVICE_BILL
    assert fired([obs], "service_term_change") == []


def test_bills_on_other_matters_are_info_and_a_rejection_is_said() -> None:
    alerts = fired(duma_bills(), "service_term_change")
    by_bill = {(a.observation_key, a.severity) for a in alerts}
    assert ("service_bill:1123402-8", Severity.INFO) in by_bill  # housing
    deferment = [a for a in alerts if a.observation_key == "service_bill:1123403-8"]
    # Narrowing deferments widens conscription: a warning while it is alive.
    assert deferment[0].severity is Severity.WARNING
    assert "was rejected" in deferment[-1].title


def test_a_law_on_other_rules_of_conscription_is_a_warning() -> None:
    law = Document(
        url="http://kremlin.ru/acts/news/1",
        title="Федеральный закон «О внесении изменений в Федеральный закон «О воинской "
        "обязанности и военной службе»»",
        text="Призыв на военную службу граждан осуществляется в течение календарного года.",
        published=date(2025, 11, 4),
        act_type="Федеральный закон",
        official=True,
    )
    [alert] = fired(read_facts([law], "kremlin-acts"), "service_term_change")
    assert alert.severity is Severity.WARNING
    assert alert.title.endswith("conscription runs all year round")


# --- reservist_callup ------------------------------------------------------------------


def test_special_assemblies_fire_and_training_assemblies_do_not() -> None:
    acts = kremlin_acts()
    assert {obs.details.get("assembly") for obs in acts} >= {"special", "training"}
    [alert] = fired(acts, "reservist_callup")
    assert alert.severity is Severity.WARNING
    assert alert.fired_on == date(2026, 5, 19)
    assert "the first call of reservists to special assemblies" in alert.title


def test_a_repeat_of_the_same_assemblies_is_quiet_and_combat_is_critical() -> None:
    def decree(day: date, text: str) -> Document:
        return Document(
            url=f"http://kremlin.ru/acts/news/{day:%Y%m%d}",
            title="Указ «О призыве граждан Российской Федерации, пребывающих в "
            "мобилизационном людском резерве, на специальные сборы»",
            text=text,
            published=day,
            official=True,
        )

    routine = "Призвать граждан на специальные сборы для защиты критически важных объектов."
    combat = (
        "Призвать граждан на специальные сборы для защиты критически важных объектов и "
        "выполнения задач в зоне проведения специальной военной операции."
    )
    history = read_facts(
        [
            decree(date(2025, 12, 30), routine),
            decree(date(2026, 12, 29), routine),
            decree(date(2027, 3, 1), combat),
        ],
        "kremlin-acts",
    )
    alerts = [
        a
        for a in evaluate(history, CONFIG, as_of=date(2027, 12, 1))
        if a.marker == "reservist_callup"
    ]
    assert [(a.fired_on, a.severity) for a in alerts] == [
        (date(2025, 12, 30), Severity.WARNING),
        (date(2027, 3, 1), Severity.CRITICAL),
    ]


# --- conscripts_in_combat --------------------------------------------------------------


def statement(url: str, day: date, text: str, *, official: bool = False) -> Document:
    return Document(url=url, title="", text=text, published=day, official=official)


MINISTRY = statement(
    "https://t.me/mod_russia/50001",
    date(2024, 8, 10),
    "Военнослужащие по призыву несут службу по охране государственной границы в Курской "
    "области, где продолжаются бои.",
    official=True,
)
OUTLETS = [
    statement(
        "https://www.interfax.ru/russia/1",
        date(2024, 8, 9),
        "Родные срочников, служивших на границе в Курской области, не могут связаться с ними "
        "после прорыва.",
    ),
    statement(
        "https://www.kommersant.ru/doc/2",
        date(2024, 8, 11),
        "Солдаты срочной службы из части под Суджей попали в плен в Курской области.",
    ),
    statement(
        "https://www.rbc.ru/politics/3",
        date(2024, 8, 12),
        "Матери призывников, стоявших у границы в Курской области, обратились в Минобороны.",
    ),
]
DENIAL = statement(
    "https://www.interfax.ru/russia/4",
    date(2024, 8, 28),
    "В Кремле назвали искажением реальности сообщения об отправке срочников в зону боевых "
    "действий в Курской области.",
)


def test_a_ministry_statement_fires_a_warning() -> None:
    [alert] = fired(read_facts([MINISTRY], "tg-mod-russia"), "conscripts_in_combat")
    assert alert.severity is Severity.WARNING
    assert "Курская область" in alert.title and "official statement" in alert.title


def test_three_outlets_on_one_episode_are_one_episode() -> None:
    history = [obs for doc in OUTLETS for obs in read_facts([doc], doc.url)]
    [alert] = fired(history, "conscripts_in_combat")
    assert alert.severity is Severity.INFO and alert.fired_on == date(2024, 8, 9)
    assert {e.url for e in alert.evidence} == {doc.url for doc in OUTLETS}
    assert alert.title.endswith("3 reports")


def test_an_official_confirmation_escalates_the_same_episode() -> None:
    history = [obs for doc in [*OUTLETS, MINISTRY] for obs in read_facts([doc], doc.url)]
    alerts = fired(history, "conscripts_in_combat")
    assert [(a.fired_on, a.severity) for a in alerts] == [
        (date(2024, 8, 9), Severity.INFO),
        (date(2024, 8, 10), Severity.WARNING),
    ]
    assert len({a.observation_key for a in alerts}) == 1


@pytest.mark.parametrize("doc", [DENIAL], ids=["kremlin-denial"])
def test_a_denial_is_stored_and_fires_nothing(doc: Document) -> None:
    [obs] = read_facts([doc], "interfax-news")
    assert obs.indicator is Indicator.CONSCRIPTS_IN_COMBAT and obs.details["stance"] == "denies"
    assert fired([obs], "conscripts_in_combat") == []


def test_a_new_region_or_a_later_month_is_another_episode() -> None:
    later = statement(
        "https://www.interfax.ru/russia/5",
        date(2024, 10, 1),
        "Срочники несут службу на границе в Брянской области под обстрелами.",
    )
    history = [obs for doc in [OUTLETS[0], later] for obs in read_facts([doc], doc.url)]
    assert len(fired(history, "conscripts_in_combat")) == 2


def test_a_signed_bill_and_its_law_alert_once_with_both_links() -> None:
    """The Duma marks the bill signed and the Kremlin publishes the law: one law, one alert."""
    signed = Document(
        url="http://sozd.duma.gov.ru/bill/1123401-8",
        title="О внесении изменения в статью 38 Федерального закона «О воинской обязанности "
        "и военной службе»",
        text="Законопроектом в пункте 1 статьи 38 слова «12 месяцев» заменяются словами "
        "«24 месяца».",
        published=date(2026, 5, 20),
        act_type=duma_api.BILL,
        act_number="1123401-8",
        stage="signed",
    )
    history = [*read_facts([signed], "duma-bills"), *kremlin_acts()]
    on_the_day = [
        a for a in fired(history, "service_term_change") if a.fired_on == date(2026, 5, 20)
    ]
    assert len(on_the_day) == 1
    [alert] = on_the_day
    assert alert.severity is Severity.CRITICAL
    urls = {item.url for item in alert.evidence}
    assert "http://sozd.duma.gov.ru/bill/1123401-8" in urls
    assert any("kremlin" in url for url in urls)
