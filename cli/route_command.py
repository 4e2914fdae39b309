"""`mobwatch alerts route`: where an alert would go, and what would hold it back."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from typing import TextIO

from mobwatch.alerts.channels import ChannelSetup
from mobwatch.alerts.digest import DIGEST
from mobwatch.alerts.inhibition import InhibitRule
from mobwatch.alerts.registry import build_channels
from mobwatch.alerts.routing import DeliveryConfig, load_delivery_config
from mobwatch.alerts.silences import known_markers, matches
from mobwatch.alerts.states import in_force
from mobwatch.cli.common import Commands, common_options
from mobwatch.indicators.model import Alert, Evidence, Severity
from mobwatch.indicators.rules.markers import REGISTRY
from mobwatch.pipeline.settings import Settings
from mobwatch.store.store import Store


def register(alerts_commands: Commands) -> None:
    route = alerts_commands.add_parser(
        "route", help="which channels an alert would reach, and what would hold it back"
    )
    # SUPPRESS: options given before `route` are not reset by the nested parser's defaults.
    common_options(route, default=argparse.SUPPRESS)
    route.add_argument("--marker", required=True)
    route.add_argument("--severity", choices=[str(s) for s in Severity], required=True)
    route.add_argument("--region", help="the region the alert is about (ISO code)")
    route.add_argument("--source", help="the source the alert is about")
    route.set_defaults(run=cmd_route)


def _holds_back(rule: InhibitRule, alert: Alert) -> bool:
    if rule.hold_marker and rule.hold_marker != alert.marker:
        return False
    if rule.when_severity and rule.hold_below:
        order = list(Severity)
        return order.index(alert.severity) < order.index(rule.when_severity)
    return True


def cmd_route(args: argparse.Namespace, out: TextIO) -> int:
    if args.marker not in known_markers():
        print(f"mobwatch: no marker {args.marker!r}", file=sys.stderr)
        return 2
    settings = Settings.resolve(home=getattr(args, "home", None), db=getattr(args, "db", None))
    config = load_delivery_config(settings.alerts_file)
    audience = {marker.id: marker.audience for marker in REGISTRY}.get(args.marker, "analyst")
    alert = Alert(
        marker=args.marker,
        severity=Severity(args.severity),
        title="(routing check)",
        fingerprint="",
        fired_on=datetime.now(UTC).date(),
        evidence=(Evidence(url="", quote="", source=args.source),) if args.source else (),
        audience=audience,
    )
    store = Store.open(settings.db_url)
    try:
        silences = store.active_silences(datetime.now(UTC))
        stored = in_force(store.alerts())
    finally:
        store.close()
    _print_route(alert, config, settings, out)
    print("silences:", file=out)
    shown = 0
    for silence in (s for s in silences if s.marker == alert.marker):
        if matches(silence, alert, args.region):
            print(f"  applies: {silence.describe()}", file=out)
        elif (silence.region and not args.region) or (silence.source and not args.source):
            print(f"  applies to its region or source only: {silence.describe()}", file=out)
        else:
            continue
        shown += 1
    if not shown:
        print("  none in force for it", file=out)
    print("inhibition:", file=out)
    rules = [rule for rule in config.inhibit if _holds_back(rule, alert)]
    for rule in rules:
        holders = [
            a
            for a in stored
            if (not rule.when_marker or a.marker == rule.when_marker)
            and (not rule.when_severity or a.severity is rule.when_severity)
        ]
        print(f"  {rule.describe()} ({len(holders)} such alerts in force now)", file=out)
    if not rules:
        print("  no rule holds it back", file=out)
    return 0


def _print_route(alert: Alert, config: DeliveryConfig, settings: Settings, out: TextIO) -> None:
    names = config.routing.route(alert)
    route = "operator" if alert.audience == "operator" else str(alert.severity)
    print(f"{alert.marker} ({alert.severity}) takes the {route} route:", file=out)
    channels = build_channels([n for n in names if n != DIGEST], ChannelSetup(home=settings.home))
    for name in names:
        if name == DIGEST:
            print("  digest: shown in the next daily digest", file=out)
        elif name in channels.on:
            grouped = (
                "alone, at once"
                if alert.severity is Severity.CRITICAL and alert.audience != "operator"
                else "grouped"
            )
            print(f"  {name}: on ({grouped})", file=out)
        else:
            print(f"  {name}: off ({channels.off[name]})", file=out)
