"""The watch watching itself: `source_failing` and `parser_drift` (docs/markers.md, operator part),
and `channel_failing` for a delivery channel (raised by the outbox).

Each is declared as a `Marker` below its function, in the operator's group: they judge the
watch's health rather than the history, so the pass (`operator_alerts`) and the outbox call
them where that health is known. Operator alerts go to the operator, never into the
analysts' feed (`audience="operator"`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Protocol

from mobwatch.indicators.model import Alert, Evidence, Severity
from mobwatch.indicators.rules.alerting import Group, Marker
from mobwatch.indicators.rules.settings import MarkerConfig
from mobwatch.store.health import ChannelHealth, SourceHealth


class RunReport(Protocol):
    """What a source's last run looked like (the fetch stage's report)."""

    source: str
    pages: int
    documents: int
    expected_empty: bool

    @property
    def error(self) -> str | None: ...


def _fingerprint(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def source_state_key(health: SourceHealth) -> str | None:
    """The key of the source's current failure streak (None while it works): the last
    success it follows."""
    if not health.consecutive_failures:
        return None
    since = health.last_success.isoformat() if health.last_success else "never"
    return f"state:source:{health.name}:{since}"


def channel_state_key(health: ChannelHealth) -> str | None:
    """The key of the channel's current failure streak (None while it works)."""
    if not health.consecutive_failures or health.failing_since is None:
        return None
    return f"state:channel:{health.name}:{health.failing_since.isoformat(timespec='seconds')}"


def _streak_alert(
    marker: Marker,
    health: SourceHealth | ChannelHealth,
    title: str,
    since: str,
    key: str | None,
    now: datetime,
) -> Alert:
    """The warning for a failure streak of a source or a channel: one per streak, its
    fingerprint holding when the streak began (`since`), its last error as evidence."""
    return Alert(
        marker=marker.id,
        severity=Severity.WARNING,
        title=title,
        fingerprint=_fingerprint(marker.id, health.name, since),
        fired_on=now.date(),
        evidence=(Evidence(url="", quote=health.last_error or "", source=health.name),),
        observation_key=key,
        audience=marker.audience,
    )


@dataclass(frozen=True)
class SourceFailingConfig:
    failed_runs: int
    stale_hours: int


def source_failing(
    health: SourceHealth, *, failed_runs: int, stale_hours: int, now: datetime
) -> Alert | None:
    """A source that failed `failed_runs` runs in a row, or has not been read for a day.

    One alert per failure streak: the fingerprint holds the last success it follows.
    """
    stale = health.last_success is None or now - health.last_success > timedelta(hours=stale_hours)
    if health.consecutive_failures == 0:
        return None
    if health.consecutive_failures < failed_runs and not (stale and health.last_success):
        return None
    since = health.last_success.isoformat() if health.last_success else "never"
    title = (
        f"Source {health.name} failing: {health.consecutive_failures} runs in a row, "
        f"last success {since}"
    )
    return _streak_alert(SOURCE_FAILING, health, title, since, source_state_key(health), now)


SOURCE_FAILING = Marker(
    id="source_failing",
    group=Group.OPERATOR,
    description="A source failed several runs in a row, or has not been read for a day.",
    settings=SourceFailingConfig,
)


def parser_drift(report: RunReport, health: SourceHealth | None, *, today: date) -> Alert | None:
    """A source answered normally, yet its parser found nothing where it usually finds items."""
    productive_before = health is not None and health.items_seen > report.documents
    if report.error or report.pages == 0 or report.documents or report.expected_empty:
        return None
    if not productive_before:
        return None
    return Alert(
        marker=PARSER_DRIFT.id,
        severity=Severity.WARNING,
        title=f"Source {report.source} parsed to nothing: the page layout may have changed",
        fingerprint=_fingerprint(PARSER_DRIFT.id, report.source, today.isoformat()),
        fired_on=today,
        evidence=(Evidence(url="", quote=f"{report.pages} pages, 0 items", source=report.source),),
        audience=PARSER_DRIFT.audience,
    )


PARSER_DRIFT = Marker(
    id="parser_drift",
    group=Group.OPERATOR,
    description="A source answered normally, yet its parser found nothing.",
)


def channel_failing(
    health: ChannelHealth,
    *,
    waiting: int,
    oldest: datetime,
    failed_runs: int,
    waited: timedelta,
    now: datetime,
) -> Alert | None:
    """A delivery channel that failed `failed_runs` runs in a row, or that has left an alert
    undelivered for longer than `waited`.

    One alert per failure streak: the fingerprint holds the streak's first failed run.
    """
    if not health.consecutive_failures or health.failing_since is None:
        return None
    if health.consecutive_failures < failed_runs and now - oldest < waited:
        return None
    since = health.failing_since.isoformat(timespec="seconds")
    title = (
        f"Delivery channel {health.name} failing: {health.consecutive_failures} runs in a "
        f"row since {since}; {waiting} alerts waiting"
    )
    return _streak_alert(CHANNEL_FAILING, health, title, since, channel_state_key(health), now)


CHANNEL_FAILING = Marker(
    id="channel_failing",
    group=Group.OPERATOR,
    description="A delivery channel keeps failing, or leaves an alert undelivered too long.",
)


def operator_alerts(
    health: Sequence[SourceHealth],
    reports: Sequence[RunReport],
    config: MarkerConfig,
    *,
    as_of: date,
    now: datetime | None = None,
) -> list[Alert]:
    moment = now or datetime.now(UTC)
    by_name = {item.name: item for item in health}
    found = [
        source_failing(
            item,
            failed_runs=config.source_failing.failed_runs,
            stale_hours=config.source_failing.stale_hours,
            now=moment,
        )
        for item in health
    ]
    found += [parser_drift(report, by_name.get(report.source), today=as_of) for report in reports]
    return [alert for alert in found if alert is not None]
