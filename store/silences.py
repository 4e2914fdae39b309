"""Silences and held-back alerts: the store's part that every worker sharing it sees.

A silence mutes a marker (optionally one region's or one source's alerts of it) until a
given moment; it always ends, and can be ended early. When the outbox holds an alert back
(silenced, or inhibited by another alert) it records why here, once per alert: the
`alerts` command shows it, and the digest lists what was silenced and by whom.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from mobwatch.store.database import Database, to_utc, utc_now
from mobwatch.store.tables import alert_holds, observations, silences


@dataclass(frozen=True)
class Silence:
    id: int
    marker: str
    region: str | None
    source: str | None
    until: datetime
    created_by: str
    comment: str
    created_at: datetime
    expired_at: datetime | None = None

    def active(self, now: datetime) -> bool:
        end = min(self.until, self.expired_at) if self.expired_at else self.until
        return now < end

    def describe(self) -> str:
        scope = "".join(
            f" {name}={value}"
            for name, value in (("region", self.region), ("source", self.source))
            if value
        )
        return (
            f"silence {self.id}: {self.marker}{scope} until {self.until:%Y-%m-%d %H:%M} UTC, "
            f"by {self.created_by}: {self.comment}"
        )


@dataclass(frozen=True)
class Hold:
    fingerprint: str
    kind: str
    reason: str
    held_at: datetime


def _aware(moment: datetime) -> datetime:
    # SQLite hands datetimes back naive; they were written in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _silence(row: sa.Row[object]) -> Silence:
    return Silence(
        id=row.id,
        marker=row.marker,
        region=row.region,
        source=row.source,
        until=_aware(row.until),
        created_by=row.created_by,
        comment=row.comment,
        created_at=_aware(row.created_at),
        expired_at=_aware(row.expired_at) if row.expired_at else None,
    )


class Silences(Database):
    """The store's part for silences and held-back alerts."""

    def add_silence(
        self,
        *,
        marker: str,
        until: datetime,
        by: str,
        comment: str,
        region: str | None = None,
        source: str | None = None,
        now: datetime | None = None,
    ) -> Silence:
        values = {
            "marker": marker,
            "region": region,
            "source": source,
            "until": to_utc(until),
            "created_by": by,
            "comment": comment,
            "created_at": to_utc(now or utc_now()),
        }
        with self.writing() as conn:
            new_id = conn.execute(silences.insert().values(**values)).inserted_primary_key[0]
            row = conn.execute(sa.select(silences).where(silences.c.id == new_id)).one()
        return _silence(row)

    def silences(self) -> list[Silence]:
        """Every silence, in force and ended, oldest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(silences).order_by(silences.c.id))
            return [_silence(row) for row in rows]

    def active_silences(self, now: datetime) -> list[Silence]:
        return [silence for silence in self.silences() if silence.active(now)]

    def expire_silence(self, silence_id: int, *, now: datetime | None = None) -> Silence | None:
        """End a silence now; None when there is no such silence."""
        with self.writing() as conn:
            conn.execute(
                silences.update()
                .where(silences.c.id == silence_id, silences.c.expired_at.is_(None))
                .values(expired_at=to_utc(now or utc_now()))
            )
            row = conn.execute(sa.select(silences).where(silences.c.id == silence_id)).first()
        return _silence(row) if row is not None else None

    def hold_alert(self, fingerprint: str, kind: str, reason: str, *, at: datetime) -> None:
        """Record why an alert was held back; the first reason recorded stays."""
        try:
            with self.writing() as conn:
                known = conn.execute(
                    sa.select(alert_holds.c.fingerprint).where(
                        alert_holds.c.fingerprint == fingerprint
                    )
                ).first()
                if known is None:
                    conn.execute(
                        alert_holds.insert().values(
                            fingerprint=fingerprint, kind=kind, reason=reason, held_at=to_utc(at)
                        )
                    )
        except IntegrityError:
            pass  # another worker's channel recorded it first: its reason stays

    def holds(self, fingerprints: Iterable[str] | None = None) -> dict[str, Hold]:
        """Fingerprint → why it was held back, for these alerts (default: all)."""
        query = sa.select(alert_holds)
        if fingerprints is not None:
            query = query.where(alert_holds.c.fingerprint.in_(list(fingerprints)))
        with self.engine.connect() as conn:
            return {row.fingerprint: _hold(row) for row in conn.execute(query)}

    def held_since(self, since: datetime) -> list[Hold]:
        query = sa.select(alert_holds).where(alert_holds.c.held_at >= to_utc(since))
        with self.engine.connect() as conn:
            return [_hold(row) for row in conn.execute(query.order_by(alert_holds.c.held_at))]

    def regions_of(self, keys: Iterable[str]) -> dict[str, str]:
        """Observation key → its region, for the acts alerts rest on."""
        wanted = [key for key in keys if key]
        if not wanted:
            return {}
        query = sa.select(observations.c.key, observations.c.record).where(
            observations.c.key.in_(wanted)
        )
        with self.engine.connect() as conn:
            return {
                row.key: row.record["region"]
                for row in conn.execute(query)
                if row.record.get("region")
            }


def _hold(row: sa.Row[object]) -> Hold:
    return Hold(row.fingerprint, row.kind, row.reason, _aware(row.held_at))
