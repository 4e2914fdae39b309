"""Two workers, one store: the same pass run by two processes at the same moment.

Each worker is an OS process of its own (`worker_child.py`: the pass's stages, with the
pass's HTTP client), both pointed at one database (a SQLite file, or PostgreSQL), the same
loopback sources (the demo's samples) and one loopback Slack webhook. They start on one
signal, from a database that does not exist yet, so they race on everything: creating the
tables, seeding, archiving the same pages, storing the same facts, raising the same alerts
and delivering them. Against a single worker's pass over the same sources:

- both passes complete, no source failing in either;
- zero duplicate observations, zero duplicate alerts, and the store holds what the single
  worker's pass stores: the same observations record for record, the same alerts, the
  same bodies;
- each alert is delivered exactly once on each channel: once in the store, once at the
  webhook, once in the two workers' `alerts.jsonl` files together.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from mobwatch.demo.server import LoopbackServer
from mobwatch.flows.demo import SAMPLES, write_demo_sources
from mobwatch.store.records import observation_to_record
from mobwatch.store.store import Store
from mobwatch.store.tables import alerts, bodies, deliveries
from tests.alerts.receivers import Webhook

ROOT = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).with_name("worker_child.py")
WORKERS = 2
ROUNDS = 3
AS_OF, SINCE = "2025-12-01", "2022-01-01"
WINDOW_DAYS = 2000  # every act of the samples alerts: dozens of alerts to deliver
CHANNELS = ("slack", "jsonl")
ROUTING = """
[routing]
critical = ["slack", "jsonl"]
warning = ["slack", "jsonl"]
info = ["slack", "jsonl"]
operator = ["slack", "jsonl"]

[outbox]
tries_per_run = 1
retry_delay_seconds = 0.0
backoff_minutes = 0.0
max_backoff_minutes = 0.0
timeout_seconds = 5.0

[channel_failing]
failed_runs = 3
undelivered_minutes = 60

[digest]
channels = ["console"]
escalation_days = 90
observation_hours = 24
"""


@dataclass(frozen=True)
class Site:
    """What every run shares: the sources (one server, so the same URLs in every record),
    the webhook server and the routing."""

    samples: LoopbackServer
    sources: Path
    hooks: LoopbackServer
    alerts: Path


@dataclass
class Run:
    summaries: list[dict[str, Any]]
    webhook: Counter[str]  # fingerprint → messages the webhook accepted
    jsonl: Counter[str]  # fingerprint → lines in the workers' alerts.jsonl files together
    took: float


@dataclass
class Contents:
    observations: list[dict[str, object]]
    keys: list[str]
    alerts: list[str]
    delivered: Counter[tuple[str, str]]  # (fingerprint, channel) → delivered rows
    bodies: set[str]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    directory = tmp_path_factory.mktemp("workers")
    with LoopbackServer.from_directory(SAMPLES) as samples, LoopbackServer() as hooks:
        routing = directory / "alerts.toml"
        routing.write_text(ROUTING, "utf-8")
        yield Site(samples, write_demo_sources(samples.url, directory), hooks, routing)


def run_workers(site: Site, db: str, root: Path, count: int) -> Run:
    """`count` workers on one database, started together; each must complete."""
    webhook = Webhook(site.hooks, f"/services/{root.name}/analysts")
    env = {**os.environ, "MOBWATCH_SLACK_WEBHOOK_URL": webhook.url, "PYTHONPATH": str(ROOT)}
    go = root / "go"
    homes = [root / f"worker-{number}" for number in range(count)]
    workers = []
    for home in homes:
        home.mkdir(parents=True)
        config = {
            "db": db,
            "home": str(home),
            "sources": str(site.sources),
            "alerts": str(site.alerts),
            "as_of": AS_OF,
            "since": SINCE,
            "window_days": str(WINDOW_DAYS),
            "ready": str(home / "ready"),
            "go": str(go),
        }
        command = [sys.executable, str(CHILD), json.dumps(config)]
        workers.append(
            subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
        )
    deadline = time.monotonic() + 60
    while not all((home / "ready").exists() for home in homes):
        assert all(worker.poll() is None for worker in workers), "a worker died while starting"
        assert time.monotonic() < deadline, "the workers never got ready"
        time.sleep(0.01)
    started = time.monotonic()
    go.touch()
    outputs = [worker.communicate(timeout=180)[0] for worker in workers]
    took = time.monotonic() - started
    assert [worker.returncode for worker in workers] == [0] * count
    jsonl: Counter[str] = Counter()
    # A worker that found every alert delivered by the other wrote no file.
    for written in (home / "alerts.jsonl" for home in homes if (home / "alerts.jsonl").exists()):
        jsonl.update(
            json.loads(line)["fingerprint"] for line in written.read_text("utf-8").split("\n")[:-1]
        )
    return Run(
        summaries=[json.loads(output.splitlines()[-1]) for output in outputs],
        webhook=Counter(webhook.fingerprints()),
        jsonl=jsonl,
        took=took,
    )


def read_contents(db: str) -> Contents:
    store = Store.open(db)
    try:
        stored = store.observations()
        with store.engine.connect() as conn:
            fingerprints = list(conn.execute(sa.select(alerts.c.fingerprint)).scalars())
            delivered = conn.execute(
                sa.select(alerts.c.fingerprint, deliveries.c.channel)
                .join(alerts, alerts.c.id == deliveries.c.alert_id)
                .where(deliveries.c.delivered_at.is_not(None))
            )
            pairs = Counter((row.fingerprint, row.channel) for row in delivered)
            hashes = set(conn.execute(sa.select(bodies.c.hash)).scalars())
    finally:
        store.close()
    return Contents(
        observations=[observation_to_record(obs) for obs in stored],
        keys=[obs.key for obs in stored],
        alerts=fingerprints,
        delivered=pairs,
        bodies=hashes,
    )


@pytest.fixture(scope="module")
def single(site: Site, tmp_path_factory: pytest.TempPathFactory) -> tuple[Contents, Run]:
    """The reference: one worker's pass over the same sources."""
    root = tmp_path_factory.mktemp("single")
    db = f"sqlite:///{root / 'mobwatch.db'}"
    run = run_workers(site, db, root, 1)
    return read_contents(db), run


