"""Rules of the payment reading that full articles needed (docs/bonuses.md, "How such
announcements are typically phrased"): a payer named after its sum with a verb, recruits
as signers, the mobilised of 2022, and «подъёмные» outside the army."""

from __future__ import annotations

from datetime import date

from mobwatch.indicators.extract.bonuses import PaymentKind, read_bonus
from mobwatch.indicators.extract.payment_cues import CONTRACT, CONTRACT_STEMS
from mobwatch.indicators.regions import default_gazetteer
from mobwatch.parsers.base import Document


def read(text: str, title: str = "", day: date = date(2025, 11, 3)):
    document = Document(url="https://example.org/a", title=title, text=text, published=day)
    return read_bonus(document, default_gazetteer())


def test_a_payer_named_after_its_sum_with_a_verb_marks_the_regional_part() -> None:
    reading = read(
        "Пензенская область подняла выплату подписавшим контракт до 2 млн рублей. "
        "Из этой суммы 1,6 млн рублей выделяет бюджет области, 400 тысяч — федеральные."
    )
    assert reading is not None and reading.kind is PaymentKind.REGIONAL
    assert (reading.region, reading.amount) == ("RU-PNZ", 1_600_000)


def test_what_a_payer_paid_before_is_not_the_payment_now() -> None:
    reading = read(
        "В Пензенской области сократили выплату за контракт в четыре раза. В начале года "
        "новобранцы получали 2 млн рублей, из которых 1,6 млн платила область. Теперь от "
        "региона положено 400 тысяч рублей."
    )
    assert reading is not None and (reading.region, reading.amount) == ("RU-PNZ", 400_000)


def test_recruits_are_those_who_sign() -> None:
    reading = read(
        "В Пензенской области снизили выплату. С 1 ноября новобранцы будут получать "
        "300 тыс. рублей вместо 900 тыс.",
        title="Выплату контрактникам урезали втрое",
    )
    assert reading is not None and (reading.region, reading.amount) == ("RU-PNZ", 300_000)


def test_a_payment_to_the_mobilised_is_not_for_a_contract() -> None:
    reading = read(
        "Мобилизованным жителям Пензенской области единоразово выплатят по 150 тыс. рублей. "
        "Дети мобилизованных и добровольцев получат места в детских садах без очереди.",
        title="Мобилизованным пообещали по 150 тыс. рублей",
        day=date(2022, 10, 5),
    )
    assert reading is None or reading.kind is PaymentKind.OTHER


def test_the_mobilised_who_sign_a_contract_are_paid_for_signing() -> None:
    reading = read(
        "Пензенская область выплатит 500 тыс. рублей мобилизованным, заключившим контракт."
    )
    assert reading is not None and (reading.kind, reading.amount) == (
        PaymentKind.REGIONAL,
        500_000,
    )


def test_podyomnye_for_young_specialists_are_no_contract_money() -> None:
    reading = read(
        "Молодым учителям, переехавшим в Пензенскую область, выплатят подъёмные в 200 тысяч "
        "рублей, сообщил губернатор."
    )
    assert reading is None


def test_a_contract_for_works_is_no_contract_of_service() -> None:
    # A governor's channel mixes its news: a hospital's building contract beside teachers'
    # relocation money is no payment for signing up.
    assert (
        read(
            "В Иркутской области подписан контракт на реконструкцию областной больницы "
            "стоимостью 2,4 млрд рублей. Молодые специалисты, переехавшие работать в сельские "
            "школы, получат подъёмные в размере 500 тыс. рублей."
        )
        is None
    )


def test_a_payment_for_service_is_read_beside_a_contract_for_works() -> None:
    reading = read(
        "В Иркутской области подписан госконтракт на ремонт дорог. Единовременная выплата "
        "гражданам, заключившим контракт с Министерством обороны, выросла до 500 тыс. рублей."
    )
    assert reading is not None and reading.kind is PaymentKind.REGIONAL
    assert (reading.region, reading.amount) == ("RU-IRK", 500_000)


def test_every_word_of_contract_money_begins_with_a_stem_checked_first() -> None:
    # The stems rule a text out before any expression runs: a word the expression knows
    # and the stems do not would never be read.
    for word in CONTRACT.pattern.split("|"):
        assert word.startswith(CONTRACT_STEMS), word


def test_case_does_not_hide_a_contract_for_works() -> None:
    assert (
        read(
            "ГОСКОНТРАКТ на строительство школы подписан. Молодые специалисты получат "
            "подъёмные в размере 500 тыс. рублей."
        )
        is None
    )
