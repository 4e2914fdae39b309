"""Each source's and delivery channel's run record: what the operator markers watch."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from mobwatch.store.database import Database, aware, to_utc, utc_now
from mobwatch.store.tables import channel_health, source_health


@dataclass(frozen=True)
class ChannelHealth:
    name: str
    last_run: datetime | None
    last_success: datetime | None
    last_error: str | None
    failing_since: datetime | None  # the first failed run of the current streak
    consecutive_failures: int


@dataclass(frozen=True)
class SourceHealth:
    name: str
    last_run: datetime | None
    last_success: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    consecutive_failures: int
    items_seen: int
    last_items: int


class Health(Database):
    def record_channel_run(
        self, name: str, *, error: str | None, at: datetime | None = None
    ) -> ChannelHealth:
        """A run's outcome on a channel: a success ends the failure streak."""
        now = to_utc(at or utc_now())
        with self.writing() as conn:
            row = conn.execute(
                sa.select(channel_health).where(channel_health.c.name == name).with_for_update()
            ).first()
            values: dict[str, object] = {"last_run": now}
            if error is None:
                values.update(last_success=now, consecutive_failures=0, failing_since=None)
            else:
                failures = row.consecutive_failures if row else 0
                since = row.failing_since if row and failures else now
                values.update(
                    last_error=error, consecutive_failures=failures + 1, failing_since=since
                )
            if row:
                conn.execute(
                    channel_health.update().where(channel_health.c.name == name).values(**values)
                )
            else:
                conn.execute(channel_health.insert().values(name=name, **values))
            row = conn.execute(sa.select(channel_health).where(channel_health.c.name == name)).one()
        return ChannelHealth(
            name=row.name,
            last_run=aware(row.last_run),
            last_success=aware(row.last_success),
            last_error=row.last_error,
            failing_since=aware(row.failing_since),
            consecutive_failures=row.consecutive_failures,
        )

    # --- source health -----------------------------------------------------------------

    def record_source_run(self, name: str, *, items: int, error: str | None) -> SourceHealth:
        now = utc_now()
        with self.writing() as conn:
            row = conn.execute(
                sa.select(source_health).where(source_health.c.name == name).with_for_update()
            ).first()
            failures = row.consecutive_failures if row else 0
            values: dict[str, object] = {"last_run": now, "last_items": items}
            values["items_seen"] = (row.items_seen if row else 0) + items
            if error is None:
                values.update(last_success=now, consecutive_failures=0)
            else:
                values.update(
                    last_error=error, last_error_at=now, consecutive_failures=failures + 1
                )
            if row:
                conn.execute(
                    source_health.update().where(source_health.c.name == name).values(**values)
                )
            else:
                conn.execute(source_health.insert().values(name=name, **values))
        return next(health for health in self.source_health() if health.name == name)

    def source_health(self) -> list[SourceHealth]:
        with self.engine.connect() as conn:
            rows = list(conn.execute(sa.select(source_health).order_by(source_health.c.name)))
        return [
            SourceHealth(
                name=row.name,
                last_run=aware(row.last_run),
                last_success=aware(row.last_success),
                last_error=row.last_error,
                last_error_at=aware(row.last_error_at),
                consecutive_failures=row.consecutive_failures,
                items_seen=row.items_seen,
                last_items=row.last_items,
            )
            for row in rows
        ]
