"""Call-up campaigns compared like with like, and the baselines the call-up markers use.

Until 2025 conscription ran in two campaigns a year, spring and autumn, each under its own
decree; from 2026 it runs all year under one annual decree (docs/facts.md). A campaign is
therefore a season or a whole year (`Observation.campaign`: `2024-autumn`, `2026-year`),
and a size is compared only with its own kind: a season with the same season of earlier
years, a year with earlier years' totals — an annual decree's size, or a year's spring
and autumn added together when both are known (2025: 160,000 + 135,000 = 295,000).

A baseline holds only what was known before the decree it judges (signed earlier), and
says which campaigns it rests on; with fewer than the minimum it is too short to judge.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby

from mobwatch.indicators.model import ANNUAL, Indicator, Observation

SEASONS = ("spring", "autumn")  # in calendar order


@dataclass(frozen=True)
class CampaignSize:
    """A campaign's size: one season's decree, or a year (an annual decree or two seasons)."""

    year: int
    kind: str  # "spring", "autumn" or "year"
    size: int

    @property
    def label(self) -> str:
        return f"{self.kind} {self.year}"


@dataclass(frozen=True)
class Baseline:
    """The comparable campaigns known before a decree, within the lookback."""

    kind: str
    campaigns: tuple[CampaignSize, ...]  # by year

    @property
    def largest(self) -> CampaignSize | None:
        # Of equal sizes, the latest year names the maximum.
        return max(self.campaigns, key=lambda c: (c.size, c.year), default=None)

    def too_short(self, minimum: int) -> bool:
        return len(self.campaigns) < minimum

    def describe(self) -> str:
        """`autumn 2015–2024 (10 campaigns)`; `years 2016–2020, 2022–2025 (9 years)`."""
        if not self.campaigns:
            return "no earlier campaign"
        what = "years" if self.kind == ANNUAL else self.kind
        count = len(self.campaigns)
        unit = ("year" if self.kind == ANNUAL else "campaign") + ("" if count == 1 else "s")
        return f"{what} {year_ranges([c.year for c in self.campaigns])} ({count} {unit})"


def callup_kind(obs: Observation) -> tuple[int, str]:
    """(2024, "autumn") or (2026, "year") for a call-up observation."""
    year, kind = obs.campaign.split("-")
    return int(year), kind


def baseline_for(obs: Observation, history: Sequence[Observation], lookback_years: int) -> Baseline:
    """The campaigns of `obs`'s kind in the `lookback_years` years before its own, as known
    before it was signed."""
    year, kind = callup_kind(obs)
    earlier = [
        other
        for other in history
        if other.indicator is Indicator.CALLUP_DECREE
        and other.value is not None
        and other.event_date < obs.event_date
        and year - lookback_years <= callup_kind(other)[0] < year
    ]
    sizes = year_totals(earlier) if kind == ANNUAL else season_sizes(earlier, kind)
    return Baseline(kind, tuple(sorted(sizes, key=lambda c: c.year)))


def season_sizes(callups: Sequence[Observation], season: str) -> list[CampaignSize]:
    """The size of each year's `season` campaign."""
    found: dict[int, int] = {}
    for obs in callups:
        year, kind = callup_kind(obs)
        if kind == season and obs.value is not None:
            found[year] = obs.value
    return [CampaignSize(year, season, size) for year, size in found.items()]


def year_totals(callups: Sequence[Observation]) -> list[CampaignSize]:
    """Each year's call-up: its annual decree, or its spring and autumn added together when
    both are known (a year with one season known has no comparable total)."""
    totals = []
    ordered = sorted(callups, key=lambda obs: callup_kind(obs)[0])
    for year, group in groupby(ordered, key=lambda obs: callup_kind(obs)[0]):
        by_kind = {callup_kind(obs)[1]: obs.value for obs in group if obs.value is not None}
        if ANNUAL in by_kind:
            totals.append(CampaignSize(year, ANNUAL, by_kind[ANNUAL]))
        elif all(season in by_kind for season in SEASONS):
            totals.append(CampaignSize(year, ANNUAL, sum(by_kind[s] for s in SEASONS)))
    return totals


def year_ranges(years: Sequence[int]) -> str:
    """`2015–2018, 2020, 2022–2024` for those years."""
    spans: list[list[int]] = []
    for year in sorted(set(years)):
        if spans and year == spans[-1][-1] + 1:
            spans[-1].append(year)
        else:
            spans.append([year])
    return ", ".join(str(span[0]) if len(span) == 1 else f"{span[0]}–{span[-1]}" for span in spans)


def baseline_note(
    history: Sequence[Observation], *, lookback_years: int, min_history: int
) -> str | None:
    """What the board says of `callup_size_anomaly` when it cannot judge the latest call-up:
    `baseline too short: autumn 2023–2025 (3 campaigns), 5 needed`; None when it can."""
    callups = [
        obs for obs in history if obs.indicator is Indicator.CALLUP_DECREE and obs.value is not None
    ]
    if not callups:
        return None
    latest = max(callups, key=lambda obs: (obs.event_date, obs.key))
    baseline = baseline_for(latest, callups, lookback_years)
    if not baseline.too_short(min_history):
        return None
    return f"baseline too short: {baseline.describe()}, {min_history} needed"
