"""Silences and held-back alerts, kept in the store so every worker sharing it sees them.

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

from mobwatch.store.schema import upgrade as upgrade_schema
from mobwatch.store.store import Store
from mobwatch.store.tables import observations

# Tables of their own beside the store's, created on first use.
metadata = sa.MetaData()

silences = sa.Table(
    "silences",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("marker", sa.String(60), nullable=False),
    sa.Column("region", sa.String(20)),
    sa.Column("source", sa.String(200)),
    sa.Column("until", sa.DateTime(timezone=True), nullable=False),
    sa.Column("created_by", sa.String(200), nullable=False),
    sa.Column("comment", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expired_at", sa.DateTime(timezone=True)),
)

holds = sa.Table(
    "alert_holds",
    metadata,
    sa.Column("fingerprint", sa.String(64), primary_key=True),
    sa.Column("kind", sa.String(20), nullable=False),  # "silenced" or "inhibited"
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("held_at", sa.DateTime(timezone=True), nullable=False),
)


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


class SilenceBook:
    """The silences and holds of one store; creates their tables on first use."""

    def __init__(self, store: Store) -> None:
        self._engine = store.engine
        self._writing = store.writing
        with self._writing() as conn:
            upgrade_schema(conn, metadata)

    def add(
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
            "until": until.astimezone(UTC),
            "created_by": by,
            "comment": comment,
            "created_at": (now or datetime.now(UTC)).astimezone(UTC),
        }
        with self._writing() as conn:
            new_id = conn.execute(silences.insert().values(**values)).inserted_primary_key[0]
            row = conn.execute(sa.select(silences).where(silences.c.id == new_id)).one()
        return _silence(row)

    def all(self) -> list[Silence]:
        with self._engine.connect() as conn:
            rows = conn.execute(sa.select(silences).order_by(silences.c.id))
            return [_silence(row) for row in rows]

    def active(self, now: datetime) -> list[Silence]:
        return [silence for silence in self.all() if silence.active(now)]

    def expire(self, silence_id: int, *, now: datetime | None = None) -> Silence | None:
        """End a silence now; None when there is no such silence."""
        moment = (now or datetime.now(UTC)).astimezone(UTC)
        with self._writing() as conn:
            found = conn.execute(
                silences.update()
                .where(silences.c.id == silence_id, silences.c.expired_at.is_(None))
                .values(expired_at=moment)
            ).rowcount
            row = conn.execute(sa.select(silences).where(silences.c.id == silence_id)).first()
        return _silence(row) if row is not None and (found or row.expired_at) else None

    def hold(self, fingerprint: str, kind: str, reason: str, *, at: datetime) -> None:
        """Record why an alert was held back; the first reason recorded stays."""
        try:
            with self._writing() as conn:
                known = conn.execute(
                    sa.select(holds.c.fingerprint).where(holds.c.fingerprint == fingerprint)
                ).first()
                if known is None:
                    conn.execute(
                        holds.insert().values(
                            fingerprint=fingerprint, kind=kind, reason=reason, held_at=at
                        )
                    )
        except IntegrityError:
            pass  # another worker's channel recorded it first: its reason stays

    def holds(self, fingerprints: Iterable[str] | None = None) -> dict[str, Hold]:
        query = sa.select(holds)
        if fingerprints is not None:
            query = query.where(holds.c.fingerprint.in_(list(fingerprints)))
        with self._engine.connect() as conn:
            return {
                row.fingerprint: Hold(row.fingerprint, row.kind, row.reason, _aware(row.held_at))
                for row in conn.execute(query)
            }

    def held_since(self, since: datetime) -> list[Hold]:
        query = sa.select(holds).where(holds.c.held_at >= since.astimezone(UTC))
        with self._engine.connect() as conn:
            rows = conn.execute(query.order_by(holds.c.held_at))
            return [
                Hold(row.fingerprint, row.kind, row.reason, _aware(row.held_at)) for row in rows
            ]

    def regions(self, keys: Iterable[str]) -> dict[str, str]:
        """Observation key → its region, for the acts alerts rest on."""
        wanted = [key for key in keys if key]
        if not wanted:
            return {}
        query = sa.select(observations.c.key, observations.c.record).where(
            observations.c.key.in_(wanted)
        )
        with self._engine.connect() as conn:
            return {
                row.key: row.record["region"]
                for row in conn.execute(query)
                if row.record.get("region")
            }
