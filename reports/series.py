"""The indicator series of the history report, as pandas frames.

Every frame is built from the stored observations (and, for markers, the alerts the
history raises), so the report, its CSV files and the artifacts show the same numbers.
Dates are `datetime64` columns; sizes and payments are floats (a missing value is NaN).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import pandas as pd

from mobwatch.indicators.model import ANNUAL, Alert, Indicator, Observation, is_whole_year
from mobwatch.indicators.provenance import figure_source, provenance
from mobwatch.indicators.regions import region_names
from mobwatch.indicators.rules.config import MarkerConfig
from mobwatch.indicators.rules.risk import RISK_LEVEL_CHANGE, RiskLevel

OBSERVATION_COLUMNS = [
    "indicator",
    "event_date",
    "value",
    "unit",
    "region",
    "period_start",
    "period_end",
    "document_number",
    "title",
    "url",
    "source",
    "confidence",
    "key",
    "provenance",  # seed, document, or seed+document
    "value_from",  # the value's: seed or document
]


def observations_frame(history: Sequence[Observation]) -> pd.DataFrame:
    """One row per observation, the export's columns."""
    rows = [
        (
            str(obs.indicator),
            obs.event_date,
            obs.value,
            obs.unit,
            obs.region,
            obs.period_start,
            obs.period_end,
            obs.document_number,
            obs.title,
            obs.url,
            obs.source,
            str(obs.confidence),
            obs.key,
            provenance(obs),
            figure_source(obs),
        )
        for obs in history
    ]
    frame = pd.DataFrame(rows, columns=OBSERVATION_COLUMNS)
    for column in ("event_date", "period_start", "period_end"):
        frame[column] = pd.to_datetime(frame[column])
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype(float)
    return frame.sort_values(["event_date", "key"], kind="stable").reset_index(drop=True)


def of_indicator(frame: pd.DataFrame, indicator: Indicator) -> pd.DataFrame:
    return frame[frame["indicator"] == str(indicator)].reset_index(drop=True)


def callup_campaigns(frame: pd.DataFrame, config: MarkerConfig) -> pd.DataFrame:
    """One row per call-up campaign with its season's band and the anomaly thresholds.

    The band is the smallest and largest call-up of the same season over the previous
    `lookback_years` campaign years, as `callup_size_anomaly` reads it; a size above
    `warning_above` is a warning, at or above `critical_from` critical.
    """
    settings = config.callup_size_anomaly
    callups = of_indicator(frame, Indicator.CALLUP_DECREE)
    callups = callups[callups["value"].notna()].copy()
    start = callups["period_start"].fillna(callups["event_date"])
    callups["year"] = start.dt.year.astype(int)
    callups["season"] = [
        ANNUAL
        if is_whole_year(_day(row.period_start), _day(row.period_end))
        else "spring"
        if row_start.month <= 7
        else "autumn"
        for row, row_start in zip(callups.itertuples(), start, strict=True)
    ]
    callups = callups.sort_values(["year", "season"]).reset_index(drop=True)
    lows, highs = [], []
    for row in callups.itertuples():
        earlier = callups[
            (callups["season"] == row.season)
            & (callups["year"] < row.year)
            & (callups["year"] >= row.year - settings.lookback_years)
        ]["value"]
        lows.append(earlier.min() if len(earlier) else float("nan"))
        highs.append(earlier.max() if len(earlier) else float("nan"))
    callups["band_low"] = lows
    callups["band_high"] = highs
    callups["warning_above"] = callups["band_high"]
    callups["critical_from"] = callups["band_high"] * (1 + settings.critical_excess)
    callups["anomaly"] = callups["value"] > callups["warning_above"]
    columns = [
        "year",
        "season",
        "value",
        "event_date",
        "period_start",
        "period_end",
        "document_number",
        "confidence",
        "value_from",
        "band_low",
        "band_high",
        "warning_above",
        "critical_from",
        "anomaly",
        "title",
        "url",
    ]
    return callups[columns].rename(columns={"value": "size", "event_date": "signed"})


def _day(moment: pd.Timestamp) -> date | None:
    return None if pd.isna(moment) else moment.date()


def force_size_steps(frame: pd.DataFrame, history: Sequence[Observation]) -> pd.DataFrame:
    """Each force-size decree: servicemen and total strength, the change against the last."""
    decrees = of_indicator(frame, Indicator.FORCE_SIZE_DECREE)
    totals = {
        obs.key: obs.details.get("total_strength")
        for obs in history
        if obs.indicator is Indicator.FORCE_SIZE_DECREE
    }
    decrees = decrees.sort_values("event_date").reset_index(drop=True)
    decrees["total_strength"] = pd.to_numeric(decrees["key"].map(totals), errors="coerce")
    decrees["effective"] = decrees["period_start"].fillna(decrees["event_date"])
    decrees["servicemen_change"] = decrees["value"].diff()
    decrees["total_change"] = decrees["total_strength"].diff()
    columns = [
        "event_date",
        "effective",
        "document_number",
        "value",
        "servicemen_change",
        "total_strength",
        "total_change",
        "confidence",
        "value_from",
        "title",
        "url",
    ]
    return decrees[columns].rename(columns={"event_date": "signed", "value": "servicemen"})


