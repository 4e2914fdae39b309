"""What the commands share: the common options, opening the store, printing alerts and JSON."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from datetime import date
from typing import Any, TextIO, TypeAlias

from mobwatch.alerts.routing import load_delivery_config
from mobwatch.alerts.text import one_line
from mobwatch.indicators.model import Alert
from mobwatch.indicators.rules.config import load_marker_config
from mobwatch.pipeline.settings import Settings, load_sources
from mobwatch.store.seed import seed_store
from mobwatch.store.store import Store

# What each command group's `register` adds its commands to.
Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from error


def common_options(parser: argparse.ArgumentParser, default: Any = None) -> None:
    parser.add_argument(
        "--home", default=default, help="where the database, archive and alerts live"
    )
    parser.add_argument(
        "--sources", default=default, help="the sources file (default: the project's)"
    )
    parser.add_argument("--db", default=default, help="SQLAlchemy URL (default: SQLite under home)")


def no_seed_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-seed",
        action="store_true",
        help="leave the seeded history out: what reading the sources alone yields",
    )


def open_store(args: argparse.Namespace) -> tuple[Settings, Store]:
    settings = Settings.resolve(home=args.home, db=args.db, sources=args.sources)
    store = Store.open(settings.db_url)
    if not getattr(args, "no_seed", False):
        seed_store(store)  # baselines exist from day one
    return settings, store


def checked_settings(args: argparse.Namespace) -> Settings:
    """Fail fast, before any flow runs, on what would stop every run: an unreachable store,
    a broken sources, markers or routing file."""
    settings, store = open_store(args)
    store.close()
    load_sources(settings.sources_file)
    load_marker_config(settings.markers_file)
    load_delivery_config(settings.alerts_file)
    return settings


def write_json(data: Any, out: TextIO) -> None:
    json.dump(data, out, ensure_ascii=False, indent=2)
    out.write("\n")


def alert_table(alerts: Sequence[Alert], out: TextIO, *, with_delivery: bool) -> None:
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
