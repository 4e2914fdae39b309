from datetime import date

import pytest

from mobwatch.parsers.text import (
    act_type_of,
    clean_title,
    format_ru_date,
    html_to_text,
    one_line,
    parse_ru_date,
    strip_quotes,
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


def test_ru_dates_round_trip() -> None:
    assert parse_ru_date("30.09.2024") == date(2024, 9, 30)
    assert format_ru_date(date(2024, 9, 3)) == "03.09.2024"


@pytest.mark.parametrize(
    "bad", ["2024-09-30", "30.9.2024", "30.09.24", "", "aa.bb.cccc", "31.02.2024"]
)
def test_parse_ru_date_rejects_other_forms(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_ru_date(bad)
