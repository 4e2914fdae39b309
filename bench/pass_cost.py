"""What one monitoring pass costs: cold (empty store) against warm (nothing changed), and
Prefect's overhead over calling the stages directly.

By default the demo's sample sources (14) are served on loopback; with `--corpus`, the
benchmark corpus (`bench/corpus.py`: 60 sources, about 300 documents each in the window
read, served by a process of its own). Prints, as medians of several runs: wall time,
requests, bytes downloaded, pages and documents parsed for a cold and a warm pass, their
ratio, and the same passes run as the Prefect flow.

    .venv/bin/python bench/pass_cost.py [--runs 5]
    .venv/bin/python bench/pass_cost.py --corpus [--runs 3] [--sources 60] [--per-source 300]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from mobwatch.runtime.prefect_defaults import apply_prefect_defaults

apply_prefect_defaults()
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")  # the figures, not the run's log

from corpus import AS_OF as CORPUS_AS_OF  # noqa: E402
from corpus import CorpusSpec, pass_since  # noqa: E402
from corpus_server import CorpusServer  # noqa: E402

from mobwatch.demo.server import LoopbackServer  # noqa: E402
from mobwatch.fetching.client import HttpClient, NotModified  # noqa: E402
from mobwatch.fetching.page import Page  # noqa: E402
from mobwatch.flows.demo import DEMO_SINCE, SAMPLES, write_demo_sources  # noqa: E402
from mobwatch.indicators.rules.config import load_marker_config  # noqa: E402
from mobwatch.pipeline.settings import Settings, load_http_settings, load_sources  # noqa: E402
from mobwatch.pipeline.stages import (  # noqa: E402
    deliver,
    marker_round,
    raise_operator_alerts,
    read_source,
)
from mobwatch.store.history import Change  # noqa: E402
from mobwatch.store.seed import seed_store  # noqa: E402
from mobwatch.store.store import Store  # noqa: E402

DEMO_AS_OF = date(2025, 12, 1)


@dataclass
class Tally:
    requests: int = 0
    not_modified: int = 0
    bytes: int = 0
    pages: int = 0  # bodies parsed
    documents: int = 0
    new: int = 0  # observations stored for the first time
    updated: int = 0  # stored ones a document enriched (a seeded act merged with its source)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0


@dataclass(frozen=True)
class Setup:
    """What a pass reads: the sources file, the window's start, the day it runs as of."""

    sources_file: Path
    since: date
    as_of: date


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

    def expect(self, urls: Collection[str]) -> None:
        self._client.expect(urls)

    def remember(self, *pages: Page) -> None:
        self._client.remember(*pages)


def direct_pass(store: Store, settings: Settings, setup: Setup) -> Tally:
    """One pass through the stages `monitor` composes, each called once, without Prefect:
    every source read, the markers' and the operator's alerts raised, then delivered."""
    tally = Tally()
    started = time.perf_counter()
    seed_store(store)
    reports = []
    with HttpClient(validators=store, **load_http_settings(setup.sources_file)) as client:
        counting = CountingClient(client, tally)
        for source in load_sources(setup.sources_file):
            report = read_source(source, client=counting, store=store, since=setup.since)  # type: ignore[arg-type]
            reports.append(report)
            tally.pages += report.pages
            tally.documents += report.documents
            tally.new += report.changes.get(Change.NEW, 0)
            tally.updated += report.changes.get(Change.UPDATED, 0)
            tally.errors += [f"{source.name}: {error}" for error in report.errors]
    config = load_marker_config(settings.markers_file)
    markers = marker_round(store, config, as_of=setup.as_of, window_days=30)
    raise_operator_alerts(store, config, as_of=setup.as_of, reports=reports)
    with contextlib.redirect_stdout(io.StringIO()):  # the console channel's alerts
        deliver(store, settings, as_of=setup.as_of, risk_level=markers.risk_level)
    tally.seconds = time.perf_counter() - started
    return tally


def median(tallies: Sequence[Tally], name: str) -> float:
    return statistics.median(getattr(tally, name) for tally in tallies)


def measure(runs: int, setup: Setup, scratch: Path) -> tuple[list[Tally], list[Tally]]:
    cold, warm = [], []
    for run in range(runs):
        settings = Settings.resolve(home=scratch / f"direct-{run}", sources=setup.sources_file)
        store = Store.open(settings.db_url)
        cold.append(direct_pass(store, settings, setup))
        warm.append(direct_pass(store, settings, setup))
        store.close()
    return cold, warm


