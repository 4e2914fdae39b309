"""One worker's monitoring pass, run as its own process by test_two_workers.py.

It runs the stages the Prefect flow runs (`flows/monitor.py`), in the flow's order, with the
flow's HTTP client: open the store, seed it, read every source, raise the alerts, deliver
them through the routing of `alerts.toml`. Stages rather than the flow: each process would
otherwise start a Prefect API of its own, and what two workers can race on is mobwatch's
store and its deliveries, not Prefect's bookkeeping.

It signals that it is ready (`ready` file), waits for the start signal (`go` file) so that
both workers begin together, and prints a JSON summary: each source's error, what it
delivered, and when each phase began and ended (wall clock: both workers share one).
"""

from __future__ import annotations

import json
import sys
import time
from datetime import date
from pathlib import Path

from mobwatch.indicators.rules.config import load_marker_config
from mobwatch.pipeline import stages
from mobwatch.pipeline.pass_client import pass_client
from mobwatch.pipeline.settings import Settings, load_sources
from mobwatch.store.seed import seed_store
from mobwatch.store.store import Store


def main(config: dict[str, str]) -> None:
    settings = Settings.resolve(
        home=config["home"], db=config["db"], sources=config["sources"], alerts=config["alerts"]
    )
    as_of = date.fromisoformat(config["as_of"])
    since = date.fromisoformat(config["since"])
    Path(config["ready"]).touch()
    while not Path(config["go"]).exists():
        time.sleep(0.001)
    times = {"start": time.time()}
    store = Store.open(settings.db_url)  # workers starting together on a new database
    try:
        seed_store(store)
        times["read"] = time.time()
        with pass_client(store, settings.sources_file) as client:
            reports = [
                stages.read_source(source, client=client, store=store, since=since)
                for source in load_sources(settings.sources_file)
            ]
        times["alerts"] = time.time()
        markers = load_marker_config(settings.markers_file)
        window = int(config["window_days"])
        stages.raise_alerts(store, markers, as_of=as_of, window_days=window, reports=reports)
        times["deliver"] = time.time()
        delivery = stages.deliver(store, settings, as_of=as_of)
        times["done"] = time.time()
    finally:
        store.close()
    summary = {
        "errors": {report.source: report.error for report in reports if report.error},
        "delivered": delivery.delivered,
        "failed": delivery.failed,
        "times": times,
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
