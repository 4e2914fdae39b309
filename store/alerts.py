"""Alerts raised and their delivery per channel: the outbox's book.

An alert is committed, keyed on its fingerprint, before any send; each channel's delivery
of it is recorded, failed ones with their attempts and the moment of the next try.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from mobwatch.indicators.model import Alert, Severity
from mobwatch.store.channel_lock import ProcessLocks, channel_lock
from mobwatch.store.database import Database, aware, to_utc, utc_now
from mobwatch.store.records import evidence_from_dict, evidence_to_dict
from mobwatch.store.tables import alerts, deliveries


@dataclass(frozen=True)
class RouteSelector:
    """The alerts a channel takes: analysts' alerts of these severities; operator alerts or not."""

    severities: frozenset[str] = frozenset(Severity)
    operator: bool = True


def _routed(selector: RouteSelector) -> sa.ColumnElement[bool]:
    operator = alerts.c.audience == "operator"
    clauses = []
    if selector.severities:
        clauses.append(~operator & alerts.c.severity.in_(sorted(selector.severities)))
    if selector.operator:
        clauses.append(operator)
    return sa.or_(sa.false(), *clauses)


class AlertLog(Database):
    def __init__(self, engine: Engine) -> None:
        super().__init__(engine)
        self._channel_locks = ProcessLocks()

    def delivery_lock(self, channel: str) -> AbstractContextManager[None]:
        """Hold it while draining `channel`: one worker at a time delivers on it, and it goes
        with a killed worker (`channel_lock.py`)."""
        return channel_lock(self.engine, channel, self._channel_locks)

    def record_alert(self, alert: Alert, *, at: datetime | None = None) -> bool:
        """Commit the alert before any send; False when its fingerprint is already known."""
        try:
            with self.writing() as conn:
                conn.execute(
                    alerts.insert().values(
                        fingerprint=alert.fingerprint,
                        marker=alert.marker,
                        severity=str(alert.severity),
                        title=alert.title,
                        fired_on=alert.fired_on,
                        created_at=to_utc(at or utc_now()),
                        evidence=[evidence_to_dict(item) for item in alert.evidence],
                        basis=alert.basis,
                        observation_key=alert.observation_key,
                        audience=alert.audience,
                    )
                )
        except IntegrityError:
            return False
        return True

    def alerts(self) -> list[Alert]:
        """Every alert raised, newest first, with its delivery state per channel."""
        return self._alerts(sa.true(), (alerts.c.created_at.desc(), alerts.c.id.desc()))

    def _alerts(
        self, where: sa.ColumnElement[bool], order: tuple[sa.ColumnElement[Any], ...]
    ) -> list[Alert]:
        chosen = sa.select(alerts.c.id).where(where)
        with self.engine.connect() as conn:
            rows = list(conn.execute(sa.select(alerts).where(where).order_by(*order)))
            states = list(
                conn.execute(sa.select(deliveries).where(deliveries.c.alert_id.in_(chosen)))
            )
        delivered: dict[int, dict[str, str]] = {}
        for state in states:
            moment = aware(state.delivered_at)
            text = moment.isoformat() if moment else f"error: {state.last_error}"
            delivered.setdefault(state.alert_id, {})[state.channel] = text
        return [
            Alert(
                marker=row.marker,
                severity=Severity(row.severity),
                title=row.title,
                fingerprint=row.fingerprint,
                fired_on=row.fired_on,
                evidence=tuple(evidence_from_dict(item) for item in row.evidence),
                basis=row.basis,
                observation_key=row.observation_key,
                audience=row.audience,
                created_at=aware(row.created_at),
                delivered=delivered.get(row.id, {}),
            )
            for row in rows
        ]

    def undelivered(
        self,
        channel: str,
        selector: RouteSelector | None = None,
        *,
        due_at: datetime | None = None,
    ) -> list[Alert]:
        """Alerts routed to a channel and not yet delivered on it, oldest first (the outbox).

        `selector` keeps only the alerts the channel's route takes (default: all); with
        `due_at`, an alert whose retry is set for later is left out.
        """
        selector = selector or RouteSelector()
        state = (deliveries.c.alert_id == alerts.c.id) & (deliveries.c.channel == channel)
        pending = (
            sa.select(alerts.c.id)
            .select_from(alerts.outerjoin(deliveries, state))
            .where(deliveries.c.delivered_at.is_(None))
            .where(_routed(selector))
        )
        if due_at is not None:
            pending = pending.where(
                deliveries.c.next_attempt_at.is_(None)
                | (deliveries.c.next_attempt_at <= to_utc(due_at))
            )
        return self._alerts(alerts.c.id.in_(pending), (alerts.c.fired_on, alerts.c.id))

    def record_delivery(
        self,
        fingerprint: str,
        channel: str,
        error: str | None = None,
        *,
        at: datetime | None = None,
    ) -> int:
        """Record a delivery, or a failed one; returns how many times it has been tried."""
        with self.writing() as conn:
            return _record(conn, fingerprint, channel, error, to_utc(at or utc_now()))

    def record_deliveries(
        self, fingerprints: Sequence[str], channel: str, *, at: datetime | None = None
    ) -> None:
        """Record the alerts of one message as delivered together: all of them or none."""
        moment = to_utc(at or utc_now())
        with self.writing() as conn:
            for fingerprint in fingerprints:
                _record(conn, fingerprint, channel, None, moment)

    def defer(self, fingerprint: str, channel: str, until: datetime) -> None:
        """Hold a failed delivery back until `until` (the outbox's backoff between runs)."""
        alert_id = sa.select(alerts.c.id).where(alerts.c.fingerprint == fingerprint)
        with self.writing() as conn:
            conn.execute(
                deliveries.update()
                .where(deliveries.c.alert_id == alert_id.scalar_subquery())
                .where(deliveries.c.channel == channel)
                .values(next_attempt_at=to_utc(until))
            )


def _record(
    conn: Connection, fingerprint: str, channel: str, error: str | None, at: datetime
) -> int:
    alert_id = conn.execute(
        sa.select(alerts.c.id).where(alerts.c.fingerprint == fingerprint)
    ).scalar_one()
    key = (deliveries.c.alert_id == alert_id) & (deliveries.c.channel == channel)
    attempts = (conn.execute(sa.select(deliveries.c.attempts).where(key)).scalar() or 0) + 1
    conn.execute(deliveries.delete().where(key))
    conn.execute(
        deliveries.insert().values(
            alert_id=alert_id,
            channel=channel,
            delivered_at=None if error else at,
            last_error=error,
            attempts=attempts,
        )
    )
    return attempts
