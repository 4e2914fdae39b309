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

from mobwatch.indicators.model import Alert, Indicator, Observation, Severity
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
from mobwatch.indicators.rules.settings import MarkerConfig, MonthDay

SEASONS = ("spring", "autumn")  # in calendar order


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
            figure=obs.document_number,
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
    alerts = []
    for obs in by_date(history):
        if obs.indicator is not Indicator.MARTIAL_LAW_DECREE:
            continue
        regime = obs.details.get("regime")
        regime_text = f" ({str(regime).replace('_', ' ')})" if regime else ""
        title = f"Martial law decree{_number(obs)} of {day_text(obs.event_date)}{regime_text}"
        alerts.append(
            observation_alert(
                obs, MARTIAL_LAW.id, Severity.CRITICAL, title, MARTIAL_LAW.basis, figure=regime
            )
        )
    return alerts


MARTIAL_LAW = Marker(
    id="martial_law",
    group=Group.FEDERAL,
    description="A decree introduces martial law or raises a response regime.",
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


def callup_size_anomaly(
    history: Sequence[Observation], config: MarkerConfig, *, as_of: date
) -> list[Alert]:
    """A call-up larger than the same season's largest in the previous years.

    Warning when it exceeds the largest call-up of its season in the previous
    `lookback_years` campaign years; critical when it exceeds it by `critical_excess` or more.
    Basis: "The future intentions of the Russian authorities regarding conscription can be
    judged by the timing and size of the autumn draft"; autumn sizes ranged 120,000–152,000
    over ten years.
    """
    settings = config.callup_size_anomaly
    callups = [
        (obs, campaign_of(obs), size)
        for obs in by_date(history)
        if _is_callup(obs) and (size := obs.value) is not None
    ]
    alerts = []
    for obs, (year, season), size in callups:
        # Only what was known before this decree, from the same season's previous years.
        baseline = [
            (earlier_size, earlier_year)
            for earlier, (earlier_year, earlier_season), earlier_size in callups
            if earlier.event_date < obs.event_date
            and earlier_season == season
            and year - settings.lookback_years <= earlier_year < year
        ]
        if not baseline:
            continue
        # The most recent year holding the maximum names it, should two years tie.
        largest, largest_year = max(baseline)
        if size <= largest:
            continue
        excess = size - largest
        critical = share_at_least(excess, largest, settings.critical_excess)
        severity = Severity.CRITICAL if critical else Severity.WARNING
        title = (
            f"{season.capitalize()} {year} call-up of {persons(size)} exceeds the "
            f"{settings.lookback_years}-year {season} maximum of {persons(largest)} "
            f"({largest_year}) by {percent(excess / largest)}"
        )
        alerts.append(
            observation_alert(
                obs, CALLUP_SIZE_ANOMALY.id, severity, title, CALLUP_SIZE_ANOMALY.basis, figure=size
            )
        )
    return alerts


CALLUP_SIZE_ANOMALY = Marker(
    id="callup_size_anomaly",
    group=Group.FEDERAL,
    description="A call-up larger than its season's largest of the previous years.",
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

    def usual_period(self, season: str, year: int) -> tuple[date, date]:
        """The usual call-up period of a `spring` or `autumn` campaign in `year`."""
        if season == "spring":
            return self.spring_start.in_year(year), self.spring_end.in_year(year)
        return self.autumn_start.in_year(year), self.autumn_end.in_year(year)


def callup_timing_anomaly(
    history: Sequence[Observation], config: MarkerConfig, *, as_of: date
) -> list[Alert]:
    """Warning on a call-up out of its usual time, or a campaign that starts with no decree.

    Fires when a decree's period differs from the usual one (spring 1 Apr–15 Jul, autumn
    1 Oct–31 Dec), when it is signed more than `late_signing_days` after the usual start,
    and when `missing_decree_grace_days` after a campaign's usual start no decree for it is
    known (checked from the first campaign in the history up to `as_of`).
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
    year, season = campaign_of(obs)
    usual = settings.usual_period(season, year)
    usual_start = usual[0]
    start, end = obs.period_start, obs.period_end
    reasons = []
    if start and end and (start, end) != usual:
        reasons.append(f"runs {span_text(start, end)}, not the usual {span_text(*usual)}")
    if obs.event_date > usual_start + timedelta(days=settings.late_signing_days):
        reasons.append(
            f"was signed on {day_text(obs.event_date)}, after the usual start "
            f"{day_text(usual_start)}"
        )
    if not reasons:
        return None
    title = f"{season.capitalize()} {year} call-up " + " and ".join(reasons)
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
    first = min(_campaign_order(obs) for obs in callups)
    campaigns = [
        (year, season)
        for year in range(first[0], as_of.year + 1)
        for season in SEASONS
        if (year, SEASONS.index(season)) >= first
    ]
    grace = timedelta(days=settings.missing_decree_grace_days)
    alerts = []
    for year, season in campaigns:
        usual_start, _ = settings.usual_period(season, year)
        deadline = usual_start + grace
        known = any(
            campaign_of(obs) == (year, season) and obs.event_date < deadline for obs in callups
        )
        if deadline > as_of or known:
            continue
        key = f"{Indicator.CALLUP_DECREE}:{year}-{season}"
        alerts.append(
            Alert(
                marker=CALLUP_TIMING_ANOMALY.id,
                severity=Severity.WARNING,
                title=(
                    f"No decree for the {season} {year} call-up by {day_text(deadline)} "
                    f"(the campaign usually starts {day_text(usual_start)})"
                ),
                fingerprint=fingerprint(CALLUP_TIMING_ANOMALY.id, key, "missing"),
                fired_on=deadline,
                basis=CALLUP_TIMING_ANOMALY.basis,
            )
        )
    return alerts


def _campaign_order(obs: Observation) -> tuple[int, int]:
    year, season = campaign_of(obs)
    return year, SEASONS.index(season)


def _is_callup(obs: Observation) -> bool:
    return obs.indicator is Indicator.CALLUP_DECREE


def _servicemen(obs: Observation) -> int | None:
    servicemen = obs.value if obs.value is not None else obs.details.get("servicemen")
    return int(servicemen) if servicemen is not None else None


def _number(obs: Observation) -> str:
    return f" No. {obs.document_number}" if obs.document_number else ""
