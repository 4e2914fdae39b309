"""What the history report costs over a large history: 100,000 synthetic observations.

The history is the seeded facts plus synthetic regional one-off payments (83 regions,
one announcement a day each, a few changes a month), the kind of series that grows
largest. Prints, as medians of several runs: building the report (series, figures, board),
writing it (charts, HTML, a CSV per series), and a baseline in the same process: the same
observations written to one CSV per indicator with the `csv` module.

The markers' replay (`markers.evaluate`, which the report runs as `backtest` does) is timed
on its own, over the whole history and over growing slices of it, to show how it grows;
its alerts are the ones the report shows. With `--store`, also the time to read the
history back from a SQLite store.

    .venv/bin/python bench/report_cost.py [--count 100000] [--runs 3] [--store]
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

from mobwatch.indicators.model import Confidence, Indicator, Observation
from mobwatch.indicators.rules.config import load_marker_config
from mobwatch.indicators.rules.markers import evaluate
from mobwatch.reports.build import build_report
from mobwatch.reports.files import write_report
from mobwatch.store.records import observation_to_record
from mobwatch.store.seed import load_seed_history
from mobwatch.store.store import Store

AS_OF = date(2026, 6, 1)
REGIONS = [
    "AD",
    "AL",
    "BA",
    "BU",
    "CE",
    "CU",
    "DA",
    "IN",
    "KB",
    "KL",
    "KC",
    "KR",
    "KK",
    "KO",
    "ME",
    "MO",
    "SA",
    "SE",
    "TA",
    "TY",
    "UD",
    "ALT",
    "KAM",
    "KHA",
    "KDA",
    "KYA",
    "PER",
    "PRI",
    "STA",
    "ZAB",
    "AMU",
    "ARK",
    "AST",
    "BEL",
    "BRY",
    "CHE",
    "IRK",
    "IVA",
    "KGD",
    "KLU",
    "KEM",
    "KIR",
    "KOS",
    "KGN",
    "KRS",
    "LEN",
    "LIP",
    "MAG",
    "MOS",
    "MUR",
    "NIZ",
    "NGR",
    "NVS",
    "OMS",
    "ORE",
    "ORL",
    "PNZ",
    "PSK",
    "ROS",
    "RYA",
    "SAK",
    "SAM",
    "SAR",
    "SMO",
    "SVE",
    "TAM",
    "TOM",
    "TUL",
    "TVE",
    "TYU",
    "ULY",
    "VLA",
    "VGG",
    "VLG",
    "VOR",
    "YAR",
    "MOW",
    "SPE",
    "YEV",
    "CHU",
    "KHM",
    "NEN",
    "YAN",
]
FIELDS = ["indicator", "value", "unit", "region", "event_date", "title", "url", "source"]


def synthetic_history(count: int, seed: int = 13) -> list[Observation]:
    """The seeded facts, then regional payments, one a day per region, up to `count` rows."""
    return list(synthetic_observations(count, seed))


def synthetic_observations(count: int, seed: int = 13) -> Iterator[Observation]:
    """`synthetic_history` one at a time, for histories too large to hold as objects."""
    seeded = load_seed_history()
    yield from seeded
    made = len(seeded)
    rng = random.Random(seed)
    per_region = -(-(count - made) // len(REGIONS))
    start = AS_OF - timedelta(days=per_region)
    for code in REGIONS:
        value = rng.randrange(50, 400) * 1_000
        for day in range(per_region):
            if made >= count:
                return
            if rng.random() < 0.03:  # a change: mostly rises, sometimes a cut
                value = max(
                    50_000, value + rng.choice((-1, 1, 1, 1, 1)) * rng.randrange(25, 300) * 1_000
                )
            moment = start + timedelta(days=day)
            made += 1
            yield (
                Observation(
                    indicator=Indicator.REGIONAL_BONUS,
                    event_date=moment,
                    title=f"Единовременная выплата контрактникам в RU-{code}",
                    url=f"https://example.org/{code}/{moment}",
                    source="synthetic",
                    evidence=f"{value} рублей",
                    value=value,
                    unit="RUB",
                    region=f"RU-{code}",
                    confidence=Confidence.REPORTED,
                )
            )


def csv_baseline(history: list[Observation], out: Path) -> None:
    """The plainest way to write the same data: a CSV per indicator with the csv module."""
    out.mkdir(parents=True, exist_ok=True)
    by_indicator: dict[str, list[dict[str, object]]] = {}
    for obs in history:
        by_indicator.setdefault(str(obs.indicator), []).append(observation_to_record(obs))
    for indicator, records in by_indicator.items():
        with (out / f"{indicator}.csv").open("w", newline="", encoding="utf-8") as file:
            writer = csv.DictWriter(file, fieldnames=FIELDS, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(records)


def median_seconds(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--store", action="store_true", help="also time reading a SQLite store")
    parser.add_argument(
        "--replay",
        type=int,
        nargs="*",
        default=[1_000, 10_000, 50_000],
        help="synthetic payments to time the markers' replay over (it grows with them)",
    )
    args = parser.parse_args()
    config = load_marker_config()
    history = synthetic_history(args.count)
    print(f"{len(history):,} observations ({len(REGIONS)} regions), as of {AS_OF}")
    federal = [obs for obs in history if obs.source != "synthetic"]
    alerts = evaluate(history, config, as_of=AS_OF)  # warm-up, and the alerts the report shows
    replay = median_seconds(args.runs, lambda: evaluate(history, config, as_of=AS_OF))
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        report = build_report(history, config, as_of=AS_OF, alerts=alerts)  # warm-up
        write_report(report, root / "warm")
        build = median_seconds(
            args.runs, lambda: build_report(history, config, as_of=AS_OF, alerts=alerts)
        )
        write = median_seconds(args.runs, lambda: write_report(report, root / "report"))
        baseline = median_seconds(args.runs, lambda: csv_baseline(history, root / "baseline"))
        size = (root / "report" / "mobwatch-report.html").stat().st_size
        total = build + write
        print(f"build (series, figures, board):           {build:6.2f} s")
        print(f"write (charts, HTML {size / 1024:.0f} kB, CSV per series): {write:6.2f} s")
        print(f"report in all:                            {total:6.2f} s")
        print(f"markers replayed over them (as the report and backtest do): {replay:6.2f} s")
        print(f"baseline (csv module, one file per indicator): {baseline:6.2f} s")
        print(f"report / baseline: {total / baseline:.1f}x")
        for size in args.replay:
            part = synthetic_history(len(federal) + size)  # every region, fewer days
            replay = median_seconds(1, lambda part=part: evaluate(part, config, as_of=AS_OF))
            print(f"markers replay over {len(part):,} observations: {replay:6.2f} s")
        if args.store:
            store = Store.open(f"sqlite:///{root / 'bench.db'}")
            store.seed(history)
            read = median_seconds(args.runs, store.observations)
            print(f"reading them from a SQLite store:         {read:6.2f} s")
            store.close()


if __name__ == "__main__":
    main()
