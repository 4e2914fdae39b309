"""Peak memory of one monitoring pass, and how it grows with the documents read.

For each size (by default about 5,000, 10,000 and 20,000 documents) the benchmark corpus
(`bench/corpus.py`) is served on loopback with a window holding that many documents, and a
cold pass (empty store, the stages called directly) runs in a fresh child process, so the
figures are that pass's alone: the growth of the peak resident set (`ru_maxrss`) over the
child's size once it has imported everything, and the peak of Python's allocations traced
by `tracemalloc` during the pass. A pass reads one source at a time and keeps nothing of a
source after it is stored, so the peak should stay flat as the documents grow.

    .venv/bin/python bench/memory_cost.py [--runs 1] [--documents 5000 10000 20000]
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from corpus import AS_OF, CorpusSpec, pass_since
from corpus_server import CorpusServer

DOCUMENTS_PER_ITEM = 70 / 60  # a pass reads ~70 documents for 60 items a source publishes
MiB = 2**20


def child(sources_file: Path, since: date, scratch: Path, traced: bool) -> dict[str, float]:
    """One cold pass in this process: its documents and memory, as a JSON-able dict."""
    from pass_cost import Setup, direct_pass

    from mobwatch.pipeline.settings import Settings
    from mobwatch.store.store import Store

    settings = Settings.resolve(home=scratch, sources=sources_file)
    store = Store.open(settings.db_url)
    gc.collect()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kB on Linux
    if traced:
        tracemalloc.start()
    started = time.perf_counter()
    tally = direct_pass(store, settings, Setup(sources_file, since, AS_OF))
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if traced else 0
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    store.close()
    return {
        "documents": tally.documents,
        "errors": len(tally.errors),
        "rss_before": before,
        "rss_growth": after - before,
        "traced_peak": peak,
        "seconds": seconds,
    }


def measure(sources_file: Path, since: date, traced: bool) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="mobwatch-memory-") as scratch:
        command = [sys.executable, __file__, "--child", str(sources_file), since.isoformat()]
        command += [scratch, *([] if traced else ["--no-tracemalloc"])]
        out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--documents", type=int, nargs="+", default=[5_000, 10_000, 20_000])
    parser.add_argument("--sources", type=int, default=60)
    parser.add_argument("--no-tracemalloc", action="store_true", help="ru_maxrss only (faster)")
    parser.add_argument(
        "--child", nargs=3, metavar=("SOURCES", "SINCE", "SCRATCH"), help="run one pass here"
    )
    args = parser.parse_args(argv)
    if args.child:
        sources_file, since, scratch = args.child
        traced = not args.no_tracemalloc
        result = child(Path(sources_file), date.fromisoformat(since), Path(scratch), traced)
        print(json.dumps(result))
        return 0
    print(
        f"peak memory of one cold pass over the benchmark corpus ({args.sources} sources, ", end=""
    )
    print(f"median of {args.runs} runs)\n")
    print(
        f"{'documents':>10} {'RSS before':>11} {'RSS growth':>11} {'traced peak':>12} {'time':>8}"
    )
    for target in args.documents:
        per_source = round(target / args.sources / DOCUMENTS_PER_ITEM)
        # Feeds list as many items as a source publishes in the window: every kind scales.
        spec = CorpusSpec(sources=args.sources, years=2, feed_items=per_source)
        since = pass_since(spec, per_source)
        with (
            CorpusServer(spec, [since]) as server,
            tempfile.TemporaryDirectory(prefix="mobwatch-memory-") as tmp,
        ):
            sources_file = server.write_sources(Path(tmp), since)
            runs = [measure(sources_file, since, not args.no_tracemalloc) for _ in range(args.runs)]

        def mid(name: str, runs: list[dict[str, float]] = runs) -> float:
            return statistics.median(run[name] for run in runs)

        traced = "-" if args.no_tracemalloc else f"{mid('traced_peak') / MiB:8.0f} MiB"
        print(
            f"{mid('documents'):>10,.0f} {mid('rss_before') / MiB:7.0f} MiB "
            f"{mid('rss_growth') / MiB:7.0f} MiB {traced:>12} {mid('seconds'):7.1f} s"
        )
        if any(run["errors"] for run in runs):
            print("  some sources failed: the figures are not of a full pass")
    return 0


if __name__ == "__main__":
    sys.exit(main())
