"""The domain's plain data: observations (facts read from sources) and alerts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

ACT_KEY = "act_key"  # details: the identity a report of an act took from an earlier one
ANNUAL = "year"  # the campaign of an annual call-up decree, beside "spring" and "autumn"


def is_whole_year(start: date | None, end: date | None) -> bool:
    """Whether a period is one calendar year, 1 January to 31 December."""
    return (
        start is not None
        and end is not None
        and (start.month, start.day, end.month, end.day) == (1, 1, 12, 31)
        and start.year == end.year
    )


class Indicator(StrEnum):
    CALLUP_DECREE = "callup_decree"
    FORCE_SIZE_DECREE = "force_size_decree"
    MOBILISATION_DECREE = "mobilisation_decree"
    MARTIAL_LAW_DECREE = "martial_law_decree"
    SERVICE_LAW = "service_law"
    FEDERAL_BONUS = "federal_bonus"
    REGIONAL_BONUS = "regional_bonus"
    CONSCRIPTS_IN_COMBAT = "conscripts_in_combat"
    SERVICE_BILL = "service_bill"  # a bill on military service, one observation per stage
    RESERVIST_CALLUP = "reservist_callup"  # reservists called to assemblies, or a law on it


class Confidence(StrEnum):
    OFFICIAL = "official"  # read from the issuing authority's own publication
    REPORTED = "reported"  # read from news or a channel
    UNVERIFIED = "unverified"  # seeded history marked "check": any fetched document wins


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"


@dataclass(frozen=True)
class Evidence:
    url: str
    quote: str
    source: str = ""
    title: str = ""


@dataclass
class Observation:
    """One real-world fact, however many sources report it."""

    indicator: Indicator
    event_date: date
    title: str
    url: str
    source: str
    evidence: str
    value: int | None = None
    unit: str | None = None
    region: str | None = None
    period_start: date | None = None
    period_end: date | None = None
    document_number: str | None = None
    confidence: Confidence = Confidence.REPORTED
    # The first day a source made it public (its publication date); None when no report
    # said (the seeded history). The backtest fires nothing before it.
    published: date | None = None
    # Facts that are not the headline value: discharge_ordered, total_strength, regime, …
    details: dict[str, Any] = field(default_factory=dict)
    links: list[Evidence] = field(default_factory=list)

    @property
    def key(self) -> str:
        """The identity that makes several reports of one act a single observation.

        A call-up campaign is one per season, whatever date or number a report gives it;
        a force-size decree is known by its signing date; a regional payment by its
        announcement (subject, amount, month: `extract.announcements`); other acts by
        number and date, or the identity an earlier report of the same act was stored under
        (`details["act_key"]`, `extract.act_identity`).
        """
        if ACT_KEY in self.details:
            return str(self.details[ACT_KEY])
        if self.indicator is Indicator.CALLUP_DECREE:
            return f"{self.indicator}:{self.campaign}"
        if self.indicator is Indicator.FORCE_SIZE_DECREE:
            return f"{self.indicator}:{self.event_date.isoformat()}"
        if self.indicator is Indicator.REGIONAL_BONUS and self.details.get("announcement"):
            return f"{self.indicator}:{self.details['announcement']}"
        if self.indicator is Indicator.SERVICE_BILL:  # each stage of a bill is a fact
            return f"{self.indicator}:{self.document_number}:{self.details.get('stage')}"
        if self.indicator is Indicator.CONSCRIPTS_IN_COMBAT:  # one statement per report
            return f"{self.indicator}:{self.url}"
        if self.indicator in (Indicator.REGIONAL_BONUS, Indicator.FEDERAL_BONUS):
            return f"{self.indicator}:{self.region or 'RU'}:{self.event_date.isoformat()}"
        return f"{self.indicator}:{self.document_number or ''}:{self.event_date.isoformat()}"

    @property
    def campaign(self) -> str:
        """`2024-autumn` for a call-up: the season its period starts in (or it was signed in);
        `2026-year` for a decree whose period is a whole calendar year (conscription runs all
        year from 2026, under one annual decree)."""
        start = self.period_start or self.event_date
        if is_whole_year(self.period_start, self.period_end):
            return f"{start.year}-{ANNUAL}"
        season = "spring" if start.month <= 7 else "autumn"
        return f"{start.year}-{season}"


@dataclass(frozen=True)
class Alert:
    marker: str
    severity: Severity
    title: str  # English, one line
    fingerprint: str  # stable across runs: the same evidence alerts once
    fired_on: date  # the date the evidence became public
    evidence: tuple[Evidence, ...] = ()
    basis: str = ""  # the report's words the marker rests on
    observation_key: str | None = None
    audience: str = "analyst"  # "operator" for the watch's own health
    created_at: datetime | None = None
    delivered: dict[str, str] = field(default_factory=dict)
