"""What the store holds, read out: `export` (observations), `sources` (each source's
health), `backtest` (the alerts history would have raised)."""

from __future__ import annotations

import argparse
import csv
from typing import TextIO

from mobwatch.alerts.text import one_line
from mobwatch.cli.common import (
    Commands,
    common_options,
    iso_date,
    no_seed_option,
    open_store,
    write_json,
)
from mobwatch.cli.json_array import write_json_array
from mobwatch.indicators.calendar import today_in_moscow
from mobwatch.indicators.rules.config import load_marker_config
from mobwatch.reports.replay_output import replayed_line, replayed_to_record
from mobwatch.store.records import observation_to_record

EXPORT_FIELDS = [
    "indicator",
    "value",
    "unit",
    "region",
    "event_date",
    "period_start",
    "period_end",
    "document_number",
    "title",
    "url",
    "source",
    "evidence",
    "confidence",
    "provenance",
    "value_from",
]


def register(commands: Commands) -> None:
    export = commands.add_parser("export", help="the stored observations")
    common_options(export)
    export.add_argument("--format", choices=["json", "csv"], default="json")
    export.add_argument("--indicator", help="only this indicator, e.g. callup_decree")
    export.set_defaults(run=cmd_export)

    sources = commands.add_parser("sources", help="each source's health")
    common_options(sources)
    sources.set_defaults(run=cmd_sources)

    backtest = commands.add_parser("backtest", help="replay history: alerts that would have fired")
    common_options(backtest)
    backtest.add_argument("--since", type=iso_date, required=True)
    backtest.add_argument("--until", type=iso_date)
    backtest.add_argument("--format", choices=["json", "table"], default="table")
    no_seed_option(backtest)
    backtest.set_defaults(run=cmd_backtest)


def cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    _, store = open_store(args)
    # Streamed from the store to the output: memory stays flat however long the history.
    records = (observation_to_record(obs) for obs in store.each_observation(args.indicator))
    if args.format == "json":
        write_json_array(records, out)
        return 0
    writer = csv.DictWriter(out, fieldnames=EXPORT_FIELDS, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(records)
    return 0


def cmd_sources(args: argparse.Namespace, out: TextIO) -> int:
    _, store = open_store(args)
    rows = store.source_health()
    if not rows:
        print("no source has been read yet: run `mobwatch run`", file=out)
    for row in rows:
        state = "FAILING" if row.consecutive_failures else "ok"
        print(f"{row.name}: {state}", file=out)
        print(f"  last success: {row.last_success or 'never'}", file=out)
        if row.last_error:
            print(f"  last error:   {row.last_error_at}  {one_line(row.last_error)}", file=out)
            print(f"  failed runs in a row: {row.consecutive_failures}", file=out)
        print(f"  items seen:   {row.items_seen} (last run {row.last_items})", file=out)
    return 0


def cmd_backtest(args: argparse.Namespace, out: TextIO) -> int:
    from mobwatch.pipeline.stages import backtest

    settings, store = open_store(args)
    config = load_marker_config(settings.markers_file)
    replayed = backtest(
        store,
        config,
        since=args.since,
        until=args.until or today_in_moscow(),
        seed=not args.no_seed,
    )
    if args.format == "json":
        write_json([replayed_to_record(item) for item in replayed], out)
    else:
        for item in replayed:
            print(replayed_line(item), file=out)
        print(f"{len(replayed)} alerts", file=out)
    return 0
