"""The figures SCEEUS Report No. 13 relies on, computed from the stored history.

The report states them; mobwatch recomputes them from its data and shows both, so a
reader sees at once whether the history agrees, and why not where it does not:

- "over the ten autumns to 2023 the size ranged from 120,000 (2022) to 152,000 (2016)";
- "on 16 September 2024, Putin signed a decree on increasing the Armed Forces by 180,000";
- "Putin has doubled the one-off federal payment … from 200,000 to 400,000 roubles".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

# The report's own statements, as it words them.
REPORT_AUTUMNS = (2014, 2023)  # "the ten autumns to 2023"
REPORT_AUTUMN_LOW = (120_000, 2022)
REPORT_AUTUMN_HIGH = (152_000, 2016)
REPORT_FORCE_DECREE = date(2024, 9, 16)
REPORT_FORCE_INCREASE = 180_000
REPORT_FEDERAL_BONUS = (200_000, 400_000)
REPORT_YEAR_END = date(2024, 12, 31)  # the report was written in autumn 2024


@dataclass(frozen=True)
class Campaign:
    year: int
    size: int
    confidence: str
    source: str  # where the size was taken from: "seed" or "document"


@dataclass(frozen=True)
class AutumnRange:
    """The autumn call-ups of the report's ten years, as stored."""

    first_year: int
    last_year: int
    campaigns: tuple[Campaign, ...]  # the autumns found, by year

    @property
    def low(self) -> Campaign | None:
        return _extreme(self.campaigns, min)

    @property
    def high(self) -> Campaign | None:
        return _extreme(self.campaigns, max)

    @property
    def missing_years(self) -> list[int]:
        found = {campaign.year for campaign in self.campaigns}
        return [year for year in range(self.first_year, self.last_year + 1) if year not in found]

    @property
    def outside_report(self) -> tuple[Campaign, ...]:
        """Autumns the history holds outside the report's stated range."""
        low, high = REPORT_AUTUMN_LOW[0], REPORT_AUTUMN_HIGH[0]
        return tuple(c for c in self.campaigns if not low <= c.size <= high)

    @property
    def without_outside(self) -> tuple[Campaign | None, Campaign | None]:
        """The range over the other autumns, when some lie outside the report's."""
        rest = tuple(c for c in self.campaigns if c not in self.outside_report)
        return _extreme(rest, min), _extreme(rest, max)

    @property
    def matches_report(self) -> bool:
        low, high = self.low, self.high
        return (
            low is not None
            and high is not None
            and (low.size, low.year) == REPORT_AUTUMN_LOW
            and (high.size, high.year) == REPORT_AUTUMN_HIGH
        )


@dataclass(frozen=True)
class ForceIncrease:
    signed: date
    servicemen: int
    previous: int | None  # the decree before's servicemen
    source: str = "document"  # where the servicemen figure was taken from: seed or document

    @property
    def increase(self) -> int | None:
        return None if self.previous is None else self.servicemen - self.previous


@dataclass(frozen=True)
class BonusChange:
    on: date
    previous: int
    value: int


def autumn_range(campaigns: pd.DataFrame) -> AutumnRange:
    """The autumns of the report's ten years in the `callup_campaigns` frame."""
    first, last = REPORT_AUTUMNS
    autumns = campaigns[
        (campaigns["season"] == "autumn")
        & (campaigns["year"] >= first)
        & (campaigns["year"] <= last)
    ].sort_values("year")
    found = tuple(
        Campaign(int(row.year), int(row.size), str(row.confidence), str(row.value_from))
        for row in autumns.itertuples()
    )
    return AutumnRange(first, last, found)


def force_increase(steps: pd.DataFrame, month: date = REPORT_FORCE_DECREE) -> ForceIncrease | None:
    """The force-size decree signed in the month of `month`, against the decree before it."""
    steps = steps.sort_values("signed").reset_index(drop=True)
    signed = steps["signed"].dt
    matches = steps[(signed.year == month.year) & (signed.month == month.month)]
    if matches.empty or pd.isna(matches.iloc[-1]["servicemen"]):
        return None
    index = matches.index[-1]
    previous = steps.loc[: index - 1, "servicemen"].dropna() if index else pd.Series(dtype=float)
    return ForceIncrease(
        signed=matches.iloc[-1]["signed"].date(),
        servicemen=int(matches.iloc[-1]["servicemen"]),
        previous=int(previous.iloc[-1]) if len(previous) else None,
        source=str(matches.iloc[-1]["value_from"]),
    )


def federal_bonus_change(
    changes: pd.DataFrame, until: date = REPORT_YEAR_END
) -> BonusChange | None:
    """The federal payment's latest change up to `until` (the report's time), if stored."""
    moved = changes[changes["direction"].isin(["increase", "cut"])]
    moved = moved[moved["event_date"] <= pd.Timestamp(until)]
    if moved.empty:
        return None
    row = moved.iloc[-1]
    return BonusChange(row["event_date"].date(), int(row["previous"]), int(row["value"]))


def _extreme(campaigns: tuple[Campaign, ...], pick) -> Campaign | None:  # type: ignore[no-untyped-def]
    if not campaigns:
        return None
    # Of equal sizes, the latest year names the extreme (as the markers' baseline does).
    return pick(campaigns, key=lambda c: (c.size, c.year if pick is max else -c.year))
