"""The history: observations, alerts and their deliveries, raw bodies, source health.

SQLAlchemy Core over SQLite (the default, a file under home) or PostgreSQL (a shared
deployment). Every write is idempotent: observations are keyed on the real-world fact
(`Observation.key`), alerts on their fingerprint, bodies on their content hash, so a
repeated or interrupted run never duplicates anything. Writing transactions are
serialised on both databases, so workers sharing one never race a check against an insert.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from mobwatch.fetching.page import Page
from mobwatch.fetching.validators import Validators
from mobwatch.indicators.model import Alert, Observation, Severity
from mobwatch.store.channel_lock import ProcessLocks, channel_lock
from mobwatch.store.records import (
    evidence_from_dict,
    evidence_to_dict,
    observation_from_record,
    observation_to_record,
)
from mobwatch.store.schema import upgrade as upgrade_schema

metadata = sa.MetaData()

observations = sa.Table(
    "observations",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("key", sa.String(300), nullable=False, unique=True),
    sa.Column("indicator", sa.String(40), nullable=False, index=True),
    sa.Column("event_date", sa.Date, nullable=False, index=True),
    sa.Column("record", sa.JSON, nullable=False),
    sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

alerts = sa.Table(
    "alerts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("fingerprint", sa.String(64), nullable=False, unique=True),
    sa.Column("marker", sa.String(60), nullable=False),
    sa.Column("severity", sa.String(10), nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("fired_on", sa.Date, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("evidence", sa.JSON, nullable=False),
    sa.Column("basis", sa.Text, nullable=False),
    sa.Column("observation_key", sa.String(300)),
    sa.Column("audience", sa.String(20), nullable=False),
)

deliveries = sa.Table(
    "deliveries",
    metadata,
    sa.Column("alert_id", sa.ForeignKey("alerts.id"), primary_key=True),
    sa.Column("channel", sa.String(40), primary_key=True),
    sa.Column("delivered_at", sa.DateTime(timezone=True)),
    sa.Column("last_error", sa.Text),
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    # A failed delivery waits until then before its next try (the outbox's backoff).
    sa.Column("next_attempt_at", sa.DateTime(timezone=True)),
)

# Per delivery channel, like source_health: the failure streak behind `channel_failing`.
channel_health = sa.Table(
    "channel_health",
    metadata,
    sa.Column("name", sa.String(40), primary_key=True),
    sa.Column("last_run", sa.DateTime(timezone=True)),
    sa.Column("last_success", sa.DateTime(timezone=True)),
    sa.Column("last_error", sa.Text),
    sa.Column("failing_since", sa.DateTime(timezone=True)),
    sa.Column("consecutive_failures", sa.Integer, nullable=False, default=0),
)

bodies = sa.Table(
    "bodies",
    metadata,
    sa.Column("hash", sa.String(64), primary_key=True),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("content_type", sa.String(200), nullable=False),
    sa.Column("body", sa.LargeBinary, nullable=False),  # zlib-compressed
)

fetches = sa.Table(
    "fetches",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("source", sa.String(200), nullable=False, index=True),
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("status", sa.Integer, nullable=False),
    sa.Column("hash", sa.String(64)),
    sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
)

validators = sa.Table(
    "validators",
    metadata,
    sa.Column("url", sa.String(2000), primary_key=True),
    sa.Column("etag", sa.Text),
    sa.Column("last_modified", sa.Text),
)

source_health = sa.Table(
    "source_health",
    metadata,
    sa.Column("name", sa.String(200), primary_key=True),
    sa.Column("last_run", sa.DateTime(timezone=True)),
    sa.Column("last_success", sa.DateTime(timezone=True)),
    sa.Column("last_error", sa.Text),
    sa.Column("last_error_at", sa.DateTime(timezone=True)),
    sa.Column("consecutive_failures", sa.Integer, nullable=False, default=0),
    sa.Column("items_seen", sa.Integer, nullable=False, default=0),
    sa.Column("last_items", sa.Integer, nullable=False, default=0),
)

# The shared pacer's book (fetching/shared_pacing.py): per host, the earliest moment the
# next request may go, in seconds since the epoch on the database's clock.
host_pacing = sa.Table(
    "host_pacing",
    metadata,
    sa.Column("host", sa.String(300), primary_key=True),
    sa.Column("next_at", sa.Double, nullable=False),
)

meta = sa.Table(
    "meta",
    metadata,
    sa.Column("key", sa.String(100), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)


class Change:
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class RouteSelector:
    """The alerts a channel takes: analysts' alerts of these severities; operator alerts or not."""

    severities: frozenset[str] = frozenset(Severity)
    operator: bool = True


@dataclass(frozen=True)
class ChannelHealth:
    name: str
    last_run: datetime | None
    last_success: datetime | None
    last_error: str | None
    failing_since: datetime | None  # the first failed run of the current streak
    consecutive_failures: int


