"""What a law on military service changes: replacement clauses and new rules in words."""

from __future__ import annotations

import pytest

from mobwatch.indicators.extract.law_changes import describes_changes, read_changes


@pytest.mark.parametrize(
    ("text", "kind", "widens", "summary"),
    [
        (
            "В подпункте «д» пункта 1 статьи 38 Федерального закона от 28 марта 1998 года "
            "№ 53-ФЗ «О воинской обязанности и военной службе» слова «12 месяцев» заменить "
            "словами «24 месяца».",
            "service_term",
            True,
            "conscript service term changed from 12 to 24 months",
        ),
        (
            "в пункте 1 статьи 22 слова «от 18 до 27 лет» заменить словами «от 18 до 30 лет»",
            "ages",
            True,
            "conscription ages changed from 18–27 to 18–30",
        ),
        (
            "в пункте 1 статьи 22 цифры «27» заменить цифрами «30» (призывной возраст)",
            "ages",
            True,
            "conscription ages changed from up to 27 to up to 30",
        ),
        (
            "в абзаце втором слова «20 дней» заменить словами «30 дней» со дня размещения "
            "повестки в реестре повесток",
            "reporting_time",
            False,
            "time to report after a summons changed from 20 to 30 days",
        ),
        (
            "Призыв на военную службу граждан осуществляется в течение календарного года на "
            "основании указа Президента Российской Федерации.",
            "year_round",
            False,
            "conscription runs all year round",
        ),
        (
            "Граждане, пребывающие в мобилизационном людском резерве, могут призываться на "
            "специальные сборы для защиты критически важных объектов.",
            "reservists",
            False,
            "reservists may be called to special assemblies",
        ),
        (
            "Отсрочка от призыва для выпускников колледжей отменяется.",
            "deferments",
            True,
            "deferments or exemptions narrowed",
        ),
    ],
)
def test_each_kind_of_change(text: str, kind: str, widens: bool, summary: str) -> None:
    [change] = [change for change in read_changes(text) if change.kind == kind]
    assert (change.widens, change.summary) == (widens, summary)


def test_a_shortened_term_does_not_widen() -> None:
    [change] = read_changes("в статье 38 слова «24 месяца» заменить словами «12 месяцев»")
    assert change.kind == "service_term" and change.widens is False


def test_the_quote_is_the_clause_as_written() -> None:
    [change] = read_changes("слова «12 месяцев» заменить словами «24 месяца»")
    assert change.quote == "слова «12 месяцев» заменить словами «24 месяца»"


def test_electronic_summonses_and_restrictions_are_summons_rules() -> None:
    changes = read_changes(
        "Повестка считается врученной со дня её размещения в реестре повесток. Гражданам, не "
        "явившимся по повестке, устанавливается запрет на выезд из Российской Федерации."
    )
    assert {change.kind for change in changes} == {"summons"}
    assert not any(change.widens for change in changes)


def test_a_law_on_housing_changes_no_conscription_rule() -> None:
    assert (
        read_changes("Законопроект уточняет порядок предоставления служебных жилых помещений.")
        == []
    )


def test_one_line_names_widening_first() -> None:
    changes = read_changes(
        "Призыв осуществляется в течение календарного года. В статье 22 слова «от 18 до 27 лет» "
        "заменить словами «от 18 до 30 лет»."
    )
    assert describes_changes(changes) == (
        "conscription ages changed from 18–27 to 18–30; conscription runs all year round"
    )
