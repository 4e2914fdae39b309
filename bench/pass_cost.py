"""What one monitoring pass costs: cold (empty store) against warm (nothing changed), and
Prefect's overhead over calling the stages directly.

Serves the demo's sample sources on loopback and prints, as medians of several runs:
wall time, requests, bytes downloaded and documents parsed for a cold and a warm pass,
their ratio, and the time of the same pass run as the Prefect flow.

    .venv/bin/python bench/pass_cost.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flows.prefect_defaults import apply_prefect_defaults

apply_prefect_defaults()

from demo.server import LoopbackServer  # noqa: E402
from fetching.client import HttpClient, NotModified  # noqa: E402
from fetching.page import Page  # noqa: E402
from flows.demo import DEMO_SINCE, SAMPLES, write_demo_sources  # noqa: E402
from flows.settings import load_sources  # noqa: E402
from flows.stages import raise_alerts, read_source  # noqa: E402
from indicators.config import load_marker_config  # noqa: E402
from indicators.seed import seed_store  # noqa: E402
from indicators.store import Store  # noqa: E402

AS_OF = date(2025, 12, 1)


@dataclass
class Tally:
    requests: int = 0
    not_modified: int = 0
    bytes: int = 0
    documents: int = 0
    seconds: float = 0.0


class CountingClient:
    """The real client, with the requests and bytes of one pass counted."""

    def __init__(self, client: HttpClient, tally: Tally) -> None:
        self._client = client
        self._tally = tally

    def get(self, url: str, **kwargs: object) -> Page | NotModified:
        result = self._client.get(url, **kwargs)  # type: ignore[arg-type]
        self._tally.requests += 1
        if isinstance(result, NotModified):
            self._tally.not_modified += 1
        else:
            self._tally.bytes += len(result.body)
        return result

    def remember(self, page: Page) -> None:
        self._client.remember(page)


def direct_pass(store: Store, sources_file: Path) -> Tally:
    tally = Tally()
    started = time.perf_counter()
    seed_store(store)
    with HttpClient(validators=store) as client:
        counting = CountingClient(client, tally)
        for source in load_sources(sources_file):
            report = read_source(source, client=counting, store=store, since=DEMO_SINCE)  # type: ignore[arg-type]
            tally.documents += report.documents
    raise_alerts(store, load_marker_config(), as_of=AS_OF, window_days=30)
    tally.seconds = time.perf_counter() - started
    return tally


def median(tallies: Sequence[Tally], field: str) -> float:
    return statistics.median(getattr(tally, field) for tally in tallies)


def measure(runs: int, sources_file: Path, scratch: Path) -> tuple[list[Tally], list[Tally]]:
    cold, warm = [], []
    for run in range(runs):
        store = Store.open(f"sqlite:///{scratch / f'bench-{run}.db'}")
        cold.append(direct_pass(store, sources_file))
        warm.append(direct_pass(store, sources_file))
        store.close()
    return cold, warm


def prefect_pass_seconds(runs: int, sources_file: Path, scratch: Path) -> list[float]:
    from prefect.testing.utilities import prefect_test_harness

    from flows.monitor import monitor

    seconds = []
    with prefect_test_harness(server_startup_timeout=90):
        monitor(home=str(scratch / "warmup"), sources=str(sources_file), as_of=AS_OF.isoformat())
        for run in range(runs):
            started = time.perf_counter()
            monitor(
                home=str(scratch / f"flow-{run}"),
                sources=str(sources_file),
                since=DEMO_SINCE.isoformat(),
                as_of=AS_OF.isoformat(),
                window_days=30,
            )
            seconds.append(time.perf_counter() - started)
    return seconds


def report(rows: Mapping[str, Callable[[], str]]) -> None:
    width = max(map(len, rows))
    for name, value in rows.items():
        print(f"{name:<{width}}  {value()}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    with (
        LoopbackServer.from_directory(SAMPLES) as server,
        tempfile.TemporaryDirectory(prefix="mobwatch-bench-") as tmp,
    ):
        scratch = Path(tmp)
        sources_file = write_demo_sources(server.url, scratch)
        cold, warm = measure(args.runs, sources_file, scratch)
        flow_seconds = prefect_pass_seconds(args.runs, sources_file, scratch)
    cold_s, warm_s = median(cold, "seconds"), median(warm, "seconds")
    direct_s, flow_s = cold_s, statistics.median(flow_seconds)
    print(f"mobwatch pass cost over the demo sources (median of {args.runs} runs)\n")
    report(
        {
            "cold pass (empty store)": lambda: (
                f"{cold_s * 1000:8.1f} ms  requests {median(cold, 'requests'):.0f}, "
                f"bytes {median(cold, 'bytes'):.0f}, documents parsed "
                f"{median(cold, 'documents'):.0f}"
            ),
            "warm pass (nothing changed)": lambda: (
                f"{warm_s * 1000:8.1f} ms  requests {median(warm, 'requests'):.0f} "
                f"({median(warm, 'not_modified'):.0f} answered 304), bytes "
                f"{median(warm, 'bytes'):.0f}, documents parsed {median(warm, 'documents'):.0f}"
            ),
            "cold / warm": lambda: f"{cold_s / warm_s:8.1f} x",
            "same cold pass as a Prefect flow": lambda: f"{flow_s * 1000:8.1f} ms",
            "Prefect overhead per pass": lambda: f"{(flow_s - direct_s) * 1000:8.1f} ms",
        }
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
