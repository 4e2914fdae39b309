"""Which silence, if any, mutes an alert: the marker, and the region or source if given."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from mobwatch.indicators.model import Alert
from mobwatch.indicators.rules.markers import REGISTRY
from mobwatch.indicators.rules.risk import RISK_LEVEL_CHANGE
from mobwatch.store.silences import Silence


def matches(silence: Silence, alert: Alert, region: str | None) -> bool:
    if silence.marker != alert.marker:
        return False
    if silence.region and (region or "").casefold() != silence.region.casefold():
        return False
    sources = {item.source for item in alert.evidence if item.source}
    return not silence.source or silence.source in sources


def silence_for(
    alert: Alert, silences: Sequence[Silence], regions: Mapping[str, str]
) -> Silence | None:
    """The first active silence that mutes `alert` (`regions`: observation key → region)."""
    region = regions.get(alert.observation_key or "")
    return next((s for s in silences if matches(s, alert, region)), None)


def known_markers() -> frozenset[str]:
    """The marker names an alert can carry: what a silence may name."""
    return frozenset({*(marker.id for marker in REGISTRY), RISK_LEVEL_CHANGE})
