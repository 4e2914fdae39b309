"""One worker at a time delivers on a channel: a lock that dies with its holder.

Workers sharing a store may drain a channel at the same moment; both would read the same
undelivered alerts and both send them. The lock must not outlive a killed worker (a lease
would hold the channel until it expired, and the rerun after a kill -9 would wait for it),
so it is one that the database or the kernel drops along with the process:

- PostgreSQL: a session advisory lock, on a connection of its own for the drain; the server
  drops it when the session ends: the process dies and its connection closes, or its
  machine vanishes and the (shortened) TCP keepalives give up on it;
- SQLite file: `flock` on a file beside the database, dropped with the process's files
  (POSIX);
- SQLite in memory: a lock within the process, the only one that can see that database.

The second worker waits, then finds the alerts delivered.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

# Seconds: a vanished holder's session is dropped after about idle + interval × count.
_KEEPALIVES = {"tcp_keepalives_idle": 30, "tcp_keepalives_interval": 10, "tcp_keepalives_count": 3}


class ProcessLocks:
    """Per channel, a lock within the process: for a database only this process can see."""

    def __init__(self) -> None:
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def get(self, channel: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(channel, threading.Lock())


def channel_lock(
    engine: Engine, channel: str, in_process: ProcessLocks
) -> AbstractContextManager[None]:
    """Hold it while delivering on `channel`; waits while another worker holds it.

    `in_process` serves an in-memory database, which only its own engine's store sees.
    """
    if engine.dialect.name == "postgresql":
        return _advisory_lock(engine, advisory_key(channel))
    database = engine.url.database
    if not database or database == ":memory:":
        return _process_lock(in_process.get(channel))
    return _file_lock(lock_path(Path(database), channel))


def advisory_key(channel: str) -> int:
    """A stable 64-bit key: the same in every process (unlike `hash`), on every machine."""
    digest = hashlib.sha256(f"mobwatch delivery {channel}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def lock_path(database: Path, channel: str) -> Path:
    safe = re.sub(r"[^A-Za-z0-9_-]", "_", channel)
    return database.with_name(f"{database.name}.delivery-{safe}.lock")


@contextmanager
def _advisory_lock(engine: Engine, key: int) -> Iterator[None]:
    # Autocommit: the session holds the lock; no transaction stays open through the drain.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for setting, seconds in _KEEPALIVES.items():
            conn.exec_driver_sql(f"SET {setting} = {seconds}")
        conn.execute(sa.select(sa.func.pg_advisory_lock(key)))
        try:
            yield
        finally:
            conn.execute(sa.select(sa.func.pg_advisory_unlock(key)))


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    # The file stays: removing a lock file lets a waiter lock a name no one else opens.
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # releases the lock


@contextmanager
def _process_lock(lock: threading.Lock) -> Iterator[None]:
    with lock:
        yield