def overlap(summaries: list[dict[str, Any]], start: str, end: str) -> float:
    """Seconds during which every worker was between `start` and `end` at once."""
    times = [summary["times"] for summary in summaries]
    return min(t[end] for t in times) - max(t[start] for t in times)


@pytest.mark.parametrize("attempt", range(ROUNDS))
def test_two_workers_running_one_pass_store_and_send_everything_once(
    site: Site,
    single: tuple[Contents, Run],
    db_url: str,
    tmp_path: Path,
    attempt: int,
) -> None:
    reference, alone = single
    assert reference.alerts, "the samples raise alerts: the delivery race is exercised"
    run = run_workers(site, db_url, tmp_path / f"run-{attempt}", WORKERS)

    for summary in run.summaries:
        assert summary["errors"] == {} and summary["failed"] == {}
    # They ran together: reading the sources, and delivering.
    assert overlap(run.summaries, "read", "alerts") > 0

    got = read_contents(db_url)
    assert len(got.keys) == len(set(got.keys)), "duplicate observations"
    assert len(got.alerts) == len(set(got.alerts)), "duplicate alerts"
    assert got.observations == reference.observations
    assert sorted(got.alerts) == sorted(reference.alerts)
    assert got.bodies == reference.bodies
    # Exactly once on each channel: in the store, at the webhook and in the files.
    expected = Counter({(fp, channel): 1 for fp in reference.alerts for channel in CHANNELS})
    assert got.delivered == expected
    assert run.webhook == Counter(dict.fromkeys(reference.alerts, 1))
    assert run.jsonl == Counter(dict.fromkeys(reference.alerts, 1))
    sent = [sum(summary["delivered"].values()) for summary in run.summaries]
    assert sum(sent) == len(CHANNELS) * len(reference.alerts)
    print(
        f"\n{WORKERS} workers ({db_url.split(':')[0]}, round {attempt}): {run.took:.1f} s "
        f"(one alone: {alone.took:.1f} s); {len(got.keys)} observations, "
        f"{len(got.alerts)} alerts x {len(CHANNELS)} channels, sent by each worker {sent}; "
        f"read together {overlap(run.summaries, 'read', 'alerts'):.2f} s; "
        f"duplicates 0"
    )
