"""The monitoring pass's commands: `run` (one pass), `reparse` (the archive again),
`backfill` (the sources' archives back to a date)."""

from __future__ import annotations

import argparse
from typing import TextIO

from mobwatch.alerts.text import one_line
from mobwatch.cli.common import (
    Commands,
    checked_settings,
    common_options,
    iso_date,
    no_seed_option,
    open_store,
)
from mobwatch.pipeline.settings import ConfigurationError, load_sources


def register(commands: Commands) -> None:
    run = commands.add_parser("run", help="one monitoring pass over every source")
    common_options(run)
    run.add_argument("--window-days", type=int, help="alert on evidence this recent (days)")
    run.add_argument("--as-of", type=iso_date, help="evaluate as if today were this date")
    run.add_argument("--since", type=iso_date, help="read publications from this date")
    run.add_argument(
        "--prefect",
        action=argparse.BooleanOptionalAction,
        help="record the pass in Prefect (default: if a Prefect API or `mobwatch serve` is up)",
    )
    no_seed_option(run)
    run.set_defaults(run=cmd_run)

    reparse = commands.add_parser(
        "reparse", help="parse the archived bodies again (after a parser improves)"
    )
    common_options(reparse)
    reparse.add_argument("--source", help="only this source")
    reparse.set_defaults(run=cmd_reparse)

    backfill = commands.add_parser("backfill", help="read the sources' archives back to a date")
    common_options(backfill)
    backfill.add_argument("--since", type=iso_date, required=True)
    backfill.add_argument("--until", type=iso_date, help="default: today")
    backfill.add_argument("--source", help="only this source")
    backfill.add_argument(
        "--interval", type=float, default=1.0, help="seconds between requests to one host"
    )
    backfill.set_defaults(run=cmd_backfill)


def cmd_run(args: argparse.Namespace, out: TextIO) -> int:
    from mobwatch.runtime.one_shot import run_pass  # Prefect is imported only if it records

    settings = checked_settings(args)
    summary = run_pass(
        settings.home,
        args.prefect,
        out,
        home=args.home,
        sources=args.sources,
        db=args.db,
        window_days=args.window_days,
        as_of=args.as_of.isoformat() if args.as_of else None,
        since=args.since.isoformat() if args.since else None,
        seed=not args.no_seed,
    )
    print(f"\nmobwatch pass as of {summary.as_of}", file=out)
    for row in summary.sources:
        status = f"FAILED: {row['error']}" if row["error"] else row["not_configured"] or "ok"
        print(
            f"  {row['source']:<24} pages {row['pages']:>3}  unchanged {row['not_modified']:>3}  "
            f"documents {row['documents']:>4}  new {row['changes'].get('new', 0):>3}  {status}",
            file=out,
        )
    print(
        f"  new observations: {summary.new_observations}; new alerts: "
        f"{len(summary.new_alerts)}; delivered: {summary.delivered}",
        file=out,
    )
    for channel, error in summary.delivery_errors.items():
        print(f"  delivery to {channel} failed: {error}", file=out)
    for channel, reason in summary.channels_off.items():
        print(f"  channel {channel} off: {reason}", file=out)
    return 0


def cmd_reparse(args: argparse.Namespace, out: TextIO) -> int:
    from mobwatch.pipeline.stages import reparse_source

    settings, store = open_store(args)
    watched = [s for s in load_sources(settings.sources_file) if args.source in (None, s.name)]
    if not watched:
        raise ConfigurationError(f"no source named {args.source!r} in {settings.sources_file}")
    for source in watched:
        report = reparse_source(source, store=store)
        errors = f", errors: {report.error}" if report.error else ""
        print(
            f"{source.name}: {report.pages} archived pages, {report.documents} documents, "
            f"{report.changes}{errors}",
            file=out,
        )
    return 0


def cmd_backfill(args: argparse.Namespace, out: TextIO) -> int:
    from mobwatch.flows.backfill import backfill

    settings, store = open_store(args)
    store.close()
    load_sources(settings.sources_file)
    if args.interval < 0:
        raise ConfigurationError("--interval must not be negative")
    summary = backfill(
        since=args.since.isoformat(),
        until=args.until.isoformat() if args.until else None,
        source=args.source,
        home=args.home,
        sources=args.sources,
        db=args.db,
        min_interval=args.interval,
        show_progress=True,
    )
    print(f"\nmobwatch backfill {summary.since} to {summary.until}", file=out)
    for row in summary.sources:
        state = "complete" if row["complete"] else "INCOMPLETE (run it again to resume)"
        print(
            f"  {row['source']:<24} segments {row['finished']} read, {row['skipped']} already "
            f"done, of {row['segments']}; requests {row['requests']}, pages {row['pages']}, "
            f"resumed {row['resumed']}; observations new {row['changes'].get('new', 0)}, "
            f"enriched {row['changes'].get('updated', 0)}: {state}",
            file=out,
        )
        for error in row["errors"][:5]:
            print(f"    error: {one_line(error)}", file=out)
    return 0 if summary.complete else 1
