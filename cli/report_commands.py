"""`report`: the indicator history report, as a page and its series."""

from __future__ import annotations

import argparse
from typing import TextIO

from mobwatch.cli.common import Commands, common_options, iso_date, open_store
from mobwatch.indicators.rules.config import load_marker_config


def register(commands: Commands) -> None:
    report = commands.add_parser("report", help="the indicator history report (HTML, CSV)")
    common_options(report)
    report.add_argument("--out", help="where to write it (default: <home>/reports)")
    report.add_argument("--as-of", type=iso_date, help="the report as of this day")
    report.set_defaults(run=cmd_report)


def cmd_report(args: argparse.Namespace, out: TextIO) -> int:
    from mobwatch.flows.report import report

    settings, store = open_store(args)
    store.close()
    load_marker_config(settings.markers_file)
    summary = report(
        home=args.home,
        db=args.db,
        out=args.out,
        as_of=args.as_of.isoformat() if args.as_of else None,
    )
    print(
        f"\nmobwatch history report as of {summary.as_of}: risk level {summary.risk_level}",
        file=out,
    )
    for line in summary.figures:
        print(f"  {line}", file=out)
    print(f"  page: {summary.html}", file=out)
    data = f"{len(summary.csv)} CSV" + (
        f", {len(summary.parquet)} Parquet" if summary.parquet else ""
    )
    print(f"  series: {data} files beside it", file=out)
    return 0
