"""The money markers: what regions and the state pay for signing a contract.

One function per marker of the domain notes (docs/markers.md, "Recruitment money"), each
declared as a `Marker` below it with its settings and basis; the readings of the regions'
payments at the module's end serve several of them. Each reads
the stored history in the order it became known; a region's previous amount is
the previous amount its announcement states («вместо 1,6 млн»), else its latest earlier
observation. Amounts are roubles, the regional part only (`mobwatch.indicators.extract.bonuses`).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from itertools import pairwise
from statistics import median

from mobwatch.indicators.model import Alert, Indicator, Observation, Severity
from mobwatch.indicators.regions import region_names
from mobwatch.indicators.rules.alerting import (
    Group,
    Marker,
    by_date,
    day_text,
    evidence_of,
    fingerprint,
    observation_alert,
    percent,
    share_at_least,
)
from mobwatch.indicators.rules.settings import MarkerConfig

MAX_EVIDENCE = 12  # the raises quoted by an escalation alert, most recent first


def federal_bonus_change(
    history: Sequence[Observation], config: MarkerConfig, *, as_of: date
) -> list[Alert]:
    """Warning when the federal one-off payment for signing a contract changes.

    Basis: "Putin has doubled the one-off federal payment (additional to regional
    payments) for signing a contract from 200,000 to 400,000 roubles."
    """
    payments = [
        obs
        for obs in by_date(history)
        if obs.indicator is Indicator.FEDERAL_BONUS and obs.value is not None
    ]
    alerts = []
    for before, obs in pairwise(payments):
        if obs.value == before.value:
            continue
        verb = "raised" if (obs.value or 0) > (before.value or 0) else "lowered"
        effective = f", from {day_text(obs.period_start)}" if obs.period_start else ""
        title = (
            f"Federal signing payment {verb} from {roubles(before.value)} to "
            f"{roubles(obs.value)}{effective}"
        )
        alerts.append(
            observation_alert(
                obs,
                FEDERAL_BONUS_CHANGE.id,
                Severity.WARNING,
                title,
                FEDERAL_BONUS_CHANGE.basis,
                obs.value,
            )
        )
    return alerts


FEDERAL_BONUS_CHANGE = Marker(
    id="federal_bonus_change",
    group=Group.MONEY,
    description="The federal one-off payment for signing a contract changes.",
    basis=(
        "The difficult recruitment situation is also indicated by the fact that Putin has doubled "
        "the one-off federal payment (additional to regional payments) for signing a contract "
        "from 200,000 to 400,000 roubles."
    ),
    evaluate=federal_bonus_change,
)


@dataclass(frozen=True)
class RegionalEscalationConfig:
    window_days: int
    min_regions: int
    median_lookback_days: int
    median_rise: float


def regional_bonus_escalation(
    history: Sequence[Observation], config: MarkerConfig, *, as_of: date
) -> list[Alert]:
    """Warning when regions start outbidding each other: within `window_days`,
    `min_regions` or more distinct regions raise their payment, or the median of the
    regions' current payments rises `median_rise` or more against `median_lookback_days`
    earlier. One alert per episode: it fires on the first day either holds, and again
    only after both have lapsed.

    Basis: "regional authorities are forced to constantly increase the amount of money
    paid for signing a contract" — the voluntary stream is drying up.
    """
    settings = config.regional_bonus_escalation
    payments = regional_payments(history)
    if not payments:
        return []
    previous = previous_amounts(payments)
    raises = [obs for obs in payments if is_raise(obs, previous[obs.key])]
    raise_dates = [obs.event_date for obs in raises]
    window = timedelta(days=settings.window_days)
    lookback = timedelta(days=settings.median_lookback_days)
    now = AmountsAsOf(payments)
    then = AmountsAsOf(payments)
    alerts: list[Alert] = []
    active = False
    # Both readings only change when a payment enters or leaves a window: look on those
    # days alone (the first day either holds is always one of them).
    for day in _change_days(payments, raises, window, lookback, as_of):
        recent = raises[bisect_right(raise_dates, day - window) : bisect_right(raise_dates, day)]
        regions = {obs.region for obs in recent}
        rise = _median_rise(now.on(day), then.on(day - lookback), settings.min_regions)
        by_count = len(regions) >= settings.min_regions
        by_median = rise is not None and rise >= Fraction(str(settings.median_rise))
        if (by_count or by_median) and not active:
            alerts.append(_escalation_alert(day, recent, regions, rise, by_count, settings))
        active = by_count or by_median
    return alerts


REGIONAL_BONUS_ESCALATION = Marker(
    id="regional_bonus_escalation",
    group=Group.MONEY,
    description="Regions outbid each other: many raise their payments, or the median rises.",
    basis=(
        "The growing difficulties with voluntary recruitment are also indicated by the fact that "
        "in an effort to attract people to the army, regional authorities are forced to "
        "constantly increase the amount of money paid for signing a contract."
    ),
    settings=RegionalEscalationConfig,
    evaluate=regional_bonus_escalation,
)


def _change_days(
    payments: Sequence[Observation],
    raises: Sequence[Observation],
    window: timedelta,
    lookback: timedelta,
    as_of: date,
) -> list[date]:
    start = payments[0].event_date
    days = {obs.event_date for obs in payments} | {obs.event_date + lookback for obs in payments}
    days |= {obs.event_date + window for obs in raises}
    return sorted(day for day in days | {start} if start <= day <= as_of)


@dataclass(frozen=True)
class RegionalRecordConfig:
    min_regions_on_record: int


def regional_bonus_record(
    history: Sequence[Observation], config: MarkerConfig, *, as_of: date
) -> list[Alert]:
    """Info when a region's payment tops the highest regional payment on record (once at
    least `min_regions_on_record` regions' payments are known).

    Basis: "In Moscow and St Petersburg, for example, each person who signs a contract is
    paid about 2,000,000 roubles … there is real competition between the regions."
    """
    settings = config.regional_bonus_record
    record: Observation | None = None
    regions: set[str] = set()
    alerts = []
    for obs in regional_payments(history):
        value = obs.value or 0
        if (
            record is not None
            and value > (record.value or 0)
            and len(regions) >= settings.min_regions_on_record
            and not obs.details.get("up_to")
        ):
            title = (
                f"Record regional signing payment: {_region(obs)} {roubles(value)} "
                f"(previous record {roubles(record.value)}, {_region(record)}, "
                f"{day_text(record.event_date)})"
            )
            alerts.append(
                observation_alert(
                    obs,
                    REGIONAL_BONUS_RECORD.id,
                    Severity.INFO,
                    title,
                    REGIONAL_BONUS_RECORD.basis,
                    value,
                )
            )
        if record is None or value > (record.value or 0):
            record = obs
        regions.add(obs.region or "")
    return alerts


REGIONAL_BONUS_RECORD = Marker(
    id="regional_bonus_record",
    group=Group.MONEY,
    description="A region's payment tops the highest regional payment on record.",
    basis=(
        "In Moscow and St Petersburg, for example, each person who signs a contract is paid about "
        "2,000,000 roubles (US$ 22,250) as a regional payment. … In this situation, there is real "
        "competition between the regions."
    ),
    settings=RegionalRecordConfig,
    evaluate=regional_bonus_record,
)


@dataclass(frozen=True)
class RegionalCutConfig:
    min_drop: float


def regional_bonus_cut(
    history: Sequence[Observation], config: MarkerConfig, *, as_of: date
) -> list[Alert]:
    """Info when a region lowers its payment against its previous amount (by more than
    `min_drop` of it).

    Basis: "Since this money is taken from regional budgets, richer regions have greater
    opportunities to fill quotas" — a cut may be budget strain or a quota met; it is
    reported, not judged.
    """
    threshold = config.regional_bonus_cut.min_drop
    payments = regional_payments(history)
    alerts = []
    previous_by_key = previous_amounts(payments)
    for obs in payments:
        previous = previous_by_key[obs.key]
        value = obs.value or 0
        if (
            previous is None
            or value >= previous
            or not share_at_least(previous - value, previous, threshold)
        ):
            continue
        title = (
            f"{_region(obs)} cut its signing payment from {roubles(previous)} to "
            f"{roubles(value)} (-{percent((previous - value) / previous)})"
        )
        alerts.append(
            observation_alert(
                obs, REGIONAL_BONUS_CUT.id, Severity.INFO, title, REGIONAL_BONUS_CUT.basis, value
            )
        )
    return alerts


REGIONAL_BONUS_CUT = Marker(
    id="regional_bonus_cut",
    group=Group.MONEY,
    description="A region lowers its payment.",
    basis=(
        "Since this money is taken from regional budgets, richer regions have greater "
        "opportunities to fill quotas. (A cut is ambiguous: budget strain, or a quota already "
        "met; it is reported, not judged.)"
    ),
    settings=RegionalCutConfig,
    evaluate=regional_bonus_cut,
)


# --- shared readings of the history ---------------------------------------------------------


def regional_payments(history: Sequence[Observation]) -> list[Observation]:
    """The regional signing payments with an amount, in the order they became known."""
    return [
        obs
        for obs in by_date(history)
        if obs.indicator is Indicator.REGIONAL_BONUS and obs.value and obs.region
    ]


def previous_amounts(payments: Sequence[Observation]) -> dict[str, int | None]:
    """Each payment's previous amount for its region, in one pass over the history: the
    one its announcement states («вместо 1,6 млн»), which no gap in the stored history
    can hide; else the region's latest earlier amount."""
    latest: dict[str | None, int] = {}
    previous: dict[str, int | None] = {}
    for obs in by_date(payments):
        stated = obs.details.get("previous")
        stated_ok = isinstance(stated, int) and stated > 0
        previous[obs.key] = stated if stated_ok else latest.get(obs.region)
        if obs.value:
            latest[obs.region] = obs.value
    return previous


