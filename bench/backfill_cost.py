"""What a backfill of the 10-year corpus costs, and the history report over what it stored.

The benchmark corpus (`bench/corpus.py`) is served on loopback by a process of its own; each
source's archive is read back to the corpus's first day with the backfill's stages
(`pipeline/backfill_stages.backfill_source`), one source after another, by a client that does
not pace its requests (`min_interval` 0: loopback is nobody's server). Then the history
report (`reports/build.py`) is built and written over the stored history. Prints, as
medians of several runs: wall time, requests, pages, documents, observations; the report's
build and write times.

    .venv/bin/python bench/backfill_cost.py [--runs 1] [--sources 60] [--years 3]

By default the corpus holds 3 years of history (about 30,000 documents): a few minutes.
The issue's 10 years (about 100,000 documents) is `--years 10`, which takes far longer
while saving each page reloads every stored regional payment (see BENCHMARKS.md).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from corpus import AS_OF, END, CorpusSpec, document_total
from corpus_server import CorpusServer

from mobwatch.fetching.client import HttpClient
from mobwatch.indicators.rules.config import load_marker_config
from mobwatch.pipeline.backfill_stages import backfill_source
from mobwatch.pipeline.settings import load_sources
from mobwatch.reports.build import build_report
from mobwatch.reports.files import write_report
from mobwatch.store.history import Change
from mobwatch.store.seed import seed_store
from mobwatch.store.store import Store


@dataclass
class Backfill:
    seconds: float = 0.0
    requests: int = 0
    pages: int = 0
    documents: int = 0
    new: int = 0
    updated: int = 0
    observations: int = 0  # in the store afterwards, the seeded history included
    report_build: float = 0.0
    report_write: float = 0.0
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def backfill_run(server: CorpusServer, scratch: Path) -> Backfill:
    """One backfill of every source into an empty store, then the report over it."""
    result = Backfill()
    sources = load_sources(server.write_sources(scratch, AS_OF))
    store = Store.open(f"sqlite:///{scratch / 'backfill.db'}")
    started = time.perf_counter()
    seed_store(store)
    with HttpClient(validators=store) as client:
        for source in sources:
            report = backfill_source(
                source, client=client, store=store, since=server.spec.start, until=END
            )
            result.requests += report.requests
            result.pages += report.pages
            result.documents += report.documents
            result.new += report.changes.get(Change.NEW, 0)
            result.updated += report.changes.get(Change.UPDATED, 0)
            result.notes += [f"{source.name}: {note}" for note in report.notes]
            result.errors += [f"{source.name}: {error}" for error in report.errors]
    result.seconds = time.perf_counter() - started
    history = store.observations()
    result.observations = len(history)
    started = time.perf_counter()
    report = build_report(history, load_marker_config(), as_of=AS_OF)
    result.report_build = time.perf_counter() - started
    started = time.perf_counter()
    write_report(report, scratch / "report")
    result.report_write = time.perf_counter() - started
    store.close()
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--sources", type=int, default=60)
    parser.add_argument("--years", type=int, default=3, help="of history in the corpus")
    args = parser.parse_args(argv)
    spec = CorpusSpec(sources=args.sources, years=args.years)
    runs: list[Backfill] = []
    with CorpusServer(spec, windows=[]) as server:
        published = document_total(server.plans)
        for run in range(args.runs):
            with tempfile.TemporaryDirectory(prefix=f"mobwatch-backfill-{run}-") as scratch:
                runs.append(backfill_run(server, Path(scratch)))

    def mid(name: str) -> float:
        return statistics.median(getattr(run, name) for run in runs)

    print(
        f"backfill of the benchmark corpus: {args.sources} sources, {args.years} years, "
        f"{published:,} items published, {server.routes:,} pages "
        f"({server.bytes / 2**20:.0f} MiB) (median of {args.runs} runs)\n"
    )
    rate = mid("documents") / mid("seconds")
    print(f"backfill          {mid('seconds'):8.1f} s   {rate:,.0f} documents/s")
    print(f"  requests        {mid('requests'):8,.0f}   pages downloaded {mid('pages'):,.0f}")
    print(f"  documents       {mid('documents'):8,.0f}   parsed and stored")
    print(f"  observations    {mid('new'):8,.0f}   new, {mid('updated'):,.0f} updated")
    print(f"history report    {mid('report_build') + mid('report_write'):8.1f} s   over ", end="")
    print(f"{mid('observations'):,.0f} observations")
    print(f"  build           {mid('report_build'):8.1f} s   series, figures, board, markers")
    print(f"  write           {mid('report_write'):8.1f} s   charts, page, CSV")
    for note in sorted(set(runs[0].notes)):
        print(f"note: {note}")
    for error in sorted(set(runs[0].errors)):
        print(f"error: {error}")
    return 1 if runs[0].errors else 0


if __name__ == "__main__":
    sys.exit(main())