def payment_changes(frame: pd.DataFrame, indicator: Indicator) -> pd.DataFrame:
    """Each announced payment with the one before it in its region: increases and cuts."""
    payments = of_indicator(frame, indicator)
    payments = payments[payments["value"].notna()].copy()
    payments["region"] = payments["region"].fillna("RU")
    names = {**region_names(), "RU": "Российская Федерация"}
    payments["region_name"] = payments["region"].map(names).fillna(payments["region"])
    payments = payments.sort_values(["region", "event_date", "key"], kind="stable")
    payments["previous"] = payments.groupby("region")["value"].shift()
    payments["change"] = payments["value"] - payments["previous"]
    payments["direction"] = [
        "first"
        if pd.isna(change)
        else "increase"
        if change > 0
        else "cut"
        if change < 0
        else "same"
        for change in payments["change"]
    ]
    columns = ["region", "region_name", "event_date", "value", "previous", "change", "direction"]
    columns += ["confidence", "title", "url", "source"]
    return (
        payments[columns]
        .sort_values(["event_date", "region"], kind="stable")
        .reset_index(drop=True)
    )


def current_by_region(changes: pd.DataFrame) -> pd.DataFrame:
    """Each region's latest announced payment, largest first."""
    if changes.empty:
        return changes.assign(since=pd.Series(dtype="datetime64[ns]"))
    latest = changes.sort_values("event_date", kind="stable").groupby("region").tail(1)
    latest = latest.rename(columns={"event_date": "since"})
    return latest.sort_values(["value", "region"], ascending=[False, True]).reset_index(drop=True)


def median_over_time(changes: pd.DataFrame) -> pd.DataFrame:
    """The median of the regions' current payments on each day any of them changed."""
    if changes.empty:
        return pd.DataFrame(
            {"date": pd.Series(dtype="datetime64[ns]"), "median": [], "regions": []}
        )
    daily = changes.pivot_table(
        index="event_date", columns="region", values="value", aggfunc="last"
    )
    current = daily.sort_index().ffill()
    return pd.DataFrame(
        {
            "date": current.index,
            "median": current.median(axis=1, skipna=True).to_numpy(),
            "regions": current.notna().sum(axis=1).to_numpy(),
        }
    ).reset_index(drop=True)


def changes_by_quarter(changes: pd.DataFrame) -> pd.DataFrame:
    """How many regions raised and cut their payment, quarter by quarter."""
    moved = changes[changes["direction"].isin(["increase", "cut"])]
    if moved.empty:
        return pd.DataFrame({"quarter": [], "increases": [], "cuts": []})
    quarters = moved["event_date"].dt.to_period("Q")
    counts = pd.crosstab(quarters, moved["direction"])
    # Every quarter of the span, a quiet one too, so the bars keep the calendar's rhythm.
    counts = counts.reindex(pd.period_range(quarters.min(), quarters.max(), freq="Q"), fill_value=0)
    return pd.DataFrame(
        {
            "quarter": counts.index.astype(str),
            "increases": counts.get("increase", pd.Series(0, index=counts.index)).to_numpy(),
            "cuts": counts.get("cut", pd.Series(0, index=counts.index)).to_numpy(),
        }
    )


def marker_events(alerts: Sequence[Alert]) -> pd.DataFrame:
    """The analysts' marker alerts the history raises, by date."""
    rows = [
        (alert.fired_on, alert.marker, str(alert.severity), alert.title, _first_url(alert))
        for alert in alerts
        if alert.audience == "analyst" and alert.marker != RISK_LEVEL_CHANGE
    ]
    frame = pd.DataFrame(rows, columns=["fired_on", "marker", "severity", "title", "url"])
    frame["fired_on"] = pd.to_datetime(frame["fired_on"])
    return frame.sort_values(["fired_on", "marker"], kind="stable").reset_index(drop=True)


def risk_steps(
    timeline: Sequence[tuple[date, RiskLevel]], start: date, until: date
) -> pd.DataFrame:
    """The level as spans: from, to (exclusive), level; GREEN before the first change."""
    before = [level for day, level in timeline if day < start]
    opening = before[-1] if before else RiskLevel.GREEN
    points = [(start, opening), *((d, lvl) for d, lvl in timeline if start <= d <= until)]
    spans = []
    ends = [*points[1:], (until + timedelta(days=1), None)]
    for (day, level), following in zip(points, ends, strict=True):
        if following[0] > day:
            spans.append((day, following[0], str(level)))
    frame = pd.DataFrame(spans, columns=["start", "end", "level"])
    for column in ("start", "end"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def _first_url(alert: Alert) -> str:
    return alert.evidence[0].url if alert.evidence else ""
