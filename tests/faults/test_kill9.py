"""Crash safety: the monitoring pass killed with SIGKILL at random points, then run again.

Each trial starts a fresh pass in a child process (`pass_child.py`: seed, read the demo's
federal sources from loopback, raise alerts, deliver them to the JSON Lines file and to a
webhook receiver), kills it with SIGKILL, checks the database, and runs the pass again to
completion. The kills are spread over the pass: each phase (seeding, reading each source,
raising alerts, delivering) gets its share of the trials, each kill at a random moment
within its phase (seeded), and the sources drip their pages a little so that reading
takes a while, as it does on the real sites.

After every trial, compared with an uninterrupted reference run:

- `PRAGMA integrity_check` is ok, right after the kill and after the rerun;
- the observations are the reference's, record for record: none lost, none twice;
- the alerts are the reference's, each delivered once on each channel in the store;
- the receiver and the JSON Lines file got every alert: lost 0. Delivery is at least once
  at one edge: a kill after a send and before its record means that alert is sent again
  by the rerun. So a trial may repeat at most one send, and only if the kill came while
  delivering; the receiver deduplicates on the fingerprint, and the figure is printed.

Children are forked from a server that has imported mobwatch once (multiprocessing's
fork server), so a child starts in milliseconds rather than a second.
"""

from __future__ import annotations

import json
import multiprocessing
import random
import re
import signal
import socket
import sqlite3
import sys
import threading
import time
import tomllib
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from itertools import pairwise
from pathlib import Path

import pass_child
import pytest
from fault_server import DEMO_SAMPLES, DEMO_SOURCES, FaultServer, routes_of

from mobwatch.demo.server import LoopbackServer, Reply, Request
from mobwatch.store.records import observation_to_record
from mobwatch.store.store import Store

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and fork are POSIX"),
]

TRIALS = 20
SEED = 20251201
PARALLEL = 2
DRIP = (16384, 0.005)  # each sample page arrives in a few pieces, 5 ms apart
FINGERPRINT = re.compile(r"[0-9a-f]{64}")
CHANNELS = ("jsonl", "webhook")
FEDERAL = ("pravo_api", "kremlin_feed")


class Receiver:
    """A webhook endpoint that counts each fingerprint it is sent, per trial."""

    def __init__(self) -> None:
        self.server = LoopbackServer()
        self.counts: dict[str, Counter[str]] = {}
        self._lock = threading.Lock()
        self.server.add_handler("/hook", self._receive)

    def _receive(self, request: Request, raw: BaseHTTPRequestHandler) -> Reply:
        raw.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        fingerprint = request.body.decode("ascii", "replace")
        if not FINGERPRINT.fullmatch(fingerprint):
            # A sender killed mid-request leaves a torn body: refused, as a real one would.
            return Reply(400, b"not a fingerprint")
        trial = request.query.get("trial", ["?"])[0]
        with self._lock:
            self.counts.setdefault(trial, Counter())[fingerprint] += 1
        return Reply(200, b"ok")

    def url(self, trial: str) -> str:
        return f"{self.server.url}/hook?trial={trial}"


@dataclass
class Outcome:
    observations: list[dict[str, object]]
    keys: list[str]
    alerts: set[str]
    delivered: Counter[str]  # channel → alerts the store holds as delivered there
    deliveries: int  # rows: one per alert and channel
    jsonl: Counter[str]
    received: Counter[str]
    integrity: str


@dataclass
class Trial:
    number: int
    kill: tuple[str, float]  # the phase aimed at, and how long after it began
    killed: bool
    phase: str
    integrity_after_kill: str
    outcome: Outcome


def integrity(db: Path) -> str:
    if not db.exists():
        return "ok"  # killed before the database was created
    with closing(sqlite3.connect(db)) as conn:
        checks = conn.execute("PRAGMA integrity_check").fetchall()
        checks += conn.execute("PRAGMA foreign_key_check").fetchall()
    return "; ".join(str(row[0]) for row in checks)


