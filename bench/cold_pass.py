"""A cold pass over the benchmark corpus, parsing in one process against on every core.

The pass runs as `mobwatch run` runs it without Prefect (`flows/direct.py`: four reader
threads, alerts as sources land), into an empty store, three ways:

  one process     every page parsed and extracted by the pass's own process (the design
                  before `pipeline/parse_pool.py`)
  process pool    parsing and extraction in a pool, one process per core, once the pass
                  has parsed 2 MB itself; the store written by the pass's process alone

Each is run in a fresh child process; wall time and CPU time (the pool's workers
included) are printed as medians with their spread, and whether the observations stored
are the same each way (compared with one reader thread, as merges depend on the order
sources land in).

    .venv/bin/python bench/cold_pass.py [--sources 60] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from multiprocessing import forkserver
from pathlib import Path

from mobwatch.pipeline.parse_pool import cores

MODES = {"one process": 10**15, "process pool": None}  # start_after: never, the default


def child(home: str, sources: str, since: str, start_after: int | None, readers: int) -> None:
    """One pass in this process; prints its figures and the observations as JSON."""
    from corpus import AS_OF

    from mobwatch.flows.direct import DirectSteps
    from mobwatch.pipeline.monitor_pass import monitoring_pass
    from mobwatch.pipeline.parse_pool import START_AFTER, PoolWork
    from mobwatch.pipeline.settings import Settings
    from mobwatch.store.records import observation_to_record
    from mobwatch.store.store import Store

    settings = Settings.resolve(home=home, sources=sources)
    work = PoolWork(start_after=START_AFTER if start_after is None else start_after)
    started = time.perf_counter()
    with DirectSteps(readers=readers, work=work) as steps:
        summary = monitoring_pass(
            steps, settings, as_of=AS_OF.isoformat(), since=since, window_days=30
        )
    wall = time.perf_counter() - started
    # The pool's workers are children of its fork server: the server reaps them, and its
    # own end (waited for here) brings their CPU into this process's children's.
    forkserver._forkserver._stop()
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    store = Store.open(settings.db_url)
    records = [observation_to_record(obs) for obs in store.observations()]
    store.close()
    errors = [row["error"] for row in summary.sources if row["error"]]
    print(
        json.dumps(
            {
                "wall": wall,
                "cpu": sum(u.ru_utime + u.ru_stime for u in usage),
                "own_cpu": usage[0].ru_utime + usage[0].ru_stime,  # the pass's own process
                "documents": sum(int(row["documents"]) for row in summary.sources),  # type: ignore[call-overload]
                "pool": work.started,
                "errors": errors,
                "records": records,
            },
            ensure_ascii=False,
            default=str,
        )
    )


def one_run(home: Path, sources: Path, since: str, start_after: int | None, readers: int) -> dict:
    command = [sys.executable, __file__, "--child", str(home), str(sources), since]
    command += ["--start-after", str(start_after), "--readers", str(readers)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.splitlines()[-1])


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):6.1f} s ({min(values):.1f}–{max(values):.1f})"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=60)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--per-source", type=int, default=300)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--start-after", type=int, default=-1, help=argparse.SUPPRESS)
    parser.add_argument("--readers", type=int, default=4, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    # Imported here, not above: the pool's fork server imports this module too, and the
    # program `mobwatch run` stands for imports nothing of the sort.
    from corpus import CorpusSpec, pass_since
    from corpus_server import CorpusServer

    if args.child:
        child(*args.child, None if args.start_after < 0 else args.start_after, args.readers)
        return 0
    spec = CorpusSpec(sources=args.sources)
    since = pass_since(spec, args.per_source).isoformat()
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} (a shared machine)")
    results: dict[str, list[dict]] = {mode: [] for mode in MODES}
    with (
        tempfile.TemporaryDirectory(prefix="mobwatch-cold-") as tmp,
        CorpusServer(spec, [pass_since(spec, args.per_source)]) as server,
    ):
        root = Path(tmp)
        sources = server.write_sources(root, pass_since(spec, args.per_source))
        for number in range(args.runs):  # interleaved: the machine's load hits both alike
            for mode, start_after in MODES.items():
                home = root / f"{mode.replace(' ', '-')}-{number}"
                key = -1 if start_after is None else start_after
                results[mode].append(one_run(home, sources, since, key, 4))
        same = [
            one_run(root / f"order-{mode.replace(' ', '-')}", sources, since, key, 1)["records"]
            for mode, key in (("one process", 10**15), ("process pool", 0))
        ]
    print(f"cold pass over {args.sources} sources, median (min–max) of {args.runs} runs\n")
    for mode, runs in results.items():
        print(
            f"{mode:<14} wall {spread([r['wall'] for r in runs])}  "
            f"CPU {spread([r['cpu'] for r in runs])}, of it the pass's own process "
            f"{spread([r['own_cpu'] for r in runs])}  documents {runs[0]['documents']:,}  "
            f"pool started: {runs[0]['pool']}  errors: {sum(len(r['errors']) for r in runs)}"
        )
    alone = statistics.median(r["wall"] for r in results["one process"])
    pooled = statistics.median(r["wall"] for r in results["process pool"])
    print(f"\none process / process pool (wall): {alone / pooled:.2f}×")
    # Wall time on a loaded machine says little; on two idle cores a pass takes at least
    # its own process's CPU and at least all its CPU spread over the cores.
    for mode, runs in results.items():
        own = statistics.median(r["own_cpu"] for r in runs)
        every = statistics.median(r["cpu"] for r in runs)
        bound = max(own, every / cores()) if mode == "process pool" else every
        print(f"{mode}: on {cores()} idle cores at least {bound:.1f} s")
    print(f"same observations either way (one reader): {same[0] == same[1]} ({len(same[0]):,})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
