"""The federal signing payment read from the decree that sets it (No. 644 of 31.07.2024)."""

from __future__ import annotations

from datetime import date

import pytest

from mobwatch.indicators.extract.acts import ActKind, classify, read_act
from mobwatch.parsers.base import Document

KREMLIN_TITLE = (
    "Указ «Об установлении единовременной выплаты гражданам, заключившим контракт о "
    "прохождении военной службы в Вооруженных Силах Российской Федерации»"
)
PRAVO_TITLE = (
    "Указ Президента Российской Федерации от 31.07.2024 № 644 Об установлении единовременной "
    "выплаты гражданам, заключившим контракт о прохождении военной службы в Вооруженных Силах "
    "Российской Федерации"
)
TEXT = (
    "В целях обеспечения комплектования Вооруженных Сил Российской Федерации военнослужащими, "
    "проходящими военную службу по контракту, постановляю:\n"
    "1. Установить гражданам Российской Федерации, заключившим в период с 1 августа по "
    "31 декабря 2024 г. контракт о прохождении военной службы в Вооруженных Силах Российской "
    "Федерации сроком на один год и более, единовременную выплату в размере 400 000 рублей.\n"
    "4. Настоящий Указ вступает в силу с 1 августа 2024 г.\n"
    "Президент Российской Федерации В.Путин\nМосква, Кремль 31 июля 2024 года № 644"
)


def test_the_decree_is_a_federal_payment_of_400_000_roubles() -> None:
    document = Document(
        url="http://kremlin.ru/acts/news/75041",
        title=KREMLIN_TITLE,
        text=TEXT,
        published=date(2024, 7, 31),
        official=True,
    )
    observation = read_act(document, "kremlin-acts")
    assert observation is not None
    assert (observation.indicator, observation.value, observation.unit) == (
        "federal_bonus",
        400_000,
        "RUB",
    )
    assert (observation.event_date, observation.document_number) == (date(2024, 7, 31), "644")
    assert (observation.period_start, observation.period_end) == (
        date(2024, 8, 1),
        date(2024, 12, 31),
    )
    assert "в размере 400 000 рублей" in observation.evidence


def test_the_portal_title_alone_is_the_same_fact() -> None:
    titled = Document(
        url="http://publication.pravo.gov.ru/document/0001202407310006",
        title=PRAVO_TITLE,
        published=date(2024, 7, 31),
        act_number="644",
        act_date=date(2024, 7, 31),
        official=True,
    )
    observation = read_act(titled, "pravo-president")
    assert observation is not None and observation.value is None
    assert observation.key == "federal_bonus:RU:2024-07-31"


@pytest.mark.parametrize(
    "title",
    [
        "Указ Губернатора Свердловской области «Об установлении единовременной выплаты "
        "гражданам, заключившим контракт о прохождении военной службы»",
        "Путин удвоил единовременную выплату гражданам, заключившим контракт",
    ],
)
def test_a_regional_decree_or_a_news_headline_is_not_the_federal_act(title: str) -> None:
    assert classify(title) is not ActKind.FEDERAL_BONUS
