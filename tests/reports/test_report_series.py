"""The report's series: the call-up band and thresholds, the risk spans, changes by quarter."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from mobwatch.indicators.model import Observation
from mobwatch.indicators.rules.config import MarkerConfig
from mobwatch.indicators.rules.risk import RiskLevel
from mobwatch.reports import series


def test_each_campaign_carries_its_seasons_ten_year_band_and_thresholds(
    demo_history: list[Observation], config: MarkerConfig
) -> None:
    frame = series.observations_frame(demo_history)
    campaigns = series.callup_campaigns(frame, config).set_index(["season", "year"])
    autumn_2024 = campaigns.loc[("autumn", 2024)]
    # The autumns 2014–2023: the baseline `callup_size_anomaly` judged autumn 2024 against.
    assert (autumn_2024["band_low"], autumn_2024["band_high"]) == (120_000, 154_100)
    assert autumn_2024["warning_above"] == 154_100
    assert autumn_2024["critical_from"] == pytest.approx(154_100 * 1.15)
    assert not autumn_2024["anomaly"]
    # Spring 2025 (160,000) is above every spring of 2015–2024 (at most 155,000): a warning.
    spring_2025 = campaigns.loc[("spring", 2025)]
    assert spring_2025["band_high"] == 155_000 and spring_2025["anomaly"]
    assert pd.isna(campaigns.loc[("spring", 2014)]["band_high"])  # nothing before it


def test_risk_spans_open_with_the_level_in_force_at_the_start() -> None:
    timeline = [(date(2022, 9, 21), RiskLevel.RED), (date(2022, 12, 20), RiskLevel.GREEN)]
    spans = series.risk_steps(timeline, date(2022, 10, 1), date(2023, 1, 31))
    assert spans.to_dict("list") == {
        "start": [pd.Timestamp("2022-10-01"), pd.Timestamp("2022-12-20")],
        "end": [pd.Timestamp("2022-12-20"), pd.Timestamp("2023-02-01")],
        "level": ["RED", "GREEN"],
    }


def test_changes_by_quarter_keeps_the_quiet_quarters() -> None:
    changes = pd.DataFrame(
        {
            "event_date": pd.to_datetime(["2024-01-05", "2024-09-01", "2024-09-02", "2024-09-03"]),
            "direction": ["increase", "cut", "increase", "same"],
        }
    )
    assert series.changes_by_quarter(changes).to_dict("list") == {
        "quarter": ["2024Q1", "2024Q2", "2024Q3"],
        "increases": [1, 0, 1],
        "cuts": [0, 0, 1],
    }