def read_outcome(home: Path, received: Counter[str]) -> Outcome:
    db = home / "mobwatch.db"
    store = Store.open(f"sqlite:///{db}")
    try:
        observations = store.observations()
        alerts = store.alerts()
        deliveries = store.counts()["deliveries"]
    finally:
        store.close()
    lines = (home / "alerts.jsonl").read_text("utf-8").split("\n")
    assert lines.pop() == ""
    return Outcome(
        observations=[observation_to_record(obs) for obs in observations],
        keys=[obs.key for obs in observations],
        alerts={alert.fingerprint for alert in alerts},
        delivered=Counter(
            channel
            for alert in alerts
            for channel, state in alert.delivered.items()
            if not state.startswith("error")
        ),
        deliveries=deliveries,
        jsonl=Counter(json.loads(line)["fingerprint"] for line in lines),
        received=Counter(received),
        integrity=integrity(db),
    )


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The demo's federal sources, their pages dripped from loopback.

    Crash safety is about the store's writes, not about parsers: two sources reporting the
    same 35 acts give every kind of write (new facts, merges, archive, health, alerts,
    deliveries) at a cost that keeps 20 trials affordable.
    """
    server = FaultServer(routes_of(DEMO_SAMPLES), drip=DRIP).start()
    try:
        text = DEMO_SOURCES.read_text("utf-8").replace("{base}", server.url)
        chosen: dict[str, dict[str, object]] = {}
        for entry in tomllib.loads(text)["sources"]:
            if entry["parser"] in FEDERAL:
                chosen.setdefault(entry["parser"], entry)
        path = tmp_path_factory.mktemp("kill9") / "sources.toml"
        path.write_text(
            "".join(
                "[[sources]]\n"
                + "".join(f"{k} = {json.dumps(v, ensure_ascii=False)}\n" for k, v in e.items())
                for e in chosen.values()
            ),
            "utf-8",
        )
        yield path
    finally:
        server.stop()


def timeline(progress: Path) -> dict[str, float]:
    """When each phase began, in seconds from the start of the pass."""
    if not progress.exists():
        return {}
    lines = [line.split(" ", 1) for line in progress.read_text().splitlines()]
    return {phase: float(seconds) for seconds, phase in lines}


@dataclass
class Runner:
    """Runs passes in children forked from a server that has imported mobwatch once."""

    context: multiprocessing.context.BaseContext
    sources: Path
    receiver: Receiver
    root: Path

    def run(self, name: str, kill: tuple[str, float] | None = None) -> tuple[Path, bool, str]:
        """A pass; with `kill = (phase, seconds)`, killed that long after the phase began.

        Returns its home, whether SIGKILL ended it, and the phase it was in at the end.
        """
        home = self.root / name
        home.mkdir(exist_ok=True)
        progress = home / "progress"
        args = (
            f"sqlite:///{home / 'mobwatch.db'}",
            str(self.sources),
            str(home),
            self.receiver.url(name),
            str(progress),
        )
        child = self.context.Process(target=pass_child.run, args=args, name=f"pass-{name}")
        child.start()
        if kill is not None:
            phase, seconds = kill
            deadline = time.monotonic() + 30
            while phase not in timeline(progress) and child.is_alive():
                assert time.monotonic() < deadline, f"{name} never reached {phase}"
                time.sleep(0.002)
            time.sleep(seconds)
            child.kill()
        child.join(timeout=60)
        if kill is None:
            assert child.exitcode == 0, f"the pass {name} failed: exit {child.exitcode}"
        reached = list(timeline(progress)) or ["start"]
        return home, child.exitcode == -signal.SIGKILL, reached[-1]


@pytest.fixture
def runner(sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Runner]:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(pass_child.PRELOAD))
    # Children need nothing from the test runner's main module: without its path,
    # multiprocessing does not run the runner's script again in each child.
    monkeypatch.delattr(sys.modules["__main__"], "__file__", raising=False)
    receiver = Receiver()
    receiver.server.start()
    try:
        yield Runner(context, sources, receiver, tmp_path)
    finally:
        receiver.server.stop()


def test_killed_passes_lose_nothing_and_duplicate_nothing(runner: Runner) -> None:
    counts = runner.receiver.counts
    # Twice: the first run also boots the fork server; the two must agree.
    warm, _, _ = runner.run("reference-0")
    home, _, _ = runner.run("reference")
    reference = read_outcome(home, counts["reference"])
    assert reference.observations == read_outcome(warm, counts["reference-0"]).observations
    assert reference.alerts and reference.integrity == "ok"
    assert all(count == 1 for count in reference.received.values())
    began = timeline(home / "progress")
    phases = [phase for phase in began if phase != "done"]
    lasted = {phase: began[after] - began[phase] for phase, after in pairwise(began)}

    # Every phase gets its share of kills, each at a random moment within the phase (within
    # its first 90 %, as the reference timed it: a phase can run faster in a trial).
    rng = random.Random(SEED)
    aimed = [phases[number % len(phases)] for number in range(TRIALS)]
    kills = [(phase, rng.uniform(0, 0.9 * lasted[phase])) for phase in aimed]

    def trial(number: int) -> Trial:
        name = f"trial-{number}"
        home, killed, phase = runner.run(name, kill=kills[number])
        after_kill = integrity(home / "mobwatch.db")
        runner.run(name)  # to completion
        outcome = read_outcome(home, counts.get(name, Counter()))
        return Trial(number, kills[number], killed, phase, after_kill, outcome)

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        trials = list(pool.map(trial, range(TRIALS)))
    took = time.monotonic() - started

    repeated = {channel: 0 for channel in CHANNELS}
    lost = 0
    for result in trials:
        out = result.outcome
        phase, seconds = result.kill
        where = f"trial {result.number} (killed {seconds:.2f} s into {phase}: {result.phase})"
        assert result.integrity_after_kill == "ok", where
        assert out.integrity == "ok", where
        assert len(out.keys) == len(set(out.keys)), f"{where}: duplicate observations"
        assert out.observations == reference.observations, where
        assert out.alerts == reference.alerts, where
        assert out.deliveries == len(CHANNELS) * len(reference.alerts), where
        assert out.delivered == {channel: len(reference.alerts) for channel in CHANNELS}, where
        assert all(line for line in out.jsonl), where
        for channel, got in (("jsonl", out.jsonl), ("webhook", out.received)):
            lost += len(reference.alerts - set(got))
            assert set(got) <= reference.alerts, where
            repeated[channel] += sum(got.values()) - len(got)
        sends_repeated = sum(out.jsonl.values()) - len(out.jsonl)
        sends_repeated += sum(out.received.values()) - len(out.received)
        # At least once, at one edge: one send between the kill and its record, no more.
        assert sends_repeated <= 1, f"{where}: {sends_repeated} sends repeated"
        assert sends_repeated == 0 or result.phase == "deliver", where
    assert lost == 0

    landed = Counter(result.phase for result in trials if result.killed)
    killed = sum(result.killed for result in trials)
    print(
        f"\nkill -9: {TRIALS} trials in {took:.1f} s, {killed} killed mid-pass "
        f"(pass {began['done']:.2f} s; kills landed in {dict(sorted(landed.items()))}); "
        f"{len(reference.observations)} observations, {len(reference.alerts)} alerts x "
        f"{len(CHANNELS)} channels; lost 0; duplicates in the store 0; repeated sends "
        f"{repeated} (at least once; the receiver deduplicates); integrity ok"
    )
