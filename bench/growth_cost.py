"""How history work grows with the store, on PostgreSQL: up to 1,000,000 observations.

For each size a scratch PostgreSQL database (127.0.0.1:5432) is filled with the synthetic
history of `bench/report_cost.py` (the seeded facts, then regional payments), loaded with
COPY as the store holds it (the load is set-up, not measured). Then each piece of history
work runs in a process of its own under GNU time — wall time, CPU time and peak RSS:

  export     `mobwatch export --format csv` (to /dev/null)
  replay     `mobwatch backtest` over the whole history (the markers replayed)
  report     the history report as the `mobwatch-report` flow builds it: the store read,
             the report built and written (its stages, without the flow's Prefect run)

and the growth from one size to the next is printed beside the figures: linear growth
moves time and memory by the ratio of the sizes. The database is dropped afterwards.

    .venv/bin/python bench/growth_cost.py [--sizes 100000 300000 1000000] [--runs 3]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import psycopg
from report_cost import AS_OF, synthetic_observations

from mobwatch.store.records import observation_to_record
from mobwatch.store.store import Store

PG_HOST = os.environ.get("MOBWATCH_TEST_PG_HOST", "127.0.0.1")
ADMIN = f"host={PG_HOST} port=5432 user=postgres dbname=postgres connect_timeout=3"
TIME = "/usr/bin/time"
BIN = Path(sys.executable).parent
WORK = ("export", "replay", "report")


@contextmanager
def scratch_database() -> object:
    name = f"mobwatch_growth_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with psycopg.connect(ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def fill(name: str, count: int) -> None:
    """The schema as the store makes it, then `count` observations by COPY."""
    url = f"postgresql+psycopg://postgres@{PG_HOST}:5432/{name}"
    Store.open(url).close()
    now = datetime.now(UTC)
    with psycopg.connect(f"host={PG_HOST} port=5432 user=postgres dbname={name}") as conn:
        with conn.cursor().copy(
            "COPY observations (key, indicator, event_date, record, first_seen, updated_at) "
            "FROM STDIN"
        ) as copy:
            for obs in synthetic_observations(count):
                record = json.dumps(observation_to_record(obs), ensure_ascii=False)
                copy.write_row((obs.key, str(obs.indicator), obs.event_date, record, now, now))
        conn.execute("ANALYZE observations")


def child(work: str, url: str, out: str) -> None:
    """One piece of history work, as the command does it."""
    if work == "report":
        from mobwatch.indicators.rules.config import load_marker_config
        from mobwatch.reports.build import build_report
        from mobwatch.reports.files import write_report

        store = Store.open(url)
        history = store.observations()
        store.close()
        write_report(build_report(history, load_marker_config(), as_of=AS_OF), Path(out))
        return
    from mobwatch.cli.main import main

    args = ["--db", url, "--home", out]
    if work == "export":
        command = ["export", *args, "--format", "csv"]
    else:
        command = ["backtest", *args, "--since", "1990-01-01", "--until", AS_OF.isoformat()]
        command += ["--format", "json"]
    with open(os.devnull, "w", encoding="utf-8") as sink:  # noqa: PTH123
        main(command, out=sink)


def measure(work: str, url: str, scratch: Path) -> tuple[float, float, float]:
    report = scratch / "time.txt"
    command = [TIME, "-o", str(report), "-f", "%e %U %S %M", sys.executable, __file__]
    command += ["--child", work, url, str(scratch / work)]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    wall, user, system, rss = report.read_text().split()[-4:]
    return float(wall), float(user) + float(system), int(rss) / 1024


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 300_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", nargs="+", choices=WORK, default=list(WORK))
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(*args.child)
        return 0
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} (a shared machine)")
    print("median (min–max) of runs; growth: this size's median over the previous size's\n")
    previous: dict[str, tuple[float, float, float]] = {}
    last_size = 0
    for size in args.sizes:
        with scratch_database() as name, tempfile.TemporaryDirectory() as tmp:
            fill(name, size)
            url = f"postgresql+psycopg://postgres@{PG_HOST}:5432/{name}"
            for work in args.work:
                samples = [measure(work, url, Path(tmp)) for _ in range(args.runs)]
                mid = tuple(statistics.median(s[i] for s in samples) for i in range(3))
                line = io.StringIO()
                line.write(f"{size:>9,} {work:<7}")
                for index, (label, unit) in enumerate((("wall", "s"), ("CPU", "s"), ("RSS", "MB"))):
                    values = [s[index] for s in samples]
                    digits = 0 if unit == "MB" else 1
                    line.write(
                        f"  {label} {mid[index]:7.{digits}f} {unit} "
                        f"({min(values):.{digits}f}–{max(values):.{digits}f})"
                    )
                if work in previous:
                    grown = " / ".join(
                        f"{m / p:.1f}×" for m, p in zip(mid, previous[work], strict=True)
                    )
                    line.write(
                        f"  growth wall/CPU/RSS {grown} for {size / last_size:.1f}× the rows"
                    )
                print(line.getvalue(), flush=True)
                previous[work] = mid  # type: ignore[assignment]
        last_size = size
    return 0


if __name__ == "__main__":
    sys.exit(main())
