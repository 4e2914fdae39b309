"""The store: the history, its alerts and their deliveries, raw bodies, source health.

One object over one database, composed of a part per job: `history` (observations),
`archive` (raw bodies), `http_state` (validators and host pacing), `alerts` (alerts and
their deliveries), `health` (sources and channels), `silences` (silences and held-back
alerts), each over `database` and `tables`.
Every write is idempotent: observations are keyed on the real-world fact, alerts on their
fingerprint, bodies on their content hash, so a repeated or interrupted run never
duplicates anything.
"""

from __future__ import annotations

import sqlalchemy as sa

from mobwatch.store.alerts import AlertLog
from mobwatch.store.archive import Archive
from mobwatch.store.database import create_engine
from mobwatch.store.health import Health
from mobwatch.store.history import History
from mobwatch.store.http_state import HttpState
from mobwatch.store.schema import upgrade as upgrade_schema
from mobwatch.store.silences import Silences
from mobwatch.store.tables import alerts, bodies, deliveries, fetches, metadata, observations


class Store(History, Archive, HttpState, AlertLog, Health, Silences):
    """Every part over one engine. A new part is a module with a class over `Database`, its
    tables in `tables.py`, and the class among these bases."""

    @classmethod
    def open(cls, url: str) -> Store:
        store = cls(create_engine(url))
        # As a writer: workers starting together on a new database create its tables once,
        # and a store an older version made gains the columns this one adds (schema.py).
        with store.writing() as conn:
            upgrade_schema(conn, metadata)
        return store

    def counts(self) -> dict[str, int]:
        """Row counts per table: what tests and the run summary compare."""
        with self.engine.connect() as conn:
            return {
                table.name: conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
                for table in (observations, alerts, deliveries, bodies, fetches)
            }
