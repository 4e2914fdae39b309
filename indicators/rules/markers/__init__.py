"""Every marker, one line each, and their evaluation over the stored history.

A marker is one `Marker` object (`rules.alerting.Marker`) declared beside the function that
evaluates it; listing it in `REGISTRY` below is the one line that adds it. The order here
is the board's order within each group. The registry feeds the markers file's reader (each
marker's `settings` from its `[<id>]` table), the board, and `evaluate`. The composite risk
level is read from the markers' alerts afterwards, so it is not a marker of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from types import MappingProxyType

from mobwatch.indicators.model import Alert, Observation
from mobwatch.indicators.rules.alerting import Group, Marker
from mobwatch.indicators.rules.markers import conscripts, federal, laws, money, operator
from mobwatch.indicators.rules.risk import risk_level_changes
from mobwatch.indicators.rules.settings import MarkerConfig

REGISTRY: tuple[Marker, ...] = (
    federal.MOBILISATION_DECLARED,
    federal.MARTIAL_LAW,
    federal.CALLUP_SIZE_ANOMALY,
    federal.CALLUP_TIMING_ANOMALY,
    federal.DISCHARGE_WITHHELD,
    federal.FORCE_SIZE_INCREASE,
    laws.SERVICE_TERM_CHANGE,
    laws.RESERVIST_CALLUP,
    conscripts.CONSCRIPTS_IN_COMBAT,
    money.FEDERAL_BONUS_CHANGE,
    money.REGIONAL_BONUS_ESCALATION,
    money.REGIONAL_BONUS_RECORD,
    money.REGIONAL_BONUS_CUT,
    operator.SOURCE_FAILING,
    operator.PARSER_DRIFT,
    operator.CHANNEL_FAILING,
)

# The markers evaluated over the history, by id: those with an `evaluate`.
MARKERS: Mapping[str, Marker] = MappingProxyType(
    {marker.id: marker for marker in REGISTRY if marker.evaluate is not None}
)


def marker_ids(group: Group) -> tuple[str, ...]:
    """The ids of `group`'s markers, in the registry's order."""
    return tuple(marker.id for marker in REGISTRY if marker.group is group)


def settings_tables() -> dict[str, type]:
    """The markers file's table of each marker with thresholds: its id to its settings."""
    return {marker.id: marker.settings for marker in REGISTRY if marker.settings is not None}


def evaluate(history: Sequence[Observation], config: MarkerConfig, *, as_of: date) -> list[Alert]:
    """Every alert the history would have raised up to `as_of`, with the risk level's changes.

    Only observations dated on or before `as_of` are read, so an earlier `as_of` replays
    what was known then. The result is sorted by (fired_on, marker) and holds each
    fingerprint once; the same history gives the same list whatever its order.
    """
    known = [obs for obs in history if obs.event_date <= as_of]
    # Duplicates go before the level is read: one decree reported twice is one warning.
    alerts = unique_in_order(
        alert for marker in MARKERS.values() for alert in marker(known, config, as_of=as_of)
    )
    return unique_in_order([*alerts, *risk_level_changes(alerts, config, until=as_of)])


def unique_in_order(alerts: Iterable[Alert]) -> list[Alert]:
    """Sorted by (fired_on, marker, fingerprint); of one fingerprint only the earliest, which
    gains the evidence of the others (one law read from its bill and from its text)."""
    first_seen: dict[str, Alert] = {}
    for alert in sorted(
        alerts, key=lambda alert: (alert.fired_on, alert.marker, alert.fingerprint)
    ):
        first = first_seen.setdefault(alert.fingerprint, alert)
        if first is not alert:
            more = tuple(item for item in alert.evidence if item not in first.evidence)
            if more:
                first_seen[alert.fingerprint] = replace(first, evidence=first.evidence + more)
    return list(first_seen.values())
