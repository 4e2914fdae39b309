"""All the markers, by id, and their evaluation over the stored history.

A marker is one function (see `rules.alerting.Marker`); registering it here is one
line, and `evaluate` runs it with the rest. The composite risk level is read from the
markers' alerts afterwards, so it is not a marker of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from types import MappingProxyType

from mobwatch.indicators.model import Alert, Observation
from mobwatch.indicators.rules.alerting import Marker
from mobwatch.indicators.rules.config import MarkerConfig
from mobwatch.indicators.rules.markers_federal import (
    callup_size_anomaly,
    callup_timing_anomaly,
    discharge_withheld,
    force_size_increase,
    martial_law,
    mobilisation_declared,
)
from mobwatch.indicators.rules.markers_money import (
    federal_bonus_change,
    regional_bonus_cut,
    regional_bonus_escalation,
    regional_bonus_record,
)
from mobwatch.indicators.rules.risk import risk_level_changes

MARKERS: Mapping[str, Marker] = MappingProxyType(
    {
        "mobilisation_declared": mobilisation_declared,
        "martial_law": martial_law,
        "callup_size_anomaly": callup_size_anomaly,
        "callup_timing_anomaly": callup_timing_anomaly,
        "discharge_withheld": discharge_withheld,
        "force_size_increase": force_size_increase,
        "federal_bonus_change": federal_bonus_change,
        "regional_bonus_escalation": regional_bonus_escalation,
        "regional_bonus_record": regional_bonus_record,
        "regional_bonus_cut": regional_bonus_cut,
    }
)


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
    """Sorted by (fired_on, marker, fingerprint); of one fingerprint only the earliest."""
    first_seen: dict[str, Alert] = {}
    for alert in sorted(
        alerts, key=lambda alert: (alert.fired_on, alert.marker, alert.fingerprint)
    ):
        first_seen.setdefault(alert.fingerprint, alert)
    return list(first_seen.values())