def prefect_pass_seconds(runs: int, setup: Setup, scratch: Path) -> tuple[list[float], list[float]]:
    """The same cold and warm passes as the monitoring flow, on a temporary Prefect API."""
    from prefect.testing.utilities import prefect_test_harness

    from mobwatch.flows.monitor import monitor

    def run(home: Path) -> float:
        started = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):  # the console channel's alerts
            monitor(
                home=str(home),
                sources=str(setup.sources_file),
                since=setup.since.isoformat(),
                as_of=setup.as_of.isoformat(),
                window_days=30,
            )
        return time.perf_counter() - started

    cold, warm = [], []
    with prefect_test_harness(server_startup_timeout=90):
        run(scratch / "warmup")  # the harness's first flow run pays for its own set-up
        for number in range(runs):
            cold.append(run(scratch / f"flow-{number}"))
            warm.append(run(scratch / f"flow-{number}"))
    return cold, warm


def report(rows: Mapping[str, Callable[[], str]]) -> None:
    width = max(map(len, rows))
    for name, value in rows.items():
        print(f"{name:<{width}}  {value()}")


def pass_rows(cold: list[Tally], warm: list[Tally]) -> dict[str, Callable[[], str]]:
    cold_s, warm_s = median(cold, "seconds"), median(warm, "seconds")
    conditional = all(t.requests == t.not_modified for t in warm)
    return {
        "cold pass (empty store)": lambda: (
            f"{cold_s * 1000:9.1f} ms  requests {median(cold, 'requests'):.0f}, "
            f"bytes {median(cold, 'bytes'):,.0f}, pages parsed {median(cold, 'pages'):.0f}, "
            f"documents parsed {median(cold, 'documents'):,.0f}, "
            f"observations {median(cold, 'new'):,.0f} new, {median(cold, 'updated'):,.0f} enriched"
        ),
        "warm pass (nothing changed)": lambda: (
            f"{warm_s * 1000:9.1f} ms  requests {median(warm, 'requests'):.0f} "
            f"({median(warm, 'not_modified'):.0f} answered 304"
            f"{', all conditional' if conditional else ', NOT ALL CONDITIONAL'}), bytes "
            f"{median(warm, 'bytes'):.0f}, pages parsed {median(warm, 'pages'):.0f}, "
            f"documents parsed {median(warm, 'documents'):.0f}"
        ),
        "cold / warm": lambda: f"{cold_s / warm_s:9.1f} x",
    }


def prefect_rows(
    cold: list[Tally], warm: list[Tally], flow_cold: list[float], flow_warm: list[float]
) -> dict[str, Callable[[], str]]:
    cold_s, warm_s = median(cold, "seconds"), median(warm, "seconds")
    flow_cold_s, flow_warm_s = statistics.median(flow_cold), statistics.median(flow_warm)
    return {
        "same cold pass as a Prefect flow": lambda: f"{flow_cold_s * 1000:9.1f} ms",
        "Prefect overhead, cold pass": lambda: f"{(flow_cold_s - cold_s) * 1000:9.1f} ms",
        "same warm pass as a Prefect flow": lambda: f"{flow_warm_s * 1000:9.1f} ms",
        "Prefect overhead, warm pass": lambda: f"{(flow_warm_s - warm_s) * 1000:9.1f} ms",
    }


@contextlib.contextmanager
def served(args: argparse.Namespace, scratch: Path) -> Iterator[tuple[Setup, str]]:
    """The sources a pass reads, served on loopback, and a line saying what they are."""
    if not args.corpus:
        with LoopbackServer.from_directory(SAMPLES) as server:
            sources = write_demo_sources(server.url, scratch)
            yield Setup(sources, DEMO_SINCE, DEMO_AS_OF), "the demo sources"
        return
    spec = CorpusSpec(sources=args.sources)
    since = pass_since(spec, args.per_source)
    with CorpusServer(spec, [since]) as server:
        setup = Setup(server.write_sources(scratch, since), since, CORPUS_AS_OF)
        yield setup, f"the benchmark corpus ({args.sources} sources, reading back to {since})"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--corpus", action="store_true", help="the benchmark corpus, not the demo")
    parser.add_argument("--sources", type=int, default=60, help="with --corpus: how many")
    parser.add_argument(
        "--per-source", type=int, default=300, help="with --corpus: documents a source publishes"
    )
    parser.add_argument("--no-prefect", action="store_true", help="skip the flow's runs")
    args = parser.parse_args(argv)
    with (
        tempfile.TemporaryDirectory(prefix="mobwatch-bench-") as tmp,
        served(args, Path(tmp)) as (setup, what),
    ):
        cold, warm = measure(args.runs, setup, Path(tmp))
        flows = None if args.no_prefect else prefect_pass_seconds(args.runs, setup, Path(tmp))
    print(f"mobwatch pass cost over {what} (median of {args.runs} runs)\n")
    rows = pass_rows(cold, warm)
    if flows is not None:
        rows |= prefect_rows(cold, warm, *flows)
    report(rows)
    errors = sorted({error for tally in cold for error in tally.errors})
    for error in errors:
        print(f"source error: {error}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