@dataclass(frozen=True)
class ChangedObservation:
    """An observation stored (`new`) or enriched since some moment."""

    observation: Observation
    new: bool


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


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime | None) -> datetime | None:
    # SQLite hands datetimes back naive; they were written in UTC.
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def _utc(moment: datetime) -> datetime:
    # SQLite compares the stored text: every moment written or compared is in UTC.
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def _routed(selector: RouteSelector) -> sa.ColumnElement[bool]:
    operator = alerts.c.audience == "operator"
    clauses = []
    if selector.severities:
        clauses.append(~operator & alerts.c.severity.in_(sorted(selector.severities)))
    if selector.operator:
        clauses.append(operator)
    return sa.or_(sa.false(), *clauses)


def _database_clock(dialect: str) -> sa.ColumnElement[float]:
    """Seconds since the epoch by the database's clock: one clock for every worker, whatever
    their machines' clocks say."""
    if dialect == "postgresql":
        # clock_timestamp, not now(): now() is when the transaction began.
        return sa.cast(sa.extract("epoch", sa.func.clock_timestamp()), sa.Double)
    return (sa.func.julianday("now") - 2440587.5) * 86400.0


_WRITING = "mobwatch_writing"
# PostgreSQL's stand-in for SQLite's BEGIN IMMEDIATE: one writing transaction at a time.
_WRITER_LOCK = int.from_bytes(
    hashlib.sha256(b"mobwatch store writer").digest()[:8], "big", signed=True
)


_SQLITE_TIMEOUT = 30.0


def _enable_wal(cursor: sqlite3.Cursor) -> None:
    """WAL mode, so readers never block the writer. The mode is kept in the file: the first
    connection to a new database switches it, and SQLite answers "locked" at once, without
    its busy timeout, to a connection that tries while another one switches it (several
    workers starting on a new database). Such a connection waits and asks again."""
    deadline = time.monotonic() + _SQLITE_TIMEOUT
    pause = 0.005
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.2)


