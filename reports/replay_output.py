"""The backtest's alerts as the command and the demo print them: a line or a JSON record."""

from __future__ import annotations

from typing import Any

from mobwatch.alerts.text import one_line
from mobwatch.indicators.rules.replay import Replayed
from mobwatch.store.records import alert_to_record


def replayed_to_record(item: Replayed) -> dict[str, Any]:
    """The alert's record (without delivery state), fired on the day its evidence was
    public, with the event's own date beside it and whether a date is approximate."""
    record = alert_to_record(item.alert)
    for field in ("delivered", "created_at"):
        record.pop(field)
    record["fired_on"] = item.fired_on.isoformat()
    record["event_date"] = item.event_on.isoformat()
    record["approximate"] = item.approximate
    return record


def replayed_line(item: Replayed) -> str:
    """`2024-09-17  critical force_size_increase  … (event 2024-09-16)`; `~` marks an
    approximate date."""
    mark = "~" if item.approximate else " "
    event = f"  (event {item.event_on})" if item.event_on != item.fired_on else ""
    return (
        f"{item.fired_on}{mark} {item.severity:<8} {item.marker:<24} {one_line(item.title)}{event}"
    )
