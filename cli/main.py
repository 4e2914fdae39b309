"""The `mobwatch` command (docs/interfaces.md: the outside of the program)."""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any, TextIO

from sqlalchemy.exc import SQLAlchemyError

from mobwatch.alerts.channels import ChannelOff, ChannelSetup, DeliveryError
from mobwatch.alerts.holding import shown_with_holds
from mobwatch.alerts.registry import CHANNELS
from mobwatch.alerts.routing import RoutingError, load_delivery_config
from mobwatch.alerts.text import one_line
from mobwatch.cli import route_command, silence_commands
from mobwatch.flows.settings import ConfigurationError, Settings, load_sources
from mobwatch.indicators.calendar import today_in_moscow
from mobwatch.indicators.model import Alert, Severity
from mobwatch.indicators.rules.config import ConfigError, load_marker_config
from mobwatch.reports.replay_output import replayed_line, replayed_to_record
from mobwatch.runtime.local_server import ServerError
from mobwatch.runtime.prefect_defaults import apply_prefect_defaults
from mobwatch.store.records import alert_to_record, observation_to_record
from mobwatch.store.schema import SchemaError
from mobwatch.store.seed import seed_store
from mobwatch.store.store import Store

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


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from error


def _common(parser: argparse.ArgumentParser, default: Any = None) -> None:
    parser.add_argument(
        "--home", default=default, help="where the database, archive and alerts live"
    )
    parser.add_argument(
        "--sources", default=default, help="the sources file (default: the project's)"
    )
    parser.add_argument("--db", default=default, help="SQLAlchemy URL (default: SQLite under home)")


