from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mobwatch.indicators.russian import (
    Period,
    fold,
    parse_date,
    read_date,
    read_months,
    read_number,
    read_period,
    read_persons,
    read_quantities,
    split_sentences,
)


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("133 000", 133_000),
        ("133\u00a0000", 133_000),
        ("133\u202f000", 133_000),
        ("133\u2009000", 133_000),
        ("2 389 130", 2_389_130),
        ("160000", 160_000),
        ("133 тыс.", 133_000),
        ("133 тысячи", 133_000),
        ("1,5 тыс.", 1_500),
        ("2 млн", 2_000_000),
        ("1,2 миллиона", 1_200_000),
        ("3 млрд", 3_000_000_000),
        ("0,5", Decimal("0.5")),
    ],
)
def test_read_number(token: str, expected: int | Decimal) -> None:
    assert read_number(token) == expected


@pytest.mark.parametrize("token", ["", "сто", "30.09.2024", "12 человек", "тыс."])
def test_read_number_refuses_what_is_not_a_number(token: str) -> None:
    assert read_number(token) is None


@given(st.integers(min_value=0, max_value=10**12), st.sampled_from([" ", "\u00a0", "\u202f"]))
def test_read_number_reads_any_grouped_integer(number: int, separator: str) -> None:
    written = f"{number:,}".replace(",", separator)
    assert read_number(written) == number


@pytest.mark.parametrize(
    ("text", "persons"),
    [
        ("в количестве 133 000 человек.", 133_000),
        ("в количестве 133\u00a0000 человек.", 133_000),
        ("в количестве 133\u202f000 человек.", 133_000),
        ("будут призваны 133 тыс. человек.", 133_000),
        ("на военную службу 133 000 граждан", 133_000),
        ("в количестве 160 000 человек", 160_000),
        ("около 1,5 тыс. человек", 1_500),
        ("в возрасте от 18 до 30 лет, в количестве 147 000 человек", 147_000),
    ],
)
def test_read_persons(text: str, persons: int) -> None:
    assert read_persons(text) == (persons, text)


def test_read_persons_ignores_other_counts() -> None:
    assert read_persons("в возрасте от 18 до 30 лет, 2 389 130 единиц") is None


def test_quantities_keep_the_word_and_the_sentence_as_published() -> None:
    text = (
        "Установить численность 2\u00a0389\u00a0130 единиц, в том числе 1 500 000 военнослужащих."
    )
    total, servicemen = read_quantities(text)
    assert (total.value, total.noun, total.written) == (
        2_389_130,
        "единиц",
        "2\u00a0389\u00a0130 единиц",
    )
    assert (servicemen.value, servicemen.noun) == (1_500_000, "военнослужащих")
    assert servicemen.sentence == text
    assert text[servicemen.start :].startswith("1 500 000")


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("30 сентября 2024 г.", date(2024, 9, 30)),
        ("30 сентября 2024 года", date(2024, 9, 30)),
        ("30.09.2024", date(2024, 9, 30)),
        ("1 ноября 2022 г.", date(2022, 11, 1)),
        ("21 сентября 2022 г.", date(2022, 9, 21)),
        ("1 мая 2023 г.", date(2023, 5, 1)),
        ("8 марта 2024 г.", date(2024, 3, 8)),
        ("31 июня 2024 г.", None),
        ("сентября 2024", None),
    ],
)
def test_parse_date(written: str, day: date | None) -> None:
    assert parse_date(written) == day


def test_read_date_finds_the_first_valid_date() -> None:
    text = "Указ от 31 июня 2024 г. (опечатка), подписан Москва, Кремль 30 сентября 2024 года № 822"
    assert read_date(text) == date(2024, 9, 30)


@pytest.mark.parametrize(
    ("text", "period"),
    [
        (
            "Осуществить с 1 октября по 31 декабря 2024 г. призыв",
            (date(2024, 10, 1), date(2024, 12, 31)),
        ),
        (
            "Осуществить с 1 ноября по 31 декабря 2022 г. призыв",
            (date(2022, 11, 1), date(2022, 12, 31)),
        ),
        ("с 1 апреля по 15 июля 2025 года", (date(2025, 4, 1), date(2025, 7, 15))),
        ("с 1 апреля 2025 г. по 15 июля 2025 г.", (date(2025, 4, 1), date(2025, 7, 15))),
        ("с 1 декабря по 31 января 2025 г.", (date(2024, 12, 1), date(2025, 1, 31))),
        ("с 01.10.2024 по 31.12.2024", (date(2024, 10, 1), date(2024, 12, 31))),
    ],
)
def test_read_period(text: str, period: tuple[date, date]) -> None:
    assert read_period(text) == Period(*period)


def test_read_period_needs_a_period() -> None:
    assert read_period("подписан 30 сентября 2024 г.") is None


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("О призыве в октябре - декабре 2024 г. граждан", (date(2024, 10, 1), date(2024, 12, 31))),
        ("О призыве в октябре – декабре 2024 г. граждан", (date(2024, 10, 1), date(2024, 12, 31))),
        ("О призыве в апреле — июле 2025 г. граждан", (date(2025, 4, 1), date(2025, 7, 31))),
        ("о призыве в ноябре-декабре 2022 года", (date(2022, 11, 1), date(2022, 12, 31))),
        ("в феврале 2024 г.", (date(2024, 2, 1), date(2024, 2, 29))),
        ("в мае - июне 2023 г.", (date(2023, 5, 1), date(2023, 6, 30))),
    ],
)
def test_read_months_gives_whole_months(text: str, period: tuple[date, date]) -> None:
    assert read_months(text) == Period(*period)


def test_split_sentences_keeps_abbreviations_initials_and_clauses() -> None:
    text = (
        "В соответствии с Федеральным законом от 28 марта 1998 г. № 53-ФЗ «О воинской "
        "обязанности и военной службе» постановляю: 1. Осуществить с 1 октября по 31 декабря "
        "2024 г. призыв в количестве 133 тыс. человек. 2. Уволить с военной службы солдат, "
        "срок военной службы по призыву которых истек. 3. Настоящий Указ вступает в силу с "
        "1 декабря 2024 г. 4. См. ст. 5 Закона. Президент Российской Федерации В.Путин "
        "Москва, Кремль 30 сентября 2024 года № 822"
    )
    assert split_sentences(text) == [
        "В соответствии с Федеральным законом от 28 марта 1998 г. № 53-ФЗ «О воинской "
        "обязанности и военной службе» постановляю:",
        "1. Осуществить с 1 октября по 31 декабря 2024 г. призыв в количестве 133 тыс. человек.",
        "2. Уволить с военной службы солдат, срок военной службы по призыву которых истек.",
        "3. Настоящий Указ вступает в силу с 1 декабря 2024 г.",
        "4. См. ст. 5 Закона.",
        "Президент Российской Федерации В.Путин Москва, Кремль 30 сентября 2024 года № 822",
    ]


def test_split_sentences_reads_paragraphs_and_spaced_initials() -> None:
    text = "Подписал В. В. Путин. Указ опубликован!\nВторой абзац? Да"
    assert split_sentences(text) == [
        "Подписал В. В. Путин.",
        "Указ опубликован!",
        "Второй абзац?",
        "Да",
    ]


def test_fold_makes_spelling_uniform() -> None:
    assert fold("«Вооружённых\u00a0Сил» – “штатной” — численности") == (
        '"Вооруженных Сил" - "штатной" - численности'
    )


@given(st.text())
def test_fold_keeps_every_position(text: str) -> None:
    assert len(fold(text)) == len(text)