def is_raise(obs: Observation, previous: int | None) -> bool:
    """A higher amount than before; with no amount known before, an announced rise or a
    new payment."""
    if previous is not None:
        return (obs.value or 0) > previous
    return obs.details.get("change") in ("increase", "new")


class AmountsAsOf:
    """Each region's latest amount as of a day, for days asked in increasing order: one
    pass over the payments however many days are asked."""

    def __init__(self, payments: Sequence[Observation]) -> None:
        self._payments = by_date(payments)
        self._next = 0
        self._amounts: dict[str, int] = {}

    def on(self, day: date) -> dict[str, int]:
        while self._next < len(self._payments) and self._payments[self._next].event_date <= day:
            obs = self._payments[self._next]
            if obs.region and obs.value:
                self._amounts[obs.region] = obs.value
            self._next += 1
        return self._amounts


def current_amounts(payments: Sequence[Observation], day: date) -> dict[str, int]:
    """Each region's latest amount announced on or before `day`."""
    return dict(AmountsAsOf(payments).on(day))


def _median_rise(now: dict[str, int], then: dict[str, int], min_regions: int) -> Fraction | None:
    """How much the median payment of the regions paying on both days rose over the
    lookback; None when too few regions paid then."""
    both = sorted(set(now) & set(then))
    if len(both) < min_regions:
        return None
    # Exact arithmetic, as `share_at_least`: a rise of exactly 25 % must reach 25 %.
    before = Fraction(median(then[region] for region in both))
    return Fraction(median(now[region] for region in both)) / before - 1 if before else None


