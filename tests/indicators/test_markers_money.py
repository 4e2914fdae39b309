"""The money markers on small histories, with the thresholds of markers.toml."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest

from mobwatch.indicators.extract.announcements import ANNOUNCEMENT, announcement_id
from mobwatch.indicators.model import Indicator, Observation, Severity
from mobwatch.indicators.rules.config import load_marker_config
from mobwatch.indicators.rules.markers import evaluate
from mobwatch.indicators.rules.markers.money import (
    federal_bonus_change,
    regional_bonus_cut,
    regional_bonus_escalation,
    regional_bonus_record,
)

CONFIG = load_marker_config()
AS_OF = date(2026, 6, 1)


def payment(region: str, day: date, value: int, **details: Any) -> Observation:
    return Observation(
        indicator=Indicator.REGIONAL_BONUS,
        event_date=day,
        title=f"{region} payment",
        url=f"https://news.example/{region}/{day}",
        source="test",
        evidence=f"{value} рублей",
        value=value,
        unit="RUB",
        region=region,
        details={ANNOUNCEMENT: announcement_id(region, value, day), **details},
    )


def federal(day: date, value: int) -> Observation:
    return Observation(
        indicator=Indicator.FEDERAL_BONUS,
        event_date=day,
        title="Указ об установлении единовременной выплаты",
        url=f"http://kremlin.example/acts/{day}",
        source="test",
        evidence=f"в размере {value} рублей",
        value=value,
        unit="RUB",
        period_start=day + timedelta(days=1),
    )


def test_federal_change_fires_on_the_rise_to_400_000() -> None:
    history = [federal(date(2022, 10, 1), 195_000), federal(date(2024, 7, 31), 400_000)]
    history.append(replace(federal(date(2024, 12, 26), 400_000), url="http://k.example/ext"))
    [alert] = federal_bonus_change(history, CONFIG, as_of=AS_OF)
    assert (alert.fired_on, alert.severity) == (date(2024, 7, 31), Severity.WARNING)
    assert alert.title == (
        "Federal signing payment raised from 195,000 RUB to 400,000 RUB, from 1 Aug 2024"
    )
    assert "from 200,000 to 400,000 roubles" in alert.basis


def test_five_regions_raising_within_30_days_is_an_escalation_alerted_once() -> None:
    start = date(2024, 7, 20)
    regions = ["RU-MOW", "RU-KHM", "RU-RYA", "RU-KEM", "RU-ORE", "RU-SVE"]
    history = [
        payment(region, start + timedelta(days=3 * n), 500_000, change="increase")
        for n, region in enumerate(regions)
    ]
    [alert] = regional_bonus_escalation(history, CONFIG, as_of=AS_OF)
    assert alert.fired_on == start + timedelta(days=12)  # the fifth region's day
    assert alert.severity is Severity.WARNING
    assert alert.title.startswith("5 regions raised their signing payments within 30 days")
    assert len({evidence.url for evidence in alert.evidence}) == 5
    # Four regions are not enough.
    assert regional_bonus_escalation(history[:4], CONFIG, as_of=AS_OF) == []


def test_a_region_restating_its_amount_is_not_a_raise() -> None:
    day = date(2024, 8, 1)
    history = [payment(f"RU-R{n}", day, 400_000) for n in range(5)]
    history += [payment(f"RU-R{n}", day + timedelta(days=5), 400_000) for n in range(5)]
    assert regional_bonus_escalation(history, CONFIG, as_of=AS_OF) == []


def test_the_median_rising_a_quarter_in_90_days_is_an_escalation() -> None:
    before, after = date(2024, 1, 10), date(2024, 4, 20)
    history = [payment(f"RU-R{n}", before, 400_000) for n in range(5)]
    # Three of five regions raise, weeks apart: no burst, but the median moves by 25 %.
    history += [payment(f"RU-R{n}", after + timedelta(days=20 * n), 500_000) for n in range(3)]
    alerts = regional_bonus_escalation(history, CONFIG, as_of=date(2024, 8, 1))
    assert [alert.fired_on for alert in alerts] == [after + timedelta(days=40)]  # the third
    assert alerts[0].title.startswith("Median regional signing payment up 25.0 %")


def test_a_record_needs_records_to_beat() -> None:
    history = [
        payment("RU-LEN", date(2023, 10, 5), 505_000),
        payment("RU-BA", date(2023, 11, 8), 100_000),
        payment("RU-SVE", date(2024, 6, 14), 400_000),
        payment("RU-MOW", date(2024, 7, 23), 1_900_000),
        payment("RU-TYU", date(2024, 10, 7), 3_000_000),
        payment("RU-SAM", date(2025, 1, 15), 3_600_000, up_to=True),
    ]
    alerts = regional_bonus_record(history, CONFIG, as_of=AS_OF)
    assert [(alert.fired_on, alert.severity) for alert in alerts] == [
        (date(2024, 7, 23), Severity.INFO),
        (date(2024, 10, 7), Severity.INFO),
    ]
    assert alerts[0].title == (
        "Record regional signing payment: RU-MOW (Москва) 1,900,000 RUB "
        "(previous record 505,000 RUB, RU-LEN (Ленинградская область), 5 Oct 2023)"
    )


def test_a_cut_is_measured_against_the_stated_or_the_stored_amount() -> None:
    history = [
        payment("RU-BA", date(2025, 6, 5), 1_000_000, previous=1_600_000),
        payment("RU-SAM", date(2025, 1, 15), 3_600_000),
        payment("RU-SAM", date(2025, 10, 14), 400_000),
        payment("RU-KLU", date(2026, 2, 19), 2_000_000),
    ]
    alerts = regional_bonus_cut(history, CONFIG, as_of=AS_OF)
    assert [(alert.fired_on, alert.title) for alert in alerts] == [
        (
            date(2025, 6, 5),
            "RU-BA (Республика Башкортостан) cut its signing payment from 1,600,000 RUB to "
            "1,000,000 RUB (-37.5 %)",
        ),
        (
            date(2025, 10, 14),
            "RU-SAM (Самарская область) cut its signing payment from 3,600,000 RUB to "
            "400,000 RUB (-88.9 %)",
        ),
    ]


@pytest.mark.parametrize(
    "marker", ["regional_bonus_escalation", "regional_bonus_record", "regional_bonus_cut"]
)
def test_money_markers_are_never_critical(marker: str) -> None:
    from mobwatch.store.bonus_seed import load_bonus_seed

    alerts = [a for a in evaluate(load_bonus_seed(), CONFIG, as_of=AS_OF) if a.marker == marker]
    assert alerts and all(alert.severity is not Severity.CRITICAL for alert in alerts)
