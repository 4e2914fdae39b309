from datetime import date

import pytest

from parsers.text import (
    ActReference,
    act_type_of,
    clean_title,
    find_act_reference,
    format_ru_date,
    html_to_text,
    one_line,
    parse_ru_date,
    strip_quotes,
)

SIGNATURE_822 = (
    "Президент Российской Федерации\nВ.Путин\nМосква, Кремль\n30 сентября 2024 года\n№ 822"
)
PREAMBLE = (
    "В соответствии с федеральными законами от 31 мая 1996 г. № 61-ФЗ «Об обороне» и "
    "от 28 марта 1998 г. № 53-ФЗ «О воинской обязанности и военной службе» постановляю:"
)


def test_one_line_collapses_breaks_nbsp_and_tabs() -> None:
    assert one_line(" Указ\r\n Президента\u00a0\u00a0Российской\tФедерации \n") == (
        "Указ Президента Российской Федерации"
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('"О призыве"', "О призыве"),
        ("«О призыве»", "О призыве"),
        (
            '"О внесении изменений в Федеральный закон "О воинской обязанности""',
            'О внесении изменений в Федеральный закон "О воинской обязанности"',
        ),
        ('Указ "О призыве"', 'Указ "О призыве"'),
        ('"', '"'),
    ],
)
def test_strip_quotes_removes_only_the_wrapping_pair(raw: str, expected: str) -> None:
    assert strip_quotes(raw) == expected


def test_clean_title_joins_br_and_newlines() -> None:
    raw = (
        'Указ Президента Российской Федерации от 30.09.2024 № 822<br /> "О призыве\n в октябре"\r\n'
    )
    assert (
        clean_title(raw)
        == 'Указ Президента Российской Федерации от 30.09.2024 № 822 "О призыве в октябре"'
    )


def test_html_to_text_keeps_paragraphs_and_breaks_as_lines() -> None:
    html = (
        "<p>1. Осуществить призыв в&nbsp;количестве 133&nbsp;000 человек.</p>"
        "<script>var x = 1;</script>"
        "<p>Президент Российской Федерации<br />В.Путин</p><div>Ёлки   и  <b>ёж</b></div>"
    )
    assert html_to_text(html) == (
        "1. Осуществить призыв в количестве 133 000 человек.\n"
        "Президент Российской Федерации\nВ.Путин\nЁлки и ёж"
    )


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("Указ Президента Российской Федерации от 30.09.2024 № 822", "Указ"),
        ("Указ «О призыве в октябре – декабре 2024 г. …»", "Указ"),
        ("Федеральный закон от 04.08.2023 № 439-ФЗ", "Федеральный закон"),
        (
            "Федеральный конституционный закон от 04.10.2022 № 5-ФКЗ",
            "Федеральный конституционный закон",
        ),
        ("Распоряжение Президента Российской Федерации", "Распоряжение"),
        ("Постановление Правительства Российской Федерации", "Постановление"),
        ("Указание Банка России", None),
        ("Подписан Указ о составе Совета", None),
    ],
)
def test_act_type_of_reads_the_opening_words(heading: str, expected: str | None) -> None:
    assert act_type_of(heading) == expected


def test_reference_from_the_signature_block_not_from_cited_laws() -> None:
    text = f"{PREAMBLE}\n1. Осуществить призыв.\n{SIGNATURE_822}"
    assert find_act_reference(text) == ActReference(None, "822", date(2024, 9, 30))


def test_signature_without_number_takes_the_same_day_header() -> None:
    text = (
        "Указ Президента Российской Федерации от 16 сентября 2024 г. № 790\n"
        "Признать утратившим силу Указ Президента Российской Федерации "
        "от 25 августа 2022 г. № 575.\n"
        "Москва, Кремль\n16 сентября 2024 года"
    )
    assert find_act_reference(text) == ActReference("Указ", "790", date(2024, 9, 16))


def test_signature_without_number_ignores_a_cited_decree_of_another_date() -> None:
    text = (
        "Признать утратившим силу Указ Президента Российской Федерации "
        "от 25 августа 2022 г. № 575.\n"
        "Москва, Кремль\n1 декабря 2023 года"
    )
    assert find_act_reference(text) == ActReference(None, None, date(2023, 12, 1))


def test_without_signature_the_first_header_names_the_act() -> None:
    text = (
        "Владимир Путин подписал Указ Президента Российской Федерации от 20 сентября 2024 г. № 801."
    )
    assert find_act_reference(text) == ActReference("Указ", "801", date(2024, 9, 20))


def test_numeric_header_and_law_numbers() -> None:
    assert find_act_reference("Федеральный закон от 13.09.2024 № 280-ФЗ") == ActReference(
        "Федеральный закон", "280-ФЗ", date(2024, 9, 13)
    )


def test_cited_laws_in_other_cases_are_not_headers() -> None:
    assert find_act_reference(PREAMBLE) is None
    assert find_act_reference("в связи с Указом Президента от 19 октября 2022 г. № 756") is None


def test_impossible_dates_give_no_date() -> None:
    assert find_act_reference("Указ от 31 февраля 2024 г. № 5") == ActReference("Указ", "5", None)


def test_ru_dates_round_trip() -> None:
    assert parse_ru_date("30.09.2024") == date(2024, 9, 30)
    assert format_ru_date(date(2024, 9, 3)) == "03.09.2024"


@pytest.mark.parametrize(
    "bad", ["2024-09-30", "30.9.2024", "30.09.24", "", "aa.bb.cccc", "31.02.2024"]
)
def test_parse_ru_date_rejects_other_forms(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_ru_date(bad)