def _escalation_alert(
    day: date,
    recent: list[Observation],
    regions: set[str | None],
    rise: Fraction | None,
    by_count: bool,
    settings: RegionalEscalationConfig,
) -> Alert:
    if by_count:
        title = (
            f"{len(regions)} regions raised their signing payments within "
            f"{settings.window_days} days (to {day_text(day)})"
        )
        figure = f"regions:{len(regions)}"
    else:
        title = (
            f"Median regional signing payment up {percent(float(rise or 0))} on "
            f"{settings.median_lookback_days} days earlier (to {day_text(day)})"
        )
        figure = f"median:{round(float(rise or 0) * 100)}"
    evidence = tuple(link for obs in reversed(recent[-MAX_EVIDENCE:]) for link in evidence_of(obs))
    return Alert(
        marker=REGIONAL_BONUS_ESCALATION.id,
        severity=Severity.WARNING,
        title=title,
        fingerprint=fingerprint(REGIONAL_BONUS_ESCALATION.id, day.isoformat(), figure),
        fired_on=day,
        evidence=evidence,
        basis=REGIONAL_BONUS_ESCALATION.basis,
    )


def _region(obs: Observation) -> str:
    return f"{obs.region} ({region_names().get(obs.region or '', '?')})"


def roubles(amount: int | None) -> str:
    return f"{amount or 0:,} RUB"