def _create_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"timeout": _SQLITE_TIMEOUT})

        @sa.event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            _enable_wal(cursor)
            # In WAL mode NORMAL cannot corrupt the database; a power cut may lose only the
            # last commits, which the next pass fetches again.
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()
            # The driver would open its transaction only at the first write, after the reads
            # a merge depends on: take over BEGIN so a writing transaction holds the write
            # lock from its first read (SQLite has no SELECT … FOR UPDATE).
            dbapi_connection.isolation_level = None

        @sa.event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Connection) -> None:
            immediate = conn.get_execution_options().get(_WRITING, False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    return sa.create_engine(url, pool_pre_ping=True)


class Store:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._channel_locks = ProcessLocks()

    @classmethod
    def open(cls, url: str) -> Store:
        store = cls(_create_engine(url))
        # As a writer: workers starting together on a new database create its tables once,
        # and a store an older version made gains the columns this one adds (schema.py).
        with store.writing() as conn:
            upgrade_schema(conn, metadata)
        return store

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """A writing transaction: serialised against other writers from its first read
        (SQLite BEGIN IMMEDIATE; PostgreSQL a transaction-level advisory lock)."""
        with self.engine.connect().execution_options(**{_WRITING: True}) as conn, conn.begin():
            if conn.dialect.name == "postgresql":
                # SELECT … FOR UPDATE locks only rows that exist: two workers adding the same
                # new row (a body, a source's first health record) would both pass their check.
                # A transaction-level lock: it ends with the transaction, or the session.
                conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_WRITER_LOCK)))
            yield conn

    # --- observations -------------------------------------------------------------

    def save_observation(
        self, obs: Observation, merge: Callable[[Observation, Observation], Observation]
    ) -> str:
        """Insert the fact, or merge it into the stored one; returns a `Change`."""
        record = observation_to_record(obs)
        now = _now()
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
        now = _now()
        with self.writing() as conn:
            # Read within the transaction: another worker may have seeded since.
            known = set(conn.execute(sa.select(observations.c.key)).scalars())
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
            .where(observations.c.updated_at >= _utc(since))
            .order_by(observations.c.event_date, observations.c.key)
        )
        with self.engine.connect() as conn:
            rows = list(conn.execute(query))
        return [
            ChangedObservation(
                observation_from_record(row.record),
                new=(_aware(row.first_seen) or since) >= since,
            )
            for row in rows
        ]

    def observation_keys(self) -> set[str]:
        with self.engine.connect() as conn:
            return set(conn.execute(sa.select(observations.c.key)).scalars())

    def observations(
        self, indicator: str | None = None, *, between: tuple[date, date] | None = None
    ) -> list[Observation]:
        """The history in date order, as the markers replay it; `between` keeps the events
        of those days (both included)."""
        query = sa.select(observations.c.record).order_by(
            observations.c.event_date, observations.c.key
        )
        if indicator:
            query = query.where(observations.c.indicator == indicator)
        if between:
            query = query.where(observations.c.event_date.between(*between))
        with self.engine.connect() as conn:
            return [observation_from_record(row.record) for row in conn.execute(query)]

    # --- raw archive and conditional-request validators ------------------------------

    def archive(self, source: str, page: Page) -> str:
        """Keep the body by content hash (once) and log the fetch; returns the hash."""
        digest = hashlib.sha256(page.body).hexdigest()
        with self.writing() as conn:
            exists = conn.execute(sa.select(bodies.c.hash).where(bodies.c.hash == digest)).first()
            if not exists:
                conn.execute(
                    bodies.insert().values(
                        hash=digest,
                        size=len(page.body),
                        content_type=page.content_type[:200],
                        body=zlib.compress(page.body),
                    )
                )
            conn.execute(
                fetches.insert().values(
                    source=source,
                    url=page.url,
                    status=page.status,
                    hash=digest,
                    fetched_at=page.fetched_at,
                )
            )
        return digest

    def archived_body(self, digest: str) -> bytes:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(bodies.c.body).where(bodies.c.hash == digest)).one()
        return zlib.decompress(row.body)

    def archived_pages(self, source: str) -> list[Page]:
        """Every distinct body fetched for a source, newest fetch last: for re-parsing."""
        query = (
            sa.select(fetches.c.url, fetches.c.hash, fetches.c.fetched_at, bodies.c.content_type)
            .join(bodies, bodies.c.hash == fetches.c.hash)
            .where(fetches.c.source == source)
            .order_by(fetches.c.fetched_at)
        )
        with self.engine.connect() as conn:
            rows = list(conn.execute(query))
        return [
            Page(
                url=row.url,
                body=self.archived_body(row.hash),
                content_type=row.content_type,
                fetched_at=_aware(row.fetched_at) or _now(),
            )
            for row in rows
        ]

    def archived_page(self, source: str, url: str) -> Page | None:
        """The body last fetched from `url` for a source: what a 304 stands for."""
        query = (
            sa.select(fetches.c.hash, fetches.c.fetched_at, bodies.c.content_type)
            .join(bodies, bodies.c.hash == fetches.c.hash)
            .where(fetches.c.source == source, fetches.c.url == url)
            .order_by(fetches.c.fetched_at.desc(), fetches.c.id.desc())
            .limit(1)
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None:
            return None
        return Page(
            url=url,
            body=self.archived_body(row.hash),
            content_type=row.content_type,
            fetched_at=_aware(row.fetched_at) or _now(),
        )

    def get(self, url: str) -> Validators | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(validators).where(validators.c.url == url)).first()
        if row is None:
            return None
        return Validators(etag=row.etag, last_modified=row.last_modified)

    def put(self, url: str, value: Validators) -> None:
        with self.writing() as conn:
            conn.execute(validators.delete().where(validators.c.url == url))
            conn.execute(
                validators.insert().values(
                    url=url, etag=value.etag, last_modified=value.last_modified
                )
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

    # --- alerts and deliveries ---------------------------------------------------------

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
                        created_at=_utc(at or _now()),
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
            moment = _aware(state.delivered_at)
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
                created_at=_aware(row.created_at),
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
                | (deliveries.c.next_attempt_at <= _utc(due_at))
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
                    delivered_at=None if error else _utc(at or _now()),
                    last_error=error,
                    attempts=attempts,
                )
            )
        return attempts

    def defer(self, fingerprint: str, channel: str, until: datetime) -> None:
        """Hold a failed delivery back until `until` (the outbox's backoff between runs)."""
        alert_id = sa.select(alerts.c.id).where(alerts.c.fingerprint == fingerprint)
        with self.writing() as conn:
            conn.execute(
                deliveries.update()
                .where(deliveries.c.alert_id == alert_id.scalar_subquery())
                .where(deliveries.c.channel == channel)
                .values(next_attempt_at=_utc(until))
            )

    # --- delivery channel health -------------------------------------------------------

    def record_channel_run(
        self, name: str, *, error: str | None, at: datetime | None = None
    ) -> ChannelHealth:
        """A run's outcome on a channel: a success ends the failure streak."""
        now = _utc(at or _now())
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
            last_run=_aware(row.last_run),
            last_success=_aware(row.last_success),
            last_error=row.last_error,
            failing_since=_aware(row.failing_since),
            consecutive_failures=row.consecutive_failures,
        )

    # --- source health -----------------------------------------------------------------

    def record_source_run(self, name: str, *, items: int, error: str | None) -> SourceHealth:
        now = _now()
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
                last_run=_aware(row.last_run),
                last_success=_aware(row.last_success),
                last_error=row.last_error,
                last_error_at=_aware(row.last_error_at),
                consecutive_failures=row.consecutive_failures,
                items_seen=row.items_seen,
                last_items=row.last_items,
            )
            for row in rows
        ]

    def counts(self) -> dict[str, int]:
        """Row counts per table: what tests and the run summary compare."""
        with self.engine.connect() as conn:
            return {
                table.name: conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
                for table in (observations, alerts, deliveries, bodies, fetches)
            }
