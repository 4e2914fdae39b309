"""The federal markers: decrees and laws that step towards forced mobilisation.

One function per marker of the domain notes (docs/markers.md, "Federal decisions"), each
declared as a `Marker` below it with its settings and basis. Each reads the stored history
in the order it became known, so a baseline only ever holds what was known before the act
it judges. The call-up helpers at the module's end serve several of them.

Basis quotes: SCEEUS Report No. 13 (A. Golts, "After the Kursk Incursion: A Turning Point
for Russian Mobilisation?", 2024).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from mobwatch.indicators.model import ANNUAL, Alert, Indicator, Observation, Severity
from mobwatch.indicators.rules.alerting import (
    Group,
    Marker,
    by_date,
    campaign_of,
    day_text,
    fingerprint,
    observation_alert,
    percent,
    persons,
    share_at_least,
    span_text,
)
from mobwatch.indicators.rules.campaigns import SEASONS, baseline_for, callup_kind
from mobwatch.indicators.rules.settings import MarkerConfig, MonthDay

ONE_ALERT_PER_ACT = "act"  # the figure of markers that alert once per act, whatever it says


def mobilisation_declared(
    history: Sequence[Observation], config: MarkerConfig, *, as_of: date
) -> list[Alert]:
    """Critical on every decree that declares, amends or extends mobilisation.

    Basis: "The mobilisation announced in September 2022 has not been officially
    terminated" — a return to it is the main risk the report weighs.
    """
    return [
        observation_alert(
            obs,
            MOBILISATION_DECLARED.id,
            Severity.CRITICAL,
            f"Mobilisation decree{_number(obs)} of {day_text(obs.event_date)}",
            MOBILISATION_DECLARED.basis,
            # The act is the figure: a number learnt from a second source sends nothing new.
            figure=ONE_ALERT_PER_ACT,
        )
        for obs in by_date(history)
        if obs.indicator is Indicator.MOBILISATION_DECREE
    ]


MOBILISATION_DECLARED = Marker(
    id="mobilisation_declared",
    group=Group.FEDERAL,
    description="A decree declares, amends or extends mobilisation.",
    basis=(
        "The mobilisation announced in September 2022 has not been officially terminated, which "
        "in theory allows the Russian government to return to this form of recruitment as soon "
        "as it deems it necessary."
    ),
    evaluate=mobilisation_declared,
)


def martial_law(
    history: Sequence[Observation], config: MarkerConfig, *, as_of: date
) -> list[Alert]:
    """Critical on every decree that introduces martial law or raises a response regime.

    Basis: "The President can extend their term of service only if martial law is
    introduced beforehand."
    """
    return [
        observation_alert(
            obs,
            MARTIAL_LAW.id,
            Severity.CRITICAL,
            _regime_title(obs),
            MARTIAL_LAW.basis,
            figure=ONE_ALERT_PER_ACT,
        )
        for obs in by_date(history)
        if obs.indicator is Indicator.MARTIAL_LAW_DECREE
    ]


def _regime_title(obs: Observation) -> str:
    """What the act itself orders: martial law where it declares it, else the response
    level each region got; a region is never called under martial law otherwise."""
    when = f"{_number(obs)} of {day_text(obs.event_date)}"
    regime = obs.details.get("regime")
    levels = obs.details.get("levels") or {}
    if regime == "martial_law":
        regions = obs.details.get("regions") or []
        where = f" in {', '.join(regions)}" if regions else ""
        return f"Martial law decree{when}: martial law{where}"
    if levels or regime == "response_levels":
        parts = [
            f"{level.replace('_', ' ')}: {', '.join(regions) if regions else 'regions not named'}"
            for level, regions in levels.items()
        ]
        listed = f": {'; '.join(parts)}" if parts else ""
        return f"Response-level decree{when} (no martial law declared){listed}"
    regime_text = f" ({str(regime).replace('_', ' ')})" if regime else ""
    return f"Martial law or response-regime decree{when}{regime_text}"


MARTIAL_LAW = Marker(
    id="martial_law",
    group=Group.FEDERAL,
    description="A decree introduces martial law or sets response levels in regions.",
    basis=(
        "The President can extend their term of service only if martial law is introduced "
        "beforehand."
    ),
    evaluate=martial_law,
)


@dataclass(frozen=True)
class CallupSizeConfig:
    lookback_years: int
    critical_excess: float
    min_history: int  # fewer comparable campaigns known before: the baseline is too short


def callup_size_anomaly(
    history: Sequence[Observation], config: MarkerConfig, *, as_of: date
) -> list[Alert]:
    """A call-up larger than the largest comparable one of the previous years.

    Like with like (`rules.campaigns`): a season against the same season, an annual decree
    (from 2026) against earlier years' totals (an annual decree, or spring plus autumn).
    Warning when it exceeds the largest of the previous `lookback_years` years; critical
    when it exceeds it by `critical_excess` or more. Fewer than `min_history` comparable
    campaigns known before it: no alert, the baseline is too short. The title names the
    campaigns the baseline rests on.
    Basis: "The future intentions of the Russian authorities regarding conscription can be
    judged by the timing and size of the autumn draft"; autumn sizes ranged 120,000–152,000
    over ten years.
    """
    settings = config.callup_size_anomaly
    callups = [obs for obs in by_date(history) if _is_callup(obs)]
    alerts = []
    for obs in callups:
        if obs.value is None:
            continue
        # Only what was known before this decree, of its own kind (campaigns.py).
        baseline = baseline_for(obs, callups, settings.lookback_years)
        largest = baseline.largest
        if largest is None or baseline.too_short(settings.min_history) or obs.value <= largest.size:
            continue
        excess = obs.value - largest.size
        critical = share_at_least(excess, largest.size, settings.critical_excess)
        severity = Severity.CRITICAL if critical else Severity.WARNING
        year, kind = callup_kind(obs)
        size = persons(obs.value)
        if kind == ANNUAL:
            what = f"{year} annual call-up of {size} exceeds the largest yearly total"
        else:
            what = f"{kind.capitalize()} {year} call-up of {size} exceeds the {kind} maximum"
        title = (
            f"{what} of {persons(largest.size)} ({largest.year}) by "
            f"{percent(excess / largest.size)}; baseline: {baseline.describe()}"
        )
        alerts.append(
            observation_alert(
                obs,
                CALLUP_SIZE_ANOMALY.id,
                severity,
                title,
                CALLUP_SIZE_ANOMALY.basis,
                figure=obs.value,
            )
        )
    return alerts


CALLUP_SIZE_ANOMALY = Marker(
    id="callup_size_anomaly",
    group=Group.FEDERAL,
    description="A call-up larger than the largest comparable one (season or year) before it.",
    basis=(
        "The future intentions of the Russian authorities regarding conscription can be judged by "
        "the timing and size of the autumn draft … In the past 10 years, the number conscripted "
        "in the autumn has fluctuated between 120,000 and 150,000."
    ),
    settings=CallupSizeConfig,
    evaluate=callup_size_anomaly,
)


@dataclass(frozen=True)
class CallupTimingConfig:
    spring_start: MonthDay
    spring_end: MonthDay
    autumn_start: MonthDay
    autumn_end: MonthDay
    late_signing_days: int
    missing_decree_grace_days: int
    annual_from_year: int  # conscription all year, under one annual decree, from this year
    annual_signing_from: MonthDay  # the annual decree is usually signed in this window of
    annual_signing_until: MonthDay  # the year before the one it covers

    def usual_period(self, season: str, year: int) -> tuple[date, date]:
        """The usual call-up period of a `spring`, `autumn` or whole-`year` campaign."""
        if season == ANNUAL:
            return date(year, 1, 1), date(year, 12, 31)
        if season == "spring":
            return self.spring_start.in_year(year), self.spring_end.in_year(year)
        return self.autumn_start.in_year(year), self.autumn_end.in_year(year)

    def annual_window(self, year: int) -> tuple[date, date]:
        """When the annual decree for `year` is usually signed (in the year before)."""
        return (
            self.annual_signing_from.in_year(year - 1),
            self.annual_signing_until.in_year(year - 1),
        )


def callup_timing_anomaly(
    history: Sequence[Observation], config: MarkerConfig, *, as_of: date
) -> list[Alert]:
    """Warning on a call-up out of its usual time, or a campaign that starts with no decree.

    Fires when a decree's period differs from the usual one (spring 1 Apr–15 Jul, autumn
    1 Oct–31 Dec), when it is signed more than `late_signing_days` after the usual start,
    and when `missing_decree_grace_days` after a campaign's usual start no decree for it is
    known (checked from the first campaign in the history up to `as_of`). From
    `annual_from_year` a year's campaign is one annual decree, expected in the window
    `annual_signing_from`–`annual_signing_until` of the year before; no spring or autumn
    decree is ever reported missing for a year an annual decree covers.
    Basis: "the timing and size of the autumn draft in 2024, which usually begins on
    October 1. (In 2022 the timing was changed because of the mobilisation …)"
    """
    settings = config.callup_timing_anomaly
    callups = [obs for obs in by_date(history) if _is_callup(obs)]
    alerts = [alert for obs in callups if (alert := _untimely_callup(obs, settings))]
    return alerts + _missing_callups(callups, settings, as_of)


CALLUP_TIMING_ANOMALY = Marker(
    id="callup_timing_anomaly",
    group=Group.FEDERAL,
    description="A call-up out of its usual time, or a campaign starting with no decree.",
    basis=(
        "The future intentions of the Russian authorities regarding conscription can be judged by "
        "the timing and size of the autumn draft in 2024, which usually begins on October 1. (In "
        "2022 the timing was changed because of the mobilisation that took place in October that "
        "year.)"
    ),
    settings=CallupTimingConfig,
    evaluate=callup_timing_anomaly,
)


def discharge_withheld(
    history: Sequence[Observation], config: MarkerConfig, *, as_of: date
) -> list[Alert]:
    """Critical when a call-up decree lacks the discharge order, or an act suspends discharge.

    A decree whose discharge order could not be read (None) raises nothing: only a decree
    read as lacking it does.
    Basis: "The soldiers drafted in 2023 must be discharged by October to November 2024 …
    no legal grounds to keep them at the front."
    """
    alerts = []
    for obs in by_date(history):
        if _is_callup(obs) and obs.details.get("discharge_ordered") is False:
            year, season = campaign_of(obs)
            title = (
                f"{season.capitalize()} {year} call-up decree{_number(obs)} orders no discharge "
                "of conscripts whose term has expired"
            )
            figure = "discharge_not_ordered"
        elif obs.details.get("discharge_suspended") is True:
            act = str(obs.indicator).replace("_", " ")
            title = (
                f"Discharge of conscripts suspended by {act}{_number(obs)} of "
                f"{day_text(obs.event_date)}"
            )
            figure = "discharge_suspended"
        else:
            continue
        alerts.append(
            observation_alert(
                obs,
                DISCHARGE_WITHHELD.id,
                Severity.CRITICAL,
                title,
                DISCHARGE_WITHHELD.basis,
                figure,
            )
        )
    return alerts


DISCHARGE_WITHHELD = Marker(
    id="discharge_withheld",
    group=Group.FEDERAL,
    description="A call-up decree without the discharge order, or an act suspending discharge.",
    basis=(
        "The soldiers drafted in 2023 must be discharged by October to November 2024 … there "
        "would be no legal grounds to keep them at the front."
    ),
    evaluate=discharge_withheld,
)


@dataclass(frozen=True)
class ForceSizeConfig:
    critical_increase: float


def force_size_increase(
    history: Sequence[Observation], config: MarkerConfig, *, as_of: date
) -> list[Alert]:
    """A force-size decree with more servicemen than the decree before it.

    Warning on any rise; critical when servicemen rise by `critical_increase` (10 %) or more
    of the previous decree's figure.
    Basis: "on 16 September 2024, Putin signed a decree on increasing the Armed Forces by
    180,000 soldiers".
    """
    threshold = config.force_size_increase.critical_increase
    decrees = [
        (obs, servicemen)
        for obs in by_date(history)
        if obs.indicator is Indicator.FORCE_SIZE_DECREE
        and (servicemen := _servicemen(obs)) is not None
    ]
    alerts = []
    for (_, previous), (obs, servicemen) in pairwise(decrees):
        rise = servicemen - previous
        if rise <= 0 or previous <= 0:
            continue
        critical = share_at_least(rise, previous, threshold)
        severity = Severity.CRITICAL if critical else Severity.WARNING
        title = (
            f"Force size raised by {persons(rise)} to {persons(servicemen)} servicemen "
            f"(+{percent(rise / previous)})"
        )
        alerts.append(
            observation_alert(
                obs,
                FORCE_SIZE_INCREASE.id,
                severity,
                title,
                FORCE_SIZE_INCREASE.basis,
                figure=servicemen,
            )
        )
    return alerts


FORCE_SIZE_INCREASE = Marker(
    id="force_size_increase",
    group=Group.FEDERAL,
    description="A force-size decree with more servicemen than the one before.",
    basis=(
        "It is noteworthy that on 16 September 2024, Putin signed a decree on increasing the "
        "Armed Forces by 180,000 soldiers."
    ),
    settings=ForceSizeConfig,
    evaluate=force_size_increase,
)


def _untimely_callup(obs: Observation, settings: CallupTimingConfig) -> Alert | None:
    """The timing alert for one decree: its period moved, or its signing late; else None."""
    year, season = callup_kind(obs)
    usual = settings.usual_period(season, year)
    usual_start = usual[0]
    start, end = obs.period_start, obs.period_end
    reasons = []
    if start and end and (start, end) != usual:
        reasons.append(f"runs {span_text(start, end)}, not the usual {span_text(*usual)}")
    if season == ANNUAL:
        opens, closes = settings.annual_window(year)
        if obs.event_date < opens or obs.event_date > closes + timedelta(
            days=settings.late_signing_days
        ):
            reasons.append(
                f"was signed on {day_text(obs.event_date)}, outside the usual window "
                f"{span_text(opens, closes)}"
            )
    elif obs.event_date > usual_start + timedelta(days=settings.late_signing_days):
        reasons.append(
            f"was signed on {day_text(obs.event_date)}, after the usual start "
            f"{day_text(usual_start)}"
        )
    if not reasons:
        return None
    name = f"{year} annual" if season == ANNUAL else f"{season.capitalize()} {year}"
    title = f"{name} call-up " + " and ".join(reasons)
    figure = f"{obs.period_start}..{obs.period_end} signed {obs.event_date}"
    return observation_alert(
        obs, CALLUP_TIMING_ANOMALY.id, Severity.WARNING, title, CALLUP_TIMING_ANOMALY.basis, figure
    )


def _missing_callups(
    callups: Sequence[Observation], settings: CallupTimingConfig, as_of: date
) -> list[Alert]:
    """A warning for each campaign whose start passed with no decree known for it."""
    if not callups:
        return []
    kinds = {callup_kind(obs) for obs in callups}
    first = min(_campaign_order(year, kind) for year, kind in kinds)
    grace = timedelta(days=settings.missing_decree_grace_days)
    alerts = []
    for year, season in _expected_campaigns(kinds, settings, first, as_of.year):
        usual_start, _ = settings.usual_period(season, year)
        deadline = usual_start + grace
        known = any(
            callup_kind(obs) == (year, season) and obs.event_date < deadline for obs in callups
        )
        if deadline > as_of or known:
            continue
        key = f"{Indicator.CALLUP_DECREE}:{year}-{season}"
        name = f"the {year} annual call-up" if season == ANNUAL else f"the {season} {year} call-up"
        alerts.append(
            Alert(
                marker=CALLUP_TIMING_ANOMALY.id,
                severity=Severity.WARNING,
                title=(
                    f"No decree for {name} by {day_text(deadline)} "
                    f"(the campaign usually starts {day_text(usual_start)})"
                ),
                fingerprint=fingerprint(CALLUP_TIMING_ANOMALY.id, key, "missing"),
                fired_on=deadline,
                basis=CALLUP_TIMING_ANOMALY.basis,
            )
        )
    return alerts


def _expected_campaigns(
    kinds: set[tuple[int, str]],
    settings: CallupTimingConfig,
    first: tuple[int, int],
    last_year: int,
) -> list[tuple[int, str]]:
    """The campaigns a decree is due for, from the first known one to `last_year`: a year
    an annual decree covers expects no season; from `annual_from_year`, a year expects its
    annual decree unless a seasonal one shows it kept the old calendar."""
    expected = []
    for year in range(first[0], last_year + 1):
        if (year, ANNUAL) in kinds:
            continue
        seasonal = any((year, season) in kinds for season in SEASONS)
        annual = year >= settings.annual_from_year and not seasonal
        wanted = [ANNUAL] if annual else list(SEASONS)
        expected += [(year, kind) for kind in wanted if _campaign_order(year, kind) >= first]
    return expected


def _campaign_order(year: int, kind: str) -> tuple[int, int]:
    """Calendar order: a year's annual campaign and its spring open it, autumn follows."""
    return year, 1 if kind == "autumn" else 0


def _is_callup(obs: Observation) -> bool:
    return obs.indicator is Indicator.CALLUP_DECREE


def _servicemen(obs: Observation) -> int | None:
    servicemen = obs.value if obs.value is not None else obs.details.get("servicemen")
    return int(servicemen) if servicemen is not None else None


def _number(obs: Observation) -> str:
    return f" No. {obs.document_number}" if obs.document_number else ""
