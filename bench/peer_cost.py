"""Whole runs, as a user compares tools: mobwatch against urlwatch over the same sources.

The benchmark corpus (`bench/corpus.py`) is served on loopback; urlwatch watches each
source's first listing URL — the page a warm mobwatch pass asks again — and mobwatch runs
its `run` command over the same sources. Each tool runs as its own process, the way cron
runs it, from an empty state (cold) and again with nothing changed (warm). Measured by
GNU time around the process: wall time, CPU time (user + system, children included) and
the peak RSS of the largest process of the run (a Prefect server started for the run
included). Prints medians and the spread (min–max) of several runs and mobwatch's ratio to
urlwatch.

mobwatch runs three ways:
  direct      `mobwatch run` with no Prefect API: the stages run directly, nothing recorded
  served      `mobwatch run` while `mobwatch serve`'s local Prefect server runs under the
              same home: the pass is recorded there as a flow run
  temporary   `mobwatch run --prefect` with no API: Prefect starts a temporary server for
              the one run (what every `mobwatch run` did before it chose its path)

The work differs cold: urlwatch reads one page a source and compares it, mobwatch reads
back the window (`--per-source` items a source: pages, article pages) and extracts facts.
Warm, both ask each listing once and are answered 304.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python bench/peer_cost.py [--sources 10 60] [--runs 3] [--modes direct served]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from corpus import AS_OF, CorpusSpec, pass_since
from corpus_server import CorpusServer

from mobwatch.parsers import get_parser
from mobwatch.pipeline.settings import load_sources
from mobwatch.runtime.local_server import LocalPrefectServer
from mobwatch.runtime.prefect_api import announce_served
from mobwatch.runtime.prefect_defaults import apply_prefect_defaults

TIME = "/usr/bin/time"  # GNU time: the child's own peak RSS, whatever the parent's size
BIN = Path(sys.executable).parent
MODES = ("direct", "served", "temporary")


@dataclass(frozen=True)
class Sample:
    wall: float
    cpu: float
    rss_mb: float


@dataclass
class Runs:
    cold: list[Sample]
    warm: list[Sample]


def timed(command: Sequence[str], env: dict[str, str], cwd: Path) -> Sample:
    """Run `command` under GNU time; its peak RSS counts the largest of its processes."""
    report = cwd / "time.txt"
    completed = subprocess.run(
        [TIME, "-o", str(report), "-f", "%e %U %S %M", *command],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(
            f"{command[0]} failed: {completed.stdout[-2000:]}{completed.stderr[-2000:]}"
        )
    wall, user, system, rss_kb = report.read_text().split()[-4:]
    return Sample(float(wall), float(user) + float(system), int(rss_kb) / 1024)


def clean_env(scratch: Path) -> dict[str, str]:
    """No Prefect API, a Prefect home of the run's own, nothing of the caller's set-up."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "MOBWATCH_"))}
    env["PREFECT_HOME"] = str(scratch / "prefect-home")
    env["HOME"] = str(scratch)  # urlwatch's and Prefect's per-user files land here too
    apply_prefect_defaults(env)
    return env


def urlwatch_runs(urls: list[str], runs: int, scratch: Path) -> Runs:
    result = Runs([], [])
    for number in range(runs):
        state = scratch / f"urlwatch-{number}"
        state.mkdir()
        jobs = state / "urls.yaml"
        jobs.write_text("\n---\n".join(f"url: {url}" for url in urls) + "\n", encoding="utf-8")
        command = [
            str(BIN / "urlwatch"),
            "--urls", str(jobs),
            "--config", str(state / "urlwatch.yaml"),
            "--cache", str(state / "cache.db"),
            "--hooks", str(state / "hooks.py"),
        ]  # fmt: skip
        env = clean_env(state)
        result.cold.append(timed(command, env, state))
        result.warm.append(timed(command, env, state))
    return result


