"""A cold pass over the benchmark corpus, parsing in one process against on every core.

The pass runs as `mobwatch run` runs it without Prefect (`flows/direct.py`: four reader
threads, alerts as sources land), into an empty store, two ways:

  one process     every page parsed and extracted by the pass's own process (the design
                  before `pipeline/parse_pool.py`)
  process pool    parsing and extraction in a pool, one process per core, once the pass
                  has parsed 2 MB itself; the store written by the pass's process alone

With `--baseline DIR` (a checkout of an earlier commit with its own `.venv`), that code's
pass is run both ways too, by its own copy of this script, in the same rounds.

Each is run in a fresh child process; wall time and CPU time (the pool's workers
included) are printed as medians with their spread, and whether the observations stored
are the same each way (compared with one reader thread, as merges depend on the order
sources land in).

    .venv/bin/python bench/cold_pass.py [--sources 60] [--runs 3] [--baseline DIR]
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

ONE_PROCESS = 10**15  # start_after: the pool never starts
MODES = {"one process": ONE_PROCESS, "process pool": -1}  # -1: the pass's default


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


def one_run(
    program: Sequence[str], home: Path, sources: Path, since: str, start_after: int, readers: int
) -> dict:
    command = [*program, "--child", str(home), str(sources), since]
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
    parser.add_argument(
        "--baseline",
        type=Path,
        help="a checkout of an earlier commit, with its own .venv: its pass is run alike",
    )
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
    programs = {"": [sys.executable, __file__]}
    if args.baseline:
        base = args.baseline.resolve()
        programs["baseline, "] = [str(base / ".venv/bin/python"), str(base / "bench/cold_pass.py")]
    runs = {
        f"{tree}{mode}": (program, key)
        for tree, program in programs.items()
        for mode, key in MODES.items()
    }
    spec = CorpusSpec(sources=args.sources)
    since = pass_since(spec, args.per_source).isoformat()
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} (a shared machine)")
    results: dict[str, list[dict]] = {name: [] for name in runs}
    with (
        tempfile.TemporaryDirectory(prefix="mobwatch-cold-") as tmp,
        CorpusServer(spec, [pass_since(spec, args.per_source)]) as server,
    ):
        root = Path(tmp)
        sources = server.write_sources(root, pass_since(spec, args.per_source))
        for number in range(args.runs):  # interleaved: the machine's load hits all alike
            for name, (program, key) in runs.items():
                home = root / f"{name.replace(' ', '-').replace(',', '')}-{number}"
                results[name].append(one_run(program, home, sources, since, key, 4))
        # With one reader, as merges depend on the order sources land in; the pool from
        # the first page.
        same = {
            name: one_run(program, root / f"order-{number}", sources, since, key, 1)["records"]
            for number, (name, program, key) in enumerate(
                [("one process", programs[""], ONE_PROCESS), ("process pool", programs[""], 0)]
                + [
                    ("baseline, one process", programs[tree], ONE_PROCESS)
                    for tree in programs
                    if tree
                ]
            )
        }
    print(f"cold pass over {args.sources} sources, median (min–max) of {args.runs} runs\n")
    for name, done in results.items():
        print(
            f"{name:<24} wall {spread([r['wall'] for r in done])}  "
            f"CPU {spread([r['cpu'] for r in done])}, of it the pass's own process "
            f"{spread([r['own_cpu'] for r in done])}  documents {done[0]['documents']:,}  "
            f"pool started: {done[0]['pool']}  errors: {sum(len(r['errors']) for r in done)}"
        )
    wall = {name: statistics.median(r["wall"] for r in done) for name, done in results.items()}
    print()
    for name in wall:
        if name != "process pool":
            print(f"{name} / process pool (wall): {wall[name] / wall['process pool']:.2f}×")
    # Wall time on a loaded machine says little; on two idle cores a pass takes at least
    # its own process's CPU and at least all its CPU spread over the cores.
    for name, done in results.items():
        own = statistics.median(r["own_cpu"] for r in done)
        every = statistics.median(r["cpu"] for r in done)
        bound = max(own, every / cores()) if done[0]["pool"] else every
        print(f"{name}: on {cores()} idle cores at least {bound:.1f} s")
    pooled = same["process pool"]
    for name, records in same.items():
        if name != "process pool":
            print(
                f"same observations, {name} and process pool (one reader): "
                f"{records == pooled} ({len(records):,})"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
