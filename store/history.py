"""The history of observations: each real-world fact once, enriched as sources add to it.

Observations are keyed on the fact (`Observation.key`), so a repeated or interrupted run
never duplicates one; a fact read again is merged into the stored one.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from mobwatch.indicators.model import Observation
from mobwatch.store.database import Database, aware, to_utc, utc_now
from mobwatch.store.records import observation_from_record, observation_to_record
from mobwatch.store.tables import meta, observations


class Change:
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class ChangedObservation:
    """An observation stored (`new`) or enriched since some moment."""

    observation: Observation
    new: bool


class History(Database):
    def save_observation(
        self, obs: Observation, merge: Callable[[Observation, Observation], Observation]
    ) -> str:
        """Insert the fact, or merge it into the stored one; returns a `Change`."""
        record = observation_to_record(obs)
        now = utc_now()
        try:
            with self.writing() as conn:
                conn.execute(
                    observations.insert().values(
                        key=obs.key,
                        indicator=str(obs.indicator),
                        event_date=obs.event_date,
                        record=record,
                        first_seen=now,
                        updated_at=now,
                    )
                )
            return Change.NEW
        except IntegrityError:
            pass  # already known: merge below, in its own transaction
        with self.writing() as conn:
            row = conn.execute(
                sa.select(observations.c.record)
                .where(observations.c.key == obs.key)
                .with_for_update()
            ).one()
            stored = observation_from_record(row.record)
            merged = merge(stored, obs)
            merged_record = observation_to_record(merged)
            if merged_record == observation_to_record(stored):
                return Change.UNCHANGED
            conn.execute(
                observations.update()
                .where(observations.c.key == obs.key)
                .values(record=merged_record, event_date=merged.event_date, updated_at=now)
            )
        return Change.UPDATED

    def seed(self, history: Sequence[Observation]) -> int:
        """Add seeded facts that are not yet known; never touches what is stored."""
        added = 0
        now = utc_now()
        with self.writing() as conn:
            # Read within the transaction: another worker may have seeded since. Only the
            # seed's own keys are looked up: the history may hold a million others.
            wanted = [obs.key for obs in history]
            known: set[str] = set()
            for start in range(0, len(wanted), _BATCH):
                chunk = wanted[start : start + _BATCH]
                query = sa.select(observations.c.key).where(observations.c.key.in_(chunk))
                known.update(conn.execute(query).scalars())
            for obs in history:
                if obs.key in known:
                    continue
                conn.execute(
                    observations.insert().values(
                        key=obs.key,
                        indicator=str(obs.indicator),
                        event_date=obs.event_date,
                        record=observation_to_record(obs),
                        first_seen=now,
                        updated_at=now,
                    )
                )
                known.add(obs.key)
                added += 1
        return added

    def meta(self, key: str) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(meta.c.value).where(meta.c.key == key)).scalar()

    def set_meta(self, key: str, value: str) -> None:
        with self.writing() as conn:
            conn.execute(meta.delete().where(meta.c.key == key))
            conn.execute(meta.insert().values(key=key, value=value))

    def changed_observations(self, since: datetime) -> list[ChangedObservation]:
        """Observations first stored or updated at or after `since`, in date order."""
        query = (
            sa.select(observations.c.record, observations.c.first_seen)
            .where(observations.c.updated_at >= to_utc(since))
            .order_by(observations.c.event_date, observations.c.key)
        )
        with self.engine.connect() as conn:
            rows = list(conn.execute(query))
        return [
            ChangedObservation(
                observation_from_record(row.record),
                new=(aware(row.first_seen) or since) >= since,
            )
            for row in rows
        ]

    def observation_keys(self) -> set[str]:
        with self.engine.connect() as conn:
            return set(conn.execute(sa.select(observations.c.key)).scalars())

    def observations(
        self,
        indicator: str | None = None,
        *,
        between: tuple[date, date] | None = None,
        regions: Collection[str] | None = None,
    ) -> list[Observation]:
        """The history in date order, as the markers replay it; `between` keeps the events
        of those days (both included), `regions` those of these subjects."""
        with self.engine.connect() as conn:
            query = _history_query(indicator, between, regions)
            return [observation_from_record(row.record) for row in conn.execute(query)]

    def each_observation(self, indicator: str | None = None) -> Iterator[Observation]:
        """`observations` one at a time, read a batch at a time (a server-side cursor on
        PostgreSQL): what holds them is as small for a million as for a thousand."""
        with self.engine.connect() as conn:
            rows = conn.execution_options(yield_per=_BATCH).execute(_history_query(indicator))
            for row in rows:
                yield observation_from_record(row.record)


_BATCH = 2_000  # rows a streamed read holds at once


def _history_query(
    indicator: str | None = None,
    between: tuple[date, date] | None = None,
    regions: Collection[str] | None = None,
) -> sa.Select[tuple[object]]:
    query = sa.select(observations.c.record).order_by(observations.c.event_date, observations.c.key)
    if indicator:
        query = query.where(observations.c.indicator == indicator)
    if between:
        query = query.where(observations.c.event_date.between(*between))
    if regions is not None:
        # Told apart by the database: the other subjects' records are never decoded here.
        query = query.where(observations.c.record["region"].as_string().in_(sorted(regions)))
    return query
