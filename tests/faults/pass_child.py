"""One monitoring pass, run in a child process that the kill -9 test kills (test_kill9.py).

It runs the stages the Prefect flow runs (`flows/monitor.py`), in the flow's order: seed
the store, read every source, raise the alerts, deliver them, here to the JSON Lines file
and to a webhook receiver on loopback. It calls the stages directly rather than the flow:
starting Prefect's temporary API in each child would take about ten seconds a run, and the
writes a kill can tear are mobwatch's own, not Prefect's bookkeeping. Sources are read one
after another (the flow reads them on a thread pool) so that every run merges reports of
the same act in the same order, and runs can be compared record for record.

The test process has a fork server import mobwatch once (`PRELOAD`), so a child starts
in milliseconds. Progress goes to a file, one word a line, written unbuffered so that what a
kill interrupted can be read afterwards.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import httpx

from mobwatch.alerts.channels import DeliveryError, JsonlChannel
from mobwatch.alerts.outbox import deliver_pending
from mobwatch.fetching.client import HttpClient
from mobwatch.indicators.model import Alert
from mobwatch.indicators.rules.config import load_marker_config
from mobwatch.pipeline import stages
from mobwatch.pipeline.settings import load_sources
from mobwatch.store.seed import seed_store
from mobwatch.store.store import Store

AS_OF = date(2025, 12, 1)
SINCE = date(2022, 1, 1)
WINDOW_DAYS = 400  # the acts of the samples' last year or so alert: 20 alerts to deliver
CLIENT = {"connect_timeout": 2, "read_timeout": 2, "total_timeout": 10, "retries": 1}
# What the fork server imports once for all children. This module itself is not among them:
# it lives beside the tests, off the fork server's path (Python 3.11 does not pass it on).
PRELOAD = (
    "mobwatch.alerts.channels",
    "mobwatch.alerts.outbox",
    "mobwatch.fetching.client",
    "mobwatch.pipeline.settings",
    "mobwatch.pipeline.stages",
    "httpx",
    "mobwatch.indicators.rules.config",
    "mobwatch.store.seed",
    "mobwatch.store.store",
)


@dataclass
class WebhookChannel:
    """Posts each alert's fingerprint; the receiver is idempotent on it."""

    url: str
    client: httpx.Client
    name: str = "webhook"

    def send(self, alert: Alert) -> None:
        try:
            answer = self.client.post(self.url, content=alert.fingerprint.encode())
        except httpx.HTTPError as error:
            raise DeliveryError(f"webhook unreachable: {type(error).__name__}") from error
        if answer.status_code >= 300:
            raise DeliveryError(f"webhook answered HTTP {answer.status_code}")


def run(db_url: str, sources_file: str, home: str, receiver: str, progress: str) -> None:
    """The pass; `progress` collects `<seconds> <phase>` lines as each phase begins:
    `seed`, `read <source>`, `alerts`, `deliver`, and `done` at the end."""
    marks = os.open(progress, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    started = time.monotonic()

    def mark(word: str) -> None:
        os.write(marks, f"{time.monotonic() - started:.3f} {word}\n".encode())

    config = load_marker_config()
    store = Store.open(db_url)
    try:
        mark("seed")
        seed_store(store)
        reports = []
        with HttpClient(validators=store, sleep=lambda seconds: None, **CLIENT) as client:
            for source in load_sources(Path(sources_file)):
                mark(f"read {source.name}")
                reports.append(stages.read_source(source, client=client, store=store, since=SINCE))
        mark("alerts")
        stages.raise_alerts(store, config, as_of=AS_OF, window_days=WINDOW_DAYS, reports=reports)
        mark("deliver")
        with httpx.Client(timeout=5) as http:
            channels = [JsonlChannel(Path(home) / "alerts.jsonl"), WebhookChannel(receiver, http)]
            deliver_pending(store, channels)
        mark("done")
    finally:
        store.close()
        os.close(marks)
