"""Which subject an announcement speaks for, by name, people, head, legislature or city."""

from __future__ import annotations

from datetime import date

import pytest

from mobwatch.indicators.extract.subjects import find_subject, without_dateline
from mobwatch.indicators.regions import default_gazetteer
from mobwatch.parsers.base import Document


def subject_of(text: str, day: date = date(2025, 6, 1), **fields: str) -> str | None:
    document = Document(url="https://example.org/1", title="", text=text, published=day, **fields)
    found = find_subject(document, None, default_gazetteer())
    return found.region.code if found else None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Омичам, заключившим контракт, выплатят 800 тысяч рублей.", "RU-OMS"),
        ("Свердловчане получат больше.", "RU-SVE"),
        ("Курултай принял закон.", "RU-BA"),
        ("Столичные власти сохранили выплату.", "RU-MOW"),
        ("Смольный отменил губернаторскую выплату.", "RU-SPE"),
        ("Олег Николаев принял решение.", "RU-CU"),
        ("Айсен Николаев принял решение.", "RU-SA"),
        ("Текслера поддержали депутаты.", "RU-CHE"),
    ],
)
def test_the_subject_is_found_however_it_is_named(text: str, code: str) -> None:
    assert subject_of(text) == code


def test_a_surname_two_heads_share_needs_the_first_name() -> None:
    assert subject_of("Николаев принял решение о выплате.") is None


def test_a_head_counts_only_in_his_term() -> None:
    text = "Куйвашев подписал указ о выплате."
    assert subject_of(text, date(2024, 3, 1)) == "RU-SVE"
    assert subject_of(text, date(2025, 3, 1)) is None


def test_a_moscow_dateline_names_no_subject_a_regional_one_only_a_city() -> None:
    assert subject_of("МОСКВА, 21 января — РИА Новости. Выплату подняли.") is None
    document = Document(
        url="https://example.org/2",
        title="",
        text="ЧЕБОКСАРЫ, 14 января. /ТАСС/. Выплату подняли.",
        published=date(2026, 1, 14),
    )
    found = find_subject(document, None, default_gazetteer())
    assert found is not None and (found.region.code, found.city) == ("RU-CU", True)
    blanked, place = without_dateline(document.text)
    assert place == "ЧЕБОКСАРЫ" and len(blanked) == len(document.text)


def test_an_unknown_channel_speaks_for_the_subject_of_its_title() -> None:
    text = "Принято решение о выплате заключившим контракт."
    assert subject_of(text, author="unknown_chan", author_title="Правительство Омской области") == (
        "RU-OMS"
    )
    assert subject_of(text, author="unknown_chan", author_title="Виталий Хоценко") == "RU-OMS"
