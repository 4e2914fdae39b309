"""Politeness across workers: separate processes sharing a database keep one host's pace.

Two worker processes (`pacing_child.py`) share one store, a SQLite file or PostgreSQL.
Starting on one signal, each fetches host A (a loopback server) four times and host B (a
server on another port: another host) once, in threads of their own. The servers note when
each request arrives. With the pacer that books its slots in the store, requests to A
arrive at least the interval apart, whichever worker sent them, while B's are not held
behind A's queue. The control: with a pacer per process, the two workers collide on A.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from itertools import pairwise
from pathlib import Path

import pytest

from mobwatch.demo.server import LoopbackServer, Reply, Request
from mobwatch.store.store import Store

ROOT = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).with_name("pacing_child.py")
INTERVAL = 0.4
# A request may leave late for its slot when its process is not scheduled at once (tens of
# milliseconds on a busy machine); the next one, on time, then arrives a little early.
TOLERANCE = 0.1
PER_WORKER = 4
WORKERS = 2


class Arrivals:
    """A loopback server that notes when each request arrives, and from which worker."""

    def __init__(self) -> None:
        self.server = LoopbackServer()
        self.seen: list[tuple[float, str]] = []
        self._lock = threading.Lock()
        self.server.add_handler("/page", self._note)

    def _note(self, request: Request, raw: BaseHTTPRequestHandler) -> Reply:
        with self._lock:
            self.seen.append((time.monotonic(), request.query["worker"][0]))
        return Reply(200, b"ok")

    def times(self) -> list[float]:
        return sorted(moment for moment, _ in self.seen)


def run_workers(db: str, mode: str, root: Path, a: Arrivals, b: Arrivals) -> float:
    """Start the workers, release them together; returns the moment of release."""
    Store.open(db).close()  # the tables, once, before the workers open the store
    go = root / "go"
    workers, ready = [], []
    for number in range(WORKERS):
        ready.append(root / f"ready-{number}")
        config = {
            "db": db,
            "mode": mode,
            "interval": INTERVAL,
            "fetches": {
                f"{a.server.url}/page?worker={number}": PER_WORKER,
                f"{b.server.url}/page?worker={number}": 1,
            },
            "ready": str(ready[-1]),
            "go": str(go),
        }
        command = [sys.executable, str(CHILD), json.dumps(config)]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        workers.append(subprocess.Popen(command, cwd=ROOT, env=env))
    deadline = time.monotonic() + 60
    while not all(path.exists() for path in ready):
        assert all(worker.poll() is None for worker in workers), "a worker died while starting"
        assert time.monotonic() < deadline, "the workers never got ready"
        time.sleep(0.01)
    released = time.monotonic()
    go.touch()
    assert [worker.wait(timeout=60) for worker in workers] == [0] * WORKERS
    return released


@pytest.fixture
def hosts() -> Iterator[tuple[Arrivals, Arrivals]]:
    a, b = Arrivals(), Arrivals()
    with a.server, b.server:
        yield a, b


def test_workers_sharing_a_store_keep_one_hosts_pace(
    db_url: str, tmp_path: Path, hosts: tuple[Arrivals, Arrivals]
) -> None:
    a, b = hosts
    released = run_workers(db_url, "shared", tmp_path, a, b)

    arrivals = a.times()
    assert len(arrivals) == WORKERS * PER_WORKER
    assert sorted({worker for _, worker in a.seen}) == ["0", "1"]
    gaps = [later - earlier for earlier, later in pairwise(arrivals)]
    assert min(gaps) >= INTERVAL - TOLERANCE, gaps
    # Host B is not queued behind A: its two requests (one per worker, a turn apart) come
    # at the start, while A's queue takes seven turns.
    assert len(b.times()) == WORKERS
    assert max(b.times()) - released < 2 * INTERVAL
    assert arrivals[-1] - released >= (len(arrivals) - 1) * (INTERVAL - TOLERANCE)
    print(
        f"\nshared pacing ({db_url.split(':')[0]}): {len(arrivals)} requests to one host from "
        f"{WORKERS} processes, gaps {min(gaps):.3f}-{max(gaps):.3f} s (interval {INTERVAL} s); "
        f"the other host's requests at +{', +'.join(f'{t - released:.3f}' for t in b.times())} s"
    )


def test_without_the_shared_book_the_workers_collide(
    tmp_path: Path, hosts: tuple[Arrivals, Arrivals]
) -> None:
    """The control: each process keeps its own pace, so together they go too fast."""
    a, b = hosts
    run_workers(f"sqlite:///{tmp_path / 'mobwatch.db'}", "local", tmp_path, a, b)
    gaps = [later - earlier for earlier, later in pairwise(a.times())]
    assert min(gaps) < INTERVAL / 2
