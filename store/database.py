"""The database under the store: its engine, its writing transactions, its moments.

SQLAlchemy Core over SQLite (the default, a file under home) or PostgreSQL (a shared
deployment). Writing transactions are serialised on both databases, so workers sharing one
never race a check against an insert.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine


def utc_now() -> datetime:
    return datetime.now(UTC)


def aware(moment: datetime | None) -> datetime | None:
    # SQLite hands datetimes back naive; they were written in UTC.
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def to_utc(moment: datetime) -> datetime:
    # SQLite compares the stored text: every moment written or compared is in UTC.
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


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


# Values bound in one `IN (…)`: SQLite allows 32,766 parameters a statement, and long lists
# plan no better.
IN_CHUNK = 500


def create_engine(url: str) -> Engine:
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


class Database:
    """The engine and its writing transactions: what every part of the store works through."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

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