def mobwatch_runs(
    mode: str, sources: Path, since: str, runs: int, scratch: Path, served: str | None
) -> Runs:
    result = Runs([], [])
    for number in range(runs):
        home = scratch / f"mobwatch-{mode}-{number}"
        home.mkdir()
        if served:
            announce_served(home, served)
        command = [
            str(BIN / "mobwatch"), "run",
            "--home", str(home), "--sources", str(sources),
            "--since", since, "--as-of", AS_OF.isoformat(), "--window-days", "30",
        ]  # fmt: skip
        env = clean_env(home)
        if mode == "temporary":
            command.append("--prefect")
            # Prefect gives its temporary server 20 s to start; a loaded machine needs more.
            env["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] = "120"
        result.cold.append(timed(command, env, home))
        result.warm.append(timed(command, env, home))
    return result


def listing_urls(sources_file: Path, since: str) -> list[str]:
    """Each source's first listing, as a pass asks it (query string included)."""
    from datetime import date

    urls = []
    for source in load_sources(sources_file):
        planned = get_parser(source.parser).plan(source, date.fromisoformat(since), None)
        urls.append(next(iter(planned)))
    return urls


@contextmanager
def served_prefect(scratch: Path, wanted: bool) -> Iterator[str | None]:
    """A local Prefect server, as `mobwatch serve` starts and announces it."""
    if not wanted:
        yield None
        return
    env = clean_env(scratch / "served")
    (scratch / "served").mkdir()
    with LocalPrefectServer(scratch / "served" / "server.log", environ=env) as server:
        yield server.api_url


def spread(samples: list[Sample], name: str, unit: str, digits: int) -> str:
    values = [getattr(sample, name) for sample in samples]
    low, mid, high = min(values), statistics.median(values), max(values)
    return f"{mid:.{digits}f} {unit} ({low:.{digits}f}–{high:.{digits}f})"


def print_table(title: str, rows: dict[str, Runs], base: str) -> None:
    print(f"\n{title}")
    header = f"{'':<28}{'wall':>24}{'CPU':>24}{'peak RSS':>26}  ratio wall / CPU / RSS"
    print(header)
    for phase in ("warm", "cold"):
        reference = getattr(rows[base], phase)
        ref = [
            statistics.median(getattr(s, n) for s in reference) for n in ("wall", "cpu", "rss_mb")
        ]
        for name, runs in rows.items():
            samples = getattr(runs, phase)
            mid = [
                statistics.median(getattr(s, n) for s in samples) for n in ("wall", "cpu", "rss_mb")
            ]
            ratio = " / ".join(f"{m / r:.1f}×" for m, r in zip(mid, ref, strict=True))
            print(
                f"{phase + ' ' + name:<28}{spread(samples, 'wall', 's', 2):>24}"
                f"{spread(samples, 'cpu', 's', 2):>24}{spread(samples, 'rss_mb', 'MB', 0):>26}"
                f"  {ratio}"
            )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, nargs="+", default=[10, 60])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--per-source", type=int, default=300, help="items in a cold window")
    parser.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES))
    args = parser.parse_args(argv)
    if shutil.which(TIME) is None or not (BIN / "urlwatch").exists():
        print("needs GNU time and urlwatch: .venv/bin/pip install -e '.[bench]'", file=sys.stderr)
        return 2
    load = os.getloadavg()[0]
    print(f"{os.cpu_count()} cores; load average {load:.1f} when started (the machine is shared)")
    with tempfile.TemporaryDirectory(prefix="mobwatch-peers-") as tmp, ExitStack() as stack:
        scratch = Path(tmp)
        served = stack.enter_context(served_prefect(scratch, "served" in args.modes))
        for count in args.sources:
            spec = CorpusSpec(sources=count)
            since = pass_since(spec, args.per_source)
            with CorpusServer(spec, [since]) as server:
                run_dir = scratch / f"{count}-sources"
                run_dir.mkdir()
                sources = server.write_sources(run_dir, since)
                rows = {
                    "urlwatch 2.29": urlwatch_runs(
                        listing_urls(sources, since.isoformat()), args.runs, run_dir
                    )
                }
                title = f"{count} sources, median (min–max) of {args.runs} runs; ratios to urlwatch"
                for mode in args.modes:
                    rows[f"mobwatch {mode}"] = mobwatch_runs(
                        mode, sources, since.isoformat(), args.runs, run_dir,
                        served if mode == "served" else None,
                    )  # fmt: skip
                    print_table(title, rows, "urlwatch 2.29")  # so far: a long run shows progress
    print(f"load average {os.getloadavg()[0]:.1f} when finished")
    return 0


if __name__ == "__main__":
    sys.exit(main())
