"""The demo history's report reproduces the figures of docs/facts.md and of the seed report."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from mobwatch.indicators.model import Indicator, Observation
from mobwatch.indicators.rules.config import MarkerConfig
from mobwatch.reports.build import build_report
from mobwatch.reports.figures import Campaign
from mobwatch.reports.summary import figure_lines

FACTS = Path(__file__).resolve().parents[2] / "docs" / "facts.md"
_CAMPAIGN_ROW = re.compile(r"^\| (spring|autumn) (\d{4}) \|.*\| ([\d,]+)(?: \(check\))? \|$")
_FORCE_ROW = re.compile(r"^\| (\d{4}-\d{2}-\d{2}) \|[^|]*\| ([\d,]+) \| ([\d,]+)")


def _facts() -> str:
    if not FACTS.exists():
        pytest.skip(f"the facts file is missing from the repository: {FACTS}")
    return FACTS.read_text("utf-8")


def test_the_ten_autumns_to_2023_are_computed_and_the_unverified_outlier_named(
    demo_history: list[Observation], config: MarkerConfig, as_of: date
) -> None:
    report = build_report(demo_history, config, as_of=as_of)
    autumn = report.autumn
    assert (autumn.first_year, autumn.last_year) == (2014, 2023)
    assert len(autumn.campaigns) == 10 and autumn.missing_years == []
    assert autumn.low == Campaign(2022, 120_000, "official")  # read from the decree itself
    # docs/facts.md holds autumn 2014 at 154,100, marked "check": above the report's 152,000.
    assert autumn.high == Campaign(2014, 154_100, "unverified")
    assert autumn.outside_report == (Campaign(2014, 154_100, "unverified"),)
    low, high = autumn.without_outside
    assert (low.size, low.year, high.size, high.year) == (120_000, 2022, 152_000, 2016)
    assert not autumn.matches_report
    lines = figure_lines(report)
    assert "120,000 (2022) to 154,100 (2014)" in lines[0]
    assert "2014 154,100 (unverified)" in lines[0]


def test_the_september_2024_force_increase_is_180000(
    demo_history: list[Observation], config: MarkerConfig, as_of: date
) -> None:
    report = build_report(demo_history, config, as_of=as_of)
    increase = report.force_increase
    assert increase is not None
    assert increase.signed == date(2024, 9, 16)
    assert (increase.previous, increase.servicemen, increase.increase) == (
        1_320_000,
        1_500_000,
        180_000,
    )
    federal = [obs for obs in demo_history if obs.indicator is Indicator.FEDERAL_BONUS]
    if not federal:
        assert report.federal_change is None
        assert "not in the data yet" in figure_lines(report)[2]
    else:  # docs/facts.md: 195,000 from autumn 2022, 400,000 from August 2024
        change = report.federal_change
        assert change is not None and (change.previous, change.value) == (195_000, 400_000)
        assert change.on.year == 2024


def test_every_call_up_and_force_size_of_facts_md_is_in_the_report(
    demo_history: list[Observation], config: MarkerConfig, as_of: date
) -> None:
    facts = _facts().splitlines()
    report = build_report(demo_history, config, as_of=as_of)
    sizes = {(row.season, row.year): row.size for row in report.campaigns.itertuples()}
    expected = {
        (m[1], int(m[2])): int(m[3].replace(",", ""))
        for line in facts
        if (m := _CAMPAIGN_ROW.match(line.strip()))
    }
    assert len(expected) == 24
    assert {key: sizes.get(key) for key in expected} == expected
    steps = {
        row.signed.date().isoformat(): (row.total_strength, row.servicemen)
        for row in report.force.itertuples()
    }
    force = {
        m[1]: (int(m[2].replace(",", "")), int(m[3].replace(",", "")))
        for line in facts
        if (m := _FORCE_ROW.match(line.strip()))
    }
    assert len(force) == 5
    assert {day: steps.get(day) for day in force} == force
