"""The history report's content, built from the stored history.

`build_report` computes everything the page shows (pandas frames, the seed report's
figures, the indicators-and-warnings board, the risk level over time); `files` writes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pandas as pd

from mobwatch.indicators.model import Alert, Indicator, Observation
from mobwatch.indicators.rules.board import Board, board_notes, build_board
from mobwatch.indicators.rules.config import MarkerConfig
from mobwatch.indicators.rules.markers import evaluate
from mobwatch.indicators.rules.risk import risk_timeline
from mobwatch.reports import series
from mobwatch.reports.figures import (
    AutumnRange,
    BonusChange,
    ForceIncrease,
    autumn_range,
    federal_bonus_change,
    force_increase,
)


@dataclass
class Report:
    as_of: date
    generated_at: datetime
    observations: pd.DataFrame
    campaigns: pd.DataFrame
    force: pd.DataFrame
    federal: pd.DataFrame  # federal payment, each change
    regional: pd.DataFrame  # regional payments, each announcement with its change
    regional_current: pd.DataFrame
    regional_median: pd.DataFrame
    regional_quarters: pd.DataFrame
    events: pd.DataFrame  # marker alerts
    risk: pd.DataFrame  # risk level spans
    autumn: AutumnRange
    force_increase: ForceIncrease | None
    federal_change: BonusChange | None
    board: Board

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every series by file name: what the CSV and Parquet files hold."""
        tables = {
            str(indicator): series.of_indicator(self.observations, indicator)
            for indicator in Indicator
        }
        tables |= {
            "callup_campaigns": self.campaigns,
            "force_size_steps": self.force,
            "federal_bonus_changes": self.federal,
            "regional_bonus_changes": self.regional,
            "regional_bonus_current": self.regional_current,
            "regional_bonus_median": self.regional_median,
            "regional_bonus_by_quarter": self.regional_quarters,
            "marker_alerts": self.events,
            "risk_level": self.risk,
        }
        return tables


def build_report(
    history: Sequence[Observation],
    config: MarkerConfig,
    *,
    as_of: date,
    generated_at: datetime | None = None,
    alerts: Sequence[Alert] | None = None,
) -> Report:
    """Everything the page shows, as of `as_of`.

    `alerts` are the markers' alerts over the history; by default the history is replayed
    here (`markers.evaluate`), as `backtest` does.
    """
    known = [obs for obs in history if obs.event_date <= as_of]
    frame = series.observations_frame(known)
    if alerts is None:
        alerts = evaluate(known, config, as_of=as_of)
    board = build_board(
        alerts,
        config,
        as_of=as_of,
        window_days=config.alerts.recent_window_days,
        notes=board_notes(known, config),
    )
    campaigns = series.callup_campaigns(frame, config)
    force = series.force_size_steps(frame, known)
    federal = series.payment_changes(frame, Indicator.FEDERAL_BONUS)
    regional = series.payment_changes(frame, Indicator.REGIONAL_BONUS)
    events = series.marker_events(alerts)
    start = _timeline_start(events, frame, as_of)
    return Report(
        as_of=as_of,
        generated_at=generated_at or datetime.now(UTC),
        observations=frame,
        campaigns=campaigns,
        force=force,
        federal=federal,
        regional=regional,
        regional_current=series.current_by_region(regional),
        regional_median=series.median_over_time(regional),
        regional_quarters=series.changes_by_quarter(regional),
        events=events,
        risk=series.risk_steps(risk_timeline(alerts, as_of, config), start, as_of),
        autumn=autumn_range(campaigns),
        force_increase=force_increase(force),
        federal_change=federal_bonus_change(federal),
        board=board,
    )


def _timeline_start(events: pd.DataFrame, frame: pd.DataFrame, as_of: date) -> date:
    """Where the markers' timeline starts: the January before the first alert."""
    if not events.empty:
        return date(events["fired_on"].min().year, 1, 1)
    if not frame.empty:
        return date(frame["event_date"].min().year, 1, 1)
    return date(as_of.year, 1, 1)
