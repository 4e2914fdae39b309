"""From publication to alert: how long after a decree appears does Slack hear of it?

The monitoring deployment runs as `mobwatch serve` runs it (Prefect's runner, a local
Prefect server, each pass a child process), on an interval schedule, against one loopback
copy of the legal portal's search API. Once the first pass has settled, a mobilisation
decree is published at a random moment; the time until a loopback Slack webhook receives
the alert naming it is the latency. It is at most the schedule's interval (waiting for the
next pass) plus one pass (starting the run's process, fetching, markers, delivery).

    .venv/bin/python bench/latency.py --runs 3 --interval 30

Everything stays on 127.0.0.1; Prefect's home and the store live in a temporary directory.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from mobwatch.demo.server import LoopbackServer, Reply, Request
from mobwatch.indicators.calendar import today_in_moscow

PRESIDENT = "225698f1-cfbc-4e42-9caa-32f9f7403211"
DECREE = "0790e34b-784b-4372-884e-3282622a24bd"
FIRST_NUMBER = 9001


def decree(number: int) -> dict[str, object]:
    """A search-API item in the portal's format (docs/sources.md), dated today in Moscow."""
    today = today_in_moscow()
    name = '"Об объявлении частичной мобилизации в Российской Федерации"'
    label = f"Указ Президента Российской Федерации от {today:%d.%m.%Y} № {number}"
    return {
        "id": hashlib.sha256(str(number).encode()).hexdigest()[:32],
        "eoNumber": f"0001{today:%Y%m%d}{number:04d}",
        "complexName": f"{label}\n {name}",
        "title": f"{label}<br /> {name}",
        "name": name,
        "number": str(number),
        "documentDate": f"{today:%Y-%m-%d}T00:00:00",
        "publishDateShort": f"{today:%Y-%m-%d}T00:00:00",
        "viewDate": f"{today:%d.%m.%Y}",
        "documentTypeId": DECREE,
        "signatoryAuthorityId": PRESIDENT,
        "pagesCount": 1,
        "hasSvg": False,
        "jdRegDate": None,
        "jdRegNumber": None,
        "pdfFileLength": 1000,
        "zipFileLength": None,
    }


class Portal:
    """The search API's one page of results, with ETags, so unchanged passes get 304."""

    def __init__(self, server: LoopbackServer) -> None:
        self._items: list[dict[str, object]] = []
        self._lock = threading.Lock()
        self.asked = 0
        server.add_handler("/api/Documents", self._answer)

    def publish(self, item: dict[str, object]) -> None:
        with self._lock:
            self._items.insert(0, item)

    def _answer(self, request: Request, raw: BaseHTTPRequestHandler) -> Reply:
        with self._lock:
            self.asked += 1
            body = json.dumps(
                {
                    "items": self._items,
                    "itemsTotalCount": len(self._items),
                    "itemsPerPage": 30,
                    "currentPage": 1,
                    "pagesTotalCount": 1,
                },
                ensure_ascii=False,
            ).encode()
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if request.headers.get("if-none-match") == etag:
            return Reply(304, b"", content_type=None, headers={"ETag": etag})
        return Reply(
            200, body, content_type="application/json; charset=utf-8", headers={"ETag": etag}
        )


class Slack:
    """A Slack incoming webhook that notes when each message arrived."""

    def __init__(self, server: LoopbackServer, path: str) -> None:
        self.url = server.url + path
        self._messages: list[tuple[float, str]] = []
        self._lock = threading.Lock()
        server.add_handler(path, self._receive)

    def _receive(self, request: Request, raw: BaseHTTPRequestHandler) -> Reply:
        with self._lock:
            self._messages.append((time.monotonic(), request.body.decode("utf-8", "replace")))
        return Reply(200, b"ok")

    def arrival(self, needle: str) -> float | None:
        with self._lock:
            return next((at for at, text in self._messages if needle in text), None)


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"latency: gave up waiting for {what} after {timeout:.0f} s")
        time.sleep(0.2)


def serve_child(home: Path, sources: Path, interval: float) -> None:
    """The monitoring deployment on an interval, served the way `mobwatch serve` serves."""
    from prefect.deployments.runner import EntrypointType

    from mobwatch.flows.monitor import monitor
    from mobwatch.runtime.serve import serve_deployments
    from mobwatch.runtime.signals import Stopped, stop_on_signals

    deployment = monitor.to_deployment(
        name="monitor-latency",
        interval=interval,
        parameters={"home": str(home), "sources": str(sources)},
        entrypoint_type=EntrypointType.MODULE_PATH,
    )
    try:
        with stop_on_signals():
            serve_deployments(
                [deployment],
                environment={},
                server_log=home / "prefect.log",
                home=home,
                out=sys.stdout,
            )
    except Stopped:
        pass


def measure(runs: int, interval: float, settle: float) -> list[float]:
    latencies: list[float] = []
    with (
        tempfile.TemporaryDirectory(prefix="mobwatch-latency-") as scratch,
        LoopbackServer() as site,
        LoopbackServer() as receivers,
    ):
        home = Path(scratch)
        portal = Portal(site)
        slack = Slack(receivers, "/services/T000/B000/latency")
        sources = home / "sources.toml"
        sources.write_text(
            f'[[sources]]\nname = "pravo-president"\nparser = "pravo_api"\n'
            f'url = "{site.url}/api/Documents"\nsignatory_authority = "{PRESIDENT}"\n'
            f'document_types = ["{DECREE}"]\n',
            "utf-8",
        )
        env = {
            **os.environ,
            "PREFECT_HOME": str(home / "prefect"),
            "MOBWATCH_SLACK_WEBHOOK_URL": slack.url,
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("PREFECT_API_URL", None)
        command = [sys.executable, __file__, "--child", str(home), str(sources), str(interval)]
        log = (home / "serve.log").open("wb")
        child = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_for(lambda: portal.asked > 0, 180 + interval, "the first scheduled pass")
            time.sleep(settle)  # the first pass delivers what history alone fires
            for run in range(runs):
                time.sleep(random.uniform(0, interval))
                number = FIRST_NUMBER + run
                published = time.monotonic()
                portal.publish(decree(number))
                wait_for(
                    lambda n=number: slack.arrival(f"No. {n}") is not None,
                    interval * 2 + 120,
                    f"the alert on decree No. {number}",
                )
                latency = (slack.arrival(f"No. {number}") or published) - published
                latencies.append(latency)
                print(f"  run {run + 1}: decree No. {number} alerted after {latency:.1f} s")
        finally:
            child.send_signal(signal.SIGTERM)
            try:
                child.wait(timeout=60)
            except subprocess.TimeoutExpired:
                child.kill()
            log.close()
    return latencies


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        serve_child(Path(sys.argv[2]), Path(sys.argv[3]), float(sys.argv[4]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--interval", type=float, default=30.0, help="schedule, seconds")
    parser.add_argument("--settle", type=float, default=15.0, help="after the first pass, s")
    args = parser.parse_args()
    random.seed(13)
    print(
        f"publication to Slack alert, monitoring deployment served every {args.interval:.0f} s "
        f"({args.runs} decrees published at random moments)"
    )
    latencies = measure(args.runs, args.interval, args.settle)
    print(
        f"latency: median {statistics.median(latencies):.1f} s, max {max(latencies):.1f} s; "
        f"beyond the interval: max {max(latencies) - args.interval:+.1f} s (target ≤ 60 s)"
    )


if __name__ == "__main__":
    main()
