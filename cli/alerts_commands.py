"""The alerts and their delivery: `alerts` (those raised), `alerts test` (one channel, once),
`alerts route` (route_command.py), `digest` (the daily digest, once)."""

from __future__ import annotations

import argparse
import hashlib
from datetime import UTC, datetime
from typing import TextIO

from mobwatch.alerts.channels import ChannelOff, ChannelSetup, DeliveryError
from mobwatch.alerts.holding import shown_with_holds
from mobwatch.alerts.registry import CHANNELS
from mobwatch.alerts.routing import load_delivery_config
from mobwatch.cli import route_command
from mobwatch.cli.common import (
    Commands,
    alert_table,
    common_options,
    iso_date,
    open_store,
    write_json,
)
from mobwatch.indicators.model import Alert, Severity
from mobwatch.pipeline.settings import Settings
from mobwatch.store.records import alert_to_record


def register(commands: Commands) -> None:
    alerts = commands.add_parser("alerts", help="the alerts raised, newest first")
    common_options(alerts)
    alerts.add_argument("--format", choices=["json", "table"], default="table")
    alerts.set_defaults(run=cmd_alerts)
    alerts_commands = alerts.add_subparsers(dest="alerts_command")
    test = alerts_commands.add_parser("test", help="send a test message through one channel")
    # SUPPRESS: options given before `test` are not reset by the nested parser's defaults.
    common_options(test, default=argparse.SUPPRESS)
    test.add_argument("--channel", choices=sorted(CHANNELS), required=True)
    test.set_defaults(run=cmd_alerts_test)
    route_command.register(alerts_commands)

    digest = commands.add_parser("digest", help="send the daily digest once")
    common_options(digest)
    digest.add_argument("--as-of", type=iso_date, help="the digest of this day")
    digest.set_defaults(run=cmd_digest)


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


def cmd_alerts(args: argparse.Namespace, out: TextIO) -> int:
    _, store = open_store(args)
    alerts = shown_with_holds(store, store.alerts())
    if args.format == "json":
        write_json([alert_to_record(alert) for alert in alerts], out)
    else:
        alert_table(alerts, out, with_delivery=True)
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

    settings, store = open_store(args)
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
