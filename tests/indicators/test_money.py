"""Sums of money as Russian announcements write them."""

from __future__ import annotations

import pytest

from mobwatch.indicators.extract.money import read_money


@pytest.mark.parametrize(
    ("sentence", "value", "currency", "bound"),
    [
        ("выплата составит 2 млн рублей", 2_000_000, "RUB", None),
        ("выплата составит 1,5 млн руб.", 1_500_000, "RUB", None),
        ("из областного бюджета — 400 тыс.", 400_000, "RUB", None),
        ("каждый получит 1 000 000 ₽", 1_000_000, "RUB", None),
        ("единовременно миллион рублей", 1_000_000, "RUB", None),
        ("увеличена до полутора миллионов рублей", 1_500_000, "RUB", None),
        ("полмиллиона рублей добровольцам", 500_000, "RUB", None),
        ("выплата выросла до полумиллиона рублей", 500_000, "RUB", None),
        ("подняли до миллиона двухсот тысяч рублей", 1_200_000, "RUB", None),
        ("двести пятьдесят тысяч рублей сразу", 250_000, "RUB", None),
        ("урезали до восьмисот тысяч рублей", 800_000, "RUB", None),
        ("региональная часть — 3 млн 550 тыс. рублей", 3_550_000, "RUB", None),
        ("1 млн 600 тысяч рублей", 1_600_000, "RUB", None),
        ("получат до 3 млн рублей", 3_000_000, "RUB", "up_to"),
        ("повышаем выплату тем, кто заключает контракт, до 3,6 млн рублей", 3_600_000, "RUB", None),
        ("не менее 100 тыс. рублей", 100_000, "RUB", "over"),
        ("5 тыс. белорусских рублей", 5_000, "BYN", None),
        ("300 тыс. тенге", 300_000, "KZT", None),
        ("2 тыс. долларов", 2_000, "USD", None),
    ],
)
def test_a_sum_is_read_with_its_currency_and_bound(
    sentence: str, value: int, currency: str, bound: str | None
) -> None:
    [money] = read_money(sentence)
    assert (money.value, money.currency, money.bound) == (value, currency, bound)
    assert sentence[money.start : money.end] == money.written


def test_from_to_shares_one_scale() -> None:
    first, second = read_money("увеличена с 1,5 до 2,5 млн рублей")
    assert (first.value, second.value) == (1_500_000, 2_500_000)
    assert second.bound is None  # «с … до» is a target, not a ceiling


@pytest.mark.parametrize(
    "sentence",
    [
        "контракт подписали 190 тыс. человек",
        "указ от 31.07.2024 № 644",
        "с 1 октября 2024 года",
        "в 2,5 раза",
    ],
)
def test_numbers_that_are_not_money_are_left_alone(sentence: str) -> None:
    assert read_money(sentence) == []
