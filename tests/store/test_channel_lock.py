"""The delivery lock: one holder per channel at a time, and none left after a kill -9."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from mobwatch.store.channel_lock import lock_path
from mobwatch.store.store import Store

ROOT = Path(__file__).resolve().parents[2]
HOLD = 0.3

# A worker that takes the lock, says so, and holds it until it is killed.
HOLDER = """
import sys, time
from pathlib import Path
from mobwatch.store.store import Store

store = Store.open(sys.argv[1])
with store.delivery_lock("slack"):
    Path(sys.argv[2]).touch()
    time.sleep(600)
"""


def held_by_turns(first: Store, second: Store, channels: tuple[str, str]) -> list[str]:
    """Two holders, the second asking while the first holds: the order of events."""
    events: list[str] = []
    taken = threading.Event()

    def hold_first() -> None:
        with first.delivery_lock(channels[0]):
            events.append("first in")
            taken.set()
            time.sleep(HOLD)
            events.append("first out")

    thread = threading.Thread(target=hold_first)
    thread.start()
    assert taken.wait(10)
    with second.delivery_lock(channels[1]):
        events.append("second in")
    thread.join()
    return events


def test_one_worker_at_a_time_holds_a_channel(db_url: str) -> None:
    # Two stores stand for two workers: their own engines, connections and file handles.
    first, second = Store.open(db_url), Store.open(db_url)
    try:
        order = held_by_turns(first, second, ("slack", "slack"))
        assert order == ["first in", "first out", "second in"]
        # Another channel is another lock: no waiting.
        order = held_by_turns(first, second, ("slack", "jsonl"))
        assert order == ["first in", "second in", "first out"]
    finally:
        first.close()
        second.close()


def test_an_in_memory_store_locks_within_the_process() -> None:
    store = Store.open("sqlite://")
    order = held_by_turns(store, store, ("slack", "slack"))
    store.close()
    assert order == ["first in", "first out", "second in"]


def test_the_sqlite_lock_is_a_file_beside_the_database(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'mobwatch.db'}")
    with store.delivery_lock("slack-operator"):
        assert lock_path(tmp_path / "mobwatch.db", "slack-operator").exists()
    assert [path.name for path in tmp_path.glob("*.lock")] == [
        "mobwatch.db.delivery-slack-operator.lock"
    ]


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_killed_holder_leaves_the_channel_free(db_url: str, tmp_path: Path) -> None:
    Store.open(db_url).close()
    ready = tmp_path / "holding"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, db_url, str(ready)], env=env)
    store = Store.open(db_url)
    try:
        deadline = time.monotonic() + 30
        while not ready.exists():
            assert holder.poll() is None and time.monotonic() < deadline
            time.sleep(0.01)
        got = threading.Event()

        def take() -> None:
            with store.delivery_lock("slack"):
                got.set()

        waiter = threading.Thread(target=take)
        waiter.start()
        assert not got.wait(HOLD), "the lock was taken while its holder lived"
        killed = time.monotonic()
        holder.send_signal(signal.SIGKILL)
        assert got.wait(10), "the lock outlived its holder"
        freed = time.monotonic() - killed
        waiter.join()
    finally:
        holder.kill()
        holder.wait()
        store.close()
    assert holder.returncode == -signal.SIGKILL
    print(f"\n{db_url.split(':')[0]}: the lock was free {freed * 1000:.0f} ms after kill -9")
