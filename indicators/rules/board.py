"""The indicators-and-warnings board: each marker's status, last evidence and date.

docs/markers.md ("The composite level"): every digest shows the level and the markers behind
it, "like an indicators-and-warnings board: each marker with its status (not seen / seen /
escalating), last evidence and date". The board lists the registry's markers of the federal
and money groups; a marker declared without an `evaluate` would be listed as not watched.

A marker's status on the board's day, from its alerts fired on or before that day:

- `not seen`: it never fired;
- `escalating`: within the last `window_days` days (the day itself counted) it fired more
  than once, or its latest alert there is more severe than the alert before it;
- `seen`: it fired, and is not escalating — its last alert is older than the window, or it
  fired once in the window no more severely than before.

Only the analysts' marker alerts count: never the risk level's changes, never operator
alerts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from mobwatch.indicators.model import Alert, Evidence, Observation
from mobwatch.indicators.provenance import is_seed_source
from mobwatch.indicators.rules.alerting import Group
from mobwatch.indicators.rules.campaigns import baseline_note
from mobwatch.indicators.rules.markers import MARKERS, marker_ids
from mobwatch.indicators.rules.risk import RISK_LEVEL_CHANGE, RiskReading, explain, risk_reading_at
from mobwatch.indicators.rules.settings import MarkerConfig
from mobwatch.store.records import severity_rank

# docs/markers.md, "Federal decisions" and "Recruitment money", in the registry's order.
FEDERAL_MARKERS = marker_ids(Group.FEDERAL)
MONEY_MARKERS = marker_ids(Group.MONEY)
GROUPS = ((Group.FEDERAL.value, FEDERAL_MARKERS), (Group.MONEY.value, MONEY_MARKERS))


class Status(StrEnum):
    NOT_SEEN = "not seen"
    SEEN = "seen"
    ESCALATING = "escalating"


@dataclass(frozen=True)
class BoardRow:
    marker: str
    group: str
    status: Status
    watched: bool  # implemented: mobwatch evaluates this marker
    last: Alert | None = None  # the latest alert, whose evidence the board shows
    in_window: int = 0  # alerts in the last `window_days` days
    note: str = ""  # what the marker cannot judge yet ("baseline too short: …")

    @property
    def evidence(self) -> Evidence | None:
        return self.last.evidence[0] if self.last and self.last.evidence else None

    @property
    def seed_only(self) -> bool:
        """Whether the latest alert rests on the seeded history alone, no document read."""
        if self.last is None or not self.last.evidence:
            return False
        return all(is_seed_source(item.source) for item in self.last.evidence)


@dataclass(frozen=True)
class Board:
    as_of: date
    window_days: int
    rows: tuple[BoardRow, ...]
    risk: RiskReading
    risk_reason: str


def marker_status(fired: Sequence[Alert], *, as_of: date, window_days: int) -> Status:
    """The status of one marker from its alerts up to `as_of`, oldest first."""
    if not fired:
        return Status.NOT_SEEN
    start = as_of - timedelta(days=window_days - 1)
    recent = [alert for alert in fired if alert.fired_on >= start]
    if len(recent) > 1:
        return Status.ESCALATING
    if recent and len(fired) > 1:
        latest, before = fired[-1], fired[-2]
        if severity_rank(latest.severity) > severity_rank(before.severity):
            return Status.ESCALATING
    return Status.SEEN


def build_board(
    alerts: Iterable[Alert],
    config: MarkerConfig,
    *,
    as_of: date,
    window_days: int,
    notes: Mapping[str, str] | None = None,
) -> Board:
    """The board on `as_of` from every alert the history raised (`markers.evaluate`);
    `notes` says, by marker, what one cannot judge yet (`board_notes`)."""
    known = [alert for alert in alerts if alert.fired_on <= as_of]
    counted = sorted(
        (a for a in known if a.audience == "analyst" and a.marker != RISK_LEVEL_CHANGE),
        key=lambda alert: (alert.fired_on, alert.fingerprint),
    )
    start = as_of - timedelta(days=window_days - 1)
    rows = []
    for group, markers in GROUPS:
        for marker in markers:
            fired = [alert for alert in counted if alert.marker == marker]
            rows.append(
                BoardRow(
                    marker=marker,
                    group=group,
                    status=marker_status(fired, as_of=as_of, window_days=window_days),
                    watched=marker in MARKERS,
                    last=fired[-1] if fired else None,
                    in_window=sum(alert.fired_on >= start for alert in fired),
                    note=(notes or {}).get(marker, ""),
                )
            )
    reading = risk_reading_at(known, as_of, config)
    return Board(as_of, window_days, tuple(rows), reading, explain(reading, config))


def board_notes(history: Sequence[Observation], config: MarkerConfig) -> dict[str, str]:
    """By marker, what the history is too thin to judge: a size baseline too short."""
    settings = config.callup_size_anomaly
    note = baseline_note(
        history, lookback_years=settings.lookback_years, min_history=settings.min_history
    )
    return {"callup_size_anomaly": note} if note else {}