def _no_seed(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-seed",
        action="store_true",
        help="leave the seeded history out: what reading the sources alone yields",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mobwatch", description="Early-warning monitor for Russian military mobilisation."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="one monitoring pass over every source")
    _common(run)
    run.add_argument("--window-days", type=int, help="alert on evidence this recent (days)")
    run.add_argument("--as-of", type=_iso_date, help="evaluate as if today were this date")
    run.add_argument("--since", type=_iso_date, help="read publications from this date")
    _no_seed(run)

    export = commands.add_parser("export", help="the stored observations")
    _common(export)
    export.add_argument("--format", choices=["json", "csv"], default="json")
    export.add_argument("--indicator", help="only this indicator, e.g. callup_decree")

    alerts = commands.add_parser("alerts", help="the alerts raised, newest first")
    _common(alerts)
    alerts.add_argument("--format", choices=["json", "table"], default="table")
    alerts_commands = alerts.add_subparsers(dest="alerts_command")
    test = alerts_commands.add_parser("test", help="send a test message through one channel")
    # SUPPRESS: options given before `test` are not reset by the nested parser's defaults.
    _common(test, default=argparse.SUPPRESS)
    test.add_argument("--channel", choices=sorted(CHANNELS), required=True)
    route_command.register(alerts_commands)

    digest = commands.add_parser("digest", help="send the daily digest once")
    _common(digest)
    digest.add_argument("--as-of", type=_iso_date, help="the digest of this day")

    backtest = commands.add_parser("backtest", help="replay history: alerts that would have fired")
    _common(backtest)
    backtest.add_argument("--since", type=_iso_date, required=True)
    backtest.add_argument("--until", type=_iso_date)
    backtest.add_argument("--format", choices=["json", "table"], default="table")
    _no_seed(backtest)

    sources = commands.add_parser("sources", help="each source's health")
    _common(sources)

    reparse = commands.add_parser(
        "reparse", help="parse the archived bodies again (after a parser improves)"
    )
    _common(reparse)
    reparse.add_argument("--source", help="only this source")

    demo = commands.add_parser(
        "demo", help="an offline pass over the bundled sample sources, in its own home"
    )
    _common(demo)
    _no_seed(demo)

    report = commands.add_parser("report", help="the indicator history report (HTML, CSV)")
    _common(report)
    report.add_argument("--out", help="where to write it (default: <home>/reports)")
    report.add_argument("--as-of", type=_iso_date, help="the report as of this day")

    serve = commands.add_parser(
        "serve", help="run every deployment of prefect.yaml on its schedule, until stopped"
    )
    _common(serve)

    backfill = commands.add_parser("backfill", help="read the sources' archives back to a date")
    _common(backfill)
    backfill.add_argument("--since", type=_iso_date, required=True)
    backfill.add_argument("--until", type=_iso_date, help="default: today")
    backfill.add_argument("--source", help="only this source")
    backfill.add_argument(
        "--interval", type=float, default=1.0, help="seconds between requests to one host"
    )
    silence_commands.register(commands)
    return parser


def _open(args: argparse.Namespace) -> tuple[Settings, Store]:
    settings = Settings.resolve(home=args.home, db=args.db, sources=args.sources)
    store = Store.open(settings.db_url)
    if not getattr(args, "no_seed", False):
        seed_store(store)  # baselines exist from day one
    return settings, store


def _checked_settings(args: argparse.Namespace) -> Settings:
    """Fail fast, before any flow runs, on what would stop every run: an unreachable store,
    a broken sources, markers or routing file."""
    settings, store = _open(args)
    store.close()
    load_sources(settings.sources_file)
    load_marker_config(settings.markers_file)
    load_delivery_config(settings.alerts_file)
    return settings


def delivery_test_alert(channel: str) -> Alert:
    """A message that says what it is; its fingerprint is new each time, so it is never a repeat."""
    now = datetime.now(UTC)
    return Alert(
        marker="delivery_test",
        severity=Severity.INFO,
        title=f"mobwatch test message: the {channel} channel works",
        fingerprint=hashlib.sha256(f"delivery_test:{now.isoformat()}".encode()).hexdigest(),
        fired_on=now.date(),
        basis="A test of the delivery channel, sent by `mobwatch alerts test`; no marker fired.",
    )


def _write_json(data: Any, out: TextIO) -> None:
    json.dump(data, out, ensure_ascii=False, indent=2)
    out.write("\n")


def _alert_table(alerts: Sequence[Alert], out: TextIO, *, with_delivery: bool) -> None:
    for alert in alerts:
        state = ""
        if with_delivery:
            state = "  " + ", ".join(f"{k}: {v}" for k, v in sorted(alert.delivered.items()))
        print(
            f"{alert.fired_on}  {alert.severity:<8} {alert.marker:<24} {one_line(alert.title)}"
            f"{state}",
            file=out,
        )
    print(f"{len(alerts)} alerts", file=out)


def cmd_run(args: argparse.Namespace, out: TextIO) -> int:
    from mobwatch.flows.monitor import (
        monitor,  # Prefect is imported only for commands that run flows
    )

    _checked_settings(args)
    summary = monitor(
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
        status = f"FAILED: {row['error']}" if row["error"] else "ok"
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


def cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    _, store = _open(args)
    records = [observation_to_record(obs) for obs in store.observations(args.indicator)]
    if args.format == "json":
        _write_json(records, out)
        return 0
    writer = csv.DictWriter(out, fieldnames=EXPORT_FIELDS, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(records)
    return 0


def cmd_alerts(args: argparse.Namespace, out: TextIO) -> int:
    if args.alerts_command == "test":
        return cmd_alerts_test(args, out)
    _, store = _open(args)
    alerts = shown_with_holds(store, store.alerts())
    if args.format == "json":
        _write_json([alert_to_record(alert) for alert in alerts], out)
    else:
        _alert_table(alerts, out, with_delivery=True)
    return 0


def cmd_alerts_test(args: argparse.Namespace, out: TextIO) -> int:
    """Exit 0 when delivered, 1 when the channel failed, 2 when it is not configured."""
    settings = Settings.resolve(home=args.home, db=args.db)
    config = load_delivery_config(settings.alerts_file)
    setup = ChannelSetup(
        home=settings.home,
        risk_level="not read: this is a test message",
        timeout=config.outbox.timeout_seconds,
        stream=out,
    )
    try:
        channel = CHANNELS[args.channel](setup)
    except ChannelOff as off:
        print(f"{args.channel}: not configured: {off}", file=out)
        return 2
    try:
        channel.send(delivery_test_alert(args.channel))
    except DeliveryError as error:
        print(f"{args.channel}: FAILED: {error}", file=out)
        return 1
    print(f"{args.channel}: delivered", file=out)
    return 0


def cmd_digest(args: argparse.Namespace, out: TextIO) -> int:
    from mobwatch.flows.digest import daily_digest

    settings, store = _open(args)
    store.close()
    load_delivery_config(settings.alerts_file)  # fail fast, before the flow starts
    summary = daily_digest(
        home=args.home, db=args.db, as_of=args.as_of.isoformat() if args.as_of else None
    )
    print(
        f"\ndigest as of {summary.as_of}: risk level {summary.risk_level}; "
        f"{summary.new_observations} new observations; {summary.alerts} alerts",
        file=out,
    )
    for channel in summary.delivered:
        print(f"  {channel}: delivered", file=out)
    for channel, error in summary.failed.items():
        print(f"  {channel}: FAILED: {error}", file=out)
    for channel, reason in summary.off.items():
        print(f"  {channel}: off ({reason})", file=out)
    return 0


def cmd_backtest(args: argparse.Namespace, out: TextIO) -> int:
    from mobwatch.flows.stages import backtest

    settings, store = _open(args)
    config = load_marker_config(settings.markers_file)
    replayed = backtest(
        store,
        config,
        since=args.since,
        until=args.until or today_in_moscow(),
        seed=not args.no_seed,
    )
    if args.format == "json":
        _write_json([replayed_to_record(item) for item in replayed], out)
    else:
        for item in replayed:
            print(replayed_line(item), file=out)
        print(f"{len(replayed)} alerts", file=out)
    return 0


def cmd_sources(args: argparse.Namespace, out: TextIO) -> int:
    _, store = _open(args)
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


def cmd_reparse(args: argparse.Namespace, out: TextIO) -> int:
    from mobwatch.flows.stages import reparse_source

    settings, store = _open(args)
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


def cmd_demo(args: argparse.Namespace, out: TextIO) -> int:
    from mobwatch.flows.demo import run_demo

    return run_demo(home=args.home, db=args.db, out=out, seed=not args.no_seed)


def cmd_report(args: argparse.Namespace, out: TextIO) -> int:
    from mobwatch.flows.report import report

    settings, store = _open(args)
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


def cmd_serve(args: argparse.Namespace, out: TextIO) -> int:
    from mobwatch.runtime.signals import Stopped, stop_on_signals

    try:
        with stop_on_signals():  # before Prefect loads: a SIGTERM from now on stops cleanly
            _serve(args, out)
    except Stopped:
        pass
    except ServerError as error:
        print(f"mobwatch: {error}", file=sys.stderr)
        return 1
    print("mobwatch serve: stopped", file=out)
    return 0


def _serve(args: argparse.Namespace, out: TextIO) -> None:
    from mobwatch.runtime.deployments import read_deployments
    from mobwatch.runtime.serve import runner_deployments, serve_deployments

    settings = _checked_settings(args)
    overrides = {
        "home": str(settings.home.resolve()) if args.home else None,
        "sources": str(settings.sources_file.resolve()) if args.sources else None,
    }
    deployments = runner_deployments(
        read_deployments(), {key: value for key, value in overrides.items() if value}
    )
    serve_deployments(
        deployments,
        # The database URL reaches the runs through their environment, not as a parameter:
        # Prefect would store a parameter, password and all, and show it in its UI.
        environment={"MOBWATCH_DB_URL": args.db} if args.db else {},
        server_log=settings.home / "prefect-server.log",
        out=out,
    )


def cmd_backfill(args: argparse.Namespace, out: TextIO) -> int:
    from mobwatch.flows.backfill import backfill

    settings, store = _open(args)
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


COMMANDS = {
    "run": cmd_run,
    "export": cmd_export,
    "alerts": cmd_alerts,
    "digest": cmd_digest,
    "backtest": cmd_backtest,
    "sources": cmd_sources,
    "reparse": cmd_reparse,
    "demo": cmd_demo,
    "report": cmd_report,
    "backfill": cmd_backfill,
    "serve": cmd_serve,
}


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    apply_prefect_defaults()
    args = build_parser().parse_args(argv)
    stream = out or sys.stdout
    try:
        # A command registered by its own module names its handler (`run`).
        return getattr(args, "run", COMMANDS.get(args.command))(args, stream)
    except (ConfigurationError, ConfigError, RoutingError) as error:
        print(f"mobwatch: configuration error: {error}", file=sys.stderr)
        return 2
    except (SQLAlchemyError, SchemaError) as error:
        print(f"mobwatch: database error: {error.__class__.__name__}: {error}", file=sys.stderr)
        return 3
    except BrokenPipeError:
        # The reader (`| head`) has gone: stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
