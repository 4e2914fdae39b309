"""The day mobwatch first stored each observation: what the backtest falls back on when no
source gave a publication date."""

from __future__ import annotations

from datetime import UTC, date

import sqlalchemy as sa

from mobwatch.store.store import Store
from mobwatch.store.tables import observations


def first_seen_days(store: Store) -> dict[str, date]:
    """Each stored observation's key and the (UTC) day it was first stored."""
    query = sa.select(observations.c.key, observations.c.first_seen)
    with store.engine.connect() as conn:
        rows = list(conn.execute(query))
    days = {}
    for key, moment in rows:
        aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        days[key] = aware.astimezone(UTC).date()
    return days
