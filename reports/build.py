"""The history report: built from the stored history, written as one HTML file plus data.

`build_report` computes everything the page shows (pandas frames, the seed report's
figures, the indicators-and-warnings board, the risk level over time); `write_report`
writes the page, a CSV of every series and, when pandas has a Parquet engine, the same
series as Parquet.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd

from indicators.board import Board, build_board
from indicators.config import MarkerConfig
from indicators.markers import evaluate
from indicators.model import Alert, Indicator, Observation
from indicators.risk import risk_timeline
from reports import series
from reports.figures import (
    AutumnRange,
    BonusChange,
    ForceIncrease,
    autumn_range,
    federal_bonus_change,
    force_increase,
)

HTML_NAME = "mobwatch-report.html"
DATA_DIR = "series"


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


@dataclass
class ReportFiles:
    html: Path
    csv: list[Path] = field(default_factory=list)
    parquet: list[Path] = field(default_factory=list)


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
    board = build_board(alerts, config, as_of=as_of, window_days=config.alerts.recent_window_days)
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


def parquet_engine() -> str | None:
    """The Parquet engine pandas can use here, if any (none is a dependency of mobwatch)."""
    for engine in ("pyarrow", "fastparquet"):
        if importlib.util.find_spec(engine) is not None:
            return engine
    return None


def write_series(report: Report, out: Path) -> ReportFiles:
    """A CSV of every series (and Parquet when an engine is installed) under `out/series/`."""
    directory = out / DATA_DIR
    directory.mkdir(parents=True, exist_ok=True)
    files = ReportFiles(html=out / HTML_NAME)
    engine = parquet_engine()
    for name, table in report.tables().items():
        path = directory / f"{name}.csv"
        table.to_csv(path, index=False, date_format="%Y-%m-%d")
        files.csv.append(path)
        if engine:
            parquet = directory / f"{name}.parquet"
            table.to_parquet(parquet, engine=engine, index=False)  # type: ignore[arg-type]
            files.parquet.append(parquet)
    return files


def write_report(report: Report, out: Path) -> ReportFiles:
    """The page and its data files under `out`; returns their paths."""
    from reports.html import render_page  # matplotlib loads only when a page is drawn

    out.mkdir(parents=True, exist_ok=True)
    files = write_series(report, out)
    links = [path.relative_to(out).as_posix() for path in [*files.csv, *files.parquet]]
    files.html.write_text(render_page(report, links), encoding="utf-8")
    return files
