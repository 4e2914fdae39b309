"""What the fetcher keeps between runs and workers: conditional-request validators per URL,
and the per-host pacing book every worker shares."""

from __future__ import annotations

from collections.abc import Collection, Mapping

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from mobwatch.fetching.validators import Validators
from mobwatch.store.database import IN_CHUNK, Database
from mobwatch.store.tables import host_pacing, validators


def _database_clock(dialect: str) -> sa.ColumnElement[float]:
    """Seconds since the epoch by the database's clock: one clock for every worker, whatever
    their machines' clocks say."""
    if dialect == "postgresql":
        # clock_timestamp, not now(): now() is when the transaction began.
        return sa.cast(sa.extract("epoch", sa.func.clock_timestamp()), sa.Double)
    return (sa.func.julianday("now") - 2440587.5) * 86400.0


# Built once: building a statement costs about as much as running it.
_KEPT = sa.select(validators).where(validators.c.url.in_(sa.bindparam("urls", expanding=True)))


class HttpState(Database):
    def get(self, url: str) -> Validators | None:
        return self.get_many([url]).get(url)

    def get_many(self, urls: Collection[str]) -> dict[str, Validators]:
        """The validators kept for any of the URLs, by URL: one read for a page's links."""
        wanted = list(urls)
        found: dict[str, Validators] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), IN_CHUNK):
                chunk = wanted[start : start + IN_CHUNK]
                for row in conn.execute(_KEPT, {"urls": chunk}):
                    found[row.url] = Validators(etag=row.etag, last_modified=row.last_modified)
        return found

    def put(self, url: str, value: Validators) -> None:
        self.put_many({url: value})

    def put_many(self, values: Mapping[str, Validators]) -> None:
        """Every URL's validators in one transaction: a source's pages cost one commit."""
        if not values:
            return
        with self.writing() as conn:
            urls = list(values)
            for start in range(0, len(urls), IN_CHUNK):
                chunk = urls[start : start + IN_CHUNK]
                conn.execute(validators.delete().where(validators.c.url.in_(chunk)))
            conn.execute(
                validators.insert(),
                [
                    {"url": url, "etag": value.etag, "last_modified": value.last_modified}
                    for url, value in values.items()
                ],
            )

    # --- per-host pacing shared by every worker -----------------------------------------

    def reserve_host_slot(self, host: str, interval: float, *, now: float | None = None) -> float:
        """Book the next request to `host`, `interval` s after the one booked before it; the
        seconds from `now` (epoch seconds; default: the database's clock) until its slot.

        One short writing transaction; the caller sleeps after it, holding nothing.
        """
        with self.writing() as conn:
            dialect = conn.dialect.name
            if now is None:
                now = float(conn.execute(sa.select(_database_clock(dialect))).scalar_one())
            insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(host_pacing)
            free_at = sa.case((host_pacing.c.next_at > now, host_pacing.c.next_at), else_=now)
            booked = conn.execute(
                insert.values(host=host, next_at=now + interval)
                .on_conflict_do_update(
                    index_elements=[host_pacing.c.host], set_={"next_at": free_at + interval}
                )
                .returning(host_pacing.c.next_at)
            ).scalar_one()
        return max(0.0, booked - interval - now)
